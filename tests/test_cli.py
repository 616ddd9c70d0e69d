"""The `playbook` command as a user runs it: exit codes, output streams and order, GitHub annotations
and the job summary, `rules`, `schema` and `new`."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from generator.rules import REGISTRY

FINDING = re.compile(r".+:\d+:\d+: (error|warning) PB\d{3} .+")
SCHEMA_FILE = Path(__file__).parents[1] / "generator" / "plan.schema.json"


# --- exit codes ------------------------------------------------------------------------------------------------


def test_a_clean_plan_exits_0_with_nothing_on_stdout(cli, write_plan, pip_plan):
    result = cli("check", "--today", "2026-11-20", write_plan(pip_plan))

    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "1 plan checked: no findings\n"


def test_an_error_exits_1(cli, write_plan, pip_plan):
    result = cli("check", "--today", "2026-11-20", write_plan(pip_plan.change("  days: 90", "  days: 91")))

    assert result.returncode == 1
    assert ": error PB206 " in result.stdout


@pytest.mark.parametrize("args, says", [
    (["check", "--colour", "plans"], "--colour"),
    (["check", "no-such-folder"], "no-such-folder: no such file or folder"),
    (["check", "--today", "2026-02-30", "plans"], "2026-02-30"),
    (["check", "--today", "tomorrow", "plans"], "tomorrow"),
    (["check", "--format", "xml", "plans"], "xml"),
    (["check", "--config", "missing.yml", "plans"], "missing.yml"),
    (["frobnicate"], "frobnicate"),
    ([], "COMMAND"),
])
def test_a_usage_error_exits_2_and_says_why_without_a_traceback(cli, write_plan, pip_plan, args, says):
    write_plan(pip_plan)

    result = cli(*args)

    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_an_unreadable_playbook_today_is_a_usage_error(cli, write_plan, pip_plan):
    result = cli("check", write_plan(pip_plan), env={"PLAYBOOK_TODAY": "20/11/2026"})

    assert result.returncode == 2
    assert "PLAYBOOK_TODAY" in result.stderr


# --- today -----------------------------------------------------------------------------------------------------


def test_playbook_today_sets_the_date_checked_against(cli, write_plan, coaching_plan):
    path = write_plan(coaching_plan, "na-east/sam-rivera-coaching-2026-11.yaml")

    before_end = cli("check", path, env={"PLAYBOOK_TODAY": "2026-11-20"})
    after_end = cli("check", path, env={"PLAYBOOK_TODAY": "2026-12-15"})
    overridden = cli("check", "--today", "2026-11-20", path, env={"PLAYBOOK_TODAY": "2026-12-15"})

    assert before_end.stdout == ""
    assert ": warning PB208 " in after_end.stdout
    assert overridden.stdout == ""  # --today wins over the environment


# --- output ----------------------------------------------------------------------------------------------------


def test_findings_are_sorted_by_file_then_line_and_the_summary_goes_to_stderr(cli, write_plan, pip_plan):
    # Rules run in code order and repository rules last: PB206 (line 19), PB406 (15), PB602 (2).
    plan = pip_plan.change("  days: 90", "  days: 91").change("  cause: skill", "  cause: market")
    write_plan(plan, "b/jordan-lee-pip-2026-11.yaml")
    write_plan(plan, "a/jordan-lee-pip-2026-12.yaml")

    result = cli("check", "--today", "2026-11-20", "plans")

    rows = [line.split(":") for line in result.stdout.splitlines()]
    assert [(Path(row[0]).parent.name, int(row[1]), row[3].split()[1]) for row in rows] == [
        ("a", 2, "PB602"), ("a", 15, "PB406"), ("a", 19, "PB206"),
        ("b", 2, "PB602"), ("b", 15, "PB406"), ("b", 19, "PB206"),
    ]
    assert all(FINDING.fullmatch(line) for line in result.stdout.splitlines())
    assert result.stderr == "2 plans checked: 4 errors, 2 warnings in 2 files\n"


def test_a_line_break_in_a_message_does_not_break_the_one_line_per_finding_format(cli, write_plan, pip_plan):
    write_plan(pip_plan + '"bonus\\nplans/fake.yaml:1:1: error PB999 injected": 1\n')

    text = cli("check", "--today", "2026-11-20", "plans")
    as_json = json.loads(cli("check", "--today", "2026-11-20", "--format", "json", "plans").stdout)

    assert [row["code"] for row in as_json] == ["PB111"]
    assert "\n" in as_json[0]["message"]  # json keeps the text as it is
    assert text.stdout.count("\n") == 1
    assert "unknown field `bonus\\nplans/fake.yaml:1:1: error PB999 injected`" in text.stdout


def test_json_output_is_a_list_with_the_six_fields(cli, write_plan, pip_plan):
    path = write_plan(pip_plan.change("  days: 90", "  days: 91"))

    rows = json.loads(cli("check", "--today", "2026-11-20", "--format", "json", path).stdout)

    assert rows == [{
        "path": str(path), "line": 19, "col": 9, "severity": "error", "code": "PB206",
        "message": "a pip ends at most 90 days after it starts; this one ends 91 days after, on 2027-02-15",
    }]


def test_json_output_of_a_clean_run_is_an_empty_list(cli, write_plan, pip_plan):
    assert json.loads(cli("check", "--today", "2026-11-20", "--format", "json", write_plan(pip_plan)).stdout) == []


# --- GitHub annotations and the job summary --------------------------------------------------------------------


def test_github_annotations_escape_properties_and_messages_as_the_actions_toolkit_does(cli, write_plan, pip_plan):
    # A file name with `,` `:` and `%`, and an unknown field whose name holds `%`, `:`, `,` and a line break.
    plan = "id: odd-one\n" + pip_plan + '"rate:50%,\\nnext": 1\n'
    write_plan(plan, "odd/a,b:c%d.yaml")

    result = cli("check", "--today", "2026-11-20", "--format", "github", "plans")

    assert result.stdout == (
        f"::error file=plans/odd/a%2Cb%3Ac%25d.yaml,line={plan.line('rate:50%')},col=1,title=PB111::"
        "unknown field `rate:50%25,%0Anext`\n"
    )


def _plan_with_unknown_fields(plan, count: int) -> str:
    return plan + "".join(f"extra-{n}: x\n" for n in range(count))


def test_more_than_ten_errors_write_the_full_list_to_the_job_summary(cli, write_plan, pip_plan, tmp_path):
    write_plan(_plan_with_unknown_fields(pip_plan, 11))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")

    result = cli("check", "--today", "2026-11-20", "--format", "github", "plans",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})

    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 11
    written = summary.read_text()
    assert written.startswith("earlier step\n")  # appended, as every step's summary is
    rows = [line for line in written.splitlines() if line.startswith("| plans/")]
    assert [row.split(" | ")[4] for row in rows] == ["PB111"] * 11
    assert [f"extra-{n}" in row for n, row in enumerate(rows)] == [True] * 11


def test_ten_errors_or_fewer_write_no_job_summary(cli, write_plan, pip_plan, tmp_path):
    write_plan(_plan_with_unknown_fields(pip_plan, 10))
    summary = tmp_path / "summary.md"

    result = cli("check", "--today", "2026-11-20", "--format", "github", "plans",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})

    assert len(result.stdout.splitlines()) == 10
    assert not summary.exists()


def test_more_than_ten_warnings_write_the_job_summary_too(cli, write_plan, pip_plan, tmp_path):
    ride_along = "  - {date: 2026-11-18, kind: ride-along, note: One meeting., wins: [Agenda]}\n"
    write_plan(pip_plan + ride_along * 11)
    summary = tmp_path / "summary.md"

    result = cli("check", "--today", "2026-11-20", "--format", "github", "plans",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})

    assert result.returncode == 0
    assert result.stdout.count("::warning ") == 11
    assert summary.read_text().count("| warning | PB408 |") == 11


def test_the_job_summary_is_only_for_the_github_format(cli, write_plan, pip_plan, tmp_path):
    write_plan(_plan_with_unknown_fields(pip_plan, 11))
    summary = tmp_path / "summary.md"

    cli("check", "--today", "2026-11-20", "plans", env={"GITHUB_STEP_SUMMARY": str(summary)})

    assert not summary.exists()


# --- rules -----------------------------------------------------------------------------------------------------


def test_rules_lists_every_registered_code_with_its_severity(cli):
    result = cli("rules")

    rows = [line.split()[:2] for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert [code for code, _ in rows] == sorted(REGISTRY)
    assert {code: severity for code, severity in rows} == {code: rule.severity for code, rule in REGISTRY.items()}


def test_rules_as_json(cli):
    rows = json.loads(cli("rules", "--format", "json").stdout)

    assert [row["code"] for row in rows] == sorted(REGISTRY)
    assert all(row["summary"] and row["name"] for row in rows)


# --- schema ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(playbook, tmp_path_factory) -> dict:
    result = playbook(["schema"], tmp_path_factory.mktemp("schema"))
    assert result.returncode == 0
    return json.loads(result.stdout)


def _as_json_values(value):
    """A plan as an editor's YAML extension hands it to the schema: dates are ISO strings."""
    if isinstance(value, dict):
        return {key: _as_json_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json_values(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _load_example(path: Path) -> dict:
    return _as_json_values(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_schema_is_draft_07(schema):
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def test_schema_is_the_committed_copy(schema):
    assert schema == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_schema_accepts_every_good_example(schema, example_plans):
    validator = Draft7Validator(schema)
    examples = sorted((example_plans / "good").rglob("*.yaml"))

    assert examples
    for path in examples:
        assert [error.message for error in validator.iter_errors(_load_example(path))] == [], path.name


@pytest.mark.parametrize("name, where", [
    ("unknown-field.yaml", []),
    ("baseline-not-number.yaml", ["criteria", 0, "baseline"]),
])
def test_schema_rejects_the_bad_examples_a_schema_can_see(schema, example_plans, name, where):
    errors = list(Draft7Validator(schema).iter_errors(_load_example(example_plans / "bad" / name)))

    assert errors
    assert where in [list(error.absolute_path) for error in errors]


# --- new -------------------------------------------------------------------------------------------------------

NEW_ARGS = ["--person", "Jordan Lee", "--team", "emea-west", "--manager", "priya-shah",
            "--start", "2026-11-16", "--today", "2026-11-20"]
NEW_FILES = {
    "pip": "plans/emea-west/jordan-lee-pip-2026-11.yaml",
    "growth": "plans/emea-west/jordan-lee-growth-2026-11.yaml",
    "coaching": "plans/emea-west/jordan-lee-coaching-2026-11.yaml",
}


def _fill_in(text: str) -> str:
    """What the manager writes in place of every placeholder."""
    text = re.sub(r'"TODO number[^"]*"', "20", text)
    text = re.sub(r'"TODO period[^"]*"', '"2026-Q3"', text)
    text = text.replace("TODO will, skill or market", "skill")
    text = text.replace("TODO-second-metric-id", "qualified-meetings")
    text = text.replace("TODO-metric-id", "discovery-to-demo").replace("TODO-hr-partner-id", "sam-ortiz")
    return re.sub(r'"TODO [^"]*"', '"Written by the manager"', text)


def _placeholders_per_line(text: str) -> list[int]:
    return sorted(number for number, line in enumerate(text.splitlines(), 1)
                  if not line.startswith("#") for _ in range(line.count("TODO")))


@pytest.mark.parametrize("kind", ["pip", "growth", "coaching"])
def test_new_writes_a_skeleton_that_check_refuses_at_each_placeholder_until_filled_in(cli, tmp_path, kind):
    result = cli("new", kind, *NEW_ARGS, *(["--hr-partner", "sam-ortiz"] if kind == "pip" else []))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == NEW_FILES[kind]
    path = tmp_path / NEW_FILES[kind]
    text = path.read_text(encoding="utf-8")

    refused = json.loads(cli("check", "--today", "2026-11-20", "--format", "json", path).stdout)
    assert {row["code"] for row in refused} == {"PB116"}
    assert sorted(row["line"] for row in refused) == _placeholders_per_line(text)

    path.write_text(_fill_in(text), encoding="utf-8")
    filled = cli("check", "--today", "2026-11-20", path)
    assert (filled.returncode, filled.stdout) == (0, "")


def test_new_pip_has_reviews_and_milestones_at_30_60_and_90_days_on_working_days(cli, tmp_path):
    cli("new", "pip", *NEW_ARGS, "--hr-partner", "sam-ortiz")

    plan = yaml.safe_load((tmp_path / NEW_FILES["pip"]).read_text(encoding="utf-8"))

    # Start 2026-11-16 + 30, 60, 90; the 90th day is Sunday 2027-02-14, the plan's last day: the final
    # review cannot move later, so it moves to the Friday before.
    days = [date(2026, 12, 16), date(2027, 1, 15), date(2027, 2, 12)]
    assert plan["timetable"]["days"] == 90
    assert [review["date"] for review in plan["timetable"]["reviews"]] == days
    assert [review["title"] for review in plan["timetable"]["reviews"]] == [
        "30-day review", "60-day review", "Final review"]
    assert [milestone["date"] for milestone in plan["milestones"]] == days
    assert plan["criteria"][0]["trigger"]["by"] in days


def new_pip(cli, tmp_path, start: str) -> dict:
    args = [arg if arg != "2026-11-16" else start for arg in NEW_ARGS]
    result = cli("new", "pip", *args, "--hr-partner", "sam-ortiz")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load((tmp_path / result.stdout.strip()).read_text(encoding="utf-8"))


def test_new_moves_a_review_due_on_a_saturday_to_the_monday(cli, tmp_path):
    plan = new_pip(cli, tmp_path, "2026-12-01")  # + 60 days is Saturday 2027-01-30

    reviews = plan["timetable"]["reviews"]
    assert [(review["date"], review["title"]) for review in reviews] == [
        (date(2026, 12, 31), "30-day review"), (date(2027, 2, 1), "60-day review"), (date(2027, 3, 1), "Final review")]
    assert [milestone["date"] for milestone in plan["milestones"]] == [review["date"] for review in reviews]


def test_new_moves_a_review_off_the_public_holidays_the_policy_names(cli, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - playbook:\n      policy:\n"
                                         "        holidays: {country: GB, subdivision: ENG}\n")
    plan = new_pip(cli, tmp_path, "2026-12-02")  # + 30 days is Friday 1 January 2027, New Year's Day

    assert plan["timetable"]["reviews"][0]["date"] == date(2027, 1, 4)
    assert plan["criteria"][0]["trigger"]["by"] == date(2027, 1, 4)


def test_new_refuses_to_overwrite_a_plan(cli, tmp_path):
    cli("new", "pip", *NEW_ARGS, "--hr-partner", "sam-ortiz")
    path = tmp_path / NEW_FILES["pip"]
    path.write_text("kind: pip\n# the manager's work\n")

    again = cli("new", "pip", *NEW_ARGS, "--hr-partner", "sam-ortiz")

    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert path.read_text() == "kind: pip\n# the manager's work\n"


def test_new_refuses_a_team_that_is_not_a_slug(cli, tmp_path):
    result = cli("new", "pip", *[("../hr" if arg == "emea-west" else arg) for arg in NEW_ARGS])

    assert result.returncode == 2
    assert "--team" in result.stderr
    assert not (tmp_path / "plans").exists()


@pytest.mark.parametrize("args", [
    ["letter", "jordan\x1b]0;pwned\x07\u202e", "written-warning"],
    ["check", "--today", "2026\x1b[2J\u2066"],
    ["new", "pip", "--person", "J", "--team", "t\x1b[2J", "--manager", "m"],
])
def test_an_error_on_stderr_shows_control_and_bidi_characters_escaped(cli, write_plan, pip_plan, args):
    write_plan(pip_plan)

    result = cli(*args)

    assert result.returncode == 2 and result.stderr.startswith("playbook: error: ")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e\u2066]", result.stderr), result.stderr
    assert "\\x1b" in result.stderr
