"""Charts drawn at build time as inline SVG: a criterion over time, and horizontal bars of rates.

No JavaScript and nothing fetched: each chart is one `<svg>` string, the same bytes for the same
input (coordinates rounded to one decimal), that a page embeds as it is. A chart reads a plan and
its `Timeline`: what is met or missed comes from the timeline's judgements (see `_mark`).

**A criterion over time** (`criterion_chart`), titled with the criterion's metric. Its points:

1. the criterion's `history`, one point per period, in the order written;
2. then one point per result logged for the criterion on or before today, by date (two results on
   one day keep their log order);
3. with each milestone that sets a target for the criterion merged in by date: on the point of a
   result logged that day, or on a point of its own.

The x axis is proportional to time: a quarter is wider than a month, and 8 days narrower. A
history period written as a month (`2026-07`), a quarter (`2026-Q3`), a half (`2026-H2`) or a year
(`2026`) stands at the middle of that period. Periods written otherwise (`Q3`, `last year`) are
labels, not dates: they keep the order written and take equal steps at the left of the axis,
each as wide as one point of the dated part would be on average. The labels under the axis say
when each point was taken; where two would overlap, the earlier is left out, counting back from
the latest, which is always labelled. On the chart:

- the person's values: a solid line with filled dots (history and results, joined);
- the team's values, where history gives them: a dashed line with hollow squares;
- the target: a solid horizontal line labelled "Target 30%" at the right;
- the trigger line, if any: a dotted horizontal line labelled "Trigger 24%" at the right;
- each milestone: a diamond at its date and target, with the target and where it stands written
  under the axis ("22%" over "missed", "30%" over "to come"); the diamond is filled when met,
  crossed when missed and hollow otherwise, so the words, the shape and the colour each say it.

The y axis runs between round numbers around every value drawn (values, team values, target,
trigger, milestone targets); equal values are given room around them, so one point or a flat
line draws in the middle. Tick labels carry a short unit (`15%`); a longer one (`meetings`) is
written once above the axis.

**Bars** (`bar_chart`): one row per (label, value), its label and value on a line above a bar in
an outlined track that stands for `maximum`. A bar's length is value / maximum of the track,
clamped to the track; the text still says the value (`120%`, `-5%`), written by the caller's
`value_text` so that it reads as the table beside it does (`46%`, not `46.2%`). The chart is
drawn 360 units wide and shown at most 1.5 times that, so that on a 390 px phone its text is
still 12 px and no label is cut short for room a wide screen would have.

**Accessibility.** The `<svg>` has `role="img"` and `aria-labelledby` naming its `<title>` and a
`<desc>` that says, in one sentence, what a reader would take from the picture. Lines are
labelled in words and differ in style, so colour is never the only cue. Colours have at least
3:1 contrast against white (lines) and 4.5:1 (text), and the chart draws its own white card so
that they hold on a dark page too. No text is smaller than 11px at the chart's 640px width. Each
chart's title is written on it too, not only for screen readers: three stacked charts on a plan
page are told apart by their metric.

**Escaping.** Every text is written with `_text`: XML's and HTML's special characters, and those
Markdown or its extensions read inline (`*`, `_`, `` ` ``, `[`, `:`, ...), become numeric
character references, and characters XML cannot hold become U+FFFD. The SVG therefore parses as
XML, holds no markup from the record, and reads the same if Markdown passes over it. Every line
of the output starts with `<` and none is blank, so a Markdown page can embed it as it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from typing import Callable

from ..dates import plain_date
from ..model import Criterion, PublicPlan
from ..timeline import MilestoneState, Timeline, reaches
from ..units import measure, number

WIDTH = 640
BAR_WIDTH = 360  # the bar chart's own width: about a phone's, so that its text is not scaled down there
FONT_SIZE = 12
SMALL_FONT_SIZE = 11
TITLE_SIZE = 14
TITLE_BAND = 24  # above everything else: the chart's visible title
CHAR_WIDTH = 0.6  # an estimate of a character's width, in ems, for laying out labels

PERSON_COLOUR = "#1a237e"  # indigo, 16:1 on white
TEAM_COLOUR = "#424242"  # dark grey, 10:1
TARGET_COLOUR = "#2e7d32"  # green, 5.1:1
TRIGGER_COLOUR = "#b71c1c"  # red, 6.6:1
TEXT_COLOUR = "#212121"
GRID_COLOUR = "#e0e0e0"  # gridlines only: decoration, the tick labels carry the values
TRACK_COLOUR = "#757575"  # 4.6:1: the track stands for the maximum
BACKGROUND = "#ffffff"

MILESTONE_BAND = 36  # below the plot: where the first row of milestone labels sits
MILESTONE_ROW = 32  # each milestone label takes two lines

VERDICT_WORDS = {"met": "met", "missed": "missed", "no-result": "no result", "upcoming": "to come"}

_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,99}\Z")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# XML and HTML specials, and every character Markdown (or a pymdownx extension) reads inline.
_REFERENCED = str.maketrans({char: f"&#{ord(char)};" for char in "&<>\"'\\`*_[]{}()#+!|~^=:$"})


# Writing SVG

def _text(value: object) -> str:
    """A value as SVG text or attribute value: on one line, with nothing any parser reads as markup."""
    return " ".join(_NOT_IN_XML.sub("\ufffd", str(value)).split()).translate(_REFERENCED)


def _n(value: float) -> str:
    """A coordinate, rounded to one decimal: 12.0 -> 12, 12.25 -> 12.2, -0.0 -> 0."""
    if type(value) is int:
        return str(value)
    text = f"{value:.1f}"
    if text[-1] != "0":  # its one decimal is not a zero
        return text
    text = text[:-2]
    return "0" if text == "-0" else text


def _element(name: str, attributes: dict[str, object], content: str = "") -> str:
    written = "".join([f' {key}="{value if isinstance(value, str) else _n(value)}"'
                       for key, value in attributes.items()])
    return f"<{name}{written}>{content}</{name}>" if content else f"<{name}{written}/>"


def _label(x: float, y: float, text: str, *, anchor: str = "start", size: int = FONT_SIZE,
           colour: str = TEXT_COLOUR, **extra: str) -> str:
    attributes: dict[str, object] = {"x": x, "y": y, "fill": colour}
    if anchor != "start":
        attributes["text-anchor"] = anchor
    if size != FONT_SIZE:
        attributes["font-size"] = str(size)
    return _element("text", {**attributes, **extra}, _text(text))


def _tooltip(text: str) -> str:
    return f"<title>{_text(text)}</title>"


def _width(text: str, size: int = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def _fit(text: str, room: float, size: int = FONT_SIZE) -> str:
    """`text`, cut short with an ellipsis if it would not fit in `room` (the desc says it in full)."""
    most = max(1, int(room / (size * CHAR_WIDTH)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"


def _svg(chart_id: str, height: float, title: str, description: str, body: Iterable[str], *,
         heading: str, width: int = WIDTH, style: str = "") -> str:
    """The chart: its accessible title and description, its card, `heading` written at the top, and `body`."""
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} is not a letter followed by letters, digits, '-' or '_'")
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="pb-chart" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {_n(height)}" width="100%"'
            f'{f" style={chr(34)}{style}{chr(34)}" if style else ""} '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="{FONT_SIZE}">')
    lines = [
        head,
        _element("title", {"id": f"{chart_id}-title"}, _text(title)),
        _element("desc", {"id": f"{chart_id}-desc"}, _text(description)),
        _element("rect", {"width": width, "height": height, "rx": 4, "fill": BACKGROUND}),
        _label(8, 18, _fit(heading, width - 16, TITLE_SIZE), size=TITLE_SIZE,
               **{"class": "pb-chart-title", "font-weight": "bold"}),
        *body,
        "</svg>",
    ]
    return "\n".join(lines)


# The scale of values

@dataclass(frozen=True)
class Scale:
    """The y axis: round numbers from `low` to `high`, and the ticks between them."""

    low: float
    high: float
    ticks: tuple[float, ...]

    @classmethod
    def around(cls, values: Iterable[float]) -> "Scale":
        values = [float(value) for value in values]
        low, high = min(values), max(values)
        span, magnitude = high - low, max(abs(low), abs(high))
        if span <= max(magnitude, 1.0) * 1e-9:  # one value, or all alike: room on both sides
            room = magnitude / 10 if magnitude > 1e-9 else 1.0
        else:  # and a line at the lowest or highest value kept off the frame
            room = span / 25
        low, high = low - room, high + room
        step = _round_step((high - low) / 5)
        digits = max(0, 1 - math.floor(math.log10(step)))
        first, last = math.floor(low / step), math.ceil(high / step)
        ticks = tuple(round((first + index) * step, digits) for index in range(last - first + 1))
        return cls(ticks[0], ticks[-1], ticks)

    def y(self, value: float, top: float, bottom: float) -> float:
        return bottom - (value - self.low) / (self.high - self.low) * (bottom - top)


def _round_step(rough: float) -> float:
    """The round number (1, 2, 2.5 or 5 times a power of ten) at or above `rough`."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(factor * power for factor in (1, 2, 2.5, 5, 10) if factor * power >= rough * (1 - 1e-9))


# A criterion over time

@dataclass(frozen=True)
class Mark:
    """A milestone's target for the criterion, and where that target stands."""

    date: date
    title: str
    target: float
    state: str  # met, missed, no-result or upcoming: this target's
    milestone: str  # the whole milestone's verdict


@dataclass
class Slot:
    """One place on the x axis: a history period, a result's date, or a milestone's date."""

    label: str
    when: date | None = None
    value: float | None = None  # the person's value
    team: float | None = None
    marks: tuple[Mark, ...] = ()


def _mark(state: MilestoneState, criterion: Criterion, target: float) -> Mark:
    """The milestone's target for this criterion, judged on the result the timeline judged it on.

    A milestone with targets for two criteria is missed when either falls short; on the chart of
    the one that reached its target, "missed" would say something false. So the mark takes the
    timeline's verdict as it is unless the milestone was judged, and then this target's own
    share of it: the result the timeline recorded for the criterion, by the timeline's `reaches`.
    """
    verdict = state.verdict
    if verdict in ("met", "missed", "no-result"):
        result = state.results.get(criterion.id)
        if result is None:
            verdict = "no-result"
        else:
            verdict = "met" if reaches(criterion, result, target) else "missed"
    return Mark(state.date, state.title, target, verdict, state.verdict)


_PERIOD = re.compile(r"([0-9]{4})(?:-(?:([0-9]{2})|Q([1-4])|H([12])))?\Z")


def period_middle(period: str) -> date | None:
    """The middle of a history period written as a month, quarter, half or year (`2026-07`, `2026-Q3`,
    `2026-H2`, `2026`), or None for a period that names no date."""
    match = _PERIOD.match(period.strip())
    if match is None:
        return None
    year, month, quarter, half = match.groups()
    if not 1900 <= int(year) <= 2999 or (month and not 1 <= int(month) <= 12):
        return None
    if month:
        return date(int(year), int(month), 15)
    if quarter:
        return date(int(year), 3 * int(quarter) - 1, 15)
    if half:
        return date(int(year), 6 * int(half) - 2, 1)
    return date(int(year), 7, 1)


def _slots(plan: PublicPlan, timeline: Timeline, criterion: Criterion) -> list[Slot]:
    slots = [Slot(point.period, period_middle(point.period), point.value, point.team) for point in criterion.history]
    if all(slot.when is not None for slot in slots):  # every period is a date: the history joins the time axis
        slots.sort(key=lambda slot: slot.when)
    dated = [Slot(plain_date(entry.date), entry.date, entry.results[criterion.id])
             for entry in sorted(plan.log, key=lambda entry: entry.date)
             if criterion.id in entry.results and entry.date <= timeline.today]
    for state in timeline.milestones:
        target = plan.milestones[state.index].targets.get(criterion.id)
        if target is None:
            continue
        mark = _mark(state, criterion, target)
        same_day = [slot for slot in dated if slot.when == state.date]
        if same_day:
            same_day[-1].marks += (mark,)
        else:
            dated.append(Slot(plain_date(state.date), state.date, marks=(mark,)))
    dated.sort(key=lambda slot: slot.when)
    if slots and dated and all(slot.when is not None for slot in slots) and slots[-1].when > dated[0].when:
        return sorted(slots + dated, key=lambda slot: slot.when)  # history dated after a result: by date
    return slots + dated


def _summary(plan: PublicPlan, timeline: Timeline, criterion: Criterion) -> str:
    """One sentence that says what the chart shows: the latest value, the target and the trigger line."""
    unit = criterion.unit
    standing = timeline.standing(criterion.id)
    if standing is not None and standing.latest is not None:
        latest = f"result is {measure(standing.latest, unit)} ({plain_date(standing.latest_date)})"
    else:
        point = criterion.history[-1]
        latest = f"value is {measure(point.value, unit)} ({point.period})"
    trigger = ""
    if criterion.trigger is not None:
        trigger = f" and the trigger line is {measure(criterion.trigger.line[1], unit)}"
    return (f"{plan.person.first_name}'s latest {latest}; the target is "
            f"{measure(criterion.target, unit)}{trigger}.")


@dataclass(frozen=True)
class Frame:
    """Where the plot sits in the chart, and where a slot and a value fall in it."""

    slots: list[Slot]
    scale: Scale
    left: float
    right: float
    top: float = 52.0 + TITLE_BAND
    bottom: float = 252.0 + TITLE_BAND

    def __post_init__(self):
        object.__setattr__(self, "_xs", _positions(self.slots, self.left, self.right))

    def x(self, index: int) -> float:
        return self._xs[index]

    def y(self, value: float) -> float:
        return self.scale.y(value, self.top, self.bottom)


def _positions(slots: list[Slot], left: float, right: float) -> list[float]:
    """Each slot's x: undated slots (history periods that name no date) in equal steps at the left, then
    the dated ones in proportion to the days between them, kept half a step off the plot's edges."""
    undated = [slot for slot in slots if slot.when is None]
    dated = [slot.when for slot in slots if slot.when is not None]
    step = (right - left) / len(slots)
    xs = [left + (index + 0.5) * step for index in range(len(undated))]
    start, end = left + len(undated) * step + step / 2, right - step / 2
    first, last = (min(dated), max(dated)) if dated else (None, None)
    for day in dated:
        if first == last:
            xs.append((start + end) / 2)
        else:
            xs.append(start + (day - first).days / (last - first).days * (end - start))
    return xs

def criterion_chart(plan: PublicPlan, timeline: Timeline, criterion_id: str, *, chart_id: str) -> str | None:
    """A criterion's values over time as an SVG string, or None if it has no history and no result yet.

    Raises KeyError for a criterion the plan does not have, and ValueError for a `chart_id` that
    cannot be an id (a letter, then letters, digits, `-` or `_`).
    """
    criterion = plan.criterion(criterion_id)
    if criterion is None:
        raise KeyError(criterion_id)
    slots = _slots(plan, timeline, criterion)
    if not any(slot.value is not None for slot in slots):
        return None
    unit = criterion.unit
    lines = [("target", "Target", criterion.target, TARGET_COLOUR)]
    if criterion.trigger is not None:
        lines.append(("trigger", "Trigger", criterion.trigger.line[1], TRIGGER_COLOUR))
    scale = Scale.around([slot.value for slot in slots if slot.value is not None]
                         + [slot.team for slot in slots if slot.team is not None]
                         + [mark.target for slot in slots for mark in slot.marks]
                         + [value for _, _, value, _ in lines])
    short_unit = len(unit) <= 3  # "15%" on each tick; a longer unit is written once, above the axis
    ticks = [measure(tick, unit) if short_unit else number(tick) for tick in scale.ticks]
    line_texts = [f"{name} {measure(value, unit)}" for _, name, value, _ in lines]
    right_room = min(180.0, max(_width(text) for text in line_texts))
    frame = Frame(slots, scale, left=min(200.0, 14 + max(_width(text) for text in ticks)),
                  right=WIDTH - 16 - right_room)

    body = [_legend(plan.person.first_name, any(slot.team is not None for slot in slots),
                    any(slot.marks for slot in slots), frame.left)]
    if not short_unit:
        body.append(_label(8, frame.top - 14, _fit(unit, 200, SMALL_FONT_SIZE), size=SMALL_FONT_SIZE,
                           **{"class": "pb-unit"}))
    body += _axes(frame, ticks)
    for (kind, _, value, colour), text, label_y in zip(lines, line_texts,
                                                       _spread([frame.y(line[2]) for line in lines], 14)):
        dashes = {"stroke-dasharray": "2 3"} if kind == "trigger" else {}
        body += [f'<g class="pb-{kind}">',
                 _element("line", {"x1": frame.left, "y1": frame.y(value), "x2": frame.right, "y2": frame.y(value),
                                   "stroke": colour, "stroke-width": 2, **dashes}),
                 _label(frame.right + 6, label_y + 4, _fit(text, right_room), colour=colour), "</g>"]
    body += _team(frame, unit)
    band, rows = _milestones(frame, unit)
    body += band
    body += _person(frame, plan.person.first_name, unit)
    height = frame.bottom + 28 + (MILESTONE_ROW * rows + 10 if rows else 0)
    return _svg(chart_id, height, f"{criterion.metric} over time", _summary(plan, timeline, criterion), body,
                heading=criterion.metric)


def _legend(person: str, team: bool, milestones: bool, left: float) -> str:
    """A row of keys above the plot: each line's style beside its name."""
    keys = [(person, _PERSON_KEY)]
    if team:
        keys.append(("Team", _TEAM_KEY))
    if milestones:
        keys.append(("Milestone target", _MILESTONE_KEY))
    parts, at = ['<g class="pb-legend">'], left
    for name, sample in keys:
        name = _fit(name, 160)
        parts.append(f'<g transform="translate({_n(at)},{_n(16 + TITLE_BAND)})">{sample}</g>')
        parts.append(_label(at + 30, 20 + TITLE_BAND, name))
        at += 30 + _width(name) + 20
    parts.append("</g>")
    return "".join(parts)


def _axes(frame: Frame, ticks: list[str]) -> list[str]:
    """Gridlines with the values on the left; the slots' labels under the plot."""
    parts = ['<g class="pb-axis">']
    for tick, text in zip(frame.scale.ticks, ticks):
        parts.append(_element("line", {"x1": frame.left, "y1": frame.y(tick), "x2": frame.right,
                                       "y2": frame.y(tick), "stroke": GRID_COLOUR, "stroke-width": 1}))
        parts.append(_label(frame.left - 6, frame.y(tick) + 4, _fit(text, frame.left - 8), anchor="end"))
    parts.append(_element("line", {"x1": frame.left, "y1": frame.bottom, "x2": frame.right, "y2": frame.bottom,
                                   "stroke": TEAM_COLOUR, "stroke-width": 1}))
    # From the latest back, a label that would run into the one after it is left out: the latest is always shown.
    shown, edge = [], math.inf
    for index in range(len(frame.slots) - 1, -1, -1):
        label, x = frame.slots[index].label, frame.x(index)
        half = _width(label, SMALL_FONT_SIZE) / 2
        if x + half + 6 <= edge:
            shown.append(_label(x, frame.bottom + 16, label, anchor="middle", size=SMALL_FONT_SIZE))
            edge = x - half
    parts += reversed(shown)
    parts.append("</g>")
    return parts


def _team(frame: Frame, unit: str) -> list[str]:
    team = [(frame.x(index), frame.y(slot.team), slot) for index, slot in enumerate(frame.slots)
            if slot.team is not None]
    if not team:
        return []
    parts = ['<g class="pb-team">']
    parts += _polyline([(x, y) for x, y, _ in team], TEAM_COLOUR, {"stroke-dasharray": "6 4"})
    for x, y, slot in team:
        parts.append(_square(x, y, _tooltip(f"Team, {slot.label}: {measure(slot.team, unit)}")))
    parts.append("</g>")
    return parts


def _person(frame: Frame, name: str, unit: str) -> list[str]:
    """The person's values, joined, with the latest written beside its dot."""
    points = [(frame.x(index), frame.y(slot.value), slot) for index, slot in enumerate(frame.slots)
              if slot.value is not None]
    parts = ['<g class="pb-person">']
    parts += _polyline([(x, y) for x, y, _ in points], PERSON_COLOUR, {"stroke-width": "2.5"})
    for x, y, slot in points:
        parts.append(_element("circle", {"class": "pb-point", "cx": x, "cy": y, "r": 4, "fill": PERSON_COLOUR},
                              _tooltip(f"{name}, {slot.label}: {measure(slot.value, unit)}")))
    x, y, slot = points[-1]
    parts.append(_label(x + 8, y - 8, measure(slot.value, unit), colour=PERSON_COLOUR,
                        **{"class": "pb-latest", "font-weight": "bold"}))
    parts.append("</g>")
    return parts


def _milestones(frame: Frame, unit: str) -> tuple[list[str], int]:
    """A diamond at each milestone's target; under the axis, its key, the target and where it stands.

    Returns the parts and how many rows of labels they take: a label that would run into the one
    before it goes a row lower.
    """
    marks = [(index, mark) for index, slot in enumerate(frame.slots) for mark in slot.marks]
    targets = [measure(mark.target, unit) for _, mark in marks]
    halves = [max(_width(target, SMALL_FONT_SIZE) + 12, _width(VERDICT_WORDS[mark.state], SMALL_FONT_SIZE)) / 2
              for (_, mark), target in zip(marks, targets)]
    rows = _rows([(frame.x(index) - half, frame.x(index) + half) for (index, _), half in zip(marks, halves)])
    parts = []
    for (index, mark), target, row in zip(marks, targets, rows):
        x, label_y = frame.x(index), frame.bottom + MILESTONE_BAND + row * MILESTONE_ROW
        summary = f"Milestone {plain_date(mark.date)}: {mark.title} ({VERDICT_WORDS[mark.milestone]})"
        key_x = x - (_width(target, SMALL_FONT_SIZE) + 12) / 2 + 4
        parts += [f'<g class="pb-milestone pb-{mark.state}">', _tooltip(summary),
                  _diamond(x, frame.y(mark.target), mark.state),
                  _diamond(key_x, label_y - 4, mark.state, 4),
                  _label(key_x + 8, label_y, target, size=SMALL_FONT_SIZE),
                  _label(x, label_y + 14, VERDICT_WORDS[mark.state], anchor="middle", size=SMALL_FONT_SIZE),
                  "</g>"]
    return parts, max(rows) + 1 if rows else 0


def _spread(positions: list[float], gap: float) -> list[float]:
    """Label heights moved apart (downwards, in order) so that no two are closer than `gap`."""
    order = sorted(range(len(positions)), key=lambda index: positions[index])
    placed = list(positions)
    for before, after in zip(order, order[1:]):
        placed[after] = max(placed[after], placed[before] + gap)
    return placed


def _rows(spans: list[tuple[float, float]], gap: float = 4) -> list[int]:
    """The row each (left, right) span goes in: the first where it clears the row's last span."""
    edges: list[float] = []  # the right edge of each row so far
    rows = []
    for left, right in spans:
        row = next((index for index, edge in enumerate(edges) if left >= edge + gap), len(edges))
        if row == len(edges):
            edges.append(right)
        else:
            edges[row] = right
        rows.append(row)
    return rows


def _diamond(x: float, y: float, state: str, size: float = 6) -> str:
    """A milestone: filled when met, crossed when missed, hollow otherwise."""
    points = f"{_n(x)},{_n(y - size)} {_n(x + size)},{_n(y)} {_n(x)},{_n(y + size)} {_n(x - size)},{_n(y)}"
    colour = {"met": TARGET_COLOUR, "missed": TRIGGER_COLOUR}.get(state, TEAM_COLOUR)
    shape = _element("polygon", {"points": points, "fill": colour if state == "met" else BACKGROUND,
                                 "stroke": colour, "stroke-width": 2})
    if state == "missed":
        half = size / 2
        shape += _element("path", {"d": f"M{_n(x - half)} {_n(y - half)}L{_n(x + half)} {_n(y + half)}"
                                         f"M{_n(x - half)} {_n(y + half)}L{_n(x + half)} {_n(y - half)}",
                                   "stroke": colour, "stroke-width": 1.5})
    return shape


def _square(x: float, y: float, content: str = "") -> str:
    return _element("rect", {"x": x - 3.5, "y": y - 3.5, "width": 7, "height": 7, "fill": BACKGROUND,
                             "stroke": TEAM_COLOUR, "stroke-width": 1.5}, content)


def _polyline(points: list[tuple[float, float]], colour: str, style: dict[str, str]) -> list[str]:
    if len(points) < 2:
        return []
    attributes = {"points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points), "fill": "none",
                  "stroke": colour, "stroke-width": "1.5", "stroke-linejoin": "round"}
    return [_element("polyline", {**attributes, **style})]


# The legend's samples of each line's style, drawn once.
_PERSON_KEY = (_element("line", {"x1": 0, "y1": 0, "x2": 24, "y2": 0, "stroke": PERSON_COLOUR, "stroke-width": 2.5})
               + _element("circle", {"cx": 12, "cy": 0, "r": 4, "fill": PERSON_COLOUR}))
_TEAM_KEY = (_element("line", {"x1": 0, "y1": 0, "x2": 24, "y2": 0, "stroke": TEAM_COLOUR, "stroke-width": 1.5,
                               "stroke-dasharray": "6 4"})
             + _square(12, 0))
_MILESTONE_KEY = _diamond(12, 0, "upcoming")


# Bars

def bar_chart(rows: list[tuple[str, float]], *, chart_id: str, title: str, description: str, unit: str = "%",
              maximum: float = 100, value_text: Callable[[float], str] | None = None) -> str:
    """Horizontal bars, one per (label, value), each in a track that stands for `maximum`.

    `value_text` writes a value as the table beside the chart writes it; by default, rounded to one
    decimal with its unit (`66.7%`). Raises ValueError for a `maximum` that is not above zero, a value
    that is not a finite number, or a `chart_id` that cannot be an id.
    """
    if not maximum > 0 or math.isinf(maximum):
        raise ValueError(f"the maximum of a bar chart must be a number above zero, not {maximum!r}")
    if not all(math.isfinite(value) for _, value in rows):
        raise ValueError("a bar's value must be a number")
    write = value_text or (lambda value: measure(round(float(value), 1), unit))
    value_texts = [write(value) for _, value in rows]
    left, right = 16.0, BAR_WIDTH - 16.0
    track = right - left
    row_height, bar_height, top = 44.0, 14.0, 10.0 + TITLE_BAND
    body = []
    for index, ((label, value), text) in enumerate(zip(rows, value_texts)):
        text_y = top + index * row_height + 14
        bar_y = text_y + 8
        length = track * min(1.0, max(0.0, float(value) / maximum))
        body.append('<g class="pb-bar">')
        body.append(_tooltip(f"{label}: {text}"))
        body.append(_label(left, text_y, _fit(str(label), track - _width(text) - 12)))
        body.append(_label(right, text_y, text, anchor="end", **{"font-weight": "bold"}))
        body.append(_element("rect", {"x": left, "y": bar_y, "width": track, "height": bar_height,
                                      "fill": BACKGROUND, "stroke": TRACK_COLOUR, "stroke-width": 1}))
        body.append(_element("rect", {"class": "pb-bar-value", "x": left, "y": bar_y,
                                      "width": length, "height": bar_height, "fill": PERSON_COLOUR}))
        body.append("</g>")
    if not rows:
        body.append(_label(BAR_WIDTH / 2, top + row_height / 2, "No data", anchor="middle"))
    height = top + max(1, len(rows)) * row_height + 8
    return _svg(chart_id, height, title, description, body, heading=title, width=BAR_WIDTH,
                style=f"max-width: {BAR_WIDTH * 3 // 2}px")
