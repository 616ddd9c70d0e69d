"""The plan format's JSON Schema (draft-07), generated from the model.

A plans repository keeps its own copy at `.playbook/plan.schema.json` (written by `playbook init`
and `playbook schema --write`), and plan files point editors at that copy, never into an install
folder; `playbook schema --check` says when the copy differs from the installed package's schema.

Draft-07 is the draft that editors' YAML extensions and fastjsonschema read. Pydantic writes
2020-12, so the generated schema is moved to draft-07's spelling: `definitions` instead of
`$defs`, and no keyword beside a `$ref` (draft-07 ignores them there).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from pydantic import BaseModel

from .model import Plan, Record

REPOSITORY_SCHEMA = Path(".playbook") / "plan.schema.json"  # a plans repository's copy, beside its mkdocs.yml
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "https://playbook.invalid/schema/plan-v1.json"


class _Draft07(GenerateJsonSchema):
    def nullable_schema(self, schema):
        # An optional field is left out, not written as null: the schema says so.
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema):
        result = super().default_schema(schema)
        if result.get("default", 0) is None:
            del result["default"]
        return result


def _draft07(node: Any) -> Any:
    if isinstance(node, dict):
        node = {key: _draft07(value) for key, value in node.items()}
        if "$ref" in node and len(node) > 1:
            ref = node.pop("$ref")
            node["allOf"] = [{"$ref": ref}] + node.get("allOf", [])
        if list(node) == ["allOf"] and len(node["allOf"]) == 1:
            return node["allOf"][0]  # some pydantic releases wrap a lone reference; others do not
        return node
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    return node


def _with_field_descriptions(schema: dict, model: type[BaseModel]) -> dict:
    """Every field's description in the schema: pydantic releases differ on whether a field that
    points at another model keeps its own, and the schema must not change with the release."""
    for name, info in model.model_fields.items():
        prop = schema.get("properties", {}).get(name)
        if prop is not None and info.description and "description" not in prop:
            prop["description"] = info.description
    return schema


def _models() -> dict[str, type[BaseModel]]:
    found, pending = {}, [Record]
    while pending:
        model = pending.pop()
        found[model.__name__] = model
        pending += model.__subclasses__()
    return found


def json_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(ref_template="#/definitions/{model}", schema_generator=_Draft07)
    definitions = schema.pop("$defs", {})
    models = _models()
    schema = _with_field_descriptions(schema, Plan)
    definitions = {name: _with_field_descriptions(node, models[name]) if name in models else node
                   for name, node in definitions.items()}
    schema = _draft07(schema)
    result = {"$schema": DRAFT_07, "$id": SCHEMA_ID, "title": "Playbook plan (format v1)"}
    result.update({key: value for key, value in schema.items() if key != "title"})
    result["definitions"] = _draft07(definitions)
    return result


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_text() -> str:
    """The copy committed beside the package, which plan files point editors at."""
    return resources.files("generator").joinpath("plan.schema.json").read_text(encoding="utf-8")


def write_repository_schema(root: Path) -> Path:
    """Write (or bring up to date) the repository's copy of the schema; returns its path."""
    target = root / REPOSITORY_SCHEMA
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")
    return target


def repository_schema_state(root: Path) -> str:
    """"current", "missing" or "outdated": the repository's copy against the installed package's schema."""
    target = root / REPOSITORY_SCHEMA
    if not target.is_file():
        return "missing"
    return "current" if target.read_text(encoding="utf-8") == schema_text() else "outdated"
