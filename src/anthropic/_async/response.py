"""The raw reply of a call (asynchronous; the sync twin is generated): ``parse()`` and the body readers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx2

from .._http import aclose_response
from .._response import BaseAPIResponse

__all__ = ["AsyncAPIResponse", "AsyncResponseContextManager"]

_R = TypeVar("_R")
_UNSET: Any = object()


class AsyncAPIResponse(BaseAPIResponse, Generic[_R]):
    """The HTTP reply of one call; :meth:`parse` builds what the call would have returned."""

    def __init__(
        self,
        http_response: httpx2.Response,
        build: Callable[[httpx2.Response], Awaitable[_R]],
        *,
        retries_taken: int = 0,
    ) -> None:
        super().__init__(http_response, retries_taken=retries_taken)
        self._build = build
        self._parsed: Any = _UNSET

    async def parse(self) -> _R:
        """The call's result (a ``Message``, a stream, a token count); built once."""
        if self._parsed is _UNSET:
            self._parsed = await self._build(self.http_response)
        return self._parsed  # type: ignore[no-any-return]

    async def read(self) -> bytes:
        """The whole body."""
        return await self.http_response.aread()

    async def text(self) -> str:
        """The whole body, decoded."""
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        """The whole body, as JSON."""
        await self.read()
        return self.http_response.json()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        async for chunk in self.http_response.aiter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        async for chunk in self.http_response.aiter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        async for line in self.http_response.aiter_lines():
            yield line

    async def close(self) -> None:
        """Release the connection."""
        await aclose_response(self.http_response)


class AsyncResponseContextManager(Generic[_R]):
    """Sends on entry (the body left unread) and releases the connection on exit."""

    def __init__(self, open_response: Callable[[], Awaitable[AsyncAPIResponse[_R]]]) -> None:
        self._open = open_response
        self._response: AsyncAPIResponse[_R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[_R]:
        self._response = await self._open()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()
