"""Sentinels and aliases used in request signatures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict, TypeVar, Union

import httpx2
from typing_extensions import override

__all__ = [
    "NOT_GIVEN",
    "Body",
    "Headers",
    "NoneType",
    "NotGiven",
    "Omit",
    "Query",
    "RequestOptions",
    "ResponseT",
    "Timeout",
    "not_given",
    "omit",
]

_T = TypeVar("_T")
ResponseT = TypeVar("ResponseT")
"""The result type of a call, as ``client.request(cast_to, ...)`` names it."""
NoneType: type[None] = type(None)


class NotGiven:
    """The default of optional arguments: "the caller said nothing", as opposed to ``None``.

    ``None`` is a value that some fields take (``timeout=None`` disables timeouts);
    ``NOT_GIVEN`` means "use the default".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
not_given = NOT_GIVEN


class Omit:
    """Passed as a header value to remove a header the client would otherwise send.

    ``extra_headers={"x-api-key": omit}`` sends no ``x-api-key``.
    """

    _instance: Omit | None = None

    def __new__(cls) -> Omit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "omit"


omit = Omit()

Timeout = Union[float, httpx2.Timeout, None]
Headers = Mapping[str, Union[str, Omit]]
Query = Mapping[str, object]
Body = object


class RequestOptions(TypedDict, total=False):
    headers: Headers
    max_retries: int
    timeout: float | httpx2.Timeout | None
    params: Query
    extra_json: Mapping[str, Any]
