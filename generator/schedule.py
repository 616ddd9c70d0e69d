"""The calendar arithmetic of a timetable: which days its check-ins fall on.

Check-ins repeat on the timetable's weekdays every `every_weeks` weeks, counted from the week
the plan starts, up to `timetable.last_day`. Everything here is a pure function of the record
and a given day; `generator.timeline` builds what is due, done or missed on top of it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterator

from .model import WEEKDAYS, Timetable


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
