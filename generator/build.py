"""The pipeline every command runs: discover -> load -> check -> select -> as of today -> timeline -> render.

    prepare(project, today=..., audience=...) -> Run: the check, the selected plans (each as of today,
        with its timeline), and the failure rule; what `letter`, `pdf` and `agenda` read
    build(project, today=..., audience=...) -> Build: a Run and the pages and assets of one site

Every publisher goes through `prepare`: the MkDocs plugin and `playbook export` publish what `build`
returns, `playbook letter` and `pdf` fill a letter from a Run's plan, `playbook agenda` lists what a
Run's timelines owe. None of them checks, selects or builds a timeline on its own, and each fails
the same way on the same plans and roster (`Run.failed`).

The stages, in order:

- **checked**: every plan file and the roster, with one failure rule;
- **selected**: the plans an audience may see (and, for the agenda, an HR partner's),
  redacted; an audience or filter naming nobody the plans or roster know is a usage error, with a
  "did you mean";
- **as of today**: each plan as it stood today (`generator.asof`): facts dated later are absent;
- **timeline**: one per plan per run, handed to everything that reads what is due, done or missed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Iterable

from .asof import amended_after, as_of, stood_on
from .audience import Audience, SelectedPlan, select, within
from .check import CheckResult, check_paths, cycle_collection_paused
from .config import Project, UsageError
from .findings import Finding
from .history import History, earlier_terms, read_history
from .model import SLUG_PATTERN, PublicPlan
from .memory import run_over
from .parallel import Rendering, Work, prerender
from .readiness import Readiness
from .render.letters import FilledLetter, Letters, LetterTemplate, TemplateProblem
from .roster import members_for, read_roster
from .timeline import build_timeline
from .render.jinja import front_matter, html_value
from .render.pages import NOINDEX, plan_uri
from .content import TEMPLATES_DIR, Content, content_of
from .render.site import Page, Site, render_site
from .words import plural, with_article


_SLUG = re.compile(SLUG_PATTERN.removeprefix("^").removesuffix("$"))


class BuildError(Exception):
    """The build cannot go on; the message says where and why."""


@dataclass
class Run:
    """One command's plans: checked, selected for one audience, each as of today with its timeline."""

    project: Project
    audience: Audience
    today: date
    check: CheckResult
    roster: object | None = None
    plans: list[SelectedPlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a publisher should tell the user

    @property
    def findings(self) -> list[Finding]:
        return self.check.findings

    @property
    def strict(self) -> bool:
        return self.project.settings.strict

    def failing(self) -> list[Finding]:
        """The findings that fail the run, counted once (publishers ask for every page; a run's findings are
        final once `prepare` has made it)."""
        if "_failing" not in self.__dict__:
            self.__dict__["_failing"] = [finding for finding in self.findings if finding.fails(self.strict)]
        return self.__dict__["_failing"]

    def failed(self) -> bool:
        return bool(self.failing())

    def failure_message(self) -> str:
        count = len(self.failing())
        return f"{plural(count, 'problem')} in the plans; run `playbook check` for the list"

    def failing_in_view(self) -> tuple[list[Finding], int]:
        """The failing findings this audience may read (those of its own plans), and how many others there are.

        A file that did not read as a plan cannot say whose it is, so only HR's build lists its findings."""
        failing = self.failing()
        if self.audience.kind == "all":
            return failing, 0
        shown = [finding for finding in failing if finding.path in self.own_files]
        return shown, len(failing) - len(shown)

    @cached_property
    def own_files(self) -> set[str]:
        """The files of every plan this audience may see, whether or not it passes the check."""
        return {plan_file.path for plan_file in self.check.plan_files if self.audience.admits(plan_file.plan)}

    @cached_property
    def history(self) -> History:
        """The plans' history in git, read once, when a page or a letter first needs it."""
        return read_history(self.project.root, self.project.plans_dir, self.project.settings.policy)

    def plan(self, plan_id: str) -> SelectedPlan:
        """The selected plan with this id; NotFound, with the ids this audience may see that are close."""
        found = next((chosen for chosen in self.plans if chosen.plan.id == plan_id), None)
        if found is not None:
            return found
        where = f"{self.project.shown(self.project.plans_dir)}" + (
            "" if self.audience.kind == "all" else f" for the audience `{self.audience}`")
        raise NotFound(f"no plan `{plan_id}` under {where}"
                       + did_you_mean(plan_id, [chosen.plan.id for chosen in self.plans]))


@dataclass
class Build(Run):
    """One site for one audience, as of one day: a Run and what it rendered."""

    site: Site | None = None  # None when the plans failed and nothing was rendered
    materials: Materials | None = None  # what the site was rendered with

    @property
    def pages(self) -> dict[str, Page]:
        return self.site.pages if self.site else {}

    @property
    def assets(self) -> dict[str, str]:
        return self.site.assets if self.site else {}

    def page(self, uri: str, body: bool = True) -> Page | None:
        """The generated page at `uri` with its text, waiting for it while it is rendered on another core (`build`'s
        `later`) unless only its front matter is asked for (`body` false); None when the site has no such page.
        BuildError for a template that cannot be filled."""
        if self.site is None:
            return None
        try:
            return self.site.page(uri, body)
        except TemplateProblem as exc:
            self.stop_rendering()
            raise BuildError(str(exc)) from None

    def rendered(self) -> None:
        """Wait until every plan page has been rendered: the workers of `build`'s `later` end."""
        if self.site is not None and self.site.later is not None:
            self.site.later.finish()

    def stop_rendering(self) -> None:
        """End the workers of `build`'s `later` now (the publisher has failed)."""
        if self.site is not None and self.site.later is not None:
            self.site.later.stop()

    def check_clear_of(self, existing: Iterable[str]) -> None:
        """BuildError if one of the site's own files has the path of a generated page or asset."""
        for uri in existing:
            if uri in self.pages or uri in self.assets:
                raise BuildError(f"{self.project.docs_dir.name}/{uri} is in the way of a generated page; rename it")

    def render_markdown_page(self, markdown: str, src_uri: str) -> str:
        """One of HR's pages through Jinja, with what playbook pages may use (samples, rules, audience)."""
        if self.site is None:
            raise BuildError("the plans failed the check; nothing was rendered")
        try:
            return self.site.render_markdown(markdown, src_uri, f"{self.project.docs_dir.name}/{src_uri}")
        except TemplateProblem as exc:
            raise BuildError(str(exc)) from None


def load_samples(content: Content, project: Project, today: date) -> dict[str, PublicPlan]:
    """The sample plans that fill the templates on the playbook's tool pages, by id."""
    if not content.samples:
        return {}
    result = check_paths([project.shown(path) for path in content.samples], project.settings.policy, today)
    errors = [finding.text() for finding in result.findings if finding.severity == "error"]
    if errors:
        raise BuildError("sample plans have errors:\n" + "\n".join(errors))
    return {plan_file.plan.id: PublicPlan.of(plan_file.plan) for plan_file in result.plan_files}


def check_layout(project: Project) -> None:
    """UsageError when the plans folder lies inside the docs folder: MkDocs would copy every raw plan file,
    private notes and roster included, into every site."""
    docs, plans = project.docs_dir.resolve(), project.plans_dir.resolve()
    if plans == docs or plans.is_relative_to(docs):
        raise UsageError(f"plans_dir ({project.shown(project.plans_dir)}) is inside docs_dir "
                         f"({project.shown(project.docs_dir)}): MkDocs would publish the raw plan files, private "
                         "notes included; keep the plans outside the docs folder")


def prepare(project: Project, *, today: date, audience: Audience, preview: bool = False,
            hr_partner: str | None = None) -> Run:
    """Check every plan and the roster, select the audience's plans (and, for the agenda, an HR partner's),
    and give each its view as of today and its timeline.

    A run whose plans fail selects nothing, unless `preview` (as under `mkdocs serve`): then the plans
    without a failing finding are selected, so the author sees the rest of the site while mending the one
    that fails. UsageError for an audience or filter that names nobody the plans or the roster know.
    """
    settings = project.settings
    run_over()  # what an earlier run in this process set aside is the collector's again (`generator.memory`)
    check_layout(project)
    notes: list[str] = []
    if project.plans_dir.is_dir():
        result = check_paths([project.shown(project.plans_dir)], settings.policy, today, project.root)
    else:
        result = CheckResult()
        notes.append(f"no plans folder at {project.shown(project.plans_dir)}: building the playbook without plans")
    roster, problems = read_roster(project.plans_dir, project.shown(project.plans_dir), settings.policy.max_file_bytes,
                                   project.root)
    result.findings = sorted(result.findings + problems)
    run = Run(project, audience, today, result, roster, notes=notes)
    known_people(result, roster).validate(audience, hr_partner)
    failing_files = {finding.path for finding in run.failing()}
    if failing_files and not preview:
        return run
    usable = [plan_file for plan_file in result.plan_files if plan_file.path not in failing_files]
    chosen = select(usable, audience, settings.policy.retention_days, today)
    if hr_partner is not None:
        chosen = [c for c in chosen if c.plan.hr_partner is not None and c.plan.hr_partner.id == hr_partner]
    days = settings.policy.acknowledgement_days
    for selected in chosen:
        earlier = _earlier(run, selected)
        view, own_terms = _today_view(run, selected.plan, earlier)
        checked = result.timelines.get(selected.path)
        if checked is not None and own_terms:
            timeline = replace(checked, plan=view)  # the check's own, of the same record as of today
        else:
            timeline = build_timeline(view, today, days)
        run.plans.append(replace(selected, plan=view, timeline=timeline, earlier=earlier))
    if audience.shows_plans and usable and not run.plans and hr_partner is None:
        notes.append(f"no plan is visible to the audience `{audience}`")
    return run


def _earlier(run: Run, selected: SelectedPlan):
    """The plan's earlier terms, read from git only when a letter or a view first asks for them."""

    def version_before(day: date):
        return earlier_terms(run.history, selected.path, selected.plan.id)(day)

    return version_before


def _today_view(run: Run, plan: PublicPlan, earlier) -> tuple[PublicPlan, bool]:
    """The plan as of today, and whether its terms are the file's. An amendment dated after today (a fact the
    check reports) is undone with the terms the history holds from before it; without them the terms stay as
    written, and the run says so."""
    if not amended_after(plan, run.today):
        return as_of(plan, run.today), True
    stood = stood_on(plan, run.today, earlier, of="today")
    if stood.plan is None:
        run.notes.append(f"{plan.id}: {stood.reason}; its page shows the terms as the file has them")
        return as_of(plan, run.today), True
    return stood.plan, False


def did_you_mean(word: str, choices: list[str]) -> str:
    """`; did you mean `a`, `b`?` for the choices close to `word`, or nothing."""
    close = difflib.get_close_matches(word, choices, n=3)
    return f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""


@dataclass(frozen=True)
class People:
    """Every id the plans and the roster name, by role: what an audience or a filter may name."""

    managers: frozenset[str]
    teams: frozenset[str]
    people: frozenset[str]
    hr_partners: frozenset[str]

    def validate(self, audience: Audience, hr_partner: str | None = None) -> None:
        asked = [(audience.kind, audience.id)] if audience.id is not None else []
        asked += [("HR partner", hr_partner)] if hr_partner is not None else []
        for role, ident in asked:
            known = {"manager": self.managers, "team": self.teams, "person": self.people,
                     "HR partner": self.hr_partners}[role]
            if ident not in known:
                raise UsageError(f"no {role} `{ident}` in the plans or the roster{did_you_mean(ident, sorted(known))}")


def known_people(result: CheckResult, roster) -> People:
    managers, teams, people, partners = set(), set(), set(), set()
    for plan_file in result.plan_files:
        plan = plan_file.plan
        managers.add(plan.manager.id)
        teams.add(plan.person.team)
        people.add(plan.person.id)
        if plan.hr_partner is not None:
            partners.add(plan.hr_partner.id)
    if roster is not None:
        people.update(roster.people)  # everyone the roster gives an identity to may have a site of their own
        for team, members in roster.teams.items():
            teams.add(team)
            managers.add(members.manager)
            people.update(members.members)
    return People(frozenset(managers), frozenset(teams), frozenset(people), frozenset(partners))


@dataclass(frozen=True)
class Materials:
    """What a site is rendered with besides the plans: the letter templates, the sample plans and the pages
    the site has."""

    letters: Letters
    samples: dict[str, PublicPlan]
    pages: frozenset[str] | None

    @classmethod
    def of(cls, project: Project, today: date) -> "Materials":
        content = content_of(project)
        return cls(Letters(content.templates), load_samples(content, project, today), content.page_uris)


def build(project: Project, *, today: date, audience: Audience, preview: bool = False,
          cache: dict[str, tuple] | None = None, render: bool = True, jobs: int = 1, later: bool = False) -> Build:
    """Prepare the plans (see `prepare`) and render the site (unless not `render`), its plan pages on `jobs`
    cores; a build whose plans fail renders nothing, unless `preview`. With `later`, the build returns while
    its plan pages are still being rendered: `Build.page` gives each once it is done, and the publisher does
    its own work meanwhile (MkDocs reads the playbook's pages, say)."""
    # The collector stays paused from the check until the workers fork, where the run is set aside from it
    # (`generator.memory`): no pass walks the run's records before that.
    with cycle_collection_paused():
        run = prepare(project, today=today, audience=audience, preview=preview)
        outcome = Build(**{name: getattr(run, name) for name in Run.__dataclass_fields__})
        if (run.failed() and not preview) or not render:
            return outcome
        try:
            materials = Materials.of(project, today)
            rendering, cache = _workers(outcome, materials, cache, jobs, later)
        except TemplateProblem as exc:
            raise BuildError(str(exc)) from None
    try:
        _render(outcome, materials, rendering, cache)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
    if preview:
        outcome.site.pages.update(problem_pages(outcome))
    return outcome


def _workers(outcome: Build, materials: Materials, cache: dict | None, jobs: int,
             later: bool) -> tuple[Rendering | None, dict | None]:
    """The plan pages rendered on `jobs` cores: still under way with `later` (the Rendering), else done and in
    the cache it returns."""
    if jobs < 2:
        return None, cache
    cache = {} if cache is None else cache
    history = outcome.history if outcome.plans else None
    work = Work(outcome.plans, materials, outcome.project.settings, outcome.today, history, cache, collect=True)
    places = list(range(len(outcome.plans)))
    if later:
        return Rendering.start(work, places, jobs), cache
    prerender(work, places, jobs)
    return None, cache


def _render(outcome: Build, materials: Materials, rendering: Rendering | None, cache: dict | None) -> None:
    """The build's site: every generated page and file of its audience's plans (their pages from the workers'
    `rendering` while it goes on, or from `cache`)."""
    settings = outcome.project.settings
    history = outcome.history if outcome.plans else None
    try:
        outcome.site = render_site(outcome.plans, materials.letters, materials.samples, outcome.audience,
                                   outcome.today, settings.policy.acknowledgement_days, rendering or cache,
                                   settings.versions_url, members_for(outcome.roster, outcome.audience), history,
                                   materials.pages, clock=settings.policy.check_in_clock,
                                   later=rendering is not None)
    except BaseException:
        if rendering is not None:
            rendering.stop()
        raise
    outcome.materials = materials


def problem_pages(run: Build) -> dict[str, Page]:
    """Under `mkdocs serve`, a page at the address of each failing plan this audience may see, listing its
    problems where the author is looking: the plan's own page, rather than a "not found"."""
    shown, _ = run.failing_in_view()
    by_file: dict[str, list[Finding]] = {}
    for finding in shown:
        by_file.setdefault(finding.path, []).append(finding)
    pages = {}
    for path, found in by_file.items():
        stem = Path(path).stem
        uri = plan_uri(stem) if _SLUG.fullmatch(stem) else None
        if uri is None or uri in run.pages:
            continue
        items = "".join(f"<li>{html_value(finding.text())}</li>\n" for finding in found)
        body = (f"<h1>Problems in {html_value(path)}</h1>\n<div class=\"admonition failure\">\n"
                "<p class=\"admonition-title\">This plan is left out of the preview</p>\n<p>Mend these problems; the "
                "page shows the plan again once it passes <code>playbook check</code>.</p>\n</div>\n"
                f"<ul>\n{items}</ul>\n")
        pages[uri] = Page(uri, front_matter(f"Problems in {stem}", robots=NOINDEX), body, key=None)
    return pages


def held_by(whole: Run, audience: Audience) -> list[SelectedPlan]:
    """The plans of the run of every plan that `audience` may see: `prepare`'s rule, read on each plan's record
    (retention is the same for every audience)."""
    admitted = {plan_file.path for plan_file in whole.check.plan_files if audience.admits(plan_file.plan)}
    return within([chosen for chosen in whole.plans if chosen.path in admitted])


def narrowed(whole: Build, audience: Audience, cache: dict[str, tuple] | None = None,
             materials: Materials | None = None) -> Build:
    """The build of `audience` made from the run of every plan (`all`), as `playbook sites` makes each site:
    the same check, the same plans as of today with their timelines and the same history, selected again
    rather than prepared again. The selection is `prepare`'s: the audience admits the plan's record
    (retention is the same for every audience), and a note about a plan it does not hold is left out. It is
    rendered with `materials`, else with the whole build's, as `build` renders."""
    if whole.audience != Audience("all"):
        raise ValueError("only the build of every plan can be narrowed")
    known_people(whole.check, whole.roster).validate(audience)
    plans = held_by(whole, audience)
    others = {chosen.plan.id for chosen in whole.plans} - {chosen.plan.id for chosen in plans}
    notes = [note for note in whole.notes if note.partition(":")[0] not in others]
    if audience.shows_plans and whole.plans and not plans:
        notes.append(f"no plan is visible to the audience `{audience}`")
    outcome = Build(whole.project, audience, whole.today, whole.check, whole.roster, plans, notes)
    vars(outcome)["history"] = whole.history  # read once, for every site
    materials = materials or whole.materials
    if materials is None or whole.failed():
        return outcome
    try:
        _render(outcome, materials, None, cache)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
    return outcome


class NotFound(Exception):
    """No plan or template by the name given; the message lists what there is."""


@dataclass(frozen=True)
class PreparedLetter:
    plan: PublicPlan
    template: LetterTemplate
    readiness: Readiness
    letter: FilledLetter | None  # None when the letter is not due


def prepare_letter(project: Project, plan_id: str, template_name: str, *, today: date,
                   audience: Audience) -> PreparedLetter:
    """One plan's letter, as its page offers it: filled in when due, else why not. The same run as a build
    (`prepare`): BuildError when the plans or the roster fail, NotFound for a plan or template that is not
    there."""
    run = prepare(project, today=today, audience=audience)
    if run.failed():
        raise BuildError(run.failure_message())
    chosen = run.plan(plan_id)
    plan = chosen.plan
    try:
        letters = Letters(content_of(project).templates)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
    template = letters.templates.get(template_name)
    if template is None:
        fitting = ", ".join(t.name for t in letters.fitting(plan))
        raise NotFound(f"no template `{template_name}` in the playbook's templates or in "
                       f"{project.docs_dir.name}/{TEMPLATES_DIR}/; "
                       f"for this {plan.kind} plan there are: {fitting}")
    if plan.kind not in template.kinds:
        ready = Readiness(False, f"`{template_name}` is for {' and '.join(template.kinds)} plans, "
                                 f"and this is {with_article(plan.kind)} plan", today)
        return PreparedLetter(plan, template, ready, None)
    previous = next((c.plan for c in run.plans if c.plan.id == plan.follows), None) if plan.follows else None
    try:
        ready, filled = letters.prepare(template_name, plan, chosen.timeline,
                                        acknowledgement_days=project.settings.policy.acknowledgement_days,
                                        previous=previous, earlier=chosen.earlier)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
    return PreparedLetter(plan, template, ready, filled)
