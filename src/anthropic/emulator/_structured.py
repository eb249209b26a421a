"""The JSON Schema subset the API accepts for structured outputs and strict tools.

Pure checks.  :func:`check_strict_schema` raises a 400
:class:`~._wire.Rejected` whose message starts with where the schema was given
(``output_format.schema``, ``output_config.format.schema``,
``tools.0.custom.input_schema``) and says what is not supported, in the API's
words, e.g. ``output_format.schema: For 'integer' type, property 'minimum' is
not supported``.

Accepted: ``type`` object, array, string, integer, number, boolean, null (or a
list of them); ``enum`` and ``const`` of primitives; ``anyOf`` and ``allOf``;
local ``$ref`` into ``$defs`` / ``definitions`` without recursion;
``properties``, ``required``, ``additionalProperties: false`` (required on
every object, and let through on any other type, where it means nothing); ``items``; ``minItems`` 0 or 1; string ``format`` from a fixed
list; and the annotations ``description``, ``title``, ``default``,
``examples``, ``$schema``, ``$id``, ``$comment``.  Work is linear in the
schema's size, and references are followed at most once per path.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from ._wire import Rejected, clip

__all__ = ["check_strict_schema"]

TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")
STRING_FORMATS = (
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "uri",
    "ipv4",
    "ipv6",
    "uuid",
)
_ANNOTATIONS = frozenset(
    {"description", "title", "default", "examples", "$schema", "$id", "$comment", "$defs", "definitions"}
)
_COMMON = frozenset({"type", "enum", "const", "anyOf", "allOf", "$ref"})
_BY_TYPE: dict[str, frozenset[str]] = {
    "object": frozenset({"properties", "required", "additionalProperties"}),
    "array": frozenset({"items", "minItems"}),
    "string": frozenset({"format"}),
    "integer": frozenset(),
    "number": frozenset(),
    "boolean": frozenset(),
    "null": frozenset(),
}
_MAX_NODES = 5_000


def _fail(where: str, message: str) -> NoReturn:
    raise Rejected(400, f"{where}: {message}")


def check_strict_schema(schema: Any, where: str) -> None:
    """Raise a 400 naming the first construct of ``schema`` the API would refuse."""
    _Checker(schema, where).check(schema, frozenset())


class _Checker:
    def __init__(self, root: Any, where: str) -> None:
        self.root = root
        self.where = where
        self.nodes = 0

    def fail(self, message: str) -> NoReturn:
        _fail(self.where, message)

    def resolve(self, ref: Any) -> Any:
        if not isinstance(ref, str) or not ref.startswith("#"):
            self.fail(f"'$ref' must be a local reference such as '#/$defs/Name', not {clip(ref)}")
        if ref == "#":
            return self.root
        node = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                self.fail(f"'$ref' {clip(ref)} does not point into the schema")
            node = node[part]
        return node

    def check(self, schema: Any, refs: frozenset[str]) -> None:
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            self.fail(f"the schema is too large (more than {_MAX_NODES} subschemas)")
        if not isinstance(schema, dict):
            self.fail(f"a schema must be a JSON object, not {type(schema).__name__}")
        if "$ref" in schema:
            ref = schema["$ref"]
            if isinstance(ref, str) and ref in refs:
                self.fail("Recursive schemas are not supported ('$ref' " + clip(ref) + " refers to itself)")
            target = self.resolve(ref)
            self.check(target, refs | {str(ref)})
        for defs in ("$defs", "definitions"):
            table = schema.get(defs)
            if table is not None and not isinstance(table, dict):
                self.fail(f"'{defs}' must be an object")
        kinds = self.kinds(schema)
        allowed = set(_ANNOTATIONS | _COMMON)
        for kind in kinds:
            allowed |= _BY_TYPE[kind]
        for key in schema:
            if key == "additionalProperties" and schema[key] is False:
                # Closing a non-object is a no-op the API lets through; frameworks close every node.
                continue
            if key not in allowed:
                label = "/".join(kinds) if kinds else "untyped"
                self.fail(f"For '{label}' type, property '{clip(key, 40, quote=False)}' is not supported")
        for key in ("enum", "const"):
            if key in schema:
                values = schema[key] if key == "enum" else [schema[key]]
                if key == "enum" and (not isinstance(values, list) or not values):
                    self.fail("'enum' must be a non-empty list")
                for value in values:
                    if isinstance(value, (dict, list)):
                        self.fail(f"'{key}' values must be strings, numbers, booleans or null")
        for key in ("anyOf", "allOf"):
            if key in schema:
                branches = schema[key]
                if not isinstance(branches, list) or not branches:
                    self.fail(f"'{key}' must be a non-empty list of schemas")
                for branch in branches:
                    self.check(branch, refs)
        if "object" in kinds:
            self.check_object(schema, refs)
        if "array" in kinds:
            self.check_array(schema, refs)
        if "string" in kinds and "format" in schema and schema["format"] not in STRING_FORMATS:
            listed = ", ".join(STRING_FORMATS)
            self.fail(f"String format {clip(schema['format'])} is not supported; supported formats: {listed}")
        if not kinds and not any(k in schema for k in ("enum", "const", "anyOf", "allOf", "$ref")):
            self.fail("Schema must have a 'type', 'anyOf', 'allOf', '$ref', 'enum' or 'const'")
        for defs in ("$defs", "definitions"):
            for sub in (schema.get(defs) or {}).values():
                self.check(sub, refs)

    def kinds(self, schema: dict[str, Any]) -> list[str]:
        kind = schema.get("type")
        if kind is None:
            return []
        listed = kind if isinstance(kind, list) else [kind]
        for k in listed:
            if k not in TYPES:
                self.fail(f"Unsupported type {clip(k)}; supported types: {', '.join(TYPES)}")
        return [str(k) for k in listed]

    def check_object(self, schema: dict[str, Any], refs: frozenset[str]) -> None:
        if schema.get("additionalProperties") is not False:
            self.fail("For 'object' type, 'additionalProperties' must be explicitly set to false")
        props = schema.get("properties", {})
        if not isinstance(props, dict):
            self.fail("'properties' must be an object")
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            self.fail("'required' must be a list of property names")
        for name in required:
            if name not in props:
                self.fail(
                    f"required property {json.dumps(clip(name, 40, quote=False))} is not in 'properties'"
                )
        for sub in props.values():
            self.check(sub, refs)

    def check_array(self, schema: dict[str, Any], refs: frozenset[str]) -> None:
        if "minItems" in schema and schema["minItems"] not in (0, 1):
            self.fail("For 'array' type, property 'minItems' only supports the values 0 and 1")
        if "items" in schema:
            self.check(schema["items"], refs)
