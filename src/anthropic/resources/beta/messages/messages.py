"""``client.beta.messages``: the resource classes of both colours (beta flavour).

``Messages`` / ``AsyncMessages`` are the names the official client gives them
here; ``BetaMessages`` / ``AsyncBetaMessages`` are the same classes.
"""

from ...._async.messages import AsyncBetaMessages as AsyncBetaMessages
from ...._sync.messages import BetaMessages as BetaMessages

Messages = BetaMessages
AsyncMessages = AsyncBetaMessages

__all__ = ["AsyncBetaMessages", "AsyncMessages", "BetaMessages", "Messages"]
