"""PB5xx: the documented escalation. Conversation, agreement email, written warning, final
warning, in that order, so that nobody is let go by surprise."""

from __future__ import annotations

from ..model import STAGES, Plan
from . import Context, plan_rule
from .phrases import Phrases

REQUIRED_BEFORE_SEPARATION = ("conversation", "written-warning", "final-warning")


@plan_rule("PB501", "escalation-out-of-order", "Escalation stages are out of order")
def escalation_out_of_order(plan: Plan, context: Context):
    """The escalation runs conversation, agreement-email, written-warning, final-warning. A stage
    may be skipped, but never repeated or listed before one that comes earlier, or the record no
    longer shows what the person was told first.

    **Fix:** list the steps in the order they happened, one entry per stage."""
    for index in range(1, len(plan.escalation)):
        before, this = plan.escalation[index - 1].stage, plan.escalation[index].stage
        if STAGES.index(this) <= STAGES.index(before):
            yield ("escalation", index, "stage"), f"escalation stage `{this}` comes after `{before}`; the order is {' -> '.join(STAGES)}"


@plan_rule("PB502", "escalation-dates-backwards", "Escalation dates go backwards")
def escalation_dates_backwards(plan: Plan, context: Context):
    """Each escalation step follows the one before it. A date earlier than the previous step's is a
    typo that would make the documented process look out of order to anyone who audits it.

    **Fix:** correct the date."""
    for index in range(1, len(plan.escalation)):
        before, this = plan.escalation[index - 1], plan.escalation[index]
        if this.date < before.date:
            yield ("escalation", index, "date"), f"escalation date {this.date} is before the previous step ({before.stage}, {before.date})"


@plan_rule("PB503", "separation-undocumented", "A separation without a conversation, written and final warning")
def separation_undocumented(plan: Plan, context: Context):
    """Nobody is let go by surprise. A separation needs the whole documented
    escalation on record: the conversation, the written warning and the final warning.

    **Fix:** record the missing steps with their dates, or revisit the decision with HR."""
    if plan.outcome is None or plan.outcome.decision != "separated":
        return
    held = {step.stage for step in plan.escalation}
    missing = [stage for stage in REQUIRED_BEFORE_SEPARATION if stage not in held]
    if missing:
        yield ("outcome", "decision"), f"a separation needs a recorded {', '.join(missing)} in `escalation`"


@plan_rule("PB504", "separation-early", "A separation before the plan ran its full timetable")
def separation_early(plan: Plan, context: Context):
    """A plan promises a fixed time to improve. Ending it early with a separation breaks that
    promise: the person did not get the time they were told they had.

    **Fix:** date the outcome on or after the plan's end, or record a different decision."""
    if plan.outcome is None or plan.outcome.decision != "separated":
        return
    if plan.outcome.date < plan.timetable.last_day:
        yield ("outcome", "date"), (
            f"separation on {plan.outcome.date}, before the plan ran its full timetable (ends {plan.timetable.last_day})"
        )


# How a plan's consequences say that employment may end. Phrases are whole words (see `phrases.py`).
ENDS_EMPLOYMENT = Phrases([
    "termination", "terminate", "terminated", "dismissal", "dismiss", "dismissed", "separation",
    "separated", "end of employment", "end of your employment", "end of his employment", "end of her employment",
    "end of their employment", "end your employment", "end his employment", "end her employment",
    "end their employment", "ending employment", "employment ends", "employment will end", "let go",
])


@plan_rule("PB505", "termination-without-final-warning",
           "A PIP's consequences can end employment, but no trigger leads to a final warning",
           severity_note="a warning on a plan already signed")
def termination_without_final_warning(plan: Plan, context: Context):
    """Nobody is let go by surprise, and a separation needs a written and a final
    warning on record (PB503). A PIP whose consequences say it may end in termination, dismissal or
    separation must therefore say when a final warning would be given: at least one criterion's
    trigger leads to `final-warning`. Otherwise the plan threatens an outcome that its own terms
    can never reach fairly.

    An error on a draft or an unsigned plan. On a plan both people have signed, the terms change
    only through an acknowledged amendment (PB701), so the finding is a warning: it should not stop
    every build while the amendment is agreed, but HR should see it.

    **Fix:** give a criterion `trigger: {below: N, by: <final review>, then: final-warning}`, or
    reword `consequences:` if the plan cannot end employment. On a signed plan, record the change
    as an amendment (`changes: [criteria]`) that both people acknowledge."""
    if plan.kind != "pip" or plan.consequences is None or not ENDS_EMPLOYMENT.found_in(plan.consequences):
        return
    if not any(criterion.trigger and criterion.trigger.then == "final-warning" for criterion in plan.criteria):
        signed = plan.status != "draft" and plan.acknowledgement is not None
        yield ("consequences",), ("the consequences can end employment, but no criterion's trigger leads to a "
                                  "`final-warning`"), "warning" if signed else "error"
