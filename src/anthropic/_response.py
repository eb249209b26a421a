"""What ``with_raw_response`` and ``with_streaming_response`` return: the HTTP reply with its parse.

:class:`BaseAPIResponse` holds the colourless part (status, headers, request
id); :class:`~anthropic._async.response.AsyncAPIResponse` and its generated
sync twin ``APIResponse`` add ``parse()`` and the body readers.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypeVar

from ._lazy import lazy_names

if TYPE_CHECKING:
    import httpx2

    from ._async.response import AsyncAPIResponse as AsyncAPIResponse
    from ._async.response import AsyncResponseContextManager as AsyncResponseContextManager
    from ._sync.response import APIResponse as APIResponse
    from ._sync.response import ResponseContextManager as ResponseContextManager

_T = TypeVar("_T")

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "BaseAPIResponse",
    "ResponseContextManager",
    "add_response_ids",
]


def add_response_ids(result: _T, response: httpx2.Response) -> _T:
    """Put the reply's ids on the model a call returns: ``result._request_id`` and ``result._workspace_id``.

    As in the official client, only the top-level object of a non-streamed call
    has them (a ``Message``, a token count, a batch, a page); they stay out of
    ``model_dump()``, ``repr`` and equality.
    """
    if hasattr(result, "model_fields_set"):  # a pydantic model, without importing pydantic here
        headers = response.headers
        object.__setattr__(result, "_request_id", headers.get("request-id"))
        object.__setattr__(result, "_workspace_id", headers.get("anthropic-workspace-id"))
    return result


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


__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "APIResponse": "._sync.response",
        "ResponseContextManager": "._sync.response",
        "AsyncAPIResponse": "._async.response",
        "AsyncResponseContextManager": "._async.response",
    },
)
