"""Audiences: each build shows only the plans its audience may see, in every file it writes.

The selection is tested as a unit (`generator.audience`), then through real `mkdocs build --strict`
runs of the example plans with `PLAYBOOK_AUDIENCE` set, reading every file of each built site:
the HTML, the search index and the sitemap.
"""

from __future__ import annotations

import posixpath
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import COACHING, GROWTH, PIP, TODAY
from generator.audience import Audience, past_retention, select
from generator.check import check_paths
from generator.config import Policy
from generator.model import PublicPlan
from sitekit import GOOD, MKDOCS, Page, environment, files_holding, in_process, make_project

# People of the example plans, by team: (name, id). Managers count as their team's people.
PEOPLE = {
    "emea-west": [("Jordan Lee", "jordan-lee"), ("Alex Kim", "alex-kim"), ("Priya Shah", "priya-shah"),
                  ("Sam Ortiz", "sam-ortiz")],
    "na-east": [("Sam Rivera", "sam-rivera"), ("Dana Brooks", "dana-brooks")],
}
SECRET = "PRIVATE-MARKER-7731"

# A draft coaching plan in na-east, run by Dana Brooks: only the `all` and `manager:dana-brooks` builds show it.
DRAFT = (COACHING.change("status: active", "status: draft")
         .change("  name: Sam Rivera\n  id: sam-rivera", "  name: Quinn Draftly\n  id: quinn-draftly")
         .without("log:") + f"private: {SECRET} draft notes\n")
# A closed growth plan in na-east whose outcome is 731 days before TODAY: past the default retention.
EXPIRED_OUTCOME = TODAY - timedelta(days=731)
EXPIRED = (GROWTH.change("status: active", "status: closed")
           .change("  name: Alex Kim\n  id: alex-kim", "  name: Olive Expired\n  id: olive-expired")
           .change("  team: emea-west", "  team: na-east")
           .change("  name: Priya Shah\n  id: priya-shah", "  name: Dana Brooks\n  id: dana-brooks")
           .without("log:")
           + f"outcome:\n  date: {EXPIRED_OUTCOME}\n  result: met\n  decision: retained\n")


# --------------------------------------------------------------------------------------------
# The selection, as a unit
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("all", Audience("all")),
    ("playbook", Audience("playbook")),
    ("manager:priya-shah", Audience("manager", "priya-shah")),
    ("team:na-east", Audience("team", "na-east")),
    ("person:jordan-lee", Audience("person", "jordan-lee")),
    (" team:na-east\n", Audience("team", "na-east")),
])
def test_audiences_are_read_from_their_written_form(text, expected):
    assert Audience.parse(text) == expected
    assert Audience.parse(str(expected)) == expected


@pytest.mark.parametrize("text", [
    "", "everyone", "ALL", "manager", "manager:", "manager:Priya", "team:../x", "team:na east",
    "person:a\nb", "all:x", "playbook:x", "manager:priya-shah:x", "hr", "team:-x",
])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError, match="is not an audience"):
        Audience.parse(text)


def _checked(write_plan, texts: dict[str, str], policy: Policy | None = None):
    paths = [write_plan(text, name) for name, text in texts.items()]
    result = check_paths(paths, policy or Policy(), TODAY)
    return result.plan_files


@pytest.fixture
def plan_files(write_plan):
    return _checked(write_plan, {
        "emea-west/jordan-lee-pip-2026-11.yaml": PIP + f"private: {SECRET}\n",
        "emea-west/alex-kim-growth-2026-11.yaml": GROWTH,
        "na-east/sam-rivera-coaching-2026-11.yaml": COACHING,
        "na-east/quinn-draftly-coaching-2026-11.yaml": DRAFT,
        "na-east/olive-expired-growth-2026-11.yaml": EXPIRED,
    })


@pytest.mark.parametrize("audience, expected", [
    ("all", {"jordan-lee", "alex-kim", "sam-rivera", "quinn-draftly"}),
    ("manager:priya-shah", {"jordan-lee", "alex-kim"}),
    ("manager:dana-brooks", {"sam-rivera", "quinn-draftly"}),
    ("team:na-east", {"sam-rivera"}),
    ("team:emea-west", {"jordan-lee", "alex-kim"}),
    ("person:jordan-lee", {"jordan-lee"}),
    ("person:quinn-draftly", set()),  # their plan is a draft: not theirs to see yet
    ("manager:nobody", set()),
    ("playbook", set()),
])
def test_each_audience_selects_its_plans_and_no_other(plan_files, audience, expected):
    assert len(plan_files) == 5
    selected = select(plan_files, Audience.parse(audience), Policy().retention_days, TODAY)
    assert {chosen.plan.person.id for chosen in selected} == expected


def test_selected_records_have_no_private_field(plan_files):
    selected = select(plan_files, Audience("all"), Policy().retention_days, TODAY)
    assert selected and all(type(chosen.plan) is PublicPlan for chosen in selected)
    for chosen in selected:
        assert not hasattr(chosen.plan, "private")
        assert SECRET not in repr(chosen.plan) and SECRET not in chosen.plan.model_dump_json()


def test_retention_counts_from_the_outcome_date_and_the_last_day_is_kept(write_plan):
    outcome = date(2026, 1, 10)
    closed = GROWTH.change("status: active", "status: closed").without("log:") + (
        f"outcome:\n  date: {outcome}\n  result: met\n  decision: retained\n")
    [plan_file] = _checked(write_plan, {"emea-west/alex-kim-growth-2026-11.yaml": closed})
    days = 30
    assert not past_retention(plan_file.plan, days, outcome + timedelta(days=days))
    assert past_retention(plan_file.plan, days, outcome + timedelta(days=days + 1))
    assert select([plan_file], Audience("all"), days, outcome + timedelta(days=days))
    assert not select([plan_file], Audience("all"), days, outcome + timedelta(days=days + 1))


def test_check_warns_that_a_plan_past_retention_is_due_for_deletion(check):
    report = check(EXPIRED, "na-east/olive-expired-growth-2026-11.yaml")
    finding = report.only("PB210")
    assert finding.severity == "warning"
    assert finding.line == EXPIRED.line("  date: " + str(EXPIRED_OUTCOME))
    assert "delete or archive" in finding.message
    assert check(EXPIRED, "na-east/olive-expired-growth-2026-11.yaml", today=TODAY - timedelta(days=2)).codes == set()


def test_retention_is_a_policy_value(check):
    report = check(EXPIRED, "na-east/olive-expired-growth-2026-11.yaml", policy=Policy(retention_days=800))
    assert "PB210" not in report.codes


# --------------------------------------------------------------------------------------------
# Whole builds, one per audience
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("audiences") / "site", GOOD)
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("site_url: https://playbook.example.com/\n")  # MkDocs lists pages in the sitemap only with it
    extra = {"na-east/quinn-draftly-coaching-2026-11.yaml": DRAFT,
             "na-east/olive-expired-growth-2026-11.yaml": EXPIRED}
    for name, text in extra.items():
        (root / "plans" / name).write_text(text, encoding="utf-8")
    jordan = root / "plans" / "emea-west" / "jordan-lee-pip-2026-10.yaml"
    jordan.write_text(jordan.read_text(encoding="utf-8") + f"private: |\n  {SECRET} about Jordan\n", encoding="utf-8")
    return root


def build_for(root: Path, audience: str | None, site: str) -> subprocess.CompletedProcess:
    env = environment(str(TODAY))
    if audience is not None:
        env["PLAYBOOK_AUDIENCE"] = audience
    return subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / site)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def sites(project) -> dict[str, Path]:
    built = {}
    for audience in ("all", "team:na-east", "team:emea-west", "manager:dana-brooks", "person:sam-rivera", "playbook"):
        name = "site-" + audience.replace(":", "-")
        done = build_for(project, audience, name)
        assert done.returncode == 0, f"{audience}:\n{done.stdout}{done.stderr}"
        built[audience] = project / name
    return built


def plan_pages(site: Path) -> set[str]:
    return {path.parent.name for path in (site / "plans").glob("*/index.html")}


def test_the_hr_build_holds_every_plan_and_drafts(sites):
    assert plan_pages(sites["all"]) == {
        "jordan-lee-pip-2026-10", "alex-kim-growth-2026-10", "sam-rivera-coaching-2026-11",
        "quinn-draftly-coaching-2026-11"}


@pytest.mark.parametrize("audience, team, other", [("team:na-east", "na-east", "emea-west"),
                                                    ("team:emea-west", "emea-west", "na-east")])
def test_a_team_build_holds_its_plans_and_no_trace_of_another_teams_people(sites, audience, team, other):
    site = sites[audience]
    assert PEOPLE[team][0][0] in Page(site, "plans/").text
    for name, ident in PEOPLE[other]:
        assert files_holding(site, name) == [], f"{name} appears in the {audience} build"
        assert files_holding(site, ident) == [], f"{ident} appears in the {audience} build"
    assert (site / "search" / "search_index.json").is_file() and (site / "sitemap.xml").is_file()


def test_the_na_east_team_build_shows_sam_riveras_plan(sites):
    site = sites["team:na-east"]
    assert plan_pages(site) == {"sam-rivera-coaching-2026-11"}
    assert "Sam Rivera" in Page(site, "plans/sam-rivera-coaching-2026-11/").title
    assert "sam-rivera-coaching-2026-11" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "Sam Rivera" in (site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_a_draft_appears_in_no_team_or_person_build(sites):
    for audience in ("team:na-east", "team:emea-west", "person:sam-rivera", "playbook"):
        assert files_holding(sites[audience], "Quinn Draftly") == [], audience
        assert files_holding(sites[audience], "quinn-draftly") == [], audience


def test_a_manager_build_holds_only_their_reps_drafts_included(sites):
    site = sites["manager:dana-brooks"]
    assert plan_pages(site) == {"sam-rivera-coaching-2026-11", "quinn-draftly-coaching-2026-11"}
    for name, ident in PEOPLE["emea-west"]:
        assert files_holding(site, name) == [] and files_holding(site, ident) == []
    assert [path.name for path in (site / "managers").iterdir() if path.is_dir()] == ["dana-brooks"]


def test_a_person_build_holds_their_own_plans_only(sites):
    site = sites["person:sam-rivera"]
    assert plan_pages(site) == {"sam-rivera-coaching-2026-11"}
    assert files_holding(site, "Jordan Lee") == []


def test_the_playbook_build_holds_no_plan_and_says_so(sites):
    site = sites["playbook"]
    assert plan_pages(site) == set()
    for people in PEOPLE.values():
        for name, ident in people:
            assert files_holding(site, name) == [], name
    assert "publishes no plan" in Page(site, "plans/").text
    assert "Casey Morgan" in Page(site, "tools/written-warning/").text  # templates filled from sample data


def test_the_home_page_says_which_audience_the_build_holds(sites):
    assert "every plan, drafts included" in Page(sites["all"], "").text
    assert "team na-east" in Page(sites["team:na-east"], "").text
    assert "no plan is published here" in Page(sites["playbook"], "").text


def test_a_plan_past_retention_leaves_every_build(sites):
    for audience, site in sites.items():
        assert files_holding(site, "Olive Expired") == [], audience


def test_private_text_reaches_no_file_of_any_build(sites):
    for audience, site in sites.items():
        assert files_holding(site, SECRET) == [], audience


def test_pages_that_name_people_ask_search_engines_to_stay_away(sites):
    site = sites["all"]
    for url in ("plans/jordan-lee-pip-2026-10/", "plans/", "teams/", "teams/na-east/", "managers/priya-shah/"):
        assert Page(site, url).meta.get("robots") == "noindex", url
    assert "robots" not in Page(site, "guide/").meta


def test_links_go_only_to_pages_in_the_build(sites):
    # `--strict` already fails on a link to a missing page; this checks the built HTML itself. A plan's
    # playbook version links to its release only where `versions_url` says releases are published: here no
    # build says so, and none has such a link (see test_versions.py for one that does).
    for audience, site in sites.items():
        for path in site.rglob("*.html"):
            page = Page(site, path.relative_to(site).as_posix().removesuffix("index.html"))
            for link in page.links:
                if not link.href or link.href.startswith(("#", "mailto:")) or "://" in link.href:
                    continue
                assert page.target_exists(link.href), f"{audience}: {page.url} links to {link.href}"


HR_FOLDERS = ("compliance", "teams", "managers", "people")


def test_the_playbook_build_has_no_hr_pages_nor_links_to_them(sites):
    site = sites["playbook"]
    assert [folder for folder in HR_FOLDERS if (site / folder).exists()] == []
    for path in site.rglob("*.html"):
        hrefs = [a["href"] for a in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True)]
        linked = [href for href in hrefs if "://" not in href and
                  any(part in HR_FOLDERS for part in posixpath.normpath(
                      posixpath.join(path.relative_to(site).parent.as_posix(), href.split("#")[0])).split("/"))]
        assert linked == [], f"{path.relative_to(site)} links to {linked}"
    assert [folder for folder in HR_FOLDERS if (sites["all"] / folder / "index.html").is_file()] == list(HR_FOLDERS)


def test_the_playbook_build_says_once_that_it_publishes_no_plan(sites):
    assert Page(sites["playbook"], "plans/").text.count("publishes no plan") == 1


def test_an_unknown_audience_is_a_clear_error(project):
    done = build_for(project, "managers:dana", "site-bad")
    assert done.returncode != 0
    assert "PLAYBOOK_AUDIENCE" in done.stderr and "is not an audience" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_takes_the_audience_too(project, tmp_path):
    done = in_process(["export", tmp_path / "out", "--audience", "team:na-east"], cwd=project, today=str(TODAY))
    assert done.returncode == 0, done.stderr
    exported = tmp_path / "out"
    assert (exported / "docs" / "plans" / "sam-rivera-coaching-2026-11" / "index.md").is_file()
    for name, ident in PEOPLE["emea-west"]:
        assert files_holding(exported, name) == [] and files_holding(exported, ident) == []
    assert files_holding(exported, SECRET) == []


def test_a_template_that_asks_for_private_text_fails_the_build(tmp_path):
    root = make_project(tmp_path / "site", GOOD)
    template = root / "playbook" / "templates" / "leak.md"
    template.write_text("---\ntitle: Leak\nkinds: [pip, coaching, growth]\n---\n{{ plan.private }}\n", encoding="utf-8")
    done = build_for(root, "all", "site")
    assert done.returncode != 0
    assert "leak.md" in done.stderr and "private" in done.stderr
    assert "Traceback" not in done.stderr
