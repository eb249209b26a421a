"""Type tag -> class tables of the beta API, and the one-object validators built on them.

The beta counterpart of :mod:`anthropic.types._tables` (same function names);
citations are shared with the non-beta API.
"""

from typing import Any, Union

from .._common import CITATION_TYPES
from .._tables import parse_citation
from .._union import UnknownCitation, UnknownObject, parse_tagged
from ._messages import (
    BETA_BLOCK_TYPES,
    BETA_DELTA_TYPES,
    BETA_EVENT_TYPES,
    BetaContentBlock,
    BetaRawContentBlockDelta,
    BetaRawMessageStreamEvent,
    BetaUnknownContentBlock,
    BetaUnknownDelta,
    BetaUnknownStreamEvent,
)

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

BLOCK_TYPES = BETA_BLOCK_TYPES
DELTA_TYPES = BETA_DELTA_TYPES
EVENT_TYPES = BETA_EVENT_TYPES


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


def parse_event(data: Any) -> Union[BetaRawMessageStreamEvent, BetaUnknownStreamEvent]:
    """Validate one raw beta stream event (``ping``, ``error`` and new types become ``BetaUnknownStreamEvent``)."""
    event: Union[BetaRawMessageStreamEvent, BetaUnknownStreamEvent] = parse_tagged(
        EVENT_TYPES, BetaUnknownStreamEvent, data
    )
    return event
