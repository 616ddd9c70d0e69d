"""How fast is `playbook check` next to merely parsing the same files with libyaml?

    python benchmarks/check_speed.py [--plans 5000] [--repeat 3]

Writes N synthetic plans (about 60 lines each, every kind, spread over teams) into a temporary
folder, then times, in one run and each in a fresh process:
  - parse:  `yaml.load(text, Loader=CSafeLoader)` over every file (the floor: reading only),
  - check:  `playbook check <folder>` (read, validate, every rule, repository rules, output).
It prints the best of `--repeat` runs of each and the ratio check / parse. The target is <= 2.5.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

PARSE_ONLY = textwrap.dedent("""
    import sys, yaml
    from pathlib import Path
    files = sorted(p for p in Path(sys.argv[1]).rglob("*.yaml"))
    for path in files:
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    print(len(files))
""")

TEAMS = ["emea-west", "emea-north", "na-east", "na-west", "apac", "latam"]


def synthetic_plan(index: int) -> tuple[str, str]:
    """A valid plan of about 60 lines; every third one is a pip, with its triggers and signatures."""
    kind = ("pip", "coaching", "growth")[index % 3]
    team = TEAMS[index % len(TEAMS)]
    start = date(2026, 9, 1) + timedelta(days=index % 60)
    person = f"rep-{index:05d}"
    reviews = [start + timedelta(days=30), start + timedelta(days=60), start + timedelta(days=90)]
    pip = kind == "pip"
    lines = [
        f"kind: {kind}",
        "status: active",
        "person:",
        f"  name: Rep {index}",
        f"  id: {person}",
        "  role: Account Executive",
        f"  team: {team}",
        "manager:",
        f"  name: Manager {index % 40}",
        f"  id: manager-{index % 40}",
    ]
    if pip:
        lines += ["hr_partner:", "  name: Sam Ortiz", "  id: sam-ortiz"]
    if kind != "growth":
        lines += ["diagnosis:", "  cause: skill", "  summary: Deals stall between discovery and demo.",
                  "  evidence:", "    - Conversion 18% against a team median of 35%."]
    lines += [
        "timetable:", f"  start: {start}", "  days: 90", "  check_ins:", "    weekdays: [monday, thursday]",
        "  reviews:",
    ]
    for number, day in enumerate(reviews, 1):
        lines += [f"    - date: {day}", f"      title: Review {number}"]
    lines += ["criteria:"]
    for name, baseline, target in (("conversion", 18, 30), ("meetings", 4, 6)):
        lines += [f"  - id: {name}", f"    metric: {name.title()} per week", "    unit: \"%\"",
                  f"    baseline: {baseline}", f"    target: {target}",
                  f"    history: [{{period: 2026-Q2, value: {baseline}, team: 30}}]"]
        if pip:
            lines += ["    trigger:", f"      below: {baseline + 2}", f"      by: {reviews[1]}", "      then: written-warning"]
    lines += ["actions:", "  - step: Review two recorded calls a week.", "    owner: person", "    cadence: weekly",
              "milestones:"]
    for number, day in enumerate(reviews, 1):
        lines += [f"  - date: {day}", f"    title: Step {number}", f"    targets: {{conversion: {18 + 4 * number}, meetings: 5}}"]
    if pip:
        lines += ["consequences: Further action may follow.",
                  "acknowledgement:", f"  person: {start}", f"  manager: {start}"]
    lines += ["log:", f"  - {{date: {start}, kind: check-in, note: Plan agreed.}}"]
    return f"{team}/{person}-{kind}.yaml", "\n".join(lines) + "\n"


def write_plans(folder: Path, count: int) -> None:
    for index in range(count):
        name, text = synthetic_plan(index)
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def best_of(command: list[str], repeat: int, *, expect: set[int]) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - began
        if result.returncode not in expect:
            sys.exit(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:]}")
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="playbook-bench-"))
    try:
        write_plans(folder, args.plans)
        playbook = shutil.which("playbook", path=str(Path(sys.executable).parent)) or "playbook"
        parse = best_of([sys.executable, "-c", PARSE_ONLY, str(folder)], args.repeat, expect={0})
        check = best_of([playbook, "check", str(folder), "--today", "2026-10-15"], args.repeat, expect={0})
        size = sum(p.stat().st_size for p in folder.rglob("*.yaml"))
        print(f"plans: {args.plans} ({size / args.plans / 1024:.1f} KiB each)")
        print(f"parse (CSafeLoader): {parse:.2f} s ({parse / args.plans * 1000:.2f} ms/plan)")
        print(f"playbook check:      {check:.2f} s ({check / args.plans * 1000:.2f} ms/plan)")
        print(f"ratio check/parse:   {check / parse:.2f} (target <= 2.5)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
