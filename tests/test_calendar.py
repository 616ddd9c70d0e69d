"""Calendars (.ics): each plan's dates, read back with `icalendar` and checked against dates worked out by hand.

The base PIP (tests/conftest.py) starts Monday 2026-11-16 and runs 90 days to Sunday 2027-02-14, with
Monday check-ins, reviews on 2026-12-16 and 2027-02-14, a trigger judged on 2026-12-16, milestones on
both review dates, and a signature deadline of start + 7 days, 2026-11-23.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings, strategies as st
from icalendar import Calendar, Timezone, vText
from icalendar.parser import unescape_backslash

from conftest import GROWTH, PIP, TODAY
from generator.config import Policy
from generator.model import WEEKDAYS, CheckIns, PublicPlan
from generator.render.calendar import feed, plan_calendar, plan_events
from generator.timeline import build_timeline
from sitekit import GOOD

PLAN_ID = "jordan-lee-pip-2026-11"
MONDAYS = [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14),
           date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18),
           date(2027, 1, 25), date(2027, 2, 1), date(2027, 2, 8)]


@pytest.fixture
def plan_of(check):
    """The checked, redacted record of a plan text (no errors allowed), and its timeline as of `today`."""

    def make(text: str, today: date = TODAY, name: str | None = None):
        report = check(text, name, today=today)
        assert not report.errors, report.errors
        plan = PublicPlan.of(report.plan_files[0].plan)
        return plan, build_timeline(plan, today, Policy().acknowledgement_days)

    return make


@pytest.fixture
def ics(plan_of):
    """The calendar of a plan text as of `today`."""

    def make(text: str, today: date = TODAY, name: str | None = None) -> bytes:
        return plan_calendar(*plan_of(text, today, name))

    return make


def events(data: bytes) -> dict[str, object]:
    """The calendar's events by UID (each UID once)."""
    found = Calendar.from_ical(data).walk("VEVENT")
    by_uid = {str(event["uid"]): event for event in found}
    assert len(by_uid) == len(found), "a UID is used twice"
    return by_uid


def day(event) -> date:
    return event.decoded("dtstart")


def expanded(event) -> list[date]:
    """The days a (possibly recurring) all-day event falls on."""
    if "rrule" not in event:
        return [day(event)]
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=datetime.combine(day(event), time()))
    return [moment.date() for moment in rule]


def calendar_name(calendar: Calendar) -> str:
    """X-WR-CALNAME as text: icalendar reads it as an unknown property and leaves its escapes in place."""
    return unescape_backslash(calendar["x-wr-calname"].to_ical().decode())


def uid(kind: str, plan_id: str = PLAN_ID) -> str:
    return f"{plan_id}/{kind}@playbook.invalid"


def test_the_base_pip_holds_its_check_ins_reviews_trigger_deadline_and_end(ics):
    found = events(ics(PIP))
    check_ins = found[uid("check-ins")]
    assert expanded(check_ins) == MONDAYS
    assert str(check_ins["rrule"].to_ical().decode()) == "FREQ=WEEKLY;UNTIL=20270208;INTERVAL=1;BYDAY=MO;WKST=MO"
    for index, (when, title) in enumerate([(date(2026, 12, 16), "30-day review"), (date(2027, 2, 14), "Final review")]):
        review = found[uid(f"review/{index}")]
        assert (day(review), review.decoded("dtend"), str(review["summary"])) == (
            when, when + timedelta(days=1), f"Jordan Lee: {title}")
        assert type(day(review)) is date  # all day: a DATE, not a DATE-TIME
    assert day(found[uid("trigger/discovery-to-demo")]) == date(2026, 12, 16)
    assert day(found[uid("acknowledgement")]) == date(2026, 11, 23)
    assert day(found[uid("end")]) == date(2027, 2, 14)
    assert [day(found[uid(f"milestone/{n}")]) for n in (0, 1)] == [date(2026, 12, 16), date(2027, 2, 14)]
    assert set(found) == {uid(k) for k in ("check-ins", "review/0", "review/1", "milestone/0", "milestone/1",
                                           "trigger/discovery-to-demo", "acknowledgement", "end")}
    assert {str(event["status"]) for event in found.values()} == {"CONFIRMED"}


LONDON_0930 = Policy(check_in_time="09:30", timezone="Europe/London").check_in_clock


def test_with_a_check_in_time_and_zone_check_ins_are_timed_events(plan_of):
    data = plan_calendar(*plan_of(PIP), clock=LONDON_0930)
    calendar = Calendar.from_ical(data)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/London"
    found = events(data)
    check_ins = found[uid("check-ins")]
    assert b"DTSTART;TZID=Europe/London:20261116T093000" in data
    assert "dtend" not in check_ins and str(check_ins["transp"]) == "OPAQUE"
    # The last check-in, 9:30 in London on Monday 8 February 2027 (GMT), as UTC.
    assert check_ins["rrule"].to_ical().decode() == "FREQ=WEEKLY;UNTIL=20270208T093000Z;INTERVAL=1;BYDAY=MO;WKST=MO"
    start = check_ins.decoded("dtstart")
    rule = rrulestr(check_ins["rrule"].to_ical().decode(), dtstart=start)
    moments = list(rule)
    assert [moment.date() for moment in moments] == MONDAYS
    assert {(moment.hour, moment.minute) for moment in moments} == {(9, 30)}  # the same clock time through the year
    # Every other event stays all-day.
    review = found[uid("review/0")]
    assert type(day(review)) is date and review.decoded("dtend") == date(2026, 12, 17)


def test_check_ins_are_all_day_by_default(ics):
    check_ins = events(ics(PIP))[uid("check-ins")]
    assert type(day(check_ins)) is date and b"VTIMEZONE" not in ics(PIP)


def test_the_same_record_gives_the_same_bytes_whatever_the_day(ics):
    first = ics(PIP)
    assert ics(PIP) == first
    assert ics(PIP, date(2027, 1, 5)) == first  # a feed does not change every morning
    assert b"DTSTAMP:20261116T000000Z" in first  # the start, at midnight UTC


def test_a_review_that_moves_keeps_its_uid(ics):
    before = events(ics(PIP))
    moved = events(ics(PIP.change("    - date: 2027-02-14\n      title: Final review",
                                  "    - date: 2027-02-12\n      title: Final review")))
    assert set(moved) == set(before)
    assert (day(before[uid("review/1")]), day(moved[uid("review/1")])) == (date(2027, 2, 14), date(2027, 2, 12))


def test_check_ins_every_two_weeks_on_two_weekdays(plan_of):
    # Start Monday 2026-11-16, end Friday 2027-05-14: the weeks of Nov 16, Nov 30, Dec 14, ... May 3
    # (13 weeks), a Tuesday and a Friday in each.
    text = GROWTH.change("weekdays: [tuesday]", "weekdays: [tuesday, friday]")
    plan, timeline = plan_of(text, name="emea-west/alex-kim-growth-2026-11.yaml")
    days = expanded(events(plan_calendar(plan, timeline))[uid("check-ins", "alex-kim-growth-2026-11")])
    assert days[:6] == [date(2026, 11, 17), date(2026, 11, 20), date(2026, 12, 1), date(2026, 12, 4),
                        date(2026, 12, 15), date(2026, 12, 18)]
    assert days[-2:] == [date(2027, 5, 4), date(2027, 5, 7)]
    assert len(days) == 26
    assert days == [item.date for item in timeline.of_kind("check-in")]


def test_commas_semicolons_and_line_breaks_survive_a_round_trip(ics, plan_of):
    name = "Lee, Jordan; JJ\\nthe second"  # as written in YAML: a line break inside the name
    data = ics(PIP.change("  name: Jordan Lee", f'  name: "{name}"'))
    review = events(data)[uid("review/0")]
    assert str(review["summary"]) == "Lee, Jordan; JJ\nthe second: 30-day review"
    assert b"SUMMARY:Lee\\, Jordan\\; JJ\\nthe second: 30-day review" in data
    calendar = Calendar.from_ical(feed("Team: Lee, J; K\nL", [plan_of(PIP)]))
    assert calendar_name(calendar) == "Team: Lee, J; K\nL"


def test_control_characters_do_not_reach_the_file(ics):
    data = ics(PIP.change("  name: Jordan Lee", '  name: "Jordan\\eLee"'))
    assert b"\x1b" not in data
    assert str(events(data)[uid("end")]["summary"]) == "Jordan\ufffdLee: Plan ends"


def test_private_text_stays_out(ics):
    data = ics(PIP + "private: Salary under review.\n")
    assert b"Salary" not in data


def test_a_draft_gets_its_dates_marked_tentative(ics):
    draft = PIP.change("status: active", "status: draft").without("acknowledgement:").without("log:")
    found = events(ics(draft))
    assert expanded(found[uid("check-ins")]) == MONDAYS
    assert day(found[uid("review/0")]) == date(2026, 12, 16)
    assert {str(event["status"]) for event in found.values()} == {"TENTATIVE"}


def test_a_closed_plan_keeps_what_came_before_its_outcome(ics):
    closed = PIP.change("status: active", "status: closed") + (
        "outcome:\n  date: 2026-12-20\n  result: withdrawn\n  decision: retained\n")
    found = events(ics(closed, date(2027, 3, 1)))
    assert expanded(found[uid("check-ins")]) == MONDAYS[:5]  # up to Monday 2026-12-14
    assert set(found) == {uid(k) for k in ("check-ins", "acknowledgement", "review/0", "milestone/0",
                                           "trigger/discovery-to-demo", "end")}
    end = found[uid("end")]
    assert (day(end), str(end["summary"])) == (date(2026, 12, 20), "Jordan Lee: Plan closed")
    assert b"withdrawn" not in ics(closed, date(2027, 3, 1))


def test_a_feed_holds_every_plan_once(plan_of):
    pip = plan_of(PIP)
    growth = plan_of(GROWTH, name="emea-west/alex-kim-growth-2026-11.yaml")
    data = feed("Priya Shah's plans", [pip, growth])
    calendar = Calendar.from_ical(data)
    assert calendar_name(calendar) == "Priya Shah's plans"
    assert set(events(data)) == set(events(plan_calendar(*pip))) | set(events(plan_calendar(*growth)))
    assert feed("Priya Shah's plans", [pip, growth]) == data


def test_jordan_lee_example_holds_the_30_day_review_and_the_check_ins(ics):
    text = (GOOD / "emea-west" / "jordan-lee-pip-2026-10.yaml").read_text(encoding="utf-8")
    found = events(ics(text, name="emea-west/jordan-lee-pip-2026-10.yaml"))
    plan_id = "jordan-lee-pip-2026-10"
    review = found[uid("review/0", plan_id)]
    assert (day(review), str(review["summary"])) == (date(2026, 11, 4), "Jordan Lee: 30-day review")
    check_ins = expanded(found[uid("check-ins", plan_id)])
    # Mondays and Thursdays of the 13 weeks from Monday 2026-10-05 to Thursday 2026-12-31 (the plan ends
    # on Sunday 2027-01-03).
    assert len(check_ins) == 26 > 20
    assert check_ins[:3] == [date(2026, 10, 5), date(2026, 10, 8), date(2026, 10, 12)]
    assert check_ins[-2:] == [date(2026, 12, 28), date(2026, 12, 31)]
    assert {d.weekday() for d in check_ins} == {0, 3}


@settings(max_examples=150, deadline=None)
@given(start=st.dates(date(2025, 1, 1), date(2028, 12, 31)), days=st.integers(1, 200),
       weekdays=st.sets(st.sampled_from(WEEKDAYS), min_size=1), every_weeks=st.integers(1, 6))
def test_the_rule_expands_to_the_timelines_check_in_days(base_pip, start, days, weekdays, every_weeks):
    timetable = base_pip.timetable.model_copy(update={
        "start": start, "days": days, "check_ins": CheckIns(weekdays=sorted(weekdays), every_weeks=every_weeks)})
    plan = base_pip.model_copy(update={"timetable": timetable})
    timeline = build_timeline(plan, start)
    scheduled = [item.date for item in timeline.of_kind("check-in")]
    found = events(plan_calendar(plan, timeline))
    assert expanded(found[uid("check-ins")]) == scheduled if scheduled else uid("check-ins") not in found


@pytest.fixture(scope="module")
def base_pip(tmp_path_factory):
    """The base PIP as a record, for tests that vary its timetable directly."""
    from generator.check import check_paths

    path = tmp_path_factory.mktemp("plans") / f"{PLAN_ID}.yaml"
    path.write_text(PIP, encoding="utf-8")
    return PublicPlan.of(check_paths([path], Policy(), TODAY).plan_files[0].plan)


# Calendar files are written without making an icalendar object per property (a build of thousands of plans
# would spend most of its calendar time on them), so these tests hold the files to what icalendar writes of
# the same events, byte for byte, and to what it reads back.

def shown(text: str) -> str:
    """What a calendar holds of a record's text: control characters replaced, each line break one LF (and,
    as icalendar has it, a backslash before an N is a line break)."""
    text = text.replace("\\N", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return "".join("\ufffd" if (ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0) and char not in "\t\n" else char
                   for char in text)


def icalendar_writes(name: str, entries, clock=None) -> bytes:
    """The calendar that icalendar writes of the events `plan_events` holds, named `name`."""
    calendar = Calendar()
    for key, value in (("prodid", "-//playbook.invalid//Playbook//EN"), ("version", "2.0"),
                       ("calscale", "GREGORIAN"), ("name", vText(shown(name))), ("x-wr-calname", vText(shown(name)))):
        calendar.add(key, value)
    if clock is not None:
        first = min(plan.timetable.start for plan, _ in entries)
        last = max(plan.timetable.last_day for plan, _ in entries)
        calendar.add_component(Timezone.from_tzid(clock[1], first_date=date(first.year, 1, 1),
                                                  last_date=date(last.year + 1, 1, 1)))
    for plan, timeline in entries:
        for event in plan_events(plan, timeline, clock=clock):
            calendar.add_component(event)
    return calendar.to_ical()


def renamed(plan: PublicPlan, person: str, manager: str, review: str, metric: str) -> PublicPlan:
    """The plan with these texts where a calendar shows them: summaries, descriptions and the calendar's name."""
    timetable = plan.timetable
    reviews = [timetable.reviews[0].model_copy(update={"title": review}), *timetable.reviews[1:]]
    criteria = [plan.criteria[0].model_copy(update={"metric": metric}), *plan.criteria[1:]]
    return plan.model_copy(update={"person": plan.person.model_copy(update={"name": person}),
                                   "manager": plan.manager.model_copy(update={"name": manager}),
                                   "timetable": timetable.model_copy(update={"reviews": reviews}),
                                   "criteria": criteria})


def assert_valid_lines(data: bytes) -> None:
    """RFC 5545, 3.1: CRLF ends every line, none is longer than 75 octets, and a fold splits no character."""
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line
        assert 0 < len(line) <= 75, line
        line.decode("utf-8")


# Text that tests the escapes and folds: TEXT's specials, line breaks, control characters, the characters
# icalendar keeps from a fold's end, and characters of two, three and four octets at every place of a line.
TRICKY = st.text(st.one_of(st.sampled_from(list("\\,;:^\"\n\r\t\x00\x1b\x7f\x85\xa0é€\u2028𝄞😀aZ ")),
                           st.characters(exclude_categories=["Cs"])), max_size=160)


@settings(max_examples=200, deadline=None)
@given(person=TRICKY, manager=TRICKY, review=TRICKY, metric=TRICKY, timed=st.booleans())
def test_a_calendar_is_what_icalendar_writes_of_its_events(base_pip, person, manager, review, metric, timed):
    plan = renamed(base_pip, person, manager, review, metric)
    timeline = build_timeline(plan, TODAY)
    clock = LONDON_0930 if timed else None
    data = plan_calendar(plan, timeline, clock=clock)
    assert data == icalendar_writes(f"{person}: Performance improvement plan", [(plan, timeline)], clock)
    assert_valid_lines(data)
    assert feed("Team", [(plan, timeline), (plan, timeline)], clock=clock) == icalendar_writes(
        "Team", [(plan, timeline), (plan, timeline)], clock)


@settings(max_examples=200, deadline=None)
@given(person=TRICKY, review=TRICKY)
def test_names_and_titles_read_back_as_written(base_pip, person, review):
    plan = renamed(base_pip, person, "Priya Shah", review, "Conversion")
    data = plan_calendar(plan, build_timeline(plan, TODAY))
    found = events(data)
    assert str(found[uid("review/0")]["summary"]) == f"{shown(person)}: {shown(review)}"
    assert str(found[uid("review/0")]["description"]) == (
        f"{shown(review)}: a review meeting of {shown(person)}'s performance improvement plan ({PLAN_ID}), "
        "run by Priya Shah.")
    assert str(found[uid("end")]["summary"]) == f"{shown(person)}: Plan ends"
    assert calendar_name(Calendar.from_ical(data)) == f"{shown(person)}: Performance improvement plan"


@pytest.mark.parametrize("special", ["\\", ",", ";", "^", "\n", "é", "€", "😀"])
def test_a_fold_at_any_place_of_a_line_is_as_icalendar_folds(base_pip, special):
    for place in range(80):
        plan = renamed(base_pip, "J" * place + special * 3 + " Lee", "Priya Shah", "30-day review", "Conversion")
        timeline = build_timeline(plan, TODAY)
        data = plan_calendar(plan, timeline)
        assert data == icalendar_writes(f"{plan.person.name}: Performance improvement plan", [(plan, timeline)])
        assert_valid_lines(data)


def test_check_ins_at_the_same_instant_in_two_zones_name_their_own_zone(plan_of):
    # 09:30 in London and in Lisbon is one instant in November; each calendar still names its own zone.
    plan, timeline = plan_of(PIP)
    lisbon = Policy(check_in_time="09:30", timezone="Europe/Lisbon").check_in_clock
    london_data = plan_calendar(plan, timeline, clock=LONDON_0930)
    lisbon_data = plan_calendar(plan, timeline, clock=lisbon)
    assert b"DTSTART;TZID=Europe/London:20261116T093000" in london_data
    assert b"DTSTART;TZID=Europe/Lisbon:20261116T093000" in lisbon_data
    assert b"Europe/London" not in lisbon_data
    [zone] = Calendar.from_ical(lisbon_data).walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Lisbon"
