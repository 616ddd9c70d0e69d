"""What is due when: the one computation of a plan's dates that rules, pages and calendars read.

Check-ins repeat on the timetable's weekdays every `every_weeks` weeks, counted from the week
the plan starts; reviews, milestones and trigger dates are as written; the plan ends on
`timetable.last_day`. Everything here is a pure function of the record and a given "today".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator, Literal

from .model import WEEKDAYS, Plan, Timetable

DueKind = Literal["check-in", "review", "milestone", "trigger", "end"]

# On the same day, the item a person would name first.
_FIRST = {"review": 0, "milestone": 1, "trigger": 2, "check-in": 3, "end": 4}

# Plans in these states have dates that are still to come.
RUNNING = frozenset({"active", "extended"})


@dataclass(frozen=True, slots=True, order=True)
class DueItem:
    """One dated thing a plan expects to happen."""

    date: date
    kind: DueKind
    title: str
    path: tuple = ()  # where in the record it comes from


def check_in_dates(timetable: Timetable, until: date | None = None) -> Iterator[date]:
    """The check-in days from the start to the end (or to `until`, if earlier), in order."""
    last = timetable.last_day if until is None else min(until, timetable.last_day)
    offsets = sorted({WEEKDAYS.index(day) for day in timetable.check_ins.weekdays})
    step = timedelta(weeks=timetable.check_ins.every_weeks)
    monday = timetable.start - timedelta(days=timetable.start.weekday())
    while monday <= last:
        for offset in offsets:
            day = monday + timedelta(days=offset)
            if timetable.start <= day <= last:
                yield day
        monday += step


def expected_check_ins(timetable: Timetable, today: date) -> int:
    """How many check-ins should have been held before today (today's may still be under way)."""
    return sum(1 for _ in check_in_dates(timetable, until=today - timedelta(days=1)))


def agenda(plan: Plan) -> list[DueItem]:
    """Every dated item of the plan, in date order."""
    timetable = plan.timetable
    items = [DueItem(day, "check-in", "Check-in", ("timetable", "check_ins")) for day in check_in_dates(timetable)]
    items += [
        DueItem(review.date, "review", review.title, ("timetable", "reviews", index))
        for index, review in enumerate(timetable.reviews)
    ]
    items += [
        DueItem(milestone.date, "milestone", milestone.title, ("milestones", index))
        for index, milestone in enumerate(plan.milestones)
    ]
    items += [
        DueItem(criterion.trigger.by, "trigger", f"Trigger check: {criterion.metric}", ("criteria", index, "trigger"))
        for index, criterion in enumerate(plan.criteria)
        if criterion.trigger is not None
    ]
    items.append(DueItem(timetable.last_day, "end", "Plan ends", ("timetable",)))
    items.sort(key=lambda item: (item.date, _FIRST[item.kind]))
    return items


def upcoming(plan: Plan, today: date) -> list[DueItem]:
    """The items on or after today, in order, for a plan that is running; none otherwise."""
    if plan.status not in RUNNING:
        return []
    return [item for item in agenda(plan) if item.date >= today]


def first_of(items: list[DueItem], kinds: frozenset[str]) -> DueItem | None:
    return next((item for item in items if item.kind in kinds), None)


def next_due(plan: Plan, today: date, kinds: frozenset[str]) -> DueItem | None:
    """The first item of these kinds on or after today, for a plan that is running; None otherwise."""
    return first_of(upcoming(plan, today), kinds)


def next_review(plan: Plan, today: date) -> DueItem | None:
    return next_due(plan, today, frozenset({"review"}))
