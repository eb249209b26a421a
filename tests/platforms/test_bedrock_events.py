"""Bedrock stream messages to Messages API event dicts, and exception frames to typed errors."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anthropic import (
    APIStatusError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
    RequestTimeoutError,
    ServiceUnavailableError,
)
from anthropic._errors import ERROR_TYPE_STATUS, error_event_exception
from anthropic.lib.bedrock._events import EXCEPTION_STATUS, BedrockEventDecoder, BedrockProtocolError
from anthropic.lib.bedrock._eventstream import EventStreamError, TruncatedError, encode_message

CHUNK = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}

EVENTS: list[dict[str, Any]] = [
    {
        "type": "message_start",
        "message": {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "content": [],
            "model": "m",
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 3, "output_tokens": 1},
        },
    },
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": 'Hé "/\\ 😀'}},
    {"type": "content_block_stop", "index": 0},
    {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": 5},
    },
    {"type": "message_stop"},
]


def chunk(event: dict[str, Any], *, pad: str | None = None, escape_slash: bool = False) -> bytes:
    b64 = base64.b64encode(json.dumps(event).encode()).decode()
    wrapper: dict[str, str] = {"bytes": b64}
    if pad is not None:
        wrapper["p"] = pad
    payload = json.dumps(wrapper)
    if escape_slash:
        payload = payload.replace("/", "\\/")
    return encode_message(CHUNK, payload.encode())


def exception(kind: str, message: str, **extra: Any) -> bytes:
    headers = {":message-type": "exception", ":exception-type": kind, ":content-type": "application/json"}
    return encode_message(headers, json.dumps({"message": message, **extra}).encode())


def test_chunks_become_the_events_they_carry() -> None:
    body = b"".join(chunk(e) for e in EVENTS)
    assert BedrockEventDecoder().feed(body) == EVENTS


def test_compact_payload_shapes_and_their_near_misses() -> None:
    event = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "?>?>?>"}}
    b64 = base64.b64encode(json.dumps(event).encode())
    good = [
        b'{"bytes":"' + b64 + b'"}',
        b'{"bytes":"' + b64 + b'","p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"}',
        b'{"bytes":"' + b64 + b'","p":"a\\"b"}',  # an escaped quote in the padding: parsed as JSON
        b'{"bytes":"' + b64.replace(b"/", b"\\/") + b'","p":""}',
        b'{"bytes":"' + b64 + b'","q":1}',
    ]
    for payload in good:
        assert BedrockEventDecoder().feed(encode_message(CHUNK, payload)) == [event], payload
    for payload, match in [
        (b'{"bytes":"' + b64 + b'","p":"x"', "not JSON"),
        (b'{"bytes":"' + b64 + b'"}}', "not JSON"),
        (b'{"bytes":"' + b64, "not JSON"),
    ]:
        with pytest.raises(BedrockProtocolError, match=match):
            BedrockEventDecoder().feed(encode_message(CHUNK, payload))


def test_padding_field_and_escaped_slashes_take_the_general_path() -> None:
    event = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "?>?>?>"}}
    body = chunk(event, pad="abcdefghijkl") + chunk(event, escape_slash=True)
    assert BedrockEventDecoder().feed(body) == [event, event]


@given(st.data())
@settings(max_examples=100, deadline=None)
def test_any_chunking_gives_the_same_events(data: st.DataObject) -> None:
    body = b"".join(chunk(e) for e in EVENTS) + exception("throttlingException", "slow")
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=10)))
    dec = BedrockEventDecoder()
    out: list[dict[str, Any]] = []
    start = 0
    for cut in cuts:
        out += dec.feed(body[start:cut])
        start = cut
    out += dec.feed(body[start:])
    dec.end()
    assert out == [*EVENTS, {"type": "error", "error": {"type": "throttlingException", "message": "slow"}}]


def test_other_event_types_are_skipped() -> None:
    other = encode_message({":message-type": "event", ":event-type": "metadata"}, b"{}")
    assert BedrockEventDecoder().feed(other + chunk(EVENTS[-1])) == [EVENTS[-1]]


def test_exception_frames_become_error_events_in_place() -> None:
    body = chunk(EVENTS[0]) + exception(
        "modelStreamErrorException", "model failed", originalStatusCode=500, originalMessage="boom"
    )
    assert BedrockEventDecoder().feed(body) == [
        EVENTS[0],
        {
            "type": "error",
            "error": {
                "type": "modelStreamErrorException",
                "message": "model failed",
                "originalStatusCode": 500,
                "originalMessage": "boom",
            },
        },
    ]


def test_capitalised_message_and_error_messages() -> None:
    upper = encode_message(
        {":message-type": "exception", ":exception-type": "validationException"}, b'{"Message":"bad input"}'
    )
    error = encode_message(
        {":message-type": "error", ":error-code": "InternalFailure", ":error-message": "oops"}, b""
    )
    assert BedrockEventDecoder().feed(upper + error) == [
        {"type": "error", "error": {"type": "validationException", "message": "bad input"}},
        {"type": "error", "error": {"type": "InternalFailure", "message": "oops"}},
    ]


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (b"not json", "chunk payload is not JSON"),
        (b'{"nobytes":"x"}', r'chunk payload is not \{"bytes": BASE64\}'),
        (b'{"bytes":"@@@@"}', "bytes are not base64"),
        (b'{"bytes":"' + base64.b64encode(b"{nope") + b'"}', "does not hold a JSON event"),
        (b'{"bytes":"' + base64.b64encode(b"[1,2]") + b'"}', "JSON that is not an event object"),
    ],
)
def test_bad_chunk_payloads(payload: bytes, match: str) -> None:
    with pytest.raises(BedrockProtocolError, match=match):
        BedrockEventDecoder().feed(encode_message(CHUNK, payload))


def test_messages_without_or_with_unknown_message_type() -> None:
    with pytest.raises(BedrockProtocolError, match="no :message-type header"):
        BedrockEventDecoder().feed(encode_message({":event-type": "chunk"}, b"{}"))
    with pytest.raises(BedrockProtocolError, match="unknown :message-type 'weird'"):
        BedrockEventDecoder().feed(encode_message({":message-type": "weird"}, b""))


def test_protocol_errors_are_event_stream_errors_and_truncation_is_reported() -> None:
    assert issubclass(BedrockProtocolError, EventStreamError)
    dec = BedrockEventDecoder()
    body = chunk(EVENTS[0])
    assert dec.feed(body[:-3]) == []
    assert dec.pending
    with pytest.raises(TruncatedError):
        dec.end()


def test_every_exception_type_maps_to_its_status_and_class() -> None:
    for kind, status in EXCEPTION_STATUS.items():
        assert ERROR_TYPE_STATUS[kind] == status
    response = httpx2.Response(
        200, headers={"request-id": "req_1"}, request=httpx2.Request("POST", "http://x/")
    )
    cases: dict[str, tuple[type[APIStatusError], int]] = {
        "throttlingException": (RateLimitError, 429),
        "validationException": (BadRequestError, 400),
        "internalServerException": (InternalServerError, 500),
        "modelStreamErrorException": (InternalServerError, 500),
        "serviceUnavailableException": (ServiceUnavailableError, 503),
        "modelTimeoutException": (RequestTimeoutError, 408),
        "somethingNewException": (InternalServerError, 500),
    }
    for kind, (cls, status) in cases.items():
        [event] = BedrockEventDecoder().feed(exception(kind, "why"))
        err = error_event_exception(response, event)
        assert type(err) is cls, kind
        assert err.status_code == status
        assert err.request_id == "req_1"
        assert err.error_type == kind
        assert "why" in str(err)
