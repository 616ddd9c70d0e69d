"""What is due, done or missed: every dated obligation of one plan, as of one day.

This is the one computation of a plan's progress through time. Rules (PB208, PB209), plan pages,
letters, calendars, the agenda and the dashboard read a `Timeline`; none of them recomputes it.

**Today.** An item dated today is *due*: the day is not over, so nothing dated today is missed
yet. An item dated before today is *done* or *missed*; one dated after today is *upcoming*.

What makes each kind of item done:

- **check-in**: a `check-in` entry in the log on that day.
- **review**: a `review` entry (for a growth plan, a `self-review` too) on or after its date.
  Each entry counts for the latest review dated on or before it that is not yet held, so one
  late review does not hold two.
- **milestone**: results logged on or before its date reach every target (*met*); a target
  with a result that falls short, or with no result at all, leaves it *missed*.
- **trigger**: judged at the review held on its `by` date: *crossed* when the result logged at
  that review is on the wrong side of the line, *cleared* when it is not. Before that review is
  held, nothing is decided, whatever earlier results say; a review held after `by`, or one with
  no result for the criterion, leaves it *undecided*.
- **acknowledgement** (a PIP past draft): both signatures (or a recorded refusal to sign, with
  its witness) by `start + acknowledgement_days`.
- **escalation**: a crossed trigger makes its `then` stage due from the review that crossed it;
  it is done when the escalation record holds that stage on or after that day.
- **end**: the plan's last day; done once an outcome is recorded.

A draft has not started: its items are all upcoming. A closed plan owes nothing after its outcome.

**Overdue** (`Timeline.overdue`): a missed item that a running plan still owes, until it is
handled. A review, the signatures, an escalation and the end are handled once the record shows
them done (a review held late, the signatures given late, the stage recorded, the outcome). A
missed milestone cannot be met any more: it is handled once the record shows what followed, an
escalation step recorded on or after its date, or a review held after it. A missed check-in
cannot be held any more either, and is counted (PB209), not owed.

**Next due** (`Timeline.next_due`): the most urgent of all, the longest overdue first, else the
next open item.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Literal

from .dates import shortdate
from .model import Criterion, LogEntry, PlanBody, Trigger
from .schedule import check_in_dates, expected_check_ins

State = Literal["upcoming", "due", "done", "missed"]
ItemKind = Literal["check-in", "review", "milestone", "trigger", "acknowledgement", "escalation", "end"]
TriggerVerdict = Literal["pending", "crossed", "cleared", "undecided"]
RUNNING = frozenset({"active", "extended"})

# On the same day, the item a person would name first.
_ORDER = {"review": 0, "milestone": 1, "trigger": 2, "escalation": 3, "acknowledgement": 4, "check-in": 5, "end": 6}


@dataclass(frozen=True)
class Item:
    """One dated obligation and where it stands."""

    date: date
    kind: ItemKind
    title: str
    state: State
    path: tuple = ()  # where in the record it comes from
    done_on: date | None = None  # the day the record shows it was done

    @property
    def open(self) -> bool:
        """Still to do: upcoming or due today."""
        return self.state in ("upcoming", "due")


# What a running plan still owes once it is missed (a missed check-in cannot be held any more).
_OWED_WHEN_MISSED = frozenset({"review", "milestone", "acknowledgement", "escalation", "end"})


@dataclass(frozen=True)
class Due:
    """An item a plan owes, and how many days overdue it is (0: not overdue)."""

    item: Item
    days_overdue: int

    @property
    def title(self) -> str:
        """What is due, in words: a milestone says it is one."""
        return f"Milestone: {self.item.title}" if self.item.kind == "milestone" else self.item.title

    @property
    def text(self) -> str:
        """`Mon 4 Jan 2027: 60-day review (5 days overdue)`, as listings show it."""
        late = self.days_overdue
        return f"{shortdate(self.item.date)}: {self.title}" + (
            f" ({late} day{'s' if late != 1 else ''} overdue)" if late else "")


@dataclass(frozen=True)
class ReviewState:
    date: date
    title: str
    held_on: date | None
    entry: LogEntry | None  # the review entry that held it


@dataclass(frozen=True)
class MilestoneState:
    date: date
    title: str
    verdict: Literal["upcoming", "met", "missed", "no-result"]
    results: dict[str, float]  # criterion id -> the result it was judged on
    index: int


@dataclass(frozen=True)
class TriggerState:
    """A criterion's trigger: its line, and what the review on its `by` date decided."""

    criterion: Criterion
    trigger: Trigger
    verdict: TriggerVerdict
    review_on: date | None = None  # the day the deciding review was held
    result: float | None = None  # the result logged at that review
    index: int = 0

    @property
    def crossed(self) -> bool:
        return self.verdict == "crossed"


@dataclass(frozen=True)
class EscalationDue:
    """An escalation stage that a crossed trigger called for."""

    stage: str
    since: date  # the review that crossed the trigger
    triggers: tuple[TriggerState, ...]
    recorded_on: date | None

    def days_overdue(self, today: date) -> int:
        return 0 if self.recorded_on is not None else max(0, (today - self.since).days)


@dataclass(frozen=True)
class Standing:
    """Where a criterion stands on a day: its latest logged result, and how far it has come."""

    criterion: Criterion
    latest: float | None
    latest_date: date | None

    @property
    def share(self) -> float:
        """0..1 of the way from the baseline to the target (clamped)."""
        c = self.criterion
        if self.latest is None:
            return 0.0
        if c.target == c.baseline:
            return 1.0 if reaches(c, self.latest, c.target) else 0.0
        return min(1.0, max(0.0, (self.latest - c.baseline) / (c.target - c.baseline)))

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def met(self) -> bool:
        return self.latest is not None and reaches(self.criterion, self.latest, self.criterion.target)


@dataclass(frozen=True)
class Timeline:
    """Every dated obligation of a plan as of `today`, and the judgements they rest on."""

    plan: PlanBody
    today: date
    items: tuple[Item, ...]
    reviews: tuple[ReviewState, ...]
    milestones: tuple[MilestoneState, ...]
    triggers: tuple[TriggerState, ...]
    escalations: tuple[EscalationDue, ...]
    standings: tuple[Standing, ...]
    check_ins_expected: int  # scheduled before today
    check_ins_held: int  # days with a check-in logged before today
    acknowledgement_deadline: date | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def of_kind(self, *kinds: str) -> list[Item]:
        return [item for item in self.items if item.kind in kinds]

    def next(self, *kinds: str) -> Item | None:
        """The first open item (of these kinds, if given)."""
        return next((item for item in self.items if item.open and (not kinds or item.kind in kinds)), None)

    @property
    def missed(self) -> list[Item]:
        return [item for item in self.items if item.state == "missed"]

    @property
    def overdue(self) -> list[Item]:
        """The missed items a running plan still owes, oldest first (see the module's docstring)."""
        if self.plan.status not in RUNNING:
            return []
        return [item for item in self.items if item.state == "missed" and item.kind in _OWED_WHEN_MISSED
                and not (item.kind == "milestone" and self._handled(item.date))]

    def _handled(self, milestone_day: date) -> bool:
        """Whether the record shows what followed a milestone missed on `milestone_day`."""
        return (any(step.date >= milestone_day for step in self.plan.escalation)
                or any(review.held_on is not None and review.held_on > milestone_day for review in self.reviews))

    def next_due(self) -> "Due | None":
        """The most urgent thing a running plan owes: the longest overdue, else the next open item."""
        if self.plan.status not in RUNNING:
            return None
        overdue = self.overdue
        if overdue:
            return Due(overdue[0], (self.today - overdue[0].date).days)
        item = self.next()
        return Due(item, 0) if item is not None else None

    @property
    def reviews_due(self) -> int:
        return sum(1 for review in self.reviews if review.date <= self.today)

    @property
    def reviews_held(self) -> int:
        return sum(1 for review in self.reviews if review.date <= self.today and review.held_on is not None)

    def crossed(self, stage: str | None = None) -> list[TriggerState]:
        return [t for t in self.triggers if t.crossed and (stage is None or t.trigger.then == stage)]

    def escalation(self, stage: str) -> EscalationDue | None:
        return next((due for due in self.escalations if due.stage == stage), None)

    def standing(self, criterion_id: str) -> Standing | None:
        return next((s for s in self.standings if s.criterion.id == criterion_id), None)


def reaches(criterion: Criterion, value: float, target: float) -> bool:
    """Whether `value` is at or beyond `target`, in the criterion's direction of improvement."""
    return value >= target if criterion.target >= criterion.baseline else value <= target


def crosses(trigger: Trigger, value: float) -> bool:
    """Whether `value` is on the wrong side of the trigger's line."""
    return value < trigger.below if trigger.below is not None else value > trigger.above


class Results:
    """Every result logged, by criterion, in date order: each question (the latest result on or
    before a day) is one bisection, so a timeline does not read the whole log once per milestone
    and criterion."""

    def __init__(self, log: Iterable[LogEntry]):
        self._dates: dict[str, list[date]] = {}
        self._values: dict[str, list[float]] = {}
        for entry in sorted(log, key=lambda entry: entry.date):  # stable: of one day's, the last logged wins
            for criterion_id, value in entry.results.items():
                self._dates.setdefault(criterion_id, []).append(entry.date)
                self._values.setdefault(criterion_id, []).append(value)

    def latest(self, criterion_id: str, on_or_before: date) -> tuple[float, date] | None:
        dates = self._dates.get(criterion_id, [])
        index = bisect_right(dates, on_or_before)
        return (self._values[criterion_id][index - 1], dates[index - 1]) if index else None


def latest_result(log: Iterable[LogEntry], criterion_id: str, on_or_before: date) -> tuple[float, date] | None:
    """The result for `criterion_id` logged last on or before a day, with its date (one question:
    a timeline asks many, of one `Results`)."""
    return Results(log).latest(criterion_id, on_or_before)


def standings_on(plan: PlanBody, day: date, logged: Results | None = None) -> tuple[Standing, ...]:
    """Where each criterion stands on `day`: its latest result logged on or before it."""
    logged = logged or Results(plan.log)
    return tuple(Standing(c, *(logged.latest(c.id, day) or (None, None))) for c in plan.criteria)


def short_of_target(plan: PlanBody, day: date) -> list[Standing]:
    """The criteria whose latest result on or before `day` misses the target: what a plan recorded as met on
    that day contradicts (PB308, and the closing letter refused)."""
    return [s for s in standings_on(plan, day) if s.latest is not None and not s.met]


def _state(day: date, today: date, done_on: date | None) -> State:
    if done_on is not None:
        return "done"
    if day > today:
        return "upcoming"
    return "due" if day == today else "missed"


def _held_reviews(plan: PlanBody, today: date) -> list[ReviewState]:
    """Each entry, in date order, holds the latest review dated on or before it that is not yet held.

    One pass over both lists sorted by date: the reviews due by the entry's day wait on a stack,
    latest on top, so each review is pushed and taken once (linear after the sorts).
    """
    reviews = sorted(enumerate(plan.timetable.reviews), key=lambda pair: pair[1].date)
    held: dict[int, LogEntry] = {}
    # A growth plan is reviewed by the rep: its self-reviews hold its reviews.
    kinds = ("review", "self-review") if plan.kind == "growth" else ("review",)
    waiting: list[int] = []
    due = 0
    for entry in sorted((e for e in plan.log if e.kind in kinds and e.date <= today), key=lambda e: e.date):
        while due < len(reviews) and reviews[due][1].date <= entry.date:
            waiting.append(reviews[due][0])
            due += 1
        if waiting:
            held[waiting.pop()] = entry
    return [ReviewState(review.date, review.title, held[index].date if index in held else None, held.get(index))
            for index, review in enumerate(plan.timetable.reviews)]


def _milestones(plan: PlanBody, today: date, logged: Results) -> list[MilestoneState]:
    criteria = {criterion.id: criterion for criterion in reversed(plan.criteria)}  # the first of an id, as `criterion`
    states = []
    for index, milestone in enumerate(plan.milestones):
        if milestone.date > today:
            states.append(MilestoneState(milestone.date, milestone.title, "upcoming", {}, index))
            continue
        results: dict[str, float] = {}
        verdict = "met"
        for criterion_id, target in milestone.targets.items():
            criterion = criteria.get(criterion_id)
            found = logged.latest(criterion_id, milestone.date)
            if criterion is None or found is None:
                verdict = "no-result" if verdict == "met" else verdict
                continue
            results[criterion_id] = found[0]
            if not reaches(criterion, found[0], target):
                verdict = "missed"
        states.append(MilestoneState(milestone.date, milestone.title, verdict, results, index))
    return states


def _triggers(plan: PlanBody, reviews: list[ReviewState], today: date) -> list[TriggerState]:
    held_on: dict[date, ReviewState] = {}
    for review in reviews:  # the first review held on each day, as a search in order would find
        if review.held_on is not None:
            held_on.setdefault(review.date, review)
    states = []
    for index, criterion in enumerate(plan.criteria):
        trigger = criterion.trigger
        if trigger is None:
            continue
        review = held_on.get(trigger.by)
        if review is None:
            verdict = "pending" if trigger.by >= today else "undecided"
            states.append(TriggerState(criterion, trigger, verdict, index=index))
            continue
        result = review.entry.results.get(criterion.id)
        if result is None or review.held_on > trigger.by:  # a result after `by` cannot decide it
            states.append(TriggerState(criterion, trigger, "undecided", review.held_on, index=index))
        else:
            verdict = "crossed" if crosses(trigger, result) else "cleared"
            states.append(TriggerState(criterion, trigger, verdict, review.held_on, result, index))
    return states


def _escalations(plan: PlanBody, triggers: list[TriggerState]) -> list[EscalationDue]:
    by_stage: dict[str, list[TriggerState]] = {}
    for state in triggers:
        if state.crossed:
            by_stage.setdefault(state.trigger.then, []).append(state)
    dues = []
    for stage, crossed in by_stage.items():
        since = min(state.review_on for state in crossed)
        recorded = next((step.date for step in plan.escalation if step.stage == stage and step.date >= since), None)
        dues.append(EscalationDue(stage, since, tuple(crossed), recorded))
    return sorted(dues, key=lambda due: due.since)


def acknowledgement_signed(plan: PlanBody) -> date | None:
    """The day both parties had signed (or the employee had declined before a witness), if they have."""
    ack = plan.acknowledgement
    if ack is None:
        return None
    return max(ack.person_date, ack.manager)


def build_timeline(plan: PlanBody, today: date, acknowledgement_days: int = 7) -> Timeline:
    """Every dated obligation of `plan` as of `today`, each upcoming, due, done or missed."""
    timetable = plan.timetable
    running = plan.status != "draft"
    # A closed plan owes nothing after its outcome; a draft owes nothing yet.
    horizon = plan.outcome.date if plan.status == "closed" and plan.outcome else timetable.last_day
    as_of = today if running else min(today, timetable.start - timedelta(days=1))

    check_in_days = {entry.date for entry in plan.log if entry.kind == "check-in"}
    logged = Results(plan.log)
    reviews = _held_reviews(plan, as_of)
    milestones = _milestones(plan, as_of, logged)
    triggers = _triggers(plan, reviews, as_of)
    escalations = _escalations(plan, triggers)

    items: list[Item] = []
    scheduled = [day for day in check_in_dates(timetable) if day <= horizon]
    for day in scheduled:
        items.append(Item(day, "check-in", "Check-in", _state(day, as_of, day if day in check_in_days and day <= as_of
                                                               else None), ("timetable", "check_ins")))
    for index, review in enumerate(reviews):
        if review.date <= horizon or review.held_on:
            items.append(Item(review.date, "review", review.title, _state(review.date, as_of, review.held_on),
                              ("timetable", "reviews", index), review.held_on))
    for milestone in milestones:
        if milestone.date <= horizon or milestone.verdict != "upcoming":
            done = milestone.date if milestone.verdict == "met" else None
            state = "missed" if milestone.verdict in ("missed", "no-result") and milestone.date < as_of else _state(
                milestone.date, as_of, done)
            items.append(Item(milestone.date, "milestone", milestone.title, state, ("milestones", milestone.index),
                              done))
    for trigger in triggers:
        done = trigger.review_on if trigger.verdict in ("crossed", "cleared") else None
        items.append(Item(trigger.trigger.by, "trigger", f"Trigger check: {trigger.criterion.metric}",
                          _state(trigger.trigger.by, as_of, done), ("criteria", trigger.index, "trigger"), done))
    deadline = None
    if plan.kind == "pip":
        deadline = timetable.start + timedelta(days=acknowledgement_days)
        signed = acknowledgement_signed(plan)
        items.append(Item(deadline, "acknowledgement", "Plan signed by both parties",
                          _state(deadline, as_of, signed if signed and signed <= as_of else None),
                          ("acknowledgement",), signed))
    for due in escalations:
        items.append(Item(due.since, "escalation", due.stage.replace("-", " ").capitalize(),
                          _state(due.since, as_of, due.recorded_on), ("escalation",), due.recorded_on))
    ended = plan.outcome.date if plan.outcome else None
    items.append(Item(timetable.last_day, "end", "Plan ends", _state(timetable.last_day, as_of, ended),
                      ("timetable",), ended))
    items.sort(key=lambda item: (item.date, _ORDER[item.kind]))

    expected = expected_check_ins(timetable, min(as_of, horizon + timedelta(days=1)))
    held = sum(1 for day in check_in_days if timetable.start <= day < as_of)
    standings = standings_on(plan, as_of, logged)
    return Timeline(plan, today, tuple(items), tuple(reviews), tuple(milestones), tuple(triggers),
                    tuple(escalations), standings, expected, held, deadline)


Health = Literal["on-track", "at-risk", "off-track", "not-started", "closed"]
HEALTH_LABELS = {"on-track": "On track", "at-risk": "At risk", "off-track": "Off track",
                 "not-started": "Not started", "closed": "Closed"}
# Below this share of expected check-ins held, a running plan is at risk.
CHECK_IN_FLOOR = 0.75


def health(timeline: Timeline) -> Health:
    """How a plan is doing, as of the timeline's day.

    - **Off track**: a trigger was crossed at a held review, or the latest milestone that fell due
      was missed (its results fall short, or none was logged).
    - **At risk**: an earlier milestone was missed; or a review or a trigger's deciding review
      was not held when due; or fewer than three in four of the check-ins expected so far were
      held.
    - **On track**: none of the above.

    A draft has not started, and a closed plan's outcome says how it ended.
    """
    plan = timeline.plan
    if plan.status == "draft":
        return "not-started"
    if plan.status == "closed":
        return "closed"
    judged = [m for m in timeline.milestones if m.verdict != "upcoming"]
    if timeline.crossed() or (judged and judged[-1].verdict in ("missed", "no-result")):
        return "off-track"
    missed_reviews = any(r.date < timeline.today and r.held_on is None for r in timeline.reviews)
    undecided = any(t.verdict == "undecided" for t in timeline.triggers)
    few_check_ins = timeline.check_ins_held < CHECK_IN_FLOOR * timeline.check_ins_expected
    if any(m.verdict in ("missed", "no-result") for m in judged) or missed_reviews or undecided or few_check_ins:
        return "at-risk"
    return "on-track"
