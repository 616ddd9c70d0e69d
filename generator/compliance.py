"""Compliance with the process, as a metric: per manager, per HR partner, and for the organisation.

Every figure is read from the plans' timelines (generator.timeline); nothing here looks at a date
on its own. Only the plans a build selected are counted.

**The compliance rate** of a manager or HR partner is the share of obligations met so far, over
their running plans (active or extended):

    (check-ins held + reviews held + acknowledgements on time + escalations recorded)
    / (check-ins expected + reviews due + acknowledgements due + escalations called for)

A check-in or review that falls today is not yet owed. Someone with nothing owed yet has no rate.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from .audience import SelectedPlan
from .timeline import RUNNING, EscalationDue, health


@dataclass(frozen=True)
class Overdue:
    plan_id: str
    person: str
    stage: str
    since: date
    days: int


@dataclass
class Row:
    """One manager's or HR partner's plans, and how closely the process was followed in them."""

    role: str  # "manager" or "HR partner"
    id: str
    name: str
    kinds: Counter = field(default_factory=Counter)  # (kind, status) -> plans
    health: Counter = field(default_factory=Counter)
    check_ins_held: int = 0
    check_ins_expected: int = 0
    reviews_held: int = 0
    reviews_due: int = 0
    acknowledgements_due: int = 0
    acknowledgements_missing: int = 0  # past their deadline, not signed
    acknowledgements_late: int = 0  # signed after the deadline
    escalations_due: int = 0
    escalations_overdue: list[Overdue] = field(default_factory=list)
    past_end: int = 0

    @property
    def owed(self) -> int:
        return self.check_ins_expected + self.reviews_due + self.acknowledgements_due + self.escalations_due

    @property
    def met(self) -> int:
        on_time = self.acknowledgements_due - self.acknowledgements_missing - self.acknowledgements_late
        recorded = self.escalations_due - len(self.escalations_overdue)
        return self.check_ins_held_counted + self.reviews_held + on_time + recorded

    @property
    def check_ins_held_counted(self) -> int:
        return min(self.check_ins_held, self.check_ins_expected)  # extra check-ins do not make up for reviews

    @property
    def rate(self) -> float | None:
        return self.met / self.owed if self.owed else None

    def add(self, chosen: SelectedPlan) -> None:
        plan, timeline = chosen.plan, chosen.timeline
        self.kinds[(plan.kind, plan.status)] += 1
        self.health[health(timeline)] += 1
        if plan.status not in RUNNING:
            return
        self.check_ins_held += timeline.check_ins_held
        self.check_ins_expected += timeline.check_ins_expected
        owed = [r for r in timeline.reviews if r.date < timeline.today or r.held_on is not None]
        self.reviews_due += len(owed)
        self.reviews_held += sum(1 for r in owed if r.held_on is not None)
        for item in timeline.of_kind("acknowledgement"):
            if item.date < timeline.today or item.state == "done":
                self.acknowledgements_due += 1
                if item.state == "missed":
                    self.acknowledgements_missing += 1
                elif item.done_on is not None and item.done_on > item.date:
                    self.acknowledgements_late += 1
        for due in timeline.escalations:
            self.escalations_due += 1
            if due.recorded_on is None:
                self.escalations_overdue.append(
                    Overdue(plan.id, plan.person.name, due.stage, due.since, due.days_overdue(timeline.today)))
        self.past_end += any(item.state == "missed" for item in timeline.of_kind("end"))


@dataclass(frozen=True)
class Organisation:
    people: int
    on_growth_plan: int
    on_pip: int
    pips_closed: int
    pips_met: int
    days_to_escalation: list[int]
    without_growth_plan: list[str]  # ids from the roster

    @property
    def growth_share(self) -> float | None:
        return self.on_growth_plan / self.people if self.people else None

    @property
    def pip_rate(self) -> float | None:
        return self.on_pip / self.people if self.people else None

    @property
    def pip_success(self) -> float | None:
        return self.pips_met / self.pips_closed if self.pips_closed else None

    @property
    def median_days_to_escalation(self) -> float | None:
        return statistics.median(self.days_to_escalation) if self.days_to_escalation else None


@dataclass(frozen=True)
class Compliance:
    managers: list[Row]
    hr_partners: list[Row]
    organisation: Organisation


def _worst_first(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (row.rate is None, row.rate if row.rate is not None else 0, row.name, row.id))


def _recorded_delay(due: EscalationDue) -> int | None:
    return (due.recorded_on - due.since).days if due.recorded_on is not None else None


def compliance(selected: list[SelectedPlan], roster_members: Iterable[str] = ()) -> Compliance:
    """The dashboard's figures for these plans; `roster_members` are everyone who should have a growth plan."""
    managers: dict[str, Row] = {}
    partners: dict[str, Row] = {}
    for chosen in selected:
        plan = chosen.plan
        managers.setdefault(plan.manager.id, Row("manager", plan.manager.id, plan.manager.name)).add(chosen)
        if plan.hr_partner is not None:
            partners.setdefault(plan.hr_partner.id, Row("HR partner", plan.hr_partner.id, plan.hr_partner.name)).add(chosen)

    running = [chosen for chosen in selected if chosen.plan.status in RUNNING]
    people = {chosen.plan.person.id for chosen in selected} | set(roster_members)
    growth = {c.plan.person.id for c in running if c.plan.kind == "growth"}
    closed_pips = [c.plan for c in selected if c.plan.kind == "pip" and c.plan.status == "closed" and c.plan.outcome]
    delays = [delay for chosen in selected for due in chosen.timeline.escalations
              if (delay := _recorded_delay(due)) is not None]
    organisation = Organisation(
        people=len(people),
        on_growth_plan=len(growth),
        on_pip=len({c.plan.person.id for c in running if c.plan.kind == "pip"}),
        pips_closed=len(closed_pips),
        pips_met=sum(1 for plan in closed_pips if plan.outcome.result == "met"),
        days_to_escalation=sorted(delays),
        without_growth_plan=sorted(set(roster_members) - growth),
    )
    return Compliance(_worst_first(managers.values()), _worst_first(partners.values()), organisation)


__all__ = ["Compliance", "Organisation", "Row", "compliance"]
