"""The beta message streams at the official client's module path ``anthropic.lib.streaming._beta_messages``.

The classes are those of :mod:`anthropic.lib.streaming._messages` (one
implementation for plain and beta); this module only gives them the path code
written against the official client imports them from, with
``TRACKS_TOOL_INPUT``, the beta content-block classes whose ``input`` arrives
as ``input_json_delta`` pieces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names
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
    from ._tool_input_blocks import BETA_TRACKS_TOOL_INPUT as TRACKS_TOOL_INPUT

# Built on first access: the beta types load only when asked for.
__getattr__, __dir__ = lazy_names(
    __name__, {"TRACKS_TOOL_INPUT": "anthropic.lib.streaming._tool_input_blocks:BETA_TRACKS_TOOL_INPUT"}
)
