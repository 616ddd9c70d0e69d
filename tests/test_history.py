"""generator/history.py against real repositories: each plan's commits newest first across renames, the
commit that set each signature, three git processes however many plans, and no failure outside a
repository, without git or in a shallow clone."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import pytest

from generator import gitrepo
from generator.history import read_history
from test_gitrepo import GitRepo, count_processes

OLD_NAME = "plans/emea-west/jordan-lee-pip-2026-11.yaml"
NEW_NAME = "plans/emea/jordan-lee-pip-2026-11.yaml"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


@pytest.fixture
def draft(pip_plan):
    """The PIP before anyone signed it."""
    return pip_plan.change("status: active", "status: draft").without("acknowledgement:")


def _history(repo: GitRepo):
    return read_history(repo.root, repo.root / "plans")


def _signed_and_moved(repo: GitRepo, draft, pip_plan) -> list[str]:
    """Written by Priya, corrected by Sam, moved to another folder, then signed: the four commits, oldest first."""
    repo.write(OLD_NAME, draft)
    first = repo.commit("Draft PIP for Jordan", author="Priya Shah", day="2026-11-10")
    repo.write(OLD_NAME, draft.change("    target: 30\n", "    target: 32\n"))
    second = repo.commit("Raise the conversion target", author="Sam Ortiz", day="2026-11-12")
    repo.git("mv", "plans/emea-west", "plans/emea")
    third = repo.commit("Move EMEA West plans to EMEA", author="Priya Shah", day="2026-11-14")
    repo.write(NEW_NAME, pip_plan.change("    target: 30\n", "    target: 32\n"))
    fourth = repo.commit("Jordan and Priya signed the PIP", author="Priya Shah", day="2026-11-16")
    return [first, second, third, fourth]


def test_a_plan_lists_every_commit_newest_first_across_a_rename(repo, draft, pip_plan):
    repo.write("plans/na-east/other.yaml", "kind: growth\n")
    commits = _signed_and_moved(repo, draft, pip_plan)

    history = _history(repo)
    listed = history.for_file(repo.root / NEW_NAME)

    assert (history.status, history.message) == ("ok", "")
    assert [commit.id for commit in listed] == commits[::-1]
    assert [(commit.date, commit.author) for commit in listed] == [
        (date(2026, 11, 16), "Priya Shah"), (date(2026, 11, 14), "Priya Shah"), (date(2026, 11, 12), "Sam Ortiz"),
        (date(2026, 11, 10), "Priya Shah")]
    # What each commit changed, in the words of `playbook diff`; never its message.
    signed, moved, raised, drafted = (commit.changes for commit in listed)
    assert signed == ("status draft -> active", "acknowledgement added: person 2026-11-16, manager 2026-11-16")
    assert moved == (f"file moved from {OLD_NAME}", "no change to the record")
    assert any("30 -> 32" in line for line in raised) and len(raised) == 1
    assert drafted == ("plan added",)
    assert [commit.short for commit in listed] == [commit[: len(listed[0].short)] for commit in commits[::-1]]


def test_the_commit_that_signed_is_marked(repo, draft, pip_plan):
    _signed_and_moved(repo, draft, pip_plan)

    listed = _history(repo).for_file(repo.root / NEW_NAME)

    assert [commit.acknowledges for commit in listed] == [("person", "manager"), (), (), ()]


def test_each_signature_is_marked_where_it_reached_its_current_value(repo, pip_plan):
    unsigned = pip_plan.without("acknowledgement:")
    repo.write(NEW_NAME, unsigned + "acknowledgement:\n  person: 2026-11-16\n  manager: 2026-11-15\n")
    manager_signed = repo.commit("Both signed", day="2026-11-16")
    repo.write(NEW_NAME, unsigned + "acknowledgement:\n  person: 2026-11-17\n  manager: 2026-11-15\n")
    person_corrected = repo.commit("Jordan signed a day later", day="2026-11-17")
    repo.write(NEW_NAME, "kind: pip\nstatus: [unfinished\n")
    repo.commit("A version that does not parse", day="2026-11-18")
    repo.write(NEW_NAME, (unsigned + "acknowledgement:\n  person: 2026-11-17\n  manager: 2026-11-15\n")
               .change("    target: 30\n", "    target: 31\n"))
    repo.commit("Adjust the target", day="2026-11-19")

    marks = {commit.id: commit.acknowledges for commit in _history(repo).for_file(repo.root / NEW_NAME)}

    assert marks[person_corrected] == ("person",)
    assert marks[manager_signed] == ("manager",)
    assert sum(1 for marked in marks.values() if marked) == 2


def test_a_declined_signature_is_a_value_too(repo, pip_plan):
    unsigned = pip_plan.without("acknowledgement:")
    repo.write(NEW_NAME, unsigned)
    repo.commit("Unsigned", day="2026-11-15")
    repo.write(NEW_NAME, unsigned + "acknowledgement:\n  person: {declined: 2026-11-16, witness: sam-ortiz}\n"
                                    "  manager: 2026-11-16\n")
    declined = repo.commit("Jordan declined to sign; Sam witnessed", day="2026-11-16")

    listed = _history(repo).for_file(repo.root / NEW_NAME)

    assert [(commit.id, commit.acknowledges) for commit in listed][0] == (declined, ("person", "manager"))


def test_the_path_may_be_relative_to_the_working_folder(repo, draft, pip_plan, monkeypatch):
    commits = _signed_and_moved(repo, draft, pip_plan)
    history = _history(repo)
    monkeypatch.chdir(repo.root / "plans")

    assert [commit.id for commit in history.for_file(os.path.join("emea", "jordan-lee-pip-2026-11.yaml"))] \
        == commits[::-1]
    assert [commit.id for commit in history.for_file(f"../{NEW_NAME}")] == commits[::-1]
    assert history.for_file("emea-west/jordan-lee-pip-2026-11.yaml") == []  # the old name is no file now
    assert history.for_file("/somewhere/else.yaml") == []


def test_uncommitted_changes_are_not_history(repo, pip_plan):
    repo.write(NEW_NAME, pip_plan)
    committed = repo.commit("Add the plan")
    repo.write(NEW_NAME, pip_plan.change("    target: 30\n", "    target: 35\n"))
    repo.write("plans/emea/untracked.yaml", pip_plan)

    history = _history(repo)

    assert [commit.id for commit in history.for_file(repo.root / NEW_NAME)] == [committed]
    assert history.for_file(repo.root / "plans/emea/untracked.yaml") == []


def test_a_file_deleted_and_added_again_has_only_its_new_life(repo, pip_plan):
    repo.write(NEW_NAME, pip_plan)
    repo.commit("First plan", day="2026-11-10")
    repo.remove(NEW_NAME)
    repo.commit("Withdrawn", day="2026-11-11")
    repo.write(NEW_NAME, pip_plan.change("    target: 30\n", "    target: 33\n"))
    again = repo.commit("A new plan under the same name", day="2026-11-12")

    assert [commit.id for commit in _history(repo).for_file(repo.root / NEW_NAME)] == [again]


def test_a_plan_renamed_while_another_takes_its_old_name_keeps_its_own_history(repo, pip_plan, growth_plan):
    repo.write(OLD_NAME, pip_plan)
    first = repo.commit("The PIP", day="2026-11-10")
    (repo.root / NEW_NAME).parent.mkdir()
    repo.git("mv", OLD_NAME, NEW_NAME)
    repo.write(OLD_NAME, growth_plan)
    swap = repo.commit("Move the PIP; a growth plan takes its place", day="2026-11-11")

    history = _history(repo)

    assert [commit.id for commit in history.for_file(repo.root / NEW_NAME)] == [swap, first]
    assert [commit.id for commit in history.for_file(repo.root / OLD_NAME)] == [swap]


def test_an_odd_file_name_has_its_history(repo, pip_plan):
    name = "plans/emea/jordan lee\nplan.yaml"
    repo.write(name, pip_plan)
    added = repo.commit("A name with a space and a newline")

    assert [commit.id for commit in _history(repo).for_file(repo.root / name)] == [added]


def test_fifty_plans_take_three_git_processes(repo, pip_plan, monkeypatch):
    for number in range(50):
        repo.write(f"plans/team-{number % 7}/plan-{number}.yaml", pip_plan.change("Jordan Lee", f"Person {number}"))
    repo.commit("Fifty plans", day="2026-11-10")
    for number in range(0, 50, 3):
        path = f"plans/team-{number % 7}/plan-{number}.yaml"
        repo.write(path, pip_plan.change("Jordan Lee", f"Person {number}").change("    target: 30\n", "    target: 31\n"))
    repo.commit("Raise a third of the targets", day="2026-11-11")
    started = count_processes(monkeypatch)

    history = _history(repo)

    assert len(started) <= 3, started
    assert [args[4] for args in started] == ["rev-parse", "log", "cat-file"]
    assert len(history.files) == 50
    changed, added = (commit.changes for commit in history.for_file(repo.root / "plans/team-3/plan-3.yaml"))
    assert added == ("plan added",) and len(changed) == 1 and "30 -> 31" in changed[0]


def test_a_shallow_clone_says_its_history_is_incomplete_and_names_the_fix(tmp_path, repo, draft, pip_plan):
    _signed_and_moved(repo, draft, pip_plan)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
                   env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})

    history = read_history(clone, clone / "plans")

    assert history.status == "shallow"
    assert "shallow clone" in history.message and "`fetch-depth: 0` in actions/checkout" in history.message
    assert history.for_file(clone / NEW_NAME) == []


def test_outside_a_repository_nothing_fails(tmp_path, pip_plan):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.yaml").write_text(pip_plan)

    history = read_history(tmp_path, tmp_path / "plans")

    assert history.status == "no-repository"
    assert history.message == "The change history is not shown: the plans are not in a git repository."
    assert history.for_file(tmp_path / "plans" / "a.yaml") == []


def test_without_git_nothing_fails(repo, pip_plan, monkeypatch):
    repo.write(NEW_NAME, pip_plan)
    repo.commit("Add the plan")
    monkeypatch.setattr(gitrepo, "GIT", "no-such-git-command")

    history = _history(repo)

    assert history.status == "no-git"
    assert "git is not installed" in history.message
    assert history.for_file(repo.root / NEW_NAME) == []


def test_a_repository_without_commits_has_an_empty_history(repo, pip_plan):
    repo.write(NEW_NAME, pip_plan)

    history = _history(repo)

    assert (history.status, history.for_file(repo.root / NEW_NAME)) == ("ok", [])
