"""Message streams, their managers, and the events they yield (plain and beta).

Names load on first use, so that importing one part (the accumulator, say)
does not pull in the rest, and the beta classes load only with the beta types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ...types._parsed import (
        ResponseFormatT as ResponseFormatT,
    )
    from ._beta_types import (
        BetaCitationEvent as BetaCitationEvent,
    )
    from ._beta_types import (
        BetaCompactionEvent as BetaCompactionEvent,
    )
    from ._beta_types import (
        BetaContentBlockStopEvent as BetaContentBlockStopEvent,
    )
    from ._beta_types import (
        BetaInputJsonEvent as BetaInputJsonEvent,
    )
    from ._beta_types import (
        BetaMessageStopEvent as BetaMessageStopEvent,
    )
    from ._beta_types import (
        BetaMessageStreamEvent as BetaMessageStreamEvent,
    )
    from ._beta_types import (
        BetaSignatureEvent as BetaSignatureEvent,
    )
    from ._beta_types import (
        BetaTextEvent as BetaTextEvent,
    )
    from ._beta_types import (
        BetaThinkingEvent as BetaThinkingEvent,
    )
    from ._beta_types import (
        ParsedBetaContentBlockStopEvent as ParsedBetaContentBlockStopEvent,
    )
    from ._beta_types import (
        ParsedBetaMessageStopEvent as ParsedBetaMessageStopEvent,
    )
    from ._beta_types import (
        ParsedBetaMessageStreamEvent as ParsedBetaMessageStreamEvent,
    )
    from ._beta_types import (
        ParsedBetaTextEvent as ParsedBetaTextEvent,
    )
    from ._messages import (
        AsyncMessageStream as AsyncMessageStream,
    )
    from ._messages import (
        AsyncMessageStreamManager as AsyncMessageStreamManager,
    )
    from ._messages import (
        BetaAsyncMessageStream as BetaAsyncMessageStream,
    )
    from ._messages import (
        BetaAsyncMessageStreamManager as BetaAsyncMessageStreamManager,
    )
    from ._messages import (
        BetaMessageStream as BetaMessageStream,
    )
    from ._messages import (
        BetaMessageStreamManager as BetaMessageStreamManager,
    )
    from ._messages import (
        MessageStream as MessageStream,
    )
    from ._messages import (
        MessageStreamManager as MessageStreamManager,
    )
    from ._types import (
        CitationEvent as CitationEvent,
    )
    from ._types import (
        ContentBlockStopEvent as ContentBlockStopEvent,
    )
    from ._types import (
        InputJsonEvent as InputJsonEvent,
    )
    from ._types import (
        MessageStopEvent as MessageStopEvent,
    )
    from ._types import (
        MessageStreamEvent as MessageStreamEvent,
    )
    from ._types import (
        ParsedContentBlockStopEvent as ParsedContentBlockStopEvent,
    )
    from ._types import (
        ParsedMessageStopEvent as ParsedMessageStopEvent,
    )
    from ._types import (
        ParsedMessageStreamEvent as ParsedMessageStreamEvent,
    )
    from ._types import (
        SignatureEvent as SignatureEvent,
    )
    from ._types import (
        TextEvent as TextEvent,
    )
    from ._types import (
        ThinkingEvent as ThinkingEvent,
    )

_WHERE: dict[str, str] = {
    "AsyncMessageStream": "._messages",
    "AsyncMessageStreamManager": "._messages",
    "BetaAsyncMessageStream": "._messages",
    "BetaAsyncMessageStreamManager": "._messages",
    "BetaMessageStream": "._messages",
    "BetaMessageStreamManager": "._messages",
    "MessageStream": "._messages",
    "MessageStreamManager": "._messages",
    "CitationEvent": "._types",
    "ContentBlockStopEvent": "._types",
    "InputJsonEvent": "._types",
    "MessageStopEvent": "._types",
    "MessageStreamEvent": "._types",
    "ParsedContentBlockStopEvent": "._types",
    "ParsedMessageStopEvent": "._types",
    "ParsedMessageStreamEvent": "._types",
    "SignatureEvent": "._types",
    "TextEvent": "._types",
    "ThinkingEvent": "._types",
    "BetaCitationEvent": "._beta_types",
    "BetaCompactionEvent": "._beta_types",
    "BetaContentBlockStopEvent": "._beta_types",
    "BetaInputJsonEvent": "._beta_types",
    "BetaMessageStopEvent": "._beta_types",
    "BetaMessageStreamEvent": "._beta_types",
    "BetaSignatureEvent": "._beta_types",
    "BetaTextEvent": "._beta_types",
    "BetaThinkingEvent": "._beta_types",
    "ParsedBetaContentBlockStopEvent": "._beta_types",
    "ParsedBetaMessageStopEvent": "._beta_types",
    "ParsedBetaMessageStreamEvent": "._beta_types",
    "ParsedBetaTextEvent": "._beta_types",
    "ResponseFormatT": "...types._parsed",
}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = lazy_names(__name__, _WHERE)
