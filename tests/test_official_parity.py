"""Public behaviour that code written against the official client 2.15.0 relies on, over a real socket.

Each test pins one fact a user can observe and match on: an attribute of a
stream, the type and text of an exception, a name at an import path.  The
cases come from running the official client's own test suite against this
package; where this package is stricter on purpose (docs/failures.md), the
test asserts our behaviour, not the official one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import anthropic
from _helpers import REQUEST_ID, call, client_for, drain, entered, params, sse_reply
from anthropic.emulator import Emulator, Reply

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

WORKSPACE_ID = "wrkspc_01ParityWorkspace"


async def test_a_message_stream_names_its_request_and_workspace(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded", headers={"anthropic-workspace-id": WORKSPACE_ID}))
    async with client_for(mode, emu) as client:
        async with entered(client.messages.stream(**params())) as stream:
            assert stream.request_id == REQUEST_ID
            assert stream.workspace_id == WORKSPACE_ID
            await call(stream.until_done)
        assert stream.response.is_closed


async def test_a_raw_stream_names_its_workspace_and_none_without_the_header(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded", headers={"anthropic-workspace-id": WORKSPACE_ID}))
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        stream = await call(client.messages.create, stream=True, **params())
        async with entered(stream):
            assert stream.workspace_id == WORKSPACE_ID
            await drain(stream)
        async with entered(client.beta.messages.stream(**params())) as beta_stream:
            assert beta_stream.workspace_id is None
            await call(beta_stream.until_done)


async def test_a_message_stream_is_not_a_raw_stream(mode: str, emu: Emulator) -> None:
    raw_type = anthropic.Stream if mode == "sync" else anthropic.AsyncStream
    emu.enqueue(sse_reply("text_recorded"))
    emu.enqueue(sse_reply("text_recorded"))
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        async with entered(client.messages.stream(**params())) as stream:
            assert not isinstance(stream, raw_type)
            await call(stream.until_done)
        async with entered(client.beta.messages.stream(**params())) as beta_stream:
            assert not isinstance(beta_stream, raw_type)
            await call(beta_stream.until_done)
        raw = await call(client.messages.create, stream=True, **params())
        async with entered(raw):
            assert isinstance(raw, raw_type)
            await drain(raw)


@pytest.mark.parametrize("module", ["anthropic.resources.messages", "anthropic.resources.messages.messages"])
def test_the_deprecated_models_table_is_at_both_official_paths(module: str) -> None:
    import importlib

    table = importlib.import_module(module).DEPRECATED_MODELS
    assert isinstance(table, dict) and table
    assert all(isinstance(name, str) and isinstance(date, str) for name, date in table.items())


def _sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def _tool_call_body(*pieces: str) -> bytes:
    """A reply whose one tool call streams its input as ``pieces``."""
    start = {
        "id": "msg_01ParityToolInput",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 1},
    }
    block = {"type": "tool_use", "id": "toolu_01Parity", "name": "get_weather", "input": {}}
    return _sse(
        {"type": "message_start", "message": start},
        {"type": "content_block_start", "index": 0, "content_block": block},
        *(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": p}}
            for p in pieces
        ),
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None}, "usage": {"output_tokens": 9}},
        {"type": "message_stop"},
    )


@pytest.mark.parametrize("flavour", ["messages", "beta"])
async def test_a_tool_input_that_is_not_json_is_a_value_error_in_the_official_words(
    mode: str, emu: Emulator, flavour: str
) -> None:
    bad = '{"location": "Paris", "unit": celsius}'
    emu.enqueue(Reply.sse(_tool_call_body('{"location": "Pa', 'ris", "unit": ', "celsius}"), headers={"request-id": REQUEST_ID}))
    async with client_for(mode, emu) as client:
        resource = client.messages if flavour == "messages" else client.beta.messages
        async with entered(resource.stream(**params())) as stream:
            with pytest.raises(ValueError) as info:
                await call(stream.until_done)
    error = info.value
    assert isinstance(error, anthropic.ToolInputJSONError)
    assert isinstance(error, anthropic.APIResponseValidationError)
    assert error.message.startswith(
        "Unable to parse tool parameter JSON from model. Please retry your request or adjust your prompt. "
        "Error: the input JSON of content block 0 (get_weather) is not valid JSON: "
    )
    assert error.message.endswith(f". JSON: {bad}")
    assert error.body == bad
    assert error.request_id == REQUEST_ID
    assert error.partial_message is not None and error.partial_message.id == "msg_01ParityToolInput"


async def test_a_tool_input_cut_short_by_the_stream_is_not_this_error(mode: str, emu: Emulator) -> None:
    # Invalid JSON is the model's fault and raises at the block's end; a body that ends early is a truncation.
    body = _tool_call_body('{"location": "Paris"}')
    emu.enqueue(Reply.sse(body[: body.index(b"event: content_block_stop")]))
    async with client_for(mode, emu) as client, entered(client.messages.stream(**params())) as stream:
        with pytest.raises(anthropic.IncompleteStreamError) as info:
            await call(stream.until_done)
    assert not isinstance(info.value, ValueError)
