"""Days as text: read as a person types them (`--today`, `PLAYBOOK_TODAY`), and written as a person reads them.

Plan files give their dates as YAML values (`generator.load`); a day typed on a command line or
set in the environment arrives as a string, and is read here, by the same rules: `YYYY-MM-DD`
and nothing else, a day that exists, in a year a plan can cover.
"""

from __future__ import annotations

import re
from datetime import date

MIN_YEAR = 1900
MAX_YEAR = 2999

_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # ASCII digits only: `２０２６` is not a year


# The names a day is written with, in English whatever the machine's locale (strftime's `%A` and `%B` follow
# the C library's, which a process may have set): a letter reads the same on every machine.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def longdate(value: date) -> str:
    """2026-10-05 -> Monday 5 October 2026: how letters and pages write a day."""
    return f"{DAY_NAMES[value.weekday()]} {value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def shortdate(value: date) -> str:
    """2026-10-05 -> Mon 5 Oct 2026."""
    return f"{DAY_NAMES[value.weekday()][:3]} {plain_date(value)}"


def plain_date(value: date) -> str:
    """2026-11-04 -> 4 Nov 2026: a day without its name, as a chart's axis writes it."""
    return f"{value.day} {MONTH_NAMES[value.month - 1][:3]} {value.year}"


def span(timetable) -> str:
    """A plan's length, stated one way everywhere: its first day, its last day and the calendar days
    it covers, both included (Monday 5 October 2026 to Sunday 3 January 2027, 91 calendar days)."""
    count = timetable.calendar_days
    return (f"{longdate(timetable.start)} to {longdate(timetable.last_day)}, "
            f"{count} calendar day{'s' if count != 1 else ''}")


def parse_day(text: str) -> date:
    """The day `text` names, written `YYYY-MM-DD`; ValueError with a message a person can act on.

    Whitespace around the day is ignored (a value pasted with a space or a newline still reads);
    anything else must match exactly: four-digit year, two-digit month and day, ASCII digits.
    """
    written = text.strip()
    match = _DAY.fullmatch(written)
    if match is None:
        raise ValueError(f"`{written}` is not a date: use YYYY-MM-DD")
    year, month, day = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"`{written}` is outside the years {MIN_YEAR} to {MAX_YEAR}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"`{written}` is not a day that exists") from None
