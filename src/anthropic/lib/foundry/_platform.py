"""The Microsoft Foundry platform description (``AnthropicFoundry``).

Foundry serves the first-party API (paths, bodies, SSE streams) under an
Azure resource's URL; only the base URL and the auth headers differ, and the
Models and Batch APIs are not offered.  :func:`foundry_platform` takes exactly
the arguments of ``AnthropicFoundry`` (see the package docstring).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Union

from .._platform import PlatformConfigError, PlatformRequest, UnsupportedEndpointError, env, split_path

__all__ = ["AsyncAzureADTokenProvider", "AzureADTokenProvider", "FoundryPlatform", "foundry_platform"]

AzureADTokenProvider = Callable[[], str]
AsyncAzureADTokenProvider = Callable[[], Union[str, Awaitable[str]]]

UNSUPPORTED_RESOURCES = frozenset({"models", "messages.batches", "beta.messages.batches"})


def _check_token(token: object) -> str:
    if not token or not isinstance(token, str):
        raise PlatformConfigError(
            f"Expected `azure_ad_token_provider` argument to return a string but it returned {token!r}"
        )
    return token


class FoundryPlatform:
    """Where Foundry requests go and how they are authenticated."""

    name = "foundry"
    sends_version_header = True
    stream_format = "sse"
    default_headers: Mapping[str, str] = {}
    needs_load = False
    unsupported_resources = UNSUPPORTED_RESOURCES
    """Client attributes that are ``None`` on Foundry clients (``client.models``, ...)."""

    def __init__(
        self, *, base_url: str, api_key: str | None, azure_ad_token_provider: AsyncAzureADTokenProvider | None
    ) -> None:
        self.base_url = base_url
        self.api_key = api_key
        self.azure_ad_token_provider = azure_ad_token_provider

    def load(self) -> None:
        pass

    def prepare(self, request: PlatformRequest) -> PlatformRequest:
        path, _ = split_path(request.path)
        if path.startswith("/v1/messages/batches"):
            raise UnsupportedEndpointError("The Batch API is not supported in the Foundry client")
        if path == "/v1/models" or path.startswith("/v1/models/"):
            raise UnsupportedEndpointError("The Models API is not supported in the Foundry client")
        return request

    def _key_headers(self) -> dict[str, str]:
        if self.api_key is None:  # not reachable: foundry_platform requires one or the other
            raise PlatformConfigError("A Foundry client needs `api_key` or `azure_ad_token_provider`")
        return {"x-api-key": self.api_key, "api-key": self.api_key}

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        provider = self.azure_ad_token_provider
        if provider is None:
            return self._key_headers()
        token = provider()
        if inspect.isawaitable(token):
            close = getattr(token, "close", None)
            if close is not None:
                close()  # never awaited: do not leave a "coroutine was never awaited" warning
            raise PlatformConfigError(
                "`azure_ad_token_provider` returned an awaitable; a sync client needs a provider that returns a "
                "string (use AsyncAnthropicFoundry for an async provider)"
            )
        return {"Authorization": f"Bearer {_check_token(token)}"}

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        provider = self.azure_ad_token_provider
        if provider is None:
            return self._key_headers()
        token: Any = provider()
        if inspect.isawaitable(token):
            token = await token
        return {"Authorization": f"Bearer {_check_token(token)}"}

    def new_decoder(self) -> None:
        return None

    def __repr__(self) -> str:
        auth = "azure_ad_token_provider" if self.azure_ad_token_provider is not None else "api_key"
        return f"<FoundryPlatform base_url={self.base_url!r} auth={auth}>"


def foundry_platform(
    *,
    resource: str | None = None,
    api_key: str | None = None,
    azure_ad_token_provider: AsyncAzureADTokenProvider | None = None,
    base_url: Any = None,
) -> FoundryPlatform:
    """The platform for these ``AnthropicFoundry`` arguments and the environment."""
    if api_key is None:
        api_key = env("ANTHROPIC_FOUNDRY_API_KEY")
    if resource is None and base_url is None:
        resource = env("ANTHROPIC_FOUNDRY_RESOURCE")
    if base_url is None:
        base_url = env("ANTHROPIC_FOUNDRY_BASE_URL")
    if api_key is None and azure_ad_token_provider is None:
        raise PlatformConfigError(
            "Missing credentials: pass `api_key` or `azure_ad_token_provider`, or set ANTHROPIC_FOUNDRY_API_KEY"
        )
    if base_url is None:
        if resource is None:
            raise PlatformConfigError(
                "No endpoint was given: pass `base_url` or `resource`, or set ANTHROPIC_FOUNDRY_RESOURCE "
                "or ANTHROPIC_FOUNDRY_BASE_URL"
            )
        base_url = f"https://{resource}.services.ai.azure.com/anthropic/"
    elif resource is not None:
        raise PlatformConfigError("`base_url` and `resource` are mutually exclusive: pass one or the other")
    return FoundryPlatform(
        base_url=str(base_url), api_key=api_key, azure_ad_token_provider=azure_ad_token_provider
    )
