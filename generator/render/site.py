"""The pages of one build, in memory: generated pages and assets, and the Jinja pass over HR's pages.

`render_site` turns the plans one audience may see into `Page`s; it never reads a plan file and
never sees a private field. Publishers (the MkDocs plugin, `playbook export`) take the pages as
they are.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import TemplateError, UndefinedError
from markupsafe import Markup

from .. import __version__
from ..asof import as_of
from ..audience import Audience, SelectedPlan
from ..content import SAMPLES_DIR, TEMPLATES_DIR
from ..timeline import build_timeline
from ..model import PublicPlan, Roster
from ..dates import parse_day
from ..history import History
from ..schema import schema_text
from ..units import percent
from .calendar import Clock, events_ical, wrap, zone_ical
from .charts import bar_chart
from .html import Finisher
from .dashboard import (COMPLIANCE_PAGE, PEOPLE_INDEX, PLANS_CSV, PLANS_JSON, PLANS_JSON_SCHEMA, plans_csv, plans_json,
                        plans_schema_text, render_compliance, render_people)
from .jinja import front_values, markdown_env
from .letters import Letters, TemplateProblem, _template_line, letter_html
from .pages import (KIND_LABELS, PlanHistory, feed_uri, plan_calendar_uri, MANAGERS_INDEX, PLANS_INDEX, RESPONSES, RESPONSE_PAGES, TEAMS_INDEX, plan_uri, render_indexes,
                    plan_front, render_plan)
from .reference import field_rows, rule_views

STYLESHEET = "assets/playbook.css"
SCHEMA = "schema/plan.schema.json"
# The generated pages the nav names.
LISTINGS = frozenset({PLANS_INDEX, TEAMS_INDEX, MANAGERS_INDEX, PEOPLE_INDEX, COMPLIANCE_PAGE})
# The HR view's pages: a build that shows no plan (the playbook's own site) has none of them, and neither
# its nav nor its pages link to them.
HR_PAGES = frozenset({TEAMS_INDEX, MANAGERS_INDEX, PEOPLE_INDEX, COMPLIANCE_PAGE})
# An inline Markdown link, `[text](target)`: each part stops at its own closing mark, so no input backtracks.
_INLINE_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]+)\)")

# Markdown extensions the shipped playbook pages rely on, with the options they need.
REQUIRED_EXTENSIONS = {
    "tables": {},
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
}


def required_extensions(options: dict) -> list[tuple[str, dict]]:
    """Each extension the pages need, with the options to give it (merged over what is there)."""
    return [(name, {**options.get(name, {}), **needed} if needed else options.get(name, {}))
            for name, needed in REQUIRED_EXTENSIONS.items()]


@dataclass(frozen=True)
class Page:
    """One generated page: front matter, and a body of HTML whose headings and links to other pages'
    sources a publisher finishes (`render.html.Finisher`).

    `key` is a hash of everything the page is made from (the plan file's bytes, the templates,
    today and the generator's version): two builds that give a page the same key give it the same
    text, so a publisher may keep rendered pages between rebuilds.
    """

    uri: str  # the source path MkDocs sees, e.g. plans/jordan-lee-pip-2026-10/index.md
    front: str  # YAML front matter: the title and meta values, known before the body (`pages.plan_front`)
    body: str | None  # HTML (None: on its way)
    in_nav: bool = False
    key: str | None = None
    search: str | None = None  # HTML the search index takes instead of the page (its headline); None: the page

    def meta(self) -> dict:
        """The front matter's values (a fresh dict: a publisher's plugins may change theirs)."""
        return front_values(self.front)

    def complete_markdown(self, finisher=None) -> str:
        """The page as a Markdown file, for publishers that run Markdown on everything (an export): its
        front matter, Markdown headings, and HTML, which Markdown passes through as it is."""
        return self.front + (finisher or Finisher({})).markdown(self.uri, self.body)


@dataclass
class Site:
    """Everything the site is made of besides HR's own pages."""

    audience: Audience
    today: date
    letters: Letters
    samples: dict[str, PublicPlan] = field(default_factory=dict)  # id -> sample plan
    acknowledgement_days: int = 7
    pages: dict[str, Page] = field(default_factory=dict)  # src uri -> page
    left_out: frozenset[str] = frozenset()  # generated pages this build does not have (HR_PAGES, or none)
    assets: dict[str, str | bytes] = field(default_factory=dict)  # src uri -> file content
    later: object | None = None  # where the plan pages still being rendered arrive (`parallel.Rendering`)
    _page_context: dict | None = field(default=None, repr=False)

    def page(self, uri: str, body: bool = True) -> Page | None:
        """The generated page at `uri` with its text (None: the site has no such page). A plan page still being
        rendered on another core is waited for, unless only its front matter is asked for (`body` false); a
        template that cannot be filled raises TemplateProblem."""
        page = self.pages.get(uri)
        if page is not None and page.body is None and body:
            rendered = self.later.get(page.key)
            if rendered is None:
                raise RuntimeError(f"the page {uri} was never rendered")
            page = self.pages[uri] = replace(page, front=rendered.front, body=rendered.body, search=rendered.search)
        return page

    def page_context(self) -> dict:
        """What HR's Markdown pages may use in Jinja (the same for every page, so made once)."""
        if self._page_context is None:
            self._page_context = {
                "template_example": self.template_example,
                "rules": rule_views(),
                "plan_fields": field_rows(),
                "roster_fields": field_rows(Roster),
                "kinds": KIND_LABELS,
                "responses": RESPONSES,
                "today": self.today,
                "audience": self.audience,
            }
        return self._page_context

    def render_markdown(self, markdown: str, src_uri: str, source: str) -> str:
        """One of HR's pages through Jinja (`source` names it in errors), its links to pages this build
        leaves out turned into their text."""
        rendered = render_page(markdown, source, self.page_context())
        return unlink(rendered, src_uri, self.left_out) if self.left_out else rendered

    def template_example(self, name: str, on: str | date | None = None, sample: str | None = None) -> Markup:
        """A template filled with a sample plan as of `on` (a fixed day that suits the letter's stage, so that the
        example does not change with the build date), as a copyable block. `sample` names the sample plan by
        id; by default, the first that fits, a PIP before a coaching plan before a growth plan."""
        if name not in self.letters.templates:
            raise TemplateProblem(f"no template `{name}` in {TEMPLATES_DIR}/")
        template = self.letters.templates[name]
        try:
            day = parse_day(on) if isinstance(on, str) else (on or self.today)
        except ValueError as exc:
            raise TemplateProblem(f"template_example(\"{name}\", on=...): {exc}") from None
        if sample is not None:
            if sample not in self.samples:
                raise TemplateProblem(f"no sample plan `{sample}` in {SAMPLES_DIR}/")
            chosen = self.samples[sample]
        else:
            fitting = [plan for plan in self.samples.values() if plan.kind in template.kinds]
            if not fitting:
                raise TemplateProblem(f"no sample plan in {SAMPLES_DIR}/ fits template `{name}` "
                                      f"({', '.join(template.kinds)})")
            chosen = min(fitting, key=lambda plan: ("pip", "coaching", "growth").index(plan.kind))
        previous = self.samples.get(chosen.follows) if chosen.follows else None
        # A sample is the pipeline's own small run: the record as of the example's day, and its timeline.
        view = as_of(chosen, day)
        ready, filled = self.letters.prepare(name, view, build_timeline(view, day, self.acknowledgement_days),
                                             acknowledgement_days=self.acknowledgement_days,
                                             previous=as_of(previous, day) if previous else None)
        if filled is None:
            raise TemplateProblem(f"the sample plan `{chosen.id}` is not ready for `{name}` on {day}: {ready.reason}")
        return Markup("\n" + letter_html(filled, f"example-{name}") + "\n")


def theme_dir() -> Path:
    """Playbook's additions to Material's templates (a named search dialog, the robots meta, ...)."""
    return Path(str(resources.files("generator.render").joinpath("theme")))


def stylesheet() -> str:
    return resources.files("generator.render").joinpath("assets/playbook.css").read_text(encoding="utf-8")


def _version() -> str:
    return __version__


def unlink(markdown: str, src_uri: str, left_out: frozenset[str]) -> str:
    """`markdown` with each inline link to one of the `left_out` pages replaced by its text."""
    folder = posixpath.dirname(src_uri)

    def replace(match: re.Match) -> str:
        target = match.group(2).split("#", 1)[0]
        if "://" in target or not target:
            return match.group(0)
        return match.group(1) if posixpath.normpath(posixpath.join(folder, target)) in left_out else match.group(0)

    return _INLINE_LINK.sub(replace, markdown)


def without_pages(nav: list, left_out: frozenset[str]) -> list:
    """An mkdocs.yml `nav` without its entries for the `left_out` pages (and sections left empty by that)."""
    kept = []
    for entry in nav:
        title, value = next(iter(entry.items())) if isinstance(entry, dict) and len(entry) == 1 else (None, entry)
        if isinstance(value, list):
            value = without_pages(value, left_out)
            if not value:
                continue
        elif isinstance(value, str) and value in left_out:
            continue
        kept.append({title: value} if title is not None else value)
    return kept


def _listing_texts(audience: Audience) -> tuple[str, str]:
    """What the plans index says it holds, and what a listing says when it holds nothing."""
    if not audience.shows_plans:
        return ("This is the playbook's training site: it publishes no plan. Plans are on each manager's and "
                "HR's own site.", "")
    intro = "Every plan in the repository." if audience.kind == "all" else f"This site holds {audience.description}."
    empty = "No plans yet. Start one with `playbook new`." if audience.kind == "all" else "No plan to show here."
    return intro, empty


def render_site(selected: list[SelectedPlan], letters: Letters, samples: dict[str, PublicPlan], audience: Audience,
                today: date, acknowledgement_days: int = 7, cache: dict[str, tuple] | None = None,
                versions_url: str | None = None, roster: list[str] | None = None, history: History | None = None,
                pages: frozenset[str] | None = None, clock: Clock | None = None, later: bool = False) -> Site:
    """Every generated page of one build. Raises TemplateProblem for a template that cannot be filled.

    `pages` are the site's own pages (None: every playbook page): a plan page links to a playbook page
    only when the site has it.

    `cache` maps page keys to pages rendered before; pages found there are not rendered again,
    and pages rendered now are added to it. With `later`, the plan pages are being rendered on other
    cores into `cache` (a `parallel.Rendering`): each is taken from it when first asked for (`Site.page`).
    """
    audience = audience.named(chosen.plan for chosen in selected)  # "the plans of Jordan Lee", not of an id
    site = Site(audience=audience, today=today, letters=letters, samples=samples,
                acknowledgement_days=acknowledgement_days,
                left_out=frozenset() if audience.shows_plans else HR_PAGES, later=cache if later else None)
    site.pages.update(plan_pages(selected, selected, letters, today, acknowledgement_days, cache, versions_url,
                                 history, pages, later))
    intro, empty = _listing_texts(audience)
    # A person's own site holds no one's compliance figures: they measure managers and HR partners.
    counted = [] if audience.kind == "person" else selected
    compliance_empty = ("Compliance figures measure managers and HR partners: they are on HR's and managers' "
                        "sites." if audience.kind == "person" else empty)
    listings = {**render_indexes(selected, today, intro, empty), **render_people(selected),
                COMPLIANCE_PAGE: render_compliance(counted, today, intro, compliance_empty, roster,
                                                   chart=_rates_chart)}
    for uri, (front, body, search) in listings.items():
        if uri in site.left_out:
            continue
        # A listing's key is its own text: the same text, the same page.
        site.pages[uri] = Page(uri, front, body, in_nav=uri in LISTINGS, search=search,
                               key=hashlib.sha256(f"{front}\0{body}\0{search}".encode()).hexdigest())
    site.assets.update(calendars(selected, today, cache, clock))
    site.assets[STYLESHEET] = stylesheet()
    site.assets[SCHEMA] = schema_text()
    site.assets[PLANS_JSON] = plans_json(selected, today, str(audience), _version())
    site.assets[PLANS_CSV] = plans_csv(selected)
    site.assets[PLANS_JSON_SCHEMA] = plans_schema_text()
    return site


def plan_pages(chosen: list[SelectedPlan], selected: list[SelectedPlan], letters: Letters, today: date,
               acknowledgement_days: int = 7, cache: dict | None = None, versions_url: str | None = None,
               history: History | None = None, pages: frozenset[str] | None = None,
               later: bool = False) -> dict[str, Page]:
    """The page of each `chosen` plan, in a site of the `selected` plans (a page links to the plan it follows
    only when the site has it). `cache` maps page keys to pages rendered before (see `render_site`); `later`
    leaves each page's text to be taken from the cache when it is first asked for (`Site.page`)."""
    linked = "all" if pages is None else ",".join(sorted(uri for uri in RESPONSE_PAGES if uri in pages))
    salt = f"{letters.fingerprint}|{today}|{acknowledgement_days}|{versions_url}|{_version()}|{linked}"
    by_id = {other.plan.id: other for other in selected}
    made = {}
    for one in chosen:
        uri = plan_uri(one.plan.id)
        previous = by_id.get(one.plan.follows) if one.plan.follows else None
        commits = history.for_file(one.path) if history is not None else []
        # The page reads the file's name (the plan's id, unless `id:` gives one), the plan it follows and the file's
        # history too: they are part of the key. A copy of a plan file, not yet edited, is a page of its own.
        made_of = (f"{one.path}|{one.digest}|{previous.path if previous else ''}|{previous.digest if previous else ''}"
                   f"|{','.join(c.id for c in commits)}")
        key = hashlib.sha256(f"{made_of}|{salt}".encode()).hexdigest()
        if later:
            made[uri] = Page(uri, plan_front(one.plan), None, key=key)
            continue
        rendered = cache.get(key) if cache is not None else None
        if rendered is None:
            rendered = render_plan(one.plan, letters, one.timeline, acknowledgement_days,
                                   previous.plan if previous else None, versions_url,
                                   PlanHistory(commits, history.status if history else "no-repository",
                                               history.message if history else ""), one.earlier, pages)
            if cache is not None:
                cache[key] = rendered
        made[uri] = Page(uri, rendered.front, rendered.body, key=key, search=rendered.search)
    return made


def calendar_events(selected: list[SelectedPlan], today: date, cache: dict | None = None,
                    clock: Clock | None = None) -> dict[str, bytes]:
    """Each selected plan's events, written once for its calendar and the feeds, by plan id; `cache` maps
    content keys to events written before, and takes those written now."""
    serialised: dict[str, bytes] = {}
    for chosen in selected:
        key = ("ics", chosen.path, chosen.digest, today, clock, _version())  # the file's name may be the plan's id
        events = cache.get(key) if cache is not None else None
        if events is None:
            events = events_ical(chosen.plan, chosen.timeline, clock=clock)
            if cache is not None:
                cache[key] = events
        serialised[chosen.plan.id] = events
    return serialised


def calendars(selected: list[SelectedPlan], today: date, cache: dict | None = None,
              clock: Clock | None = None) -> dict[str, bytes]:
    """An .ics per plan, and a feed per manager and per team, of the selected plans only; with a
    `clock`, check-ins are timed (see `generator.render.calendar`)."""
    files: dict[str, bytes] = {}
    managers: dict[str, list[SelectedPlan]] = {}
    teams: dict[str, list[SelectedPlan]] = {}
    manager_names: dict[str, str] = {}
    serialised = calendar_events(selected, today, cache, clock)

    def wrapped(name: str, plans: list[SelectedPlan]) -> bytes:
        return wrap(name, [serialised[chosen.plan.id] for chosen in plans], zone=zone_ical(
            clock, [chosen.plan for chosen in plans]))

    for chosen in selected:
        plan = chosen.plan
        files[plan_calendar_uri(plan.id)] = wrapped(f"{plan.person.name}: {KIND_LABELS[plan.kind]}", [chosen])
        managers.setdefault(plan.manager.id, []).append(chosen)
        manager_names.setdefault(plan.manager.id, plan.manager.name)
        teams.setdefault(plan.person.team, []).append(chosen)
    for manager_id, plans in managers.items():
        files[feed_uri("managers", manager_id)] = wrapped(f"Plans run by {manager_names[manager_id]}", plans)
    for team, plans in teams.items():
        files[feed_uri("teams", team)] = wrapped(f"Plans of team {team}", plans)
    return files


def _rates_chart(rows: list[tuple[str, float]]) -> str:
    """The compliance rates (shares, 0..1) as bars, each written as the table writes it."""
    return bar_chart(rows, chart_id="compliance-rates", title="Compliance rate, worst first",
                     description="; ".join(f"{label}: {percent(value)}" for label, value in rows) + ".",
                     maximum=1, value_text=percent)


@lru_cache(maxsize=1)
def _page_environment():
    return markdown_env()


@lru_cache(maxsize=256)
def _page_template(markdown: str):
    """HR's page compiled once per process: `playbook sites` and `mkdocs serve` render it in every build."""
    return _page_environment().from_string(markdown)


def render_page(markdown: str, source: str, context: dict) -> str:
    """HR's Markdown page through Jinja; errors name the page, the line and the missing value."""
    if not any(mark in markdown for mark in ("{{", "{%", "{#")):
        return markdown
    try:
        return _page_template(markdown).render(context)
    except TemplateProblem as exc:
        raise TemplateProblem(f"{source}: {exc}") from None
    except UndefinedError as exc:
        line = _template_line(exc, Path("<template>"))
        raise TemplateProblem(f"{source}:{line}: a value the page uses is missing: {exc.message}") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or "?"
        raise TemplateProblem(f"{source}:{line}: {exc.message or exc}") from None
