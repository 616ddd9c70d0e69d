"""The HR view's pages and files: the compliance dashboard, a page per person, `plans.json` and `plans.csv`.

Each reads the selected plans and their timelines, as every other page does: nothing here sees a
plan the build's audience may not, or a private field.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
from collections import defaultdict
from datetime import date

from markupsafe import Markup

from .. import compliance as compliance_module
from .. import units
from ..audience import SelectedPlan
from ..compliance import Row, compliance
from ..timeline import HEALTH_LABELS, health
from .pages import SHORT_KIND_LABELS, Generated, doc_html, generated_page, person_uri, plan_uri, relative

COMPLIANCE_PAGE = "compliance/index.md"
PEOPLE_INDEX = "people/index.md"
PLANS_JSON = "plans.json"
PLANS_CSV = "plans.csv"
PLANS_JSON_SCHEMA = "schema/plans.schema.json"
KIND_ORDER = {"growth": 0, "coaching": 1, "pip": 2}


def percent(share: float | None) -> str:
    return "not yet" if share is None else units.percent(share)


def _plans_of(row: Row) -> str:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for (kind, status), count in sorted(row.kinds.items(), key=lambda item: (KIND_ORDER[item[0][0]], item[0][1])):
        by_kind[kind].append(f"{count} {status}")
    return "; ".join(f"{SHORT_KIND_LABELS[kind]}: {', '.join(parts)}" for kind, parts in by_kind.items())


def _health_of(row: Row) -> str:
    return ", ".join(f"{count} {HEALTH_LABELS[name].lower()}" for name, count in sorted(row.health.items()))


def render_compliance(selected: list[SelectedPlan], today: date, intro: str, empty: str,
                      roster_members: list[str] | None, chart=None) -> Generated:
    figures = compliance(selected, roster_members or [])
    rows = [row for row in figures.managers + figures.hr_partners if row.rate is not None]
    chart_html = chart([(f"{row.name} ({row.role})", row.rate) for row in rows]) if chart and rows else None
    # The table of figures is wide: the page gives it the table of contents' column.
    return generated_page("compliance.html.j2", "Compliance", dict(
        intro=intro,
        empty=empty,
        today=today,
        rows_count=len(figures.managers) + len(figures.hr_partners),
        tables=[("Managers", figures.managers), ("HR partners", figures.hr_partners)],
        org=figures.organisation,
        roster=roster_members is not None,
        chart=Markup(chart_html) if chart_html else None,
        plans_of=_plans_of,
        health_of=_health_of,
        overdue_of=lambda rows: [(row, overdue) for row in rows for overdue in row.escalations_overdue],
        percent=percent,
        method=doc_html(inspect.getdoc(compliance_module).split("\n\n", 1)[1]),
        health_rule=doc_html("**Health** of a plan: " + inspect.getdoc(health)),
    ), hide=["toc"])


def render_people(selected: list[SelectedPlan]) -> dict[str, Generated]:
    """A page per person: their plans in order, growth, then coaching, then PIP, each by start date."""
    by_person: dict[str, list[SelectedPlan]] = defaultdict(list)
    for chosen in selected:
        by_person[chosen.plan.person.id].append(chosen)
    pages = {}
    names = {}
    for person_id, plans in by_person.items():
        plans.sort(key=lambda c: (KIND_ORDER[c.plan.kind], c.plan.timetable.start, c.plan.id))
        person = plans[-1].plan.person
        names[person_id] = person.name
        uri = person_uri(person_id)
        pages[uri] = generated_page("person.html.j2", person.name, dict(
            person=person,
            rows=[(c.plan, relative(uri, plan_uri(c.plan.id)), HEALTH_LABELS[health(c.timeline)],
                   relative(uri, plan_uri(c.plan.follows)) if c.plan.follows in {p.plan.id for p in plans} else None)
                  for c in plans],
            kind_label=SHORT_KIND_LABELS,
        ), search="person-search.html.j2")
    pages[PEOPLE_INDEX] = generated_page("people.html.j2", "People", dict(
        people=[(names[pid], relative(PEOPLE_INDEX, person_uri(pid)), len(by_person[pid]))
                for pid in sorted(by_person, key=lambda pid: (names[pid], pid))]))
    return pages


PLANS_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Playbook plans.json",
    "type": "object",
    "required": ["generator", "today", "audience", "plans"],
    "properties": {
        "$schema": {"type": "string"},
        "generator": {"type": "object", "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
        "today": {"type": "string", "format": "date"},
        "audience": {"type": "string"},
        "plans": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "person", "team", "manager", "kind", "status", "start", "end", "health"],
            "properties": {
                "id": {"type": "string"},
                "person": {"$ref": "#/definitions/ref"},
                "team": {"type": "string"},
                "manager": {"$ref": "#/definitions/ref"},
                "hr_partner": {"oneOf": [{"$ref": "#/definitions/ref"}, {"type": "null"}]},
                "kind": {"enum": ["growth", "coaching", "pip"]},
                "status": {"enum": ["draft", "active", "extended", "closed"]},
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
                "health": {"enum": list(HEALTH_LABELS)},
                "next_due": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["date", "kind", "title", "days_overdue"],
                    "properties": {"date": {"type": "string", "format": "date"}, "kind": {"type": "string"},
                                   "title": {"type": "string"},
                                   "days_overdue": {"type": "integer", "minimum": 0}}}]},
                "follows": {"type": ["string", "null"]},
            },
        }},
    },
    "definitions": {"ref": {"type": "object", "required": ["id", "name"], "additionalProperties": False,
                            "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}},
}


def plans_json(selected: list[SelectedPlan], today: date, audience: str, version: str) -> str:
    """The selected plans for BI and spreadsheets: the same bytes for the same input."""

    def ref(who):
        return {"id": who.id, "name": who.name} if who is not None else None

    rows = []
    for chosen in sorted(selected, key=lambda c: c.plan.id):
        plan, timeline = chosen.plan, chosen.timeline
        due = timeline.next_due()
        rows.append({
            "id": plan.id,
            "person": ref(plan.person),
            "team": plan.person.team,
            "manager": ref(plan.manager),
            "hr_partner": ref(plan.hr_partner),
            "kind": plan.kind,
            "status": plan.status,
            "start": plan.timetable.start.isoformat(),
            "end": plan.timetable.last_day.isoformat(),
            "health": health(timeline),
            "next_due": {"date": due.item.date.isoformat(), "kind": due.item.kind, "title": due.item.title,
                         "days_overdue": due.days_overdue} if due else None,
            "follows": plan.follows,
        })
    document = {"$schema": PLANS_JSON_SCHEMA, "generator": {"name": "playbook", "version": version},
                "today": today.isoformat(), "audience": audience, "plans": rows}
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


CSV_COLUMNS = ("id", "person", "person_id", "team", "manager", "manager_id", "hr_partner", "hr_partner_id", "kind",
               "status", "health", "first_day", "last_day", "calendar_days", "next_due_date", "next_due",
               "days_overdue", "check_ins_held", "check_ins_expected", "reviews_held", "reviews_due",
               "acknowledgement", "escalations_called_for", "escalations_overdue", "compliance_rate_percent")
# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A value as a spreadsheet cell: text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _acknowledgement(row: Row) -> str:
    if not row.acknowledgements_due:
        return "not due"
    return "missing" if row.acknowledgements_missing else "late" if row.acknowledgements_late else "on time"


def plans_csv(selected: list[SelectedPlan]) -> str:
    """The selected plans as one flat table, a row per plan, for spreadsheets and `pandas.read_csv`.

    The compliance figures are the plan's own share of the dashboard's (`generator.compliance`):
    a plan that is not running owes nothing, and has no rate. The rate is rounded as the
    dashboard rounds it (`percent`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for chosen in sorted(selected, key=lambda c: c.plan.id):
        plan, timeline = chosen.plan, chosen.timeline
        figures = Row("plan", plan.id, plan.person.name)
        figures.add(chosen)
        due = timeline.next_due()
        hr = plan.hr_partner
        writer.writerow(_cell(value) for value in (
            plan.id, plan.person.name, plan.person.id, plan.person.team, plan.manager.name, plan.manager.id,
            hr.name if hr else None, hr.id if hr else None, plan.kind, plan.status, HEALTH_LABELS[health(timeline)],
            plan.timetable.start.isoformat(), plan.timetable.last_day.isoformat(), plan.timetable.calendar_days,
            due.item.date.isoformat() if due else None, due.title if due else None,
            due.days_overdue if due else None,
            figures.check_ins_held_counted, figures.check_ins_expected, figures.reviews_held, figures.reviews_due,
            _acknowledgement(figures), figures.escalations_due, len(figures.escalations_overdue),
            units.whole_percent(figures.rate) if figures.rate is not None else None))
    return out.getvalue()


def plans_schema_text() -> str:
    return json.dumps(PLANS_SCHEMA, indent=2) + "\n"
