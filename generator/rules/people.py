"""PB4xx: what each kind of plan owes the people in it: a diagnosis, an HR partner, stated
consequences, signatures in time, a recorded outcome, and ride-alongs that give real feedback."""

from __future__ import annotations

from datetime import timedelta

from ..model import Declined, Plan
from . import Context, plan_rule


@plan_rule("PB401", "pip-without-hr-partner", "A PIP names no HR partner")
def pip_without_hr_partner(plan: Plan, context: Context):
    """Performance is a shared job of HR and sales leadership. A formal plan has an HR partner
    who holds the process to the same standard in every team.

    **Fix:** add `hr_partner: {name: ..., id: ...}`."""
    if plan.kind == "pip" and plan.hr_partner is None:
        yield (), "a pip needs an `hr_partner`"


@plan_rule("PB402", "missing-diagnosis", "A coaching plan or PIP has no diagnosis")
def missing_diagnosis(plan: Plan, context: Context):
    """Diagnose before you act: a will problem needs focus, a skill problem coaching, a market
    problem communication. A plan without a diagnosis applies a response to an unknown cause.

    **Fix:** add `diagnosis: {cause: will | skill | market, summary: ..., evidence: [...]}`."""
    if plan.kind in ("coaching", "pip") and plan.diagnosis is None:
        yield (), f"a {plan.kind} plan needs a `diagnosis` (will, skill or market)"


@plan_rule("PB403", "pip-without-consequences", "A PIP does not state its consequences")
def pip_without_consequences(plan: Plan, context: Context):
    """Nobody is let go without having seen it coming: a PIP says in writing what follows if its
    objectives are not met.

    **Fix:** add `consequences:` with the agreed wording (see the written-warning template)."""
    if plan.kind == "pip" and plan.consequences is None:
        yield (), "a pip needs `consequences`: what follows if the objectives are not met"


@plan_rule("PB404", "pip-unsigned", "A PIP past draft has no acknowledgement")
def pip_unsigned(plan: Plan, context: Context):
    """A formal plan is in force only once both parties have acknowledged it (or the employee's
    refusal to sign was witnessed). A draft may be unsigned; an active plan may not.

    **Fix:** add `acknowledgement: {person: <date>, manager: <date>}`, or keep `status: draft`."""
    if plan.kind == "pip" and plan.status != "draft" and plan.acknowledgement is None:
        yield (), f"a {plan.status} pip needs an `acknowledgement` by the person and the manager"


@plan_rule("PB405", "acknowledgement-out-of-time", "A PIP was acknowledged before its conversation or too late")
def acknowledgement_out_of_time(plan: Plan, context: Context):
    """Signatures count only if given after the conversation that opened the plan (the
    `conversation` escalation step, or the start) and within `acknowledgement_days` (7 by
    default) of the start, while the plan is fresh for both people.

    **Fix:** correct the dates, or record when the conversation really happened."""
    if plan.kind != "pip" or plan.status == "draft" or plan.acknowledgement is None:
        return
    opened = plan.escalation_date("conversation") or plan.timetable.start
    opened_by = "the conversation" if plan.escalation_date("conversation") else "the start"
    latest = plan.timetable.start + timedelta(days=context.policy.acknowledgement_days)
    ack = plan.acknowledgement
    person_path = ("acknowledgement", "person") + (("declined",) if isinstance(ack.person, Declined) else ())
    signatures = ((person_path, ack.person_date, "person"), (("acknowledgement", "manager"), ack.manager, "manager"))
    for path, day, who in signatures:
        if day < opened:
            yield path, f"the {who}'s acknowledgement ({day}) is before {opened_by} ({opened})"
        elif day > latest:
            yield path, (
                f"the {who}'s acknowledgement ({day}) is more than {context.policy.acknowledgement_days} days "
                f"after the start ({plan.timetable.start})"
            )


@plan_rule("PB406", "market-pip", "A market diagnosis on an individual PIP", severity="warning")
def market_pip(plan: Plan, context: Context):
    """When the market shifts, every rep misses, not one. That calls for a team plan and clear
    communication from leadership, not an individual's PIP.

    **Fix:** revisit the diagnosis, or replace the PIP with a team plan."""
    if plan.kind == "pip" and plan.diagnosis is not None and plan.diagnosis.cause == "market":
        yield ("diagnosis", "cause"), "a market shift is a team plan, not an individual pip"


@plan_rule("PB407", "closed-without-outcome", "A closed plan records no outcome")
def closed_without_outcome(plan: Plan, context: Context):
    """A plan that ends without a recorded outcome leaves the person, the manager and HR each
    with their own version of how it went.

    **Fix:** add `outcome: {date, result: met | not-met | withdrawn, decision: retained | extended | separated}`."""
    if plan.status == "closed" and plan.outcome is None:
        yield ("status",), "a closed plan needs an `outcome`"


@plan_rule("PB408", "thin-ride-along", "A ride-along without three wins and three opportunities", severity="warning")
def thin_ride_along(plan: Plan, context: Context):
    """A ride-along ends with three specific wins to reinforce and three concrete opportunities to
    improve: enough to be useful, few enough to act on.

    **Fix:** log `wins:` and `opportunities:` with three items each."""
    for index, entry in enumerate(plan.log):
        if entry.kind != "ride-along":
            continue
        if len(entry.wins) < 3 or len(entry.opportunities) < 3:
            yield ("log", index), (
                f"ride-along on {entry.date} logs {len(entry.wins)} wins and "
                f"{len(entry.opportunities)} opportunities; three of each are expected"
            )


@plan_rule("PB409", "escalated-not-coaching", "Only a coaching plan closes as `escalated`")
def escalated_not_coaching(plan: Plan, context: Context):
    """`result: escalated` records that an informal coaching plan gave way to a formal PIP (which
    then `follows` it). A growth plan or a PIP that ends is met, not met or withdrawn.

    **Fix:** use `met`, `not-met` or `withdrawn`, or check the plan's `kind`."""
    if plan.outcome is not None and plan.outcome.result == "escalated" and plan.kind != "coaching":
        yield ("outcome", "result"), f"a {plan.kind} plan is not `escalated`: only a coaching plan gives way to a PIP"
