"""The two type tables the accumulator runs on: plain and beta.

Built once, on first use; the beta table (and with it the beta types) loads
only when a beta stream is opened.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from ..._models import Unbuildable, build_tagged, make
from ._accumulator import TypeTable

__all__ = ["beta_table", "plain_table"]


def _blocks(table: dict[str, type[Any]], fallback: type[Any], validate: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Build a content block by its tag, unchecked; validate what does not fit."""

    def block(data: Any) -> Any:
        try:
            return build_tagged(table, fallback, data)
        except Unbuildable:
            return validate(data)

    return block


@functools.cache
def plain_table() -> TypeTable:
    from ... import types as t
    from ...types import _tables as tt
    from . import _types as ev

    return TypeTable(
        message=t.ParsedMessage,
        plain_message=t.Message,
        parsed_text_block=t.ParsedTextBlock,
        validate_block=_blocks(tt.BLOCK_TYPES, tt.UnknownContentBlock, tt.parse_block),
        delta_classes=tt.DELTA_TYPES,
        validate_delta_event=functools.partial(make, t.RawContentBlockDeltaEvent),
        message_start=t.RawMessageStartEvent,
        message_delta=t.RawMessageDeltaEvent,
        message_stop=t.RawMessageStopEvent,
        block_start=t.RawContentBlockStartEvent,
        block_delta=t.RawContentBlockDeltaEvent,
        block_stop=t.RawContentBlockStopEvent,
        text_event=ev.TextEvent,
        thinking_event=ev.ThinkingEvent,
        signature_event=ev.SignatureEvent,
        citation_event=ev.CitationEvent,
        input_json_event=ev.InputJsonEvent,
        message_stop_event=ev.ParsedMessageStopEvent,
        block_stop_event=ev.ParsedContentBlockStopEvent,
        input_event_block_types=frozenset({"tool_use", "server_tool_use"}),
    )


@functools.cache
def beta_table() -> TypeTable:
    from ...types import beta as b
    from ...types.beta import _tables as bt
    from . import _beta_types as ev

    return TypeTable(
        message=b.ParsedBetaMessage,
        plain_message=b.BetaMessage,
        parsed_text_block=b.ParsedBetaTextBlock,
        validate_block=_blocks(bt.BETA_BLOCK_TYPES, bt.BetaUnknownContentBlock, bt.parse_block),
        delta_classes=bt.BETA_DELTA_TYPES,
        validate_delta_event=functools.partial(make, b.BetaRawContentBlockDeltaEvent),
        message_start=b.BetaRawMessageStartEvent,
        message_delta=b.BetaRawMessageDeltaEvent,
        message_stop=b.BetaRawMessageStopEvent,
        block_start=b.BetaRawContentBlockStartEvent,
        block_delta=b.BetaRawContentBlockDeltaEvent,
        block_stop=b.BetaRawContentBlockStopEvent,
        text_event=ev.ParsedBetaTextEvent,
        thinking_event=ev.BetaThinkingEvent,
        signature_event=ev.BetaSignatureEvent,
        citation_event=ev.BetaCitationEvent,
        input_json_event=ev.BetaInputJsonEvent,
        message_stop_event=ev.ParsedBetaMessageStopEvent,
        block_stop_event=ev.ParsedBetaContentBlockStopEvent,
        input_event_block_types=frozenset({"tool_use", "server_tool_use", "mcp_tool_use"}),
        message_delta_fields=("stop_reason", "stop_sequence", "container"),
    )
