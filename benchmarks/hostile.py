"""Hostile plans under the 1 MiB size bound: does each one check and build in seconds?

    python benchmarks/hostile.py [--only NAME ...] [--timeout 600]

Each case is one plan file under 1 MiB, written into a fresh copy of the project (this
repository's mkdocs.yml and playbook/) as its only plan: a long note of Markdown-special
characters, and lists of thousands of reviews, milestones, criteria, log entries, actions and
support items, both past the policy's bounds (`max_list_items`, refused with PB122) and right at
them (accepted, so every stage does its work). For each it prints the file's size, then, each in
a fresh process, `playbook check` of the file and a full `mkdocs build` of the project: the
seconds, the exit status (1: the plan was refused, as it should be past a bound) and the bytes
of HTML the plan's page came to.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from scale import plan_text  # a valid growth plan of the synthetic organisation

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TODAY = "2026-10-15"
LIMIT = 1024 * 1024
START = date(2026, 9, 1)  # person 0's plan starts here and runs 90 days


def _days(count: int) -> list[date]:
    """`count` days inside the plan's 90, in ascending order (several to a day when there are many)."""
    return [START + timedelta(days=1 + index * 88 // count) for index in range(count)]


def _replace_block(text: str, first: str, new_block: str) -> str:
    """The plan with the block that starts at the line `first` (and is indented under it) replaced."""
    lines = text.splitlines(keepends=True)
    start = lines.index(first + "\n")
    indent = len(first) - len(first.lstrip())
    end = start + 1
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    return "".join(lines[:start]) + new_block + "".join(lines[end:])


def reviews(count: int) -> str:
    block = "  reviews:\n" + "".join(f"    - {{date: {day}, title: Review {n}}}\n" for n, day in enumerate(_days(count)))
    return _replace_block(BASE, "  reviews:", block)


def milestones(count: int) -> str:
    """Milestones a day apart, in a plan made long enough to hold them (they ascend, one a day)."""
    if count > 500:  # past the bound: it is refused before its dates matter
        days = _days(count)
    else:
        days = [START + timedelta(days=1 + index) for index in range(count)]
    block = "milestones:\n" + "".join(f"  - {{date: {day}, title: Step {n}, targets: {{conversion: 20}}}}\n"
                                      for n, day in enumerate(days))
    text = _replace_block(BASE, "milestones:", block).replace("  days: 90\n", f"  days: {count + 1}\n", 1)
    return text.replace(f"date: {START + timedelta(days=90)}, title: Review 3", f"date: {days[-1]}, title: Review 3")


def criteria(count: int) -> str:
    block = "criteria:\n" + "".join(
        f"  - {{id: c{n}, metric: Metric {n}, unit: calls, baseline: 1, target: 2, "
        f"history: [{{period: 2026-Q2, value: 1}}]}}\n" for n in range(count))
    targets = "{" + ", ".join(f"c{n}: 2" for n in range(count)) + "}"
    text = _replace_block(BASE, "criteria:", block)
    return text.replace("targets: {conversion: 22, meetings: 5}", f"targets: {targets}").replace(
        "targets: {conversion: 26, meetings: 5}", "targets: {}").replace("targets: {conversion: 30, meetings: 5}",
                                                                         "targets: {}")


def log(count: int) -> str:
    days = [START + timedelta(days=index * 43 // count) for index in range(count)]
    block = "log:\n" + "".join(f"  - {{date: {day}, kind: self-review, note: Week {n}., results: {{conversion: 20}}}}\n"
                               for n, day in enumerate(days))
    return _replace_block(BASE, "log:", block)


def listing(field: str, item: str, count: int) -> str:
    """A list that has no bound of its own (actions, support): as many items as fit under 1 MiB."""
    block = f"{field}:\n" + "".join(item.format(n=n) for n in range(count))
    return _replace_block(BASE, field + ":", block) if f"\n{field}:\n" in BASE else BASE + block


def dashes(count: int) -> str:
    return BASE.replace("note: Week reviewed.}", "note: '" + "-" * count + "'}", 1)


BASE = plan_text(0, "growth")
CASES = {
    "note of 300,000 dashes": lambda: dashes(300_000),
    "note of 300,000 backticks and stars": lambda: BASE.replace("note: Week reviewed.}",
                                                                "note: '" + "`*_[" * 75_000 + "'}", 1),
    "12,000 reviews (past the bound)": lambda: reviews(12_000),
    "500 reviews (at the bound)": lambda: reviews(500),
    "6,000 criteria (past the bound)": lambda: criteria(6_000),
    "500 criteria (at the bound)": lambda: criteria(500),
    "12,000 milestones (past the bound)": lambda: milestones(12_000),
    "500 milestones (at the bound)": lambda: milestones(500),
    "11,000 log entries (past the bound)": lambda: log(11_000),
    "5,000 log entries (at the bound)": lambda: log(5_000),
    "20,000 actions": lambda: listing("actions", "  - {{step: Step {n}., owner: person}}\n", 20_000),
    "20,000 support items": lambda: listing("support", "  - Help {n}\n", 20_000),
}


def project(root: Path, text: str) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "playbook", root / "playbook")
    (root / "plans" / "team").mkdir(parents=True)
    (root / "plans" / "team" / "rep-00000-growth-2026-09.yaml").write_text(text, encoding="utf-8")
    return root


def timed(command: list, cwd: Path, timeout: float) -> tuple[float, str]:
    """Seconds and exit status (or `timeout`) of one run of `command` in a fresh process."""
    environment = {"PATH": f"{BIN}:/usr/bin:/bin", "PLAYBOOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    began = time.perf_counter()
    try:
        done = subprocess.run([str(part) for part in command], cwd=cwd, env=environment, timeout=timeout,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - began, "timeout"
    return time.perf_counter() - began, str(done.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", metavar="NAME", help="the cases whose names contain one of these words")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run counts as hung")
    args = parser.parse_args()

    print(f"{'case':<40} {'bytes':>9}  {'check s':>8} {'exit':>5}  {'build s':>8} {'exit':>7}  {'page HTML':>10}")
    for name, make in CASES.items():
        if args.only and not any(word in name for word in args.only):
            continue
        text = make()
        size = len(text.encode("utf-8"))
        assert size < LIMIT, f"{name}: {size} bytes is over the size bound"
        folder = Path(tempfile.mkdtemp(prefix="playbook-hostile-"))
        try:
            root = project(folder / "project", text)
            check = timed([BIN / "playbook", "check", "plans/team/rep-00000-growth-2026-09.yaml"], root, args.timeout)
            build = timed([BIN / "mkdocs", "build", "-q", "-d", folder / "site"], root, args.timeout)
            page = folder / "site" / "plans" / "rep-00000-growth-2026-09" / "index.html"
            html = f"{page.stat().st_size:,}" if page.is_file() else "-"
            print(f"{name:<40} {size:>9,}  {check[0]:>8.2f} {check[1]:>5}  {build[0]:>8.2f} {build[1]:>7}  {html:>10}",
                  flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
