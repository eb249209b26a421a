"""One test body for both clients: small adapters over the sync and async APIs.

Every helper takes objects of either colour and does the right thing: it
awaits what is awaitable, iterates sync or async iterators, enters sync or
async context managers.  A test written as ``async def`` with the ``mode``
fixture thus drives ``Anthropic`` and ``AsyncAnthropic`` through the same lines.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from anthropic import Anthropic, AsyncAnthropic
from anthropic.emulator import Emulator, Reply

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STREAMS = FIXTURES / "streams"
GOLDEN = FIXTURES / "golden"

MODEL = "claude-sonnet-4-5-20250929"
API_KEY = "sk-ant-test-0123456789abcdef"
REQUEST_ID = "req_011CVStreamTestRequestId1"


def sse_body(name: str) -> bytes:
    """The bytes of ``tests/fixtures/streams/<name>.sse``."""
    return (STREAMS / f"{name}.sse").read_bytes()


def sse_reply(name: str, *, chunk_size: int | None = None, request_id: str = REQUEST_ID, **kwargs: Any) -> Reply:
    """A fixture body replayed by the emulator, with a known ``request-id``."""
    headers = {"request-id": request_id, **kwargs.pop("headers", {})}
    return Reply.sse(sse_body(name), chunk_size=chunk_size, headers=headers, **kwargs)


def params(**overrides: Any) -> dict[str, Any]:
    """The arguments of a minimal valid request, with ``overrides`` applied."""
    base: dict[str, Any] = {
        "model": MODEL,
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "Tell me a story"}],
    }
    base.update(overrides)
    return base


def make_client(mode: str, emu: Emulator | None = None, **kwargs: Any) -> Any:
    """An ``Anthropic`` or ``AsyncAnthropic`` pointed at ``emu`` (no retries unless asked)."""
    if emu is not None:
        kwargs.setdefault("base_url", emu.base_url)
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("max_retries", 0)
    cls = Anthropic if mode == "sync" else AsyncAnthropic
    return cls(**kwargs)


def http_client(mode: str, **kwargs: Any) -> httpx2.Client | httpx2.AsyncClient:
    """The user's own httpx2 client of the right colour."""
    return httpx2.Client(**kwargs) if mode == "sync" else httpx2.AsyncClient(**kwargs)


@asynccontextmanager
async def client_for(mode: str, emu: Emulator | None = None, **kwargs: Any) -> AsyncIterator[Any]:
    """``make_client`` used as a context manager (closed on exit, as users do)."""
    client = make_client(mode, emu, **kwargs)
    async with entered(client):
        yield client


async def resolve(value: Any) -> Any:
    """``await value`` when it is awaitable, else ``value``."""
    if inspect.isawaitable(value):
        return await value
    return value


async def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` and await the result when it is a coroutine."""
    return await resolve(fn(*args, **kwargs))


async def next_item(iterator: Any) -> Any:
    """``next()`` / ``anext()`` of a sync or async iterator; the end is ``StopAsyncIteration``."""
    if hasattr(iterator, "__anext__"):
        return await iterator.__anext__()
    try:
        return next(iterator)
    except StopIteration:  # cannot cross a coroutine: report the end the async way
        raise StopAsyncIteration from None


async def each(iterable: Any) -> AsyncIterator[Any]:
    """``async for x in each(it)`` over a sync or async iterable."""
    if hasattr(iterable, "__aiter__"):
        async for item in iterable:
            yield item
    else:
        for item in iterable:
            yield item


async def drain(iterable: Any, limit: int | None = None) -> list[Any]:
    """The items of a sync or async iterable (at most ``limit`` of them)."""
    items: list[Any] = []
    if limit == 0:
        return items
    if hasattr(iterable, "__aiter__"):
        async for item in iterable:
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
    else:
        for item in iterable:
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
    return items


@asynccontextmanager
async def entered(manager: Any) -> AsyncIterator[Any]:
    """``with manager as x`` or ``async with manager as x``, whichever it supports."""
    if hasattr(manager, "__aenter__"):
        async with manager as value:
            yield value
    else:
        with manager as value:
            yield value


async def enter(manager: Any) -> Any:
    """The manual ``__enter__`` / ``__aenter__`` of the seed's lifecycle example."""
    if hasattr(manager, "__aenter__"):
        return await manager.__aenter__()
    return manager.__enter__()


async def exit_(manager: Any, exc: BaseException | None = None) -> Any:
    """The manual ``__exit__`` / ``__aexit__``."""
    args = (type(exc) if exc is not None else None, exc, exc.__traceback__ if exc is not None else None)
    if hasattr(manager, "__aexit__"):
        return await manager.__aexit__(*args)
    return manager.__exit__(*args)


async def close(obj: Any) -> None:
    """``obj.close()``, awaited when it is a coroutine."""
    await resolve(obj.close())


@dataclass
class Collected:
    """What one ``messages.stream(...)`` produced, read the usual way."""

    events: list[Any]
    final_message: Any
    final_text: str | BaseException
    request_id: str | None
    response: httpx2.Response
    snapshots: list[Any] = field(default_factory=list)
    """``current_message_snapshot`` right after each event (when asked for)."""

    def types(self) -> list[str]:
        return [e.type for e in self.events]

    def dumps(self) -> list[dict[str, Any]]:
        return [e.model_dump(mode="json") for e in self.events]


async def collect_stream(
    client: Any,
    *,
    beta: bool = False,
    snapshots: bool = False,
    **request: Any,
) -> Collected:
    """Open ``client[.beta].messages.stream(**request)``, read every event, then the final message."""
    resource = client.beta.messages if beta else client.messages
    async with entered(resource.stream(**request)) as stream:
        events: list[Any] = []
        seen: list[Any] = []
        if hasattr(stream, "__aiter__"):
            async for event in stream:
                events.append(event)
                if snapshots:
                    seen.append(stream.current_message_snapshot)
        else:
            for event in stream:
                events.append(event)
                if snapshots:
                    seen.append(stream.current_message_snapshot)
        final = await call(stream.get_final_message)
        text: str | BaseException
        try:
            text = await call(stream.get_final_text)
        except RuntimeError as exc:
            text = exc
        return Collected(events, final, text, stream.request_id, stream.response, seen)


async def collect_raw(client: Any, **request: Any) -> tuple[list[Any], Any]:
    """The raw events of ``messages.create(stream=True, **request)`` and the stream object."""
    stream = await call(client.messages.create, stream=True, **request)
    async with entered(stream):
        events = await drain(stream)
    return events, stream


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header value by case-insensitive name."""
    lname = name.lower()
    for key, value in headers.items():
        if key.lower() == lname:
            return value
    return None
