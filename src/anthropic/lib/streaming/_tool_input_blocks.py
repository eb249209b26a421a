"""The content-block classes whose ``input`` arrives as ``input_json_delta`` pieces.

Published under the official client's name ``TRACKS_TOOL_INPUT`` at
``anthropic.lib.streaming._messages`` (plain) and
``anthropic.lib.streaming._beta_messages`` (beta), loaded on first access so
that opening a stream does not load them.
"""

from __future__ import annotations

from ...types import ServerToolUseBlock, ToolUseBlock
from ...types.beta import BetaMCPToolUseBlock, BetaServerToolUseBlock, BetaToolUseBlock

__all__ = ["BETA_TRACKS_TOOL_INPUT", "TRACKS_TOOL_INPUT"]

TRACKS_TOOL_INPUT: tuple[type[ToolUseBlock], type[ServerToolUseBlock]] = (ToolUseBlock, ServerToolUseBlock)
BETA_TRACKS_TOOL_INPUT: tuple[type[BetaToolUseBlock], type[BetaServerToolUseBlock], type[BetaMCPToolUseBlock]] = (
    BetaToolUseBlock,
    BetaServerToolUseBlock,
    BetaMCPToolUseBlock,
)
