"""How many timelines one run builds: the check builds each plan's timeline as of today, and every later stage
(selection, pages, letters, calendars, the dashboard, the agenda) reads that one.

    python benchmarks/timelines.py [--plans 500]

Counts the calls of `build_timeline` during one `build` (the HR site) and one `agenda` run, for the shipped
example plans and for a synthetic organisation of `--plans` plans (from benchmarks/scale.py), and prints the
count per plan. Timelines of the playbook's sample plans (the tool pages' examples) are counted apart: they are
the samples' own, not the plans'. A letter dated before an amendment of its terms is judged on the terms of its
day, read from git: that earlier record has its own timeline, and is counted apart too.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from generator import timeline as timeline_module  # noqa: E402
from generator.agenda import collect  # noqa: E402
from generator.audience import Audience  # noqa: E402
from generator.build import build  # noqa: E402
from generator.config import load_project  # noqa: E402

MODULES = ("generator.timeline", "generator.rules", "generator.build", "generator.readiness",
           "generator.render.site")


def counting() -> Counter:
    """Count every timeline built from here on, by plan id."""
    built: Counter = Counter()
    original = timeline_module.build_timeline

    def counted(plan, *args, **kwargs):
        built[plan.id] += 1
        return original(plan, *args, **kwargs)

    for name in MODULES:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        if hasattr(module, "build_timeline"):
            module.build_timeline = counted
    return built


def measure(root: Path, today: date, label: str, built: Counter) -> None:
    project = load_project(root / "mkdocs.yml")
    for what, run in (("build", lambda: build(project, today=today, audience=Audience("all"))),
                      ("agenda", lambda: collect(project, today, 7))):
        built.clear()
        outcome = run()
        plans = {chosen.plan.id for chosen in getattr(outcome, "plans", [])} if what == "build" else None
        if plans is None:
            plans = {entry.plan.id for entry in outcome.entries} | set(built)
            plans = {plan_id for plan_id in plans if not plan_id.startswith("sample")}
        own = sum(count for plan_id, count in built.items() if plan_id in plans)
        other = sum(count for plan_id, count in built.items() if plan_id not in plans)
        print(f"{label:<28} {what:<7} {len(plans):>6} plans  {own:>6} timelines of plans "
              f"({own / max(len(plans), 1):.2f} a plan), {other} of samples and earlier records")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=500)
    args = parser.parse_args()
    built = counting()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "examples"
        root.mkdir()
        shutil.copy(REPO / "mkdocs.yml", root)
        shutil.copytree(REPO / "plans", root / "plans")
        shutil.copytree(REPO / "playbook", root / "playbook")
        measure(root, date(2026, 11, 20), "shipped examples", built)

        from scale import playbook_project

        organisation = playbook_project(Path(folder) / "organisation", args.plans)
        measure(organisation, date(2026, 11, 20), f"organisation of {args.plans}", built)


if __name__ == "__main__":
    main()
