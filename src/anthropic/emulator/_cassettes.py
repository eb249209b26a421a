"""Record and replay: exchanges with a real endpoint stored as readable cassettes.

A cassette is one JSON file per exchange, named after what the request asked
(``POST-v1-messages-<key>.json``), holding the request (method, path, query,
body as JSON) and the response (status, headers, and the body as text, or as
base64 when it is not UTF-8).  Event-stream bodies are stored as their exact
text, so a replay is byte for byte.  No credential is ever written: request
headers are not stored, and response headers that set cookies are dropped.

The key of a request is a hash of its method, path and body (JSON bodies
canonicalised, so key order and spacing do not matter).  Replay serves the
cassette with that key, or a 404 naming the request and the file it looked for.

Recording forwards each request to ``upstream`` with the key from
``ANTHROPIC_API_KEY`` (else the request's own ``x-api-key`` /
``authorization``), waits for the whole answer, stores it, then serves it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._handler import Call, Response, Route
from ._wire import Rejected, clip

__all__ = ["cassette_key", "recording_routes", "replay_routes"]

_METHODS = ("GET", "POST", "DELETE", "PUT", "PATCH")
_ANY_PATH = r"/.*"
_DROPPED_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "date", "server", "set-cookie"}
)
_FORWARDED_HEADERS = ("content-type", "accept", "anthropic-version", "anthropic-beta")
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def cassette_key(method: str, path: str, body: bytes) -> str:
    """The hash a request is stored and found under."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256(method.encode() + b"\0" + path.encode() + b"\0" + canonical).hexdigest()
    return digest[:24]


def _file_name(method: str, path: str, key: str) -> str:
    slug = _SLUG.sub("-", path).strip("-")[:60] or "root"
    return f"{method}-{slug}-{key}.json"


def _body_fields(body: bytes) -> dict[str, Any]:
    try:
        return {"body_text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode()}


def _body_bytes(response: dict[str, Any]) -> bytes:
    if "body_text" in response:
        return str(response["body_text"]).encode("utf-8")
    return base64.b64decode(response.get("body_base64", ""))


def _sse_pieces(body: bytes) -> Iterator[bytes]:
    """An event-stream body in pieces that end after each event, so a replay streams."""
    start = 0
    while True:
        end = body.find(b"\n\n", start)
        if end < 0:
            if start < len(body):
                yield body[start:]
            return
        yield body[start : end + 2]
        start = end + 2


def _serve_cassette(call: Call, cassette: dict[str, Any]) -> Response:
    response = cassette["response"]
    body = _body_bytes(response)
    headers = [(str(k), str(v)) for k, v in response.get("headers", {}).items()]
    extra = call.fault.retry_headers() if call.fault is not None else []
    headers += extra
    status = int(response["status"])
    content_type = str(response.get("headers", {}).get("content-type", ""))
    if content_type.startswith("text/event-stream"):
        return Response(status, headers, pieces=_sse_pieces(body))
    return Response(status, headers, body)


class _Replayer:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise ValueError(f"replay directory {str(self.directory)!r} does not exist")

    def serve(self, call: Call) -> Response:
        request = call.request
        key = cassette_key(request.method, request.path, request.body)
        name = _file_name(request.method, request.path, key)
        path = self.directory / name
        try:
            cassette = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            model = request.json.get("model") if isinstance(request.json, dict) else None
            asked = f"{request.method} {clip(request.path, 80, quote=False)}"
            if isinstance(model, str):
                asked += f" (model {clip(model, 60)})"
            raise Rejected(
                404,
                f"No cassette recorded for {asked} with this body: expected {name} in the replay "
                "directory. Record it with --record DIR --upstream URL.",
            ) from None
        except (OSError, ValueError) as exc:
            raise Rejected(500, f"The cassette {name} cannot be read: {type(exc).__name__}") from None
        return _serve_cassette(call, cassette)


class _Recorder:
    def __init__(self, directory: str | os.PathLike[str], upstream: str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.upstream = upstream.rstrip("/")
        self._lock = threading.Lock()
        self._client: Any = None

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                import httpx2

                self._client = httpx2.Client(timeout=httpx2.Timeout(600.0, connect=10.0))
            return self._client

    def serve(self, call: Call) -> Response:
        import httpx2

        request = call.request
        headers = {k: v for k, v in request.headers.items() if k in _FORWARDED_HEADERS}
        key = os.environ.get("ANTHROPIC_API_KEY")
        if key:
            headers["x-api-key"] = key
        else:
            for name in ("x-api-key", "authorization"):
                if name in request.headers:
                    headers[name] = request.headers[name]
        target = request.path
        if request.query:
            from urllib.parse import urlencode

            target += "?" + urlencode(request.query)
        try:
            answer = self.client().request(
                request.method, self.upstream + target, headers=headers, content=request.body
            )
        except httpx2.HTTPError as exc:
            raise Rejected(502, f"The upstream could not be reached ({type(exc).__name__}).") from None
        body = answer.content
        kept = {k.lower(): v for k, v in answer.headers.items() if k.lower() not in _DROPPED_HEADERS}
        cassette = {
            "request": {
                "method": request.method,
                "path": request.path,
                "query": request.query,
                "body": request.json,
            },
            "response": {"status": answer.status_code, "headers": kept, **_body_fields(body)},
        }
        name = _file_name(
            request.method, request.path, cassette_key(request.method, request.path, request.body)
        )
        text = json.dumps(cassette, indent=2, ensure_ascii=False) + "\n"
        tmp = self.directory / (name + ".tmp")
        tmp.write_text(text, "utf-8")
        tmp.replace(self.directory / name)
        return _serve_cassette(call, cassette)


def replay_routes(directory: str | os.PathLike[str]) -> tuple[Route, ...]:
    replayer = _Replayer(directory)
    return tuple(Route(method, _ANY_PATH, replayer.serve) for method in _METHODS)


def recording_routes(directory: str | os.PathLike[str], upstream: str) -> tuple[Route, ...]:
    recorder = _Recorder(directory, upstream)
    return tuple(Route(method, _ANY_PATH, recorder.serve) for method in _METHODS)
