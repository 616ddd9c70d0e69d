"""Charts: each SVG parsed as XML and read for what a person would notice.

A small growth plan is built by hand (`plan_with`): one criterion, a few milestones, results in
the log; the example PIP (Jordan Lee, as of 2026-11-20) gives a chart with history, a team line,
a result, a trigger and milestones met, missed and to come.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TODAY
from generator.check import check_paths
from generator.config import Policy
from generator.model import PublicPlan
from generator.render.charts import bar_chart, criterion_chart
from generator.render.site import REQUIRED_EXTENSIONS
from generator.timeline import build_timeline
from generator.units import percent
from sitekit import GOOD

SVG = "{http://www.w3.org/2000/svg}"
JORDAN = GOOD / "emea-west" / "jordan-lee-pip-2026-10.yaml"
WHITE = (255, 255, 255)


def plan_with(criterion: dict | None = None, milestones: list | None = None, log: list | None = None,
              name: str = "Jordan Lee") -> PublicPlan:
    criterion = {"id": "conversion", "metric": "Discovery-to-demo conversion", "unit": "%", "baseline": 18,
                 "target": 30, **(criterion or {})}
    return PublicPlan.model_validate({
        "kind": "growth",
        "status": "active",
        "person": {"name": name, "id": "jordan-lee", "role": "Account Executive", "team": "emea-west"},
        "manager": {"name": "Priya Shah", "id": "priya-shah"},
        "timetable": {"start": "2026-10-05", "days": 90, "check_ins": {"weekdays": ["monday"]},
                      "reviews": [{"date": "2026-11-04", "title": "30-day review"}]},
        "criteria": [criterion],
        "actions": [{"step": "Review two calls a week", "owner": "person"}],
        "milestones": milestones if milestones is not None else [
            {"date": "2026-11-04", "title": "Checklist in use", "targets": {criterion["id"]: 22}},
            {"date": "2027-01-03", "title": "Objectives met", "targets": {criterion["id"]: 30}},
        ],
        "log": log or [],
    })


def result(day: str, value: float, criterion: str = "conversion", kind: str = "check-in") -> dict:
    return {"date": day, "kind": kind, "note": "Numbers reviewed.", "results": {criterion: value}}


HISTORY = [{"period": "2026-07", "value": 17, "team": 34}, {"period": "2026-08", "value": 19, "team": 36},
           {"period": "2026-09", "value": 18, "team": 35}]
TRIGGER = {"below": 24, "by": "2026-11-04", "then": "written-warning"}


def chart(plan: PublicPlan, today: date = date(2026, 11, 20), criterion: str = "conversion") -> str | None:
    return criterion_chart(plan, build_timeline(plan, today), criterion, chart_id="chart-1")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [" ".join("".join(text.itertext()).split()) for text in root.iter(f"{SVG}text")]


def group(root: ET.Element, name: str) -> ET.Element:
    found = [g for g in root.iter(f"{SVG}g") if name in g.get("class", "").split()]
    assert len(found) == 1, f"{len(found)} groups of class {name}"
    return found[0]


def groups(root: ET.Element, name: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if name in g.get("class", "").split()]


def points(root: ET.Element) -> list[tuple[float, float, str]]:
    """The person's dots, in document order: x, y and the tooltip."""
    return [(float(c.get("cx")), float(c.get("cy")), c.find(f"{SVG}title").text)
            for c in group(root, "pb-person").iter(f"{SVG}circle")]


def line_y(root: ET.Element, name: str) -> float:
    line = group(root, name).find(f"{SVG}line")
    assert line.get("y1") == line.get("y2"), "a horizontal line"
    return float(line.get("y1"))


def jordan() -> tuple[PublicPlan, object]:
    result_ = check_paths([JORDAN], Policy(), TODAY)
    plan = PublicPlan.of(result_.plan_files[0].plan)
    return plan, build_timeline(plan, TODAY)


# What the chart says in words

def test_the_example_chart_says_what_it_shows():
    plan, timeline = jordan()
    root = parse(criterion_chart(plan, timeline, "discovery-to-demo", chart_id="chart-discovery-to-demo"))
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("aria-labelledby") == "chart-discovery-to-demo-title chart-discovery-to-demo-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-discovery-to-demo-title"
    assert root.find(f"{SVG}desc").get("id") == "chart-discovery-to-demo-desc"
    assert root.find(f"{SVG}title").text == "Discovery-to-demo conversion over time"
    assert root.find(f"{SVG}desc").text == ("Jordan's latest result is 21% (4 Nov 2026); the target is 30% "
                                            "and the trigger line is 24%.")
    labels = texts(root)
    assert {"Target 30%", "Trigger 24%", "Jordan", "Team", "Milestone target"} <= set(labels)
    assert [p[2] for p in points(root)] == ["Jordan, 2026-07: 17%", "Jordan, 2026-08: 19%",
                                            "Jordan, 2026-09: 18%", "Jordan, 4 Nov 2026: 21%"]
    assert len(group(root, "pb-team").findall(f"{SVG}rect")) == 3


def test_the_x_axis_is_the_history_then_results_and_milestones_by_date():
    plan, timeline = jordan()
    root = parse(criterion_chart(plan, timeline, "discovery-to-demo", chart_id="c"))
    axis = texts(group(root, "pb-axis"))
    assert axis[-6:] == ["2026-07", "2026-08", "2026-09", "4 Nov 2026", "4 Dec 2026", "3 Jan 2027"]


def test_each_chart_has_its_metric_as_a_visible_title():
    plan, timeline = jordan()
    for criterion, metric in (("discovery-to-demo", "Discovery-to-demo conversion"),
                              ("qualified-meetings", "Qualified first meetings per week")):
        root = parse(criterion_chart(plan, timeline, criterion, chart_id="c"))
        [heading] = [t for t in root.iter(f"{SVG}text") if t.get("class") == "pb-chart-title"]
        assert heading.text == metric and float(heading.get("font-size")) >= 12
        assert float(heading.get("y")) < min(float(t.get("y")) for t in root.iter(f"{SVG}text") if t is not heading)


def test_a_chart_without_a_trigger_says_so_by_leaving_it_out():
    root = parse(chart(plan_with({"history": HISTORY})))
    assert root.find(f"{SVG}desc").text == "Jordan's latest value is 18% (2026-09); the target is 30%."
    assert not groups(root, "pb-trigger")
    assert not any(text.startswith("Trigger") for text in texts(root))


# Points

def test_one_point_per_history_period_then_one_per_result_in_order():
    plan = plan_with({"history": HISTORY}, log=[result("2026-11-12", 25), result("2026-10-20", 20),
                                                 result("2026-11-30", 29)])  # the last is after today
    found = points(parse(chart(plan)))
    assert [tip for _, _, tip in found] == ["Jordan, 2026-07: 17%", "Jordan, 2026-08: 19%", "Jordan, 2026-09: 18%",
                                            "Jordan, 20 Oct 2026: 20%", "Jordan, 12 Nov 2026: 25%"]
    xs = [x for x, _, _ in found]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    ys = [y for _, y, _ in found]  # higher values sit higher (smaller y)
    assert ys[1] < ys[2] < ys[0] and ys[4] < ys[3] < ys[1]


def test_the_x_axis_is_proportional_to_time():
    # 30 days, then 8 days, then 52 days: the gaps between the dots are in the same proportion.
    plan = plan_with(log=[result("2026-10-05", 18), result("2026-11-04", 21), result("2026-11-12", 22)],
                     milestones=[{"date": "2027-01-03", "title": "Objectives met", "targets": {"conversion": 30}}])
    xs = [x for x, _, _ in points(parse(chart(plan)))]
    mark = parse(chart(plan))
    [diamond] = [g.find(f"{SVG}polygon") for g in groups(mark, "pb-milestone")]
    xs.append(float(diamond.get("points").split(",")[0]))
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert gaps[0] / gaps[1] == pytest.approx(30 / 8, rel=0.02)
    assert gaps[2] / gaps[1] == pytest.approx(52 / 8, rel=0.02)


def test_history_periods_that_name_a_month_or_a_quarter_stand_at_their_middle_on_the_time_axis():
    history = [{"period": "2026-Q1", "value": 10}, {"period": "2026-Q2", "value": 12},
               {"period": "2026-07", "value": 14}, {"period": "2026-08", "value": 15}]
    xs = [x for x, _, _ in points(parse(chart(plan_with({"history": history}))))]
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    # Middles: 15 Feb, 15 May, 15 Jul, 15 Aug: 89, 61 and 31 days apart.
    assert gaps[0] / gaps[2] == pytest.approx(89 / 31, rel=0.02) and gaps[1] / gaps[2] == pytest.approx(61 / 31, rel=0.02)


def test_periods_that_name_no_date_keep_equal_steps_before_the_dated_results():
    history = [{"period": "Q1", "value": 10}, {"period": "Q2", "value": 12}, {"period": "Q3", "value": 14}]
    plan = plan_with({"history": history}, log=[result("2026-10-05", 18), result("2026-10-13", 19),
                                                result("2026-11-12", 20)])
    xs = [x for x, _, _ in points(parse(chart(plan)))]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.1)
    assert (xs[5] - xs[4]) / (xs[4] - xs[3]) == pytest.approx(30 / 8, rel=0.02)


def test_the_latest_value_is_written_beside_its_dot():
    root = parse(chart(plan_with({"history": HISTORY}, log=[result("2026-11-12", 25)])))
    assert texts(group(root, "pb-person"))[-1] == "25%"


def test_a_result_logged_later_than_today_is_not_drawn():
    plan = plan_with(log=[result("2026-12-01", 29)])
    assert chart(plan, today=date(2026, 11, 20)) is None
    assert len(points(parse(chart(plan, today=date(2026, 12, 1))))) == 1


def test_no_chart_without_history_or_results():
    assert chart(plan_with()) is None
    with pytest.raises(KeyError):
        chart(plan_with({"history": HISTORY}), criterion="no-such-criterion")


# Lines

def test_the_trigger_line_sits_below_the_target_when_the_metric_must_rise():
    root = parse(chart(plan_with({"history": HISTORY, "trigger": TRIGGER})))
    target, trigger = line_y(root, "pb-target"), line_y(root, "pb-trigger")
    assert trigger > target  # lower on the page
    lowest = points(root)[0]  # 17%, below the trigger line
    assert lowest[1] > trigger
    assert texts(group(root, "pb-target")) == ["Target 30%"] and texts(group(root, "pb-trigger")) == ["Trigger 24%"]


def test_the_trigger_line_sits_above_the_target_when_the_metric_must_fall():
    plan = plan_with({"metric": "Days to first reply", "unit": "days", "baseline": 5, "target": 2,
                      "history": [{"period": "Q3", "value": 5}],
                      "trigger": {"above": 4, "by": "2026-11-04", "then": "written-warning"}})
    root = parse(chart(plan))
    assert line_y(root, "pb-trigger") < line_y(root, "pb-target")
    assert "Trigger 4 days" in texts(root) and "Target 2 days" in texts(root)


def test_lines_differ_in_style_not_only_in_colour():
    root = parse(chart(plan_with({"history": HISTORY, "trigger": TRIGGER})))
    dashes = {name: group(root, name).find(f"{SVG}line").get("stroke-dasharray")
              for name in ("pb-target", "pb-trigger")}
    dashes["pb-team"] = group(root, "pb-team").find(f"{SVG}polyline").get("stroke-dasharray")
    dashes["pb-person"] = group(root, "pb-person").find(f"{SVG}polyline").get("stroke-dasharray")
    assert dashes["pb-target"] is None and dashes["pb-person"] is None  # solid
    assert dashes["pb-team"] and dashes["pb-trigger"] and dashes["pb-team"] != dashes["pb-trigger"]


def test_a_team_line_only_where_history_gives_the_team():
    history = [{"period": "2026-08", "value": 19}, {"period": "2026-09", "value": 18, "team": 35}]
    root = parse(chart(plan_with({"history": history})))
    assert len(group(root, "pb-team").findall(f"{SVG}rect")) == 1
    assert group(root, "pb-team").find(f"{SVG}polyline") is None  # one point is no line
    assert not groups(parse(chart(plan_with({"history": history[:1]}))), "pb-team")


# Milestones

def test_each_milestone_is_marked_at_its_date_with_its_target_and_verdict():
    plan = plan_with({"history": HISTORY}, milestones=[
        {"date": "2026-10-20", "title": "First step", "targets": {"conversion": 20}},
        {"date": "2026-11-04", "title": "Checklist in use", "targets": {"conversion": 22}},
        {"date": "2027-01-03", "title": "Objectives met", "targets": {"conversion": 30}},
    ], log=[result("2026-10-20", 20), result("2026-11-04", 21, kind="review")])
    root = parse(chart(plan))
    marks = groups(root, "pb-milestone")
    assert [texts(g) for g in marks] == [["20%", "met"], ["22%", "missed"], ["30%", "to come"]]
    assert [g.get("class") for g in marks] == ["pb-milestone pb-met", "pb-milestone pb-missed",
                                               "pb-milestone pb-upcoming"]
    assert marks[0].find(f"{SVG}title").text == "Milestone 20 Oct 2026: First step (met)"
    # A milestone shares the slot of the result logged on its day; the one to come has its own.
    xs = [x for x, _, _ in points(root)]
    diamonds = [g.find(f"{SVG}polygon") for g in marks]
    mark_xs = [float(d.get("points").split(",")[0]) for d in diamonds]
    assert mark_xs[:2] == xs[-2:] and mark_xs[2] > xs[-1]
    # The shapes differ: filled when met, hollow when missed or to come, crossed when missed.
    assert diamonds[0].get("fill") != "#ffffff" and diamonds[1].get("fill") == diamonds[2].get("fill") == "#ffffff"
    assert marks[1].find(f"{SVG}path") is not None and marks[2].find(f"{SVG}path") is None
    # 20 Oct is 15 days before 4 Nov: too close on a time axis for both labels, so the earlier is left out.
    assert texts(group(root, "pb-axis"))[-2:] == ["4 Nov 2026", "3 Jan 2027"]
    assert "20 Oct 2026" not in texts(group(root, "pb-axis"))


def test_a_milestone_target_reached_is_not_shown_missed_for_another_criterion():
    """Jordan's 4 Nov milestone is missed (conversion 21% < 22%) but its 5 meetings were reached."""
    plan, timeline = jordan()
    assert timeline.milestones[0].verdict == "missed"
    meetings = parse(criterion_chart(plan, timeline, "qualified-meetings", chart_id="m"))
    first = groups(meetings, "pb-milestone")[0]
    assert texts(first) == ["5 meetings", "met"]
    assert first.find(f"{SVG}title").text.endswith("(missed)")  # the milestone's own verdict, in its tooltip
    conversion = parse(criterion_chart(plan, timeline, "discovery-to-demo", chart_id="d"))
    assert texts(groups(conversion, "pb-milestone")[0]) == ["22%", "missed"]


def test_milestone_labels_that_would_collide_take_another_row():
    milestones = [{"date": f"2026-10-{day}", "title": "Step", "targets": {"conversion": 20 + index}}
                  for index, day in enumerate(range(10, 31, 2))]
    log = [result(f"2026-10-{day}", 20) for day in range(10, 31, 2)]
    root = parse(chart(plan_with({"history": HISTORY}, milestones=milestones, log=log)))
    boxes = []
    for g in groups(root, "pb-milestone"):
        label = g.find(f"{SVG}text")
        x, y = float(label.get("x")), float(label.get("y"))
        boxes.append((x - 8, x + len(label.text) * 6.6 + 4, y))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] != b[2] or a[1] <= b[0] or b[1] <= a[0], (a, b)
    assert len({y for _, _, y in boxes}) > 1


# Layout that holds whatever the numbers

def coordinates(svg: str) -> list[str]:
    return re.findall(r'\b(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"', svg) + \
        [n for p in re.findall(r'points="([^"]*)"', svg) for n in re.split(r"[ ,]", p)]


def assert_sane(svg: str) -> ET.Element:
    root = parse(svg)
    for value in coordinates(svg):
        assert re.fullmatch(r"-?[0-9]+(\.[0-9])?|100%", value), value
    width, height = map(float, root.get("viewBox").split()[2:])
    assert width == 640 and height > 0
    for x, y, _ in points(root) if groups(root, "pb-person") else []:
        assert 0 <= x <= width and 0 <= y <= height
    return root


def test_a_single_point():
    root = assert_sane(chart(plan_with(log=[result("2026-11-04", 21)], milestones=[
        {"date": "2027-01-03", "title": "Objectives met", "targets": {}}])))
    assert len(points(root)) == 1 and group(root, "pb-person").find(f"{SVG}polyline") is None
    assert root.find(f"{SVG}desc").text == "Jordan's latest result is 21% (4 Nov 2026); the target is 30%."


@pytest.mark.parametrize("value", [0, 5, -3, 10**12, -(10**12), 0.001])
def test_all_values_equal(value):
    history = [{"period": p, "value": value, "team": value} for p in ("Q1", "Q2", "Q3")]
    plan = plan_with({"baseline": value, "target": value, "history": history}, milestones=[
        {"date": "2027-01-03", "title": "Hold", "targets": {"conversion": value}}])
    root = assert_sane(chart(plan))
    ys = {y for _, y, _ in points(root)}
    assert len(ys) == 1 and ys == {line_y(root, "pb-target")}
    ticks = [t for t in texts(group(root, "pb-axis")) if t.endswith("%")]
    assert len(ticks) == len(set(ticks)) >= 2


def test_negative_values():
    history = [{"period": "Q1", "value": -5}, {"period": "Q2", "value": -2}, {"period": "Q3", "value": -3.5}]
    plan = plan_with({"unit": "pts", "baseline": -5, "target": 3, "history": history,
                      "trigger": {"below": -4, "by": "2026-11-04", "then": "written-warning"}},
                     milestones=[{"date": "2027-01-03", "title": "Objectives met", "targets": {"conversion": 3}}])
    root = assert_sane(chart(plan))
    ys = [y for _, y, _ in points(root)]
    assert line_y(root, "pb-target") < ys[1] < ys[2] < line_y(root, "pb-trigger") < ys[0]  # -5 is below -4
    assert [tick for tick in texts(group(root, "pb-axis")) if tick.endswith(" pts")] == [
        "-6 pts", "-4 pts", "-2 pts", "0 pts", "2 pts", "4 pts"]


def test_the_widest_range_a_plan_can_hold():
    history = [{"period": "Q1", "value": -(10**12)}, {"period": "Q2", "value": 0.5}, {"period": "Q3", "value": 10**12}]
    root = assert_sane(chart(plan_with({"unit": "euros", "baseline": 0, "target": 10**12, "history": history})))
    ys = [y for _, y, _ in points(root)]
    assert ys[2] < ys[1] < ys[0]
    assert "euros" in texts(root)  # a longer unit is written once, above the axis
    target = texts(group(root, "pb-target"))[0]  # cut short where it would not fit: the desc says it in full
    assert target.startswith("Target 1000000000000") and "1000000000000 euros" in root.find(f"{SVG}desc").text


VALUES = st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e12, 1e12, allow_nan=False))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(VALUES, st.none() | VALUES), min_size=1, max_size=8), VALUES, VALUES, VALUES)
def test_any_values_a_plan_can_hold_draw_inside_the_chart(history, target, trigger, milestone):
    plan = plan_with({"baseline": 0, "target": target, "history": [
        {"period": f"P{index}", "value": value, "team": team} for index, (value, team) in enumerate(history)],
        "trigger": {"below": trigger, "by": "2026-11-04", "then": "written-warning"}},
        milestones=[{"date": "2027-01-03", "title": "End", "targets": {"conversion": milestone}}])
    svg = chart(plan)
    root = assert_sane(svg)
    assert len(points(root)) == len(history)
    assert svg == chart(plan)


def test_many_results_keep_the_latest_labelled_and_labels_apart():
    log = [result(f"2026-{month:02d}-{day:02d}", 18 + day % 7) for month in (10, 11) for day in range(5, 29)
           if not (month == 11 and day > 19)]
    root = assert_sane(chart(plan_with(log=log, milestones=[{"date": "2026-10-05", "title": "Start",
                                                             "targets": {}}])))
    assert len(points(root)) == len(log)
    axis = [t for t in group(root, "pb-axis").iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert axis[-1].text == "19 Nov 2026"
    xs = [float(t.get("x")) for t in axis]
    assert all(b - a >= len("30 Oct 2026") * 6.6 for a, b in zip(xs, xs[1:]))


def test_no_text_is_smaller_than_11px():
    plan, timeline = jordan()
    svg = criterion_chart(plan, timeline, "discovery-to-demo", chart_id="c")
    root = parse(svg)
    assert root.get("font-size") == "12"
    assert all(float(t.get("font-size", "12")) >= 11 for t in root.iter(f"{SVG}text"))


def contrast(colour: str) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return (luminance(WHITE) + 0.05) / (luminance(rgb) + 0.05)


def test_colours_hold_against_the_white_card():
    plan, timeline = jordan()
    svgs = [criterion_chart(plan, timeline, c, chart_id="c") for c in ("discovery-to-demo", "qualified-meetings")]
    svgs.append(bar_chart([("Check-ins held", 80)], chart_id="b", title="Rates", description="One rate."))
    for svg in svgs:
        root = parse(svg)
        assert root.find(f"{SVG}rect").get("fill") == "#ffffff"  # the card the colours are chosen for
        for element in root.iter():
            if element.tag == f"{SVG}text":
                assert contrast(element.get("fill")) >= 4.5, element.get("fill")
            stroke = element.get("stroke")
            if stroke and stroke != "#e0e0e0":  # gridlines only decorate: the tick labels give the values
                assert contrast(stroke) >= 3, stroke


# Hostile text and determinism

HOSTILE = '<script>alert("x")</script> & <b>Co</b> *bold* _it_ `code` [a](javascript:x) :smile: ]]>'


def test_hostile_names_are_text():
    plan = plan_with({"metric": HOSTILE, "unit": "<i>&", "history": HISTORY, "trigger": TRIGGER},
                     milestones=[{"date": "2026-11-04", "title": HOSTILE, "targets": {"conversion": 22}}],
                     name="<img src=x onerror=alert(1)> & Co")
    svg = chart(plan)
    root = parse(svg)
    assert "<script" not in svg.lower() and "<img" not in svg.lower() and "<b>" not in svg
    assert root.find(f"{SVG}title").text == f"{HOSTILE} over time"
    assert root.find(f"{SVG}desc").text.startswith("<img's latest value is 18 <i>& (2026-09);")
    assert group(root, "pb-milestone").find(f"{SVG}title").text.startswith(f"Milestone 4 Nov 2026: {HOSTILE}")
    assert {element.tag for element in root.iter()} <= {SVG + tag for tag in (
        "svg", "title", "desc", "rect", "g", "line", "text", "polyline", "circle", "polygon", "path")}


def test_markdown_leaves_the_chart_as_it_is():
    plan = plan_with({"metric": HOSTILE, "history": HISTORY}, name="Jo *Lee*")
    svg = chart(plan)
    assert all(line.startswith("<") for line in svg.splitlines())  # no line Markdown could read as a block
    html = markdown.markdown(f"Before\n\n{svg}\n\nAfter", extensions=list(REQUIRED_EXTENSIONS),
                             extension_configs=REQUIRED_EXTENSIONS)
    assert svg in html


def test_characters_xml_cannot_hold_are_replaced():
    root = parse(bar_chart([("a\x01b\ud800c\ufffe", 5)], chart_id="b", title="t\x00", description="d\x1f"))
    assert texts(group(root, "pb-bar"))[0] == "a\ufffdb\ufffdc\ufffd"
    assert root.find(f"{SVG}title").text == "t\ufffd"


def test_the_same_input_gives_the_same_bytes():
    plan, timeline = jordan()
    again_plan, again_timeline = jordan()
    first = criterion_chart(plan, timeline, "discovery-to-demo", chart_id="c")
    assert first == criterion_chart(again_plan, again_timeline, "discovery-to-demo", chart_id="c")
    rows = [("Check-ins held", 2 / 3 * 100), ("Reviews held", 50)]
    assert bar_chart(rows, chart_id="b", title="t", description="d") == \
        bar_chart(list(rows), chart_id="b", title="t", description="d")


def test_a_chart_id_must_be_an_id():
    plan = plan_with({"history": HISTORY})
    for bad in ("", "1chart", "a b", 'x" onload="alert(1)'):
        with pytest.raises(ValueError):
            criterion_chart(plan, build_timeline(plan, TODAY), "conversion", chart_id=bad)
        with pytest.raises(ValueError):
            bar_chart([], chart_id=bad, title="t", description="d")


# Bars

def bars(root: ET.Element) -> list[tuple[str, float, str, str]]:
    """Each bar: its label, its width, the value written beside it, and the track's width."""
    found = []
    for g in groups(root, "pb-bar"):
        label, value = [t.text for t in g.iter(f"{SVG}text")]
        track, bar = g.findall(f"{SVG}rect")
        found.append((label, float(bar.get("width")), value, float(track.get("width"))))
    return found


def test_bar_widths_are_proportional_and_labelled():
    rows = [("Check-ins held", 90), ("Reviews held on time", 45), ("Ride-alongs complete", 2 / 3 * 100),
            ("Letters sent", 0)]
    svg = bar_chart(rows, chart_id="compliance", title="Compliance, EMEA West",
                    description="Check-ins held 90%, reviews on time 45%.")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "compliance-title compliance-desc"
    assert root.find(f"{SVG}title").text == "Compliance, EMEA West"
    assert root.find(f"{SVG}desc").text == "Check-ins held 90%, reviews on time 45%."
    found = bars(root)
    assert [(label, value) for label, _, value, _ in found] == [
        ("Check-ins held", "90%"), ("Reviews held on time", "45%"), ("Ride-alongs complete", "66.7%"),
        ("Letters sent", "0%")]
    track = found[0][3]
    for (_, width, _, _), (_, value) in zip(found, rows):
        assert width == pytest.approx(track * value / 100, abs=0.1)


def test_a_bar_says_its_value_as_the_table_rounds_it():
    root = parse(bar_chart([("Sam Ortiz (HR partner)", 0.4615)], chart_id="b", title="Rates", description="d",
                           maximum=1, value_text=percent))
    [(label, width, value, track)] = bars(root)
    assert (label, value) == ("Sam Ortiz (HR partner)", "46%") and width == pytest.approx(track * 0.4615, abs=0.1)


def test_the_bar_chart_reads_at_390_px():
    labels = ["Priya Shah (manager)", "Dana Brooks (manager)", "Alexandra Montgomery (HR partner)"]
    root = parse(bar_chart([(label, 0.5) for label in labels], chart_id="b", title="Compliance rate, worst first",
                           description="d", maximum=1, value_text=percent))
    width = float(root.get("viewBox").split()[2])
    widest = float(re.fullmatch(r"max-width: ([0-9]+)px", root.get("style")).group(1))
    assert root.get("width") == "100%" and width < widest <= 2 * width  # never drawn huge on a wide screen
    scale = (390 - 2 * 16) / width  # the chart fills the page's column at 390 px, less its padding
    assert all(float(t.get("font-size", root.get("font-size"))) * scale >= 11.5 for t in root.iter(f"{SVG}text"))
    for g, label in zip(groups(root, "pb-bar"), labels):
        name, value = g.iter(f"{SVG}text")
        track = g.find(f"{SVG}rect")
        assert name.text == label  # not cut short
        assert float(name.get("y")) < float(track.get("y"))  # the words above the bar, the bar its full width
        assert float(name.get("x")) + len(label) * 12 * 0.6 < float(value.get("x")) - len(value.text) * 12 * 0.6
        assert float(track.get("x")) + float(track.get("width")) <= width


def test_bars_are_clamped_to_the_track_but_say_the_value():
    root = parse(bar_chart([("Over", 120), ("Under", -5), ("Half", 5)], chart_id="b", title="t", description="d",
                           unit="calls", maximum=10))
    (_, over, over_text, track), (_, under, under_text, _), (_, half, half_text, _) = bars(root)
    assert (over, under, half) == (track, 0, pytest.approx(track / 2, abs=0.1))
    assert (over_text, under_text, half_text) == ("120 calls", "-5 calls", "5 calls")


def test_bar_labels_are_escaped_and_the_maximum_must_be_positive():
    svg = bar_chart([(HOSTILE, 50)], chart_id="b", title=HOSTILE, description=HOSTILE)
    root = parse(svg)
    assert "<script" not in svg.lower()
    assert root.find(f"{SVG}title").text == HOSTILE and root.find(f"{SVG}desc").text == HOSTILE
    assert group(root, "pb-bar").find(f"{SVG}title").text == f"{HOSTILE}: 50%"
    for maximum in (0, -1, float("inf"), float("nan")):
        with pytest.raises(ValueError):
            bar_chart([("a", 1)], chart_id="b", title="t", description="d", maximum=maximum)
    with pytest.raises(ValueError):
        bar_chart([("a", float("nan"))], chart_id="b", title="t", description="d")


def test_a_bar_chart_without_rows_still_says_so():
    root = parse(bar_chart([], chart_id="b", title="Rates", description="No plans yet."))
    assert texts(root) == ["Rates", "No data"] and root.find(f"{SVG}desc").text == "No plans yet."
