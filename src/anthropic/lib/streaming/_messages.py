"""The message streams and their managers, plain and beta.

One implementation per colour: :class:`BaseMessageStream` (sync) and
:class:`BaseAsyncMessageStream` are the whole behaviour; ``MessageStream`` and
``BetaMessageStream`` (and their async twins) only fix the types.  What differs
between plain and beta (classes, output format) lives in the accumulator's
:class:`~anthropic.lib.streaming._accumulator.TypeTable`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..._errors import IncompleteStreamError
from ..._streaming import AsyncStream, Stream
from ...types._parsed import ResponseFormatT

if TYPE_CHECKING:
    from ..._streaming import AsyncEventPump, SyncEventPump
    from ...types import ParsedMessage  # noqa: F401  (named in string type arguments below)
    from ...types.beta import ParsedBetaMessage  # noqa: F401
    from ._beta_types import ParsedBetaMessageStreamEvent  # noqa: F401
    from ._types import ParsedMessageStreamEvent  # noqa: F401

__all__ = [
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "BetaAsyncMessageStream",
    "BetaAsyncMessageStreamManager",
    "BetaMessageStream",
    "BetaMessageStreamManager",
    "MessageStream",
    "MessageStreamManager",
]

_EventT = TypeVar("_EventT")
_MessageT = TypeVar("_MessageT")
_StreamT = TypeVar("_StreamT")


def _final_text(message: Any) -> str:
    texts = [block.text for block in message.content if block.type == "text"]
    if not texts:
        kinds = ", ".join(block.type for block in message.content) or "none"
        raise RuntimeError(
            ".get_final_text() needs at least one text content block; the API returned "
            f"content block type(s): {kinds}. Use .get_final_message().content to read them."
        )
    return "".join(texts)


# The text iterators take the event iterator, not the stream: a generator that held the
# stream which holds it would be a reference cycle, and a dropped stream would then wait
# for the cyclic garbage collector to close its connection (see SyncEventPump).


def _text_deltas(events: Iterator[Any]) -> Iterator[str]:
    for event in events:
        if getattr(event, "type", None) == "content_block_delta" and event.delta.type == "text_delta":
            yield event.delta.text


async def _async_text_deltas(events: AsyncIterator[Any]) -> AsyncIterator[str]:
    async for event in events:
        if getattr(event, "type", None) == "content_block_delta" and event.delta.type == "text_delta":
            yield event.delta.text


def _not_finished(pump: SyncEventPump | AsyncEventPump) -> IncompleteStreamError:
    return pump.core.closed_error()


class BaseMessageStream(Stream[_EventT], Generic[_EventT, _MessageT]):
    """A synchronous message stream: iterate for events, or wait for the final message.

    Iteration, ``response``, ``request_id``, ``close()`` and the context manager
    come from :class:`~anthropic.Stream`.
    """

    text_stream: Iterator[str]
    """Iterator over just the text deltas in the stream."""

    def __init__(self, pump: SyncEventPump) -> None:
        super().__init__(pump)
        self.text_stream = _text_deltas(self._iterator)

    @property
    def current_message_snapshot(self) -> _MessageT:
        """The message accumulated so far (built when read)."""
        snapshot = self._pump.core.accumulator.snapshot()
        if snapshot is None:
            raise RuntimeError("No message_start has arrived yet: iterate the stream first.")
        return snapshot  # type: ignore[no-any-return]

    def until_done(self) -> None:
        """Blocks until the stream has been consumed."""
        for _ in self._iterator:
            pass

    def get_final_message(self) -> _MessageT:
        """Waits until the stream has been read to completion and returns the accumulated message.

        A stream that ended before ``message_stop`` raises instead
        (:class:`~anthropic.IncompleteStreamError` or the error that ended it).
        """
        self.until_done()
        accumulator = self._pump.core.accumulator
        if not accumulator.stopped:
            raise _not_finished(self._pump)
        return accumulator.final_message()  # type: ignore[no-any-return]

    def get_final_text(self) -> str:
        """Returns all text content blocks concatenated together.

        Raises RuntimeError if no text content blocks were returned.
        """
        return _final_text(self.get_final_message())

    def __stream_text__(self) -> Iterator[str]:
        return _text_deltas(self._iterator)


class BaseAsyncMessageStream(AsyncStream[_EventT], Generic[_EventT, _MessageT]):
    """The mirror image of :class:`BaseMessageStream` for ``asyncio``."""

    text_stream: AsyncIterator[str]
    """Async iterator over just the text deltas in the stream."""

    def __init__(self, pump: AsyncEventPump) -> None:
        super().__init__(pump)
        self.text_stream = _async_text_deltas(self._iterator)

    @property
    def current_message_snapshot(self) -> _MessageT:
        """The message accumulated so far (built when read)."""
        snapshot = self._pump.core.accumulator.snapshot()
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
        accumulator = self._pump.core.accumulator
        if not accumulator.stopped:
            raise _not_finished(self._pump)
        return accumulator.final_message()  # type: ignore[no-any-return]

    async def get_final_text(self) -> str:
        """Returns all text content blocks concatenated together.

        Raises RuntimeError if no text content blocks were returned.
        """
        return _final_text(await self.get_final_message())

    def __stream_text__(self) -> AsyncIterator[str]:
        return _async_text_deltas(self._iterator)


class BaseMessageStreamManager(Generic[_StreamT]):
    """Sends the request on ``__enter__`` and closes the stream on ``__exit__``."""

    def __init__(self, api_request: Callable[[], _StreamT]) -> None:
        self.__api_request = api_request
        self.__stream: _StreamT | None = None

    def __enter__(self) -> _StreamT:
        self.__stream = self.__api_request()
        return self.__stream

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.__stream is not None:
            self.__stream.close()  # type: ignore[attr-defined]


class BaseAsyncMessageStreamManager(Generic[_StreamT]):
    """Sends the request on ``__aenter__`` and closes the stream on ``__aexit__``.

    Nothing is sent until the ``async with`` is entered: no ``await`` is needed
    on ``client.messages.stream(...)`` itself.
    """

    def __init__(self, api_request: Callable[[], Awaitable[_StreamT]]) -> None:
        self.__api_request = api_request
        self.__stream: _StreamT | None = None

    async def __aenter__(self) -> _StreamT:
        self.__stream = await self.__api_request()
        return self.__stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.__stream is not None:
            await self.__stream.close()  # type: ignore[attr-defined]


class MessageStream(BaseMessageStream["ParsedMessageStreamEvent[ResponseFormatT]", "ParsedMessage[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Synchronous message stream with automatic event accumulation."""


class AsyncMessageStream(
    BaseAsyncMessageStream["ParsedMessageStreamEvent[ResponseFormatT]", "ParsedMessage[ResponseFormatT]"],
    Generic[ResponseFormatT],
):
    """Asynchronous message stream with automatic event accumulation."""


class BetaMessageStream(
    BaseMessageStream["ParsedBetaMessageStreamEvent[ResponseFormatT]", "ParsedBetaMessage[ResponseFormatT]"],
    Generic[ResponseFormatT],
):
    """Synchronous beta message stream with structured output support."""


class BetaAsyncMessageStream(
    BaseAsyncMessageStream["ParsedBetaMessageStreamEvent[ResponseFormatT]", "ParsedBetaMessage[ResponseFormatT]"],
    Generic[ResponseFormatT],
):
    """Asynchronous beta message stream with structured output support."""


class MessageStreamManager(BaseMessageStreamManager["MessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Synchronous context manager for :class:`MessageStream`, returned by ``client.messages.stream()``."""


class AsyncMessageStreamManager(BaseAsyncMessageStreamManager["AsyncMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Asynchronous context manager for :class:`AsyncMessageStream`."""


class BetaMessageStreamManager(BaseMessageStreamManager["BetaMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Synchronous context manager for :class:`BetaMessageStream`."""


class BetaAsyncMessageStreamManager(BaseAsyncMessageStreamManager["BetaAsyncMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Asynchronous context manager for :class:`BetaAsyncMessageStream`."""
