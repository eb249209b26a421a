"""``client.beta.messages``."""

from .messages import AsyncBetaMessages as AsyncBetaMessages
from .messages import AsyncMessages as AsyncMessages
from .messages import BetaMessages as BetaMessages
from .messages import Messages as Messages

__all__ = ["AsyncBetaMessages", "AsyncMessages", "BetaMessages", "Messages"]
