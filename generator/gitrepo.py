"""The `git` command, as the rest of Playbook asks it questions about a plans repository.

Every call is an argument list (never a shell), names its repository with `-C`, reads paths as
literal pathspecs after `--`, and lists them NUL-separated (`-z`), so a file name with spaces, a
newline or a leading dash is still one file name. Output is decoded as UTF-8 with
`surrogateescape`: a name whose bytes are not UTF-8 survives the round trip, and is escaped only
where it is shown (`findings.visible`). Git's messages are read in the C locale, and a failure is a
`GitError` with one line to show the user, never a traceback.

File contents come from one `git cat-file --batch` process (`Blobs`), however many files are read.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

from .findings import visible

GIT = "git"
_ENVIRONMENT = {
    "LC_ALL": "C",  # git's messages in English, so that "not a git repository" can be recognised
    "GIT_TERMINAL_PROMPT": "0",  # never wait for a password
    "GIT_OPTIONAL_LOCKS": "0",  # a reader takes no lock that would stop the user's own `git commit`
}


class GitError(Exception):
    """A question git could not answer; the message is one line for the user."""


class GitMissing(GitError):
    """There is no `git` command to ask."""


def _command(root: Path, args: list[str]) -> list[str]:
    return [GIT, "--literal-pathspecs", "-C", str(root), *args]


def _environment() -> dict[str, str]:
    return {**os.environ, **_ENVIRONMENT}


def _run(root: Path, args: list[str]) -> subprocess.CompletedProcess:
    """Git's answer, whatever its exit status; GitMissing when there is no git to ask."""
    try:
        return subprocess.run(_command(root, args), capture_output=True, env=_environment(), check=False)
    except FileNotFoundError:
        raise GitMissing("git is not installed (no `git` command on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def run_git(root: Path, args: list[str]) -> bytes:
    """Git's standard output for `args` in `root`; GitError with git's own first line on failure."""
    done = _run(root, args)
    if done.returncode != 0:
        raise GitError(_first_line(done.stderr) or f"git {args[0]} failed (exit {done.returncode})")
    return done.stdout


def _first_line(stderr: bytes) -> str:
    lines = [line.strip() for line in decode(stderr).splitlines() if line.strip()]
    return visible(lines[0].removeprefix("fatal: ").removeprefix("error: ")) if lines else ""


def decode(raw: bytes) -> str:
    """Git's bytes as text; bytes that are not UTF-8 are kept (as lone surrogates), not replaced."""
    return raw.decode("utf-8", "surrogateescape")


def repository(path: Path) -> tuple[Path, bool] | None:
    """(the repository's top folder, whether it is a shallow clone) for a path inside one, else None;
    GitMissing without git. One process answers both: the history reader must not spend one on each.
    """
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        return None
    done = _run(folder, ["rev-parse", "--show-toplevel", "--is-shallow-repository"])
    if done.returncode != 0:
        problem = _first_line(done.stderr)
        if "not a git repository" in problem or "must be run in a work tree" in problem:
            return None
        raise GitError(problem or "git cannot read this repository")
    top, _, shallow = decode(done.stdout).removesuffix("\n").rpartition("\n")
    return Path(top), shallow.strip() == "true"


def repo_root(path: Path) -> Path | None:
    """The top folder of the repository holding `path`; None outside a repository or when git is missing."""
    try:
        found = repository(path)
    except GitMissing:
        return None
    return found[0] if found else None


def is_shallow(root: Path) -> bool:
    """Whether `root` is a shallow clone (`git clone --depth`): its history stops short."""
    found = repository(root)
    return bool(found and found[1])


def _refuse_option(rev: str) -> None:
    if not rev or rev.startswith("-") or "\0" in rev or "\n" in rev:
        raise GitError(f"`{visible(rev)}` is not a revision in this repository")


def resolve(root: Path, rev: str) -> str:
    """The full id of the commit `rev` names; GitError for one that does not exist (or looks like an option)."""
    _refuse_option(rev)
    done = _run(root, ["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"])
    if done.returncode != 0:
        raise GitError(f"`{visible(rev)}` is not a revision in this repository")
    return decode(done.stdout).strip()


def merge_base(root: Path, a: str, b: str) -> str:
    """The best common ancestor of two revisions; GitError when they have none."""
    done = _run(root, ["merge-base", resolve(root, a), resolve(root, b)])
    if done.returncode != 0:
        shallow = " (this is a shallow clone: fetch the whole history)" if is_shallow(root) else ""
        raise GitError(f"`{visible(a)}` and `{visible(b)}` have no common ancestor{shallow}")
    return decode(done.stdout).strip()


def _relative_folder(folder: str | os.PathLike) -> str:
    text = PurePosixPath(Path(folder).as_posix()).as_posix()
    return "" if text in ("", ".") else text.rstrip("/")


def is_plan_path(path: str, folder: str) -> bool:
    """Whether the file `path` under `folder` (both relative to the repository) is a plan, as
    `playbook check` discovers them: `.yaml`/`.yml` in any case, not in a dot folder, not `_`-named."""
    from .check import PLAN_SUFFIXES  # here, not above: the checker may come to ask git questions too

    inside = PurePosixPath(path).relative_to(folder) if folder else PurePosixPath(path)
    name = inside.name
    return (os.path.splitext(name)[1].lower() in PLAN_SUFFIXES and not name.startswith("_")
            and not any(part.startswith(".") for part in inside.parts))


def plan_files_at(root: Path, rev: str, folder: str, max_bytes: int | None = None) -> dict[str, bytes]:
    """Every plan file under `folder` at `rev`: path relative to the repository (posix) -> bytes.
    A file larger than `max_bytes` is left out unread."""
    commit = resolve(root, rev)
    where = _relative_folder(folder)
    listing = run_git(root, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", where or "."])
    wanted: dict[str, str] = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob = meta.split(b" ")
        path = decode(raw_path)
        if kind == b"blob" and mode != b"120000" and is_plan_path(path, where):  # not a symlink's target
            wanted[path] = blob.decode("ascii")
    if not wanted:
        return {}
    with Blobs(root, max_bytes) as blobs:
        found = {path: blobs.read(blob) for path, blob in sorted(wanted.items())}
    return {path: raw for path, raw in found.items() if raw is not None}


def working_plan_files(root: Path, folder: str, max_bytes: int = 64 * 1024 * 1024) -> dict[str, bytes]:
    """Every plan file under `folder` in the work tree, as `plan_files_at` gives them for a commit
    (of a file larger than `max_bytes`, the first `max_bytes + 1` bytes, which no reader accepts)."""
    from .check import discover
    from .load import LoadError, read_file

    where = _relative_folder(folder)
    top = Path(root) / where if where else Path(root)
    if not top.is_dir():
        return {}
    found = {}
    for path in discover([top]):
        relative = path.relative_to(root).as_posix()
        try:
            found[relative] = read_file(path, max_bytes=max_bytes, root=root)
        except LoadError:
            continue  # a link out of the repository, or a FIFO: not a plan git could hold either
        except OSError as exc:
            raise GitError(f"{visible(relative)}: cannot read: {exc.strerror or exc}") from None
    return dict(sorted(found.items()))


def renames(root: Path, base: str, head: str | None, folder: str) -> dict[str, str]:
    """The files git sees as renamed under `folder` from `base` to `head` (None: the work tree): old -> new."""
    where = _relative_folder(folder) or "."
    revisions = [resolve(root, base)] + ([resolve(root, head)] if head is not None else [])
    out = run_git(root, ["diff", "-z", "--name-status", "-M", "--no-ext-diff", *revisions, "--", where])
    fields = out.split(b"\0")
    found: dict[str, str] = {}
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status[:1] in (b"R", b"C"):
            if status[:1] == b"R":
                found[decode(fields[index + 1])] = decode(fields[index + 2])
            index += 3
        else:
            index += 2
    return found


class Blobs:
    """One `git cat-file --batch` process that reads any number of objects, one at a time.

    Git flushes each object as it answers (no `--buffer`), so a reader can ask, read the answer
    and decide what to ask next.
    """

    def __init__(self, root: Path, max_bytes: int | None = None):
        self.root = root
        self.max_bytes = max_bytes
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Blobs":
        try:
            self.process = subprocess.Popen(_command(self.root, ["cat-file", "--batch"]), stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment())
        except FileNotFoundError:
            raise GitMissing("git is not installed (no `git` command on PATH)") from None
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.stdout.close()
            self.process.wait()

    def read(self, object_id: str) -> bytes | None:
        """The object's bytes; None when it is missing or larger than `max_bytes`."""
        process = self.process
        assert process is not None, "use Blobs as a context manager"
        try:
            process.stdin.write(object_id.encode("ascii") + b"\n")
            process.stdin.flush()
        except BrokenPipeError:
            raise GitError("git cat-file stopped answering") from None
        header = process.stdout.readline()
        parts = header.split()
        if len(parts) != 3:  # `<id> missing`, or nothing when git has gone
            if not header:
                raise GitError("git cat-file stopped answering")
            return None
        size = int(parts[2])
        if self.max_bytes is not None and size > self.max_bytes:
            self._skip(size + 1)
            return None
        data = process.stdout.read(size)
        process.stdout.read(1)  # the newline after each object
        return data

    def _skip(self, count: int) -> None:
        while count > 0:
            chunk = self.process.stdout.read(min(count, 1 << 20))
            if not chunk:
                raise GitError("git cat-file stopped answering")
            count -= len(chunk)
