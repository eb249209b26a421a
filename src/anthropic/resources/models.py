"""``client.models``: the resource classes of both colours (plain flavour)."""

from .._async.batches import AsyncModels as AsyncModels
from .._lazy import lazy_names
from .._sync.batches import Models as Models

__all__ = ["AsyncModels", "Models"]

__getattr__, __dir__ = lazy_names(
    __name__,
    {
        f"{colour}ModelsWith{kind}Response": "anthropic.resources._views"
        for colour in ("", "Async")
        for kind in ("Raw", "Streaming")
    },
)
