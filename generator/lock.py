"""Signed terms are locked: a plan acknowledged at a base revision keeps its terms, or records an amendment.

`playbook check --base REV` compares each plan with its version at REV. When that version was
acknowledged, a change to its timetable, criteria, milestones or consequences is an error at the
changed value (PB701), unless an amendment added since REV names that part of the plan and is
itself acknowledged. The log, the status, the outcome and the escalation record are history, not
terms: they change freely.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from .check import PlanFile, read_plan
from .config import Policy
from .findings import Finding
from .load import Document
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


def _amended(old: Plan, new: Plan) -> set[str]:
    """The parts of the plan that amendments added since `old`, each acknowledged, cover."""
    covered: set[str] = set()
    for amendment in new.amendments:
        if amendment in old.amendments or amendment.acknowledgement is None:
            continue
        covered.update(amendment.changes)
    return covered


def locked_findings(old: tuple[Plan, Document], new: PlanFile) -> list[Finding]:
    """PB701 for each changed signed term of `new` that no new acknowledged amendment covers."""
    old_plan, old_document = old
    signed_on = acknowledgement_signed(old_plan)
    if signed_on is None:
        return []
    covered = _amended(old_plan, new.plan)
    rule = REGISTRY["PB701"]
    findings = []
    for term in SIGNED_TERMS:
        if term in covered:
            continue
        before, after = old_document.data.get(term), new.document.data.get(term)
        if before == after:
            continue
        paths = list(_differences(before, after, (term,))) if after is not None else [(term,)]
        for path in dict.fromkeys(paths):
            line, col = new.document.where(path)
            findings.append(Finding(new.path, line, col, rule.code, rule.severity,
                                    f"`{term}` was acknowledged on {signed_on} and has changed since the base "
                                    f"revision: add an amendment with `changes: [{term}]` and its own acknowledgement"))
    return findings


def findings_against(rev: str, plans_dir: Path, plan_files: list[PlanFile], policy: Policy) -> list[Finding]:
    """PB701 for every plan of `plan_files` whose version at `rev` was acknowledged and whose terms changed.

    Raises GitError for a folder outside a repository or a revision that does not exist.
    """
    from .gitrepo import GitError, plan_files_at, repo_root

    root = repo_root(plans_dir)
    if root is None:
        raise GitError(f"{plans_dir}: not in a git repository, so there is no revision to compare with")
    folder = plans_dir.resolve().relative_to(root.resolve()).as_posix()
    before: dict[str, tuple[Plan, Document]] = {}
    for path, raw in plan_files_at(root, rev, folder).items():
        read = read_plan(raw, path, policy)
        if read.plan is None:
            continue  # a version that cannot be read locks nothing now
        before[read.plan.id] = (read.plan, read.document)
    findings = []
    for plan_file in plan_files:
        if plan_file.plan.id in before:
            findings += locked_findings(before[plan_file.plan.id], plan_file)
    return findings
