"""`playbook check`: the shared examples, then every rule, each broken in one way and kept nearby.

Each rule test asserts the code and the line a user would see, and a close variant that must not
be reported. The loader's rules (PB100-PB110) are in test_load.py.
"""

from __future__ import annotations

import gc
import json
import re
from datetime import date
from pathlib import Path

import pytest

from generator.check import check_bytes, check_paths
from generator.config import Policy
from generator.rules import REGISTRY, Context
from conftest import PlanText
from growth import FACTOR, LINEAR, growth
from sitekit import BAD, GOOD

TODAY = date(2026, 11, 20)
TEXT_LINE = re.compile(
    r"(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) (?P<code>PB\d{3}) (?P<message>.+)")
GITHUB_LINE = re.compile(
    r"::(?P<severity>error|warning) file=(?P<path>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=(?P<code>PB\d{3})::(?P<message>.+)")


# --- the example plans (a copy in tests/examples) ---------------------------------------------------------------------------------------


def _good_examples() -> list[Path]:
    return sorted(GOOD.rglob("*.yaml"))


def _bad_examples() -> list[Path]:
    return sorted(BAD.glob("*.yaml"))


def _expected_line(path: Path) -> int:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.match(r"# expect: line (\d+):", first)
    assert match, f"{path.name}: the first line does not say where the plan must fail: {first!r}"
    return int(match[1])


def test_the_shared_examples_are_there(shared_examples):
    assert len(_good_examples()) >= 3
    assert len(_bad_examples()) >= 6


@pytest.mark.parametrize("path", _good_examples(), ids=lambda path: path.name)
def test_a_good_example_has_no_error(path):
    result = check_paths([path], Policy(), TODAY)

    assert [f for f in result.findings if f.severity == "error"] == []
    assert len(result.plan_files) == 1


def test_the_good_examples_pass_the_command(cli, shared_examples):
    result = cli("check", "--today", "2026-11-20", shared_examples / "good")

    assert result.returncode == 0, result.stdout
    assert " error " not in result.stdout


@pytest.fixture(scope="module")
def bad_example_output(playbook, tmp_path_factory):
    """The command's output on each bad example alone, in each format: {(name, format): stdout}."""
    cwd = tmp_path_factory.mktemp("bad")
    outputs = {}
    for path in _bad_examples():
        for form in ("text", "json", "github"):
            result = playbook(["check", "--today", "2026-11-20", "--format", form, path], cwd)
            assert result.returncode == 1, f"{path.name} --format {form}: exit {result.returncode}\n{result.stderr}"
            assert "Traceback" not in result.stderr
            outputs[path.name, form] = result.stdout
    return outputs


@pytest.mark.parametrize("path", _bad_examples(), ids=lambda path: path.name)
def test_a_bad_example_fails_at_its_line_in_text_format(bad_example_output, path):
    rows = [TEXT_LINE.fullmatch(line) for line in bad_example_output[path.name, "text"].splitlines()]

    assert all(rows), bad_example_output[path.name, "text"]
    assert all(row["path"] == str(path) for row in rows)
    errors = {int(row["line"]) for row in rows if row["severity"] == "error"}
    assert _expected_line(path) in errors


@pytest.mark.parametrize("path", _bad_examples(), ids=lambda path: path.name)
def test_a_bad_example_fails_at_its_line_in_json_format(bad_example_output, path):
    rows = json.loads(bad_example_output[path.name, "json"])

    assert all(set(row) == {"path", "line", "col", "severity", "code", "message"} for row in rows)
    assert all(isinstance(row["line"], int) and isinstance(row["col"], int) for row in rows)
    assert all(row["path"] == str(path) and re.fullmatch(r"PB\d{3}", row["code"]) for row in rows)
    assert _expected_line(path) in {row["line"] for row in rows if row["severity"] == "error"}


@pytest.mark.parametrize("path", _bad_examples(), ids=lambda path: path.name)
def test_a_bad_example_fails_at_its_line_in_github_format(bad_example_output, path):
    rows = [GITHUB_LINE.fullmatch(line) for line in bad_example_output[path.name, "github"].splitlines()]

    assert all(rows), bad_example_output[path.name, "github"]
    assert _expected_line(path) in {int(row["line"]) for row in rows if row["severity"] == "error"}


def test_the_three_formats_report_the_same_findings(bad_example_output):
    for path in _bad_examples():
        text = [TEXT_LINE.fullmatch(line) for line in bad_example_output[path.name, "text"].splitlines()]
        github = [GITHUB_LINE.fullmatch(line) for line in bad_example_output[path.name, "github"].splitlines()]
        as_json = json.loads(bad_example_output[path.name, "json"])
        from_text = [(int(r["line"]), int(r["col"]), r["code"], r["message"]) for r in text]
        assert from_text == [(r["line"], r["col"], r["code"], r["message"]) for r in as_json]
        assert [row[:3] for row in from_text] == [(int(r["line"]), int(r["col"]), r["code"]) for r in github]


# --- every rule ------------------------------------------------------------------------------------------------

RULES_UNDER_TEST = """
    PB100 PB101 PB102 PB103 PB104 PB105 PB106 PB107 PB108 PB109 PB110
    PB111 PB112 PB113 PB114 PB115 PB116 PB117 PB118 PB119 PB120 PB121 PB122 PB123
    PB201 PB202 PB203 PB204 PB205 PB206 PB207 PB208 PB209 PB210 PB211 PB215
    PB300 PB301 PB302 PB303 PB304 PB305 PB306 PB307 PB308
    PB401 PB402 PB403 PB404 PB405 PB406 PB407 PB408 PB409 PB410 PB411 PB412
    PB501 PB502 PB503 PB504 PB505
    PB601 PB602 PB603 PB604 PB605 PB606
    PB701 PB702 PB703 PB704
""".split()


def test_every_registered_rule_is_under_test():
    # A new rule needs its tests (here, or in test_load.py for the loader) and its code in this list.
    # PB119 is tested in test_hr_view.py (the roster), PB120 and PB121 in test_roster.py (its identities),
    # PB210 in test_audiences.py (retention), PB701 and PB702 in test_lock.py (check --base against real git),
    # PB215 in test_asof.py (the record as of a date).
    assert sorted(REGISTRY) == RULES_UNDER_TEST


@pytest.mark.parametrize("kind", ["pip", "growth", "coaching"])
def test_the_base_plans_have_no_finding_at_all(check, request, kind):
    assert check(request.getfixturevalue(f"{kind}_plan")).findings == []


# PB111 unknown-field

def test_pb111_an_unknown_field_is_refused_with_the_closest_field_suggested(check, pip_plan):
    plan = pip_plan.change("consequences:", "consequence:")

    finding = check(plan).only("PB111")

    assert (finding.line, finding.col) == (plan.line("consequence:"), 1)
    assert "did you mean `consequences`?" in finding.message


def test_pb111_an_unknown_nested_field_is_refused_at_its_key(check, pip_plan):
    plan = pip_plan.change('    unit: "%"', '    units: "%"')

    report = check(plan)

    assert report.at("PB111") == [(plan.line("units:"), 5)]
    assert "did you mean `unit`?" in report.only("PB111").message


def test_pb111_free_notes_belong_in_private_which_is_a_known_field(check, pip_plan):
    assert check(pip_plan + "private: Talked with HR about the timing.\n").findings == []


# PB112 missing-field

@pytest.mark.parametrize("block", ["timetable:", "criteria:", "milestones:", "actions:"])
def test_pb112_a_missing_section_is_refused_at_the_plan(check, pip_plan, block):
    finding = check(pip_plan.without(block)).only("PB112")

    assert (finding.line, finding.col) == (1, 1)
    assert f"`{block[:-1]}`" in finding.message


def test_pb112_missing_reviews_are_refused_at_the_timetable(check, pip_plan):
    plan = pip_plan.without("  reviews:")

    report = check(plan)

    assert report.at("PB112") == [(plan.line("start: 2026-11-16"), 3)]
    assert "`reviews`" in report.only("PB112").message


def test_pb112_a_criterion_without_unit_is_refused_at_the_criterion(check, pip_plan):
    plan = pip_plan.without('    unit: "%"')

    assert check(plan).at("PB112") == [(plan.line("- id: discovery-to-demo"), 5)]


def test_pb112_an_optional_field_may_be_left_out(check, coaching_plan):
    assert check(coaching_plan.without("    cadence: daily")).findings == []


# PB113 invalid-value

@pytest.mark.parametrize("old, new, col", [
    ("  days: 90", '  days: "90"', 9),
    ("status: active", "status: running", 9),
    ("    owner: person", "    owner: team", 12),
    ("  start: 2026-11-16", "  start: soon", 10),
    ("    baseline: 18", "    baseline: [18]", 15),
    ("  summary: Meetings stall between discovery and demo.", "  summary: 42", 12),
    ("    weekdays: [monday]", "    weekdays: [mondays]", 16),
])
def test_pb113_a_value_of_the_wrong_type_is_refused_where_it_starts(check, pip_plan, old, new, col):
    plan = pip_plan.change(old, new)

    assert check(plan).at("PB113") == [(plan.line(new.strip()), col)]


@pytest.mark.parametrize("old, new", [
    ("  summary: Meetings stall between discovery and demo.", '  summary: "42"'),
    ("    baseline: 18", "    baseline: 18.5"),
    ("  days: 90", "  days: +90"),
])
def test_pb113_values_of_the_right_type_pass(check, pip_plan, old, new):
    assert check(pip_plan.change(old, new)).findings == []


# PB114 not-a-slug

@pytest.mark.parametrize("old, new, col", [
    ("  id: jordan-lee", "  id: ../../etc/jordan", 7),
    ("  team: emea-west", "  team: ../hr", 9),
    ("  id: priya-shah", "  id: priya/shah", 7),
    ("  id: sam-ortiz", "  id: Sam Ortiz", 7),
])
def test_pb114_an_id_used_in_a_path_must_be_a_slug(check, pip_plan, old, new, col):
    plan = pip_plan.change(old, new)

    assert check(plan).at("PB114") == [(plan.line(new.strip()), col)]


def test_pb114_the_plan_id_must_be_a_slug(check, pip_plan):
    assert check("id: ../jordan-lee\n" + pip_plan).at("PB114") == [(1, 5)]


def test_pb114_an_id_is_at_most_80_characters(check, pip_plan):
    assert check(f"id: {'a' * 80}\n" + pip_plan).findings == []
    assert check(f"id: {'a' * 81}\n" + pip_plan).at("PB114") == [(1, 5)]


def test_pb114_a_file_name_that_is_not_a_slug_is_refused_unless_id_is_given(check, pip_plan):
    report = check(pip_plan, "emea-west/Jordan Lee PIP.yaml")

    assert report.at("PB114") == [(1, 1)]
    assert "Jordan Lee PIP" in report.only("PB114").message
    assert check("id: jordan-lee-pip\n" + pip_plan, "emea-west/Jordan Lee PIP.yaml").findings == []


def test_pb114_an_empty_id_leaves_the_file_name_as_the_id(check, pip_plan):
    assert check("id:\n" + pip_plan, "emea-west/Jordan Lee PIP.yaml").at("PB114") == [(1, 1)]
    assert check("id:\n" + pip_plan).findings == []


@pytest.mark.parametrize("stem", ["jordan-lee\n", "jordan-lee\r", "jordan-lee\n\n", " jordan-lee", "jordan-lee\t",
                                  "jordan-lee\u2028", "ｊｏｒｄａｎ"])
def test_pb114_a_file_name_is_a_slug_only_as_a_whole(check, pip_plan, stem):
    assert check(pip_plan, f"team/{stem}.yaml").at("PB114") == [(1, 1)]


# PB115 empty-list

@pytest.mark.parametrize("block", ["criteria:", "milestones:", "actions:"])
def test_pb115_an_empty_section_is_refused(check, pip_plan, block):
    plan = pip_plan.without(block) + f"{block} []\n"

    assert check(plan).at("PB115") == [(plan.line(f"{block} []"), len(block) + 2)]


@pytest.mark.parametrize("old, new, col", [
    ("    weekdays: [monday]\n", "    weekdays: []\n", 15),
    ("    weekdays: [monday]\n", "    weekdays: [monday]\n  reviews: []\n", 12),
])
def test_pb115_no_review_or_no_check_in_day_is_refused(check, pip_plan, old, new, col):
    plan = pip_plan.without("  reviews:").change(old, new)

    assert check(plan).at("PB115") == [(plan.line(new.splitlines()[-1]), col)]


def test_pb115_one_item_is_enough(check, coaching_plan):
    plan = coaching_plan.without("milestones:") + (
        "milestones:\n  - {date: 2026-12-14, title: Activity at the agreed level, targets: {outbound-calls: 30}}\n")

    assert check(plan).findings == []


# PB116 placeholder

def test_pb116_a_placeholder_value_is_refused_where_it_stands(check, pip_plan):
    plan = pip_plan.change("    title: Objectives met", "    title: TODO what is true by this date")

    finding = check(plan).only("PB116")

    assert (finding.line, finding.col) == (plan.line("title: TODO"), 12)
    assert "TODO what is true by this date" in finding.message


def test_pb116_a_placeholder_key_is_refused_at_the_key(check, pip_plan):
    plan = pip_plan.change("targets: {discovery-to-demo: 30}", "targets: {TODO-metric-id: 30}")

    assert check(plan).at("PB116") == [(plan.line("TODO-metric-id"), 15)]


def test_pb116_the_word_todo_inside_a_note_is_not_a_placeholder(check, pip_plan):
    plan = pip_plan.change("note: Plan signed;", "note: Went through the TODO list; plan signed;")

    assert check(plan).findings == []


# Long values in messages

LONG = "x" * 100_000


@pytest.mark.parametrize("old, new, code", [
    ("kind: pip\n", f"kind: pip\n? {LONG}\n: 1\n", "PB111"),
    ("targets: {discovery-to-demo: 24}", f"targets: {{discovery-to-demo: 24, {'a' * 1000}: 5}}", "PB114"),
    ("  id: jordan-lee", f"  id: {LONG}", "PB114"),
    ("    title: Objectives met", f"    title: TODO {LONG}", "PB116"),
    ("    baseline: 18", f"    baseline: {'1_' * 50_000}x", "PB113"),
    ("    baseline: 18", f"    baseline: {'9' * 100_000}", "PB117"),
    ("  role: Account Executive\n", f"  role: Account Executive\n  {'r' * 1000}: x\n  {'r' * 1000}: y\n", "PB104"),
])
def test_a_message_quotes_only_the_start_of_a_long_value(check, pip_plan, old, new, code):
    finding = check(pip_plan.change(old, new)).findings[0]

    assert finding.code == code
    assert len(finding.message) < 300


# PB118 too-many-findings

MANY_PROBLEMS = {  # a line that is one finding, repeated to fill a file under the size bound
    "duplicate keys": "a: 1\n",
    "YAML 1.1 keys": "0{n}: 1\n",
    "unknown fields": "field{n}: 1\n",
    "aliases": "- *alias{n}\n",
    "placeholders": "- TODO {n}\n",
    "huge numbers": "- {n}000000000000000\n",
    "private keys twice": "  secret: {n}\n",
}


@pytest.mark.parametrize("line", MANY_PROBLEMS.values(), ids=MANY_PROBLEMS.keys())
def test_pb118_a_file_with_thousands_of_findings_shows_the_first_200_in_linear_time(line):
    head = {"- ": "a:\n", "  ": "private:\n"}.get(line[:2], "")
    most = (1024 * 1024 - 100) // len(line.format(n=10**5))

    def file_of(lines: int) -> bytes:
        return (head + "".join(line.format(n=n) for n in range(lines))).encode()

    def check(raw: bytes):
        return check_bytes(raw, "plans/team/plan.yaml", Context(Policy(), TODAY))[1]

    assert len(file_of(most)) < 1024 * 1024
    assert growth(check, file_of, most // FACTOR ** 2) < LINEAR
    findings = check(file_of(most // FACTOR))
    assert len(findings) == 201
    assert findings[-1].code == "PB118" and "first 200" in findings[-1].message
    assert findings[-1].line >= max(finding.line for finding in findings[:-1])


def test_pb118_two_hundred_findings_are_all_shown(check, pip_plan):
    report = check(pip_plan + "".join(f"extra-{n}: x\n" for n in range(200)))

    assert len(report.findings) == 200 and "PB118" not in report.codes


# PB201 plan-length

@pytest.mark.parametrize("old, new, at", [
    ("  days: 90\n", "  days: 90\n  end: 2027-02-14\n", ("end: 2027-02-14", 8)),  # both: the end is the value to drop
    ("  days: 90\n", "  end: 2026-11-16\n", ("end: 2026-11-16", 8)),  # ends on the day it starts
    ("  days: 90\n", "", ("start: 2026-11-16", 3)),  # neither: the timetable mapping that lacks it
])
def test_pb201_the_length_is_days_or_an_end_after_the_start(check, pip_plan, old, new, at):
    plan = pip_plan.change(old, new)

    snippet, col = at
    assert check(plan).at("PB201") == [(plan.line(snippet), col)]


def test_pb201_an_end_instead_of_days_passes(check, pip_plan):
    assert check(pip_plan.change("  days: 90", "  end: 2027-02-14")).findings == []


# PB202 review-outside-window

@pytest.mark.parametrize("old, new", [
    ("    - date: 2027-02-12", "    - date: 2026-11-15"),
    ("    - date: 2027-05-14", "    - date: 2027-05-15"),
])
def test_pb202_a_review_before_the_start_or_after_the_end_is_refused(check, growth_plan, old, new):
    plan = growth_plan.change(old, new)

    assert check(plan).at("PB202") == [(plan.line(new), 13)]


def test_pb202_reviews_on_the_first_and_the_last_day_pass(check, growth_plan):
    plan = growth_plan.change("    - date: 2027-02-12", "    - date: 2026-11-16")

    assert check(plan).findings == []


# PB203 log-outside-window

def test_pb203_a_log_entry_before_the_start_is_refused(check, pip_plan):
    plan = pip_plan.change("  - date: 2026-11-16\n    kind: check-in", "  - date: 2026-11-15\n    kind: check-in")

    assert check(plan).at("PB203") == [(plan.line("date: 2026-11-15"), 11)]


def test_pb203_a_log_entry_after_the_end_is_refused_and_on_the_end_day_passes(check, coaching_plan):
    after = coaching_plan.change("{date: 2026-11-19,", "{date: 2026-12-15,")
    on_end = coaching_plan.change("{date: 2026-11-19,", "{date: 2026-12-14,")

    assert check(after).at("PB203") == [(after.line("2026-12-15"), 12)]
    assert "PB203" not in check(on_end).codes


# PB204 milestone-outside-window

def test_pb204_a_milestone_before_the_start_is_refused(check, pip_plan):
    plan = pip_plan.change("\n  - date: 2026-12-16", "\n  - date: 2026-11-13")

    assert check(plan).at("PB204") == [(plan.line("  - date: 2026-11-13"), 11)]


def test_pb204_a_milestone_after_the_end_is_refused(check, growth_plan):
    plan = growth_plan.change("\n  - date: 2027-05-14", "\n  - date: 2027-05-15")

    finding = check(plan).only("PB204")

    assert (finding.line, finding.col) == (plan.line("2027-05-15"), 11)
    assert "after the plan ends (2027-05-14)" in finding.message


def test_pb204_milestones_on_the_first_and_last_day_pass(check, growth_plan):
    assert check(growth_plan.change("\n  - date: 2027-02-12", "\n  - date: 2026-11-16")).findings == []


# PB205 milestones-not-ascending

@pytest.mark.parametrize("second", ["2026-11-30", "2026-11-29"])
def test_pb205_a_milestone_not_after_the_one_before_is_refused(check, coaching_plan, second):
    plan = coaching_plan.change("\n  - date: 2026-12-14", f"\n  - date: {second}")

    assert check(plan).at("PB205") == [(plan.line("title: Activity at the agreed level") - 1, 11)]


def test_pb205_ascending_milestones_pass(check, coaching_plan):
    assert check(coaching_plan.change("\n  - date: 2026-12-14", "\n  - date: 2026-12-01")).findings == []


# PB206 pip-length

@pytest.mark.parametrize("days, refused", [(29, True), (30, False), (90, False), (91, True)])
def test_pb206_a_pip_runs_30_to_90_days(check, pip_plan, days, refused):
    plan = pip_plan.change("  days: 90", f"  days: {days}")

    assert check(plan).lines("PB206") == ([plan.line("  days:")] if refused else [])


def test_pb206_the_length_given_as_an_end_is_refused_at_the_end(check, pip_plan):
    plan = pip_plan.change("  days: 90", "  end: 2027-02-15")

    assert check(plan).at("PB206") == [(plan.line("end: 2027-02-15"), 8)]


@pytest.mark.parametrize("days, refused", [(120, False), (121, True)])
def test_pb206_an_extended_pip_runs_up_to_120_days(check, pip_plan, days, refused):
    plan = pip_plan.change("status: active", "status: extended").change("  days: 90", f"  days: {days}")

    assert check(plan).lines("PB206") == ([plan.line("  days:")] if refused else [])


def test_pb206_a_growth_plan_has_no_length_bound(check, growth_plan):
    assert check(growth_plan.change("  end: 2027-05-14", "  end: 2027-11-14")).findings == []


def test_pb206_the_bounds_are_policy(check, pip_plan):
    plan = pip_plan.change("  days: 90", "  days: 120")

    assert check(plan).lines("PB206") == [plan.line("days: 120")]
    assert check(plan, policy=Policy(pip_max_days=120)).findings == []
    assert check(pip_plan, policy=Policy(pip_min_days=91)).lines("PB206") == [pip_plan.line("days: 90")]


def _mkdocs_yml(options: str) -> str:
    return f"site_name: Playbook\nplugins:\n  - search\n  - playbook:\n{options}"


def test_pb206_the_command_reads_the_policy_from_the_mkdocs_yml_given(cli, write_plan, pip_plan, tmp_path):
    path = write_plan(pip_plan.change("  days: 90", "  days: 120"))
    config = tmp_path / "site" / "mkdocs.yml"
    config.parent.mkdir()
    config.write_text(_mkdocs_yml("      policy: {pip_max_days: 120}\n"))

    without = cli("check", "--today", "2026-11-20", path)
    given = cli("check", "--today", "2026-11-20", "--config", config, path)

    assert without.returncode == 1 and "PB206" in without.stdout
    assert given.returncode == 0, given.stdout + given.stderr
    assert given.stdout == ""


def test_pb206_the_command_reads_the_policy_from_mkdocs_yml_in_the_working_folder(cli, write_plan, pip_plan, tmp_path):
    write_plan(pip_plan.change("  days: 90", "  days: 120"))
    (tmp_path / "mkdocs.yml").write_text(_mkdocs_yml(
        "      today: 2026-11-20\n      policy:\n        pip_max_days: 120\n"))

    assert cli("check").returncode == 0  # the default folder is `plans` beside mkdocs.yml

    (tmp_path / "mkdocs.yml").write_text(_mkdocs_yml("      today: 2026-11-20\n"))
    result = cli("check")
    assert result.returncode == 1
    assert re.search(r":\d+:\d+: error PB206 ", result.stdout)


# PB207 pip-check-ins

def test_pb207_pip_check_ins_every_two_weeks_are_refused(check, pip_plan):
    plan = pip_plan.change("    weekdays: [monday]\n", "    weekdays: [monday]\n    every_weeks: 2\n")

    assert check(plan).at("PB207") == [(plan.line("every_weeks: 2"), 18)]
    assert check(plan.change("every_weeks: 2", "every_weeks: 1")).findings == []


def test_pb207_a_growth_plan_may_meet_every_two_weeks(check, growth_plan):
    assert "every_weeks: 2" in growth_plan
    assert check(growth_plan).findings == []


# PB208 running-past-end (warning)

def test_pb208_an_active_plan_whose_end_has_passed_is_warned(check, coaching_plan):
    report = check(coaching_plan, today=date(2026, 12, 15))

    finding = report.only("PB208")
    assert (finding.line, finding.col, finding.severity) == (coaching_plan.line("status: active"), 9, "warning")


def test_pb208_on_its_end_day_a_plan_is_still_running(check, coaching_plan):
    assert "PB208" not in check(coaching_plan, today=date(2026, 12, 14)).codes


def test_pb208_a_closed_plan_past_its_end_is_not_warned(check, coaching_plan):
    plan = coaching_plan.change("status: active", "status: closed") + (
        "outcome: {date: 2026-12-14, result: met, decision: retained}\n")

    assert "PB208" not in check(plan, today=date(2026, 12, 15)).codes


# PB209 check-ins-missing (warning)

def test_pb209_fewer_check_ins_logged_than_expected_is_warned(check, coaching_plan):
    plan = coaching_plan.change("  - {date: 2026-11-19, kind: check-in, note: 14 calls a day.}\n", "")

    finding = check(plan).only("PB209")

    assert (finding.line, finding.col, finding.severity) == (plan.line("weekdays: [monday, thursday]"), 5, "warning")
    assert "1 check-in logged of 2 expected" in finding.message


def test_pb209_todays_check_in_is_not_expected_yet(check, coaching_plan):
    plan = coaching_plan.change("  - {date: 2026-11-19, kind: check-in, note: 14 calls a day.}\n", "")

    assert check(plan, today=date(2026, 11, 19)).findings == []


def test_pb209_a_check_in_logged_today_does_not_make_up_for_a_missed_one(check, coaching_plan):
    plan = coaching_plan.change("  - {date: 2026-11-16, kind: check-in, note: Built the day outline together.}\n", "")

    finding = check(plan, today=date(2026, 11, 19)).only("PB209")

    assert "0 check-ins logged of 1 expected by 2026-11-19" in finding.message


def test_pb209_a_draft_expects_no_check_in(check, coaching_plan):
    plan = coaching_plan.change("status: active", "status: draft").without("log:")

    assert check(plan).findings == []


# PB211 day-off (warning)

GB = Policy(holidays={"country": "GB", "subdivision": "ENG"})


def on_tuesdays(plan: PlanText) -> PlanText:
    """Check-ins on Tuesdays, which meet no English public holiday from November to February."""
    return plan.change("weekdays: [monday]", "weekdays: [tuesday]")


def test_pb211_a_review_and_milestone_on_a_sunday_are_warned(check, pip_plan):
    plan = on_tuesdays(pip_plan)  # the final review and the last milestone fall on Sunday 2027-02-14

    found = check(plan, policy=GB).findings

    lines = plan.splitlines()
    assert [(f.code, f.severity, f.line, f.col, f.message) for f in found] == [
        ("PB211", "warning", lines.index("    - date: 2027-02-14") + 1, 13, "review date 2027-02-14 is a Sunday"),
        ("PB211", "warning", lines.index("  - date: 2027-02-14") + 1, 11, "milestone date 2027-02-14 is a Sunday")]


def test_pb211_a_public_holiday_is_named(check, pip_plan):
    plan = (on_tuesdays(pip_plan)
            .change("    - date: 2026-12-16\n      title: 30-day review", "    - date: 2026-12-25\n      title: 30-day review")
            .change("      by: 2026-12-16", "      by: 2026-12-25")
            .change("  - date: 2026-12-16\n", "  - date: 2026-12-25\n")
            .change("  days: 90", "  days: 88").replace("2027-02-14", "2027-02-12"))

    found = check(PlanText(plan), policy=GB).findings

    assert [f.message for f in found] == ["review date 2026-12-25 is a public holiday, Christmas Day",
                                          "milestone date 2026-12-25 is a public holiday, Christmas Day"]


def test_pb211_check_ins_on_holidays_and_on_a_weekend_day(check, pip_plan):
    plan = pip_plan.change("weekdays: [monday]", "weekdays: [friday, saturday]")

    found = [f for f in check(plan, policy=GB).findings if "check-ins" in f.message]

    assert [(f.line, f.col, f.message) for f in found] == [
        (plan.line("weekdays: [friday, saturday]"), 5, "check-ins fall on public holidays: 2026-12-25 "
                                                       "(Christmas Day), 2027-01-01 (New Year's Day)"),
        (plan.line("weekdays: [friday, saturday]"), 24, "check-ins on saturday fall on the weekend")]


def test_pb211_is_silent_without_a_calendar_and_for_a_closed_plan(check, pip_plan):
    assert check(pip_plan).findings == []
    closed = pip_plan.change("status: active", "status: closed") + (
        "outcome:\n  date: 2026-11-19\n  result: withdrawn\n  decision: retained\n")
    assert not [f for f in check(closed, policy=GB).findings if f.code == "PB211"]


# PB300 trigger-line

@pytest.mark.parametrize("old, new, at", [
    ("      below: 24\n", "      below: 24\n      above: 40\n", "below: 24"),
    ("      below: 24\n", "", "by: 2026-12-16"),
])
def test_pb300_a_trigger_has_exactly_one_line(check, pip_plan, old, new, at):
    plan = pip_plan.change(old, new)

    assert check(plan).at("PB300") == [(plan.line(at), 7)]


def test_pb300_a_trigger_above_a_line_passes(check, pip_plan):
    assert check(pip_plan.change("      below: 24", "      above: 10")).findings == []


# PB301 unknown-criterion

def test_pb301_a_milestone_target_naming_no_criterion_is_refused(check, pip_plan):
    plan = pip_plan.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 24, discovery: 20}")

    finding = check(plan).only("PB301")

    assert finding.line == plan.line("discovery: 20")
    assert "`discovery`" in finding.message


# PB302 criterion-unmeasured, PB305 duplicate-criterion

SECOND_CRITERION = """\
  - id: {id}
    metric: Qualified first meetings per week
    unit: meetings
    baseline: 4
    target: 5
    history:
      - {{period: 2026-Q3, value: 4, team: 6}}
    trigger:
      below: 4
      by: 2027-02-14
      then: final-warning
"""


def _with_second_criterion(plan, criterion_id: str):
    return plan.change("actions:\n", SECOND_CRITERION.format(id=criterion_id) + "actions:\n")


def test_pb302_a_pip_criterion_that_no_milestone_measures_is_refused(check, pip_plan):
    plan = _with_second_criterion(pip_plan, "qualified-meetings")

    assert check(plan).at("PB302") == [(plan.line("- id: qualified-meetings"), 9)]

    measured = plan.change("targets: {discovery-to-demo: 30}",
                           "targets: {discovery-to-demo: 30, qualified-meetings: 5}")
    assert check(measured).findings == []


def test_pb302_a_growth_criterion_may_go_unmeasured(check, growth_plan):
    plan = growth_plan.change("actions:\n", SECOND_CRITERION.format(id="qualified-meetings").split("    trigger:")[0]
                              + "actions:\n")

    assert check(plan).findings == []


def test_pb305_two_criteria_with_one_id_are_refused_at_the_second(check, pip_plan):
    plan = _with_second_criterion(pip_plan, "discovery-to-demo")

    assert check(plan).lines("PB305") == [plan.line("metric: Qualified first meetings per week") - 1]


# PB303 criterion-without-trigger

def test_pb303_a_pip_criterion_without_trigger_is_refused(check, pip_plan):
    plan = pip_plan.without("    trigger:")

    assert check(plan).at("PB303") == [(plan.line("- id: discovery-to-demo"), 5)]


def test_pb303_a_coaching_criterion_needs_no_trigger(check, coaching_plan):
    assert "trigger" not in coaching_plan
    assert check(coaching_plan).findings == []


# PB304 trigger-not-on-review

def test_pb304_a_trigger_date_that_is_no_review_date_is_refused(check, pip_plan):
    plan = pip_plan.change("      by: 2026-12-16", "      by: 2026-12-17")

    finding = check(plan).only("PB304")

    assert (finding.line, finding.col) == (plan.line("by: 2026-12-17"), 11)
    assert "2026-12-16, 2027-02-14" in finding.message


def test_pb304_a_trigger_on_any_review_date_passes(check, pip_plan):
    assert check(pip_plan.change("      by: 2026-12-16", "      by: 2027-02-14")).findings == []


# PB306 unknown-result

def test_pb306_a_logged_result_naming_no_criterion_is_refused(check, pip_plan):
    plan = pip_plan.change("reviews.\n", "reviews.\n    results: {discovery: 20}\n")

    assert check(plan).lines("PB306") == [plan.line("results:")]
    assert check(plan.change("{discovery: 20}", "{discovery-to-demo: 20}")).findings == []


# PB307 growth-without-history (warning)

def test_pb307_a_growth_criterion_without_history_is_warned(check, growth_plan):
    plan = growth_plan.without("    history:")

    finding = check(plan).only("PB307")

    assert (finding.line, finding.col, finding.severity) == (plan.line("- id: multi-threading"), 5, "warning")


def test_pb307_a_pip_criterion_needs_no_history(check, pip_plan):
    assert "history" not in pip_plan
    assert check(pip_plan).findings == []


# PB401-PB404: what each kind owes

@pytest.mark.parametrize("code, kind, block", [
    ("PB401", "pip", "hr_partner:"),
    ("PB402", "pip", "diagnosis:"),
    ("PB402", "coaching", "diagnosis:"),
    ("PB403", "pip", "consequences:"),
    ("PB404", "pip", "acknowledgement:"),
])
def test_pb401_to_pb404_a_required_part_left_out_is_refused_at_the_plan(check, request, code, kind, block):
    plan = request.getfixturevalue(f"{kind}_plan")
    if block == "consequences:":
        plan = plan.change("consequences: A written warning may follow if the objectives are not met.\n",
                           "")
    else:
        plan = plan.without(block)

    report = check(plan)

    assert [(f.code, f.line, f.col) for f in report.findings] == [(code, 1, 1)]


@pytest.mark.parametrize("kind, block", [
    ("coaching", "hr_partner:"),  # only a pip has an HR partner
    ("growth", "diagnosis:"),  # a growth plan is for every rep: nothing to diagnose
])
def test_pb401_pb402_are_required_by_kind(check, request, kind, block):
    plan = request.getfixturevalue(f"{kind}_plan")

    assert block not in plan
    assert check(plan).findings == []


def test_pb404_a_draft_pip_may_be_unsigned(check, pip_plan):
    plan = pip_plan.change("status: active", "status: draft").without("acknowledgement:")

    assert check(plan).findings == []


# PB405 acknowledgement-out-of-time

@pytest.mark.parametrize("old, new, refused", [
    ("  person: 2026-11-16", "  person: 2026-11-12", True),  # before the conversation (2026-11-13)
    ("  person: 2026-11-16", "  person: 2026-11-13", False),  # on the day of the conversation
    ("  manager: 2026-11-16", "  manager: 2026-11-24", True),  # 8 days after the start
    ("  manager: 2026-11-16", "  manager: 2026-11-23", False),  # 7 days after the start
])
def test_pb405_signatures_between_the_conversation_and_seven_days_after_the_start(check, pip_plan, old, new, refused):
    plan = pip_plan.change(old, new)

    assert check(plan).at("PB405") == ([(plan.line(new), len(old) - 9)] if refused else [])


def test_pb405_without_a_conversation_step_the_start_opens_the_plan(check, pip_plan):
    plan = pip_plan.without("escalation:").change("  person: 2026-11-16", "  person: 2026-11-15")

    finding = check(plan).only("PB405")

    assert finding.line == plan.line("person: 2026-11-15")
    assert "before the start" in finding.message


def test_pb405_a_witnessed_refusal_to_sign_counts_as_the_persons_acknowledgement(check, pip_plan):
    declined = pip_plan.change("  person: 2026-11-16", "  person: {declined: 2026-11-16, witness: sam-ortiz}")
    late = declined.change("declined: 2026-11-16", "declined: 2026-11-24")

    assert check(declined).findings == []
    assert check(late).at("PB405") == [(late.line("declined: 2026-11-24"), len("  person: {declined: ") + 1)]


def test_pb405_a_refusal_to_sign_names_its_witness(check, pip_plan):
    plan = pip_plan.change("  person: 2026-11-16", "  person: {declined: 2026-11-16}")

    finding = check(plan).only("PB112")

    assert finding.line == plan.line("declined:")
    assert "`witness`" in finding.message


# PB412 witness-not-independent

@pytest.mark.parametrize("witness, refused", [("jordan-lee", True), ("priya-shah", True), ("sam-ortiz", False)])
def test_pb412_the_witness_of_a_refusal_is_neither_the_person_nor_the_manager(check, pip_plan, witness, refused):
    plan = pip_plan.change("  person: 2026-11-16", f"  person: {{declined: 2026-11-16, witness: {witness}}}")

    expected = [(plan.line("declined:"), len("  person: {declined: 2026-11-16, witness: ") + 1)]
    assert check(plan).at("PB412") == (expected if refused else [])


def test_pb412_the_policy_may_let_the_manager_witness(check, pip_plan):
    plan = pip_plan.change("  person: 2026-11-16", "  person: {declined: 2026-11-16, witness: priya-shah}")

    assert check(plan, policy=Policy(witness_may_be_manager=True)).findings == []


def test_pb412_an_amendments_refusal_has_an_independent_witness_too(check, pip_plan):
    plan = pip_plan + ("amendments:\n  - date: 2026-11-25\n    summary: Checkpoint moved.\n    changes: [milestones]\n"
                       "    acknowledgement: {person: {declined: 2026-11-26, witness: jordan-lee}, manager: 2026-11-26}\n")

    assert check(plan).lines("PB412") == [plan.line("witness: jordan-lee")]


# PB406 market-pip (warning)

def test_pb406_a_market_diagnosis_on_a_pip_is_warned(check, pip_plan):
    plan = pip_plan.change("  cause: skill", "  cause: market")

    finding = check(plan).only("PB406")

    assert (finding.line, finding.col, finding.severity) == (plan.line("cause: market"), 10, "warning")


def test_pb406_a_market_diagnosis_on_a_coaching_plan_passes(check, coaching_plan):
    assert check(coaching_plan.change("  cause: will", "  cause: market")).findings == []


# PB407 closed-without-outcome

def test_pb407_a_closed_plan_without_outcome_is_refused(check, coaching_plan):
    plan = coaching_plan.change("status: active", "status: closed")

    assert check(plan).at("PB407") == [(2, 9)]
    with_outcome = plan + "outcome: {date: 2026-11-20, result: withdrawn, decision: retained}\n"
    assert "PB407" not in check(with_outcome).codes


# PB408 thin-ride-along (warning)

RIDE_ALONG = """\
  - date: 2026-11-18
    kind: ride-along
    note: Three first meetings with the manager in the room.
    wins: [Clear agenda, Good rapport, Asked about timeline]
    opportunities: [Ask who signs, Quantify the cost, Confirm next steps]
"""


@pytest.mark.parametrize("old, new, counts", [
    (", Asked about timeline]", "]", "2 wins and 3 opportunities"),
    (", Confirm next steps]", "]", "3 wins and 2 opportunities"),
])
def test_pb408_a_ride_along_without_three_wins_and_opportunities_is_warned(check, pip_plan, old, new, counts):
    full = pip_plan + RIDE_ALONG
    thin = full.change(old, new)

    assert check(full).findings == []
    finding = check(thin).only("PB408")
    assert (finding.line, finding.col, finding.severity) == (thin.line("date: 2026-11-18"), 5, "warning")
    assert counts in finding.message


# PB501 escalation-out-of-order, PB502 escalation-dates-backwards

def _escalation(*steps: tuple[str, str]) -> str:
    return "".join(f"  - stage: {stage}\n    date: {day}\n" for stage, day in steps)


def _with_escalation(plan, *steps):
    return plan.without("escalation:") + "escalation:\n" + _escalation(*steps)


def test_pb501_a_stage_listed_after_a_later_one_is_refused(check, pip_plan):
    plan = _with_escalation(pip_plan, ("conversation", "2026-11-13"), ("written-warning", "2026-11-14"),
                            ("agreement-email", "2026-11-15"))

    assert check(plan).at("PB501") == [(plan.line("stage: agreement-email"), 12)]


def test_pb501_a_repeated_stage_is_refused(check, pip_plan):
    plan = _with_escalation(pip_plan, ("conversation", "2026-11-13"), ("conversation", "2026-11-14"))

    assert check(plan).lines("PB501") == [plan.line("date: 2026-11-14") - 1]


def test_pb501_stages_in_order_may_skip_one(check, pip_plan):
    plan = _with_escalation(pip_plan, ("conversation", "2026-11-13"), ("written-warning", "2026-11-14"))

    assert check(plan).findings == []


def test_pb502_escalation_dates_going_backwards_are_refused(check, pip_plan):
    plan = _with_escalation(pip_plan, ("conversation", "2026-11-13"), ("agreement-email", "2026-11-12"))

    assert check(plan).at("PB502") == [(plan.line("date: 2026-11-12"), 11)]
    assert check(plan.change("date: 2026-11-12", "date: 2026-11-13")).findings == []


# PB503 separation-undocumented, PB504 separation-early

AFTER_THE_END = date(2027, 2, 20)


def _separated(plan, *steps, on: str = "2027-02-14"):
    plan = _with_escalation(plan.change("status: active", "status: closed"), *steps)
    return plan + f"outcome:\n  date: {on}\n  result: not-met\n  decision: separated\n"


FULL_ESCALATION = (("conversation", "2026-11-13"), ("written-warning", "2026-12-16"), ("final-warning", "2027-01-15"))


@pytest.mark.parametrize("steps, missing", [
    ((("conversation", "2026-11-13"),), "written-warning, final-warning"),
    ((("written-warning", "2026-12-16"), ("final-warning", "2027-01-15")), "conversation"),
])
def test_pb503_a_separation_without_the_whole_escalation_is_refused(check, pip_plan, steps, missing):
    plan = _separated(pip_plan, *steps)

    finding = check(plan, today=AFTER_THE_END).only("PB503")

    assert finding.line == plan.line("decision: separated")
    assert f"a recorded {missing} in" in finding.message


def test_pb503_a_separation_with_the_whole_escalation_on_record_passes(check, pip_plan):
    report = check(_separated(pip_plan, *FULL_ESCALATION), today=AFTER_THE_END)

    assert {"PB503", "PB504"}.isdisjoint(report.codes)
    assert report.errors == []


def test_pb504_a_separation_before_the_plan_ran_its_timetable_is_refused(check, pip_plan):
    plan = _separated(pip_plan, *FULL_ESCALATION, on="2027-02-13")

    assert check(plan, today=AFTER_THE_END).at("PB504") == [(plan.line("date: 2027-02-13"), 9)]


# PB505 termination-without-final-warning

ENDS_EMPLOYMENT = "consequences: Further action may follow, up to and including termination of employment.\n"
A_WARNING_MAY_FOLLOW = "consequences: A written warning may follow if the objectives are not met.\n"
FINAL_WARNING_PATH = ("      then: written-warning\n",
                      "      then: written-warning\n  - id: qualified-meetings\n    metric: Qualified first meetings\n"
                      "    unit: meetings\n    baseline: 3\n    target: 5\n    trigger:\n"
                      "      below: 4\n      by: 2027-02-14\n      then: final-warning\n")


def test_pb505_a_signed_pip_that_can_end_employment_with_no_final_warning_path_is_flagged(check, pip_plan):
    plan = pip_plan.change(A_WARNING_MAY_FOLLOW, ENDS_EMPLOYMENT)

    finding = check(plan).only("PB505")

    assert (finding.line, finding.col, finding.severity) == (plan.line("termination of employment"), 15, "warning")


def test_pb505_is_an_error_on_a_plan_not_yet_signed(check, pip_plan):
    draft = (pip_plan.change(A_WARNING_MAY_FOLLOW, ENDS_EMPLOYMENT).change("status: active", "status: draft")
             .without("acknowledgement:"))

    assert check(draft).only("PB505").severity == "error"


def test_pb505_a_trigger_that_leads_to_a_final_warning_gives_the_path(check, pip_plan):
    plan = (pip_plan.change(A_WARNING_MAY_FOLLOW, ENDS_EMPLOYMENT).change(*FINAL_WARNING_PATH)
            .change("targets: {discovery-to-demo: 30}", "targets: {discovery-to-demo: 30, qualified-meetings: 5}"))

    assert check(plan).findings == []


@pytest.mark.parametrize("wording, ends", [
    ("Further action may follow, up to and including dismissal.", True),
    ("Not meeting the objectives may lead to separation from the company.", True),
    ("It may lead to the end of your employment.", True),
    ("Jordan may be let go.", True),
    ("A written warning may follow; the terminal review is in February.", False),
    ("A written warning may follow if the objectives are not met.", False),
])
def test_pb505_reads_the_words_that_end_employment(check, pip_plan, wording, ends):
    plan = pip_plan.change(A_WARNING_MAY_FOLLOW, f"consequences: {wording}\n")

    assert ("PB505" in check(plan).codes) is ends


def test_pb505_only_a_pip_needs_the_path(check, coaching_plan):
    plan = coaching_plan + "consequences: Further action may follow, up to and including termination.\n"

    assert "PB505" not in check(plan).codes


# PB411 pip-without-earlier-plan

DIRECT_REASON = ("direct_reason: Weekly coaching since September, agreed at the first conversation, did not lift "
                 "conversion.\n")


def test_pb411_a_pip_with_no_earlier_plan_and_no_reason_is_a_warning_by_default(check, pip_plan):
    plan = pip_plan.change(DIRECT_REASON, "")

    finding = check(plan).only("PB411")

    assert (finding.line, finding.col, finding.severity) == (plan.line("kind: pip"), 7, "warning")
    assert "direct_reason" in finding.message


def test_pb411_is_an_error_when_the_policy_requires_an_earlier_plan(check, pip_plan):
    plan = pip_plan.change(DIRECT_REASON, "")

    assert check(plan, policy=Policy(pip_requires_earlier_plan=True)).only("PB411").severity == "error"
    assert check(pip_plan, policy=Policy(pip_requires_earlier_plan=True)).findings == []  # the reason is recorded


def test_pb411_a_pip_that_follows_its_coaching_plan_needs_no_reason(check, pip_plan, coaching_plan):
    jordan_coaching = coaching_plan.change("  name: Sam Rivera\n  id: sam-rivera", "  name: Jordan Lee\n  id: jordan-lee")
    plan = _following(pip_plan.change(DIRECT_REASON, ""), "jordan-lee-coaching-2026-11")

    report = check(plan, others={"na-east/jordan-lee-coaching-2026-11.yaml": jordan_coaching},
                   policy=Policy(pip_requires_earlier_plan=True))

    assert "PB411" not in report.codes


# PB601 duplicate-id

def test_pb601_a_file_name_and_another_plans_id_are_the_same_id(check, pip_plan, growth_plan):
    other = "id: jordan-lee-pip-2026-11\n" + growth_plan

    report = check(pip_plan, "emea-west/jordan-lee-pip-2026-11.yaml", others={"emea-west/alex-kim.yaml": other})

    assert sorted((Path(f.path).name, f.line, f.col) for f in report.findings) == [
        ("alex-kim.yaml", 1, 5),  # at its `id:`
        ("jordan-lee-pip-2026-11.yaml", 1, 1),  # its id is its file name
    ]
    assert all(f.code == "PB601" for f in report.findings)


def test_pb601_the_same_file_name_in_two_folders_is_the_same_id(check, pip_plan, growth_plan):
    report = check(pip_plan, "emea-west/plan.yaml", others={"na-east/plan.yaml": growth_plan})

    assert [f.code for f in report.findings] == ["PB601", "PB601"]


def test_pb601_different_ids_pass(check, pip_plan, growth_plan):
    assert check(pip_plan, others={"emea-west/alex-kim-growth-2026-11.yaml": growth_plan}).findings == []


# PB602 two-running-pips

@pytest.mark.parametrize("second_status", ["active", "extended"])
def test_pb602_two_running_pips_for_one_person_are_refused_in_both(check, pip_plan, second_status):
    second = pip_plan.change("status: active", f"status: {second_status}")

    report = check(pip_plan, "a/jordan-lee-pip-2026-11.yaml", others={"b/jordan-lee-pip-2026-12.yaml": second})

    assert [(Path(f.path).name, f.code, f.line) for f in report.findings] == [
        ("jordan-lee-pip-2026-11.yaml", "PB602", 2),
        ("jordan-lee-pip-2026-12.yaml", "PB602", 2),
    ]


@pytest.mark.parametrize("second_status", ["draft", "closed"])
def test_pb602_a_draft_or_closed_pip_beside_a_running_one_passes(check, pip_plan, second_status):
    second = pip_plan.change("status: active", f"status: {second_status}")
    if second_status == "closed":
        second += "outcome: {date: 2026-11-20, result: met, decision: retained}\n"

    report = check(pip_plan, "a/jordan-lee-pip-2026-11.yaml", others={"b/jordan-lee-pip-2026-12.yaml": second})

    assert "PB602" not in report.codes


# A check inside a longer-running program (the plugin under `mkdocs serve`, a script)

def test_a_check_gives_python_its_cycle_collector_back_as_it_found_it(cli, write_plan, pip_plan, tmp_path):
    path = write_plan(pip_plan)

    check_paths([path], Policy(), TODAY)
    assert gc.isenabled()
    assert cli("check", "--today", "2026-11-20", path).returncode == 0 and gc.isenabled()
    assert cli("check", "--today", "2026-11-20", tmp_path / "missing").returncode == 2 and gc.isenabled()
    gc.disable()
    try:
        check_paths([path], Policy(), TODAY)
        assert not gc.isenabled()  # a program that turned it off keeps it off
    finally:
        gc.enable()


# Which files are plans

@pytest.mark.parametrize("spellings, shown", [
    (["plans", "plans/team/jordan-lee.yaml"], "plans/team/jordan-lee.yaml"),
    (["plans/team/./jordan-lee.yaml", "plans"], "plans/team/jordan-lee.yaml"),
    (["plans", "plans/./team/../team/jordan-lee.yaml", "plans/team"], "plans/team/jordan-lee.yaml"),
    (["plans/team/jordan-lee.yaml", "plans/team/jordan-lee.yaml"], "plans/team/jordan-lee.yaml"),
    (["link.yaml", "plans"], "link.yaml"),
])
def test_a_plan_reached_twice_is_checked_once_under_its_first_spelling(write_plan, pip_plan, tmp_path, monkeypatch,
                                                                      spellings, shown):
    write_plan(pip_plan, "team/jordan-lee.yaml")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "plans" / "team" / "jordan-lee.yaml")
    monkeypatch.chdir(tmp_path)

    result = check_paths([Path(spelling) for spelling in spellings], Policy(), TODAY)

    assert result.findings == [] and result.files_checked == 1
    assert [plan_file.path for plan_file in result.plan_files] == [shown]


@pytest.mark.parametrize("name", ["team/jordan-lee.YAML", "team/jordan-lee.Yml", "team/jordan-lee.yML", "jordan-lee.YaMl"])
def test_a_plan_is_found_whatever_the_case_of_its_suffix(check, write_plan, plans_dir, pip_plan, name):
    write_plan(pip_plan.change("  days: 90", "  days: ninety"), name)

    result = check_paths([plans_dir], Policy(), TODAY)

    assert [(Path(f.path).name, f.code) for f in result.findings] == [(Path(name).name, "PB113")]


def test_a_file_whose_name_starts_with_an_underscore_is_not_a_plan_when_a_folder_is_walked(write_plan, plans_dir,
                                                                                             pip_plan):
    roster = write_plan("- jordan-lee\n- alex-kim\n", "team/_roster.yaml")
    write_plan(pip_plan, "team/jordan-lee.yaml")

    walked = check_paths([plans_dir], Policy(), TODAY)
    named = check_paths([roster], Policy(), TODAY)

    assert walked.findings == [] and walked.files_checked == 1
    assert [f.code for f in named.findings] == ["PB110"]  # named on its own, it is checked


# Warnings and --strict

def test_warnings_exit_0_and_fail_with_strict(cli, write_plan, coaching_plan):
    path = write_plan(coaching_plan.change("  - {date: 2026-11-19, kind: check-in, note: 14 calls a day.}\n", ""),
                      "na-east/sam-rivera-coaching-2026-11.yaml")

    relaxed = cli("check", "--today", "2026-11-20", path)
    strict = cli("check", "--today", "2026-11-20", "--strict", path)

    assert relaxed.returncode == 0
    assert re.fullmatch(r".+:\d+:5: warning PB209 .+\n", relaxed.stdout)
    assert strict.returncode == 1
    assert strict.stdout == relaxed.stdout


# PB308 met-but-missed

def _closed_met(plan: PlanText, result: str, on: str = "2026-12-14") -> PlanText:
    logged = plan + f"  - {{date: {on}, kind: review, note: Four-week review., results: {{outbound-calls: {result}}}}}\n"
    return (logged.change("status: active", "status: closed")
            + "outcome:\n  date: 2026-12-14\n  result: met\n  decision: retained\n")


def test_pb308_a_plan_recorded_met_whose_last_result_misses_its_target_is_flagged(check, coaching_plan):
    plan = _closed_met(coaching_plan, "26")

    finding = check(plan, today=date(2026, 12, 20)).only("PB308")

    assert (finding.line, finding.col, finding.severity) == (plan.line("result: met"), 11, "warning")
    assert "outbound-calls" in finding.message and "26 calls" in finding.message and "30 calls" in finding.message
    assert "PB308" not in check(_closed_met(coaching_plan, "31"), today=date(2026, 12, 20)).codes


def test_pb308_lower_is_better_when_the_target_is_below_the_baseline(check, coaching_plan):
    talk_ratio = (coaching_plan.change("    baseline: 2\n    target: 30", "    baseline: 60\n    target: 45")
                  .change("targets: {outbound-calls: 20}", "targets: {outbound-calls: 50}")
                  .change("targets: {outbound-calls: 30}", "targets: {outbound-calls: 45}"))

    assert "PB308" in check(_closed_met(talk_ratio, "46"), today=date(2026, 12, 20)).codes
    assert "PB308" not in check(_closed_met(talk_ratio, "44"), today=date(2026, 12, 20)).codes


def test_pb308_reads_the_last_result_on_or_before_the_outcome(check, coaching_plan):
    missed = _closed_met(coaching_plan, "26", on="2026-12-10")
    later_hit = missed.change(
        "note: Four-week review., results: {outbound-calls: 26}}\n",
        "note: Four-week review., results: {outbound-calls: 26}}\n"
        "  - {date: 2026-12-14, kind: check-in, note: Day plan held., results: {outbound-calls: 32}}\n")

    assert "PB308" in check(missed, today=date(2026, 12, 20)).codes
    assert "PB308" not in check(later_hit, today=date(2026, 12, 20)).codes
    assert "PB308" not in check(missed.change("result: met", "result: not-met"), today=date(2026, 12, 20)).codes


# PB410 special-category-data

def test_pb410_special_category_words_in_private_are_flagged_without_the_text(check, cli, pip_plan, write_plan):
    plan = pip_plan + "private: Jordan told me in confidence about a health condition.\n"

    finding = check(plan).only("PB410")

    assert (finding.line, finding.severity) == (plan.line("private:"), "warning")
    assert "health" not in finding.message and "confidence" not in finding.message
    shown = cli("check", "--today", "2026-11-20", "--format", "json", write_plan(plan))
    assert "PB410" in shown.stdout and "health" not in shown.stdout + shown.stderr


def test_pb410_names_the_field_in_any_part_of_the_plan(check, pip_plan):
    plan = pip_plan.change("note: Plan signed; agreed the week's call reviews.",
                           "note: Back from sick leave; agreed the week's call reviews.")

    finding = check(plan).only("PB410")

    assert finding.line == plan.line("Back from sick leave")
    assert "`log[0].note`" in finding.message and "sick" not in finding.message


@pytest.mark.parametrize("text, flagged", [
    ("She is pregnant and asked for fewer site visits.", True),
    ("He was diagnosed with an illness in May.", True),
    ("Attends union membership meetings on Fridays.", True),
    ("Asked about the team reunion; members agreed a date.", False),  # words, not letters inside words
    ("Pipeline health review every Monday.", False),  # a sales word, not a person's health
    ("Diagnosed the gap together: discovery calls end before budget.", False),
])
def test_pb410_reads_whole_words_and_phrases(check, pip_plan, text, flagged):
    plan = pip_plan.change("note: Plan signed; agreed the week's call reviews.", f"note: {text}")

    assert ("PB410" in check(plan).codes) is flagged


def test_pb410_a_phrase_is_read_within_one_text_never_across_two(check, pip_plan):
    # "trade" ends one item and "union" begins the next: together, in either order, they would
    # read "trade union", which no single text says.
    across = pip_plan.change("  summary: Meetings stall between discovery and demo.\n",
                             "  summary: Meetings stall between discovery and demo.\n"
                             "  evidence: [Moved from retail trade, union of two territories since May, Knows trade]\n")
    within = across.change("union of two territories", "trade union rep since May")

    assert "PB410" not in check(across).codes
    assert check(within).only("PB410").line == within.line("trade union rep")


def test_pb410_the_policy_adds_words_to_the_list(check, pip_plan):
    plan = pip_plan.change("note: Plan signed; agreed the week's call reviews.", "note: Krankmeldung since Tuesday.")

    assert "PB410" not in check(plan).codes
    assert "PB410" in check(plan, policy=Policy(special_category_words=["Krankmeldung"])).codes


# PB409 escalated-not-coaching

def test_pb409_only_a_coaching_plan_closes_escalated(check, pip_plan, coaching_plan):
    outcome = "outcome:\n  date: 2026-12-14\n  result: escalated\n  decision: retained\n"
    pip = pip_plan.change("status: active", "status: closed") + outcome
    assert check(pip).at("PB409") == [(pip.line("result: escalated"), 11)]
    coaching = coaching_plan.change("status: active", "status: closed") + outcome
    assert "PB409" not in check(coaching).codes


# PB603, PB604, PB605: `follows`

def _following(plan: PlanText, target: str) -> PlanText:
    kind = plan.split("\n", 1)[0]
    return plan.change(kind + "\n", f"{kind}\nfollows: {target}\n")


def test_pb603_follows_must_name_a_plan(check, pip_plan):
    plan = _following(pip_plan, "jordan-lee-coaching-2026-01")
    report = check(plan)
    assert report.at("PB603") == [(plan.line("follows:"), 10)]
    assert "jordan-lee-coaching-2026-01" in report.only("PB603").message


def test_pb603_a_follows_that_names_a_plan_passes(check, pip_plan, coaching_plan):
    jordan_coaching = coaching_plan.change("  name: Sam Rivera\n  id: sam-rivera", "  name: Jordan Lee\n  id: jordan-lee")
    plan = _following(pip_plan, "jordan-lee-coaching-2026-11")
    report = check(plan, others={"na-east/jordan-lee-coaching-2026-11.yaml": jordan_coaching})
    assert not {"PB603", "PB604", "PB605"} & report.codes


def test_pb604_follows_may_not_go_round_in_a_circle(check, pip_plan, coaching_plan):
    jordan_coaching = coaching_plan.change("  name: Sam Rivera\n  id: sam-rivera", "  name: Jordan Lee\n  id: jordan-lee")
    plan = _following(pip_plan, "jordan-lee-coaching-2026-11")
    other = _following(jordan_coaching, "jordan-lee-pip-2026-11")
    report = check(plan, others={"na-east/jordan-lee-coaching-2026-11.yaml": other})
    messages = sorted(f.message for f in report.findings if f.code == "PB604")
    assert messages == [
        "`follows` goes round in a circle: jordan-lee-coaching-2026-11 -> jordan-lee-pip-2026-11 -> "
        "jordan-lee-coaching-2026-11",
        "`follows` goes round in a circle: jordan-lee-pip-2026-11 -> jordan-lee-coaching-2026-11 -> "
        "jordan-lee-pip-2026-11"]
    itself = _following(pip_plan, "jordan-lee-pip-2026-11")
    assert check(itself).lines("PB604") == [itself.line("follows:")]


def test_pb605_follows_names_the_same_persons_plan(check, pip_plan, coaching_plan):
    plan = _following(pip_plan, "sam-rivera-coaching-2026-11")
    report = check(plan, others={"na-east/sam-rivera-coaching-2026-11.yaml": coaching_plan})
    assert report.at("PB605") == [(plan.line("follows:"), 10)]


# PB606 one-id-two-names

def test_pb606_one_id_for_two_people_is_refused_at_the_later_plans_id(check, growth_plan, coaching_plan):
    # Sam Rivera's plan, under Alex Kim's id: `person:alex-kim` would publish it.
    sam_as_alex = coaching_plan.change("  id: sam-rivera", "  id: alex-kim").change("start: 2026-11-16",
                                                                                   "start: 2026-11-18")
    report = check(growth_plan, others={"na-east/sam-rivera-coaching-2026-11.yaml": sam_as_alex})
    finding = report.only("PB606")
    assert Path(finding.path).name == "sam-rivera-coaching-2026-11.yaml"
    assert (finding.line, finding.col) == (sam_as_alex.line("  id: alex-kim"), 7)
    assert "`alex-kim` is Sam Rivera here but Alex Kim in" in finding.message


def test_pb606_a_manager_and_an_employee_share_the_namespace_of_ids(check, pip_plan, coaching_plan):
    # The coaching plan's manager is given Jordan Lee's id, under another name.
    other = coaching_plan.change("  id: dana-brooks", "  id: jordan-lee")
    report = check(pip_plan, others={"na-east/sam-rivera-coaching-2026-11.yaml": other})
    assert [(Path(f.path).name, f.line) for f in report.findings if f.code == "PB606"] == [
        ("sam-rivera-coaching-2026-11.yaml", other.line("  id: jordan-lee"))]


def test_pb606_one_person_in_many_plans_passes_whatever_the_spacing_or_case(check, pip_plan, growth_plan):
    respelled = growth_plan.change("  name: Priya Shah", "  name: priya  SHAH")
    assert "PB606" not in check(pip_plan, others={"emea-west/alex-kim-growth-2026-11.yaml": respelled}).codes


# PB703 amendment-outside-window

def test_pb703_an_amendment_falls_within_the_plan(check, pip_plan):
    amendment = ("amendments:\n  - date: 2027-03-01\n    summary: Moved the final review.\n    changes: [timetable]\n"
                 "    acknowledgement: {person: 2027-03-02, manager: 2027-03-02}\n")
    plan = pip_plan + amendment
    assert check(plan).at("PB703") == [(plan.line("  - date: 2027-03-01"), 11)]
    inside = plan.change("2027-03-01", "2026-12-01").change("2027-03-02, manager: 2027-03-02", "2026-12-02, manager: 2026-12-02")
    assert not {"PB703", "PB702"} & check(inside).codes


# PB704 acknowledgement-out-of-order (the lock's side is in test_lock.py)

def test_pb704_an_amendment_is_signed_on_or_after_its_date(check, pip_plan):
    amendment = ("amendments:\n  - date: 2026-11-18\n    summary: Checkpoint moved.\n    changes: [milestones]\n"
                 "    acknowledgement: {person: 2026-11-17, manager: 2026-11-18}\n")
    plan = pip_plan + amendment

    assert check(plan).at("PB704") == [(plan.line("person: 2026-11-17"), 31)]
    assert "PB704" not in check(plan.change("person: 2026-11-17", "person: 2026-11-18")).codes


def test_pb704_a_plan_other_than_a_pip_is_signed_once_it_starts(check, growth_plan):
    plan = growth_plan + "acknowledgement: {person: 2026-11-15, manager: 2026-11-16}\n"

    assert check(plan).lines("PB704") == [plan.line("acknowledgement:")]


# PB122 list-too-long

@pytest.mark.parametrize("name, line, item, count", [
    ("log", "log:\n", "  - {date: 2026-11-16, kind: check-in, note: Met.}\n", 6),
    ("reviews", "  reviews:\n", "    - {date: 2026-12-16, title: Review}\n", 6),
    ("criteria", "criteria:\n", "  - {id: x, metric: M, unit: u, baseline: 1, target: 2}\n", 6),
    ("milestones", "milestones:\n", "  - {date: 2026-12-16, title: M}\n", 6),
])
def test_pb120_a_list_longer_than_the_policy_allows_is_refused_at_its_first_item_past_the_bound(
        check, pip_plan, name, line, item, count):
    plan = pip_plan.change(line, line + item * count)
    policy = Policy(max_list_items={name: 5})

    report = check(plan, policy=policy)

    finding = report.only("PB122")
    first = plan.splitlines().index(line.rstrip("\n")) + 1  # the list's own line; its items follow
    assert finding.line == first + 6 and f"`max_list_items.{name}`" in finding.message
    assert "PB122" not in check(plan, policy=Policy(max_list_items={name: 100})).codes
