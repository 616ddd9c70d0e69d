"""Properties that hold for every input: the checker never raises on any text or bytes, plans whose
dates and numbers vary stay valid, the check-in dates follow the timetable, a generated page's values
read the same without YAML, and a link between two pages is the one the file system would give."""

from __future__ import annotations

import posixpath
from datetime import date, timedelta
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.check import check_bytes
from generator.config import Policy
from generator.dates import MAX_YEAR, MIN_YEAR, longdate, plain_date, shortdate
from generator.model import WEEKDAYS, Timetable
from generator.render.jinja import front_matter, front_values, html_text, html_value, shown_controls
from generator.render.letters import url_quoted
from generator.render.pages import relative
from generator.rules import REGISTRY, Context
from generator.schedule import check_in_dates, expected_check_ins

TODAY = date(2026, 11, 20)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTEXT = Context(Policy(), TODAY)

# Characters that make YAML interesting: structure, decorations, quotes, escapes, line breaks.
YAML_ALPHABET = st.sampled_from(
    list("abkn019:-_ ,.[]{}&*!|>'\"#%@`?~\t\n\\") + ["\r", "\x00", "é", "\ufeff", "\u2028"])


def _assert_only_findings(raw: bytes) -> None:
    plan_file, findings = check_bytes(raw, "plans/team/plan.yaml", CONTEXT)
    line_count = len(raw.decode("utf-8", "replace").splitlines()) + 2  # YAML also breaks lines at U+2028
    for finding in findings:
        assert finding.code in REGISTRY
        assert finding.severity == REGISTRY[finding.code].severity
        assert 1 <= finding.line <= line_count and finding.col >= 1
    if plan_file is None:
        assert any(finding.severity == "error" for finding in findings)


@FAST
@given(st.text())
def test_any_text_gives_findings_never_an_exception(text):
    _assert_only_findings(text.encode("utf-8"))


@FAST
@given(st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_any_yaml_like_text_gives_findings_never_an_exception(text):
    _assert_only_findings(text.encode("utf-8"))


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_give_findings_never_an_exception(raw):
    _assert_only_findings(raw)


@FAST
@given(prefix=st.text(alphabet=YAML_ALPHABET, max_size=20), cut=st.integers(min_value=0, max_value=2000))
def test_a_plan_cut_anywhere_or_prefixed_with_anything_gives_findings_never_an_exception(pip_plan, prefix, cut):
    _assert_only_findings((prefix + pip_plan[:cut]).encode("utf-8"))


NUMBERS = st.one_of(
    st.integers(min_value=-10**9, max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
)


def yaml_number(value) -> str:
    """A number as a plan writes it: what both YAML 1.1 and 1.2 read as that number."""
    text = repr(value)
    return f"{value:.16e}" if "e" in text else text


@st.composite
def varied_pips(draw):
    """The base PIP with its start, length, review days and numbers drawn; every date kept consistent."""
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
    days = draw(st.integers(min_value=30, max_value=90))
    first_review = draw(st.integers(min_value=0, max_value=days - 1))
    conversation = start - timedelta(days=draw(st.integers(min_value=0, max_value=30)))
    signed = start + timedelta(days=draw(st.integers(min_value=0, max_value=7)))
    today = start + timedelta(days=draw(st.integers(min_value=-30, max_value=200)))
    baseline, target, line = draw(NUMBERS), draw(NUMBERS), draw(NUMBERS)
    review, end = start + timedelta(days=first_review), start + timedelta(days=days)
    return today, {
        "  start: 2026-11-16": f"  start: {start}",
        "  days: 90": f"  days: {days}",
        "    - date: 2026-12-16": f"    - date: {review}",
        "    - date: 2027-02-14": f"    - date: {end}",
        "\n  - date: 2026-12-16": f"\n  - date: {review}",
        "\n  - date: 2027-02-14": f"\n  - date: {end}",
        "      by: 2026-12-16": f"      by: {review}",
        "    baseline: 18": f"    baseline: {yaml_number(baseline)}",
        "    target: 30": f"    target: {yaml_number(target)}",
        "      below: 24": f"      below: {yaml_number(line)}",
        "targets: {discovery-to-demo: 24}": f"targets: {{discovery-to-demo: {yaml_number(baseline)}}}",
        "    date: 2026-11-13": f"    date: {conversation}",
        "  person: 2026-11-16": f"  person: {signed}",
        "  manager: 2026-11-16": f"  manager: {signed}",
        "  - date: 2026-11-16\n    kind: check-in": f"  - date: {start}\n    kind: check-in",
    }


@FAST
@given(varied=varied_pips())
def test_a_pip_with_consistent_dates_and_any_numbers_has_no_error(pip_plan, varied):
    today, changes = varied
    plan = pip_plan
    for old, new in changes.items():
        plan = plan.change(old, new)

    plan_file, findings = check_bytes(plan.encode(), "plans/team/jordan-lee-pip.yaml", Context(Policy(), today))

    assert [f for f in findings if f.severity == "error"] == []
    assert {f.code for f in findings} <= {"PB208", "PB209", "PB215"}  # only the warnings that depend on today
    assert plan_file is not None


@st.composite
def timetables(draw):
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
    return Timetable.model_validate({
        "start": start,
        "days": draw(st.integers(min_value=1, max_value=400)),
        "check_ins": {
            "weekdays": draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7)),
            "every_weeks": draw(st.integers(min_value=1, max_value=5)),
        },
        "reviews": [{"date": start, "title": "Review"}],
    })


UNTIL = st.one_of(st.none(), st.dates(min_value=date(1999, 1, 1), max_value=date(2092, 12, 31)))


@FAST
@given(timetable=timetables(), until=UNTIL)
def test_check_ins_fall_in_the_window_on_the_listed_weekdays_in_order(timetable, until):
    days = list(check_in_dates(timetable, until))

    last = timetable.last_day if until is None else min(until, timetable.last_day)
    assert all(timetable.start <= day <= last for day in days)
    assert all(WEEKDAYS[day.weekday()] in timetable.check_ins.weekdays for day in days)
    assert days == sorted(set(days))


@FAST
@given(timetable=timetables())
def test_check_ins_repeat_every_so_many_weeks_from_the_starting_week(timetable):
    days = set(check_in_dates(timetable))

    first_monday = timetable.start - timedelta(days=timetable.start.weekday())
    every = timetable.check_ins.every_weeks
    window = (timetable.start + timedelta(days=n) for n in range((timetable.last_day - timetable.start).days + 1))
    expected = {
        day for day in window
        if WEEKDAYS[day.weekday()] in timetable.check_ins.weekdays and (day - first_monday).days // 7 % every == 0
    }
    assert days == expected


@FAST
@given(timetable=timetables(), first=st.dates(min_value=date(1999, 1, 1), max_value=date(2092, 12, 31)),
       later_by=st.integers(min_value=0, max_value=500))
def test_expected_check_ins_never_go_down_as_today_moves_on(timetable, first, later_by):
    second = first + timedelta(days=later_by)

    earlier, later = expected_check_ins(timetable, first), expected_check_ins(timetable, second)

    assert 0 <= earlier <= later <= len(list(check_in_dates(timetable)))
    if first <= timetable.start:
        assert earlier == 0  # nothing is due before the plan starts, nor on its first day yet


@FAST
@given(title=st.text(), meta=st.dictionaries(st.sampled_from(["description", "robots", "plan_kind"]),
                                             st.one_of(st.text(), st.lists(st.text(), max_size=3))))
def test_a_generated_pages_values_are_those_a_yaml_reader_finds_in_its_front_matter(title, meta):
    """A generated page's title and meta values are set without reading its front matter (`front_values`); a
    publisher that reads the front matter as YAML (MkDocs, an export) finds the same."""
    front = front_matter(title, **meta)
    assert front_values(front) == get_data(front + "body")[1]


_PAGE_PATHS = st.lists(st.sampled_from(["plans", "people", "teams", "x", "jordan-lee-pip-2026-10", "index.md",
                                        "plans.ics", "a-b"]), min_size=1, max_size=4).map("/".join)


@FAST
@given(from_uri=_PAGE_PATHS, to_uri=_PAGE_PATHS)
def test_a_link_between_two_pages_is_the_one_the_file_system_would_give(from_uri, to_uri):
    """A link from one page's source to another's (`pages.relative`) is `posixpath.relpath`'s, for any two pages."""
    assert relative(from_uri, to_uri) == posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


@FAST
@given(day=st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
def test_a_day_is_written_with_the_english_names_the_c_locale_gives(day):
    """Letters, pages and charts write a day with the English names `strftime` gives in the C locale (from tables of
    their own, which no locale a process sets can change)."""
    assert longdate(day) == f"{day:%A} {day.day} {day:%B %Y}"
    assert shortdate(day) == f"{day:%a} {day.day} {day:%b %Y}"
    assert plain_date(day) == f"{day.day} {day:%b %Y}"


@FAST
@given(text=st.text())
def test_a_value_on_a_page_is_escaped_the_same_whether_or_not_it_needs_it(text):
    """`html_value`'s shortcut for text with nothing to escape gives what the full escaping gives, for any text."""
    assert html_value(text) == html_text(shown_controls(text))


@FAST
@given(text=st.text())
def test_a_letter_goes_into_its_mail_link_as_a_url_quotes_it(text):
    """A mail link's subject and body are quoted as `urllib.parse.quote` with nothing safe quotes them."""
    assert url_quoted(text) == quote(text, safe="")
