"""Findings: what `playbook check` reports, and its three output formats (text, github, json)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]

# GitHub shows at most this many annotations of each severity for one step.
GITHUB_ANNOTATION_CAP = 10


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
        line = f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}"
        return line.replace("\r", "\\r").replace("\n", "\\n")  # one line per finding, whatever a key holds

    def fails(self, strict: bool) -> bool:
        return self.severity == "error" or strict


def format_text(findings: Iterable[Finding]) -> str:
    return "".join(finding.text() + "\n" for finding in findings)


def format_json(findings: Iterable[Finding]) -> str:
    rows = [
        {key: row[key] for key in ("path", "line", "col", "severity", "code", "message")}
        for row in map(asdict, findings)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    """The Actions toolkit's escaping of a command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
    cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ")  # noqa: E731
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
    noun = "plan" if plans == 1 else "plans"
    if not findings:
        return f"{plans} {noun} checked: no findings"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}{' (strict: they fail)' if strict else ''}")
    return f"{plans} {noun} checked: {', '.join(parts)} in {files} file{'s' if files != 1 else ''}"
