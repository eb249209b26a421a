"""Faults on demand, through the header and the Python API, checked on the wire."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx2
import pytest
from emulator_support import accumulate, parse_sse

from anthropic.emulator import Emulator, Fault, Reply
from anthropic.emulator._faults import parse_fault_header
from anthropic.emulator._wire import Rejected

BODY = {
    "model": "claude-test",
    "max_tokens": 256,
    "messages": [{"role": "user", "content": "Tell me a story"}],
}
STREAM = {**BODY, "stream": True}


def post(http: httpx2.Client, fault: str | None = None, body: dict[str, Any] = BODY) -> httpx2.Response:
    headers = {"x-emulator-fault": fault} if fault is not None else {}
    return http.post("/v1/messages", json=body, headers=headers)


# --- the header grammar -----------------------------------------------------------------------


def test_header_grammar() -> None:
    assert parse_fault_header("status=529; retry_after=1.5 ;times=2;key=abc") == Fault(
        status=529, retry_after=1.5, times=2, key="abc"
    )
    assert parse_fault_header(" should_retry = false ; retry_after_ms=250;") == Fault(
        should_retry=False, retry_after_ms=250
    )
    assert parse_fault_header("error_event=api_error;error_event_after=3;message=went wrong") == Fault(
        error_event="api_error", error_event_after=3, message="went wrong"
    )
    assert parse_fault_header("disconnect_after=10;eof_after=5;latency_ms=7") == Fault(
        disconnect_after=10, eof_after=5, latency_ms=7
    )
    assert parse_fault_header("error_event_after=2").error_event == "overloaded_error"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("colour=red", "x-emulator-fault: unknown fault 'colour'"),
        ("status", "x-emulator-fault: expected name=value, got 'status'"),
        ("status=abc", "x-emulator-fault: status: invalid value 'abc'"),
        ("status=200", "x-emulator-fault: Fault.status must be an error status (400-599), not 200"),
        ("times=-1", "x-emulator-fault: Fault.times must not be negative"),
        ("should_retry=maybe", "x-emulator-fault: should_retry: invalid value 'maybe'"),
        ("key=", "x-emulator-fault: key: invalid value ''"),
    ],
)
def test_bad_fault_headers_are_400_naming_the_problem(http: httpx2.Client, header: str, message: str) -> None:
    with pytest.raises(Rejected) as info:
        parse_fault_header(header)
    assert info.value.message == message
    r = post(http, header)
    assert r.status_code == 400
    assert r.json()["error"] == {"type": "invalid_request_error", "message": message}


def test_fault_constructor_checks_its_fields() -> None:
    with pytest.raises(ValueError, match="400-599"):
        Fault(status=302)
    with pytest.raises(ValueError, match="disconnect_after"):
        Fault(disconnect_after=-3)


# --- status faults ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, "invalid_request_error"),
        (401, "authentication_error"),
        (403, "permission_error"),
        (404, "not_found_error"),
        (413, "request_too_large"),
        (429, "rate_limit_error"),
        (500, "api_error"),
        (504, "timeout_error"),
        (529, "overloaded_error"),
    ],
)
def test_status_fault_is_an_api_shaped_error(http: httpx2.Client, status: int, error_type: str) -> None:
    r = post(http, f"status={status}")
    assert r.status_code == status
    body = r.json()
    assert body["type"] == "error"
    assert body["error"]["type"] == error_type
    assert body["error"]["message"]
    assert body["request_id"] == r.headers["request-id"]


def test_retry_headers(http: httpx2.Client) -> None:
    r = post(http, "status=529;retry_after=2;retry_after_ms=1500;should_retry=true")
    assert r.headers["retry-after"] == "2"
    assert r.headers["retry-after-ms"] == "1500"
    assert r.headers["x-should-retry"] == "true"
    r = post(http, "status=429;retry_after=0.5;should_retry=false;message=slow down")
    assert r.headers["retry-after"] == "0.5"
    assert r.headers["x-should-retry"] == "false"
    assert r.json()["error"]["message"] == "slow down"
    assert "retry-after" not in post(http, "status=500").headers


def test_header_fault_with_times_and_key_then_success(http: httpx2.Client) -> None:
    codes = [post(http, "status=529;times=2;key=alpha").status_code for _ in range(4)]
    assert codes == [529, 529, 200, 200]
    # Another key has its own count; the same spec without a key is counted by its text.
    assert post(http, "status=529;times=1;key=beta").status_code == 529
    assert [post(http, "status=503;times=1").status_code for _ in range(2)] == [503, 200]
    assert post(http, "times=1; status=503").status_code == 200  # same spec, other spelling


def test_header_fault_without_times_applies_every_time(http: httpx2.Client) -> None:
    assert [post(http, "status=500").status_code for _ in range(3)] == [500, 500, 500]


def test_added_fault_applies_to_the_next_requests_then_stops(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.add_fault(Fault(status=529, retry_after=0, times=2))
    responses = [post(http) for _ in range(3)]
    assert [r.status_code for r in responses] == [529, 529, 200]
    assert responses[0].headers["retry-after"] == "0"


def test_added_fault_with_a_key_matches_only_requests_carrying_it(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.add_fault(Fault(status=500, key="mine", times=1))
    assert post(http).status_code == 200
    assert post(http, "key=other").status_code == 200
    assert post(http, "key=mine").status_code == 500
    assert post(http, "key=mine").status_code == 200


def test_status_faults_do_not_consume_scripted_replies(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.enqueue(Reply.text("after the storm"))
    own_emu.add_fault(Fault(status=529, times=2))
    assert [post(http).status_code for _ in range(2)] == [529, 529]
    assert own_emu.pending_replies == 1
    assert post(http).json()["content"][0]["text"] == "after the storm"


def test_status_fault_wins_over_validation_and_auth(own_emu: Emulator) -> None:
    r = httpx2.post(
        own_emu.base_url + "/v1/messages", content=b"not json", headers={"x-emulator-fault": "status=529"}
    )
    assert r.status_code == 529


# --- error events -----------------------------------------------------------------------------


def test_error_event_after_message_start(http: httpx2.Client) -> None:
    r = post(http, "error_event=overloaded_error", STREAM)
    assert r.status_code == 200
    events = parse_sse(r.content)
    assert [n for n, _ in events] == ["message_start", "ping", "error"]
    assert events[-1][1] == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


def test_error_event_after_k_deltas(http: httpx2.Client) -> None:
    events = parse_sse(
        post(http, "error_event=api_error;error_event_after=4;message=lost it", STREAM).content
    )
    names = [n for n, _ in events]
    assert names.count("content_block_delta") == 4
    assert names[-1] == "error" and "message_stop" not in names
    assert events[-1][1]["error"] == {"type": "api_error", "message": "lost it"}


def test_error_event_on_a_non_streamed_request_is_that_errors_status(http: httpx2.Client) -> None:
    r = post(http, "error_event=overloaded_error")
    assert r.status_code == 529
    assert r.json()["error"]["type"] == "overloaded_error"


# --- cutting the body -------------------------------------------------------------------------


def read_raw_response(port: int, body: dict[str, Any], fault: str) -> tuple[bytes, bytes, bool]:
    """``(head, body bytes after de-chunking, reset)`` for one request on a raw socket."""
    payload = json.dumps(body).encode()
    head = (
        "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        f"x-api-key: k\r\nanthropic-version: 2023-06-01\r\nx-emulator-fault: {fault}\r\n"
        f"content-length: {len(payload)}\r\n\r\n"
    ).encode()
    data, reset = b"", False
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head + payload)
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                reset = True
                break
            if not chunk:
                break
            data += chunk
            if data.endswith(b"\r\n0\r\n\r\n"):
                break
    head_bytes, _, rest = data.partition(b"\r\n\r\n")
    return head_bytes, rest, reset


def dechunk(raw: bytes) -> tuple[bytes, bool]:
    """The payload of a chunked body and whether its terminating chunk arrived."""
    out = b""
    while raw:
        size_line, _, raw = raw.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return out, True
        out += raw[:size]
        raw = raw[size + 2 :]
    return out, False


@pytest.mark.parametrize("n", [0, 1, 57, 700])
def test_disconnect_after_n_body_bytes_resets_without_a_last_chunk(
    own_emu: Emulator, http: httpx2.Client, n: int
) -> None:
    full = post(http, None, STREAM).content
    head, raw, reset = read_raw_response(own_emu.port, STREAM, f"disconnect_after={n}")
    assert head.startswith(b"HTTP/1.1 200 ")
    payload, terminated = dechunk(raw)
    assert payload == full[:n]
    assert not terminated
    assert reset
    with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):
        post(http, f"disconnect_after={n}", STREAM)


def test_disconnect_after_on_a_json_reply(own_emu: Emulator, http: httpx2.Client) -> None:
    full = post(http).content
    head, raw, reset = read_raw_response(own_emu.port, BODY, "disconnect_after=20")
    assert f"content-length: {len(full)}".encode() in head
    assert raw == full[:20] and reset


@pytest.mark.parametrize("n", [0, 33, 500])
def test_eof_after_n_body_bytes_ends_the_response_cleanly(own_emu: Emulator, http: httpx2.Client, n: int) -> None:
    full = post(http, None, STREAM).content
    r = post(http, f"eof_after={n}", STREAM)  # a complete HTTP response...
    assert r.status_code == 200
    assert r.content == full[:n]  # ...of a truncated SSE body
    _, raw, reset = read_raw_response(own_emu.port, STREAM, f"eof_after={n}")
    assert dechunk(raw) == (full[:n], True) and not reset
    assert post(http).status_code == 200  # the keep-alive connection is still usable


def test_eof_after_on_a_json_reply_is_chunked(http: httpx2.Client) -> None:
    full = post(http).content
    r = post(http, "eof_after=15")
    assert r.headers["transfer-encoding"] == "chunked"
    assert r.content == full[:15]


def test_latency_between_events(http: httpx2.Client) -> None:
    body = {**STREAM, "max_tokens": 5}
    started = time.monotonic()
    events = parse_sse(post(http, "latency_ms=40", body).content)
    elapsed = time.monotonic() - started
    assert elapsed >= 0.04 * (len(events) - 1) * 0.9
    accumulate(events)
    started = time.monotonic()
    post(http, "latency_ms=150")
    assert time.monotonic() - started >= 0.14


def test_fault_on_a_scripted_sse_reply_cuts_the_recorded_body(own_emu: Emulator, http: httpx2.Client) -> None:
    recorded = post(http, None, STREAM).content
    own_emu.enqueue(Reply.sse(recorded, chunk_size=7, fault=Fault(eof_after=120)))
    r = post(http, None, STREAM)
    assert r.status_code == 200 and r.content == recorded[:120]


def test_reply_fault_and_added_fault_combine(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.add_fault(Fault(retry_after=3, times=1))
    own_emu.enqueue(Reply.text("hi", fault=Fault(status=503)))
    r = post(http)
    assert r.status_code == 503 and r.headers["retry-after"] == "3"
    assert own_emu.pending_replies == 0
