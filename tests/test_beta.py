"""``client.beta.messages`` over loopback HTTP against the emulator, sync and async.

What is checked here: the ``anthropic-beta`` header and the ``?beta=true``
query, that beta methods take everything the plain ones take, the beta
classes of every event, stream and manager, and that a beta stream of the same
bytes gives the same events and final message as a plain one.

Structured outputs have their own module (test_structured_outputs.py), which
reuses the helpers at the top of this one: :func:`sse_body` writes a stream
body with deltas cut where the test says, and :func:`run_stream` /
:func:`call` run one body of test code in either colour.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import typing
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from pydantic_core import to_jsonable_python

from anthropic import Anthropic, AsyncAnthropic
from anthropic.emulator import Emulator, Reply

MODEL = "claude-sonnet-4-5-20250929"
USER = [{"role": "user", "content": "Say something"}]
BASE = {"model": MODEL, "max_tokens": 256, "messages": USER}


# --- helpers shared with test_structured_outputs.py -------------------------------------------


def sse_event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _pieces(text: str, cut: int | Sequence[int]) -> list[str]:
    """``text`` cut every ``cut`` characters, or at the given offsets."""
    if isinstance(cut, int):
        return [text[i : i + cut] for i in range(0, len(text), cut)] or [""]
    bounds = [0, *cut, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def sse_body(
    blocks: Sequence[dict[str, Any]],
    *,
    cut: int | Sequence[int] = 4,
    stop_reason: str | None = "end_turn",
    message_id: str = "msg_01XFDUDYJgAACzvnptvVoYEL",
    usage: dict[str, Any] | None = None,
    message_extra: dict[str, Any] | None = None,
) -> str:
    """A streamed message whose content accumulates to ``blocks``, shaped like the API's.

    Text, thinking and tool input arrive in deltas cut every ``cut`` characters
    (or at the listed offsets); other blocks arrive whole in their start event.
    """
    start_usage = {"input_tokens": 21, "output_tokens": 1, **(usage or {})}
    message = {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": start_usage,
        **(message_extra or {}),
    }
    out = [sse_event("message_start", {"type": "message_start", "message": message})]
    out.append(sse_event("ping", {"type": "ping"}))
    for index, block in enumerate(blocks):
        kind = block["type"]
        deltas: list[dict[str, Any]] = []
        if kind == "text":
            start = {**block, "text": ""}
            if "citations" in block:
                start["citations"] = []
                deltas += [{"type": "citations_delta", "citation": c} for c in block["citations"]]
            deltas += [{"type": "text_delta", "text": p} for p in _pieces(block["text"], cut)]
        elif kind == "thinking":
            start = {**block, "thinking": "", "signature": ""}
            deltas += [{"type": "thinking_delta", "thinking": p} for p in _pieces(block["thinking"], cut)]
            deltas.append({"type": "signature_delta", "signature": block["signature"]})
        elif "input" in block:
            start = {**block, "input": {}}
            raw = json.dumps(block["input"])
            deltas += [{"type": "input_json_delta", "partial_json": p} for p in _pieces(raw, cut)]
        else:
            start = block
        out.append(
            sse_event(
                "content_block_start", {"type": "content_block_start", "index": index, "content_block": start}
            )
        )
        for delta in deltas:
            out.append(
                sse_event(
                    "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
                )
            )
        out.append(sse_event("content_block_stop", {"type": "content_block_stop", "index": index}))
    final_usage = {"output_tokens": 57}
    out.append(
        sse_event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": final_usage,
            },
        )
    )
    out.append(sse_event("message_stop", {"type": "message_stop"}))
    return "".join(out)


@dataclass
class Streamed:
    """What one run of ``messages.stream(...)`` produced."""

    events: list[Any]
    seen: list[Any]
    """What ``on_event`` returned for each event, read while the stream was live."""
    final: Any
    final_text: str | None
    snapshot: Any
    stream_cls: type
    manager_cls: type
    request_id: str | None
    status_code: int


def _resource(client: Any, beta: bool) -> Any:
    return client.beta.messages if beta else client.messages


def run_stream(
    mode: str,
    emu: Emulator,
    *,
    beta: bool = True,
    on_event: Callable[[Any], Any] | None = None,
    text_stream: bool = False,
    **params: Any,
) -> Streamed:
    """Open ``[beta.]messages.stream(**params)`` in ``mode`` and read it to the end.

    With ``text_stream=True`` the stream is read through ``.text_stream``
    (``events`` then holds the text pieces).
    """
    params = {**BASE, **params}
    see = on_event or (lambda event: None)

    def finish(
        stream: Any, events: list[Any], seen: list[Any], manager: Any, final: Any, text: Any
    ) -> Streamed:
        return Streamed(
            events=events,
            seen=seen,
            final=final,
            final_text=text,
            snapshot=stream.current_message_snapshot,
            stream_cls=type(stream),
            manager_cls=type(manager),
            request_id=stream.request_id,
            status_code=stream.response.status_code,
        )

    if mode == "sync":
        with Anthropic(base_url=emu.base_url, api_key="sk-test", max_retries=0) as client:
            manager = _resource(client, beta).stream(**params)
            with manager as stream:
                if text_stream:
                    events = list(stream.text_stream)
                    seen: list[Any] = []
                else:
                    events, seen = [], []
                    for event in stream:
                        events.append(event)
                        seen.append(see(event))
                final = stream.get_final_message()
                text = _final_text_or_none(stream.get_final_text)
                return finish(stream, events, seen, manager, final, text)

    async def main() -> Streamed:
        async with AsyncAnthropic(base_url=emu.base_url, api_key="sk-test", max_retries=0) as client:
            manager = _resource(client, beta).stream(**params)
            async with manager as stream:
                events: list[Any] = []
                seen: list[Any] = []
                if text_stream:
                    events = [t async for t in stream.text_stream]
                else:
                    async for event in stream:
                        events.append(event)
                        seen.append(see(event))
                final = await stream.get_final_message()
                try:
                    text: str | None = await stream.get_final_text()
                except RuntimeError:
                    text = None
                return finish(stream, events, seen, manager, final, text)

    return asyncio.run(main())


def _final_text_or_none(get: Callable[[], str]) -> str | None:
    try:
        return get()
    except RuntimeError:
        return None


def call(
    mode: str, emu: Emulator, method: str, *, beta: bool = True, client_kwargs: Any = None, **params: Any
) -> Any:
    """``[beta.]messages.<method>(**params)`` in ``mode``; a stream from ``create(stream=True)`` is read to a list."""
    kwargs = {"base_url": emu.base_url, "api_key": "sk-test", "max_retries": 0, **(client_kwargs or {})}
    if mode == "sync":
        with Anthropic(**kwargs) as client:
            result = getattr(_resource(client, beta), method)(**params)
            if params.get("stream") is True:
                with result:
                    return type(result), list(result)
            return result

    async def main() -> Any:
        async with AsyncAnthropic(**kwargs) as client:
            result = await getattr(_resource(client, beta), method)(**params)
            if params.get("stream") is True:
                async with result:
                    return type(result), [e async for e in result]
            return result

    return asyncio.run(main())


def dumps_modulo_beta_fields(plain: Any, beta: Any, path: str = "$") -> None:
    """Assert ``beta`` is ``plain`` plus keys that are ``None`` (beta-only fields left unset)."""
    if isinstance(plain, dict):
        assert isinstance(beta, dict), path
        for key in plain:
            assert key in beta, f"{path}.{key} missing from the beta dump"
            dumps_modulo_beta_fields(plain[key], beta[key], f"{path}.{key}")
        extra = {k: v for k, v in beta.items() if k not in plain}
        assert all(v is None for v in extra.values()), f"{path}: beta-only keys with values {extra}"
    elif isinstance(plain, list):
        assert isinstance(beta, list) and len(beta) == len(plain), path
        for i, (a, b) in enumerate(zip(plain, beta, strict=False)):
            dumps_modulo_beta_fields(a, b, f"{path}[{i}]")
    else:
        assert plain == beta, f"{path}: {plain!r} != {beta!r}"


# --- fixtures ---------------------------------------------------------------------------------


# ``emu`` (the shared emulator, reset around each test) and ``mode`` come from conftest.py.


@pytest.fixture(autouse=True)
def _every_reply_used(emu: Emulator) -> Iterator[None]:
    yield
    assert emu.pending_replies == 0, "a test left a scripted reply unused"


# --- the beta header and query ----------------------------------------------------------------


def _send_each_way(mode: str, emu: Emulator, way: str, **params: Any) -> None:
    if way == "count_tokens":
        call(mode, emu, "count_tokens", **{k: v for k, v in params.items() if k != "max_tokens"})
        return
    emu.enqueue(Reply.text("Hi."))
    if way == "stream":
        run_stream(mode, emu, **params)
    elif way == "create-stream":
        call(mode, emu, "create", stream=True, **params)
    else:
        call(mode, emu, way, **params)


@pytest.mark.parametrize("way", ["stream", "create", "create-stream", "parse", "count_tokens"])
def test_betas_become_one_comma_joined_header_and_the_beta_query(mode: str, emu: Emulator, way: str) -> None:
    _send_each_way(mode, emu, way, **BASE, betas=["structured-outputs-2025-11-13", "context-1m-2025-08-07"])
    (request,) = emu.requests
    expected_path = "/v1/messages/count_tokens" if way == "count_tokens" else "/v1/messages"
    assert request.path == expected_path
    assert request.query == {"beta": "true"}
    assert request.headers["anthropic-beta"] == "structured-outputs-2025-11-13,context-1m-2025-08-07"
    assert "betas" not in request.json
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert request.headers["x-api-key"] == "sk-test"


@pytest.mark.parametrize("way", ["stream", "create", "count_tokens"])
def test_betas_merge_with_an_anthropic_beta_extra_header(mode: str, emu: Emulator, way: str) -> None:
    _send_each_way(
        mode,
        emu,
        way,
        **BASE,
        betas=["b1", "b2"],
        extra_headers={"Anthropic-Beta": "b3, b1", "x-custom": "kept"},
    )
    (request,) = emu.requests
    assert request.headers["anthropic-beta"] == "b1,b2,b3"
    assert request.headers["x-custom"] == "kept"


def test_an_anthropic_beta_extra_header_alone_goes_through_unchanged(mode: str, emu: Emulator) -> None:
    _send_each_way(mode, emu, "stream", **BASE, extra_headers={"anthropic-beta": "only-this"})
    (request,) = emu.requests
    assert request.headers["anthropic-beta"] == "only-this"
    assert request.query == {"beta": "true"}


def test_no_betas_no_header_but_still_the_beta_query(mode: str, emu: Emulator) -> None:
    _send_each_way(mode, emu, "stream", **BASE)
    (request,) = emu.requests
    assert "anthropic-beta" not in request.headers
    assert request.query == {"beta": "true"}


def test_extra_query_is_kept_next_to_beta_true(mode: str, emu: Emulator) -> None:
    _send_each_way(mode, emu, "create", **BASE, extra_query={"trace": "1"})
    (request,) = emu.requests
    assert request.query == {"beta": "true", "trace": "1"}


def test_the_plain_resource_sends_no_beta_query_and_refuses_betas(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text("Hi."))
    run_stream(mode, emu, beta=False)
    (request,) = emu.requests
    assert request.query == {}
    assert "anthropic-beta" not in request.headers
    with pytest.raises(TypeError, match=r"messages\.stream\(\) got unexpected keyword argument\(s\): betas"):
        run_stream(mode, emu, beta=False, betas=["x"])
    assert len(emu.requests) == 1


# --- every argument of the plain methods --------------------------------------------------------

ALL_PLAIN_PARAMS: dict[str, Any] = {
    "model": MODEL,
    "max_tokens": 300,
    "messages": [
        {"role": "user", "content": [{"type": "text", "text": "What is the weather?"}]},
        {"role": "assistant", "content": "Let me check."},
        {"role": "user", "content": "Please do."},
    ],
    "metadata": {"user_id": "user-1234"},
    "service_tier": "auto",
    "stop_sequences": ["STOP"],
    "system": [{"type": "text", "text": "You are terse."}],
    "temperature": 0.5,
    "thinking": {"type": "disabled"},
    "tool_choice": {"type": "auto", "disable_parallel_tool_use": True},
    "tools": [
        {
            "name": "get_weather",
            "description": "Weather for a place",
            "input_schema": {
                "type": "object",
                "properties": {"location": {"type": "string"}},
                "required": ["location"],
            },
        }
    ],
    "top_k": 5,
    "top_p": 0.9,
}


@pytest.mark.parametrize("way", ["stream", "create", "create-stream", "parse"])
def test_beta_methods_send_every_plain_argument_exactly_as_the_plain_ones(
    mode: str, emu: Emulator, way: str
) -> None:
    plain_way = "create" if way == "parse" else way  # the plain parse needs an output_format
    for beta, w in ((False, plain_way), (True, way)):
        emu.enqueue(Reply.text("Sunny."))
        if w == "stream":
            run_stream(mode, emu, beta=beta, **ALL_PLAIN_PARAMS)
        elif w == "create-stream":
            call(mode, emu, "create", beta=beta, stream=True, **ALL_PLAIN_PARAMS)
        else:
            call(mode, emu, w, beta=beta, **ALL_PLAIN_PARAMS)
    plain, beta_request = emu.requests
    expected = json.loads(json.dumps(ALL_PLAIN_PARAMS))
    if way in ("stream", "create-stream"):
        expected["stream"] = True
    assert beta_request.json == expected
    assert plain.json == expected
    assert (plain.query, beta_request.query) == ({}, {"beta": "true"})


def test_beta_count_tokens_sends_every_plain_argument_exactly_as_the_plain_one(
    mode: str, emu: Emulator
) -> None:
    keys = ("model", "messages", "system", "thinking", "tool_choice", "tools")
    count_params = {k: ALL_PLAIN_PARAMS[k] for k in keys}
    count_params["output_config"] = {"effort": "high"}
    plain = call(mode, emu, "count_tokens", beta=False, **count_params)
    beta = call(mode, emu, "count_tokens", **count_params, betas=["token-counting-2024-11-01"])
    assert plain.input_tokens == beta.input_tokens > 0
    plain_request, beta_request = emu.requests
    assert plain_request.json == beta_request.json == json.loads(json.dumps(count_params))
    assert (plain_request.query, beta_request.query) == ({}, {"beta": "true"})


def test_beta_only_arguments_and_extra_body_reach_the_wire(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text("ok"))
    run_stream(
        mode,
        emu,
        betas=["context-management-2025-06-27"],
        context_management={"edits": [{"type": "clear_tool_uses_20250919"}]},
        container="container_011CRjrMgp6ySxXo8D7R3qZk",
        extra_body={"brand_new_field": {"nested": [1, 2]}},
        timeout=httpx2.Timeout(20.0),
    )
    (request,) = emu.requests
    assert request.json["context_management"] == {"edits": [{"type": "clear_tool_uses_20250919"}]}
    assert request.json["container"] == "container_011CRjrMgp6ySxXo8D7R3qZk"
    assert request.json["brand_new_field"] == {"nested": [1, 2]}
    assert "timeout" not in request.json


@pytest.mark.parametrize("method", ["stream", "create", "parse", "count_tokens"])
def test_unknown_arguments_are_refused_before_any_request(mode: str, emu: Emulator, method: str) -> None:
    with pytest.raises(
        TypeError,
        match=rf"beta\.messages\.{method}\(\) got unexpected keyword argument\(s\): bogus, tempurature",
    ):
        if method == "stream":
            run_stream(mode, emu, bogus=1, tempurature=0.3)
        else:
            params = {k: v for k, v in BASE.items() if not (method == "count_tokens" and k == "max_tokens")}
            call(mode, emu, method, **params, bogus=1, tempurature=0.3)
    assert emu.requests == []


def test_missing_required_arguments_are_named(mode: str, emu: Emulator) -> None:
    with pytest.raises(
        TypeError,
        match=r"beta\.messages\.create\(\) missing required keyword argument\(s\): max_tokens, model",
    ):
        call(mode, emu, "create", messages=USER)
    assert emu.requests == []


# --- create, count_tokens ---------------------------------------------------------------------


def test_create_returns_a_beta_message_keeping_beta_only_fields_and_blocks(mode: str, emu: Emulator) -> None:
    from anthropic.types.beta import BetaContainerUploadBlock, BetaMCPToolUseBlock, BetaMessage, BetaTextBlock

    container = {"id": "container_011CRjrMgp6ySxXo8D7R3qZk", "expires_at": "2025-11-20T12:00:00Z"}
    emu.enqueue(
        Reply.message(
            [
                {"type": "text", "text": "Working on it."},
                {
                    "type": "mcp_tool_use",
                    "id": "mcptoolu_014Q",
                    "name": "search",
                    "server_name": "docs",
                    "input": {"q": "x"},
                },
                {"type": "container_upload", "file_id": "file_011CNha8iCJcU1wXNR6q4V8w"},
            ],
            stop_reason="end_turn",
            container=container,
            brand_new_top_level={"kept": True},
        )
    )
    message = call(mode, emu, "create", **BASE, betas=["mcp-client-2025-04-04"])
    assert type(message) is BetaMessage
    text, mcp, upload = message.content
    assert type(text) is BetaTextBlock and text.text == "Working on it."
    assert type(mcp) is BetaMCPToolUseBlock
    assert (mcp.server_name, mcp.input) == ("docs", {"q": "x"})
    assert type(upload) is BetaContainerUploadBlock and upload.file_id == "file_011CNha8iCJcU1wXNR6q4V8w"
    assert message.container is not None and message.container.id == container["id"]
    assert message.model_dump()["brand_new_top_level"] == {"kept": True}


def test_create_stream_true_gives_raw_beta_events(mode: str, emu: Emulator) -> None:
    from anthropic import AsyncStream, Stream
    from anthropic.types.beta import (
        BetaRawContentBlockDeltaEvent,
        BetaRawContentBlockStartEvent,
        BetaRawContentBlockStopEvent,
        BetaRawMessageDeltaEvent,
        BetaRawMessageStartEvent,
        BetaRawMessageStopEvent,
    )

    emu.enqueue(Reply.sse(sse_body([{"type": "text", "text": "Hello there"}], cut=6)))
    stream_type, events = call(mode, emu, "create", **BASE, stream=True, betas=["x-1"])
    assert stream_type is (Stream if mode == "sync" else AsyncStream)
    assert [type(e) for e in events] == [
        BetaRawMessageStartEvent,
        BetaRawContentBlockStartEvent,
        BetaRawContentBlockDeltaEvent,
        BetaRawContentBlockDeltaEvent,
        BetaRawContentBlockStopEvent,
        BetaRawMessageDeltaEvent,
        BetaRawMessageStopEvent,
    ]
    assert [e.delta.text for e in events[2:4]] == ["Hello ", "there"]
    assert emu.requests[0].json["stream"] is True


def test_count_tokens_returns_the_beta_count(mode: str, emu: Emulator) -> None:
    from anthropic.types.beta import BetaMessageTokensCount

    count = call(mode, emu, "count_tokens", model=MODEL, messages=USER, betas=["token-counting-2024-11-01"])
    assert type(count) is BetaMessageTokensCount
    assert isinstance(count.input_tokens, int) and count.input_tokens > 0
    (request,) = emu.requests
    assert request.json == {"model": MODEL, "messages": USER}


# --- events and stream classes ----------------------------------------------------------------

CITATION = {
    "type": "char_location",
    "cited_text": "The sky is blue.",
    "document_index": 0,
    "document_title": "Facts",
    "start_char_index": 0,
    "end_char_index": 16,
}
RICH_BLOCKS: list[dict[str, Any]] = [
    {"type": "thinking", "thinking": "The user wants a fact.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
    {"type": "text", "text": "The sky is blue.", "citations": [CITATION]},
    {
        "type": "tool_use",
        "id": "toolu_01A09q90qw90lq917835lq9",
        "name": "get_weather",
        "input": {"location": "Paris, FR", "days": [1, 2]},
    },
    {
        "type": "mcp_tool_use",
        "id": "mcptoolu_01",
        "name": "lookup",
        "server_name": "kb",
        "input": {"term": "sky"},
    },
    {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"},
    {"type": "brand_new_block", "payload": {"anything": [1, "two"]}, "id": "nb_1"},
]


def test_beta_stream_yields_the_beta_event_classes(mode: str, emu: Emulator) -> None:
    import anthropic.lib.streaming as ls
    from anthropic.types import beta as bt

    emu.enqueue(Reply.sse(sse_body(RICH_BLOCKS, cut=7), chunk_size=5))
    result = run_stream(mode, emu, betas=["mcp-client-2025-04-04"])
    names = [type(e).__name__ for e in result.events]
    derived = {
        "text": ls.ParsedBetaTextEvent,
        "thinking": ls.BetaThinkingEvent,
        "signature": ls.BetaSignatureEvent,
        "citation": ls.BetaCitationEvent,
        "input_json": ls.BetaInputJsonEvent,
        "content_block_stop": ls.ParsedBetaContentBlockStopEvent,
        "message_stop": ls.ParsedBetaMessageStopEvent,
        "message_start": bt.BetaRawMessageStartEvent,
        "message_delta": bt.BetaRawMessageDeltaEvent,
        "content_block_start": bt.BetaRawContentBlockStartEvent,
        "content_block_delta": bt.BetaRawContentBlockDeltaEvent,
    }
    for event in result.events:
        assert type(event) is derived[event.type], event.type
    assert not any(
        n.startswith(("Text", "Thinking", "Raw", "Citation", "InputJson", "Signature")) for n in names
    )

    by_type: dict[str, list[Any]] = {}
    for event in result.events:
        by_type.setdefault(event.type, []).append(event)
    assert "".join(e.thinking for e in by_type["thinking"]) == "The user wants a fact."
    assert [e.signature for e in by_type["signature"]] == ["EqQBCgIYAhIM1gbcDa9GJwZA2b3h"]
    (citation,) = by_type["citation"]
    assert type(citation.citation) is bt.BetaCitationCharLocation
    assert citation.snapshot == [citation.citation]
    assert citation.citation.cited_text == "The sky is blue."
    assert by_type["text"][-1].snapshot == "The sky is blue."
    # input_json events come for tool_use and for the beta-only mcp_tool_use.
    inputs = by_type["input_json"]
    assert inputs[-1].snapshot == {"term": "sky"}
    assert any(e.snapshot == {"location": "Paris, FR", "days": [1, 2]} for e in inputs)
    stops = [e.content_block for e in by_type["content_block_stop"]]
    assert [type(b).__name__ for b in stops] == [
        "BetaThinkingBlock",
        "ParsedBetaTextBlock",
        "BetaToolUseBlock",
        "BetaMCPToolUseBlock",
        "BetaRedactedThinkingBlock",
        "BetaUnknownContentBlock",
    ]
    assert stops[5].model_dump() == {
        "type": "brand_new_block",
        "payload": {"anything": [1, "two"]},
        "id": "nb_1",
    }
    (stop,) = by_type["message_stop"]
    assert type(stop.message) is bt.ParsedBetaMessage
    assert stop.message == result.final
    assert result.final.content == stops
    assert result.final.parsed_output is None


def test_beta_thinking_deltas_carry_every_field_of_their_class(mode: str, emu: Emulator) -> None:
    """The beta thinking delta has a field the plain one lacks; a streamed one must still be whole."""
    emu.enqueue(
        Reply.sse(sse_body([{"type": "thinking", "thinking": "Let me see.", "signature": "sig"}], cut=3))
    )
    result = run_stream(mode, emu)
    deltas = [
        e.delta for e in result.events if e.type == "content_block_delta" and e.delta.type == "thinking_delta"
    ]
    assert len(deltas) == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for delta in deltas:
            assert delta.estimated_tokens is None
            assert delta.model_dump() == {
                "type": "thinking_delta",
                "thinking": delta.thinking,
                "estimated_tokens": None,
            }


def test_stream_and_manager_classes_and_their_surface(mode: str, emu: Emulator) -> None:
    import anthropic
    from anthropic.types.beta import ParsedBetaMessage

    emu.enqueue(Reply.sse(sse_body([{"type": "text", "text": "One. Two. Three."}], cut=5)))
    result = run_stream(mode, emu)
    if mode == "sync":
        assert result.stream_cls is anthropic.BetaMessageStream
        assert result.manager_cls is anthropic.BetaMessageStreamManager
    else:
        assert result.stream_cls is anthropic.BetaAsyncMessageStream
        assert result.manager_cls is anthropic.BetaAsyncMessageStreamManager
    (request,) = emu.requests
    assert result.request_id == request.request_id
    assert result.status_code == 200
    assert type(result.final) is ParsedBetaMessage
    assert result.final_text == "One. Two. Three."
    assert result.snapshot == result.final
    assert result.final.usage.output_tokens == 57
    assert result.final.stop_reason == "end_turn"

    emu.enqueue(Reply.sse(sse_body([{"type": "text", "text": "One. Two. Three."}], cut=5)))
    pieces = run_stream(mode, emu, text_stream=True).events
    assert pieces == ["One. ", "Two. ", "Three", "."]


def test_current_message_snapshot_mid_stream_is_a_parsed_beta_message(mode: str, emu: Emulator) -> None:
    from anthropic.types.beta import ParsedBetaMessage

    emu.enqueue(Reply.sse(sse_body([{"type": "text", "text": "abcdefgh"}], cut=2)))
    texts: list[str] = []

    def check(snapshot: Any) -> None:
        assert type(snapshot) is ParsedBetaMessage
        texts.append(snapshot.content[0].text if snapshot.content else "")

    if mode == "sync":
        with (
            Anthropic(base_url=emu.base_url, api_key="k") as client,
            client.beta.messages.stream(**BASE) as stream,
        ):
            for event in stream:
                if event.type == "text":
                    check(stream.current_message_snapshot)
    else:

        async def main() -> None:
            async with (
                AsyncAnthropic(base_url=emu.base_url, api_key="k") as client,
                client.beta.messages.stream(**BASE) as stream,
            ):
                async for event in stream:
                    if event.type == "text":
                        check(stream.current_message_snapshot)

        asyncio.run(main())
    assert texts == ["ab", "abcd", "abcdef", "abcdefgh"]


def test_manual_enter_and_exit_and_until_done(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.sse(sse_body([{"type": "text", "text": "Done."}])))
    if mode == "sync":
        with Anthropic(base_url=emu.base_url, api_key="k") as client:
            manager = client.beta.messages.stream(**BASE)
            assert emu.requests == []  # nothing is sent before the manager is entered
            stream = manager.__enter__()
            try:
                stream.until_done()
                text = stream.get_final_text()
            finally:
                manager.__exit__(None, None, None)
            assert stream.response.is_closed
    else:

        async def main() -> tuple[str, bool]:
            async with AsyncAnthropic(base_url=emu.base_url, api_key="k") as client:
                manager = client.beta.messages.stream(**BASE)
                assert emu.requests == []
                stream = await manager.__aenter__()
                try:
                    await stream.until_done()
                    text = await stream.get_final_text()
                finally:
                    await manager.__aexit__(None, None, None)
                return text, stream.response.is_closed

        text, closed = asyncio.run(main())
        assert closed
    assert text == "Done."
    assert len(emu.requests) == 1


# --- plain and beta give the same events for the same bytes -------------------------------------

PARITY_BODIES = {
    "text": [{"type": "text", "text": "A plain answer, cut into pieces."}],
    "rich": [b for b in RICH_BLOCKS if b["type"] != "mcp_tool_use"],
    "json-text": [{"type": "text", "text": '{"a": [1, 2, {"b": "c\\u00e9"}], "d": null}'}],
}


@pytest.mark.parametrize("body", sorted(PARITY_BODIES))
@pytest.mark.parametrize("chunk_size", [None, 3])
def test_beta_and_plain_streams_agree_on_the_same_bytes(
    mode: str, emu: Emulator, body: str, chunk_size: int | None
) -> None:
    raw = sse_body(PARITY_BODIES[body], cut=5)
    results = {}
    for beta in (False, True):
        emu.enqueue(Reply.sse(raw, chunk_size=chunk_size))
        results[beta] = run_stream(mode, emu, beta=beta, on_event=lambda e: getattr(e, "snapshot", None))
    plain, beta_result = results[False], results[True]
    assert [e.type for e in plain.events] == [e.type for e in beta_result.events]
    beta_names = [type(e).__name__ for e in beta_result.events]
    plain_names = [type(e).__name__ for e in plain.events]
    renamed = {
        "TextEvent": "ParsedBetaTextEvent",
        "ParsedContentBlockStopEvent": "ParsedBetaContentBlockStopEvent",
        "ParsedMessageStopEvent": "ParsedBetaMessageStopEvent",
    }
    assert beta_names == [renamed.get(n, "Beta" + n) for n in plain_names]
    for a, b in zip(plain.events, beta_result.events, strict=False):
        dumps_modulo_beta_fields(a.model_dump(), b.model_dump())
    # Snapshots hold plain and beta classes (distinct, as in the official client): compare their data.
    assert to_jsonable_python(plain.seen) == to_jsonable_python(beta_result.seen)
    dumps_modulo_beta_fields(plain.final.model_dump(), beta_result.final.model_dump())
    assert plain.final_text == beta_result.final_text
    assert type(plain.final).__name__ == "ParsedMessage"
    assert type(beta_result.final).__name__ == "ParsedBetaMessage"


def test_raw_beta_and_plain_create_streams_agree_on_the_same_bytes(mode: str, emu: Emulator) -> None:
    raw = sse_body(PARITY_BODIES["rich"], cut=4)
    out = {}
    for beta in (False, True):
        emu.enqueue(Reply.sse(raw))
        out[beta] = call(mode, emu, "create", beta=beta, stream=True, **BASE)[1]
    assert [type(e).__name__ for e in out[True]] == ["Beta" + type(e).__name__ for e in out[False]]
    for a, b in zip(out[False], out[True], strict=False):
        dumps_modulo_beta_fields(a.model_dump(), b.model_dump())


# --- public names -------------------------------------------------------------------------------

STREAMING_NAMES = [
    "ParsedBetaTextEvent",
    "BetaCitationEvent",
    "BetaThinkingEvent",
    "BetaSignatureEvent",
    "BetaInputJsonEvent",
    "ParsedBetaMessageStopEvent",
    "ParsedBetaContentBlockStopEvent",
    "ParsedBetaMessageStreamEvent",
    "BetaTextEvent",
    "BetaMessageStopEvent",
    "BetaMessageStreamEvent",
    "BetaContentBlockStopEvent",
    "ResponseFormatT",
    "BetaMessageStream",
    "BetaAsyncMessageStream",
    "BetaMessageStreamManager",
    "BetaAsyncMessageStreamManager",
]


def test_every_beta_name_is_importable_from_lib_streaming() -> None:
    import anthropic.lib.streaming as ls

    for name in STREAMING_NAMES:
        assert getattr(ls, name) is not None, name
        assert name in ls.__all__, name
    assert ls.BetaTextEvent is ls.ParsedBetaTextEvent
    assert ls.BetaMessageStreamEvent is ls.ParsedBetaMessageStreamEvent
    assert issubclass(ls.BetaMessageStopEvent, ls.ParsedBetaMessageStopEvent)
    assert issubclass(ls.BetaContentBlockStopEvent, ls.ParsedBetaContentBlockStopEvent)
    assert isinstance(ls.ResponseFormatT, typing.TypeVar)
    members = set(typing.get_args(ls.ParsedBetaMessageStreamEvent))
    for name in (
        "ParsedBetaTextEvent",
        "BetaCitationEvent",
        "BetaThinkingEvent",
        "BetaSignatureEvent",
        "BetaInputJsonEvent",
    ):
        assert getattr(ls, name) in members, name
    assert {getattr(m, "__origin__", m).__name__ for m in members} >= {
        "ParsedBetaMessageStopEvent",
        "ParsedBetaContentBlockStopEvent",
        "BetaRawMessageStartEvent",
        "BetaRawMessageDeltaEvent",
        "BetaRawContentBlockStartEvent",
        "BetaRawContentBlockDeltaEvent",
    }
    from anthropic.lib.streaming import (  # noqa: F401  (the import statement itself is the check)
        BetaCitationEvent,
        BetaContentBlockStopEvent,
        BetaInputJsonEvent,
        BetaMessageStopEvent,
        BetaMessageStreamEvent,
        BetaSignatureEvent,
        BetaTextEvent,
        BetaThinkingEvent,
        ParsedBetaContentBlockStopEvent,
        ParsedBetaMessageStopEvent,
        ParsedBetaMessageStreamEvent,
        ParsedBetaTextEvent,
        ResponseFormatT,
    )


def test_stream_classes_and_managers_are_importable_from_anthropic() -> None:
    import anthropic
    import anthropic.lib.streaming as ls

    for name in (
        "BetaMessageStream",
        "BetaAsyncMessageStream",
        "BetaMessageStreamManager",
        "BetaAsyncMessageStreamManager",
    ):
        assert getattr(anthropic, name) is getattr(ls, name)
    assert anthropic.BetaMessageStream[int] is not None  # generic in the response format
    from anthropic.types.beta import ParsedBetaMessage, ParsedBetaTextBlock

    assert ParsedBetaMessage[int] is not None and ParsedBetaTextBlock[int] is not None


def test_importing_anthropic_loads_no_beta_module() -> None:
    code = (
        "import sys, anthropic, anthropic.lib.streaming\n"
        "client = anthropic.Anthropic(api_key='k')\n"
        "loaded = sorted(m for m in sys.modules if '.beta' in m or '_beta' in m or m.endswith('_parse'))\n"
        "print(','.join(loaded))\n"
        "client.beta.messages\n"
        "anthropic.lib.streaming.ParsedBetaTextEvent\n"
        "print('anthropic.lib.streaming._beta_types' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    loaded, beta_loaded_later = out.stdout.splitlines()
    assert loaded == ""
    assert beta_loaded_later == "True"


def test_beta_streams_are_the_plain_machinery_not_a_copy() -> None:
    """One implementation: the beta classes add no behaviour of their own, only types."""
    import anthropic
    from anthropic.lib.streaming import _messages

    pairs = [
        (anthropic.MessageStream, anthropic.BetaMessageStream, _messages.BaseMessageStream),
        (anthropic.AsyncMessageStream, anthropic.BetaAsyncMessageStream, _messages.BaseAsyncMessageStream),
        (
            anthropic.MessageStreamManager,
            anthropic.BetaMessageStreamManager,
            _messages.BaseMessageStreamManager,
        ),
        (
            anthropic.AsyncMessageStreamManager,
            anthropic.BetaAsyncMessageStreamManager,
            _messages.BaseAsyncMessageStreamManager,
        ),
    ]
    for plain, beta, base in pairs:
        assert issubclass(plain, base) and issubclass(beta, base)
        for name, value in vars(base).items():
            if callable(value) or isinstance(value, property):
                assert getattr(beta, name) is getattr(plain, name) is getattr(base, name), (beta, name)
        own = {n for n, v in vars(beta).items() if callable(v) and not n.startswith("__")}
        assert own == set(), (beta, own)
