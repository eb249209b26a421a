"""``client.beta.models``: the resource classes of both colours (beta flavour)."""

from ..._async.batches import AsyncBetaModels as AsyncBetaModels
from ..._sync.batches import BetaModels as BetaModels

Models = BetaModels
AsyncModels = AsyncBetaModels

__all__ = ["AsyncBetaModels", "AsyncModels", "BetaModels", "Models"]
