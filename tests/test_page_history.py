"""A plan page's history: the commits that changed its file, from real git, in a real build.

The project is a temporary git repository; two authors commit the same plan, one moves it, and
`mkdocs build --strict` publishes the page. Outside git, and in a shallow clone, the page says
why there is no history, and the build still passes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import PIP
from sitekit import Page, make_project, mkdocs_build

PLAN = "plans/emea-west/jordan-lee-pip-2026-11.yaml"


def commit(root: Path, author: str, message: str, when: str) -> None:
    email = author.lower().replace(" ", ".") + "@example.com"
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when,
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "site", None)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    path = root / PLAN
    path.parent.mkdir(parents=True)
    unsigned = PIP.change("status: active", "status: draft").without("acknowledgement:")
    path.write_text(unsigned, encoding="utf-8")
    commit(root, "Priya Shah", "Draft Jordan's plan", "2026-11-10T09:00:00+00:00")
    path.write_text(PIP, encoding="utf-8")
    commit(root, "Sam Ortiz", "Jordan signed the plan", "2026-11-16T15:00:00+00:00")
    return root


def history_rows(site: Path) -> list[list[str]]:
    return Page(site, "plans/jordan-lee-pip-2026-11/").rows("History")[1:]


def test_the_page_lists_each_commit_newest_first_with_its_author(tmp_path):
    root = project(tmp_path)
    done = mkdocs_build(root / "mkdocs.yml")
    assert done.returncode == 0, done.output
    rows = history_rows(root / "site")
    assert [(row[0], row[1]) for row in rows] == [("Mon 16 Nov 2026", "Sam Ortiz"), ("Tue 10 Nov 2026", "Priya Shah")]
    assert "signature recorded: person and manager" in rows[0][2]
    assert "signature" not in rows[1][2]
    assert all(len(row[3]) == 12 for row in rows)


def test_history_follows_a_renamed_plan(tmp_path):
    root = project(tmp_path)
    moved = root / "plans" / "emea-north" / "jordan-lee-pip-2026-11.yaml"
    moved.parent.mkdir(parents=True)
    (root / PLAN).rename(moved)
    commit(root, "Priya Shah", "Jordan moves to EMEA North", "2026-11-18T10:00:00+00:00")
    done = mkdocs_build(root / "mkdocs.yml")
    assert done.returncode == 0, done.output
    changes = [row[2].split(" (")[0] for row in history_rows(root / "site")]
    assert changes == [f"file moved from {PLAN}; no change to the record",
                       "status draft -> active; acknowledgement added: person 2026-11-16, manager 2026-11-16",
                       "plan added"]


def test_a_commit_message_reaches_no_page(tmp_path):
    """A message is free text that can name anyone: a person's site must not show a colleague's PIP through it."""
    root = project(tmp_path)
    plan = root / PLAN
    plan.write_text(PIP.change("    target: 30\n", "    target: 31\n"), encoding="utf-8")
    commit(root, "Priya Shah", "Also: Zoltan Quibb's PIP goes to a final warning", "2026-11-17T10:00:00+00:00")
    done = mkdocs_build(root / "mkdocs.yml", env={"PLAYBOOK_AUDIENCE": "person:jordan-lee"})
    assert done.returncode == 0, done.output
    rows = history_rows(root / "site")
    assert rows[0][:2] == ["Tue 17 Nov 2026", "Priya Shah"] and "30 -> 31" in rows[0][2]
    published = "".join(path.read_text(errors="replace") for path in (root / "site").rglob("*") if path.is_file())
    assert "Zoltan" not in published and "Quibb" not in published


def test_a_history_never_joins_two_plans_with_different_ids(tmp_path):
    """One commit deletes a plan and adds a copy renamed to another person: git's rename detection pairs the
    two files, but the new plan's page neither lists the old one's commits nor takes its signatures."""
    root = project(tmp_path)
    other = root / "plans" / "na-east" / "sam-rivera-pip-2026-11.yaml"
    other.parent.mkdir(parents=True)
    (root / PLAN).rename(other)
    other.write_text(PIP.replace("Jordan Lee", "Sam Rivera").replace("jordan-lee", "sam-rivera")
                     .replace("team: emea-west", "team: na-east"), encoding="utf-8")
    commit(root, "Priya Shah", "Swap", "2026-11-18T10:00:00+00:00")
    assert "rename" in subprocess.run(["git", "show", "-M", "--stat", "--summary", "HEAD"], cwd=root, check=True,
                                      capture_output=True, text=True).stdout  # git does join them
    done = mkdocs_build(root / "mkdocs.yml")
    assert done.returncode == 0, done.output
    rows = Page(root / "site", "plans/sam-rivera-pip-2026-11/").rows("History")[1:]
    assert [(row[0], row[2]) for row in rows] == [("Wed 18 Nov 2026", "plan added (signature recorded: person "
                                                                          "and manager)")]


def test_outside_git_the_page_says_so_and_the_build_passes(tmp_path):
    root = make_project(tmp_path / "site", None)
    (root / PLAN).parent.mkdir(parents=True)
    (root / PLAN).write_text(PIP, encoding="utf-8")
    done = mkdocs_build(root / "mkdocs.yml")
    assert done.returncode == 0, done.output
    assert "not in a git repository" in Page(root / "site", "plans/jordan-lee-pip-2026-11/").section("History")


def test_a_shallow_clone_says_so_and_names_the_fix(tmp_path):
    root = project(tmp_path)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True)
    done = mkdocs_build(shallow / "mkdocs.yml")
    assert done.returncode == 0, done.output
    text = Page(shallow / "site", "plans/jordan-lee-pip-2026-11/").section("History")
    assert "shallow" in text and "fetch-depth: 0" in text
