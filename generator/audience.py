"""Audiences: which plans one build may show, and the record type that every output sees.

A build is made for one audience, chosen once before anything renders:

| audience         | who it is for                  | plans in the build                       |
| ---------------- | ------------------------------ | ---------------------------------------- |
| `all`            | HR (the default)               | every plan, drafts included              |
| `manager:<id>`   | one manager                    | the plans they run, drafts included      |
| `team:<team>`    | one team                       | the team's plans, no drafts              |
| `person:<id>`    | one employee                   | their own plans, no drafts               |
| `playbook`       | everyone (the training site)   | none: templates are filled from samples  |

Whatever the audience, a closed plan leaves every build `retention_days` after its outcome date.
Selection turns each `Plan` into a `PublicPlan`, the type without `private`, so that no page,
index, search entry, calendar or export can reach private text: the field does not exist there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Callable, Iterable, Literal

from .model import SLUG_PATTERN, Plan, PublicPlan
from .timeline import Timeline

AudienceKind = Literal["all", "manager", "team", "person", "playbook"]
_SCOPED = ("manager", "team", "person")
_SLUG = re.compile(SLUG_PATTERN.removeprefix("^").removesuffix("$"))

# What the home page says about each kind of build.
_DESCRIPTIONS = {
    "all": "the HR view: every plan, drafts included",
    "manager": "the plans that {who} runs, drafts included",
    "team": "the plans of team {id}; drafts are not shown",
    "person": "the plans of {who}; drafts are not shown",
    "playbook": "the playbook only: no plan is published here, and the templates are filled from sample data",
}


@dataclass(frozen=True)
class Audience:
    """Who one build is for: `all`, `playbook`, or a kind with an id (`manager:priya-shah`)."""

    kind: AudienceKind = "all"
    id: str | None = None
    name: str | None = field(default=None, compare=False)  # the manager's or person's name, once a build knows it

    @classmethod
    def parse(cls, text: str) -> "Audience":
        """`manager:priya-shah` -> Audience("manager", "priya-shah"); ValueError for anything else."""
        value = str(text).strip()
        kind, colon, ident = value.partition(":")
        if kind in ("all", "playbook") and not colon:
            return cls(kind)
        if kind in _SCOPED and colon and _SLUG.fullmatch(ident):
            return cls(kind, ident)
        raise ValueError(
            f"`{value}` is not an audience: use all, playbook, manager:<id>, team:<team> or person:<id> "
            "(ids are slugs such as priya-shah)")

    def __str__(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"

    @property
    def shows_plans(self) -> bool:
        return self.kind != "playbook"

    @property
    def shows_drafts(self) -> bool:
        return self.kind in ("all", "manager")

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self.kind].format(id=self.id, who=self.name or self.id)

    def named(self, plans: Iterable[Plan | PublicPlan]) -> "Audience":
        """This audience with the name of the manager or person its id stands for, read from their plans."""
        for plan in plans:
            who = plan.manager if self.kind == "manager" else plan.person if self.kind == "person" else None
            if who is not None and who.id == self.id:
                return replace(self, name=who.name)
        return self

    def admits(self, plan: Plan | PublicPlan) -> bool:
        """Whether this audience may see the plan (retention aside)."""
        if not self.shows_plans or (plan.status == "draft" and not self.shows_drafts):
            return False
        if self.kind == "manager":
            return plan.manager.id == self.id
        if self.kind == "team":
            return plan.person.team == self.id
        if self.kind == "person":
            return plan.person.id == self.id
        return True


def retention_ends(plan: Plan | PublicPlan, retention_days: int) -> date | None:
    """The last day a closed plan may be published: its outcome date plus the retention period."""
    if plan.status != "closed" or plan.outcome is None:
        return None
    return plan.outcome.date + timedelta(days=retention_days)


def past_retention(plan: Plan | PublicPlan, retention_days: int, today: date) -> bool:
    ends = retention_ends(plan, retention_days)
    return ends is not None and ends < today


@dataclass(frozen=True)
class SelectedPlan:
    """A plan one audience may see: the record without `private`, its file and a hash of its bytes."""

    plan: PublicPlan  # after the as-of stage: the record as it stood on the run's day
    path: str  # the file, as findings show it
    digest: str  # sha256 of the file's bytes: with the templates and today, it decides the page
    timeline: Timeline | None = None  # set by the timeline stage, after selection
    earlier: Callable | None = field(default=None, compare=False)  # the plan's earlier terms (generator.asof)


def select(plan_files: Iterable, audience: Audience, retention_days: int, today: date) -> list[SelectedPlan]:
    """The plans `audience` may see, redacted, in the order given. `plan_files` are checked `PlanFile`s."""
    return within([
        SelectedPlan(PublicPlan.of(plan_file.plan), plan_file.path, plan_file.digest)
        for plan_file in plan_files
        if audience.admits(plan_file.plan) and not past_retention(plan_file.plan, retention_days, today)
    ])


def within(chosen: list[SelectedPlan]) -> list[SelectedPlan]:
    """A selection whose records name no plan outside it.

    A plan's `follows` names another plan: where that one is not in the selection (another audience's,
    or past retention), the selected record does not name it, so no page, tab or export can. Every
    selection goes through here, whether made from the files or narrowed from a wider one."""
    ids = {selected.plan.id for selected in chosen}
    return [replace(selected, plan=selected.plan.model_copy(update={"follows": None}))
            if selected.plan.follows is not None and selected.plan.follows not in ids else selected
            for selected in chosen]
