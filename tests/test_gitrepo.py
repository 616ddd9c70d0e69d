"""generator/gitrepo.py against real repositories: finding the repository, shallow clones, revisions,
merge bases, and the plan files of a commit and of the work tree, odd file names included.

`GitRepo` (a repository in a temp folder whose commits have fixed authors and dates) and
`count_processes` serve the history and diff tests too.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator import gitrepo
from generator.gitrepo import GitError, is_shallow, merge_base, plan_files_at, repo_root, resolve, working_plan_files

# What git reads from outside the test: nothing (no global or system configuration).
_ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


class GitRepo:
    """A real git repository in a temp folder; each commit has the author and day it is given."""

    def __init__(self, root: Path, branch: str = "main", *, init: bool = True):
        """A new repository at `root` on `branch`; with `init=False`, one that is there already (a clone)."""
        self.root = root
        if init:
            root.mkdir(parents=True, exist_ok=True)
            self.git("init", "-q", "-b", branch)

    def git(self, *args: str, author: str = "Priya Shah", day: str = "2026-11-16") -> str:
        email = author.lower().replace(" ", ".") + "@example.com"
        stamp = f"{day}T10:00:00+00:00"
        env = {**os.environ, **_ISOLATED, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email,
               "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email,
               "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, check=False)
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr.decode(errors='replace')}"
        return done.stdout.decode("utf-8", "surrogateescape")

    def write(self, path: str, content: str | bytes) -> Path:
        """Write a file, its path relative to the repository (a byte that is not UTF-8 written as a lone surrogate, U+DC80 to U+DCFF)."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
        return target

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def commit(self, subject: str, *, author: str = "Priya Shah", day: str = "2026-11-16") -> str:
        """Commit everything in the work tree; returns the commit's full id."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", subject, author=author, day=day)
        return self.head()

    def head(self, rev: str = "HEAD") -> str:
        return self.git("rev-parse", rev).strip()


def count_processes(monkeypatch) -> list[list[str]]:
    """Record every process started from here on (`subprocess.run` starts one through `Popen` too)."""
    started: list[list[str]] = []
    original = subprocess.Popen

    class Counted(original):
        def __init__(self, args, *rest, **options):
            started.append([os.fsdecode(arg) for arg in args])
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", Counted)
    return started


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


# --- finding the repository ---------------------------------------------------------------------------------------


def test_repo_root_is_the_top_folder_from_anywhere_inside(repo):
    repo.write("plans/team/a.yaml", "kind: pip\n")

    assert repo_root(repo.root / "plans" / "team") == repo.root.resolve()
    assert repo_root(repo.root / "plans" / "team" / "a.yaml") == repo.root.resolve()


def test_repo_root_is_none_outside_a_repository_and_without_git(tmp_path, repo, monkeypatch):
    outside = tmp_path / "elsewhere"
    outside.mkdir()

    assert repo_root(outside) is None
    assert repo_root(tmp_path / "no-such-folder") is None
    monkeypatch.setattr(gitrepo, "GIT", "no-such-git-command")
    assert repo_root(repo.root) is None


def test_a_shallow_clone_says_so(tmp_path, repo):
    repo.write("plans/a.yaml", "one\n")
    repo.commit("First", day="2026-11-16")
    repo.write("plans/a.yaml", "two\n")
    repo.commit("Second", day="2026-11-17")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
                   env={**os.environ, **_ISOLATED})

    assert is_shallow(clone) is True
    assert is_shallow(repo.root) is False


# --- revisions ----------------------------------------------------------------------------------------------------


def test_resolve_gives_the_full_commit_id(repo):
    first = repo.commit("First")
    repo.git("tag", "v1")

    assert resolve(repo.root, "HEAD") == first
    assert resolve(repo.root, "v1") == first  # an annotated or light tag names its commit
    assert len(first) == 40


@pytest.mark.parametrize("rev", ["no-such-branch", "HEAD~5", "", "main:plans"])
def test_a_revision_that_does_not_exist_is_a_one_line_error(repo, rev):
    repo.commit("First")

    with pytest.raises(GitError) as raised:
        resolve(repo.root, rev)

    assert str(raised.value) == f"`{rev}` is not a revision in this repository"


def test_a_revision_that_looks_like_an_option_is_refused_before_git_sees_it(repo, tmp_path, monkeypatch):
    repo.commit("First")
    started = count_processes(monkeypatch)
    target = tmp_path / "written"

    with pytest.raises(GitError, match="is not a revision"):
        resolve(repo.root, f"--output={target}")

    assert started == [] and not target.exists()


def test_merge_base_of_a_branch_and_main(repo):
    base = repo.commit("Base", day="2026-11-16")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("On the branch", day="2026-11-17")
    repo.git("checkout", "-q", "main")
    repo.commit("On main", day="2026-11-18")

    assert merge_base(repo.root, "main", "feature") == base


def test_branches_without_a_common_ancestor_are_an_error(repo):
    repo.commit("Base")
    repo.git("checkout", "-q", "--orphan", "unrelated")
    repo.commit("Elsewhere", day="2026-11-17")

    with pytest.raises(GitError, match="`main` and `unrelated` have no common ancestor"):
        merge_base(repo.root, "main", "unrelated")


# --- plan files ---------------------------------------------------------------------------------------------------

ODD_PLANS = {
    "plans/team/with space.yaml": b"one\n",
    "plans/team/new\nline.yaml": b"two\n",
    "plans/team/-dash.yaml": b"three\n",
    "plans/LOUD.YAML": b"four\n",
    "plans/short.yml": b"five\n",
    "plans/team/café.yaml": b"six\n",
    "plans/team/caf\udce9.yaml": b"seven\n",  # the byte 0xe9 alone: not UTF-8
}
NOT_PLANS = {
    "plans/_roster.yaml": b"data\n",
    "plans/.drafts/x.yaml": b"hidden\n",
    "plans/team/.hidden.yaml": b"hidden\n",
    "plans/README.md": b"# notes\n",
    "other/x.yaml": b"elsewhere\n",
}


def _write_all(repo: GitRepo, files: dict[str, bytes]) -> None:
    for path, content in files.items():
        repo.write(path, content)


def test_plan_files_at_a_commit_are_every_plan_under_the_folder_and_nothing_else(repo):
    _write_all(repo, ODD_PLANS | NOT_PLANS)
    repo.commit("Plans with odd names")

    assert plan_files_at(repo.root, "HEAD", "plans") == ODD_PLANS


def test_plan_files_at_an_older_commit_are_as_they_were(repo):
    repo.write("plans/a.yaml", "old\n")
    repo.commit("First", day="2026-11-16")
    repo.write("plans/a.yaml", "new\n")
    repo.write("plans/b.yaml", "added\n")
    repo.commit("Second", day="2026-11-17")

    assert plan_files_at(repo.root, "HEAD~1", "plans") == {"plans/a.yaml": b"old\n"}
    assert plan_files_at(repo.root, "HEAD", "plans") == {"plans/a.yaml": b"new\n", "plans/b.yaml": b"added\n"}
    assert plan_files_at(repo.root, "HEAD", "no-such-folder") == {}


def test_a_folder_with_pathspec_magic_in_its_name_is_read_literally(repo):
    repo.write(":(glob)plans/a.yaml", "literal\n")
    repo.write("plans/b.yaml", "other\n")
    repo.commit("Odd folder")

    assert plan_files_at(repo.root, "HEAD", ":(glob)plans") == {":(glob)plans/a.yaml": b"literal\n"}


def test_the_whole_repository_is_the_folder_when_it_is_empty(repo):
    repo.write("a.yaml", "top\n")
    repo.write("team/b.yaml", "below\n")
    repo.commit("Plans at the top")

    assert plan_files_at(repo.root, "HEAD", "") == {"a.yaml": b"top\n", "team/b.yaml": b"below\n"}


def test_plan_files_at_a_commit_take_three_processes_however_many_plans(repo, monkeypatch):
    _write_all(repo, {f"plans/team-{n % 5}/plan-{n}.yaml": f"plan {n}\n".encode() for n in range(40)})
    repo.commit("Forty plans")
    started = count_processes(monkeypatch)

    files = plan_files_at(repo.root, "HEAD", "plans")

    assert len(files) == 40
    assert [args[4] for args in started] == ["rev-parse", "ls-tree", "cat-file"]


def test_working_plan_files_are_the_work_tree_as_it_is(repo):
    _write_all(repo, ODD_PLANS | NOT_PLANS)
    repo.commit("Plans")
    repo.write("plans/short.yml", "changed, not committed\n")
    repo.write("plans/untracked.yaml", "new\n")

    files = working_plan_files(repo.root, "plans")

    assert files == ODD_PLANS | {"plans/short.yml": b"changed, not committed\n", "plans/untracked.yaml": b"new\n"}
    assert working_plan_files(repo.root, "no-such-folder") == {}


def test_an_unknown_revision_for_plan_files_is_a_git_error(repo):
    repo.commit("First")

    with pytest.raises(GitError, match="`nope` is not a revision in this repository"):
        plan_files_at(repo.root, "nope", "plans")


def test_git_renames_between_two_commits(repo):
    repo.write("plans/old-name.yaml", "kind: pip\nstatus: active\nperson: somebody\n" * 3)
    repo.commit("First", day="2026-11-16")
    repo.git("mv", "plans/old-name.yaml", "plans/new-name.yaml")
    repo.commit("Renamed", day="2026-11-17")

    assert gitrepo.renames(repo.root, "HEAD~1", "HEAD", "plans") == {"plans/old-name.yaml": "plans/new-name.yaml"}
    assert gitrepo.renames(repo.root, "HEAD~1", None, "plans") == {"plans/old-name.yaml": "plans/new-name.yaml"}


def test_nothing_here_starts_a_shell(repo, monkeypatch):
    repo.write("plans/$(touch pwned).yaml", "x\n")
    repo.commit("A name a shell would run")
    calls = []
    original = subprocess.Popen

    class Watched(original):
        def __init__(self, args, *rest, **options):
            calls.append((args, options.get("shell", False)))
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", Watched)
    plan_files_at(repo.root, "HEAD", "plans")

    assert calls and all(isinstance(args, list) and not shell for args, shell in calls)
    assert not (repo.root / "pwned").exists()
