"""Microsoft Foundry (Azure): the first-party API under an Azure resource.

What the official client 2.15.0 does (the behaviour this package keeps):

``AnthropicFoundry`` / ``AsyncAnthropicFoundry``
    Keyword arguments ``resource``, ``api_key``, ``azure_ad_token_provider``,
    ``webhook_key``, ``base_url`` and the usual ones (the official module is
    ``anthropic.lib.foundry``).

    * ``api_key`` defaults to ``ANTHROPIC_FOUNDRY_API_KEY``; with neither a key
      nor ``azure_ad_token_provider``: "Missing credentials" (``AnthropicError``).
    * ``resource`` defaults to ``ANTHROPIC_FOUNDRY_RESOURCE`` (only when no
      ``base_url`` argument), ``base_url`` to ``ANTHROPIC_FOUNDRY_BASE_URL``;
      base URL ``https://{resource}.services.ai.azure.com/anthropic/``;
      neither is an error, both is an error ("mutually exclusive").
    * Auth per request: with a token provider, ``Authorization: Bearer
      TOKEN`` from calling it each time (the async client awaits it when it
      returns an awaitable; anything but a non-empty string is a
      ``ValueError``); else ``x-api-key: KEY`` and ``api-key: KEY``.  The
      ambient ``ANTHROPIC_API_KEY`` is never sent.
    * First-party paths, bodies, ``anthropic-version`` header and SSE
      streams.  ``client.models``, ``client.messages.batches`` and
      ``client.beta.messages.batches`` are ``None``.

Here: :mod:`._platform`.  No SDK is involved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.platforms import AsyncAnthropicFoundry as AsyncAnthropicFoundry
    from ..._sync.platforms import AnthropicFoundry as AnthropicFoundry
    from ._platform import AsyncAzureADTokenProvider as AsyncAzureADTokenProvider
    from ._platform import AzureADTokenProvider as AzureADTokenProvider

__all__ = ['AnthropicFoundry', 'AsyncAnthropicFoundry', 'AsyncAzureADTokenProvider', 'AzureADTokenProvider']

# The clients load when first named (each colour on its own).
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "AnthropicFoundry": "..._sync.platforms",
        "AsyncAnthropicFoundry": "..._async.platforms",
        "AzureADTokenProvider": "._platform",
        "AsyncAzureADTokenProvider": "._platform",
    },
)
