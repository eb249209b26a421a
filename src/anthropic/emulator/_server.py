"""The emulator's HTTP server: h11 over asyncio streams, on a loop in a daemon thread.

The server never uses the caller's event loop, so one :class:`Emulator` serves
sync and async test code alike.  Each connection is a keep-alive h11
connection handled by one task; streamed responses are chunked, each SSE event
written and flushed on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import h11
from typing_extensions import Self

from ._batches import BatchPlan, BatchRoutes, BatchStore, BatchWorker, is_batch_path
from ._events import Event, encode, error_event, message_events, with_error_event
from ._faults import FAULT_HEADER, Fault, FaultBook, parse_fault_header
from ._generate import Draft, draft_from_content, generate
from ._replies import RecordedRequest, Reply
from ._tokens import estimate_input_tokens
from ._validate import parse_json, require_object, validate_count_tokens, validate_messages
from ._wire import STATUS_FOR_TYPE, ApiError, dumps, error_body, new_request_id

__all__ = ["Emulator"]

log = logging.getLogger("anthropic.emulator")

MESSAGES_PATH = "/v1/messages"
COUNT_TOKENS_PATH = "/v1/messages/count_tokens"
DEFAULT_MAX_BODY_SIZE = 32 * 1024 * 1024
_READ_SIZE = 64 * 1024
_MAX_HEAD_SIZE = 64 * 1024
_FLUSH_WAIT = 2.0
_START_TIMEOUT = 10.0
_BATCH_START_DELAY = 0.25  # seconds a new batch waits before processing, so it is seen in progress


class _Abort(Exception):
    """The connection was reset on purpose (``disconnect_after``)."""


class _State:
    """What the test thread and the server thread share, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.replies: deque[Reply] = deque()
        self.requests: list[RecordedRequest] = []
        self.faults = FaultBook()


class Emulator:
    """A local server that speaks the Messages API.

    Use it as ``with Emulator() as emu:`` (or ``async with``), or call
    :meth:`start` and :meth:`stop`.  Point a client at :attr:`base_url` with
    any API key.  Script exact replies with :meth:`enqueue`, inject faults with
    :meth:`add_fault` or the ``x-emulator-fault`` header, and read what was
    received in :attr:`requests`.

    ``api_keys``: accept only these keys (``x-api-key`` or bearer token);
    by default any non-empty key is accepted.  ``require_auth=False`` accepts
    requests without a key.  ``max_body_size``: larger requests get 413.
    ``record_requests=False`` keeps no record (for long-running servers);
    ``on_request(recorded_request, status)`` is called after each answer.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_keys: Iterable[str] | None = None,
        require_auth: bool = True,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        on_request: Callable[[RecordedRequest, int], None] | None = None,
        record_requests: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.api_keys = frozenset(api_keys) if api_keys is not None else None
        self.require_auth = require_auth
        self.max_body_size = max_body_size
        self._on_request = on_request
        self._record_requests = record_requests
        self._state = _State()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._lifecycle = threading.Lock()
        self.batches = BatchStore(
            validate=validate_messages,
            reply=lambda params: generate(params).message(),
            plan=BatchPlan(delay=_BATCH_START_DELAY),
        )
        """The Message Batches this emulator holds (``/v1/messages/batches``)."""
        self._batch_routes = BatchRoutes(self.batches)
        self._batch_worker = BatchWorker(self.batches)

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving in a background thread; returns once the socket listens."""
        with self._lifecycle:
            if self._thread is not None:
                return self
            self._ready.clear()
            self._startup_error = None
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            listener = socket.create_server((self.host, self.port), family=family, backlog=1024)
            self.port = listener.getsockname()[1]
            thread = threading.Thread(
                target=self._run, args=(listener,), name="anthropic-emulator", daemon=True
            )
            thread.start()
            if not self._ready.wait(_START_TIMEOUT):
                raise RuntimeError("the emulator did not start in time")
            if self._startup_error is not None:
                thread.join()
                raise self._startup_error
            self._thread = thread
            self.batches.base_url = self.base_url
            self._batch_worker.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections; safe to call more than once."""
        with self._lifecycle:
            thread, loop, stopping = self._thread, self._loop, self._stopping
            if thread is None or loop is None or stopping is None:
                return
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopping.set)
            thread.join(timeout=10)
            self._batch_worker.stop()
            self._thread = None
            self._loop = None
            self._stopping = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the running emulator."""
        if self._thread is None:
            raise RuntimeError("the emulator is not running; call start() or use it in a with block")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # --- scripting ------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        """Queue replies for the next ``POST /v1/messages`` requests, in order."""
        for reply in replies:
            if not isinstance(reply, Reply):
                raise TypeError(f"enqueue() takes Reply objects, not {type(reply).__name__}")
        with self._state.lock:
            self._state.replies.extend(replies)

    def add_fault(self, fault: Fault) -> None:
        """Apply ``fault`` to later API requests (see :class:`Fault` for ``times`` and ``key``)."""
        if not isinstance(fault, Fault):
            raise TypeError(f"add_fault() takes a Fault, not {type(fault).__name__}")
        self._state.faults.add(fault)

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first (a copy)."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def pending_replies(self) -> int:
        """How many enqueued replies are still waiting for a request."""
        with self._state.lock:
            return len(self._state.replies)

    def reset(self) -> None:
        """Forget queued replies, faults (and header fault counts) and recorded requests."""
        with self._state.lock:
            self._state.replies.clear()
            self._state.requests.clear()
        self._state.faults.clear()

    # --- the server thread ----------------------------------------------------------------

    def _run(self, listener: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(listener))
        except BaseException as exc:  # reported to start() when it happens before listening
            if not self._ready.is_set():
                self._startup_error = exc
                self._ready.set()
            else:
                log.exception("emulator server loop failed")
        finally:
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self, listener: socket.socket) -> None:
        self._stopping = asyncio.Event()
        connections: set[asyncio.Task[None]] = set()

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            connections.add(task)
            try:
                await _Connection(self, reader, writer).run()
            except asyncio.CancelledError:
                pass  # the server is stopping; the connection has been reset
            finally:
                connections.discard(task)

        try:
            server = await asyncio.start_server(on_connect, sock=listener, limit=_READ_SIZE)
        except BaseException:
            listener.close()
            raise
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            server.close()
            for task in list(connections):
                task.cancel()
            if connections:
                await asyncio.wait(connections, timeout=5)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(server.wait_closed(), timeout=5)

    # --- handling one request -------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        if not self._record_requests:
            return
        with self._state.lock:
            self._state.requests.append(request)

    def _next_reply(self) -> Reply | None:
        with self._state.lock:
            return self._state.replies.popleft() if self._state.replies else None

    def _check_auth(self, headers: dict[str, str]) -> None:
        if not self.require_auth:
            return
        key = headers.get("x-api-key", "").strip()
        if not key:
            scheme, _, token = headers.get("authorization", "").strip().partition(" ")
            if scheme.lower() == "bearer":
                key = token.strip()
        if not key:
            raise ApiError(401, "x-api-key header is required")
        if self.api_keys is not None and key not in self.api_keys:
            raise ApiError(401, "invalid x-api-key")
        if not headers.get("anthropic-version"):
            raise ApiError(400, "anthropic-version: header is required")


@dataclass
class _Response:
    """What to send: status, headers, and a body given whole or as separately flushed pieces."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    pieces: Iterator[bytes] | None = None
    gap: float = 0.0  # seconds between pieces


def _json_response(
    status: int, obj: Any, request_id: str, extra: Iterable[tuple[str, str]] = ()
) -> _Response:
    headers = [("content-type", "application/json"), ("request-id", request_id), *extra]
    return _Response(status, headers, dumps(obj).encode())


def _error_response(exc: ApiError, request_id: str, extra: Iterable[tuple[str, str]] = ()) -> _Response:
    return _json_response(exc.status, error_body(exc.error_type, exc.message, request_id), request_id, extra)


def _sse_headers(request_id: str) -> list[tuple[str, str]]:
    return [
        ("content-type", "text/event-stream; charset=utf-8"),
        ("cache-control", "no-cache"),
        ("request-id", request_id),
    ]


def _pieces(body: bytes, size: int | None) -> Iterator[bytes]:
    if size is None:
        yield body
        return
    for i in range(0, len(body), size):
        yield body[i : i + size]


class _Connection:
    """One client connection: read requests with h11, answer each, keep alive."""

    def __init__(self, emu: Emulator, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.emu = emu
        self.reader = reader
        self.writer = writer
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD_SIZE)
        sock = writer.get_extra_info("socket")
        self.sock: Any = sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # Flush every write to the socket before drain() returns, so pieces go out one by one.
        writer.transport.set_write_buffer_limits(high=0)

    async def run(self) -> None:
        try:
            while True:
                if not await self.serve_one():
                    break
                if self.conn.our_state is h11.MUST_CLOSE or self.conn.their_state is h11.MUST_CLOSE:
                    break
                try:
                    self.conn.start_next_cycle()
                except h11.LocalProtocolError:
                    break
        except _Abort:
            pass
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            self.abort()
            raise
        except Exception:
            log.exception("emulator connection failed")
        finally:
            self.close()

    # --- i/o ------------------------------------------------------------------------------

    async def next_event(self) -> Any:
        while True:
            event = self.conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            data = await self.reader.read(_READ_SIZE)
            self.conn.receive_data(data)

    async def send(self, event: Any) -> None:
        data = self.conn.send(event)
        if data:
            self.writer.write(data)
            await self.writer.drain()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()

    def abort(self) -> None:
        """Reset the connection (RST), after the kernel has sent what was written."""
        with contextlib.suppress(Exception):
            if self.sock is not None:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    async def flush_kernel(self) -> None:
        """Wait (briefly) until the kernel's send queue is empty, where that can be asked."""
        try:
            import fcntl
            import termios

            fd = self.sock.fileno()
            deadline = time.monotonic() + _FLUSH_WAIT
            buf = bytearray(4)
            while time.monotonic() < deadline:
                fcntl.ioctl(fd, termios.TIOCOUTQ, buf)
                if struct.unpack("i", buf)[0] == 0:
                    return
                await asyncio.sleep(0.002)
        except (ImportError, AttributeError, OSError):
            await asyncio.sleep(0.02)

    # --- one request ----------------------------------------------------------------------

    async def serve_one(self) -> bool:
        """Read and answer one request; False when the connection is done."""
        try:
            event = await self.next_event()
        except h11.RemoteProtocolError as exc:
            await self.reject_malformed(exc)
            return False
        if isinstance(event, h11.ConnectionClosed):
            return False
        if not isinstance(event, h11.Request):
            return False
        request_id = new_request_id()
        method = event.method.decode("ascii", "replace")
        target = event.target.decode("ascii", "replace")
        path, _, query = target.partition("?")
        headers: dict[str, str] = {}
        for name, value in event.headers:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text

        response: _Response
        body = b""
        too_large = False
        try:
            body, too_large = await self.read_body(headers)
        except h11.RemoteProtocolError as exc:
            await self.reject_malformed(exc)
            return False
        parsed: Any = None
        parse_error: ApiError | None = None
        try:
            parsed = parse_json(body)
        except ApiError as exc:
            parse_error = exc
        record = RecordedRequest(
            method=method,
            path=path,
            query=dict(parse_qsl(query, keep_blank_values=True)),
            headers=headers,
            body=body,
            json=parsed,
            request_id=request_id,
        )
        self.emu._record(record)

        fault: Fault | None = None
        try:
            response, fault = self.route(record, parse_error, too_large)
        except ApiError as exc:
            response = _error_response(exc, request_id)
        except Exception as exc:  # a bug must not take the server down; say so like the API would
            log.exception("emulator failed to answer %s %s", method, path)
            response = _error_response(ApiError(500, f"emulator error: {exc!r}"), request_id)
        if too_large:
            response.headers.append(("connection", "close"))
        if method == "HEAD":
            response = _Response(response.status, response.headers)
        if self.emu._on_request is not None:
            with contextlib.suppress(Exception):
                self.emu._on_request(record, response.status)
        await self.write_response(response, fault)
        return not too_large

    async def read_body(self, headers: dict[str, str]) -> tuple[bytes, bool]:
        limit = self.emu.max_body_size
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return b"", True
        if self.conn.client_is_waiting_for_100_continue:
            await self.send(h11.InformationalResponse(status_code=100, headers=[]))
        parts: list[bytes] = []
        size = 0
        while True:
            event = await self.next_event()
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size > limit:
                    return b"", True
                parts.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return b"".join(parts), False
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("client closed the connection mid-request")

    async def reject_malformed(self, exc: h11.RemoteProtocolError) -> None:
        """Answer what h11 could not parse with a 400 (or the status it suggests), then close."""
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        status = exc.error_status_hint if 400 <= exc.error_status_hint < 600 else 400
        response = _error_response(ApiError(status, f"Malformed HTTP request: {exc}"), new_request_id())
        response.headers.append(("connection", "close"))
        with contextlib.suppress(Exception):
            await self.write_response(response, None)

    def route(
        self, request: RecordedRequest, parse_error: ApiError | None, too_large: bool
    ) -> tuple[_Response, Fault | None]:
        """The response to a request, and the fault it got (if any)."""
        emu, path, request_id = self.emu, request.path, request.request_id
        if is_batch_path(path):
            return self.route_batches(request, parse_error, too_large)
        if path not in (MESSAGES_PATH, COUNT_TOKENS_PATH):
            raise ApiError(404, f"Not found: {path}")
        if request.method != "POST":
            error = ApiError(405, f"Method {request.method} is not allowed for {path}; use POST")
            return _error_response(error, request_id, [("allow", "POST")]), None
        header_text = request.headers.get(FAULT_HEADER)
        header_fault = parse_fault_header(header_text) if header_text is not None else None
        fault = emu._state.faults.take(header_fault, header_text or "")
        if fault is not None and fault.status is not None:
            return _fault_error(fault, request_id), fault
        if too_large:
            raise ApiError(413, f"Request exceeds the maximum allowed number of bytes ({emu.max_body_size}).")
        emu._check_auth(request.headers)
        if parse_error is not None:
            raise parse_error
        body = require_object(request.json)
        if path == COUNT_TOKENS_PATH:
            validate_count_tokens(body)
            return _json_response(200, {"input_tokens": estimate_input_tokens(body)}, request_id), fault
        validate_messages(body)
        stream = body.get("stream") is True
        reply = emu._next_reply()
        if reply is not None and reply.fault is not None:
            fault = fault.merged(reply.fault) if fault is not None else reply.fault
            if fault.status is not None:
                return _fault_error(fault, request_id), fault
        if fault is not None and fault.error_event is not None and not stream:
            error = ApiError(STATUS_FOR_TYPE.get(fault.error_event, 500), fault.message, fault.error_event)
            return _error_response(error, request_id, fault.retry_headers()), fault
        return _build(reply, body, stream, request_id, fault), fault

    def route_batches(
        self, request: RecordedRequest, parse_error: ApiError | None, too_large: bool
    ) -> tuple[_Response, Fault | None]:
        """``/v1/messages/batches...``: faults, size, auth and JSON as for Messages, then the batch routes."""
        emu, request_id = self.emu, request.request_id
        header_text = request.headers.get(FAULT_HEADER)
        header_fault = parse_fault_header(header_text) if header_text is not None else None
        fault = emu._state.faults.take(header_fault, header_text or "")
        if fault is not None and fault.status is not None:
            return _fault_error(fault, request_id), fault
        if too_large:
            raise ApiError(413, f"Request exceeds the maximum allowed number of bytes ({emu.max_body_size}).")
        emu._check_auth(request.headers)
        if parse_error is not None and request.method == "POST" and request.body:
            raise parse_error
        status, body, headers = emu._batch_routes.dispatch(
            request.method, request.path, request.query, request.headers, request.json, len(request.body)
        )
        if isinstance(body, dict):
            if body.get("type") == "error":
                body = {**body, "request_id": request_id}
            return _json_response(status, body, request_id, headers), fault
        return _Response(status, [*headers, ("request-id", request_id)], pieces=body), fault

    # --- writing --------------------------------------------------------------------------

    async def write_response(self, response: _Response, fault: Fault | None) -> None:
        cut, clean_eof, latency = None, False, 0.0
        if fault is not None:
            latency = (fault.latency_ms or 0) / 1000
            if fault.eof_after is not None and (
                fault.disconnect_after is None or fault.eof_after < fault.disconnect_after
            ):
                cut, clean_eof = fault.eof_after, True
            elif fault.disconnect_after is not None:
                cut = fault.disconnect_after
        headers = list(response.headers)
        if response.pieces is None and not clean_eof:
            headers.append(("content-length", str(len(response.body))))
        await self.send(
            h11.Response(status_code=response.status, headers=headers, reason=_reason(response.status))
        )
        if response.pieces is None:
            if latency:
                await asyncio.sleep(latency)
            pieces: Iterator[bytes] = iter((response.body,))
        else:
            pieces = response.pieces
        gap = response.gap + latency
        body = _BodyWriter(self, cut)
        for i, piece in enumerate(pieces):
            if gap and i:
                await asyncio.sleep(gap)
            if not await body.write(piece):
                break
        if cut is not None and not clean_eof:
            await self.flush_kernel()
            self.abort()
            raise _Abort()
        await self.send(h11.EndOfMessage())


class _BodyWriter:
    """Writes body bytes, stopping after ``cut`` of them when a fault says so."""

    def __init__(self, connection: _Connection, cut: int | None) -> None:
        self.connection = connection
        self.left = cut

    async def write(self, data: bytes) -> bool:
        """Send ``data`` (or the part of it before the cut); False once the cut is reached."""
        if self.left is not None:
            if len(data) >= self.left:
                data, self.left = data[: self.left], 0
                if data:
                    await self.connection.send(h11.Data(data=data))
                return False
            self.left -= len(data)
        if data:
            await self.connection.send(h11.Data(data=data))
        return True


def _reason(status: int) -> bytes:
    if status == 529:
        return b"Overloaded"
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


def _override(headers: list[tuple[str, str]], custom: list[tuple[str, str]]) -> list[tuple[str, str]]:
    names = {k.lower() for k, _ in custom}
    return [(k, v) for k, v in headers if k.lower() not in names] + custom


def _fault_error(fault: Fault, request_id: str) -> _Response:
    assert fault.status is not None
    error = ApiError(fault.status, fault.message, fault.error_type)
    return _error_response(error, request_id, fault.retry_headers())


def _build(
    reply: Reply | None, request: dict[str, Any], stream: bool, request_id: str, fault: Fault | None
) -> _Response:
    """The 2xx (or scripted) response: a generated or scripted message, or a scripted body."""
    extra = fault.retry_headers() if fault is not None else []
    if reply is None or reply.kind == "message":
        draft = generate(request) if reply is None else _scripted_draft(reply, request)
        if not stream:
            message = draft.message()
            if reply is not None:
                message.update(reply.extra)
            return _json_response(200, message, request_id, extra)
        events: Iterator[Event] = message_events(draft)
        if fault is not None and fault.error_event is not None:
            error = error_event(fault.error_event, fault.message)
            events = with_error_event(events, error, fault.error_event_after or 0)
        return _Response(200, _sse_headers(request_id) + extra, pieces=map(encode, events))
    custom = list((reply.headers or {}).items())
    if reply.kind == "sse":
        headers = _override(_sse_headers(request_id) + extra, custom)
        return _Response(
            reply.status, headers, pieces=_pieces(reply.body, reply.chunk_size), gap=reply.chunk_delay
        )
    headers = _override([("content-type", "application/json"), ("request-id", request_id), *extra], custom)
    if reply.kind == "error":
        scripted = ApiError(reply.status, reply.error_message, reply.error_type)
        body = error_body(scripted.error_type, scripted.message, request_id)
        return _Response(reply.status, headers, dumps(body).encode())
    return _Response(reply.status, headers, reply.body)


def _scripted_draft(reply: Reply, request: dict[str, Any]) -> Draft:
    return draft_from_content(
        request,
        [dict(b) for b in reply.content],
        stop_reason=reply.stop_reason,
        stop_sequence=reply.stop_sequence,
        usage=dict(reply.usage) if reply.usage is not None else None,
        model=reply.model,
        message_id=reply.id,
    )
