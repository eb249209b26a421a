"""Message streams, their managers, and the events they yield (plain and beta).

The beta event classes load on first use, with the beta types.
"""

from typing import TYPE_CHECKING, Any

from ...types._parsed import ResponseFormatT as ResponseFormatT
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

__all__ = ["AsyncMessageStream", "AsyncMessageStreamManager", "BetaAsyncMessageStream", "BetaAsyncMessageStreamManager", "BetaCitationEvent", "BetaContentBlockStopEvent", "BetaInputJsonEvent", "BetaMessageStopEvent", "BetaMessageStream", "BetaMessageStreamEvent", "BetaMessageStreamManager", "BetaSignatureEvent", "BetaTextEvent", "BetaThinkingEvent", "CitationEvent", "ContentBlockStopEvent", "InputJsonEvent", "MessageStopEvent", "MessageStream", "MessageStreamEvent", "MessageStreamManager", "ParsedBetaContentBlockStopEvent", "ParsedBetaMessageStopEvent", "ParsedBetaMessageStreamEvent", "ParsedBetaTextEvent", "ParsedContentBlockStopEvent", "ParsedMessageStopEvent", "ParsedMessageStreamEvent", "ResponseFormatT", "SignatureEvent", "TextEvent", "ThinkingEvent"]

if TYPE_CHECKING:
    from ._beta_types import (
        BetaCitationEvent as BetaCitationEvent,
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

_BETA_NAMES = frozenset({"BetaCitationEvent", "BetaContentBlockStopEvent", "BetaInputJsonEvent", "BetaMessageStopEvent", "BetaMessageStreamEvent", "BetaSignatureEvent", "BetaTextEvent", "BetaThinkingEvent", "ParsedBetaContentBlockStopEvent", "ParsedBetaMessageStopEvent", "ParsedBetaMessageStreamEvent", "ParsedBetaTextEvent"})


def __getattr__(name: str) -> Any:
    if name in _BETA_NAMES:
        from . import _beta_types

        value = getattr(_beta_types, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
