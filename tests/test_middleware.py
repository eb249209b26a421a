"""Client-level middleware (``Anthropic(middleware=[...])``), over the emulator.

A middleware runs once per HTTP attempt, inside the retry loop, and sees the
reply of every attempt whatever its status.  The bodies below are written once
for both clients: each middleware is a generator (:func:`around`) that yields
the request to send and receives the reply, and :func:`colour` turns it into a
sync function for ``Anthropic`` or an ``async def`` for ``AsyncAnthropic``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Generator
from typing import Any

import httpx2
import pytest

import anthropic
from _helpers import (
    API_KEY,
    call,
    client_for,
    collect_stream,
    drain,
    entered,
    http_client,
    make_client,
    params,
)
from anthropic import APIRequest, Middleware
from anthropic.emulator import Emulator, Fault

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

Body = Callable[[APIRequest], Generator[APIRequest, Any, Any]]


def colour(mode: str, body: Body, name: str | None = None) -> Any:
    """``body`` as a middleware of the client's colour.

    ``body(request)`` is a generator: each ``yield request`` calls ``call_next``
    and is answered with its reply (or has its exception thrown in); what the
    generator returns is what the middleware returns.
    """
    if mode == "sync":

        def middleware(request: APIRequest, call_next: Any) -> Any:
            steps = body(request)
            try:
                sent = next(steps)
                while True:
                    try:
                        reply = call_next(sent)
                    except Exception as exc:
                        sent = steps.throw(exc)
                    else:
                        sent = steps.send(reply)
            except StopIteration as stop:
                return stop.value

        chosen: Any = middleware
    else:

        async def async_middleware(request: APIRequest, call_next: Any) -> Any:
            steps = body(request)
            try:
                sent = next(steps)
                while True:
                    try:
                        reply = await call_next(sent)
                    except Exception as exc:
                        sent = steps.throw(exc)
                    else:
                        sent = steps.send(reply)
            except StopIteration as stop:
                return stop.value

        chosen = async_middleware
    chosen.__name__ = name or body.__name__
    return chosen


def around(seen: list[Any], tag: str = "") -> Body:
    """A middleware body that passes the request on and records (tag, retries_taken, status) per attempt."""

    def record(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        reply = yield request
        seen.append((tag, request.retries_taken, reply.status_code) if tag else (request.retries_taken, reply.status_code))
        return reply

    return record


SAY = params(messages=[{"role": "user", "content": "Say exactly: through the chain"}], max_tokens=50)


# -- the request a middleware passes on is the one sent --------------------------------------------


async def test_a_header_added_by_a_middleware_reaches_the_api(mode: str, emu: Emulator) -> None:
    def add_header(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        return (yield request.copy(headers={**request.headers, "x-trace-id": "trace-1"}))

    async with client_for(mode, emu, middleware=[colour(mode, add_header)]) as client:
        message = await call(client.messages.create, **SAY)
    assert message.content[0].text == "through the chain"
    (sent,) = emu.requests
    assert sent.headers["x-trace-id"] == "trace-1"
    assert sent.headers["x-api-key"] == API_KEY  # the client's credentials and defaults are still added
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert message._request_id == sent.request_id


async def test_a_body_changed_with_copy_is_sent_and_the_original_request_is_untouched(mode: str, emu: Emulator) -> None:
    originals: list[Any] = []

    def rewrite(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        changed = request.copy(body={**request.json, "messages": [{"role": "user", "content": "Say exactly: rewritten"}]})
        changed.json["metadata"] = {"user_id": "u-1"}  # the copy's body is its own
        originals.append(request.json)
        return (yield changed)

    async with client_for(mode, emu, middleware=[colour(mode, rewrite)]) as client:
        message = await call(client.messages.create, **SAY, extra_body={"top_k": 5})
    assert message.content[0].text == "rewritten"
    (sent,) = emu.requests
    assert sent.json["messages"] == [{"role": "user", "content": "Say exactly: rewritten"}]
    assert sent.json["metadata"] == {"user_id": "u-1"}
    assert sent.json["top_k"] == 5  # extra_body is part of the body a middleware sees and sends
    assert originals == [{**SAY, "top_k": 5}]


async def test_the_request_describes_the_call(mode: str, emu: Emulator) -> None:
    requests: list[APIRequest] = []

    def look(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        requests.append(request)
        return (yield request)

    async with client_for(mode, emu, middleware=[colour(mode, look)]) as client:
        await call(client.messages.create, **SAY, extra_headers={"x-call": "1"}, extra_query={"q": "v"}, timeout=30)
    (request,) = requests
    assert (request.method, request.url, request.stream, request.retries_taken) == ("post", "/v1/messages", False, 0)
    assert request.cast_to is anthropic.types.Message
    assert request.headers == {"x-call": "1"}
    assert request.query_params == {"q": "v"}
    assert request.json == SAY
    assert request.timeout == 30
    assert request.max_retries is anthropic.NOT_GIVEN
    assert repr(request) == "<APIRequest method='post' url='/v1/messages' stream=False>"
    assert emu.requests[0].query == {"q": "v"}


# -- once per attempt, inside the retry loop ---------------------------------------------------------


async def test_the_middleware_sees_each_attempt_of_a_retried_call(
    mode: str, emu: Emulator, backoff_waits: list[float]
) -> None:
    emu.add_fault(Fault(status=529, times=2))
    seen: list[Any] = []
    async with client_for(mode, emu, max_retries=2, middleware=[colour(mode, around(seen))]) as client:
        message = await call(client.messages.create, **SAY)
    assert seen == [(0, 529), (1, 529), (2, 200)]
    assert len(emu.requests) == 3 and len(backoff_waits) == 2
    assert message._request_id == emu.requests[-1].request_id


async def test_when_the_retries_run_out_the_last_reply_is_raised_as_its_typed_error(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(status=529, message="Overloaded right now"))
    seen: list[Any] = []
    async with client_for(mode, emu, max_retries=1, middleware=[colour(mode, around(seen))]) as client:
        with pytest.raises(anthropic.OverloadedError) as caught:
            await call(client.messages.create, **SAY)
    assert seen == [(0, 529), (1, 529)]
    assert caught.value.status_code == 529
    assert caught.value.request_id == emu.requests[-1].request_id
    assert "Overloaded right now" in str(caught.value)


async def test_a_4xx_returned_through_the_chain_raises_the_typed_error_with_its_request_id(
    mode: str, emu: Emulator
) -> None:
    emu.add_fault(Fault(status=400, message="max_tokens: too large"))
    seen: list[Any] = []
    async with client_for(mode, emu, max_retries=2, middleware=[colour(mode, around(seen))]) as client:
        with pytest.raises(anthropic.BadRequestError) as caught:
            await call(client.messages.create, **SAY)
    assert seen == [(0, 400)]  # not retried
    (sent,) = emu.requests
    assert caught.value.request_id == sent.request_id
    assert caught.value.body["error"]["message"] == "max_tokens: too large"  # type: ignore[index]


async def test_an_exception_raised_from_a_connection_error_is_retried(mode: str, emu: Emulator) -> None:
    attempts: list[int] = []

    def flaky(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        attempts.append(request.retries_taken)
        if request.retries_taken == 0:
            cause = anthropic.APIConnectionError(request=httpx2.Request("POST", "http://127.0.0.1/v1/messages"))
            raise RuntimeError("the proxy hung up") from cause
        return (yield request)

    async with client_for(mode, emu, max_retries=2, middleware=[colour(mode, flaky)]) as client:
        message = await call(client.messages.create, **SAY)
    assert attempts == [0, 1]
    assert message.content[0].text == "through the chain"
    assert len(emu.requests) == 1


async def test_a_connection_failure_reaches_the_middleware_as_a_typed_error_on_each_attempt(mode: str) -> None:
    seen: list[Any] = []

    def watch(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        try:
            return (yield request)
        except anthropic.APIConnectionError as exc:
            seen.append((request.retries_taken, type(exc).__name__))
            raise

    client = make_client(mode, base_url="http://127.0.0.1:9", max_retries=1, middleware=[colour(mode, watch)])
    async with entered(client):
        with pytest.raises(anthropic.APIConnectionError):
            await call(client.messages.create, **SAY)
    assert seen == [(0, "APIConnectionError"), (1, "APIConnectionError")]


# -- a middleware answers, or fails, instead -------------------------------------------------------


async def test_a_short_circuit_returns_the_value_without_io(mode: str, emu: Emulator) -> None:
    def cached(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        return "from the cache"
        yield request  # a generator that never sends

    async with client_for(mode, emu, middleware=[colour(mode, cached)]) as client:
        assert await call(client.messages.create, **SAY) == "from the cache"
        assert await call(client.messages.with_raw_response.create, **SAY) == "from the cache"
    assert emu.requests == []


class Boom(Exception):
    pass


async def test_a_middleware_exception_propagates_and_releases_the_connection(mode: str, emu: Emulator) -> None:
    replies: list[Any] = []

    def fail_after(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        replies.append((yield request))  # a streamed reply, its body unread
        raise Boom("rejected by policy")

    pool = http_client(mode, limits=httpx2.Limits(max_connections=1), timeout=httpx2.Timeout(10, pool=5))
    async with client_for(mode, emu, http_client=pool, max_retries=2, middleware=[colour(mode, fail_after)]) as client:
        with pytest.raises(Boom, match="rejected by policy"):
            await call(client.messages.create, **SAY, stream=True)
        (reply,) = replies
        assert reply.status_code == 200 and reply.http_response.is_closed
        assert len(emu.requests) == 1  # not retried
        # The pool's one connection is free again: a call without middleware gets it.
        plain = client.with_options(middleware=[])
        message = await call(plain.messages.create, **SAY)
        assert message.content[0].text == "through the chain"
    await call(pool.aclose if mode == "async" else pool.close)


async def test_a_middleware_exception_before_call_next_sends_nothing(mode: str, emu: Emulator) -> None:
    def refuse(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        raise Boom(f"no {request.method} today")
        yield request

    async with client_for(mode, emu, max_retries=2, middleware=[colour(mode, refuse)]) as client:
        with pytest.raises(Boom, match="no post today"):
            await call(client.messages.create, **SAY)
    assert emu.requests == []


async def test_a_middleware_may_replace_an_error_reply_with_a_retried_one(mode: str, emu: Emulator) -> None:
    """A middleware that calls ``call_next`` again on a 529 returns the second reply; the first is closed."""
    emu.add_fault(Fault(status=529, times=1))
    replies: list[Any] = []

    def again(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        reply = yield request
        replies.append(reply)
        if reply.status_code == 529:
            reply = yield request
            replies.append(reply)
        return reply

    async with client_for(mode, emu, max_retries=0, middleware=[colour(mode, again)]) as client:
        message = await call(client.messages.create, **SAY)
    assert [r.status_code for r in replies] == [529, 200]
    assert all(r.http_response.is_closed for r in replies)
    assert message._request_id == emu.requests[-1].request_id


# -- several middleware ----------------------------------------------------------------------------


async def test_middleware_run_outermost_first_and_with_middleware_appends(mode: str, emu: Emulator) -> None:
    order: list[str] = []

    def named(name: str) -> Any:
        def body(request: APIRequest) -> Generator[APIRequest, Any, Any]:
            order.append(f"{name} in")
            reply = yield request
            order.append(f"{name} out")
            return reply

        return colour(mode, body, name)

    a, b, c = named("a"), named("b"), named("c")
    async with client_for(mode, emu, middleware=[a, b]) as client:
        more = client.with_middleware(c)
        assert client.middleware == (a, b)
        assert more.middleware == (a, b, c)
        assert client.with_options(max_retries=1).middleware == (a, b)  # a copy keeps them
        assert client.copy(middleware=[]).middleware == ()
        assert client.copy(middleware=None).middleware == ()
        await call(more.messages.create, **SAY)
        assert order == ["a in", "b in", "c in", "c out", "b out", "a out"]
        order.clear()
        await call(client.messages.create, **SAY)
        assert order == ["a in", "b in", "b out", "a out"]


# -- every call through the request seam -------------------------------------------------------------


async def test_raw_and_streaming_responses_still_return_the_reply(mode: str, emu: Emulator) -> None:
    seen: list[Any] = []
    async with client_for(mode, emu, middleware=[colour(mode, around(seen))]) as client:
        raw = await call(client.messages.with_raw_response.create, **SAY)
        assert isinstance(raw, (anthropic._response.APIResponse, anthropic._response.AsyncAPIResponse))
        assert (await call(raw.parse)).content[0].text == "through the chain"
        async with entered(client.messages.with_streaming_response.create(**SAY)) as streamed:
            assert streamed.status_code == 200
            assert json.loads(await call(streamed.read))["content"][0]["text"] == "through the chain"
    assert seen == [(0, 200), (0, 200)]


async def test_count_tokens_beta_and_custom_requests_go_through_the_chain(mode: str, emu: Emulator) -> None:
    urls: list[str] = []

    def look(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        urls.append(f"{request.method} {request.url}")
        return (yield request)

    async with client_for(mode, emu, middleware=[colour(mode, look)]) as client:
        count = await call(client.messages.count_tokens, model=SAY["model"], messages=SAY["messages"])
        beta = await call(client.beta.messages.create, **SAY)
        models = await call(client.get, "/v1/models", cast_to=object)
    assert count.input_tokens > 0 and beta.content[0].text == "through the chain" and models["data"]
    assert urls == ["post /v1/messages/count_tokens", "post /v1/messages", "get /v1/models"]


async def test_models_and_batches_go_through_the_chain(mode: str, emu: Emulator) -> None:
    urls: list[str] = []

    def look(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        reply = yield request
        urls.append(f"{request.method} {request.url.split('?')[0].split('/v1/', 1)[-1]} {reply.status_code}")
        return reply

    async with client_for(mode, emu, middleware=[colour(mode, look)]) as client:
        model = await call(client.models.retrieve, "claude-sonnet-4-5")
        pages = client.models.list(limit=100)
        first = await call(lambda: pages)
        batch = await call(client.messages.batches.create, requests=[{"custom_id": "a", "params": SAY}])
        raw = await call(client.messages.batches.with_raw_response.retrieve, batch.id)
        parsed = await call(raw.parse)
        with pytest.raises(anthropic.NotFoundError):
            await call(client.messages.batches.retrieve, "msgbatch_missing")
    assert model.id and first.data and parsed.id == batch.id
    assert urls == [
        "get models/claude-sonnet-4-5 200",
        "get models 200",
        "post messages/batches 200",
        f"get messages/batches/{batch.id} 200",
        "get messages/batches/msgbatch_missing 404",
    ]


# -- streams -------------------------------------------------------------------------------------------


async def test_messages_stream_through_middleware_delivers_every_event(mode: str, emu: Emulator) -> None:
    replies: list[Any] = []

    def look(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        assert request.stream and request.json["stream"] is True
        reply = yield request
        replies.append(reply)
        return reply

    async with client_for(mode, emu) as plain:
        expected = await collect_stream(plain, **SAY)
    async with client_for(mode, emu, middleware=[colour(mode, look)]) as client:
        got = await collect_stream(client, **SAY)
    assert got.types() == expected.types()
    assert got.final_text == "through the chain"
    (reply,) = replies
    assert reply.status_code == 200
    assert reply.headers["request-id"] == got.request_id == emu.requests[-1].request_id
    assert reply.http_response is got.response


async def test_create_stream_through_middleware_delivers_every_event(mode: str, emu: Emulator) -> None:
    seen: list[Any] = []
    async with client_for(mode, emu, middleware=[colour(mode, around(seen))]) as client:
        stream = await call(client.messages.create, **SAY, stream=True)
        assert isinstance(stream, (anthropic.Stream, anthropic.AsyncStream))
        async with entered(stream):
            events = await drain(stream)
    assert next(e.type for e in events) == "message_start" and events[-1].type == "message_stop"
    text = "".join(e.delta.text for e in events if e.type == "content_block_delta")
    assert text == "through the chain"
    assert seen == [(0, 200)]


async def test_a_stream_retried_before_any_event_goes_through_the_chain_again(
    mode: str, emu: Emulator, backoff_waits: list[float]
) -> None:
    emu.add_fault(Fault(error_event="overloaded_error", times=1, retry_after_ms=0))
    seen: list[Any] = []
    async with client_for(mode, emu, max_retries=2, middleware=[colour(mode, around(seen))]) as client:
        got = await collect_stream(client, **SAY)
    assert got.final_text == "through the chain"
    assert got.types().count("message_start") == 1
    assert seen == [(0, 200), (1, 200)]  # the first 200 carried the error event before any content
    assert len(emu.requests) == 2 and backoff_waits == [0]
    assert got.request_id == emu.requests[-1].request_id


async def test_a_stream_retried_until_the_retries_run_out_raises_the_error_event(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(error_event="overloaded_error", retry_after_ms=0))
    seen: list[Any] = []
    async with client_for(mode, emu, max_retries=1, middleware=[colour(mode, around(seen))]) as client:
        with pytest.raises(anthropic.OverloadedError):
            await collect_stream(client, **SAY)
    assert seen == [(0, 200), (1, 200)]


async def test_a_bedrock_client_signs_what_the_middleware_sends(mode: str, backoff_waits: list[float]) -> None:
    """The platform's signature is made per attempt after the chain: a header the middleware adds is signed."""
    access, secret = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    seen: list[Any] = []

    def add_header(request: APIRequest) -> Generator[APIRequest, Any, Any]:
        reply = yield request.copy(headers={**request.headers, "x-trace-id": "trace-b"})
        seen.append((request.retries_taken, reply.status_code))
        return reply

    cls = anthropic.AnthropicBedrock if mode == "sync" else anthropic.AsyncAnthropicBedrock
    with Emulator(aws_keys={access: secret}) as emu:
        emu.add_fault(Fault(status=529, times=1))
        client = cls(
            aws_access_key=access,
            aws_secret_key=secret,
            aws_region="us-east-1",
            base_url=emu.base_url,
            max_retries=1,
            middleware=[colour(mode, add_header)],
        )
        async with entered(client):
            got = await collect_stream(client, **SAY)
        requests = list(emu.requests)
    assert got.final_text == "through the chain"
    assert seen == [(0, 529), (1, 200)]
    assert requests[-1].path.endswith("/invoke-with-response-stream")
    assert requests[-1].headers["x-trace-id"] == "trace-b"
    assert "x-trace-id" in requests[-1].headers["authorization"]  # among the SignedHeaders


# -- construction ----------------------------------------------------------------------------------------


class NoHandle(Middleware):
    pass


class AsyncHandle(Middleware):
    async def handle(self, request: Any, call_next: Any) -> Any:  # type: ignore[override]
        return await call_next(request)


class SyncHandleAsync(Middleware):
    def handle_async(self, request: Any, call_next: Any) -> Any:  # type: ignore[override]
        return call_next(request)


class Both(Middleware):
    def handle(self, request: Any, call_next: Any) -> Any:
        return call_next(request)

    async def handle_async(self, request: Any, call_next: Any) -> Any:
        return await call_next(request)


class AsyncCallable:
    async def __call__(self, request: Any, call_next: Any) -> Any:
        return await call_next(request)


def sync_fn(request: Any, call_next: Any) -> Any:
    return call_next(request)


async def async_fn(request: Any, call_next: Any) -> Any:
    return await call_next(request)


SYNC_REFUSES = [
    (NoHandle(), "middleware NoHandle does not implement `handle()`; the synchronous client requires sync-capable middleware"),
    (
        AsyncHandle(),
        "middleware AsyncHandle defines `handle()` as an async function; the synchronous client requires "
        "`handle()` to be a sync function",
    ),
    (SyncHandleAsync(), "middleware SyncHandleAsync does not implement `handle()`; the synchronous client requires sync-capable middleware"),
    (async_fn, "middleware async_fn is an async function; the synchronous client requires sync middleware functions"),
    (42, "middleware 42 is not callable"),
    (None, "middleware None is not callable"),
]
ASYNC_REFUSES = [
    (NoHandle(), "middleware NoHandle does not implement `handle_async()`; the asynchronous client requires async-capable middleware"),
    (AsyncHandle(), "middleware AsyncHandle does not implement `handle_async()`; the asynchronous client requires async-capable middleware"),
    (
        SyncHandleAsync(),
        "middleware SyncHandleAsync defines `handle_async()` as a sync function; the asynchronous client requires "
        "`handle_async()` to be an async function",
    ),
    (sync_fn, "middleware sync_fn is not an async function; the asynchronous client requires async middleware functions"),
    ("abc", "middleware 'abc' is not callable"),
]


@pytest.mark.parametrize(("entry", "message"), SYNC_REFUSES, ids=[type(e).__name__ for e, _ in SYNC_REFUSES])
def test_the_sync_client_refuses_middleware_it_cannot_run(entry: Any, message: str) -> None:
    with pytest.raises(TypeError) as caught:
        anthropic.Anthropic(api_key=API_KEY, middleware=[sync_fn, entry])
    assert str(caught.value) == message
    client = anthropic.Anthropic(api_key=API_KEY, middleware=[sync_fn])
    with pytest.raises(TypeError) as caught:
        client.with_middleware(entry)
    assert str(caught.value) == message


@pytest.mark.parametrize(("entry", "message"), ASYNC_REFUSES, ids=[type(e).__name__ for e, _ in ASYNC_REFUSES])
def test_the_async_client_refuses_middleware_it_cannot_run(entry: Any, message: str) -> None:
    with pytest.raises(TypeError) as caught:
        anthropic.AsyncAnthropic(api_key=API_KEY, middleware=[entry])
    assert str(caught.value) == message
    with pytest.raises(TypeError) as caught:
        anthropic.AsyncAnthropic(api_key=API_KEY).copy(middleware=[entry])
    assert str(caught.value) == message


def test_an_async_callable_object_is_named_by_its_repr_to_the_sync_client() -> None:
    entry = AsyncCallable()
    with pytest.raises(TypeError) as caught:
        anthropic.Anthropic(api_key=API_KEY, middleware=[entry])
    assert str(caught.value) == (
        f"middleware {entry!r} is an async function; the synchronous client requires sync middleware functions"
    )
    assert anthropic.AsyncAnthropic(api_key=API_KEY, middleware=[entry]).middleware == (entry,)


def test_what_each_client_accepts() -> None:
    both = Both()
    assert anthropic.Anthropic(api_key=API_KEY, middleware=[both, sync_fn]).middleware == (both, sync_fn)
    assert anthropic.AsyncAnthropic(api_key=API_KEY, middleware=[both, async_fn]).middleware == (both, async_fn)
    once = iter([sync_fn])  # read once, not used up by the checks
    assert anthropic.Anthropic(api_key=API_KEY, middleware=once).middleware == (sync_fn,)
    assert anthropic.Anthropic(api_key=API_KEY).middleware == ()


def test_platform_clients_take_middleware() -> None:
    client = anthropic.AnthropicVertex(region="us-east5", project_id="p", access_token="t", middleware=[sync_fn])
    assert client.middleware == (sync_fn,)
    assert client.with_middleware(sync_fn).middleware == (sync_fn, sync_fn)
    with pytest.raises(TypeError, match="middleware async_fn is an async function"):
        anthropic.AnthropicVertex(region="us-east5", project_id="p", access_token="t", middleware=[async_fn])


def test_the_public_names_load_lazily() -> None:
    code = (
        "import sys, anthropic\n"
        "anthropic.Anthropic(api_key='k')\n"
        "assert 'anthropic._middleware' not in sys.modules and 'anthropic._request' not in sys.modules\n"
        "from anthropic import APIRequest, AsyncCallNext, AsyncMiddlewareCallable, CallNext, Middleware\n"
        "from anthropic import MiddlewareCallable, MiddlewareInput\n"
        "assert Middleware.__module__ == APIRequest.__module__ == 'anthropic'\n"
        "from anthropic._middleware import Middleware as M\n"
        "from anthropic._request import APIRequest as R\n"
        "assert M is Middleware and R is APIRequest\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# -- the official client, as an oracle -------------------------------------------------------------------

OFFICIAL = os.environ.get("ANTHROPIC_OFFICIAL_PYTHON")

OBSERVE = textwrap.dedent(
    """
    import json, sys
    import anthropic

    seen = []

    def observe(request, call_next):
        entry = {"attempt": request.retries_taken, "method": request.method, "url": request.url,
                 "stream": request.stream, "body": request.json,
                 "fault": request.headers.get("x-emulator-fault", "").split(";key=")[0]}
        try:
            reply = call_next(request.copy(headers={**request.headers, "x-added": "yes"}))
        except anthropic.APIConnectionError as exc:
            entry["raised"] = type(exc).__name__
            seen.append(entry)
            raise
        entry["status"] = reply.status_code
        entry["reply"] = type(reply).__name__
        seen.append(entry)
        return reply

    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=sys.argv[1], max_retries=2, middleware=[observe])
    say = {"model": "claude-sonnet-4-5", "max_tokens": 50,
           "messages": [{"role": "user", "content": "Say exactly: observed"}]}
    tag = sys.argv[2]
    out = {}
    out["create"] = client.messages.create(**say).content[0].text
    out["retried"] = client.messages.create(
        **say, extra_headers={"x-emulator-fault": f"status=529;retry_after_ms=0;times=2;key={tag}-a"}).content[0].text
    try:
        client.messages.create(**say, extra_headers={"x-emulator-fault": "status=400;message=nope"})
    except anthropic.APIStatusError as exc:
        out["400"] = [type(exc).__name__, exc.status_code, exc.body["error"], exc.request_id == exc.body["request_id"]]
    try:
        client.messages.create(**say, extra_headers={"x-emulator-fault": "status=529;retry_after_ms=0"})
    except anthropic.APIStatusError as exc:
        out["529"] = [type(exc).__name__, exc.status_code]
    with client.messages.stream(**say) as stream:
        out["stream"] = [event.type for event in stream if event.type != "text"]
    out["raw"] = type(client.messages.with_raw_response.create(**say)).__name__
    out["count"] = client.messages.count_tokens(model=say["model"], messages=say["messages"]).input_tokens
    out["get"] = sorted(client.get("/v1/models", cast_to=object))
    out["seen"] = seen
    print(json.dumps(out, sort_keys=True))
    """
)


@pytest.mark.skipif(not OFFICIAL, reason="ANTHROPIC_OFFICIAL_PYTHON is not set")
def test_a_middleware_observes_the_same_under_the_official_client(emu: Emulator, tmp_path: Any) -> None:
    script = tmp_path / "observe.py"
    script.write_text(OBSERVE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    outputs = []
    for tag, python in (("official", OFFICIAL), ("ours", sys.executable)):
        assert python
        done = subprocess.run(
            [python, str(script), emu.base_url, tag], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
    official, ours = outputs
    assert ours == official
    assert [entry["attempt"] for entry in ours["seen"]][:4] == [0, 0, 1, 2]
    assert all(r.headers.get("x-added") == "yes" for r in emu.requests)
