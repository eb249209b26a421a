"""``client.beta``: the API's beta surface, of both colours."""

from ..._async.messages import AsyncBeta as AsyncBeta
from ..._lazy import lazy_names
from ..._sync.messages import Beta as Beta

__all__ = ["AsyncBeta", "Beta"]

__getattr__, __dir__ = lazy_names(
    __name__,
    {
        f"{colour}BetaWith{kind}Response": "anthropic.resources._views"
        for colour in ("", "Async")
        for kind in ("Raw", "Streaming")
    },
)
