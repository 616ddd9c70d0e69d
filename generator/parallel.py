"""Plan pages and calendars rendered on every core, while a site is put together or before.

Each plan's page and events are a pure function of its record, its timeline and the materials
(`render.site.plan_pages`, `render.site.calendar_events`), keyed by content. `Rendering` deals the plans
out to forked workers, which inherit the run (nothing is sent but the plans' places in it); what they
render is returned to the parent as it is done, where a build takes each page when its publisher first
asks for it (`build.Build.page`). `prerender` waits for all of it instead and puts it in the run's cache,
or, for a cache that keeps what is written to it on disk (`sites.PageStore`), the workers write there
themselves.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from .audience import SelectedPlan
from .render.letters import TemplateProblem
from .memory import long_lived

# Below this many plans (or files) a forked process costs more than it saves.
SMALLEST = 200


def _forks() -> bool:
    """Whether this system can fork a process that inherits this one (not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass
class Work:
    """What every worker reads (inherited through fork, never sent)."""

    plans: list[SelectedPlan]  # every plan of the run: a page links to the plan it follows among them
    materials: object  # build.Materials
    settings: object  # config.Settings
    today: object
    history: object
    cache: object  # a dict, or a store with `get` and item assignment
    collect: bool  # return what was rendered (a cache in memory), or not (a store that keeps it)


_WORK: Work | None = None


def cores() -> int:
    """The cores this process may run on (its CPU affinity, which a CI runner or container may narrow), where
    workers can be forked; else 1."""
    if not _forks():
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity on this system
        return os.cpu_count() or 1


def mapped(function, items: list, jobs: int):
    """`function` over `items`, on `jobs` forked workers (in this process for one, or where there is no fork)."""
    if jobs == 1 or len(items) <= 1 or not _forks():
        yield from map(function, items)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap_unordered(function, items, chunksize=1)


def made_ahead(paths: Iterable[str], last: str | None = None) -> Callable[[], None]:
    """Make the files `paths` (empty, with their folders) in a process of its own, ahead of the writer that
    fills them, from the last build's site where it had them (`last`, from `set_aside`); returns the function
    that waits for that process to end, after which nothing of `last` is left.

    Writing into a file that is there costs a kernel a fraction of making one, and making one in a folder of
    its own costs most: with MkDocs's directory URLs every page has a folder of its own. The process
    (`site_files`) makes them on another core while the writer renders pages, and takes a folder the last site
    had whole, with its files emptied and what the site no longer has moved out. It never empties or replaces
    a file or folder the writer has made, and a path it cannot make is left to the writer, which makes its
    folders itself as it always does. For fewer than `SMALLEST` files the writer makes them all, and the process
    only removes `last`; without fork (Windows), the writer does it all and `last` is removed when the build
    waits."""
    paths = list(dict.fromkeys(paths))  # in the writer's order: the process stays ahead of the writer
    if len(paths) < SMALLEST:
        paths = []
    if not paths and not last:
        return nothing_to_wait_for
    made = _beside(SITE_FILES, b"\0".join(map(os.fsencode, paths)), *([last] if last else []))

    def done() -> None:
        made()
        if last:
            shutil.rmtree(last, ignore_errors=True)  # what the process left, or all of it if it could not start

    return done


# The script that lays out a site's files (run by path: it is standard library only).
SITE_FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site_files.py")
# The folder, inside a site's folder, that the last site's files are moved into while this build takes from them
# and removes the rest. It is hidden, as the site's own files never are: MkDocs leaves it alone, and a folder left
# by a build that was killed is removed by the next.
REMOVING = ".playbook-removing-"


def set_aside(directory: str) -> str | None:
    """Move what MkDocs removes before a build from `directory` (all but its hidden entries) into a hidden folder
    of its own, for `made_ahead` to take from and remove; returns that folder (None: nothing was moved).

    Removing the last build's site, file by file, and making it again cost more than rebuilding it. Here it
    takes a few renames, and MkDocs finds nothing of its own to remove. A link, and an entry that cannot be
    moved (one in use, on some systems), are left where they are for MkDocs's own cleaning. Without fork
    (Windows), MkDocs does it all."""
    try:
        with os.scandir(directory) as found:
            entries = [entry.name for entry in found if (not entry.name.startswith(".") and not entry.is_symlink())
                       or (entry.name.startswith(REMOVING) and entry.is_dir(follow_symlinks=False))]
    except OSError:  # no site yet, or not a folder: MkDocs says what is wrong
        return None
    if not entries or not _forks() or not sys.executable:
        return None
    try:
        last = tempfile.mkdtemp(prefix=REMOVING, dir=directory)
    except OSError:
        return None
    for name in entries:
        try:
            os.rename(os.path.join(directory, name), os.path.join(last, name))
        except OSError:
            pass
    return last


def _beside(script: str, given: bytes, *arguments: str) -> Callable[[], None]:
    """Run the script at `script` in a fresh interpreter, which reads `given` on its input, while this process
    goes on; returns the function that waits for it to end. It is a fresh interpreter rather than a fork: this
    process may be running threads (a pool's) by then. Where it cannot start, nothing is done."""
    if not _forks() or not sys.executable:
        return nothing_to_wait_for
    try:
        child = subprocess.Popen([sys.executable, "-I", "-S", script, *arguments], stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return nothing_to_wait_for
    try:
        with child.stdin:
            child.stdin.write(given)
    except OSError:  # it ended early
        pass
    return child.wait


def nothing_to_wait_for() -> None:
    """The wait `made_ahead` returns when it started no process."""


# Plans in one part of the work: a publisher that reads the pages in the plans' order waits for one part at a time.
PART = 24


def prerender(work: Work, places: list[int], jobs: int) -> None:
    """Render the page and events of the plans at `places` in `work.plans` that the cache lacks, on `jobs` cores;
    what the workers return goes into `work.cache`."""
    rendering = Rendering.start(work, places, jobs)
    if rendering is not None:
        rendering.finish()
        if rendering.failed:  # the first plan, in their order, whose page could not be made
            raise TemplateProblem(next(iter(rendering.failed.values())))
        for key, value in rendering.arrived.items():
            work.cache[key] = value


class Rendering:
    """The pages and calendar events of plans being rendered on forked workers while this process goes on.

    The work is cut into parts of `PART` plans, in the plans' order: every plan's calendar events first
    (the feeds need them all), then the pages. `get(key)` gives what was rendered under `key`, waiting
    for the part that holds it while that part is still on its way: a publisher that reads the pages in
    the plans' order waits only for the part the workers are on, and does its own work meanwhile.
    A plan whose page cannot be made (a template that cannot be filled) fails alone: the `get` for its
    page raises TemplateProblem.
    """

    def __init__(self, work: Work, places: list[int], jobs: int):
        global _WORK
        from .render.pages import compile_templates

        parts = [places[start:start + PART] for start in range(0, len(places), PART)]
        work.materials.letters.compile()  # once here, rather than once in each worker
        compile_templates()
        long_lived()  # the run lives to its end: no collector, here or in a worker, walks it (`generator.memory`)
        _WORK = work
        self.arrived: dict = {}
        self.failed: dict[str, str] = {}  # page key -> why the page could not be made
        self._shared = work.cache
        self._pool = multiprocessing.get_context("fork").Pool(jobs)
        _widen_results_pipe(self._pool)
        self._results = self._pool.imap(_render_part, [("events", part) for part in parts]
                                        + [("pages", part) for part in parts], chunksize=1)

    @classmethod
    def start(cls, work: Work, places: list[int], jobs: int) -> "Rendering | None":
        """The rendering of the plans at `places` on `jobs` workers, under way; None where one process does better
        (one core, fewer than `SMALLEST` plans, or no fork)."""
        if jobs < 2 or len(places) < SMALLEST or not _forks():
            return None
        return cls(work, places, jobs)

    def get(self, key, default=None):
        """What was rendered under `key` (once: it is let go of as it is given), waiting for it if it is on its way;
        what the run's own cache held already is not rendered again."""
        found = self._shared.get(key)
        if found is not None:
            return found
        while key not in self.arrived and key not in self.failed and self._results is not None:
            self._take_next()
        if key in self.failed:
            raise TemplateProblem(self.failed[key])
        return self.arrived.pop(key, default)

    def __setitem__(self, key, value) -> None:
        self.arrived[key] = value

    def finish(self) -> None:
        """Wait for every part: the workers end. What arrived stays for `get`."""
        while self._results is not None:
            self._take_next()

    def stop(self) -> None:
        """End the workers now, whatever they are doing (the build has failed)."""
        if self._results is not None:
            self._pool.terminate()
            self._ended()

    def _take_next(self) -> None:
        try:
            made, failed = next(self._results)
        except StopIteration:
            self._pool.close()
            self._ended()
            return
        except BaseException:
            self.stop()
            raise
        self.arrived.update(made)
        self.failed.update(failed)

    def _ended(self) -> None:
        global _WORK
        self._pool.join()
        self._results = None
        _WORK = None


# What the pipe that brings the workers' parts back may hold before a worker waits (Linux's default upper bound).
RESULTS_PIPE = 1 << 20


def _widen_results_pipe(pool) -> None:
    """Let the pipe that brings the workers' parts back hold `RESULTS_PIPE` bytes, where the system allows it.

    A part's pages are a few hundred kilobytes, and a pipe holds 64 KiB by default: a worker handing one over
    waited while this process read it a piece at a time, each piece only once its reading thread got its turn
    beside the busy thread that publishes the pages. That was a fifth of each worker's time at 5,000 plans. With
    room for a whole part, a worker hands it over and goes on. The pipe is the pool's own (`Pool._outqueue`, not a
    public name): where it is not there, or the system refuses the size (not Linux, or over a user's limit of
    pipe memory), the pipe stays as it is."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    reader = getattr(getattr(pool, "_outqueue", None), "_reader", None)
    if set_size is None or reader is None:
        return
    try:
        fcntl.fcntl(reader.fileno(), set_size, RESULTS_PIPE)
    except (OSError, ValueError):
        pass


class _Recorder(dict):
    """A worker's cache: reads the run's, and records what the worker renders."""

    def __init__(self, shared):
        super().__init__()
        self.shared = shared

    def get(self, key, default=None):
        found = super().get(key)
        return found if found is not None else self.shared.get(key, default)


def _render_part(part: tuple[str, list[int]]) -> tuple[dict, dict[str, str]]:
    """One part of the work, in a worker: what it rendered (unless the cache keeps it), and why a page could not be
    made, by page key."""
    from .render.site import calendar_events, plan_pages

    kind, places = part
    work = _WORK
    settings = work.settings
    cache = _Recorder(work.cache) if work.collect else work.cache
    chosen = [work.plans[place] for place in places]
    failed = {}
    if kind == "events":
        calendar_events(chosen, work.today, cache, settings.policy.check_in_clock)
        return (dict(cache) if work.collect else {}), failed

    def pages(plans: list, later: bool = False) -> dict:
        return plan_pages(plans, work.plans, work.materials.letters, work.today, settings.policy.acknowledgement_days,
                          cache, settings.versions_url, work.history, work.materials.pages, later)

    try:
        pages(chosen)
    except TemplateProblem:  # each plan's page fails alone, where a publisher asks for it; the others are made
        for one in chosen:
            try:
                pages([one])
            except TemplateProblem as exc:
                (unmade,) = pages([one], later=True).values()
                failed[unmade.key] = str(exc)
    return (dict(cache) if work.collect else {}), failed
