"""``client.messages``."""

from .messages import AsyncMessages as AsyncMessages
from .messages import Messages as Messages

__all__ = ["AsyncMessages", "Messages"]
