"""Reference material generated from the code: the rules (from the registry) and the plan
format (from the model), as data for the playbook's reference pages to lay out."""

from __future__ import annotations

import inspect
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union

from markupsafe import Markup
from pydantic import BaseModel

from ..model import SLUG_PATTERN, Plan
from ..rules import rules


@dataclass(frozen=True)
class RuleView:
    code: str
    name: Markup
    severity: str
    summary: Markup  # trusted Markdown, written in the code
    doc: Markup
    anchor: str


def rule_views() -> list[RuleView]:
    return [
        RuleView(rule.code, Markup(rule.name), Markup(rule.severity_shown), Markup(rule.summary), Markup(rule.doc), rule.anchor)
        for rule in rules()
    ]


@dataclass(frozen=True)
class FieldRow:
    """One field of the model; its texts are trusted Markdown written in the code."""

    path: Markup
    type: Markup
    required: bool
    meaning: Markup
    depth: int


def field_rows(record: type[BaseModel] = Plan) -> list[FieldRow]:
    """Every field of a record (the plan, or the roster), depth first, with its type and meaning."""
    rows: list[FieldRow] = []

    def visit(model: type[BaseModel], prefix: str, depth: int) -> None:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            path = f"{prefix}{name}"
            nested = _nested_model(annotation)
            meaning = info.description or (inspect.getdoc(nested) if nested else "") or ""
            first_line = meaning.split("\n")[0]
            slug = any(getattr(meta, "pattern", None) == SLUG_PATTERN for meta in info.metadata)
            type_name = "slug" if slug else _type_name(annotation)
            rows.append(FieldRow(Markup(path), Markup(type_name), info.is_required(),
                                 Markup(first_line), depth))
            if nested is not None:
                visit(nested, f"{path}{_joint(annotation)}", depth + 1)

    visit(record, "", 0)
    return rows


def _args(annotation: Any) -> tuple:
    return typing.get_args(annotation)


def _strip(annotation: Any) -> Any:
    """Remove Annotated[...] and Optional[...] wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = _args(annotation)[0]
        elif origin in (Union, types.UnionType) and type(None) in _args(annotation):
            rest = [arg for arg in _args(annotation) if arg is not type(None)]
            annotation = rest[0] if len(rest) == 1 else Union[tuple(rest)]
        else:
            return annotation


def _is_slug(annotation: Any) -> bool:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return any(_is_slug(arg) for arg in _args(annotation) if arg is not type(None))
    while typing.get_origin(annotation) is typing.Annotated:
        if any(getattr(meta, "pattern", None) == SLUG_PATTERN for meta in annotation.__metadata__):
            return True
        annotation = _args(annotation)[0]
    return False


def _joint(annotation: Any) -> str:
    """What stands between a field and the fields of its items: `criteria[].id`, `teams.<id>.manager`."""
    origin = typing.get_origin(_strip(annotation))
    return "[]." if origin is list else ".<id>." if origin is dict else "."


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (list, dict):
        annotation = _strip(_args(annotation)[-1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _type_name(annotation: Any) -> str:
    if _is_slug(annotation):
        return "slug"
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        return f"list of {_type_name(_args(annotation)[0])}"
    if origin is dict:
        return f"mapping of {_type_name(_args(annotation)[0])} to {_type_name(_args(annotation)[1])}"
    if origin is Literal:
        return ", ".join(f"`{value}`" for value in _args(annotation))
    if origin in (Union, types.UnionType):
        names = [_type_name(arg) for arg in _args(annotation)]
        return "number" if set(names) == {"int", "float"} else " or ".join(names)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    if annotation is str:
        return "text"
    if annotation is int:
        return "whole number"
    if getattr(annotation, "__name__", "") == "date":
        return "date"
    return getattr(annotation, "__name__", str(annotation))
