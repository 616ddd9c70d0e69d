"""The kit for plans repositories: the pull-request workflow, the pre-commit hook, CODEOWNERS and the
pull-request template.

The workflow's diff step runs as written, in a real clone with the base branch at `origin/`, with a
stand-in for `gh` that records the comment; the pre-commit hook runs through `pre-commit try-repo`
against a clone of this repository's committed HEAD, as a plans repository would use it.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess

import pytest
import yaml

from conftest import PIP, PlanText
from generator.cli import build_parser
from sitekit import BIN, REPO
from test_gitrepo import GitRepo

WORKFLOW = REPO / ".github" / "workflows" / "plans.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
CODEOWNERS = REPO / ".github" / "CODEOWNERS.example"
PR_TEMPLATE = REPO / ".github" / "pull_request_template.md"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _job(name: str) -> dict:
    return _workflow()["jobs"][name]


def _step(job: dict, *, runs: str = "", uses: str = "") -> dict:
    """The one step of `job` whose script holds `runs` or whose action is `uses`."""
    found = [step for step in job["steps"]
             if runs and runs in step.get("run", "") or uses and step.get("uses", "").startswith(uses)]
    assert len(found) == 1, f"{len(found)} steps run {runs or uses!r}"
    return found[0]


# --- the workflow -------------------------------------------------------------------------------------------------


def test_the_workflow_runs_on_pull_requests_and_on_pushes_to_main():
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true

    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}


def test_a_pull_request_is_checked_against_its_base_with_the_whole_history():
    job = _job("check")
    check = _step(job, runs="playbook check")

    assert "pull_request" in job["if"]
    assert _step(job, uses="actions/checkout")["with"]["fetch-depth"] == 0
    assert _step(job, runs="pip install")["run"] == "pip install -e ."
    assert check["run"] == 'playbook check --format github --base "origin/$BASE_REF"'
    assert check["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_a_pull_request_builds_the_site_strictly():
    assert _step(_job("check"), runs="mkdocs build")["run"] == "mkdocs build --strict"


def test_a_pull_request_gets_the_diff_as_a_markdown_comment():
    job = _job("check")
    step = _step(job, runs="playbook diff")

    assert job["permissions"]["pull-requests"] == "write"
    assert 'playbook diff "origin/$BASE_REF" HEAD --format markdown' in step["run"]
    assert "gh pr comment" in step["run"]
    assert step["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert step["if"] == "${{ !cancelled() }}"  # also when the check fails


def test_the_diff_command_in_the_workflow_is_one_playbook_understands():
    args = build_parser().parse_args(["diff", "origin/main", "HEAD", "--format", "markdown"])

    assert (args.base, args.head, args.format) == ("origin/main", "HEAD", "markdown")


def test_main_is_built_and_deployed_for_the_playbook_audience():
    job = _job("publish")
    build = _step(job, runs="mkdocs build")

    assert "refs/heads/main" in job["if"] and "push" in job["if"]
    assert build["run"] == "mkdocs build --strict"
    assert build["env"]["PLAYBOOK_AUDIENCE"] == "playbook"
    assert _step(job, uses="actions/upload-pages-artifact")["with"]["path"] == "site"
    _step(job, uses="actions/deploy-pages")
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


FAKE_GH = """#!/bin/sh
# Records each call; `--edit-last` fails as it does before the first comment.
printf '%s\\n' "$*" >> "$GH_LOG"
case "$*" in *--edit-last*) echo "no comments found for current user" >&2; exit 1;; esac
while [ "$#" -gt 0 ]; do [ "$1" = "--body-file" ] && cp "$2" "$GH_BODY"; shift; done
"""


def test_the_diff_step_runs_as_written_and_posts_one_comment(tmp_path):
    origin = GitRepo(tmp_path / "origin")
    plan = "plans/emea-west/jordan-lee-pip-2026-11.yaml"
    origin.write(plan, PIP)
    origin.commit("A PIP", day="2026-11-16")
    clone = tmp_path / "checkout"
    origin.git("clone", "-q", str(origin.root), str(clone))
    checkout = GitRepo(clone, init=False)
    checkout.git("checkout", "-q", "-b", "lower-target")
    checkout.write(plan, PlanText(PIP).change("targets: {discovery-to-demo: 24}", "targets: {discovery-to-demo: 22}"))
    checkout.commit("Lower the first milestone", day="2026-11-17")
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(FAKE_GH)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    step = _step(_job("check"), runs="playbook diff")
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
           "BASE_REF": "main", "PR": "7", "GH_TOKEN": "not-used", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GH_LOG": str(tmp_path / "gh.log"), "GH_BODY": str(tmp_path / "body.md")}

    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=clone, env=env, capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    body = (tmp_path / "body.md").read_text()
    assert "## Plan changes" in body
    assert "- milestone `Discovery checklist in use` target `discovery-to-demo` `24` → `22`" in body
    assert (tmp_path / "summary.md").read_text() == body
    assert (tmp_path / "gh.log").read_text().splitlines() == [
        "pr comment 7 --edit-last --body-file plan-changes.md", "pr comment 7 --body-file plan-changes.md"]


# --- the pre-commit hook ------------------------------------------------------------------------------------------


def _hook() -> dict:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert "playbook-check" in hooks
    return hooks["playbook-check"]


def test_the_pre_commit_hook_checks_plan_files():
    hook = _hook()

    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("playbook check", "python", True)
    assert hook["files"] == r"^plans/.*\.ya?ml$"


@pytest.mark.parametrize("path, checked", [
    ("plans/emea-west/jordan-lee-pip-2026-11.yaml", True),
    ("plans/team/plan.yml", True),
    ("plans/_roster.yaml", False),  # data beside the plans, as `playbook check plans/` leaves it out
    ("plans/team/_people.yaml", False),
    ("plans/.drafts/plan.yaml", False),
    ("plans/README.md", False),
    ("playbook/templates/samples/pip.yaml", False),
])
def test_the_hook_takes_the_files_playbook_check_would(path, checked):
    hook = _hook()

    assert (bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)) is checked


@pytest.mark.slow
def test_pre_commit_try_repo_fails_a_bad_plan_where_it_is_wrong_and_passes_a_good_one(tmp_path):
    pre_commit = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit) to run the hook as a plans repository would")
    if not (REPO / ".git").exists():
        pytest.skip(f"{REPO} is not a git checkout, so there is no committed hook to try")
    hooks_repo = tmp_path / "playbook"
    subprocess.run(["git", "clone", "-q", str(REPO), str(hooks_repo)], check=True)  # the committed HEAD
    plans = GitRepo(tmp_path / "plans-repo")
    bad_plan = PlanText(PIP).change("  days: 90", "  days: 91")
    plans.write("plans/emea-west/good.yaml", PIP)
    plans.write("plans/emea-west/bad.yaml", bad_plan)
    plans.git("add", "plans")
    env = {**os.environ, "PLAYBOOK_TODAY": "2026-11-20", "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def try_repo(path: str) -> subprocess.CompletedProcess:
        return subprocess.run([pre_commit, "try-repo", str(hooks_repo), "playbook-check", "--files", path],
                              cwd=plans.root, env=env, capture_output=True, text=True, timeout=900)

    bad, good = try_repo("plans/emea-west/bad.yaml"), try_repo("plans/emea-west/good.yaml")

    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"plans/emea-west/bad.yaml:{bad_plan.line('  days: 91')}:9: error PB206 " in bad.stdout
    assert good.returncode == 0, good.stdout + good.stderr
    assert "playbook check" in good.stdout and "Passed" in good.stdout


# --- CODEOWNERS and the pull-request template ---------------------------------------------------------------------


def _owners() -> dict[str, list[str]]:
    rules = {}
    for line in CODEOWNERS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules[pattern] = owners
    return rules


def test_codeowners_puts_the_playbook_under_hr_and_each_team_s_plans_under_its_managers_and_hr():
    rules = _owners()
    hr = rules["/playbook/"]

    assert rules["/playbook/templates/"] == hr
    team_folders = {pattern: owners for pattern, owners in rules.items()
                    if pattern.startswith("/plans/") and pattern != "/plans/"}
    assert len(team_folders) >= 2
    for owners in team_folders.values():
        assert any(owner.endswith("-managers") for owner in owners)
        assert set(rules["/plans/"]) <= set(owners)  # HR is on every team's line: the last match wins
    assert all(owner.startswith("@") for owners in rules.values() for owner in owners)


def test_codeowners_example_says_how_to_adopt_it():
    text = CODEOWNERS.read_text(encoding="utf-8")

    assert "copy this file to .github/CODEOWNERS" in text
    assert "Require review from Code Owners" in text


def test_the_pull_request_template_asks_about_confidential_data_the_check_and_hr():
    boxes = [line for line in PR_TEMPLATE.read_text(encoding="utf-8").splitlines() if line.startswith("- [ ] ")]

    assert "- [ ] No confidential data outside plans (private notes only under `private:` in a plan file)" in boxes
    assert "- [ ] `playbook check` passes" in boxes
    assert "- [ ] HR partner asked to review" in boxes
    assert len(boxes) <= 8  # short enough to be read
