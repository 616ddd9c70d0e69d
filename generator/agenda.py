"""The agenda: what the running plans owe, overdue or due soon, as of one day.

    collect(project, today, days=7) -> Agenda: the check, and one entry per thing owed

Made for a scheduled job that posts to a chat or a mailing list. The plans are checked, selected
and given their timelines as a build does them (`generator.check`, `generator.audience`,
`generator.timeline`); nothing here computes a date. Only a running plan (`active`, `extended`)
owes anything: a draft has not started, and a closed plan owes nothing after its outcome.

What a running plan owes:

- **upcoming or due today**, within the next `days` days: check-ins, reviews, milestones, the
  deadline for both signatures (PIPs) and the plan's end (when an outcome is to be recorded);
- **overdue** (`Timeline.overdue`: missed and not yet handled): a review not recorded as held, a
  milestone missed or with no result logged until an escalation step or a later review is
  recorded, the signatures missing past their deadline, a running plan past its end, and an
  escalation stage that a crossed trigger called for but that nobody recorded. A missed
  check-in is not listed: it cannot be held any more, and `playbook check` counts them (PB209);
- **letters**: a written or final warning whose letter is ready (`generator.readiness`) and not yet
  sent. It is named on the line of the escalation it records; a letter with no such line gets one.

An entry exactly 7 days or 1 day ahead carries a reminder ("in 7 days", "tomorrow"), as a
reminder service would send them: the agenda is a notice, so it may speak relative to today,
but every line also gives the date itself.

Every text is a name, title or number from the record (which has no private field here), shown
as inert text: control characters are escaped in text, Markdown and HTML in Markdown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from .audience import Audience
from .check import CheckResult
from .config import Project, UsageError
from .dates import shortdate
from .findings import visible
from .model import PublicPlan
from .readiness import readiness
from .render.jinja import stage
from .timeline import RUNNING, Item, Timeline
from .words import plural

GROUPS = {"overdue": "Overdue", "today": "Today", "upcoming": "Upcoming"}
REMINDERS = {7: "in 7 days", 1: "tomorrow"}
LETTER_STAGES = ("written-warning", "final-warning")
_OWED = ("check-in", "review", "milestone", "acknowledgement", "end")  # timeline kinds listed when open
# A Markdown table cell shows its text as written: no emphasis, code, link or HTML, and one line.
_INLINE = str.maketrans({ord(c): "\\" + c for c in "\\`*_[]|~"}
                        | {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})


@dataclass(frozen=True)
class Entry:
    """One thing a plan owes: on which day, what, and how many days from today (negative: overdue)."""

    date: date
    plan: PublicPlan
    kind: str  # a timeline item kind, or `letter`
    title: str
    days: int
    letter: str | None = None  # the stage whose letter is ready to send

    @property
    def state(self) -> str:
        return "overdue" if self.days < 0 else "today" if self.days == 0 else "upcoming"

    @property
    def reminder(self) -> str | None:
        return REMINDERS.get(self.days)

    @property
    def what(self) -> str:
        """The title, with how late it is or the reminder it carries."""
        if self.days < 0:
            late = -self.days
            return f"{self.title} ({plural(late, 'day')} overdue)"
        return f"{self.title} (reminder: {self.reminder})" if self.reminder else self.title

    def sort_key(self) -> tuple:
        """By date, then plan id; a plan's entries on one day stay in its timeline's order of kinds."""
        return self.date, self.plan.id

    def row(self) -> dict:
        plan = self.plan
        return {"date": self.date.isoformat(), "plan": plan.id, "person": plan.person.name,
                "manager": plan.manager.name, "manager_id": plan.manager.id,
                "hr_partner": plan.hr_partner.name if plan.hr_partner else None,
                "hr_partner_id": plan.hr_partner.id if plan.hr_partner else None,
                "kind": self.kind, "title": self.title, "state": self.state, "days": self.days,
                "reminder": self.reminder, "letter": self.letter}


@dataclass
class Agenda:
    """What the selected plans owe as of `today`, or the check that stopped it."""

    today: date
    days: int
    check: CheckResult
    strict: bool
    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.check.failed(self.strict)

    @property
    def last_day(self) -> date:
        return self.today + timedelta(days=self.days)

    def group(self, state: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.state == state]


def collect(project: Project, today: date, days: int = 7, *, audience: Audience | None = None,
            manager: str | None = None, hr_partner: str | None = None) -> Agenda:
    """What the running plans owe, from the same run as a build (`generator.build.prepare`).

    `manager` makes the run that manager's audience, so the agenda holds exactly what their site
    does; `hr_partner` keeps the plans that person partners. Nothing is listed when the plans or
    the roster fail the check. UsageError for an id that the plans and roster do not know."""
    from .build import prepare

    settings = project.settings
    if not project.plans_dir.is_dir():
        raise UsageError(f"no plans folder at {project.shown(project.plans_dir)}")
    if manager is not None:
        audience = Audience("manager", manager)
    run = prepare(project, today=today, audience=audience or Audience("all"), hr_partner=hr_partner)
    agenda = Agenda(today, days, run.check, settings.strict, notes=run.notes)
    if run.failed():
        return agenda
    for chosen in run.plans:
        agenda.entries += owed(chosen.plan, chosen.timeline, days, settings.policy.acknowledgement_days)
    agenda.entries.sort(key=Entry.sort_key)  # stable: see `Entry.sort_key`
    return agenda


def owed(plan: PublicPlan, timeline: Timeline, days: int, acknowledgement_days: int = 7) -> list[Entry]:
    """What one plan owes as of its timeline's day: overdue, or due within `days` days."""
    if plan.status not in RUNNING:
        return []
    today = timeline.today
    last = today + timedelta(days=days)
    entries = []
    overdue = set(timeline.overdue)  # missed and not yet handled: see generator.timeline
    for item in timeline.items:
        if item.kind in _OWED and item.open and item.date <= last:
            entries.append(Entry(item.date, plan, item.kind, _title(item), (item.date - today).days))
        elif item.kind in _OWED and item in overdue:
            entries.append(Entry(item.date, plan, item.kind, _missed(item, timeline), (item.date - today).days))
    letters = [name for name in LETTER_STAGES if _letter_due(plan, timeline, name, acknowledgement_days)]
    for due in timeline.escalations:
        if due.recorded_on is None:
            letter = due.stage if due.stage in letters else None
            title = f"{stage(due.stage).capitalize()} not recorded: a trigger was crossed at this review"
            entries.append(Entry(due.since, plan, "escalation", title + _letter_note(plan, letter),
                                 -due.days_overdue(today), letter))
    listed = {entry.letter for entry in entries}
    entries += [Entry(today, plan, "letter", f"{stage(name).capitalize()} due" + _letter_note(plan, name), 0, name)
                for name in letters if name not in listed]
    return entries


def _title(item: Item) -> str:
    if item.kind == "milestone":
        return f"Milestone: {item.title}"
    if item.kind == "acknowledgement":
        return "Last day for both parties to sign the plan"
    if item.kind == "end":
        return "Plan ends: record the outcome"
    return item.title


def _missed(item: Item, timeline: Timeline) -> str:
    if item.kind == "review":
        return f"{item.title} not recorded as held"
    if item.kind == "milestone":
        verdict = timeline.milestones[item.path[1]].verdict
        return f"Milestone {'with no result logged' if verdict == 'no-result' else 'missed'}: {item.title}"
    if item.kind == "acknowledgement":
        return "Plan not signed by both parties by its deadline"
    return f"Plan ended, still {timeline.plan.status}: record the outcome"


def _letter_due(plan: PublicPlan, timeline: Timeline, name: str, acknowledgement_days: int) -> bool:
    ready = readiness(plan, timeline, name, None, acknowledgement_days=acknowledgement_days)
    return ready.ready and ready.sent_on is None


def _letter_note(plan: PublicPlan, letter: str | None) -> str:
    return f"; letter ready: playbook letter {plan.id} {letter}" if letter else ""


# Formats: each turns an agenda into the text a job prints or posts.

def _heading(agenda: Agenda) -> str:
    return (f"Agenda for {shortdate(agenda.today)}: overdue, today, and due up to {shortdate(agenda.last_day)} "
            f"({plural(agenda.days, 'day')} ahead)")


def _document(agenda: Agenda, title: str, head: Callable[[str], list[str]], row: Callable[[Entry], str]) -> str:
    """The title, then each group that has entries: its head, a row per entry and a blank line."""
    lines = [title, ""]
    for state, name in GROUPS.items():
        entries = agenda.group(state)
        if entries:
            lines += head(name) + [row(entry) for entry in entries] + [""]
    if not agenda.entries:
        lines += ["Nothing is due or overdue.", ""]
    return "\n".join(lines)


def format_text(agenda: Agenda) -> str:
    """`DATE  PERSON (PLAN-ID)  WHAT  [MANAGER]`, one line per entry, under each group's name."""
    who = {id(entry): visible(f"{entry.plan.person.name} ({entry.plan.id})") for entry in agenda.entries}
    width = max(map(len, who.values()), default=0)
    return _document(agenda, _heading(agenda), lambda name: [name], lambda entry: (
        f"{entry.date.isoformat()}  {who[id(entry)]:<{width}}  {visible(entry.what)}  "
        f"[{visible(entry.plan.manager.name)}]"))


def _cell(text: str) -> str:
    return visible(text).translate(_INLINE)


def format_markdown(agenda: Agenda) -> str:
    """A table per group, for a chat message, an issue or a job summary."""
    table = ["| Date | Person | Plan | What | Manager |", "| --- | --- | --- | --- | --- |"]
    return _document(agenda, f"## {_heading(agenda)}", lambda name: [f"### {name}", "", *table], lambda entry: (
        f"| {entry.date.isoformat()} | {_cell(entry.plan.person.name)} | `{entry.plan.id}` | "
        f"{_cell(entry.what)} | {_cell(entry.plan.manager.name)} |"))


def format_json(agenda: Agenda) -> str:
    """A JSON list of the entries, in order."""
    return json.dumps([entry.row() for entry in agenda.entries], indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Agenda], str]] = {"text": format_text, "markdown": format_markdown,
                                               "json": format_json}

__all__ = ["Agenda", "Entry", "FORMATS", "collect", "owed"]
