"""The record as of a date: a plan as it stood on day D, every fact dated after D absent.

    as_of(plan, day) -> the plan on `day`          stood_on(plan, day, earlier) -> Stood

A plan file is the record as it is now. What a page shows today, and what a letter dated D states,
is the record as it stood then: log entries and review results, escalation steps, signatures,
rebuttals, amendments, dated support and the outcome, each only when dated on or before D. The
status follows from what is left: a plan closed on 13 October is still running as of 1 October,
and a plan extended by an amendment of 6 November is not extended on 7 October.

An amendment changes the terms themselves (the timetable, criteria, milestones or consequences),
and the file keeps only the amended terms. The terms as they stood before it come from the plan's
history: `stood_on` takes them (and the actions agreed with them) from the last committed version
that holds no amendment after D (`earlier`, which the pipeline reads from git). Where there is no such version, the terms of D
cannot be told, and `Stood.reason` says exactly why; a letter of that date is then not made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from .model import Amendment, PlanBody, PublicPlan, SupportGiven

# What the pipeline hands in to reach a plan's earlier terms: for a day, the newest committed version of the
# plan with no amendment dated after it, or None and the reason there is none.
EarlierTerms = Callable[[date], "tuple[PlanBody | None, str]"]


def as_of(plan: PublicPlan, day: date) -> PublicPlan:
    """`plan` with every fact dated after `day` left out, and its status as it then was.

    The terms are left as the record has them: `stood_on` puts back the terms an amendment after
    `day` changed. Returns `plan` itself when nothing in it is dated after `day`.
    """
    if _latest_fact(plan) <= day:
        return plan
    ack = plan.acknowledgement
    outcome = plan.outcome if plan.outcome is not None and plan.outcome.date <= day else None
    amendments = [_amendment_on(amendment, day) for amendment in plan.amendments if amendment.date <= day]
    view = plan.model_copy(update={
        "log": [entry for entry in plan.log if entry.date <= day],
        "escalation": [step for step in plan.escalation if step.date <= day],
        "acknowledgement": ack if ack is not None and max(ack.person_date, ack.manager) <= day else None,
        "amendments": amendments,
        "rebuttal": plan.rebuttal if plan.rebuttal is not None and plan.rebuttal.date <= day else None,
        "support": [item for item in plan.support if not isinstance(item, SupportGiven) or item.date <= day],
        "outcome": outcome,
    })
    return view.model_copy(update={"status": _status(plan, view)})


def _amendment_on(amendment: Amendment, day: date) -> Amendment:
    ack = amendment.acknowledgement
    if ack is None or max(ack.person_date, ack.manager) <= day:
        return amendment
    return amendment.model_copy(update={"acknowledgement": None})


def _status(plan: PublicPlan, view: PublicPlan) -> str:
    """The status the record held on the view's day: a draft stays a draft; a plan closed later was running,
    and extended only once an acknowledged amendment of its timetable says so."""
    if plan.status == "draft" or (plan.status == "closed" and view.outcome is not None):
        return plan.status
    if plan.status == "active":
        return "active"
    return "extended" if extended(view) else "active"


def extended(plan: PlanBody) -> bool:
    """Whether the record holds an acknowledged amendment of the timetable (the extension)."""
    return any("timetable" in a.changes and a.acknowledgement is not None for a in plan.amendments)


def amended_after(plan: PlanBody, day: date) -> list[Amendment]:
    """The amendments of the terms dated after `day`, oldest first."""
    return sorted((a for a in plan.amendments if a.date > day), key=lambda a: a.date)


def latest_fact(plan: PlanBody) -> date | None:
    """The latest day of a recorded fact (a log entry, a step, a signature, an amendment, a rebuttal, dated
    support, the outcome), or None for a plan that records none."""
    day = _latest_fact(plan)
    return None if day == date.min else day


def _latest_fact(plan: PlanBody) -> date:
    days = [entry.date for entry in plan.log] + [step.date for step in plan.escalation]
    days += [item.date for item in plan.support if isinstance(item, SupportGiven)]
    for amendment in plan.amendments:
        days.append(amendment.date)
        if amendment.acknowledgement is not None:
            days += [amendment.acknowledgement.person_date, amendment.acknowledgement.manager]
    if plan.acknowledgement is not None:
        days += [plan.acknowledgement.person_date, plan.acknowledgement.manager]
    if plan.rebuttal is not None:
        days.append(plan.rebuttal.date)
    if plan.outcome is not None:
        days.append(plan.outcome.date)
    return max(days, default=date.min)


@dataclass(frozen=True)
class Stood:
    """A plan as it stood on `day`, or why that cannot be told (`plan` None, `reason` says why)."""

    day: date
    plan: PublicPlan | None
    reason: str = ""
    terms_from_history: bool = False  # the terms were read from an earlier version of the file


def stood_on(plan: PublicPlan, day: date, earlier: EarlierTerms | None, of: str = "this letter's date") -> Stood:
    """`plan` as of `day`, with the terms that amendments after `day` changed taken from the plan's history;
    `of` names the day in the reason given when they cannot be read."""
    later = amended_after(plan, day)
    if not later:
        return Stood(day, as_of(plan, day))
    if earlier is None:
        return Stood(day, None, _unknown(later, day, of, "the plans' history is not available to this command"))
    version, why = earlier(day)
    if version is None:
        return Stood(day, None, _unknown(later, day, of, why))
    # The terms the amendments name, and the actions agreed with them: an amendment records what both agreed,
    # and the steps taken to meet the new terms are part of that agreement.
    changed = {term for amendment in later for term in amendment.changes} | {"actions"}
    terms = {term: getattr(version, term) for term in changed}
    return Stood(day, as_of(plan.model_copy(update=terms), day), terms_from_history=True)


def _unknown(later: list[Amendment], day: date, of: str, why: str) -> str:
    from .dates import shortdate

    dates = " and ".join(dict.fromkeys(shortdate(a.date) for a in later))
    return (f"the plan's terms were amended on {dates}, after {of} ({shortdate(day)}), and the terms "
            f"as they stood on {shortdate(day)} cannot be read: {why}")


__all__ = ["EarlierTerms", "Stood", "amended_after", "as_of", "extended", "latest_fact", "stood_on"]
