"""How fast is `playbook check` next to merely parsing the same files with libyaml?

    python benchmarks/check_speed.py [--plans 5000] [--repeat 3]

Writes N synthetic plans (those of `scale.py`: every kind, in teams of ten) into a temporary
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
from pathlib import Path

from scale import write_plans  # the same synthetic organisation as the scale benchmark

PARSE_ONLY = textwrap.dedent("""
    import sys, yaml
    from pathlib import Path
    files = sorted(p for p in Path(sys.argv[1]).rglob("*.yaml"))
    for path in files:
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    print(len(files))
""")

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
