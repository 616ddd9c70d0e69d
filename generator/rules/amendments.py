"""PB7xx: signed terms. What a person signed changes only by an amendment they acknowledge too."""

from __future__ import annotations

from ..model import Declined, Plan
from . import Context, base_rule, plan_rule
from .people import acknowledgements

base_rule("PB701", "signed-terms-changed", "A signed plan's terms changed without an acknowledged amendment", """
    Once both parties have acknowledged a plan, its timetable, criteria, milestones and
    consequences are what the employee agreed to be measured against. Changing them quietly, even
    to correct a typo, rewrites a document someone signed. `playbook check --base REV` compares
    each plan with its version at REV (in a pull request: the target branch) and reports each
    changed value of an acknowledged plan.

    A change to the log, the status, the outcome or the escalation record is history, not terms,
    and is never reported.

    **Fix:** undo the change, or record it as an amendment that names what changed and carries
    its own acknowledgement:

    ```yaml
    amendments:
      - date: 2026-12-10
        summary: Final review moved a week after two weeks of sick leave.
        changes: [timetable, milestones]
        acknowledgement:
          person: 2026-12-11
          manager: 2026-12-11
    ```
""")


@plan_rule("PB702", "amendment-unsigned", "An amendment is not acknowledged yet", severity="warning")
def amendment_unsigned(plan: Plan, context: Context):
    """An amendment changes terms someone signed; until they acknowledge it too, the change does
    not bind them, and `playbook check --base` still refuses the changed terms.

    **Fix:** have both parties acknowledge the amendment and record the dates under its
    `acknowledgement`."""
    for index, amendment in enumerate(plan.amendments):
        if amendment.acknowledgement is None and plan.status != "draft":
            yield ("amendments", index), f"the amendment of {amendment.date} is not acknowledged yet"


@plan_rule("PB703", "amendment-outside-window", "An amendment is dated outside the plan's window")
def amendment_outside_window(plan: Plan, context: Context):
    """An amendment changes a plan while it runs. One dated before the start or after the end
    belongs to another plan, or has a typo.

    **Fix:** correct the date."""
    for index, amendment in enumerate(plan.amendments):
        if not plan.timetable.start <= amendment.date <= plan.timetable.last_day:
            yield ("amendments", index, "date"), (
                f"the amendment date {amendment.date} is outside the plan ({plan.timetable.start} to "
                f"{plan.timetable.last_day})")


@plan_rule("PB704", "acknowledgement-before-its-terms", "An acknowledgement is dated before what it acknowledges")
def acknowledgement_before_its_terms(plan: Plan, context: Context):
    """A signature acknowledges something that exists: an amendment is signed on or after its own
    date, and a plan other than a PIP once it was opened (its conversation, or its start; a PIP's
    window is PB405's). A signature dated before (1900-01-01) is a typo, or an attempt to record an
    acknowledgement that was never given, and `playbook check --base` does not take such an
    amendment as covering a change to signed terms. (A signature dated after today is PB215's.)

    **Fix:** write the day each party really signed."""
    for path, acknowledgement, what, earliest in acknowledgements(plan):
        if earliest is None:
            continue
        person_path = path + (("person", "declined") if isinstance(acknowledgement.person, Declined) else ("person",))
        for where, day, who in ((person_path, acknowledgement.person_date, "person"),
                                (path + ("manager",), acknowledgement.manager, "manager")):
            if day < earliest:
                yield where, f"the {who}'s acknowledgement of {what} ({day}) is before {what} ({earliest})"
