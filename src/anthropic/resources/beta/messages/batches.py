"""``client.beta.messages.batches``: the resource classes of both colours (beta flavour).

``Batches`` / ``AsyncBatches`` are the names the official client gives them
here; ``BetaBatches`` / ``AsyncBetaBatches`` are the same classes.
"""

from ...._async.batches import AsyncBetaBatches as AsyncBetaBatches
from ...._sync.batches import BetaBatches as BetaBatches

Batches = BetaBatches
AsyncBatches = AsyncBetaBatches

__all__ = ["AsyncBatches", "AsyncBetaBatches", "Batches", "BetaBatches"]
