"""PB3xx: criteria, triggers and milestones: specific metrics, measured, with defined consequences."""

from __future__ import annotations

from ..model import Plan
from ..timeline import short_of_target
from ..units import measure
from . import Context, input_rule, plan_rule

input_rule("PB300", "trigger-line", "A trigger names both or neither of `below` and `above`", """
    A trigger is one line the metric must not cross: `below: 24` or `above: 10`. With both or
    neither, nobody can say whether it fired.

    **Fix:** keep exactly one of `below` and `above`.
""")


@plan_rule("PB301", "unknown-criterion", "A milestone target names no criterion")
def unknown_criterion(plan: Plan, context: Context):
    """A milestone's targets are keyed by criterion id. A key that matches no criterion is a typo,
    and the milestone then measures nothing.

    **Fix:** use one of the ids listed under `criteria`."""
    known = {criterion.id for criterion in plan.criteria}
    for index, milestone in enumerate(plan.milestones):
        for name in milestone.targets:
            if name not in known:
                yield ("milestones", index, "targets", name), (
                    f"milestone target `{name}` names no criterion (criteria: {', '.join(sorted(known))})"
                )


@plan_rule("PB302", "criterion-unmeasured", "A PIP criterion that no milestone measures")
def criterion_unmeasured(plan: Plan, context: Context):
    """Every objective of a formal plan needs checkpoints, so that the person knows on the way
    whether they are on track, not only at the end.

    **Fix:** give the criterion a target in at least one milestone."""
    if plan.kind != "pip":
        return
    measured = {name for milestone in plan.milestones for name in milestone.targets}
    for index, criterion in enumerate(plan.criteria):
        if criterion.id not in measured:
            yield ("criteria", index, "id"), f"criterion `{criterion.id}` is measured by no milestone"


@plan_rule("PB303", "criterion-without-trigger", "A PIP criterion has no trigger")
def criterion_without_trigger(plan: Plan, context: Context):
    """Clear criteria mean specific metrics that trigger specific actions. On a PIP, each
    criterion says what happens if it is missed, so that the next step is never a surprise.

    **Fix:** add `trigger: {below: N, by: <review date>, then: written-warning}` (or `above:`)."""
    if plan.kind != "pip":
        return
    for index, criterion in enumerate(plan.criteria):
        if criterion.trigger is None:
            yield ("criteria", index), f"criterion `{criterion.id}` has no trigger (a pip says what follows a miss)"


@plan_rule("PB304", "trigger-not-on-review", "A trigger's `by` date is not a review date")
def trigger_not_on_review(plan: Plan, context: Context):
    """A trigger is judged at a review, where both people look at the numbers together. A `by`
    date that is no review means the decision would be taken outside any meeting.

    **Fix:** set `by` to one of the review dates, or add a review on that date."""
    reviews = set(plan.timetable.review_dates)
    for index, criterion in enumerate(plan.criteria):
        trigger = criterion.trigger
        if trigger is not None and trigger.by not in reviews:
            dates = ", ".join(str(day) for day in sorted(reviews))
            yield ("criteria", index, "trigger", "by"), (
                f"trigger date {trigger.by} is not a review date (reviews: {dates})"
            )


@plan_rule("PB305", "duplicate-criterion", "Two criteria share an id")
def duplicate_criterion(plan: Plan, context: Context):
    """Milestones and log results refer to criteria by id; two criteria with one id make every
    such reference ambiguous.

    **Fix:** give each criterion its own id."""
    seen: set[str] = set()
    for index, criterion in enumerate(plan.criteria):
        if criterion.id in seen:
            yield ("criteria", index, "id"), f"criterion id `{criterion.id}` is used twice"
        seen.add(criterion.id)


@plan_rule("PB306", "unknown-result", "A logged result names no criterion")
def unknown_result(plan: Plan, context: Context):
    """Results in the log feed the progress of each criterion. A key that matches no criterion is
    a typo, and the result would be lost from the charts.

    **Fix:** use one of the ids listed under `criteria`."""
    known = {criterion.id for criterion in plan.criteria}
    for index, entry in enumerate(plan.log):
        for name in entry.results:
            if name not in known:
                yield ("log", index, "results", name), f"logged result `{name}` names no criterion"


@plan_rule("PB307", "growth-without-history", "A growth plan's criterion has no history", severity="warning")
def growth_without_history(plan: Plan, context: Context):
    """A growth plan starts from where the rep is against their own trend and the team's. Without
    history, the baseline has no context and progress cannot be compared.

    **Fix:** add `history: [{period: 2026-Q3, value: 41, team: 27}, ...]`."""
    if plan.kind != "growth":
        return
    for index, criterion in enumerate(plan.criteria):
        if not criterion.history:
            yield ("criteria", index), f"criterion `{criterion.id}` has no history"


@plan_rule("PB308", "met-but-missed", "A plan recorded as met while a criterion's last result misses its target",
           severity="warning")
def met_but_missed(plan: Plan, context: Context):
    """`result: met` says every objective was reached. If a criterion's last logged result (on or
    before the outcome date) falls short of its target, the record contradicts itself, and the
    person, the manager and HR can each read a different story from it. Whether higher or lower is
    better comes from the criterion itself: a target below the baseline (a talk ratio from 60% to
    45%) is reached by going down.

    **Fix:** record `result: not-met` (the decision can still be `retained`), or log the result
    that met the target."""
    if plan.outcome is None or plan.outcome.result != "met":
        return
    for standing in short_of_target(plan, plan.outcome.date):
        criterion = standing.criterion
        yield ("outcome", "result"), (
            f"recorded as met, but `{criterion.id}` last measured {measure(standing.latest, criterion.unit)} on "
            f"{standing.latest_date}, short of its target of {measure(criterion.target, criterion.unit)}")
