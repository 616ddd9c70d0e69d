"""Calendars (iCalendar, RFC 5545) from timelines: one per plan, and feeds that gather several.

Every event is a date read from the plan's `Timeline`; nothing here computes a date. Events
are all-day, unless the policy gives `check_in_time` and `timezone`: then the check-ins are timed,
starting at that time in that zone (`DTSTART;TZID=Europe/London:20261116T093000`, with the zone's
VTIMEZONE in the calendar and the rule's UNTIL in UTC, as RFC 5545 asks), and every other event
stays all-day.
A plan's calendar holds its review meetings, its milestones, its check-ins (one event that
repeats: `FREQ=WEEKLY;INTERVAL=<every_weeks>;BYDAY=...;UNTIL=<last check-in>`, which expands to
exactly the timeline's check-in days), the day each trigger is judged, a PIP's deadline for
both signatures and the plan's end. An escalation that a crossed trigger calls for is not a
planned date, and is left to the agenda.

**Drafts** are planned, not agreed: they get their dates, each marked `STATUS:TENTATIVE`.
**Closed plans** keep only what lay on or before their outcome: the rest will not happen, and
the end is shown on the day the plan closed.

**Stable output.** A UID names the plan and the item, never a date, so a re-import after a
review moves updates that event instead of adding one:

    <plan-id>/check-ins@<domain>        <plan-id>/review/<n>@<domain>      (n: place in `timetable.reviews`)
    <plan-id>/milestone/<n>@<domain>    <plan-id>/trigger/<criterion-id>@<domain>
    <plan-id>/acknowledgement@<domain>  <plan-id>/end@<domain>

DTSTAMP is the latest day on which the record says the planned dates changed (the start, an
amendment, the outcome), at 00:00 UTC: the same record gives the same bytes on every build.
There is no SEQUENCE, since nothing in the record counts revisions that only go up.

Every text value is a record's name or title, handed to `icalendar` as TEXT so that commas,
semicolons and line breaks are escaped; control characters, which RFC 5545 text may not hold,
are replaced, and a carriage return (alone or before a line feed) is one line break. The record
type has no private field, and no description holds a link.

**Written as icalendar writes it, without an object per property.** An event is a list of
properties, each as `Component.add` takes it. `plan_events` adds them to `icalendar` events; the
files are written from the same lists by `_written`, which gives the bytes those events' `to_ical()`
gives: a text is escaped by `vText` and, when longer than a line, folded by `Contentline`; every
other value (a day, a rule, a category) is written by `icalendar` the first time it is met and
reused after; properties go in the component's `sorted_keys()` order. Making and reading an
object for each property was most of a large build's calendar time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event, Timezone, vText
from icalendar.parser import Contentline

from ..model import PublicPlan
from ..timeline import Item, Timeline
from ..units import measure
from .jinja import sentence, stage, weekdays
from .pages import KIND_LABELS
from ..words import with_article

DEFAULT_DOMAIN = "playbook.invalid"
_ALL_DAY = timedelta(days=1)
_CATEGORIES = {"check-in": "Check-in", "review": "Review", "milestone": "Milestone", "trigger": "Trigger",
               "acknowledgement": "Acknowledgement", "end": "End of plan"}
# RFC 5545 text holds no control character but the tab and the line break (which it escapes). A
# carriage return is a line break too: icalendar 7.0 leaves a lone one unescaped.
_NO_CONTROLS = str.maketrans({**{code: "\ufffd" for code in [*range(0x20), *range(0x7F, 0xA0)]
                                 if code not in (0x09, 0x0A)}, 0x0D: "\n"})


Clock = tuple[time, str]  # when check-ins start, and the IANA zone of that time (`Policy.check_in_clock`)
Property = tuple[str, object]  # as `Component.add` takes it: a name and a value; a `str` is TEXT


def plan_calendar(plan: PublicPlan, timeline: Timeline, *, prodid_domain: str = DEFAULT_DOMAIN,
                  clock: Clock | None = None) -> bytes:
    """One plan's dates as one VCALENDAR."""
    name = f"{plan.person.name}: {KIND_LABELS[plan.kind]}"
    return feed(name, [(plan, timeline)], prodid_domain=prodid_domain, clock=clock)


def feed(name: str, entries: Iterable[tuple[PublicPlan, Timeline]], *,
         prodid_domain: str = DEFAULT_DOMAIN, clock: Clock | None = None) -> bytes:
    """One VCALENDAR named `name` with the events of every plan given, in the order given
    (a manager's or a team's feed)."""
    entries = list(entries)
    zone = zone_ical(clock, [plan for plan, _ in entries])
    return wrap(name, [events_ical(plan, timeline, prodid_domain, clock) for plan, timeline in entries],
                prodid_domain, zone)


def events_ical(plan: PublicPlan, timeline: Timeline, domain: str = DEFAULT_DOMAIN,
                clock: Clock | None = None) -> bytes:
    """One plan's events, serialised: a build makes them once and puts them in every calendar that holds them."""
    return b"".join(_written(Event, properties) for properties in _plan_properties(plan, timeline, domain, clock))


def zone_ical(clock: Clock | None, plans: Iterable[PublicPlan]) -> bytes:
    """The VTIMEZONE of timed check-ins, covering the years of these plans (empty without a clock)."""
    plans = list(plans)
    if clock is None or not plans:
        return b""
    first = min(plan.timetable.start for plan in plans).replace(month=1, day=1)
    last = max(plan.timetable.last_day for plan in plans)
    return _zone(clock[1], first, date(last.year + 1, 1, 1))


@lru_cache(maxsize=64)
def _zone(tzid: str, first: date, last: date) -> bytes:
    """A feed and each of its plans mostly span the same years: the zone is written once for them."""
    return Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical()


_END = b"END:VCALENDAR\r\n"


def wrap(name: str, events: Iterable[bytes], prodid_domain: str = DEFAULT_DOMAIN, zone: bytes = b"") -> bytes:
    """A VCALENDAR named `name` around events serialised by `events_ical` (and the VTIMEZONE they use)."""
    head = _written(Calendar, [("prodid", f"-//{prodid_domain}//Playbook//EN"), ("version", "2.0"),
                               ("calscale", "GREGORIAN"), ("name", _text(name)), ("x-wr-calname", _text(name))])
    return head[: -len(_END)] + zone + b"".join(events) + _END


def plan_events(plan: PublicPlan, timeline: Timeline, domain: str = DEFAULT_DOMAIN,
                clock: Clock | None = None) -> list[Event]:
    """The events of one plan, in the timeline's order."""
    return [_component(Event, properties) for properties in _plan_properties(plan, timeline, domain, clock)]


def _plan_properties(plan: PublicPlan, timeline: Timeline, domain: str,
                     clock: Clock | None) -> list[list[Property]]:
    """The properties of each event of one plan, in the timeline's order."""
    closed_on = plan.outcome.date if plan.status == "closed" and plan.outcome else None
    items = [item for item in timeline.items if closed_on is None or item.date <= closed_on]
    check_ins = [item.date for item in items if item.kind == "check-in"]
    events = []
    for item in items:
        if item.kind == "check-in" and item.date == check_ins[0]:
            events.append(_check_ins(plan, check_ins, domain, clock))
        elif item.kind in ("review", "milestone", "trigger", "acknowledgement"):
            events.append(_dated(plan, item, domain))
    end = next(item for item in timeline.items if item.kind == "end")
    what = "closed" if closed_on else "ends"
    events.append(_event(plan, f"{plan.id}/end", end.done_on if closed_on else end.date, f"Plan {what}", "end",
                         domain, f"{sentence(_whose(plan))} {what} on this day."))
    return events


def _check_ins(plan: PublicPlan, days: list[date], domain: str, clock: Clock | None) -> list[Property]:
    check_ins = plan.timetable.check_ins
    every = "every week" if check_ins.every_weeks == 1 else f"every {check_ins.every_weeks} weeks"
    first: date | datetime = days[0]
    until: date | datetime = days[-1]
    if clock is not None:  # a timed rule's UNTIL is in UTC (RFC 5545, 3.3.10)
        starts, zone = clock
        first = datetime.combine(days[0], starts, ZoneInfo(zone))
        until = datetime.combine(days[-1], starts, ZoneInfo(zone)).astimezone(timezone.utc)
    event = _event(plan, f"{plan.id}/check-ins", first, "Check-in", "check-in", domain,
                   f"Check-in of {_whose(plan)} with {plan.manager.name}: "
                   f"{weekdays(check_ins.weekdays)}, {every}, until {days[-1].isoformat()}.")
    event.append(("rrule", {"freq": "weekly", "interval": check_ins.every_weeks, "wkst": "MO", "until": until,
                            "byday": [day[:2].upper() for day in check_ins.weekdays]}))
    return event


def _dated(plan: PublicPlan, item: Item, domain: str) -> list[Property]:
    """A review, milestone, trigger or signature deadline, named after where it is in the record."""
    if item.kind == "review":
        return _event(plan, f"{plan.id}/review/{item.path[2]}", item.date, item.title, "review", domain,
                      f"{item.title}: a review meeting of {_whose(plan)}, run by {plan.manager.name}.")
    if item.kind == "milestone":
        milestone = plan.milestones[item.path[1]]
        targets = "; ".join(f"{criterion.metric}: {measure(target, criterion.unit)}"
                            for criterion_id, target in milestone.targets.items()
                            if (criterion := plan.criterion(criterion_id)) is not None)
        return _event(plan, f"{plan.id}/milestone/{item.path[1]}", item.date, f"Milestone: {item.title}",
                      "milestone", domain, f"A milestone of {_whose(plan)}."
                      + (f" Targets: {targets}." if targets else ""))
    if item.kind == "trigger":
        criterion = plan.criteria[item.path[1]]
        side, line = criterion.trigger.line
        return _event(plan, f"{plan.id}/trigger/{criterion.id}", item.date, item.title, "trigger", domain,
                      f"The review on this day judges {criterion.metric} against its line: a result {side} "
                      f"{measure(line, criterion.unit)} calls for {with_article(stage(criterion.trigger.then))}.")
    return _event(plan, f"{plan.id}/acknowledgement", item.date, "Plan to be signed by both parties",
                  "acknowledgement", domain,
                  f"The last day for {plan.person.name} and {plan.manager.name} to sign {_whose(plan)}.")


def _event(plan: PublicPlan, key: str, day: date | datetime, title: str, kind: str, domain: str,
           description: str) -> list[Property]:
    """An all-day event on `day`, or, given a time, one that starts then (a meeting with no set length)."""
    return [
        ("uid", f"{key}@{domain}"),
        ("dtstamp", _stamp(plan)),
        ("dtstart", day),
        *([] if isinstance(day, datetime) else [("dtend", day + _ALL_DAY)]),
        ("summary", _text(f"{plan.person.name}: {title}")),
        ("description", _text(description)),
        ("categories", [_text(_CATEGORIES[kind])]),
        ("status", "TENTATIVE" if plan.status == "draft" else "CONFIRMED"),
        # A date to keep in mind is not time taken; a timed check-in is.
        ("transp", "OPAQUE" if isinstance(day, datetime) else "TRANSPARENT"),
    ]


def _component(kind: type[Component], properties: Iterable[Property]) -> Component:
    """A component of `kind` holding `properties` (a `str` added as TEXT, so that it is escaped)."""
    component = kind()
    for name, value in properties:
        component.add(name, _as_text(value))
    return component


def _as_text(value: object) -> object:
    if isinstance(value, str):
        return vText(value)
    if isinstance(value, list):
        return [_as_text(part) for part in value]
    return value


def _written(kind: type[Component], properties: list[Property]) -> bytes:
    """The bytes of `_component(kind, properties).to_ical()`, written without making the component."""
    lines = [_text_line(name, value) if isinstance(value, str) else _other_line(kind, name, value)
             for name, value in properties]
    order = _order(kind, tuple(name for name, _ in properties))
    begin, end = f"BEGIN:{kind.name}\r\n".encode(), f"END:{kind.name}\r\n".encode()
    return begin + b"".join(lines[index] for index in order) + end


def _text_line(name: str, value: str) -> bytes:
    """A TEXT property: escaped by `vText`, and folded by `Contentline` when longer than a line may be."""
    line = f"{name.upper()}:{vText(value).to_ical().decode()}"
    encoded = line.encode()
    # No icalendar folds a line of at most 74 octets: most lines skip the fold, which reads every character.
    return (encoded if len(encoded) <= 74 else Contentline(line).to_ical()) + b"\r\n"


_OTHER_LINES: dict[tuple, bytes] = {}


def _other_line(kind: type[Component], name: str, value: object) -> bytes:
    """A property that is not TEXT, as `icalendar` writes it. These values recur (the same days, rules,
    categories across plans), so each is written once. The key is the value's repr, which names an aware
    time's zone: two times of one instant in two zones are two lines."""
    key = (kind, name, repr(value))
    line = _OTHER_LINES.get(key)
    if line is None:
        if len(_OTHER_LINES) >= 8192:  # a long `mkdocs serve` meets many days: keep the memory bounded
            _OTHER_LINES.clear()
        alone = _component(kind, [(name, value)]).to_ical()
        line = _OTHER_LINES[key] = alone[len(f"BEGIN:{kind.name}\r\n"): -len(f"END:{kind.name}\r\n")]
    return line


@lru_cache(maxsize=64)
def _order(kind: type[Component], names: tuple[str, ...]) -> tuple[int, ...]:
    """Where each property goes, by place in `names`: the order of the component's `sorted_keys()`."""
    probe = kind()
    probe.update((name, None) for name in names)
    places = {name: place for place, name in enumerate(probe.sorted_keys())}
    return tuple(sorted(range(len(names)), key=lambda index: places[names[index].upper()]))


def _whose(plan: PublicPlan) -> str:
    return f"{plan.person.name}'s {KIND_LABELS[plan.kind].lower()} ({plan.id})"


def _stamp(plan: PublicPlan) -> datetime:
    """The latest day the record says the planned dates changed, at 00:00 UTC."""
    changed = [plan.timetable.start, *(amendment.date for amendment in plan.amendments)]
    if plan.status == "closed" and plan.outcome:
        changed.append(plan.outcome.date)
    return datetime.combine(max(changed), time(0), timezone.utc)


def _text(value: str) -> str:
    """`value` as a calendar holds it, whatever icalendar release writes it: no control character, and
    each line break a line feed. icalendar writes a backslash before an N as a line break: so does this."""
    return value.replace("\\N", "\n").replace("\r\n", "\n").translate(_NO_CONTROLS)


__all__ = ["DEFAULT_DOMAIN", "feed", "plan_calendar", "plan_events"]
