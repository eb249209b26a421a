"""The message streams and their managers, plain and beta: typed names over one implementation per colour.

The behaviour is :class:`~anthropic._sync.streams.BaseMessageStream` and
:class:`~anthropic._async.streams.BaseAsyncMessageStream` (and the managers
beside them); the classes here only fix the event and message types of each
flavour.  What differs between plain and beta at run time (classes, output
format) lives in the accumulator's type table.

Each manager also declares the official client's private request attribute,
under the official name (``_MessageStreamManager__api_request``,
``_AsyncMessageStreamManager__api_request`` and their ``Beta`` twins), because
tracing wrappers replace it.  Read, it has the official meaning: for a sync
manager a callable returning the raw event stream (a :class:`~anthropic.Stream`
of raw events), for an async one an awaitable of the :class:`~anthropic.AsyncStream`
(a callable returning one is accepted too).  Assigned, the manager enters
through the replacement and builds its message stream from the raw events it
yields; deleted, it is untouched again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Generic

from ..._async.streams import BaseAsyncMessageStream, BaseAsyncMessageStreamManager
from ..._lazy import lazy_names
from ..._sync.streams import BaseMessageStream, BaseMessageStreamManager
from ...types._parsed import ResponseFormatT

if TYPE_CHECKING:
    from ...types import ParsedMessage  # noqa: F401  (named in string type arguments below)
    from ...types.beta import ParsedBetaMessage  # noqa: F401
    from ._accumulate_event import accumulate_event as accumulate_event
    from ._beta_types import ParsedBetaMessageStreamEvent  # noqa: F401
    from ._types import ParsedMessageStreamEvent  # noqa: F401

__all__ = [
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "BaseAsyncMessageStream",
    "BaseAsyncMessageStreamManager",
    "BaseMessageStream",
    "BaseMessageStreamManager",
    "BetaAsyncMessageStream",
    "BetaAsyncMessageStreamManager",
    "BetaMessageStream",
    "BetaMessageStreamManager",
    "MessageStream",
    "MessageStreamManager",
    "TRACKS_TOOL_INPUT",
    "accumulate_event",
]

if TYPE_CHECKING:
    from ._accumulate_event import accumulate_event as accumulate_event
    from ._tool_input_blocks import TRACKS_TOOL_INPUT as TRACKS_TOOL_INPUT

# Found here, where code written against the official client imports them; loaded on first
# access, not with the streams.
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "accumulate_event": "anthropic.lib.streaming._accumulate_event",
        "TRACKS_TOOL_INPUT": "anthropic.lib.streaming._tool_input_blocks",
    },
)


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


class _PendingRawStream:
    """An awaitable of a raw stream, opened only when awaited (unlike a coroutine, it may be dropped unawaited)."""

    __slots__ = ("_open",)

    def __init__(self, open_raw: Callable[[], Awaitable[Any]]) -> None:
        self._open = open_raw

    def __await__(self) -> Generator[Any, None, Any]:
        return self._open().__await__()


def _sync_replacement(name: str, value: object) -> Callable[[], Any]:
    if not callable(value):
        raise TypeError(f"{name} must be a callable returning the raw event stream, not {type(value).__name__!r}.")
    return value


def _async_replacement(name: str, value: object) -> Callable[[], Awaitable[Any]]:
    if hasattr(value, "__await__"):
        awaitable: Awaitable[Any] = value  # type: ignore[assignment]

        async def await_it() -> Any:
            return await awaitable

        return await_it
    if callable(value):
        function = value

        async def call_it() -> Any:
            result = function()
            if hasattr(result, "__await__"):
                result = await result
            return result

        return call_it
    raise TypeError(
        f"{name} must be an awaitable of the raw event stream (or a callable returning one), "
        f"not {type(value).__name__!r}."
    )


class _RequestAttribute:
    """The replaceable request attribute of a manager (see the module docstring).

    The value a caller assigns is kept as it was given (reading it back gives
    it); the manager's ``_replaced`` holds how to call it.
    """

    def __init__(self, *, asynchronous: bool) -> None:
        self._asynchronous = asynchronous
        self._name = "__api_request"

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, manager: Any, owner: type | None = None) -> Any:
        if manager is None:
            return self
        state = manager.__dict__
        if "_replacement" in state:
            return state["_replacement"]
        open_raw = manager._raw_opener()
        if open_raw is None:
            raise AttributeError(self._name)
        return _PendingRawStream(open_raw) if self._asynchronous else open_raw

    def __set__(self, manager: Any, value: object) -> None:
        check = _async_replacement if self._asynchronous else _sync_replacement
        manager._replaced = check(f"{type(manager).__name__}.{self._name}", value)
        manager.__dict__["_replacement"] = value

    def __delete__(self, manager: Any) -> None:
        if "_replacement" not in manager.__dict__:
            raise AttributeError(self._name)
        del manager.__dict__["_replacement"]
        del manager._replaced


class MessageStreamManager(BaseMessageStreamManager["MessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Synchronous context manager for :class:`MessageStream`, returned by ``client.messages.stream()``."""

    __api_request = _RequestAttribute(asynchronous=False)


class AsyncMessageStreamManager(BaseAsyncMessageStreamManager["AsyncMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Asynchronous context manager for :class:`AsyncMessageStream`."""

    __api_request = _RequestAttribute(asynchronous=True)


class BetaMessageStreamManager(BaseMessageStreamManager["BetaMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Synchronous context manager for :class:`BetaMessageStream`."""

    __api_request = _RequestAttribute(asynchronous=False)


class BetaAsyncMessageStreamManager(BaseAsyncMessageStreamManager["BetaAsyncMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Asynchronous context manager for :class:`BetaAsyncMessageStream`."""

    __api_request = _RequestAttribute(asynchronous=True)
