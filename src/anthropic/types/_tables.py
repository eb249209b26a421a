"""Type tag -> class tables, and the one-object validators built on them (hand-written).

For code that dispatches on ``type`` itself (the stream accumulator): look a
class up in ``BLOCK_TYPES`` / ``DELTA_TYPES`` / ``CITATION_TYPES`` /
``EVENT_TYPES``, or call ``parse_*`` to validate a dict as its class, falling
back to the ``Unknown*`` model (every field kept) for a type not in the table
or data its class rejects.  The tables are read from the generated unions, so
they follow the manifest.  The beta flavour lives in ``anthropic.types.beta._tables``.
"""

from __future__ import annotations

from typing import Any, Union

from . import (
    ContentBlock,
    RawContentBlockDelta,
    RawMessageStreamEvent,
    TextCitation,
)
from ._union import (
    UnknownCitation,
    UnknownContentBlock,
    UnknownDelta,
    UnknownObject,
    UnknownStreamEvent,
    parse_tagged,
    union_table,
)

__all__ = [
    "BLOCK_TYPES",
    "DELTA_TYPES",
    "CITATION_TYPES",
    "EVENT_TYPES",
    "UnknownObject",
    "UnknownContentBlock",
    "UnknownDelta",
    "UnknownCitation",
    "UnknownStreamEvent",
    "parse_block",
    "parse_delta",
    "parse_citation",
    "parse_event",
]

BLOCK_TYPES = union_table(ContentBlock)
DELTA_TYPES = union_table(RawContentBlockDelta)
CITATION_TYPES = union_table(TextCitation)
EVENT_TYPES = union_table(RawMessageStreamEvent)


def parse_block(data: Any) -> Union[ContentBlock, UnknownContentBlock]:
    """Validate one content block (a dict as the API sends it)."""
    block: Union[ContentBlock, UnknownContentBlock] = parse_tagged(BLOCK_TYPES, UnknownContentBlock, data)
    return block


def parse_delta(data: Any) -> Union[RawContentBlockDelta, UnknownDelta]:
    """Validate the ``delta`` object of a ``content_block_delta`` event."""
    delta: Union[RawContentBlockDelta, UnknownDelta] = parse_tagged(DELTA_TYPES, UnknownDelta, data)
    return delta


def parse_citation(data: Any) -> Union[TextCitation, UnknownCitation]:
    """Validate one citation."""
    citation: Union[TextCitation, UnknownCitation] = parse_tagged(CITATION_TYPES, UnknownCitation, data)
    return citation


def parse_event(data: Any) -> Union[RawMessageStreamEvent, UnknownStreamEvent]:
    """Validate one raw stream event (``ping``, ``error`` and new types become ``UnknownStreamEvent``)."""
    event: Union[RawMessageStreamEvent, UnknownStreamEvent] = parse_tagged(
        EVENT_TYPES, UnknownStreamEvent, data
    )
    return event
