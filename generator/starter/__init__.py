"""`playbook init DIR`: a plans repository that passes `playbook check` and `mkdocs build --strict` at once.

The files under `files/` are written as they are, but for `{{version}}` (the package's version, so that the
workflow and the pre-commit hook install the release that made the repository) and the example plan, whose
dates are computed from the day it is made, so that it is valid on that day.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from .. import __version__
from ..config import UsageError
from ..schema import REPOSITORY_SCHEMA, schema_text
from ..workdays import WorkingCalendar

FILES = Path(__file__).resolve().parent / "files"
EXAMPLE_PLAN = Path("plans/example-team/alex-kim-growth.yaml")
KEEP = ".gitkeep"  # an empty folder that git keeps, and MkDocs never publishes


def _text(relative: str) -> str:
    return (FILES / relative).read_text(encoding="utf-8").replace("{{version}}", __version__)


def example_plan(today: date) -> str:
    """A growth plan in draft that starts today: valid now, and a model for the first real one. Its reviews
    fall on working days (Monday to Friday: the new repository's policy names no holidays yet)."""
    week = WorkingCalendar()
    end = week.working_day(today + timedelta(days=180), today + timedelta(days=187))
    midpoint = week.working_day(today + timedelta(days=90), end)
    values = {"start": today, "midpoint": midpoint, "end": end,
              "quarter-1": _quarter(today, 1), "quarter-2": _quarter(today, 2)}
    text = _text("example-plan.yaml")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", str(value))
    return text


def _quarter(day: date, back: int) -> str:
    """The quarter `back` quarters before the one `day` is in, written 2026-Q3."""
    index = day.year * 4 + (day.month - 1) // 3 - back
    return f"{index // 4}-Q{index % 4 + 1}"


def repository_files(today: date, example: bool = True) -> dict[str, str]:
    """Every file of a new plans repository, by its path."""
    files = {path.relative_to(FILES).as_posix(): _text(path.relative_to(FILES).as_posix())
             for path in sorted(FILES.rglob("*")) if path.is_file() and path.name != "example-plan.yaml"}
    files[REPOSITORY_SCHEMA.as_posix()] = schema_text()
    files[f"docs/{KEEP}"] = ""
    if example:
        files[EXAMPLE_PLAN.as_posix()] = example_plan(today)
    else:
        files[f"plans/{KEEP}"] = ""
    return files


def create_repository(target: Path, *, today: date, example: bool = True) -> list[Path]:
    """Write a new plans repository into `target` (a new or empty folder); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: not an empty folder; nothing was written")
    written = []
    try:
        for relative, text in repository_files(today, example).items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return written
