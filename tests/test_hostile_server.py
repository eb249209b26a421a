"""A misbehaving server must not hang a call, lose a finished answer, blow up memory or leak a raw exception.

Each test answers over a real loopback socket, from a raw server that
misbehaves on purpose (:class:`RawServer`) or from the emulator, and asserts
the exception type and message, or the answer that must come through.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

import anthropic
from _helpers import API_KEY, MODEL, call, client_for, drain, entered, http_client, params
from _resilience_helpers import RawServer
from anthropic import APIConnectionError, APITimeoutError, OverloadedError, RateLimitError
from anthropic.emulator import Emulator, Reply

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

REQUEST = {"model": MODEL, "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}


def event(data: dict[str, Any]) -> bytes:
    return f"event: {data['type']}\ndata: {json.dumps(data)}\n\n".encode()


MESSAGE_START = event(
    {
        "type": "message_start",
        "message": {
            "id": "msg_hostile", "type": "message", "role": "assistant", "model": MODEL, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": 1},
        },
    }
)  # fmt: skip
BLOCK_START = event({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
WHOLE_ANSWER = b"".join(
    [
        MESSAGE_START,
        BLOCK_START,
        event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "All here."}}),
        event({"type": "content_block_stop", "index": 0}),
        event({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 4}}),
        event({"type": "message_stop"}),
    ]
)
OVERLOADED = event({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})


def head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", "request-id: req_hostile", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def stalled_after_message_stop(framing: str) -> bytes:
    """The whole stream through message_stop, then nothing: the body's end never comes."""
    if framing == "chunked":
        return head("200 OK", {"content-type": "text/event-stream", "transfer-encoding": "chunked"}) + (
            b"%x\r\n%s\r\n" % (len(WHOLE_ANSWER), WHOLE_ANSWER)
        )
    declared = len(WHOLE_ANSWER) + 1000
    return head("200 OK", {"content-type": "text/event-stream", "content-length": str(declared)}) + WHOLE_ANSWER


@pytest.mark.parametrize("framing", ["chunked", "content-length"])
async def test_after_message_stop_the_answer_comes_back_though_the_body_never_ends(mode: str, framing: str) -> None:
    with RawServer(lambda i, r: (stalled_after_message_stop(framing), "hang")) as server:
        async with client_for(mode, None, base_url=server.base_url, timeout=httpx2.Timeout(30.0, connect=5.0)) as client:
            async with entered(client.messages.stream(**REQUEST)) as stream:
                message = await call(stream.get_final_message)
                assert stream.response.is_closed
            assert message.content[0].text == "All here."
            assert message.stop_reason == "end_turn"

            raw = await call(client.messages.create, stream=True, **REQUEST)
            async with entered(raw):
                types = [e.type for e in await drain(raw)]
            assert types[-1] == "message_stop"


async def test_a_normal_stream_still_reads_its_body_to_the_end(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client, entered(client.messages.stream(**params())) as stream:
        await call(stream.get_final_message)
        assert stream.response.is_stream_consumed  # so its connection goes back to the pool


def endless_pings(i: int, r: bytes) -> tuple[bytes, str]:
    body = MESSAGE_START + b": keep-alive\n\n" * 200 + event({"type": "ping"}) * 200
    return head("200 OK", {"content-type": "text/event-stream", "transfer-encoding": "chunked"}) + (
        b"%x\r\n%s\r\n" % (len(body), body)
    ), "hang"


async def test_a_stream_deadline_ends_a_stream_that_never_finishes(mode: str) -> None:
    with RawServer(endless_pings) as server:
        async with client_for(
            mode, None, base_url=server.base_url, timeout=httpx2.Timeout(30.0, connect=5.0), stream_deadline=0.3,
            max_retries=2,
        ) as client:  # fmt: skip
            with pytest.raises(APITimeoutError) as info:
                async with entered(client.messages.stream(**REQUEST)) as stream:
                    await call(stream.get_final_message)
    assert str(info.value) == (
        "The stream did not reach message_stop within its deadline of 0.3 s (stream_deadline); "
        "the answer is incomplete. (request id: req_hostile)"
    )
    assert info.value.partial_message is not None and info.value.partial_message.id == "msg_hostile"
    assert server.connections == 1  # a deadline is not retried


async def test_a_per_request_stream_deadline_overrides_the_clients(mode: str) -> None:
    with RawServer(endless_pings) as server:
        async with client_for(mode, None, base_url=server.base_url, timeout=httpx2.Timeout(30.0, connect=5.0)) as client:
            assert client.stream_deadline is None
            with pytest.raises(APITimeoutError, match=r"within its deadline of 0\.2 s"):
                stream = await call(client.messages.create, stream=True, stream_deadline=0.2, **REQUEST)
                async with entered(stream):
                    await drain(stream)


def test_a_stream_deadline_must_be_a_positive_number() -> None:
    with pytest.raises(ValueError, match=r"stream_deadline must be a positive number of seconds or None, got 0"):
        anthropic.Anthropic(api_key=API_KEY, stream_deadline=0)


async def test_an_error_body_is_read_up_to_a_cap(mode: str) -> None:
    size = 8 << 20
    reply = head("500 Internal Server Error", {"content-type": "application/json", "content-length": str(size)})
    with RawServer(lambda i, r: (reply + b"x" * size, "fin")) as server:
        async with client_for(mode, None, base_url=server.base_url) as client:
            with pytest.raises(anthropic.InternalServerError) as info:
                await call(client.messages.create, **REQUEST)
    body = info.value.body
    assert isinstance(body, str) and body.endswith("... [truncated at 1048576 bytes]")
    assert len(body) < (1 << 20) + 100


async def test_an_error_body_cut_short_is_still_a_typed_and_retried_error(mode: str) -> None:
    cut = head("429 Too Many Requests", {"content-type": "application/json", "content-length": "100", "retry-after-ms": "0"})
    cut += b'{"type":"error"'
    with RawServer(lambda i, r: (cut, "fin")) as server:
        async with client_for(mode, None, base_url=server.base_url, max_retries=1) as client:
            with pytest.raises(RateLimitError) as info:
                await call(client.messages.create, **REQUEST)
        assert server.connections == 2
    assert info.value.status_code == 429 and info.value.body == '{"type":"error"'


async def test_a_lone_surrogate_is_a_clear_error_before_any_io(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        with pytest.raises(ValueError, match=r"it contains a lone surrogate \('\\ud800'"):
            await call(client.messages.create, **params(messages=[{"role": "user", "content": "bad \ud800 text"}]))
    assert emu.requests == []


class _FlakyTransport:
    """A user's transport that fails once with a non-httpx exception, then goes over the wire."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def fail_once(self) -> None:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("proxy handshake refused")


class SyncFlaky(httpx2.BaseTransport, _FlakyTransport):
    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.fail_once()
        return self.inner.handle_request(request)


class AsyncFlaky(httpx2.AsyncBaseTransport, _FlakyTransport):
    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.fail_once()
        return await self.inner.handle_async_request(request)


async def test_a_custom_transports_own_exception_is_wrapped_and_retried(mode: str, emu: Emulator) -> None:
    transport: Any = SyncFlaky(httpx2.HTTPTransport()) if mode == "sync" else AsyncFlaky(httpx2.AsyncHTTPTransport())
    http = http_client(mode, transport=transport)
    async with client_for(mode, emu, http_client=http, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            await call(client.messages.create, **params())
        assert str(info.value) == "Connection error: RuntimeError: proxy handshake refused"
        assert isinstance(info.value.__cause__, RuntimeError)
        transport.calls = 0
        message = await call(client.with_options(max_retries=1).messages.create, **params())
        assert message.type == "message" and transport.calls == 2
    assert len(emu.requests) == 1
    await (http.aclose() if mode == "async" else _sync_close(http))


async def _sync_close(http: Any) -> None:
    http.close()


async def test_an_error_after_message_start_and_an_empty_block_start_is_retried(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.sse(MESSAGE_START + BLOCK_START + OVERLOADED, headers={"retry-after-ms": "0"}))
    emu.enqueue(Reply.sse(WHOLE_ANSWER))
    async with client_for(mode, emu, max_retries=1) as client, entered(client.messages.stream(**params())) as stream:
        events = [e.type for e in await drain(stream)]
        message = await call(stream.get_final_message)
    assert len(emu.requests) == 2
    assert events.count("message_start") == 1 and events.count("content_block_start") == 1
    assert message.content[0].text == "All here."


async def test_an_error_after_the_first_delta_is_not_retried(mode: str, emu: Emulator) -> None:
    first_delta = event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Par"}})
    emu.enqueue(Reply.sse(MESSAGE_START + BLOCK_START + first_delta + OVERLOADED, headers={"retry-after-ms": "0"}))
    async with client_for(mode, emu, max_retries=1) as client:
        with pytest.raises(OverloadedError) as info:
            async with entered(client.messages.stream(**params())) as stream:
                await drain(stream)
    assert len(emu.requests) == 1
    assert info.value.partial_message.content[0].text == "Par"
