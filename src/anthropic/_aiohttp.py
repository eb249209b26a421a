"""An ``httpx2`` transport over ``aiohttp`` (the ``aiohttp`` extra), behind ``DefaultAioHttpClient``.

Requests and responses stay ``httpx2`` objects; the body streams from
``aiohttp`` as it arrives.  ``aiohttp``'s failures become the ``httpx2``
exceptions the rest of the client maps (connect/read timeouts, connection
errors), so retries and error messages are the same as over ``httpcore2``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp  # type: ignore[import-not-found, unused-ignore]
import httpx2

__all__ = ["AiohttpTransport"]


class _Body(httpx2.AsyncByteStream):
    def __init__(self, response: Any, request: httpx2.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except asyncio.TimeoutError as exc:
            raise httpx2.ReadTimeout(str(exc) or "read timed out", request=self._request) from exc
        except aiohttp.ClientError as exc:
            raise httpx2.ReadError(str(exc), request=self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """Sends each request through one ``aiohttp.ClientSession`` (made on first use)."""

    def __init__(self) -> None:
        self._session: Any = None

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._session is None:
            self._session = aiohttp.ClientSession(auto_decompress=False)
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(sock_connect=timeouts.get("connect"), sock_read=timeouts.get("read"))
        try:
            response = await self._session.request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=await request.aread(),
                allow_redirects=False,
                timeout=timeout,
            )
        except asyncio.TimeoutError as exc:
            raise httpx2.ConnectTimeout(str(exc) or "timed out", request=request) from exc
        except aiohttp.ClientError as exc:
            raise httpx2.ConnectError(str(exc), request=request) from exc
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers]
        return httpx2.Response(response.status, headers=headers, stream=_Body(response, request), request=request)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
