"""A site's files, laid out ahead of the build that writes them, from the last build's site where it had them.

Run beside a build, in an interpreter of its own (`parallel.made_ahead`):

    python -I -S site_files.py [LAST]

with the files' paths on its input, NUL-separated, in the order the build writes them. It makes each file, empty,
with its folders, before the writer reaches it. With LAST, the hidden folder inside the site that the last build's
site was moved into (`parallel.set_aside`), it takes each folder and file from there wherever the last site had
it, and then removes what is left of LAST.

Why: making a file costs a kernel far more than writing into one that is there, and most of all a folder (with
MkDocs's directory URLs, every page has one). On some file systems a file made just after many were removed costs
a millisecond, as the kernel passes over the freed places; a rebuild removed the last site and made it again. A
folder taken whole from the last site brings all of its files with one rename.

What it promises the writer, which may reach any file first:
- a file or folder the writer made is never replaced, moved or emptied;
- a file taken from the last site is emptied before it is in the site, so a page of the last site never shows
  where this build has not written;
- nothing of the last site that this build does not make stays in the site: it is moved out of every folder
  before that folder is taken, and removed with LAST;
- links in the last site are never followed, nor taken, and nor is a file with another name (a hard link);
- a path it cannot make is left to the writer.

This module is standard library only, and reads nothing of the package's: it runs without it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys

# Inside LAST, the folder that what the site will not have is moved into, out of the folders this build takes. The
# only hidden names in LAST are folders left by builds that were stopped (`parallel.REMOVING`): it is none of them.
STALE = b".stale"


def lay_out(paths: list[bytes], last: bytes | None = None) -> None:
    """Make `paths` (files, absolute), ahead of the writer, taking them from `last` where it has them; then remove
    `last`."""
    if last:
        last = os.path.normpath(last)
        site = os.path.dirname(last)
        taken = _Taken(site, last, _wanted(site, paths))
    else:
        taken = None
    for path in paths:
        try:
            if taken is None or not taken.file(path):
                _make(path)
        except OSError:
            pass  # left to the writer, which makes its folders itself and says what is wrong
    if last:
        shutil.rmtree(last, ignore_errors=True)


def _make(path: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # O_APPEND without O_TRUNC: a file the writer has written is left as it is.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666))


def _wanted(site: bytes, paths: list[bytes]) -> tuple[set[bytes], set[bytes]]:
    """The files and folders, relative to `site`, that this build makes there."""
    files, folders = set(), set()
    prefix = site + os.sep.encode()
    for path in paths:
        if path.startswith(prefix):
            relative = path[len(prefix):]
            files.add(relative)
            folder = os.path.dirname(relative)
            while folder and folder not in folders:
                folders.add(folder)
                folder = os.path.dirname(folder)
    return files, folders


class _Taken:
    """The last site, made ready to take from: of the folders this build makes, only what it makes is left in
    them, and every file of those is empty."""

    def __init__(self, site: bytes, last: bytes, wanted: tuple[set[bytes], set[bytes]]):
        self.site, self.last = site, last
        self.files: set[bytes] = set()  # relative paths of the files kept in `last`, emptied
        self.folders: set[bytes] = set()  # and of its folders
        self.whole: set[bytes] = set()  # folders that came into the site whole, with all that was kept in them
        self.tried: set[bytes] = set()  # folders this process has placed, or tried to
        try:
            self._keep(*wanted)
        except OSError:  # what cannot be made ready is not taken: the site is made anew, and `last` removed
            self.files.clear()
            self.folders.clear()

    def _keep(self, files: set[bytes], folders: set[bytes]) -> None:
        stale = os.path.join(self.last, STALE)
        os.mkdir(stale)
        moved = 0
        pending = [b""]
        while pending:
            folder = pending.pop()
            with os.scandir(os.path.join(self.last, folder) if folder else self.last) as entries:
                found = list(entries)
            for entry in found:
                relative = os.path.join(folder, entry.name) if folder else entry.name
                if relative in folders and entry.is_dir(follow_symlinks=False):
                    self.folders.add(relative)
                    pending.append(relative)
                elif relative in files and entry.is_file(follow_symlinks=False) and _alone(entry):
                    os.truncate(entry.path, 0)
                    self.files.add(relative)
                elif folder:  # inside a folder the site will have, and not the site's: out of it before it is taken
                    os.rename(entry.path, os.path.join(stale, b"%d" % moved))
                    moved += 1

    def file(self, path: bytes) -> bool:
        """Put the file at `path` in place from the last site; False if it had none there."""
        if not path.startswith(self.site + os.sep.encode()):
            return False
        relative = path[len(self.site) + 1:]
        folder = os.path.dirname(relative)
        if folder:
            self._folder(folder)
        if relative not in self.files:
            return False
        if folder in self.whole:
            return True  # it came with its folder
        try:
            os.link(os.path.join(self.last, relative), path)  # never over a file: the writer's stays
        except FileExistsError:
            pass
        except OSError:  # a file system without links: made anew
            return False
        return True

    def _folder(self, relative: bytes) -> None:
        """Put the folder `relative` in place: the last site's, whole, where it had it and the site has none yet."""
        if relative in self.tried:
            return
        self.tried.add(relative)
        parent = os.path.dirname(relative)
        if parent:
            self._folder(parent)
        if relative in self.folders:
            if parent in self.whole:
                self.whole.add(relative)
                return
            if _moved(os.path.join(self.last, relative), os.path.join(self.site, relative)):
                self.whole.add(relative)
                return
        os.makedirs(os.path.join(self.site, relative), exist_ok=True)


def _no_replace_rename():
    """A rename that never replaces what is at the target (Linux's `renameat2`), giving 0 or the number of its
    error; None where the system has none (not Linux, a C library without it, or a Python without `ctypes`)."""
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (ImportError, OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_cwd, no_replace = -100, 1  # AT_FDCWD, RENAME_NOREPLACE

    def rename(source: bytes, target: bytes) -> int:
        return 0 if renameat2(at_cwd, source, at_cwd, target, no_replace) == 0 else ctypes.get_errno()

    return rename


_RENAME = _no_replace_rename()


def _moved(source: bytes, target: bytes) -> bool:
    """Whether the folder `source` was moved to `target`, which was not there: a folder the writer has made, even
    an empty one, is never replaced. Replacing it would remove it under the writer, which may have looked it up
    to make a file in it: the file would fail to be made. Where the system cannot rename without replacing
    (no `renameat2`, or a file system that refuses the flag), nothing is moved."""
    global _RENAME
    if _RENAME is None:
        return False
    failed = _RENAME(source, target)
    if failed in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # not on this file system: not again
        _RENAME = None
    return not failed


def _alone(entry: os.DirEntry) -> bool:
    """Whether the file has no other name: emptying one with another (a backup made with hard links) would empty
    that too."""
    return entry.stat(follow_symlinks=False).st_nlink == 1


def main() -> None:
    paths = [path for path in sys.stdin.buffer.read().split(b"\0") if path]
    lay_out(paths, os.fsencode(sys.argv[1]) if len(sys.argv) > 1 else None)


if __name__ == "__main__":
    main()
