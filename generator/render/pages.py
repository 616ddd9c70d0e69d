"""Pages from records: one page per plan, and the indexes (all plans, per team, per manager).

Each plan page is a pure function of one plan, the templates and "today": it reads nothing
about other plans, so pages can be cached by content hash and rendered in parallel. The indexes
are the only pages that read every plan, and they hold one table row per plan.
"""

from __future__ import annotations

import posixpath
from html import escape as html_escape
from urllib.parse import quote
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import markdown

from jinja2 import DictLoader
from markupsafe import Markup

from ..model import STAGES, PublicPlan
from ..readiness import witness_name
from ..audience import SelectedPlan
from ..timeline import HEALTH_LABELS, RUNNING, Timeline, health, latest_result
from .charts import criterion_chart
from ..dates import shortdate
from .jinja import front_matter, html_env
from .letters import Letters, letter_html, tabs_html

PLANS_INDEX = "plans/index.md"
TEAMS_INDEX = "teams/index.md"
MANAGERS_INDEX = "managers/index.md"

KIND_LABELS = {
    "growth": "Growth plan",
    "coaching": "Coaching plan",
    "pip": "Performance improvement plan",
}
SHORT_KIND_LABELS = {"growth": "Growth", "coaching": "Coaching", "pip": "PIP"}
RESPONSES = {
    "will": ("Focus", "diagnose/will-focus.md"),
    "skill": ("Coaching", "diagnose/skill-coaching.md"),
    "market": ("Communication", "diagnose/market-communication.md"),
}
RESPONSE_PAGES = frozenset(uri for _, uri in RESPONSES.values())
OWNERS = {"person": "Employee", "manager": "Manager", "hr": "HR"}
NOINDEX = "noindex"  # pages that name people ask search engines to stay away


def plan_uri(plan_id: str) -> str:
    return f"plans/{plan_id}/index.md"


# Each kind of page has a folder of its own, so no id can take the place of a listing: a team
# named `index` is `teams/index/`, beside the list of teams at `teams/`.
def team_uri(team: str) -> str:
    return f"teams/{team}/index.md"


def manager_uri(manager_id: str) -> str:
    return f"managers/{manager_id}/index.md"


def person_uri(person_id: str) -> str:
    return f"people/{person_id}/index.md"


def plan_calendar_uri(plan_id: str) -> str:
    return f"plans/{plan_id}/plan.ics"


FEED_FILE = "plans.ics"


def feed_uri(folder: str, ident: str) -> str:
    """A calendar feed of a manager's or a team's plans, beside their listing."""
    return f"{folder}/{ident}/{FEED_FILE}"


def version_url(versions_url: str | None, version: str) -> Markup | None:
    """Where a released playbook version lives (`mike` publishes each one in a folder of its own), or None
    when the configuration names no place that holds the releases."""
    if versions_url is None:
        return None
    return Markup(html_escape(f"{versions_url.rstrip('/')}/{quote(version, safe='')}/", quote=True))


def relative(from_uri: str, to_uri: str) -> Markup:
    """A Markdown link from one page's source to another's, as MkDocs resolves it.

    Page paths are made of slugs and fixed names only, so the link is safe to write as it is. Both are
    paths within the site, so the link is worked out from their parts alone (`posixpath.relpath` asks the
    system for the working folder twice a link: 0.19 s against 0.06 s for a 5,000-plan site's listings)."""
    start = [part for part in posixpath.dirname(from_uri).split("/") if part not in ("", ".")]
    target = [part for part in to_uri.split("/") if part not in ("", ".")]
    shared = 0
    while shared < min(len(start), len(target)) and start[shared] == target[shared]:
        shared += 1
    return Markup("/".join([".."] * (len(start) - shared) + target[shared:]) or ".")


def due_in(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    if days == -1:
        return "yesterday"
    return f"{-days} days ago"


@lru_cache(maxsize=1)
def _environment():
    folder = resources.files("generator.render").joinpath("templates")
    sources = {
        entry.name: entry.read_text(encoding="utf-8") for entry in folder.iterdir() if entry.name.endswith(".j2")
    }
    environment = html_env(DictLoader(sources))
    environment.globals["right"] = Markup(' style="text-align: right;"')  # a number column, as Markdown aligns it
    return environment


def compile_templates() -> None:
    """Compile the generated pages' templates now, so that forked workers share them."""
    environment = _environment()
    for name in environment.list_templates():
        environment.get_template(name)


class Generated(NamedTuple):
    """One generated page as rendered: its front matter (the title, and meta values), its body as HTML whose
    headings and links to other pages' sources the publisher finishes (`render.html`), and the HTML the
    search index takes instead of the whole page (its title and headline), or None for the whole page."""

    front: str
    body: str
    search: str | None = None


def generated_page(template: str, title: str, context: dict, *, search: str | None = None, **meta) -> Generated:
    """One generated page, from `template`; with `search`, the template of what the search index takes of it."""
    environment = _environment()
    return Generated(front_matter(title, robots=NOINDEX, **meta), environment.get_template(template).render(context),
                     environment.get_template(search).render(context) if search else None)


@lru_cache(maxsize=None)
def doc_html(text: str) -> Markup:
    """Trusted Markdown from the code (a docstring) as HTML, converted once per process."""
    return Markup(markdown.markdown(text, extensions=["tables"]))


@dataclass(frozen=True)
class PlanHistory:
    """The commits that changed a plan's file, newest first, or why they cannot be shown."""

    commits: list
    status: str = "ok"
    message: str = ""


def render_plan(plan: PublicPlan, letters: Letters, timeline: Timeline, acknowledgement_days: int = 7,
                previous: PublicPlan | None = None, versions_url: str | None = None,
                history: PlanHistory | None = None, earlier=None,
                pages: frozenset[str] | None = None) -> Generated:
    """One plan's page (see `generated_page`): a pure
    function of the record (and the plan it follows), its timeline, the templates and the policy.

    `pages` are the pages the site has besides the generated ones (None: all the playbook's); the page
    links to none it lacks."""
    if not isinstance(plan, PublicPlan):  # selection redacts every record before rendering
        raise TypeError(f"pages render a PublicPlan, not a {type(plan).__name__}")
    today = timeline.today
    uri = plan_uri(plan.id)
    metrics = {criterion.id: criterion.metric for criterion in plan.criteria}
    units = {criterion.id: criterion.unit for criterion in plan.criteria}
    response_title, response_uri = RESPONSES[plan.diagnosis.cause] if plan.diagnosis else (None, None)
    if pages is not None and response_uri not in pages:
        response_uri = None
    triggers = {state.criterion.id: state for state in timeline.triggers}
    context = {
        "plan": plan,
        "today": today,
        "timeline": timeline,
        "kind_label": KIND_LABELS[plan.kind],
        "kind_label_of": KIND_LABELS.get,
        "links": {
            "team": relative(uri, team_uri(plan.person.team)),
            "manager": relative(uri, manager_uri(plan.manager.id)),
            "person": relative(uri, person_uri(plan.person.id)),
            "calendar": relative(uri, plan_calendar_uri(plan.id)),
            "follows": relative(uri, plan_uri(plan.follows)) if previous is not None else None,
            "response": relative(uri, response_uri) if response_uri else None,
        },
        "response": {"title": response_title},
        "next_item": timeline.next("review", "milestone", "trigger", "acknowledgement", "escalation", "end")
        if plan.status in RUNNING else None,
        "next_check_in": timeline.next("check-in") if plan.status in RUNNING else None,
        "overdue": _longest_overdue(timeline),
        "stages": STAGES,
        "letters": _letters(plan, letters, timeline, acknowledgement_days, previous, earlier),
        "due_in": lambda day: due_in(day, today),
        "metric_name": lambda criterion_id: metrics.get(criterion_id, criterion_id),
        "unit_of": lambda criterion_id: units.get(criterion_id, ""),
        "owner_label": OWNERS.get,
        "trigger_of": triggers.get,
        "witness_name": lambda refusal: witness_name(plan, refusal),
        "targets_of": lambda state: plan.milestones[state.index].targets,
        "health": HEALTH_LABELS[health(timeline)],
        "charts": _charts(plan, timeline),
        "readings": _readings(plan, timeline),
        "history": history or PlanHistory([], "no-repository", ""),
        "previous": previous,
        "version_link": version_url(versions_url, plan.playbook_version) if plan.playbook_version else None,
    }
    return generated_page("plan.html.j2", plan_title(plan), context, search="plan-search.html.j2")


def plan_title(plan: PublicPlan) -> str:
    return f"{plan.person.name}: {KIND_LABELS[plan.kind]}"


def plan_front(plan: PublicPlan) -> str:
    """A plan page's front matter, the one `render_plan` gives it, known before the page is rendered."""
    return front_matter(plan_title(plan), robots=NOINDEX)


def _longest_overdue(timeline: Timeline):
    """The most urgent thing the plan owes, if it is overdue (`Timeline.next_due`)."""
    due = timeline.next_due()
    return due if due is not None and due.days_overdue else None


@dataclass(frozen=True)
class Reading:
    """A milestone and a trigger on one day that read one criterion differently, and what each read."""

    day: date
    criterion: object
    milestone_title: str
    result: float  # the latest result logged by the day, from any log entry: what the milestone reads
    result_date: date
    review_on: date | None  # the review the trigger reads, if it was held
    review_result: float | None  # the result logged at that review, if any


def _readings(plan: PublicPlan, timeline: Timeline) -> list[Reading]:
    """Where a milestone and a trigger judge the same criterion on the same day from different results.

    A milestone reads the latest result logged on or before its date (a check-in's will do); a
    trigger reads only the result logged at the review held on its `by` date. Both are right, and
    the page says why they differ (see `generator.timeline`)."""
    found = []
    for trigger in timeline.triggers:
        if trigger.verdict == "pending":  # not judged yet: nothing read differently
            continue
        criterion = trigger.criterion
        for milestone in timeline.milestones:
            if milestone.date != trigger.trigger.by or criterion.id not in milestone.results:
                continue
            read = latest_result(plan.log, criterion.id, milestone.date)
            if read is not None and (read[0] != trigger.result or read[1] != trigger.review_on):
                found.append(Reading(milestone.date, criterion, milestone.title, read[0], read[1],
                                     trigger.review_on, trigger.result))
    return found


def _charts(plan: PublicPlan, timeline: Timeline) -> dict[str, Markup]:
    """An inline SVG per criterion that has history or logged results (its table stays beside it)."""
    charts = {}
    for criterion in plan.criteria:
        svg = criterion_chart(plan, timeline, criterion.id, chart_id=f"chart-{criterion.id}")
        if svg is not None:
            charts[criterion.id] = Markup(svg)  # every text in it is escaped by the chart
    return charts


@dataclass(frozen=True)
class LetterView:
    """A template as the plan page offers it: filled in when it is due, else why it is not."""

    title: str
    ready: bool
    reason: str
    html: Markup | None
    pending: bool = False  # not due yet, but the record could make it due (not refused for good)


def _letters(plan: PublicPlan, letters: Letters, timeline: Timeline, acknowledgement_days: int,
             previous: PublicPlan | None, earlier) -> dict:
    views = []
    for template in letters.fitting(plan):
        ready, filled = letters.prepare(template.name, plan, timeline, acknowledgement_days=acknowledgement_days,
                                        previous=previous, earlier=earlier)
        title = template.title + (f" (sent {shortdate(ready.sent_on)})" if ready.sent_on and template.email else "")
        html = Markup(letter_html(filled, f"letter-{template.name}")) if filled else None
        views.append(LetterView(title, ready.ready, ready.reason, html, ready.pending))
    offered = [view for view in views if view.ready]
    waiting = [view for view in views if not view.ready]
    return {
        "tabs": Markup(tabs_html([(view.title, view.html) for view in offered], "pb_letters")) if offered else None,
        "waiting": waiting,
        # The next step of a running plan: a letter that the record could still make due.
        "next": next((view for view in waiting if view.pending), None) if plan.status in RUNNING else None,
    }


@dataclass(frozen=True)
class IndexRow:
    plan: PublicPlan
    health: str
    next_due: object | None  # the timeline's most urgent item (`Timeline.next_due`), for a running plan


def render_indexes(selected: list[SelectedPlan], today: date, intro: str,
                   empty: str) -> dict[str, Generated]:
    """The plans index, a page per team and per manager, and the team and manager lists.

    `intro` says what the build holds (which audience), at the top of the plans index; `empty`
    is what a listing says when the build holds no plan."""
    rows = sorted(
        (IndexRow(chosen.plan, HEALTH_LABELS[health(chosen.timeline)], chosen.timeline.next_due())
         for chosen in selected),
        key=lambda row: (row.plan.person.team, row.plan.person.name, row.plan.timetable.start, row.plan.id),
    )
    by_team: dict[str, list[IndexRow]] = defaultdict(list)
    by_manager: dict[str, list[IndexRow]] = defaultdict(list)
    managers: dict[str, str] = {}
    for row in rows:
        by_team[row.plan.person.team].append(row)
        by_manager[row.plan.manager.id].append(row)
        managers.setdefault(row.plan.manager.id, row.plan.manager.name)

    pages = {}

    def render(uri: str, title: str, intro: str, selected: list[IndexRow], *, by: str | None = None) -> None:
        """One listing; `by` names the column every row shares (team or manager), which it leaves out."""
        pages[uri] = generated_page("index.html.j2", title, dict(
            title=title,
            intro=intro,
            empty=empty,
            shared=by,
            feed=Markup(FEED_FILE) if by else None,
            rows=selected,
            today=today,
            kind_label=SHORT_KIND_LABELS,
            link=lambda plan: relative(uri, plan_uri(plan.id)),
            team_link=lambda team: relative(uri, team_uri(team)),
            manager_link=lambda manager_id: relative(uri, manager_uri(manager_id)),
            counts=_counts(selected),
        ))

    render(PLANS_INDEX, "Plans", intro, rows)
    for team, selected in by_team.items():
        render(team_uri(team), f"Team {team}", f"The plans of team {team}.", selected, by="team")
    for manager_id, selected in by_manager.items():
        render(manager_uri(manager_id), f"{managers[manager_id]}'s team plans",
               f"The plans {managers[manager_id]} manages.", selected, by="manager")
    pages[TEAMS_INDEX] = generated_page("groups.html.j2", "Teams", dict(
        title="Teams", empty=empty, groups=[(team, relative(TEAMS_INDEX, team_uri(team)), _counts(by_team[team]))
                               for team in sorted(by_team)]))
    pages[MANAGERS_INDEX] = generated_page("groups.html.j2", "Managers", dict(
        title="Managers", empty=empty, groups=[(managers[m], relative(MANAGERS_INDEX, manager_uri(m)), _counts(by_manager[m]))
                                  for m in sorted(by_manager, key=lambda m: managers[m])]))
    return pages


def _counts(rows: list[IndexRow]) -> dict[str, int]:
    counts = {"plans": len(rows), "running": 0, "pip": 0}
    for row in rows:
        counts["running"] += row.plan.status in RUNNING
        counts["pip"] += row.plan.kind == "pip" and row.plan.status in RUNNING
    return counts
