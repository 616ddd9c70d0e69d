"""Plan pages and calendars rendered on every core, before a site is put together.

Each plan's page and events are a pure function of its record, its timeline and the materials
(`render.site.plan_pages`, `render.site.calendars`), keyed by content. `prerender` deals the plans out
to forked workers, which inherit the run (nothing is sent but the plans' places in it); what they
render reaches the cache that `render_site` then reads: returned to the parent, or, for a cache that
keeps what is written to it on disk (`sites.PageStore`), written there by the workers themselves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .audience import SelectedPlan
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


def made_ahead(paths: Iterable[str]) -> Callable[[], None]:
    """Make the files `paths` (empty, with their folders) in a forked process, ahead of the writer that fills
    them; returns the function that waits for that process to end.

    Writing into a file that is there costs a kernel a fraction of making one, and making one in a
    folder of its own costs most: about a millisecond on some file systems, and with MkDocs's directory
    URLs every page has a folder of its own. The forked process makes them on another core while the
    writer renders pages. It never empties a file (a file it reaches after the writer keeps what the writer
    wrote), and a path it cannot make is left to the writer, which makes its folders itself as it always
    does. For fewer than `SMALLEST` files, and where there is no fork, the writer does it all."""
    paths = list(dict.fromkeys(paths))  # in the writer's order: the process stays ahead of the writer
    if len(paths) < SMALLEST or not _forks():
        return lambda: None
    child = os.fork()
    if child == 0:  # only system calls from here on: no lock another thread held is touched
        try:
            for path in paths:
                try:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666))
                except OSError:
                    pass
        finally:
            os._exit(0)

    def wait() -> None:
        try:
            os.waitpid(child, 0)
        except ChildProcessError:  # waited for already
            pass

    return wait


def prerender(work: Work, places: list[int], jobs: int) -> None:
    """Render the page and events of the plans at `places` in `work.plans` that the cache lacks, on `jobs` cores."""
    global _WORK
    if jobs < 2 or len(places) < SMALLEST:
        return
    from .render.pages import compile_templates

    chunks = [places[start::jobs * 4] for start in range(jobs * 4)]
    work.materials.letters.compile()  # once here, rather than once in each worker
    compile_templates()
    long_lived()  # the run lives to its end: no collector, here or in a worker, walks it (`generator.memory`)
    _WORK = work
    try:
        for made in mapped(_render_chunk, chunks, jobs):
            for key, value in made.items():
                work.cache[key] = value
    finally:
        _WORK = None


class _Recorder(dict):
    """A worker's cache: reads the run's, and records what the worker renders."""

    def __init__(self, shared):
        super().__init__()
        self.shared = shared

    def get(self, key, default=None):
        found = super().get(key)
        return found if found is not None else self.shared.get(key, default)


def _render_chunk(places: list[int]) -> dict:
    from .render.site import calendars, plan_pages

    work = _WORK
    settings = work.settings
    cache = _Recorder(work.cache) if work.collect else work.cache
    chosen = [work.plans[place] for place in places]
    plan_pages(chosen, work.plans, work.materials.letters, work.today, settings.policy.acknowledgement_days, cache,
               settings.versions_url, work.history, work.materials.pages)
    calendars(chosen, work.today, cache, settings.policy.check_in_clock)
    return dict(cache) if work.collect else {}
