"""Response models, stream events and request params: shapes, round trips, tolerance.

Every known block, delta, citation and event validates from the JSON the API
sends and dumps back to it; unknown types and unknown fields survive intact;
the beta models extend the plain ones.  A last test runs mypy over a snippet
to check that the public unions narrow on ``type`` for type checkers.
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any, Iterator

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import anthropic.types as t
import anthropic.types.beta as b
from anthropic._models import construct_unchecked as construct
from anthropic.types import _tables as tables
from anthropic.types._union import literal_values
from anthropic.types.beta import _tables as beta_tables


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Iterator[None]:
    # A serializer warning means a union member was picked wrongly: fail on it.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- realistic payloads, as the API sends them ------------------------------------------

CITATIONS: list[dict[str, Any]] = [
    {
        "type": "char_location",
        "cited_text": "The grass is green.",
        "document_index": 0,
        "document_title": "Facts",
        "start_char_index": 0,
        "end_char_index": 20,
    },
    {
        "type": "page_location",
        "cited_text": "Page text",
        "document_index": 1,
        "document_title": None,
        "start_page_number": 1,
        "end_page_number": 2,
        "file_id": "file_011",
    },
    {
        "type": "content_block_location",
        "cited_text": "Block text",
        "document_index": 2,
        "document_title": None,
        "start_block_index": 0,
        "end_block_index": 1,
    },
    {
        "type": "web_search_result_location",
        "cited_text": "Search text",
        "url": "https://example.com/a",
        "title": "Example",
        "encrypted_index": "EqgfCioIARgBIiQ3",
    },
    {
        "type": "search_result_location",
        "cited_text": "Result text",
        "search_result_index": 0,
        "source": "https://docs.example.com",
        "title": "Docs",
        "start_block_index": 0,
        "end_block_index": 0,
    },
]

BLOCKS: list[dict[str, Any]] = [
    {"type": "text", "text": "Hello! How can I help?"},
    {"type": "text", "text": "The grass is green.", "citations": CITATIONS},
    {"type": "thinking", "thinking": "Let me think.", "signature": "EqQBCgIYAhIM"},
    {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
    {
        "type": "tool_use",
        "id": "toolu_01A",
        "name": "get_weather",
        "input": {"location": "San Francisco, CA"},
    },
    {
        "type": "tool_use",
        "id": "toolu_01B",
        "name": "lookup",
        "input": {},
        "caller": {"type": "code_execution_20250825", "tool_id": "srvtoolu_01"},
    },
    {"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {"query": "weather"}},
    {
        "type": "web_search_tool_result",
        "tool_use_id": "srvtoolu_01",
        "content": [
            {
                "type": "web_search_result",
                "url": "https://example.com/a",
                "title": "Example",
                "encrypted_content": "EqgfCioIARgBIiQ3",
                "page_age": "April 30, 2025",
            }
        ],
    },
    {
        "type": "web_search_tool_result",
        "tool_use_id": "srvtoolu_01",
        "content": {"type": "web_search_tool_result_error", "error_code": "max_uses_exceeded"},
    },
    {
        "type": "web_fetch_tool_result",
        "tool_use_id": "srvtoolu_02",
        "content": {
            "type": "web_fetch_result",
            "url": "https://example.com/a",
            "retrieved_at": "2025-08-25T10:30:02Z",
            "content": {
                "type": "document",
                "source": {"type": "text", "media_type": "text/plain", "data": "Page body"},
                "title": "Example",
                "citations": {"enabled": True},
            },
        },
    },
    {
        "type": "web_fetch_tool_result",
        "tool_use_id": "srvtoolu_02",
        "content": {"type": "web_fetch_tool_result_error", "error_code": "url_not_accessible"},
    },
    {
        "type": "code_execution_tool_result",
        "tool_use_id": "srvtoolu_03",
        "content": {
            "type": "code_execution_result",
            "stdout": "4\n",
            "stderr": "",
            "return_code": 0,
            "content": [{"type": "code_execution_output", "file_id": "file_012"}],
        },
    },
    {
        "type": "bash_code_execution_tool_result",
        "tool_use_id": "srvtoolu_04",
        "content": {
            "type": "bash_code_execution_result",
            "stdout": "ok",
            "stderr": "",
            "return_code": 0,
            "content": [],
        },
    },
    {
        "type": "text_editor_code_execution_tool_result",
        "tool_use_id": "srvtoolu_05",
        "content": {
            "type": "text_editor_code_execution_view_result",
            "content": "print(1)",
            "file_type": "text",
            "num_lines": 1,
            "start_line": 1,
            "total_lines": 1,
        },
    },
    {
        "type": "tool_search_tool_result",
        "tool_use_id": "srvtoolu_06",
        "content": {
            "type": "tool_search_tool_search_result",
            "tool_references": [{"type": "tool_reference", "tool_name": "get_weather"}],
        },
    },
    {"type": "container_upload", "file_id": "file_013"},
]

BETA_ONLY_BLOCKS: list[dict[str, Any]] = [
    {
        "type": "mcp_tool_use",
        "id": "mcptoolu_01",
        "name": "echo",
        "server_name": "tools",
        "input": {"text": "hi"},
    },
    {
        "type": "mcp_tool_result",
        "tool_use_id": "mcptoolu_01",
        "is_error": False,
        "content": [{"type": "text", "text": "hi"}],
    },
    {
        "type": "mcp_tool_result",
        "tool_use_id": "mcptoolu_01",
        "is_error": True,
        "content": "server unreachable",
    },
    {"type": "compaction", "content": "Summary of the conversation so far."},
]

DELTAS: list[dict[str, Any]] = [
    {"type": "text_delta", "text": "Hel"},
    {"type": "input_json_delta", "partial_json": '{"location": "San Fra'},
    {"type": "thinking_delta", "thinking": "Let me"},
    {"type": "signature_delta", "signature": "EqQBCgIYAhIM"},
    *({"type": "citations_delta", "citation": c} for c in CITATIONS),
]

BETA_ONLY_DELTAS: list[dict[str, Any]] = [
    {"type": "compaction_delta", "content": "Summary"},
    {"type": "thinking_delta", "thinking": "x", "estimated_tokens": 12},
]

USAGE: dict[str, Any] = {
    "input_tokens": 472,
    "output_tokens": 2,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
    "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
    "server_tool_use": {"web_search_requests": 1, "web_fetch_requests": 0},
    "service_tier": "standard",
}


def message(content: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": content,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": USAGE,
        **extra,
    }


def events(blocks: list[dict[str, Any]], deltas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"type": "message_start", "message": message([], stop_reason=None)}]
    out += [{"type": "content_block_start", "index": i, "content_block": blk} for i, blk in enumerate(blocks)]
    out += [{"type": "content_block_delta", "index": 0, "delta": d} for d in deltas]
    out += [
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "tool_use", "stop_sequence": None},
            "usage": {
                "output_tokens": 89,
                "input_tokens": 472,
                "server_tool_use": {"web_search_requests": 1},
            },
        },
        {"type": "message_stop"},
    ]
    return out


def dumped(model: pydantic.BaseModel) -> Any:
    """What the API sent, as far as the model knows: the JSON-mode dump of the fields that were set."""
    return model.model_dump(mode="json", exclude_unset=True)


def tag(data: dict[str, Any]) -> str:
    value = data["type"]
    assert isinstance(value, str)
    return value


# -- known types: validate and round-trip ---------------------------------------------------


@pytest.mark.parametrize("data", BLOCKS, ids=tag)
def test_known_block_validates_as_its_class_and_round_trips(data: dict[str, Any]) -> None:
    block = tables.parse_block(data)
    assert type(block) is tables.BLOCK_TYPES[data["type"]]
    assert dumped(block) == data
    via_union = pydantic.TypeAdapter(t.ContentBlock).validate_python(data)
    assert type(via_union) is type(block)
    assert dumped(via_union) == data


@pytest.mark.parametrize("data", DELTAS, ids=tag)
def test_known_delta_validates_as_its_class_and_round_trips(data: dict[str, Any]) -> None:
    delta = tables.parse_delta(data)
    assert type(delta) is tables.DELTA_TYPES[data["type"]]
    assert dumped(delta) == data


@pytest.mark.parametrize("data", CITATIONS, ids=tag)
def test_known_citation_validates_as_its_class_and_round_trips(data: dict[str, Any]) -> None:
    citation = tables.parse_citation(data)
    assert type(citation) is tables.CITATION_TYPES[data["type"]]
    assert dumped(citation) == data


@pytest.mark.parametrize("data", events(BLOCKS, DELTAS), ids=tag)
def test_known_event_validates_from_json_bytes_and_round_trips(data: dict[str, Any]) -> None:
    event = pydantic.TypeAdapter(t.RawMessageStreamEvent).validate_json(json.dumps(data).encode())
    assert type(event) is tables.EVENT_TYPES[data["type"]]
    assert dumped(event) == data
    assert type(tables.parse_event(data)) is type(event)


def test_message_round_trips_and_types_its_blocks() -> None:
    data = message(BLOCKS)
    msg = t.Message.model_validate(data)
    assert [type(blk).__name__ for blk in msg.content[:4]] == [
        "TextBlock",
        "TextBlock",
        "ThinkingBlock",
        "RedactedThinkingBlock",
    ]
    assert dumped(msg) == data
    assert json.loads(msg.model_dump_json(exclude_unset=True)) == data
    text = msg.content[1]
    assert isinstance(text, t.TextBlock)
    assert text.citations is not None
    assert [type(c) for c in text.citations] == list(tables.CITATION_TYPES.values())
    tool = msg.content[5]
    assert isinstance(tool, t.ToolUseBlock) and isinstance(tool.caller, t.ServerToolCaller)
    fetch = msg.content[9]
    assert isinstance(fetch, t.WebFetchToolResultBlock) and isinstance(fetch.content, t.WebFetchBlock)
    assert isinstance(fetch.content.content.source, t.PlainTextSource)
    assert msg.usage.server_tool_use == t.ServerToolUsage(web_search_requests=1, web_fetch_requests=0)


def test_full_dump_has_the_same_keys_and_defaults_as_the_official_client() -> None:
    # The expected dicts are what the official client's model_dump() gives for the same input.
    block = tables.parse_block({"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}})
    assert block.model_dump() == {
        "id": "toolu_1",
        "caller": None,
        "input": {"a": 1},
        "name": "f",
        "type": "tool_use",
        "toolset_name": None,
    }
    citation = tables.parse_citation(CITATIONS[0])
    assert citation.model_dump() == {**CITATIONS[0], "file_id": None}
    msg = t.Message.model_validate(message([{"type": "text", "text": "hi"}], stop_reason=None))
    full = msg.model_dump()
    assert full["content"] == [{"citations": None, "text": "hi", "type": "text"}]
    assert {k: full[k] for k in ("container", "diagnostics", "stop_details", "stop_reason")} == dict.fromkeys(
        ("container", "diagnostics", "stop_details", "stop_reason")
    )
    assert set(full["usage"]) == {
        "cache_creation",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "inference_geo",
        "input_tokens",
        "output_tokens",
        "output_tokens_details",
        "server_tool_use",
        "service_tier",
        "speed",
    }


def test_constructed_hot_path_objects_equal_validated_ones() -> None:
    for data in DELTAS[:4]:
        cls = tables.DELTA_TYPES[data["type"]]
        built = construct(cls, dict(data))
        assert built == cls.model_validate(data)
        assert built.model_dump() == data
    event = construct(
        t.RawContentBlockDeltaEvent,
        {
            "delta": construct(t.TextDelta, {"text": "a", "type": "text_delta"}),
            "index": 0,
            "type": "content_block_delta",
        },
    )
    assert event.model_dump() == {
        "delta": {"text": "a", "type": "text_delta"},
        "index": 0,
        "type": "content_block_delta",
    }


# -- the unknown: new types, new fields, new enum values --------------------------------------


UNKNOWN_BLOCK = {"type": "hologram", "id": "holo_1", "frames": [{"n": 1}, {"n": 2}], "meta": {"fps": None}}


def test_unknown_block_type_keeps_every_field() -> None:
    block = tables.parse_block(UNKNOWN_BLOCK)
    assert type(block) is t.UnknownContentBlock
    assert block.type == "hologram"
    assert block.frames == [{"n": 1}, {"n": 2}]  # type: ignore[attr-defined]
    assert block.model_dump() == UNKNOWN_BLOCK
    msg = t.Message.model_validate(message([BLOCKS[0], UNKNOWN_BLOCK]))
    assert type(msg.content[1]) is t.UnknownContentBlock
    assert msg.model_dump()["content"][1] == UNKNOWN_BLOCK
    assert json.loads(msg.model_dump_json())["content"][1] == UNKNOWN_BLOCK


def test_unknown_delta_citation_and_event_types_keep_every_field() -> None:
    delta = {"type": "hologram_delta", "frame": {"n": 3}}
    citation = {"type": "timestamp_location", "cited_text": "x", "start_ms": 10}
    cases: list[tuple[Any, dict[str, Any], type[Any]]] = [
        (tables.parse_delta, delta, t.UnknownDelta),
        (tables.parse_citation, citation, t.UnknownCitation),
        (tables.parse_event, {"type": "ping"}, t.UnknownStreamEvent),
        (tables.parse_event, {"type": "message_pause", "reason": "x", "at": [1]}, t.UnknownStreamEvent),
    ]
    for parse, data, fallback in cases:
        obj = parse(data)
        assert type(obj) is fallback
        assert obj.model_dump() == data
    event = tables.parse_event({"type": "content_block_delta", "index": 2, "delta": delta})
    assert isinstance(event, t.RawContentBlockDeltaEvent)
    assert type(event.delta) is t.UnknownDelta
    assert dumped(event) == {"type": "content_block_delta", "index": 2, "delta": delta}
    text = tables.parse_block({"type": "text", "text": "x", "citations": [CITATIONS[0], citation]})
    assert isinstance(text, t.TextBlock) and text.citations is not None
    assert type(text.citations[1]) is t.UnknownCitation
    assert dumped(text)["citations"][1] == citation


def test_unknown_nested_result_caller_and_error_types_keep_every_field() -> None:
    result = {
        "type": "code_execution_tool_result",
        "tool_use_id": "s",
        "content": {"type": "gpu_result", "flops": 9},
    }
    block = tables.parse_block(result)
    assert isinstance(block, t.CodeExecutionToolResultBlock)
    assert type(block.content) is t.UnknownObject
    assert dumped(block) == result
    tool = {
        "type": "tool_use",
        "id": "x",
        "name": "f",
        "input": {},
        "caller": {"type": "agent_2030", "who": "me"},
    }
    assert dumped(tables.parse_block(tool)) == tool
    body = {
        "type": "error",
        "error": {"type": "request_too_large", "message": "Too big"},
        "request_id": "req_1",
    }
    err = t.ErrorResponse.model_validate(body)
    assert type(err.error) is t.UnknownObject
    assert err.error.message == "Too big"
    assert dumped(err) == body


def test_known_type_that_does_not_fit_its_class_is_kept_whole() -> None:
    for data in (
        {"type": "text"},
        {"type": "tool_use", "id": "x", "name": "f", "input": ["not", "an", "object"]},
        {"type": "web_search_tool_result", "tool_use_id": "s", "content": [{"type": "web_search_result"}]},
    ):
        block = tables.parse_block(data)
        assert type(block) is t.UnknownContentBlock
        assert block.model_dump() == data
        msg = t.Message.model_validate(message([data]))
        assert type(msg.content[0]) is t.UnknownContentBlock


def test_data_without_a_string_type_is_still_an_error() -> None:
    for bad in ({"text": "no type"}, {"type": 7}, ["not", "a", "dict"]):
        with pytest.raises(pydantic.ValidationError):
            tables.parse_block(bad)
        with pytest.raises(pydantic.ValidationError):
            pydantic.TypeAdapter(t.ContentBlock).validate_python(bad)


def test_unknown_fields_on_known_types_are_kept_at_every_level() -> None:
    data = message(
        [{"type": "text", "text": "hi", "sentiment": 0.9}, {**BLOCKS[7], "rank": 1}],
        diagnostics={"cache_miss_reason": {"type": "model_changed", "cache_missed_input_tokens": 3}},
        latency_ms=12,
    )
    data["usage"] = {**USAGE, "carbon_grams": 0.1}
    msg = t.Message.model_validate(data)
    assert msg.latency_ms == 12  # type: ignore[attr-defined]
    assert msg.content[0].sentiment == 0.9  # type: ignore[union-attr]
    assert msg.usage.carbon_grams == 0.1  # type: ignore[attr-defined]
    assert dumped(msg) == data


def test_enumerations_accept_values_added_later() -> None:
    msg = t.Message.model_validate(
        message([], stop_reason="budget_exhausted", usage={**USAGE, "service_tier": "flex", "speed": "warp"})
    )
    assert (msg.stop_reason, msg.usage.service_tier, msg.usage.speed) == ("budget_exhausted", "flex", "warp")
    delta = t.RawMessageDeltaEvent.model_validate(
        {"type": "message_delta", "delta": {"stop_reason": "budget_exhausted"}, "usage": {"output_tokens": 1}}
    )
    assert delta.delta.stop_reason == "budget_exhausted"
    block = tables.parse_block({"type": "server_tool_use", "id": "s", "name": "image_search", "input": {}})
    assert isinstance(block, t.ServerToolUseBlock) and block.name == "image_search"
    err = {"type": "web_search_tool_result_error", "error_code": "region_blocked"}
    result = tables.parse_block({"type": "web_search_tool_result", "tool_use_id": "s", "content": err})
    assert isinstance(result, t.WebSearchToolResultBlock) and isinstance(
        result.content, t.WebSearchToolResultError
    )


_json_leaf = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_json = st.recursive(
    _json_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3)
)


@settings(max_examples=60, deadline=None)
@given(
    base=st.sampled_from(BLOCKS + BETA_ONLY_BLOCKS),
    extra=st.dictionaries(st.text(min_size=1, max_size=10).map(lambda s: "x_" + s), _json, max_size=4),
)
def test_any_extra_fields_on_any_block_survive_a_round_trip(
    base: dict[str, Any], extra: dict[str, Any]
) -> None:
    data = {**base, **extra}
    for parse in (
        (beta_tables.parse_block,)
        if base in BETA_ONLY_BLOCKS
        else (tables.parse_block, beta_tables.parse_block)
    ):
        block = parse(data)
        assert not isinstance(block, t.UnknownObject)  # extra fields do not make a known block unknown
        assert dumped(block) == data


def test_models_with_unknown_content_copy_and_pickle() -> None:
    msg = t.Message.model_validate(message([BLOCKS[0], UNKNOWN_BLOCK]))
    for clone in (pickle.loads(pickle.dumps(msg)), copy.deepcopy(msg), msg.model_copy(deep=True)):
        assert clone == msg
        assert clone.content[1].frames == UNKNOWN_BLOCK["frames"]  # type: ignore[union-attr]


# -- tables -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "union"),
    [
        (tables.BLOCK_TYPES, t.ContentBlock),
        (tables.DELTA_TYPES, t.RawContentBlockDelta),
        (tables.CITATION_TYPES, t.TextCitation),
        (tables.EVENT_TYPES, t.RawMessageStreamEvent),
        (beta_tables.BLOCK_TYPES, b.BetaContentBlock),
        (beta_tables.DELTA_TYPES, b.BetaRawContentBlockDelta),
        (beta_tables.EVENT_TYPES, b.BetaRawMessageStreamEvent),
    ],
    ids=["blocks", "deltas", "citations", "events", "beta-blocks", "beta-deltas", "beta-events"],
)
def test_each_table_maps_a_tag_to_the_class_declaring_it(table: dict[str, type[Any]], union: Any) -> None:
    for key, cls in table.items():
        assert literal_values(cls) == (key,)
    adapter = pydantic.TypeAdapter(union)
    for key, cls in table.items():
        # Minimal invalid data still dispatches on the tag, then falls back; a known tag is never lost.
        assert adapter.validate_python({"type": key}).type == key
        assert cls.model_fields["type"].is_required()


def test_the_beta_tables_cover_every_plain_tag_with_beta_classes() -> None:
    assert set(tables.BLOCK_TYPES) < set(beta_tables.BLOCK_TYPES)
    assert set(tables.DELTA_TYPES) < set(beta_tables.DELTA_TYPES)
    assert set(tables.EVENT_TYPES) == set(beta_tables.EVENT_TYPES)
    for key, plain in [*tables.BLOCK_TYPES.items(), *tables.DELTA_TYPES.items(), *tables.EVENT_TYPES.items()]:
        beta = {**beta_tables.BLOCK_TYPES, **beta_tables.DELTA_TYPES, **beta_tables.EVENT_TYPES}[key]
        assert beta.__name__ == "Beta" + plain.__name__
        # Distinct classes with the plain fields and more, as in the official client.
        assert set(plain.model_fields) <= set(beta.model_fields)


# -- beta ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", BLOCKS + BETA_ONLY_BLOCKS, ids=tag)
def test_beta_block_validates_as_its_beta_class_and_round_trips(data: dict[str, Any]) -> None:
    block = beta_tables.parse_block(data)
    assert type(block) is beta_tables.BLOCK_TYPES[data["type"]]
    assert type(block).__name__.startswith("Beta")
    assert dumped(block) == data


@pytest.mark.parametrize("data", DELTAS + BETA_ONLY_DELTAS, ids=tag)
def test_beta_delta_validates_as_its_beta_class_and_round_trips(data: dict[str, Any]) -> None:
    delta = beta_tables.parse_delta(data)
    assert type(delta) is beta_tables.DELTA_TYPES[data["type"]]
    assert dumped(delta) == data


def test_beta_message_keeps_its_beta_only_fields() -> None:
    data = message(
        BLOCKS + BETA_ONLY_BLOCKS + [UNKNOWN_BLOCK],
        stop_reason="compaction",
        container={"id": "container_011", "expires_at": "2025-08-25T10:30:02Z"},
        context_management={
            "applied_edits": [
                {"type": "clear_tool_uses_20250919", "cleared_input_tokens": 5000, "cleared_tool_uses": 3},
                {"type": "clear_everything_2030", "cleared_input_tokens": 1},
            ]
        },
        usage={
            **USAGE,
            "iterations": [
                {
                    "type": "compaction",
                    "input_tokens": 180000,
                    "output_tokens": 3500,
                    "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 0,
                },
                {
                    "type": "message",
                    "input_tokens": 23000,
                    "output_tokens": 1000,
                    "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 0,
                },
            ],
        },
    )
    msg = b.BetaMessage.model_validate(data)
    assert msg.stop_reason == "compaction"
    assert msg.container is not None and msg.container.expires_at.year == 2025
    assert msg.context_management is not None
    assert type(msg.context_management.applied_edits[0]) is b.BetaClearToolUses20250919EditResponse
    assert msg.usage.iterations is not None
    assert [type(i) for i in msg.usage.iterations] == [
        b.BetaCompactionIterationUsage,
        b.BetaMessageIterationUsage,
    ]
    kinds = [type(blk) for blk in msg.content]
    assert kinds[-5:] == [
        b.BetaMCPToolUseBlock,
        b.BetaMCPToolResultBlock,
        b.BetaMCPToolResultBlock,
        b.BetaCompactionBlock,
        b.BetaUnknownContentBlock,
    ]
    assert all(isinstance(blk, t.UnknownContentBlock) for blk in msg.content[-1:])
    mcp_result = msg.content[-4]
    assert isinstance(mcp_result, b.BetaMCPToolResultBlock) and isinstance(mcp_result.content, list)
    assert type(mcp_result.content[0]) is b.BetaTextBlock
    assert dumped(msg) == data


def test_beta_events_use_beta_classes_throughout() -> None:
    adapter = pydantic.TypeAdapter(b.BetaRawMessageStreamEvent)
    for data in events(BLOCKS + BETA_ONLY_BLOCKS, DELTAS + BETA_ONLY_DELTAS):
        event = adapter.validate_python(data)
        assert type(event) is beta_tables.EVENT_TYPES[data["type"]]
        assert dumped(event) == data
    start = beta_tables.parse_event(
        {"type": "content_block_start", "index": 0, "content_block": BETA_ONLY_BLOCKS[0]}
    )
    assert isinstance(start, b.BetaRawContentBlockStartEvent)
    assert type(start.content_block) is b.BetaMCPToolUseBlock
    delta = beta_tables.parse_event(
        {
            "type": "message_delta",
            "delta": {
                "stop_reason": "compaction",
                "container": {"id": "c", "expires_at": "2025-08-25T10:30:02Z"},
            },
            "usage": {"output_tokens": 5},
            "context_management": {"applied_edits": []},
        }
    )
    assert isinstance(delta, b.BetaRawMessageDeltaEvent)
    assert type(delta.delta) is b.BetaDelta and type(delta.usage) is b.BetaMessageDeltaUsage
    assert delta.context_management is not None
    assert type(beta_tables.parse_event({"type": "ping"})) is b.BetaUnknownStreamEvent


def test_beta_shapes_are_their_own_classes_with_the_plain_fields() -> None:
    # As in the official client: beta shapes are separate classes, never the plain ones.
    pairs = [
        (b.BetaCitationCharLocation, t.CitationCharLocation),
        (b.BetaWebSearchResultBlock, t.WebSearchResultBlock),
        (b.BetaContainer, t.Container),
        (b.BetaUsage, t.Usage),
        (b.BetaRefusalStopDetails, t.RefusalStopDetails),
    ]
    for beta, plain in pairs:
        assert beta is not plain
        assert set(plain.model_fields) <= set(beta.model_fields), beta
    assert set(t.TextBlockParam.__annotations__) <= set(b.BetaTextBlockParam.__annotations__)
    assert issubclass(b.ParsedBetaTextBlock, b.BetaTextBlock)


# -- parsed messages ----------------------------------------------------------------------------------


class Order(pydantic.BaseModel):
    product: str
    quantity: int


def test_parsed_output_is_carried_but_never_dumped() -> None:
    order = Order(product="tea", quantity=2)
    text = '{"product": "tea", "quantity": 2}'
    for message_cls in (t.ParsedMessage, t.ParsedMessage[Order], b.ParsedBetaMessage[Order]):
        data = message([BLOCKS[2], {"type": "text", "text": text, "parsed_output": order}])
        msg = message_cls.model_validate(data)
        assert msg.parsed_output == order
        assert type(msg.content[1]).__name__.startswith(("ParsedTextBlock", "ParsedBetaTextBlock"))
        assert "parsed_output" not in msg.model_dump()["content"][1]
        assert "parsed_output" not in json.loads(msg.model_dump_json())["content"][1]
    empty = t.ParsedMessage.model_validate(message([{"type": "text", "text": "no structure"}]))
    assert empty.parsed_output is None
    assert type(empty.content[0]) is t.ParsedTextBlock


def test_parsed_message_takes_blocks_of_a_plain_message() -> None:
    plain = t.Message.model_validate(message([*BLOCKS[:3], UNKNOWN_BLOCK]))
    parsed = t.ParsedMessage.model_validate({**plain.model_dump(), "content": list(plain.content)})
    assert [type(blk) for blk in parsed.content] == [
        t.ParsedTextBlock,
        t.ParsedTextBlock,
        t.ThinkingBlock,
        t.UnknownContentBlock,
    ]
    assert parsed.model_dump() == plain.model_dump()


def test_response_format_type_variable_defaults_to_none() -> None:
    from anthropic.types._parsed import ResponseFormatT
    from anthropic.types.parsed_message import ParsedMessage

    assert ResponseFormatT.__default__ in (None, type(None))  # type: ignore[attr-defined]
    assert ParsedMessage is t.ParsedMessage
    assert b.ResponseFormatT is ResponseFormatT


# -- errors, params, import cost ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "invalid_request_error",
        "authentication_error",
        "billing_error",
        "permission_error",
        "not_found_error",
        "rate_limit_error",
        "timeout_error",
        "api_error",
        "overloaded_error",
    ],
)
def test_error_bodies_validate_as_their_error_class(kind: str) -> None:
    body = {"type": "error", "error": {"type": kind, "message": "Overloaded"}, "request_id": "req_011"}
    err = t.ErrorResponse.model_validate(body)
    assert literal_values(type(err.error)) == (kind,)
    assert (err.error.message, err.request_id) == ("Overloaded", "req_011")
    assert dumped(err) == body


def test_param_typeddicts_mark_what_is_required() -> None:
    assert t.UserMessageParam.__required_keys__ == {"role", "content"}
    assert t.AssistantMessageParam.__required_keys__ == {"role", "content"}
    assert t.TextBlockParam.__required_keys__ == {"text", "type"}
    assert t.ToolParam.__required_keys__ == {"name", "input_schema"}
    assert "description" in t.ToolParam.__optional_keys__
    assert t.ThinkingConfigEnabledParam.__required_keys__ == {"type", "budget_tokens"}
    assert b.BetaMCPToolUseBlockParam.__required_keys__ == {"id", "input", "name", "server_name", "type"}


def test_importing_the_types_loads_neither_the_beta_types_nor_the_params() -> None:
    code = (
        "import sys, anthropic.types\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('anthropic.types.'))\n"
        "assert loaded == ['anthropic.types._names'], loaded\n"
        "from anthropic.types import Message\n"
        "assert 'anthropic.types.tool_param' not in sys.modules\n"
        "from anthropic.types import ToolParam\n"
        "assert 'anthropic.types.tool_param' in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith('anthropic.types.beta')]\n"
        "import anthropic.types.beta\n"
        "assert 'anthropic.types.beta._message_shapes' not in sys.modules\n"
        "from anthropic.types.beta import BetaMessage\n"
        "assert 'anthropic.types.beta._message_shapes' in sys.modules\n"
        "assert 'anthropic.types.beta.beta_tool_param' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_name_resolves_and_lazy_names_match_their_modules() -> None:
    assert set(t.__all__) == set(t.NAMES)
    for name in t.__all__:
        assert getattr(t, name) is not None
    for name in b.__all__:
        assert getattr(b, name) is not None
    assert set(t.__all__) <= set(dir(t))
    with pytest.raises(AttributeError, match="no attribute 'NoSuchType'"):
        t.NoSuchType  # noqa: B018


# -- static typing ------------------------------------------------------------------------------------

_GOOD = """
from typing import List
from typing_extensions import assert_type
from anthropic.types import Message, MessageParam, ParsedMessage, RawMessageStreamEvent, TextBlock, ToolParam
from anthropic.types.beta import BetaContentBlock, BetaTextBlock

def texts(message: Message) -> List[str]:
    out: List[str] = []
    for block in message.content:
        if block.type == "text":
            assert_type(block, TextBlock)
            out.append(block.text)
        elif block.type == "tool_use":
            out.append(block.name)
    return out

def text_of(event: RawMessageStreamEvent) -> str:
    if event.type == "content_block_delta" and event.delta.type == "text_delta":
        return event.delta.text
    return ""

def beta(block: BetaContentBlock) -> str:
    if block.type == "mcp_tool_use":
        return block.server_name
    if block.type == "text":
        assert_type(block, BetaTextBlock)
        return block.text
    return ""

class Order: ...

def parsed(m: "ParsedMessage[Order]") -> None:
    assert_type(m.parsed_output, "Order | None")

messages: List[MessageParam] = [
    {"role": "user", "content": "hi"},
    {"role": "assistant", "content": [{"type": "text", "text": "hello"}]},
]
tool: ToolParam = {"name": "f", "input_schema": {"type": "object", "properties": {}}}
"""

_BAD = """
from anthropic.types import Message, ToolParam

def first_text(m: Message) -> str:
    return m.content[0].text

p: ToolParam = {"name": 1, "input_schema": {"type": "object"}}
"""


def test_type_checkers_narrow_the_unions_on_type(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    src = Path(t.__file__).resolve().parents[2]
    if not (src.parent / "pyproject.toml").exists():
        pytest.skip("needs a source checkout")
    (tmp_path / "good.py").write_text(textwrap.dedent(_GOOD))
    (tmp_path / "bad.py").write_text(textwrap.dedent(_BAD))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--no-error-summary",
            "--python-version=3.10",
            f"--cache-dir={tmp_path / 'cache'}",
            "good.py",
            "bad.py",
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("good.py")], result.stdout
    bad = "\n".join(line for line in lines if line.startswith("bad.py"))
    assert 'Item "ThinkingBlock"' in bad and 'has no attribute "text"' in bad
    assert "typeddict-item" in bad
