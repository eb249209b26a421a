"""The beta message streams at the official client's module path ``anthropic.lib.streaming._beta_messages``.

The classes are those of :mod:`anthropic.lib.streaming._messages` (one
implementation for plain and beta); this module only gives them the path code
written against the official client imports them from, with
``TRACKS_TOOL_INPUT``, the beta content-block classes whose ``input`` arrives
as ``input_json_delta`` pieces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._messages import BetaAsyncMessageStream as BetaAsyncMessageStream
from ._messages import BetaAsyncMessageStreamManager as BetaAsyncMessageStreamManager
from ._messages import BetaMessageStream as BetaMessageStream
from ._messages import BetaMessageStreamManager as BetaMessageStreamManager

__all__ = [
    "BetaAsyncMessageStream",
    "BetaAsyncMessageStreamManager",
    "BetaMessageStream",
    "BetaMessageStreamManager",
    "TRACKS_TOOL_INPUT",
]

if TYPE_CHECKING:
    from ...types.beta import BetaMCPToolUseBlock, BetaServerToolUseBlock, BetaToolUseBlock

    TRACKS_TOOL_INPUT: tuple[type[BetaToolUseBlock], type[BetaServerToolUseBlock], type[BetaMCPToolUseBlock]]


def __getattr__(name: str) -> Any:
    # Built on first access: the beta types load only when asked for.
    if name == "TRACKS_TOOL_INPUT":
        from ...types.beta import BetaMCPToolUseBlock, BetaServerToolUseBlock, BetaToolUseBlock

        value = (BetaToolUseBlock, BetaServerToolUseBlock, BetaMCPToolUseBlock)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
