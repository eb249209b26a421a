"""Type tag -> class tables of the beta API, and the one-object validators built on them (hand-written).

The beta counterpart of :mod:`anthropic.types._tables` (same function names),
read from the generated beta unions.
"""

from __future__ import annotations

from typing import Any, Union

from .._union import (
    UnknownCitation,
    UnknownObject,
    parse_tagged,
    union_table,
)
from . import (
    BetaContentBlock,
    BetaRawContentBlockDelta,
    BetaRawMessageStreamEvent,
    BetaTextCitation,
)
from ._union import BetaUnknownContentBlock, BetaUnknownDelta, BetaUnknownStreamEvent

__all__ = [
    "BETA_BLOCK_TYPES",
    "BETA_DELTA_TYPES",
    "BETA_EVENT_TYPES",
    "BLOCK_TYPES",
    "DELTA_TYPES",
    "CITATION_TYPES",
    "EVENT_TYPES",
    "UnknownObject",
    "BetaUnknownContentBlock",
    "BetaUnknownDelta",
    "UnknownCitation",
    "BetaUnknownStreamEvent",
    "parse_block",
    "parse_delta",
    "parse_citation",
    "parse_event",
]

BLOCK_TYPES = BETA_BLOCK_TYPES = union_table(BetaContentBlock)
DELTA_TYPES = BETA_DELTA_TYPES = union_table(BetaRawContentBlockDelta)
CITATION_TYPES = union_table(BetaTextCitation)
EVENT_TYPES = BETA_EVENT_TYPES = union_table(BetaRawMessageStreamEvent)


def parse_block(data: Any) -> Union[BetaContentBlock, BetaUnknownContentBlock]:
    """Validate one beta content block (a dict as the API sends it)."""
    block: Union[BetaContentBlock, BetaUnknownContentBlock] = parse_tagged(
        BLOCK_TYPES, BetaUnknownContentBlock, data
    )
    return block


def parse_delta(data: Any) -> Union[BetaRawContentBlockDelta, BetaUnknownDelta]:
    """Validate the ``delta`` object of a beta ``content_block_delta`` event."""
    delta: Union[BetaRawContentBlockDelta, BetaUnknownDelta] = parse_tagged(
        DELTA_TYPES, BetaUnknownDelta, data
    )
    return delta


def parse_citation(data: Any) -> Union[BetaTextCitation, UnknownCitation]:
    """Validate one beta citation."""
    citation: Union[BetaTextCitation, UnknownCitation] = parse_tagged(CITATION_TYPES, UnknownCitation, data)
    return citation


def parse_event(data: Any) -> Union[BetaRawMessageStreamEvent, BetaUnknownStreamEvent]:
    """Validate one raw beta stream event (``ping``, ``error`` and new types become ``BetaUnknownStreamEvent``)."""
    event: Union[BetaRawMessageStreamEvent, BetaUnknownStreamEvent] = parse_tagged(
        EVENT_TYPES, BetaUnknownStreamEvent, data
    )
    return event
