"""What ``with_raw_response`` and ``with_streaming_response`` return: the HTTP reply with its parse.

:class:`BaseAPIResponse` holds the colourless part (status, headers, request
id); :class:`~anthropic._async.response.AsyncAPIResponse` and its generated
sync twin ``APIResponse`` add ``parse()`` and the body readers.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx2

    from ._async.response import AsyncAPIResponse as AsyncAPIResponse
    from ._async.response import AsyncResponseContextManager as AsyncResponseContextManager
    from ._sync.response import APIResponse as APIResponse
    from ._sync.response import ResponseContextManager as ResponseContextManager

__all__ = ["APIResponse", "AsyncAPIResponse", "AsyncResponseContextManager", "BaseAPIResponse", "ResponseContextManager"]


class BaseAPIResponse:
    """The HTTP reply of one call, before (or instead of) its parsed result."""

    http_response: httpx2.Response
    retries_taken: int

    def __init__(self, http_response: httpx2.Response, *, retries_taken: int = 0) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken

    @property
    def headers(self) -> httpx2.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx2.Request:
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx2.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def request_id(self) -> str | None:
        value: str | None = self.http_response.headers.get("request-id")
        return value

    @property
    def workspace_id(self) -> str | None:
        value: str | None = self.http_response.headers.get("anthropic-workspace-id")
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.method} {self.url}>"


def __getattr__(name: str) -> Any:
    if name in ("AsyncAPIResponse", "AsyncResponseContextManager"):
        from ._async import response

        return getattr(response, name)
    if name in ("APIResponse", "ResponseContextManager"):
        from ._sync import response as sync_response

        return getattr(sync_response, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
