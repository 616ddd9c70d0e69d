"""The loader refuses hostile or surprising YAML with a located finding (code, line, col), never a
traceback, and reads everything else exactly as a YAML 1.2 reader and the plan author would."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import check_bytes
from generator.config import Policy
from generator.load import MAX_DEPTH, MAX_NUMBER, LoadError, parse
from generator.rules import Context
from growth import FACTOR, LINEAR, growth

TODAY = date(2026, 11, 20)


def test_the_second_of_two_equal_keys_is_refused_at_its_own_line(check, pip_plan):
    plan = pip_plan.change("status: active\n", "status: active\nstatus: draft\n")

    report = check(plan)

    finding = report.only("PB104")
    assert (finding.line, finding.col) == (plan.line("status: draft"), 1)
    assert "first on line 2" in finding.message


def test_a_repeated_key_inside_a_nested_mapping_is_refused(check, pip_plan):
    plan = pip_plan.change("  role: Account Executive\n", "  role: Account Executive\n  name: Jordan L.\n")

    assert check(plan).at("PB104") == [(plan.line("name: Jordan L."), 3)]


def test_a_repeated_key_in_a_flow_mapping_is_refused_at_its_column(check, pip_plan):
    plan = pip_plan.change("targets: {discovery-to-demo: 24}",
                           "targets: {discovery-to-demo: 24, discovery-to-demo: 26}")

    assert check(plan).at("PB104") == [(plan.line("discovery-to-demo: 26"), 38)]


@pytest.mark.parametrize("tagged, tag", [
    ('!!python/object/apply:os.system ["touch {marker}"]', "python/object/apply:os.system"),
    ("!foo skill", "!foo"),
    ("!!str skill", "tag:yaml.org,2002:str"),
])
def test_a_tag_is_refused_where_it_is_written_and_never_constructed(check, pip_plan, tmp_path, tagged, tag):
    marker = tmp_path / "ran"
    plan = pip_plan.change("  cause: skill", "  cause: " + tagged.format(marker=marker))

    report = check(plan)

    finding = report.only("PB105")
    assert (finding.line, finding.col) == (plan.line("cause:"), 10)
    assert tag in finding.message
    assert not marker.exists()


def test_an_anchor_and_its_alias_are_each_refused_once(check, pip_plan):
    plan = pip_plan.change('    unit: "%"', '    unit: &unit "%"').change(
        "  summary: Meetings stall between discovery and demo.", "  summary: *unit")

    report = check(plan)

    assert report.at("PB106") == [(plan.line("summary: *unit"), 12), (plan.line("unit: &unit"), 11)]
    assert "alias `*unit`" in report.findings[0].message


def test_an_anchor_is_refused_even_when_nothing_repeats_it(check, pip_plan):
    plan = pip_plan.change('    unit: "%"', '    unit: &unit "%"')

    assert check(plan).at("PB106") == [(plan.line("unit: &unit"), 11)]


BILLION_LAUGHS = "\n".join(
    ['lol0: &l0 "lol"']
    + [f"lol{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 10)]
) + "\n"


def laughs(width: int) -> bytes:
    """A billion-laughs document whose each level names the one before `width` times."""
    return ("\n".join(['lol0: &l0 "lol"'] + [f"lol{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]"
                                            for n in range(1, 10)]) + "\n").encode()


def _check_raw(raw: bytes) -> list:
    return check_bytes(raw, "plans/team/plan.yaml", Context(Policy(), TODAY))[1]


def test_a_billion_laughs_document_is_refused_without_expanding(check):
    report = check(BILLION_LAUGHS)

    # Expanded, four times the aliases a level would be 4 ** 9 times the work; refused, about 4 times.
    assert growth(_check_raw, laughs, 100) < LINEAR
    assert report.at("PB106")[:2] == [(1, 7), (2, 7)]
    assert len(report.lines("PB106")) == 10 + 9 * 10  # each anchor and each alias once: nothing expanded


def test_bytes_that_are_not_utf8_are_refused_at_the_bad_byte(check, pip_plan):
    raw = pip_plan.change("  name: Jordan Lee", "  name: Jördan Lee").encode("latin-1")

    finding = check(raw).only("PB101")

    assert (finding.line, finding.col) == (pip_plan.line("name: Jordan Lee"), 10)


def test_the_column_of_a_bad_byte_counts_characters_as_every_other_finding_does(check, pip_plan):
    plan = pip_plan.change("  name: Jordan Lee", "  name: Zoë Lee")
    raw = plan.encode("utf-8").replace("Zoë ".encode(), "Zoë ".encode() + b"\xff")

    finding = check(raw).only("PB101")

    assert (finding.line, finding.col) == (plan.line("name: Zoë Lee"), len("  name: Zoë ") + 1)


def test_a_utf8_byte_order_mark_is_accepted(check, pip_plan):
    assert check("\ufeff" + pip_plan).findings == []


def test_a_byte_order_mark_does_not_shift_positions(check, pip_plan):
    plan = pip_plan.change("  days: 90", "  days: ninety")

    assert check("\ufeff" + plan).at("PB113") == [(plan.line("days: ninety"), 9)]


@pytest.mark.parametrize("text, what", [
    ("- kind: pip\n- status: active\n", "a list"),
    ("just a sentence\n", "text"),
    ("42\n", "a number"),
    ("", "empty"),
    ("# only a comment\n", "empty"),
    ("~\n", "empty"),
])
def test_a_document_that_is_not_a_mapping_is_refused(check, text, what):
    report = check(text)

    finding = report.only("PB110")
    assert (finding.line, finding.col) == (1, 1)
    assert finding.message.endswith(what)


def test_a_refused_plain_value_as_the_whole_document_is_named_in_words(check):
    assert "Unreadable" not in check("no\n").only("PB110").message


def test_a_second_document_is_refused_at_its_start(check, pip_plan):
    plan = pip_plan + "---\nkind: growth\n"

    assert check(plan).at("PB103") == [(plan.line("---"), 1)]


def test_a_file_over_the_default_size_bound_is_refused(check, pip_plan):
    padding = "# " + "x" * 78 + "\n"
    plan = pip_plan + padding * (1024 * 1024 // len(padding) + 1)

    report = check(plan)

    assert [(f.code, f.line, f.col) for f in report.findings] == [("PB102", 1, 1)]


def test_the_size_bound_is_policy(check, pip_plan):
    assert len(pip_plan.encode()) > 1024
    assert check(pip_plan, policy=Policy(max_file_bytes=1024)).at("PB102") == [(1, 1)]
    assert check(pip_plan, policy=Policy(max_file_bytes=4096)).findings == []


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_nesting_ten_thousand_deep_is_refused_at_the_bound_in_linear_time(check, opening):
    report = check("kind: " + opening * 10_000 + "\n")

    assert growth(_check_raw, lambda depth: ("kind: " + opening * depth + "\n").encode(), 10_000) < LINEAR
    # The root mapping is level 1; the bound is reached at the opening that would be level MAX_DEPTH + 1.
    assert report.at("PB107") == [(1, len("kind: ") + 1 + (MAX_DEPTH - 1) * len(opening))]


NESTINGS = {  # opening repeated 10,000 times after the root's `kind:`, and where its level MAX_DEPTH + 1 starts
    "flow lists": ("kind: {}", "[", (1, len("kind: ") + 1 + (MAX_DEPTH - 1))),
    "spaced flow lists": ("kind: {}", "[ ", (1, len("kind: ") + 1 + (MAX_DEPTH - 1) * 2)),
    "flow mappings": ("kind: {}", "{a: ", (1, len("kind: ") + 1 + (MAX_DEPTH - 1) * 4)),
    "block lists": ("kind:\n  {}x\n", "- ", (2, 3 + (MAX_DEPTH - 1) * 2)),
}


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize("shape, opening, where", NESTINGS.values(), ids=NESTINGS.keys())
def test_deep_nesting_is_refused_at_the_bound_whichever_parser_stops_first(monkeypatch, loader, shape, opening, where):
    # libyaml (PyYAML 6.0.4 on) stops at its own limit, possibly before it has given us 33 levels;
    # the pure-Python parser never stops: either way the opening that crosses our bound is named.
    monkeypatch.setattr("generator.load._Loader", getattr(yaml, loader, None) or pytest.skip(f"no {loader}"))

    with pytest.raises(LoadError) as refused:
        parse(shape.format(opening * 10_000))

    assert (refused.value.problem.code, refused.value.problem.line, refused.value.problem.col) == ("PB107",) + where


def test_the_nesting_bound_leaves_room_for_every_plan():
    deep = "a:\n" + "".join("  " * level + "- \n" for level in range(1, MAX_DEPTH - 1))
    assert parse(deep).data  # MAX_DEPTH - 1 levels below the root read fine

    with pytest.raises(LoadError) as refused:
        parse("a:\n" + "".join("  " * level + "- \n" for level in range(1, MAX_DEPTH + 1)))
    assert refused.value.problem.code == "PB107"


@pytest.mark.parametrize("written", ["2026-02-30", '"2026-02-30"'])
def test_a_date_that_does_not_exist_is_refused_at_its_position(check, pip_plan, written):
    plan = pip_plan.change("  start: 2026-11-16", f"  start: {written}")

    report = check(plan)

    assert report.at("PB109") == [(plan.line("start: "), 10)]
    assert "PB113" not in report.codes  # reported once, as what it is


YAML_1_1_SURPRISES = ["no", "yes", "on", "off", "y", "N", "1:20", "010", "0x1A", "0o17", "1_000", "1e3", "2.5e3"]


@pytest.mark.parametrize("written, value", [("1.0e+3", 1000.0), ("2.5", 2.5), ("-3", -3)])
def test_numbers_both_yaml_versions_agree_on_are_read(check, pip_plan, written, value):
    plan = pip_plan.change("    baseline: 18", f"    baseline: {written}")

    report = check(plan)

    assert "PB108" not in report.codes
    assert report.plan_files[0].plan.criteria[0].baseline == value


@pytest.mark.parametrize("value", YAML_1_1_SURPRISES)
def test_a_yaml_1_1_surprise_in_a_text_field_is_refused(check, pip_plan, value):
    plan = pip_plan.change("      title: 30-day review", f"      title: {value}")

    report = check(plan)

    assert [(f.code, f.line, f.col) for f in report.findings] == [("PB108", plan.line("title: " + value), 14)]


@pytest.mark.parametrize("value", YAML_1_1_SURPRISES + [".inf", "-.inf", ".nan", ".NaN"])
def test_a_yaml_1_1_surprise_or_infinite_value_in_a_number_field_is_refused(check, pip_plan, value):
    plan = pip_plan.change("    baseline: 18", f"    baseline: {value}")

    report = check(plan)

    assert [(f.code, f.line, f.col) for f in report.findings] == [("PB108", plan.line("baseline: "), 15)]


@pytest.mark.parametrize("value", YAML_1_1_SURPRISES + [".inf", ".nan"])
@pytest.mark.parametrize("quote", ['"', "'"])
def test_the_quoted_surprise_is_plain_text(check, pip_plan, value, quote):
    plan = pip_plan.change("      title: 30-day review", f"      title: {quote}{value}{quote}")

    assert check(plan).findings == []


def test_a_quoted_number_is_not_a_number(check, pip_plan):
    plan = pip_plan.change("    baseline: 18", '    baseline: "18"')

    assert check(plan).at("PB113") == [(plan.line("baseline: "), 15)]


def test_a_tab_used_for_indentation_is_a_located_syntax_error(check, pip_plan):
    plan = pip_plan.change("  name: Jordan Lee", "\tname: Jordan Lee")

    assert check(plan).at("PB100") == [(plan.line("name: Jordan Lee"), 1)]


@pytest.mark.parametrize("old, new, found, col, started", [
    ("  days: 90", "  days 90", "  check_ins:", 3, "days 90"),
    ("weekdays: [monday]", "weekdays: [monday", "  reviews:", 10, "weekdays: [monday"),
    ('unit: "%"', 'unit: "%', None, 1, 'unit: "%'),
    ("  role: Account Executive", "   role: Account Executive", "role: Account Executive", 8, None),
])
def test_a_syntax_error_is_reported_where_the_parser_stopped_and_names_where_it_began(
        check, pip_plan, old, new, found, col, started):
    plan = pip_plan.change(old, new)
    found_line = plan.line(found) if found else len(plan.splitlines()) + 1  # None: at the end of the file

    finding = check(plan).only("PB100")

    assert (finding.line, finding.col) == (found_line, col)
    if started:
        assert f"starts on line {plan.line(started)}" in finding.message


def test_a_control_character_is_a_syntax_error_at_its_place_on_one_line(check, pip_plan):
    plan = pip_plan.change("note: Plan signed;", "note: Plan signé\x07;")

    finding = check(plan).only("PB100")

    assert (finding.line, finding.col) == (plan.line("Plan signé"), len("    note: Plan signé") + 1)
    assert "\n" not in finding.message


def test_no_hostile_file_makes_the_command_print_a_traceback(cli, write_plan, pip_plan):
    hostile = {
        "bomb.yaml": BILLION_LAUGHS,
        "deep.yaml": "a: " + "[" * 10_000,
        "tagged.yaml": "kind: !!python/object/apply:os.system [echo pwned]\n",
        "latin1.yaml": "name: J\xf6rdan\n".encode("latin-1"),
        "nul.yaml": b"kind: pip\x00\n",
        "list.yaml": "- a\n- b\n",
        "empty.yaml": "",
        "two.yaml": "a: 1\n---\nb: 2\n",
        "tab.yaml": "a:\n\tb: 1\n",
    }
    for name, text in hostile.items():
        write_plan(text, f"hostile/{name}")

    result = cli("check", "plans/hostile", "--today", "2026-11-20")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "pwned" not in result.stdout + result.stderr
    reported = {line.split(":")[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines()}
    assert reported == set(hostile)


# --- every pattern applied to a scalar runs in linear time ------------------------------------------------------

# Shapes that made the old patterns backtrack: a start that looks like a number, a long run, an end that fails.
SCALAR_STARTS = ["1", "-1", "+9", "0", "0x", "0o", "0b", "1:", "1.", ".", "2026-10-", "1_", "1e"]
SCALAR_RUNS = ["_", "1", "1_", "_1", ":5", ":55", "0", "e", ".", "9_0", "1:"]
SCALAR_ENDS = ["", "x", ":", ":x", "e", "e+", ".", "_", "5", ":60", "-"]
SCALAR_PLACES = ["a: {}\n", "? {}\n: 1\n", "a: [{}]\n", "a:\n  - {}\n", "{}\n"]


def _scalar_file(start: str, run: str, end: str, place: str, size: int = 1024 * 1024 - 64) -> bytes:
    """A file of about `size` bytes whose one scalar is `start`, then `run` repeated, then `end`."""
    repeat = (size - len(start) - len(end) - len(place)) // len(run)
    return place.format(start + run * repeat + end).encode()


def _growth_of_scalar(start: str, run: str, end: str, place: str) -> float:
    """How the cost of checking a file with one such scalar grows from 64 KiB to 256 KiB (see growth.py)."""
    return growth(_check_raw, lambda size: _scalar_file(start, run, end, place, size), 64 * 1024)


@pytest.mark.parametrize("start, run, end", [
    ("1", "_", ""), ("1", "_", "x"), ("-1", "_", "x"), ("1", "_", ":x"), ("1:", "1", ""), ("1:", "5", "x"),
    ("0x", "_", "g"), ("1", "1", "e"), ("1", "1", ".5e"), ("1", ":55", ":x"), ("2026-10-", "1", ""),
])
@pytest.mark.parametrize("place", SCALAR_PLACES)
def test_a_one_mebibyte_scalar_of_a_backtracking_shape_is_checked_in_linear_time(start, run, end, place):
    raw = _scalar_file(start, run, end, place)
    assert len(raw) <= Policy().max_file_bytes

    assert _growth_of_scalar(start, run, end, place) < LINEAR
    assert _check_raw(raw)  # refused or not a plan, either way said


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SCALAR_STARTS), st.sampled_from(SCALAR_RUNS), st.sampled_from(SCALAR_ENDS),
       st.sampled_from(SCALAR_PLACES))
def test_any_scalar_made_of_a_start_a_run_and_an_end_is_checked_in_linear_time(start, run, end, place):
    assert _growth_of_scalar(start, run, end, place) < LINEAR


@pytest.mark.parametrize("scalar", ["1" + "_" * 1000 + "x", "1" * 1000 + "e", "1:" + "5" * 1000, "0x" + "_" * 1000])
def test_a_file_full_of_long_scalars_is_checked_in_linear_time(scalar):
    def file_of(count: int) -> bytes:
        return ("a: [" + ", ".join([scalar] * count) + "]\n").encode()

    most = 1024 * 1024 // (len(scalar) + 2) - 1
    assert len(file_of(most)) <= Policy().max_file_bytes

    assert growth(_check_raw, file_of, most // FACTOR) < LINEAR


# --- numbers are bounded at load -------------------------------------------------------------------------------

HUGE_NUMBERS = [
    "1000000000001", "-1000000000001", "12345678901234567890", "9" * 4301, "-" + "9" * 5000, "1" * 100_000,
    "1.0e+13", "-2.5e+400", "1.0e+400", "1" * 400 + ".5", "1000000000000.5",
]


@pytest.mark.parametrize("value", HUGE_NUMBERS)
@pytest.mark.parametrize("old, new, col", [
    ("    baseline: 18", "    baseline: {}", 15),
    ("    target: 30", "    target: {}", 13),
    ("      below: 24", "      below: {}", 14),
    ("    targets: {discovery-to-demo: 24}", "    targets: {{discovery-to-demo: {}}}", 34),
    ("    note: Plan signed; agreed the week's call reviews.", "    note: {}", 11),
])
def test_a_number_beyond_a_million_millions_is_refused_where_it_is_written(check, pip_plan, value, old, new, col):
    plan = pip_plan.change(old, new.format(value))

    report = check(plan)

    assert [(f.code, f.line, f.col) for f in report.findings] == [("PB117", plan.line(value[:30]), col)]
    assert len(report.only("PB117").message) < 200  # the number is shortened, not echoed whole


@pytest.mark.parametrize("key", ["value", "team"])
@pytest.mark.parametrize("value", ["10000000000000", "-1.0e+300", "9" * 5000])
def test_history_values_are_bounded_too(check, growth_plan, key, value):
    plan = growth_plan.change(f"{key}: {41 if key == 'value' else 27}", f"{key}: {value}")
    line = plan.line("period: 2026-Q3")

    col = plan.splitlines()[line - 1].index(f"{key}: {value}") + len(f"{key}: ") + 1
    assert check(plan).at("PB117") == [(line, col)]


@pytest.mark.parametrize("value", ["1000000000000", "-1000000000000", "1.0e+12", "999999999999.5", "0.000001"])
def test_numbers_up_to_a_million_millions_are_read(check, pip_plan, value):
    plan = pip_plan.change("    baseline: 18", f"    baseline: {value}").change("    target: 30", "    target: 0")

    report = check(plan)

    assert "PB117" not in report.codes
    assert report.plan_files[0].plan.criteria[0].baseline == float(value)


def _as_written(number: int | float) -> str:
    """A number as a plan writes it, in a form both YAML versions read as a number."""
    if isinstance(number, int):
        return str(number)
    return "1.0e+999" if number == float("inf") else "-1.0e+999" if number == float("-inf") else f"{number:.16e}"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.integers(min_value=MAX_NUMBER + 1).map(_as_written), st.integers(max_value=-MAX_NUMBER - 1).map(_as_written),
    st.integers(min_value=14, max_value=20_000).map(lambda digits: "7" * digits),
    st.floats(min_value=MAX_NUMBER, exclude_min=True).map(_as_written),
    st.floats(max_value=-MAX_NUMBER, exclude_max=True).map(_as_written),
))
def test_any_number_out_of_range_is_refused_never_a_traceback(pip_plan, written):
    plan = pip_plan.change("    baseline: 18", f"    baseline: {written}")

    _, findings = check_bytes(plan.encode(), "plans/team/plan.yaml", Context(Policy(), TODAY))

    assert [(f.code, f.line, f.col) for f in findings] == [("PB117", plan.line("baseline: "), 15)]


@pytest.mark.parametrize("value", ['"' + "9" * 5000 + '"', '"1.0e+400"', "'100000000000000'"])
def test_a_quoted_huge_number_is_text_and_refused_as_such(check, pip_plan, value):
    plan = pip_plan.change("    baseline: 18", f"    baseline: {value}")

    finding = check(plan).only("PB113")

    assert (finding.line, finding.col) == (plan.line("baseline: "), 15)
    assert "must be a number, not the text" in finding.message and len(finding.message) < 200


# --- YAML 1.1 readings in keys, and dates with one-digit parts -------------------------------------------------

KEY_SURPRISES = ["yes", "no", "on", "Off", "y", "N", "010", "0x1A", "0o17", "0b101", "1_000", "1:20", "1e3",
                 "2026-10-5", "2026-1-05", "1_0.5", "2026-10-05 10:00:00"]


@pytest.mark.parametrize("key", KEY_SURPRISES)
@pytest.mark.parametrize("old, new, col", [
    ("kind: pip\n", "kind: pip\n{}: x\n", 1),
    ("  role: Account Executive\n", "  role: Account Executive\n  {}: x\n", 3),
    ("targets: {discovery-to-demo: 24}", "targets: {{discovery-to-demo: 24, {}: 20}}", 38),
])
def test_a_plain_key_that_yaml_1_1_reads_otherwise_is_refused_at_the_key(check, pip_plan, key, old, new, col):
    plan = pip_plan.change(old, new.format(key))

    report = check(plan)

    line = plan.line(new.format(key).splitlines()[-1])
    assert [(f.code, f.line, f.col) for f in report.findings] == [("PB108", line, col)]


@pytest.mark.parametrize("key", KEY_SURPRISES)
@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quoted_key_is_text(check, pip_plan, key, quote):
    plan = pip_plan.change("kind: pip\n", f"kind: pip\n{quote}{key}{quote}: x\n")

    assert [(f.code, f.line, f.col) for f in check(plan).findings] == [("PB111", 2, 1)]


@pytest.mark.parametrize("written, padded", [
    ("2026-11-6", "2026-11-06"), ("2026-1-16", "2026-01-16"), ("2026-1-6", "2026-01-06"), ("2026-2-30", "2026-02-30"),
])
@pytest.mark.parametrize("where", ["  start: {}", "  - date: {}\n    kind: check-in"])
def test_a_date_with_a_one_digit_month_or_day_is_refused_with_the_date_to_write(check, pip_plan, written, padded,
                                                                              where):
    old = where.format("2026-11-16")
    plan = pip_plan.change(old, where.format(written))

    finding = check(plan).only("PB108")

    assert (finding.line, finding.col) == (plan.line(where.format(written).split("\n")[0]), where.index("{") + 1)
    assert f"`{padded}`" in finding.message


# --- positions are what an editor shows, whatever line separators the text holds --------------------------------

# YAML (and libyaml) breaks lines at NEL, LS and PS too; an editor only at \n, \r\n and \r.
UNUSUAL_BREAKS = {"NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}
EARLY_PLACES = {
    "quoted": ("  summary: Meetings stall between discovery and demo.",
               '  summary: "Meetings stall{}between discovery and demo."'),
    "plain": ("  summary: Meetings stall between discovery and demo.",
              "  summary: Meetings stall{}    between discovery and demo."),
    "comment": ("kind: pip\n", "kind: pip  # formal{}# and signed\n"),
}
LATER_PROBLEMS = [  # (old, new, code, where in `new` each finding points)
    ("  days: 90", "  days: ninety", "PB113", ["ninety"]),
    ("  days: 90", "  days: no", "PB108", ["no"]),
    ("    baseline: 18", "    baseline: 1.0e+400", "PB117", ["1.0e+400"]),
    ("weekdays: [monday]", 'weekdays: ["tues\u2028day", fryday]', "PB113", ['"tues', "fryday"]),
    ("  role: Account Executive\n", "  role: Account Executive\n  role: Sales\n", "PB104", ["role: Sales"]),
    ("  role: Account Executive", "\trole: Account Executive", "PB100", ["\trole"]),
    ("note: Plan signed;", "note: Plan signé\x07;", "PB100", ["\x07"]),
]


def _editor_position(text: str, index: int) -> tuple[int, int]:
    """Line and column of `text[index]` as an editor counts them: only \\n breaks a line in these plans."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.mark.parametrize("separator", UNUSUAL_BREAKS.values(), ids=UNUSUAL_BREAKS.keys())
@pytest.mark.parametrize("early", EARLY_PLACES.values(), ids=EARLY_PLACES.keys())
@pytest.mark.parametrize("old, new, code, at", LATER_PROBLEMS, ids=[f"{row[2]}-{row[3][-1]!r}" for row in LATER_PROBLEMS])
def test_a_line_separator_early_in_the_file_does_not_shift_later_positions(check, pip_plan, separator, early, old,
                                                                           new, code, at):
    plan = pip_plan.change(early[0], early[1].format(separator)).change(old, new)

    report = check(plan)

    assert report.at(code) == [_editor_position(plan, plan.index(new) + new.index(snippet)) for snippet in at]


@pytest.mark.parametrize("separator", UNUSUAL_BREAKS.values(), ids=UNUSUAL_BREAKS.keys())
def test_a_line_separator_does_not_shift_a_bad_byte_or_the_line_a_message_names(check, pip_plan, separator):
    plan = pip_plan.change("  cause: skill", f'  cause: "skill{separator}"').change(
        "  role: Account Executive\n", "  role: Account Executive\n  role: Sales\n")
    raw = plan.encode().replace(b"Jordan Lee", b"J\xf6rdan Lee")

    assert check(raw).at("PB101") == [_editor_position(plan, plan.index("Jordan Lee") + 1)]
    assert f"first on line {plan.line('role: Account')}" in check(plan).only("PB104").message


def test_a_position_counts_characters_beyond_the_basic_plane_as_one(check, pip_plan):
    plan = pip_plan.change('    unit: "%"', '    unit: "😀\u2028%"').change("  days: 90", "  days: 😀")

    assert check(plan).at("PB113") == [_editor_position(plan, plan.index("😀\n"))]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_ending_an_editor_knows_gives_the_same_positions(check, pip_plan, ending):
    plan = pip_plan.change("  days: 90", "  days: ninety").change("note: Plan signed;", "note: Plan signé\x07;")
    line = plan.line("Plan signé")

    assert check(plan.replace("\n", ending)).at("PB100") == [(line, len("    note: Plan signé") + 1)]
    assert check(pip_plan.replace("\n", ending).encode().replace(b"Jordan Lee", b"J\xf6rdan Lee")).at("PB101") == [
        (pip_plan.line("name: Jordan Lee"), 10)]
    assert check(pip_plan.change("  days: 90", "  days: ninety").replace("\n", ending)).at("PB113") == [
        (plan.line("days: ninety"), 9)]
