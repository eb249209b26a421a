"""The high-level events a message stream yields besides the raw ones.

``TextEvent.snapshot``, ``ThinkingEvent.snapshot`` and ``InputJsonEvent.snapshot``
are the state of the block *as of that event*.  Building them eagerly would
copy the whole text (or re-parse the whole JSON) once per delta, which is
quadratic in the length of a stream; so they are computed the first time they
are read, from the accumulator's block state and the position the event marks
in it, and then kept.  To every reader (attribute access, ``model_dump()``,
``repr``, ``==``, pickling) they look like ordinary fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Generic, List, Literal, Union

from typing_extensions import TypeAlias

from ..._models import BaseModel
from ...types import (
    Citation,
    ContentBlock,
    Message,
    ParsedContentBlock,
    ParsedMessage,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
)
from ...types._parsed import ResponseFormatT
from ._partial_json import parse_partial

__all__ = [
    "CitationEvent",
    "ContentBlockStopEvent",
    "InputJsonEvent",
    "MessageStopEvent",
    "MessageStreamEvent",
    "ParsedContentBlockStopEvent",
    "ParsedMessageStopEvent",
    "ParsedMessageStreamEvent",
    "SignatureEvent",
    "TextEvent",
    "ThinkingEvent",
]

_setattr = object.__setattr__


class _LazyEvent(BaseModel):
    """An event with one field, ``snapshot``, computed on first read.

    ``_source`` is the accumulator's block state and ``_mark`` the position of
    this event in it; ``_compute`` turns them into the value.
    """

    __slots__ = ("_mark", "_source")

    if TYPE_CHECKING:
        _source: Any
        _mark: int

    def _compute(self) -> Any:
        raise NotImplementedError

    def _materialise(self) -> None:
        d = self.__dict__
        if "snapshot" not in d:
            d["snapshot"] = self._compute()
            self.__pydantic_fields_set__.add("snapshot")

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name == "snapshot":
                self._materialise()
                return self.__dict__["snapshot"]
            return super().__getattr__(name)

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        self._materialise()
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        self._materialise()
        return super().model_dump_json(**kwargs)

    def model_copy(self, **kwargs: Any) -> Any:
        self._materialise()
        return super().model_copy(**kwargs)

    def __eq__(self, other: object) -> bool:
        self._materialise()
        if isinstance(other, _LazyEvent):
            other._materialise()
        return super().__eq__(other)

    def __iter__(self) -> Any:
        self._materialise()
        return super().__iter__()

    def __repr_args__(self) -> Any:
        self._materialise()
        return super().__repr_args__()

    def __getstate__(self) -> dict[Any, Any]:
        self._materialise()
        state = super().__getstate__()
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        _setattr(self, "_source", None)
        _setattr(self, "_mark", 0)

    def __copy__(self) -> Any:
        self._materialise()
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        self._materialise()
        return super().__deepcopy__(memo)


class TextEvent(_LazyEvent):
    """A text delta arrived: ``text`` is the delta, ``snapshot`` the block's whole text so far."""

    type: Literal["text"]
    text: str
    """The text delta"""

    snapshot: str
    """The entire accumulated text"""

    def _compute(self) -> str:
        return self._source.text_upto(self._mark)  # type: ignore[no-any-return]

    def parsed_snapshot(self) -> Dict[str, Any]:
        """The accumulated text parsed as partial JSON (unfinished strings included).

        Each snapshot only adds to the one before: an unfinished string value
        grows, and a number appears once its token has ended (``{"n": 12`` reads
        as ``{}``; ``from_json``'s partial mode would show ``12`` and later ``123``).

        Incremental: each call resumes the parse where the previous one stopped,
        so calling it on every event of a long reply stays linear.  Text that
        cannot be the start of a JSON document raises :class:`ValueError`
        (a ``PartialJSONError`` giving the offset).
        """
        source = getattr(self, "_source", None)
        if source is not None:
            value = source.json_upto(self._mark)
            # The block keeps the parse of the valid part of broken JSON (right for
            # tool input, reported at the block's end); here the caller is told.
            if not source._broken:
                return value  # type: ignore[no-any-return]
        value = parse_partial(self.snapshot, trailing_strings=True, hold_numbers=True)
        return {} if value is None else value  # type: ignore[no-any-return]


class ThinkingEvent(_LazyEvent):
    """A thinking delta arrived: ``thinking`` is the delta, ``snapshot`` the thinking so far."""

    type: Literal["thinking"]
    thinking: str
    """The thinking delta"""

    snapshot: str
    """The accumulated thinking so far"""

    def _compute(self) -> str:
        return self._source.text_upto(self._mark)  # type: ignore[no-any-return]


class InputJsonEvent(_LazyEvent):
    """A piece of a tool call's input JSON arrived.

    ``partial_json`` is the piece; ``snapshot`` is the input parsed so far (a
    partial parse: unfinished strings are left out, as the official client does).
    """

    type: Literal["input_json"]
    partial_json: str
    """A partial JSON string delta, e.g. ``'"San Francisco,'``"""

    snapshot: object
    """The currently accumulated parsed object, e.g. ``{'location': 'San Francisco, CA'}``"""

    def _compute(self) -> object:
        return self._source.json_upto(self._mark)


class CitationEvent(BaseModel):
    """A citation was added to a text block."""

    type: Literal["citation"]
    citation: Citation
    """The new citation"""

    snapshot: List[Citation]
    """All of the accumulated citations"""


class SignatureEvent(BaseModel):
    """The signature of a thinking block arrived."""

    type: Literal["signature"]
    signature: str
    """The signature of the thinking block"""


class MessageStopEvent(RawMessageStopEvent):
    """The message is complete: ``message`` is the final, accumulated message."""

    message: Message


class ParsedMessageStopEvent(MessageStopEvent, Generic[ResponseFormatT]):
    """:class:`MessageStopEvent` whose message carries parsed structured output."""

    if TYPE_CHECKING:
        message: ParsedMessage[ResponseFormatT]
    else:
        message: ParsedMessage


class ContentBlockStopEvent(RawContentBlockStopEvent):
    """A content block is complete: ``content_block`` is the finished block."""

    content_block: ContentBlock


class ParsedContentBlockStopEvent(ContentBlockStopEvent, Generic[ResponseFormatT]):
    """:class:`ContentBlockStopEvent` whose text block carries parsed structured output."""

    if TYPE_CHECKING:
        content_block: ParsedContentBlock[ResponseFormatT]
    else:
        content_block: ParsedContentBlock


MessageStreamEvent: TypeAlias = Union[
    TextEvent,
    CitationEvent,
    ThinkingEvent,
    SignatureEvent,
    InputJsonEvent,
    RawMessageStartEvent,
    RawMessageDeltaEvent,
    MessageStopEvent,
    RawContentBlockStartEvent,
    RawContentBlockDeltaEvent,
    ContentBlockStopEvent,
]
"""Union of all possible message stream events."""

ParsedMessageStreamEvent: TypeAlias = Union[
    TextEvent,
    CitationEvent,
    ThinkingEvent,
    SignatureEvent,
    InputJsonEvent,
    RawMessageStartEvent,
    RawMessageDeltaEvent,
    ParsedMessageStopEvent[ResponseFormatT],
    RawContentBlockStartEvent,
    RawContentBlockDeltaEvent,
    ParsedContentBlockStopEvent[ResponseFormatT],
]
