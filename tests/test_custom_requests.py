"""``client.get/post/put/patch/delete`` and ``client.get_api_list``: requests the resources do not make.

The official client documents these for calling a path or a parameter it does
not cover yet; they go through the same seam as the resources (credentials,
default headers, retries, typed errors).  Each test sends real requests to the
emulator and checks what it received and what the call returned.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

import anthropic
from _helpers import API_KEY, call, client_for, params
from anthropic.emulator import Emulator, Fault
from anthropic.pagination import AsyncPage, SyncPage
from anthropic.types import Message, ModelInfo

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

SAY = params(messages=[{"role": "user", "content": "Say exactly: custom ok"}], max_tokens=50)


async def test_post_returns_a_typed_message_with_its_request_id(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        message = await call(client.post, "/v1/messages", cast_to=Message, body=SAY)
    assert isinstance(message, Message)
    assert message.content[0].text == "custom ok"
    (request,) = emu.requests
    assert message._request_id == request.request_id
    assert (request.method, request.path) == ("POST", "/v1/messages")
    assert request.json == SAY
    assert request.headers["x-api-key"] == API_KEY
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert request.headers["x-stainless-lang"] == "python"


@pytest.mark.parametrize(
    ("cast_to", "expected"),
    [
        (object, dict),
        (str, str),
        (bytes, bytes),
        (httpx2.Response, httpx2.Response),
        (None, type(None)),
    ],
)
async def test_cast_to_chooses_what_is_returned(mode: str, emu: Emulator, cast_to: Any, expected: type) -> None:
    async with client_for(mode, emu) as client:
        result = await call(client.post, "v1/messages", cast_to=cast_to, body=SAY)
    assert isinstance(result, expected)
    if cast_to is object:
        assert result["content"][0]["text"] == "custom ok"
    elif cast_to in (str, bytes):
        assert json.loads(result)["content"][0]["text"] == "custom ok"
    elif cast_to is httpx2.Response:
        assert result.is_closed and result.json()["type"] == "message"


async def test_get_sends_the_options_query_and_headers(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu, default_headers={"x-default": "d"}) as client:
        page = await call(
            client.get,
            "/v1/models",
            cast_to=object,
            options={"params": {"limit": 1}, "headers": {"x-custom": "yes", "x-default": "overridden"}},
        )
    assert len(page["data"]) == 1
    (request,) = emu.requests
    assert (request.method, request.path, request.query) == ("GET", "/v1/models", {"limit": "1"})
    assert request.headers["x-custom"] == "yes"
    assert request.headers["x-default"] == "overridden"


async def test_extra_json_is_merged_into_the_body(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        await call(client.post, "/v1/messages", cast_to=object, body=SAY, options={"extra_json": {"max_tokens": 7}})
    assert emu.requests[0].json == {**SAY, "max_tokens": 7}


async def test_content_is_sent_as_it_is(mode: str, emu: Emulator) -> None:
    raw = json.dumps(SAY, indent=1).encode()
    async with client_for(mode, emu) as client:
        message = await call(
            client.post,
            "/v1/messages",
            cast_to=Message,
            content=raw,
            options={"headers": {"content-type": "application/json"}},
        )
    assert message.content[0].text == "custom ok"
    assert emu.requests[0].body == raw


async def test_errors_are_typed_and_retried_like_the_resources(mode: str, emu: Emulator, backoff_waits: list[float]) -> None:
    emu.add_fault(Fault(status=529, times=1, retry_after_ms=0))
    async with client_for(mode, emu, max_retries=1) as client:
        message = await call(client.post, "/v1/messages", cast_to=Message, body=SAY)
        assert message.content[0].text == "custom ok"
        assert len(emu.requests) == 2
        with pytest.raises(anthropic.BadRequestError) as bad:
            await call(client.post, "/v1/messages", cast_to=Message, body={"model": SAY["model"]})
        assert "max_tokens" in str(bad.value)
        with pytest.raises(anthropic.NotFoundError):
            await call(client.delete, "/v1/no-such-path", cast_to=object)


async def test_get_api_list_walks_every_page(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        everything = await call(client.models.list)
        expected = [m.id async for m in _items(everything)]
        page_cls = SyncPage[ModelInfo] if mode == "sync" else AsyncPage[ModelInfo]
        pages = client.get_api_list("/v1/models", model=ModelInfo, page=page_cls, options={"params": {"limit": 2}})
        first = await call(lambda: pages)
        assert isinstance(first, page_cls)
        assert len(first.data) == 2 and all(isinstance(m, ModelInfo) for m in first.data)
        assert first._request_id is not None
        ids = [m.id async for m in _items(pages)]
    assert ids == expected and len(ids) > 2
    # each page after the last id of the one before; the async paginator fetches the first page again to walk
    afters = [r.query.get("after_id") for r in emu.requests if r.query.get("limit") == "2"]
    starts = [None] if mode == "sync" else [None, None]
    assert afters == [*starts, *ids[1 : len(ids) - 1 : 2]]


async def _items(pages: Any) -> Any:
    if hasattr(pages, "__aiter__"):
        async for item in pages:
            yield item
    else:
        for item in pages:
            yield item


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"stream": True}, TypeError, "use client.messages.create(stream=True)"),
        ({"files": {"file": b"x"}}, TypeError, "multipart uploads are not part of this client"),
        ({"options": {"retries": 3}}, TypeError, "unknown request option(s) 'retries'"),
        ({"options": {"follow_redirects": True}}, ValueError, "never follows redirects"),
        ({"content": b"{}"}, TypeError, "not both"),
        ({"body": None, "content": 42}, TypeError, "takes bytes or str"),
    ],
)
async def test_bad_arguments_fail_before_any_io(
    mode: str, emu: Emulator, kwargs: dict[str, Any], error: type, message: str
) -> None:
    arguments: dict[str, Any] = {"cast_to": object, "body": SAY, **kwargs}
    async with client_for(mode, emu) as client:
        with pytest.raises(error) as raised:
            await call(client.post, "/v1/messages", **arguments)
    assert message in str(raised.value)
    assert emu.requests == []


async def test_get_api_list_refuses_a_page_class_it_cannot_build(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client:
        with pytest.raises(TypeError, match="takes a page class such as"):
            client.get_api_list("/v1/models", model=ModelInfo, page=list)
    assert emu.requests == []
