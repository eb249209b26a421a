"""Validation as the API does it: status, error type and a message naming the field."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from emulator_support import API_HEADERS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anthropic.emulator import Emulator

USER = {"role": "user", "content": "Hi"}
BODY: dict[str, Any] = {"model": "claude-test", "max_tokens": 100, "messages": [USER]}
TOOL = {"name": "f", "input_schema": {"type": "object", "properties": {}}}


def without(key: str) -> dict[str, Any]:
    return {k: v for k, v in BODY.items() if k != key}


def tool_turns(result_id: str = "toolu_1") -> list[dict[str, Any]]:
    return [
        USER,
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": result_id, "content": "done"}]},
    ]


INVALID: list[tuple[dict[str, Any], str]] = [
    (without("model"), "model: Field required"),
    ({**BODY, "model": ""}, "model: Input should be a non-empty string"),
    (without("max_tokens"), "max_tokens: Field required"),
    ({**BODY, "max_tokens": "10"}, "max_tokens: Input should be a valid integer"),
    ({**BODY, "max_tokens": True}, "max_tokens: Input should be a valid integer"),
    ({**BODY, "max_tokens": 0}, "max_tokens: Input should be greater than or equal to 1"),
    ({**BODY, "max_tokens": -5}, "max_tokens: Input should be greater than or equal to 1"),
    (without("messages"), "messages: Field required"),
    ({**BODY, "messages": {}}, "messages: Input should be a valid list"),
    ({**BODY, "messages": []}, "messages: at least one message is required"),
    ({**BODY, "messages": ["hi"]}, "messages.0: Input should be a valid dictionary"),
    ({**BODY, "messages": [{"content": "x"}]}, "messages.0.role: Field required"),
    (
        {**BODY, "messages": [{"role": "system", "content": "x"}]},
        "messages.0.role: Input should be 'user' or 'assistant'",
    ),
    (
        {**BODY, "messages": [USER, {"role": "robot", "content": "x"}]},
        "messages.1.role: Input should be 'user' or 'assistant'",
    ),
    ({**BODY, "messages": [{"role": "user"}]}, "messages.0.content: Field required"),
    (
        {**BODY, "messages": [{"role": "user", "content": 5}]},
        "messages.0.content: Input should be a valid string",
    ),
    (
        {**BODY, "messages": [{"role": "user", "content": [{"text": "x"}]}]},
        "messages.0.content.0.type: Field required",
    ),
    (
        {
            **BODY,
            "messages": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "video"}]}],
        },
        "messages.0.content.1.type: Input tag \"video\" found using 'type' does not match any of the expected tags",
    ),
    (
        {**BODY, "messages": [{"role": "user", "content": [{"type": "text"}]}]},
        "messages.0.content.0.text.text: Field required",
    ),
    (
        {**BODY, "messages": [{"role": "user", "content": [{"type": "image"}]}]},
        "messages.0.content.0.image.source: Field required",
    ),
    (
        {**BODY, "messages": [USER, {"role": "assistant", "content": "Sure: "}]},
        "messages: final assistant content cannot end with trailing whitespace",
    ),
    (
        {**BODY, "messages": tool_turns("toolu_unknown")},
        "messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_unknown",
    ),
    (
        {**BODY, "messages": [*tool_turns()[:2], USER]},
        "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1",
    ),
    ({**BODY, "system": 3}, "system: Input should be a valid string or a list of text blocks"),
    ({**BODY, "system": [{"type": "image"}]}, "system.0.type: Input should be 'text'"),
    ({**BODY, "stop_sequences": "stop"}, "stop_sequences: Input should be a valid list"),
    ({**BODY, "stop_sequences": [1]}, "stop_sequences.0: Input should be a valid string"),
    ({**BODY, "stop_sequences": ["  "]}, "stop_sequences.0: each stop sequence must contain non-whitespace"),
    ({**BODY, "temperature": 1.5}, "temperature: Input should be between 0 and 1"),
    ({**BODY, "top_p": "high"}, "top_p: Input should be a valid number"),
    ({**BODY, "top_k": -1}, "top_k: Input should be a non-negative integer"),
    ({**BODY, "stream": "yes"}, "stream: Input should be a valid boolean"),
    ({**BODY, "metadata": {"user_id": 5}}, "metadata.user_id: Input should be a valid string"),
    ({**BODY, "tools": {}}, "tools: Input should be a valid list"),
    ({**BODY, "tools": [{"input_schema": {"type": "object"}}]}, "tools.0.custom.name: Field required"),
    (
        {**BODY, "tools": [{"name": "bad name", "input_schema": {"type": "object"}}]},
        "tools.0.custom.name: String should match",
    ),
    ({**BODY, "tools": [{"name": "f"}]}, "tools.0.custom.input_schema: Field required"),
    (
        {**BODY, "tools": [{"name": "f", "input_schema": {"type": "array"}}]},
        "tools.0.custom.input_schema.type: Input should be 'object'",
    ),
    ({**BODY, "tools": [TOOL, TOOL]}, "tools: Tool names must be unique."),
    (
        {**BODY, "tool_choice": {"type": "any"}},
        "tool_choice: tool_choice may only be specified while providing tools.",
    ),
    (
        {**BODY, "tools": [TOOL], "tool_choice": {"type": "maybe"}},
        "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'",
    ),
    ({**BODY, "tools": [TOOL], "tool_choice": {"type": "tool"}}, "tool_choice.tool.name: Field required"),
    (
        {**BODY, "tools": [TOOL], "tool_choice": {"type": "tool", "name": "g"}},
        'tool_choice.tool.name: Tool "g" not found',
    ),
    ({**BODY, "thinking": {"type": "on"}}, "thinking.type: Input should be"),
    ({**BODY, "thinking": {"type": "enabled"}}, "thinking.enabled.budget_tokens: Field required"),
    (
        {**BODY, "max_tokens": 5000, "thinking": {"type": "enabled", "budget_tokens": 100}},
        "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
    ),
    (
        {**BODY, "max_tokens": 1024, "thinking": {"type": "enabled", "budget_tokens": 1024}},
        "max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`",
    ),
    (
        {**BODY, "tools": [TOOL], "tool_choice": {"type": "any"}, "thinking": {"type": "adaptive"}},
        "thinking: Thinking may not be enabled when `tool_choice` forces tool use.",
    ),
    ({**BODY, "output_format": {"type": "json"}}, "output_format.type: Input should be 'json_schema'"),
    ({**BODY, "output_format": {"type": "json_schema"}}, "output_format.schema: Field required"),
    (
        {**BODY, "output_config": {"format": {"type": "json_schema", "schema": []}}},
        "output_config.format.schema: Input should be a valid dictionary",
    ),
]


@pytest.mark.parametrize(("body", "message"), INVALID, ids=[m[:60] for _, m in INVALID])
def test_invalid_requests_are_400_naming_the_field(
    http: httpx2.Client, body: dict[str, Any], message: str
) -> None:
    for stream in (False, True):
        r = http.post("/v1/messages", json={**body, "stream": stream} if "stream" not in body else body)
        assert r.status_code == 400, r.text
        error = r.json()
        assert error["type"] == "error"
        assert error["error"]["type"] == "invalid_request_error"
        assert error["error"]["message"].startswith(message), error["error"]["message"]
        assert error["request_id"] == r.headers["request-id"]


def test_valid_requests_of_many_shapes_are_accepted(http: httpx2.Client) -> None:
    bodies = [
        {**BODY, "messages": tool_turns(), "tools": [TOOL]},
        {**BODY, "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]},
        {
            **BODY,
            "metadata": {"user_id": "u1"},
            "temperature": 0,
            "top_p": 0.5,
            "top_k": 3,
            "service_tier": "auto",
        },
        {
            **BODY,
            "tools": [TOOL, {"type": "web_search_20250305", "name": "web_search"}],
            "tool_choice": {"type": "none"},
        },
        {**BODY, "thinking": {"type": "disabled"}},
        {
            **BODY,
            "messages": [
                {"role": "user", "content": [{"type": "image", "source": {"type": "url", "url": "u"}}]}
            ],
        },
        {**BODY, "messages": [USER, {"role": "assistant", "content": "Sure"}]},
        {**BODY, "output_config": {"effort": "low"}},
    ]
    for body in bodies:
        r = http.post("/v1/messages", json=body)
        assert r.status_code == 200, (body, r.text)


def test_count_tokens_validates_without_max_tokens(http: httpx2.Client) -> None:
    assert http.post("/v1/messages/count_tokens", json=without("max_tokens")).status_code == 200
    r = http.post("/v1/messages/count_tokens", json=without("model"))
    assert r.status_code == 400 and r.json()["error"]["message"] == "model: Field required"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "There was an error parsing the body of your request: the body is not valid JSON"),
        (b"", "There was an error parsing the body of your request: the body is not valid JSON"),
        (b"[1, 2]", "The body of your request must be a JSON object"),
        (b"\xff\xfe", "There was an error parsing the body of your request"),
        (b"[" * 100_000, "There was an error parsing the body of your request"),
        (b'{"model": "m", "max_tokens": NaN}', "There was an error parsing the body of your request"),
    ],
)
def test_malformed_json_is_400(http: httpx2.Client, content: bytes, message: str) -> None:
    r = http.post("/v1/messages", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_request_error"
    assert r.json()["error"]["message"].startswith(message)


# --- auth, routing, size ----------------------------------------------------------------------


def test_auth_is_required(own_emu: Emulator) -> None:
    url = own_emu.base_url + "/v1/messages"
    version = {"anthropic-version": "2023-06-01"}
    for headers in ({}, {"x-api-key": ""}, {"authorization": "Bearer"}, {"authorization": "Basic abc"}):
        r = httpx2.post(url, json=BODY, headers={**version, **headers})
        assert r.status_code == 401
        assert r.json()["error"] == {
            "type": "authentication_error",
            "message": "x-api-key header is required",
        }
    assert httpx2.post(url, json=BODY, headers={**version, "authorization": "Bearer tok"}).status_code == 200
    assert httpx2.post(url, json=BODY, headers={**version, "x-api-key": "anything"}).status_code == 200


def test_anthropic_version_is_required(own_emu: Emulator) -> None:
    r = httpx2.post(own_emu.base_url + "/v1/messages", json=BODY, headers={"x-api-key": "k"})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "anthropic-version: header is required"


def test_only_listed_keys_when_given() -> None:
    with Emulator(api_keys={"k1"}) as emu:
        url = emu.base_url + "/v1/messages"
        ok = httpx2.post(url, json=BODY, headers={**API_HEADERS, "x-api-key": "k1"})
        bearer = httpx2.post(url, json=BODY, headers={"anthropic-version": "1", "authorization": "Bearer k1"})
        wrong = httpx2.post(url, json=BODY, headers={**API_HEADERS, "x-api-key": "k2"})
    assert ok.status_code == bearer.status_code == 200
    assert wrong.status_code == 401
    assert wrong.json()["error"] == {"type": "authentication_error", "message": "invalid x-api-key"}


def test_auth_can_be_switched_off() -> None:
    with Emulator(require_auth=False) as emu:
        assert httpx2.post(emu.base_url + "/v1/messages", json=BODY).status_code == 200


def test_unknown_path_is_404_and_wrong_method_405(http: httpx2.Client) -> None:
    for path in ("/", "/v1/complete", "/v1/messages/", "/v1/messages/batches/", "/v1/messages/batches/a/b"):
        r = http.post(path, json=BODY)
        assert r.status_code == 404, path
        assert r.json()["error"]["type"] == "not_found_error"
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        r = http.request(method, "/v1/messages")
        assert r.status_code == 405
        assert r.headers["allow"] == "POST"
        assert r.json()["error"]["type"] == "invalid_request_error"
        assert method in r.json()["error"]["message"]
    assert http.get("/v1/messages/count_tokens").status_code == 405
    for method, path, allow in (
        ("PUT", "/v1/messages/batches", "POST, GET"),
        ("POST", "/v1/messages/batches/msgbatch_x", "GET, DELETE"),
        ("GET", "/v1/messages/batches/msgbatch_x/cancel", "POST"),
        ("DELETE", "/v1/messages/batches/msgbatch_x/results", "GET"),
    ):
        r = http.request(method, path)
        assert (r.status_code, r.headers["allow"]) == (405, allow), (method, path)
        assert method in r.json()["error"]["message"]


def test_too_large_bodies_are_413_by_length_and_by_chunks() -> None:
    with Emulator(max_body_size=1000) as emu:
        url = emu.base_url + "/v1/messages"
        big = {**BODY, "messages": [{"role": "user", "content": "x" * 2000}]}
        r = httpx2.post(url, json=big, headers=API_HEADERS)
        assert r.status_code == 413
        assert r.json()["error"]["type"] == "request_too_large"
        assert r.headers["connection"] == "close"

        def chunks() -> Any:
            payload = json.dumps(big).encode()
            for i in range(0, len(payload), 300):
                yield payload[i : i + 300]

        r = httpx2.post(url, content=chunks(), headers={**API_HEADERS, "content-type": "application/json"})
        assert r.status_code == 413
        assert httpx2.post(url, json=BODY, headers=API_HEADERS).status_code == 200
        assert emu.requests[0].body == b""


# --- nothing a client sends makes a 500 ----------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
block = st.fixed_dictionaries(
    {"type": st.sampled_from(["text", "image", "tool_use", "tool_result", "thinking", "bogus"])},
    optional={
        "text": json_values,
        "id": json_values,
        "name": json_values,
        "input": json_values,
        "tool_use_id": json_values,
        "content": json_values,
        "source": json_values,
    },
)
message = st.fixed_dictionaries(
    {},
    optional={
        "role": st.sampled_from(["user", "assistant", "system"]) | json_values,
        "content": st.text(max_size=20) | st.lists(block, max_size=3) | json_values,
    },
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "model": st.just("m") | json_values,
        "max_tokens": st.integers(-2, 3000) | json_values,
        "messages": st.lists(message, max_size=4) | json_values,
        "system": json_values,
        "stop_sequences": st.lists(st.text(max_size=3), max_size=2) | json_values,
        "tools": st.lists(
            st.fixed_dictionaries({"name": st.sampled_from(["f", "g"]), "input_schema": json_values}),
            max_size=2,
        )
        | json_values,
        "tool_choice": st.fixed_dictionaries({"type": st.sampled_from(["auto", "any", "tool", "none"])})
        | json_values,
        "thinking": st.fixed_dictionaries(
            {"type": st.sampled_from(["enabled", "adaptive"]), "budget_tokens": st.integers(0, 3000)}
        )
        | json_values,
        "output_format": st.fixed_dictionaries({"type": st.just("json_schema"), "schema": json_values})
        | json_values,
        "stream": st.booleans() | json_values,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_arbitrary_bodies_never_get_a_500(http: httpx2.Client, body: dict[str, Any]) -> None:
    r = http.post("/v1/messages", json=body)
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        assert r.json()["error"]["type"] == "invalid_request_error"
