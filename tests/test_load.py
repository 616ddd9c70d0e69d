"""The loader refuses hostile or surprising YAML with a located finding (code, line, col), never a
traceback, and reads everything else exactly as a YAML 1.2 reader and the plan author would."""

from __future__ import annotations

import time

import pytest

from generator.config import Policy
from generator.load import LoadError, MAX_DEPTH, parse


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


def test_a_billion_laughs_document_is_refused_fast_without_expanding(check):
    started = time.perf_counter()
    report = check(BILLION_LAUGHS)
    elapsed = time.perf_counter() - started

    assert elapsed < 2
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
def test_nesting_ten_thousand_deep_is_refused_fast_at_the_bound(check, opening):
    started = time.perf_counter()
    report = check("kind: " + opening * 10_000 + "\n")

    assert time.perf_counter() - started < 2
    # The root mapping is level 1; the bound is reached at the opening that would be level MAX_DEPTH + 1.
    assert report.at("PB107") == [(1, len("kind: ") + 1 + (MAX_DEPTH - 1) * len(opening))]


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
