"""Which letters a plan is ready for, and the facts a letter may state: all read from its timeline.

A letter is evidence. Each template names the step it records (`stage:`) or the state it
follows (`requires:`), and a letter is offered as ready only when the record shows that step is
due; otherwise `Readiness.reason` says what would make it due. A letter is dated the day its
stage was recorded, or today if it has not been sent yet, and every fact it may state is taken
from the record as of that date: nothing a letter says can be later than the letter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import STAGES, Declined, PublicPlan, SupportGiven
from .dates import shortdate
from .units import measure
from .timeline import Timeline, TriggerState, build_timeline

# What a template may ask for besides an escalation stage.
REQUIREMENTS = ("outcome-met", "extended")


@dataclass(frozen=True)
class Step:
    """One dated step already taken, as a letter lists it."""

    date: date
    what: str
    stage: str | None = None  # the escalation stage it records, if it is one


@dataclass(frozen=True)
class Dated:
    date: date
    what: str


@dataclass(frozen=True)
class LetterFacts:
    """What a letter dated `date` may state, each fact from the record on or before that day."""

    date: date
    timeline: Timeline
    crossed: list[TriggerState]  # the triggers whose stage this letter records
    steps: list[Step]
    check_ins_held: int
    support_given: list[Dated]
    support_agreed: list[str]
    reviews_held: list[Dated]
    reviews_ahead: list[Dated]
    declined: Declined | None
    written_warning_on: date | None
    previous: PublicPlan | None = None

    @property
    def standings(self):
        return self.timeline.standings


@dataclass(frozen=True)
class Readiness:
    """Whether a letter may be sent, as of which day, and why (or why not)."""

    ready: bool
    reason: str
    date: date  # the letter's date: the day its stage was recorded, else today
    sent_on: date | None = None
    facts: LetterFacts | None = field(default=None, compare=False)
    pending: bool = False  # not ready, but a later record (a review, a recorded step) could make it due


def _steps(plan: PublicPlan, timeline: Timeline, on: date) -> list[Step]:
    steps = [Step(step.date, f"{step.stage.replace('-', ' ')} {_STAGE_VERBS[step.stage]}", step.stage)
             for step in plan.escalation if step.date <= on]
    ack = plan.acknowledgement
    if ack is not None:
        if isinstance(ack.person, Declined):
            if ack.person.declined <= on:
                steps.append(Step(ack.person.declined, f"{plan.person.name} declined to sign the plan, "
                                                       f"in front of a witness ({witness_name(plan, ack.person)})"))
        elif ack.person <= on:
            steps.append(Step(ack.person, f"plan signed by {plan.person.name}"))
        if ack.manager <= on:
            steps.append(Step(ack.manager, f"plan signed by {plan.manager.name}"))
    steps += [Step(review.held_on, f"{review.title} held")
              for review in timeline.reviews if review.held_on is not None and review.held_on <= on]
    return sorted(steps, key=lambda step: step.date)


def witness_name(plan: PublicPlan, refusal: Declined) -> str:
    """The witness's name when the plan names them (the manager or the HR partner), else their id."""
    for who in (plan.manager, plan.hr_partner):
        if who is not None and who.id == refusal.witness:
            return who.name
    return refusal.witness


_STAGE_VERBS = {"conversation": "held", "agreement-email": "sent", "written-warning": "issued",
                "final-warning": "issued"}


def _timeline_on(plan: PublicPlan, on: date, acknowledgement_days: int, known: Timeline | None) -> Timeline:
    """The plan's timeline as of `on`: the one the caller holds when it is of that day, else a new one."""
    if known is not None and known.today == on and known.plan is plan:
        return known
    return build_timeline(plan, on, acknowledgement_days)


def facts(plan: PublicPlan, on: date, acknowledgement_days: int, stage: str | None = None,
          previous: PublicPlan | None = None, timeline: Timeline | None = None) -> LetterFacts:
    """Everything a letter dated `on` may state about `plan`."""
    timeline = _timeline_on(plan, on, acknowledgement_days, timeline)
    support_given = [Dated(item.date, item.what) for item in plan.support
                     if isinstance(item, SupportGiven) and item.date <= on]
    support_given += [Dated(entry.date, f"ride-along: {entry.note}") for entry in plan.log
                      if entry.kind == "ride-along" and entry.date <= on]
    held = [Dated(r.held_on, r.title) for r in timeline.reviews if r.held_on is not None]
    ahead = [Dated(r.date, r.title) for r in timeline.reviews if r.date > on]
    ack = plan.acknowledgement
    written = plan.escalation_date("written-warning")
    return LetterFacts(
        date=on,
        timeline=timeline,
        crossed=timeline.crossed(stage) if stage else [],
        steps=_steps(plan, timeline, on),
        check_ins_held=sum(1 for entry in plan.log if entry.kind == "check-in" and entry.date <= on),
        support_given=sorted(support_given, key=lambda item: item.date),
        support_agreed=[item.what if isinstance(item, SupportGiven) else item for item in plan.support],
        reviews_held=held,
        reviews_ahead=ahead,
        declined=ack.person if ack is not None and isinstance(ack.person, Declined) else None,
        written_warning_on=written if written is not None and written <= on else None,
        previous=previous,
    )


def _recorded_on(plan: PublicPlan, stage: str | None, requires: str | None) -> date | None:
    """The day the record shows this letter's step taken: its escalation stage, the close, the extension."""
    if stage is not None:
        return plan.escalation_date(stage)
    if requires == "outcome-met" and plan.outcome is not None and plan.outcome.result == "met":
        return plan.outcome.date
    if requires == "extended":
        dates = [a.date for a in plan.amendments if "timetable" in a.changes and a.acknowledgement is not None]
        return max(dates) if dates else None
    return None


def readiness(plan: PublicPlan, stage: str | None, requires: str | None, today: date,
              acknowledgement_days: int = 7, previous: PublicPlan | None = None, document: bool = False,
              timeline: Timeline | None = None) -> Readiness:
    """`timeline`, when given, is the plan's timeline as of `today` (a page holds it already)."""
    """Whether the letter that records `stage` (or follows `requires`) may be sent, as of `today`."""
    sent = _recorded_on(plan, stage, requires)
    on = sent if sent is not None and sent <= today else today

    def answer(ready: bool, reason: str, pending: bool = False) -> Readiness:
        if ready:
            amended = [a.date for a in plan.amendments if on < a.date <= today]
            if amended:  # the record now holds terms from after the letter's date
                ready, reason = False, (f"the plan's terms were amended on {shortdate(max(amended))}, after this letter's "
                                        f"date ({shortdate(on)}): the letter as it was sent is in the repository's history")
        return Readiness(ready, reason, on, sent if on == sent else None,
                         facts(plan, on, acknowledgement_days, stage, previous, timeline), pending and not ready)

    if sent is not None and sent <= today:
        what = "the escalation record" if stage else "the plan's record"
        return answer(True, f"sent on {shortdate(sent)}, as {what} shows")
    if plan.status == "draft" and stage not in (None, "conversation"):
        return answer(False, "the plan is a draft: nothing is sent until it is agreed")
    if requires == "outcome-met":
        if plan.outcome is not None and plan.outcome.result == "met":
            return answer(True, f"the plan closed on {shortdate(plan.outcome.date)} with its objectives met")
        return answer(False, "due when the plan closes with its objectives met (`outcome.result: met`)",
                      plan.status != "closed")
    if requires == "extended":
        if plan.status == "extended" or (plan.outcome is not None and plan.outcome.decision == "extended"):
            return answer(False, "the extension is not recorded: add an acknowledged amendment with "
                                 "`changes: [timetable]` and its date")
        return answer(False, "due when the plan is extended (`status: extended`, with an acknowledged amendment "
                             "of its timetable)", plan.status != "closed")
    if stage == "conversation" or document:
        return answer(True, "ready to use")
    if stage is None:  # a working note (a check-in note, a performance report) serves a running plan
        closed_later = plan.status == "closed" and plan.outcome is not None and plan.outcome.date > on
        if plan.status in ("active", "extended") or closed_later:
            return answer(True, "ready to use")
        return answer(False, f"the plan is {plan.status}: there is no meeting to prepare")
    if stage == "agreement-email":
        held = plan.escalation_date("conversation")
        if held is not None and held <= today:
            return answer(True, f"the conversation was held on {shortdate(held)}")
        return answer(False, "due once the conversation is held: record `- stage: conversation` with its date", True)
    return _warning(plan, stage, _timeline_on(plan, today, acknowledgement_days, timeline), answer)


def _warning(plan: PublicPlan, stage: str, timeline: Timeline, answer) -> Readiness:
    today = timeline.today
    mine = [t for t in timeline.triggers if t.trigger.then == stage]
    if not mine:
        return answer(False, f"no criterion of this plan has a trigger that leads to a {stage.replace('-', ' ')}")
    crossed = [t for t in mine if t.crossed]
    if stage == "final-warning":
        written = plan.escalation_date("written-warning")
        if written is None or written > today:
            return answer(False, "a final warning comes only after a written warning is recorded "
                                 "(`- stage: written-warning` with its date)", True)
    if crossed:
        which = "; ".join(f"{t.criterion.metric}: {measure(t.result, t.criterion.unit)} at the review held on "
                          f"{shortdate(t.review_on)}, {t.trigger.line[0]} the line of "
                          f"{measure(t.trigger.line[1], t.criterion.unit)}" for t in crossed)
        return answer(True, f"due: a trigger was crossed ({which})")
    reasons = []
    for t in mine:
        line = f"{t.trigger.line[0]} {measure(t.trigger.line[1], t.criterion.unit)}"
        if t.verdict == "pending":
            reasons.append(f"{t.criterion.metric} is judged at the review on {shortdate(t.trigger.by)}: "
                           f"due if the result logged there is {line}")
        elif t.verdict == "cleared":
            reasons.append(f"{t.criterion.metric} cleared its line at the review held on {shortdate(t.review_on)} "
                           f"({measure(t.result, t.criterion.unit)})")
        else:
            reasons.append(f"{t.criterion.metric} has no result logged at a held review for {shortdate(t.trigger.by)}: "
                           "log the review and its result")
    return answer(False, "not due: " + "; ".join(reasons), any(t.verdict == "pending" for t in mine))


__all__ = ["LetterFacts", "Readiness", "REQUIREMENTS", "STAGES", "facts", "readiness"]
