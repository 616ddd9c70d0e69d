"""`playbook diff` and generator/diff.py: what a change does to the plans, in words, plan by plan.

The wording is tested on records read from real YAML (one change to a valid plan, the sentence it
gives); pairing, revisions and the three formats through the real `playbook` command in real git
repositories.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import COACHING, GROWTH, PIP, PlanText
from sitekit import in_process
from generator.diff import diff_plans, format_markdown, plan_changes
from generator.load import load_bytes
from generator.model import Plan
from sitekit import GOOD
from test_gitrepo import GitRepo

# The example PIP in its seventh week: the plan the sentences below are said of.
EXAMPLE = PlanText((GOOD / "emea-west" / "jordan-lee-pip-2026-10.yaml").read_text(encoding="utf-8"))
EXAMPLE_PATH = "plans/emea-west/jordan-lee-pip-2026-10.yaml"
SECRET = "SECRET-7f3a medical leave discussed"


def _record(text: str) -> Plan:
    plan = Plan.model_validate(load_bytes(text.encode()).data)
    return plan if plan.id else plan.model_copy(update={"id": "the-plan"})


def said(old: str, new: str) -> list[str]:
    """The sentences that say how `new` differs from `old`."""
    return [change.text for change in plan_changes(_record(old), _record(new))]


# --- the wording, one change at a time ----------------------------------------------------------------------------

LAST_LINE = "    results: {discovery-to-demo: 21, qualified-meetings: 5}\n"

# One change to the example plan (`old` becomes `new`), and the sentence that says it.
ONE_CHANGE = [
    ("targets: {discovery-to-demo: 26,", "targets: {discovery-to-demo: 24,",
     "milestone 'Conversion above the trigger line' target discovery-to-demo 26 -> 24"),
    ("      below: 24\n", "      below: 22\n", "criterion 'Discovery-to-demo conversion' trigger below 24 -> 22"),
    ("- date: 2026-12-04\n      title: 60-day review", "- date: 2026-12-07\n      title: 60-day review",
     "review '60-day review' date 2026-12-04 -> 2026-12-07"),
    ("  days: 90", "  days: 120", "timetable days 90 -> 120"),
    ("status: active", "status: extended", "status active -> extended"),
    (LAST_LINE, LAST_LINE + "  - date: 2026-11-23\n    kind: check-in\n    note: On track.\n",
     "log: check-in on 2026-11-23 added"),
    ("    note: 30-day review held on schedule.", "    note: 30-day review held a day late.",
     "log: review on 2026-11-04 note '30-day review held on schedule.' -> '30-day review held a day late.'"),
    ("results: {discovery-to-demo: 21,", "results: {discovery-to-demo: 23,",
     "log: review on 2026-11-04 result discovery-to-demo 21 -> 23"),
    ("      - Asked about timeline unprompted\n", "",
     "log: ride-along on 2026-10-16 wins removed: 'Asked about timeline unprompted'"),
    (LAST_LINE, LAST_LINE + "outcome:\n  date: 2027-01-03\n  result: met\n  decision: retained\n",
     "outcome added: met, retained on 2027-01-03"),
    ("weekdays: [monday, thursday]", "weekdays: [monday]", "timetable check-ins weekdays monday, thursday -> monday"),
    ("    date: 2026-10-02\n", "    date: 2026-10-02\n  - stage: written-warning\n    date: 2026-12-05\n",
     "escalation written-warning added: 2026-12-05"),
    ("  - Seat in the January discovery workshop\n", "",
     "support 'Seat in the January discovery workshop' removed"),
    ("  - Seat in the January discovery workshop\n",
     "  - {what: Seat in the January discovery workshop, date: 2027-01-12}\n",
     "support 'Seat in the January discovery workshop' date added: 2027-01-12"),
    ("    owner: manager\n", "    owner: person\n",
     "action 'Role-play economic-buyer questions every Thursday check-in.' owner manager -> person"),
    ("{period: 2026-09, value: 18, team: 35}", "{period: 2026-09, value: 16, team: 35}",
     "criterion 'Discovery-to-demo conversion' history 2026-09 value 18 -> 16"),
    ("  person: 2026-10-05\n", "  person: {declined: 2026-10-05, witness: sam-ortiz}\n",
     "acknowledgement person 2026-10-05 -> declined 2026-10-05, witness sam-ortiz"),
    ("    - Three of four lost deals", "    - Two of four lost deals",
     "diagnosis evidence added: 'Two of four lost deals in Q3 had no identified economic buyer.'"),
    ("hr_partner:\n  name: Sam Ortiz\n  id: sam-ortiz\n", "", "HR partner removed: 'Sam Ortiz (sam-ortiz)'"),
    ("  role: Account Executive", "  role: Senior Account Executive",
     "person role 'Account Executive' -> 'Senior Account Executive'"),
]


@pytest.mark.parametrize("old, new, sentence", ONE_CHANGE)
def test_each_change_is_said_the_way_a_person_reads_the_plan(old, new, sentence):
    assert sentence in said(EXAMPLE, EXAMPLE.change(old, new))


def test_a_closed_plan_s_outcome_changes_field_by_field():
    closed = EXAMPLE.change("status: active", "status: closed") + (
        "outcome:\n  date: 2027-01-03\n  result: met\n  decision: retained\n")

    assert said(closed, closed.change("decision: retained", "decision: extended")) == [
        "outcome decision retained -> extended"]


def test_a_retitled_milestone_is_one_removed_and_one_added():
    assert said(EXAMPLE, EXAMPLE.change("    title: Objectives met\n", "    title: All objectives met\n")) == [
        "milestone 'All objectives met' added: 2027-01-03, target discovery-to-demo 30, target qualified-meetings 5",
        "milestone 'Objectives met' removed",
    ]


def test_one_change_gives_one_sentence():
    assert said(EXAMPLE, EXAMPLE.change("  days: 90", "  days: 120")) == ["timetable days 90 -> 120"]


def test_two_log_entries_of_one_kind_on_one_day_are_told_apart():
    twice = EXAMPLE + "  - {date: 2026-11-23, kind: check-in, note: Morning.}\n"

    assert said(twice, twice + "  - {date: 2026-11-23, kind: check-in, note: Afternoon.}\n") == [
        "log: check-in on 2026-11-23 added"]


def test_private_notes_are_said_to_change_and_never_shown():
    old = EXAMPLE + "private: Nothing yet.\n"
    new = EXAMPLE + f"private: {SECRET}\n"

    changes = list(plan_changes(_record(old), _record(new)))

    assert [(change.field, change.old, change.new, change.text) for change in changes] == [
        ("private", None, None, "private notes changed")]


# --- the real command in real repositories -----------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    """A plans repository with the example PIP and two more plans, committed on `main`."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(EXAMPLE_PATH, EXAMPLE)
    repo.write("plans/emea-west/alex-kim-growth-2026-11.yaml", GROWTH)
    repo.write("plans/na-east/sam-rivera-coaching-2026-11.yaml", COACHING)
    repo.commit("Three plans", day="2026-11-16")
    return repo


def diff(repo: GitRepo, *args: str):
    return in_process(["diff", *args], cwd=repo.root)


def test_a_changed_milestone_target_is_named_with_its_plan_and_title(repo):
    repo.write(EXAMPLE_PATH, EXAMPLE.change("targets: {discovery-to-demo: 26,", "targets: {discovery-to-demo: 24,"))
    repo.commit("Lower the 60-day target", day="2026-11-17")

    result = diff(repo, "HEAD~1", "HEAD")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[1:] == [
        f"jordan-lee-pip-2026-10: changed ({EXAMPLE_PATH})",
        "  - milestone 'Conversion above the trigger line' target discovery-to-demo 26 -> 24",
    ]
    assert re.fullmatch(r"Plans from HEAD~1 \([0-9a-f]{7}\) to HEAD \([0-9a-f]{7}\): 1 changed\.",
                        result.stdout.splitlines()[0])


def test_plans_added_removed_and_renamed(repo):
    repo.remove("plans/na-east/sam-rivera-coaching-2026-11.yaml")
    repo.write("plans/na-west/grace-mwangi-growth-2026-11.yaml", GROWTH.change("Alex Kim", "Grace Mwangi"))
    (repo.root / "plans/emea").mkdir()
    repo.git("mv", "plans/emea-west/alex-kim-growth-2026-11.yaml", "plans/emea/alex-kim-growth-2026-12.yaml")
    repo.commit("Add, remove and move", day="2026-11-17")

    result = diff(repo, "HEAD~1", "HEAD")

    assert result.returncode == 0
    assert result.stdout.splitlines()[1:] == [
        "alex-kim-growth-2026-12: renamed (from plans/emea-west/alex-kim-growth-2026-11.yaml "
        "to plans/emea/alex-kim-growth-2026-12.yaml)",
        "  - id alex-kim-growth-2026-11 -> alex-kim-growth-2026-12",
        "grace-mwangi-growth-2026-11: added (plans/na-west/grace-mwangi-growth-2026-11.yaml)",
        "sam-rivera-coaching-2026-11: removed (plans/na-east/sam-rivera-coaching-2026-11.yaml)",
    ]
    assert result.stdout.splitlines()[0].endswith(": 1 added, 1 removed, 1 renamed.")


def test_a_plan_moved_and_rewritten_is_found_by_its_id(repo):
    repo.remove(EXAMPLE_PATH)
    rewritten = PIP.change("kind: pip\n", "kind: pip\nid: jordan-lee-pip-2026-10\n")
    repo.write("plans/emea/jordan-lee.yaml", rewritten)
    repo.commit("Rewrite and move the PIP", day="2026-11-17")

    result = diff(repo, "HEAD~1", "HEAD", "--format", "json")
    plans = json.loads(result.stdout)["plans"]

    assert [(plan["id"], plan["change"], plan["from_path"], plan["path"]) for plan in plans] == [
        ("jordan-lee-pip-2026-10", "renamed", EXAMPLE_PATH, "plans/emea/jordan-lee.yaml")]
    assert {"field": "timetable.start", "old": "2026-10-05", "new": "2026-11-16",
            "text": "timetable start 2026-10-05 -> 2026-11-16"} in plans[0]["changes"]


def test_a_status_change_and_a_log_entry(repo):
    repo.write(EXAMPLE_PATH, EXAMPLE.change("status: active", "status: extended")
               + "  - date: 2026-11-23\n    kind: check-in\n    note: Extension agreed.\n")
    repo.commit("Extend the PIP", day="2026-11-23")

    result = diff(repo, "HEAD~1", "HEAD")

    assert "  - status active -> extended\n  - log: check-in on 2026-11-23 added\n" in result.stdout


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_private_text_is_never_shown_in_any_format(repo, form):
    repo.write(EXAMPLE_PATH, EXAMPLE + f"private: {SECRET}\n")
    repo.write("plans/na-west/new-plan.yaml", GROWTH + f"private: {SECRET}\n")
    repo.write("plans/emea-west/alex-kim-growth-2026-11.yaml", GROWTH + f"private: |\n  {SECRET}\n  [broken\n:")
    repo.commit("Notes for the record", day="2026-11-17")

    result = diff(repo, "HEAD~1", "HEAD", "--format", form)

    assert result.returncode == 0
    assert "SECRET" not in result.stdout and "medical" not in result.stdout and "SECRET" not in result.stderr
    assert "private notes changed" in result.stdout


def test_a_version_that_does_not_parse_is_said_without_its_content(repo):
    repo.write(EXAMPLE_PATH, EXAMPLE.change("status: active", "status: [active"))
    repo.commit("Broken", day="2026-11-17")

    result = diff(repo, "HEAD~1", "HEAD")

    assert result.returncode == 0
    assert "  - cannot be read at HEAD (run playbook check)\n" in result.stdout
    assert "Traceback" not in result.stderr


def test_comments_alone_are_said_to_change_no_value(repo):
    repo.write(EXAMPLE_PATH, "# reviewed by HR\n" + EXAMPLE)
    repo.commit("A comment", day="2026-11-17")

    assert "  - comments or layout changed; no value did\n" in diff(repo, "HEAD~1", "HEAD").stdout


@pytest.mark.parametrize("args, says", [
    (["nope"], "playbook: error: `nope` is not a revision in this repository"),
    (["HEAD", "nope"], "playbook: error: `nope` is not a revision in this repository"),
    (["HEAD~9", "HEAD"], "playbook: error: `HEAD~9` is not a revision in this repository"),
    (["--format", "yaml"], "yaml"),
])
def test_an_unknown_revision_exits_2_with_a_clear_message(repo, args, says):
    result = diff(repo, *args)

    assert result.returncode == 2
    assert says in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_by_default_the_branch_and_the_work_tree_are_compared_with_where_they_left_main(repo):
    repo.git("checkout", "-q", "-b", "lower-target")
    repo.write(EXAMPLE_PATH, EXAMPLE.change("targets: {discovery-to-demo: 26,", "targets: {discovery-to-demo: 24,"))
    repo.commit("Lower the 60-day target", day="2026-11-17")
    repo.git("checkout", "-q", "main")
    repo.write("plans/na-east/sam-rivera-coaching-2026-11.yaml", COACHING.change("  days: 28", "  days: 35"))
    repo.commit("Meanwhile on main", day="2026-11-18")
    repo.git("checkout", "-q", "lower-target")
    repo.write("plans/emea-west/alex-kim-growth-2026-11.yaml", GROWTH.change("    target: 70", "    target: 75"))

    result = diff(repo)

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Plans from the merge base of HEAD and main (") and "to the work tree: 2 changed" in lines[0]
    assert "  - criterion 'Open opportunities with three or more engaged contacts' target 70 -> 75" in lines
    assert "  - milestone 'Conversion above the trigger line' target discovery-to-demo 26 -> 24" in lines
    assert "sam-rivera" not in result.stdout  # changed on main after the branch left it


def test_a_base_alone_is_compared_with_the_work_tree(repo):
    repo.write(EXAMPLE_PATH, EXAMPLE.change("  days: 90", "  days: 120"))

    result = diff(repo, "HEAD")

    assert result.stdout.splitlines()[0].endswith("to the work tree: 1 changed.")
    assert "  - timetable days 90 -> 120" in result.stdout


def test_without_a_main_branch_the_base_must_be_named(tmp_path):
    repo = GitRepo(tmp_path / "repo", branch="trunk")
    repo.write(EXAMPLE_PATH, EXAMPLE)
    repo.commit("One plan")

    result = diff(repo)

    assert result.returncode == 2
    assert "there is no `main` branch to compare with: name the base" in result.stderr


def test_outside_a_repository_is_a_usage_error(tmp_path):
    (tmp_path / "plans").mkdir()

    result = in_process(["diff", "HEAD"], cwd=tmp_path)

    assert result.returncode == 2
    assert "is not in a git repository" in result.stderr


def test_the_plans_folder_comes_from_the_configuration(repo):
    repo.write("mkdocs.yml", "site_name: Plans\nplugins:\n  - playbook:\n      plans_dir: records\n")
    repo.write("records/a-plan.yaml", GROWTH)
    repo.commit("Plans under records/", day="2026-11-17")
    repo.write("records/a-plan.yaml", GROWTH.change("    target: 70", "    target: 80"))
    repo.write(EXAMPLE_PATH, EXAMPLE.change("  days: 90", "  days: 120"))  # not a plan for this site

    result = diff(repo, "HEAD")

    assert result.stdout.splitlines()[1:] == ["a-plan: changed (records/a-plan.yaml)",
                                              "  - criterion 'Open opportunities with three or more engaged "
                                              "contacts' target 70 -> 80"]


def test_nothing_changed_says_so(repo):
    result = diff(repo, "HEAD", "HEAD")

    assert result.returncode == 0
    assert re.fullmatch(r"No plan differs between HEAD \(\w{7}\) and HEAD \(\w{7}\)\.\n", result.stdout)


# --- formats ------------------------------------------------------------------------------------------------------


def _several_changes(repo: GitRepo) -> None:
    repo.write(EXAMPLE_PATH, EXAMPLE.change("title: Conversion above the trigger line",
                                            "title: \"Conversion *above* the `line` @sales-leads <b>#12</b>\""))
    repo.remove("plans/na-east/sam-rivera-coaching-2026-11.yaml")
    repo.write("plans/apac/b-plan.yaml", GROWTH.change("Alex Kim", "Bea Park"))
    repo.commit("Several changes", day="2026-11-17")


def test_markdown_is_a_pull_request_comment_with_every_value_in_a_code_span(repo):
    _several_changes(repo)

    text = diff(repo, "HEAD~1", "HEAD", "--format", "markdown").stdout
    lines = text.splitlines()

    assert lines[1] == "## Plan changes"
    assert [line for line in lines if line.startswith("### ")] == [
        "### `b-plan` added", "### `jordan-lee-pip-2026-10` changed", "### `sam-rivera-coaching-2026-11` removed"]
    assert ("- milestone ``Conversion *above* the `line` @sales-leads <b>#12</b>`` added: `2026-12-04`, "
            "target `discovery-to-demo` `26`, target `qualified-meetings` `5`") in lines
    outside_code = re.sub(r"(`+)(?:(?!\1).)+?\1", "", text)  # what GitHub reads as Markdown
    assert not re.search(r"[@*<>_\[\]]", outside_code.replace("<!-- playbook diff -->", ""))


def test_markdown_stays_within_a_comment_s_length(repo):
    for number in range(30):
        repo.write(f"plans/many/plan-{number:02d}.yaml", GROWTH.change("Alex Kim", f"Person {number}"))
    repo.commit("Thirty plans", day="2026-11-17")

    text = format_markdown(diff_plans(repo.root, repo.root / "plans", "HEAD~1", "HEAD"), limit=1000)

    assert len(text) < 1200
    assert text.rstrip().endswith("more plans: run `playbook diff` for the whole list.")


def test_json_is_a_stable_structure(repo):
    _several_changes(repo)

    first = diff(repo, "HEAD~1", "HEAD", "--format", "json").stdout
    document = json.loads(first)

    assert first == diff(repo, "HEAD~1", "HEAD", "--format", "json").stdout
    assert set(document) == {"base", "head", "plans"}
    assert document["base"]["rev"] == "HEAD~1" and len(document["base"]["commit"]) == 40
    assert [(plan["id"], plan["change"]) for plan in document["plans"]] == [
        ("b-plan", "added"), ("jordan-lee-pip-2026-10", "changed"), ("sam-rivera-coaching-2026-11", "removed")]
    for plan in document["plans"]:
        assert set(plan) == {"id", "path", "change", "from_path", "changes"}
        for change in plan["changes"]:
            assert set(change) == {"field", "old", "new", "text"}
            assert all(isinstance(value, (str, int, float)) or value is None
                       for value in (change["old"], change["new"]))


def test_json_numbers_stay_numbers_and_dates_are_iso(repo):
    repo.write(EXAMPLE_PATH, EXAMPLE.change("targets: {discovery-to-demo: 26,", "targets: {discovery-to-demo: 24.5,")
               .change("- date: 2026-12-04\n      title: 60-day review", "- date: 2026-12-07\n      title: 60-day review"))
    repo.commit("Two changes", day="2026-11-17")

    changes = json.loads(diff(repo, "HEAD~1", "HEAD", "--format", "json").stdout)["plans"][0]["changes"]

    assert {"field": "milestones[Conversion above the trigger line].targets.discovery-to-demo",
            "old": 26, "new": 24.5,
            "text": "milestone 'Conversion above the trigger line' target discovery-to-demo 26 -> 24.5"} in changes
    assert {"field": "timetable.reviews[60-day review].date", "old": "2026-12-04", "new": "2026-12-07",
            "text": "review '60-day review' date 2026-12-04 -> 2026-12-07"} in changes


def test_odd_file_names_are_shown_escaped(repo):
    repo.write("plans/odd/new\nline.yaml", GROWTH)
    repo.write("plans/odd/caf\udce9.yaml", COACHING)
    repo.commit("Odd names", day="2026-11-17")

    text = diff(repo, "HEAD~1", "HEAD").stdout
    document = json.loads(diff(repo, "HEAD~1", "HEAD", "--format", "json").stdout)

    assert "new\\nline: added (plans/odd/new\\nline.yaml)" in text
    assert "caf\\xe9: added (plans/odd/caf\\xe9.yaml)" in text
    assert {plan["path"] for plan in document["plans"]} == {"plans/odd/new\nline.yaml", "plans/odd/caf\\xe9.yaml"}


def test_a_fifo_or_a_link_out_of_the_repository_in_the_work_tree_is_left_out(repo):
    import os

    os.mkfifo(repo.root / "plans" / "emea-west" / "pipe.yaml")
    outside = repo.root.parent / "outside.yaml"
    outside.write_text(GROWTH, encoding="utf-8")
    os.symlink(outside, repo.root / "plans" / "emea-west" / "linked.yaml")

    result = diff(repo, "HEAD")  # a FIFO read would block: the helper's timeout fails the test

    assert result.returncode == 0, result.stderr
    assert "pipe.yaml" not in result.stdout and "linked.yaml" not in result.stdout
