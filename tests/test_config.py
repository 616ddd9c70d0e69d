"""One configuration: the CLI reads mkdocs.yml as MkDocs does, from wherever in the project it runs.

Each test writes a real project in a tmp folder and runs the installed `playbook` command (or
`mkdocs`) in it, as a user would.
"""

from __future__ import annotations

import pytest

from conftest import PIP
from generator.config import Policy, Settings, UsageError, load_project, resolve_today
from sitekit import GOOD, make_project, mkdocs_build, mkdocs_serve

# A PIP of 90 days: within the default policy, over a policy of 60.
PIP_90 = PIP
POLICY_60 = "plugins:\n  - playbook:\n      policy:\n        pip_max_days: 60\n"


def write(root, name, text):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_check_finds_mkdocs_yml_above_the_working_folder(tmp_path, cli):
    write(tmp_path, "mkdocs.yml", POLICY_60)
    write(tmp_path, "plans/emea-west/jordan-lee-pip-2026-11.yaml", PIP_90)
    for folder in (tmp_path, tmp_path / "plans", tmp_path / "plans" / "emea-west"):
        result = cli("check", "--today", "2026-11-20", cwd=folder)
        assert result.returncode == 1, (folder, result.stdout, result.stderr)
        assert "PB206 a pip ends at most 60 days after it starts; this one ends 90 days after, on 2027-02-14" in result.stdout


def test_check_from_a_subfolder_names_files_as_the_user_types_them(tmp_path, cli):
    write(tmp_path, "mkdocs.yml", POLICY_60)
    write(tmp_path, "plans/emea-west/jordan-lee-pip-2026-11.yaml", PIP_90)
    result = cli("check", "--today", "2026-11-20", cwd=tmp_path / "plans" / "emea-west")
    assert result.stdout.startswith("jordan-lee-pip-2026-11.yaml:"), result.stdout


def test_inherit_and_env_mean_the_same_to_check_as_to_mkdocs(tmp_path, cli):
    write(tmp_path, "base.yml", POLICY_60)
    write(tmp_path, "mkdocs.yml", "INHERIT: base.yml\nsite_name: !ENV [SITE_NAME, Playbook]\n")
    write(tmp_path, "plans/emea-west/jordan-lee-pip-2026-11.yaml", PIP_90)
    result = cli("check", "--today", "2026-11-20")
    assert "PB206 a pip ends at most 60 days after it starts; this one ends 90 days after, on 2027-02-14" in result.stdout

    write(tmp_path, "mkdocs.yml", "plugins:\n  - playbook:\n      policy:\n        pip_max_days: !ENV [PIP_MAX, 90]\n")
    assert cli("check", "--today", "2026-11-20").returncode == 0
    result = cli("check", "--today", "2026-11-20", env={"PIP_MAX": "60"})
    assert "PB206 a pip ends at most 60 days after it starts; this one ends 90 days after, on 2027-02-14" in result.stdout


def test_a_broken_mkdocs_yml_is_a_clear_usage_error(tmp_path, cli):
    write(tmp_path, "mkdocs.yml", "plugins: [\n")
    result = cli("check")
    assert result.returncode == 2 and "mkdocs.yml" in result.stderr and "Traceback" not in result.stderr
    write(tmp_path, "mkdocs.yml", "INHERIT: missing.yml\n")
    result = cli("check")
    assert result.returncode == 2 and "missing.yml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("options, message", [
    ("audience: teams:x", "is not an audience"),
    ("today: 20261120", "use a date written YYYY-MM-DD"),
    ("today: '2026-1-5'", "is not a date"),
    ("today: 0001-01-01", "outside the years"),
    ("policy: {pip_max_days: 0}", "pip_max_days"),
    ("policy: {new: {pip: {days: -1}}}", "new.pip.days"),
    ("policy: {new: {sabbatical: {days: 10}}}", "new.sabbatical"),
    ("plans_folder: x", "plans_folder"),
])
def test_plugin_options_are_checked_with_a_clear_message(tmp_path, cli, options, message):
    write(tmp_path, "mkdocs.yml", f"plugins:\n  - playbook:\n      {options}\n")
    result = cli("check")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_policy_new_for_one_kind_merges_over_the_defaults():
    policy = Policy.model_validate({"new": {"growth": {"days": 120}}})
    assert policy.new["growth"].days == 120
    assert policy.new["growth"].review_every_days == Policy().new["growth"].review_every_days
    assert policy.new["pip"] == Policy().new["pip"]
    assert policy.new["coaching"] == Policy().new["coaching"]


def test_new_pip_works_when_only_growth_is_configured(tmp_path, cli):
    write(tmp_path, "mkdocs.yml", "plugins:\n  - playbook:\n      policy:\n        new:\n          growth: {days: 120}\n")
    (tmp_path / "plans" / "sub").mkdir(parents=True)
    result = cli("new", "pip", "--person", "Ana Gil", "--team", "iberia", "--manager", "luis-ruiz",
                 "--hr-partner", "eva-sol", "--start", "2026-12-01", cwd=tmp_path / "plans" / "sub")
    assert result.returncode == 0, result.stderr
    written = tmp_path / "plans" / "iberia" / "ana-gil-pip-2026-12.yaml"
    assert written.is_file(), result.stdout
    assert "days: 90" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize("given", ["20261120", "0001-01-01", "2026-02-30", "2026-11-20T00:00", "yesterday"])
def test_command_line_dates_are_yyyy_mm_dd_within_bounds(given, cli, tmp_path):
    result = cli("check", "--today", given)
    assert result.returncode == 2 and "--today" in result.stderr and "Traceback" not in result.stderr
    result = cli("check", env={"PLAYBOOK_TODAY": given})
    assert result.returncode == 2 and "PLAYBOOK_TODAY" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(UsageError):
        resolve_today(given)


def test_settings_are_the_plugins_options():
    # The MkDocs plugin declares exactly these names; a new option needs no second declaration.
    from generator.plugin import PlaybookPlugin

    assert [name for name, _ in PlaybookPlugin.config_scheme] == list(Settings.model_fields)


def test_without_mkdocs_yml_the_defaults_apply(tmp_path):
    project = load_project(start=tmp_path)
    assert project.config_file is None and project.settings == Settings()


# --------------------------------------------------------------------------------------------
# A broken plan under `mkdocs serve`: errors on the page, not a hang; `mkdocs build` still fails
# --------------------------------------------------------------------------------------------

def test_a_broken_plan_shows_its_errors_in_the_preview_and_fails_the_build(tmp_path):
    root = make_project(tmp_path / "site", GOOD)
    broken = root / "plans" / "emea-west" / "jordan-lee-pip-2026-10.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("days: 90", "days: 900"), encoding="utf-8")
    build = mkdocs_build(root / "mkdocs.yml")
    assert build.returncode != 0 and "PB206" in build.output
    with mkdocs_serve(root, tmp_path / "serve.log") as server:
        server.wait_for("", "problem in the plans")
        server.wait_for("", "jordan-lee-pip-2026-10.yaml:")
        server.wait_for("plans/sam-rivera-coaching-2026-11/", "Sam Rivera")  # the plans that pass stay
        broken.write_text(broken.read_text(encoding="utf-8").replace("days: 900", "days: 90"), encoding="utf-8")
        server.wait_for("plans/jordan-lee-pip-2026-10/", "Jordan Lee", timeout=60)
