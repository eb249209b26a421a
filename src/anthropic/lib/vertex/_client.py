"""``AnthropicVertex`` and ``AsyncAnthropicVertex`` where the official client keeps them (``anthropic.lib.vertex._client``).

The classes are defined in :mod:`anthropic._async.platforms` (and its generated
sync twin); each loads when first named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.platforms import AsyncAnthropicVertex as AsyncAnthropicVertex
    from ..._sync.platforms import AnthropicVertex as AnthropicVertex

__all__ = ["AnthropicVertex", "AsyncAnthropicVertex"]

__getattr__, __dir__ = lazy_names(__name__, {"AnthropicVertex": "..._sync.platforms", "AsyncAnthropicVertex": "..._async.platforms"})
