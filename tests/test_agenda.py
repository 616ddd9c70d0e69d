"""`playbook agenda`: what the running plans owe, through the real command, on plans written to a tmp `plans/`.

The example plans (tests/examples/plans/good) as of Friday 2026-11-20: Jordan Lee's PIP (Priya Shah,
HR partner Sam Ortiz) has its 60-day review on 2026-12-04, 14 days ahead; Sam Rivera's coaching plan
(Dana Brooks) runs 2026-11-16 to 2026-11-30; Alex Kim's growth plan (Priya Shah) has no HR partner.
The base PIP (tests/conftest.py) has its 30-day review and trigger on 2026-12-16.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import pytest

from conftest import COACHING, FILE_NAMES, PIP
from sitekit import BAD, GOOD

FIELDS = {"date", "plan", "person", "manager", "hr_partner", "kind", "title", "state", "days", "reminder"}
CROSSED = PIP + ("  - date: 2026-12-16\n    kind: review\n    note: 30-day review held.\n"
                 "    results: {discovery-to-demo: 20}\n")  # below the line of 24: a written warning is due


@pytest.fixture
def examples(plans_dir):
    shutil.copytree(GOOD, plans_dir, dirs_exist_ok=True)
    return plans_dir


@pytest.fixture
def agenda(cli):
    """Run `playbook agenda ARGS`; the JSON entries when `--format json` is given, else the output text."""

    def run(*args: str, code: int = 0):
        result = cli("agenda", *args)
        assert result.returncode == code, result.stderr
        return json.loads(result.stdout) if "json" in args else result.stdout

    return run


def lines_with(text: str, snippet: str) -> list[str]:
    return [line for line in text.splitlines() if snippet in line]


def test_the_60_day_review_is_listed_14_days_ahead_and_not_13(examples, agenda):
    listed = agenda("--today", "2026-11-20", "--days", "14")
    assert lines_with(listed, "60-day review") == [
        "2026-12-04  Jordan Lee (jordan-lee-pip-2026-10)       60-day review  [Priya Shah]"]
    assert "60-day review" not in agenda("--today", "2026-11-20", "--days", "13")


def test_the_text_is_grouped_with_one_line_per_entry(examples, agenda):
    listed = agenda("--today", "2026-11-20", "--days", "14").splitlines()
    assert listed[0] == ("Agenda for Fri 20 Nov 2026: overdue, today, and due up to Fri 4 Dec 2026 "
                         "(14 days ahead)")
    assert listed.index("Overdue") < listed.index("Upcoming") and "Today" not in listed
    # The 2026-11-04 milestone: 21% logged against a target of 22%.
    assert listed[listed.index("Overdue") + 1] == (
        "2026-11-04  Jordan Lee (jordan-lee-pip-2026-10)       Milestone missed: Discovery checklist in use "
        "on every first call (16 days overdue)  [Priya Shah]")


def test_filters_keep_one_managers_or_one_hr_partners_plans(examples, agenda):
    every = agenda("--today", "2026-11-20", "--days", "14", "--format", "json")
    assert {row["plan"] for row in every} == {"jordan-lee-pip-2026-10", "sam-rivera-coaching-2026-11",
                                              "alex-kim-growth-2026-10"}
    dana = agenda("--today", "2026-11-20", "--days", "14", "--manager", "dana-brooks", "--format", "json")
    assert dana and {row["plan"] for row in dana} == {"sam-rivera-coaching-2026-11"}
    sam = agenda("--today", "2026-11-20", "--days", "14", "--hr-partner", "sam-ortiz", "--format", "json")
    assert sam and {(row["plan"], row["hr_partner"]) for row in sam} == {("jordan-lee-pip-2026-10", "Sam Ortiz")}


def test_an_unknown_manager_is_a_usage_error_with_a_suggestion(examples, cli):
    result = cli("agenda", "--today", "2026-11-20", "--manager", "dana-brook", "--format", "json")
    assert (result.returncode, result.stdout) == (2, "")
    assert "no manager `dana-brook` in the plans or the roster; did you mean `dana-brooks`?" in result.stderr


def test_the_json_is_a_sorted_list_with_every_field(examples, agenda):
    rows = agenda("--today", "2026-11-20", "--days", "14", "--format", "json")
    assert all(FIELDS <= set(row) for row in rows)
    assert [(row["date"], row["plan"]) for row in rows] == sorted((row["date"], row["plan"]) for row in rows)
    review = next(row for row in rows if row["title"] == "60-day review")
    assert review == review | {"date": "2026-12-04", "plan": "jordan-lee-pip-2026-10", "person": "Jordan Lee",
                               "manager": "Priya Shah", "hr_partner": "Sam Ortiz", "kind": "review",
                               "state": "upcoming", "days": 14, "reminder": None}
    missed = next(row for row in rows if row["state"] == "overdue")
    assert (missed["kind"], missed["date"], missed["days"]) == ("milestone", "2026-11-04", -16)


def test_an_unrecorded_escalation_is_overdue_by_its_days_and_its_letter_is_ready(write_plan, agenda):
    write_plan(CROSSED)
    rows = agenda("--today", "2026-12-20", "--format", "json")
    escalation = [row for row in rows if row["kind"] == "escalation"]
    assert [(row["date"], row["days"], row["state"], row["letter"]) for row in escalation] == [
        ("2026-12-16", -4, "overdue", "written-warning")]
    assert not [row for row in rows if row["kind"] == "letter"]  # the letter is named on the escalation's line
    text = agenda("--today", "2026-12-20")
    assert lines_with(text, "Written warning") == [
        "2026-12-16  Jordan Lee (jordan-lee-pip-2026-11)  Written warning not recorded: a trigger was crossed at "
        "this review; letter ready: playbook letter jordan-lee-pip-2026-11 written-warning (4 days overdue)  "
        "[Priya Shah]"]


def test_a_recorded_escalation_is_no_longer_owed(write_plan, agenda):
    write_plan(CROSSED.change("    date: 2026-11-13\n", "    date: 2026-11-13\n  - stage: written-warning\n"
                                                          "    date: 2026-12-18\n"))
    rows = agenda("--today", "2026-12-20", "--format", "json")
    assert not [row for row in rows if row["kind"] in ("escalation", "letter")]


def test_a_missed_milestone_clears_once_the_written_warning_it_led_to_is_recorded(write_plan, agenda):
    write_plan(CROSSED)  # 20% at the 30-day review on 16 Dec: the milestone of 24% is missed
    missed = [row for row in agenda("--today", "2027-02-14", "--format", "json")
              if row["kind"] == "milestone" and row["state"] == "overdue"]
    assert [(row["date"], row["days"], row["title"]) for row in missed] == [
        ("2026-12-16", -60, "Milestone missed: Discovery checklist in use")]

    write_plan(CROSSED.change("    date: 2026-11-13\n", "    date: 2026-11-13\n  - stage: written-warning\n"
                                                        "    date: 2026-12-18\n"))
    rows = agenda("--today", "2027-02-14", "--format", "json")
    assert not [row for row in rows if row["kind"] == "milestone" and row["state"] == "overdue"]


def test_a_plan_past_its_end_is_overdue(write_plan, agenda):
    write_plan(COACHING, FILE_NAMES["coaching"])  # 28 days from 2026-11-16: ends 2026-12-14
    rows = agenda("--today", "2026-12-20", "--format", "json")
    end = [row for row in rows if row["kind"] == "end"]
    assert [(row["date"], row["days"], row["title"]) for row in end] == [
        ("2026-12-14", -6, "Plan ended, still active: record the outcome")]
    review = [row for row in rows if row["kind"] == "review"]
    assert [(row["date"], row["title"]) for row in review] == [("2026-12-14", "Four-week review not recorded as held")]


def test_a_draft_and_a_closed_plan_owe_nothing(write_plan, agenda):
    write_plan(PIP.change("status: active", "status: draft").without("acknowledgement:").without("log:"))
    write_plan(COACHING.change("status: active", "status: closed")
               + "outcome:\n  date: 2026-12-01\n  result: withdrawn\n  decision: retained\n", FILE_NAMES["coaching"])
    for today in ("2026-12-01", "2026-12-16", "2027-03-01"):
        assert agenda("--today", today, "--days", "30", "--format", "json") == []
    assert agenda("--today", "2026-12-16").endswith("\n\nNothing is due or overdue.\n")
    # As of a day before its outcome, the closed plan was running, and owed what running plans owe.
    assert {row["plan"] for row in agenda("--today", "2026-11-20", "--days", "30", "--format", "json")} == {
        "sam-rivera-coaching-2026-11"}


@pytest.mark.parametrize("today, reminder", [("2026-12-09", "in 7 days"), ("2026-12-15", "tomorrow")])
def test_reminders_at_exactly_7_days_and_1_day(write_plan, agenda, today, reminder):
    write_plan(PIP)
    rows = agenda("--today", today, "--format", "json")
    flagged = {(row["kind"], row["date"]) for row in rows if row["reminder"] == reminder}
    assert flagged == {("review", "2026-12-16"), ("milestone", "2026-12-16")}
    days = 7 if reminder == "in 7 days" else 1
    assert all(row["reminder"] is None for row in rows if row["days"] != days)
    text = agenda("--today", today)
    assert lines_with(text, "30-day review") == [
        f"2026-12-16  Jordan Lee (jordan-lee-pip-2026-11)  30-day review (reminder: {reminder})  [Priya Shah]"]


def test_no_reminder_on_other_days(write_plan, agenda):
    write_plan(PIP)
    today = date(2026, 12, 16) - timedelta(days=5)
    rows = agenda("--today", today.isoformat(), "--format", "json")
    assert rows and all(row["reminder"] is None for row in rows)


def test_markdown_has_a_table_per_group(write_plan, agenda):
    write_plan(CROSSED.change("  name: Jordan Lee", '  name: "Jordan | *Lee*"'))
    text = agenda("--today", "2026-12-21", "--format", "markdown")
    assert text.startswith("## Agenda for Mon 21 Dec 2026")
    header = "| Date | Person | Plan | What | Manager |"
    for heading in ("### Overdue", "### Today"):
        at = text.index(heading)
        assert text[at:].split("\n")[2:4] == [header, "| --- | --- | --- | --- | --- |"]
    assert "### Upcoming" in text
    assert ("| 2026-12-21 | Jordan \\| \\*Lee\\* | `jordan-lee-pip-2026-11` | Check-in | Priya Shah |"
            in text.splitlines())


def test_the_agenda_needs_clean_plans(plans_dir, cli):
    shutil.copy(next(BAD.rglob("*.yaml")), plans_dir / "broken.yaml")
    result = cli("agenda", "--today", "2026-11-20")
    assert (result.returncode, result.stdout) == (1, "")
    assert "error" in result.stderr and "the agenda needs plans that pass the check" in result.stderr


@pytest.mark.parametrize("args", [("--days", "-1"), ("--days", "soon"), ("--format", "csv"), ("--today", "tomorrow")])
def test_usage_errors_exit_2(examples, cli, args):
    result = cli("agenda", *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_no_plans_folder_is_a_usage_error(cli):
    result = cli("agenda", "--today", "2026-11-20")
    assert result.returncode == 2 and "no plans folder" in result.stderr


def test_private_text_is_never_printed(write_plan, cli):
    write_plan(CROSSED + "private: Salary under review.\n")
    for form in ("text", "markdown", "json"):
        result = cli("agenda", "--today", "2026-12-20", "--format", form)
        assert result.returncode == 0 and "Salary" not in result.stdout + result.stderr


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_bidirectional_controls_in_a_name_are_shown_escaped(write_plan, agenda, form):
    write_plan(CROSSED.change("  name: Jordan Lee\n", '  name: "Jordan \\u202eeeL\\u2066 \\e[2J"\n'))

    listed = agenda("--today", "2026-12-17", "--format", form)

    shown = "Jordan \\u202eeeL\\u2066 \\x1b[2J"
    assert (shown if form == "text" else shown.replace("\\", "\\\\").replace("[", "\\[")) in listed
    assert not any(c in listed for c in "\u202e\u2066\x1b")
