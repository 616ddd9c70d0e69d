"""`playbook new`: a plan skeleton with its dates computed from the policy.

Review dates fall every `review_every_days` from the start, the last one on the plan's end; there
is a milestone per review; check-in weekdays come from the policy. Reviews (and so milestones) are
put on working days (`generator.workdays`): a review due on a weekend or a public holiday moves to
the next working day, or, where that would pass the plan's last day, to the nearest earlier one.
Each keeps the title of the day it was due ("60-day review"). What only the manager can know
is left as a `TODO` placeholder, which `playbook check` refuses (PB116) until it is filled in.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from .config import Policy, UsageError
from .findings import visible
from .load import LoadError, load_file, outside
from .model import SLUG_PATTERN
from .schema import REPOSITORY_SCHEMA, write_repository_schema
from .workdays import WorkingCalendar

_SLUG = re.compile(SLUG_PATTERN)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80]


def review_dates(start: date, days: int, every: int) -> list[date]:
    """Every `every` days from the start, and always the last day."""
    offsets = list(range(every, days, every)) + [days]
    return [start + timedelta(days=offset) for offset in offsets]


def working_reviews(start: date, days: int, every: int, calendar: WorkingCalendar) -> list[tuple[date, int]]:
    """Each review's working day and the offset it was due at, in order; two that land on one day are one."""
    last = start + timedelta(days=days)
    moved: dict[date, int] = {}
    for due in review_dates(start, days, every):
        moved.setdefault(calendar.working_day(due, last), (due - start).days)
    return sorted(moved.items())


def _known_names(plans_dir: Path, policy: Policy, root: Path | None) -> dict[str, str]:
    """Names of managers and HR partners already in the plans, by id, to fill them in: read from
    the files `playbook check` reads, as it reads them (no FIFO, no link out of the project)."""
    from .check import discover

    names: dict[str, str] = {}
    if not plans_dir.is_dir():
        return names
    for path in discover([plans_dir]):
        try:
            data = load_file(path, max_bytes=policy.max_file_bytes, root=root).data
        except (LoadError, OSError):
            continue
        for role in ("manager", "hr_partner"):
            ref = data.get(role)
            if isinstance(ref, dict) and isinstance(ref.get("id"), str) and isinstance(ref.get("name"), str):
                names.setdefault(ref["id"], ref["name"])
    return names


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def render_skeleton(*, kind: str, person_name: str, person_id: str, team: str, role: str | None,
                    manager: tuple[str, str | None], hr_partner: tuple[str, str | None] | None,
                    start: date, policy: Policy, schema_ref: str) -> str:
    defaults = policy.new[kind]
    scheduled = working_reviews(start, defaults.days, defaults.review_every_days, policy.calendar)
    reviews = [day for day, _ in scheduled]
    final = reviews[-1]
    weekdays = ", ".join(defaults.check_in_weekdays)
    todo = lambda what: _quote(f"TODO {what}")  # noqa: E731
    name_or_todo = lambda name, who: _quote(name) if name else todo(f"{who}'s full name")  # noqa: E731

    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# A new {kind} plan: replace every TODO, then run `playbook check` on this file.",
        f"kind: {kind}",
        "status: draft",
        "person:",
        f"  name: {_quote(person_name)}",
        f"  id: {person_id}",
        f"  role: {_quote(role) if role else todo('role, e.g. Account Executive')}",
        f"  team: {team}",
        "manager:",
        f"  name: {name_or_todo(manager[1], 'manager')}",
        f"  id: {manager[0]}",
    ]
    if hr_partner:
        lines += ["hr_partner:", f"  name: {name_or_todo(hr_partner[1], 'HR partner')}", f"  id: {hr_partner[0]}"]
    elif kind == "pip":
        lines += ["hr_partner:", f"  name: {todo('HR partner full name')}", "  id: TODO-hr-partner-id"]
    if kind == "pip":
        lines.append(f"direct_reason: {todo('why no coaching plan came first; or write follows: <its id>')}")
    if kind in ("coaching", "pip"):
        lines += [
            "diagnosis:",
            "  cause: TODO will, skill or market",
            f"  summary: {todo('one sentence: what the numbers show')}",
            "  evidence:",
            f"    - {todo('a metric against the team, e.g. 18% conversion; team median 35%')}",
        ]
    lines += [
        "timetable:",
        f"  start: {start}",
        f"  days: {defaults.days}",
        "  check_ins:",
        f"    weekdays: [{weekdays}]",
    ]
    if defaults.check_in_every_weeks != 1:
        lines.append(f"    every_weeks: {defaults.check_in_every_weeks}")
    lines.append("  reviews:")
    for index, (day, offset) in enumerate(scheduled):
        title = "Final review" if index == len(scheduled) - 1 else f"{offset}-day review"
        lines += [f"    - date: {day}", f"      title: {title}"]
    lines += ["criteria:"] + _criterion("TODO-metric-id", kind, todo)
    if kind == "pip":
        lines += [
            "    trigger:",
            f"      below: {todo('number: the line that must not be crossed')}",
            f"      by: {reviews[0]}",
            "      then: written-warning",
        ]
        # A PIP that can end employment says when a final warning would be given (PB505).
        lines += _criterion("TODO-second-metric-id", kind, todo, "Discovery-to-demo conversion") + [
            "    trigger:",
            f"      below: {todo('number: the line that must not be crossed at the final review')}",
            f"      by: {final}",
            "      then: final-warning",
        ]
    lines += [
        "actions:",
        f"  - step: {todo('an improvement step the person takes')}",
        "    owner: person",
        "    cadence: weekly",
        f"  - step: {todo('the support the manager gives')}",
        "    owner: manager",
        "    cadence: weekly",
        "milestones:",
    ]
    for day in reviews:
        lines += [
            f"  - date: {day}",
            f"    title: {todo('what is true by this date')}",
            f"    targets: {{TODO-metric-id: {todo('number')}"
            + (f", TODO-second-metric-id: {todo('number')}" if kind == "pip" else "") + "}",
        ]
    if kind == "pip":
        lines += [
            "consequences: >-",
            "  If the objectives are not met by the final review, further action may follow, up to and",
            "  including termination of employment.",
        ]
    return "\n".join(lines) + "\n"


def _criterion(criterion_id: str, kind: str, todo, example: str = "Qualified first meetings per week") -> list[str]:
    """One criterion of the skeleton, with how it is measured; a growth plan's starts its history."""
    lines = [
        f"  - id: {criterion_id}",
        f"    metric: {todo(f'what is measured, e.g. {example}')}",
        f"    unit: {todo('unit, e.g. meetings')}",
        f"    baseline: {todo('number: where the person is now')}",
        f"    target: {todo('number: where they must get to')}",
        "    measure:",
        f"      source: {todo('where the number is read, e.g. CRM activity report')}",
        f"      period: {todo('what one value covers, e.g. each calendar week')}",
        f"      counted: {todo('what counts and what does not')}",
    ]
    if kind == "growth":
        lines += ["    history:", f"      - {{period: {todo('period, e.g. 2026-Q3')}, value: {todo('number')}}}"]
    return lines


def write_new_plan(*, kind: str, person_name: str, person_id: str | None, team: str, manager_id: str,
                   hr_partner_id: str | None, role: str | None, start: date, plans_dir: Path, policy: Policy,
                   output: Path | None, root: Path | None = None) -> tuple[Path, list[str]]:
    """Write the skeleton; returns its path and notes for the user. The plan's `$schema` line points at the
    repository's own copy of the schema (`root`/.playbook/plan.schema.json), which is written if missing."""
    person_id = person_id or slugify(person_name)
    for label, value in (("--person-id", person_id), ("--team", team), ("--manager", manager_id),
                         ("--hr-partner", hr_partner_id)):
        if value is not None and not _SLUG.fullmatch(value):
            raise UsageError(f"{label}: `{visible(value)}` is not a slug (lowercase letters, digits and dashes)")
    if not person_name.strip():
        raise UsageError("--person: the name is empty")
    target = output or plans_dir / team / f"{person_id}-{kind}-{start:%Y-%m}.yaml"
    if os.path.lexists(target):
        raise UsageError(f"{visible(str(target))}: already exists; nothing was written")
    folder = next((parent for parent in (target.parent, *target.parent.parents) if parent.exists()), None)
    if folder is not None and outside(folder, root):
        raise UsageError(f"{visible(str(target.parent))}: a link out of the project; nothing was written")
    names = _known_names(plans_dir, policy, root)
    notes = []
    schema_file = (root or Path(".")) / REPOSITORY_SCHEMA
    if os.path.lexists(schema_file.parent) and outside(schema_file.parent, root):
        raise UsageError(f"{visible(str(schema_file.parent))}: a link out of the project; nothing was written")
    if not schema_file.is_file():
        try:
            write_repository_schema(root or Path("."))
        except OSError as exc:
            raise UsageError(f"{schema_file}: cannot write: {exc.strerror or exc}") from None
        notes.append(f"wrote {schema_file}, the plan schema editors read (commit it with the plan)")
    schema_ref = Path(os.path.relpath(schema_file.resolve(), target.parent.resolve())).as_posix()
    text = render_skeleton(
        kind=kind, person_name=person_name, person_id=person_id, team=team, role=role,
        manager=(manager_id, names.get(manager_id)),
        hr_partner=(hr_partner_id, names.get(hr_partner_id)) if hr_partner_id else None,
        start=start, policy=policy, schema_ref=schema_ref,
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return target, notes
