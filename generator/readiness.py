"""Which letters a plan is ready for, and the facts a letter may state: all read from its timeline.

A letter is evidence. Each template names the step it records (`stage:`) or the state it
follows (`requires:`), and a letter is offered as ready only when the record shows that step is
due; otherwise `Readiness.reason` says, truly, what would make it due or why it is not offered.

A letter is dated the day its step was recorded, or today if it has not been sent yet, and it is
filled from the record as of that date (`generator.asof`): every fact it states is on or before
its date, and the terms it states are the terms as they stood then. When an amendment after that
date changed the terms and no earlier version of the plan is committed, the letter is not made.

Readiness never builds a timeline: it reads the one the pipeline built for the plan as of today,
and the facts of an earlier date are that timeline's, up to the date. Only a letter whose terms
were changed since (an earlier version from git) is judged on a timeline of that earlier record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .asof import EarlierTerms, as_of, stood_on
from .dates import shortdate
from .model import STAGES, Declined, PublicPlan, SupportGiven
from .timeline import RUNNING, Timeline, TriggerState, build_timeline, short_of_target, standings_on
from .units import measure
from .words import with_article

# What a template may ask for besides an escalation stage.
REQUIREMENTS = ("outcome-met", "extended")
_MEETINGS = ("check-in", "ride-along", "review", "self-review")


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
    standings: tuple = ()
    previous: PublicPlan | None = None


@dataclass(frozen=True)
class Readiness:
    """Whether a letter may be sent, as of which day, and why (or why not)."""

    ready: bool
    reason: str
    date: date  # the letter's date: the day its stage was recorded, else today
    sent_on: date | None = None
    facts: LetterFacts | None = field(default=None, compare=False)
    pending: bool = False  # not ready, but a later record (a review, a recorded step) could make it due
    plan: PublicPlan | None = field(default=None, compare=False)  # the record as of the letter's date


def witness_name(plan: PublicPlan, refusal: Declined) -> str:
    """The witness's name when the plan names them (the manager or the HR partner), else their id."""
    for who in (plan.manager, plan.hr_partner):
        if who is not None and who.id == refusal.witness:
            return who.name
    return refusal.witness


_STAGE_VERBS = {"conversation": "held", "agreement-email": "sent", "written-warning": "issued",
                "final-warning": "issued"}


def _steps(plan: PublicPlan, held: list[Dated]) -> list[Step]:
    """The steps the record (as of the letter's date) shows taken, oldest first."""
    steps = [Step(step.date, f"{step.stage.replace('-', ' ')} {_STAGE_VERBS[step.stage]}", step.stage)
             for step in plan.escalation]
    ack = plan.acknowledgement
    if ack is not None:
        if isinstance(ack.person, Declined):
            steps.append(Step(ack.person.declined, f"{plan.person.name} declined to sign the plan, "
                                                   f"in front of a witness ({witness_name(plan, ack.person)})"))
        else:
            steps.append(Step(ack.person, f"plan signed by {plan.person.name}"))
        steps.append(Step(ack.manager, f"plan signed by {plan.manager.name}"))
    steps += [Step(review.date, f"{review.what} held") for review in held]
    return sorted(steps, key=lambda step: step.date)


def _facts(plan: PublicPlan, timeline: Timeline, on: date, stage: str | None,
           previous: PublicPlan | None) -> LetterFacts:
    support_given = [Dated(item.date, item.what) for item in plan.support if isinstance(item, SupportGiven)]
    support_given += [Dated(entry.date, f"ride-along: {entry.note}") for entry in plan.log if entry.kind == "ride-along"]
    held = [Dated(r.held_on, r.title) for r in timeline.reviews if r.held_on is not None and r.held_on <= on]
    ack = plan.acknowledgement
    return LetterFacts(
        date=on,
        timeline=timeline,
        crossed=[t for t in timeline.crossed(stage) if t.review_on <= on] if stage else [],
        steps=_steps(plan, held),
        check_ins_held=sum(1 for entry in plan.log if entry.kind == "check-in"),
        support_given=sorted(support_given, key=lambda item: item.date),
        support_agreed=[item.what if isinstance(item, SupportGiven) else item for item in plan.support],
        reviews_held=held,
        reviews_ahead=[Dated(r.date, r.title) for r in timeline.reviews if r.date > on],
        declined=ack.person if ack is not None and isinstance(ack.person, Declined) else None,
        written_warning_on=plan.escalation_date("written-warning"),
        standings=standings_on(plan, on),
        previous=previous,
    )


def _recorded_on(plan: PublicPlan, stage: str | None, requires: str | None) -> date | None:
    """The day the record shows this letter's step taken: its escalation stage, the close, the extension."""
    if stage is not None:
        return plan.escalation_date(stage)
    if requires == "outcome-met" and plan.outcome is not None:
        return plan.outcome.date
    if requires == "extended":
        dates = [a.date for a in plan.amendments if "timetable" in a.changes and a.acknowledgement is not None]
        return max(dates) if dates else None
    return None


@dataclass(frozen=True)
class _Decision:
    ready: bool
    reason: str
    pending: bool = False


def readiness(plan: PublicPlan, timeline: Timeline, stage: str | None, requires: str | None, *,
              document: bool = False,
              acknowledgement_days: int = 7, previous: PublicPlan | None = None,
              earlier: EarlierTerms | None = None) -> Readiness:
    """Whether the letter that records `stage` (or follows `requires`) may be sent.

    `plan` is the record as of today and `timeline` its timeline (`timeline.today`); `earlier` reaches the
    plan's committed versions, for a letter dated before an amendment of the terms.
    """
    today = timeline.today
    sent = _recorded_on(plan, stage, requires)
    on = sent if sent is not None else today
    decision = _decide(plan, timeline, stage, requires, document, sent)
    if not decision.ready:
        return Readiness(False, decision.reason, on, None, pending=decision.pending)
    stood = stood_on(plan, on, earlier)
    if stood.plan is None:
        return Readiness(False, stood.reason, on, None)
    letter_timeline = timeline
    if stood.terms_from_history:  # another record than today's: its own timeline, as of the letter's date
        letter_timeline = build_timeline(stood.plan, on, acknowledgement_days)
    earlier_plan = as_of(previous, on) if previous is not None else None
    return Readiness(True, decision.reason, on, sent,
                     _facts(stood.plan, letter_timeline, on, stage, earlier_plan), plan=stood.plan)


def _decide(plan: PublicPlan, timeline: Timeline, stage: str | None, requires: str | None, document: bool,
            sent: date | None) -> _Decision:
    """Whether the letter is due as of today, and the true reason, from the record as of today."""
    closed = plan.status == "closed"
    if document:
        return _Decision(True, "ready to use")
    if requires == "outcome-met":
        return _closing(plan, timeline)
    if requires == "extended":
        if sent is not None:
            return _Decision(True, f"the plan was extended on {shortdate(sent)}, as its acknowledged amendment shows")
        if plan.outcome is not None and plan.outcome.decision == "extended":
            return _Decision(False, "the extension is not recorded: add an acknowledged amendment with "
                                    "`changes: [timetable]` and its date")
        return _Decision(False, "due when the plan is extended (an acknowledged amendment of its timetable)",
                         not closed)
    if stage == "agreement-email" and plan.kind != "pip":
        return _summary_email(plan, sent)
    if sent is not None:
        if stage == "conversation" and closed:
            return _Decision(False, _closed_reason(plan, "there is no conversation left to hold"))
        what = "held" if stage == "conversation" else "sent"
        return _Decision(True, f"{what} on {shortdate(sent)}, as the escalation record shows")
    if closed:
        what = "there is no conversation left to hold" if stage == "conversation" else \
            "there is no meeting to prepare and nothing to send"
        return _Decision(False, _closed_reason(plan, what))
    if stage == "conversation":
        return _Decision(True, "ready to use")
    if plan.status == "draft":
        what = "it has no meetings" if stage is None else "nothing is sent"
        return _Decision(False, f"the plan is a draft: {what} until it is agreed")
    if stage is None:  # a working note (a check-in note, a performance report) serves a running plan
        return _Decision(True, "ready to use")
    if stage == "agreement-email":
        held = plan.escalation_date("conversation")
        if held is not None:
            return _Decision(True, f"the conversation was held on {shortdate(held)}")
        return _Decision(False, "due once the conversation is held: record `- stage: conversation` with its date", True)
    return _warning(plan, stage, timeline)


def _closed_reason(plan: PublicPlan, what: str) -> str:
    when = f" on {shortdate(plan.outcome.date)}" if plan.outcome is not None else ""
    return f"the plan closed{when}: {what}"


def _summary_email(plan: PublicPlan, sent: date | None) -> _Decision:
    """A growth or coaching plan's agreement email sums up what was agreed at its first meeting."""
    if sent is not None:
        return _Decision(True, f"sent on {shortdate(sent)}, as the record shows")
    if plan.status == "closed":
        return _Decision(False, _closed_reason(plan, "the agreement it sums up is long past"))
    meetings = [entry.date for entry in plan.log if entry.kind in _MEETINGS]
    meetings += [step.date for step in plan.escalation if step.stage == "conversation"]
    if meetings:
        return _Decision(True, f"sums up what was agreed at the first meeting, held on {shortdate(min(meetings))}")
    return _Decision(False, "due once the first meeting of the plan is recorded (a check-in or a review in the "
                            "log, or `- stage: conversation`)", True)


def _closing(plan: PublicPlan, timeline: Timeline) -> _Decision:
    """The closing letter confirms objectives met: only once the record says so, and nothing in it says otherwise."""
    outcome = plan.outcome
    if outcome is None:
        return _Decision(False, "due when the plan closes with its objectives met (`outcome.result: met`)",
                         plan.status in RUNNING or plan.status == "draft")
    if outcome.result != "met":
        return _Decision(False, f"the plan closed on {shortdate(outcome.date)} with the result "
                                f"`{outcome.result}`: this letter confirms objectives met")
    short = short_of_target(plan, outcome.date)
    if short:
        which = "; ".join(f"{s.criterion.metric}: {measure(s.latest, s.criterion.unit)} on {shortdate(s.latest_date)}, "
                          f"short of the target of {measure(s.criterion.target, s.criterion.unit)}" for s in short)
        return _Decision(False, f"the record contradicts itself: the outcome of {shortdate(outcome.date)} says the "
                                f"objectives were met, but the last result logged misses its target ({which}); "
                                "correct the outcome or the log")
    return _Decision(True, f"the plan closed on {shortdate(outcome.date)} with its objectives met")


def _warning(plan: PublicPlan, stage: str, timeline: Timeline) -> _Decision:
    today = timeline.today
    mine = [t for t in timeline.triggers if t.trigger.then == stage]
    if not mine:
        return _Decision(False, f"no criterion of this plan has a trigger that leads to {with_article(stage.replace('-', ' '))}")
    last_day = plan.timetable.last_day
    if today > last_day:
        return _Decision(False, f"the plan ended on {shortdate(last_day)} and no warning is sent after its end; "
                                + _after_the_end(plan, mine))
    if stage == "final-warning" and plan.escalation_date("written-warning") is None:
        return _Decision(False, "a final warning comes only after a written warning is recorded "
                                "(`- stage: written-warning` with its date)", True)
    crossed = [t for t in mine if t.crossed]
    if crossed:
        which = "; ".join(f"{t.criterion.metric}: {measure(t.result, t.criterion.unit)} at the review held on "
                          f"{shortdate(t.review_on)}, {t.trigger.line[0]} the line of "
                          f"{measure(t.trigger.line[1], t.criterion.unit)}" for t in crossed)
        return _Decision(True, f"due: a trigger was crossed ({which})")
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
    return _Decision(False, "not due: " + "; ".join(reasons), any(t.verdict == "pending" for t in mine))


def _after_the_end(plan: PublicPlan, mine: list[TriggerState]) -> str:
    """What the record lacks, for a plan past its end that would still need a warning."""
    missing = []
    for t in mine:
        if t.verdict == "undecided" and t.review_on is None:
            missing.append(f"the review of {shortdate(t.trigger.by)}, which decides {t.criterion.metric}, was never "
                           "recorded as held")
        elif t.verdict == "undecided":
            missing.append(f"no result for {t.criterion.metric} was logged at the review of {shortdate(t.trigger.by)}")
        elif t.crossed:
            missing.append(f"{t.criterion.metric} crossed its line at the review held on {shortdate(t.review_on)}, "
                           f"and no {t.trigger.then.replace('-', ' ')} was recorded before the end")
    missing.append("the outcome is not recorded (`outcome:` with its date, result and decision)")
    return "; ".join(missing)


__all__ = ["LetterFacts", "Readiness", "REQUIREMENTS", "STAGES", "readiness"]
