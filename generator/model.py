"""The v1 plan record: pydantic models that are the single source of truth for its shape.

Validation, the published JSON Schema (`playbook schema`) and the plan-format reference page all
come from these classes. Field names are a contract: plans written today must keep working.
Rules that need more than one field, or a policy value, live in `generator.rules`.

The models are strict: a quoted "18" is not a number and an unquoted 2026 is not text, exactly
as the JSON Schema says, so the editor and `playbook check` agree on every value.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
MAX_PLAN_DAYS = 3660  # ten years: longer is a typo, and would make every date computation crawl
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _date_from_text(value: Any) -> Any:
    """Accept a quoted ISO date ("2026-10-05") as well as YAML's unquoted one."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("PB109", "{value} is not a date that exists", {"value": value}) from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("PB113", "this text is empty")
    return value


def _plausible_year(value: date) -> date:
    if not 1900 <= value.year <= 2999:
        raise PydanticCustomError("PB113", "{value} is outside the years a plan can cover (1900 to 2999)",
                                  {"value": str(value)})
    return value


Day = Annotated[date, BeforeValidator(_date_from_text), AfterValidator(_plausible_year)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, AfterValidator(_not_blank)]
Number = Annotated[Union[int, float], Field(allow_inf_nan=False)]

Kind = Literal["growth", "coaching", "pip"]
Status = Literal["draft", "active", "extended", "closed"]
Cause = Literal["will", "skill", "market"]
Stage = Literal["conversation", "agreement-email", "written-warning", "final-warning"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Owner = Literal["person", "manager", "hr"]
LogKind = Literal["check-in", "ride-along", "review", "self-review"]

STAGES: tuple[str, ...] = Stage.__args__
WEEKDAYS: tuple[str, ...] = Weekday.__args__


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Ref(Record):
    """Someone named in a plan: a display name and a slug that is used in URLs."""

    name: Text
    id: Slug

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


class Person(Ref):
    """The employee the plan is for."""

    role: Text
    team: Slug


class Diagnosis(Record):
    """Why performance is off: a discipline (will), coaching (skill) or market problem."""

    cause: Cause
    summary: Text
    evidence: list[Text] = []


class CheckIns(Record):
    """The standing one-to-ones: which weekdays, every how many weeks."""

    weekdays: Annotated[list[Weekday], Field(min_length=1)]
    every_weeks: Annotated[int, Field(ge=1, le=52)] = 1


class Review(Record):
    date: Day
    title: Text


class Timetable(Record):
    """When the plan runs: a start, a length (`days`) or an `end`, check-ins and review dates."""

    start: Day
    days: Annotated[int, Field(ge=1, le=MAX_PLAN_DAYS)] | None = None
    end: Day | None = None
    check_ins: CheckIns
    reviews: Annotated[list[Review], Field(min_length=1)]

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        # Reported at `end`, the value to fix; `start` and `days` are validated before it.
        start, days = info.data.get("start"), info.data.get("days")
        if end is not None and days is not None:
            raise PydanticCustomError("PB201", "give the plan's length as either `days` or `end`, not both")
        if end is not None and start is not None and end <= start:
            raise PydanticCustomError("PB201", "the plan ends ({end}) on or before it starts ({start})",
                                      {"end": str(end), "start": str(start)})
        if end is not None and start is not None and (end - start).days > MAX_PLAN_DAYS:
            raise PydanticCustomError("PB201", "the plan runs more than {days} days", {"days": MAX_PLAN_DAYS})
        return end

    @model_validator(mode="after")
    def _has_length(self) -> "Timetable":
        if self.days is None and self.end is None:
            raise PydanticCustomError("PB201", "give the plan's length as `days` or `end`")
        return self

    @property
    def last_day(self) -> date:
        """The day the plan ends: `end`, or `start + days`.

        `days` counts the days after the first: `start: 2026-10-05` with `days: 90` ends on
        2027-01-03, the 91st calendar day. Plans have been written and signed with that reading,
        so it stays; what a person reads is the first day, the last day and `calendar_days`.
        """
        return self.end if self.end is not None else self.start + timedelta(days=self.days)

    @property
    def days_after_start(self) -> int:
        """How many days after its first day the plan ends: `days`, as the policy's limits count it."""
        return (self.last_day - self.start).days

    @property
    def calendar_days(self) -> int:
        """How many calendar days the plan covers, its first and last day included."""
        return self.days_after_start + 1

    @property
    def review_dates(self) -> list[date]:
        return [review.date for review in self.reviews]


class HistoryPoint(Record):
    """One past period of a criterion: the person's value and, for comparison, the team's."""

    period: Text
    value: Number
    team: Number | None = None


class Trigger(Record):
    """A line the metric must not cross by a review date, and the escalation stage that follows."""

    below: Number | None = None
    above: Number | None = None
    by: Day
    then: Stage

    @model_validator(mode="after")
    def _one_line(self) -> "Trigger":
        if (self.below is None) == (self.above is None):
            raise PydanticCustomError("PB300", "a trigger has exactly one of `below` or `above`")
        return self

    @property
    def line(self) -> tuple[str, float]:
        return ("below", self.below) if self.below is not None else ("above", self.above)


class Measure(Record):
    """How the number is measured: where it is read, over what period, and what counts.

    Both people read the result the same way only if this is written down before the plan starts:
    "calls per day" says nothing about which calls, counted where, averaged over which days."""

    source: Text = Field(description="Where the number is read, e.g. `CRM activity report`.")
    period: Text = Field(description="The stretch of time one value covers, e.g. `each calendar week, Monday to "
                                     "Sunday`.")
    counted: Text = Field(description="What counts and what does not, e.g. `outbound calls of two minutes or more, "
                                      "logged against an account`.")


class Criterion(Record):
    """A measured objective: where the person is (baseline) and where they must get (target)."""

    id: Slug
    metric: Text
    unit: Text
    baseline: Number
    target: Number
    measure: Measure | None = None
    history: list[HistoryPoint] = []
    trigger: Trigger | None = None


class Action(Record):
    """An agreed improvement step and who owns it."""

    step: Text
    owner: Owner
    cadence: Text | None = None


class Milestone(Record):
    """A dated checkpoint with the level each named criterion should have reached."""

    date: Day
    title: Text
    targets: dict[Slug, Number] = {}


class EscalationStep(Record):
    stage: Stage
    date: Day


class Declined(Record):
    """The employee declined to sign; a witness saw the plan handed over."""

    declined: Day
    witness: Slug


def _value_or_record(value: Any, record: type, value_tag: str, record_tag: str) -> Any:
    """A field written either as a plain value or as a mapping of `record`, told apart by its shape."""
    return Annotated[
        Union[Annotated[value, Tag(value_tag)], Annotated[record, Tag(record_tag)]],
        Discriminator(lambda given: record_tag if isinstance(given, dict) else value_tag),
    ]


Signature = _value_or_record(Day, Declined, "date", "declined")


class Acknowledgement(Record):
    """Both parties' signatures (dates), or the employee's recorded refusal to sign."""

    person: Signature
    manager: Day

    @property
    def person_date(self) -> date:
        return self.person.declined if isinstance(self.person, Declined) else self.person


class Rebuttal(Record):
    """The employee's own written response, shown beside the plan."""

    date: Day
    text: Text


class LogEntry(Record):
    """A dated note of what happened: a check-in, ride-along, review or self-review."""

    date: Day
    kind: LogKind
    note: Text
    wins: list[Text] = []
    opportunities: list[Text] = []
    results: dict[Slug, Number] = {}


class SupportGiven(Record):
    """Support with the day it was given (or began): only dated support counts as given in a letter."""

    what: Text
    date: Day


SupportItem = _value_or_record(Text, SupportGiven, "text", "dated")


class Outcome(Record):
    date: Day
    result: Literal["met", "not-met", "withdrawn", "escalated"]
    decision: Literal["retained", "extended", "separated"]


SignedTerm = Literal["timetable", "criteria", "milestones", "consequences"]
SIGNED_TERMS: tuple[str, ...] = SignedTerm.__args__


class Amendment(Record):
    """A change to terms already signed: when, what changed, and its own acknowledgement."""

    date: Day
    summary: Text
    changes: Annotated[list[SignedTerm], Field(min_length=1)]
    acknowledgement: Acknowledgement | None = None


class PlanBody(Record):
    """Every field of a plan but `private`: what both record types below share."""

    id: Slug | None = Field(None, description="The plan's id (a slug); defaults to the file name without `.yaml`.")
    kind: Kind = Field(description="`growth` (every rep, top performers too), `coaching` (the informal plan "
                                   "before a PIP) or `pip` (formal performance improvement plan).")
    status: Status = Field(description="`draft`, `active`, `extended` or `closed`.")
    person: Person = Field(description="The employee the plan is for.")
    manager: Ref = Field(description="The manager who runs the plan.")
    hr_partner: Ref | None = Field(None, description="The HR partner (required for a PIP).")
    follows: Slug | None = Field(None, description="The id of the plan this one grew out of, e.g. the coaching plan "
                                                   "before a PIP.")
    direct_reason: Text | None = Field(
        None, description="Why a PIP starts with no informal coaching plan before it (no `follows`): the reason "
                          "the earlier steps were not enough, in words the employee may read.")
    playbook_version: Text | None = Field(None, description='The playbook release the plan was issued under, '
                                                            'e.g. `"2026.2"`.')
    diagnosis: Diagnosis | None = Field(None, description="Will, skill or market (required for coaching and PIP).")
    timetable: Timetable = Field(description="When the plan runs, when it meets and when it is reviewed.")
    criteria: Annotated[list[Criterion], Field(min_length=1)] = Field(
        description="The measured objectives, each from a baseline to a target.")
    actions: Annotated[list[Action], Field(min_length=1)] = Field(
        description="The agreed improvement steps and who owns each.")
    milestones: Annotated[list[Milestone], Field(min_length=1)] = Field(
        description="Dated checkpoints, in ascending order, with targets per criterion.")
    support: list[SupportItem] = Field(
        [], description="What the company provides: call reviews, training, ... Each item is text (support agreed), "
                        "or `{what, date}` (support given, and when): letters count only dated support as given.")
    escalation: list[EscalationStep] = Field(
        [], description="The documented steps so far: conversation, agreement-email, written-warning, final-warning.")
    consequences: Text | None = Field(None, description="What follows if the objectives are not met (required for a PIP).")
    acknowledgement: Acknowledgement | None = Field(
        None, description="Both parties' signature dates (required for a PIP past draft).")
    amendments: list[Amendment] = Field(
        [], description="Changes to the signed terms (timetable, criteria, milestones, consequences), each "
                        "`{date, summary, changes: [...], acknowledgement}`: a signed plan changes only with one.")
    rebuttal: Rebuttal | None = Field(None, description="The employee's own written response, shown beside the plan.")
    log: list[LogEntry] = Field([], description="What happened: check-ins, ride-alongs, reviews, self-reviews.")
    outcome: Outcome | None = Field(None, description="How the plan ended (required when closed).")

    @property
    def length_days(self) -> int:
        """The plan's length as pages and letters state it: calendar days, first and last included."""
        return self.timetable.calendar_days

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def escalation_date(self, stage: str) -> date | None:
        return next((step.date for step in self.escalation if step.stage == stage), None)


class Plan(PlanBody):
    """A growth plan, an informal coaching plan or a formal PIP (format v1)."""

    private: str | None = Field(None, description="Free text for the record only: never rendered into any site.")


class PublicPlan(PlanBody):
    """A plan as every output sees it: the record without `private`.

    Rendering takes this type only, so a template that asks for `plan.private` finds no such
    attribute and fails the build (templates run with `StrictUndefined`).
    """

    @classmethod
    def of(cls, plan: Plan) -> "PublicPlan":
        """The record with `private` left behind; the values are shared, not copied (they are frozen)."""
        return cls.model_construct(**{name: getattr(plan, name) for name in cls.model_fields})


IDENTITY_MAX_LENGTH = 254  # the longest e-mail address that can be delivered
_IDENTITY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-@|:=/")
_DOMAIN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def identity_problem(text: str) -> str | None:
    """What makes `text` no identity, or None when it is one.

    An identity is what the sign-on passes on for a person: an e-mail address (`name@domain.tld`)
    or a subject (`auth0|5f7c8ec7`, `00u1abcd`). It is ASCII letters, digits and `. _ + - @ | : = /`,
    so that it can be written into a web server's configuration as it is. The check is one pass
    over at most IDENTITY_MAX_LENGTH characters: its time grows linearly with the text.
    """
    if not 1 <= len(text) <= IDENTITY_MAX_LENGTH:
        return f"an identity is 1 to {IDENTITY_MAX_LENGTH} characters long, not {len(text)}"
    for character in text:
        if character not in _IDENTITY_CHARACTERS:
            shown = "a space" if character == " " else f"`{character}`" if character.isprintable() \
                else f"U+{ord(character):04X}"
            return (f"an identity holds {shown}; it is an e-mail address or a sign-on subject, written with "
                    "ASCII letters, digits and `. _ + - @ | : = /` (a domain in its `xn--` form)")
    if not text[0].isalnum():
        return "an identity starts with a letter or a digit"
    if "@" in text:
        domain = text.partition("@")[2]
        labels = domain.split(".")
        if "@" in domain or len(labels) < 2 or not all(labels) \
                or any(not _DOMAIN_CHARACTERS.issuperset(label) for label in labels):
            return "an e-mail address has one `@` and a domain such as `example.com` after it"
    return None


def _identity(value: str) -> str:
    problem = identity_problem(value)
    if problem:
        raise PydanticCustomError("PB120", problem)
    return value


Identity = Annotated[str, AfterValidator(_identity)]


class RosterPerson(Record):
    """Someone on the roster, by their id: a member, a manager or an HR partner."""

    identity: Identity | None = Field(
        None, description="The e-mail address or subject the sign-on passes on for them: it decides which "
                          "sites they open (`playbook access`), and is never published.")


class RosterTeam(Record):
    """One team on the roster: its manager and its members (person ids)."""

    manager: Slug = Field(description="The id of the team's manager: the team's site opens for them.")
    name: Text | None = Field(None, description="The team's name as people say it.")
    members: list[Slug] = Field([], description="The ids of the people in the team.")


class Roster(Record):
    """`plans/_roster.yaml`: everyone who should have a growth plan, by team, and who opens which site (optional)."""

    people: dict[Slug, RosterPerson] = Field(
        {}, description="Members, managers and HR partners by id, with the identity each signs on with.")
    teams: dict[Slug, RosterTeam] = Field(description="Each team by id: its manager and its members.")
    hr: list[Identity] = Field([], description="The identities that open every site: HR's.")

    def identity(self, person_id: str | None) -> str | None:
        """The identity of `person_id`, or None when the roster gives none."""
        person = self.people.get(person_id) if person_id else None
        return person.identity if person else None


def field_names() -> frozenset[str]:
    """Every field name of every record type: what an unknown key is compared with."""
    names: set[str] = set()
    pending = [Record]
    while pending:
        model = pending.pop()
        names.update(model.model_fields)
        pending += model.__subclasses__()
    return frozenset(names)
