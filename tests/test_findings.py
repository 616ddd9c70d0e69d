"""The three output formats and the job summary show whatever a plan holds as inert text: no control
character reaches a terminal or a log, one finding stays one line, and no key becomes markup."""

from __future__ import annotations

import json
import re

import pytest

from generator.findings import Finding, format_github, format_json, format_text, github_summary

# Every character a terminal, a log viewer or an editor acts on: C0, DEL, C1, LS and PS, and the
# bidirectional controls that reorder what is shown (U+202E writes the rest of a line backwards).
BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *BIDI]
ACTIVE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(code: int) -> str:
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    return named.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def _finding(message: str, path: str = "plans/team/plan.yaml") -> Finding:
    return Finding(path, 3, 1, "PB111", "error", message)


def _name(code: int) -> str:
    return f"U+{code:04X}"


@pytest.mark.parametrize("code", CONTROLS, ids=_name)
def test_a_control_character_in_a_message_is_escaped_in_the_text_format(code):
    finding = _finding(f"unknown field `a{chr(code)}b`", path=f"plans/a{chr(code)}b.yaml")

    line = finding.text()

    assert not ACTIVE.search(line)
    assert line == f"plans/a{_escaped(code)}b.yaml:3:1: error PB111 unknown field `a{_escaped(code)}b`"
    assert format_text([finding]).count("\n") == 1


@pytest.mark.parametrize("code", CONTROLS, ids=_name)
def test_a_control_character_is_escaped_in_an_annotations_message_and_properties(code):
    finding = _finding(f"unknown field `a{chr(code)}b`", path=f"plans/a{chr(code)}b.yaml")

    annotation = format_github([finding])

    assert annotation.endswith("\n") and annotation.count("\n") == 1
    assert not ACTIVE.search(annotation[:-1])
    if code in (0x0A, 0x0D):  # the Actions toolkit's own escaping, which GitHub reads back
        shown = f"%0{code:X}"
    else:
        shown = _escaped(code)
    assert annotation == f"::error file=plans/a{shown}b.yaml,line=3,col=1,title=PB111::unknown field `a{shown}b`\n"


@pytest.mark.parametrize("code", CONTROLS, ids=_name)
def test_a_control_character_is_escaped_in_the_job_summary(code):
    summary = github_summary([_finding(f"unknown field `a{chr(code)}b`", path=f"plans/a{chr(code)}b.yaml")])

    row = summary.splitlines()[-1]
    assert not ACTIVE.search(summary.replace("\n", ""))
    assert row.startswith(f"| plans/a{_escaped(code)}b.yaml | 3 | 1 |")


@pytest.mark.parametrize("code", CONTROLS, ids=_name)
def test_json_keeps_a_control_character_exactly_as_json_text(code):
    finding = _finding(f"unknown field `a{chr(code)}b`")

    assert json.loads(format_json([finding]))[0]["message"] == finding.message


@pytest.mark.parametrize("key", [
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "&lt;b&gt;", "a | b | c", "**bold** _it_",
    "[link](javascript:alert(1))", "`code` ``", "~~gone~~", "\\|", "![x](http://e.com/x.png)",
])
def test_a_summary_cell_shows_markup_as_text(key):
    summary = github_summary([_finding(f"unknown field `{key}`", path=f"plans/{key}.yaml")])

    row = summary.splitlines()[-1]
    assert "<" not in row and ">" not in row
    cells = re.split(r"(?<!\\) \| ", row.strip("| "))
    assert len(cells) == 6  # no `|` in a key adds a column
    unescaped = re.sub(r"\\(.)", r"\1", cells[5]).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == f"unknown field `{key}`"


@pytest.mark.parametrize("surrogate, shown", [("\udcff", "\\xff"), ("\udc80", "\\x80"), ("\ud800", "\\ud800")])
def test_a_lone_surrogate_is_shown_as_an_escape_in_every_format(surrogate, shown):
    finding = _finding(f"unknown field `a{surrogate}`", path=f"plans/a{surrogate}.yaml")

    outputs = [format_text([finding]), format_github([finding]), github_summary([finding]), format_json([finding])]

    for output in outputs:
        output.encode("utf-8")  # strict: no surrogate left to fail the write
    assert f"plans/a{shown}.yaml" in outputs[0] and f"a{shown}" in outputs[1]
    assert json.loads(outputs[3])[0]["path"] == f"plans/a{shown}.yaml"


# --- through the real command: keys holding every control character ---------------------------------------------


@pytest.fixture
def control_keys(write_plan, pip_plan):
    """A valid plan plus one unknown key per control character, written with a YAML escape."""
    keys = "".join(f'"key-{code:04x}-\\u{code:04x}-end": 1\n' for code in CONTROLS)
    write_plan(pip_plan + keys)
    return len(CONTROLS)


@pytest.mark.parametrize("form", ["text", "github"])
def test_no_control_character_in_a_key_reaches_the_commands_output(cli, control_keys, form, tmp_path):
    summary = tmp_path / "summary.md"

    result = cli("check", "--today", "2026-11-20", "--format", form, "plans",
                 env={"GITHUB_STEP_SUMMARY": str(summary), "PYTHONIOENCODING": "utf-8:strict"})

    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.split("\n")[:-1]
    assert len(lines) == control_keys
    assert not any(ACTIVE.search(line) for line in lines)
    for code, line in zip(CONTROLS, lines):
        assert f"key-{code:04x}-" in line
    if form == "github":
        assert not ACTIVE.search(summary.read_text(encoding="utf-8").replace("\n", ""))
        assert summary.read_text(encoding="utf-8").count("| PB111 |") == control_keys


def test_json_output_carries_every_control_character_exactly(cli, control_keys):
    result = cli("check", "--today", "2026-11-20", "--format", "json", "plans")

    messages = [row["message"] for row in json.loads(result.stdout)]
    assert messages == [f"unknown field `key-{code:04x}-{chr(code)}-end`" for code in CONTROLS]
