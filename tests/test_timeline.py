"""The timeline: what is due, done or missed, against small plans whose answers are worked out by hand.

The base PIP (tests/conftest.py) starts Monday 2026-11-16 and runs 90 days to 2027-02-14, with
Monday check-ins, reviews on 2026-12-16 and 2027-02-14, a trigger (below 24 by 2026-12-16, then a
written warning), milestones of 24 on 2026-12-16 and 30 on 2027-02-14, both signatures on
2026-11-16 and one check-in logged that day.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import COACHING, GROWTH, PIP
from growth import LINEAR, growth
from generator.check import check_paths
from generator.config import Policy
from generator.timeline import build_timeline


@pytest.fixture
def timeline_of(write_plan):
    def make(text: str, today: date, name: str = "emea-west/jordan-lee-pip-2026-11.yaml", allowed=()):
        result = check_paths([write_plan(text, name)], Policy(), today)
        errors = [f for f in result.findings if f.severity == "error" and f.code not in allowed]
        assert not errors, errors
        return build_timeline(result.plan_files[0].plan, today)

    return make


def states(timeline, kind: str) -> list[tuple[date, str]]:
    return [(item.date, item.state) for item in timeline.of_kind(kind)]


def with_log(plan: str, *entries: str) -> str:
    return plan + "".join(entries)


REVIEW_22 = "  - date: 2026-12-16\n    kind: review\n    note: 30-day review.\n    results: {discovery-to-demo: 22}\n"
REVIEW_25 = REVIEW_22.replace("22}", "25}")


def test_a_signed_pip_in_its_first_week(timeline_of):
    t = timeline_of(PIP, date(2026, 11, 20))
    assert states(t, "check-in")[:2] == [(date(2026, 11, 16), "done"), (date(2026, 11, 23), "upcoming")]
    assert (t.check_ins_expected, t.check_ins_held) == (1, 1)
    assert states(t, "acknowledgement") == [(date(2026, 11, 23), "done")]
    assert [(s.criterion.id, s.verdict) for s in t.triggers] == [("discovery-to-demo", "pending")]
    assert states(t, "review") == [(date(2026, 12, 16), "upcoming"), (date(2027, 2, 14), "upcoming")]
    assert states(t, "end") == [(date(2027, 2, 14), "upcoming")]
    assert t.missed == [] and t.escalations == ()
    assert t.next().date == date(2026, 11, 23) and t.next("review").date == date(2026, 12, 16)


def test_an_item_dated_today_is_due_not_missed(timeline_of):
    monday = date(2026, 11, 23)
    t = timeline_of(PIP, monday)
    assert (monday, "due") in states(t, "check-in")
    assert t.check_ins_expected == 1  # today's check-in may still be held
    t = timeline_of(PIP, date(2026, 11, 24))
    assert (monday, "missed") in states(t, "check-in")
    assert (t.check_ins_expected, t.check_ins_held) == (2, 1)
    t = timeline_of(PIP, date(2026, 12, 16))
    assert states(t, "review")[0] == (date(2026, 12, 16), "due")
    assert states(t, "trigger") == [(date(2026, 12, 16), "due")]


def test_a_check_in_is_done_only_when_the_log_has_one_that_day(timeline_of):
    moved = with_log(PIP, "  - {date: 2026-11-24, kind: check-in, note: Moved to Tuesday.}\n")
    t = timeline_of(moved, date(2026, 11, 25))
    assert (date(2026, 11, 23), "missed") in states(t, "check-in")
    assert (t.check_ins_expected, t.check_ins_held) == (2, 2)  # held: the days with a check-in logged


def test_a_trigger_crossed_at_the_review_on_its_date(timeline_of):
    t = timeline_of(with_log(PIP, REVIEW_22), date(2026, 12, 18))
    [trigger] = t.triggers
    assert (trigger.verdict, trigger.review_on, trigger.result) == ("crossed", date(2026, 12, 16), 22)
    assert states(t, "review")[0] == (date(2026, 12, 16), "done")
    assert [(m.verdict, m.results) for m in t.milestones][0] == ("missed", {"discovery-to-demo": 22})
    [due] = t.escalations
    assert (due.stage, due.since, due.recorded_on, due.days_overdue(date(2026, 12, 18))) == (
        "written-warning", date(2026, 12, 16), None, 2)
    assert states(t, "escalation") == [(date(2026, 12, 16), "missed")]


def test_a_recorded_escalation_is_done(timeline_of):
    plan = with_log(PIP, REVIEW_22).change(
        "escalation:\n  - stage: conversation\n    date: 2026-11-13\n",
        "escalation:\n  - stage: conversation\n    date: 2026-11-13\n  - stage: written-warning\n    date: 2026-12-17\n")
    t = timeline_of(plan, date(2026, 12, 18))
    assert t.escalation("written-warning").recorded_on == date(2026, 12, 17)
    assert states(t, "escalation") == [(date(2026, 12, 16), "done")]


def test_a_trigger_cleared_and_a_milestone_met(timeline_of):
    t = timeline_of(with_log(PIP, REVIEW_25), date(2026, 12, 18))
    assert [s.verdict for s in t.triggers] == ["cleared"]
    assert t.milestones[0].verdict == "met" and t.escalations == ()


def test_earlier_results_never_decide_a_trigger(timeline_of):
    # A result below the line at a check-in before the review: the milestone reads it, the trigger does not.
    low = "  - date: 2026-12-14\n    kind: check-in\n    note: Slow week.\n    results: {discovery-to-demo: 20}\n"
    t = timeline_of(with_log(PIP, low), date(2026, 12, 15))
    assert [s.verdict for s in t.triggers] == ["pending"]
    t = timeline_of(with_log(PIP, low), date(2026, 12, 17))
    assert [s.verdict for s in t.triggers] == ["undecided"]  # the review was never logged
    assert states(t, "trigger") == [(date(2026, 12, 16), "missed")]
    assert t.milestones[0].verdict == "missed" and t.milestones[0].results == {"discovery-to-demo": 20}
    assert states(t, "review")[0] == (date(2026, 12, 16), "missed")


def test_a_late_review_is_held_but_cannot_decide_a_trigger_dated_before_it(timeline_of):
    late = REVIEW_22.replace("2026-12-16", "2026-12-18")
    t = timeline_of(with_log(PIP, late), date(2026, 12, 20))
    assert t.reviews[0].held_on == date(2026, 12, 18)
    assert [s.verdict for s in t.triggers] == ["undecided"]


def test_one_review_entry_holds_one_review(timeline_of):
    # Only the final review is logged: it holds the final review, not the skipped first one.
    final = "  - date: 2027-02-14\n    kind: review\n    note: Final review.\n    results: {discovery-to-demo: 31}\n"
    t = timeline_of(with_log(PIP, final), date(2027, 2, 14))
    assert [r.held_on for r in t.reviews] == [None, date(2027, 2, 14)]
    assert (t.reviews_held, t.reviews_due) == (1, 2)


def test_a_declined_signature_counts_as_acknowledged_on_its_day(timeline_of):
    declined = PIP.change("  person: 2026-11-16\n", "  person: {declined: 2026-11-18, witness: sam-ortiz}\n")
    t = timeline_of(declined, date(2026, 11, 20))
    [ack] = t.of_kind("acknowledgement")
    assert (ack.state, ack.done_on) == ("done", date(2026, 11, 18))


def test_a_missing_acknowledgement_is_missed_after_the_deadline(timeline_of):
    draftless = PIP.without("acknowledgement:")
    name, unsigned = "emea-west/jordan-lee-pip-2026-11.yaml", ("PB404",)  # check refuses it; the timeline says why
    t = timeline_of(draftless, date(2026, 11, 23), name, unsigned)
    assert states(t, "acknowledgement") == [(date(2026, 11, 23), "due")]
    t = timeline_of(draftless, date(2026, 11, 24), name, unsigned)
    assert states(t, "acknowledgement") == [(date(2026, 11, 23), "missed")]


def test_a_draft_owes_nothing_yet(timeline_of):
    draft = PIP.change("status: active", "status: draft").without("acknowledgement:").without("log:")
    t = timeline_of(draft, date(2026, 12, 20))
    assert {item.state for item in t.items} == {"upcoming"}
    assert (t.check_ins_expected, t.check_ins_held) == (0, 0)


def test_a_closed_plan_owes_nothing_after_its_outcome(timeline_of):
    closed = with_log(PIP, REVIEW_25).change("status: active", "status: closed") + (
        "outcome:\n  date: 2026-12-21\n  result: met\n  decision: retained\n")
    t = timeline_of(closed, date(2027, 3, 1))
    assert max(day for day, _ in states(t, "check-in")) == date(2026, 12, 21)
    assert states(t, "end") == [(date(2027, 2, 14), "done")]
    assert [r.date for r in t.reviews if r.held_on] == [date(2026, 12, 16)]
    assert (date(2027, 2, 14), "missed") not in states(t, "review")
    assert t.check_ins_expected == 6  # Mondays 16 Nov to 21 Dec


def test_a_running_plan_past_its_end(timeline_of):
    t = timeline_of(PIP, date(2027, 2, 15))
    assert states(t, "end") == [(date(2027, 2, 14), "missed")]
    assert t.next() is None and "end" in [item.kind for item in t.overdue]
    assert t.next_due() is not None


# Next due: the most urgent item, overdue first

def test_next_due_is_the_overdue_review_not_the_check_in_of_the_day(timeline_of):
    t = timeline_of(PIP, date(2026, 12, 21))  # Monday: a check-in today; the 30-day review of 16 Dec not held
    assert t.next().kind == "check-in"
    due = t.next_due()
    assert (due.item.kind, due.item.date, due.days_overdue) == ("review", date(2026, 12, 16), 5)
    assert due.text == "Wed 16 Dec 2026: 30-day review (5 days overdue)"


def test_next_due_without_anything_overdue_is_the_next_open_item(timeline_of):
    due = timeline_of(PIP, date(2026, 11, 20)).next_due()
    assert (due.item.kind, due.days_overdue, due.text) == ("check-in", 0, "Mon 23 Nov 2026: Check-in")


def test_a_missed_milestone_is_owed_until_the_escalation_it_led_to_is_recorded(timeline_of):
    crossed = with_log(PIP, REVIEW_22)  # 22% at the 30-day review: milestone missed, written warning due
    t = timeline_of(crossed, date(2027, 1, 10))
    assert [(item.kind, item.date) for item in t.overdue] == [
        ("milestone", date(2026, 12, 16)), ("escalation", date(2026, 12, 16))]
    recorded = crossed.change("    date: 2026-11-13\n", "    date: 2026-11-13\n  - stage: written-warning\n"
                                                       "    date: 2026-12-18\n")
    t = timeline_of(recorded, date(2027, 1, 10))
    assert t.overdue == [] and t.milestones[0].verdict == "missed"  # still missed, but handled


def test_a_missed_milestone_is_handled_by_a_later_review(timeline_of):
    reviews = ("  - date: 2027-02-12\n    kind: self-review\n    note: Mid-point self-review, three weeks late.\n")
    late = GROWTH.change("- date: 2027-02-12\n      title: Mid-point", "- date: 2027-01-19\n      title: Mid-point")
    late = late.change("  - date: 2027-02-12\n    title: Half the gap closed", "  - date: 2027-01-19\n    title: Half the gap closed")
    t = timeline_of(late, date(2027, 2, 1), "emea-west/alex-kim-growth-2026-11.yaml")
    assert ("milestone", date(2027, 1, 19)) in [(item.kind, item.date) for item in t.overdue]
    t = timeline_of(with_log(late, reviews), date(2027, 2, 15), "emea-west/alex-kim-growth-2026-11.yaml")
    assert [(item.kind, item.date) for item in t.overdue] == []


def test_standings_read_results_logged_up_to_today(timeline_of):
    t = timeline_of(with_log(PIP, REVIEW_22), date(2026, 12, 15))
    assert t.standing("discovery-to-demo").latest is None
    t = timeline_of(with_log(PIP, REVIEW_22), date(2026, 12, 16))
    standing = t.standing("discovery-to-demo")
    assert (standing.latest, standing.latest_date, standing.percent, standing.met) == (22, date(2026, 12, 16), 33, False)


def test_growth_and_coaching_plans_have_no_acknowledgement_deadline(timeline_of):
    growth = timeline_of(GROWTH, date(2026, 11, 20), "emea-west/alex-kim-growth-2026-11.yaml")
    coaching = timeline_of(COACHING, date(2026, 11, 20), "na-east/sam-rivera-coaching-2026-11.yaml")
    assert growth.acknowledgement_deadline is None and coaching.acknowledgement_deadline is None
    assert (coaching.check_ins_expected, coaching.check_ins_held) == (2, 2)  # Mon 16 and Thu 19 Nov
    assert states(growth, "check-in")[:2] == [(date(2026, 11, 17), "done"), (date(2026, 12, 1), "upcoming")]


def _long_plan(count: int):
    """The base PIP with `count` reviews, milestones and review entries (each with a result), one a day."""
    from datetime import timedelta

    from generator.load import load_bytes
    from generator.model import Plan

    data = load_bytes(PIP.encode()).data
    start = date(2026, 11, 16)
    days = [start + timedelta(days=1 + index % 3000) for index in range(count)]
    data["timetable"] = {**data["timetable"], "days": 3100,
                         "reviews": [{"date": day, "title": f"Review {n}"} for n, day in enumerate(days)]}
    data["criteria"] = [{key: value for key, value in data["criteria"][0].items() if key != "trigger"}]
    data["milestones"] = [{"date": day, "title": f"M {n}", "targets": {"discovery-to-demo": 24}}
                          for n, day in enumerate(days)]
    data["log"] = [{"date": day, "kind": "review", "note": "Held.", "results": {"discovery-to-demo": n % 40}}
                   for n, day in enumerate(days)]
    return Plan.model_validate(data)


def test_a_timeline_grows_in_proportion_to_the_plan():
    # Four times the reviews, milestones and log entries cost about four times as much: a pass over
    # every pair of them would cost sixteen.
    def timeline(plan):
        built = build_timeline(plan, date(2040, 1, 1))
        assert sum(review.held_on is not None for review in built.reviews) == len(plan.timetable.reviews)

    assert growth(timeline, _long_plan, 1500) < LINEAR
