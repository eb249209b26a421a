"""The emulator under abuse, over loopback: bounded work, timeouts, limits, no 500s, no leaks.

Every test asserts outcomes or events, never how long something took; socket
timeouts are only there so a broken server fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Any

import httpx2
import pytest
from emulator_support import API_HEADERS

from anthropic.emulator import Emulator, Fault
from anthropic.emulator._handler import Call, Response, Route
from anthropic.emulator._routes import API_ROUTES

BODY: dict[str, Any] = {
    "model": "claude-test",
    "max_tokens": 256,
    "messages": [{"role": "user", "content": "Hello"}],
}
HANG_GUARD = 30.0  # seconds: only so that a broken server fails instead of hanging


def read_until_closed(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def raw_post(body: bytes, extra_headers: str = "") -> bytes:
    return (
        "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        f"x-api-key: k\r\nanthropic-version: 2023-06-01\r\n{extra_headers}"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body


def read_one_response(sock: socket.socket) -> bytes:
    """One whole response with a content-length body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before a response head: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk
        rest += chunk
    return head + b"\r\n\r\n" + rest


# --- bounded work ----------------------------------------------------------------------------------


def tool(schema: dict[str, Any], name: str = "build") -> dict[str, Any]:
    return {"name": name, "description": "d", "input_schema": schema}


def test_a_self_referencing_schema_gets_a_bounded_answer(http: httpx2.Client) -> None:
    schema = {
        "type": "object",
        "properties": {
            "left": {"$ref": "#"},
            "right": {"$ref": "#"},
            "kids": {"type": "array", "items": {"$ref": "#"}},
        },
        "required": ["left", "right", "kids"],
    }
    body = {**BODY, "tools": [tool(schema)], "tool_choice": {"type": "any"}}
    r = http.post("/v1/messages", json=body)
    assert r.status_code == 200
    call = next(b for b in r.json()["content"] if b["type"] == "tool_use")
    assert len(json.dumps(call["input"])) < 1_000_000


@pytest.mark.parametrize(
    ("prop", "check"),
    [
        ({"type": "array", "items": {"type": "string"}, "minItems": 2_000_000}, lambda v: len(v) <= 100),
        ({"type": "string", "minLength": 300_000_000}, lambda v: len(v) <= 10_000),
        ({"type": "number", "minimum": 1e308, "multipleOf": 1e-300}, lambda v: isinstance(v, (int, float))),
        ({"type": "object", "minProperties": 10_000_000}, lambda v: len(v) <= 100),
    ],
)
def test_huge_schema_constraints_get_bounded_examples(http: httpx2.Client, prop: Any, check: Any) -> None:
    body = {
        **BODY,
        "max_tokens": 1_000_000,  # an unknown model has no limit: the example is not cut
        "tools": [tool({"type": "object", "properties": {"v": prop}, "required": ["v"]})],
        "tool_choice": {"type": "any"},
    }
    r = http.post("/v1/messages", json=body)
    assert r.status_code == 200
    call = next(b for b in r.json()["content"] if b["type"] == "tool_use")
    assert check(call["input"]["v"])


def test_a_long_blank_run_in_a_say_prompt_is_answered(http: httpx2.Client) -> None:
    prompt = "say a" + " " * 40_000 + "b"
    r = http.post(
        "/v1/messages",
        json={**BODY, "max_tokens": 64000, "model": "m", "messages": [{"role": "user", "content": prompt}]},
    )
    assert r.status_code == 200
    assert r.json()["content"][0]["text"].startswith("a")


def test_many_capitalised_words_are_answered(http: httpx2.Client) -> None:
    prompt = " ".join(["Word"] * 20_000)
    body = {
        **BODY,
        "messages": [{"role": "user", "content": prompt}],
        "tools": [tool({"type": "object", "properties": {"name": {"type": "string"}}})],
    }
    assert http.post("/v1/messages", json={**body, "tool_choice": {"type": "any"}}).status_code == 200


def blocking_route(entered: threading.Event, release: threading.Event) -> Route:
    def run(call: Call) -> Response:
        entered.set()
        release.wait(HANG_GUARD)
        return call.json({"released": True})

    return Route("GET", "/test/block", run)


def test_slow_work_does_not_block_other_clients() -> None:
    entered, release = threading.Event(), threading.Event()
    routes = (blocking_route(entered, release), *API_ROUTES)
    with Emulator(routes=routes) as emu:
        slow: dict[str, Any] = {}

        def slow_request() -> None:
            slow["response"] = httpx2.get(
                emu.base_url + "/test/block", headers=API_HEADERS, timeout=HANG_GUARD
            )

        thread = threading.Thread(target=slow_request)
        thread.start()
        assert entered.wait(HANG_GUARD)
        r = httpx2.post(emu.base_url + "/v1/messages", json=BODY, headers=API_HEADERS, timeout=HANG_GUARD)
        assert r.status_code == 200
        assert "response" not in slow  # the slow one is still being worked on
        release.set()
        thread.join(HANG_GUARD)
        assert slow["response"].json() == {"released": True}


def test_work_past_its_deadline_is_a_504_and_the_server_lives_on() -> None:
    entered, release = threading.Event(), threading.Event()
    with Emulator(routes=(blocking_route(entered, release), *API_ROUTES), work_timeout=0.05) as emu:
        try:
            r = httpx2.get(emu.base_url + "/test/block", headers=API_HEADERS, timeout=HANG_GUARD)
            assert r.status_code == 504
            assert r.json()["error"]["type"] == "timeout_error"
            assert "could not answer within" in r.json()["error"]["message"]
        finally:
            release.set()
        assert httpx2.post(emu.base_url + "/v1/messages", json=BODY, headers=API_HEADERS).status_code == 200


# --- timeouts and the connection limit ---------------------------------------------------------


def test_a_slow_request_head_gets_408_and_is_closed() -> None:
    with (
        Emulator(header_timeout=0.2) as emu,
        socket.create_connection(("127.0.0.1", emu.port), timeout=HANG_GUARD) as sock,
    ):
        sock.sendall(b"POST /v1/messages HTTP/1.1\r\nhost: x\r\n")  # and never the rest
        data = read_until_closed(sock)
    assert data.startswith(b"HTTP/1.1 408 ")
    assert b'"type":"timeout_error"' in data


def test_an_idle_connection_is_closed_without_an_answer() -> None:
    with (
        Emulator(idle_timeout=0.2) as emu,
        socket.create_connection(("127.0.0.1", emu.port), timeout=HANG_GUARD) as sock,
    ):
        assert read_until_closed(sock) == b""


def test_a_keep_alive_connection_is_closed_when_idle_after_a_request() -> None:
    with (
        Emulator(idle_timeout=0.2) as emu,
        socket.create_connection(("127.0.0.1", emu.port), timeout=HANG_GUARD) as sock,
    ):
        sock.sendall(raw_post(json.dumps(BODY).encode()))
        assert read_one_response(sock).startswith(b"HTTP/1.1 200 ")
        assert read_until_closed(sock) == b""


def test_a_stalled_body_gets_408() -> None:
    with (
        Emulator(io_timeout=0.2) as emu,
        socket.create_connection(("127.0.0.1", emu.port), timeout=HANG_GUARD) as sock,
    ):
        head = raw_post(b"").replace(b"content-length: 0", b"content-length: 100")
        sock.sendall(head + b'{"model"')
        data = read_until_closed(sock)
    assert data.startswith(b"HTTP/1.1 408 ")


def test_connections_past_the_limit_get_a_clear_503() -> None:
    with Emulator(max_connections=2) as emu:
        held = [socket.create_connection(("127.0.0.1", emu.port), timeout=HANG_GUARD) for _ in range(2)]
        try:
            for sock in held:  # a full exchange each: the server has counted both
                sock.sendall(raw_post(json.dumps(BODY).encode()))
                assert read_one_response(sock).startswith(b"HTTP/1.1 200 ")
            with socket.create_connection(("127.0.0.1", emu.port), timeout=HANG_GUARD) as third:
                third.sendall(raw_post(json.dumps(BODY).encode()))
                data = read_until_closed(third)
            assert data.startswith(b"HTTP/1.1 503 ")
            assert b"too many open connections (limit 2)" in data
            assert b"retry-after: 1" in data
            # The held connections still work.
            held[0].sendall(raw_post(json.dumps(BODY).encode()))
            assert read_one_response(held[0]).startswith(b"HTTP/1.1 200 ")
        finally:
            for sock in held:
                sock.close()


def test_sigterm_stops_the_command_while_a_stream_is_held() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "anthropic", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().decode().strip()
        assert base_url.startswith("http://127.0.0.1:")
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=HANG_GUARD) as sock:
            body = json.dumps({**BODY, "stream": True}).encode()
            sock.sendall(raw_post(body, "x-emulator-fault: latency_ms=600000\r\n"))
            first = sock.recv(65536)
            assert first.startswith(b"HTTP/1.1 200 ")  # the stream has begun and is held open
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(HANG_GUARD) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- no input gives a 500 or a dropped connection ------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi \\ud800 there"}]}',
        b'{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"extra":'
        + b"[" * 980
        + b"]" * 980
        + b"}",
        b'{"model":"m","max_tokens":1' + b"0" * 5000 + b',"messages":[{"role":"user","content":"hi"}]}',
        b'{"model":"m","max_tokens":1e999,"messages":[{"role":"user","content":"hi"}]}',
    ],
    ids=["lone-surrogate", "deep-nesting", "huge-integer", "infinite-number"],
)
def test_hostile_bodies_get_a_400(http: httpx2.Client, raw: bytes) -> None:
    r = http.post("/v1/messages", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["type"] == "invalid_request_error"
    assert http.post("/v1/messages", json=BODY).status_code == 200


def test_a_lone_surrogate_in_a_header_fault_message_is_not_a_500(http: httpx2.Client) -> None:
    header = "status=529;message=caf\u00e9 \U0001f600".encode()
    r = http.post("/v1/messages", json=BODY, headers={"x-emulator-fault": header})
    assert r.status_code == 529


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("latency_ms=" + "9" * 2000, "x-emulator-fault: latency_ms: invalid value '9999"),
        ("latency_ms=99999999", "x-emulator-fault: Fault.latency_ms must be at most 600000"),
        ("disconnect_after=" + "1" * 12, "x-emulator-fault: Fault.disconnect_after must be at most"),
        ("retry_after=1e309", "x-emulator-fault: retry_after: invalid value '1e309'"),
        ("message=" + "m" * 3000, "x-emulator-fault: the header is longer than 2048 characters"),
    ],
)
def test_huge_fault_values_are_a_400_not_a_dropped_connection(
    http: httpx2.Client, fault: str, message: str
) -> None:
    r = http.post("/v1/messages", json=BODY, headers={"x-emulator-fault": fault})
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith(message)
    assert len(r.json()["error"]["message"]) < 200


# --- memory stays bounded ---------------------------------------------------------------------------


def test_fault_counters_are_bounded() -> None:
    with Emulator(max_fault_keys=8) as emu, httpx2.Client(base_url=emu.base_url, headers=API_HEADERS) as http:
        for i in range(30):
            r = http.post(
                "/v1/messages", json=BODY, headers={"x-emulator-fault": f"status=529;times=1;key=k{i}"}
            )
            assert r.status_code == 529
        assert emu.bookkeeping()["fault_counters"] == 8


def test_used_up_faults_are_forgotten() -> None:
    with Emulator() as emu, httpx2.Client(base_url=emu.base_url, headers=API_HEADERS) as http:
        for _ in range(5):
            emu.add_fault(Fault(status=529, times=1))
        assert emu.bookkeeping()["faults"] == 5
        assert [http.post("/v1/messages", json=BODY).status_code for _ in range(6)] == [529] * 5 + [200]
        assert emu.bookkeeping()["faults"] == 0


def test_recorded_requests_are_bounded_keeping_the_newest() -> None:
    with (
        Emulator(max_recorded_requests=3) as emu,
        httpx2.Client(base_url=emu.base_url, headers=API_HEADERS) as http,
    ):
        for i in range(7):
            http.post("/v1/messages", json={**BODY, "messages": [{"role": "user", "content": f"n{i}"}]})
        assert [r.json["messages"][0]["content"] for r in emu.requests] == ["n4", "n5", "n6"]


# --- keys, leaks and who may use a fault ---------------------------------------------------------


def test_only_the_exact_key_is_accepted() -> None:
    good = "sk-ant-the-right-key"
    with Emulator(api_keys={good, "another"}) as emu:
        url = emu.base_url + "/v1/messages"
        for key in ("sk-ant-the-right-ke", good + "x", "", "\u00e9\u00e9"):
            headers = {"x-api-key": key.encode("utf-8"), "anthropic-version": b"2023-06-01"}
            assert httpx2.post(url, json=BODY, headers=headers).status_code == 401
        ok = httpx2.post(url, json=BODY, headers={"x-api-key": good, "anthropic-version": "2023-06-01"})
        assert ok.status_code == 200


def test_errors_do_not_echo_the_request() -> None:
    secret = "sk-secret-" + "s" * 200

    def explode(call: Call) -> Response:
        raise RuntimeError(secret)

    routes = (Route("POST", "/test/explode", explode), *API_ROUTES)
    with Emulator(routes=routes) as emu, httpx2.Client(base_url=emu.base_url, headers=API_HEADERS) as http:
        crashed = http.post("/test/explode", json={"prompt": secret})
        assert crashed.status_code == 500
        assert "secret" not in crashed.text
        assert (
            crashed.json()["error"]["message"] == "The emulator failed to answer this request; see its log."
        )
        for body in (
            {**BODY, secret: 1},
            {**BODY, "tool_choice": {"type": "tool", "name": secret}, "tools": [tool({"type": "object"})]},
            {**BODY, "messages": [{"role": "user", "content": [{"type": secret}]}]},
        ):
            r = http.post("/v1/messages", json=body)
            assert r.status_code == 400
            assert secret not in r.text and "s" * 60 not in r.text
        r = http.post("/nowhere/" + secret, json=BODY)
        assert r.status_code == 404 and "s" * 100 not in r.text


def test_an_unauthenticated_request_cannot_use_up_a_keyed_fault() -> None:
    with Emulator() as emu:
        url = emu.base_url + "/v1/messages"
        emu.add_fault(Fault(status=529, key="k1", times=1))
        anonymous = {"x-emulator-fault": "key=k1", "anthropic-version": "2023-06-01"}
        assert httpx2.post(url, json=BODY, headers=anonymous).status_code == 401
        header_counted = {"x-emulator-fault": "status=503;times=1;key=k2", "anthropic-version": "2023-06-01"}
        assert httpx2.post(url, json=BODY, headers=header_counted).status_code == 401
        assert (
            httpx2.post(url, json=BODY, headers={**API_HEADERS, "x-emulator-fault": "key=k1"}).status_code
            == 529
        )
        counted = {**API_HEADERS, "x-emulator-fault": "status=503;times=1;key=k2"}
        assert httpx2.post(url, json=BODY, headers=counted).status_code == 503
        assert httpx2.post(url, json=BODY, headers=counted).status_code == 200
