"""Content-block deltas and the raw events of a streamed message.

``RawContentBlockDelta`` and ``RawMessageStreamEvent`` are the unions of the
types this version knows; at runtime other types validate as
:class:`UnknownDelta` / :class:`UnknownStreamEvent` with every field kept.
``MessageStreamEvent``, ``MessageStartEvent`` and the other names without
``Raw`` are the older aliases of the same classes.
"""

from typing import TYPE_CHECKING, Optional, Union

from typing_extensions import Literal, TypeAlias

from .._models import BaseModel
from ._blocks import ContentBlock
from ._common import Citation, Container, MessageDeltaUsage, RefusalStopDetails, StopReason
from ._message import Message
from ._union import UnknownDelta, UnknownStreamEvent, tagged_union, type_table

__all__ = [
    "TextDelta",
    "InputJSONDelta",
    "CitationsDelta",
    "ThinkingDelta",
    "SignatureDelta",
    "RawContentBlockDelta",
    "DELTA_TYPES",
    "Delta",
    "RawMessageStartEvent",
    "RawMessageDeltaEvent",
    "RawMessageStopEvent",
    "RawContentBlockStartEvent",
    "RawContentBlockDeltaEvent",
    "RawContentBlockStopEvent",
    "RawMessageStreamEvent",
    "EVENT_TYPES",
    "MessageStreamEvent",
    "MessageStartEvent",
    "MessageDeltaEvent",
    "MessageStopEvent",
    "ContentBlockStartEvent",
    "ContentBlockDeltaEvent",
    "ContentBlockStopEvent",
]


# -- deltas --------------------------------------------------------------------------


class TextDelta(BaseModel):
    text: str
    type: Literal["text_delta"]


class InputJSONDelta(BaseModel):
    partial_json: str
    """A piece of the JSON of a tool-call block's ``input``; the pieces concatenate to it."""

    type: Literal["input_json_delta"]


class CitationsDelta(BaseModel):
    citation: Citation
    type: Literal["citations_delta"]


class ThinkingDelta(BaseModel):
    thinking: str
    type: Literal["thinking_delta"]


class SignatureDelta(BaseModel):
    signature: str
    type: Literal["signature_delta"]


RawContentBlockDelta: TypeAlias = Union[
    TextDelta, InputJSONDelta, CitationsDelta, ThinkingDelta, SignatureDelta
]
DELTA_TYPES = type_table(RawContentBlockDelta)
if not TYPE_CHECKING:
    RawContentBlockDelta = tagged_union(RawContentBlockDelta, UnknownDelta)


# -- events ----------------------------------------------------------------------------


class Delta(BaseModel):
    """The message-level changes a ``message_delta`` event carries."""

    container: Optional[Container] = None
    stop_details: Optional[RefusalStopDetails] = None
    stop_reason: Optional[StopReason] = None
    stop_sequence: Optional[str] = None


class RawMessageStartEvent(BaseModel):
    message: Message
    type: Literal["message_start"]


class RawMessageDeltaEvent(BaseModel):
    delta: Delta
    type: Literal["message_delta"]
    usage: MessageDeltaUsage
    """Usage so far; ``output_tokens`` is cumulative."""


class RawMessageStopEvent(BaseModel):
    type: Literal["message_stop"]


class RawContentBlockStartEvent(BaseModel):
    content_block: ContentBlock
    index: int
    type: Literal["content_block_start"]


class RawContentBlockDeltaEvent(BaseModel):
    delta: RawContentBlockDelta
    index: int
    type: Literal["content_block_delta"]


class RawContentBlockStopEvent(BaseModel):
    index: int
    type: Literal["content_block_stop"]


RawMessageStreamEvent: TypeAlias = Union[
    RawMessageStartEvent,
    RawMessageDeltaEvent,
    RawMessageStopEvent,
    RawContentBlockStartEvent,
    RawContentBlockDeltaEvent,
    RawContentBlockStopEvent,
]
EVENT_TYPES = type_table(RawMessageStreamEvent)
if not TYPE_CHECKING:
    RawMessageStreamEvent = tagged_union(RawMessageStreamEvent, UnknownStreamEvent)

MessageStreamEvent = RawMessageStreamEvent
MessageStartEvent = RawMessageStartEvent
MessageDeltaEvent = RawMessageDeltaEvent
MessageStopEvent = RawMessageStopEvent
ContentBlockStartEvent = RawContentBlockStartEvent
ContentBlockDeltaEvent = RawContentBlockDeltaEvent
ContentBlockStopEvent = RawContentBlockStopEvent
