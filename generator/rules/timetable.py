"""PB2xx: the timetable. Reviews on the calendar ahead of time, inside the plan's window."""

from __future__ import annotations

from datetime import date, timedelta

from ..audience import retention_ends
from ..model import WEEKDAYS, Declined, Plan, SupportGiven
from ..schedule import check_in_dates
from ..timeline import RUNNING
from . import Context, input_rule, plan_rule
from ..words import plural

input_rule("PB201", "plan-length", "The timetable's length is missing, doubled or negative", """
    A plan's window is `start` plus either `days` or `end`. With both, they may disagree; with
    neither, nobody knows when the plan ends; an end on or before the start is a typo.

    **Fix:** keep exactly one of `days` and `end`, and make the end fall after the start.
""")


def _dated_outside(plan: Plan, items, path: str, label: str):
    """(path, message) for each dated item of a list that falls outside the plan's window."""
    for index, item in enumerate(items):
        where = _outside(item.date, plan)
        if where:
            yield (*path.split("."), index, "date"), f"{label} {item.date} {where}"


def _outside(day, plan: Plan) -> str | None:
    if day < plan.timetable.start:
        return f"is before the plan starts ({plan.timetable.start})"
    if day > plan.timetable.last_day:
        return f"is after the plan ends ({plan.timetable.last_day})"
    return None


@plan_rule("PB202", "review-outside-window", "A review date falls outside the plan's window")
def review_outside_window(plan: Plan, context: Context):
    """Reviews are the moments the plan is judged. A review before the start or after the end
    cannot judge this plan, and usually means the start, the length or the review was mistyped.

    **Fix:** move the review inside the window, or correct `start`, `days` or `end`."""
    yield from _dated_outside(plan, plan.timetable.reviews, "timetable.reviews", "review date")


@plan_rule("PB203", "log-outside-window", "A log entry falls outside the plan's window")
def log_outside_window(plan: Plan, context: Context):
    """The log records what happened under this plan. An entry dated outside the window belongs
    to another plan (or has a typo), and would distort the count of check-ins held.

    **Fix:** correct the date, or move the entry to the plan it belongs to."""
    yield from _dated_outside(plan, plan.log, "log", "log entry dated")


@plan_rule("PB204", "milestone-outside-window", "A milestone date falls outside the plan's window")
def milestone_outside_window(plan: Plan, context: Context):
    """Milestones mark progress within the plan. One dated after the end promises a check that
    will never happen under this plan; one before the start measures nothing.

    **Fix:** bring the milestone inside the window, or lengthen the plan (within policy)."""
    yield from _dated_outside(plan, plan.milestones, "milestones", "milestone date")


@plan_rule("PB205", "milestones-not-ascending", "Milestone dates are not in ascending order")
def milestones_not_ascending(plan: Plan, context: Context):
    """Milestones are steps towards the target, read top to bottom as a timeline. Out of order,
    the page, the chart and the reader all get the sequence wrong.

    **Fix:** list milestones from earliest to latest, each on a later date than the one before."""
    for index in range(1, len(plan.milestones)):
        before, this = plan.milestones[index - 1].date, plan.milestones[index].date
        if this <= before:
            yield ("milestones", index, "date"), (
                f"milestone date {this} is not after the previous milestone ({before}); list them in date order"
            )


@plan_rule("PB206", "pip-length", "A PIP is shorter or longer than the policy allows")
def pip_length(plan: Plan, context: Context):
    """A PIP gives a fair, fixed time to improve: too short is not fair, too long is not a plan.
    The bounds are policy (`pip_min_days`, `pip_max_days`; an `extended` PIP may run
    `pip_extension_max_days` longer) and can be set in `mkdocs.yml`. They count as `days` does,
    the days after the first: a plan of `days: 90` from 5 October ends on 3 January, within a
    limit of 90, and covers 91 calendar days.

    **Fix:** set `days` (or `end`) within the bounds."""
    if plan.kind != "pip":
        return
    policy = context.policy
    longest = policy.pip_max_days + (policy.pip_extension_max_days if plan.status == "extended" else 0)
    # The limits count as `days` does: the days after the first (`days: 90` is within a limit of 90).
    days = plan.timetable.days_after_start
    where = ("timetable", "days") if plan.timetable.days is not None else ("timetable", "end")
    if days > longest:
        yield where, (f"a pip ends at most {longest} days after it starts"
                      f"{' when extended' if plan.status == 'extended' else ''}; this one ends {days} days after, "
                      f"on {plan.timetable.last_day}")
    elif days < policy.pip_min_days:
        yield where, (f"a pip ends at least {policy.pip_min_days} days after it starts; this one ends {days} days "
                      f"after, on {plan.timetable.last_day}")


@plan_rule("PB207", "pip-check-ins", "A PIP's check-ins are less frequent than the policy allows")
def pip_check_ins(plan: Plan, context: Context):
    """Someone on a formal plan needs feedback at least every week (`pip_max_weeks_between_check_ins`),
    or the plan's end comes as a surprise.

    **Fix:** lower `every_weeks` to the policy value (usually 1)."""
    if plan.kind != "pip":
        return
    limit = context.policy.pip_max_weeks_between_check_ins
    every = plan.timetable.check_ins.every_weeks
    if every > limit:
        yield ("timetable", "check_ins", "every_weeks"), (
            f"a pip has check-ins at least every {plural(limit, 'week')}; this one every {every}"
        )


@plan_rule("PB208", "running-past-end", "A running plan's end date has passed", severity="warning")
def running_past_end(plan: Plan, context: Context):
    """A plan still marked active after its end was never closed: its outcome was not recorded,
    and HR cannot see whether it was met.

    **Fix:** close it (`status: closed` and an `outcome`), or extend it."""
    [end] = context.timeline(plan).of_kind("end")
    if plan.status in RUNNING and end.state == "missed":
        yield ("status",), f"the plan is {plan.status} but ended on {end.date}; close or extend it"


@plan_rule("PB209", "check-ins-missing", "Fewer check-ins logged than the timetable expects so far",
           severity="warning")
def check_ins_missing(plan: Plan, context: Context):
    """Check-ins that are not logged did not happen, as far as anyone reviewing the plan can tell.
    The count compares `log` entries of kind `check-in` with the timetable's days up to yesterday,
    for plans that are running (`active` or `extended`).

    **Fix:** log each check-in held (a date and a one-line note is enough)."""
    if plan.status not in RUNNING:  # a draft has not started; a closed plan's record is history
        return
    timeline = context.timeline(plan)
    expected, held = timeline.check_ins_expected, timeline.check_ins_held
    if held < expected:
        yield ("timetable", "check_ins"), f"{plural(held, 'check-in')} logged of {expected} expected by {context.today}"


@plan_rule("PB210", "past-retention", "A closed plan is past its retention period", severity="warning")
def past_retention_period(plan: Plan, context: Context):
    """Plans hold personal data, kept only as long as the company's retention policy allows:
    `retention_days` (730 by default) after a closed plan's outcome date. Past that, the plan is
    left out of every site build, but its file still sits in the repository.

    **Fix:** delete the file, or move it to the archive HR keeps for closed records (and, where
    the policy demands it, remove it from the repository's history)."""
    ends = retention_ends(plan, context.policy.retention_days)
    if ends is not None and ends < context.today:
        yield ("outcome", "date"), (
            f"closed on {plan.outcome.date} and kept until {ends}: delete or archive this plan "
            "(it is left out of every site build)")


@plan_rule("PB215", "fact-after-today", "A recorded fact is dated after today", severity="warning")
def fact_after_today(plan: Plan, context: Context):
    """A record says what happened: a check-in held, a step taken, a signature given, an outcome.
    One dated after today cannot have happened yet. Every output reads the record as of today, so
    such a fact is left out of the site, the agenda and every letter until its day comes; a date
    typed a year off stays out for a year.

    **Fix:** correct the date, or record the fact on the day it happens."""
    today = context.today
    facts = [(("log", index, "date"), "log entry", entry.date) for index, entry in enumerate(plan.log)]
    facts += [(("escalation", index, "date"), f"{step.stage} step", step.date)
              for index, step in enumerate(plan.escalation)]
    facts += [(("support", index, "date"), "support given", item.date)
              for index, item in enumerate(plan.support) if isinstance(item, SupportGiven)]
    facts += _signatures(plan.acknowledgement, ("acknowledgement",), "signature")
    for index, amendment in enumerate(plan.amendments):
        facts.append((("amendments", index, "date"), "amendment", amendment.date))
        facts += _signatures(amendment.acknowledgement, ("amendments", index, "acknowledgement"),
                             "amendment's signature")
    if plan.rebuttal is not None:
        facts.append((("rebuttal", "date"), "rebuttal", plan.rebuttal.date))
    if plan.outcome is not None:
        facts.append((("outcome", "date"), "outcome", plan.outcome.date))
    for path, what, day in facts:
        if day > today:
            yield path, f"{what} dated {day}, after today ({today}): a record cannot know the future"


def _signatures(ack, path: tuple, what: str):
    if ack is None:
        return []
    person = (*path, "person", "declined") if isinstance(ack.person, Declined) else (*path, "person")
    return [(person, what, ack.person_date), ((*path, "manager"), what, ack.manager)]


@plan_rule("PB211", "day-off", "A review, milestone or check-in falls on a weekend or a public holiday",
           severity="warning")
def meeting_on_a_day_off(plan: Plan, context: Context):
    """A review nobody can attend, or a milestone judged on a day the office is closed, is
    moved at the last minute, and the record no longer says when it happened. The check runs
    when the policy names the company's calendar (`holidays: {country: GB, subdivision: ENG}`,
    ISO 3166 codes, read with the `holidays` package): that country's weekend and its public
    holidays are days off. Without it, the generator does not know which days a team works
    (some sales teams work Saturdays), and the rule stays silent. A closed plan's dates are
    history and are not checked.

    **Fix:** move the review or milestone to a working day (its trigger's `by` with it), or
    choose check-in weekdays that are working days; a check-in on a holiday can be held the
    day before or after, and logged on that day."""
    if context.policy.holidays is None or plan.status == "closed":
        return
    calendar = context.policy.calendar
    for path, label, items in (("timetable.reviews", "review", plan.timetable.reviews),
                               ("milestones", "milestone", plan.milestones)):
        for index, item in enumerate(items):
            off = calendar.day_off(item.date)
            if off:
                yield (*path.split("."), index, "date"), f"{label} date {item.date} is {off}"
    monday = date(2024, 1, 1)  # any Monday: which weekdays are the weekend
    for index, name in enumerate(plan.timetable.check_ins.weekdays):
        day = monday + timedelta(days=WEEKDAYS.index(name))
        if day.weekday() in calendar.weekend:
            yield ("timetable", "check_ins", "weekdays", index), f"check-ins on {name} fall on the weekend"
    holidays = [f"{day} ({calendar.holiday(day)})" for day in check_in_dates(plan.timetable)
                if day.weekday() not in calendar.weekend and calendar.holiday(day)]  # a weekend is said above
    if holidays:
        yield ("timetable", "check_ins"), f"check-ins fall on public holidays: {', '.join(holidays)}"
