"""PB6xx: rules across every plan in the repository."""

from __future__ import annotations

import unicodedata
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


@repository_rule("PB603", "follows-unknown", "`follows` names no plan in the repository")
def follows_unknown(plan_files, context: Context):
    """`follows` links a plan to the one it grew out of (a PIP to the coaching plan before it), so
    that the plan document can recap the informal plan and the person's page can show the path.
    A link to a plan that does not exist is a typo, or points at a plan that was deleted.

    **Fix:** correct the id (the file name of the earlier plan, or its `id:`), or remove `follows`."""
    known = {plan_file.plan.id for plan_file in plan_files}
    for plan_file in plan_files:
        follows = plan_file.plan.follows
        if follows is not None and follows not in known:
            yield plan_file, ("follows",), f"`follows: {follows}` names no plan in the repository"


@repository_rule("PB604", "follows-circle", "`follows` links go round in a circle")
def follows_circle(plan_files, context: Context):
    """Plans follow one another in time: a plan cannot, through its chain of `follows`, follow
    itself.

    **Fix:** remove the `follows` that points back to a later plan."""
    following = {plan_file.plan.id: plan_file.plan.follows for plan_file in plan_files}
    for plan_file in plan_files:
        seen, current = {plan_file.plan.id}, following.get(plan_file.plan.id)
        chain = [plan_file.plan.id]
        while current is not None and current in following:
            chain.append(current)
            if current in seen:
                break
            seen.add(current)
            current = following[current]
        if len(chain) > 1 and chain[-1] == plan_file.plan.id:
            yield plan_file, ("follows",), f"`follows` goes round in a circle: {' -> '.join(chain)}"


@repository_rule("PB605", "follows-other-person", "`follows` names another person's plan")
def follows_other_person(plan_files, context: Context):
    """A plan grows out of the same person's earlier plan; linking another person's plan would put
    their history into this person's documents.

    **Fix:** correct the id."""
    by_id = {plan_file.plan.id: plan_file.plan for plan_file in plan_files}
    for plan_file in plan_files:
        earlier = by_id.get(plan_file.plan.follows) if plan_file.plan.follows else None
        if earlier is not None and earlier.person.id != plan_file.plan.person.id:
            yield plan_file, ("follows",), (
                f"`follows: {earlier.id}` is a plan of `{earlier.person.id}`, not of `{plan_file.plan.person.id}`")


_PEOPLE = ("person", "manager", "hr_partner")


def _same_name(name: str) -> str:
    """A name as two spellings of one person's name compare: case, spacing and Unicode forms aside."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


@repository_rule("PB606", "one-id-two-names", "One person id names two different people")
def one_id_two_names(plan_files, context: Context):
    """A person id is how every audience finds its plans: `person:casey-morgan` publishes the plans
    of `casey-morgan`, and the dashboard counts them. When two plans give the same id to two people with
    different names, a site made for one of them would show the other's plans. The id is the
    person, whether they are the employee, the manager or the HR partner of a plan.

    The earliest plan (by start date, then by file) gives the id its name; each later plan that
    names someone else under that id is reported at that id.

    **Fix:** give the second person their own id (`casey-morgan-2`), or correct the name if it is a
    typo."""
    first: dict[str, tuple[str, str]] = {}  # id -> (name, where it was first given)
    ordered = sorted(plan_files, key=lambda plan_file: (plan_file.plan.timetable.start, plan_file.path))
    for plan_file in ordered:
        for role in _PEOPLE:
            ref = getattr(plan_file.plan, role)
            if ref is None:
                continue
            named = first.setdefault(ref.id, (ref.name, plan_file.path))
            if _same_name(named[0]) != _same_name(ref.name):
                yield plan_file, (role, "id"), (
                    f"`{ref.id}` is {ref.name} here but {named[0]} in {named[1]}: one id names one person")
