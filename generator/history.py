"""Each plan file's change history: the commits that changed it, newest first, read from git once per build.

    read_history(repo_folder, plans_folder) -> History;  History.for_file(path) -> [Commit, ...]

One `git log` lists every commit that touched the plans folder with the files it changed, renames
detected (`-M`, and `-B` for a plan moved while another takes its old name). Walking it from newest to oldest maps each file's older names to its current one,
so a plan keeps its history across a move. One `git cat-file --batch` then reads, plan by plan, the
versions needed to find the commit that set each current acknowledgement signature. With the one
`git rev-parse` that finds the repository, a build starts three git processes, however many plans
it has.

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

from .gitrepo import Blobs, GitError, GitMissing, decode, is_plan_path, repository, run_git
from .load import MAX_BYTES, LoadError, load_bytes
from .model import Acknowledgement

Status = Literal["ok", "no-repository", "shallow", "no-git"]
SIGNATURES: tuple[str, ...] = tuple(Acknowledgement.model_fields)  # ("person", "manager")

MESSAGES: dict[str, str] = {
    "no-git": "The change history is not shown: git is not installed where this site was built.",
    "no-repository": "The change history is not shown: the plans are not in a git repository.",
    "shallow": ("The change history is not shown: this site was built from a shallow clone, which holds only "
                "the latest commits. Build from the whole history: `fetch-depth: 0` in actions/checkout "
                "(or `git fetch --unshallow`)."),
}

# Each field starts with a letter, so that none is empty: an empty subject is still one field.
_FORMAT = "%x00c%H%x00h%h%x00d%aI%x00a%aN%x00s%s"
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Commit:
    """One commit that changed a plan file."""

    id: str
    short: str
    date: date  # the author date, in the author's time zone
    author: str
    subject: str
    acknowledges: tuple[str, ...] = ()  # the signatures ("person", "manager") this commit set to their current value


@dataclass(frozen=True)
class History:
    """What git knows of the plans' files, or why it knows nothing (`status`, `message`)."""

    status: Status
    message: str = ""
    root: Path | None = None
    files: dict[str, tuple[Commit, ...]] = field(default_factory=dict)  # path from the repository's top -> commits

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


def read_history(repo_folder: Path, plans_folder: Path) -> History:
    """The history of every plan file under `plans_folder`, as committed up to HEAD."""
    try:
        found = repository(Path(repo_folder))
    except GitMissing:
        return History("no-git", MESSAGES["no-git"])
    except GitError as exc:
        return History("no-repository", f"The change history is not shown: git cannot read the repository ({exc}).")
    if found is None:
        return History("no-repository", MESSAGES["no-repository"])
    top, shallow = found
    if shallow:
        return History("shallow", MESSAGES["shallow"])
    root = Path(os.path.realpath(top))
    folder = Path(os.path.relpath(os.path.realpath(plans_folder), root)).as_posix()
    if folder == ".." or folder.startswith("../"):
        return History("no-repository", MESSAGES["no-repository"])
    folder = "" if folder == "." else folder
    try:
        log = run_git(root, ["log", "-z", "--raw", "--no-abbrev", "-M", "-B", "--no-color", "--no-show-signature",
                             f"--format={_FORMAT}", "--", folder or "."])
    except GitError as exc:
        if "does not have any commits yet" in str(exc):
            return History("ok", root=root)
        return History("no-repository", f"The change history is not shown: git cannot read it ({exc}).")
    files = {path: versions for path, versions in _by_current_name(_parse_log(log)).items()
             if is_plan_path(path, folder)}
    return History("ok", root=root, files=_marked(root, files))


def _parse_log(raw: bytes) -> Iterator[tuple[Commit, list[_Change]]]:
    """The commits of `git log -z --raw --format=_FORMAT`, newest first, each with the files it changed."""
    fields = [decode(item) for item in raw.split(b"\0")]
    index, count = 0, len(fields)
    while index < count:
        token = fields[index].lstrip("\n")
        index += 1
        if not token.startswith("c"):
            continue  # the empty fields between commits
        short, when, author, subject = (text[1:] for text in fields[index:index + 4])
        index += 4
        # `--no-abbrev` (for whole blob ids in --raw) also makes %h whole: shorten it here.
        commit = Commit(token[1:], short[:12], date.fromisoformat(when[:10]), author, subject)
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
    """Each file that exists at HEAD -> [(commit, the file's object after it)], newest first, across renames."""
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
            found[now].append((commit, change.blob))
            if change.status == "A":
                ended.append(change.path)
            if change.old_path is not None:
                moved.append((change.old_path, now))
        # Within one commit, a name both added and renamed away names the renamed file before it.
        current.update({name: None for name in ended})
        current.update(dict(moved))
    return {path: versions for path, versions in found.items() if path not in deleted}


def _acknowledgement(raw: bytes | None) -> dict[str, Any] | None:
    """The signatures a version of a plan holds; None for one that cannot be read."""
    if raw is None:
        return None
    try:
        document = load_bytes(raw)
    except LoadError:
        return None
    signatures = document.data.get("acknowledgement")
    return signatures if isinstance(signatures, dict) else {}


def _marked(root: Path, files: dict[str, list[tuple[Commit, str]]]) -> dict[str, tuple[Commit, ...]]:
    """Each file's commits, the one that set each current signature marked.

    A signature was set by the oldest commit of the unbroken run, from the newest version back, in
    which it has its current value; a version that cannot be read neither breaks the run nor extends it.
    Only the versions that decide are read: one for a plan with no acknowledgement.
    """
    result: dict[str, tuple[Commit, ...]] = {}
    with Blobs(root, max_bytes=MAX_BYTES) as blobs:
        read: dict[str, dict[str, Any] | None] = {}

        def signatures(blob: str) -> dict[str, Any] | None:
            if blob not in read:
                read[blob] = _acknowledgement(None if blob == _NO_BLOB else blobs.read(blob))
            return read[blob]

        for path, versions in sorted(files.items()):
            setters = _setters([(commit.id, blob) for commit, blob in versions], signatures)
            result[path] = tuple(
                replace(commit, acknowledges=tuple(name for name in SIGNATURES if setters.get(name) == commit.id))
                if commit.id in setters.values() else commit
                for commit, _ in versions)
    return result


def _setters(versions: list[tuple[str, str]], signatures) -> dict[str, str]:
    """signature -> the commit that set its current value, for versions newest first."""
    readable = ((commit, found) for commit, blob in versions if (found := signatures(blob)) is not None)
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
