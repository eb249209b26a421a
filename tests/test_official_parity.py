"""Public behaviour that code written against the official client 2.15.0 relies on, over a real socket.

Each test pins one fact a user can observe and match on: an attribute of a
stream, the type and text of an exception, a name at an import path.  The
cases come from running the official client's own test suite against this
package; where this package is stricter on purpose (docs/failures.md), the
test asserts our behaviour, not the official one.
"""

from __future__ import annotations

import pytest

import anthropic
from _helpers import REQUEST_ID, call, client_for, drain, entered, params, sse_reply
from anthropic.emulator import Emulator

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
