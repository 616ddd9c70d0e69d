"""The HR view: health, the compliance dashboard, people pages and plans.json, with figures worked out by hand.

Small plans are written to real files and go through the real pipeline (`generator.build.build`,
as the plugin calls it); the site-level promises are checked on a real `mkdocs build --strict`
of the example plans with `PLAYBOOK_TODAY=2026-11-20`.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from jsonschema import Draft7Validator

from conftest import COACHING, GROWTH, PIP, TODAY
from generator.audience import Audience
from generator.build import build
from generator.compliance import compliance
from generator.config import Policy, Project, Settings
from generator.cli import main
from generator.render.dashboard import PLANS_CSV, PLANS_JSON, PLANS_SCHEMA
from generator.timeline import health
from sitekit import GOOD, REPO, Page, make_project, mkdocs_build

REVIEW = "  - date: 2026-12-16\n    kind: review\n    note: 30-day review.\n    results: {{discovery-to-demo: {value}}}\n"


def project_with(tmp_path: Path, plans: dict[str, str], settings: Settings | None = None) -> Project:
    for name, text in plans.items():
        path = tmp_path / "plans" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project(tmp_path / "mkdocs.yml", {"docs_dir": str(REPO / "playbook")}, settings or Settings())


def built(tmp_path, plans, today=TODAY, audience="all"):
    result = build(project_with(tmp_path, plans), today=today, audience=Audience.parse(audience))
    assert not result.failed(), result.failing()
    return result


def health_of(result, plan_id):
    return next(health(c.timeline) for c in result.plans if c.plan.id == plan_id)


# --------------------------------------------------------------------------------------------
# Health
# --------------------------------------------------------------------------------------------

PIP_NAME = "emea-west/jordan-lee-pip-2026-11.yaml"


def test_a_plan_that_missed_a_milestone_and_crossed_a_trigger_is_off_track(tmp_path):
    result = built(tmp_path, {PIP_NAME: PIP + REVIEW.format(value=20)}, today=date(2026, 12, 17))
    assert health_of(result, "jordan-lee-pip-2026-11") == "off-track"


def test_a_plan_that_met_its_milestone_and_cleared_its_trigger_is_on_track(tmp_path):
    weekly = "".join(f"  - {{date: {day}, kind: check-in, note: Weekly.}}\n"
                     for day in ("2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"))
    result = built(tmp_path, {PIP_NAME: PIP + weekly + REVIEW.format(value=26)}, today=date(2026, 12, 17))
    assert health_of(result, "jordan-lee-pip-2026-11") == "on-track"


def test_too_few_check_ins_put_a_plan_at_risk(tmp_path):
    result = built(tmp_path, {PIP_NAME: PIP}, today=date(2026, 12, 8))  # 1 of 4 Mondays logged
    assert health_of(result, "jordan-lee-pip-2026-11") == "at-risk"


def test_a_review_not_held_puts_a_plan_at_risk_at_least(tmp_path):
    weekly = "".join(f"  - {{date: {day}, kind: check-in, note: Weekly.}}\n"
                     for day in ("2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"))
    result = built(tmp_path, {PIP_NAME: PIP + weekly}, today=date(2026, 12, 17))
    assert health_of(result, "jordan-lee-pip-2026-11") in ("at-risk", "off-track")


# --------------------------------------------------------------------------------------------
# The dashboard's figures, by hand
# --------------------------------------------------------------------------------------------

def test_dashboard_figures_for_two_managers(tmp_path):
    # Priya: the PIP (1 of 2 Mondays logged by 2026-11-24 ... see below) and the growth plan (1 of 1).
    # Dana: the coaching plan, 2 of 2 check-ins (Mon 16 and Thu 19 Nov) before 2026-11-20.
    plans = {PIP_NAME: PIP, "emea-west/alex-kim-growth-2026-11.yaml": GROWTH,
             "na-east/sam-rivera-coaching-2026-11.yaml": COACHING}
    result = built(tmp_path, plans, today=date(2026, 11, 24))
    figures = compliance(result.plans)
    rows = {row.id: row for row in figures.managers}
    priya, dana = rows["priya-shah"], rows["dana-brooks"]
    # PIP: Mondays 16 and 23 Nov expected, 16 held; ack due 23 Nov, signed 16 Nov. Growth: Tue 17 Nov held.
    assert (priya.check_ins_held_counted, priya.check_ins_expected) == (2, 3)
    assert (priya.acknowledgements_due, priya.acknowledgements_missing, priya.acknowledgements_late) == (1, 0, 0)
    assert priya.rate == pytest.approx(3 / 4)
    # Coaching: Mon 16, Thu 19 and Mon 23 Nov expected; 16 and 19 held.
    assert (dana.check_ins_held_counted, dana.check_ins_expected, dana.rate) == (2, 3, pytest.approx(2 / 3))
    assert [row.id for row in figures.managers] == ["dana-brooks", "priya-shah"]  # worst first
    assert [row.id for row in figures.hr_partners] == ["sam-ortiz"]
    org = figures.organisation
    assert (org.people, org.on_growth_plan, org.on_pip) == (3, 1, 1)


def test_an_unrecorded_escalation_is_counted_with_its_days(tmp_path):
    result = built(tmp_path, {PIP_NAME: PIP + REVIEW.format(value=20)}, today=date(2026, 12, 20))
    [row] = compliance(result.plans).managers
    [overdue] = row.escalations_overdue
    assert (overdue.stage, overdue.since, overdue.days) == ("written-warning", date(2026, 12, 16), 4)
    page = result.pages["compliance/index.md"].complete_markdown()
    assert "0 of 1</td>" in page  # escalations recorded, of those called for
    assert "Priya Shah: Jordan Lee, a written warning due since Wed 16 Dec 2026 (4 days overdue)" in page


def test_pip_success_rate_and_days_to_escalation(tmp_path):
    closed = (PIP + REVIEW.format(value=20)).change("status: active", "status: closed").change(
        "escalation:\n  - stage: conversation\n    date: 2026-11-13\n",
        "escalation:\n  - stage: conversation\n    date: 2026-11-13\n  - stage: written-warning\n    date: 2026-12-19\n",
    ) + "outcome:\n  date: 2027-02-14\n  result: met\n  decision: retained\n"
    result = built(tmp_path, {PIP_NAME: closed}, today=date(2027, 3, 1))
    org = compliance(result.plans).organisation
    assert (org.pips_closed, org.pips_met, org.pip_success) == (1, 1, 1.0)
    assert org.days_to_escalation == [3] and org.median_days_to_escalation == 3


def test_the_roster_shows_who_has_no_growth_plan(tmp_path):
    roster = "teams:\n  emea-west:\n    manager: priya-shah\n    members: [jordan-lee, alex-kim, noor-ali]\n"
    result = built(tmp_path, {PIP_NAME: PIP, "emea-west/alex-kim-growth-2026-11.yaml": GROWTH,
                              "_roster.yaml": roster})
    page = result.pages["compliance/index.md"].complete_markdown()
    assert "jordan-lee" in page and "noor-ali" in page
    assert "alex\\-kim and" not in page and "alex-kim and" not in page


def test_a_broken_roster_is_a_located_finding(tmp_path):
    result = build(project_with(tmp_path, {PIP_NAME: PIP, "_roster.yaml": "teams:\n  emea-west:\n    managr: x\n"}),
                   today=TODAY, audience=Audience("all"))
    found = [f for f in result.findings if f.code == "PB119"]
    assert (3, 5) in [(f.line, f.col) for f in found] and all(f.path.endswith("_roster.yaml") for f in found)
    assert result.failed()


def test_the_dashboard_keeps_to_one_manager_when_asked(tmp_path):
    plans = {PIP_NAME: PIP, "na-east/sam-rivera-coaching-2026-11.yaml": COACHING}
    result = built(tmp_path, plans, audience="manager:dana-brooks")
    page = result.pages["compliance/index.md"].complete_markdown()
    assert "Dana Brooks" in page and "Priya Shah" not in page and "Sam Ortiz" not in page


# --------------------------------------------------------------------------------------------
# People pages and plans.json
# --------------------------------------------------------------------------------------------

def test_a_persons_page_lists_growth_then_coaching_then_pip(tmp_path):
    coaching = COACHING.change("  name: Sam Rivera\n  id: sam-rivera", "  name: Jordan Lee\n  id: jordan-lee").change(
        "  team: na-east", "  team: emea-west").change("  name: Dana Brooks\n  id: dana-brooks",
                                                        "  name: Priya Shah\n  id: priya-shah")
    growth = GROWTH.change("  name: Alex Kim\n  id: alex-kim", "  name: Jordan Lee\n  id: jordan-lee")
    result = built(tmp_path, {PIP_NAME: PIP.change("kind: pip\n", "kind: pip\nfollows: jordan-lee-coaching-2026-11\n"),
                              "emea-west/jordan-lee-coaching-2026-11.yaml": coaching,
                              "emea-west/jordan-lee-growth-2026-11.yaml": growth})
    page = result.pages["people/jordan-lee/index.md"].complete_markdown()
    order = [page.index(f"jordan-lee-{kind}-2026-11") for kind in ("growth", "coaching", "pip")]
    assert order == sorted(order)
    plan_page = result.pages["plans/jordan-lee-pip-2026-11/index.md"].complete_markdown()
    assert "Grew out of" in plan_page and 'href="../jordan-lee-coaching-2026-11/"' in plan_page


def test_plans_json_is_valid_complete_and_byte_identical(tmp_path):
    plans = {PIP_NAME: PIP + "private: SECRET-IN-JSON\n", "na-east/sam-rivera-coaching-2026-11.yaml": COACHING}
    first = built(tmp_path, plans).assets[PLANS_JSON]
    second = built(tmp_path, plans).assets[PLANS_JSON]
    assert first == second and "SECRET-IN-JSON" not in first
    document = json.loads(first)
    assert list(Draft7Validator(PLANS_SCHEMA).iter_errors(document)) == []
    assert [row["id"] for row in document["plans"]] == ["jordan-lee-pip-2026-11", "sam-rivera-coaching-2026-11"]
    assert {row["health"] for row in document["plans"]} <= {"on-track", "at-risk", "off-track"}
    assert document["plans"][0]["next_due"] == {"date": "2026-11-23", "kind": "check-in", "title": "Check-in",
                                                 "days_overdue": 0}
    assert document["generator"]["name"] == "playbook" and document["generator"]["version"]


def test_the_compliance_chart_rounds_each_rate_as_the_table_does(tmp_path):
    # As of 17 December: 1 of 5 check-ins, 0 of 1 review, signed on time: 2 of 7, 28.6%.
    page = built(tmp_path, {PIP_NAME: PIP}, today=date(2026, 12, 17)).pages["compliance/index.md"].complete_markdown()
    [row] = [line for line in page.splitlines() if line.startswith("<tr><td>Priya Shah</td>")]
    assert row.endswith('<td data-label="Compliance" class="pb-number">29%</td></tr>')
    chart = ElementTree.fromstring(page[page.index("<svg"):page.index("</svg>") + len("</svg>")])
    words = [" ".join(element.itertext()) for element in chart.iter()]
    assert "29%" in words and not [text for text in words if "28.6" in text]
    assert "Priya Shah (manager): 29%; Sam Ortiz (HR partner): 29%." in words  # the description, in the same words


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_plans_csv_has_a_row_per_plan_with_its_dates_what_is_due_and_its_figures(tmp_path):
    # The coaching plan runs 28 days after Monday 16 November: it ends Monday 14 December, its review not held.
    result = built(tmp_path, {PIP_NAME: PIP + "private: SECRET-IN-CSV\n",
                              "na-east/sam-rivera-coaching-2026-11.yaml": COACHING}, today=date(2026, 12, 17))
    text = result.assets[PLANS_CSV]
    assert "SECRET-IN-CSV" not in text
    pip, coaching = csv_rows(text)
    assert pip == {
        "id": "jordan-lee-pip-2026-11", "person": "Jordan Lee", "person_id": "jordan-lee", "team": "emea-west",
        "manager": "Priya Shah", "manager_id": "priya-shah", "hr_partner": "Sam Ortiz", "hr_partner_id": "sam-ortiz",
        "kind": "pip", "status": "active", "health": "Off track", "first_day": "2026-11-16", "last_day": "2027-02-14",
        "calendar_days": "91", "next_due_date": "2026-12-16", "next_due": "30-day review", "days_overdue": "1",
        # Mondays 16 Nov to 14 Dec: 5 expected, 1 logged; the 30-day review of 16 Dec is owed; signed on time.
        "check_ins_held": "1", "check_ins_expected": "5", "reviews_held": "0", "reviews_due": "1",
        "acknowledgement": "on time", "escalations_called_for": "0", "escalations_overdue": "0",
        "compliance_rate_percent": "29"}  # (1 + 0 + 1) / (5 + 1 + 1) = 28.6%, rounded as the dashboard rounds it
    assert (coaching["hr_partner"], coaching["last_day"], coaching["calendar_days"]) == ("", "2026-12-14", "29")
    # Past its end and its review not held, but its first milestone (no result logged) is the longest overdue.
    assert (coaching["next_due_date"], coaching["next_due"], coaching["days_overdue"]) == (
        "2026-11-30", "Milestone: Day plan followed for two weeks", "17")


def test_plans_csv_cells_that_a_spreadsheet_would_run_are_text(tmp_path):
    hostile = (PIP.change("  name: Jordan Lee", '  name: "=HYPERLINK(\\"http://evil.invalid\\")"')
               .change("  name: Priya Shah", '  name: "+1 Priya"').change("  name: Sam Ortiz", '  name: "@SUM(A1)"')
               .change("  role: Account Executive", '  role: "-2 AE"'))
    [row] = csv_rows(built(tmp_path, {PIP_NAME: hostile}).assets[PLANS_CSV])
    assert (row["person"], row["manager"], row["hr_partner"]) == (
        "'=HYPERLINK(\"http://evil.invalid\")", "'+1 Priya", "'@SUM(A1)")
    assert row["days_overdue"] == "0" and row["first_day"] == "2026-11-16"


def test_export_format_csv_writes_the_sites_plans_csv(tmp_path, monkeypatch, capsys):
    root = make_project(tmp_path / "site", GOOD)
    monkeypatch.chdir(root)
    monkeypatch.delenv("PLAYBOOK_TODAY", raising=False)
    assert main(["export", str(tmp_path / "out"), "--format", "csv", "--today", "2026-11-20"]) == 0
    rows = csv_rows((tmp_path / "out" / PLANS_CSV).read_text(encoding="utf-8"))
    assert [row["id"] for row in rows] == ["alex-kim-growth-2026-10", "jordan-lee-pip-2026-10",
                                           "sam-rivera-coaching-2026-11"]
    assert rows[1]["days_overdue"] == "16" and rows[1]["last_day"] == "2027-01-03"


def test_with_a_check_in_time_the_sites_calendars_hold_timed_check_ins(tmp_path):
    policy = Policy(check_in_time="08:45", timezone="America/New_York")
    result = build(project_with(tmp_path, {PIP_NAME: PIP}, Settings(policy=policy)), today=TODAY,
                   audience=Audience.parse("all"))
    for uri in ("plans/jordan-lee-pip-2026-11/plan.ics", "managers/priya-shah/plans.ics", "teams/emea-west/plans.ics"):
        ics = result.assets[uri]
        assert b"DTSTART;TZID=America/New_York:20261116T084500" in ics and b"TZID:America/New_York" in ics, uri
    default = built(tmp_path / "default", {PIP_NAME: PIP}).assets["plans/jordan-lee-pip-2026-11/plan.ics"]
    assert b"DTSTART;VALUE=DATE:20261116" in default and b"VTIMEZONE" not in default


# --------------------------------------------------------------------------------------------
# The examples, built as a user builds them
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("hr") / "site", GOOD)
    done = mkdocs_build(root / "mkdocs.yml")
    assert done.returncode == 0, done.output
    return root / "site"


def test_compliance_lists_every_manager_and_hr_partner_with_their_rates(site):
    page = Page(site, "compliance/")
    # Two header rows: the groups (Plans; Done, of those owed), then the columns under them.
    assert page.rows("Managers")[0] == ["Manager", "Plans", "Done, of those owed", "Past their end", "Compliance"]
    managers = [row[0] for row in page.rows("Managers")[2:]]
    assert sorted(managers) == ["Dana Brooks", "Priya Shah"]
    assert [row[0] for row in page.rows("HR partners")[2:]] == ["Sam Ortiz"]
    assert all(row[-1].endswith("%") for row in page.rows("Managers")[2:] + page.rows("HR partners")[2:])
    assert "How the figures are computed" in page.headings


def test_plans_json_gives_every_example_plan_its_health(site):
    document = json.loads((site / "plans.json").read_text(encoding="utf-8"))
    assert len(document["plans"]) == 3 and all(row["health"] for row in document["plans"])
    assert (site / "schema" / "plans.schema.json").is_file()


def test_every_plan_page_shows_its_health(site):
    page = Page(site, "plans/jordan-lee-pip-2026-10/")
    assert any(row[0] == "Health" for row in page.rows(""))


def test_jordans_calendar_holds_his_reviews_and_check_ins(site):
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    page = Page(site, "plans/jordan-lee-pip-2026-10/")
    [link] = [link.href for link in page.links if link.href.endswith("plan.ics")]
    calendar = Calendar.from_ical((site / "plans" / "jordan-lee-pip-2026-10" / link).read_bytes())
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    starts = {str(event["SUMMARY"]): event.decoded("DTSTART") for event in events.values()}
    assert starts["Jordan Lee: 30-day review"] == date(2026, 11, 4)
    [check_ins] = [event for event in events.values() if "RRULE" in event]
    rule = rrulestr(check_ins["RRULE"].to_ical().decode(), dtstart=check_ins.decoded("DTSTART"))
    days = [day.date() if hasattr(day, "date") else day for day in rule]
    assert len(days) > 20 and days[-1] <= date(2027, 1, 3)
    assert {day.weekday() for day in days} == {0, 3}  # Monday and Thursday
    assert len(set(events)) == len(events)  # stable, distinct UIDs


def test_feeds_per_manager_and_team_hold_their_plans_only(site):
    from icalendar import Calendar

    priya = Calendar.from_ical((site / "managers" / "priya-shah" / "plans.ics").read_bytes())
    summaries = {str(event["SUMMARY"]) for event in priya.walk("VEVENT")}
    assert any(s.startswith("Jordan Lee") for s in summaries) and not any("Sam Rivera" in s for s in summaries)
    team = Calendar.from_ical((site / "teams" / "na-east" / "plans.ics").read_bytes())
    assert all("Sam Rivera" in str(event["SUMMARY"]) for event in team.walk("VEVENT"))
    assert Page(site, "managers/priya-shah/").links_to("managers/priya-shah/plans.ics")


def test_jordans_page_has_an_accessible_chart_of_conversion_against_its_target(site):
    page = Page(site, "plans/jordan-lee-pip-2026-10/")
    [chart] = page.select('svg[aria-labelledby^="chart-discovery-to-demo"]')
    assert chart["role"] == "img"
    title = chart.find("title").get_text()
    desc = chart.find("desc").get_text()
    assert title == "Discovery-to-demo conversion over time"
    assert "21%" in desc and "30%" in desc and "24%" in desc
    assert "Target 30%" in chart.get_text() and "Trigger 24%" in chart.get_text()


def test_listings_show_health_and_next_due_and_never_repeat_a_shared_column(site):
    plans = Page(site, "plans/").rows("")
    assert plans[0] == ["Person", "Kind", "Status", "Health", "Next due", "Team", "Manager"]
    jordan = next(row for row in plans if row[0] == "Jordan Lee")
    assert jordan[3] == "Off track" and jordan[4] == (
        "Wed 4 Nov 2026: Milestone: Discovery checklist in use on every first call (16 days overdue)")
    assert Page(site, "teams/emea-west/").rows("")[0] == ["Person", "Kind", "Status", "Health", "Next due", "Manager"]
    assert Page(site, "managers/priya-shah/").rows("")[0] == ["Person", "Kind", "Status", "Health", "Next due", "Team"]
