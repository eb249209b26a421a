"""``client.beta``: the API's beta surface, of both colours."""

from ..._async.messages import AsyncBeta as AsyncBeta
from ..._sync.messages import Beta as Beta

__all__ = ["AsyncBeta", "Beta"]
