"""The client surface of the official 2.15.0 that frameworks use: http clients, raw responses, signatures, errors.

Behaviour over the emulator's loopback socket; the names and parameters
below are facts about the official client's public surface.
"""

from __future__ import annotations

import importlib.util
import inspect
import threading
from typing import Any

import httpx2
import pytest

import anthropic
from _helpers import API_KEY, call, client_for, close, entered, http_client, make_client, params, sse_reply
from anthropic import Anthropic, AsyncAnthropic
from anthropic.emulator import Emulator, Reply

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

# The keyword parameters of the official 2.15.0 methods (names only; all keyword-only).
_PLAIN_CREATE = {
    "max_tokens", "messages", "model", "cache_control", "container", "diagnostics", "inference_geo", "metadata",
    "output_config", "service_tier", "speed", "stop_sequences", "stream", "system", "thinking", "tool_choice",
    "tools", "user_profile_id", "workspace_id",
}
_BETA_ONLY = {
    "billing_policy", "compaction", "context_management", "fallback_credit_token", "fallbacks", "mcp_servers",
    "thread", "betas",
}
_OPTIONS = {"extra_headers", "extra_query", "extra_body", "timeout"}
OFFICIAL: dict[tuple[bool, str], set[str]] = {
    (False, "create"): _PLAIN_CREATE,
    (False, "stream"): (_PLAIN_CREATE - {"stream"}) | {"output_format"},
    (False, "parse"): {
        "max_tokens", "messages", "model", "diagnostics", "metadata", "output_config", "output_format",
        "service_tier", "speed", "stop_sequences", "system", "thinking", "tool_choice", "tools",
    },
    (False, "count_tokens"): {
        "messages", "model", "cache_control", "output_config", "output_format", "speed", "system", "thinking",
        "tool_choice", "tools", "user_profile_id", "workspace_id",
    },
    (True, "create"): _PLAIN_CREATE | _BETA_ONLY,
    (True, "stream"): (_PLAIN_CREATE - {"stream"}) | _BETA_ONLY | {"output_format"},
    (True, "parse"): (_PLAIN_CREATE - {"stream"}) | _BETA_ONLY | {"output_format"},
    (True, "count_tokens"): {
        "messages", "model", "billing_policy", "cache_control", "compaction", "context_management", "mcp_servers",
        "output_config", "speed", "system", "thinking", "tool_choice", "tools", "betas", "user_profile_id",
        "workspace_id",
    },
}


def client_class(mode: str) -> type[Any]:
    return Anthropic if mode == "sync" else AsyncAnthropic


# --- http_client ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "given", "expected"),
    [
        (Anthropic, httpx2.AsyncClient, "Anthropic(http_client=...) must be an httpx2.Client, got httpx2.AsyncClient (an httpx2.AsyncClient belongs to the other client)"),
        (AsyncAnthropic, httpx2.Client, "AsyncAnthropic(http_client=...) must be an httpx2.AsyncClient, got httpx2.Client (an httpx2.Client belongs to the other client)"),
        (Anthropic, dict, "Anthropic(http_client=...) must be an httpx2.Client, got builtins.dict"),
    ],
)
async def test_a_wrong_http_client_is_a_type_error_at_construction(cls: type, given: type, expected: str) -> None:
    other = given()
    try:
        with pytest.raises(TypeError) as info:
            cls(api_key=API_KEY, http_client=other)
        assert str(info.value).replace("httpx2._client.", "httpx2.") == expected
    finally:
        if isinstance(other, httpx2.AsyncClient):
            await other.aclose()
        elif isinstance(other, httpx2.Client):
            other.close()


async def test_default_httpx_clients_carry_our_defaults_and_are_accepted(mode: str, emu: Emulator) -> None:
    http = anthropic.DefaultHttpxClient() if mode == "sync" else anthropic.DefaultAsyncHttpxClient()
    assert http.timeout == anthropic.DEFAULT_TIMEOUT
    async with client_for(mode, emu, http_client=http) as client:
        assert client._client is http
        message = await call(client.messages.create, **params())
        assert message.type == "message"
    assert not http.is_closed  # the caller's own pool is left open
    await close(http) if mode == "sync" else await http.aclose()


@pytest.mark.skipif(importlib.util.find_spec("aiohttp") is not None, reason="aiohttp is installed")
def test_the_aiohttp_client_without_aiohttp_names_the_extra() -> None:
    with pytest.raises(RuntimeError) as info:
        anthropic.DefaultAioHttpClient()
    assert "install the `aiohttp` extra (pip install 'anthropic[aiohttp]')" in str(info.value)


async def test_client_underscore_client_is_the_httpx2_pool(mode: str) -> None:
    client = make_client(mode)
    assert isinstance(client._client, httpx2.Client if mode == "sync" else httpx2.AsyncClient)
    assert client._client is client._client
    await close(client)


async def test_a_framework_can_swap_the_pool_through_client_underscore_client(mode: str, emu: Emulator) -> None:
    cls = httpx2.Client if mode == "sync" else httpx2.AsyncClient
    swapped = cls()
    async with client_for(mode, emu) as client:
        client._client = swapped
        assert client._client is swapped
        await call(client.messages.create, **params())
        with pytest.raises(TypeError, match="must be an httpx2"):
            client._client = object()
    assert not swapped.is_closed  # the caller's pool: the client does not close it
    if mode == "sync":
        swapped.close()
    else:
        await swapped.aclose()
    assert len(emu.requests) == 1


def test_fifty_threads_making_the_first_request_share_one_pool() -> None:
    client = Anthropic(api_key=API_KEY)
    barrier = threading.Barrier(50)
    seen: list[Any] = []

    def first_use() -> None:
        barrier.wait()
        seen.append(client._client)

    threads = [threading.Thread(target=first_use) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(pool) for pool in seen}) == 1
    client.close()
    assert client.is_closed()


# --- options --------------------------------------------------------------------------------------


async def test_base_url_can_be_set_after_construction(mode: str, emu: Emulator) -> None:
    async with client_for(mode, None, base_url="http://127.0.0.1:9/unused") as client:
        client.base_url = emu.base_url
        assert str(client.base_url).rstrip("/") == emu.base_url
        await call(client.messages.create, **params())
    assert emu.requests[0].path == "/v1/messages"


async def test_is_closed_follows_the_pool(mode: str) -> None:
    client = make_client(mode)
    assert client.is_closed() is False
    client._client  # noqa: B018  (made on first use)
    assert client.is_closed() is False
    await close(client)
    assert client.is_closed() is True


async def test_a_closed_client_sends_nothing_even_before_its_first_request(mode: str, emu: Emulator) -> None:
    client = make_client(mode, emu)
    await close(client)
    assert client.is_closed() is True
    with pytest.raises(anthropic.APIConnectionError, match="has been closed"):
        await call(client.messages.create, **params())
    with pytest.raises(anthropic.APIConnectionError, match="has been closed"):
        await call(client.models.list)
    assert emu.requests == []


async def test_a_closed_client_leaves_the_callers_pool_open_and_refuses_to_send(mode: str, emu: Emulator) -> None:
    http = http_client(mode)
    client = make_client(mode, emu, http_client=http)
    await call(client.messages.create, **params())
    await close(client)
    assert client.is_closed() is True
    assert not http.is_closed  # the caller's pool: it decides when to close it
    with pytest.raises(anthropic.APIConnectionError, match="has been closed"):
        await call(client.messages.create, **params())
    assert len(emu.requests) == 1
    await close(http) if mode == "sync" else await http.aclose()


async def test_user_agent_and_platform_headers_are_what_is_sent(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        await call(client.messages.create, **params())
        sent = emu.requests[0].headers
        assert sent["user-agent"] == client.user_agent
        assert client.platform_headers() and all(sent[k] == v for k, v in client.platform_headers().items())
        assert client.custom_auth is None


async def test_anthropic_custom_headers_are_sent_under_the_default_headers(
    mode: str, emu: Emulator, clean_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    clean_env.setenv("ANTHROPIC_CUSTOM_HEADERS", "X-Proxy-Route: eu-1\r\nnot a header\nX-Team: from-env\n")
    async with client_for(mode, emu, default_headers={"X-Team": "explicit"}) as client:
        await call(client.messages.create, **params())
        copied = client.copy()
        await call(copied.messages.create, **params())
    for request in emu.requests:
        assert request.headers["x-proxy-route"] == "eu-1"
        assert request.headers["x-team"] == "explicit"
    assert "ANTHROPIC_CUSTOM_HEADERS line 2 is not 'Name: value'" in caplog.text


async def test_copy_rejects_conflicting_header_and_query_arguments(mode: str) -> None:
    client = make_client(mode)
    with pytest.raises(ValueError, match="`default_headers` and `set_default_headers` arguments are mutually exclusive"):
        client.copy(default_headers={"a": "1"}, set_default_headers={"b": "2"})
    with pytest.raises(ValueError, match="`default_query` and `set_default_query` arguments are mutually exclusive"):
        client.copy(default_query={"a": "1"}, set_default_query={"b": "2"})
    await close(client)


async def test_max_retries_none_means_the_default(mode: str) -> None:
    client = client_class(mode)(api_key=API_KEY, max_retries=None)
    assert client.max_retries == anthropic.DEFAULT_MAX_RETRIES
    await close(client)


# --- signatures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("beta", "method"), list(OFFICIAL))
async def test_methods_show_the_official_keyword_parameters(mode: str, beta: bool, method: str) -> None:
    client = make_client(mode)
    resource = client.beta.messages if beta else client.messages
    signature = inspect.signature(getattr(resource, method))
    names = set(signature.parameters)
    assert OFFICIAL[(beta, method)] | _OPTIONS <= names
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in signature.parameters.values())
    required = {n for n, p in signature.parameters.items() if p.default is inspect.Parameter.empty}
    assert required == ({"messages", "model"} if method == "count_tokens" else {"max_tokens", "messages", "model"})
    assert signature.parameters["timeout"].default is anthropic.NOT_GIVEN
    assert signature.parameters["extra_headers"].default is None
    if mode == "async" and method != "stream":
        assert inspect.iscoroutinefunction(getattr(resource, method))
    await close(client)


async def test_user_profile_and_workspace_go_as_headers(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        await call(client.messages.create, **params(user_profile_id="up_1", workspace_id="wrk_1", speed="fast"))
    request = emu.requests[0]
    assert request.headers["anthropic-user-profile-id"] == "up_1"
    assert request.headers["anthropic-workspace-id"] == "wrk_1"
    assert "user_profile_id" not in request.json and request.json["speed"] == "fast"


async def test_output_format_with_output_config_format_is_an_error_before_any_io(mode: str, emu: Emulator) -> None:
    from pydantic import BaseModel

    class Answer(BaseModel):
        value: int

    fmt = {"format": {"type": "json_schema", "schema": {"type": "object"}}}
    async with client_for(mode, emu) as client:
        for resource in (client.messages, client.beta.messages):
            with pytest.raises(anthropic.AnthropicError) as info:
                await call(resource.parse, **params(output_format=Answer, output_config=fmt))
            assert str(info.value) == (
                "Both output_format and output_config.format were provided. "
                "Please use only output_config.format (output_format is deprecated)."
            )
    assert emu.requests == []


async def test_deprecated_models_and_thinking_modes_warn_at_the_callers_line(mode: str, emu: Emulator) -> None:
    import warnings

    async with client_for(mode, emu) as client:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            await call(client.messages.create, **params(model="claude-opus-4-5"))
            await call(
                client.beta.messages.create,
                **params(model="claude-opus-4-6", max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024}),
            )
            await call(client.messages.count_tokens, model="claude-opus-4-5", messages=params()["messages"])
            await call(client.messages.create, **params(model="claude-sonnet-4-5"))
    # Each points at the first frame outside the package: here the test helper that made the call.
    helper = call.__code__.co_filename
    assert [(w.category, w.filename) for w in caught] == [(DeprecationWarning, helper), (UserWarning, helper)]
    assert str(caught[0].message) == (
        "The model 'claude-opus-4-5' is deprecated and will reach end-of-life on January 22nd, 2027.\n"
        "Please migrate to a newer model. Visit https://docs.anthropic.com/en/docs/resources/model-deprecations "
        "for more information."
    )
    assert str(caught[1].message).startswith(
        "Using Claude with claude-opus-4-6 and 'thinking.type=enabled' is deprecated. Use 'thinking.type=adaptive'"
    )
    assert len(emu.requests) == 4


# --- raw and streamed responses -------------------------------------------------------------------


async def test_with_raw_response_gives_the_reply_and_parses_it(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text("Hello there"))
    async with client_for(mode, emu) as client:
        raw = await call(client.messages.with_raw_response.create, **params())
        assert raw.status_code == 200
        assert raw.request_id == raw.headers["request-id"] == emu.requests[0].request_id
        assert isinstance(raw.http_response, httpx2.Response)
        assert raw.method == "POST" and str(raw.url).endswith("/v1/messages")
        assert '"Hello there"' in await call(raw.text)
        message = await call(raw.parse)
        assert isinstance(message, anthropic.types.Message)
        assert message.content[0].text == "Hello there"
        assert await call(raw.parse) is message

        count = await call(client.with_raw_response.messages.count_tokens, model=params()["model"], messages=params()["messages"])
        assert (await call(count.parse)).input_tokens > 0


async def test_with_raw_response_of_a_stream_parses_to_the_stream(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        raw = await call(client.beta.messages.with_raw_response.create, **params(stream=True))
        assert raw.headers["content-type"].startswith("text/event-stream")
        stream = await call(raw.parse)
        async with entered(stream):
            types = [e.type async for e in _aiter(stream)]
    assert types[0] == "message_start" and types[-1] == "message_stop"


async def test_with_streaming_response_leaves_the_body_unread_until_asked(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text("Streamed body"))
    async with client_for(mode, emu) as client:
        async with entered(client.messages.with_streaming_response.create(**params())) as response:
            assert response.status_code == 200
            assert not response.http_response.is_stream_consumed
            message = await call(response.parse)
            assert message.content[0].text == "Streamed body"
        assert response.is_closed


async def _aiter(stream: Any) -> Any:
    if hasattr(stream, "__aiter__"):
        async for item in stream:
            yield item
    else:
        for item in stream:
            yield item


# --- errors ---------------------------------------------------------------------------------------


async def test_status_errors_name_their_type_and_error_code_class(mode: str, emu: Emulator) -> None:
    error_body = {"type": "invalid_request_error", "message": "key off", "details": {"error_code": "cmek_key_disabled"}}
    emu.enqueue(Reply.json({"type": "error", "error": error_body}, status=400))
    async with client_for(mode, emu) as client:
        with pytest.raises(anthropic.CMEKKeyDisabledError) as info:
            await call(client.messages.create, **params())
    error = info.value
    assert isinstance(error, anthropic.BadRequestError)
    assert (error.type, error.error_code, error.api_message, error.status_code) == (
        "invalid_request_error", "cmek_key_disabled", "key off", 400,
    )


def test_every_exception_shows_the_anthropic_module() -> None:
    for name in anthropic.__all__:
        value = getattr(anthropic, name, None)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert value.__module__ == "anthropic", name
    assert anthropic.BillingError is anthropic.PaymentRequiredError
    assert anthropic.DeadlineExceededError is anthropic.GatewayTimeoutError
    assert anthropic.RequestTooLargeError is anthropic.ContentTooLargeError


def test_the_resource_modules_export_the_types_of_their_signatures() -> None:
    from anthropic.resources.beta.messages.messages import BetaMessage, BetaRawMessageStreamEvent
    from anthropic.resources.messages.messages import (
        DEPRECATED_MODELS,
        Message,
        RawMessageStreamEvent,
        Stream,
    )

    assert Message is anthropic.types.Message
    assert RawMessageStreamEvent is anthropic.types.RawMessageStreamEvent
    assert Stream is anthropic.Stream
    assert BetaMessage is anthropic.types.beta.BetaMessage
    assert BetaRawMessageStreamEvent is anthropic.types.beta.BetaRawMessageStreamEvent
    assert "claude-opus-4-5" in DEPRECATED_MODELS
    with pytest.raises(ImportError, match="cannot import name 'NoSuchName'"):
        from anthropic.resources.messages.messages import NoSuchName  # noqa: F401
