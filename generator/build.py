"""The build pipeline: discover -> load -> check -> select -> render, for one audience.

    build(project, today=..., audience=...) -> Build: the findings, the selected plans, and the
    pages and assets of one site

Every publisher calls `build` and publishes what it returns: the MkDocs plugin adds the pages as
files, `playbook export` writes them to a folder. None of them checks, selects or renders on its
own, and each fails the same way on the same plans (`Build.failed`, `Build.check_clear_of`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Iterable

from .audience import Audience, SelectedPlan, select
from .check import CheckResult, check_paths
from .config import Project
from .findings import Finding
from .model import PublicPlan
from .readiness import Readiness
from .render.letters import FilledLetter, Letters, LetterTemplate, TemplateProblem
from .history import read_history
from .roster import members_for, read_roster
from .timeline import build_timeline
from .render.site import SAMPLES_DIR, TEMPLATES_DIR, Page, Site, render_page, render_site


class BuildError(Exception):
    """The build cannot go on; the message says where and why."""


@dataclass
class Build:
    """One site for one audience, as of one day."""

    project: Project
    audience: Audience
    today: date
    check: CheckResult
    plans: list[SelectedPlan] = field(default_factory=list)
    site: Site | None = None  # None when the plans failed and nothing was rendered
    notes: list[str] = field(default_factory=list)  # what a publisher should tell the user

    @property
    def findings(self) -> list[Finding]:
        return self.check.findings

    @property
    def strict(self) -> bool:
        return self.project.settings.strict

    def failing(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.fails(self.strict)]

    def failed(self) -> bool:
        return bool(self.failing())

    def failure_message(self) -> str:
        count = len(self.failing())
        return f"{count} problem{'s' if count != 1 else ''} in the plans; run `playbook check` for the list"

    @property
    def pages(self) -> dict[str, Page]:
        return self.site.pages if self.site else {}

    @property
    def assets(self) -> dict[str, str]:
        return self.site.assets if self.site else {}

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
            return render_page(markdown, f"{self.project.docs_dir.name}/{src_uri}", self.site.page_context())
        except TemplateProblem as exc:
            raise BuildError(str(exc)) from None


def load_samples(playbook_dir: Path, project: Project, today: date) -> dict[str, PublicPlan]:
    """The sample plans that fill the templates on the playbook's tool pages, by id."""
    folder = playbook_dir / SAMPLES_DIR
    if not folder.is_dir():
        return {}
    result = check_paths([project.shown(folder)], project.settings.policy, today)
    errors = [finding.text() for finding in result.findings if finding.severity == "error"]
    if errors:
        raise BuildError("sample plans have errors:\n" + "\n".join(errors))
    return {plan_file.plan.id: PublicPlan.of(plan_file.plan) for plan_file in result.plan_files}


def build(project: Project, *, today: date, audience: Audience, preview: bool = False,
          cache: dict[str, tuple] | None = None) -> Build:
    """Check every plan, select the audience's, and render the site.

    A build whose plans fail renders nothing, unless `preview` (as under `mkdocs serve`): then
    the plans without a failing finding are rendered, so the author sees the rest of the site
    while mending the one that fails.
    """
    settings = project.settings
    notes: list[str] = []
    if project.plans_dir.is_dir():
        result = check_paths([project.shown(project.plans_dir)], settings.policy, today)
    else:
        result = CheckResult()
        notes.append(f"no plans folder at {project.shown(project.plans_dir)}: building the playbook without plans")
    roster, problems = read_roster(project.plans_dir, project.shown(project.plans_dir), settings.policy.max_file_bytes)
    result.findings = sorted(result.findings + problems)
    outcome = Build(project, audience, today, result, notes=notes)
    failing_files = {finding.path for finding in outcome.failing()}
    if failing_files and not preview:
        return outcome

    usable = [plan_file for plan_file in result.plan_files if plan_file.path not in failing_files]
    days = settings.policy.acknowledgement_days
    outcome.plans = [replace(chosen, timeline=build_timeline(chosen.plan, today, days))
                     for chosen in select(usable, audience, settings.policy.retention_days, today)]
    if audience.shows_plans and usable and not outcome.plans:
        notes.append(f"no plan is visible to the audience `{audience}`")
    history = read_history(project.root, project.plans_dir) if outcome.plans else None
    try:
        letters = Letters(project.docs_dir / TEMPLATES_DIR)
        samples = load_samples(project.docs_dir, project, today)
        outcome.site = render_site(outcome.plans, letters, samples, audience, today, days, cache,
                                   settings.versions_url, members_for(roster, audience), history)
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


def prepare_letter(project: Project, plan_id: str, template_name: str, *, today: date) -> PreparedLetter:
    """One plan's letter, as its page offers it: filled in when due, else why not. The same check,
    selection and readiness as a build, for one plan."""
    settings = project.settings
    result = check_paths([project.shown(project.plans_dir)], settings.policy, today) \
        if project.plans_dir.is_dir() else CheckResult()
    files = {plan_file.plan.id: plan_file for plan_file in result.plan_files}
    if plan_id not in files:
        close = difflib.get_close_matches(plan_id, list(files), n=3)
        raise NotFound(f"no plan `{plan_id}` under {project.shown(project.plans_dir)}"
                       + (f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""))
    failing = [f for f in result.findings if f.path == files[plan_id].path and f.fails(settings.strict)]
    if failing:
        raise BuildError("the plan has problems; mend them first (`playbook check`):\n"
                         + "\n".join(f.text() for f in failing))
    selected = {chosen.plan.id: chosen.plan
                for chosen in select(result.plan_files, Audience("all"), settings.policy.retention_days, today)}
    if plan_id not in selected:
        raise BuildError(f"`{plan_id}` is past its retention period: no letter is made from it")
    plan = selected[plan_id]
    try:
        letters = Letters(project.docs_dir / TEMPLATES_DIR)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
    template = letters.templates.get(template_name)
    if template is None:
        fitting = ", ".join(t.name for t in letters.fitting(plan))
        raise NotFound(f"no template `{template_name}` in {project.docs_dir.name}/{TEMPLATES_DIR}/; "
                       f"for this {plan.kind} plan there are: {fitting}")
    if plan.kind not in template.kinds:
        ready = Readiness(False, f"`{template_name}` is for {' and '.join(template.kinds)} plans, "
                                 f"and this is a {plan.kind} plan", today)
        return PreparedLetter(plan, template, ready, None)
    previous = selected.get(plan.follows) if plan.follows else None
    try:
        ready, filled = letters.prepare(template_name, plan, today, settings.policy.acknowledgement_days, previous)
    except TemplateProblem as exc:
        raise BuildError(str(exc)) from None
    return PreparedLetter(plan, template, ready, filled)
