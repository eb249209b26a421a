"""Each platform as the platform tests see it: how to build its client, what its replies look like.

A :class:`Case` knows, for one platform, the client class and dummy
credentials, the path a streamed and a non-streamed ``messages`` request
must reach, how its server frames a streamed body (AWS event stream for
Bedrock, SSE for the others), how it reports an error mid-stream (an
exception frame, an ``error`` event) and the shape of its HTTP error
bodies.  The replies are whole HTTP/1.1 responses for
:class:`_resilience_helpers.RawServer`, which sends them over a real
loopback socket and may cut them anywhere.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anthropic
from _helpers import MODEL
from anthropic.lib.aws._sigv4 import AWSCredentials, sign_request
from anthropic.lib.bedrock._eventstream import encode_message

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
PROJECT = "my-project"
VERTEX_REGION = "us-east5"

TEXT = ["Hello", ", world", "!"]

MESSAGE_START: dict[str, Any] = {
    "type": "message_start",
    "message": {
        "id": "msg_platform", "type": "message", "role": "assistant", "model": MODEL, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 5, "output_tokens": 1},
    },
}  # fmt: skip
BLOCK_START: dict[str, Any] = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
DELTAS = [{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}} for t in TEXT]
TAIL: list[dict[str, Any]] = [
    {"type": "content_block_stop", "index": 0},
    {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 3}},
    {"type": "message_stop"},
]
EVENTS: list[dict[str, Any]] = [MESSAGE_START, BLOCK_START, *DELTAS, *TAIL]
MESSAGE = {
    **MESSAGE_START["message"],
    "content": [{"type": "text", "text": "".join(TEXT)}],
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 5, "output_tokens": 3},
}
REQUEST: dict[str, Any] = {"model": MODEL, "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}


# -- bodies -------------------------------------------------------------------


def chunk_frame(event: dict[str, Any]) -> bytes:
    """One Bedrock ``chunk`` frame carrying ``event``."""
    payload = json.dumps({"bytes": base64.b64encode(json.dumps(event).encode()).decode(), "p": "abcdef"})
    headers = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}
    return encode_message(headers, payload.encode())


def exception_frame(kind: str, message: str) -> bytes:
    """A Bedrock ``exception`` frame (``throttlingException``, ...)."""
    headers = {":exception-type": kind, ":content-type": "application/json", ":message-type": "exception"}
    return encode_message(headers, json.dumps({"message": message}).encode())


def sse_event(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()


def response(status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 response whose body ends with the connection (so any cut is a clean end)."""
    reason = {200: "OK", 400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error"}.get(status, "X")
    lines = [f"HTTP/1.1 {status} {reason}", f"content-type: {content_type}", "connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# -- requests as received ----------------------------------------------------


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def parse_request(raw: bytes) -> Received:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Received(method, path, headers, body)


def check_sigv4(request: Received, base_url: str, *, service: str) -> None:
    """The request's SigV4 signature is the one computed over exactly what arrived (URL, headers, body)."""
    auth = request.headers["authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), auth
    signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    assert "host" in signed and "x-amz-date" in signed, signed
    when = dt.datetime.strptime(request.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    expected = sign_request(
        method=request.method,
        url=base_url.split("/", 3)[0] + "//" + base_url.split("/", 3)[2] + request.path,
        headers={name: request.headers[name] for name in signed},
        body=request.body,
        credentials=AWSCredentials(ACCESS_KEY, SECRET_KEY),
        region=REGION,
        service=service,
        when=when,
    )
    assert expected["Authorization"] == auth


# -- the platforms -------------------------------------------------------------


@dataclass
class Case:
    name: str
    client_name: str
    kwargs: Callable[[str], dict[str, Any]]
    """The constructor arguments for a server at this base URL."""
    stream_path: str
    create_path: str
    framed: bool
    error_body: Callable[[int, str], Any]
    """The platform's HTTP error body for a status and a message."""
    in_stream_error: dict[str, str] = field(default_factory=dict)
    """Expected error class name -> how the platform names that error mid-stream (exception or error type)."""
    service: str | None = None
    """The SigV4 service when requests are signed."""

    def client(self, mode: str, base_url: str, **kwargs: Any) -> Any:
        cls = getattr(anthropic, self.client_name if mode == "sync" else "Async" + self.client_name)
        kwargs.setdefault("max_retries", 0)
        return cls(**{**self.kwargs(base_url), **kwargs})

    @property
    def content_type(self) -> str:
        return "application/vnd.amazon.eventstream" if self.framed else "text/event-stream"

    def body(self, events: list[dict[str, Any]]) -> bytes:
        encode = chunk_frame if self.framed else sse_event
        return b"".join(encode(e) for e in events)

    def error_in_stream(self, kind: str, message: str) -> bytes:
        if self.framed:
            return exception_frame(kind, message)
        return sse_event({"type": "error", "error": {"type": kind, "message": message}})

    def stream_reply(self, body: bytes) -> bytes:
        return response(200, self.content_type, body, {"request-id": "req_platform"})

    def json_reply(self, status: int, data: Any) -> bytes:
        return response(status, "application/json", json.dumps(data).encode(), {"request-id": "req_platform"})


def _first_party_error(status: int, message: str) -> Any:
    kind = {400: "invalid_request_error", 429: "rate_limit_error"}.get(status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": message}}


def _vertex_error(status: int, message: str) -> Any:
    state = {400: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED"}.get(status, "INTERNAL")
    return [{"error": {"code": status, "message": message, "status": state}}]


def _foundry_error(status: int, message: str) -> Any:
    return {"error": {"code": str(status), "message": message}}


BEDROCK = Case(
    "bedrock",
    "AnthropicBedrock",
    lambda url: {"aws_access_key": ACCESS_KEY, "aws_secret_key": SECRET_KEY, "aws_region": REGION, "base_url": url},
    f"/model/{MODEL}/invoke-with-response-stream",
    f"/model/{MODEL}/invoke",
    True,
    lambda status, message: {"message": message},
    {"RateLimitError": "throttlingException", "InternalServerError": "modelStreamErrorException"},
    service="bedrock",
)
VERTEX = Case(
    "vertex",
    "AnthropicVertex",
    lambda url: {"region": VERTEX_REGION, "project_id": PROJECT, "access_token": "ya29.token", "base_url": url + "/v1"},
    f"/v1/projects/{PROJECT}/locations/{VERTEX_REGION}/publishers/anthropic/models/{MODEL}:streamRawPredict",
    f"/v1/projects/{PROJECT}/locations/{VERTEX_REGION}/publishers/anthropic/models/{MODEL}:rawPredict",
    False,
    _vertex_error,
    {"RateLimitError": "rate_limit_error", "InternalServerError": "api_error"},
)
FOUNDRY = Case(
    "foundry",
    "AnthropicFoundry",
    lambda url: {"api_key": "foundry-key", "base_url": url + "/anthropic/"},
    "/anthropic/v1/messages",
    "/anthropic/v1/messages",
    False,
    _foundry_error,
    {"RateLimitError": "rate_limit_error", "InternalServerError": "api_error"},
)
AWS = Case(
    "aws",
    "AnthropicAWS",
    lambda url: {
        "aws_access_key": ACCESS_KEY, "aws_secret_key": SECRET_KEY, "aws_region": REGION,
        "workspace_id": "wrkspc_platform", "base_url": url,
    },
    "/v1/messages",
    "/v1/messages",
    False,
    _first_party_error,
    {"RateLimitError": "rate_limit_error", "InternalServerError": "api_error"},
    service="aws-external-anthropic",
)
MANTLE = Case(
    "mantle",
    "AnthropicBedrockMantle",
    lambda url: {"aws_access_key": ACCESS_KEY, "aws_secret_key": SECRET_KEY, "aws_region": REGION, "base_url": url + "/anthropic"},
    "/anthropic/v1/messages",
    "/anthropic/v1/messages",
    False,
    _first_party_error,
    {"RateLimitError": "rate_limit_error", "InternalServerError": "api_error"},
    service="bedrock-mantle",
)
CASES = [BEDROCK, VERTEX, FOUNDRY, AWS, MANTLE]
