"""Strict like the API: each rule the API enforces, with its status, error type and message.

The ids of ``test_rule`` are the names docs/emulator.md's table of rules uses.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from anthropic.emulator import Emulator

BODY: dict[str, Any] = {
    "model": "claude-test",
    "max_tokens": 256,
    "messages": [{"role": "user", "content": "Hello"}],
}


def obj(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, "additionalProperties": False, **extra}


def beta_format(schema: dict[str, Any]) -> dict[str, Any]:
    return {**BODY, "output_format": {"type": "json_schema", "schema": schema}}


def ga_format(schema: dict[str, Any]) -> dict[str, Any]:
    return {**BODY, "output_config": {"format": {"type": "json_schema", "schema": schema}}}


def strict_tool(schema: dict[str, Any]) -> dict[str, Any]:
    return {**BODY, "tools": [{"name": "f", "input_schema": schema, "strict": True}]}


THINKING = {"type": "enabled", "budget_tokens": 1024}

RULES: list[tuple[str, dict[str, Any], str]] = [
    (
        "schema-integer-minimum",
        beta_format(obj({"n": {"type": "integer", "minimum": 1}})),
        "output_format.schema: For 'integer' type, property 'minimum' is not supported",
    ),
    (
        "schema-number-bounds",
        ga_format(obj({"n": {"type": "number", "exclusiveMaximum": 5}})),
        "output_config.format.schema: For 'number' type, property 'exclusiveMaximum' is not supported",
    ),
    (
        "schema-multiple-of",
        beta_format(obj({"n": {"type": "integer", "multipleOf": 2}})),
        "output_format.schema: For 'integer' type, property 'multipleOf' is not supported",
    ),
    (
        "schema-string-length",
        beta_format(obj({"s": {"type": "string", "maxLength": 5}})),
        "output_format.schema: For 'string' type, property 'maxLength' is not supported",
    ),
    (
        "schema-string-pattern",
        ga_format(obj({"s": {"type": "string", "pattern": "^a+$"}})),
        "output_config.format.schema: For 'string' type, property 'pattern' is not supported",
    ),
    (
        "schema-string-format",
        beta_format(obj({"s": {"type": "string", "format": "credit-card"}})),
        "output_format.schema: String format 'credit-card' is not supported",
    ),
    (
        "schema-array-max-items",
        beta_format(obj({"a": {"type": "array", "items": {"type": "string"}, "maxItems": 3}})),
        "output_format.schema: For 'array' type, property 'maxItems' is not supported",
    ),
    (
        "schema-array-min-items",
        beta_format(obj({"a": {"type": "array", "items": {"type": "string"}, "minItems": 2}})),
        "output_format.schema: For 'array' type, property 'minItems' only supports the values 0 and 1",
    ),
    (
        "schema-additional-properties",
        beta_format({"type": "object", "properties": {"a": {"type": "string"}}}),
        "output_format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false",
    ),
    (
        "schema-additional-properties-schema",
        ga_format({"type": "object", "properties": {}, "additionalProperties": {"type": "string"}}),
        "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false",
    ),
    (
        "schema-recursive",
        beta_format(obj({"child": {"$ref": "#"}})),
        "output_format.schema: Recursive schemas are not supported",
    ),
    (
        "schema-recursive-defs",
        beta_format(
            {
                "$ref": "#/$defs/Node",
                "$defs": {"Node": obj({"next": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}})},
            }
        ),
        "output_format.schema: Recursive schemas are not supported",
    ),
    (
        "schema-one-of",
        beta_format(obj({"x": {"oneOf": [{"type": "string"}, {"type": "integer"}]}})),
        "output_format.schema: For 'untyped' type, property 'oneOf' is not supported",
    ),
    (
        "schema-object-enum",
        beta_format(obj({"x": {"enum": [{"a": 1}]}})),
        "output_format.schema: 'enum' values must be strings, numbers, booleans or null",
    ),
    (
        "schema-unknown-type",
        beta_format(obj({"x": {"type": "date"}})),
        "output_format.schema: Unsupported type 'date'",
    ),
    (
        "schema-strict-tool",
        strict_tool(
            {
                "type": "object",
                "properties": {"n": {"type": "integer", "maximum": 3}},
                "additionalProperties": False,
            }
        ),
        "tools.0.custom.input_schema: For 'integer' type, property 'maximum' is not supported",
    ),
    ("unknown-parameter", {**BODY, "temprature": 0.5}, "temprature: Extra inputs are not permitted"),
    (
        "max-tokens-model-limit",
        {**BODY, "model": "claude-sonnet-4-5", "max_tokens": 100_000},
        "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for "
        "claude-sonnet-4-5-20250929",
    ),
    (
        "max-tokens-minimum",
        {**BODY, "max_tokens": 0},
        "max_tokens: Input should be greater than or equal to 1",
    ),
    (
        "thinking-budget-minimum",
        {**BODY, "max_tokens": 5000, "thinking": {"type": "enabled", "budget_tokens": 100}},
        "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
    ),
    (
        "thinking-budget-below-max-tokens",
        {**BODY, "max_tokens": 1024, "thinking": THINKING},
        "max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`",
    ),
    (
        "thinking-temperature",
        {**BODY, "max_tokens": 2048, "thinking": THINKING, "temperature": 0.5},
        "temperature: `temperature` may only be set to 1 when thinking is enabled",
    ),
    (
        "thinking-top-k",
        {**BODY, "max_tokens": 2048, "thinking": THINKING, "top_k": 5},
        "top_k: `top_k` may not be set when thinking is enabled",
    ),
    (
        "thinking-forced-tool",
        {
            **BODY,
            "max_tokens": 2048,
            "thinking": THINKING,
            "tools": [{"name": "f", "input_schema": {"type": "object"}}],
            "tool_choice": {"type": "any"},
        },
        "thinking: Thinking may not be enabled when `tool_choice` forces tool use.",
    ),
    (
        "tool-choice-without-tools",
        {**BODY, "tool_choice": {"type": "auto"}},
        "tool_choice: tool_choice may only be specified while providing tools.",
    ),
    (
        "tool-choice-unknown-tool",
        {
            **BODY,
            "tools": [{"name": "f", "input_schema": {"type": "object"}}],
            "tool_choice": {"type": "tool", "name": "g"},
        },
        'tool_choice.tool.name: Tool "g" not found in the provided tools',
    ),
    (
        "empty-message-content",
        {**BODY, "messages": [{"role": "user", "content": ""}]},
        "messages.0: all messages must have non-empty content except for the optional final assistant message",
    ),
    (
        "empty-text-block",
        {**BODY, "messages": [{"role": "user", "content": [{"type": "text", "text": ""}]}]},
        "messages: text content blocks must be non-empty",
    ),
    (
        "tool-result-without-tool-use",
        {
            **BODY,
            "messages": [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_x"}]}],
        },
        "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x.",
    ),
    (
        "final-assistant-whitespace",
        {**BODY, "messages": [*BODY["messages"], {"role": "assistant", "content": "Sure "}]},
        "messages: final assistant content cannot end with trailing whitespace",
    ),
]


@pytest.mark.parametrize(("body", "message"), [(b, m) for _, b, m in RULES], ids=[i for i, _, _ in RULES])
def test_rule(http: httpx2.Client, body: dict[str, Any], message: str) -> None:
    r = http.post("/v1/messages", json=body)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(message), error["message"]


ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    (
        # what inspect-ai sends through the official client: every node closed, strings and numbers too
        "schema-closed-non-objects",
        beta_format(
            obj(
                {
                    "name": {"type": "string", "additionalProperties": False},
                    "population": {"type": "integer", "additionalProperties": False},
                },
                required=["name", "population"],
            )
        ),
    ),
    (
        "schema-subset",
        beta_format(
            obj(
                {
                    "name": {"type": "string", "description": "who", "format": "email"},
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "kind": {"enum": ["a", "b", None]},
                    "fixed": {"const": 3},
                    "maybe": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                    "both": {"allOf": [{"$ref": "#/$defs/Leaf"}]},
                },
                required=["name"],
                **{"$defs": {"Leaf": obj({"v": {"type": "boolean"}})}},
            )
        ),
    ),
    (
        "non-strict-tool-keeps-constraints",
        {
            **BODY,
            "tools": [
                {
                    "name": "f",
                    "input_schema": {
                        "type": "object",
                        "properties": {"n": {"type": "integer", "minimum": 1}},
                    },
                }
            ],
        },
    ),
    (
        "consecutive-user-turns",
        {**BODY, "messages": [*BODY["messages"], {"role": "user", "content": "And more"}]},
    ),
    ("known-model-within-limit", {**BODY, "model": "claude-haiku-4-5", "max_tokens": 64_000}),
]


@pytest.mark.parametrize("body", [b for _, b in ACCEPTED], ids=[i for i, _ in ACCEPTED])
def test_accepted(http: httpx2.Client, body: dict[str, Any]) -> None:
    r = http.post("/v1/messages", json={**body, "max_tokens": min(body["max_tokens"], 400)})
    assert r.status_code == 200, r.text


def test_unknown_parameters_can_be_allowed() -> None:
    with Emulator(allow_unknown_params=True) as emu:
        r = httpx2.post(
            emu.base_url + "/v1/messages",
            json={**BODY, "a_future_parameter": {"x": 1}},
            headers={"x-api-key": "k", "anthropic-version": "2023-06-01"},
        )
        assert r.status_code == 200


def test_the_same_schema_rules_apply_to_count_tokens(http: httpx2.Client) -> None:
    body = beta_format(obj({"n": {"type": "integer", "minimum": 1}}))
    r = http.post("/v1/messages/count_tokens?beta=true", json=body)
    assert r.status_code == 400
    assert (
        r.json()["error"]["message"]
        == "output_format.schema: For 'integer' type, property 'minimum' is not supported"
    )
