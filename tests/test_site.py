"""End-to-end tests of the published site: real `mkdocs build --strict` runs on real folders.

Each site is a copy of the repository's `mkdocs.yml` and `playbook/` in a tmp folder, with plan
records under `plans/`, built once per module by the installed `mkdocs` command with
`PLAYBOOK_TODAY` set; the tests read the HTML a user would open. They follow the issue's
acceptance list (numbers in the section comments).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from sitekit import (BAD, GOOD, REPO, TODAY, Built, Link, Page, build_site, fetch, files_holding, in_process,
                     make_project, mkdocs_serve, require_ok, snapshot)

JORDAN = "plans/jordan-lee-pip-2026-10/"
SAM = "plans/sam-rivera-coaching-2026-11/"
ALEX = "plans/alex-kim-growth-2026-10/"

SECRET = "SECRET-TOKEN-123"
# Every kind of markup a record's text could smuggle in: HTML, a Markdown link, emphasis, Jinja.
HOSTILE = "<script>alert(1)</script> [click](javascript:alert(1)) **bold** {{ 7 * 7 }} {% raw %}"


def plan_records(plans: Path) -> list[dict]:
    records = []
    for path in sorted(plans.rglob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        record.setdefault("id", path.stem)
        records.append(record)
    return records


# --------------------------------------------------------------------------------------------
# The sites, each built once per module
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Built:
    """The good example plans as plans/, built as of 2026-11-20."""
    built = build_site(make_project(tmp_path_factory.mktemp("good")))
    require_ok(built)
    return built


@pytest.fixture(scope="module")
def december_site(tmp_path_factory) -> Built:
    """The same plans, built as of 2026-12-10."""
    built = build_site(make_project(tmp_path_factory.mktemp("december")), today="2026-12-10")
    require_ok(built)
    return built


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory) -> Built:
    """A copy of the whole repository layout: mkdocs.yml, playbook/ and the shipped plans/."""
    return build_site(make_project(tmp_path_factory.mktemp("repo"), plans=REPO / "plans"))


@pytest.fixture(scope="module")
def many_site(tmp_path_factory) -> Built:
    """The good examples plus 30 more PIPs, each for a different person."""
    root = make_project(tmp_path_factory.mktemp("many"))
    source = (GOOD / "emea-west" / "jordan-lee-pip-2026-10.yaml").read_text(encoding="utf-8")
    for number in range(1, 31):
        text = source.replace("name: Jordan Lee", f"name: Person {number:02d}")
        text = text.replace("id: jordan-lee", f"id: person-{number:02d}")
        (root / "plans" / "emea-west" / f"person-{number:02d}-pip-2026-10.yaml").write_text(text, encoding="utf-8")
    built = build_site(root)
    require_ok(built)
    return built


def hostile_plan(**fields: str) -> str:
    """Jordan's PIP with the given fields replaced (values are written as YAML strings)."""
    text = (GOOD / "emea-west" / "jordan-lee-pip-2026-10.yaml").read_text(encoding="utf-8")
    replacements = {
        "role": ("  role: Account Executive\n", "  role: {}\n"),
        "summary": ("  summary: >-\n    Jordan books enough meetings, but opportunities stall between discovery and demo.\n",
                    "  summary: {}\n"),
        "support": ("  - Weekly call review with the manager\n", "  - {}\n"),
        "note": ("    note: Plan signed; agreed the week's call reviews.\n", "    note: {}\n"),
        "person_name": ("  name: Jordan Lee\n", "  name: {}\n"),
        "manager_name": ("  name: Priya Shah\n", "  name: {}\n"),
    }
    for name, value in fields.items():
        if name in ("rebuttal", "private"):
            continue
        old, new = replacements[name]
        assert text.count(old) == 1, f"{old!r} is not unique in the example"
        text = text.replace(old, new.format(json.dumps(value)))
    if "rebuttal" in fields:
        text += f"rebuttal:\n  date: 2026-10-06\n  text: {json.dumps(fields['rebuttal'])}\n"
    if "private" in fields:
        text += f"private: {fields['private']}\n"
    return text


HOSTILE_FIELDS = {
    "role": f"Role {HOSTILE}",
    "summary": f"Summary {HOSTILE}",
    "support": f"Support {HOSTILE}",
    "note": f"Note {HOSTILE}",
    "rebuttal": f"Rebuttal {HOSTILE}",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Built:
    """Jordan's PIP with markup in five of its texts, and a private note."""
    root = make_project(tmp_path_factory.mktemp("hostile"))
    plan = root / "plans" / "emea-west" / "jordan-lee-pip-2026-10.yaml"
    plan.write_text(hostile_plan(**HOSTILE_FIELDS, private=SECRET), encoding="utf-8")
    return build_site(root)


# --------------------------------------------------------------------------------------------
# 1. The repository's own plans
# --------------------------------------------------------------------------------------------

def test_repository_plans_build_strict_without_warnings(repo_site):
    assert repo_site.result.returncode == 0, repo_site.result.output
    warnings = [line for line in repo_site.result.output.splitlines() if "WARNING" in line]
    assert warnings == []
    index = repo_site.page("plans/")
    for record in plan_records(REPO / "plans"):
        assert index.links_to(f"plans/{record['id']}/"), f"{record['id']} is not listed on the plans index"
        assert (repo_site.site / "plans" / record["id"] / "index.html").is_file()


# --------------------------------------------------------------------------------------------
# 2. Jordan's PIP page
# --------------------------------------------------------------------------------------------

def details(page: Page) -> dict[str, str]:
    """The plan's details table: first column -> second column."""
    return {row[0]: row[1] for row in page.rows("") if len(row) == 2}


def test_jordan_page_shows_who_what_and_when(good_site):
    page = good_site.page(JORDAN)
    assert page.title.startswith("Jordan Lee")
    facts = details(page)
    assert facts["Person"] == "Jordan Lee, Account Executive"
    assert facts["Team"] == "emea-west"
    assert facts["Manager"] == "Priya Shah"
    assert facts["HR partner"] == "Sam Ortiz"
    assert facts["Kind"] == "Performance improvement plan"
    assert facts["Status"] == "active"
    assert facts["Dates"] == "Monday 5 October 2026 to Sunday 3 January 2027, 91 calendar days"
    assert facts["Playbook version"].startswith("2026.2 ")
    assert [link.href for link in page.links if link.text == "2026.2"] == []  # no `versions_url`: no release to link
    assert facts["Health"].startswith("Off track")  # the 30-day milestone was missed (21 of 22)
    team = [link for link in page.links if link.text == "emea-west"]
    manager = [link for link in page.links if link.text == "Priya Shah"]
    assert team and page.resolve(team[0].href) == "teams/emea-west/" and page.target_exists(team[0].href)
    assert manager and page.resolve(manager[0].href) == "managers/priya-shah/"
    assert page.target_exists(manager[0].href)


def test_jordan_diagnosis_links_to_the_recommended_response(good_site):
    page = good_site.page(JORDAN)
    diagnosis = page.section("Diagnosis")
    assert "Cause: skill." in diagnosis
    assert "Jordan books enough meetings, but opportunities stall between discovery and demo." in diagnosis
    assert "Three of four lost deals in Q3 had no identified economic buyer." in diagnosis
    response = page.links_to("diagnose/skill-coaching/")
    assert response, "no link to the skill: coaching page"
    assert page.target_exists(response[0].href)


def test_jordan_timetable_reviews_and_next_due(good_site):
    page = good_site.page(JORDAN)
    timetable = page.section("Timetable")
    assert "Check-ins every Monday and Thursday" in timetable
    reviews = [row[:2] for row in page.rows("Timetable")[1:]]
    assert reviews == [["Wed 4 Nov 2026", "30-day review"], ["Fri 4 Dec 2026", "60-day review"],
                       ["Sun 3 Jan 2027", "Final review"]]
    statuses = [row[2] for row in page.rows("Timetable")[1:]]
    assert statuses == ["held Wed 4 Nov 2026", "to come", "to come"]
    assert "Next: 60-day review on Fri 4 Dec 2026" in page.text
    assert "As of Friday 20 November 2026 (in 14 days)" in page.text


def test_jordan_criteria_show_baseline_target_unit_and_trigger(good_site):
    page = good_site.page(JORDAN)
    rows = {row[0]: row for row in page.rows("Criteria")[1:]}
    conversion = rows["Discovery-to-demo conversion"]
    assert conversion[1:3] == ["18%", "30%"]
    assert conversion[3] == "21% (Wed 4 Nov 2026)"
    assert conversion[5] == "below 24% by Fri 4 Dec 2026: written warning"  # judged at the 60-day review
    meetings = rows["Qualified first meetings per week"]
    assert meetings[1:3] == ["4 meetings", "5 meetings"]
    assert meetings[5] == ("below 4 meetings by Wed 4 Nov 2026: written warning; cleared at the review held "
                           "Wed 4 Nov 2026")


def test_jordan_milestones_are_judged_on_logged_results(good_site):
    page = good_site.page(JORDAN)
    rows = page.rows("Milestones")[1:]
    assert [row[0] for row in rows] == ["Wed 4 Nov 2026", "Fri 4 Dec 2026", "Sun 3 Jan 2027"]
    first = rows[0]
    assert "Discovery-to-demo conversion: 22 (logged 21)" in first[2]
    assert "Qualified first meetings per week: 5 (logged 5)" in first[2]
    assert first[3] == "missed"  # 21 is short of 22
    for later in rows[1:]:
        assert "logged" not in later[2]
        assert later[3] != "missed"


def test_jordan_actions_support_escalation_consequences_and_acknowledgement(good_site):
    page = good_site.page(JORDAN)
    actions = {row[0]: row[1] for row in page.rows("Actions")[1:]}
    assert actions == {
        "Review two recorded discovery calls a week with the manager, using the discovery checklist.": "Employee",
        "Role-play economic-buyer questions every Thursday check-in.": "Manager",
        "Join the Tuesday team deal review and present one open opportunity a fortnight.": "Employee",
    }
    support = page.section("Support")
    assert "Weekly call review with the manager" in support
    assert "Seat in the January discovery workshop" in support
    escalation = page.section("Escalation")
    assert "Conversation: Thursday 1 October 2026" in escalation
    assert "Agreement email: Friday 2 October 2026" in escalation
    assert "Written warning: not reached" in escalation
    assert "Final warning: not reached" in escalation
    assert "up to and including termination of employment" in page.section("Consequences")
    acknowledgement = page.section("Acknowledgement")
    assert "Jordan Lee: acknowledged on Monday 5 October 2026" in acknowledgement
    assert "Priya Shah: acknowledged on Monday 5 October 2026" in acknowledgement


def test_jordan_log_shows_the_ride_along_wins_and_opportunities(good_site):
    log = good_site.page(JORDAN).section("Log")
    assert "Fri 16 Oct 2026: Ride-along." in log
    for item in ("Clear agenda sent before every meeting", "Good rapport in the first five minutes",
                 "Asked about timeline unprompted", "Ask who signs before the demo is offered",
                 "Quantify the cost of the problem in the customer's words",
                 "Confirm next steps in writing the same day"):
        assert item in log
    results = log[log.index("Results:"):]
    assert "Discovery-to-demo conversion 21" in results and "Qualified first meetings per week 5" in results


# As of 2026-11-20, Jordan's record shows these letters due (or sent), and no warning: the trigger that
# would call for one is judged at the 60-day review on 2026-12-04.
LETTERS = ["plan-document", "presenting-a-pip", "agreement-email", "check-in-note", "performance-report"]
EMAILS = ["agreement-email", "written-warning", "final-warning", "closing-letter", "extension-letter"]


def panels_by_letter(page) -> dict:
    found = {}
    for label, panel in zip(page.tab_labels, page.tab_panels):
        [code_id] = panel.code_ids
        found[code_id.removeprefix("letter-")] = (label, panel)
    return found


def test_jordan_templates_are_filled_in_as_content_tabs(good_site):
    page = good_site.page(JORDAN)
    panels = panels_by_letter(page)
    assert sorted(panels) == sorted(LETTERS)
    assert panels["agreement-email"][0] == "Agreement email (sent Fri 2 Oct 2026)"
    for name in LETTERS:
        assert page.code_blocks[f"letter-{name}"].in_code, f"{name} is not a pre > code block"
        text = page.code(f"letter-{name}")
        assert "Jordan" in text and "{{" not in text and "{%" not in text and "TODO" not in text
    document = page.code("letter-plan-document")
    for expected in ("Jordan Lee", "Priya Shah", "Sam Ortiz", "Discovery-to-demo conversion",
                     "Monday 5 October 2026", "Sunday 3 January 2027", "up to and including termination"):
        assert expected in document, f"{expected!r} is missing from the plan document"


def test_jordan_warnings_are_not_offered_before_the_review_that_decides_them(good_site):
    page = good_site.page(JORDAN)
    assert "letter-written-warning" not in page.code_blocks and "letter-final-warning" not in page.code_blocks
    templates = page.section("Templates")
    assert "Next letter: Written warning." in templates
    assert "judged at the review on Fri 4 Dec 2026: due if the result logged there is below 24%" in templates
    assert "cleared its line at the review held on Wed 4 Nov 2026 (5 meetings)" in templates
    assert "Final warning: no criterion of this plan has a trigger that leads to a final warning" in templates


def mailto_parts(href: str) -> dict[str, str]:
    assert href.startswith("mailto:?"), href
    parts = {}
    for pair in href[len("mailto:?"):].split("&"):
        key, _, value = pair.partition("=")
        parts[key] = value
    return parts


def test_jordan_emails_open_in_a_mail_app_with_the_encoded_letter(good_site):
    page = good_site.page(JORDAN)
    for name, (_, panel) in panels_by_letter(page).items():
        mailtos = [link.href for link in panel.links if link.href.startswith("mailto:")]
        if name not in EMAILS:
            assert mailtos == [], f"{name} is not an email but has a mailto link"
            continue
        assert len(mailtos) == 1, f"the {name} tab has {len(mailtos)} mailto links"
        parts = mailto_parts(mailtos[0])
        assert set(parts) == {"subject", "body"}
        for value in parts.values():
            assert re.fullmatch(r"[A-Za-z0-9%._~-]*", value), f"not URL-encoded: {value[:80]!r}"
        body = unquote(parts["body"])
        assert body.strip() == page.code(f"letter-{name}").strip()
        assert "\n" in body and "%0A" in parts["body"]
        subject = unquote(parts["subject"])
        assert f"Subject: {subject}" in panel.text
        assert "Jordan" in subject


def test_no_unrendered_template_syntax_in_any_page(good_site):
    offenders = []
    for path in good_site.html_files() + [good_site.site / "search" / "search_index.json"]:
        text = path.read_text(encoding="utf-8")
        # The reference pages document the `TODO` placeholder of `playbook new`, in code, and show a
        # GitHub Actions workflow, whose expressions are written `${{ ... }}`.
        visible = text.replace("<code>TODO</code>", "").replace("${{", "")
        for mark in ("{{", "{%", "TODO"):
            if mark in visible:
                offenders.append(f"{path.relative_to(good_site.site)}: {mark}")
    assert offenders == []


def test_plan_page_prints_with_signature_lines(good_site):
    page = good_site.page(JORDAN)
    stylesheets = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    ours = [href for href in stylesheets if page.resolve(href) == "assets/playbook.css"]
    assert ours, f"the page does not link assets/playbook.css: {stylesheets}"
    css = (good_site.site / "assets" / "playbook.css").read_text(encoding="utf-8")
    assert "@media print" in css
    print_rules = css[css.index("@media print"):]
    assert ".pb-signatures" in print_rules and ".pb-no-print" in print_rules
    assert page.select('div[class="pb-signatures"]')
    signatures = [row[0] for row in page.rows("Signatures")[1:]]
    assert "Jordan Lee" in signatures and "Priya Shah" in signatures


# --------------------------------------------------------------------------------------------
# 3. The other kinds of plan
# --------------------------------------------------------------------------------------------

def test_coaching_page_recommends_focus_and_has_no_warning_letters(good_site):
    page = good_site.page(SAM)
    assert "Cause: will." in page.section("Diagnosis")
    response = page.links_to("diagnose/will-focus/")
    assert response and page.target_exists(response[0].href)
    assert any(label.startswith("First conversation") for label in page.tab_labels)
    # A coaching plan's agreement email sums up its first meeting, which Sam's log records.
    assert any(label.startswith("Agreement email") for label in page.tab_labels)
    assert not any("warning" in label.lower() for label in page.tab_labels), page.tab_labels
    assert "letter-written-warning" not in page.code_blocks and "letter-final-warning" not in page.code_blocks


def test_growth_page_has_the_kickoff_and_no_warning_letters(good_site):
    page = good_site.page(ALEX)
    assert page.title.startswith("Alex Kim: Growth plan")
    assert "Growth plan kickoff" in page.tab_labels
    assert "Alex" in page.code("letter-growth-kickoff")
    assert not any("warning" in label.lower() for label in page.tab_labels), page.tab_labels
    assert "letter-written-warning" not in page.code_blocks and "letter-final-warning" not in page.code_blocks


# --------------------------------------------------------------------------------------------
# 4. The indexes and the navigation
# --------------------------------------------------------------------------------------------

INDEX_KIND_LABELS = {"pip": "PIP", "coaching": "Coaching", "growth": "Growth"}  # short, for the index tables
# As of 2026-11-20, worked out from the records: Alex's check-ins fall on every other Tuesday from
# 13 October (none logged of the three due: at risk); Jordan meets on Mondays and Thursdays and missed
# his 30-day milestone (off track); Sam's first milestone falls on Monday 23 November.
NEXT_DUE = {"jordan-lee-pip-2026-10": "Wed 4 Nov 2026: Milestone: Discovery checklist in use on every first call "
                                      "(16 days overdue)",
            "sam-rivera-coaching-2026-11": "Mon 23 Nov 2026: Milestone: Day plan followed for a full week",
            "alex-kim-growth-2026-10": "Tue 24 Nov 2026: Check-in"}
HEALTH = {"jordan-lee-pip-2026-10": "Off track", "sam-rivera-coaching-2026-11": "On track",
          "alex-kim-growth-2026-10": "At risk"}
COLUMNS = ["Person", "Kind", "Status", "Health", "Next due", "Team", "Manager"]


def index_rows(page: Page, shared: str | None = None) -> dict[str, list[str]]:
    columns = [column for column in COLUMNS if column != shared]
    rows = [row for row in page.rows("") if len(row) == len(columns)]
    assert rows and rows[0] == columns
    return {row[0]: dict(zip(columns, row)) for row in rows[1:]}


def test_plans_index_lists_every_plan(good_site):
    page = good_site.page("plans/")
    rows = index_rows(page)
    records = plan_records(GOOD)
    assert len(rows) == len(records) == 3
    for record in records:
        row = rows[record["person"]["name"]]
        assert row["Team"] == record["person"]["team"]
        assert row["Manager"] == record["manager"]["name"]
        assert row["Kind"] == INDEX_KIND_LABELS[record["kind"]]
        assert row["Status"] == record["status"]
        assert row["Health"] == HEALTH[record["id"]]
        assert row["Next due"] == NEXT_DUE[record["id"]]
        links = page.links_to(f"plans/{record['id']}/")
        assert links and links[0].text == record["person"]["name"] and page.target_exists(links[0].href)


def test_team_pages_list_only_their_plans(good_site):
    emea = index_rows(good_site.page("teams/emea-west/"), "Team")
    assert set(emea) == {"Jordan Lee", "Alex Kim"}
    na_east = index_rows(good_site.page("teams/na-east/"), "Team")
    assert set(na_east) == {"Sam Rivera"}
    teams = good_site.page("teams/")
    assert teams.links_to("teams/emea-west/") and teams.links_to("teams/na-east/")


def test_manager_pages_list_only_their_plans(good_site):
    priya = good_site.page("managers/priya-shah/")
    assert set(index_rows(priya, "Manager")) == {"Jordan Lee", "Alex Kim"}
    assert priya.links_to(JORDAN) and priya.links_to(ALEX) and not priya.links_to(SAM)
    dana = good_site.page("managers/dana-brooks/")
    assert set(index_rows(dana, "Manager")) == {"Sam Rivera"}
    assert dana.links_to(SAM) and not dana.links_to(JORDAN)
    managers = good_site.page("managers/")
    assert managers.links_to("managers/priya-shah/") and managers.links_to("managers/dana-brooks/")


def nav_links(page: Page) -> list[Link]:
    return [link for link in page.links if "md-nav__link" in link.classes]


def test_navigation_does_not_grow_with_the_number_of_plans(good_site, many_site):
    few = nav_links(good_site.page(""))
    many = nav_links(many_site.page(""))
    assert len(few) > 10  # the playbook's sections are there (navigation.prune leaves out closed sections)
    assert len(many) == len(few)
    assert len(index_rows(many_site.page("plans/"))) == 33


def test_no_plan_page_is_linked_from_the_navigation(many_site):
    plan_urls = {f"plans/{record['id']}/" for record in plan_records(many_site.root / "plans")}
    assert len(plan_urls) == 33
    for url in many_site.urls():
        if not url.endswith("/") and url != "":
            continue
        page = many_site.page(url)
        navigation = [link for link in page.links
                      if link.classes & {"md-nav__link", "md-tabs__link", "md-footer__link"}]
        assert navigation, f"{url or 'home'} has no navigation"
        linked = {page.resolve(link.href) for link in navigation if not link.href.startswith("#")}
        assert not linked & plan_urls, f"{url or 'home'} links plan pages from the navigation"


# --------------------------------------------------------------------------------------------
# 5. The playbook
# --------------------------------------------------------------------------------------------

PLAYBOOK_PAGES = {
    "guide/": "8-step guide",
    "guide/ingredients/": "six ingredients",
    "guide/escalation/": "escalation",
    "diagnose/": "Diagnose",
    "diagnose/will-focus/": "Will",
    "diagnose/skill-coaching/": "Skill",
    "diagnose/market-communication/": "Market",
    "tools/": "Tools",
    "tools/first-conversation/": "First-conversation",
    "tools/agreement-email/": "Agreement email",
    "tools/written-warning/": "Written warning",
    "tools/final-warning/": "Final warning",
    "tools/growth-kickoff/": "Growth plan kickoff",
    "coaching/three-step-coaching/": "Three-step coaching",
    "coaching/ride-along/": "ride-along",
    "coaching/seeds-weeds-needs/": "Seeds, Weeds, Needs",
    "coaching/deal-review/": "Deal review",
    "coaching/self-coaching/": "Self-coaching",
    "coaching/growth-plans/": "Growth plans",
    "coaching/drift-and-enforcement/": "Drift",
    "coaching/protect-the-calendar/": "Protect the calendar",
    "coaching/ramp/": "Ramp",
    "coaching/sbi-feedback/": "SBI",
    "coaching/grow/": "GROW",
    "coaching/crucial-conversations/": "Crucial Conversations",
    "training/role-plays/": "Role-plays",
    "reference/rules/": "Rules",
    "reference/plan-format/": "Plan format",
    "glossary/": "Glossary",
}


@pytest.mark.parametrize("url, heading", PLAYBOOK_PAGES.items(), ids=list(PLAYBOOK_PAGES))
def test_playbook_page_exists(good_site, url, heading):
    page = good_site.page(url)
    assert heading.lower() in page.title.lower(), f"{url} is titled {page.title!r}"
    assert len(page.text) > 500, f"{url} is nearly empty"


def numbered_headings(page: Page) -> list[int]:
    return [int(title.split(".")[0]) for title in page.headings if re.match(r"\d+\. ", title)]


def test_guide_has_eight_steps_and_six_ingredients(good_site):
    assert numbered_headings(good_site.page("guide/")) == list(range(1, 9))
    assert numbered_headings(good_site.page("guide/ingredients/")) == list(range(1, 7))
    diagnose = good_site.page("diagnose/").text.lower()
    assert "will" in diagnose and "skill" in diagnose and "market" in diagnose
    drift = set(good_site.page("coaching/drift-and-enforcement/").headings)
    assert {"Drift", "The hero manager", "Healthy enforcement"} <= drift


def sample_names() -> set[str]:
    samples = REPO / "playbook" / "templates" / "samples"
    return {yaml.safe_load(path.read_text(encoding="utf-8"))["person"]["name"] for path in samples.glob("*.yaml")}


@pytest.mark.parametrize("name", LETTERS + ["growth-kickoff"])
def test_tools_pages_show_the_templates_filled_with_sample_data(good_site, name):
    page = good_site.page(f"tools/{name}/")
    text = page.code(f"example-{name}")
    assert page.code_blocks[f"example-{name}"].in_code
    assert any(sample.split()[0] in text for sample in sample_names()), text[:200]
    for mark in ("{{", "{%", "TODO"):
        assert mark not in page.html.replace("<code>TODO</code>", "")
    if name in EMAILS:
        assert any(link.href.startswith("mailto:?subject=") for link in page.links)


def test_role_plays_page_has_scenarios(good_site):
    page = good_site.page("training/role-plays/")
    assert len(numbered_headings(page)) >= 5
    assert "6. Delivering a written warning" in page.headings
    link = good_site.page("tools/written-warning/").links_to("training/role-plays/")
    assert link


def test_rules_reference_has_an_anchor_for_every_rule(good_site, tmp_path):
    listed = in_process(["rules", "--format", "json"], cwd=tmp_path)
    assert listed.returncode == 0, listed.output
    codes = [rule["code"] for rule in json.loads(listed.output)]
    assert "PB204" in codes and len(codes) > 30
    page = good_site.page("reference/rules/")
    missing = [code for code in codes if code.lower() not in page.ids]
    assert missing == []
    summary = {row[0]: row for row in page.rows("")[1:]}
    for code in codes:
        assert code in summary, f"{code} is not in the rules table"
    table_links = {link.href for link in page.links if link.text in codes}
    assert {f"#{code.lower()}" for code in codes} <= table_links


TOP_LEVEL_FIELDS = ["id", "kind", "status", "person", "manager", "hr_partner", "playbook_version", "diagnosis",
                    "timetable", "criteria", "actions", "milestones", "support", "escalation", "consequences",
                    "acknowledgement", "rebuttal", "log", "outcome", "private"]


def test_plan_format_reference_lists_every_top_level_field(good_site):
    page = good_site.page("reference/plan-format/")
    documented = {row[0] for row in page.rows("Fields")[1:]}
    missing = [name for name in TOP_LEVEL_FIELDS if name not in documented]
    assert missing == []
    assert page.links_to("schema/plan.schema.json") and (good_site.site / "schema" / "plan.schema.json").is_file()


def test_plan_format_reference_documents_the_roster_from_its_model(good_site):
    page = good_site.page("reference/plan-format/")
    documented = {row[0] for row in page.rows("The roster")[1:]}
    assert {"people", "people.<id>.identity", "teams", "teams.<id>.manager", "hr"} <= documented


def test_search_index_covers_the_playbook(good_site):
    index = json.loads((good_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    everything = " ".join(doc["title"] + " " + doc["text"] for doc in docs)
    for topic in ("Seeds", "ride-along", "GROW", "SBI", "crucial"):
        assert topic in everything, f"{topic!r} is not searchable"
    locations = {doc["location"] for doc in docs}
    for url in ("coaching/seeds-weeds-needs/", "coaching/ride-along/", "coaching/grow/", "coaching/sbi-feedback/",
                "coaching/crucial-conversations/", "guide/", "reference/rules/", JORDAN):
        assert url in locations, f"{url} is not in the search index"


# --------------------------------------------------------------------------------------------
# 6. Material as users expect it
# --------------------------------------------------------------------------------------------

def is_relative(url: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE) or url.startswith("data:")


def test_no_request_to_another_host(good_site):
    problems = []
    for url in good_site.urls():
        page = good_site.page(url)
        if "fonts.googleapis.com" in page.html or "fonts.gstatic.com" in page.html:
            problems.append(f"{page.url}: Google Fonts")
        problems += [f"{page.url}: <{tag}> {loaded}" for tag, loaded in page.loads if not is_relative(loaded)]
    for css in good_site.site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        if re.search(r"@import|url\(\s*['\"]?(https?:)?//", text):
            problems.append(f"{css.relative_to(good_site.site)} loads from another host")
    assert problems == []


def test_light_and_dark_palette_toggle(good_site):
    page = good_site.page("")
    assert page.select('form[data-md-component="palette"]'), "no palette form"
    schemes = [radio.get("data-md-color-scheme") for radio in page.select('input[name="__palette"]')]
    assert schemes == ["default", "slate"]
    toggles = [label["title"] for label in page.select("label[title]")]
    assert "Switch to dark mode" in toggles and "Switch to light mode" in toggles


@pytest.mark.parametrize("url", [JORDAN, SAM, ALEX])
def test_plan_pages_have_content_tabs_markup(good_site, url):
    page = good_site.page(url)
    sets = page.select("div.tabbed-set")
    assert len(sets) == 1 and "tabbed-alternate" in sets[0]["class"]
    radios = page.select('input[type="radio"][name^="pb_letters"]')
    assert len(radios) == len(page.tab_labels) == len(page.tab_panels) >= 2
    labels_for = [label["for"] for label in page.select('label[for^="pb_letters"]')]
    assert labels_for == [radio["id"] for radio in radios]
    assert sum(radio.has_attr("checked") for radio in radios) == 1


# --------------------------------------------------------------------------------------------
# 7. Safety
# --------------------------------------------------------------------------------------------

def assert_no_markup_from_the_record(built: Built) -> None:
    for url in built.urls():
        page = built.page(url)
        assert "<script>alert" not in page.html, f"{url}: a <script> from the record"
        assert not re.search(r"href=\"\s*javascript:", page.html, re.IGNORECASE), f"{url}: a javascript: link"
        assert "<strong>bold</strong>" not in page.html, f"{url}: emphasis from the record"
        assert not [link for link in page.links if link.href.strip().lower().startswith("javascript:")]


def test_markup_in_plan_texts_is_shown_as_written(hostile_site):
    assert hostile_site.result.returncode == 0, hostile_site.result.output
    assert_no_markup_from_the_record(hostile_site)
    page = hostile_site.page(JORDAN)
    where = {
        "role": page.section(""),
        "summary": page.section("Diagnosis"),
        "support": page.section("Support"),
        "note": page.section("Log"),
        "rebuttal": page.text,
    }
    for name, value in HOSTILE_FIELDS.items():
        assert value in where[name], f"the {name} is not shown as written"
        prefix = value.split()[0]
        assert "**bold** 49" not in where[name]
        assert f"{prefix} alert(1)" not in where[name]
    letters = "".join(page.code(code_id) for code_id in page.code_blocks if code_id.startswith("letter-"))
    for name in ("role", "summary", "support"):
        assert HOSTILE_FIELDS[name] in letters, f"the {name} is not written as given in the letters"
    assert "**bold** 49" not in letters
    index = json.loads((hostile_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert "<script>alert" not in doc["text"] and "<strong>bold</strong>" not in doc["text"]


def test_private_notes_are_never_published(hostile_site):
    assert hostile_site.result.returncode == 0, hostile_site.result.output
    assert (hostile_site.site / "plans" / "jordan-lee-pip-2026-10" / "index.html").is_file()
    assert files_holding(hostile_site.site, SECRET) == []
    assert SECRET not in hostile_site.result.output


def test_markup_in_names_is_shown_as_written_in_page_titles(tmp_path):
    """A person's or manager's name is text too, and the browser's tab title is no exception."""
    root = make_project(tmp_path / "names", plans=None)  # alone: one manager id has one name (PB606)
    plan = root / "plans" / "emea-west" / "jordan-lee-pip-2026-10.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text(hostile_plan(person_name="Jordan </title><script>alert(1)</script>",
                                 manager_name="Priya </title><script>alert(2)</script>"), encoding="utf-8")
    built = build_site(root)
    assert built.result.returncode == 0, built.result.output
    assert_no_markup_from_the_record(built)
    # The theme prints a page's title unescaped in several places, some through `striptags` (which
    # turns `&lt;` back into `<`), so no escaping is right everywhere: markup characters in a title
    # become look-alikes instead, and the rest of the name reads as written.
    assert built.page(JORDAN).title.startswith("Jordan \u2039/title\u203a\u2039script\u203aalert(1)")


# --------------------------------------------------------------------------------------------
# 8. Failures
# --------------------------------------------------------------------------------------------

def test_a_plan_with_an_error_fails_the_build_with_the_check_line(tmp_path):
    root = make_project(tmp_path / "bad", plans=None)
    (root / "plans").mkdir()
    shutil.copy(BAD / "milestone-after-end.yaml", root / "plans" / "milestone-after-end.yaml")
    built = build_site(root)
    checked = in_process(["check", "--today", TODAY], cwd=root)
    assert checked.returncode == 1, checked.output
    expected = [line for line in checked.output.splitlines() if "error PB204" in line]
    assert expected and expected[0].startswith("plans/milestone-after-end.yaml:")
    assert built.result.returncode != 0
    for line in expected:
        assert line in built.result.output
    assert not (root / "site" / "plans" / "milestone-after-end" / "index.html").exists()


@pytest.fixture(scope="module")
def broken_template_build(tmp_path_factory) -> tuple[Built, Path]:
    root = make_project(tmp_path_factory.mktemp("broken-template"))
    template = root / "playbook" / "templates" / "zz-broken.md"
    template.write_text("---\ntitle: Broken\nkinds: [pip]\n---\nDear {{ plan.person.first_name }},\n\n"
                        "Hello {{ plan.person.nickname }}\n", encoding="utf-8")
    return build_site(root), template


def test_a_template_with_a_missing_value_fails_the_build(broken_template_build):
    built, _ = broken_template_build
    assert built.result.returncode != 0
    assert "zz-broken.md" in built.result.output
    assert "nickname" in built.result.output


def test_a_template_error_names_the_line_in_the_file(broken_template_build):
    built, template = broken_template_build
    line = next(number for number, text in enumerate(template.read_text().splitlines(), 1) if "nickname" in text)
    assert line == 7
    assert re.search(rf"zz-broken\.md:{line}\b", built.result.output), built.result.output


def test_a_page_with_an_undefined_value_fails_the_build(tmp_path):
    root = make_project(tmp_path / "page")
    glossary = root / "playbook" / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n\nSee {{ undefined_thing }}.\n", encoding="utf-8")
    line = len(glossary.read_text(encoding="utf-8").splitlines())
    built = build_site(root)
    assert built.result.returncode != 0
    assert "undefined_thing" in built.result.output
    assert f"glossary.md:{line}" in built.result.output


# --------------------------------------------------------------------------------------------
# 9, 10, 11. Sources untouched, no plans, "today"
# --------------------------------------------------------------------------------------------

def test_the_build_writes_nothing_into_the_sources(good_site):
    for name in ("plans", "playbook"):
        assert snapshot(good_site.root / name) == good_site.before[name], f"{name}/ changed"
    added = {entry.name for entry in good_site.root.iterdir()} - set(good_site.before["."])
    assert added == {"site"}


def test_a_site_without_plans_says_there_are_none(tmp_path):
    root = make_project(tmp_path / "training", plans=None)
    built = build_site(root)
    assert built.result.returncode == 0, built.result.output
    index = built.page("plans/")
    assert "No plans yet" in index.text
    assert "0 plans" in index.text
    assert "No plans yet" in built.page("teams/").text
    assert "No plans yet" in built.page("managers/").text
    assert [path.name for path in (built.site / "plans").iterdir()] == ["index.html"]
    assert not (root / "plans").exists()
    assert built.page("guide/").title.startswith("The 8-step guide")


def next_due(page: Page) -> str:
    found = re.search(r"Next: .+? As of [^(]+\([^)]*\)", page.text)
    assert found, "no next-due line"
    return found.group(0)


def test_playbook_today_changes_what_is_next(good_site, december_site):
    november = next_due(good_site.page(JORDAN))
    december = next_due(december_site.page(JORDAN))
    assert november == "Next: 60-day review on Fri 4 Dec 2026 As of Friday 20 November 2026 (in 14 days)"
    assert december.startswith("Next: Final review on Sun 3 Jan 2027 As of Thursday 10 December 2026 (in 24 days)")
    assert "As of Thursday 10 December 2026" in december_site.page(JORDAN).text
    # Overdue first: the milestone missed on 4 November still waits for what follows it (36 days).
    assert index_rows(december_site.page("plans/"))["Jordan Lee"]["Next due"] == (
        "Wed 4 Nov 2026: Milestone: Discovery checklist in use on every first call (36 days overdue)")


# --------------------------------------------------------------------------------------------
# 13. mkdocs serve
# --------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_serve_rebuilds_when_a_plan_changes(tmp_path):
    root = make_project(tmp_path / "serve")
    plan = root / "plans" / "emea-west" / "jordan-lee-pip-2026-10.yaml"
    with mkdocs_serve(root, tmp_path / "serve.log") as server:
        server.wait_for(JORDAN, "Weekly call review with the manager")
        text = plan.read_text(encoding="utf-8")
        plan.write_text(text.replace("Weekly call review with the manager",
                                     "Twice-weekly call review with the sales director"), encoding="utf-8")
        server.wait_for(JORDAN, "Twice-weekly call review with the sales director")


@pytest.mark.slow
def test_serve_shows_a_broken_plans_problems_on_its_own_page_and_every_other(tmp_path):
    """A plan broken mid-edit: the page the author has open shows where and why, instead of "not found"."""
    root = make_project(tmp_path / "serve-broken")
    plan = root / "plans" / "emea-west" / "jordan-lee-pip-2026-10.yaml"
    with mkdocs_serve(root, tmp_path / "serve.log") as server:
        server.wait_for(JORDAN, "Weekly call review with the manager")
        plan.write_text(plan.read_text(encoding="utf-8").replace("kind: pip", "kind: [pip"), encoding="utf-8")
        server.wait_for(JORDAN, "jordan-lee-pip-2026-10.yaml:")
        page = fetch(server.root_url + JORDAN)
        assert "error PB100" in page and "This plan is left out of the preview" in page
        server.wait_for("guide/", "error PB100")


def test_the_plugins_today_option_fixes_today_when_the_environment_does_not(tmp_path):
    root = make_project(tmp_path / "today-option")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      plans_dir: plans\n", "      plans_dir: plans\n      today: 2026-12-10\n"), encoding="utf-8")
    built = build_site(root, today=None)
    require_ok(built)
    assert "Next: Final review on Sun 3 Jan 2027" in built.page(JORDAN).text
