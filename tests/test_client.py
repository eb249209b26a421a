"""The clients end to end: options, credentials, headers, query, body, timeouts, lifecycle.

Every request goes over a loopback socket to the emulator, and the assertions
are about what the emulator received (``emu.requests``) or what the caller got.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

import anthropic
from _helpers import (
    API_KEY,
    MODEL,
    call,
    client_for,
    close,
    collect_stream,
    entered,
    http_client,
    make_client,
    params,
    sse_reply,
)
from anthropic import (
    Anthropic,
    APITimeoutError,
    AsyncAnthropic,
    AuthenticationError,
    MissingCredentialsError,
    NotFoundError,
    omit,
)
from anthropic.emulator import Emulator, Fault, Reply
from anthropic.types import Message, MessageTokensCount, TextBlock, ToolUseBlock

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

SECRET_KEY = "sk-ant-api03-SECRET-never-show-me"
SECRET_TOKEN = "oauth-SECRET-token-never-show-me"


def client_class(mode: str) -> type[Any]:
    return Anthropic if mode == "sync" else AsyncAnthropic


async def send(client: Any, **overrides: Any) -> Message:
    """One non-streamed request (the emulator generates the reply)."""
    return await call(client.messages.create, **params(**overrides))


# --- credentials -------------------------------------------------------------------------------


async def test_api_key_argument_is_sent_as_x_api_key(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu, api_key=SECRET_KEY) as client:
        await send(client)
    headers = emu.requests[0].headers
    assert headers["x-api-key"] == SECRET_KEY
    assert "authorization" not in headers


async def test_api_key_from_the_environment(mode: str, emu: Emulator, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ANTHROPIC_API_KEY", "from-env")
    async with client_for(mode, emu, api_key=None) as client:
        assert client.api_key == "from-env"
        await send(client)
    async with client_for(mode, emu, api_key="from-arg") as client:
        await send(client)
    assert [r.headers["x-api-key"] for r in emu.requests] == ["from-env", "from-arg"]


async def test_auth_token_is_sent_as_a_bearer_token(mode: str, emu: Emulator, clean_env: pytest.MonkeyPatch) -> None:
    async with client_for(mode, emu, api_key=None, auth_token=SECRET_TOKEN) as client:
        await send(client)
    clean_env.setenv("ANTHROPIC_AUTH_TOKEN", "env-token")
    async with client_for(mode, emu, api_key=None) as client:
        assert client.auth_token == "env-token"
        await send(client)
    first, second = emu.requests
    assert first.headers["authorization"] == f"Bearer {SECRET_TOKEN}"
    assert second.headers["authorization"] == "Bearer env-token"
    assert "x-api-key" not in first.headers and "x-api-key" not in second.headers


async def test_no_credentials_is_a_clear_type_error_before_any_io(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu, api_key=None) as client:
        attempts = [
            lambda: call(client.messages.create, **params()),
            lambda: call(client.messages.create, stream=True, **params()),
            lambda: call(client.messages.count_tokens, model=MODEL, messages=params()["messages"]),
            lambda: collect_stream(client, **params()),
            lambda: collect_stream(client, beta=True, **params(betas=["structured-outputs-2025-11-13"])),
        ]
        for attempt in attempts:
            with pytest.raises(MissingCredentialsError) as info:
                await attempt()
            error = info.value
            assert isinstance(error, TypeError) and isinstance(error, anthropic.AnthropicError)
            for name in ("api_key", "auth_token", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
                assert name in str(error)
    assert emu.requests == []


async def test_an_omitted_credential_header_goes_out_without_credentials(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        with pytest.raises(AuthenticationError) as info:
            await send(client, extra_headers={"x-api-key": omit})
    assert info.value.status_code == 401
    assert "x-api-key" not in emu.requests[0].headers


# --- where requests go, and what they carry -----------------------------------------------------


async def test_standard_headers(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        await send(client)
    request = emu.requests[0]
    assert (request.method, request.path) == ("POST", "/v1/messages")
    headers = request.headers
    assert headers["anthropic-version"] == "2023-06-01"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert "anthropic" in headers["user-agent"].lower()
    assert anthropic.__version__ in headers["user-agent"]
    assert "anthropic-beta" not in headers


async def test_body_is_the_arguments_as_json(mode: str, emu: Emulator) -> None:
    tools = [{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object", "properties": {}}}]
    async with client_for(mode, emu) as client:
        await send(client, system="Be brief.", temperature=0.5, top_k=3, stop_sequences=["END"],
                   metadata={"user_id": "u-1"}, tools=tools, tool_choice={"type": "auto"})
    body = emu.requests[0].json
    assert body == {
        "model": MODEL, "max_tokens": 1024, "messages": [{"role": "user", "content": "Tell me a story"}],
        "system": "Be brief.", "temperature": 0.5, "top_k": 3, "stop_sequences": ["END"],
        "metadata": {"user_id": "u-1"}, "tools": tools, "tool_choice": {"type": "auto"},
    }


async def test_base_url_argument_and_environment(mode: str, emu: Emulator, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ANTHROPIC_BASE_URL", f"{emu.base_url}/from-env")
    async with client_for(mode, None) as client:
        assert str(client.base_url).startswith(emu.base_url)
        with pytest.raises(NotFoundError):
            await send(client)
    async with client_for(mode, None, base_url=f"{emu.base_url}/from-arg/") as client:
        with pytest.raises(NotFoundError) as info:
            await send(client)
    assert info.value.status_code == 404
    assert [r.path for r in emu.requests] == ["/from-env/v1/messages", "/from-arg/v1/messages"]


async def test_default_headers_and_default_query(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu, default_headers={"X-Team": "blue", "anthropic-version": "2099-01-01"},
                          default_query={"region": "eu", "n": 3}) as client:
        await send(client)
    request = emu.requests[0]
    assert request.headers["x-team"] == "blue"
    assert request.headers["anthropic-version"] == "2099-01-01"  # a default header wins over ours
    assert request.query == {"region": "eu", "n": "3"}


async def test_extra_headers_query_and_body_per_request(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text("plain"), sse_reply("text_recorded"))
    async with client_for(mode, emu, default_headers={"x-team": "blue"}, default_query={"region": "eu"}) as client:
        await send(client, extra_headers={"x-team": "red", "x-trace": "t-1"}, extra_query={"debug": "1"},
                   extra_body={"future_option": {"level": 2}, "temperature": 0.1})
        await collect_stream(client, **params(extra_headers={"X-Trace": "t-2"}, extra_query={"region": "us"},
                                              extra_body={"future_option": True}))
    first, second = emu.requests
    assert (first.headers["x-team"], first.headers["x-trace"]) == ("red", "t-1")
    assert first.query == {"region": "eu", "debug": "1"}
    assert first.json["future_option"] == {"level": 2}
    assert first.json["temperature"] == 0.1
    assert (second.headers["x-team"], second.headers["x-trace"]) == ("blue", "t-2")
    assert second.query == {"region": "us"}
    assert second.json["future_option"] is True and second.json["stream"] is True
    assert "debug" not in second.query  # nothing leaks from one request into the next


async def test_omit_removes_a_header(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu, default_headers={"x-team": "blue"}) as client:
        await send(client, extra_headers={"x-team": omit, "content-type": omit})
        await send(client)
    first, second = emu.requests
    assert "x-team" not in first.headers and "content-type" not in first.headers
    assert second.headers["x-team"] == "blue" and second.headers["content-type"] == "application/json"


async def test_per_request_timeout(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(latency_ms=1500, times=1))
    async with client_for(mode, emu) as client:
        with pytest.raises(APITimeoutError) as info:
            await send(client, timeout=0.2)
        assert isinstance(info.value, anthropic.APIConnectionError)
        message = await send(client, timeout=httpx2.Timeout(5.0))
    assert message.type == "message"
    assert len(emu.requests) == 2


async def test_client_timeout_and_defaults(mode: str, emu: Emulator) -> None:
    cls = client_class(mode)
    plain = cls(api_key=API_KEY)
    assert plain.max_retries == 2
    assert plain.timeout == httpx2.Timeout(600.0, connect=5.0)
    assert str(plain.base_url).rstrip("/") == "https://api.anthropic.com"
    assert cls(api_key=API_KEY, timeout=12.5).timeout == httpx2.Timeout(12.5)
    assert cls(api_key=API_KEY, timeout=httpx2.Timeout(3.0, connect=1.0)).timeout == httpx2.Timeout(3.0, connect=1.0)
    emu.add_fault(Fault(latency_ms=1500, times=1))
    async with client_for(mode, emu, timeout=0.2) as client:
        with pytest.raises(APITimeoutError):
            await send(client)


async def test_unknown_arguments_are_a_type_error_naming_them(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        with pytest.raises(TypeError, match=r"messages\.create\(\).*unexpected.*colour, flavour"):
            await send(client, flavour="vanilla", colour="blue")
        with pytest.raises(TypeError, match=r"messages\.stream\(\).*unexpected.*maxtokens"):
            await collect_stream(client, **params(maxtokens=5))
        with pytest.raises(TypeError, match=r"missing required.*max_tokens, messages"):
            await call(client.messages.create, model=MODEL)
        with pytest.raises(TypeError, match=r"missing required.*model"):
            await collect_stream(client, max_tokens=5, messages=[{"role": "user", "content": "hi"}])
    assert emu.requests == []
    cls = client_class(mode)
    with pytest.raises(TypeError, match="api_keys"):
        cls(api_keys="typo")


# --- options, copies and lifecycle ---------------------------------------------------------------


async def test_with_options_makes_a_changed_copy_sharing_the_pool(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu, max_retries=0, default_headers={"x-team": "blue"}) as client:
        other = client.with_options(max_retries=1, timeout=7.0, default_headers={"x-extra": "1"})
        assert type(other) is type(client)
        assert (other.max_retries, other.timeout) == (1, httpx2.Timeout(7.0))
        assert (client.max_retries, client.timeout) == (0, httpx2.Timeout(600.0, connect=5.0))
        assert other._http is client._http
        emu.add_fault(Fault(status=529, retry_after=0, times=1))
        message = await send(other)  # one retry allowed: 529, then success
        assert message.type == "message"
        await close(other)  # closing a copy leaves the shared pool alone
        assert not client.is_closed()
        await send(client)
        replaced = client.with_options(set_default_headers={"x-only": "this"}, api_key="sk-other")
        await send(replaced)
    assert [r.headers.get("x-extra") for r in emu.requests] == ["1", "1", None, None]
    assert [r.headers.get("x-team") for r in emu.requests] == ["blue", "blue", "blue", None]
    assert emu.requests[3].headers["x-only"] == "this"
    assert emu.requests[3].headers["x-api-key"] == "sk-other"


async def test_the_users_own_http_client_is_used_and_not_closed(mode: str, emu: Emulator) -> None:
    seen: list[str] = []

    def hook(request: httpx2.Request) -> None:
        seen.append(request.url.path)

    async def async_hook(request: httpx2.Request) -> None:
        hook(request)

    pool = http_client(mode, headers={"x-from-user-client": "yes"},
                       event_hooks={"request": [hook if mode == "sync" else async_hook]})
    async with entered(pool):
        async with client_for(mode, emu, http_client=pool) as client:
            await send(client)
            await collect_stream(client, **params())
        assert not pool.is_closed
    assert seen == ["/v1/messages", "/v1/messages"]
    assert all(r.headers["x-from-user-client"] == "yes" for r in emu.requests)


async def test_close_and_context_manager(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        await send(client)
        assert not client.is_closed()
    assert client.is_closed()
    other = make_client(mode, emu)
    await send(other)
    await close(other)
    assert other.is_closed()


async def test_repr_never_shows_a_credential(mode: str, emu: Emulator) -> None:
    cls = client_class(mode)
    for client in (cls(api_key=SECRET_KEY), cls(auth_token=SECRET_TOKEN), cls(api_key=SECRET_KEY, auth_token=SECRET_TOKEN)):
        for text in (repr(client), str(client), repr(client.with_options(max_retries=1)), repr(client.messages)):
            assert "SECRET" not in text, text
        assert cls.__name__ in repr(client)


# --- messages.create and count_tokens ------------------------------------------------------------


async def test_create_returns_a_message_with_every_field(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.message(
        [{"type": "text", "text": "Hi there"},
         {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris", "days": [1, 2]}}],
        stop_reason="tool_use", id="msg_01CreateTest", usage={"input_tokens": 11, "output_tokens": 7},
    ))
    async with client_for(mode, emu) as client:
        message = await call(client.messages.create, stream=False, **params())
    assert isinstance(message, Message)
    assert (message.id, message.type, message.role, message.model) == ("msg_01CreateTest", "message", "assistant", MODEL)
    assert (message.stop_reason, message.stop_sequence) == ("tool_use", None)
    assert (message.usage.input_tokens, message.usage.output_tokens) == (11, 7)
    text, tool = message.content
    assert isinstance(text, TextBlock) and text.text == "Hi there"
    assert isinstance(tool, ToolUseBlock)
    assert (tool.id, tool.name, tool.input) == ("toolu_01A", "get_weather", {"city": "Paris", "days": [1, 2]})
    assert json.loads(message.model_dump_json())["content"][1]["input"] == {"city": "Paris", "days": [1, 2]}
    assert emu.requests[0].json.get("stream") in (None, False)


async def test_create_keeps_unknown_fields_and_block_types(mode: str, emu: Emulator) -> None:
    block = {"type": "future_block", "payload": {"a": [1, None, "x"]}, "id": "fb_1"}
    emu.enqueue(Reply.json({
        "id": "msg_01Future", "type": "message", "role": "assistant", "model": MODEL,
        "content": [block, {"type": "text", "text": "ok", "future_text_field": 1}],
        "stop_reason": "end_turn", "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 2},
        "future_message_field": "kept",
    }))
    async with client_for(mode, emu) as client:
        message = await send(client)
    dumped = message.model_dump()
    assert dumped["content"][0] == block
    assert dumped["content"][1]["future_text_field"] == 1
    assert dumped["future_message_field"] == "kept"


async def test_count_tokens(mode: str, emu: Emulator) -> None:
    messages = [{"role": "user", "content": "How many tokens is this sentence, roughly?"}]
    async with client_for(mode, emu) as client:
        counted = await call(client.messages.count_tokens, model=MODEL, messages=messages, system="Be brief.")
        again = await call(client.messages.count_tokens, model=MODEL, messages=messages, system="Be brief.")
        more = await call(client.messages.count_tokens, model=MODEL, messages=messages * 5, system="Be brief.")
    assert isinstance(counted, MessageTokensCount)
    assert counted.input_tokens > 0 and counted.input_tokens == again.input_tokens
    assert more.input_tokens > counted.input_tokens
    request = emu.requests[0]
    assert request.path == "/v1/messages/count_tokens"
    assert request.json == {"model": MODEL, "messages": messages, "system": "Be brief."}
    assert request.headers["x-api-key"] == API_KEY
