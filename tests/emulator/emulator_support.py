"""Helpers for the emulator's tests: a JSON-schema checker, an SSE reader, an accumulator.

They are written independently of the emulator's code so that the tests check
it against a second reading of the rules, not against itself.
"""

from __future__ import annotations

import json
import math
from typing import Any

API_HEADERS = {"x-api-key": "test-key", "anthropic-version": "2023-06-01"}


# --- JSON schema (the subset the emulator promises) -------------------------------------------


def schema_errors(instance: Any, schema: Any, root: Any = None, path: str = "$") -> list[str]:
    """Every way ``instance`` breaks ``schema``; empty when it is valid."""
    root = schema if root is None else root
    if schema is True or schema == {}:
        return []
    if schema is False:
        return [f"{path}: no value is allowed"]
    errors: list[str] = []
    if "$ref" in schema:
        errors += schema_errors(instance, _resolve(root, schema["$ref"]), root, path)
    if "const" in schema and not _same(instance, schema["const"]):
        errors.append(f"{path}: {instance!r} is not the const {schema['const']!r}")
    if "enum" in schema and not any(_same(instance, v) for v in schema["enum"]):
        errors.append(f"{path}: {instance!r} is not one of {schema['enum']!r}")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(instance, t) for t in types):
            errors.append(f"{path}: {instance!r} is not of type {types}")
            return errors
    for sub in schema.get("allOf", []):
        errors += schema_errors(instance, sub, root, path)
    if "anyOf" in schema and not any(not schema_errors(instance, s, root, path) for s in schema["anyOf"]):
        errors.append(f"{path}: matches no anyOf branch")
    if "oneOf" in schema:
        matched = sum(1 for s in schema["oneOf"] if not schema_errors(instance, s, root, path))
        if matched != 1:
            errors.append(f"{path}: matches {matched} oneOf branches, not exactly one")
    if isinstance(instance, dict):
        errors += _object_errors(instance, schema, root, path)
    elif isinstance(instance, list):
        errors += _array_errors(instance, schema, root, path)
    elif isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            errors.append(f"{path}: shorter than minLength")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            errors.append(f"{path}: longer than maxLength")
    elif _is_type(instance, "number"):
        errors += _number_errors(instance, schema, path)
    return errors


def _resolve(root: Any, ref: str) -> Any:
    node = root
    if ref == "#":
        return node
    assert ref.startswith("#/"), ref
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _is_type(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise AssertionError(f"unknown type {kind}")


def _object_errors(instance: dict[str, Any], schema: Any, root: Any, path: str) -> list[str]:
    errors = []
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in instance:
            errors.append(f"{path}: missing required {key!r}")
    extra = schema.get("additionalProperties", True)
    for key, value in instance.items():
        if key in props:
            errors += schema_errors(value, props[key], root, f"{path}.{key}")
        elif extra is False:
            errors.append(f"{path}: unexpected property {key!r}")
        elif isinstance(extra, dict):
            errors += schema_errors(value, extra, root, f"{path}.{key}")
    if len(instance) < schema.get("minProperties", 0):
        errors.append(f"{path}: fewer than minProperties")
    return errors


def _array_errors(instance: list[Any], schema: Any, root: Any, path: str) -> list[str]:
    errors = []
    prefix = schema.get("prefixItems", [])
    for i, value in enumerate(instance):
        sub = prefix[i] if i < len(prefix) else schema.get("items", {})
        errors += schema_errors(value, sub, root, f"{path}[{i}]")
    if len(instance) < schema.get("minItems", 0):
        errors.append(f"{path}: fewer than minItems")
    if "maxItems" in schema and len(instance) > schema["maxItems"]:
        errors.append(f"{path}: more than maxItems")
    if schema.get("uniqueItems"):
        seen = [json.dumps(v, sort_keys=True) for v in instance]
        if len(set(seen)) != len(seen):
            errors.append(f"{path}: items are not unique")
    return errors


def _number_errors(value: float, schema: Any, path: str) -> list[str]:
    errors = []
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: {value} < minimum {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        errors.append(f"{path}: {value} > maximum {schema['maximum']}")
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        errors.append(f"{path}: {value} <= exclusiveMinimum {schema['exclusiveMinimum']}")
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        errors.append(f"{path}: {value} >= exclusiveMaximum {schema['exclusiveMaximum']}")
    if "multipleOf" in schema:
        q = value / schema["multipleOf"]
        if not math.isclose(q, round(q), abs_tol=1e-9):
            errors.append(f"{path}: {value} is not a multiple of {schema['multipleOf']}")
    return errors


# --- SSE and accumulation ------------------------------------------------------------------------


def parse_sse(body: bytes) -> list[tuple[str, dict[str, Any]]]:
    """``(event, data)`` pairs of an SSE body as the emulator writes it (``\\n`` lines)."""
    events = []
    for chunk in body.decode("utf-8").split("\n\n"):
        if not chunk.strip():
            continue
        name, data = None, []
        for line in chunk.split("\n"):
            field, _, value = line.partition(": ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        assert name is not None, chunk
        events.append((name, json.loads("\n".join(data))))
    return events


def accumulate(events: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The final message a stream of raw events describes (checks the event order on the way)."""
    message: dict[str, Any] | None = None
    partial: dict[int, str] = {}
    open_block: int | None = None
    finished = False
    for name, data in events:
        assert data["type"] == name
        assert not finished, "event after message_stop"
        if name == "ping":
            continue
        if name == "message_start":
            assert message is None
            message = data["message"]
            assert message["content"] == [] and message["stop_reason"] is None
            continue
        assert message is not None, "event before message_start"
        if name == "content_block_start":
            assert open_block is None and data["index"] == len(message["content"])
            open_block = data["index"]
            message["content"].append(dict(data["content_block"]))
        elif name == "content_block_delta":
            assert data["index"] == open_block
            block, delta = message["content"][open_block], data["delta"]
            kind = delta["type"]
            if kind == "text_delta":
                block["text"] += delta["text"]
            elif kind == "thinking_delta":
                block["thinking"] += delta["thinking"]
            elif kind == "signature_delta":
                block["signature"] = delta["signature"]
            elif kind == "input_json_delta":
                partial[open_block] = partial.get(open_block, "") + delta["partial_json"]
            elif kind == "citations_delta":
                block.setdefault("citations", []).append(delta["citation"])
            else:
                raise AssertionError(f"unknown delta {kind}")
        elif name == "content_block_stop":
            assert data["index"] == open_block
            if open_block in partial:
                raw = partial[open_block]
                try:
                    message["content"][open_block]["input"] = json.loads(raw)
                except json.JSONDecodeError:  # cut by max_tokens
                    message["content"][open_block]["input"] = {"<incomplete json>": raw}
            open_block = None
        elif name == "message_delta":
            assert open_block is None
            message.update(data["delta"])
            message["usage"].update(data["usage"])
        elif name == "message_stop":
            finished = True
        else:
            raise AssertionError(f"unexpected event {name}")
    assert message is not None and finished, "stream did not finish"
    return message
