"""Signed terms are locked: a plan acknowledged at a base revision keeps its terms, or records an amendment.

`playbook check --base REV` compares each plan with its version at REV. When that version was
acknowledged, a change to its timetable, criteria, milestones or consequences is an error at the
changed value (PB701), unless an amendment added since REV names that part of the plan and is
itself acknowledged, by both parties, on or after its own date and not after today. An amendment that was acknowledged at REV is signed terms too: changing or
removing it is an error at the amendment. The log, the status, the outcome and the escalation
record are history, not terms: they change freely.

A plan is compared with every version at REV that is the same plan: the one with its id, the one
at its path, and the one git sees renamed to its path. Giving a plan a new `id:`, or moving its
file, does not unlock it. The versions at REV are read as `playbook check` reads plans (the same
size bound and model); a version that did not read then locks nothing now.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from datetime import date

from .check import PlanFile, PlanRead, read_plan
from .config import Policy
from .findings import Finding
from .model import SIGNED_TERMS, Plan
from .rules import REGISTRY
from .timeline import acknowledgement_signed


def _differences(old: Any, new: Any, path: tuple) -> Iterator[tuple]:
    """Paths (into `new`) where `new` differs from `old`; a value removed is reported at its container."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in new.items():
            if key not in old:
                yield path + (key,)
            else:
                yield from _differences(old[key], value, path + (key,))
        if any(key not in new for key in old):
            yield path
    elif isinstance(old, list) and isinstance(new, list):
        for index, value in enumerate(new):
            if index >= len(old):
                yield path + (index,)
            else:
                yield from _differences(old[index], value, path + (index,))
        if len(old) > len(new):
            yield path
    elif old != new:
        yield path


def _signed_amendments(old: Plan) -> set[int]:
    """The indexes of the amendments that were acknowledged at the base: terms, like the plan's own."""
    return {index for index, amendment in enumerate(old.amendments) if amendment.acknowledgement is not None}


def _amended(old: Plan, new: Plan, today: date) -> set[str]:
    """The parts of the plan that amendments acknowledged since `old` cover. An amendment already
    acknowledged at the base covers nothing new, however it was rewritten since, and one "signed"
    before its own date or after today covers nothing at all (PB704, PB215 say why)."""
    signed = _signed_amendments(old)
    covered: set[str] = set()
    for index, amendment in enumerate(new.amendments):
        ack = amendment.acknowledgement
        if index in signed or ack is None or not amendment.date <= min(ack.person_date, ack.manager):
            continue
        if max(ack.person_date, ack.manager) > today:
            continue
        covered.update(amendment.changes)
    return covered


def locked_findings(old: PlanRead, new: PlanFile, today: date) -> list[Finding]:
    """PB701 for each changed signed term of `new`, and each changed amendment acknowledged in `old`,
    that no amendment acknowledged since covers."""
    signed_on = acknowledgement_signed(old.plan)
    if signed_on is None:
        return []
    rule = REGISTRY["PB701"]
    found: dict[tuple, str] = {}
    covered = _amended(old.plan, new.plan, today)
    document = new.document()
    for term in SIGNED_TERMS:
        if term in covered:
            continue
        before, after = old.document.data.get(term), document.data.get(term)
        if before == after:
            continue
        paths = list(_differences(before, after, (term,))) if after is not None else [(term,)]
        for path in paths:
            found.setdefault(path, f"`{term}` was acknowledged on {signed_on} and has changed since the base revision: "
                                   f"add an amendment with `changes: [{term}]` and its own acknowledgement")
    before_amendments = old.document.data.get("amendments") or []
    after_amendments = document.data.get("amendments")
    after_amendments = after_amendments if isinstance(after_amendments, list) else []
    for index in sorted(_signed_amendments(old.plan)):
        amendment = old.plan.amendments[index]
        message = (f"the amendment of {amendment.date} was acknowledged at the base revision and is signed terms "
                   "too: leave it as it was, and record a further change as a new amendment")
        if index >= len(after_amendments):
            found.setdefault(("amendments",), message)
            continue
        for path in _differences(before_amendments[index], after_amendments[index], ("amendments", index)):
            found.setdefault(path, message)
    findings = []
    for path, message in found.items():
        line, col = document.where(path)
        findings.append(Finding(new.path, line, col, rule.code, rule.severity, message))
    return findings


def findings_against(rev: str, plans_dir: Path, plan_files: list[PlanFile], policy: Policy,
                     today: date) -> list[Finding]:
    """PB701 for every plan of `plan_files` whose version at `rev` was acknowledged and whose terms changed.

    Raises GitError for a folder outside a repository or a revision that does not exist.
    """
    from .gitrepo import GitError, plan_files_at, renames, repo_root

    root = repo_root(plans_dir)
    if root is None:
        raise GitError(f"{plans_dir}: not in a git repository, so there is no revision to compare with")
    top = root.resolve()
    folder = plans_dir.resolve().relative_to(top).as_posix()
    by_id: dict[str, list[str]] = {}  # plan id -> the paths of its versions at `rev`
    versions: dict[str, tuple[PlanRead, bytes]] = {}  # path at `rev` -> that version, and its bytes
    for path, raw in plan_files_at(root, rev, folder, policy.max_file_bytes).items():
        old = read_plan(raw, path, policy)
        if old.plan is None:
            continue  # a version that cannot be read locks nothing now
        by_id.setdefault(old.plan.id, []).append(path)
        versions[path] = old, raw
    moved = {new: old for old, new in renames(root, rev, None, folder).items()}
    findings: set[Finding] = set()
    for plan_file in plan_files:
        here = _in_repository(plan_file.path, top)
        paths = by_id.get(plan_file.plan.id, []) + [path for path in (here, moved.get(here)) if path in versions]
        for path in dict.fromkeys(paths):
            old, raw = versions[path]
            if raw != plan_file.raw:  # the same bytes hold the same terms
                findings.update(locked_findings(old, plan_file, today))
    return sorted(findings)


def _in_repository(shown: str, top: Path) -> str | None:
    """A plan's path as git names it (relative to the repository, posix), or None outside it."""
    absolute = Path(os.path.abspath(shown))
    try:
        return absolute.relative_to(top).as_posix()
    except ValueError:
        try:
            return absolute.resolve().relative_to(top).as_posix()
        except ValueError:
            return None
