"""What a change does to the plans, said in words, plan by plan: `playbook diff`.

    diff_plans(repo_folder, plans_folder, base, head) -> Comparison
    format_text | format_markdown | format_json (Comparison) -> str

Both ends are read whole (one `git ls-tree` and one `git cat-file` per revision, or the work tree
from disk), read as `playbook check` reads a plan (`generator.check.read_plan`), and
paired: by path, then by git's rename detection, then by plan id. Each pair is compared field by
field and each difference said the way a person reads the plan: a list item by its title or name
(`milestone 'Objectives met' target discovery-to-demo 26 -> 24`), a log entry by its kind and day.

`private` is compared but never shown: a change to it is "private notes changed", whatever the
format. A version that does not parse is "cannot be read at REV", without a word of its content.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal

from pydantic import ValidationError

from .check import displayed_path, read_plan
from .config import Policy
from .findings import visible
from .gitrepo import (GitError, merge_base, plan_files_at, renames, repository, resolve,
                      working_plan_files)
from .load import shorten
from .model import Plan
from .words import plural

PRIVATE = "private"
DEFAULT_BASES = ("main", "origin/main")  # a pull request's checkout has no local `main`
MARKDOWN_LIMIT = 60_000  # GitHub refuses a comment longer than 65,536 characters
ChangeKind = Literal["added", "removed", "renamed", "changed"]


class Value(str):
    """Text taken from a plan or from the user: quoted in the text format, a code span in Markdown."""


Sentence = tuple[str, ...]  # words, and Values among them; "," and ":" join the word before


@dataclass(frozen=True)
class Change:
    """One difference in one plan: the field it is in, the old and new values, and the sentence that says it."""

    field: str | None
    old: str | int | float | None
    new: str | int | float | None
    sentence: Sentence

    @property
    def text(self) -> str:
        return _join(self.sentence, _quoted)


@dataclass(frozen=True)
class PlanDiff:
    """What happened to one plan between the two ends."""

    id: str
    path: str
    change: ChangeKind
    from_path: str | None = None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Side:
    """One end of the comparison: a revision as the user named it and its commit, or the work tree."""

    rev: str | None  # None: the work tree
    commit: str | None
    words: Sentence  # how the output names it

    @property
    def label(self) -> str:
        return _join(self.words, _quoted)


@dataclass(frozen=True)
class Comparison:
    base: Side
    head: Side
    plans: tuple[PlanDiff, ...]


# --- reading both ends -------------------------------------------------------------------------------------------


def diff_plans(repo_folder: Path, plans_folder: Path, base: str | None = None, head: str | None = None,
               *, policy: Policy | None = None) -> Comparison:
    """Compare the plans of `base` (default: where HEAD left `main`) with `head` (default: the work tree).

    GitError, with a line for the user, for a folder outside a repository or a revision that does not exist.
    """
    found = repository(Path(repo_folder))
    if found is None:
        raise GitError(f"{visible(str(Path(repo_folder).resolve()))} is not in a git repository")
    root = Path(os.path.realpath(found[0]))
    folder = Path(os.path.relpath(os.path.realpath(plans_folder), root)).as_posix()
    if folder == ".." or folder.startswith("../"):
        raise GitError(f"the plans folder {visible(str(plans_folder))} is outside the repository at {visible(str(root))}")
    policy = policy or Policy()
    base_side = _base(root, base)
    if head is None:
        head_side = Side(None, None, ("the work tree",))
        head_files = working_plan_files(root, folder, policy.max_file_bytes)
    else:
        commit = resolve(root, head)
        head_side = Side(head, commit, _named(head, commit))
        head_files = plan_files_at(root, commit, folder)
    base_files = plan_files_at(root, base_side.commit, folder)
    moved = renames(root, base_side.commit, head_side.commit, folder)
    plans = compare(_read_all(base_files, policy), _read_all(head_files, policy), moved, base_side, head_side)
    return Comparison(base_side, head_side, tuple(plans))


def _base(root: Path, given: str | None) -> Side:
    if given is not None:
        commit = resolve(root, given)
        return Side(given, commit, _named(given, commit))
    for branch in DEFAULT_BASES:
        try:
            commit = merge_base(root, "HEAD", branch)
        except GitError:
            continue
        return Side(branch, commit, ("the merge base of HEAD and", Value(branch), f"({commit[:7]})"))
    raise GitError("there is no `main` branch to compare with: name the base, as in `playbook diff BASE`")


def _named(rev: str, commit: str) -> Sentence:
    return Value(rev), f"({commit[:7]})"


@dataclass(frozen=True)
class PlanVersion:
    """One end's version of one plan file: its record, or None when it cannot be read."""

    path: str
    plan: Plan | None
    raw: bytes

    @property
    def id(self) -> str:
        return self.plan.id if self.plan is not None else _stem(self.path)


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _read_all(files: dict[str, bytes], policy: Policy) -> dict[str, PlanVersion]:
    return {path: PlanVersion(path, read_plan(raw, path, policy).plan, raw) for path, raw in files.items()}


# --- pairing the versions ----------------------------------------------------------------------------------------


def compare(base: dict[str, PlanVersion], head: dict[str, PlanVersion], moved: dict[str, str],
            base_side: Side, head_side: Side) -> list[PlanDiff]:
    """Every plan that differs, sorted by id: same path first, then git's renames, then the same id."""
    pairs = [(base[path], head[path]) for path in base.keys() & head.keys()]
    gone = {path: version for path, version in base.items() if path not in head}
    new = {path: version for path, version in head.items() if path not in base}
    for old, now in moved.items():
        if old in gone and now in new:
            pairs.append((gone.pop(old), new.pop(now)))
    gone_ids, new_ids = Counter(v.id for v in gone.values()), Counter(v.id for v in new.values())
    by_id = {version.id: path for path, version in new.items() if new_ids[version.id] == 1}
    for path, version in list(gone.items()):
        if gone_ids[version.id] == 1 and version.id in by_id:
            pairs.append((gone.pop(path), new.pop(by_id[version.id])))
    found = [diff for old, now in pairs if (diff := _pair(old, now, base_side, head_side)) is not None]
    found += [PlanDiff(v.id, v.path, "removed") for v in gone.values()]
    found += [PlanDiff(v.id, v.path, "added") for v in new.values()]
    return sorted(found, key=lambda diff: (diff.id, diff.path))


def _pair(old: PlanVersion, new: PlanVersion, base_side: Side, head_side: Side) -> PlanDiff | None:
    renamed = old.path != new.path
    if old.raw == new.raw and not renamed:
        return None
    kind: ChangeKind = "renamed" if renamed else "changed"
    unreadable = [side for side, version in ((base_side, old), (head_side, new)) if version.plan is None]
    if unreadable:
        changes = tuple(_unreadable(side) for side in unreadable)
    else:
        changes = tuple(plan_changes(old.plan, new.plan))
        if not changes and old.raw != new.raw:
            changes = (Change(None, None, None, ("comments or layout changed; no value did",)),)
    return PlanDiff(new.id, new.path, kind, old.path if renamed else None, changes)


def _unreadable(side: Side) -> Change:
    where = ("in the work tree",) if side.rev is None else ("at", Value(side.rev))
    return Change(None, None, None, ("cannot be read", *where, "(run playbook check)"))


# --- comparing two records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Items:
    """How a list of records is read: each item's noun, the key that finds it in the other version,
    the name a person knows it by, and what to say of one added."""

    noun: str
    key: Callable[[dict], Any]
    name: Callable[[dict], Sentence]
    summary: Callable[[dict], Sentence] = lambda item: ()
    shape: Callable[[Any], dict] = lambda item: item  # the item as a record
    nested: bool = False  # said after the item that holds the list: `criterion 'Win rate' history 2026-Q3`


def _date_of(item: dict) -> Sentence:
    return (_value(item["date"]),)


def _targets(targets: dict) -> Sentence:
    return tuple(word for criterion, target in targets.items()
                 for word in (",", "target", Value(criterion), _value(target)))


def _as_record(item: Any) -> dict:
    return item if isinstance(item, dict) else {"what": item}


# Each list of records in a plan, by its place in the record (field names, no indexes).
ITEMS: dict[tuple[str, ...], Items] = {
    ("timetable", "reviews"): Items("review", lambda r: r["title"], lambda r: (Value(r["title"]),), _date_of),
    ("criteria",): Items("criterion", lambda c: c["id"], lambda c: (Value(c["metric"]),),
                         lambda c: ("baseline", _value(c["baseline"]), ",", "target", _value(c["target"]),
                                    Value(c["unit"]))),
    ("criteria", "history"): Items("history", lambda h: h["period"], lambda h: (Value(h["period"]),),
                                   lambda h: (_value(h["value"]),), nested=True),
    ("actions",): Items("action", lambda a: a["step"], lambda a: (_value(a["step"]),),
                        lambda a: ("owner", Value(a["owner"]))),
    ("milestones",): Items("milestone", lambda m: m["title"], lambda m: (Value(m["title"]),),
                           lambda m: _date_of(m) + _targets(m["targets"])),
    ("support",): Items("support", lambda s: s["what"], lambda s: (_value(s["what"]),), shape=_as_record),
    ("escalation",): Items("escalation", lambda e: e["stage"], lambda e: (Value(e["stage"]),), _date_of),
    ("log",): Items("log:", lambda e: (e["date"], e["kind"]), lambda e: (Value(e["kind"]), "on", _value(e["date"]))),
}
# Mappings whose keys are criterion ids, not field names.
BY_CRITERION = {("milestones", "targets"), ("log", "results")}
# A whole record said in a few words when it is added or removed.
SUMMARIES: dict[tuple[str, ...], Callable[[dict], Sentence]] = {
    ("outcome",): lambda o: (Value(o["result"]), ",", Value(o["decision"]), "on", _value(o["date"])),
    ("hr_partner",): lambda ref: (Value(f"{ref['name']} ({ref['id']})"),),
}
WORDS = {"targets": "target", "results": "result", "check_ins": "check-ins", "hr_partner": "HR partner",
         "every_weeks": "every weeks", "playbook_version": "playbook version"}


def plan_changes(old: Plan, new: Plan) -> Iterator[Change]:
    """Each difference between two versions of a plan, in the order of the plan's fields."""
    # Pydantic warns of the unions told apart by a function (a signature, a support item) as it
    # dumps them, and dumps them right: each as the record or the value it is.
    before, after = (plan.model_dump(exclude={PRIVATE}, warnings=False) for plan in (old, new))
    yield from _compare(before, after, (), (), "")
    if old.private != new.private:  # said, never shown: not even in the field's old and new values
        yield Change(PRIVATE, None, None, ("private notes changed",))


def _compare(old: Any, new: Any, where: tuple[str, ...], words: Sentence, field: str) -> Iterator[Change]:
    if old == new:
        return
    lists, keyed = isinstance(old, list) and isinstance(new, list), where in BY_CRITERION
    if lists and where in ITEMS:
        yield from _compare_items(old, new, where, words, field)
    elif lists and not _words_only(old + new):
        for item in old:
            if item not in new:
                yield Change(field, _plain(item, where), None, words + ("removed:", _value(item)))
        for item in new:
            if item not in old:
                yield Change(field, None, _plain(item, where), words + ("added:", _value(item)))
    elif not keyed and (_empty(old) or _empty(new)):
        said = ("added:", *_summary(new, where)) if _empty(old) else ("removed:", *_summary(old, where))
        yield Change(field, _plain(old, where), _plain(new, where), words + said)
    elif isinstance(old, dict) and isinstance(new, dict):
        for key in [*new, *(key for key in old if key not in new)]:
            name = Value(key) if keyed else WORDS.get(key, key.replace("_", " "))
            inner = where if keyed else where + (key,)
            yield from _compare(old.get(key), new.get(key), inner, words + (name,), f"{field}.{key}".lstrip("."))
    else:
        yield Change(field, _plain(old, where), _plain(new, where),
                     words + (*_summary(old, where), "->", *_summary(new, where)))


def _compare_items(old: list, new: list, where: tuple[str, ...], words: Sentence, field: str) -> Iterator[Change]:
    """Lists of records: items found by their key; what is left is added or removed."""
    spec = ITEMS[where]
    before, after = _keyed(old, spec), _keyed(new, spec)
    owner = words[:-1] if spec.nested else ()  # the words before the list's own name

    for key, item in after.items():
        name, subject = f"{field}[{_key_text(key)}]", (*owner, spec.noun, *spec.name(item))
        if key in before:
            yield from _compare(before[key], item, where, subject, name)
        else:
            summary = spec.summary(item)
            yield Change(name, None, _plain(item, where),
                         subject + (("added:", *_trim(summary)) if summary else ("added",)))
    for key, item in before.items():
        if key not in after:
            yield Change(f"{field}[{_key_text(key)}]", _plain(item, where), None,
                         (*owner, spec.noun, *spec.name(item), "removed"))


def _keyed(items: list, spec: Items) -> dict[tuple, dict]:
    """Each item by its key; a key met again (two check-ins on one day) is told apart by its count."""
    seen: Counter = Counter()
    keyed = {}
    for item in map(spec.shape, items):
        key = spec.key(item)
        seen[key] += 1
        keyed[(key, seen[key])] = item
    return keyed


def _key_text(key: tuple) -> str:
    value, count = key
    parts = [_scalar(part) for part in (value if isinstance(value, tuple) else (value,))]
    return " ".join(str(part) for part in parts) + (f" #{count}" if count > 1 else "")


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*")


def _words_only(items: list) -> bool:
    """A list of short words (weekdays) reads best whole: `monday -> monday, thursday`."""
    return all(isinstance(item, str) and _WORD.fullmatch(item) for item in items)


def _scalar(value: Any) -> str | int | float:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, (int, float)) else str(value)


def _value(value: Any) -> Value:
    return Value(shorten(str(_scalar(value)), 80))


def _summary(value: Any, where: tuple[str, ...]) -> Sentence:
    """A value in words: a scalar as it is, a list joined, a record by its summary or its fields."""
    if where in SUMMARIES and isinstance(value, dict):
        return SUMMARIES[where](value)
    if isinstance(value, dict):
        return _trim(tuple(word for key, item in value.items() if not _empty(item)
                           for word in (",", WORDS.get(key, key.replace("_", " ")), *_summary(item, where + (key,)))))
    if isinstance(value, list) and where in ITEMS:
        spec = ITEMS[where]
        return _trim(tuple(word for item in value for word in (",", *spec.name(spec.shape(item)))))
    if isinstance(value, list):
        return _trim(tuple(word for item in value for word in (",", _value(item))))
    return () if value is None else (_value(value),)


def _trim(sentence: Sentence) -> Sentence:
    return sentence[1:] if sentence[:1] == (",",) else sentence


def _plain(value: Any, where: tuple[str, ...]) -> str | int | float | None:
    """A value for the JSON format: a number or a text (dates in ISO form), or None when there is none."""
    if _empty(value):
        return None
    if isinstance(value, (dict, list)):
        return _join(_summary(value, where), str)
    return _scalar(value)


# --- formats -----------------------------------------------------------------------------------------------------


def _join(sentence: Iterable[str], show: Callable[[Value], str]) -> str:
    text = ""
    for word in sentence:
        shown = show(word) if isinstance(word, Value) else word
        text += shown if not text or word in (",", ":") else " " + shown
    return text


_BARE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./%#+~^@{}-]*")


def _quoted(value: Value) -> str:
    """A value in the text format: a word or a number as it is, other text in quotes, on one line."""
    return visible(value) if _BARE.fullmatch(value) else "'" + visible(value) + "'"


def _code(value: str) -> str:
    """A value in Markdown: a code span, where nothing is markup, a link, a mention or HTML."""
    text = visible(value)
    if not text:
        return "(empty)"
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _counts(plans: tuple[PlanDiff, ...]) -> str:
    counted = Counter(plan.change for plan in plans)
    return ", ".join(f"{counted[kind]} {kind}" for kind in ("added", "removed", "renamed", "changed") if counted[kind])


def _headline(comparison: Comparison, show: Callable[[Value], str]) -> str:
    base, head = (_join(side.words, show) for side in (comparison.base, comparison.head))
    if not comparison.plans:
        return f"No plan differs between {base} and {head}."
    return f"Plans from {base} to {head}: {_counts(comparison.plans)}."


def _where(plan: PlanDiff, show: Callable[[Value], str]) -> str:
    if plan.from_path is not None:
        return f"from {show(Value(plan.from_path))} to {show(Value(plan.path))}"
    return show(Value(plan.path))


def format_text(comparison: Comparison) -> str:
    lines = [_headline(comparison, visible)]
    for plan in comparison.plans:
        lines.append(f"{visible(plan.id)}: {plan.change} ({_where(plan, visible)})")
        lines += [f"  - {change.text}" for change in plan.changes]
    return "\n".join(lines) + "\n"


def format_markdown(comparison: Comparison, limit: int = MARKDOWN_LIMIT) -> str:
    """A pull-request comment: a heading, a section per plan, a bullet per change."""
    head = ["<!-- playbook diff -->", "## Plan changes", "", _headline(comparison, _code)]
    sections = []
    for plan in comparison.plans:
        section = ["", f"### {_code(plan.id)} {plan.change}", "", _where(plan, _code)]
        if plan.changes:
            section.append("")
            section += [f"- {_join(_arrows(change.sentence), _code)}" for change in plan.changes]
        sections.append("\n".join(section))
    text, left = "\n".join(head), len(sections)
    for section in sections:
        if len(text) + len(section) > limit:
            break
        text, left = text + "\n" + section, left - 1
    if left:
        text += f"\n\n… and {plural(left, 'more plan')}: run `playbook diff` for the whole list."
    return text + "\n"


def _arrows(sentence: Sentence) -> Sentence:
    return tuple("→" if word == "->" and not isinstance(word, Value) else word for word in sentence)


def format_json(comparison: Comparison) -> str:
    """A stable structure for other tools; names that are not UTF-8 are written as `\\xff`, as findings do."""

    def side(end: Side) -> dict:
        return {"rev": _maybe(end.rev), "commit": end.commit, "label": end.label}

    document = {
        "base": side(comparison.base),
        "head": side(comparison.head),
        "plans": [{"id": displayed_path(plan.id), "path": displayed_path(plan.path), "change": plan.change,
                   "from_path": _maybe(plan.from_path),
                   "changes": [{"field": change.field, "old": change.old, "new": change.new, "text": change.text}
                               for change in plan.changes]}
                  for plan in comparison.plans],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _maybe(text: str | None) -> str | None:
    return None if text is None else displayed_path(text)


FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}
