"""Reading plan files: YAML bytes -> plain Python values, with the position of every value.

Every refusal of hostile or surprising input lives here, before any value reaches the model:
links that lead out of the project, FIFOs and devices (never opened to read), files over a size bound, bytes that are not UTF-8, YAML syntax errors, more than one document,
a document that is not a mapping, tags, anchors and aliases (so no alias bomb can expand),
duplicate keys, nesting deeper than a bound (whether we or libyaml notice it first), impossible
dates, numbers beyond +-10^12 (so no later sum overflows and no huge integer is converted), and
the YAML 1.1 readings (`no` -> false, `1:20` -> 80, `010` -> 8, `2026-10-5` -> a date) that
other tools would silently apply, in keys as well as in values.

The document is read from libyaml's event stream rather than its constructed objects: events
keep each value's mark, show tags, anchors and aliases as they were written, and let us build
the tree iteratively (no recursion, so no input can exhaust the stack). Every pattern applied to
a scalar is unambiguous or possessive, so it runs in time linear in the scalar's length.

Positions are what an editor shows: lines break at `\n`, `\r\n` and `\r` only. libyaml also
breaks them at NEL, LS and PS (U+0085, U+2028, U+2029); a text that holds one of those has its
positions counted from the marks' character offsets instead.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is several times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MappingStart, _MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStart, _SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DocumentStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NUMBER = 10**12  # far beyond any measure in a plan, far below where arithmetic on one could overflow
_MAX_INT_CHARS = len(str(-MAX_NUMBER))  # an integer written with more characters is out of range

Path_ = tuple  # a path into the document: keys and list indexes, e.g. ("criteria", 0, "baseline")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input, found while reading it."""

    code: str
    message: str
    line: int  # 1-based
    col: int  # 1-based
    path: Path_ | None = None  # set when the problem belongs to one value


class LoadError(Exception):
    """The file cannot be read as a plan at all; `problem` says where and why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


class Unreadable:
    """Stands in for a value that was refused here, so that the model rejects it too.

    The loader has already reported why; the checker drops the model's own complaint about it.
    """

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Unreadable({self.text!r})"


@dataclass
class Document:
    """A plan file as read: its values, where each one starts, and what was refused on the way."""

    data: dict
    positions: dict[Path_, tuple[int, int]]  # path -> (line, col) of the value
    key_positions: dict[Path_, tuple[int, int]]  # path -> (line, col) of the key naming it
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of the value at `path`, or of its nearest ancestor that exists."""
        table = self.key_positions if key else self.positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


# Plain scalars, resolved by the YAML 1.2 core schema, except where YAML 1.1 reads them otherwise.
# Each pattern is used with `fullmatch`, and none can backtrack more than a step: repeats are
# possessive (`*+`) or followed by a character they cannot match.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_BOOLS_1_1 = frozenset(
    "y Y yes Yes YES n N no No NO on On ON off Off OFF".split()
)
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?+(?:0|[1-9][0-9]*+)")
_FLOAT = re.compile(r"[-+]?+(?:\.[0-9]++|(?:0|[1-9][0-9]*+)(?:\.[0-9]*+)?+)(?:[eE][-+]?+[0-9]++)?+")
_FLOAT_1_1 = re.compile(r"[-+]?+[0-9]*+\.[0-9]++[eE][-+][0-9]++")  # YAML 1.1 wants the dot and the exponent's sign
_SPECIAL_FLOAT = re.compile(r"[-+]?+\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DATE_TIME_1_1 = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]++)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*+)?+"
    r"(?:[ \t]*+(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?+))?+")
_SEXAGESIMAL = re.compile(r"[-+]?+[0-9][0-9_]*+(?::[0-5]?[0-9])++(?:\.[0-9_]*+)?+")
_OTHER_INT = re.compile(r"[-+]?+(?:0[0-9_]++|0[xX][0-9a-fA-F_]++|0[oO][0-7_]++|0[bB][01_]++|[1-9][0-9]*+_[0-9_]*+)")
_FLOAT_1_1_ANY = re.compile(r"[-+]?+(?:[0-9][0-9_]*+\.[0-9_]*+|\.[0-9][0-9_]*+)(?:[eE][-+][0-9]++)?+")


def shorten(text: str, width: int = 60) -> str:
    """`text` as a message quotes it: whole when short, else its start and `...`."""
    return text if len(text) <= width else text[: width - 3] + "..."


def _version_difference(text: str) -> str | None:
    """Why a plain scalar is read differently by YAML 1.1 and 1.2, or None if it is not."""
    if text in _BOOLS_1_1:
        reading = "true" if text.lower() in ("y", "yes", "on") else "false"
        return (
            f"`{text}` is {reading} in YAML 1.1 and the text \"{text}\" in YAML 1.2; "
            f"quote it (\"{text}\") if you mean the text"
        )
    if not text or text[0] not in _NUMBER_START:
        return None
    shown = shorten(text)
    if _SEXAGESIMAL.fullmatch(text):
        return (
            f"`{shown}` is a base-60 number in YAML 1.1 and text in YAML 1.2; "
            f"quote it (\"{shown}\") if you mean the text"
        )
    if _OTHER_INT.fullmatch(text) or "_" in text and _FLOAT_1_1_ANY.fullmatch(text):
        return (
            f"`{shown}` is read differently by YAML 1.1 and 1.2 (leading zero, base prefix or `_`); "
            "write a plain decimal number, or quote it if you mean the text"
        )
    if ("e" in text or "E" in text) and _FLOAT.fullmatch(text) and not _FLOAT_1_1.fullmatch(text):
        return (f"`{shown}` is a number in YAML 1.2 and text in YAML 1.1; write it as a "
                "plain decimal (or with a dot and a signed exponent: 1.0e+3)")
    match = _DATE.fullmatch(text)
    if match and (len(match[2]) == 1 or len(match[3]) == 1):
        return (f"`{text}` is a date in YAML 1.1 and text in YAML 1.2; write the month and the day "
                f"with two digits: `{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}`")
    if _DATE_TIME_1_1.fullmatch(text):
        return (f"`{shown}` is a date and time in YAML 1.1 and text in YAML 1.2; "
                "write the date alone (YYYY-MM-DD), or quote it if you mean the text")
    return None


def _number(text: str, kind: type) -> int | float | Problem:
    """A plain number within +-MAX_NUMBER, or why it is refused.

    An integer's digits are counted before it is converted: Python refuses to convert more than
    4300 of them, and a float as large as 1e400 is infinite.
    """
    if kind is float or len(text) <= _MAX_INT_CHARS:
        value = kind(text)
        if abs(value) <= MAX_NUMBER:
            return value
    return Problem("PB117", f"`{shorten(text)}` is out of range: a number in a plan lies between "
                            f"-{MAX_NUMBER} and {MAX_NUMBER}", 0, 0)


def _resolve_plain(text: str) -> Any | Problem:
    """The value of a plain (unquoted) scalar, or the reason it is refused."""
    if not text:
        return None
    if len(text) > 5 and text[0] not in _NUMBER_START:
        return text  # every special word is at most five letters long, and no number starts so
    if _INT.fullmatch(text):  # the commonest plain value, and never read otherwise by YAML 1.1
        return _number(text, int)
    reason = _version_difference(text)
    if reason:
        return Problem("PB108", reason, 0, 0)
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text[0] not in _NUMBER_START:
        return text
    if _FLOAT.fullmatch(text):
        return _number(text, float)
    if _SPECIAL_FLOAT.fullmatch(text):
        return Problem("PB108", f"`{text}` is not a finite number", 0, 0)
    match = _DATE.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return Problem("PB109", f"{text} is not a date that exists", 0, 0)
    return text


# Plain scalars this short recur from plan to plan (dates, numbers, statuses): each is resolved once per
# process and then looked up. The cache holds at most a few thousand of them, whatever the input.
_SHORT = 32
_resolve_short = functools.lru_cache(maxsize=4096)(_resolve_plain)


class _Frame:
    __slots__ = ("value", "path", "is_map", "key", "dropped")

    def __init__(self, value, path, is_map, dropped):
        self.value = value
        self.path = path
        self.is_map = is_map
        self.key = _NO_KEY  # then (key, whether it repeats an earlier one, the path of its value)
        self.dropped = dropped  # inside a duplicate key's value: read, checked, not kept


_NO_KEY = object()


def decode(raw: bytes) -> str:
    """UTF-8 text of a plan file (a BOM is allowed), or a located LoadError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8").removeprefix("\ufeff")  # valid up to the bad byte
        line, col = _line_col(before, len(before))
        raise LoadError(Problem("PB101", "the file is not UTF-8 text (save it as UTF-8)", line, col)) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(text: str, *, max_depth: int = MAX_DEPTH) -> Document:
    """Read one YAML document holding a mapping; raise LoadError if it cannot be read at all."""
    positions: dict[Path_, tuple[int, int]] = {}
    key_positions: dict[Path_, tuple[int, int]] = {}
    problems: list[Problem] = []
    stack: list[_Frame] = []
    root: Any = _NO_KEY
    documents = 0
    # Tags need a `!`, anchors a `&` and aliases a `*`: most plans hold none, and skip the look.
    decorated = "!" in text or "&" in text or "*" in text
    # Only a text with a break that libyaml counts and editors do not pays for counting lines itself.
    starts = _line_starts(text) if "\x85" in text or "\u2028" in text or "\u2029" in text else None

    def place(mark) -> tuple[int, int]:
        return (mark.line + 1, mark.column + 1) if starts is None else _position(starts, mark.index)

    parser = None
    try:
        parser = _Loader(text)
        next_event = parser.get_event
        while True:
            event = next_event()
            kind = type(event)
            if kind is _MappingEnd or kind is _SequenceEnd:
                done = stack.pop()
                if not stack:
                    root = done.value
                continue
            if kind is not _Scalar and kind is not _MappingStart and kind is not _SequenceStart and kind is not _Alias:
                if kind is _DocumentStart:
                    documents += 1
                    if documents > 1:
                        raise LoadError(Problem("PB103", "a plan file holds one YAML document; remove the `---` and "
                                                         "what follows", *place(event.start_mark)))
                elif kind is _StreamEnd or event is None:
                    break
                continue  # stream start, document end

            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1) if starts is None else _position(starts, mark.index)
            parent = stack[-1] if stack else None

            if parent is None:
                path, dropped = (), False
            elif not parent.is_map:
                path, dropped = parent.path + (len(parent.value),), parent.dropped
            elif parent.key is _NO_KEY:
                # A mapping's key: remember it, refuse a repeat or a YAML 1.1 reading, and read its value next.
                if kind is _Alias:
                    raise LoadError(Problem("PB106", f"alias `*{shorten(event.anchor or '')}` as a key: anchors "
                                                     "and aliases are not allowed; write the key out",
                                            *where, parent.path))
                if kind is not _Scalar:
                    raise LoadError(Problem("PB100", "a key must be plain text", *where, parent.path))
                key = event.value
                path = parent.path + (key,)
                if decorated:
                    _refuse_decorations(event, *where, problems, path)
                if not event.style and not parent.dropped and (key[:1] in _NUMBER_START or key in _BOOLS_1_1):
                    reason = _version_difference(key)
                    if reason:
                        problems.append(Problem("PB108", reason, *where, path))
                repeated = key in parent.value
                if not parent.dropped:
                    if repeated:
                        first = key_positions.get(path, where)
                        problems.append(Problem("PB104", f"`{shorten(key)}` is given twice (first on line {first[0]}); "
                                                         "keep one", *where, path))
                    else:
                        key_positions[path] = where
                parent.key = (key, repeated, path)
                continue
            else:
                key, repeated, path = parent.key
                dropped = parent.dropped or repeated

            if not dropped:
                positions[path] = where
                if decorated and kind is not _Alias:
                    _refuse_decorations(event, *where, problems, path)

            if kind is _Scalar:
                value = event.value
                if not event.style:  # quoted or block scalars are always text
                    if len(value) <= 5 or value[0] in _NUMBER_START:  # a longer word is text: see _resolve_plain
                        value = _resolve_short(value) if len(value) <= _SHORT else _resolve_plain(value)
                        if type(value) is Problem:
                            if not dropped:
                                problems.append(Problem(value.code, value.message, *where, path))
                            value = Unreadable(event.value)
            elif kind is _Alias:
                if not dropped:
                    problems.append(Problem(
                        "PB106", f"alias `*{shorten(event.anchor or '')}`: anchors and aliases are not allowed; "
                        "write the value out", *where, path))
                value = Unreadable("*" + (event.anchor or ""))
            else:
                if len(stack) >= max_depth:
                    raise LoadError(Problem("PB107", f"values nested deeper than {max_depth} levels", *where))
                is_map = kind is _MappingStart
                frame = _Frame({} if is_map else [], path, is_map, dropped)
                stack.append(frame)
                if parent is None:
                    continue  # the document's own mapping or list: `root` once it ends
                value = frame.value

            # Attach the value to its parent; a repeated key's value is read and checked, not kept.
            if parent is None:
                root = value
            elif parent.is_map:
                if not repeated:
                    parent.value[key] = value
                parent.key = _NO_KEY
            else:
                parent.value.append(value)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and _LIBYAML_TOO_DEEP in (exc.problem or ""):
            raise _too_deep(text, mark.index, max_depth, place(mark)) from None
        line, col = place(mark) if mark else (1, 1)
        message = exc.problem or "YAML syntax error"
        if exc.context:
            began = exc.context_mark
            began_line = place(began)[0] if began else line
            # libyaml notices a missing `:` or `]` on a later line: say where the construct began.
            where = f" that starts on line {began_line}" if began and mark and began_line != line else ""
            message = f"{message} ({exc.context}{where})"
        raise LoadError(Problem("PB100", f"YAML syntax: {message}", line, col)) from None
    except yaml.reader.ReaderError as exc:
        # libyaml gives a byte offset and the Python reader a character offset: find the character itself.
        index = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line, col = _line_col(text, index) if index >= 0 else (1, 1)
        raise LoadError(Problem("PB100", f"YAML syntax: the control character U+{exc.character:04X} is not "
                                         "allowed in YAML text", line, col)) from None
    except yaml.YAMLError as exc:  # any other error without a mark
        raise LoadError(Problem("PB100", f"YAML syntax: {exc}", 1, 1)) from None
    finally:
        if parser is not None:
            parser.dispose()

    if not isinstance(root, dict):
        what = "empty" if root is _NO_KEY or root is None else f"a {_kind_of(root)}"
        line, col = positions.get((), (1, 1))
        raise LoadError(Problem("PB110", f"a plan must be a mapping of fields, and this file is {what}", line, col))
    return Document(root, positions, key_positions, problems)


# libyaml's own bound on nesting (PyYAML 6.0.4 and later): it may stop there before it has given
# the events that would have crossed ours.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _too_deep(text: str, index: int, max_depth: int, where: tuple[int, int]) -> LoadError:
    """PB107 at the opening that crosses `max_depth`, found by reading the text up to libyaml's limit.

    That limit is far deeper than ours, so the shorter text crosses ours and stops there; should it
    stop otherwise, PB107 is reported where libyaml stopped.
    """
    try:
        parse(text[:index], max_depth=max_depth)
    except LoadError as exc:
        if exc.problem.code == "PB107":
            return exc
    return LoadError(Problem("PB107", f"values nested deeper than {max_depth} levels", *where))


def _refuse_decorations(event, line: int, col: int, problems: list[Problem], path: Path_) -> None:
    """Tags and anchors: the first can construct arbitrary objects, the second expand without bound."""
    tag = getattr(event, "tag", None)
    if tag is not None:
        problems.append(Problem("PB105", f"tag `{tag}` is not allowed; plans hold plain values only", line, col, path))
    if getattr(event, "anchor", None) is not None:
        problems.append(Problem(
            "PB106", f"anchor `&{event.anchor}`: anchors and aliases are not allowed; write the value out",
            line, col, path))


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "true-or-false value"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, date):
        return "date"
    return "text"  # a string, or a plain value refused above (`no`, `.inf`)


_EDITOR_BREAK = re.compile(r"\r\n?+|\n")


def _line_starts(text: str) -> list[int]:
    """The offset at which each line starts, as an editor breaks lines: at `\n`, `\r\n` and `\r`."""
    return [0] + [match.end() for match in _EDITOR_BREAK.finditer(text)]


def _position(starts: list[int], index: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of the character at `index`."""
    line = bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


def _line_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]` as an editor shows them."""
    return _position(_line_starts(text), index)


def load_bytes(raw: bytes, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read a plan file's bytes; LoadError for anything that stops them being read as a plan."""
    if len(raw) > max_bytes:
        raise LoadError(Problem("PB102", f"the file is larger than {max_bytes} bytes; a plan is far smaller", 1, 1))
    return parse(decode(raw))


def outside(path: Path, root: Path | None) -> bool:
    """Whether a link leads `path` out of the folder `root` (None: nowhere is outside). A file named
    without a link is where the user says it is, inside the project or not."""
    real = os.path.realpath(path)
    if root is None or real == os.path.abspath(path):
        return False
    top = os.path.realpath(root)
    return os.path.commonpath([real, top]) != top


def read_file(path: Path, *, max_bytes: int = MAX_BYTES, root: Path | None = None) -> bytes:
    """The first `max_bytes + 1` bytes of a file beside the plans; LoadError (PB123) when it is not
    one to read, OSError for I/O.

    A link whose real path leaves `root` (the project) would publish a file from elsewhere on the
    machine, and a FIFO or a device would block the reader or never end, so neither is opened
    for reading. The file is opened without waiting (a FIFO swapped in between the two looks
    still cannot block) and checked again once open.
    """
    if outside(path, root):
        raise LoadError(Problem("PB123", "a link to a file outside the project; it is not read", 1, 1))
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise LoadError(Problem("PB123", _NOT_REGULAR, 1, 1))
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise LoadError(Problem("PB123", _NOT_REGULAR, 1, 1))
        # Asking for what the file holds spares setting aside `max_bytes` for every small plan.
        wanted = min(status.st_size, max_bytes) + 1
        data = handle.read(wanted)
        if len(data) == wanted <= max_bytes:  # the file grew since: read on, to the bound
            data += handle.read(max_bytes + 1 - wanted)
        return data


_NOT_REGULAR = "not a regular file (a FIFO, a device or a socket); it is not read"


def load_file(path: Path, *, max_bytes: int = MAX_BYTES, root: Path | None = None) -> Document:
    """Read a plan file; LoadError for anything that stops it being read, OSError for I/O."""
    return load_bytes(read_file(path, max_bytes=max_bytes, root=root), max_bytes=max_bytes)
