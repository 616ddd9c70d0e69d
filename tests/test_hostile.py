"""Classes of hostile input, each refused with a located finding (or handled harmlessly), never a
traceback, and in time linear in the input: days typed as text, ..."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.dates import MAX_YEAR, MIN_YEAR, parse_day

# --- days typed as text (`--today`, PLAYBOOK_TODAY) -------------------------------------------------------------


@pytest.mark.parametrize("text, day", [
    ("2026-11-20", date(2026, 11, 20)),
    (" 2026-11-20", date(2026, 11, 20)),
    ("2026-11-20\n", date(2026, 11, 20)),
    (f"{MIN_YEAR}-01-01", date(MIN_YEAR, 1, 1)),
    (f"{MAX_YEAR}-12-31", date(MAX_YEAR, 12, 31)),
    ("2028-02-29", date(2028, 2, 29)),
])
def test_a_day_written_yyyy_mm_dd_is_read(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text", [
    "20261120", "2026-1-5", "2026-11-5", "2026-1-05", "26-11-20", "2026/11/20", "2026-11-20T00:00",
    "2026-11-20 10:00", "+2026-11-20", "02026-11-20", "", "   ", "today", "2026-11", "2026-11-20-",
    "２０２６-11-20", "2026-١١-20", "2026‐11‐20", "2026-11-20\x00", "2026 -11-20",
])
def test_anything_but_yyyy_mm_dd_is_refused_with_the_form_to_use(text):
    with pytest.raises(ValueError, match="is not a date: use YYYY-MM-DD"):
        parse_day(text)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "2027-02-29"])
def test_a_day_that_does_not_exist_is_refused(text):
    with pytest.raises(ValueError, match=f"`{text}` is not a day that exists"):
        parse_day(text)


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31", "0000-01-01"])
def test_a_year_outside_the_plan_years_is_refused(text):
    with pytest.raises(ValueError, match=f"`{text}` is outside the years {MIN_YEAR} to {MAX_YEAR}"):
        parse_day(text)


@given(st.text(max_size=40))
def test_any_text_is_a_day_or_a_value_error(text):
    try:
        day = parse_day(text)
    except ValueError as exc:
        assert str(exc).startswith("`")
    else:
        assert day.isoformat() == text.strip()
