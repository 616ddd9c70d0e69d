"""Checking plans: files -> typed records and findings.

One pass per file: read it (`load`), refuse placeholders, validate it against the model, then run
every plan rule on the typed record. Repository rules run once over all records that validated.
The CLI and the MkDocs plugin both call `check_paths`; neither checks anything on its own.
A file reports at most MAX_FINDINGS findings, the last of them PB118 when there were more.

`private:` holds text that must reach no output, findings included: placeholders are not looked
for there, and a finding about a value under it names the field and the problem, never the value.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import hashlib
import heapq
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from .config import Policy, UsageError
from .findings import Finding, visible
from .load import Document, LoadError, load_bytes, read_file, shorten
from .model import SLUG_PATTERN, Kind, Plan, field_names
from .rules import REGISTRY, Context, rules

PLAN_SUFFIXES = (".yaml", ".yml")
PLACEHOLDER = "TODO"
PRIVATE = "private"
MAX_FINDINGS = 200  # in one file: past that, it is not a plan with mistakes, and the rest would flood the log
_SLUG = re.compile(SLUG_PATTERN)
_FIELDS = sorted(field_names())
PLAN_KINDS = frozenset(Kind.__args__)
_QUOTE_NOTHING = frozenset({"PB112", "PB118"})  # their messages name the plan format's fields, never the file's


@dataclass(frozen=True)
class PlanFile:
    """A plan that validated: its record, where it came from and a hash of its bytes."""

    path: str  # as shown in findings and on the site
    plan: Plan
    raw: bytes = field(repr=False)  # the bytes checked: the document is read again from them when asked for
    digest: str  # sha256 of the file's bytes: a cache key for anything rendered from it
    id_given: bool  # the id came from `id:` rather than from the file name

    def document(self) -> Document:
        """The file as read, with every value's position, for a finding made after the file's own check.

        A check keeps each plan's record, not its document: the documents of a large check would be held
        until its end, a few small values each for every line, and the free space they left between the
        records (half of a 5,000-plan check's memory) stayed with the process. The rules across plans and
        the lock name a few values of a few files, so those files are read again."""
        return load_bytes(self.raw, max_bytes=len(self.raw))


@dataclass
class CheckResult:
    plan_files: list[PlanFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    timelines: dict[str, Any] = field(default_factory=dict)  # file -> the timeline the rules read, as of today

    def failed(self, strict: bool) -> bool:
        return any(finding.fails(strict) for finding in self.findings)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Plan files under the given files and folders, in a stable order; UsageError if one is missing.

    A folder is walked for files ending `.yaml` or `.yml` in any case (`X.YAML`), leaving out hidden
    files and folders (`.git/`) and files whose names start with `_` (`_roster.yaml`): those hold
    data beside the plans, not plans. A file named on its own is checked whatever its name. A file
    reached twice (`plans plans/x.yaml`) is checked once, under the first spelling. Relative paths
    are shown relative to the working folder, the shortest way there.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates = sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.suffix.lower() in PLAN_SUFFIXES and not candidate.name.startswith("_")
                and candidate.exists() and not candidate.is_dir()  # a FIFO too: it is refused when read
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
            )
        elif path.exists():
            candidates = [path]
        else:
            raise UsageError(f"{visible(displayed_path(path))}: no such file or folder")
        for candidate in candidates:
            same = candidate.resolve()
            if same not in seen:
                seen.add(same)
                # `../emea-west/x.yaml`, found from inside emea-west, is shown as the user would type it.
                found.append(Path(os.path.normpath(candidate)) if candidate.is_absolute()
                             else Path(os.path.relpath(candidate)))
    return found


def displayed_path(path: Path) -> str:
    """A path as findings and pages show it: bytes that are not UTF-8 written as `\\xff`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_paths(paths: Iterable[Path], policy: Policy, today: date, root: Path | None = None) -> CheckResult:
    """Check every plan under `paths`, then the rules that span plans. A file whose real path leaves
    `root` (the project), or that is not a regular file, is refused unread (PB123)."""
    context = Context(policy, today)
    result = CheckResult()
    with cycle_collection_paused():
        _check_each(discover(paths), policy, root, context, result)
    result.findings += repository_findings(result.plan_files, context)
    result.findings.sort()
    result.timelines = {plan_file.path: timeline for plan_file in result.plan_files
                        if (timeline := context.timeline_if_built(plan_file.plan)) is not None}
    return result


@contextlib.contextmanager
def cycle_collection_paused():
    """Pause Python's cycle collector while plans are read, and restore it after.

    A check keeps every record, document and position it makes, and a valid plan leaves no cycle of
    references behind: the collector finds next to nothing, yet each of its passes walks all that is
    kept so far: a quarter to a third of a check's time. Reference counting frees values as before, and what
    few cycles a refused file leaves are collected once the pause ends. The first pass after it
    walks whatever the pause made that is still kept: a caller that drops the records first (`playbook
    check`) pauses around its whole run, and the pause here then leaves the collector as it found it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_each(paths: list[Path], policy: Policy, root: Path | None, context: Context, result: CheckResult) -> None:
    """Read and check each plan file in turn, adding its record and findings to `result`."""
    for path in paths:
        result.files_checked += 1
        try:
            raw = read_file(path, max_bytes=policy.max_file_bytes, root=root)
        except LoadError as exc:
            problem = exc.problem
            result.findings.append(Finding(displayed_path(path), problem.line, problem.col, problem.code,
                                           REGISTRY[problem.code].severity, problem.message))
            continue
        except OSError as exc:
            raise UsageError(f"{visible(displayed_path(path))}: cannot read: {exc.strerror or exc}") from None
        plan_file, findings = check_bytes(raw, displayed_path(path), context)
        result.findings += findings
        if plan_file is not None:
            result.plan_files.append(plan_file)


def check_bytes(raw: bytes, shown_path: str, context: Context) -> tuple[PlanFile | None, list[Finding]]:
    """Read, validate and check one plan file's bytes; at most MAX_FINDINGS findings, then PB118."""
    plan_file, findings = _check_bytes(raw, shown_path, context)
    if len(findings) <= MAX_FINDINGS:
        return plan_file, findings
    first = heapq.nsmallest(MAX_FINDINGS + 1, findings, key=lambda finding: (finding.line, finding.col, finding.code))
    stop = first.pop()
    return plan_file, first + [Finding(shown_path, stop.line, stop.col, "PB118", REGISTRY["PB118"].severity,
                                       f"more than {MAX_FINDINGS} findings in this file, and only the first "
                                       f"{MAX_FINDINGS} are shown; fix them and check again")]


@dataclass(frozen=True)
class PlanRead:
    """One plan file's bytes as every command reads them: the record, or why it is not one.

    `plan` is the validated record (its id from the file name when `id:` is not given), or None when
    the loader or the model refused the file. `findings` holds every refusal, and the placeholders
    `playbook new` leaves: a record with one still reads, but does not pass the check.
    """

    plan: Plan | None
    document: Document | None
    findings: list[Finding]
    id_given: bool = False


def read_plan(raw: bytes, shown_path: str, policy: Policy) -> PlanRead:
    """Read one plan file's bytes within the policy's bounds: `check`, the lock, `diff` and the history
    read plans through here and nowhere else, so each applies the same refusals."""
    plan_like = True  # until the file is read: what stops it being read quotes none of it

    def located(code: str, line: int, col: int, message: str, path: tuple | None = None) -> Finding:
        if path and path[0] == PRIVATE:
            message = _private_message(code)
        elif not plan_like and code not in _QUOTE_NOTHING and (path is not None or code != "PB114"):
            message = _withheld_message(code)
        return Finding(shown_path, line, col, code, REGISTRY[code].severity, message)

    try:
        document = load_bytes(raw, max_bytes=policy.max_file_bytes)
    except LoadError as exc:
        problem = exc.problem
        return PlanRead(None, None, [located(problem.code, problem.line, problem.col, problem.message, problem.path)])
    # A file whose `kind` is no plan's is some other file (a manifest, a key file): its values and
    # keys are not the author's plan, and no finding repeats them.
    plan_like = isinstance(document.data.get("kind"), str) and document.data["kind"] in PLAN_KINDS

    findings = [located(p.code, p.line, p.col, p.message, p.path) for p in document.problems]
    refused = {p.path for p in document.problems if p.path is not None}
    loader_refused = bool(findings)
    public = {key: value for key, value in document.data.items() if key != PRIVATE}
    placeholders = _placeholders(public) if PLACEHOLDER.encode() in raw else ()
    for path, text, is_key in placeholders:
        line, col = document.where(path, key=is_key)
        findings.append(located("PB116", line, col, f"placeholder left: {shorten(text)}"))
        refused.add(path)

    stem = os.path.splitext(os.path.basename(shown_path))[0]
    id_given = document.data.get("id") is not None  # an empty `id:` leaves the file name as the id
    if not id_given and not _SLUG.fullmatch(stem):
        findings.append(located("PB114", 1, 1, f"the file name `{shorten(stem)}` is the plan's id and is not a "
                                               "slug: rename the file (lowercase letters, digits, dashes) or set "
                                               "`id:`"))
        loader_refused = True
    for path, message in _overlong_lists(document.data, policy):  # no later stage works through such a list
        line, col = document.where(path)
        findings.append(located("PB122", line, col, message, path))
        loader_refused = True

    try:
        plan = Plan.model_validate(document.data)
    except ValidationError as exc:
        findings += _model_findings(exc, document, refused, located, MAX_FINDINGS + 1 - len(findings))
        return PlanRead(None, document, findings, id_given)
    if loader_refused:  # the model accepted what the loader refused, e.g. a tagged string
        return PlanRead(None, document, findings, id_given)
    if not id_given:
        plan = plan.model_copy(update={"id": stem})
    return PlanRead(plan, document, findings, id_given)


def _check_bytes(raw: bytes, shown_path: str, context: Context) -> tuple[PlanFile | None, list[Finding]]:
    """Read, validate and check one plan file's bytes."""
    read = read_plan(raw, shown_path, context.policy)
    findings = list(read.findings)
    if read.plan is None or findings:
        return None, findings
    plan, document = read.plan, read.document
    for rule in rules("plan"):
        for path, message, *own_severity in rule.check(plan, context):
            line, col = document.where(path)
            message = _private_message(rule.code) if path and path[0] == PRIVATE else message
            severity = own_severity[0] if own_severity else rule.severity_under(context.policy)
            findings.append(Finding(shown_path, line, col, rule.code, severity, message))
    digest = hashlib.sha256(raw).hexdigest()
    return PlanFile(shown_path, plan, raw, digest, read.id_given), findings


# The lists whose length every later stage (the timeline, the pages) pays for, by the policy's name.
BOUNDED_LISTS = {"reviews": ("timetable", "reviews"), "milestones": ("milestones",), "criteria": ("criteria",),
                 "log": ("log",)}


def _overlong_lists(data: dict, policy: Policy) -> Iterable[tuple[tuple, str]]:
    """(path of the first item past the bound, message) for each list longer than the policy allows."""
    for name, path in BOUNDED_LISTS.items():
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        most = getattr(policy.max_list_items, name)
        if isinstance(value, list) and len(value) > most:
            yield path + (most,), (f"`{'.'.join(path)}` holds {len(value)} items, more than the {most} the policy "
                                   f"allows (`max_list_items.{name}`): split the plan, or archive old entries")


def repository_findings(plan_files: list[PlanFile], context: Context) -> list[Finding]:
    findings = []
    documents: dict[str, Document] = {}  # each file with a finding, read again once
    for rule in rules("repository"):
        for plan_file, path, message in rule.check(plan_files, context):
            if plan_file.path not in documents:
                documents[plan_file.path] = plan_file.document()
            line, col = documents[plan_file.path].where(path)
            findings.append(Finding(plan_file.path, line, col, rule.code, rule.severity, message))
    return findings


def _placeholders(data: Any, path: tuple = ()) -> Iterable[tuple[tuple, str, bool]]:
    """Every `TODO` left by `playbook new`: (path, text, whether it is a key)."""
    stack = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key.startswith(PLACEHOLDER):
                    yield where + (key,), key, True
                stack.append((where + (key,), item))  # `{TODO-id: "TODO number"}` holds two
        elif isinstance(value, list):
            stack += [(where + (index,), item) for index, item in enumerate(value)]
        elif isinstance(value, str) and value.lstrip().startswith(PLACEHOLDER):
            yield where, value.strip(), False


# How pydantic's error types read in a plan, and the rule each one breaks.
_TYPE_NAMES = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "string_type": "text",
    "date_type": "a date (YYYY-MM-DD)",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "bool_type": "true or false",
}


def _model_findings(error: ValidationError, document: Document, refused: set[tuple], located,
                    most: int) -> list[Finding]:
    findings = []
    seen: set[tuple] = set()
    for detail in error.errors(include_url=False, include_input=True):
        if len(findings) >= most:
            break  # enough to show: describing every one of thousands would take seconds
        path = _data_path(document.data, detail["loc"], detail["type"])
        if any(path[:length] in refused for length in range(len(path) + 1)):
            continue  # already reported by the loader
        code, message, at_key = _describe(detail, path)
        if (path, code) in seen:
            continue  # a union reports once per member
        seen.add((path, code))
        line, col = document.where(path, key=at_key)
        findings.append(located(code, line, col, message, path))
    return findings


def _data_path(data: Any, loc: tuple, error_type: str) -> tuple:
    """The part of pydantic's `loc` that names values in the document.

    Pydantic adds union members' tags to `loc` (`int`, `declined`), and a tag can also be a key
    (`acknowledgement.person.declined`): of the ways to read `loc`, keep the one that names the
    most values, and of those the one whose last value comes latest in `loc`.
    """

    def best(node: Any, start: int) -> tuple[int, int, tuple]:
        found: tuple[int, int, tuple] = (0, -1, ())
        for index in range(start, len(loc)):
            part = loc[index]
            if (isinstance(node, dict) and part in node
                    or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
                count, latest, rest = best(node[part], index + 1)
                candidate = (count + 1, max(latest, index), (part,) + rest)
            elif index == len(loc) - 1 and error_type == "missing" and isinstance(node, dict) and isinstance(part, str):
                candidate = (1, index, (part,))
            else:
                continue
            if candidate[:2] > found[:2]:
                found = candidate
        return found

    return best(data, 0)[2]


def _field_name(path: tuple) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{part}]"]
        else:
            parts.append(shorten(str(part)))
    return ".".join(parts) or "the plan"


def _describe(detail: dict, path: tuple) -> tuple[str, str, bool]:
    """(code, message, point at the key rather than the value) for one model error."""
    kind = detail["type"]
    name = _field_name(path)
    value = detail.get("input")
    if kind.startswith("PB"):
        return kind, detail["msg"], False
    if kind == "missing":
        return "PB112", f"missing required field `{path[-1]}` in {_field_name(path[:-1])}", False
    if kind == "extra_forbidden":
        field_ = str(path[-1])
        close = difflib.get_close_matches(field_, _FIELDS, n=1, cutoff=0.75)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        return "PB111", f"unknown field `{shorten(field_)}`{hint}", True
    if kind == "string_pattern_mismatch":
        return "PB114", (
            f"{name}: `{_show(value)}` is not a slug (lowercase letters, digits and dashes, like `jordan-lee`)"
        ), False
    if kind == "too_short":
        return "PB115", f"{name} needs at least one item", False
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return "PB113", f"{name}: `{_show(value)}` is not one of {expected}", False
    if kind in ("int_type", "float_type") and detail["loc"][-1] in ("int", "float"):
        kind = "float_type"  # a Number: either member of the union will do
    if kind in _TYPE_NAMES:
        hint = "; quote it to keep it as text" if kind == "string_type" and isinstance(value, (int, float, date)) else ""
        return "PB113", f"{name} must be {_TYPE_NAMES[kind]}, not {_describe_value(value)}{hint}", False
    return "PB113", f"{name}: {detail['msg']}", False


def _show(value: Any) -> str:
    return shorten(str(value))


def _private_message(code: str) -> str:
    """What a finding inside `private` says: the problem, without the text that must stay private."""
    if code == "PB113":
        return f"`{PRIVATE}` must be text; its content is not shown"
    summary = re.sub(r" \([^)]*\)", "", REGISTRY[code].summary)  # its examples are not this plan's
    return f"in `{PRIVATE}`: {summary[0].lower()}{summary[1:]}; its content is not shown"


@functools.cache
def _withheld_message(code: str) -> str:
    """What a finding in a file that is not a plan says: the problem, without the file's content."""
    summary = re.sub(r" \([^)]*\)", "", REGISTRY[code].summary)
    return (f"{summary[0].lower()}{summary[1:]}; the file has no plan `kind` (growth, coaching or pip), "
            "so its content is not shown")


def _describe_value(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f"the text `{_show(value)}`"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, date):
        return f"the date `{value}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"`{_show(value)}`"
