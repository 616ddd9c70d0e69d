"""PB4xx: what each kind of plan owes the people in it: a diagnosis, an HR partner, stated
consequences, signatures in time, a recorded outcome, and ride-alongs that give real feedback."""

from __future__ import annotations

import functools
from datetime import timedelta

from pydantic import BaseModel

from ..model import Declined, Plan
from . import Context, plan_rule
from .phrases import Phrases
from ..words import with_article


@plan_rule("PB401", "pip-without-hr-partner", "A PIP names no HR partner")
def pip_without_hr_partner(plan: Plan, context: Context):
    """HR and sales leadership own performance together. A formal plan has an HR partner
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
        yield (), f"{with_article(plan.kind)} plan needs a `diagnosis` (will, skill or market)"


@plan_rule("PB403", "pip-without-consequences", "A PIP does not state its consequences")
def pip_without_consequences(plan: Plan, context: Context):
    """Nobody is let go by surprise: a PIP says in writing what follows if its
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
        yield (), f"{with_article(plan.status)} pip needs an `acknowledgement` by the person and the manager"


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
    """A ride-along ends with three wins worth repeating and three concrete things to try next:
    enough to be useful, few enough to act on.

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
        yield ("outcome", "result"), f"{with_article(plan.kind)} plan is not `escalated`: only a coaching plan gives way to a PIP"


@plan_rule("PB411", "pip-without-earlier-plan", "A PIP with no coaching plan before it and no recorded reason",
           severity="warning", error_when="pip_requires_earlier_plan")
def pip_without_earlier_plan(plan: Plan, context: Context):
    """The path to a formal plan runs through the informal one: a first conversation, an agreement
    email, weeks of coaching with regular check-ins. A PIP normally `follows` the coaching plan that
    came before it. When there is a reason to go straight to a PIP, the record says what it is, so
    that anyone who reads the plan later (the employee, HR, a tribunal) sees that the step was
    considered rather than skipped.

    A warning by default; an error when the policy sets `pip_requires_earlier_plan: true`.

    **Fix:** add `follows: <id of the coaching plan>`, or `direct_reason:` with the reason in words
    the employee may read."""
    if plan.kind == "pip" and plan.follows is None and plan.direct_reason is None:
        yield ("kind",), "a pip with no `follows` (the coaching plan before it) needs a `direct_reason`"


SPECIAL_CATEGORY = (
    # health, disability and pregnancy
    "health condition", "health conditions", "health issue", "health issues", "health problem", "health problems",
    "mental health", "ill health", "health reasons", "medical condition", "medical conditions", "medical leave",
    "medical appointment", "medical appointments", "medical reasons", "medical diagnosis", "medication", "illness",
    "sick leave", "sickness", "diagnosed with", "hospitalised", "hospitalized", "disability", "disabled",
    "chronic condition", "cancer", "depression", "burnout", "pregnant", "pregnancy", "maternity", "miscarriage",
    "ivf", "fertility",
    # religion or belief
    "religion", "religious", "church", "mosque", "synagogue", "ramadan",
    # trade union membership
    "trade union", "union member", "union membership", "union activity",
    # sex life and sexual orientation
    "sexual orientation", "sex life", "gay", "lesbian", "bisexual", "transgender",
    # ethnic origin, political opinion, genetic and biometric data
    "ethnicity", "ethnic origin", "racial", "political opinion", "political opinions", "political views",
    "political party", "genetic", "biometric",
)


def _listing(words: tuple[str, ...]):
    """Put the word list into the rule's docstring, so the rules reference shows the list the check reads."""

    def decorate(function):
        function.__doc__ = function.__doc__.replace("{words}", ", ".join(f"*{word}*" for word in words))
        return function

    return decorate


@plan_rule("PB410", "special-category-data", "A plan holds words of special-category personal data",
           severity="warning")
@_listing(SPECIAL_CATEGORY)
def special_category_data(plan: Plan, context: Context):
    """Health, pregnancy, disability, religion or belief, trade union membership, sexual
    orientation, ethnic origin, political opinion, genetic or biometric data: data protection law
    gives these the strongest protection, and equality law forbids weighing most of them in a
    performance decision. They belong in the HR file that the law and the company's procedure
    govern, never in a performance plan, and not under `private:` either: the plan file lives in a
    repository that many people can read, and its history keeps every version.

    Words and phrases are matched whole, in any case: {words}. A company adds its own with the
    policy's `special_category_words`. The finding names the field, never its text, so that the
    check output does not repeat what should not be written.

    **Fix:** take the sentence out of the plan and record it in the HR file. Write in the plan only
    what the person and the manager agreed to do about the work (an adjusted target, a changed
    schedule), without the reason behind it."""
    phrases = _special_category(tuple(context.policy.special_category_words))
    if not phrases.found_in(_all_text(plan)):  # most plans: one look at all their text, then done
        return
    for path, text in _texts(plan):
        if phrases.found_in(text):
            yield path, f"`{_shown_path(path)}` holds a word of special-category data; its text is not shown"


@functools.lru_cache(maxsize=8)
def _special_category(own_words: tuple[str, ...]) -> Phrases:
    """What PB410 looks for: the words above and the policy's own, read once for every plan."""
    return Phrases(SPECIAL_CATEGORY + own_words)


def _all_text(plan: Plan) -> str:
    """Every text `_texts` yields, in no set order, one a line. A phrase in one of them is in this too,
    as the same consecutive words; a phrase found here may instead span two texts, which the look at
    each text then rules out."""
    found = []
    pending: list = [plan]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            pending += value
        elif isinstance(value, BaseModel):
            pending += value.__dict__.values()  # a record's fields, as `_texts` reads them
    return "\n".join(found)


def _texts(plan: Plan):
    """(path, text) for every text a plan holds, `private` included, in the order of its fields."""
    pending = [((), plan)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, (list, tuple)):
            pending += [(path + (index,), item) for index, item in reversed(list(enumerate(value)))]
        elif isinstance(value, BaseModel):
            pending += [(path + (name,), getattr(value, name)) for name in _fields_last_first(type(value))]


@functools.cache
def _fields_last_first(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(reversed(model.model_fields))


def _shown_path(path: tuple) -> str:
    shown = ""
    for part in path:
        shown += f"[{part}]" if isinstance(part, int) else (f".{part}" if shown else part)
    return shown


def acknowledgements(plan: Plan):
    """(path, acknowledgement, what it acknowledges, the earliest day it may be signed) for the
    plan's acknowledgement and each amendment's. A PIP's own signatures have their window in
    PB405; any other plan is signed once it was opened (its conversation, or its start)."""
    if plan.acknowledgement is not None:
        opened = None if plan.kind == "pip" else plan.escalation_date("conversation") or plan.timetable.start
        yield ("acknowledgement",), plan.acknowledgement, "the plan", opened
    for index, amendment in enumerate(plan.amendments):
        if amendment.acknowledgement is not None:
            yield (("amendments", index, "acknowledgement"), amendment.acknowledgement,
                   f"the amendment of {amendment.date}", amendment.date)


@plan_rule("PB412", "witness-not-independent", "The witness of a refusal to sign is the person or the manager")
def witness_not_independent(plan: Plan, context: Context):
    """When the employee declines to sign, a witness records that the plan was handed over and
    explained. The employee cannot witness their own refusal, and the manager who runs the plan
    is a party to it, not a witness: by default the witness is someone else (an HR partner, or
    another manager). A company whose policy lets the manager witness sets
    `policy.witness_may_be_manager: true`.

    **Fix:** name the person who really witnessed the hand-over under `witness`."""
    for path, acknowledgement, what, _ in acknowledgements(plan):
        refusal = acknowledgement.person
        if not isinstance(refusal, Declined):
            continue
        if refusal.witness == plan.person.id:
            yield path + ("person", "witness"), (
                f"`{refusal.witness}` declined to sign {what} and cannot also witness the refusal")
        elif refusal.witness == plan.manager.id and not context.policy.witness_may_be_manager:
            yield path + ("person", "witness"), (
                f"`{refusal.witness}` is the manager who runs the plan, not a witness of the refusal to sign {what} "
                "(policy: `witness_may_be_manager: false`)")
