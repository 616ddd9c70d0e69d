"""The plan format's JSON Schema (draft-07), generated from the model.

Draft-07 is the draft that editors' YAML extensions and fastjsonschema read. Pydantic writes
2020-12, so the generated schema is moved to draft-07's spelling: `definitions` instead of
`$defs`, and no keyword beside a `$ref` (draft-07 ignores them there).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from .model import Plan

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
        return node
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    return node


def json_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(ref_template="#/definitions/{model}", schema_generator=_Draft07)
    definitions = schema.pop("$defs", {})
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
