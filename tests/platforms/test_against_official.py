"""The official client 2.15.0 as an oracle: its platform requests, captured on a loopback socket.

Runs when ``ANTHROPIC_OFFICIAL_PYTHON`` names a Python that has the official
``anthropic`` (with its ``bedrock`` and ``vertex`` extras) installed; it cannot
share this package's environment (both are imported as ``anthropic``).  The
official client sends a request to a small server of this test; the test then
checks that our platform description rewrites the same request to the same
path and body, and that our SigV4 signer, given the headers and date the
official client sent, computes the very signature it sent.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import subprocess
import textwrap
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from anthropic.lib._platform import PlatformRequest
from anthropic.lib.aws._sigv4 import AWSCredentials, sign_request
from anthropic.lib.bedrock._platform import bedrock_platform
from anthropic.lib.vertex._platform import vertex_platform

OFFICIAL = os.environ.get("ANTHROPIC_OFFICIAL_PYTHON")
pytestmark = pytest.mark.skipif(not OFFICIAL, reason="ANTHROPIC_OFFICIAL_PYTHON is not set")


class Capture(http.server.ThreadingHTTPServer):
    requests: list[tuple[str, str, list[tuple[str, str]], bytes]]


class Handler(http.server.BaseHTTPRequestHandler):
    server: Capture

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        self.server.requests.append((self.command, self.path, list(self.headers.items()), body))
        reply = b'{"type":"error","error":{"type":"invalid_request_error","message":"captured"}}'
        self.send_response(400)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Capture]:
    srv = Capture(("127.0.0.1", 0), Handler)
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def run_official(code: str) -> None:
    assert OFFICIAL
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANTHROPIC_", "CLOUD_ML"))}
    result = subprocess.run(
        [OFFICIAL, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr


BEDROCK_CASES = [
    {"model": "anthropic.claude-sonnet-4-5-20250929-v1:0", "stream": True, "betas": "a-1,b-2"},
    {"model": "us.anthropic.claude-haiku-4-5:0", "stream": False, "betas": None},
    {"model": "arn:aws:bedrock:us-east-1:123:inference-profile/x y", "stream": True, "betas": None},
]


@pytest.mark.parametrize("case", BEDROCK_CASES)
def test_bedrock_requests_match_the_official_client(server: Capture, case: dict[str, Any]) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    params = {
        "model": case["model"],
        "max_tokens": 7,
        "messages": [{"role": "user", "content": "hé"}],
        "stream": case["stream"],
    }
    headers = {"anthropic-beta": case["betas"]} if case["betas"] else {}
    run_official(
        f"""
        import anthropic
        client = anthropic.AnthropicBedrock(
            aws_access_key="AKIDTEST", aws_secret_key="SECRET/KEY+1", aws_session_token="TOKEN=",
            aws_region="eu-west-3", base_url={base!r}, max_retries=0,
        )
        try:
            client.messages.create(**{params!r}, extra_headers={headers!r})
        except anthropic.BadRequestError:
            pass
        """
    )
    [(method, path, sent_headers, body)] = server.requests

    ours = bedrock_platform(
        aws_access_key="AKIDTEST",
        aws_secret_key="SECRET/KEY+1",
        aws_session_token="TOKEN=",
        aws_region="eu-west-3",
        base_url=base,
    ).prepare(PlatformRequest("POST", "/v1/messages", dict(params), headers))
    assert ours.path == path
    theirs_body = json.loads(body)
    assert ours.body is not None
    assert {k: v for k, v in ours.body.items() if k != "anthropic_version"} == {
        k: v for k, v in theirs_body.items() if k != "anthropic_version"
    }

    # Recompute the signature from what was sent: same headers, same date, same bytes.
    by_name = {name.lower(): value for name, value in sent_headers}
    auth = by_name["authorization"]
    signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    when = dt.datetime.strptime(by_name["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    got = sign_request(
        method=method,
        url=base + path,
        headers=[
            (name, value)
            for name, value in sent_headers
            if name.lower() in signed and name.lower() != "x-amz-date"
        ],
        body=body,
        credentials=AWSCredentials("AKIDTEST", "SECRET/KEY+1", "TOKEN="),
        region="eu-west-3",
        service="bedrock",
        when=when,
    )
    assert got["Authorization"] == auth
    assert got["X-Amz-Security-Token"] == by_name["x-amz-security-token"]


def test_vertex_requests_match_the_official_client(server: Capture) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    run_official(
        f"""
        import anthropic
        client = anthropic.AnthropicVertex(region="us-east5", project_id="proj-1", access_token="tok",
                                           base_url={base!r}, max_retries=0)
        for stream in (True, False):
            try:
                client.messages.create(model="claude-x@2025;v", max_tokens=3,
                                       messages=[{{"role": "user", "content": "hi"}}], stream=stream)
            except anthropic.BadRequestError:
                pass
        try:
            client.messages.count_tokens(model="claude-x", messages=[{{"role": "user", "content": "hi"}}])
        except anthropic.BadRequestError:
            pass
        """
    )
    assert len(server.requests) == 3
    platform = vertex_platform(region="us-east5", project_id="proj-1", access_token="tok", base_url=base)
    requests = [
        PlatformRequest(
            "POST",
            "/v1/messages",
            {
                "model": "claude-x@2025;v",
                "max_tokens": 3,
                "messages": [{"role": "user", "content": "hi"}],
                "stream": s,
            },
        )
        for s in (True, False)
    ]
    requests.append(
        PlatformRequest(
            "POST",
            "/v1/messages/count_tokens",
            {"model": "claude-x", "messages": [{"role": "user", "content": "hi"}]},
        )
    )
    for ours_req, (_, path, sent_headers, body) in zip(requests, server.requests, strict=True):
        ours = platform.prepare(ours_req)
        assert "/v1" + ours.path == path
        assert ours.body is not None
        theirs_body = json.loads(body)
        assert {k: v for k, v in ours.body.items() if k != "anthropic_version"} == {
            k: v for k, v in theirs_body.items() if k != "anthropic_version"
        }
        assert dict((k.lower(), v) for k, v in sent_headers)["authorization"] == "Bearer tok"
        assert platform.auth_headers("POST", base + path, {}, body) == {"Authorization": "Bearer tok"}


def test_the_official_bedrock_decoder_reads_our_frames_as_we_do() -> None:
    from anthropic.lib.bedrock._events import BedrockEventDecoder
    from anthropic.lib.bedrock._eventstream import encode_message

    chunk_headers = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}
    events = [
        {"type": "message_start", "message": {"id": "msg_1", "content": [], "usage": {"input_tokens": 1}}},
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": "h\u00e9 \U0001f600"},
        },
    ]
    import base64

    frames = [
        encode_message(
            chunk_headers,
            json.dumps({"bytes": base64.b64encode(json.dumps(e).encode()).decode(), "p": "abc"}).encode(),
        )
        for e in events
    ]
    for kind in ("throttlingException", "validationException", "modelStreamErrorException"):
        frames.append(
            encode_message(
                {":message-type": "exception", ":exception-type": kind, ":content-type": "application/json"},
                json.dumps({"message": f"{kind} happened"}).encode(),
            )
        )
    body = b"".join(frames)
    assert OFFICIAL
    result = subprocess.run(
        [
            OFFICIAL,
            "-c",
            textwrap.dedent(
                """
                import base64, json, sys
                from anthropic.lib.bedrock._stream_decoder import AWSEventStreamDecoder
                body = base64.b64decode(sys.stdin.read())
                out = [json.loads(sse.data) for sse in AWSEventStreamDecoder().iter_bytes(iter([body]))]
                print(json.dumps(out))
                """
            ),
        ],
        input=base64.b64encode(body).decode(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    theirs = json.loads(result.stdout)
    dec = BedrockEventDecoder()
    ours = dec.feed(body)
    dec.end()
    assert ours == theirs
