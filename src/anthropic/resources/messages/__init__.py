"""``client.messages``."""

from .messages import DEPRECATED_MODELS as DEPRECATED_MODELS
from .messages import AsyncMessages as AsyncMessages
from .messages import Messages as Messages

__all__ = ["DEPRECATED_MODELS", "AsyncMessages", "Messages"]
