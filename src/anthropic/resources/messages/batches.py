"""``client.messages.batches``: the resource classes of both colours (plain flavour).

Found here where the official client keeps them; they are defined once per
colour in :mod:`anthropic._async.batches` and :mod:`anthropic._sync.batches`.
"""

from ..._async.batches import AsyncBatches as AsyncBatches
from ..._sync.batches import Batches as Batches

__all__ = ["AsyncBatches", "Batches"]
