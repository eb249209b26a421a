"""The :class:`Emulator`: its lifecycle, its scripting API, and the server it runs.

The server runs on its own asyncio loop in a daemon thread, never the
caller's, so one emulator serves sync and async test code alike.  This module
wires the parts together and owns nothing else: routes come from ``_routes``
and ``_batches`` (or ``_cassettes`` when recording or replaying), answers
from the pure ``_handler``, bytes from ``_transport``; the batch worker
thread runs while the server does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType

from typing_extensions import Self

from ._batches import BatchPlan, BatchStore, BatchWorker, batch_routes
from ._faults import Fault, FaultBook
from ._generate import generate
from ._handler import Auth, Handler, RequestLog, Route, Script
from ._replies import RecordedRequest, Reply
from ._routes import API_ROUTES
from ._transport import Limits, WorkerPool, refuse_connection, serve_connection
from ._validate import validate_messages

__all__ = ["Emulator"]

log = logging.getLogger("anthropic.emulator")

DEFAULT_MAX_BODY_SIZE = 32 * 1024 * 1024
_READ_SIZE = 64 * 1024
_START_TIMEOUT = 10.0
_BATCH_START_DELAY = 0.25  # seconds a new batch waits before processing, so it is seen in progress


class Emulator:
    """A local server that speaks the Messages API.

    Use it as ``with Emulator() as emu:`` (or ``async with``), or call
    :meth:`start` and :meth:`stop`.  Point a client at :attr:`base_url` with
    any API key.  Script exact replies with :meth:`enqueue`, inject faults with
    :meth:`add_fault` or the ``x-emulator-fault`` header, and read what was
    received in :attr:`requests`.

    ``api_keys``: accept only these keys (``x-api-key``, ``api-key`` or bearer
    token); by default any non-empty key is accepted.  ``aws_keys``: access
    key id to secret key; SigV4 signatures are then verified with them (by
    default any well-formed signature is accepted).  ``require_auth=False``
    accepts requests without a key.

    Besides the first-party routes, the emulator speaks the platforms'
    envelopes: Bedrock (``/model/{model}/invoke...``), Vertex AI
    (``/v1/projects/.../models/{model}:rawPredict``), Foundry and Mantle
    (``/anthropic/v1/...``); see ``_platforms``.  ``max_body_size``: larger requests get 413.
    ``record_requests=False`` keeps no record (for long-running servers);
    ``max_recorded_requests`` bounds the record otherwise.
    ``on_request(recorded_request, status)`` is called after each answer.
    ``max_fault_keys`` bounds how many header-fault counters are kept.
    ``routes`` replaces the route table (for the emulator's own surfaces).
    Message Batches are kept in :attr:`batches` and processed by a
    background thread while the emulator runs.
    ``allow_unknown_params=True`` accepts top-level request fields the API
    does not know (the API refuses them).

    ``replay=DIR`` serves the cassettes in ``DIR`` instead of generating;
    ``record=DIR`` with ``upstream=URL`` forwards every request to ``URL`` and
    stores each exchange in ``DIR`` (the key comes from ``ANTHROPIC_API_KEY``
    or the request; it is never written).

    Limits: ``header_timeout``, ``idle_timeout``, ``io_timeout`` and
    ``work_timeout`` in seconds; ``max_connections`` (default: from the
    process's file-descriptor limit, at most 1000); ``workers`` threads
    compute replies.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_keys: Iterable[str] | None = None,
        aws_keys: Mapping[str, str] | None = None,
        require_auth: bool = True,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        on_request: Callable[[RecordedRequest, int], None] | None = None,
        record_requests: bool = True,
        max_recorded_requests: int = 10_000,
        replay: str | os.PathLike[str] | None = None,
        record: str | os.PathLike[str] | None = None,
        upstream: str | None = None,
        header_timeout: float = 10.0,
        idle_timeout: float = 60.0,
        io_timeout: float = 30.0,
        work_timeout: float = 60.0,
        max_connections: int = 0,
        workers: int = 4,
        allow_unknown_params: bool = False,
        max_fault_keys: int = 4096,
        routes: Sequence[Route] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.api_keys = frozenset(api_keys) if api_keys is not None else None
        self.require_auth = require_auth
        self.max_body_size = max_body_size
        self.limits = Limits(
            header_timeout=header_timeout,
            idle_timeout=idle_timeout,
            io_timeout=io_timeout,
            work_timeout=work_timeout,
            max_connections=max_connections,
        )
        self._on_request = on_request
        self._script = Script()
        self._faults = FaultBook(max_fault_keys)
        self._log = RequestLog(record_requests, max_recorded_requests)
        self.batches = BatchStore(
            validate=lambda params: validate_messages(params, allow_unknown=allow_unknown_params),
            reply=lambda params: generate(params).message(),
            plan=BatchPlan(delay=_BATCH_START_DELAY),
        )
        """The Message Batches this emulator holds (``/v1/messages/batches``)."""
        self._batch_worker = BatchWorker(self.batches)
        self._handler = Handler(
            tuple(routes) if routes is not None else _routes_for(replay, record, upstream, self.batches),
            auth=Auth(api_keys, require_auth, aws_keys),
            faults=self._faults,
            script=self._script,
            requests=self._log,
            max_body_size=max_body_size,
            allow_unknown_params=allow_unknown_params,
        )
        self._workers = workers
        self._pool: WorkerPool | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._lifecycle = threading.Lock()
        self._open_connections = 0

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
            self._pool = WorkerPool(self._workers)
            thread = threading.Thread(
                target=self._run, args=(listener, self._pool), name="anthropic-emulator", daemon=True
            )
            thread.start()
            if not self._ready.wait(_START_TIMEOUT):
                raise RuntimeError("the emulator did not start in time")
            if self._startup_error is not None:
                thread.join()
                self._pool.shutdown()
                raise self._startup_error
            self._thread = thread
            self.batches.base_url = self.base_url
            self._batch_worker.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections; safe to call more than once."""
        with self._lifecycle:
            thread, loop, stopping, pool = self._thread, self._loop, self._stopping, self._pool
            if thread is None or loop is None or stopping is None:
                return
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopping.set)
            thread.join(timeout=10)
            self._batch_worker.stop()
            if pool is not None:
                pool.shutdown()
            self._thread = None
            self._loop = None
            self._stopping = None
            self._pool = None

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

    @property
    def open_connections(self) -> int:
        """How many client connections are open now."""
        return self._open_connections

    # --- scripting ------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        """Queue replies for the next Messages requests (first-party or a platform's), in order."""
        for reply in replies:
            if not isinstance(reply, Reply):
                raise TypeError(f"enqueue() takes Reply objects, not {type(reply).__name__}")
        self._script.extend(replies)

    def add_fault(self, fault: Fault) -> None:
        """Apply ``fault`` to later API requests (see :class:`Fault` for ``times`` and ``key``)."""
        if not isinstance(fault, Fault):
            raise TypeError(f"add_fault() takes a Fault, not {type(fault).__name__}")
        self._faults.add(fault)

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first (a copy)."""
        return self._log.snapshot()

    @property
    def pending_replies(self) -> int:
        """How many enqueued replies are still waiting for a request."""
        return len(self._script)

    def bookkeeping(self) -> dict[str, int]:
        """What the emulator holds in memory now: recorded requests, added faults, fault counters, replies, batches."""
        added, counters = self._faults.sizes
        return {
            "requests": len(self._log),
            "faults": added,
            "fault_counters": counters,
            "pending_replies": len(self._script),
            "batches": len(self.batches),
        }

    def reset(self) -> None:
        """Forget queued replies, faults (and header fault counts), recorded requests and batches."""
        self._script.clear()
        self._log.clear()
        self._faults.clear()
        self.batches.clear()

    # --- the server thread ----------------------------------------------------------------

    def _run(self, listener: socket.socket, pool: WorkerPool) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(listener, pool))
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

    async def _serve(self, listener: socket.socket, pool: WorkerPool) -> None:
        self._stopping = asyncio.Event()
        connections: set[asyncio.Task[None]] = set()
        writers: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        limit = self.limits.connection_limit()
        handler, limits, on_answer = self._handler, self.limits, self._on_request

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            if len(connections) >= limit:
                await refuse_connection(writer, reader, limit)
                return
            connections.add(task)
            writers[task] = writer
            self._open_connections = len(connections)
            try:
                await serve_connection(reader, writer, handler, limits, pool, on_answer)
            except asyncio.CancelledError:
                pass  # the server is stopping; the connection has been reset
            finally:
                connections.discard(task)
                writers.pop(task, None)
                self._open_connections = len(connections)

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
                await asyncio.wait(connections, timeout=0.5)
            # A task can miss its cancellation (before Python 3.12, ``asyncio.wait_for`` swallows a
            # cancel that lands as its inner wait completes): drop what is still open all the same,
            # and let those tasks end on the closed connection.
            for writer in list(writers.values()):
                with contextlib.suppress(Exception):
                    writer.transport.abort()
            if connections:
                await asyncio.wait(connections, timeout=5)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(server.wait_closed(), timeout=5)


def _routes_for(
    replay: str | os.PathLike[str] | None,
    record: str | os.PathLike[str] | None,
    upstream: str | None,
    batches: BatchStore,
) -> tuple[Route, ...]:
    if replay is not None and record is not None:
        raise ValueError("replay= and record= cannot be combined")
    if record is not None or upstream is not None:
        if record is None or upstream is None:
            raise ValueError("record= and upstream= go together: where to store, and where to forward")
        from ._cassettes import recording_routes

        return recording_routes(record, upstream)
    if replay is not None:
        from ._cassettes import replay_routes

        return replay_routes(replay)
    from ._platforms import PLATFORM_ROUTES

    return API_ROUTES + batch_routes(batches) + PLATFORM_ROUTES
