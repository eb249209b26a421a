"""Resilience over loopback sockets: retries before content, timeouts, early exit, leaks, load.

* A failure before anything reached the caller (an ``error`` event, a broken
  or truncated body, a stall) is retried like the matching HTTP status, within
  ``max_retries`` and with backoff, and the caller sees one clean stream.
  After content reached the caller it raises, with the partial message.
* Responses cut at every place that matters (status line, headers, body
  before and after the first content), by FIN and by RST, under each body
  framing, end in the exception the failure table documents.
* Stalls raise ``APITimeoutError``; connect timeouts are retried.
* Breaking out, exceptions in the loop body, cancellation and streams that are
  simply dropped all release their connection: 1,000 abandoned streams leave
  no socket open, and dropping a stream never needs the cyclic garbage
  collector (which could otherwise run httpx2's cleanup at any moment).
* 200 concurrent async streams through one client all complete correctly.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from _helpers import (
    call,
    collect_raw,
    collect_stream,
    drain,
    entered,
    http_client,
    make_client,
    next_item,
    params,
)
from _resilience_helpers import (
    FullBacklog,
    RawServer,
    client_sockets,
    linux_only,
    open_fds,
    sse_response,
    wait_until,
)
from anthropic import (
    Anthropic,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncAnthropic,
    BadRequestError,
    DeadlineExceededError,
    IncompleteStreamError,
    InternalServerError,
    OverloadedError,
    RateLimitError,
)
from anthropic.emulator import Emulator, Fault, RecordedRequest, Reply

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

RETRYABLE_EVENTS = [
    ("overloaded_error", OverloadedError, 529),
    ("api_error", InternalServerError, 500),
    ("rate_limit_error", RateLimitError, 429),
    ("timeout_error", DeadlineExceededError, 504),
    ("brand_new_error", InternalServerError, 500),  # a type this version does not know
]


def ev(name: str, data: str) -> bytes:
    return f"event: {name}\ndata: {data}\n\n".encode()


# One short message, event by event: start, ping, block start, three deltas, stops.
START = ev(
    "message_start",
    '{"type":"message_start","message":{"id":"msg_raw","type":"message","role":"assistant","model":"m",'
    '"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}',
)
PING = ev("ping", '{"type":"ping"}')
BLOCK = ev(
    "content_block_start",
    '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
)
DELTAS = [
    ev(
        "content_block_delta",
        json.dumps({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}}),
    )
    for t in ("Hello", " there", ", world")
]
TAIL = (
    ev("content_block_stop", '{"type":"content_block_stop","index":0}')
    + ev(
        "message_delta",
        '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}',
    )
    + ev("message_stop", '{"type":"message_stop"}')
)
BODY = START + PING + BLOCK + b"".join(DELTAS) + TAIL


async def read_stream(client: Any, how: str, **overrides: Any) -> tuple[list[Any], Any, str | None]:
    """(events, final message or None for raw streams, the stream's request id) of one request read to its end."""
    if how == "raw":
        events, stream = await collect_raw(client, **params(**overrides))
        return events, None, stream.request_id
    got = await collect_stream(client, **params(**overrides))
    return got.events, got.final_message, got.request_id


async def read_until_error(client: Any, seen: list[Any], *, how: str = "stream", **overrides: Any) -> None:
    """Open a stream and read it to its end (or its error), appending each event to ``seen``."""
    if how == "raw":
        stream = await call(client.messages.create, stream=True, **params(**overrides))
        async with entered(stream):
            while True:
                try:
                    seen.append(await next_item(stream))
                except StopAsyncIteration:
                    return
    async with entered(client.messages.stream(**params(**overrides))) as stream:
        while True:
            try:
                seen.append(await next_item(stream))
            except StopAsyncIteration:
                break
        await call(stream.get_final_message)


def text_of(events: list[Any]) -> str:
    return "".join(
        e.delta.text for e in events if e.type == "content_block_delta" and e.delta.type == "text_delta"
    )


def same_request(requests: list[RecordedRequest]) -> bool:
    return len({r.body for r in requests}) == 1


# --- errors before content are retried; after content they raise --------------------------------


@pytest.mark.parametrize(("kind", "cls", "status"), RETRYABLE_EVENTS, ids=[k for k, _, _ in RETRYABLE_EVENTS])
@pytest.mark.parametrize("how", ["stream", "raw"])
async def test_error_events_before_content_are_retried_like_their_status(
    mode: str, emu: Emulator, kind: str, cls: type, status: int, how: str
) -> None:
    emu.add_fault(Fault(error_event=kind, times=2, retry_after_ms=0))
    emu.enqueue(Reply.text("First."), Reply.text("Second."), Reply.text("Recovered."))
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        events, final, request_id = await read_stream(client, how)
    assert [e.type for e in events].count("message_start") == 1
    assert events[0].type == "message_start"
    assert text_of(events) == "Recovered."
    if final is not None:
        assert final.content[0].text == "Recovered."
    assert request_id == emu.requests[2].request_id  # the stream is the attempt that succeeded
    assert len(emu.requests) == 3 and same_request(emu.requests)


async def test_error_events_before_content_give_up_after_max_retries(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(error_event="overloaded_error", retry_after_ms=0, message="Overloaded right now"))
    seen: list[Any] = []
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        with pytest.raises(OverloadedError) as info:
            await read_until_error(client, seen)
    error = info.value
    assert seen == []  # nothing of the failed attempts reached the caller
    assert error.status_code == 529 and error.response.status_code == 200
    assert error.body == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded right now"},
    }
    assert "Overloaded right now" in str(error)
    assert error.request_id == emu.requests[-1].request_id
    assert error.partial_message.content == []
    assert len(emu.requests) == 3


@pytest.mark.parametrize(
    ("fault", "cls", "attempts"),
    [
        (Fault(error_event="invalid_request_error", retry_after_ms=0), BadRequestError, 1),
        (Fault(error_event="overloaded_error", retry_after_ms=0, should_retry=False), OverloadedError, 1),
        (Fault(error_event="invalid_request_error", retry_after_ms=0, should_retry=True), BadRequestError, 3),
    ],
    ids=["not-retryable", "x-should-retry-false", "x-should-retry-true"],
)
async def test_error_events_follow_the_status_rules_and_x_should_retry(
    mode: str, emu: Emulator, fault: Fault, cls: type, attempts: int
) -> None:
    emu.add_fault(fault)
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        with pytest.raises(APIStatusError) as info:
            await read_until_error(client, [])
    assert type(info.value) is cls
    assert len(emu.requests) == attempts


async def test_retries_of_error_events_back_off(mode: str, emu: Emulator, backoff_waits: list[float]) -> None:
    waits = backoff_waits  # what the stream asks to wait, recorded, not slept: no clock involved
    emu.add_fault(Fault(error_event="overloaded_error", times=1))  # no retry-after: exponential backoff
    emu.add_fault(Fault(error_event="overloaded_error", times=1, retry_after_ms=0))
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        _, final, _ = await read_stream(client, "stream")
    assert final.stop_reason == "end_turn"
    assert len(emu.requests) == 3
    assert len(waits) == 2
    assert 0.375 <= waits[0] <= 0.5  # 0.5 s less up to 25 % jitter
    assert waits[1] == 0  # the server's retry-after-ms: 0 wins over the backoff


@pytest.mark.parametrize(("kind", "cls", "status"), RETRYABLE_EVENTS, ids=[k for k, _, _ in RETRYABLE_EVENTS])
@pytest.mark.parametrize("how", ["stream", "raw"])
async def test_error_events_after_content_raise_with_the_partial_message(
    mode: str, emu: Emulator, kind: str, cls: type, status: int, how: str
) -> None:
    emu.add_fault(Fault(error_event=kind, error_event_after=3, retry_after_ms=0))
    seen: list[Any] = []
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        with pytest.raises(cls) as info:
            await read_until_error(client, seen, how=how)
    error = info.value
    deltas = [e for e in seen if e.type == "content_block_delta"]
    assert len(deltas) == 3
    assert seen[-1].type == ("content_block_delta" if how == "raw" else "text")
    assert error.status_code == status and error.response.status_code == 200
    assert error.request_id == emu.requests[0].request_id
    assert error.partial_message.id == seen[0].message.id
    assert error.partial_message.content[0].text == text_of(seen) != ""
    assert error.partial_message.stop_reason is None
    assert all(e.type != "message_stop" for e in seen)
    assert len(emu.requests) == 1


@pytest.mark.parametrize("at", [0, 40], ids=["before-any-byte", "inside-message_start"])
@pytest.mark.parametrize("cut", ["disconnect_after", "eof_after"])
async def test_a_body_cut_before_content_is_retried(mode: str, emu: Emulator, cut: str, at: int) -> None:
    emu.add_fault(Fault(**{cut: at}, times=2, retry_after_ms=0))
    emu.enqueue(Reply.text("A"), Reply.text("B"), Reply.text("Third time lucky."))
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        events, final, _ = await read_stream(client, "stream")
    assert final.content[0].text == "Third time lucky."
    assert [e.type for e in events].count("message_start") == 1
    assert len(emu.requests) == 3 and same_request(emu.requests)


@pytest.mark.parametrize(
    ("cut", "cls"), [("disconnect_after", APIConnectionError), ("eof_after", IncompleteStreamError)]
)
@pytest.mark.parametrize("how", ["stream", "raw"])
async def test_a_body_cut_after_content_is_not_retried(
    mode: str, emu: Emulator, cut: str, cls: type, how: str
) -> None:
    at = len(START + PING + BLOCK + DELTAS[0]) + 5
    emu.enqueue(Reply.sse(BODY, chunk_size=1, fault=Fault(**{cut: at}, retry_after_ms=0)))
    seen: list[Any] = []
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        with pytest.raises(APIConnectionError) as info:
            await read_until_error(client, seen, how=how)
    error = info.value
    assert type(error) is cls
    assert not isinstance(error, httpx2.HTTPError)
    assert error.request_id == emu.requests[0].request_id
    assert text_of(seen) == "Hello"
    assert sum(e.type == "content_block_delta" for e in seen) == 1
    assert error.partial_message.content[0].text == "Hello"
    if cut == "disconnect_after":
        assert isinstance(error.__cause__, httpx2.HTTPError)
        assert "connection" in str(error).lower()
    else:
        assert "message_stop" in str(error)
    assert len(emu.requests) == 1


# --- responses cut anywhere, by FIN or by RST, under each framing ---------------------------------

CUTS: dict[str, Any] = {
    "status-line": 5,
    "headers": 40,
    "before-blank-line": lambda r: r.index(b"\r\n\r\n") + 2,
    "no-body": lambda r: r.index(b"\r\n\r\n") + 4,
    "inside-message_start": lambda r: r.index(b"message_start") + 30,
    "before-content": lambda r: r.index(b"event: content_block_start"),
    "after-content": lambda r: r.index(b"event: content_block_delta") + len(DELTAS[0]) + 4,
    "inside-utf8": None,
}
BEFORE_CONTENT = {"no-body", "inside-message_start", "before-content"}
IN_HEAD = {"status-line", "headers", "before-blank-line"}


def cut_response(framing: str, where: str) -> tuple[bytes, int]:
    if where == "inside-utf8":
        body = BODY.replace(b"Hello", "Héllo".encode())
        response = sse_response(body, framing, {"retry-after-ms": "0"})
        return response, response.index("é".encode()) + 1
    response = sse_response(BODY, framing, {"retry-after-ms": "0"})
    at = CUTS[where]
    return response, at if isinstance(at, int) else at(response)


@pytest.mark.parametrize("end", ["fin", "rst"])
@pytest.mark.parametrize("framing", ["close", "length", "chunked"])
@pytest.mark.parametrize("where", list(CUTS))
async def test_a_response_cut_anywhere_raises_the_documented_error(
    mode: str, where: str, framing: str, end: str
) -> None:
    response, at = cut_response(framing, where)
    seen: list[Any] = []
    with RawServer(lambda i, request: (response[:at], end)) as server:
        async with entered(make_client(mode, base_url=server.base_url, max_retries=0)) as client:
            with pytest.raises(APIError) as info:
                await read_until_error(client, seen)
    error = info.value
    if where in IN_HEAD:
        expected: type = APIConnectionError
    elif framing == "close" and end == "fin":
        expected = IncompleteStreamError  # a clean end of a close-delimited body: the body is just short
    else:
        expected = APIConnectionError
    assert type(error) is expected, repr(error)
    if expected is APIConnectionError:
        assert isinstance(error.__cause__, httpx2.HTTPError)  # what broke, kept for who debugs it
    assert all(e.type != "message_stop" for e in seen)
    if where in ("after-content", "inside-utf8"):
        assert text_of(seen) == ("Hello" if where == "after-content" else "")
        assert error.partial_message is not None
    assert server.connections == 1


@pytest.mark.parametrize("end", ["fin", "rst"])
@pytest.mark.parametrize("where", sorted(BEFORE_CONTENT | {"after-content"}))
async def test_a_response_cut_in_its_body_is_retried_only_before_content(
    mode: str, where: str, end: str
) -> None:
    response, at = cut_response("chunked", where)
    whole = sse_response(BODY, "chunked")

    def respond(index: int, request: bytes) -> tuple[bytes, str]:
        return (response[:at], end) if index < 2 else (whole, "fin")

    with RawServer(respond) as server:
        async with entered(make_client(mode, base_url=server.base_url, max_retries=2)) as client:
            seen: list[Any] = []
            if where in BEFORE_CONTENT:
                await read_until_error(client, seen)
                assert text_of(seen) == "Hello there, world"
                assert [e.type for e in seen].count("message_start") == 1
            else:
                with pytest.raises(APIConnectionError):
                    await read_until_error(client, seen)
    assert server.connections == (3 if where in BEFORE_CONTENT else 1)
    assert len(set(server.requests)) == 1


async def test_a_response_cut_in_its_headers_is_retried(mode: str) -> None:
    whole = sse_response(BODY, "chunked")
    with RawServer(lambda i, request: (whole[:40], "rst") if i == 0 else (whole, "fin")) as server:
        async with entered(make_client(mode, base_url=server.base_url, max_retries=1)) as client:
            _, final, _ = await read_stream(client, "stream")
    assert final.content[0].text == "Hello there, world"
    assert server.connections == 2


# --- timeouts -------------------------------------------------------------------------------------


def stalling_reply() -> Reply:
    """BODY with a 3 s pause after the first text delta (and nowhere else)."""
    first = START + PING + BLOCK + DELTAS[0]
    rest = b"".join(DELTAS[1:]) + TAIL
    padded = first + b": " + b"." * max(0, len(rest) - len(first)) + b"\n"
    return Reply.sse(padded + rest, chunk_size=len(padded), chunk_delay=3.0)


@pytest.mark.parametrize("where", ["client", "request"])
async def test_a_stall_after_content_raises_api_timeout_error(mode: str, emu: Emulator, where: str) -> None:
    emu.enqueue(stalling_reply())
    client_timeout, request_timeout = (0.3, None) if where == "client" else (600.0, httpx2.Timeout(0.3))
    extra = {} if request_timeout is None else {"timeout": request_timeout}
    seen: list[Any] = []
    async with entered(make_client(mode, emu, max_retries=2, timeout=client_timeout)) as client:
        with pytest.raises(APITimeoutError) as info:
            await read_until_error(client, seen, **extra)
    error = info.value
    assert isinstance(error, APIConnectionError)
    assert error.message == "The stream stalled: no bytes within the read timeout."
    assert isinstance(error.__cause__, httpx2.ReadTimeout)
    assert text_of(seen) == "Hello"
    assert error.partial_message.content[0].text == "Hello"
    assert error.request_id == emu.requests[0].request_id
    assert len(emu.requests) == 1


async def test_a_stall_before_content_is_retried(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(latency_ms=1500, times=1, retry_after_ms=0))  # message_start, then nothing for 1.5 s
    emu.enqueue(Reply.text("Slow."), Reply.text("Fast."))
    async with entered(make_client(mode, emu, max_retries=1, timeout=0.3)) as client:
        events, final, _ = await read_stream(client, "stream")
    assert final.content[0].text == "Fast."
    assert [e.type for e in events].count("message_start") == 1
    assert len(emu.requests) == 2


async def test_no_response_within_the_timeout_is_retried_then_api_timeout_error(
    mode: str, backoff_waits: list[float]
) -> None:
    with RawServer(lambda i, request: (b"", "hang")) as server:
        async with entered(make_client(mode, base_url=server.base_url, max_retries=1, timeout=0.2)) as client:
            with pytest.raises(APITimeoutError) as info:
                await read_until_error(client, [])
        assert wait_until(lambda: server.connections == 2)
    assert info.value.message == "Request timed out."
    assert isinstance(info.value.__cause__, httpx2.ReadTimeout)
    assert len(backoff_waits) == 1 and 0.375 <= backoff_waits[0] <= 0.5  # the first backoff, less jitter


class _Retries(logging.Handler):
    """Calls ``on_retry`` at the client's first "Retrying" log record; keeps every record."""

    def __init__(self, on_retry: Any = None) -> None:
        super().__init__(logging.DEBUG)
        self.on_retry = on_retry
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if self.on_retry is not None and record.getMessage().startswith("Retrying"):
            self.on_retry()
            self.on_retry = None

    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records]


@pytest.fixture
def client_log() -> Iterator[_Retries]:
    logger = logging.getLogger("anthropic")
    handler = _Retries()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


@linux_only
async def test_a_connect_timeout_is_retried_and_the_retry_succeeds(
    mode: str, emu: Emulator, client_log: _Retries, backoff_waits: list[float]
) -> None:
    emu.enqueue(Reply.text("Connected at last."))
    with FullBacklog() as backlog:
        client_log.on_retry = lambda: backlog.forward_to(emu.port)
        timeout = httpx2.Timeout(10.0, connect=0.25)
        async with entered(
            make_client(mode, base_url=backlog.base_url, max_retries=2, timeout=timeout)
        ) as client:
            _, final, _ = await read_stream(client, "stream")
        assert backlog.forwarded == 1
    assert final.content[0].text == "Connected at last."
    retries = [m for m in client_log.messages() if m.startswith("Retrying")]
    assert len(retries) == 1 and "Request timed out." in retries[0]
    assert len(backoff_waits) == 1 and 0.375 <= backoff_waits[0] <= 0.5
    assert len(emu.requests) == 1


@linux_only
async def test_connect_timeouts_are_retried_then_raised(
    mode: str, client_log: _Retries, backoff_waits: list[float]
) -> None:
    with FullBacklog() as backlog:
        timeout = httpx2.Timeout(10.0, connect=0.2)
        async with entered(
            make_client(mode, base_url=backlog.base_url, max_retries=1, timeout=timeout)
        ) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError) as info:
                await read_until_error(client, [])
            elapsed = time.monotonic() - started
    assert isinstance(info.value.__cause__, httpx2.ConnectTimeout)
    attempts = [m for m in client_log.messages() if m.startswith("Request POST")]
    assert [m.split("(attempt ")[1][0] for m in attempts] == ["1", "2"]
    assert elapsed >= 0.2 + 0.2  # each attempt waited out its connect timeout
    assert len(backoff_waits) == 1 and 0.375 <= backoff_waits[0] <= 0.5  # and the backoff was asked for


# --- early exit, cancellation, dropped streams: no connection is left behind -----------------------


def _sync_ways(client: Anthropic, way: str) -> None:
    p = params()
    if way == "break":
        with client.messages.stream(**p) as stream:
            for _ in stream:
                break
    elif way == "exception in the loop body":
        with pytest.raises(KeyError), client.messages.stream(**p) as stream:
            for _ in stream:
                raise KeyError("caller's bug")
    elif way == "close() by hand":
        raw = client.messages.create(stream=True, **p)
        next(iter(raw))
        raw.close()
    elif way == "dropped without close":
        stream = client.messages.stream(**p).__enter__()
        next(iter(stream))
        del stream
    elif way == "raw stream dropped":
        raw = client.messages.create(stream=True, **p)
        next(iter(raw))
        del raw
    elif way == "text_stream abandoned":
        with client.messages.stream(**p) as stream:
            next(iter(stream.text_stream))
    else:
        raise AssertionError(way)


async def _async_ways(client: AsyncAnthropic, way: str) -> None:
    p = params()
    if way == "break":
        async with client.messages.stream(**p) as stream:
            async for _ in stream:
                break
    elif way == "exception in the loop body":
        with pytest.raises(KeyError):
            async with client.messages.stream(**p) as stream:
                async for _ in stream:
                    raise KeyError("caller's bug")
    elif way == "close() by hand":
        raw = await client.messages.create(stream=True, **p)
        await raw.__anext__()
        await raw.close()
    elif way == "dropped without close":
        stream = await client.messages.stream(**p).__aenter__()
        await stream.__anext__()
        del stream
    elif way == "raw stream dropped":
        raw = await client.messages.create(stream=True, **p)
        await raw.__anext__()
        del raw
    elif way == "text_stream abandoned":
        async with client.messages.stream(**p) as stream:
            await stream.text_stream.__anext__()
    elif way == "task cancelled":
        first = asyncio.Event()

        async def reader() -> None:
            async with client.messages.stream(**p) as stream:
                async for _ in stream:
                    first.set()

        task = asyncio.ensure_future(reader())
        await first.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    elif way == "raw task cancelled":
        first = asyncio.Event()

        async def raw_reader() -> None:
            raw = await client.messages.create(stream=True, **p)
            async for _ in raw:
                first.set()

        task = asyncio.ensure_future(raw_reader())
        await first.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    elif way == "timeout in the caller":
        deadline = asyncio.timeout(0.05) if hasattr(asyncio, "timeout") else _wait(0.05)
        with pytest.raises(TimeoutError):
            async with deadline, client.messages.stream(**p) as stream:
                async for _ in stream:
                    await asyncio.sleep(1)
    else:
        raise AssertionError(way)


class _wait:
    """``asyncio.timeout`` for Python 3.10."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def __aenter__(self) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handle = asyncio.get_running_loop().call_later(self.seconds, task.cancel)

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        self._handle.cancel()
        if exc_type is asyncio.CancelledError:
            raise TimeoutError from exc
        return False


SYNC_WAYS = [
    "break",
    "exception in the loop body",
    "close() by hand",
    "dropped without close",
    "raw stream dropped",
    "text_stream abandoned",
]
ASYNC_WAYS = [*SYNC_WAYS, "task cancelled", "raw task cancelled", "timeout in the caller"]


async def _settle(check: Any = None, timeout: float = 10.0) -> bool:
    """Collect garbage, then let the event loop run (it closes async generators dropped
    mid-way) until ``check()`` holds.

    It returns as soon as it holds; ``timeout`` only turns a leak into a clear failure
    instead of a hang, and is far above the time the release takes on a loaded machine.
    """
    gc.collect()
    deadline = time.monotonic() + timeout
    while True:
        await asyncio.sleep(0.005)
        if check is None or check():
            return True
        if time.monotonic() > deadline:
            return False


@linux_only
@pytest.mark.parametrize("way", ASYNC_WAYS)
async def test_leaving_a_stream_early_releases_its_connection(mode: str, emu: Emulator, way: str) -> None:
    if mode == "sync" and way not in SYNC_WAYS:
        pytest.skip("an async-only way to leave")
    emu.add_fault(Fault(latency_ms=20))  # the stream is still running when the caller leaves
    async with entered(make_client(mode, emu, max_retries=0)) as client:
        if mode == "sync":
            _sync_ways(client, way)
        else:
            await _async_ways(client, way)
        released = await _settle(lambda: client_sockets(emu.port) == 0)
        assert released, "the connection was neither returned nor closed"
        emu.reset()
        final = (await collect_stream(client, **params())).final_message  # the pool still works
        assert final.stop_reason == "end_turn"


@pytest.mark.soak
@linux_only
async def test_a_thousand_abandoned_streams_leave_no_socket_open(mode: str, emu: Emulator) -> None:
    ways = SYNC_WAYS if mode == "sync" else ASYNC_WAYS
    emu.add_fault(Fault(latency_ms=1))  # every stream is left while its body is still arriving
    emu.enqueue(*[Reply.text("One two three four five six seven eight nine ten.")] * 1000)
    fds_before = open_fds()
    peak = 0
    async with entered(make_client(mode, emu, max_retries=0)) as client:
        for i in range(1000):
            way = ways[i % len(ways)]
            if way == "timeout in the caller":
                way = "task cancelled"  # the same exit, without its deliberate second of waiting
            if mode == "sync":
                _sync_ways(client, way)
            else:
                await _async_ways(client, way)
            if i % 100 == 99:
                await _settle()
                peak = max(peak, client_sockets(emu.port))
        assert await _settle(lambda: client_sockets(emu.port) == 0)
    assert peak <= 2
    assert len(emu.requests) == 1000
    assert wait_until(lambda: open_fds() <= fds_before), (open_fds(), fds_before)


@linux_only
async def test_a_task_cancelled_as_its_stream_ends_releases_the_connection(emu: Emulator) -> None:
    # The cancel lands while the stream is being read or just after its body ended (the whole
    # body arrives in one read): either way the connection goes back to the pool (kept alive when
    # the body was read to its end) or is closed. A pool of one connection proves it: a leaked
    # connection would leave the next request waiting for the pool until its timeout.
    emu.enqueue(*[Reply.text("Short.")] * 11)
    pool = httpx2.AsyncClient(limits=httpx2.Limits(max_connections=1), timeout=httpx2.Timeout(30, pool=5))
    async with AsyncAnthropic(base_url=emu.base_url, api_key="sk-test", max_retries=0, http_client=pool) as client:
        for _ in range(10):
            await _async_ways(client, "task cancelled")
        await _settle()
        assert client_sockets(emu.port) <= 1
        async with client.messages.stream(**params()) as stream:
            assert await stream.get_final_text() == "Short."
    await pool.aclose()
    assert await _settle(lambda: client_sockets(emu.port) == 0)


@linux_only
@pytest.mark.parametrize("kind", ["stream", "raw"])
def test_a_dropped_stream_is_released_without_the_cyclic_garbage_collector(emu: Emulator, kind: str) -> None:
    # Only reference counting, which acts at the caller's `del`, may close a dropped stream.
    # Left to the cyclic collector, httpx2's cleanup would run at whatever allocation triggers a
    # collection -- possibly inside the connection pool's lock, which then deadlocks.
    with Anthropic(base_url=emu.base_url, api_key="sk-test", max_retries=0) as client:
        gc.collect()
        gc.disable()
        try:
            for _ in range(20):
                if kind == "stream":
                    stream: Any = client.messages.stream(**params()).__enter__()
                else:
                    stream = client.messages.create(stream=True, **params())
                next(iter(stream))
                del stream
            left = client_sockets(emu.port)
        finally:
            gc.enable()
    assert left == 0


@linux_only
@pytest.mark.soak
def test_dropping_streams_under_frequent_garbage_collection_never_deadlocks() -> None:
    script = textwrap.dedent(
        """
        import gc
        from anthropic import Anthropic
        from anthropic.emulator import Emulator

        gc.set_threshold(100, 1, 1)
        with Emulator() as emu, Anthropic(base_url=emu.base_url, api_key="sk-test") as client:
            p = dict(model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": "hi"}])
            for _ in range(300):
                stream = client.messages.stream(**p).__enter__()
                next(iter(stream))
                del stream
                raw = client.messages.create(stream=True, **p)
                next(iter(raw))
                del raw
        print("done")
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    try:
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError("dropping streams deadlocked the client") from exc
    assert result.stdout.strip() == "done", result.stderr


# --- load -----------------------------------------------------------------------------------------


@pytest.mark.soak
async def test_two_hundred_concurrent_streams_through_one_client(emu: Emulator) -> None:
    prompts = [f"Request {i}: tell me something about the number {i}" for i in range(200)]
    with Anthropic(base_url=emu.base_url, api_key="sk-test", max_retries=0) as sync_client:
        expected = [
            sync_client.messages.create(**params(messages=[{"role": "user", "content": p}])).model_dump(
                include={"content", "stop_reason", "usage"}
            )
            for p in prompts
        ]
    emu.reset()
    emu.add_fault(Fault(latency_ms=3))
    open_now = 0
    most = 0
    lock = threading.Lock()

    async def one(client: AsyncAnthropic, prompt: str) -> tuple[Any, str | None]:
        nonlocal open_now, most
        async with client.messages.stream(**params(messages=[{"role": "user", "content": prompt}])) as stream:
            first = True
            async for _ in stream:
                if first:
                    with lock:
                        open_now += 1
                        most = max(most, open_now)
                    first = False
            with lock:
                open_now -= 1
            return await stream.get_final_message(), stream.request_id

    async with AsyncAnthropic(base_url=emu.base_url, api_key="sk-test", max_retries=0) as client:
        results = await asyncio.gather(*(one(client, p) for p in prompts))
    finals = [final.model_dump(include={"content", "stop_reason", "usage"}) for final, _ in results]
    assert finals == expected
    ids = [request_id for _, request_id in results]
    assert len(set(ids)) == 200 and set(ids) == {r.request_id for r in emu.requests}
    assert most >= 100, most  # they really ran side by side


@pytest.mark.parametrize("then", ["get_final_message", "iterate"])
async def test_reading_on_after_close_says_the_stream_was_closed(mode: str, emu: Emulator, then: str) -> None:
    emu.add_fault(Fault(latency_ms=20))
    emu.enqueue(Reply.text("Never finished reading this one."))
    async with entered(make_client(mode, emu)) as client:
        async with entered(client.messages.stream(**params())) as stream:
            seen = await drain(stream, limit=4)
        with pytest.raises(IncompleteStreamError) as info:
            if then == "iterate":
                await drain(stream)
            else:
                await call(stream.get_final_message)
        with pytest.raises(IncompleteStreamError):  # and again: never a result
            await call(stream.get_final_message)
    assert info.value.message == "The stream was closed before message_stop: there is no final message."
    assert info.value.partial_message.content[0].text == text_of(seen) != ""
    assert info.value.request_id == emu.requests[0].request_id


# --- replies that are not what they claim to be ---------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        (Reply.sse(b"<html>Bad gateway</html>", headers={"content-type": "text/html"}), "not valid JSON"),
        (Reply.json({"hello": "world"}), "not a Message"),
    ],
    ids=["not-json", "not-a-message"],
)
async def test_a_non_streamed_200_that_is_not_a_message_is_a_validation_error(
    mode: str, emu: Emulator, reply: Reply, says: str
) -> None:
    emu.enqueue(reply)
    async with entered(make_client(mode, emu, max_retries=2)) as client:
        with pytest.raises(APIResponseValidationError) as info:
            await call(client.messages.create, **params())
    assert says in info.value.message
    assert info.value.status_code == 200
    assert info.value.request_id == emu.requests[0].request_id
    assert len(emu.requests) == 1


async def test_a_200_stream_that_is_not_an_event_stream_is_incomplete_and_retried(
    mode: str, emu: Emulator
) -> None:
    not_sse = Reply.json({"type": "message", "content": []})
    emu.enqueue(not_sse, not_sse)
    async with entered(make_client(mode, emu, max_retries=1)) as client:
        with pytest.raises(IncompleteStreamError) as info:
            await read_until_error(client, [])
    assert "0 content block(s) had started" in info.value.message
    assert info.value.partial_message is None
    assert len(emu.requests) == 2


async def test_no_free_connection_in_the_pool_is_a_timeout(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(latency_ms=50))
    limits = httpx2.Limits(max_connections=1)
    user_client = http_client(mode, limits=limits)
    timeout = httpx2.Timeout(10.0, pool=0.1)  # the client's timeout applies, whoever made the pool
    async with entered(
        make_client(mode, emu, http_client=user_client, max_retries=1, timeout=timeout)
    ) as client:
        async with entered(client.messages.stream(**params())) as holding:
            await drain(holding, limit=3)
            with pytest.raises(APITimeoutError) as info:
                await call(client.messages.create, **params())
        assert isinstance(info.value.__cause__, httpx2.PoolTimeout)
        assert len(emu.requests) == 1  # the pool never let the second request out
        emu.reset()
        assert (await call(client.messages.create, **params())).stop_reason == "end_turn"
    await call(user_client.aclose if mode == "async" else user_client.close)


async def test_a_non_streamed_body_cut_short_is_retried(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(disconnect_after=30, times=1, retry_after_ms=0))
    emu.enqueue(Reply.text("Cut."), Reply.text("Whole."))
    async with entered(make_client(mode, emu, max_retries=1)) as client:
        message = await call(client.messages.create, **params())
    assert message.content[0].text == "Whole."
    assert len(emu.requests) == 2


async def test_a_non_streamed_body_that_ends_cleanly_but_short_is_a_validation_error(
    mode: str, emu: Emulator
) -> None:
    # The HTTP message is complete (its last chunk came): the JSON in it is not.
    emu.add_fault(Fault(eof_after=30, times=1, retry_after_ms=0))
    async with entered(make_client(mode, emu, max_retries=1)) as client:
        with pytest.raises(APIResponseValidationError) as info:
            await call(client.messages.create, **params())
    assert "The response body is not valid JSON" in info.value.message
    assert len(emu.requests) == 1
