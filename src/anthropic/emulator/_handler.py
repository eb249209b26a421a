"""The pure request handler: a request in, a response and the fault it got out.

No sockets and no event loop here: the transport (``_transport``) reads a
request with h11, hands an :class:`Incoming` to :meth:`Handler.handle` on a
worker thread, and writes the :class:`Outcome` back.  So a new API surface
(platform routes, batches) is a new :class:`Route` in the table given to the
handler, nothing more.

One request goes through these steps, in this order (the one place where
their precedence is decided):

1. the path and method pick a route (404 / 405 otherwise);
2. the key is checked (constant time) but not yet enforced, by the route's
   :class:`Surface` (first-party keys, a Google bearer token, SigV4, ...);
3. faults are taken: the request's ``x-emulator-fault`` header, then an added
   fault (:func:`._faults.combine` decides field by field).  An unauthenticated
   request never takes an added fault or a counted header fault;
4. a fault with a ``status`` answers now, before size, auth and validation;
5. a body over the size limit is 413, a bad key 401, a body that is not JSON 400;
6. the route runs; a route that serves scripted replies takes the next one
   and re-combines the fault with the reply's own (:meth:`Call.take_reply`),
   then asks :meth:`Call.fault_error` whether the fault answers instead.

Any :class:`~._wire.Rejected` becomes an error in the route's
:class:`Surface`'s shape (the API's by default); any other exception is
logged and answered with a 500 that does not echo the request.

A :class:`Surface` is what a family of routes looks like from the client:
how it authenticates, which header names the request, how errors, JSON
replies and streams are written.  :data:`FIRST_PARTY` is the Messages API's;
the platform envelopes (``_platforms``) are others.
"""

from __future__ import annotations

import hmac
import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from ._events import Event, encode, error_event
from ._faults import FAULT_HEADER, Fault, FaultBook, combine, parse_fault_header
from ._replies import RecordedRequest, Reply
from ._sigv4 import SigV4Problem, check_sigv4, is_sigv4
from ._validate import parse_json, require_object
from ._wire import STATUS_FOR_TYPE, Rejected, clip, dumps, error_body, new_request_id

__all__ = [
    "FIRST_PARTY",
    "Auth",
    "Call",
    "Handler",
    "Incoming",
    "Outcome",
    "RequestLog",
    "Response",
    "Route",
    "Script",
    "Surface",
    "error_response",
    "json_response",
]

log = logging.getLogger("anthropic.emulator")


# --- what goes in and out ----------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """A request as the transport read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""
    too_large: bool = False


@dataclass
class Response:
    """What to send: status, headers, and a body given whole or as separately flushed pieces."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    pieces: Iterator[bytes] | None = None
    gap: float = 0.0  # seconds between pieces
    close: bool = False  # close the connection after this response


@dataclass(frozen=True)
class Outcome:
    """The handler's answer: the response, the fault whose transport effects apply, the record."""

    response: Response
    fault: Fault | None
    record: RecordedRequest


def json_response(status: int, obj: Any, request_id: str, extra: Iterable[tuple[str, str]] = ()) -> Response:
    headers = [("content-type", "application/json"), ("request-id", request_id), *extra]
    return Response(status, headers, dumps(obj).encode())


def error_response(exc: Rejected, request_id: str, extra: Iterable[tuple[str, str]] = ()) -> Response:
    return json_response(exc.status, error_body(exc.error_type, exc.message, request_id), request_id, extra)


def fault_response(
    fault: Fault | None, stream: bool | None, request_id: str, surface: Surface | None = None
) -> Response | None:
    """The error a fault answers with instead of the route, if any, in ``surface``'s shape.

    A ``status`` fault always answers; an ``error_event`` fault answers a
    request known not to stream (``stream=False``) with that error type's status.
    """
    if fault is None:
        return None
    surface = surface or FIRST_PARTY
    if fault.status is not None:
        error = Rejected(fault.status, fault.message, fault.error_type)
        return surface.error(error, request_id, fault.retry_headers())
    if fault.error_event is not None and stream is False:
        error = Rejected(surface.status_for(fault.error_event), fault.message, fault.error_event)
        return surface.error(error, request_id, fault.retry_headers())
    return None


# --- shared state ------------------------------------------------------------------------------


class Script:
    """Scripted replies waiting for requests, oldest first (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._replies: deque[Reply] = deque()

    def extend(self, replies: Iterable[Reply]) -> None:
        with self._lock:
            self._replies.extend(replies)

    def take(self) -> Reply | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def clear(self) -> None:
        with self._lock:
            self._replies.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._replies)


class RequestLog:
    """The requests received, bounded: the oldest are forgotten past ``max_requests`` or ``max_bytes``."""

    def __init__(self, enabled: bool = True, max_requests: int = 10_000, max_bytes: int = 256 << 20) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._items: deque[RecordedRequest] = deque()
        self._bytes = 0
        self._max_requests = max_requests
        self._max_bytes = max_bytes

    def add(self, request: RecordedRequest) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._items.append(request)
            self._bytes += len(request.body)
            while self._items and (len(self._items) > self._max_requests or self._bytes > self._max_bytes):
                self._bytes -= len(self._items.popleft().body)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


class Auth:
    """The key rules, compared in constant time.

    Keys (``x-api-key``, Azure's ``api-key``, ``authorization: Bearer``): any
    non-empty key, or one of ``api_keys``.  SigV4 signatures: well formed for
    the route's service, and valid for one of ``aws_keys`` (access key id to
    secret key) when those are given.  ``require_auth=False`` accepts anything.
    """

    def __init__(
        self, api_keys: Iterable[str] | None, require_auth: bool, aws_keys: Mapping[str, str] | None = None
    ) -> None:
        self._keys = [k.encode() for k in api_keys] if api_keys is not None else None
        self.require_auth = require_auth
        self.aws_keys = dict(aws_keys) if aws_keys is not None else None

    @staticmethod
    def bearer(headers: Mapping[str, str]) -> str:
        """The token of an ``authorization: Bearer TOKEN`` header, or ``""``."""
        scheme, _, token = headers.get("authorization", "").strip().partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    def check_key(self, key: str, missing: str = "x-api-key header is required") -> Rejected | None:
        """None when ``key`` is accepted; otherwise the 401 it gets (``missing`` when it is empty)."""
        if not key:
            return Rejected(401, missing)
        if self._keys is not None:
            given = key.encode("utf-8", "surrogateescape")
            matched = False
            for known in self._keys:  # every key is compared, so timing does not tell which matched
                matched |= hmac.compare_digest(known, given)
            if not matched:
                return Rejected(401, "invalid x-api-key")
        return None

    def check_sigv4(self, request: RecordedRequest, query: str, service: str) -> SigV4Problem | None:
        """None when the request's SigV4 signature is accepted for ``service``."""
        return check_sigv4(
            method=request.method,
            path=request.path,
            query=query,
            headers=request.headers,
            body=request.body,
            service=service,
            keys=self.aws_keys,
        )

    def check(self, headers: dict[str, str]) -> Rejected | None:
        """The first-party rule: a key, then the ``anthropic-version`` header."""
        if not self.require_auth:
            return None
        key = (
            headers.get("x-api-key", "").strip() or headers.get("api-key", "").strip() or self.bearer(headers)
        )
        error = self.check_key(key)
        if error is not None:
            return error
        if not headers.get("anthropic-version"):
            return Rejected(400, "anthropic-version: header is required")
        return None


class Surface:
    """What a family of routes looks like to a client: auth, error shape, reply headers, stream framing.

    This one is the first-party Messages API's (:data:`FIRST_PARTY`): keys as
    :meth:`Auth.check` takes them, or a SigV4 signature for ``aws_service``
    (the AWS-fronted first-party endpoints); the API's error shape; a
    ``request-id`` header; server-sent events.  Subclasses change what differs.
    """

    name = "anthropic"
    stream_content_type = "text/event-stream; charset=utf-8"

    def __init__(self, aws_service: str = "aws-external-anthropic") -> None:
        self.aws_service = aws_service

    def authenticate(self, auth: Auth, request: RecordedRequest, query: str) -> Rejected | None:
        """None when the request may proceed; otherwise the error it gets."""
        headers = request.headers
        if (
            auth.require_auth
            and is_sigv4(headers.get("authorization", ""))
            and not headers.get("x-api-key", "").strip()
            and not headers.get("api-key", "").strip()
        ):
            problem = auth.check_sigv4(request, query, self.aws_service)
            if problem is not None:
                return Rejected(401, f"{problem.kind}: {problem.message}")
            if not headers.get("anthropic-version"):
                return Rejected(400, "anthropic-version: header is required")
            return None
        return auth.check(headers)

    def headers(self, request_id: str) -> list[tuple[str, str]]:
        """The headers of a JSON reply (content type and request id)."""
        return [("content-type", "application/json"), ("request-id", request_id)]

    def stream_headers(self, request_id: str) -> list[tuple[str, str]]:
        """The headers of a 200 streamed reply."""
        return [
            ("content-type", self.stream_content_type),
            ("cache-control", "no-cache"),
            ("request-id", request_id),
        ]

    def encode_events(self, events: Iterator[Event]) -> Iterator[bytes]:
        """The body of a streamed reply, one piece per event (each flushed on its own)."""
        return map(encode, events)

    def error_event(self, error_type: str, message: str | None) -> Event:
        """The event a stream carries for an ``error_event`` fault."""
        return error_event(error_type, message)

    def error(self, exc: Rejected, request_id: str, extra: Iterable[tuple[str, str]] = ()) -> Response:
        """``exc`` as this surface writes errors."""
        return error_response(exc, request_id, extra)

    def status_for(self, error_type: str) -> int:
        """The HTTP status an error of ``error_type`` has (for an ``error_event`` fault on a JSON request)."""
        return STATUS_FOR_TYPE.get(error_type, 500)


FIRST_PARTY = Surface()


# --- routes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """``method`` and a path pattern (named groups become :attr:`Call.params`) to a route function."""

    method: str
    pattern: str
    run: Callable[[Call], Response]
    surface: Surface = FIRST_PARTY
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern))

    def match(self, path: str) -> dict[str, str] | None:
        m = self.compiled.fullmatch(path)
        return m.groupdict() if m is not None else None


class Call:
    """One request on its way through a route: what route functions read and use."""

    def __init__(
        self,
        handler: Handler,
        request: RecordedRequest,
        params: dict[str, str],
        header_fault: Fault | None,
        added_fault: Fault | None,
        parse_error: Rejected | None,
        surface: Surface = FIRST_PARTY,
    ) -> None:
        self.handler = handler
        self.request = request
        self.params = params
        self.surface = surface
        self._header_fault = header_fault
        self._added_fault = added_fault
        self._parse_error = parse_error
        self.fault = combine(header_fault, added_fault)

    @property
    def request_id(self) -> str:
        return self.request.request_id

    @property
    def beta(self) -> bool:
        return self.request.query.get("beta") == "true"

    def body(self) -> dict[str, Any]:
        """The request body as a JSON object, or the 400 saying why it is not one."""
        if self._parse_error is not None:
            raise self._parse_error
        return require_object(self.request.json)

    def take_reply(self) -> Reply | None:
        """The next scripted reply (if any); its own fault joins the request's, last in precedence."""
        reply = self.handler.script.take()
        if reply is not None and reply.fault is not None:
            self.fault = combine(self._header_fault, self._added_fault, reply.fault)
        return reply

    def fault_error(self, stream: bool) -> Response | None:
        return fault_response(self.fault, stream, self.request_id, self.surface)

    def json(self, obj: Any, status: int = 200) -> Response:
        extra = self.fault.retry_headers() if self.fault is not None else []
        headers = self.surface.headers(self.request_id) + list(extra)
        return Response(status, headers, dumps(obj).encode())


class Handler:
    """Answers requests through a table of routes; safe to call from several threads at once."""

    def __init__(
        self,
        routes: Sequence[Route],
        *,
        auth: Auth,
        faults: FaultBook,
        script: Script,
        requests: RequestLog,
        max_body_size: int,
        allow_unknown_params: bool = False,
    ) -> None:
        self.routes = tuple(routes)
        self.allow_unknown_params = allow_unknown_params
        self.auth = auth
        self.faults = faults
        self.script = script
        self.requests = requests
        self.max_body_size = max_body_size

    def handle(self, incoming: Incoming) -> Outcome:
        request_id = new_request_id()
        path, _, query = incoming.target.partition("?")
        parsed: Any = None
        parse_error: Rejected | None = None
        if not incoming.too_large:
            try:
                parsed = parse_json(incoming.body)
            except Rejected as exc:
                parse_error = exc
        record = RecordedRequest(
            method=incoming.method,
            path=path,
            query=dict(parse_qsl(query, keep_blank_values=True)),
            headers=incoming.headers,
            body=incoming.body,
            json=parsed,
            request_id=request_id,
        )
        self.requests.add(record)
        fault: Fault | None = None
        try:
            response, fault = self._answer(record, query, incoming.too_large, parse_error)
        except Rejected as exc:
            response = error_response(exc, request_id)
        except Exception:  # a bug must not take the server down, nor echo what was sent
            log.exception("emulator failed to answer %s %s", record.method, clip(path, 80))
            response = error_response(_INTERNAL_ERROR, request_id)
        if incoming.too_large:
            response.close = True
        return Outcome(response, fault, record)

    def _route(self, request: RecordedRequest) -> tuple[Route, dict[str, str]]:
        method = "GET" if request.method == "HEAD" else request.method
        allowed: list[str] = []
        for route in self.routes:
            params = route.match(request.path)
            if params is None:
                continue
            if route.method == method:
                return route, params
            allowed.append(route.method)
        if allowed:
            methods = ", ".join(dict.fromkeys(allowed))
            raise _MethodNotAllowed(
                405,
                f"Method {clip(request.method, 16, quote=False)} is not allowed for this path; use {methods}",
            ).allowing(methods)
        raise Rejected(404, f"Not found: {clip(request.path, 80)}")

    def _answer(
        self, request: RecordedRequest, query: str, too_large: bool, parse_error: Rejected | None
    ) -> tuple[Response, Fault | None]:
        try:
            route, params = self._route(request)
        except _MethodNotAllowed as exc:
            return error_response(exc, request.request_id, [("allow", exc.allow)]), None
        surface = route.surface
        try:
            auth_error = surface.authenticate(self.auth, request, query)
            header_text = request.headers.get(FAULT_HEADER)
            header_fault = parse_fault_header(header_text) if header_text is not None else None
            taken = self.faults.take(header_fault, header_text or "", auth_error is None)
            call = Call(self, request, params, *taken, parse_error, surface)
            early = fault_response(call.fault, None, request.request_id, surface)
            if early is not None:
                return early, call.fault
            if too_large:
                raise Rejected(
                    413, f"Request exceeds the maximum allowed number of bytes ({self.max_body_size})."
                )
            if auth_error is not None:
                raise auth_error
            response = route.run(call)
        except Rejected as exc:
            return surface.error(exc, request.request_id), None
        except Exception:  # a bug must not take the server down, nor echo what was sent
            log.exception("emulator failed to answer %s %s", request.method, clip(request.path, 80))
            return surface.error(_INTERNAL_ERROR, request.request_id), None
        return response, call.fault


_INTERNAL_ERROR = Rejected(500, "The emulator failed to answer this request; see its log.")


class _MethodNotAllowed(Rejected):
    allow = ""

    def allowing(self, methods: str) -> _MethodNotAllowed:
        self.allow = methods
        return self
