"""HR's templates: the conversation scripts and the emails, filled in from a plan.

A template is a file `playbook/templates/NAME.md`: YAML front matter (title, the plan kinds it
fits, the escalation stage it records, whether it is an email and its subject), then a plain-text
body with Jinja. Filling one is a pure function of the template, the plan and "today".
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FunctionLoader, TemplateError, UndefinedError, pass_context

from ..model import STAGES, PublicPlan
from .jinja import attribute, text_env
from ..asof import EarlierTerms
from ..readiness import REQUIREMENTS, Readiness, readiness
from ..timeline import Timeline


class TemplateProblem(Exception):
    """A template that cannot be read or filled; the message names the file, line and field."""


@dataclass(frozen=True)
class LetterTemplate:
    name: str
    title: str
    kinds: tuple[str, ...]
    stage: str | None  # the escalation step it records
    requires: str | None  # or the state of the plan it follows (generator.readiness.REQUIREMENTS)
    email: bool
    subject: str
    path: Path
    document: bool = False  # a document to print and sign, rather than a message

    @property
    def order(self) -> tuple[int, str]:
        """The plan document first, then scripts, then letters by the stage they record, as the escalation
        runs, then the letters that close or extend a plan."""
        if self.document:
            return (-2, self.name)
        if self.requires is not None:
            return (len(STAGES), self.name)
        return (STAGES.index(self.stage) if self.stage in STAGES else -1, self.name)


@dataclass(frozen=True)
class FilledLetter:
    template: LetterTemplate
    subject: str  # plain text
    body: str  # plain text
    date: date | None = None  # the letter's date
    notes: tuple[str, ...] = ()  # for HR, beside the letter: never in its body, its subject or its mail link

    def mailto(self) -> str:
        return f"mailto:?subject={url_quoted(self.subject)}&body={url_quoted(self.body)}"


# Each byte as a URL writes it (`urllib.parse.quote` with nothing safe): letters, digits and `_.-~` as they are,
# the rest as %XX. A letter's body is a few kilobytes: one lookup a byte, not one function call.
_URL_BYTES = [chr(byte) if chr(byte) in string.ascii_letters + string.digits + "_.-~" else f"%{byte:02X}"
              for byte in range(256)]


def url_quoted(text: str) -> str:
    """`text` as one part of a URL, every byte but letters, digits and `_.-~` written %XX (UTF-8)."""
    return "".join(map(_URL_BYTES.__getitem__, text.encode("utf-8")))


class Letters:
    """Every template of a folder (or of a list of files, as `generator.content` merges them), ready to fill."""

    def __init__(self, source: Path | list[Path]):
        if isinstance(source, Path):
            source = sorted(source.glob("*.md")) if source.is_dir() else []
        self.templates: dict[str, LetterTemplate] = {}
        self._sources: dict[str, str] = {}
        for path in source:
            template, source = _read(path)
            self.templates[template.name] = template
            self._sources[template.name] = source
        self.fingerprint = hashlib.sha256(
            "\0".join(f"{name}\0{source}" for name, source in self._sources.items()).encode()).hexdigest()
        self.environment = text_env(FunctionLoader(self._load))
        self.environment.filters["note_for_hr"] = note_for_hr
        try:
            self._subjects = {name: self.environment.from_string(template.subject)
                              for name, template in self.templates.items() if template.subject}
        except TemplateError as exc:
            raise TemplateProblem(f"a template's subject is not valid Jinja: {exc.message or exc}") from None

    def _load(self, name: str):
        if name not in self._sources:
            return None
        return self._sources[name], str(self.templates[name].path), lambda: True

    def compile(self) -> None:
        """Compile every template now (forked workers then share them); one that does not compile is left to
        `fill`, which says where it fails."""
        for name in self.templates:
            try:
                self.environment.get_template(name)
            except TemplateError:
                pass

    def fitting(self, plan: PublicPlan) -> list[LetterTemplate]:
        return sorted((t for t in self.templates.values() if plan.kind in t.kinds), key=lambda t: t.order)

    def prepare(self, name: str, plan: PublicPlan, timeline: Timeline, *, acknowledgement_days: int = 7,
                previous: PublicPlan | None = None,
                earlier: EarlierTerms | None = None) -> tuple[Readiness, FilledLetter | None]:
        """Whether the letter is due and, when it is, the letter filled in from the record as of its date.

        `plan` is the record as of today and `timeline` its timeline; `earlier` reaches the plan's committed
        versions, for a letter dated before an amendment of the terms (generator.asof)."""
        template = self.templates[name]
        ready = readiness(plan, timeline, template.stage, template.requires, document=template.document,
                          acknowledgement_days=acknowledgement_days, previous=previous, earlier=earlier)
        return ready, (self.fill(name, ready) if ready.ready else None)

    def fill(self, name: str, ready: Readiness) -> FilledLetter:
        """The template filled in from the record as of the letter's date (`ready.plan`, `ready.facts`)."""
        template = self.templates[name]
        plan = ready.plan
        notes: list[str] = []
        context = {"plan": plan, "today": ready.date, "letter": ready.facts, _NOTES: notes}
        try:
            body = self.environment.get_template(name).render(context)
            subject = self._subjects[name].render(context) if name in self._subjects else ""
        except UndefinedError as exc:
            raise TemplateProblem(
                f"{shown(template.path)}:{_template_line(exc, template.path)}: a value the template uses is missing "
                f"for plan `{plan.id}`: {exc.message}"
            ) from None
        except TemplateError as exc:
            line = getattr(exc, "lineno", None) or _template_line(exc, template.path)
            raise TemplateProblem(f"{shown(template.path)}:{line}: {exc.message or exc}") from None
        body = _BLANK_LINES.sub("\n\n", body).strip() + "\n"
        return FilledLetter(template, subject.strip(), body, ready.date,
                            tuple(" ".join(note.split()) for note in notes))


_NOTES = "_notes_for_hr"
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")  # a note taken out leaves its blank lines behind


@pass_context
def note_for_hr(context, text: str) -> str:
    """`{% filter note_for_hr %}...{% endfilter %}`: a note to HR about this letter, kept beside it and out of it."""
    context[_NOTES].append(str(text))
    return ""


def _read(path: Path) -> tuple[LetterTemplate, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise TemplateProblem(f"{shown(path)}:1: a template starts with front matter between `---` lines")
    end = next(index for index, line in enumerate(lines[1:], 1) if line.strip() == "---")
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise TemplateProblem(f"{shown(path)}: front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("title"), str):
        raise TemplateProblem(f"{shown(path)}:1: front matter needs a `title`")
    kinds = meta.get("kinds") or []
    stage = meta.get("stage")
    requires = meta.get("requires")
    if not isinstance(kinds, list) or not set(kinds) <= {"growth", "coaching", "pip"} or not kinds:
        raise TemplateProblem(f"{shown(path)}:1: `kinds` lists the plan kinds the template fits (growth, coaching, pip)")
    if stage is not None and stage not in STAGES:
        raise TemplateProblem(f"{shown(path)}:1: `stage` is one of {', '.join(STAGES)}")
    if requires is not None and (requires not in REQUIREMENTS or stage is not None):
        raise TemplateProblem(f"{shown(path)}:1: `requires` is one of {', '.join(REQUIREMENTS)}, "
                              "and a template has a `stage` or a `requires`, not both")
    template = LetterTemplate(
        name=path.stem,
        title=meta["title"],
        kinds=tuple(kinds),
        stage=stage,
        requires=requires,
        email=bool(meta.get("email", False)),
        subject=str(meta.get("subject") or ""),
        path=path,
        document=bool(meta.get("document", False)),
    )
    # The front matter becomes a comment of as many lines, so that Jinja's line numbers are the file's.
    body = "{#" + "\n" * (end + 1) + "#}" + "\n".join(lines[end + 1:])
    return template, body


def shown(path: Path) -> str:
    """A path as a person would type it: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _template_line(exc: BaseException, path: Path) -> Any:
    """The template line an error was raised on, from the traceback Jinja rewrites for templates."""
    line = "?"
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def letter_html(letter: FilledLetter, block_id: str) -> str:
    """A filled template as a copyable block (Material adds the copy button to `pre > code`)."""
    parts = [f'<div class="admonition warning pb-hr-note"><p class="admonition-title">For HR: not part of the '
             f'letter</p><p>{attribute(note)}</p></div>' for note in letter.notes]
    if letter.template.email:
        parts.append(f'<p class="pb-letter__subject"><strong>Subject:</strong> {attribute(letter.subject)}</p>')
    parts.append(
        f'<div class="pb-letter highlight"><pre id="{block_id}"><code>{attribute(letter.body)}</code></pre></div>'
    )
    if letter.template.email:
        parts.append(
            f'<p><a class="md-button" href="{attribute(letter.mailto())}">Open in your mail app</a></p>'
        )
    return "\n".join(parts)


def tabs_html(panels: list[tuple[str, str]], group: str) -> str:
    """Content tabs in the markup of pymdownx.tabbed's alternate style, which Material styles."""
    inputs = "".join(
        f'<input {"checked " if index == 0 else ""}id="{group}_{index}" name="{group}" type="radio">'
        for index in range(len(panels))
    )
    labels = "".join(
        f'<label for="{group}_{index}">{attribute(title)}</label>' for index, (title, _) in enumerate(panels)
    )
    blocks = "".join(f'<div class="tabbed-block">\n{body}\n</div>' for _, body in panels)
    return (
        f'<div class="tabbed-set tabbed-alternate" data-tabs="1:{len(panels)}">{inputs}'
        f'<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{blocks}\n</div>\n</div>'
    )

