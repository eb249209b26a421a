"""The emulator's HTTP transport: h11 over asyncio streams, one task per connection.

It reads a request, hands it to a :class:`~._handler.Handler` on a worker
thread (so slow work never holds the event loop, and other clients are
served meanwhile), and writes the :class:`~._handler.Outcome` back: a whole
body, or pieces each written and flushed on their own (chunked encoding,
``TCP_NODELAY``).  It applies the transport side of a fault: latency, a clean
early end (``eof_after``) or a reset (``disconnect_after``).

Time limits (:class:`Limits`): a request head must arrive within
``header_timeout`` of its first byte; an idle keep-alive connection is closed
after ``idle_timeout``; a stalled body or a client that stops reading is cut
after ``io_timeout``; the handler gets ``work_timeout`` to answer.  The
transport knows nothing of the emulator object: it gets the handler, the
limits, the pool and a callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar

import h11

from ._faults import Fault
from ._handler import Handler, Incoming, Outcome, Response, error_response
from ._replies import RecordedRequest
from ._wire import Rejected, new_request_id

__all__ = ["Limits", "WorkerPool", "refuse_connection", "serve_connection"]

log = logging.getLogger("anthropic.emulator")

_READ_SIZE = 64 * 1024
_MAX_HEAD_SIZE = 64 * 1024
_FLUSH_WAIT = 2.0

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """Per-connection time limits and the server's connection limit (seconds, counts)."""

    header_timeout: float = 10.0
    idle_timeout: float = 60.0
    io_timeout: float = 30.0
    work_timeout: float = 60.0
    max_connections: int = 0  # 0: derived from the process's file-descriptor limit

    def connection_limit(self) -> int:
        if self.max_connections > 0:
            return self.max_connections
        try:
            import resource

            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        except (ImportError, OSError, ValueError):
            return 1000
        if soft == resource.RLIM_INFINITY:
            return 1000
        return max(4, min(1000, int(soft) - 64))


class WorkerPool:
    """Daemon worker threads running handler calls, so the event loop never computes replies.

    Daemon threads, so a process told to stop exits even while a worker is busy.
    """

    def __init__(self, workers: int = 4) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"anthropic-emulator-worker-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((future, fn))
        return future

    def shutdown(self) -> None:
        for _ in self._threads:
            self._jobs.put(None)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            future, fn = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)


class _Abort(Exception):
    """The connection was reset on purpose (``disconnect_after``), or must be dropped."""


class _Timeout(Exception):
    """The client was too slow; ``answer`` says whether a 408 is owed."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer


def _reason(status: int) -> bytes:
    if status == 529:
        return b"Overloaded"
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


def _raw_head(response: Response) -> bytes:
    """The status line and headers of a whole-body response, written without h11 (then closed)."""
    lines = [f"HTTP/1.1 {response.status} {_reason(response.status).decode()}"]
    lines += [f"{k}: {v}" for k, v in response.headers]
    lines.append(f"content-length: {len(response.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def refuse_connection(writer: asyncio.StreamWriter, reader: asyncio.StreamReader, limit: int) -> None:
    """Answer a connection over the limit with a 503 and close it, without reading a request."""
    request_id = new_request_id()
    response = error_response(
        Rejected(503, f"The emulator has too many open connections (limit {limit}); retry later."),
        request_id,
        [("retry-after", "1"), ("connection", "close")],
    )
    try:
        writer.write(_raw_head(response) + response.body)
        await asyncio.wait_for(writer.drain(), 1.0)
        if writer.can_write_eof():
            writer.write_eof()
        # Read what the client sent, so closing does not reset the connection before it reads the 503.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(reader.read(_READ_SIZE), 0.5)
    except (OSError, asyncio.TimeoutError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    handler: Handler,
    limits: Limits,
    pool: WorkerPool,
    on_answer: Callable[[RecordedRequest, int], None] | None,
) -> None:
    await _Connection(reader, writer, handler, limits, pool, on_answer).run()


class _Connection:
    """One client connection: read requests with h11, answer each, keep alive."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        handler: Handler,
        limits: Limits,
        pool: WorkerPool,
        on_answer: Callable[[RecordedRequest, int], None] | None,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.handler = handler
        self.limits = limits
        self.pool = pool
        self.on_answer = on_answer
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD_SIZE)
        self.head_started: float | None = None
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
        except _Timeout as exc:
            if exc.answer:
                await self.reject(Rejected(408, "The request was not received in time."))
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

    def _read_timeout(self, in_body: bool) -> float:
        if in_body:
            return self.limits.io_timeout
        if self.head_started is None:
            return self.limits.idle_timeout
        return max(0.0, self.limits.header_timeout - (time.monotonic() - self.head_started))

    async def next_event(self, in_body: bool = False) -> Any:
        while True:
            event = self.conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            try:
                data = await asyncio.wait_for(self.reader.read(_READ_SIZE), self._read_timeout(in_body))
            except asyncio.TimeoutError:
                raise _Timeout(answer=in_body or self.head_started is not None) from None
            if data and self.head_started is None:
                self.head_started = time.monotonic()
            self.conn.receive_data(data)

    async def send(self, event: Any) -> None:
        data = self.conn.send(event)
        if data:
            self.writer.write(data)
            try:
                await asyncio.wait_for(self.writer.drain(), self.limits.io_timeout)
            except asyncio.TimeoutError:
                self.abort()
                raise _Abort() from None

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
        self.head_started = None
        try:
            event = await self.next_event()
        except h11.RemoteProtocolError as exc:
            await self.reject_malformed(exc)
            return False
        if not isinstance(event, h11.Request):
            return False
        headers: dict[str, str] = {}
        for name, value in event.headers:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        try:
            body, too_large = await self.read_body(headers)
        except h11.RemoteProtocolError as exc:
            await self.reject_malformed(exc)
            return False
        incoming = Incoming(
            method=event.method.decode("ascii", "replace"),
            target=event.target.decode("ascii", "replace"),
            headers=headers,
            body=body,
            too_large=too_large,
        )
        outcome = await self.answer(incoming)
        response = outcome.response
        if incoming.method == "HEAD":
            response = Response(response.status, response.headers, close=response.close)
        if response.close:
            response.headers.append(("connection", "close"))
        if self.on_answer is not None:
            with contextlib.suppress(Exception):
                self.on_answer(outcome.record, response.status)
        await self.write_response(response, outcome.fault)
        return not response.close

    async def answer(self, incoming: Incoming) -> Outcome:
        future = self.pool.submit(lambda: self.handler.handle(incoming))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.work_timeout)
        except asyncio.TimeoutError:
            error = Rejected(
                504, f"The emulator could not answer within {self.limits.work_timeout:g} seconds."
            )
            record = RecordedRequest(incoming.method, incoming.target, {}, incoming.headers, b"", None, "")
            return Outcome(error_response(error, new_request_id()), None, record)

    async def read_body(self, headers: dict[str, str]) -> tuple[bytes, bool]:
        limit = self.handler.max_body_size
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return b"", True
        if self.conn.client_is_waiting_for_100_continue:
            await self.send(h11.InformationalResponse(status_code=100, headers=[]))
        parts: list[bytes] = []
        size = 0
        while True:
            event = await self.next_event(in_body=True)
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size > limit:
                    return b"", True
                parts.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return b"".join(parts), False
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("client closed the connection mid-request")

    async def reject(self, error: Rejected) -> None:
        """Answer with ``error`` and close, unless a response has already begun."""
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        response = error_response(error, new_request_id())
        response.headers.append(("connection", "close"))
        self.writer.write(_raw_head(response) + response.body)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.writer.drain(), 1.0)

    async def reject_malformed(self, exc: h11.RemoteProtocolError) -> None:
        """Answer what h11 could not parse with a 400 (or the status it suggests), then close."""
        status = exc.error_status_hint if 400 <= exc.error_status_hint < 600 else 400
        await self.reject(Rejected(status, f"Malformed HTTP request: {exc}"))

    # --- writing --------------------------------------------------------------------------

    async def write_response(self, response: Response, fault: Fault | None) -> None:
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
