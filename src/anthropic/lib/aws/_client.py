"""``AnthropicAWS`` and ``AsyncAnthropicAWS`` where the official client keeps them (``anthropic.lib.aws._client``).

The classes are defined in :mod:`anthropic._async.platforms` (and its generated
sync twin); each loads when first named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.platforms import AsyncAnthropicAWS as AsyncAnthropicAWS
    from ..._sync.platforms import AnthropicAWS as AnthropicAWS

__all__ = ["AnthropicAWS", "AsyncAnthropicAWS"]

__getattr__, __dir__ = lazy_names(__name__, {"AnthropicAWS": "..._sync.platforms", "AsyncAnthropicAWS": "..._async.platforms"})
