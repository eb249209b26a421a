"""The message streams and their managers, plain and beta: typed names over one implementation per colour.

The behaviour is :class:`~anthropic._sync.streams.BaseMessageStream` and
:class:`~anthropic._async.streams.BaseAsyncMessageStream` (and the managers
beside them); the classes here only fix the event and message types of each
flavour.  What differs between plain and beta at run time (classes, output
format) lives in the accumulator's type table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic

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


class MessageStreamManager(BaseMessageStreamManager["MessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Synchronous context manager for :class:`MessageStream`, returned by ``client.messages.stream()``."""


class AsyncMessageStreamManager(BaseAsyncMessageStreamManager["AsyncMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Asynchronous context manager for :class:`AsyncMessageStream`."""


class BetaMessageStreamManager(BaseMessageStreamManager["BetaMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Synchronous context manager for :class:`BetaMessageStream`."""


class BetaAsyncMessageStreamManager(BaseAsyncMessageStreamManager["BetaAsyncMessageStream[ResponseFormatT]"], Generic[ResponseFormatT]):
    """Asynchronous context manager for :class:`BetaAsyncMessageStream`."""
