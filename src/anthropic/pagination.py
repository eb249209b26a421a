"""Pages of a list call, as the official client shapes them: ``SyncPage`` and ``AsyncPage``.

A page holds ``data``, ``has_more``, ``first_id`` and ``last_id``; it is a
response model (``model_dump()``, ``to_json()``), built without validation
from items that are models already.  A list call builds ``SyncPage[Item]``
(``AsyncPage[Item]``), so ``isinstance(page, SyncPage[Item])`` holds.  Iterating
a page (``for item in page``, ``async for item in page``) walks every item of
this page and of the pages after it, fetching each when it is reached; only
one page is held at a time.  ``iter_pages()`` walks the pages themselves, and
``get_next_page()`` fetches the next one.  The next page follows ``last_id``
(``after_id``), or ``first_id`` (``before_id``) when the list was walked
backwards.

``client.messages.batches.list()`` on an async client returns an
:class:`AsyncPaginator`: ``await`` it for the first page, or ``async for``
over it for every item.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Dict, Generic, List, Optional, TypeVar

from pydantic import PrivateAttr

from ._models import BaseModel

__all__ = ["AsyncPage", "AsyncPaginator", "PageInfo", "SyncPage"]

_T = TypeVar("_T")
_setattr = object.__setattr__


@dataclass(frozen=True)
class PageInfo:
    """What to ask for the next page: the query parameters that differ."""

    params: Mapping[str, Any] = field(default_factory=dict)


class _BasePage(BaseModel, Generic[_T]):
    """The fields of a page, a response model like the official client's (``model_dump()``, ``to_json()``)."""

    data: List[_T]
    has_more: Optional[bool] = None
    first_id: Optional[str] = None
    last_id: Optional[str] = None
    _query: Dict[str, Any] = PrivateAttr(default_factory=dict)
    _fetch: Any = PrivateAttr(default=None)

    def __init__(
        self,
        data: list[_T],
        *,
        has_more: bool | None = None,
        first_id: str | None = None,
        last_id: str | None = None,
        query: Mapping[str, Any] | None = None,
        fetch: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        # Built without validation: the items are models already, and the rest is as the server sent it.
        _setattr(self, "__dict__", {"data": data, "has_more": has_more, "first_id": first_id, "last_id": last_id})
        _setattr(self, "__pydantic_fields_set__", {"data", "has_more", "first_id", "last_id"})
        _setattr(self, "__pydantic_extra__", {})
        _setattr(self, "__pydantic_private__", {"_query": dict(query or {}), "_fetch": fetch})

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(data=[{len(self.data)} item(s)], has_more={self.has_more}, "
            f"first_id={self.first_id!r}, last_id={self.last_id!r})"
        )

    def _get_page_items(self) -> list[_T]:
        return self.data or []

    def has_next_page(self) -> bool:
        if self.has_more is False or self._fetch is None:
            return False
        return self.next_page_info() is not None and bool(self.data)

    def next_page_info(self) -> PageInfo | None:
        if self._query.get("before_id"):
            return PageInfo({"before_id": self.first_id}) if self.first_id else None
        return PageInfo({"after_id": self.last_id}) if self.last_id else None

    def _next_query(self) -> dict[str, Any]:
        info = self.next_page_info()
        if info is None:
            raise RuntimeError("there is no next page; check has_next_page() first")
        query = {k: v for k, v in self._query.items() if k not in ("after_id", "before_id")}
        query.update(info.params)
        return query


class SyncPage(_BasePage[_T]):
    """One page of a list; iterating it walks every item of every later page too."""

    def get_next_page(self) -> SyncPage[_T]:
        assert self._fetch is not None
        page: SyncPage[_T] = self._fetch(self._next_query())
        return page

    def iter_pages(self) -> Iterator[SyncPage[_T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[_T]:  # type: ignore[override]
        for page in self.iter_pages():
            yield from page._get_page_items()


class AsyncPage(_BasePage[_T]):
    """One page of a list; ``async for`` over it walks every item of every later page too."""

    async def get_next_page(self) -> AsyncPage[_T]:
        assert self._fetch is not None
        page: AsyncPage[_T] = await self._fetch(self._next_query())
        return page

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page._get_page_items():
                yield item


class AsyncPaginator(Generic[_T]):
    """What an async ``list()`` returns: ``await`` it for the first page, ``async for`` it for every item."""

    def __init__(
        self, fetch: Callable[[dict[str, Any]], Awaitable[AsyncPage[_T]]], query: Mapping[str, Any]
    ) -> None:
        self._fetch = fetch
        self._query = dict(query)

    async def _first(self) -> AsyncPage[_T]:
        return await self._fetch(self._query)

    def __await__(self) -> Generator[Any, None, AsyncPage[_T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self._first()
        async for item in page:
            yield item


def _first_page(fetch: Callable[[dict[str, Any]], SyncPage[_T]], query: Mapping[str, Any]) -> SyncPage[_T]:
    return fetch(dict(query))


# The names the resources' sync twin (generated from the async source) uses.
Page = SyncPage
Paginator = _first_page
