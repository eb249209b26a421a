"""Public behaviour that code written against the official client 2.15.0 relies on, over a real socket.

Each test pins one fact a user can observe and match on: an attribute of a
stream, the type and text of an exception, a name at an import path.  The
cases come from running the official client's own test suite against this
package; where this package is stricter on purpose (docs/failures.md), the
test asserts our behaviour, not the official one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import anthropic
from _helpers import REQUEST_ID, call, client_for, drain, entered, params, sse_reply
from anthropic.emulator import Emulator, Reply

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

WORKSPACE_ID = "wrkspc_01ParityWorkspace"


async def test_a_message_stream_names_its_request_and_workspace(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded", headers={"anthropic-workspace-id": WORKSPACE_ID}))
    async with client_for(mode, emu) as client:
        async with entered(client.messages.stream(**params())) as stream:
            assert stream.request_id == REQUEST_ID
            assert stream.workspace_id == WORKSPACE_ID
            await call(stream.until_done)
        assert stream.response.is_closed


async def test_a_raw_stream_names_its_workspace_and_none_without_the_header(mode: str, emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded", headers={"anthropic-workspace-id": WORKSPACE_ID}))
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        stream = await call(client.messages.create, stream=True, **params())
        async with entered(stream):
            assert stream.workspace_id == WORKSPACE_ID
            await drain(stream)
        async with entered(client.beta.messages.stream(**params())) as beta_stream:
            assert beta_stream.workspace_id is None
            await call(beta_stream.until_done)


async def test_a_message_stream_is_not_a_raw_stream(mode: str, emu: Emulator) -> None:
    raw_type = anthropic.Stream if mode == "sync" else anthropic.AsyncStream
    emu.enqueue(sse_reply("text_recorded"))
    emu.enqueue(sse_reply("text_recorded"))
    emu.enqueue(sse_reply("text_recorded"))
    async with client_for(mode, emu) as client:
        async with entered(client.messages.stream(**params())) as stream:
            assert not isinstance(stream, raw_type)
            await call(stream.until_done)
        async with entered(client.beta.messages.stream(**params())) as beta_stream:
            assert not isinstance(beta_stream, raw_type)
            await call(beta_stream.until_done)
        raw = await call(client.messages.create, stream=True, **params())
        async with entered(raw):
            assert isinstance(raw, raw_type)
            await drain(raw)


@pytest.mark.parametrize("module", ["anthropic.resources.messages", "anthropic.resources.messages.messages"])
def test_the_deprecated_models_table_is_at_both_official_paths(module: str) -> None:
    import importlib

    table = importlib.import_module(module).DEPRECATED_MODELS
    assert isinstance(table, dict) and table
    assert all(isinstance(name, str) and isinstance(date, str) for name, date in table.items())


def _sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def _tool_call_body(*pieces: str) -> bytes:
    """A reply whose one tool call streams its input as ``pieces``."""
    start = {
        "id": "msg_01ParityToolInput",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 1},
    }
    block = {"type": "tool_use", "id": "toolu_01Parity", "name": "get_weather", "input": {}}
    return _sse(
        {"type": "message_start", "message": start},
        {"type": "content_block_start", "index": 0, "content_block": block},
        *(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": p}}
            for p in pieces
        ),
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None}, "usage": {"output_tokens": 9}},
        {"type": "message_stop"},
    )


@pytest.mark.parametrize("flavour", ["messages", "beta"])
async def test_a_tool_input_that_is_not_json_is_a_value_error_in_the_official_words(
    mode: str, emu: Emulator, flavour: str
) -> None:
    bad = '{"location": "Paris", "unit": celsius}'
    emu.enqueue(Reply.sse(_tool_call_body('{"location": "Pa', 'ris", "unit": ', "celsius}"), headers={"request-id": REQUEST_ID}))
    async with client_for(mode, emu) as client:
        resource = client.messages if flavour == "messages" else client.beta.messages
        async with entered(resource.stream(**params())) as stream:
            with pytest.raises(ValueError) as info:
                await call(stream.until_done)
    error = info.value
    assert isinstance(error, anthropic.ToolInputJSONError)
    assert isinstance(error, anthropic.APIResponseValidationError)
    assert error.message.startswith(
        "Unable to parse tool parameter JSON from model. Please retry your request or adjust your prompt. "
        "Error: the input JSON of content block 0 (get_weather) is not valid JSON: "
    )
    assert error.message.endswith(f". JSON: {bad}")
    assert error.body == bad
    assert error.request_id == REQUEST_ID
    assert error.partial_message is not None and error.partial_message.id == "msg_01ParityToolInput"


async def test_a_tool_input_cut_short_by_the_stream_is_not_this_error(mode: str, emu: Emulator) -> None:
    # Invalid JSON is the model's fault and raises at the block's end; a body that ends early is a truncation.
    body = _tool_call_body('{"location": "Paris"}')
    emu.enqueue(Reply.sse(body[: body.index(b"event: content_block_stop")]))
    async with client_for(mode, emu) as client, entered(client.messages.stream(**params())) as stream:
        with pytest.raises(anthropic.IncompleteStreamError) as info:
            await call(stream.until_done)
    assert not isinstance(info.value, ValueError)


# --- private paths of the official client that its test suite and some user code import -----------


def test_tracks_tool_input_names_the_blocks_whose_input_streams_as_json() -> None:
    from anthropic.lib.streaming._beta_messages import TRACKS_TOOL_INPUT as BETA_TRACKED
    from anthropic.lib.streaming._beta_messages import BetaAsyncMessageStream, BetaMessageStream
    from anthropic.lib.streaming._messages import TRACKS_TOOL_INPUT
    from anthropic.types import ServerToolUseBlock, ToolUseBlock
    from anthropic.types.beta import BetaMCPToolUseBlock, BetaServerToolUseBlock, BetaToolUseBlock

    assert (ToolUseBlock, ServerToolUseBlock) == TRACKS_TOOL_INPUT
    assert (BetaToolUseBlock, BetaServerToolUseBlock, BetaMCPToolUseBlock) == BETA_TRACKED
    assert BetaMessageStream is anthropic.BetaMessageStream
    assert BetaAsyncMessageStream is anthropic.BetaAsyncMessageStream
    with pytest.raises(AttributeError, match="_messages' has no attribute 'NOT_THERE'"):
        anthropic.lib.streaming._messages.NOT_THERE  # noqa: B018


async def test_every_tracked_block_streams_its_input_as_input_json_events(mode: str, emu: Emulator) -> None:
    from anthropic.lib.streaming import InputJsonEvent
    from anthropic.lib.streaming._messages import TRACKS_TOOL_INPUT

    body = _tool_call_body('{"query": ', '"weather"}')
    emu.enqueue(Reply.sse(body))
    emu.enqueue(Reply.sse(body.replace(b'"type": "tool_use"', b'"type": "server_tool_use"', 1)))
    async with client_for(mode, emu) as client:
        for _ in range(2):
            async with entered(client.messages.stream(**params())) as stream:
                events = await drain(stream)
                message = await call(stream.get_final_message)
            assert isinstance(message.content[0], TRACKS_TOOL_INPUT)
            assert [e.partial_json for e in events if isinstance(e, InputJsonEvent)] == ['{"query": ', '"weather"}']
            assert message.content[0].input == {"query": "weather"}


def test_the_compat_switches_say_pydantic_2() -> None:
    from pydantic import BaseModel

    from anthropic import _compat

    class Item(BaseModel):
        name: str
        count: int = 3

    assert _compat.PYDANTIC_V1 is False and _compat.PYDANTIC_V2 is True
    fields = _compat.get_model_fields(Item)
    assert list(fields) == ["name", "count"]
    assert _compat.field_outer_type(fields["count"]) is int
    assert _compat.field_is_required(fields["name"]) and not _compat.field_is_required(fields["count"])
    assert _compat.field_get_default(fields["count"]) == 3 and _compat.field_get_default(fields["name"]) is None
    item = _compat.model_parse(Item, {"name": "a"})
    assert _compat.model_dump(item) == {"name": "a", "count": 3}
    assert _compat.model_json(item) == '{"name":"a","count":3}'
    assert _compat.model_parse_json(Item, b'{"name": "b"}') == Item(name="b")
    copy = _compat.model_copy(item)
    assert copy == item and copy is not item


def test_the_utils_helpers_answer_as_their_names_say() -> None:
    from collections.abc import Sequence
    from typing import Annotated, List, Optional, Union

    from anthropic import NOT_GIVEN, omit
    from anthropic._utils import (
        extract_type_arg,
        is_annotated_type,
        is_dict,
        is_given,
        is_list,
        is_list_type,
        is_mapping,
        is_sequence,
        is_sequence_type,
        is_type_alias_type,
        is_union_type,
    )
    from anthropic._utils._utils import is_list as is_list_again

    assert is_given(0) and is_given(None) and not is_given(NOT_GIVEN) and not is_given(omit)
    assert is_dict({}) and not is_dict([]) and is_mapping({}) and not is_mapping([])
    assert is_list([]) and not is_list(()) and is_list_again is is_list
    assert is_sequence(()) and not is_sequence({})
    assert is_list_type(List[int]) and is_list_type(list) and not is_list_type(Sequence[int])
    assert is_sequence_type(Sequence[int]) and not is_sequence_type(list[int])
    assert is_union_type(Union[int, str]) and is_union_type(int | None) and is_union_type(Optional[int])
    assert not is_union_type(int)
    assert is_annotated_type(Annotated[int, "x"]) and not is_annotated_type(int)
    assert extract_type_arg(Annotated[int, "x"], 0) is int
    with pytest.raises(TypeError, match="has no type argument at index 1"):
        extract_type_arg(List[int], 1)
    assert not is_type_alias_type(int)


def test_signatures_in_sync_names_each_missing_or_different_parameter() -> None:
    from anthropic._utils import assert_signatures_in_sync

    def source(a: int, b: str, *, c: float = 1.0, stream: bool = False) -> None: ...

    def same(a: int, b: str, *, c: float = 1.0) -> None: ...

    def other(a: int, b: bytes) -> None: ...

    assert_signatures_in_sync(source, same, exclude_params={"stream"})
    with pytest.raises(AssertionError) as info:
        assert_signatures_in_sync(source, other)
    text = str(info.value)
    assert text.startswith("3 errors")
    assert "the `c` param is missing" in text and "the `stream` param is missing" in text
    assert "types for the `b` param do not match" in text


def test_the_stream_methods_take_the_parameters_of_create() -> None:
    from anthropic._utils import assert_signatures_in_sync

    for client in (anthropic.Anthropic(api_key="k"), anthropic.AsyncAnthropic(api_key="k")):
        assert_signatures_in_sync(client.messages.create, client.messages.stream, exclude_params={"stream"})
        assert_signatures_in_sync(client.beta.messages.create, client.beta.messages.stream, exclude_params={"stream"})


def test_import_anthropic_loads_none_of_the_compat_helpers() -> None:
    import subprocess
    import sys

    code = (
        "import sys, anthropic; anthropic.Anthropic(api_key='k'); "
        "print(sorted(m for m in sys.modules if m.startswith(('anthropic._compat', 'anthropic._utils', "
        "'anthropic.lib.streaming._beta_messages'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- the headers that describe the client ----------------------------------------------------------


def _expected_platform_headers() -> dict[str, str]:
    """What the official client sends from this machine, worked out with the ``platform`` module."""
    import platform
    import sys

    system, machine = platform.system().lower(), platform.machine().lower()
    os_name = {"linux": "Linux", "darwin": "MacOS", "windows": "Windows", "freebsd": "FreeBSD"}.get(
        system, f"Other:{system}"
    )
    arch = {"x86_64": "x64", "aarch64": "arm64", "arm64": "arm64", "arm": "arm"}.get(
        machine, "x32" if sys.maxsize <= 2**32 else f"other:{machine}"
    )
    return {
        "x-stainless-lang": "python",
        "x-stainless-package-version": anthropic.__version__,
        "x-stainless-os": os_name,
        "x-stainless-arch": arch,
        "x-stainless-runtime": platform.python_implementation(),
        "x-stainless-runtime-version": platform.python_version(),
    }


async def test_every_request_says_which_client_sent_it(mode: str, emu: Emulator) -> None:
    expected = _expected_platform_headers()
    counted = {k: v for k, v in params().items() if k != "max_tokens"}
    async with client_for(mode, emu) as client:
        await call(client.messages.create, **params())
        response = await call(client.messages.with_raw_response.count_tokens, **counted)
        async with entered(client.messages.stream(**params())) as stream:
            await call(stream.until_done)
    assert len(emu.requests) == 3
    for request in emu.requests:
        assert {k: request.headers.get(k) for k in expected} == expected
    sent = response.http_request.headers
    assert sent.get("X-Stainless-Lang") == "python"
    assert sent.get("X-Stainless-Package-Version") == anthropic.__version__


# --- pages are response models --------------------------------------------------------------------


async def test_a_page_is_a_response_model_of_its_item_type(mode: str, emu: Emulator) -> None:
    import pydantic

    from anthropic.pagination import AsyncPage, SyncPage
    from anthropic.types import ModelInfo
    from anthropic.types.messages import MessageBatch

    page_type = SyncPage if mode == "sync" else AsyncPage
    async with client_for(mode, emu) as client:
        page = await call(client.models.list, limit=2)
        raw = await call(client.models.with_raw_response.list, limit=2)
        sent = raw.http_response.json()
        await call(client.messages.batches.create, requests=[{"custom_id": "a", "params": params()}])
        batches = await call(client.messages.batches.list)
        walked = [m.id for m in await drain(client.models.list(limit=2))]
    assert isinstance(page, pydantic.BaseModel)
    assert isinstance(page, page_type[ModelInfo]) and isinstance(page, page_type)
    assert isinstance(batches, page_type[MessageBatch])
    assert page.has_more is True and len(page.data) == 2
    dumped = page.model_dump(mode="json")
    assert list(dumped) == ["data", "has_more", "first_id", "last_id"]
    assert dumped["data"] == [m.model_dump(mode="json") for m in page.data]
    assert page.to_dict() == sent
    assert json.loads(page.to_json()) == sent
    assert len(walked) > 2 and walked[:2] == [m.id for m in page.data]
    assert repr(page).startswith(f"{page_type.__name__}[ModelInfo](data=[2 item(s)], has_more=True")


# --- copies of platform clients ------------------------------------------------------------------


async def test_a_platform_client_copy_takes_its_own_arguments(mode: str, emu: Emulator) -> None:
    cls = anthropic.AnthropicVertex if mode == "sync" else anthropic.AsyncAnthropicVertex
    client = cls(
        region="us-east5",
        project_id="p1",
        access_token="tok",
        base_url=emu.base_url + "/v1",
        default_headers={"X-Team": "blue"},
        max_retries=0,
    )
    moved = client.copy(region="europe-west1", project_id="p2")
    kept = client.with_options(region=None, max_retries=1)
    assert (moved.region, moved.project_id, client.region, client.project_id) == ("europe-west1", "p2", "us-east5", "p1")
    assert (kept.region, kept.project_id, kept.max_retries) == ("us-east5", "p1", 1)
    assert moved.default_headers["X-Team"] == "blue"  # the case you gave is kept
    assert moved.http_pool() is client.http_pool()
    async with entered(client):
        await call(moved.messages.create, **params())
        await call(client.messages.create, **params())
    first, second = emu.requests
    assert first.path.startswith("/v1/projects/p2/locations/europe-west1/publishers/anthropic/models/")
    assert second.path.startswith("/v1/projects/p1/locations/us-east5/publishers/anthropic/models/")
    assert first.headers["x-team"] == "blue" and first.headers["authorization"] == "Bearer tok"


def test_a_bedrock_copy_takes_the_aws_arguments_and_a_first_party_copy_refuses_them() -> None:
    client = anthropic.AnthropicBedrock(aws_access_key="a", aws_secret_key="b", aws_region="us-east-1")
    moved = client.copy(aws_region="eu-west-3")
    assert (moved.aws_region, client.aws_region) == ("eu-west-3", "us-east-1")
    assert str(moved.base_url).startswith("https://bedrock-runtime.eu-west-3.amazonaws.com")
    with pytest.raises(TypeError, match="aws_region"):
        anthropic.Anthropic(api_key="k").with_options(aws_region="eu-west-3")  # type: ignore[call-arg]


def test_the_vertex_auth_helpers_at_the_official_path(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("google.auth.transport.requests")
    import sys

    import google.auth

    from anthropic.lib._extras._common import MissingDependencyError
    from anthropic.lib._platform import MissingDependencyError as ours
    from anthropic.lib.vertex._auth import load_auth, refresh_auth

    assert MissingDependencyError is ours and issubclass(MissingDependencyError, ImportError)

    class Credentials:
        token: str | None = None
        refreshed_with: object = None

        def refresh(self, request: object) -> None:
            self.refreshed_with = request
            self.token = "fresh"

    creds = Credentials()
    refresh_auth(creds)
    assert creds.token == "fresh" and type(creds.refreshed_with).__name__ == "Request"

    monkeypatch.setattr(google.auth, "default", lambda scopes: (creds, "adc-project"))
    assert load_auth(project_id=None) == (creds, "adc-project")
    assert load_auth(project_id="mine") == (creds, "mine")
    monkeypatch.setattr(google.auth, "default", lambda scopes: (creds, None))
    with pytest.raises(ValueError, match="Could not resolve project_id"):
        load_auth(project_id=None)

    monkeypatch.setitem(sys.modules, "google.auth.transport.requests", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'anthropic\[vertex\]'"):
        refresh_auth(Credentials())


async def test_a_copy_adds_its_helper_names_to_the_parents(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu, default_headers={"x-stainless-helper": "parent, shared"}) as client:
        child = client.copy(default_headers={"X-Stainless-Helper": "shared, child", "x-other": "1"})
        assert child.default_headers["X-Stainless-Helper"] == "parent, shared, child"
        assert client.default_headers["x-stainless-helper"] == "parent, shared"
        replaced = child.copy(set_default_headers={"x-stainless-helper": "only"})
        await call(child.messages.create, **params())
        await call(replaced.messages.create, **params())
    assert emu.requests[0].headers["x-stainless-helper"] == "parent, shared, child"
    assert emu.requests[0].headers["x-other"] == "1"
    assert emu.requests[1].headers["x-stainless-helper"] == "only"


# --- the reply's ids on what a call returns --------------------------------------------------------


async def test_what_a_call_returns_carries_the_request_and_workspace_ids(mode: str, emu: Emulator) -> None:
    body = {
        "id": "msg_01ParityIds",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "hi"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 1},
    }
    emu.enqueue(Reply.json(body, headers={"anthropic-workspace-id": WORKSPACE_ID, "request-id": REQUEST_ID}))
    counted = {k: v for k, v in params().items() if k != "max_tokens"}
    async with client_for(mode, emu) as client:
        message = await call(client.messages.create, **params())
        parsed = await call(client.messages.parse, **params())
        count = await call(client.messages.count_tokens, **counted)
        batch = await call(client.messages.batches.create, requests=[{"custom_id": "a", "params": params()}])
        page = await call(client.models.list)
        raw = await call(client.messages.with_raw_response.create, **params())
        from_raw = await call(raw.parse)
        async with entered(client.messages.stream(**params())) as stream:
            streamed = await call(stream.get_final_message)
    ids = [r.request_id for r in emu.requests]
    results = [message, parsed, count, batch, page, from_raw]
    assert [r._request_id for r in results] == [REQUEST_ID, ids[1], ids[2], ids[3], ids[4], ids[5]]
    assert all(isinstance(i, str) and i for i in ids)
    assert message._workspace_id == WORKSPACE_ID and parsed._workspace_id is None
    # as in the official client: only the top-level object of a non-streamed call has them
    for nested in (message.content[0], message.usage, streamed):
        with pytest.raises(AttributeError):
            nested._request_id  # noqa: B018
    assert "_request_id" not in message.model_dump() and "_request_id" not in message.model_dump_json()
    assert "_request_id" not in repr(message)
