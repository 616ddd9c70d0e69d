"""Findings: what `playbook check` reports, and its three output formats (text, github, json).

A message can quote what a plan holds (a key, a value), so every format shows it as inert text:
control characters (C0, DEL, C1, line and paragraph separators, bidirectional controls) and lone surrogates (a file
name's bytes that are not UTF-8) become escapes such as `\\x1b` and `\\u2028`, one finding
stays one line, and the job summary escapes Markdown and HTML. Every escape is one
`str.translate`, linear in the text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

from .words import plural

Severity = Literal["error", "warning"]

# GitHub shows at most this many annotations of each severity for one step.
GITHUB_ANNOTATION_CAP = 10

# What a terminal, a log viewer or an editor acts on rather than shows.
_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
_CONTROLS |= {ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n", 0x2028: "\\u2028", 0x2029: "\\u2029"}
# Bidirectional controls reorder what a terminal or an editor shows ("Trojan Source"): a name
# holding U+202E shows its end first. Written as escapes, they are seen rather than obeyed.
BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROLS |= {code: f"\\u{code:04x}" for code in BIDI_CONTROLS}
# Lone surrogates cannot be written as UTF-8: Python reads a file name's undecodable bytes as
# U+DC80..U+DCFF, shown here as the bytes they were.
_UNPAIRED = {code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)}
_UNPAIRED |= {code: f"\\x{code - 0xDC00:02x}" for code in range(0xDC80, 0xDD00)}
_VISIBLE = str.maketrans(_CONTROLS | _UNPAIRED)
# Annotations: the Actions toolkit's own escaping carries \r and \n (`%0D`, `%0A`).
_ANNOTATION = str.maketrans({code: text for code, text in (_CONTROLS | _UNPAIRED).items() if code not in (10, 13)})
_ENCODABLE = str.maketrans(_UNPAIRED)
# A job summary cell: Markdown that shows the text as written, with no emphasis, link, code or HTML.
_MARKDOWN = {ord(c): "\\" + c for c in "\\`*_[]|~"} | {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_CELL = str.maketrans(_CONTROLS | _UNPAIRED | _MARKDOWN)


_LINES = str.maketrans({code: text for code, text in (_CONTROLS | _UNPAIRED).items() if code not in (9, 10)})


def visible(text: str) -> str:
    """`text` on one line with every control character (bidirectional ones too) and lone surrogate escaped."""
    return text.translate(_VISIBLE)


def visible_lines(text: str) -> str:
    """`text` for a terminal, keeping its line breaks and tabs: every other control character
    (ESC, which starts the sequences that clear a screen or retitle a window; CR; the
    bidirectional ones) and every lone surrogate escaped, as `visible` does."""
    return text.translate(_LINES)


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One rule broken at one place. Ordered by file, then line, column and code."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str

    def text(self) -> str:
        return visible(f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}")

    def fails(self, strict: bool) -> bool:
        return self.severity == "error" or strict


def format_text(findings: Iterable[Finding]) -> str:
    return "".join(finding.text() + "\n" for finding in findings)


def format_json(findings: Iterable[Finding]) -> str:
    rows = [
        {key: row[key] for key in ("path", "line", "col", "severity", "code", "message")}
        for row in map(asdict, findings)
    ]
    for row in rows:  # JSON keeps the text exact, but only what UTF-8 can carry
        row["path"], row["message"] = row["path"].translate(_ENCODABLE), row["message"].translate(_ENCODABLE)
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    """The Actions toolkit's escaping of a command's message, after ours of every other control."""
    return value.translate(_ANNOTATION).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """The Actions toolkit's escaping of a command's property values."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Iterable[Finding]) -> str:
    lines = []
    for finding in findings:
        properties = ",".join(
            f"{name}={_escape_property(str(value))}"
            for name, value in (
                ("file", finding.path),
                ("line", finding.line),
                ("col", finding.col),
                ("title", finding.code),
            )
        )
        lines.append(f"::{finding.severity} {properties}::{_escape_data(finding.message)}\n")
    return "".join(lines)


def github_summary(findings: list[Finding]) -> str:
    """A Markdown table of every finding, for the job summary when annotations are capped."""
    cell = lambda text: str(text).translate(_CELL)  # noqa: E731
    rows = [
        "## playbook check",
        "",
        f"{len(findings)} findings; GitHub shows only the first {GITHUB_ANNOTATION_CAP} "
        "annotations of each severity, so here is the full list.",
        "",
        "| file | line | col | severity | code | message |",
        "| --- | ---: | ---: | --- | --- | --- |",
    ]
    rows += [
        f"| {cell(f.path)} | {f.line} | {f.col} | {f.severity} | {f.code} | {cell(f.message)} |" for f in findings
    ]
    return "\n".join(rows) + "\n"


def exceeds_github_cap(findings: list[Finding]) -> bool:
    """More findings than one step's annotations can be sure to show: write the full list too."""
    return len(findings) > GITHUB_ANNOTATION_CAP


def summary(findings: list[Finding], plans: int, strict: bool) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    files = len({f.path for f in findings})
    checked = f"{plural(plans, 'plan')} checked"
    if not findings:
        return f"{checked}: no findings"
    parts = []
    if errors:
        parts.append(plural(errors, "error"))
    if warnings:
        parts.append(f"{plural(warnings, 'warning')}{' (strict: they fail)' if strict else ''}")
    return f"{checked}: {', '.join(parts)} in {plural(files, 'file')}"
