"""Progress from logged results: where each criterion stands, and whether each milestone was met.

Results come from `log[].results`; a criterion's latest result is the last one logged on or
before the day asked about. "Better" is towards the target, whichever way that lies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..model import Criterion, Milestone, PlanBody as Plan


@dataclass(frozen=True)
class CriterionProgress:
    criterion: Criterion
    latest: float | None  # the last logged result, if any
    latest_date: date | None
    share: float  # 0..1 of the way from baseline to target (clamped)

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def met(self) -> bool:
        """The latest result is at or beyond the target."""
        return self.latest is not None and reaches(self.criterion, self.latest, self.criterion.target)

    @property
    def crossed(self) -> bool:
        """The latest result is on the wrong side of the trigger line."""
        trigger = self.criterion.trigger
        if trigger is None or self.latest is None:
            return False
        return self.latest < trigger.below if trigger.below is not None else self.latest > trigger.above


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    state: Literal["upcoming", "met", "missed", "no-result"]
    results: dict[str, float]  # criterion id -> the result it was judged on


def latest_result(plan: Plan, criterion_id: str, on_or_before: date) -> tuple[float, date] | None:
    found = None
    for entry in plan.log:
        if entry.date <= on_or_before and criterion_id in entry.results:
            if found is None or entry.date >= found[1]:
                found = (entry.results[criterion_id], entry.date)
    return found


def reaches(criterion: Criterion, value: float, target: float) -> bool:
    """Whether `value` is at or beyond `target`, in the criterion's direction of improvement."""
    return value >= target if criterion.target >= criterion.baseline else value <= target


def criterion_progress(plan: Plan, today: date) -> list[CriterionProgress]:
    rows = []
    for criterion in plan.criteria:
        found = latest_result(plan, criterion.id, today)
        share = 0.0
        if found is not None:
            span = criterion.target - criterion.baseline
            if span == 0:
                share = 1.0 if reaches(criterion, found[0], criterion.target) else 0.0
            else:
                share = min(1.0, max(0.0, (found[0] - criterion.baseline) / span))
        rows.append(CriterionProgress(criterion, found[0] if found else None, found[1] if found else None, share))
    return rows


def milestone_statuses(plan: Plan, today: date) -> list[MilestoneStatus]:
    statuses = []
    for milestone in plan.milestones:
        if milestone.date > today:
            statuses.append(MilestoneStatus(milestone, "upcoming", {}))
            continue
        results: dict[str, float] = {}
        state = "met"
        for criterion_id, target in milestone.targets.items():
            criterion = plan.criterion(criterion_id)
            found = latest_result(plan, criterion_id, milestone.date)
            if criterion is None or found is None:
                state = "no-result" if state == "met" else state
                continue
            results[criterion_id] = found[0]
            if not reaches(criterion, found[0], target):
                state = "missed"
        statuses.append(MilestoneStatus(milestone, state, results))
    return statuses
