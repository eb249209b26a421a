"""Streamed responses (asynchronous; the sync twin is generated): pump, raw stream, message stream.

:class:`AsyncEventPump` moves the bytes of a response into a
:class:`~anthropic._streaming.StreamCore` and the objects out of it; on a
failure before anything was delivered it asks the retry policy and re-sends
through the ``resend`` callable it was given (it never sees the client).

:class:`AsyncStream` is the raw events of ``messages.create(stream=True)``;
:class:`BaseAsyncMessageStream`, the stream of ``messages.stream()``, shares its
iteration, response and closing (not its type) and adds the message accessors; :class:`BaseAsyncMessageStreamManager` sends on entry and
closes on exit.  Plain and beta differ only by the types their subclasses in
:mod:`anthropic.lib.streaming._messages` name.  A message stream's
``_raw_stream`` (the official client's attribute, which frameworks read) is an
:class:`AsyncStream` over the same iteration giving only the raw events, as
``messages.create(stream=True)`` would.

A manager's request is replaceable, as the official client's is: tracing
wrappers (PostHog's) swap the manager's private ``__api_request`` for a
callable that calls the original, which opens the raw event stream, and wraps
those events in a generator of their own.  The attribute itself is declared
by each manager class in :mod:`anthropic.lib.streaming._messages` (it knows the
official name and meaning for its colour).  An untouched manager opens its
message stream directly (:class:`AsyncEventPump`, the fast path); a replaced one
builds it from whatever the replacement returns, an async iterable of raw
events, through :class:`AsyncEventSourcePump`: the same accumulator, snapshots,
typed errors and closing, at the cost of one ``model_dump`` per raw event.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2
from typing_extensions import Self

from .._errors import APIError, APITimeoutError
from .._http import AFTER_STOP_GRACE, PreparedRequest, aclose_response, limit_reads
from .._retry import next_retry_delay

if TYPE_CHECKING:
    from .._streaming import StreamCore
    from ..lib.streaming._accumulator import MessageAccumulator

__all__ = [
    "AsyncEventPump",
    "AsyncEventSourcePump",
    "AsyncStream",
    "BaseAsyncMessageStream",
    "BaseAsyncMessageStreamManager",
]

_T = TypeVar("_T")
_EventT = TypeVar("_EventT")
_MessageT = TypeVar("_MessageT")
_StreamT = TypeVar("_StreamT")


class AsyncEventPump:
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
        response: httpx2.Response,
        *,
        prep: PreparedRequest,
        resend: Callable[[], Awaitable[httpx2.Response]],
        new_core: Callable[[httpx2.Response], StreamCore],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._prep = prep
        self._resend = resend
        self._new_core = new_core
        self._sleep = sleep
        self._deadline = None if prep.stream_deadline is None else time.monotonic() + prep.stream_deadline
        self.core = new_core(response)
        self._closed = False

    @property
    def table(self) -> Any:
        """The type table of the stream's flavour (its accumulator's)."""
        return self.core.accumulator.table

    @property
    def response(self) -> httpx2.Response:
        return self.core.response

    @property
    def request_id(self) -> str | None:
        return self.core.request_id

    def snapshot(self) -> Any:
        """The message accumulated so far, or ``None`` before ``message_start``."""
        return self.core.snapshot()

    def final_message(self) -> Any:
        """The final message; the stream must have reached ``message_stop``."""
        return self.core.final_message()

    async def run(self) -> AsyncIterator[Any]:
        """The objects of the stream, re-sending the request on a failure before any (call once).

        After ``message_stop`` the body's end is awaited for at most
        :data:`~anthropic._http.AFTER_STOP_GRACE` seconds; a body that stalls or
        breaks there still gives the complete answer.  With a stream deadline,
        no read waits past it and the stream fails with ``APITimeoutError`` there.
        """
        while True:
            core = self.core
            deadline = self._deadline
            undo = None if deadline is None else limit_reads(core.response, deadline)
            stopping = False
            try:
                try:
                    async for chunk in core.response.aiter_bytes():
                        out = core.feed(chunk)
                        if out:
                            for obj in out:
                                yield obj
                        if deadline is not None and time.monotonic() >= deadline:
                            raise self._deadline_error(core)
                        if not stopping and core.accumulator.stopped:
                            stopping = True
                            if undo is not None:
                                undo()
                            end = time.monotonic() + AFTER_STOP_GRACE
                            undo = limit_reads(core.response, end if deadline is None else min(end, deadline))
                    out = core.end()
                except (httpx2.HTTPError, httpx2.StreamError) as exc:
                    if stopping and not self._closed:
                        out = core.end()  # the answer is whole; only the body's end did not come
                    elif deadline is not None and time.monotonic() >= deadline and not self._closed:
                        raise self._deadline_error(core) from exc
                    else:
                        # After close(), reading on fails on the closed socket: say what happened.
                        raise (core.closed_error() if self._closed else core.transport_error(exc)) from exc
                finally:
                    if undo is not None:
                        undo()
                for obj in out:
                    yield obj
                await self.close()
                return
            except APIError as error:
                delay = None
                if not core.delivered and not self._closed and error is not self._deadline_hit:
                    prep = self._prep
                    delay = next_retry_delay(error, core.response.headers, prep.retries_taken, prep.max_retries)
                await aclose_response(core.response)
                if delay is None:
                    self._closed = True
                    raise
                await self._sleep(delay)
                self._prep.retries_taken += 1
                self.core = self._new_core(await self._resend())

    _deadline_hit: APIError | None = None

    def _deadline_error(self, core: StreamCore) -> APIError:
        """The stream outlived its deadline: an ``APITimeoutError`` that is not retried."""
        error = APITimeoutError(
            core.response.request,
            message=(
                f"The stream did not reach message_stop within its deadline of {self._prep.stream_deadline:g} s "
                "(stream_deadline); the answer is incomplete."
            ),
            request_id=core.request_id,
            partial_message=core.partial_message(),
        )
        self._deadline_hit = error
        return error

    async def close(self) -> None:
        self._closed = True
        await aclose_response(self.core.response)


class _DecodedEvents:
    """The decoder of a :class:`StreamCore` that is handed decoded event dicts, never bytes."""

    pending = False

    def feed(self, data: bytes) -> list[Any]:
        raise TypeError("a core of decoded events is fed events, not bytes")

    def end(self) -> list[Any]:
        return []


def _event_data(event: Any) -> Any:
    """The dict a raw event object was built from (a mapping is copied: the accumulator adopts what it is fed)."""
    dump = getattr(event, "model_dump", None)
    if dump is not None:
        return dump(exclude_unset=True, by_alias=True, warnings=False)
    if isinstance(event, Mapping):
        from copy import deepcopy

        return deepcopy(dict(event))
    raise TypeError(
        f"The replaced request of messages.stream() gave a stream that yielded {event!r:.200} "
        f"({type(event).__name__}), which is not a raw Messages API stream event."
    )


class AsyncEventSourcePump:
    """Moves the raw events of a replaced request's source through a :class:`StreamCore`.

    ``source`` is what a replacement of a manager's request returned: an async
    iterable of raw event objects (``RawMessageStreamEvent``, plain or beta, or
    their dicts), usually a generator over the raw stream the original request
    opened.  ``opened`` lists the raw streams that original request opened (it
    fills as they open, possibly while the source is first iterated): the
    response and request id are theirs, else the source's own ``response``;
    closing closes the source and them.

    Errors are the fast path's: the raw stream's own (transport, ``error``
    events, retries before any event) pass through the source unchanged, an
    exception of the source itself reaches the caller as it is, and the source
    ending before ``message_stop`` is an :class:`~anthropic.IncompleteStreamError`.
    Any of them closes the stream.
    """

    def __init__(self, source: Any, *, accumulator: MessageAccumulator, opened: list[Any]) -> None:
        self._source = source
        self._accumulator = accumulator
        self._opened = opened
        self._core: StreamCore | None = None
        self._closed = False

    @property
    def table(self) -> Any:
        """The type table of the stream's flavour (its accumulator's)."""
        return self._accumulator.table

    @property
    def response(self) -> httpx2.Response:
        if self._opened:
            response: httpx2.Response = self._opened[-1].response
            return response
        if self._core is not None:
            return self._core.response
        own = getattr(self._source, "response", None)
        if isinstance(own, httpx2.Response):
            return own
        raise TypeError(
            "The replaced request of messages.stream() gave a stream with no HTTP response: it neither "
            "opened the raw stream through the original request nor has a `response` of its own."
        )

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("request-id")
        return request_id

    def _get_core(self) -> StreamCore:
        core = self._core
        if core is None:
            from .._streaming import StreamCore

            core = self._core = StreamCore(self._accumulator, self.response, _DecodedEvents())
        return core

    def snapshot(self) -> Any:
        """The message accumulated so far, or ``None`` before ``message_start``."""
        return self._accumulator.snapshot()

    def final_message(self) -> Any:
        """The final message; the stream must have reached ``message_stop``."""
        return self._get_core().final_message()

    async def run(self) -> AsyncIterator[Any]:
        """The objects of the stream (call once): the source's events through the accumulator."""
        try:
            async for event in self._source:
                # StreamCore's decoded-events entry: the same mapping of protocol and error events.
                for obj in self._get_core()._apply([_event_data(event)]):
                    yield obj
            core = self._get_core()
            if self._closed and not self._accumulator.stopped:
                raise core.closed_error()
            out = core.end()
        except Exception:
            await self.close()
            raise
        for obj in out:
            yield obj
        await self.close()

    async def close(self) -> None:
        """Close the source, then the raw streams the original request opened."""
        self._closed = True
        try:
            close = getattr(self._source, "aclose", None)
            if close is None:
                close = getattr(self._source, "close", None)
            if close is not None:
                await _settled(close())
        finally:
            for raw in self._opened:
                await raw.close()


async def _settled(value: Any) -> Any:
    """``value``, awaited when it is awaitable (a source's ``close`` may be of either colour)."""
    if hasattr(value, "__await__"):
        return await value
    return value


class _AsyncEventStream(Generic[_T]):
    """What the raw stream and the message streams share: iteration, the response, closing.

    Iterate it (once); use it as a context manager or call :meth:`close` to
    release the connection early.  ``ping`` and unknown event types are skipped;
    an ``error`` event, a broken connection or a body that ends before
    ``message_stop`` raise typed exceptions (see :mod:`anthropic._errors`).
    A message stream is not a raw stream: ``isinstance(stream, AsyncStream)``
    is false for the streams of ``messages.stream()``, as in the official client.
    """

    def __init__(self, pump: AsyncEventPump | AsyncEventSourcePump, iterator: AsyncIterator[_T] | None = None) -> None:
        self._pump = pump
        self._iterator: AsyncIterator[_T] = pump.run() if iterator is None else iterator

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response (the latest one, if a failure before any event was retried)."""
        return self._pump.response

    @property
    def request_id(self) -> str | None:
        """The ``request-id`` header of the response."""
        return self._pump.request_id

    @property
    def workspace_id(self) -> str | None:
        """The ``anthropic-workspace-id`` header of the response: the workspace the request ran in."""
        value: str | None = self._pump.response.headers.get("anthropic-workspace-id")
        return value

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


class AsyncStream(_AsyncEventStream[_T]):
    """The raw events of ``messages.create(stream=True)``."""


def _final_text(message: Any) -> str:
    texts = [block.text for block in message.content if block.type == "text"]
    if not texts:
        kinds = ", ".join(block.type for block in message.content) or "none"
        raise RuntimeError(
            ".get_final_text() needs at least one text content block; the API returned "
            f"content block type(s): {kinds}. Use .get_final_message().content to read them."
        )
    return "".join(texts)


# The text iterator takes the event iterator, not the stream: a generator that held the
# stream which holds it would be a reference cycle, and a dropped stream would then wait
# for the cyclic garbage collector to close its connection (see AsyncEventPump).


async def _text_deltas(events: AsyncIterator[Any]) -> AsyncIterator[str]:
    async for event in events:
        if getattr(event, "type", None) == "content_block_delta" and event.delta.type == "text_delta":
            yield event.delta.text


_RAW_EVENT_TYPES = frozenset({"message_start", "message_delta", "content_block_start", "content_block_delta"})


async def _raw_events(events: AsyncIterator[Any], pump: AsyncEventPump | AsyncEventSourcePump) -> AsyncIterator[Any]:
    """The raw events among a message stream's: its derived events left out, its stops as sent.

    Each stop is rebuilt as the raw class of the stream's flavour (the accumulator's type
    table): the message stream's stops carry the finished block or message besides.
    """
    from .._models import construct_unchecked

    async for event in events:
        kind = event.type
        if kind in _RAW_EVENT_TYPES:
            yield event
        elif kind == "content_block_stop":
            yield construct_unchecked(pump.table.block_stop, {"index": event.index, "type": kind})
        elif kind == "message_stop":
            yield construct_unchecked(pump.table.message_stop, {"type": kind})


class BaseAsyncMessageStream(_AsyncEventStream[_EventT], Generic[_EventT, _MessageT]):
    """A message stream: iterate for events, or wait for the final message.

    Iteration, ``response``, ``request_id``, ``workspace_id``, ``close()`` and
    the context manager are shared with :class:`AsyncStream`, which a message
    stream is not an instance of.
    """

    text_stream: AsyncIterator[str]
    """Iterator over just the text deltas in the stream."""

    def __init__(self, pump: AsyncEventPump | AsyncEventSourcePump) -> None:
        super().__init__(pump)
        self.text_stream = _text_deltas(self._iterator)

    @property
    def current_message_snapshot(self) -> _MessageT:
        """The message accumulated so far (built when read)."""
        snapshot = self._pump.snapshot()
        if snapshot is None:
            raise RuntimeError("No message_start has arrived yet: iterate the stream first.")
        return snapshot  # type: ignore[no-any-return]

    async def until_done(self) -> None:
        """Waits until the stream has been consumed."""
        async for _ in self._iterator:
            pass

    async def get_final_message(self) -> _MessageT:
        """Waits until the stream has been read to completion and returns the accumulated message.

        A stream that ended before ``message_stop`` raises instead
        (:class:`~anthropic.IncompleteStreamError` or the error that ended it).
        """
        await self.until_done()
        return self._pump.final_message()  # type: ignore[no-any-return]

    async def get_final_text(self) -> str:
        """Returns all text content blocks concatenated together.

        Raises RuntimeError if no text content blocks were returned.
        """
        return _final_text(await self.get_final_message())

    def __stream_text__(self) -> AsyncIterator[str]:
        return _text_deltas(self._iterator)

    @cached_property
    def _raw_stream(self) -> AsyncStream[Any]:
        """The raw events of this stream, as ``messages.create(stream=True)`` gives them.

        The official client keeps its raw stream under this name and frameworks
        iterate it to skip the derived events.  It is a view over the same
        iteration (an event read through one is not seen by the other) sharing the
        response and ``close()``; the message is still accumulated, so
        :meth:`get_final_message` works after it was read.  Reading the attribute
        changes nothing about the stream.
        """
        return AsyncStream(self._pump, _raw_events(self._iterator, self._pump))


class BaseAsyncMessageStreamManager(Generic[_StreamT]):
    """Sends the request on entry and closes the stream on exit.

    Nothing is sent until the ``with`` is entered.  ``api_request`` opens the
    message stream (the fast path).  ``raw_request`` opens the same request's
    raw event stream and ``from_events`` builds a message stream from the raw
    events a replacement gives: they serve the official private request attribute
    each subclass declares (see :mod:`anthropic.lib.streaming._messages`),
    which reads as an opener of the raw stream (:meth:`_raw_opener`) and, once
    a caller replaced it, makes entering go through the replacement
    (:meth:`_enter_replaced`).
    """

    _replaced: Callable[[], Awaitable[Any]] | None = None
    """How to call the replacement of the request attribute; ``None`` while it is untouched."""

    def __init__(
        self,
        api_request: Callable[[], Awaitable[_StreamT]],
        *,
        raw_request: Callable[[], Awaitable[AsyncStream[Any]]] | None = None,
        from_events: Callable[[Any, list[Any]], _StreamT] | None = None,
    ) -> None:
        self.__api_request = api_request
        self.__raw_request = raw_request
        self.__from_events = from_events
        self.__stream: _StreamT | None = None
        self._raw_streams: list[Any] = []
        """The raw streams opened through :meth:`_raw_opener`'s openers."""

    async def __aenter__(self) -> _StreamT:
        replaced = self._replaced
        if replaced is None:
            self.__stream = await self.__api_request()
        else:
            self.__stream = await self._enter_replaced(replaced)
        return self.__stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.__stream is not None:
            await self.__stream.close()  # type: ignore[attr-defined]

    def _raw_opener(self) -> Callable[[], Awaitable[AsyncStream[Any]]] | None:
        """A callable opening this request's raw event stream, or ``None`` for a manager built without one.

        Each raw stream it opens is kept: a stream built from a replacement's
        events takes its response from there and closes it.  The opener holds
        no reference to the manager (a replacement keeping it would otherwise
        make the manager a reference cycle).
        """
        raw_request = self.__raw_request
        if raw_request is None:
            return None
        opened = self._raw_streams

        async def open_raw() -> AsyncStream[Any]:
            raw = await raw_request()
            opened.append(raw)
            return raw

        return open_raw

    async def _enter_replaced(self, replaced: Callable[[], Awaitable[Any]]) -> _StreamT:
        """The message stream built from the events of the replaced request's stream."""
        name = f"{type(self).__name__}.__api_request"
        from_events = self.__from_events
        if from_events is None:
            raise TypeError(f"{name} was replaced, but this manager cannot build a stream from raw events.")
        opened = self._raw_streams
        try:
            source = await replaced()
            if not hasattr(source, "__aiter__"):
                raise TypeError(
                    f"The replacement of {name} gave {type(source).__name__!r}, which has no __aiter__: "
                    "it is not a stream of raw message events."
                )
        except BaseException:
            for raw in opened:
                await raw.close()
            raise
        return from_events(source, opened)
