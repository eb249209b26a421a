"""``client.messages``: the resource classes of both colours (plain flavour).

Found here where the official client keeps them; they are defined once per
colour in :mod:`anthropic._async.messages` and :mod:`anthropic._sync.messages`.
"""

from ..._async.messages import AsyncMessages as AsyncMessages
from ..._sync.messages import Messages as Messages

__all__ = ["AsyncMessages", "Messages"]
