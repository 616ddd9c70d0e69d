"""How long one build spends writing calendars: each plan's .ics and the feeds per manager and per team.

    python benchmarks/calendars.py [--plans 1000] [--repeat 3] [--clock 09:30 Europe/London] [--profile]

Writes `--plans` synthetic plans (as benchmarks/scale.py does), prepares them once as a build of the HR
site would (check, selection, timelines), then times only `generator.render.site.calendars` on them,
with no cache, `--repeat` times, and prints the fastest and the bytes written. With `--clock`, check-ins
are timed in that zone. `--profile` prints where one run's time goes, under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from datetime import date, time as clock_time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from generator.audience import Audience  # noqa: E402
from generator.build import prepare  # noqa: E402
from generator.config import load_project  # noqa: E402
from generator.render.site import calendars  # noqa: E402
from scale import REPO, TODAY, write_plans  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", nargs=2, metavar=("HH:MM", "ZONE"))
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    today = date.fromisoformat(TODAY)
    clock = None
    if args.clock:
        hours, minutes = map(int, args.clock[0].split(":"))
        clock = (clock_time(hours, minutes), args.clock[1])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "playbook", root / "playbook")
        write_plans(root / "plans", args.plans)
        run = prepare(load_project(root / "mkdocs.yml"), today=today, audience=Audience("all"))
        if run.failed():
            sys.exit(run.failure_message())
        selected = run.plans
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        files = calendars(selected, today, None, clock)
        times.append(time.perf_counter() - started)
    print(f"{len(selected)} plans, {len(files)} calendars, {sum(map(len, files.values())):,} bytes: "
          f"best {min(times):.3f} s of {args.repeat} ({', '.join(f'{t:.3f}' for t in times)})")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(calendars, selected, today, None, clock)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
