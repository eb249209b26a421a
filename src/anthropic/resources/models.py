"""``client.models``: the resource classes of both colours (plain flavour)."""

from .._async.batches import AsyncModels as AsyncModels
from .._sync.batches import Models as Models

__all__ = ["AsyncModels", "Models"]
