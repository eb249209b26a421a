"""The emulator over real loopback HTTP: framing, headers, keep-alive, concurrency, lifecycle."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from typing import Any

import httpx2
import pytest
from emulator_support import API_HEADERS, accumulate, parse_sse

from anthropic.emulator import Emulator, Reply

REQUEST_ID = re.compile(r"^req_[0-9A-Za-z]{24}$")
BODY = {
    "model": "claude-test",
    "max_tokens": 256,
    "messages": [{"role": "user", "content": "Tell me a story"}],
}


def raw_exchange(port: int, payload: bytes, *, read_until: bytes | None = None, timeout: float = 5) -> bytes:
    """Send raw bytes on a fresh connection and read until EOF (or until ``read_until`` is seen)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(payload)
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if read_until is not None and data.count(read_until) >= 1:
                break
        return data


def post_bytes(body: bytes, headers: dict[str, str] | None = None) -> bytes:
    head = {"host": "x", "content-type": "application/json", "content-length": str(len(body)), **API_HEADERS}
    head.update(headers or {})
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    return f"POST /v1/messages HTTP/1.1\r\n{lines}\r\n".encode() + body


def test_json_reply_headers_and_body(http: httpx2.Client) -> None:
    r = http.post("/v1/messages", json=BODY)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert REQUEST_ID.match(r.headers["request-id"])
    assert int(r.headers["content-length"]) == len(r.content)
    message = r.json()
    assert message["type"] == "message" and message["role"] == "assistant"
    assert message["model"] == "claude-test"
    assert message["id"].startswith("msg_")
    assert message["usage"]["input_tokens"] > 0 and message["usage"]["output_tokens"] > 0


def test_streamed_reply_is_chunked_sse_with_the_same_content(http: httpx2.Client) -> None:
    plain = http.post("/v1/messages", json=BODY).json()
    with http.stream("POST", "/v1/messages", json={**BODY, "stream": True}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in r.headers
        assert REQUEST_ID.match(r.headers["request-id"])
        body = r.read()
    assert accumulate(parse_sse(body)) == plain


def test_every_response_has_a_fresh_request_id_also_in_error_bodies(http: httpx2.Client) -> None:
    ids = set()
    for r in (
        http.post("/v1/messages", json=BODY),
        http.post("/v1/messages", json={**BODY, "max_tokens": 0}),
        http.post("/v1/nowhere", json=BODY),
        http.get("/v1/messages"),
        http.post("/v1/messages/count_tokens", json=BODY),
    ):
        rid = r.headers["request-id"]
        assert REQUEST_ID.match(rid)
        if r.status_code >= 400:
            assert r.json()["request_id"] == rid
        ids.add(rid)
    assert len(ids) == 5


def test_count_tokens_matches_the_usage_of_a_reply(http: httpx2.Client) -> None:
    tools = [{"name": "f", "input_schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}]
    body = {**BODY, "system": "Be brief.", "tools": tools}
    count = http.post("/v1/messages/count_tokens", json={k: v for k, v in body.items() if k != "max_tokens"})
    assert count.status_code == 200
    assert count.json() == {
        "input_tokens": http.post("/v1/messages", json=body).json()["usage"]["input_tokens"]
    }


def test_same_request_same_reply_across_emulators() -> None:
    with Emulator() as a, Emulator() as b:
        ra = httpx2.post(a.base_url + "/v1/messages", json=BODY, headers=API_HEADERS)
        rb = httpx2.post(b.base_url + "/v1/messages", json=BODY, headers=API_HEADERS)
    assert ra.json() == rb.json()
    assert ra.headers["request-id"] != rb.headers["request-id"]


def test_keep_alive_serves_several_requests_on_one_connection(own_emu: Emulator) -> None:
    one = post_bytes(b'{"model":"m","max_tokens":50,"messages":[{"role":"user","content":"Count to 3"}]}')
    data = raw_exchange(
        own_emu.port, one + one + one + b"GET /v1/nowhere HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
    )
    assert data.count(b"HTTP/1.1 200 ") == 3
    assert data.count(b"HTTP/1.1 404 ") == 1
    assert data.count(b'"text":"1, 2, 3."') == 3


def test_streams_flush_each_event_as_it_is_produced(http: httpx2.Client, own_emu: Emulator) -> None:
    from anthropic.emulator import Fault

    own_emu.add_fault(Fault(latency_ms=30))
    arrivals = []
    with http.stream("POST", "/v1/messages", json={**BODY, "stream": True, "max_tokens": 6}) as r:
        for chunk in r.iter_raw():
            arrivals.append((time.monotonic(), chunk))
    events = parse_sse(b"".join(c for _, c in arrivals))
    assert len(arrivals) >= len(events) // 2 > 2  # pieces arrive apart, not as one body
    assert arrivals[-1][0] - arrivals[0][0] >= 0.03 * (len(events) - 2)


@pytest.mark.soak
def test_two_hundred_concurrent_streams() -> None:
    async def run(base_url: str) -> list[dict[str, Any]]:
        limits = httpx2.Limits(max_connections=250, max_keepalive_connections=250)
        async with httpx2.AsyncClient(
            base_url=base_url, headers=API_HEADERS, limits=limits, timeout=30
        ) as client:

            async def one(i: int) -> dict[str, Any]:
                body = {**BODY, "stream": True, "messages": [{"role": "user", "content": f"Count to {i}"}]}
                async with client.stream("POST", "/v1/messages", json=body) as r:
                    assert r.status_code == 200
                    return accumulate(parse_sse(await r.aread()))

            return await asyncio.gather(*(one(i) for i in range(1, 201)))

    with Emulator() as emu:
        messages = asyncio.run(run(emu.base_url))  # a stall would end in the client's read timeout
    for i, message in enumerate(messages, start=1):
        expected = ", ".join(str(n) for n in range(1, i + 1)) + "."
        if message["stop_reason"] == "end_turn":
            assert message["content"][0]["text"] == expected
        else:
            assert message["stop_reason"] == "max_tokens"
            assert expected.startswith(message["content"][0]["text"])


def test_malformed_http_gets_400_and_the_server_lives_on(own_emu: Emulator) -> None:
    for garbage in (
        b"NOT HTTP AT ALL\r\n\r\n",
        b"GET / HTTP/1.1\r\nbad header line\r\n\r\n",
        b"\x00\xff" * 50 + b"\r\n\r\n",
    ):
        reply = raw_exchange(own_emu.port, garbage)
        assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]
        assert b'"invalid_request_error"' in reply
    with socket.create_connection(("127.0.0.1", own_emu.port)) as sock:  # half a request, then hang up
        sock.sendall(b"POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{")
    r = httpx2.post(own_emu.base_url + "/v1/messages", json=BODY, headers=API_HEADERS)
    assert r.status_code == 200


def test_chunked_request_bodies_are_read(own_emu: Emulator) -> None:
    def gen() -> Any:
        yield b'{"model":"m","max_tokens":50,'
        yield b'"messages":[{"role":"user","content":"Say chunked"}]}'

    r = httpx2.post(
        own_emu.base_url + "/v1/messages",
        content=gen(),
        headers={**API_HEADERS, "content-type": "application/json"},
    )
    assert r.status_code == 200
    assert r.json()["content"][0]["text"] == "chunked"
    assert own_emu.requests[-1].headers.get("transfer-encoding") == "chunked"


# --- lifecycle --------------------------------------------------------------------------------


def test_starts_on_an_ephemeral_port_ready_to_serve_and_stops_idempotently() -> None:
    emu = Emulator().start()
    try:
        assert emu.port > 0 and emu.base_url == f"http://127.0.0.1:{emu.port}"
        assert httpx2.post(emu.base_url + "/v1/messages", json=BODY, headers=API_HEADERS).status_code == 200
    finally:
        emu.stop()
    emu.stop()
    assert not emu.running
    with pytest.raises(RuntimeError, match="not running"):
        emu.base_url  # noqa: B018
    with pytest.raises(httpx2.ConnectError):
        httpx2.post(f"http://127.0.0.1:{emu.port}/v1/messages", json=BODY, headers=API_HEADERS)


def test_a_given_port_is_used_and_a_busy_port_fails_at_start() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Emulator(port=port) as emu:
        assert emu.base_url == f"http://127.0.0.1:{port}"
        with pytest.raises(OSError):
            Emulator(port=port).start()


def test_async_with_from_a_running_event_loop() -> None:
    async def main() -> str:
        async with Emulator() as emu, httpx2.AsyncClient(base_url=emu.base_url, headers=API_HEADERS) as client:
            r = await client.post(
                "/v1/messages", json={**BODY, "messages": [{"role": "user", "content": "Say async"}]}
            )
            return str(r.json()["content"][0]["text"])

    assert asyncio.run(main()) == "async"


def test_stop_drops_open_streams_promptly() -> None:
    from anthropic.emulator import Fault

    emu = Emulator().start()
    emu.add_fault(Fault(latency_ms=200))
    errors: list[BaseException] = []
    streaming = threading.Event()
    chunks = 0

    def reader() -> None:
        nonlocal chunks
        try:
            with httpx2.stream(
                "POST",
                emu.base_url + "/v1/messages",
                json={**BODY, "stream": True},
                headers=API_HEADERS,
                timeout=10,
            ) as r:
                for _ in r.iter_raw():
                    chunks += 1
                    streaming.set()
        except httpx2.HTTPError as exc:
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    assert streaming.wait(30)  # the stream is under way (its events are 200 ms apart)
    emu.stop()
    thread.join(30)
    assert not thread.is_alive()
    # Dropped, not waited out: the reader saw the connection break before the stream's end.
    assert errors and isinstance(errors[0], (httpx2.RemoteProtocolError, httpx2.ReadError))


def test_scripted_reply_survives_restart_of_nothing_else() -> None:
    emu = Emulator()
    emu.enqueue(Reply.text("queued before start"))
    with emu:
        r = httpx2.post(emu.base_url + "/v1/messages", json=BODY, headers=API_HEADERS)
        assert r.json()["content"][0]["text"] == "queued before start"


def test_head_gets_a_bodiless_405_and_the_connection_stays_usable(http: httpx2.Client) -> None:
    r = http.head("/v1/messages")
    assert r.status_code == 405 and r.content == b""
    assert http.post("/v1/messages", json=BODY).status_code == 200


def test_ipv6_loopback() -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with Emulator(host="::1") as emu:
        assert emu.base_url == f"http://[::1]:{emu.port}"
        assert httpx2.post(emu.base_url + "/v1/messages", json=BODY, headers=API_HEADERS).status_code == 200
