"""PB6xx: rules across every plan in the repository."""

from __future__ import annotations

from collections import defaultdict

from ..timeline import RUNNING
from . import Context, repository_rule


def _clashes(plan_files, key):
    """(plan file, the others with the same key, the key) for every key shared by two plans or more."""
    groups = defaultdict(list)
    for plan_file in plan_files:
        value = key(plan_file)
        if value is not None:
            groups[value].append(plan_file)
    for value, group in groups.items():
        if len(group) > 1:
            for plan_file in group:
                others = ", ".join(other.path for other in group if other is not plan_file)
                yield plan_file, others, value


@repository_rule("PB601", "duplicate-id", "Two plans have the same id")
def duplicate_id(plan_files, context: Context):
    """A plan's id is its URL and its name in calendars and exports; two plans with one id would
    overwrite each other on the site. The id is the file name unless `id:` says otherwise.

    **Fix:** rename one of the files (or change its `id:`)."""
    for plan_file, others, plan_id in _clashes(plan_files, lambda plan_file: plan_file.plan.id):
        path = ("id",) if plan_file.id_given else ()
        yield plan_file, path, f"plan id `{plan_id}` is also used by {others}"


@repository_rule("PB602", "two-running-pips", "A person has two running PIPs")
def two_running_pips(plan_files, context: Context):
    """One person, one formal plan at a time: two running PIPs (active or extended) set competing
    objectives and dates, and neither can be met fairly.

    **Fix:** close one of them, or merge their objectives into one plan."""

    def running_pip_person(plan_file):
        plan = plan_file.plan
        return plan.person.id if plan.kind == "pip" and plan.status in RUNNING else None

    for plan_file, others, person_id in _clashes(plan_files, running_pip_person):
        yield plan_file, ("status",), f"`{person_id}` has another running pip: {others}"
