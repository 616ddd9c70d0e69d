"""Signed terms are locked: `playbook check --base REV` against real git history in a temporary repository.

The base PIP of tests/conftest.py is acknowledged by both parties on 2026-11-16. Each test commits
it, makes one change with `PlanText.change`, commits again, and checks against `HEAD~1`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import PIP, PlanText

NAME = "plans/emea-west/jordan-lee-pip-2026-11.yaml"
AMENDMENT = """amendments:
  - date: 2026-11-25
    summary: Checkpoint lowered after the territory was split.
    changes: [{changes}]
{acknowledgement}"""
SIGNED = "    acknowledgement:\n      person: 2026-11-26\n      manager: 2026-11-26\n"


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Priya Shah", "GIT_AUTHOR_EMAIL": "priya@example.com",
           "GIT_COMMITTER_NAME": "Priya Shah", "GIT_COMMITTER_EMAIL": "priya@example.com"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """A plans repository with the signed PIP committed; `repo(text)` commits a new version of it."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "plans" / "emea-west").mkdir(parents=True)

    def commit(text: str, message: str = "Update the plan") -> Path:
        (tmp_path / NAME).write_text(text, encoding="utf-8")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", message)
        return tmp_path

    commit(PIP, "Jordan Lee's PIP, signed")
    return commit


def check_base(cli, root: Path, rev: str = "HEAD~1"):
    return cli("check", "--today", "2026-11-30", "--base", rev, cwd=root)


def test_changing_a_signed_milestone_target_fails_at_that_line(repo, cli):
    changed = PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 22}")
    result = check_base(cli, repo(changed))
    assert result.returncode == 1, result.stdout + result.stderr
    line = changed.line("targets: {discovery-to-demo: 22}")
    col = changed.splitlines()[line - 1].index("22") + 1
    assert f"{NAME}:{line}:{col}: error PB701 `milestones` was acknowledged on 2026-11-16" in result.stdout


@pytest.mark.parametrize("old, new, term", [
    ("      below: 24\n", "      below: 20\n", "criteria"),
    ("    target: 30\n", "    target: 28\n", "criteria"),
    ("  days: 90\n", "  days: 80\n", "timetable"),
    ("      title: Final review\n", "      title: Closing review\n", "timetable"),
    ("consequences: A written warning may follow", "consequences: A warning may follow", "consequences"),
])
def test_every_signed_term_is_locked(repo, cli, old, new, term):
    changed = PIP.change(old, new)
    result = check_base(cli, repo(changed))
    assert f"error PB701 `{term}` was acknowledged" in result.stdout, result.stdout


@pytest.mark.parametrize("change", [
    ("log:\n", "log:\n  - {date: 2026-11-23, kind: check-in, note: Week two planned.}\n"),
    ("escalation:\n", "escalation:\n  - {stage: agreement-email, date: 2026-11-14}\n"),
    ("status: active", "status: extended"),
])
def test_history_is_not_a_signed_term(repo, cli, change):
    result = check_base(cli, repo(PIP.change(*change)))
    assert "PB701" not in result.stdout, result.stdout


def test_an_acknowledged_amendment_that_names_the_change_passes(repo, cli):
    changed = PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 22}")
    amended = changed + AMENDMENT.format(changes="milestones", acknowledgement=SIGNED)
    result = check_base(cli, repo(amended))
    assert "PB701" not in result.stdout and result.returncode == 0, result.stdout + result.stderr


def test_an_amendment_must_be_acknowledged_and_name_what_changed(repo, cli):
    changed = PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 22}")
    unsigned = changed + AMENDMENT.format(changes="milestones", acknowledgement="")
    result = check_base(cli, repo(unsigned))
    assert "error PB701" in result.stdout and "warning PB702" in result.stdout
    other = changed + AMENDMENT.format(changes="timetable", acknowledgement=SIGNED)
    # HEAD~2 is the signed plan: the unsigned amendment's commit lies in between.
    assert "error PB701 `milestones`" in check_base(cli, repo(other), "HEAD~2").stdout


def test_a_plan_not_acknowledged_at_the_base_may_change(repo, cli, tmp_path):
    draft = PIP.change("status: active", "status: draft").without("acknowledgement:")
    repo(draft, "A draft")
    changed = draft.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 22}")
    assert "PB701" not in check_base(cli, repo(changed)).stdout


def test_a_revision_that_does_not_exist_is_a_usage_error(repo, cli):
    result = check_base(cli, repo(PIP + "# touched\n"), "no-such-branch")
    assert result.returncode == 2 and "no-such-branch" in result.stderr and "Traceback" not in result.stderr


def test_outside_a_repository_base_is_a_usage_error(cli, tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "x.yaml").write_text(PlanText(PIP), encoding="utf-8")
    result = cli("check", "--base", "HEAD", cwd=tmp_path)
    assert result.returncode == 2 and "git" in result.stderr and "Traceback" not in result.stderr


# --- the lock holds: amendments already signed, dates, renames, new ids -------------------------------------------

AMENDED = PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 22}") + AMENDMENT.format(
    changes="milestones", acknowledgement=SIGNED)


def test_widening_an_amendment_acknowledged_at_the_base_is_a_change_to_signed_terms(repo, cli):
    repo(AMENDED, "Checkpoint lowered, amendment signed")
    widened = AMENDED.change("changes: [milestones]", "changes: [milestones, consequences]").change(
        "consequences: A written warning may follow", "consequences: Dismissal may follow")

    result = check_base(cli, repo(widened))

    assert result.returncode == 1, result.stdout + result.stderr
    at = {(finding.split(":")[1], finding.split(" ")[2]) for finding in result.stdout.splitlines()}
    assert (str(widened.line("changes: [milestones, consequences]")), "PB701") in at
    assert (str(widened.line("consequences: Dismissal")), "PB701") in at
    assert "the amendment of 2026-11-25 was acknowledged at the base revision" in result.stdout


def test_removing_an_amendment_acknowledged_at_the_base_is_a_change_to_signed_terms(repo, cli):
    repo(AMENDED, "Checkpoint lowered, amendment signed")
    removed = AMENDED.without("amendments:")

    result = check_base(cli, repo(removed))

    assert "error PB701" in result.stdout and "amendment of 2026-11-25" in result.stdout


def test_an_amendment_signed_since_the_base_still_covers_its_change(repo, cli):
    unsigned = PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 22}") + AMENDMENT.format(
        changes="milestones", acknowledgement="")
    repo(unsigned, "Amendment drafted")

    result = check_base(cli, repo(AMENDED), "HEAD~2")

    assert result.returncode == 0 and "PB701" not in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("day, refusal", [("2999-12-31", "warning PB215"), ("1900-01-01", "error PB704")])
def test_an_amendment_acknowledged_after_today_or_before_its_date_covers_nothing(repo, cli, day, refusal):
    dated = AMENDED.change(SIGNED, SIGNED.replace("person: 2026-11-26", f"person: {day}"))

    result = check_base(cli, repo(dated))

    assert result.returncode == 1
    assert f"{NAME}:{dated.line(f'person: {day}')}:15: {refusal}" in result.stdout
    line = dated.line("targets: {discovery-to-demo: 22}")
    assert f"{NAME}:{line}:" in result.stdout and "error PB701 `milestones`" in result.stdout


@pytest.mark.parametrize("how", ["git mv", "new id"])
def test_a_moved_file_or_a_new_id_keeps_the_plan_locked(repo, cli, how):
    root = repo(PIP + "# touched\n")
    changed = PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 20}")
    if how == "git mv":
        git(root, "mv", NAME, "plans/emea-west/jl-2026-11.yaml")
        (root / "plans/emea-west/jl-2026-11.yaml").write_text(changed, encoding="utf-8")
        shown = "plans/emea-west/jl-2026-11.yaml"
        result = cli("check", "--today", "2026-11-30", "--base", "HEAD", cwd=root)
    else:
        changed = "id: jordan-lee-pip-2026-11b\n" + changed
        repo(changed)
        shown = NAME
        result = check_base(cli, root)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{shown}:{changed.line('discovery-to-demo: 20')}" in result.stdout
    assert "error PB701 `milestones`" in result.stdout


@pytest.mark.parametrize("rev", ["", "  "])
def test_an_empty_base_is_a_usage_error(repo, cli, rev):
    result = check_base(cli, repo(PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 20}")),
                        rev)

    assert result.returncode == 2 and "--base" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_base_version_over_the_size_bound_is_read_as_check_reads_it(repo, cli, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - playbook:\n      policy:\n"
                                         "        max_file_bytes: 2048\n", encoding="utf-8")
    padded = PIP + "#" * 2048 + "\n"
    repo(padded, "A long comment")
    # Locked at HEAD~1 by a version that `playbook check` would refuse: it locks nothing.
    result = check_base(cli, repo(PIP.change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 20}")))

    assert "PB701" not in result.stdout, result.stdout
