"""The two clients, and the ``httpx2`` clients with our defaults.

``Anthropic`` (:mod:`anthropic._sync.client`, generated) and
``AsyncAnthropic`` (:mod:`anthropic._async.client`) are built on
:class:`~anthropic._base_client.BaseClient`, whose module docstring says how a
platform (Bedrock, Vertex, ...) plugs in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx2

from ._constants import DEFAULT_CONNECTION_LIMITS, DEFAULT_TIMEOUT
from ._lazy import lazy_names

if TYPE_CHECKING:
    from ._async.client import AsyncAnthropic as AsyncAnthropic
    from ._http import PreparedRequest as PreparedRequest
    from ._sync.client import Anthropic as Anthropic

    Client = Anthropic
    AsyncClient = AsyncAnthropic

__all__ = [
    "AsyncAnthropic",
    "AsyncClient",
    "Anthropic",
    "Client",
    "DefaultAioHttpClient",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "PreparedRequest",
]

# Each colour loads when first named, so that the sync client does not load the async one.
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "Anthropic": "._sync.client",
        "Client": "._sync.client:Anthropic",
        "AsyncAnthropic": "._async.client",
        "AsyncClient": "._async.client:AsyncAnthropic",
        "PreparedRequest": "._http",
    },
)


def _with_defaults(kwargs: dict[str, Any]) -> dict[str, Any]:
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
    kwargs.setdefault("follow_redirects", True)
    if "verify" not in kwargs:
        from ._tls import DeferredSSLContext

        kwargs["verify"] = DeferredSSLContext(trust_env=kwargs.get("trust_env", True))
    return kwargs


class DefaultHttpxClient(httpx2.Client):
    """An ``httpx2.Client`` with this library's timeout and connection limits, for ``http_client=``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))


class DefaultAsyncHttpxClient(httpx2.AsyncClient):
    """An ``httpx2.AsyncClient`` with this library's timeout and connection limits, for ``http_client=``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))


class DefaultAioHttpClient(httpx2.AsyncClient):
    """An ``httpx2.AsyncClient`` whose transport is ``aiohttp`` (install ``anthropic[aiohttp]``)."""

    def __init__(self, **kwargs: Any) -> None:
        try:
            from ._aiohttp import AiohttpTransport
        except ImportError as exc:
            raise RuntimeError(
                "DefaultAioHttpClient needs aiohttp, which is not installed: "
                "install the `aiohttp` extra (pip install 'anthropic[aiohttp]')."
            ) from exc
        kwargs.setdefault("transport", AiohttpTransport())
        super().__init__(**_with_defaults(kwargs))
