"""``AsyncAnthropic`` (the sync twin ``Anthropic`` is generated from this file).

A client is its options (:class:`~anthropic._base_client.BaseClient`), its
request seam (:class:`~anthropic._async.api_client.AsyncAPIClient`), one
:class:`~anthropic._async.sending.AsyncSender` made for it, and the resources
built on that sender.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx2

from .api_client import AsyncAPIClient

if TYPE_CHECKING:
    from .batches import AsyncModels
    from .messages import AsyncBeta, AsyncMessages
    from .sending import AsyncSender

__all__ = ["AsyncAnthropic"]


class AsyncAnthropic(AsyncAPIClient):
    """The client.

    Credentials come from ``api_key`` / ``ANTHROPIC_API_KEY`` (sent as
    ``x-api-key``) or ``auth_token`` / ``ANTHROPIC_AUTH_TOKEN`` (sent as
    ``authorization: Bearer``).  Use it as a context manager, or call
    :meth:`close`, to release its connections.
    """

    _http_client_class = httpx2.AsyncClient

    @cached_property
    def _sender(self) -> AsyncSender:
        from .sending import AsyncSender

        return AsyncSender(self, self._pool_for_request)

    @cached_property
    def messages(self) -> AsyncMessages:
        from .messages import AsyncMessages

        return AsyncMessages(self._sender)

    @cached_property
    def models(self) -> AsyncModels:
        from .batches import AsyncModels

        return AsyncModels(self._sender)

    @cached_property
    def beta(self) -> AsyncBeta:
        from .messages import AsyncBeta

        return AsyncBeta(self._sender)

    @cached_property
    def with_raw_response(self) -> AsyncAnthropicWithRawResponse:
        """The resources of this client, answering each call with its raw reply."""
        return AsyncAnthropicWithRawResponse(self._sender)

    @cached_property
    def with_streaming_response(self) -> AsyncAnthropicWithStreamedResponse:
        """The resources of this client, answering each call with a context manager over its unread reply."""
        return AsyncAnthropicWithStreamedResponse(self._sender)

    async def close(self) -> None:
        """Close the client: it sends no more requests, and the connection pool it made itself is closed
        (a pool passed as ``http_client=`` stays open: it is the caller's)."""
        self._closed = True
        if self._http_client is not None and self._owns_http_client:
            await self._http_client.aclose()

    async def __aenter__(self) -> AsyncAnthropic:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class AsyncAnthropicWithRawResponse:
    """``client.with_raw_response``."""

    def __init__(self, sender: AsyncSender) -> None:
        from .batches import AsyncModels
        from .messages import AsyncBeta, AsyncMessages

        self.messages = AsyncMessages(sender, mode="raw")
        self.beta = AsyncBeta(sender, mode="raw")
        self.models = AsyncModels(sender, mode="raw")


class AsyncAnthropicWithStreamedResponse:
    """``client.with_streaming_response``."""

    def __init__(self, sender: AsyncSender) -> None:
        from .batches import AsyncModels
        from .messages import AsyncBeta, AsyncMessages, AsyncStreamingResponseMethods

        self.messages: Any = AsyncStreamingResponseMethods(AsyncMessages(sender, mode="streaming"))
        self.beta = AsyncBeta(sender).with_streaming_response
        self.models = AsyncModels(sender).with_streaming_response
