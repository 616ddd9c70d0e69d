"""Each plan file's change history: the commits that changed it, newest first, read from git once per build.

    read_history(repo_folder, plans_folder, policy) -> History;  History.for_file(path) -> [Commit, ...]
    History.earlier_terms(path, plan_id) -> the plan's terms before a later amendment (generator.asof)

One `git log` lists every commit that touched the plans folder with the files it changed, renames
detected (`-M`, and `-B` for a plan moved while another takes its old name). Walking it from newest to oldest maps each file's older names to its current one,
so a plan keeps its history across a move. One `git cat-file --batch` then reads, plan by plan, the
versions needed to find the commit that set each current acknowledgement signature. With the one
`git rev-parse` that finds the repository, a build starts three git processes, however many plans
it has.

A commit is shown by its date, its author's name and what it changed, in the words of `playbook diff`
(private notes only as "private notes changed"). Its message is free text that can name anyone, so
it is never read. A history never crosses plan ids: git's rename detection joins two files only
where the plan's id is the same on both sides, so deleting one person's plan and adding another's in
one commit does not give the new plan the old one's past, or its signatures.

Only commits are history: uncommitted changes are not in it. Outside a repository, without git, or
in a shallow clone (whose history stops short, so every plan would seem to start in its newest
commit) nothing fails: `History.status` says which, and `History.message` says it to the reader.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Literal

from .check import read_plan
from .config import Policy
from .gitrepo import Blobs, GitError, GitMissing, decode, is_plan_path, repository, run_git
from .model import Acknowledgement, Plan

Status = Literal["ok", "no-repository", "shallow", "no-git"]
SIGNATURES: tuple[str, ...] = tuple(Acknowledgement.model_fields)  # ("person", "manager")

MESSAGES: dict[str, str] = {
    "no-git": "The change history is not shown: git is not installed where this site was built.",
    "no-repository": "The change history is not shown: the plans are not in a git repository.",
    "shallow": ("The change history is not shown: this site was built from a shallow clone, which holds only "
                "the latest commits. Build from the whole history: `fetch-depth: 0` in actions/checkout "
                "(or `git fetch --unshallow`)."),
}

# Each field starts with a letter, so that none is empty. The message (%s, %b) is never asked for.
_FORMAT = "%x00c%H%x00h%h%x00d%aI%x00a%aN"
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Commit:
    """One commit that changed a plan file."""

    id: str
    short: str
    date: date  # the author date, in the author's time zone
    author: str
    changes: tuple[str, ...] = ()  # what the commit changed in the plan, in the words of `playbook diff`
    acknowledges: tuple[str, ...] = ()  # the signatures ("person", "manager") this commit set to their current value
    blob: str = ""  # the file's object after the commit
    path: str = ""  # the file's path after the commit, from the repository's top


@dataclass(frozen=True)
class History:
    """What git knows of the plans' files, or why it knows nothing (`status`, `message`)."""

    status: Status
    message: str = ""
    root: Path | None = None
    files: dict[str, tuple[Commit, ...]] = field(default_factory=dict)  # path from the repository's top -> commits
    policy: Policy = field(default_factory=Policy)

    def for_file(self, path: str | os.PathLike) -> list[Commit]:
        """The commits that changed the plan file at `path` (relative to the working folder, or absolute),
        newest first; empty for a file git does not know."""
        if self.root is None:
            return []
        try:
            relative = Path(os.path.realpath(path)).relative_to(self.root)
        except ValueError:
            return []
        return list(self.files.get(relative.as_posix(), ()))


@dataclass(frozen=True)
class _Change:
    """One file a commit changed, as `git log --raw` says it: the path after, the old path of a rename."""

    status: str
    path: str
    blob: str  # the file's object after the commit
    old_path: str | None = None  # where the file's older versions are, for a rename or copy


def read_history(repo_folder: Path, plans_folder: Path, policy: Policy | None = None) -> History:
    """The history of every plan file under `plans_folder`, as committed up to HEAD."""
    policy = policy or Policy()
    try:
        found = repository(Path(repo_folder))
    except GitMissing:
        return History("no-git", MESSAGES["no-git"], policy=policy)
    except GitError as exc:
        return History("no-repository", f"The change history is not shown: git cannot read the repository ({exc}).",
                       policy=policy)
    if found is None:
        return History("no-repository", MESSAGES["no-repository"], policy=policy)
    top, shallow = found
    if shallow:
        return History("shallow", MESSAGES["shallow"], policy=policy)
    root = Path(os.path.realpath(top))
    folder = Path(os.path.relpath(os.path.realpath(plans_folder), root)).as_posix()
    if folder == ".." or folder.startswith("../"):
        return History("no-repository", MESSAGES["no-repository"], policy=policy)
    folder = "" if folder == "." else folder
    try:
        log = run_git(root, ["log", "-z", "--raw", "--no-abbrev", "-M", "-B", "--no-color", "--no-show-signature",
                             f"--format={_FORMAT}", "--", folder or "."])
    except GitError as exc:
        if "does not have any commits yet" in str(exc):
            return History("ok", root=root, policy=policy)
        return History("no-repository", f"The change history is not shown: git cannot read it ({exc}).",
                       policy=policy)
    files = {path: versions for path, versions in _by_current_name(_parse_log(log)).items()
             if is_plan_path(path, folder)}
    return History("ok", root=root, files=_described(root, files, policy), policy=policy)


def _parse_log(raw: bytes) -> Iterator[tuple[Commit, list[_Change]]]:
    """The commits of `git log -z --raw --format=_FORMAT`, newest first, each with the files it changed."""
    fields = [decode(item) for item in raw.split(b"\0")]
    index, count = 0, len(fields)
    while index < count:
        token = fields[index].lstrip("\n")
        index += 1
        if not token.startswith("c"):
            continue  # the empty fields between commits
        short, when, author = (text[1:] for text in fields[index:index + 3])
        index += 3
        # `--no-abbrev` (for whole blob ids in --raw) also makes %h whole: shorten it here.
        commit = Commit(token[1:], short[:12], date.fromisoformat(when[:10]), author)
        changes = []
        while index < count and fields[index].lstrip("\n").startswith(":"):
            # `:<mode> <mode> <blob> <blob> <status>`, then the path, or the old and new paths of a rename;
            # a copy (C) is a rename whose old path was rewritten in the same commit (`-B`)
            meta = fields[index].lstrip("\n").split()
            status, blob = meta[4][0], meta[3]
            if status in "RC":
                changes.append(_Change(status, fields[index + 2], blob, fields[index + 1]))
                index += 3
            else:
                changes.append(_Change(status, fields[index + 1], blob))
                index += 2
        yield commit, changes


def _by_current_name(log: Iterator[tuple[Commit, list[_Change]]]) -> dict[str, list[tuple[Commit, str]]]:
    """Each file that exists at HEAD -> [(commit, the file's object after it)], newest first, across renames.

    Each commit comes with the file's path as that commit left it (`Commit.path`)."""
    current: dict[str, str | None] = {}  # a name as the commit being read has it -> its name at HEAD (None: gone)
    found: dict[str, list[tuple[Commit, str]]] = defaultdict(list)
    deleted: set[str] = set()
    for commit, changes in log:
        ended, moved = [], []
        for change in changes:
            now = current.get(change.path, change.path)
            if now is None:
                continue  # an older file of the same name, deleted before the current one was added
            if not found[now] and change.status == "D":
                deleted.add(now)  # its newest change removed it: not a file at HEAD
            found[now].append((replace(commit, path=change.path), change.blob))
            if change.status == "A":
                ended.append(change.path)
            if change.old_path is not None:
                moved.append((change.old_path, now))
        # Within one commit, a name both added and renamed away names the renamed file before it.
        current.update({name: None for name in ended})
        current.update(dict(moved))
    return {path: versions for path, versions in found.items() if path not in deleted}


_UNREADABLE = "the file could not be read as a plan"


def _described(root: Path, files: dict[str, list[tuple[Commit, str]]], policy: Policy) -> dict[str, tuple[Commit, ...]]:
    """Each file's commits, newest first, each with what it changed, cut where the plan's id changes, and the
    commit that set each current signature marked."""
    from .diff import plan_changes

    result: dict[str, tuple[Commit, ...]] = {}
    with Blobs(root, max_bytes=policy.max_file_bytes) as blobs:
        for path, versions in sorted(files.items()):
            records = [(replace(commit, blob=blob), _record(blobs, blob, commit.path, policy))
                       for commit, blob in versions]
            records = _same_plan(records)
            described = []
            for index, (commit, plan) in enumerate(records):
                older = records[index + 1][1] if index + 1 < len(records) else None
                if plan is None:
                    changes = (_UNREADABLE,)
                elif index + 1 == len(records):
                    changes = ("plan added",)
                elif older is None:
                    changes = ("the plan can be read again",)
                else:
                    changes = tuple(change.text for change in plan_changes(older, plan)) or ("no change to the record",)
                if index + 1 < len(records) and records[index + 1][0].path != commit.path:
                    changes = (f"file moved from {records[index + 1][0].path}",) + changes
                described.append(replace(commit, changes=changes))
            setters = _setters([(commit.id, plan) for commit, plan in records])
            result[path] = tuple(
                replace(commit, acknowledges=tuple(name for name in SIGNATURES if setters.get(name) == commit.id))
                for commit in described)
    return result


def _record(blobs: Blobs, blob: str, path: str, policy: Policy) -> Plan | None:
    if blob == _NO_BLOB:
        return None
    raw = blobs.read(blob)
    return None if raw is None else read_plan(raw, path, policy).plan


def _same_plan(records: list[tuple[Commit, Plan | None]]) -> list[tuple[Commit, Plan | None]]:
    """The versions, newest first, up to the first that belongs to another plan id: git joins files by their
    likeness, and two people's plans can be alike."""
    plan_id = next((plan.id for _, plan in records if plan is not None), None)
    for index, (_, plan) in enumerate(records):
        if plan is not None and plan.id != plan_id:
            return records[:index]
    return records


def _setters(versions: list[tuple[str, Plan | None]]) -> dict[str, str]:
    """signature -> the commit that set its current value, for versions newest first.

    A signature was set by the oldest commit of the unbroken run, from the newest version back, in
    which it has its current value; a version that cannot be read neither breaks the run nor extends it.
    """
    readable = ((commit, _signatures(plan)) for commit, plan in versions if plan is not None)
    newest = next(readable, None)
    if newest is None:
        return {}
    commit, now = newest
    running = {name for name in SIGNATURES if now.get(name) is not None}
    setters = dict.fromkeys(running, commit)
    for commit, found in readable:
        running = {name for name in running if found.get(name) == now[name]}
        setters.update(dict.fromkeys(running, commit))
        if not running:
            break
    return setters


def _signatures(plan: Plan) -> dict[str, Any]:
    ack = plan.acknowledgement
    return {} if ack is None else {name: getattr(ack, name) for name in SIGNATURES}


# Why a plan's earlier terms cannot be read, by the history's status.
_NO_EARLIER = {
    "no-git": "git is not installed here, so the plan's earlier versions cannot be read",
    "no-repository": "the plans are not in a git repository, so no earlier version of the plan is kept",
    "shallow": ("this is a shallow clone, which holds only the latest commits: build from the whole history "
                "(`fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`)"),
}


def earlier_terms(history: History, path: str | os.PathLike, plan_id: str):
    """For a day: the newest committed version of the plan at `path` that records no amendment dated after that
    day (whose terms are the terms as they stood then), or None and why there is none. See generator.asof."""

    def version_before(day: date) -> tuple[Plan | None, str]:
        if history.status != "ok":
            return None, _NO_EARLIER.get(history.status, history.message)
        commits = history.for_file(path)
        if not commits:
            return None, f"{plan_id}'s file is not committed, so no earlier version of it is kept"
        with Blobs(history.root, max_bytes=history.policy.max_file_bytes) as blobs:
            for commit in commits:
                plan = _record(blobs, commit.blob, commit.path, history.policy)
                if plan is not None and plan.id == plan_id and all(a.date <= day for a in plan.amendments):
                    return plan, ""
        return None, ("every committed version of the plan already holds the amendment (it was committed "
                      "together with the plan), so no version holds the terms from before it")

    return version_before
