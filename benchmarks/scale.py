"""Speed at scale: thousands of plans, side by side with the alternative a user already has.

    python benchmarks/scale.py [--sizes 250 1000 5000] [--managers 20] [--repeat 1]

Writes N synthetic plans (valid; every person has a growth plan, one in five a coaching plan,
one in ten a PIP; teams of ten people with their manager; an HR partner per five teams) and
measures, in one run on this machine, each in a fresh process:

- `playbook check` against a bare `CSafeLoader` parse of the same files;
- a full `mkdocs build` of the playbook site at each size, with its peak memory;
- two stock baselines, each with its peak memory: the light one (the same plans as plain Markdown
  pages with a few tables each, Material with `navigation.prune` only: the lightest site a user
  would set up instead) and the heavy one (the playbook's pages too, each plan as a YAML code
  block, `navigation.tabs` and `navigation.sections` as well);
- where the time of a `--profile`-plan build goes (under cProfile, on one core, so that the plan
  pages a build renders on every core are rendered where the profiler sees them): Python-Markdown,
  the theme's templates, our rendering (plan pages and calendars among it), the check, and
  Material's search;
- `playbook sites` for the HR site and every manager's and team's site of the `--sites`-plan
  organisation, on every core: the whole run, the run again after one plan is edited, and one
  shard of 20;
- under `mkdocs serve` of the 1,000-plan site: the time from editing one plan file to the
  server serving the changed page;
- every manager's site of the largest organisation (`PLAYBOOK_AUDIENCE=manager:<id>`): the first
  `--managers` of them are built and timed, and the total for all is extrapolated from them.

It prints each figure and the ratios the targets are set in. With `--repeat N`, each figure is the
best of N runs; the site builds of a size (the playbook's, the stock ones, `--before`) take turns, a
run each, so that a shared machine's drift in speed falls on all of them alike. Each site has a
folder of its own: every run after the first rebuilds into its last site, as a user's next build does,
unless `--fresh` empties it first.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TODAY = "2026-10-15"
# The organisation: 13 plans for every 10 people; a manager for every 7.7 people and a team for every ten
# managers, so that 5,000 plans (3,847 people) have 500 managers and 50 teams; an HR partner per five teams.
PEOPLE_PER_TEN_MANAGERS = 77
MANAGERS_PER_TEAM = 10
TEAMS_PER_PARTNER = 5

PARSE_ONLY = textwrap.dedent("""
    import sys, yaml
    from pathlib import Path
    for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
""")

# Runs a command and reports its peak resident memory (KiB) on stderr's last line.
MEASURED = textwrap.dedent("""
    import resource, subprocess, sys
    done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(done.stderr[-3000:])
    sys.stderr.write("\\nPEAK %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.exit(done.returncode)
""")


def plan_text(person: int, kind: str) -> str:
    """One valid plan of about 60 lines for person number `person`."""
    manager = person * 10 // PEOPLE_PER_TEN_MANAGERS
    team = manager // MANAGERS_PER_TEAM
    start = date(2026, 9, 1) + timedelta(days=person % 28)
    reviews = [start + timedelta(days=offset) for offset in (30, 60, 90)]
    pip = kind == "pip"
    lines = [f"kind: {kind}", "status: active", "person:", f"  name: Rep {person}", f"  id: rep-{person:05d}",
             "  role: Account Executive", f"  team: team-{team:04d}", "manager:", f"  name: Manager {manager}",
             f"  id: manager-{manager:04d}"]
    if pip:
        partner = team // TEAMS_PER_PARTNER
        lines += ["hr_partner:", f"  name: Partner {partner}", f"  id: partner-{partner:03d}"]
    if kind != "growth":
        lines += ["diagnosis:", "  cause: skill", "  summary: Deals stall between discovery and demo.",
                  "  evidence:", "    - Conversion 18% against a team median of 35%."]
    lines += ["timetable:", f"  start: {start}", "  days: 90", "  check_ins:", "    weekdays: [monday, thursday]",
              "  reviews:"]
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
        lines += ["consequences: Further action may follow, up to and including termination of employment.",
                  "acknowledgement:", f"  person: {start}", f"  manager: {start}",
                  "escalation:", f"  - {{stage: conversation, date: {start - timedelta(days=3)}}}"]
    log = [start + timedelta(days=offset) for offset in range(0, 44, 7) if start + timedelta(days=offset) < date(2026, 10, 15)]
    lines += ["log:"] + [f"  - {{date: {day}, kind: self-review, note: Week reviewed.}}" for day in log]
    return "\n".join(lines) + "\n"


def write_plans(folder: Path, count: int) -> list[Path]:
    """`count` plans: a growth plan per person, and coaching plans and PIPs for some of them."""
    paths = []
    person = 0
    while len(paths) < count:
        kinds = ["growth"] + (["pip"] if person % 10 == 3 else ["coaching"] if person % 5 == 1 else [])
        for kind in kinds[: count - len(paths)]:
            team = person * 10 // PEOPLE_PER_TEN_MANAGERS // MANAGERS_PER_TEAM
            path = folder / f"team-{team:04d}" / f"rep-{person:05d}-{kind}-2026-09.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(plan_text(person, kind), encoding="utf-8")
            paths.append(path)
        person += 1
    return paths


def playbook_project(root: Path, count: int) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "playbook", root / "playbook")
    write_plans(root / "plans", count)
    return root


def stock_project(root: Path, playbook: Path) -> Path:
    """The same plans as plain Markdown pages, in a stock Material site with navigation.prune."""
    docs = root / "docs"
    shutil.copytree(playbook / "playbook", docs, ignore=shutil.ignore_patterns("templates"))
    for md in docs.rglob("*.md"):  # the playbook's own pages, without our Jinja
        text = md.read_text(encoding="utf-8")
        md.write_text(text.replace("{{", "").replace("}}", "").replace("{%", "").replace("%}", ""), encoding="utf-8")
    for plan in sorted((playbook / "plans").rglob("*.yaml")):
        page = docs / "plans" / plan.parent.name / (plan.stem + ".md")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {plan.stem}\n\n```yaml\n{plan.read_text(encoding='utf-8')}```\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent("""
        site_name: Stock
        theme:
          name: material
          features: [navigation.tabs, navigation.sections, navigation.prune]
        plugins: [search]
        markdown_extensions: [admonition, tables, attr_list, md_in_html, pymdownx.details, pymdownx.superfences,
          {pymdownx.tabbed: {alternate_style: true}}, toc]
        validation: {links: {not_found: info, anchors: info, unrecognized_links: info}}
    """), encoding="utf-8")
    return root


def light_stock_project(root: Path, playbook: Path) -> Path:
    """The lightest stock site: each plan a plain Markdown page with a few tables, Material with
    `navigation.prune` and nothing else."""
    import yaml

    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Plans\n", encoding="utf-8")
    for plan in sorted((playbook / "plans").rglob("*.yaml")):
        record = yaml.load(plan.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        person, timetable = record["person"], record["timetable"]
        lines = [f"# {person['name']}: {record['kind']}", "", "| Field | Value |", "| --- | --- |",
                 f"| Person | {person['name']}, {person['role']} |", f"| Team | {person['team']} |",
                 f"| Manager | {record['manager']['name']} |", f"| Status | {record['status']} |",
                 f"| Start | {timetable['start']} |", "", "## Reviews", "", "| Date | Review |", "| --- | --- |"]
        lines += [f"| {review['date']} | {review['title']} |" for review in timetable["reviews"]]
        lines += ["", "## Criteria", "", "| Criterion | Baseline | Target |", "| --- | ---: | ---: |"]
        lines += [f"| {c['metric']} | {c['baseline']} | {c['target']} |" for c in record["criteria"]]
        lines += ["", "## Milestones", "", "| Date | Milestone |", "| --- | --- |"]
        lines += [f"| {m['date']} | {m['title']} |" for m in record["milestones"]]
        lines += ["", "## Log", ""] + [f"- {entry['date']}: {entry['note']}" for entry in record.get("log", [])]
        page = docs / "plans" / plan.parent.name / (plan.stem + ".md")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent("""
        site_name: Stock
        theme:
          name: material
          features: [navigation.prune]
        validation: {links: {not_found: info, anchors: info, unrecognized_links: info}}
    """), encoding="utf-8")
    return root


PROFILED = textwrap.dedent("""
    import cProfile, os, pstats, sys
    if hasattr(os, "sched_setaffinity"):  # one core: the build renders in this process, where the profiler sees it
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    config = load_config(sys.argv[1], site_dir=sys.argv[2])
    config.plugins.on_startup(command="build", dirty=False)
    cProfile.run("build(config)", sys.argv[3])
""")

# Where the time of a build goes: the cumulative time of each entry point (file, function).
PARTS = {
    "Python-Markdown (every page)": [("markdown/core.py", "convert")],
    "  of which our generated pages (finishing)": [("generator/render/html.py", "finish")],
    "the theme's templates": [("mkdocs/commands/build.py", "_build_page")],
    "our rendering (render_site)": [("generator/render/site.py", "render_site")],
    "  of which plan pages": [("generator/render/site.py", "plan_pages")],
    "  of which calendars": [("generator/render/site.py", "calendars")],
    "the check (load and rules)": [("generator/check.py", "check_paths")],
    "Material's search": [("material/plugins/search/plugin.py", "on_page_context"),
                          ("material/plugins/search/plugin.py", "on_post_build")],
    "the whole build": [("mkdocs/commands/build.py", "build")],
}


def profile_split(root: Path, work: Path, **extra: str) -> dict[str, float]:
    """Seconds of each part of one build under cProfile (the theme's part leaves out search's, and our putting a
    plan page's HTML in as MkDocs writes it, which is our rendering's finishing)."""
    import pstats

    output = work / "build.prof"
    done = subprocess.run([sys.executable, "-c", PROFILED, root / "mkdocs.yml", work / "out-profile", output],
                          cwd=root, env=environment(**extra), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode != 0:
        sys.exit(f"the profiled build failed:\n{done.stderr[-3000:]}")
    stats = pstats.Stats(str(output)).stats
    split = {}
    for name, entries in PARTS.items():
        split[name] = sum(ct for (path, _, function), (_, _, _, ct, _) in stats.items()
                          if any(path.endswith(suffix) and function == wanted for suffix, wanted in entries))
    split["the theme's templates"] -= split["Material's search"] - sum(
        ct for (path, _, function), (_, _, _, ct, _) in stats.items()
        if path.endswith("material/plugins/search/plugin.py") and function == "on_post_build")
    split["the theme's templates"] -= sum(ct for (path, _, function), (_, _, _, ct, _) in stats.items()
                                          if path.endswith("generator/plugin.py") and function == "_put_in")
    return split


def sites_run(root: Path, out: Path, *options: str) -> tuple[float, int]:
    return timed([BIN / "playbook", "sites", out, "--config", root / "mkdocs.yml", "--today", TODAY,
                  "--audience", "all", "--audience", "manager:*", "--audience", "team:*", *options], cwd=root)


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PLAYBOOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", **extra}


def timed(command: list, cwd: Path | None = None, env: dict | None = None) -> tuple[float, int]:
    """Seconds and peak memory (MiB) of one run of `command` in a fresh process."""
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED, *map(str, command)], cwd=cwd, env=env or environment(),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stderr[-3000:]}")
    peak = int(done.stderr.rsplit("PEAK ", 1)[1].split()[0])
    return elapsed, peak // 1024


def site_build(project: Path, out: Path) -> list:
    """`mkdocs build` of the project at `project` into `out` (the last item, for `--fresh`)."""
    return [BIN / "mkdocs", "build", "-q", "-f", project / "mkdocs.yml", "-d", out]


def best_of_rounds(builds: dict[str, tuple[list, dict | None]], repeat: int,
                   fresh: bool = False) -> dict[str, tuple[float, int]]:
    """The best of `repeat` runs of each build (command and environment), in rounds of one run each: on a shared
    machine whose speed drifts, every build is measured across the same stretch of time. `fresh`: each run
    builds into an empty folder (the last site is removed before the clock starts), as a first build does."""
    runs: dict[str, list] = {name: [] for name in builds}
    for _ in range(repeat):
        for name, (command, env) in builds.items():
            if fresh:
                shutil.rmtree(command[-1], ignore_errors=True)
            runs[name].append(timed(command, env=env))
    return {name: min(found) for name, found in runs.items()}


def best(command, repeat, **kwargs) -> tuple[float, int]:
    runs = [timed(command, **kwargs) for _ in range(repeat)]
    return min(runs)


def serve_edit_latency(root: Path, *options: str, edit: int = 0) -> float:
    """Seconds from editing one plan file to `mkdocs serve` serving its changed page."""
    port = 8765 + edit
    log = open(root / "serve.log", "w")
    server = subprocess.Popen([BIN / "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}", "-f", root / "mkdocs.yml"],
                              cwd=root, env=environment(), stdout=log, stderr=subprocess.STDOUT)
    plan = sorted((root / "plans").rglob("*.yaml"))[edit]
    url = f"http://127.0.0.1:{port}/plans/{plan.stem}/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 900
        while "Rep " not in page():
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit(f"mkdocs serve did not start: see {root / 'serve.log'}")
            time.sleep(0.5)
        time.sleep(2)  # let the watcher settle
        text = plan.read_text(encoding="utf-8")
        began = time.perf_counter()
        plan.write_text(text.replace("title: Step 1", "title: Step one, edited"), encoding="utf-8")
        while "Step one, edited" not in page():
            if time.monotonic() > deadline:
                sys.exit("the edited page never showed")
            time.sleep(0.05)
        return time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 5000])
    parser.add_argument("--managers", type=int, default=20, help="manager sites to build and time (0: none)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--fresh", action="store_true",
                        help="build every site into an empty folder, each run (by default a run after the first "
                             "rebuilds into the last run's site)")
    parser.add_argument("--heavy", type=int, nargs="*", default=None, metavar="N",
                        help="build the heavy stock site at these sizes only (default: every size)")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--before", metavar="SOURCE",
                        help="also build and profile with the generator of this source tree (a checkout of an "
                             "earlier commit), side by side")
    parser.add_argument("--profile", type=int, default=1000, metavar="N",
                        help="profile the build of N plans (one of --sizes; 0: no profile)")
    parser.add_argument("--sites", type=int, default=None, metavar="N",
                        help="run `playbook sites` on the N-plan organisation (default: the largest size; 0: no)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="playbook-scale-"))
    playbook = BIN / "playbook"
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    results: dict[int, dict[str, tuple[float, int]]] = {}
    try:
        for size in args.sizes:
            root = playbook_project(work / f"playbook-{size}", size)
            stock = stock_project(work / f"stock-{size}", root)
            light = light_stock_project(work / f"light-{size}", root)
            row = results[size] = {}
            row["parse"] = best([sys.executable, "-c", PARSE_ONLY, root / "plans"], args.repeat)
            row["check"] = best([playbook, "check", root / "plans", "--today", TODAY], args.repeat, cwd=root)
            heavy = args.heavy is None or size in args.heavy
            builds = {"build": (site_build(root, work / f"out-{size}"), None),
                      "light": (site_build(light, work / f"out-light-{size}"), None)}
            if heavy:
                builds["stock"] = (site_build(stock, work / f"out-stock-{size}"), None)
            if args.before:
                builds["before"] = (site_build(root, work / f"out-before-{size}"),
                                    environment(PYTHONPATH=args.before))
            row.update(best_of_rounds(builds, args.repeat, args.fresh))
            row.setdefault("stock", (float("nan"), 0))
            print(f"{size:>5} plans: check {row['check'][0]:6.2f} s (parse {row['parse'][0]:.2f} s, "
                  f"{row['check'][0] / row['parse'][0]:.2f}x) | build {row['build'][0]:6.2f} s, "
                  f"{row['build'][1]} MiB | light stock {row['light'][0]:6.2f} s, {row['light'][1]} MiB, "
                  f"{row['build'][0] / row['light'][0]:.2f}x | heavy stock {row['stock'][0]:6.2f} s, "
                  f"{row['stock'][1]} MiB, {row['build'][0] / row['stock'][0]:.2f}x", flush=True)
            if args.before:
                print(f"       before ({args.before}): build {row['before'][0]:6.2f} s, {row['before'][1]} MiB, "
                      f"{row['before'][0] / row['light'][0]:.2f}x light stock", flush=True)
            if size == args.profile:
                splits = {"after": profile_split(root, work)}
                if args.before:
                    splits["before"] = profile_split(root, work, PYTHONPATH=args.before)
                print(f"  where the time of the {size}-plan build goes, under cProfile ({' | '.join(splits)}):")
                for name in PARTS:
                    print(f"    {name:45} " + " | ".join(f"{split[name]:7.2f} s" for split in splits.values()))
        largest = max(args.sizes)
        if not args.no_serve and 1000 in results:
            full = serve_edit_latency(work / "playbook-1000")
            dirty = serve_edit_latency(work / "playbook-1000", "--dirty", "--no-strict", edit=1)
            print(f"mkdocs serve, 1000 plans: an edited plan is served after {full:.2f} s; "
                  f"with --dirty, after {dirty:.2f} s (target <= 3 s)", flush=True)
        organisation = largest if args.sites is None else args.sites
        if organisation:
            root = work / f"playbook-{organisation}"
            if not root.is_dir():
                playbook_project(root, organisation)
            teams = len({path.parent.name for path in (root / "plans").rglob("*.yaml")})
            managers = len(set(re.findall(r"id: (manager-[0-9]+)", "".join(
                path.read_text(encoding="utf-8") for path in (root / "plans").rglob("*.yaml")))))
            whole = sites_run(root, work / "sites")
            plan = sorted((root / "plans").rglob("*.yaml"))[0]
            edited = plan.read_text(encoding="utf-8").replace("title: Step 1", "title: Step one")
            plan.write_text(edited, encoding="utf-8")
            again = sites_run(root, work / "sites")
            shard = sites_run(root, work / "sites-shard", "--shard", "1/20")
            print(f"playbook sites, {organisation} plans, HR + {managers} manager + {teams} team sites on "
                  f"{os.cpu_count()} cores: {whole[0]:.1f} s, peak {whole[1]} MiB; after one plan edited: "
                  f"{again[0]:.1f} s; one shard of 20 (a cold run): {shard[0]:.1f} s", flush=True)
        if args.managers:
            root = work / f"playbook-{largest}"
            managers = sorted(set(re.findall(r"id: (manager-[0-9]+)", "".join(
                path.read_text(encoding="utf-8") for path in (root / "plans").rglob("*.yaml")))))
            sample = managers[: args.managers]
            times = [timed(site_build(root, work / f"out-{manager}"),
                           env=environment(PLAYBOOK_AUDIENCE=f"manager:{manager}"))[0] for manager in sample]
            mean = sum(times) / len(times)
            print(f"manager sites, {largest} plans: {len(managers)} managers, {mean:.2f} s each "
                  f"(mean of {len(sample)}): about {mean * len(managers) / 60:.1f} min in one job, "
                  f"{mean * len(managers) / 60 / 20:.1f} min over a 20-job matrix")
        print("\nthe targets:")
        check = results[largest]["check"][0] / results[largest]["parse"][0]
        print(f"  check / parse at {largest}: {check:.2f} (target <= 2.5)")
        if 250 in results and 1000 in results:
            per = (results[1000]["build"][0] / 1000) / (results[250]["build"][0] / 250)
            print(f"  build time per plan, 1000 / 250: {per:.2f} (target <= 1.3)")
        for size, target in ((1000, 0.8), (5000, 0.35)):
            if size in results:
                row = results[size]
                print(f"  build / light stock at {size}: {row['build'][0] / row['light'][0]:.2f} (target <= {target}); "
                      f"/ heavy stock: {row['build'][0] / row['stock'][0]:.2f}; peak {row['build'][1]} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
