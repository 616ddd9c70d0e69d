"""Working days: which days a plan's meetings can fall on, by the company's calendar.

The calendar is the policy's `holidays:` key (a country, ISO 3166, and an optional subdivision),
read with the `holidays` package: that country's weekend and its public holidays. Without the
key, the weekend is Saturday and Sunday and no day is a holiday.

`playbook new` puts reviews and milestones on working days (`working_day`), and rule PB211 warns
about a review, milestone or check-in that falls on a day off (`day_off`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .dates import DAY_NAMES

SATURDAY_AND_SUNDAY = frozenset({5, 6})


def supported_countries() -> dict[str, list[str]]:
    """Each country code the `holidays` package knows, with its subdivision codes."""
    import holidays

    return holidays.list_supported_countries()


@lru_cache(maxsize=16)
def _country(country: str, subdivision: str | None):
    import holidays

    return holidays.country_holidays(country, subdiv=subdivision)


@dataclass(frozen=True)
class WorkingCalendar:
    """A country's weekend and public holidays (none, when no country is named)."""

    country: str | None = None
    subdivision: str | None = None
    _weekend: frozenset[int] = field(default=SATURDAY_AND_SUNDAY, repr=False)

    @classmethod
    def of(cls, country: str | None, subdivision: str | None = None) -> "WorkingCalendar":
        if country is None:
            return cls()
        weekend = getattr(_country(country, subdivision), "weekend", None) or SATURDAY_AND_SUNDAY
        return cls(country, subdivision, frozenset(weekend))

    @property
    def weekend(self) -> frozenset[int]:
        """The weekdays (Monday 0) that are the weekend."""
        return self._weekend

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday on `day`, if it is one."""
        if self.country is None:
            return None
        return _country(self.country, self.subdivision).get(day)

    def day_off(self, day: date) -> str | None:
        """Why `day` is not a working day (`a Saturday`, `a public holiday, Christmas Day`), or None."""
        name = self.holiday(day)
        if name:
            return f"a public holiday, {name}"
        return f"a {DAY_NAMES[day.weekday()]}" if day.weekday() in self._weekend else None

    def working_day(self, day: date, latest: date) -> date:
        """`day` if it is a working day; else the next one, unless that falls after `latest`: then the
        nearest earlier one. A meeting moves later (more time to improve, never less) but never past the
        plan's end."""
        later = day
        while self.day_off(later) and later <= latest:
            later += timedelta(days=1)
        if later <= latest:
            return later
        earlier = day
        for _ in range(31):  # a month without a working day is no calendar: keep the day as it is
            if not self.day_off(earlier):
                return earlier
            earlier -= timedelta(days=1)
        return day
