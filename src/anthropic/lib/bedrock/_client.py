"""``AnthropicBedrock`` and ``AsyncAnthropicBedrock`` where the official client keeps them (``anthropic.lib.bedrock._client``).

The classes are defined in :mod:`anthropic._async.platforms` (and its generated
sync twin); each loads when first named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.platforms import AsyncAnthropicBedrock as AsyncAnthropicBedrock
    from ..._sync.platforms import AnthropicBedrock as AnthropicBedrock

__all__ = ["AnthropicBedrock", "AsyncAnthropicBedrock"]

__getattr__, __dir__ = lazy_names(__name__, {"AnthropicBedrock": "..._sync.platforms", "AsyncAnthropicBedrock": "..._async.platforms"})
