"""Reading a streamed response: one pure core, two thin shells.

:class:`StreamCore` is the whole protocol with no I/O: bytes in, the objects
a caller sees out, typed exceptions for everything that can go wrong.  It
chains the SSE decoder, the JSON decoding of each event and the message
accumulator, and holds back ``message_start`` until the next event, so that a
stream that fails before anything reached the caller can be retried
invisibly.

:class:`SyncEventPump` and :class:`AsyncEventPump` move bytes from a response
into a core and objects out of it; on a failure before delivery they ask the
retry policy and re-send the request.  ``Stream`` / ``AsyncStream`` (the raw
events of ``messages.create(stream=True)``) and the message streams of
:mod:`anthropic.lib.streaming` are built on them.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2
from pydantic_core import from_json
from typing_extensions import Self

from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    IncompleteStreamError,
    StructuredOutputError,
    error_event_exception,
)
from ._retry import should_retry_response
from ._sse import SSEDecoder, SSEError
from .lib.streaming._accumulator import ErrorEvent, MessageAccumulator, ProtocolError

if TYPE_CHECKING:
    from ._client import Anthropic, AsyncAnthropic, PreparedRequest

__all__ = ["AsyncEventPump", "AsyncStream", "Stream", "StreamCore", "SyncEventPump"]

_T = TypeVar("_T")
_EMPTY: list[Any] = []


def _is_json(data: str) -> bool:
    try:
        from_json(data)
    except ValueError:
        return False
    return True


def _is_error_or_ping(data: Any) -> bool:
    return type(data) is dict and data.get("type") in ("error", "ping")


class StreamCore:
    """Bytes of one response in, stream objects out; no I/O.

    ``delivered`` turns true when the first objects are handed out; until then
    a failure may be retried with a fresh request.
    """

    __slots__ = ("_held", "accumulator", "decoder", "delivered", "response")

    def __init__(self, accumulator: MessageAccumulator, response: httpx2.Response) -> None:
        self.accumulator = accumulator
        self.response = response
        self.decoder = SSEDecoder()
        self.delivered = False
        self._held: list[Any] = []

    def feed(self, chunk: bytes) -> Iterable[Any]:
        """The objects completed by ``chunk`` (often none, often several).

        The events of a chunk are applied to the accumulator one at a time, as
        the caller takes their objects: a snapshot read while handling an event
        shows the message as of that event, not as of the end of the chunk.
        """
        try:
            records = self.decoder.feed(chunk)
        except SSEError as exc:
            raise self.invalid(f"The stream's bytes are not valid server-sent events: {exc}", None)
        if not records:
            return _EMPTY
        return self._apply(records)

    def _apply(self, records: list[Any]) -> Iterator[Any]:
        out: list[Any] = []
        feed = self.accumulator.feed
        for record in records:
            try:
                data = from_json(record.data)
            except ValueError as exc:
                raise self.invalid(
                    f"The data of a {record.event or 'message'!r} event is not valid JSON ({exc}): "
                    f"{record.data[:200]!r}",
                    record.data,
                )
            if self._held and not _is_error_or_ping(data):
                # Something other than an error follows message_start: hand it over first,
                # before this event changes the snapshot.
                self.delivered = True
                held, self._held = self._held, []
                yield from held
            try:
                feed(data, out)
            except ErrorEvent as exc:
                raise error_event_exception(self.response, exc.body, partial_message=self.partial_message())
            except ProtocolError as exc:
                raise self.invalid(f"The stream broke the Messages API protocol: {exc}", exc.body)
            except StructuredOutputError as exc:
                exc.request_id = self.request_id
                exc.partial_message = self.partial_message()
                raise
            if out:
                if self.delivered:
                    yield from out
                else:
                    self._held.extend(out)
                out = []

    def end(self) -> list[Any]:
        """The body ended: what is held back and an unclosed last event, or the error for a truncation."""
        inside = self.decoder.pending
        try:
            # An unclosed last event whose data is not JSON was cut inside its data lines: a truncation.
            records = [r for r in self.decoder.end() if _is_json(r.data)]
        except SSEError as exc:
            raise self.invalid(f"The stream's bytes are not valid server-sent events: {exc}", None)
        last = list(self._apply(records)) if records else []
        if not self.accumulator.stopped:
            pending = " (it stopped inside an event)" if inside else ""
            blocks = len(self.accumulator.blocks)
            raise IncompleteStreamError(
                message=(
                    "The stream ended before message_stop: the answer is incomplete"
                    f"{pending}; {blocks} content block(s) had started."
                ),
                request=self.response.request,
                request_id=self.request_id,
                partial_message=self.partial_message(),
            )
        self.delivered = True
        held, self._held = self._held, []
        return held + last

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("request-id")
        return request_id

    def partial_message(self) -> Any:
        try:
            return self.accumulator.snapshot()
        except Exception:
            return None

    def invalid(self, message: str, body: object) -> APIResponseValidationError:
        return APIResponseValidationError(
            self.response, body, message=message, partial_message=self.partial_message()
        )

    def closed_error(self) -> IncompleteStreamError:
        """The error for reading on after the caller closed the stream before ``message_stop``."""
        return IncompleteStreamError(
            message="The stream was closed before message_stop: there is no final message.",
            request=self.response.request,
            request_id=self.request_id,
            partial_message=self.partial_message(),
        )

    def transport_error(self, exc: Exception) -> APIConnectionError:
        """The typed error for an httpx2 failure while reading the body."""
        request = self.response.request
        if isinstance(exc, httpx2.TimeoutException):
            return APITimeoutError(
                request,
                message="The stream stalled: no bytes within the read timeout.",
                request_id=self.request_id,
                partial_message=self.partial_message(),
            )
        return APIConnectionError(
            message=f"The connection failed during the stream: {exc}",
            request=request,
            request_id=self.request_id,
            partial_message=self.partial_message(),
        )

    def retryable(self, error: APIError) -> bool:
        """Whether ``error`` may be retried: nothing was delivered and the kind allows it.

        An ``error`` event is judged like the status its type carries, with the
        response's ``x-should-retry`` header, as an error status would be; the
        pumps likewise take the delay from the response's ``retry-after`` headers.
        """
        if self.delivered:
            return False
        if isinstance(error, APIStatusError):
            return should_retry_response(error.status_code, self.response.headers)
        return isinstance(error, APIConnectionError)


class SyncEventPump:
    """Moves one streamed response through a :class:`StreamCore`, re-sending on early failure.

    :meth:`run` is the generator of the stream's objects; the stream that
    iterates it holds it, and the pump holds no reference back, so a stream
    dropped without ``close()`` is freed (and its connection closed) by
    reference counting right at the caller's ``del``.  Were it left to the
    cyclic garbage collector, httpx2's cleanup could run inside any allocation,
    even one made while the connection pool holds its (non-reentrant) lock.
    """

    def __init__(
        self,
        client: Anthropic,
        prep: PreparedRequest,
        response: httpx2.Response,
        make_accumulator: Callable[[], MessageAccumulator],
    ) -> None:
        self._client = client
        self._prep = prep
        self._make_accumulator = make_accumulator
        self.core = StreamCore(make_accumulator(), response)
        self._closed = False

    @property
    def response(self) -> httpx2.Response:
        return self.core.response

    def run(self) -> Iterator[Any]:
        """The objects of the stream, re-sending the request on a failure before any (call once)."""
        while True:
            core = self.core
            try:
                try:
                    for chunk in core.response.iter_bytes():
                        out = core.feed(chunk)
                        if out:
                            yield from out
                    out = core.end()
                except (httpx2.HTTPError, httpx2.StreamError) as exc:
                    # After close(), reading on fails on the closed socket: say what happened.
                    raise (core.closed_error() if self._closed else core.transport_error(exc)) from exc
                yield from out
                self.close()
                return
            except APIError as error:
                retry = core.retryable(error) and not self._closed
                delay = self._prep.retry_delay(core.response.headers) if retry else None
                core.response.close()
                if delay is None:
                    self._closed = True
                    raise
                time.sleep(delay)
                self._prep.retries_taken += 1
                response = self._client._send(self._prep, stream=True)
                self.core = StreamCore(self._make_accumulator(), response)

    def close(self) -> None:
        self._closed = True
        self.core.response.close()


async def aclose_shielded(response: httpx2.Response) -> None:
    """Close ``response`` even if the task is cancelled meanwhile.

    httpcore2 shields its own close with anyio, which does not hold against
    asyncio's ``Task.cancel()``: a cancellation landing inside the close would
    leave the connection checked out of the pool for good.  Under asyncio the
    close runs in a task of its own, so the caller may be cancelled while the
    connection still goes back to the pool.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # another event loop (trio): anyio's shield holds there
        await response.aclose()
        return
    await asyncio.shield(asyncio.ensure_future(response.aclose()))


class AsyncEventPump:
    """The mirror image of :class:`SyncEventPump` for ``asyncio`` (no reference to :meth:`run` either)."""

    def __init__(
        self,
        client: AsyncAnthropic,
        prep: PreparedRequest,
        response: httpx2.Response,
        make_accumulator: Callable[[], MessageAccumulator],
    ) -> None:
        self._client = client
        self._prep = prep
        self._make_accumulator = make_accumulator
        self.core = StreamCore(make_accumulator(), response)
        self._closed = False

    @property
    def response(self) -> httpx2.Response:
        return self.core.response

    async def run(self) -> AsyncIterator[Any]:
        """The objects of the stream, re-sending the request on a failure before any (call once)."""
        import anyio

        while True:
            core = self.core
            try:
                try:
                    async for chunk in core.response.aiter_bytes():
                        out = core.feed(chunk)
                        if out:
                            for obj in out:
                                yield obj
                    out = core.end()
                except (httpx2.HTTPError, httpx2.StreamError) as exc:
                    # After close(), reading on fails on the closed socket: say what happened.
                    raise (core.closed_error() if self._closed else core.transport_error(exc)) from exc
                for obj in out:
                    yield obj
                await self.close()
                return
            except APIError as error:
                retry = core.retryable(error) and not self._closed
                delay = self._prep.retry_delay(core.response.headers) if retry else None
                await aclose_shielded(core.response)
                if delay is None:
                    self._closed = True
                    raise
                await anyio.sleep(delay)
                self._prep.retries_taken += 1
                response = await self._client._send(self._prep, stream=True)
                self.core = StreamCore(self._make_accumulator(), response)

    async def close(self) -> None:
        self._closed = True
        await aclose_shielded(self.core.response)


class Stream(Generic[_T]):
    """The raw events of ``messages.create(stream=True)``.

    Iterate it (once); use it as a context manager or call :meth:`close` to
    release the connection early.  ``ping`` and unknown event types are skipped;
    an ``error`` event, a broken connection or a body that ends before
    ``message_stop`` raise typed exceptions (see :mod:`anthropic._errors`).
    """

    def __init__(self, pump: SyncEventPump) -> None:
        self._pump = pump
        self._iterator: Iterator[_T] = pump.run()

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response (the latest one, if a failure before any event was retried)."""
        return self._pump.response

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self._pump.response.headers.get("request-id")
        return request_id

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the response and release the connection."""
        self._pump.close()


class AsyncStream(Generic[_T]):
    """The mirror image of :class:`Stream` for ``asyncio``."""

    def __init__(self, pump: AsyncEventPump) -> None:
        self._pump = pump
        self._iterator: AsyncIterator[_T] = pump.run()

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response (the latest one, if a failure before any event was retried)."""
        return self._pump.response

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self._pump.response.headers.get("request-id")
        return request_id

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the response and release the connection."""
        await self._pump.close()
