"""Typed errors end to end: status errors and their retries, error events, streams that end short, bad data.

Each test asserts the exception's type, its fields (status, request id, body,
partial message) and its message, and what the emulator saw (how many
attempts).  What happens to a stream that fails part-way (error events, cut
bodies, stalls, timeouts: retried before content, raised after it) is
``test_resilience.py``'s concern.  Retries never sleep: the suite records the
backoff instead (the ``backoff_waits`` fixture).
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

import anthropic
from _helpers import (
    REQUEST_ID,
    call,
    client_for,
    collect_raw,
    drain,
    each,
    entered,
    params,
    sse_body,
    sse_reply,
)
from anthropic import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    BillingError,
    ConflictError,
    DeadlineExceededError,
    IncompleteStreamError,
    InternalServerError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from anthropic.emulator import Emulator, Fault, Reply

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]


STATUS_CLASSES = [
    (400, "invalid_request_error", BadRequestError),
    (401, "authentication_error", AuthenticationError),
    (402, "billing_error", BillingError),
    (403, "permission_error", PermissionDeniedError),
    (404, "not_found_error", NotFoundError),
    (409, "conflict_error", ConflictError),
    (413, "request_too_large", RequestTooLargeError),
    (422, "unprocessable_error", UnprocessableEntityError),
    (429, "rate_limit_error", RateLimitError),
    (500, "api_error", InternalServerError),
    (503, "api_error", ServiceUnavailableError),
    (504, "timeout_error", DeadlineExceededError),
    (529, "overloaded_error", OverloadedError),
]
ERROR_EVENTS = [
    ("overloaded_error", OverloadedError, 529),
    ("rate_limit_error", RateLimitError, 429),
    ("api_error", InternalServerError, 500),
    ("invalid_request_error", BadRequestError, 400),
    ("authentication_error", AuthenticationError, 401),
    ("timeout_error", DeadlineExceededError, 504),
]


def events_of(name: str) -> list[bytes]:
    """The events of a fixture body (LF line endings), each with its blank line."""
    return [chunk + b"\n\n" for chunk in sse_body(name).split(b"\n\n") if chunk.strip()]


def error_event(error_type: str, message: str) -> bytes:
    return (f'event: error\ndata: {{"type": "error", "error": {{"type": "{error_type}", '
            f'"message": "{message}"}}}}\n\n').encode()


async def open_and_read(client: Any, *, raw: bool = False, **overrides: Any) -> list[Any]:
    """Stream a request to the end, collecting events until it raises."""
    seen: list[Any] = []
    if raw:
        stream = await call(client.messages.create, stream=True, **params(**overrides))
        async with entered(stream):
            async for event in each(stream):
                seen.append(event)
        return seen
    async with entered(client.messages.stream(**params(**overrides))) as stream:
        async for event in each(stream):
            seen.append(event)
        await call(stream.get_final_message)
    return seen


# --- 4xx / 5xx ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "error_type", "cls"), STATUS_CLASSES, ids=[str(s[0]) for s in STATUS_CLASSES])
@pytest.mark.parametrize("how", ["create", "stream", "raw"])
async def test_status_errors_are_typed(mode: str, emu: Emulator, status: int, error_type: str,
                                       cls: type[APIStatusError], how: str) -> None:
    emu.enqueue(Reply.error(status, error_type, f"Something about {error_type}"))
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(APIStatusError) as info:
            if how == "create":
                await call(client.messages.create, **params())
            else:
                await open_and_read(client, raw=how == "raw")
    error = info.value
    assert type(error) is cls
    assert isinstance(error, APIError) and isinstance(error, anthropic.AnthropicError)
    request_id = emu.requests[0].request_id
    assert (error.status_code, error.request_id) == (status, request_id)
    assert error.response.status_code == status
    assert error.body == {"type": "error", "error": {"type": error_type, "message": f"Something about {error_type}"},
                          "request_id": request_id}
    assert str(status) in str(error) and f"Something about {error_type}" in str(error)
    assert request_id in str(error)
    assert len(emu.requests) == 1
    if status >= 500:
        assert isinstance(error, InternalServerError)


async def test_an_error_body_that_is_not_json_is_kept_as_text(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply(kind="json", body=b"<html>Bad Gateway</html>", status=502, headers={"content-type": "text/html"}))
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(InternalServerError) as info:
            await call(client.messages.create, **params())
    assert info.value.status_code == 502
    assert info.value.body == "<html>Bad Gateway</html>"
    assert "502" in str(info.value)


# --- retries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["create", "stream", "raw"])
async def test_retry_then_success(mode: str, emu: Emulator, how: str) -> None:
    emu.add_fault(Fault(status=529, retry_after=0, times=2))
    emu.enqueue(Reply.text("Third time lucky.") if how == "create" else sse_reply("text_recorded"))
    async with client_for(mode, emu, max_retries=2) as client:
        if how == "create":
            message = await call(client.messages.create, **params())
            assert message.content[0].text == "Third time lucky."
        else:
            events = await open_and_read(client, raw=how == "raw")
            assert events[-1].type == "message_stop"
            assert sum(e.type == "content_block_delta" for e in events) == 4
    assert len(emu.requests) == 3
    assert len({r.request_id for r in emu.requests}) == 3
    assert all(r.json == emu.requests[0].json for r in emu.requests)


async def test_retry_after_ms_is_honoured_and_retries_are_counted(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(status=429, retry_after_ms=0, times=1))
    async with client_for(mode, emu, max_retries=1) as client:
        message = await call(client.messages.create, **params())
    assert message.type == "message"
    assert len(emu.requests) == 2


async def test_retries_run_out(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(status=529, retry_after=0))
    async with client_for(mode, emu, max_retries=2) as client:
        with pytest.raises(OverloadedError) as info:
            await open_and_read(client)
    assert len(emu.requests) == 3
    assert info.value.request_id == emu.requests[-1].request_id


async def test_max_retries_zero_sends_once(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(status=500, retry_after=0))
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(InternalServerError):
            await call(client.messages.create, **params())
        with pytest.raises(InternalServerError):
            await call(client.with_options(max_retries=0).messages.create, **params())
    assert len(emu.requests) == 2


async def test_x_should_retry_false_stops_a_retryable_status(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(status=529, retry_after=0, should_retry=False, times=1))
    async with client_for(mode, emu, max_retries=2) as client:
        with pytest.raises(OverloadedError):
            await open_and_read(client)
    assert len(emu.requests) == 1


async def test_x_should_retry_true_retries_any_status(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(status=400, retry_after=0, should_retry=True, times=1))
    async with client_for(mode, emu, max_retries=2) as client:
        message = await call(client.messages.create, **params())
    assert message.type == "message"
    assert len(emu.requests) == 2


async def test_client_errors_are_not_retried(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(status=400, retry_after=0))
    async with client_for(mode, emu, max_retries=2) as client:
        with pytest.raises(BadRequestError):
            await call(client.messages.create, **params())
    assert len(emu.requests) == 1


async def test_a_refused_connection_is_retried_then_reported(mode: str) -> None:
    import socket

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with client_for(mode, None, base_url=f"http://127.0.0.1:{port}", max_retries=1) as client:
        with pytest.raises(APIConnectionError) as info:
            await call(client.messages.create, **params())
    assert not isinstance(info.value, httpx2.HTTPError)
    assert "onnection" in str(info.value)
    assert isinstance(info.value.__cause__, httpx2.ConnectError)


# --- error events inside a 200 stream -----------------------------------------------------------


@pytest.mark.parametrize(("error_type", "cls", "status"), ERROR_EVENTS, ids=[e[0] for e in ERROR_EVENTS])
@pytest.mark.parametrize("raw", [False, True], ids=["stream", "raw"])
async def test_error_event_raises_the_matching_status_error(mode: str, emu: Emulator, error_type: str,
                                                            cls: type[APIStatusError], status: int, raw: bool) -> None:
    body = [events_of("text_recorded")[0], error_event(error_type, "It went wrong")]
    emu.enqueue(Reply.sse(b"".join(body), headers={"request-id": REQUEST_ID}))
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(APIStatusError) as info:
            await open_and_read(client, raw=raw)
    error = info.value
    assert type(error) is cls
    assert error.status_code == status
    assert error.response.status_code == 200
    assert error.request_id == REQUEST_ID
    assert error.body == {"type": "error", "error": {"type": error_type, "message": "It went wrong"}}
    assert "It went wrong" in str(error) and REQUEST_ID in str(error)
    assert len(emu.requests) == 1
async def test_get_final_message_after_an_error_event_raises_too(mode: str, emu: Emulator) -> None:
    body = [*events_of("text_recorded")[:6], error_event("api_error", "Internal server error")]
    emu.enqueue(Reply.sse(b"".join(body)))
    async with client_for(mode, emu, max_retries=0) as client, entered(client.messages.stream(**params())) as stream:
        with pytest.raises(InternalServerError):
            await call(stream.get_final_message)
        with pytest.raises(APIError):
            await call(stream.get_final_message)  # a second call does not return the partial message
        with pytest.raises(APIError):
            await call(stream.get_final_text)


# --- broken connections, truncated bodies, bad data ---------------------------------------------
@pytest.mark.parametrize("where", ["iterate", "get_final_message", "get_final_text", "until_done", "text_stream"])
async def test_a_clean_eof_before_message_stop_is_never_a_result(mode: str, emu: Emulator, where: str) -> None:
    body = sse_body("text_recorded")
    cut = body.index(b"event: message_delta")
    emu.enqueue(sse_reply("text_recorded", fault=Fault(eof_after=cut)))
    async with client_for(mode, emu, max_retries=2) as client, entered(client.messages.stream(**params())) as stream:
        with pytest.raises(IncompleteStreamError) as info:
            if where == "iterate":
                await drain(stream)
            elif where == "text_stream":
                await drain(stream.text_stream)
            else:
                await call(getattr(stream, where))
        with pytest.raises(IncompleteStreamError):
            await call(stream.get_final_message)  # asked again: still no result
    error = info.value
    assert isinstance(error, APIConnectionError) and isinstance(error, APIError)
    assert error.request_id == REQUEST_ID
    assert "message_stop" in str(error)
    text = "Once upon a time, in a café by the fjord, a lighthouse keeper 🌊 counted ships — and one night, a ship counted him.\n\nThe end."
    assert error.partial_message.content[0].text == text
    assert error.partial_message.stop_reason is None
    assert len(emu.requests) == 1


async def test_a_raw_stream_cut_short_raises_too(mode: str, emu: Emulator) -> None:
    body = sse_body("tool_use")
    cut = body.index(b"event: content_block_stop", body.index(b'"index":1'))
    emu.enqueue(sse_reply("tool_use", fault=Fault(eof_after=cut)))
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(IncompleteStreamError) as info:
            await collect_raw(client, **params())
    assert info.value.partial_message.content[1].input == {"location": "San Francisco, CA", "unit": "fahrenheit"}


async def test_a_body_cut_inside_an_event_is_incomplete(mode: str, emu: Emulator) -> None:
    body = b"".join(events_of("text_recorded"))
    cut = body.index(b"message_stop") + 5
    emu.enqueue(Reply.sse(body[:cut], headers={"request-id": REQUEST_ID}))
    async with client_for(mode, emu, max_retries=0) as client, entered(client.messages.stream(**params())) as stream:
        with pytest.raises(IncompleteStreamError, match="inside an event"):
            await call(stream.get_final_message)


async def test_an_empty_body_is_incomplete(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.sse(b"", headers={"request-id": REQUEST_ID}))
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(IncompleteStreamError) as info:
            await open_and_read(client)
    assert info.value.partial_message is None
    assert info.value.request_id == REQUEST_ID


async def test_malformed_json_is_a_response_validation_error(mode: str, emu: Emulator) -> None:
    bad = b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"oops}\n\n'
    body = b"".join(events_of("text_recorded")[:4]) + bad
    emu.enqueue(Reply.sse(body, headers={"request-id": REQUEST_ID}))
    async with client_for(mode, emu, max_retries=2) as client:
        with pytest.raises(APIResponseValidationError) as info:
            await open_and_read(client)
    error = info.value
    assert "not valid JSON" in str(error)
    assert "content_block_delta" in str(error)
    assert error.request_id == REQUEST_ID
    assert error.status_code == 200
    assert error.partial_message.content[0].text == "Once upon a time"
    assert len(emu.requests) == 1


async def test_events_out_of_order_are_a_response_validation_error(mode: str, emu: Emulator) -> None:
    events = events_of("text_recorded")
    emu.enqueue(Reply.sse(events[0] + events[3]))  # a delta for a block that never started
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(APIResponseValidationError, match="index"):
            await open_and_read(client)
