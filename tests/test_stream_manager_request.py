"""The replaceable request of ``messages.stream()``'s managers, end to end over a loopback socket.

Tracing wrappers (PostHog's LLM analytics) track ``messages.stream()`` by
replacing the manager's private ``__api_request`` (``_MessageStreamManager__api_request``,
``_AsyncMessageStreamManager__api_request`` and the beta twins): the replacement
calls the original, which opens the raw event stream, and wraps those events in a
recording generator.  The manager then builds its message stream from whatever
the replacement returned.  These tests replace it the way such a wrapper does
and check that the message stream is the one an untouched manager gives (every
event, snapshot and the final message), that errors surface and the connection
is released, and that an untouched manager still takes its own path.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import pytest

import anthropic
from _helpers import (
    REQUEST_ID,
    STREAMS,
    call,
    client_for,
    close,
    collect_stream,
    drain,
    each,
    entered,
    http_client,
    next_item,
    params,
    sse_reply,
)
from anthropic.emulator import Emulator

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

TOOLS = [
    {
        "name": "get_weather",
        "description": "Get the weather for a location",
        "input_schema": {"type": "object", "properties": {"location": {"type": "string"}}},
    }
]


FIXTURE_NAMES = sorted(p.stem for p in STREAMS.glob("*.sse"))


class TrackerError(Exception):
    """What a broken tracking wrapper raises from inside its generator."""


def attribute(manager: Any) -> str:
    """The official private name of a manager's request attribute."""
    return f"_{type(manager).__name__}__api_request"


class Tracked:
    """A tracking wrapper's stream (shaped as PostHog's): iterates its generator, proxies the rest, closes both."""

    def __init__(self, events: Iterator[Any], raw: Any) -> None:
        self._events = events
        self._raw = raw
        self.closed = False

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self._events)

    def close(self) -> None:
        self.closed = True
        try:
            self._events.close()  # type: ignore[attr-defined]
        finally:
            self._raw.close()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)


class AsyncTracked(Tracked):
    def __init__(self, events: AsyncIterator[Any], raw: Any) -> None:
        super().__init__(events, raw)  # type: ignore[arg-type]

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        return await self._events.__anext__()  # type: ignore[attr-defined]

    async def close(self) -> None:  # type: ignore[override]
        self.closed = True
        try:
            await self._events.aclose()  # type: ignore[attr-defined]
        finally:
            await self._raw.close()


class Recorder:
    """Replaces a manager's request as a tracking wrapper does, and records what went through it."""

    def __init__(self, *, fail_after: int | None = None) -> None:
        self.events: list[Any] = []
        self.ended: list[BaseException | None] = []
        self.wrappers: list[Tracked] = []
        self.fail_after = fail_after

    def _record(self, event: Any) -> None:
        if self.fail_after is not None and len(self.events) == self.fail_after:
            raise TrackerError("the tracker broke")
        self.events.append(event)

    def install(self, manager: Any, mode: str, *, as_callable: bool = False) -> Any:
        name = attribute(manager)
        original = getattr(manager, name)
        if mode == "sync":

            def tracked() -> Tracked:
                raw = original()

                def events() -> Iterator[Any]:
                    error: BaseException | None = None
                    try:
                        for event in raw:
                            self._record(event)
                            yield event
                    except BaseException as exc:
                        error = exc
                        raise
                    finally:
                        self.ended.append(error)

                wrapper = Tracked(events(), raw)
                self.wrappers.append(wrapper)
                return wrapper

            setattr(manager, name, tracked)
            return manager

        async def tracked_async() -> AsyncTracked:
            raw = await original

            async def events() -> AsyncIterator[Any]:
                error: BaseException | None = None
                try:
                    async for event in raw:
                        self._record(event)
                        yield event
                except BaseException as exc:
                    error = exc
                    raise
                finally:
                    self.ended.append(error)

            wrapper = AsyncTracked(events(), raw)
            self.wrappers.append(wrapper)
            return wrapper

        # The official attribute of an async manager is an awaitable (PostHog assigns a coroutine);
        # a callable returning one is accepted too.
        setattr(manager, name, tracked_async if as_callable else tracked_async())
        return manager


async def collect(stream: Any) -> tuple[list[Any], list[Any], Any]:
    events: list[Any] = []
    snapshots: list[Any] = []
    async for event in each(stream):
        events.append(event)
        snapshots.append(stream.current_message_snapshot)
    return events, snapshots, await call(stream.get_final_message)


# --- reading the attribute -----------------------------------------------------------------------


@pytest.mark.parametrize("beta", [False, True], ids=["plain", "beta"])
async def test_the_attribute_opens_the_raw_event_stream(mode: str, emu: Emulator, beta: bool) -> None:
    emu.enqueue(sse_reply("tool_use"), sse_reply("tool_use"))
    async with client_for(mode, emu) as client:
        resource = client.beta.messages if beta else client.messages
        raw_events = await drain(await call(resource.create, stream=True, **params(tools=TOOLS)))
        manager = resource.stream(**params(tools=TOOLS))
        expected = f"_{'Beta' if beta else ''}{'' if mode == 'sync' else 'Async'}MessageStreamManager__api_request"
        assert attribute(manager) == expected
        request = getattr(manager, expected)
        assert len(emu.requests) == 1  # reading it sends nothing
        if mode == "sync":
            assert callable(request)
            raw = request()
        else:
            assert hasattr(request, "__await__") and not callable(request)
            raw = await request
        assert isinstance(raw, anthropic.Stream if mode == "sync" else anthropic.AsyncStream)
        assert raw.request_id == REQUEST_ID
        first = await next_item(raw)
        assert type(first) is type(raw_events[0])
        assert first.type == "message_start"
        await close(raw)
        assert raw.response.is_closed
    assert len(emu.requests) == 2
    assert json.loads(emu.requests[1].body) == json.loads(emu.requests[0].body)  # the manager's request


async def test_an_attribute_read_but_untouched_leaves_the_manager_on_its_own_path(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"), sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        before = await collect_stream(client, snapshots=True, **params())
        manager = client.messages.stream(**params())
        getattr(manager, attribute(manager))  # never called, never awaited: nothing is sent, nothing warns
        async with entered(manager) as stream:
            assert type(stream._pump).__name__ == ("EventPump" if mode == "sync" else "AsyncEventPump")
            events, snapshots, final = await collect(stream)
        assert stream.response.is_closed
    assert len(emu.requests) == 2
    assert [e.model_dump() for e in events] == [e.model_dump() for e in before.events]
    assert snapshots == before.snapshots
    assert final == before.final_message


# --- replacing it -------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
@pytest.mark.parametrize("beta", [False, True], ids=["plain", "beta"])
async def test_a_wrapping_generator_sees_every_raw_event_and_the_stream_is_whole(
    mode: str, emu: Emulator, fixture: str, beta: bool
) -> None:
    request_args: dict[str, Any] = {"tools": TOOLS} if "tool" in fixture else {}
    emu.enqueue(sse_reply(fixture), sse_reply(fixture), sse_reply(fixture))
    recorder = Recorder()
    async with client_for(mode, emu) as client:
        resource = client.beta.messages if beta else client.messages
        before = await collect_stream(client, beta=beta, snapshots=True, **params(**request_args))
        raw_events = await drain(await call(resource.create, stream=True, **params(**request_args)))
        manager = recorder.install(resource.stream(**params(**request_args)), mode)
        async with entered(manager) as stream:
            assert type(stream).__name__ == f"{'Beta' if beta else ''}{'' if mode == 'sync' else 'Async'}MessageStream"
            assert stream.request_id == REQUEST_ID
            assert isinstance(stream.response, httpx2.Response)
            events, snapshots, final = await collect(stream)
            text = await call(stream.get_final_text) if isinstance(before.final_text, str) else None
        assert stream.response.is_closed
        assert recorder.wrappers[0].closed
    assert len(emu.requests) == 3
    assert [e.model_dump() for e in recorder.events] == [e.model_dump() for e in raw_events]
    assert recorder.ended == [None]
    assert [e.model_dump() for e in events] == [e.model_dump() for e in before.events]
    assert [type(e) for e in events] == [type(e) for e in before.events]
    assert snapshots == before.snapshots
    assert final == before.final_message
    assert type(final) is type(before.final_message)
    if text is not None:
        assert text == before.final_text


async def test_text_stream_and_structured_output_through_a_replaced_request(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    recorder = Recorder()
    async with client_for(mode, emu) as client:
        manager = recorder.install(client.messages.stream(**params()), mode)
        async with entered(manager) as stream:
            text = "".join([piece async for piece in each(stream.text_stream)])
            final = await call(stream.get_final_message)
    assert text == final.content[0].text
    assert text.endswith("The end.")
    assert [e.type for e in recorder.events][-1] == "message_stop"

    import pydantic

    class City(pydantic.BaseModel):
        name: str
        population: int

    recorder = Recorder()
    async with client_for(mode, emu) as client:
        request = params(messages=[{"role": "user", "content": "Paris?"}], output_format=City)
        manager = recorder.install(client.messages.stream(**request), mode)
        async with entered(manager) as stream:
            final = await call(stream.get_final_message)
    assert isinstance(final.parsed_output, City)
    assert recorder.events and recorder.ended == [None]


async def test_an_async_replacement_may_be_a_callable(emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    recorder = Recorder()
    async with client_for("async", emu) as client:
        manager = recorder.install(client.messages.stream(**params()), "async", as_callable=True)
        async with manager as stream:
            final = await stream.get_final_message()
    assert final.content[0].text.endswith("The end.")
    assert len(recorder.events) > 5


async def test_deleting_the_replacement_restores_the_manager(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    recorder = Recorder()
    async with client_for(mode, emu) as client:
        manager = recorder.install(client.messages.stream(**params()), mode)
        replacement = getattr(manager, attribute(manager))
        delattr(manager, attribute(manager))
        if hasattr(replacement, "close"):
            replacement.close()  # the unawaited coroutine of the async replacement
        async with entered(manager) as stream:
            assert type(stream._pump).__name__ == ("EventPump" if mode == "sync" else "AsyncEventPump")
            await call(stream.until_done)
        with pytest.raises(AttributeError):
            delattr(manager, attribute(manager))
    assert recorder.events == []


# --- errors ----------------------------------------------------------------------------------------


async def test_a_wrapper_raising_mid_stream_surfaces_its_error_and_releases_the_connection(
    mode: str, emu: Emulator
) -> None:
    """With a pool of one connection, the next request only gets through if the first let go."""
    emu.enqueue(sse_reply("tool_use", chunk_size=200, chunk_delay=0.02), sse_reply("text_recorded"))
    recorder = Recorder(fail_after=4)
    pool = http_client(mode, limits=httpx2.Limits(max_connections=1), timeout=httpx2.Timeout(10.0, pool=3.0))
    async with entered(pool), client_for(mode, emu, http_client=pool) as client:
        seen: list[Any] = []
        with pytest.raises(TrackerError, match="the tracker broke"):
            async with entered(recorder.install(client.messages.stream(**params(tools=TOOLS)), mode)) as stream:
                async for event in each(stream):
                    seen.append(event)
        assert stream.response.is_closed
        assert len(recorder.events) == 4
        assert [e.type for e in seen][:1] == ["message_start"]
        assert isinstance(recorder.ended[0], TrackerError)
        with pytest.raises(anthropic.IncompleteStreamError, match="no final message"):
            await call(stream.get_final_message)
        second = await collect_stream(client, **params())
        assert second.final_text.endswith("The end.")
    assert len(emu.requests) == 2


async def test_the_raw_streams_typed_error_passes_through_the_wrapper(mode: str, emu: Emulator) -> None:
    recorder = Recorder()
    request = params(messages=[{"role": "user", "content": "Count to 5"}])
    async with client_for(mode, emu) as client:
        manager = client.messages.stream(**request, extra_headers={"x-emulator-fault": "error_event_after=2"})
        recorder.install(manager, mode)
        with pytest.raises(anthropic.OverloadedError) as info:
            async with entered(manager) as stream:
                await drain(stream)
        assert stream.response.is_closed
        assert info.value.request_id == stream.request_id is not None
    assert isinstance(recorder.ended[0], anthropic.OverloadedError)
    assert [e.type for e in recorder.events].count("content_block_delta") == 2
    assert info.value.partial_message.content[0].type == "text"


async def test_a_wrapper_that_stops_early_gives_an_incomplete_stream_error(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        manager = client.messages.stream(**params())
        name = attribute(manager)
        original = getattr(manager, name)
        if mode == "sync":

            def first_three() -> Any:
                raw = original()
                return Tracked((event for event in [next(raw) for _ in range(3)]), raw)

            setattr(manager, name, first_three)
        else:

            async def first_three_async() -> Any:
                raw = await original
                events = [await raw.__anext__() for _ in range(3)]

                async def replay() -> AsyncIterator[Any]:
                    for event in events:
                        yield event

                return AsyncTracked(replay(), raw)

            setattr(manager, name, first_three_async())
        with pytest.raises(anthropic.IncompleteStreamError, match="ended before message_stop") as info:
            async with entered(manager) as stream:
                await drain(stream)
        assert stream.response.is_closed
    assert info.value.request_id == REQUEST_ID
    assert info.value.partial_message.content[0].type == "text"


async def test_a_replacement_giving_no_event_stream_is_a_type_error(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        manager = client.messages.stream(**params())
        name = attribute(manager)
        original = getattr(manager, name)
        if mode == "sync":
            setattr(manager, name, lambda: (original(), 42)[1])
        else:

            async def not_a_stream() -> Any:
                await (await original).close()
                return 42

            setattr(manager, name, not_a_stream())
        iter_name = "__iter__" if mode == "sync" else "__aiter__"
        with pytest.raises(TypeError, match=f"gave 'int', which has no {iter_name}"):
            await call(manager.__enter__ if mode == "sync" else manager.__aenter__)
        with pytest.raises(TypeError, match="must be a"):
            setattr(manager, name, 42)
    assert len(emu.requests) == 1


async def test_a_wrapper_yielding_something_else_is_a_type_error(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        manager = client.messages.stream(**params())
        name = attribute(manager)
        original = getattr(manager, name)
        if mode == "sync":

            def strings() -> Any:
                raw = original()
                return Tracked((str(event.type) for event in raw), raw)

            setattr(manager, name, strings)
        else:

            async def strings_async() -> Any:
                raw = await original

                async def events() -> AsyncIterator[Any]:
                    async for event in raw:
                        yield str(event.type)

                return AsyncTracked(events(), raw)

            setattr(manager, name, strings_async())
        with pytest.raises(TypeError, match=r"yielded 'message_start' \(str\), which is not a raw Messages API"):
            async with entered(manager) as stream:
                await drain(stream)
        assert stream.response.is_closed


async def test_closing_early_through_a_wrapper_releases_the_connection(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("tool_use", chunk_size=200, chunk_delay=0.02), sse_reply("text_recorded"))
    recorder = Recorder()
    pool = http_client(mode, limits=httpx2.Limits(max_connections=1), timeout=httpx2.Timeout(10.0, pool=3.0))
    async with entered(pool), client_for(mode, emu, http_client=pool) as client:
        async with entered(recorder.install(client.messages.stream(**params(tools=TOOLS)), mode)) as stream:
            async for event in each(stream):
                if event.type == "text":
                    break
        assert stream.response.is_closed
        assert recorder.wrappers[0].closed
        with pytest.raises(anthropic.IncompleteStreamError, match="closed before message_stop"):
            await drain(stream)
        second = await collect_stream(client, **params())
        assert second.final_text.endswith("The end.")
    assert len(emu.requests) == 2


async def test_a_replacement_failing_after_opening_the_raw_stream_releases_it(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("tool_use", chunk_size=200, chunk_delay=0.02), sse_reply("text_recorded"))
    opened: list[Any] = []
    pool = http_client(mode, limits=httpx2.Limits(max_connections=1), timeout=httpx2.Timeout(10.0, pool=3.0))
    async with entered(pool), client_for(mode, emu, http_client=pool) as client:
        manager = client.messages.stream(**params(tools=TOOLS))
        name = attribute(manager)
        original = getattr(manager, name)
        if mode == "sync":

            def broken() -> Any:
                opened.append(original())
                raise TrackerError("the tracker broke before iterating")

            setattr(manager, name, broken)
        else:

            async def broken_async() -> Any:
                opened.append(await original)
                raise TrackerError("the tracker broke before iterating")

            setattr(manager, name, broken_async())
        with pytest.raises(TrackerError, match="before iterating"):
            async with entered(manager):
                pass
        assert opened[0].response.is_closed
        second = await collect_stream(client, **params())
        assert second.final_text.endswith("The end.")


async def test_a_bad_request_through_the_replacement_is_the_api_error(mode: str, emu: Emulator) -> None:
    recorder = Recorder()
    async with client_for(mode, emu) as client:
        manager = client.messages.stream(**params(), extra_headers={"x-emulator-fault": "status=400"})
        recorder.install(manager, mode)
        with pytest.raises(anthropic.BadRequestError, match="Error code: 400"):
            async with entered(manager):
                pass
    assert recorder.events == [] and recorder.wrappers == []


async def test_a_wrapper_yielding_event_dicts_gives_the_same_stream(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("tool_use"), sse_reply("tool_use"))
    async with client_for(mode, emu) as client:
        before = await collect_stream(client, **params(tools=TOOLS))
        manager = client.messages.stream(**params(tools=TOOLS))
        name = attribute(manager)
        original = getattr(manager, name)
        if mode == "sync":

            def dicts() -> Any:
                raw = original()
                return Tracked((event.model_dump() for event in raw), raw)

            setattr(manager, name, dicts)
        else:

            async def dicts_async() -> Any:
                raw = await original

                async def events() -> AsyncIterator[Any]:
                    async for event in raw:
                        yield event.model_dump()

                return AsyncTracked(events(), raw)

            setattr(manager, name, dicts_async())
        async with entered(manager) as stream:
            events, _, final = await collect(stream)
    assert [e.model_dump() for e in events] == [e.model_dump() for e in before.events]
    assert final == before.final_message
