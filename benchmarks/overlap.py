"""Word runs shared between a reference text and the playbook: a check that our pages say things in
their own words.

    python benchmarks/overlap.py REFERENCE.md [PATH ...] [--words 8]

Reads every Markdown, YAML, template and Python file under the given paths (default: playbook/ and
plans/; Python because rule docstrings become the rules reference), and prints each run of
`--words` consecutive words (8 by default) that also occurs in REFERENCE, with the file it is in. Words are compared case-folded, punctuation and Markdown marks ignored.
Exit status 1 when a run is shared, 0 when none is.

The reference (a brief of the field the playbook teaches) is not part of the repository, so this is
a tool to run by hand or in a job that has the brief, not a test.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")
SUFFIXES = (".md", ".yaml", ".yml", ".j2", ".py")  # .py: rule docstrings become the rules reference


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def runs(text: str, length: int) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[start:start + length]) for start in range(len(found) - length + 1)}


def files(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        found += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("paths", type=Path, nargs="*", default=[Path("playbook"), Path("plans")])
    parser.add_argument("--words", type=int, default=8)
    args = parser.parse_args(argv)
    reference = runs(args.reference.read_text(encoding="utf-8"), args.words)
    shared = 0
    for path in files(args.paths):
        for run in sorted(runs(path.read_text(encoding="utf-8"), args.words) & reference):
            print(f"{path}: {' '.join(run)}")
            shared += 1
    checked = len(files(args.paths))
    print(f"{checked} files, {shared} shared runs of {args.words} words", file=sys.stderr)
    return 1 if shared else 0


if __name__ == "__main__":
    sys.exit(main())
