"""Classes of hostile input, each refused with a located finding or handled harmlessly, never with
a traceback: days typed as text, file names that are not UTF-8 or hold control characters, and
private text, which no output may echo however it is malformed. (The loader's classes are in
test_load.py, the output formats' in test_findings.py, Markdown's in test_escaping.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

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


# --- file names the command must show, whatever bytes they hold ----------------------------------------------------

ODD_NAMES = {  # the name's bytes -> how findings show it
    b"\xffbad.yaml": "\\xffbad.yaml",
    b"caf\xe9.yaml": "caf\\xe9.yaml",
    b"\xc3(.yaml": "\\xc3(.yaml",
    b"line\nbreak.yaml": "line\\nbreak.yaml",
    b"esc\x1b[31mred.yaml": "esc\\x1b[31mred.yaml",
    b"jordan-lee\n.yaml": "jordan-lee\\n.yaml",
}
STRICT_UTF8 = {"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}


@pytest.fixture
def odd_names(plans_dir, pip_plan) -> dict[bytes, str]:
    """A valid plan under each odd name, in `plans/t\\xfeam/` (a folder whose name is not UTF-8 either)."""
    folder = os.path.join(os.fsencode(plans_dir), b"t\xfeam")
    os.mkdir(folder)
    for name in ODD_NAMES:
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(pip_plan.encode())
    return {name: f"plans/t\\xfeam/{shown}" for name, shown in ODD_NAMES.items()}


@pytest.mark.parametrize("form", ["text", "github", "json"])
def test_a_file_name_that_is_not_utf8_or_holds_controls_is_shown_escaped_in_every_format(cli, odd_names, form):
    result = cli("check", "--today", "2026-11-20", "--format", form, "plans", env=STRICT_UTF8)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    if form == "json":  # JSON escapes control characters itself; only the bytes that are not UTF-8 are ours
        shown = [row["path"] for row in json.loads(result.stdout)]
        assert sorted(shown) == sorted("plans/t\\xfeam/" + name.decode("utf-8", "backslashreplace")
                                       for name in odd_names)
        return
    lines = result.stdout.splitlines()
    assert len(lines) == len(odd_names)
    assert all("PB114" in line for line in lines)  # none of them is a slug, so none is an id
    for path in odd_names.values():
        if form == "github":  # the Actions toolkit's escaping of a property, which GitHub reads back
            path = path.replace("\\n", "%0A").replace(":", "%3A").replace(",", "%2C")
        started = f"::error file={path}," if form == "github" else f"{path}:1:1: error PB114"
        assert sum(line.startswith(started) for line in lines) == 1, (started, lines)


@pytest.mark.parametrize("name, shown", list(ODD_NAMES.items())[:5])
def test_a_missing_file_with_an_odd_name_is_named_escaped_on_stderr(tmp_path, name, shown):
    result = subprocess.run([Path(sys.executable).with_name("playbook"), b"check", b"plans/" + name], cwd=tmp_path,
                            env=os.environ | STRICT_UTF8, capture_output=True, timeout=30)

    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == f"playbook: error: plans/{shown}: no such file or folder\n"


# --- private text reaches no output ---------------------------------------------------------------------------------

PRIVATE_VALUES = {  # a `private:` value -> the text that must appear in no output
    "mapping": ("\n  SECRET-key-1: SECRET-value-1\n  SECRET-key-2: [SECRET-item]", "SECRET"),
    "number": ("987654321", "987654321"),
    "huge number": ("424242424242424242424242", "4242424242"),
    "infinite": ("1.0e+999", "e+999"),
    "yaml 1.1 word": ("Off", "Off"),
    "hex": ("0x5EC12E7", "5EC12E7"),
    "base 60": ("1:23:45:59", "23:45:59"),
    "one-digit date": ("2026-10-5", "2026-10-"),
    "impossible date": ("2026-02-31", "2026-02-31"),
    "placeholder": ("TODO SECRET-todo", "SECRET"),
    "duplicate key": ("\n  SECRET-dup: 1\n  SECRET-dup: 2", "SECRET"),
    "1.1 key": ("{yes: SECRET-yes, SECRET-k: 0o17}", "SECRET"),
    "alias": ("*SECRET-alias", "SECRET"),
    "anchor": ("&SECRET-anchor text", "SECRET"),
    "tag": ("!SECRET-tag text", "SECRET"),
    "alias key": ("{*SECRET-akey : x}", "SECRET"),
    "tagged key": ("{!SECRET-t k: x}", "SECRET"),
    "list": ("[SECRET-a, 99999999999999999, 2026-1-5]", "SECRET"),
    "nested": ("{a: {SECRET-b: {c: SECRET-d}}}", "SECRET"),
    "twice": ("SECRET-first\nprivate: SECRET-second", "SECRET"),
    "text": ("SECRET-plain text", "SECRET"),
}


@pytest.fixture
def private_plans(write_plan, pip_plan) -> int:
    """One PIP per hostile `private:` value, each in its own file: more findings than GitHub annotates."""
    for number, value in enumerate(value for value, _ in PRIVATE_VALUES.values()):
        write_plan(pip_plan + f"private: {value}\n", f"team/plan-{number}.yaml")
    return len(PRIVATE_VALUES)


@pytest.mark.parametrize("form", ["text", "github", "json"])
def test_no_private_text_reaches_any_output(cli, private_plans, tmp_path, form):
    summary = tmp_path / "summary.md"

    result = cli("check", "--today", "2026-11-20", "--format", form, "plans",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})

    assert result.returncode == 1 and "Traceback" not in result.stderr
    written = result.stdout + result.stderr + (summary.read_text(encoding="utf-8") if form == "github" else "")
    assert form != "github" or "| plans/team/plan-" in written  # the summary was written
    for name, (_, secret) in PRIVATE_VALUES.items():
        assert secret not in written, name


def test_each_hostile_private_value_is_refused_and_named_without_its_content(check, pip_plan):
    for name, (value, _) in PRIVATE_VALUES.items():
        report = check(pip_plan + f"private: {value}\n")
        if name in ("placeholder", "text"):  # text, as private should be: nobody looks inside
            assert report.findings == [], name
        else:
            assert report.errors, name
            assert all("`private`" in finding.message for finding in report.findings), (name, report.findings)


# --- files that are not plans: links out of the project, FIFOs, other YAML --------------------------------------------

NEW_JORDAN = ["new", "pip", "--person", "Jordan Lee", "--team", "emea-west", "--manager", "priya-shah",
              "--hr-partner", "sam-ortiz", "--start", "2026-11-16", "--today", "2026-11-20"]


@pytest.fixture
def project(tmp_path) -> Path:
    """A project (its mkdocs.yml) with a plans folder, and a secret file outside it."""
    root = tmp_path / "project"
    (root / "plans" / "emea-west").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Plans\nplugins:\n  - playbook\n", encoding="utf-8")
    (tmp_path / "secret.yaml").write_text("kind: pip\nstatus: SECRET-status\n", encoding="utf-8")
    return root


def test_a_link_to_a_file_outside_the_project_is_refused_unread(cli, project, pip_plan):
    (project / "plans" / "emea-west" / "jordan-lee-pip-2026-11.yaml").write_text(pip_plan, encoding="utf-8")
    os.symlink(project.parent / "secret.yaml", project / "plans" / "emea-west" / "stolen.yaml")

    result = cli("check", "--today", "2026-11-20", cwd=project)

    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout == ("plans/emea-west/stolen.yaml:1:1: error PB123 a link to a file outside the project; "
                             "it is not read\n")


def test_a_link_inside_the_project_is_read(cli, project, pip_plan):
    (project / "shared.yaml").write_text(pip_plan, encoding="utf-8")
    os.symlink(project / "shared.yaml", project / "plans" / "emea-west" / "jordan-lee-pip-2026-11.yaml")

    result = cli("check", "--today", "2026-11-20", cwd=project)

    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_a_fifo_among_the_plans_is_refused_and_blocks_no_command(cli, project, pip_plan):
    os.mkfifo(project / "plans" / "emea-west" / "pipe.yaml")
    os.mkfifo(project / "plans" / "_roster.yaml")

    checked = cli("check", "--today", "2026-11-20", cwd=project)
    written = cli(*NEW_JORDAN, cwd=project)  # a FIFO would block it for ever: the helper's timeout fails the test

    assert checked.returncode == 1
    assert "plans/emea-west/pipe.yaml:1:1: error PB123 not a regular file" in checked.stdout
    assert "plans/_roster.yaml:1:1: error PB119 roster: not a regular file" in checked.stdout
    assert written.returncode == 0, written.stderr
    assert (project / "plans" / "emea-west" / "jordan-lee-pip-2026-11.yaml").is_file()


def test_new_does_not_write_through_a_link_out_of_the_project(cli, project):
    (project.parent / "elsewhere").mkdir()
    os.rmdir(project / "plans" / "emea-west")
    os.symlink(project.parent / "elsewhere", project / "plans" / "emea-west")

    result = cli(*NEW_JORDAN, cwd=project)

    assert result.returncode == 2 and "a link out of the project" in result.stderr
    assert list((project.parent / "elsewhere").iterdir()) == []


@pytest.mark.parametrize("team", ["emea\n", "emea-west\n", "\nemea"])
def test_new_matches_a_slug_whole(cli, project, team):
    args = [team if arg == "emea-west" else arg for arg in NEW_JORDAN]

    result = cli(*args, cwd=project)

    assert result.returncode == 2 and "--team" in result.stderr and "\\n" in result.stderr
    assert sorted(path.name for path in (project / "plans").iterdir()) == ["emea-west"]


def test_a_file_that_is_not_a_plan_has_none_of_its_content_in_a_finding(check):
    other = "kind: Secret\nstatus: SECRET-status\ndata:\n  SECRET-key: SECRET-value\ntitle: no\n"

    report = check(other, "team/deploy.yaml")

    assert report.errors and "PB113" in report.codes
    assert not any("SECRET" in finding.message or "Secret" in finding.message for finding in report.findings)
