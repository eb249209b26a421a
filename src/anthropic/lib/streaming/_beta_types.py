"""The events of beta message streams.

The text, thinking, signature and input-JSON events are the plain ones
(subclasses, so ``isinstance`` works either way, ``parsed_snapshot()``
included); the citation, message-stop and block-stop events hold beta types
in their fields; :class:`BetaCompactionEvent` exists only in beta streams.
The ``BetaTextEvent``-style names at the end are the names earlier releases
used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, List, Literal, Optional, Union

from typing_extensions import TypeAlias

from ..._models import BaseModel
from ...types._parsed import ResponseFormatT
from ...types.beta import (
    BetaCitation,
    BetaRawContentBlockDeltaEvent,
    BetaRawContentBlockStartEvent,
    BetaRawContentBlockStopEvent,
    BetaRawMessageDeltaEvent,
    BetaRawMessageStartEvent,
    BetaRawMessageStopEvent,
    ParsedBetaContentBlock,
    ParsedBetaMessage,
)
from ._types import InputJsonEvent, SignatureEvent, TextEvent, ThinkingEvent

__all__ = [
    "BetaCitationEvent",
    "BetaCompactionEvent",
    "BetaContentBlockStopEvent",
    "BetaInputJsonEvent",
    "BetaMessageStopEvent",
    "BetaMessageStreamEvent",
    "BetaSignatureEvent",
    "BetaTextEvent",
    "BetaThinkingEvent",
    "ParsedBetaContentBlockStopEvent",
    "ParsedBetaMessageStopEvent",
    "ParsedBetaMessageStreamEvent",
    "ParsedBetaTextEvent",
]


class ParsedBetaTextEvent(TextEvent):
    """A text delta of a beta stream (:class:`TextEvent`, with ``parsed_snapshot()``)."""

    type: Literal["text"]
    text: str
    """The text delta"""

    snapshot: str
    """The entire accumulated text"""


class BetaCitationEvent(BaseModel):
    """A citation was added to a text block."""

    type: Literal["citation"]
    citation: BetaCitation
    """The new citation"""

    snapshot: List[BetaCitation]
    """All of the accumulated citations"""


class BetaThinkingEvent(ThinkingEvent):
    """A thinking delta arrived (same as :class:`ThinkingEvent`)."""


class BetaSignatureEvent(SignatureEvent):
    """The signature of a thinking block arrived (same as :class:`SignatureEvent`)."""


class BetaInputJsonEvent(InputJsonEvent):
    """A piece of a tool call's input JSON arrived (same as :class:`InputJsonEvent`)."""


class BetaCompactionEvent(BaseModel):
    """A ``compaction_delta`` arrived: the compaction block's summary, as it now stands."""

    type: Literal["compaction"]
    content: Optional[str]
    """The summary of the compacted conversation, or None if compaction produced none."""

    encrypted_content: Optional[str]
    """Opaque data to send back with the block, unchanged."""


class ParsedBetaMessageStopEvent(BetaRawMessageStopEvent, Generic[ResponseFormatT]):
    """The message is complete: ``message`` is the final message, with ``parsed_output``."""

    type: Literal["message_stop"]
    message: ParsedBetaMessage[ResponseFormatT]


class ParsedBetaContentBlockStopEvent(BetaRawContentBlockStopEvent, Generic[ResponseFormatT]):
    """A content block is complete: ``content_block`` is the finished block."""

    type: Literal["content_block_stop"]
    if TYPE_CHECKING:
        content_block: ParsedBetaContentBlock[ResponseFormatT]
    else:
        content_block: ParsedBetaContentBlock


ParsedBetaMessageStreamEvent: TypeAlias = Union[
    ParsedBetaTextEvent,
    BetaCitationEvent,
    BetaThinkingEvent,
    BetaSignatureEvent,
    BetaInputJsonEvent,
    BetaCompactionEvent,
    BetaRawMessageStartEvent,
    BetaRawMessageDeltaEvent,
    ParsedBetaMessageStopEvent[ResponseFormatT],
    BetaRawContentBlockStartEvent,
    BetaRawContentBlockDeltaEvent,
    ParsedBetaContentBlockStopEvent[ResponseFormatT],
]
"""Union of all possible beta message stream events."""

# Names kept for code written against earlier releases.
BetaTextEvent = ParsedBetaTextEvent
BetaMessageStreamEvent = ParsedBetaMessageStreamEvent
if TYPE_CHECKING:
    BetaMessageStopEvent = ParsedBetaMessageStopEvent[object]
    BetaContentBlockStopEvent = ParsedBetaContentBlockStopEvent[object]
else:
    BetaMessageStopEvent = ParsedBetaMessageStopEvent
    BetaContentBlockStopEvent = ParsedBetaContentBlockStopEvent
