"""Message streams, their managers, and the events they yield (plain and beta).

The beta event classes load on first use, with the beta types.
"""

from typing import TYPE_CHECKING, Any

from ...types._parsed import ResponseFormatT as ResponseFormatT
from ._messages import (
    AsyncMessageStream as AsyncMessageStream,
    AsyncMessageStreamManager as AsyncMessageStreamManager,
    BetaAsyncMessageStream as BetaAsyncMessageStream,
    BetaAsyncMessageStreamManager as BetaAsyncMessageStreamManager,
    BetaMessageStream as BetaMessageStream,
    BetaMessageStreamManager as BetaMessageStreamManager,
    MessageStream as MessageStream,
    MessageStreamManager as MessageStreamManager,
)
from ._types import (
    CitationEvent as CitationEvent,
    ContentBlockStopEvent as ContentBlockStopEvent,
    InputJsonEvent as InputJsonEvent,
    MessageStopEvent as MessageStopEvent,
    MessageStreamEvent as MessageStreamEvent,
    ParsedContentBlockStopEvent as ParsedContentBlockStopEvent,
    ParsedMessageStopEvent as ParsedMessageStopEvent,
    ParsedMessageStreamEvent as ParsedMessageStreamEvent,
    SignatureEvent as SignatureEvent,
    TextEvent as TextEvent,
    ThinkingEvent as ThinkingEvent,
)

__all__ = ["AsyncMessageStream", "AsyncMessageStreamManager", "BetaAsyncMessageStream", "BetaAsyncMessageStreamManager", "BetaCitationEvent", "BetaContentBlockStopEvent", "BetaInputJsonEvent", "BetaMessageStopEvent", "BetaMessageStream", "BetaMessageStreamEvent", "BetaMessageStreamManager", "BetaSignatureEvent", "BetaTextEvent", "BetaThinkingEvent", "CitationEvent", "ContentBlockStopEvent", "InputJsonEvent", "MessageStopEvent", "MessageStream", "MessageStreamEvent", "MessageStreamManager", "ParsedBetaContentBlockStopEvent", "ParsedBetaMessageStopEvent", "ParsedBetaMessageStreamEvent", "ParsedBetaTextEvent", "ParsedContentBlockStopEvent", "ParsedMessageStopEvent", "ParsedMessageStreamEvent", "ResponseFormatT", "SignatureEvent", "TextEvent", "ThinkingEvent"]

if TYPE_CHECKING:
    from ._beta_types import (
        BetaCitationEvent as BetaCitationEvent,
        BetaContentBlockStopEvent as BetaContentBlockStopEvent,
        BetaInputJsonEvent as BetaInputJsonEvent,
        BetaMessageStopEvent as BetaMessageStopEvent,
        BetaMessageStreamEvent as BetaMessageStreamEvent,
        BetaSignatureEvent as BetaSignatureEvent,
        BetaTextEvent as BetaTextEvent,
        BetaThinkingEvent as BetaThinkingEvent,
        ParsedBetaContentBlockStopEvent as ParsedBetaContentBlockStopEvent,
        ParsedBetaMessageStopEvent as ParsedBetaMessageStopEvent,
        ParsedBetaMessageStreamEvent as ParsedBetaMessageStreamEvent,
        ParsedBetaTextEvent as ParsedBetaTextEvent,
    )

_BETA_NAMES = frozenset({"BetaCitationEvent", "BetaContentBlockStopEvent", "BetaInputJsonEvent", "BetaMessageStopEvent", "BetaMessageStreamEvent", "BetaSignatureEvent", "BetaTextEvent", "BetaThinkingEvent", "ParsedBetaContentBlockStopEvent", "ParsedBetaMessageStopEvent", "ParsedBetaMessageStreamEvent", "ParsedBetaTextEvent"})


def __getattr__(name: str) -> Any:
    if name in _BETA_NAMES:
        from . import _beta_types

        value = getattr(_beta_types, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
