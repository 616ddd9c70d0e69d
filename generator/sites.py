"""`playbook sites OUT`: every audience's site in one run.

    playbook sites public --audience all --audience 'manager:*' --audience 'team:*' [--shard 3/20]

The plans are checked once, selected and given their timelines once, and each plan's page is
rendered once and made finished HTML once: that is the build of every plan (`build.build` for
`all`). Each audience's site is then that build narrowed to the audience (`build.narrowed`),
published by a real `mkdocs build` with the `playbook` plugin, on every core (forked workers
share the rendered pages). Sites go to OUT/all/, OUT/playbook/, OUT/manager/<id>/, OUT/team/<team>/
and OUT/person/<id>/.

A content key per site (the generator, the mkdocs.yml, every file of the docs folder, the roster,
today, and the files and history of the plans the site holds) is kept in the cache folder: a site
whose key has not changed since it was last written is left as it is, so a re-run after one plan
is edited rebuilds only the sites that hold that plan. Beside the keys, the cache keeps each plan
page and calendar it rendered, by its content key (`PageStore`): a re-run renders only the plans
that changed. It holds JSON and calendar text, nothing that is run or loaded as code, and no more
than the sites themselves show.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from .audience import Audience, SelectedPlan
from .build import Build, BuildError, Materials, build, held_by, known_people, narrowed
from .config import Project, UsageError
from .parallel import Work, cores, mapped, prerender
from .render.letters import TemplateProblem
from .render.pages import Generated

CACHE_FILE = "sites.json"
PATTERN_KINDS = ("manager", "team", "person")


@dataclass(frozen=True)
class SiteResult:
    audience: str
    folder: Path
    status: str  # built, unchanged or failed
    plans: int
    seconds: float = 0.0
    message: str = ""


# --------------------------------------------------------------------------------------------
# Which sites
# --------------------------------------------------------------------------------------------

def expand(patterns: list[str], whole: Build) -> list[Audience]:
    """The audiences that `patterns` name: `manager:*` is every manager with a plan the manager's site
    would show (so `team:*`, `person:*`), anything else one audience. Sorted, each once."""
    plans = whole.plans
    audiences: set[Audience] = set()
    for pattern in patterns:
        kind, colon, ident = pattern.strip().partition(":")
        if colon and ident == "*":
            if kind not in PATTERN_KINDS:
                raise UsageError(f"--audience {pattern}: a pattern is manager:*, team:* or person:*")
            ids = {_id_of(kind, chosen) for chosen in plans}
            audiences.update(audience for audience in (Audience(kind, ident) for ident in ids)
                             if held_by(whole, audience))
            continue
        try:
            audiences.add(Audience.parse(pattern))
        except ValueError as exc:
            raise UsageError(f"--audience: {exc}") from None
    order = {"all": 0, "playbook": 1, "manager": 2, "team": 3, "person": 4}
    return sorted(audiences, key=lambda audience: (order[audience.kind], audience.id or ""))


def _id_of(kind: str, chosen: SelectedPlan) -> str:
    plan = chosen.plan
    return {"manager": plan.manager.id, "team": plan.person.team, "person": plan.person.id}[kind]


def parse_shard(text: str) -> tuple[int, int]:
    """`3/20` -> (3, 20): the third of twenty shares of the audiences."""
    index, slash, count = text.partition("/")
    try:
        shard = (int(index), int(count))
    except ValueError:
        shard = (0, 0)
    if not slash or not 1 <= shard[0] <= shard[1] <= 10_000:
        raise UsageError(f"--shard {text}: give I/N with 1 <= I <= N, such as 3/20")
    return shard


SITE_WEIGHT = 50  # what a site costs besides its plans (the playbook's own pages), in plan pages


def shard_of(audiences: list[Audience], sizes: dict[Audience, int], shard: tuple[int, int]) -> list[Audience]:
    """The I-th of N shares of the sites, as even in work as can be: each site, the largest first, goes to the
    share with the least work so far (its plans, and the playbook's pages every site has). Every job of a CI
    matrix reads the same plans, so each works out the same shares."""
    index, count = shard
    work = [0] * count
    share: dict[Audience, int] = {}
    for audience in sorted(audiences, key=lambda audience: -sizes[audience]):
        lightest = min(range(count), key=lambda place: (work[place], place))
        share[audience] = lightest
        work[lightest] += sizes[audience] + SITE_WEIGHT
    return [audience for audience in audiences if share[audience] == index - 1]


def site_folder(out: Path, audience: Audience) -> Path:
    return out / audience.kind / audience.id if audience.id else out / audience.kind


# --------------------------------------------------------------------------------------------
# Content keys
# --------------------------------------------------------------------------------------------

def _versions() -> str:
    found = []
    for name in ("playbook", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


def _tree_digest(folder: Path, skip: Path | None = None) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not (skip is not None and path.is_relative_to(skip)):
                digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def common_key(project: Project, today: date, out: Path) -> str:
    """What every site is made of besides its plans."""
    parts = [_versions(), today.isoformat(), _tree_digest(project.docs_dir, out.resolve()),
             project.config_file.read_bytes().hex() if project.config_file else ""]
    roster = project.plans_dir / "_roster.yaml"
    parts.append(roster.read_bytes().hex() if roster.is_file() else "")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def site_key(common: str, audience: Audience, plans: list[SelectedPlan], history) -> str:
    digest = hashlib.sha256(f"{common}\n{audience}\n".encode())
    for chosen in plans:
        commits = history.for_file(chosen.path) if history is not None else []
        digest.update(f"{chosen.path}\0{chosen.digest}\0{','.join(c.id for c in commits)}\n".encode())
    return digest.hexdigest()


def _read_keys(cache: Path) -> dict[str, str]:
    try:
        keys = json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in keys.items()} if isinstance(keys, dict) else {}


def _write_keys(cache: Path, keys: dict[str, str]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f".{CACHE_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps(keys, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(cache / CACHE_FILE)


class PageStore:
    """Rendered plan pages and calendar events by content key, in memory and in a folder: what `render_site`
    takes as its `cache`. A page is a `Generated` (front matter, HTML, search headline), kept as a JSON
    file; a plan's events are the bytes of a calendar. Each file starts with a checksum of the rest: a
    damaged entry, or one in another shape, is rendered again. A key names everything the value was made
    from (the plan file, its history, the templates, today, the generator's version), so an entry is never
    out of date; those not read for `KEEP_DAYS` are removed at the end of a run of every shard."""

    KEEP_DAYS = 14

    def __init__(self, folder: Path):
        self.folder = folder
        self.memory: dict = {}

    def _path(self, key) -> tuple[Path, bool]:
        """The entry's file, and whether it holds a page (JSON) rather than events (bytes)."""
        if isinstance(key, str):
            return self.folder / key[:2] / f"{key}.json", True
        name = hashlib.sha256(repr(key).encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.ics", False

    def get(self, key, default=None):
        if key in self.memory:
            return self.memory[key]
        path, page = self._path(key)
        try:
            raw = _checked(path.read_bytes())
            value = _page_of(raw) if page else raw
            os.utime(path)  # read in this run: kept
        except (OSError, ValueError):
            return default
        self.memory[key] = value
        return value

    def __setitem__(self, key, value) -> None:
        self.memory[key] = value
        path, page = self._path(key)
        data = json.dumps(list(value), ensure_ascii=False).encode() if page else value
        if not isinstance(data, bytes):
            return
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
            temporary.replace(path)
        except OSError:  # a folder that cannot be written: this run keeps the value in memory only
            temporary.unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove the entries no run has read for `KEEP_DAYS`."""
        limit = time.time() - self.KEEP_DAYS * 86400
        for path in self.folder.glob("*/*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass


def _checked(raw: bytes) -> bytes:
    """An entry's content, once its checksum (the first line) says it is whole."""
    digest, _, data = raw.partition(b"\n")
    if hashlib.sha256(data).hexdigest().encode() != digest:
        raise ValueError("a damaged entry")
    return data


def _page_of(raw: bytes) -> Generated:
    value = json.loads(raw)
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(part, str) for part in value[:2])
            and isinstance(value[2], (str, type(None)))):
        raise ValueError("not a rendered page")
    return Generated(*value)


# --------------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------------

@dataclass
class _Run:
    """What every worker reads (inherited through fork, never sent)."""

    project: Project
    whole: Build
    out: Path
    pages: PageStore  # rendered plan pages and calendars, by content key
    materials: Materials


_RUN: _Run | None = None


def build_sites(project: Project, out: Path, patterns: list[str], *, today: date,
                shard: tuple[int, int] = (1, 1), jobs: int | None = None, cache: Path | None = None,
                report=lambda result: None) -> list[SiteResult]:
    """Write the site of each audience that `patterns` name (this shard's share) under `out`."""
    global _RUN
    if project.config_file is None:
        raise UsageError("sites needs an mkdocs.yml (give it with --config)")
    _refuse_inside_sources(project, out)
    out = out.resolve()
    cache = cache or out / ".cache"
    try:
        whole = build(project, today=today, audience=Audience("all"), render=False)
    except BuildError as exc:
        raise UsageError(str(exc)) from None
    if whole.failed():
        raise SitesFailed(whole)
    audiences = expand(patterns, whole)
    people = known_people(whole.check, whole.roster)
    for audience in audiences:
        people.validate(audience)  # a named manager, team or person the plans and roster do not know
    held = {audience: held_by(whole, audience) for audience in audiences}
    audiences = shard_of(audiences, {audience: len(held[audience]) for audience in audiences}, shard)
    common = common_key(project, today, out)
    known = _read_keys(cache)
    keys = {audience: site_key(common, audience, held[audience], whole.history) for audience in audiences}
    results, todo = [], []
    for audience in audiences:
        folder = site_folder(out, audience)
        name = folder.relative_to(out).as_posix()
        if known.get(name) == keys[audience] and (folder / "index.html").is_file():
            results.append(SiteResult(str(audience), folder, "unchanged", len(held[audience])))
            report(results[-1])
        else:
            todo.append(audience)
    jobs = max(1, min(jobs or cores(), len(todo) or 1))
    store = PageStore(cache / "pages")
    try:
        _RUN = _Run(project, whole, out, store, Materials.of(project, today))
        # Each plan page and calendar the sites need, rendered once on every core into the store they read.
        needed = {chosen.plan.id for audience in todo for chosen in held[audience]}
        prerender(Work(whole.plans, _RUN.materials, project.settings, today, whole.history if whole.plans else None,
                       store, collect=False),
                  [index for index, chosen in enumerate(whole.plans) if chosen.plan.id in needed], jobs)
    except TemplateProblem as exc:
        raise UsageError(str(exc)) from None
    try:
        # The largest sites first, so that no core is left with one large site at the end.
        todo.sort(key=lambda audience: -len(held[audience]))
        for result in mapped(_build_site, [str(audience) for audience in todo], jobs):
            results.append(result)
            report(result)
            if result.status == "built":
                known[result.folder.relative_to(out).as_posix()] = keys[Audience.parse(result.audience)]
                _write_keys(cache, known)  # after each site: an interrupted run keeps what it finished
    finally:
        _RUN = None
    if shard == (1, 1):
        store.prune()
    return results


class SitesFailed(Exception):
    """The plans fail the check: no site is written."""

    def __init__(self, whole: Build):
        super().__init__(whole.failure_message())
        self.whole = whole


def _refuse_inside_sources(project: Project, out: Path) -> None:
    target = out.resolve()
    for folder in (project.docs_dir, project.plans_dir):
        if target.is_relative_to(folder.resolve()) or folder.resolve().is_relative_to(target):
            raise UsageError(f"{out}: choose a folder outside {project.shown(folder)}")


# --------------------------------------------------------------------------------------------
# One site
# --------------------------------------------------------------------------------------------

@contextmanager
def _environment(audience: str | None, today: date):
    """PLAYBOOK_AUDIENCE and PLAYBOOK_TODAY as this site's build reads them, restored after."""
    saved = {name: os.environ.get(name) for name in ("PLAYBOOK_AUDIENCE", "PLAYBOOK_TODAY")}
    if audience is not None:
        os.environ["PLAYBOOK_AUDIENCE"] = audience
    os.environ["PLAYBOOK_TODAY"] = today.isoformat()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _build_site(audience_text: str) -> SiteResult:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import PREBUILT

    run = _RUN
    audience = Audience.parse(audience_text)
    folder = site_folder(run.out, audience)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.with_name(f".{folder.name}.building-{os.getpid()}")
    start = time.perf_counter()
    one = narrowed(run.whole, audience, run.pages, run.materials)
    key = (run.project.config_file.resolve(), audience_text, run.whole.today)
    PREBUILT[key] = one
    try:
        with _environment(audience_text, run.whole.today):
            config = load_config(str(run.project.config_file), site_dir=str(staging))
            config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
    except (MkDocsException, OSError, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        return SiteResult(audience_text, folder, "failed", len(one.plans), time.perf_counter() - start,
                          str(exc) or type(exc).__name__)
    finally:
        PREBUILT.pop(key, None)
    if folder.exists():
        shutil.rmtree(folder)
    staging.replace(folder)
    return SiteResult(audience_text, folder, "built", len(one.plans), time.perf_counter() - start)
