"""Page rendering as a unit: `generator.render.pages.render_plan` and the calendar arithmetic of
`generator.schedule`, without a site build.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import COACHING, GROWTH, PIP, TODAY
from generator.check import check_paths
from generator.config import Policy
from generator.model import PublicPlan
from generator.render.letters import Letters
from bs4 import BeautifulSoup

from generator.render.pages import plan_front, plan_uri, relative, render_plan, team_uri
from generator.schedule import check_in_dates, expected_check_ins
from generator.timeline import build_timeline
from sitekit import REPO

LETTERS = Letters(REPO / "playbook" / "templates")


@pytest.fixture
def record(write_plan):
    def make(text: str, name: str):
        [plan_file] = check_paths([write_plan(text, name)], Policy(), TODAY).plan_files
        return plan_file.plan

    return make


def page_of(plan, today=TODAY) -> str:
    """The page's front matter, HTML body and what the search index takes of it, as its templates wrote them."""
    public = PublicPlan.of(plan)
    front, body, search = render_plan(public, LETTERS, build_timeline(public, today))
    return front + body + search


def sections(page: str) -> list[str]:
    return [heading.get_text() for heading in BeautifulSoup(page, "html.parser").find_all("h2")]


def test_a_page_is_rendered_only_from_the_redacted_record(record):
    plan = record(PIP + "private: SECRET-PAGE-NOTE\n", "emea-west/jordan-lee-pip-2026-11.yaml")
    with pytest.raises(TypeError, match="PublicPlan"):
        render_plan(plan, LETTERS, build_timeline(plan, TODAY))
    assert "SECRET-PAGE-NOTE" not in page_of(plan)


@pytest.mark.parametrize("text, name", [
    (PIP, "emea-west/jordan-lee-pip-2026-11.yaml"),
    (GROWTH.change("  name: Alex Kim", '  name: "Alex <b>Kim</b> \\u2028 \\"Lex\\""'), "alex-kim-growth-2026-11.yaml"),
    (COACHING, "sam-rivera-coaching-2026-11.yaml"),
])
def test_a_plan_pages_front_matter_is_known_before_the_page_is_rendered(record, text, name):
    """A build reads a plan page's title before the page is rendered on another core: it is the rendered one."""
    public = PublicPlan.of(record(text, name))
    rendered = render_plan(public, LETTERS, build_timeline(public, TODAY))
    assert plan_front(public) == rendered.front
    assert public.person.name.split()[0] in rendered.front


def test_a_pip_page_has_its_sections_and_a_growth_page_has_no_escalation(record):
    pip = sections(page_of(record(PIP, "emea-west/jordan-lee-pip-2026-11.yaml")))
    for heading in ("Timetable", "Criteria", "Milestones", "Escalation", "Acknowledgement", "History", "Signatures"):
        assert heading in pip
    growth = page_of(record(GROWTH, "emea-west/alex-kim-growth-2026-11.yaml"))
    assert "Escalation" not in sections(growth) and "written warning" not in growth.lower()


def test_links_between_generated_pages_are_relative_and_plain(record):
    page = page_of(record(COACHING, "na-east/sam-rivera-coaching-2026-11.yaml"))
    assert 'href="../../teams/na-east/index.md"' in page and 'href="../../people/sam-rivera/index.md"' in page
    assert relative(plan_uri("x"), team_uri("index")) == "../../teams/index/index.md"  # no id can replace a listing


def test_the_page_is_a_pure_function_of_its_inputs(record):
    plan = record(PIP, "emea-west/jordan-lee-pip-2026-11.yaml")
    assert page_of(plan) == page_of(plan)
    assert page_of(plan, date(2026, 12, 1)) != page_of(plan)


# --------------------------------------------------------------------------------------------
# schedule: which days check-ins fall on, worked out on a calendar
# --------------------------------------------------------------------------------------------

def test_weekly_check_ins_from_a_mid_week_start(record):
    plan = record(COACHING.change("  start: 2026-11-16", "  start: 2026-11-18"), "na-east/sam-rivera-coaching-2026-11.yaml")
    days = list(check_in_dates(plan.timetable))
    # Wed 18 Nov: the Monday of that week is before the start; Thursday 19 is the first.
    assert days[:4] == [date(2026, 11, 19), date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 30)]
    assert days[-1] <= plan.timetable.last_day


def test_fortnightly_check_ins_count_weeks_from_the_start(record):
    plan = record(GROWTH, "emea-west/alex-kim-growth-2026-11.yaml")  # Tuesdays, every 2 weeks, from Mon 16 Nov
    assert list(check_in_dates(plan.timetable, until=date(2026, 12, 31))) == [
        date(2026, 11, 17), date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 29)]
    assert expected_check_ins(plan.timetable, date(2026, 12, 1)) == 1  # today's may still be held
    assert expected_check_ins(plan.timetable, date(2026, 12, 2)) == 2


def test_a_pip_page_says_how_each_number_is_measured_and_why_no_coaching_plan_came_first(record):
    measured = PIP.change("    target: 30\n", "    target: 30\n    measure:\n      source: CRM opportunity report\n"
                                              "      period: each calendar month\n      counted: demos booked within 21 days\n")
    page = page_of(record(measured, "emea-west/jordan-lee-pip-2026-11.yaml"))

    assert ("<li><strong>Discovery-to-demo conversion.</strong> Source: CRM opportunity report. Period: each calendar "
            "month. What counts: demos booked within 21 days.</li>") in page
    assert "<tr><td>No coaching plan before it</td><td>Weekly coaching since September" in page
    assert "How each number is measured" not in page_of(record(PIP, "emea-west/jordan-lee-pip-2026-11.yaml"))


CHECK_IN_24 = "  - date: 2026-12-16\n    kind: check-in\n    note: Numbers before the review.\n    results: {discovery-to-demo: 24}\n"
REVIEW_NO_RESULT = "  - date: 2026-12-16\n    kind: review\n    note: 30-day review held; numbers not brought.\n"


def test_a_page_says_why_a_milestone_met_and_its_trigger_undecided_read_the_criterion_differently(record):
    plan = record(PIP + CHECK_IN_24 + REVIEW_NO_RESULT, "emea-west/jordan-lee-pip-2026-11.yaml")
    page = page_of(plan, date(2026, 12, 18))

    assert "met" in page and "(logged 24)" in page and "no result logged at that review" in page
    assert ('<div class="admonition note">\n<p class="admonition-title">Why the milestone and the trigger of '
            'Wed 16 Dec 2026 read Discovery-to-demo conversion differently</p>') in page
    assert ("is judged on the latest result logged by its date, from any log entry: 24%, logged Wed 16 Dec 2026. "
            "The trigger is judged only on the result logged at the review held on its date") in page
    assert "the review held Wed 16 Dec 2026 logged no result for it." in page


def test_no_such_note_where_the_milestone_and_the_trigger_read_the_same_result(record):
    review = REVIEW_NO_RESULT + "    results: {discovery-to-demo: 25}\n"
    page = page_of(record(PIP + review, "emea-west/jordan-lee-pip-2026-11.yaml"), date(2026, 12, 18))
    assert "Why the milestone and the trigger" not in page


def test_a_page_names_what_is_longest_overdue_before_what_is_next(record):
    page = page_of(record(PIP, "emea-west/jordan-lee-pip-2026-11.yaml"), date(2026, 12, 21))
    overdue = page.index('<div class="admonition warning">\n<p class="admonition-title">Overdue: 30-day review, '
                         'due Wed 16 Dec 2026</p>')
    assert overdue < page.index('<div class="admonition info">\n<p class="admonition-title">Next:')
    assert "as of Monday 21 December 2026<span class=\"pb-relative\"> (5 days overdue)</span>" in page
    assert "Overdue:" not in page_of(record(PIP, "emea-west/jordan-lee-pip-2026-11.yaml"), date(2026, 11, 20))
