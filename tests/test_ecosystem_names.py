"""Names frameworks import from ``anthropic`` beyond the Messages surface manifest, and their behaviour.

* ``anthropic.resources.Messages`` (and the Models/Beta resources with their
  ``*WithRawResponse`` / ``*WithStreamingResponse`` views): analytics wrappers
  (PostHog's) subclass the resource, build it from a client and call
  ``super().create``;
* ``anthropic.lib.streaming._messages.accumulate_event``: tracing wrappers
  (LangSmith's) fold the raw events of ``create(stream=True)`` into the final
  message with it.

Over the emulator's loopback socket where a call is made; the fold itself is
a pure function and is also checked on hand-made events.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from typing import Any

import pytest
from pydantic import BaseModel

import anthropic
from _helpers import call, client_for, drain, entered, params
from anthropic import Anthropic, AsyncAnthropic
from anthropic.emulator import Emulator
from anthropic.lib.streaming._messages import accumulate_event

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
RESOURCE_NAMES = [
    f"{colour}{family}{suffix}"
    for colour in ("", "Async")
    for family in ("Messages", "Models", "Beta")
    for suffix in ("", "WithRawResponse", "WithStreamingResponse")
]


# -- anthropic.resources ------------------------------------------------------------


@pytest.mark.parametrize("name", RESOURCE_NAMES)
def test_resources_package_names_the_messages_family(name: str) -> None:
    import anthropic.resources as resources

    value = getattr(resources, name)
    assert isinstance(value, type) and value.__name__ == name
    assert name in resources.__all__ and name in dir(resources)
    module = {"Messages": "messages.messages", "Models": "models", "Beta": "beta.beta"}[
        next(f for f in ("Messages", "Models", "Beta") if f in name)
    ]
    assert getattr(importlib.import_module(f"anthropic.resources.{module}"), name) is value


def test_resources_submodules_stay_modules_and_unknown_names_are_attribute_errors() -> None:
    import anthropic.resources as resources

    assert inspect.ismodule(resources.messages) and inspect.ismodule(resources.models)
    assert resources.Messages is resources.messages.Messages
    with pytest.raises(
        AttributeError, match=re.escape("module 'anthropic.resources' has no attribute 'Skills'")
    ):
        _ = resources.Skills


def test_resource_names_load_only_when_touched() -> None:
    # A client, and the stream classes its first stream loads: neither brings the names in.
    code = (
        "import sys, anthropic; anthropic.Anthropic(api_key='k'); import anthropic.lib.streaming._messages;"
        "print('anthropic.resources._views' in sys.modules, 'anthropic.lib.streaming._accumulate_event' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


async def test_a_subclass_built_from_the_client_wraps_create_and_calls_super(
    mode: str, emu: Emulator
) -> None:
    base = anthropic.resources.Messages if mode == "sync" else anthropic.resources.AsyncMessages
    seen: list[tuple[str, Any]] = []

    class Tracked(base):  # type: ignore[misc,valid-type]
        def create(
            self, tag: str = "", **kwargs: Any
        ) -> Any:  # both colours: the coroutine is passed through
            seen.append((tag, kwargs.get("stream", False)))
            return super().create(**kwargs)

    async with client_for(mode, emu) as client:
        client.messages = Tracked(client)
        assert client.messages._client is client
        assert list(inspect.signature(client.messages.create).parameters) == ["tag", "kwargs"]

        message = await call(
            client.messages.create,
            tag="plain",
            **params(messages=[{"role": "user", "content": "Say exactly: hi"}]),
        )
        assert message.content[0].text == "hi"

        stream = await call(client.messages.create, tag="streamed", stream=True, **params())
        events = await drain(stream)
        assert events[0].type == "message_start" and events[-1].type == "message_stop"

        # Building the plain resource from the client again (what a wrapper's stream() does) is not wrapped.
        async with entered(
            base(client).stream(**params(messages=[{"role": "user", "content": "Count to 3"}]))
        ) as s:
            assert await call(s.get_final_text) == "1, 2, 3."
    assert seen == [("plain", False), ("streamed", True)]
    assert [r.path for r in emu.requests] == ["/v1/messages"] * 3


@pytest.mark.parametrize(
    ("resource", "given", "expected"),
    [
        (
            "Messages",
            "async",
            "Messages(client) takes an Anthropic client (or a platform client of that colour), "
            "got anthropic._async.client.AsyncAnthropic",
        ),
        ("AsyncMessages", "sync", "AsyncMessages(client) takes an AsyncAnthropic client"),
        (
            "Models",
            "object",
            "Models(client) takes an Anthropic client (or a platform client of that colour), "
            "got builtins.object",
        ),
        ("AsyncBeta", "object", "AsyncBeta(client) takes an AsyncAnthropic client"),
    ],
)
def test_a_resource_built_from_the_wrong_client_is_a_type_error(
    resource: str, given: str, expected: str
) -> None:
    client: Any = {"sync": Anthropic, "async": AsyncAnthropic}.get(given, lambda **_: object())(api_key="k")
    with pytest.raises(TypeError) as info:
        getattr(anthropic.resources, resource)(client)
    assert str(info.value).startswith(expected)


async def test_raw_and_streaming_views_built_by_hand_answer_as_the_properties(
    mode: str, emu: Emulator
) -> None:
    prefix = "" if mode == "sync" else "Async"
    r = anthropic.resources
    async with client_for(mode, emu) as client:
        raw = await call(getattr(r, f"{prefix}MessagesWithRawResponse")(client.messages).create, **params())
        assert raw.http_response.status_code == 200
        assert (await call(raw.parse)).type == "message"

        counted = await call(
            getattr(r, f"{prefix}MessagesWithRawResponse")(client.messages).count_tokens,
            model=params()["model"],
            messages=params()["messages"],
        )
        assert (await call(counted.parse)).input_tokens > 0

        view = getattr(r, f"{prefix}BetaWithStreamingResponse")(client.beta)
        async with entered(view.messages.create(**params())) as response:
            assert response.http_response.status_code == 200
            assert (await call(response.parse)).type == "message"

        models = getattr(r, f"{prefix}ModelsWithRawResponse")(client.models)
        listed = await call(models.list)
        assert listed.http_response.status_code == 200

    with pytest.raises(
        TypeError, match=r"^MessagesWithRawResponse\(resource\) takes an API resource, got int$"
    ):
        r.MessagesWithRawResponse(3)


# -- accumulate_event over a real stream -------------------------------------------------


async def _raw_events(client: Any, *, beta: bool = False, **overrides: Any) -> list[Any]:
    resource = client.beta.messages if beta else client.messages
    return await drain(await call(resource.create, stream=True, **params(**overrides)))


def _fold(events: list[Any], **kwargs: Any) -> Any:
    snapshot = None
    for event in events:
        returned = accumulate_event(event=event, current_snapshot=snapshot, **kwargs)
        assert snapshot is None or returned is snapshot  # updated in place
        snapshot = returned
    return snapshot


@pytest.mark.parametrize("as_dicts", [False, True], ids=["models", "dicts"])
@pytest.mark.parametrize("prompt", ["Count to 5", "What's the weather in Paris?"])
async def test_folding_the_raw_events_gives_the_streams_final_message(
    mode: str, emu: Emulator, prompt: str, as_dicts: bool
) -> None:
    request = {"messages": [{"role": "user", "content": prompt}], "tools": [WEATHER_TOOL]}
    async with client_for(mode, emu) as client:
        events = await _raw_events(client, **request)
        async with entered(client.messages.stream(**params(**request))) as stream:
            final = await call(stream.get_final_message)
    if as_dicts:
        events = [e.model_dump() for e in events]
    snapshot = _fold(events)
    assert type(snapshot) is anthropic.types.ParsedMessage
    expected = final.model_dump(exclude={"id"})
    assert snapshot.model_dump(exclude={"id"}) == expected
    assert snapshot.stop_reason == ("tool_use" if "weather" in prompt else "end_turn")
    if "weather" in prompt:
        assert snapshot.content[-1].input == {"city": "Paris"}


async def test_folding_beta_events_gives_a_beta_message_and_json_bufs_hold_the_input(
    mode: str, emu: Emulator
) -> None:
    request = {
        "messages": [{"role": "user", "content": "What's the weather in Paris?"}],
        "tools": [WEATHER_TOOL],
    }
    async with client_for(mode, emu) as client:
        events = await _raw_events(client, beta=True, **request)
    bufs: dict[int, bytes] = {}
    snapshot = _fold(events, json_bufs=bufs)
    assert type(snapshot).__name__ == "ParsedBetaMessage"
    tool = snapshot.content[-1]
    assert tool.type == "tool_use" and tool.input == {"city": "Paris"}
    assert list(bufs) == [tool_index(snapshot)]
    assert json.loads(bufs[tool_index(snapshot)]) == {"city": "Paris"}
    # Without json_bufs the buffer lives on the block, outside its fields.
    again = _fold(events)
    assert again.model_dump() == snapshot.model_dump()
    assert "_accumulated_input_json" not in again.content[-1].model_dump()


def tool_index(message: Any) -> int:
    return next(i for i, b in enumerate(message.content) if b.type == "tool_use")


def test_the_fold_is_read_by_langsmith_style_callers_through_runtime_error() -> None:
    """A caller that folds whatever it recorded catches ``RuntimeError`` for an order it cannot fold."""
    with pytest.raises(RuntimeError) as info:
        accumulate_event(
            event={"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}},
            current_snapshot=None,
        )
    assert str(info.value) == (
        "accumulate_event: a 'content_block_delta' event arrived before message_start; "
        "a snapshot starts from the message_start event (current_snapshot=None)"
    )


# -- accumulate_event on hand-made events ------------------------------------------------

START = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 5, "output_tokens": 1},
    },
}


def _block_start(index: int, block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def _delta(index: int, **delta: Any) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": delta}


def test_each_event_type_updates_the_snapshot_as_the_official_function_does() -> None:
    snapshot = _fold(
        [
            START,
            {"type": "ping"},
            _block_start(0, {"type": "thinking", "thinking": "", "signature": ""}),
            _delta(0, type="thinking_delta", thinking="hm"),
            _delta(0, type="signature_delta", signature="sig"),
            _delta(0, type="text_delta", text="ignored: not a text block"),
            {"type": "content_block_stop", "index": 0},
            _block_start(1, {"type": "text", "text": ""}),
            _delta(1, type="text_delta", text="Hel"),
            _delta(1, type="text_delta", text="lo"),
            _delta(
                1,
                type="citations_delta",
                citation={
                    "type": "char_location",
                    "cited_text": "x",
                    "document_index": 0,
                    "document_title": None,
                    "start_char_index": 0,
                    "end_char_index": 1,
                    "file_id": None,
                },
            ),
            {"type": "content_block_stop", "index": 1},
            {"type": "some_future_event", "x": 1},
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 9, "input_tokens": None, "cache_read_input_tokens": 4},
            },
            {"type": "message_stop"},
        ]
    )
    assert [b.type for b in snapshot.content] == ["thinking", "text"]
    assert (snapshot.content[0].thinking, snapshot.content[0].signature) == ("hm", "sig")
    assert snapshot.content[1].text == "Hello"
    assert snapshot.content[1].citations[0].cited_text == "x"
    assert (
        type(snapshot.content[1]).__name__ == "ParsedTextBlock" and snapshot.content[1].parsed_output is None
    )
    assert snapshot.stop_reason == "end_turn"
    assert (
        snapshot.usage.input_tokens,
        snapshot.usage.output_tokens,
        snapshot.usage.cache_read_input_tokens,
    ) == (5, 9, 4)


def test_tool_input_is_the_partial_parse_so_far() -> None:
    snapshot = _fold(
        [
            START,
            _block_start(0, {"type": "tool_use", "id": "t", "name": "f", "input": {}}),
            _delta(0, type="input_json_delta", partial_json='{"city": "Pa'),
        ]
    )
    assert (
        snapshot.content[0].input == {}
    )  # an unfinished string is left out, as from_json's partial mode does
    accumulate_event(
        event=_delta(0, type="input_json_delta", partial_json='ris", "n": 1'), current_snapshot=snapshot
    )
    assert snapshot.content[0].input == {"city": "Paris", "n": 1}


def test_output_format_parses_a_text_block_at_its_stop() -> None:
    class City(BaseModel):
        name: str

    events = [
        START,
        _block_start(0, {"type": "text", "text": ""}),
        _delta(0, type="text_delta", text='{"name": "Paris"}'),
        {"type": "content_block_stop", "index": 0},
    ]
    assert _fold(events, output_format=City).content[0].parsed_output == City(name="Paris")

    events[2] = _delta(0, type="text_delta", text='{"nam')
    with pytest.raises(anthropic.StructuredOutputError, match="does not validate as City"):
        _fold(events, output_format=City)


@pytest.mark.parametrize(
    ("events", "error", "message"),
    [
        ([{"type": "ping"}], RuntimeError, "a 'ping' event arrived before message_start"),
        (
            [START, START],
            RuntimeError,
            "a second message_start arrived for a snapshot that already has one (message 'msg_1')",
        ),
        (
            [START, _delta(3, type="text_delta", text="x")],
            IndexError,
            "a content_block_delta event for content block 3, but the snapshot has 0 block(s)",
        ),
        (
            [START, {"type": "content_block_stop", "index": 0}],
            IndexError,
            "a content_block_stop event for content block 0, but the snapshot has 0 block(s)",
        ),
        (
            [
                START,
                _block_start(0, {"type": "tool_use", "id": "t", "name": "lookup", "input": {}}),
                _delta(0, type="input_json_delta", partial_json='{"a": ]'),
            ],
            ValueError,
            "the input JSON of content block 0 (lookup) is not valid JSON (expected value at line 1 column 7): "
            "'{\"a\": ]'",
        ),
        (
            [42],
            TypeError,
            "accumulate_event(event=...) takes a raw stream event (a RawMessageStreamEvent or its decoded dict), "
            "got builtins.int",
        ),
        ([{"type": "message_start"}], TypeError, "the message_start event carries no message object"),
    ],
    ids=[
        "before-start",
        "second-start",
        "delta-index",
        "stop-index",
        "bad-json",
        "not-an-event",
        "no-message",
    ],
)
def test_what_cannot_be_folded_is_a_typed_error_naming_it(
    events: list[Any], error: type, message: str
) -> None:
    with pytest.raises(error) as info:
        _fold(events)
    assert type(info.value) is error
    assert message in str(info.value)


def test_the_signature_takes_the_official_keywords_and_json_bufs_may_be_left_out() -> None:
    sig = inspect.signature(accumulate_event)
    assert list(sig.parameters) == ["event", "current_snapshot", "json_bufs", "output_format"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in sig.parameters.values())
    assert sig.parameters["json_bufs"].default is None
    assert (
        accumulate_event
        is importlib.import_module("anthropic.lib.streaming._accumulate_event").accumulate_event
    )


# -- the request seam: AsyncAPIClient.request ----------------------------------------------


def _api_client_class(mode: str) -> type[Any]:
    import anthropic._base_client as base

    return base.SyncAPIClient if mode == "sync" else base.AsyncAPIClient


def test_the_clients_share_the_request_seam_found_where_wrappers_import_it() -> None:
    from anthropic._base_client import AsyncAPIClient, SyncAPIClient, _AsyncStreamT  # noqa: F401
    from anthropic._constants import RAW_RESPONSE_HEADER
    from anthropic._models import FinalRequestOptions
    from anthropic._types import ResponseT  # noqa: F401

    assert issubclass(AsyncAnthropic, AsyncAPIClient) and issubclass(Anthropic, SyncAPIClient)
    assert issubclass(anthropic.AsyncAnthropicBedrock, AsyncAPIClient)
    assert RAW_RESPONSE_HEADER == "X-Stainless-Raw-Response"
    assert list(inspect.signature(AsyncAPIClient.request).parameters) == [
        "self",
        "cast_to",
        "options",
        "stream",
        "stream_cls",
    ]
    options = FinalRequestOptions(method="post", url="/v1/messages", json_data={"model": "m"})
    assert options.model_copy(update={"url": "/x"}).url == "/x" and options.url == "/v1/messages"
    with pytest.raises(TypeError, match=r"^FinalRequestOptions has no field 'jsn'$"):
        options.model_copy(update={"jsn": {}})


def _patch_request(monkeypatch: pytest.MonkeyPatch, mode: str, seen: list[Any], answer: Any = None) -> None:
    """Wrap ``request`` as a bridge does: record each call; answer it when ``answer`` says so, else delegate."""
    cls = _api_client_class(mode)
    original = cls.request

    def decide(self: Any, cast_to: Any, options: Any, stream: bool) -> Any:
        seen.append(
            (
                cast_to.__name__,
                options.url,
                dict(options.json_data or {}),
                options.extra_json,
                stream,
                dict(options.headers),
            )
        )
        return answer(self, cast_to, options, stream) if answer is not None else None

    if mode == "sync":

        def patched(
            self: Any, cast_to: Any, options: Any, *, stream: bool = False, stream_cls: Any = None
        ) -> Any:
            result = decide(self, cast_to, options, stream)
            return (
                result
                if result is not None
                else original(self, cast_to, options, stream=stream, stream_cls=stream_cls)
            )
    else:

        async def patched(  # type: ignore[misc]
            self: Any, cast_to: Any, options: Any, *, stream: bool = False, stream_cls: Any = None
        ) -> Any:
            result = await call(decide, self, cast_to, options, stream)
            if result is not None:
                return result
            return await original(self, cast_to, options, stream=stream, stream_cls=stream_cls)

    monkeypatch.setattr(cls, "request", patched)


async def test_every_messages_call_goes_through_request_and_delegating_changes_nothing(
    mode: str, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    _patch_request(monkeypatch, mode, seen)
    async with client_for(mode, emu) as client:
        message = await call(
            client.messages.create,
            extra_body={"metadata": {"user_id": "u"}},
            **params(messages=[{"role": "user", "content": "Say exactly: seam"}]),
        )
        assert message.content[0].text == "seam"
        events = await drain(await call(client.messages.create, stream=True, **params()))
        assert events[-1].type == "message_stop"
        async with entered(
            client.messages.stream(**params(messages=[{"role": "user", "content": "Count to 2"}]))
        ) as s:
            assert await call(s.get_final_text) == "1, 2."
        beta = await call(client.beta.messages.create, betas=["x-beta"], **params())
        assert type(beta).__name__ == "BetaMessage"
        counted = await call(
            client.messages.count_tokens, model=params()["model"], messages=params()["messages"]
        )
        assert counted.input_tokens > 0
        raw = await call(client.messages.with_raw_response.create, **params())
        assert (await call(raw.parse)).type == "message"
    assert [(c, u, s) for c, u, _, _, s, _ in seen] == [
        ("Message", "/v1/messages", False),
        ("Message", "/v1/messages", True),
        ("Message", "/v1/messages", True),
        ("BetaMessage", "/v1/messages", False),
        ("MessageTokensCount", "/v1/messages/count_tokens", False),
        ("Message", "/v1/messages", False),
    ]
    first = seen[0]
    assert first[2]["model"] == params()["model"] and first[3] == {"metadata": {"user_id": "u"}}
    assert seen[2][2]["stream"] is True  # stream() sends stream=true in the body
    assert seen[3][5]["anthropic-beta"] == "x-beta"
    assert seen[5][5] == {"X-Stainless-Raw-Response": "raw"}
    # The reply-shape header is for the client only: it never reaches the wire.
    assert len(emu.requests) == 6
    assert all("x-stainless-raw-response" not in {k.lower() for k in r.headers} for r in emu.requests)
    assert emu.requests[0].json["metadata"] == {"user_id": "u"}


async def test_a_patched_request_answers_without_io_and_builds_the_raw_reply_with_process_response(
    mode: str, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Inspect's agent bridge does for a model it serves itself."""
    from anthropic._constants import RAW_RESPONSE_HEADER

    answered = {
        "id": "msg_bridge",
        "type": "message",
        "role": "assistant",
        "model": "inspect",
        "content": [{"type": "text", "text": "from the bridge"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 3},
    }

    async def answer(self: Any, cast_to: Any, options: Any, stream: bool) -> Any:
        if options.json_data.get("model") != "inspect":
            return None
        prepared = await call(self._copy_and_prepare, options)
        assert prepared.json_data["extra_field"] == 1 and prepared.extra_json is None
        assert options.extra_json == {"extra_field": 1}  # the original is left as it was
        result = cast_to.model_validate(answered)
        if RAW_RESPONSE_HEADER not in (options.headers or {}):
            return result
        import httpx2

        response = httpx2.Response(200, json=answered, request=self._build_request(prepared))
        return await call(
            self._process_response,
            cast_to=cast_to,
            options=prepared,
            response=response,
            stream=stream,
            stream_cls=None,
        )

    if mode == "sync":
        # With the sync client nothing in ``answer`` suspends: drive the coroutine to its end in place.
        def sync_answer(self: Any, cast_to: Any, options: Any, stream: bool) -> Any:
            coroutine = answer(self, cast_to, options, stream)
            try:
                coroutine.send(None)
            except StopIteration as done:
                return done.value
            raise AssertionError("the sync answer suspended")

        _patch_request(monkeypatch, mode, [], sync_answer)
    else:
        _patch_request(monkeypatch, mode, [], answer)

    async with client_for(mode, emu) as client:
        message = await call(client.messages.create, extra_body={"extra_field": 1}, **params(model="inspect"))
        assert (type(message).__name__, message.content[0].text) == ("Message", "from the bridge")
        raw = await call(
            client.messages.with_raw_response.create, extra_body={"extra_field": 1}, **params(model="inspect")
        )
        assert raw.http_response.request.url == f"{emu.base_url}/v1/messages"
        assert raw.http_response.request.headers["x-api-key"]
        parsed = await call(raw.parse)
        assert (type(parsed).__name__, parsed.content[0].text) == ("Message", "from the bridge")
        beta = await call(
            client.beta.messages.create, extra_body={"extra_field": 1}, **params(model="inspect")
        )
        assert type(beta).__name__ == "BetaMessage"
        assert emu.requests == []
        delegated = await call(
            client.messages.create, **params(messages=[{"role": "user", "content": "Say exactly: real"}])
        )
        assert delegated.content[0].text == "real" and len(emu.requests) == 1


async def test_request_called_directly_builds_cast_to_and_refuses_a_stream_it_cannot_build(
    mode: str, emu: Emulator
) -> None:
    from anthropic._models import FinalRequestOptions

    async with client_for(mode, emu) as client:
        options = FinalRequestOptions(
            method="post",
            url="/v1/messages",
            json_data=params(messages=[{"role": "user", "content": "Say exactly: direct"}]),
        )
        message = await call(client.request, anthropic.types.Message, options)
        assert type(message) is anthropic.types.Message and message.content[0].text == "direct"
        with pytest.raises(TypeError) as info:
            await call(
                client.request,
                anthropic.types.Message,
                FinalRequestOptions(method="post", url="/v1/messages", json_data=params(stream=True)),
                stream=True,
            )
        assert str(info.value) == (
            f"{type(client).__name__}.request(stream=True) builds streams only for the calls of this package's "
            "resources (client.messages.create(stream=True), client.messages.stream(...))"
        )
