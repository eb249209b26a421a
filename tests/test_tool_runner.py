"""``@beta_tool`` / ``@beta_async_tool`` and ``client.beta.messages.tool_runner(...)``, sync and async.

The tools are checked as objects (their definition, input validation); the
runner over loopback HTTP against the emulator, whose request record shows
what the runner sent: the history, each ``tool_result`` and its ``is_error``.
Each runner test is one body for both colours (the ``mode`` fixture; the tools
are made with the decorator of that colour).  The last test runs the same
scenarios with the official client 2.15.0 (``ANTHROPIC_OFFICIAL_PYTHON``) and
compares the request bodies the emulator received.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import textwrap
from collections.abc import Callable
from typing import Any

import pydantic
import pytest

from _helpers import call, client_for, drain, make_client
from anthropic import AnthropicError, BadRequestError, beta_async_tool, beta_tool
from anthropic.emulator import Emulator, Fault, Reply
from anthropic.lib.tools import (
    BetaAsyncFunctionTool,
    BetaAsyncStreamingToolRunner,
    BetaAsyncToolRunner,
    BetaFunctionTool,
    BetaStreamingToolRunner,
    BetaToolRunner,
    ToolError,
)

MODEL = "claude-sonnet-4-5-20250929"
WEATHER_PROMPT = [{"role": "user", "content": "What is the weather in Paris?"}]


def tool_of(mode: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """``fn`` as a tool of the runner's colour: ``@beta_tool``, or ``@beta_async_tool`` over a coroutine."""
    if mode == "sync":
        return beta_tool(fn, **kwargs)

    @functools.wraps(fn)
    async def run(*args: Any, **kw: Any) -> Any:
        return fn(*args, **kw)

    return beta_async_tool(run, **kwargs)


def tool_use(id: str, name: str, input: dict[str, Any], text: str | None = None) -> Reply:
    content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    content.append({"type": "tool_use", "id": id, "name": name, "input": input})
    return Reply.message(content=content, stop_reason="tool_use")


def bodies(emu: Emulator) -> list[dict[str, Any]]:
    return [r.json for r in emu.requests if r.path == "/v1/messages"]


def last_turn(body: dict[str, Any]) -> list[dict[str, Any]]:
    turn = body["messages"][-1]
    assert turn["role"] == "user"
    return list(turn["content"])


# --- the tools ------------------------------------------------------------------------------------


def get_weather(city: str, unit: str = "celsius") -> str:
    """Get the current weather in a city.

    Reads the latest observation.

    Args:
        city: The city, e.g. Paris.
        unit: celsius or fahrenheit.
    """
    return f"18 degrees {unit} in {city}"


def test_a_bare_decorator_describes_the_function() -> None:
    tool = beta_tool(get_weather)
    assert isinstance(tool, BetaFunctionTool)
    assert tool.name == "get_weather"
    assert tool.to_dict() == {
        "name": "get_weather",
        "description": "Get the current weather in a city.\n\nReads the latest observation.",
        "input_schema": {
            "additionalProperties": False,
            "properties": {
                "city": {"description": "The city, e.g. Paris.", "title": "City", "type": "string"},
                "unit": {
                    "default": "celsius",
                    "description": "celsius or fahrenheit.",
                    "title": "Unit",
                    "type": "string",
                },
            },
            "required": ["city"],
            "type": "object",
        },
    }
    # the properties' keys come sorted, as pydantic gives every other schema
    assert list(tool.input_schema["properties"]["city"]) == ["description", "title", "type"]
    assert tool("Oslo") == "18 degrees celsius in Oslo"  # the plain function


class Query(pydantic.BaseModel):
    q: str


def test_decorator_arguments_replace_what_the_function_says() -> None:
    @beta_tool(name="lookup", description="Look it up.", input_schema=Query, strict=True, defer_loading=False)
    def search(q: str) -> str:
        """Ignored."""
        return q

    assert search.to_dict() == {
        "name": "lookup",
        "description": "Look it up.",
        "input_schema": Query.model_json_schema(),
        "defer_loading": False,
        "strict": True,
    }

    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}

    @beta_tool(input_schema=schema, cache_control={"type": "ephemeral"})
    def count(n: int) -> str:
        return str(n)

    assert count.to_dict() == {
        "name": "count",
        "description": "",
        "input_schema": schema,
        "cache_control": {"type": "ephemeral"},
    }


@pytest.mark.parametrize(
    "doc",
    [
        "Add.\n\n    :param a: the first\n    :param int b: the second\n    :returns: the sum\n    ",
        "Add.\n\n    Parameters\n    ----------\n    a : int\n        the first\n    b : int\n        the second\n    ",
        "Add.\n\n    Args:\n        a (int): the first\n        b: the second\n\n    Returns:\n        int: the sum\n    ",
    ],
    ids=["sphinx", "numpy", "google"],
)
def test_argument_descriptions_come_from_each_docstring_style(doc: str) -> None:
    def add(a: int, b: int) -> str:
        return str(a + b)

    add.__doc__ = doc
    tool = beta_tool(add)
    assert tool.description == "Add."
    props = tool.input_schema["properties"]
    assert (props["a"]["description"], props["b"]["description"]) == ("the first", "the second")


def test_call_validates_the_model_input() -> None:
    tool = beta_tool(get_weather)
    assert tool.call({"city": "Paris"}) == "18 degrees celsius in Paris"
    with pytest.raises(ValueError, match=r"^Invalid arguments for function get_weather: city: Missing required argument$"):
        tool.call({"unit": "kelvin"})
    with pytest.raises(ValueError, match=r"city: Input should be a valid string"):
        tool.call({"city": 3})
    with pytest.raises(TypeError, match=r"^Input must be a dictionary, got list$"):
        tool.call(["Paris"])


@pytest.mark.anyio
async def test_an_async_tool_is_awaited_and_validated() -> None:
    @beta_async_tool
    async def double(n: int) -> str:
        """Double a number."""
        return str(2 * n)

    assert isinstance(double, BetaAsyncFunctionTool)
    assert double.to_dict()["description"] == "Double a number."
    assert await double.call({"n": "21"}) == "42"
    with pytest.raises(ValueError, match=r"^Invalid arguments for function double: n: "):
        await double.call({"n": "many"})


def test_a_tool_of_the_wrong_colour_says_which_decorator_to_use() -> None:
    async def coro(x: int) -> str:
        return ""

    with pytest.raises(RuntimeError, match=r"wraps a coroutine function: define it with @beta_async_tool"):
        beta_tool(coro).call({"x": 1})


def test_a_context_manager_tool_is_refused_clearly() -> None:
    import contextlib

    @contextlib.contextmanager
    def session() -> Any:
        yield lambda: "x"

    with pytest.raises(TypeError, match=r"@beta_tool was applied to a context-manager factory \('session'\)"):
        beta_tool(session)


def test_tool_error_text_names_its_blocks() -> None:
    assert str(ToolError("plain")) == "plain"
    err = ToolError([{"type": "text", "text": "bad"}, {"type": "image", "source": {}}])  # type: ignore[list-item]
    assert str(err) == "bad [image]"


# --- the runner ------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_two_tool_calls_then_a_final_text(emu: Emulator, mode: str) -> None:
    calls: list[str] = []

    def weather(city: str) -> str:
        calls.append(city)
        return f"sunny in {city}"

    emu.enqueue(tool_use("toolu_1", "weather", {"city": "Paris"}, text="Checking."))
    emu.enqueue(tool_use("toolu_2", "weather", {"city": "Oslo"}))
    emu.enqueue(Reply.text("Paris and Oslo are sunny."))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, weather)]
        )
        assert isinstance(runner, BetaToolRunner if mode == "sync" else BetaAsyncToolRunner)
        messages = await drain(runner)
        assert [m.stop_reason for m in messages] == ["tool_use", "tool_use", "end_turn"]
        assert calls == ["Paris", "Oslo"]
        final = await call(runner.until_done)
        assert final is messages[-1] and final.content[0].text == "Paris and Oslo are sunny."

    sent = bodies(emu)
    assert len(sent) == 3
    assert sent[0]["messages"] == WEATHER_PROMPT
    assert sent[0]["tools"][0]["name"] == "weather"
    assert [m["role"] for m in sent[2]["messages"]] == ["user", "assistant", "user", "assistant", "user"]
    assert sent[1]["messages"][1]["content"][1] == {
        "type": "tool_use",
        "id": "toolu_1",
        "name": "weather",
        "input": {"city": "Paris"},
    }
    assert last_turn(sent[1]) == [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny in Paris"}]
    assert last_turn(sent[2]) == [{"type": "tool_result", "tool_use_id": "toolu_2", "content": "sunny in Oslo"}]
    assert emu.pending_replies == 0


@pytest.mark.anyio
async def test_a_tool_that_raises_sends_an_is_error_result(emu: Emulator, mode: str) -> None:
    def weather(city: str) -> str:
        raise LookupError(f"no station in {city}")

    def forecast(city: str) -> str:
        raise ToolError([{"type": "text", "text": "forecast offline"}])

    emu.enqueue(
        Reply.message(
            content=[
                {"type": "tool_use", "id": "toolu_a", "name": "weather", "input": {"city": "Atlantis"}},
                {"type": "tool_use", "id": "toolu_b", "name": "forecast", "input": {"city": "Atlantis"}},
            ],
            stop_reason="tool_use",
        )
    )
    emu.enqueue(Reply.text("Sorry."))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL,
            max_tokens=256,
            messages=WEATHER_PROMPT,
            tools=[tool_of(mode, weather), tool_of(mode, forecast)],
        )
        final = await call(runner.until_done)
        assert final.content[0].text == "Sorry."
    assert last_turn(bodies(emu)[1]) == [
        {
            "type": "tool_result",
            "tool_use_id": "toolu_a",
            "content": "LookupError('no station in Atlantis')",
            "is_error": True,
        },
        {
            "type": "tool_result",
            "tool_use_id": "toolu_b",
            "content": [{"type": "text", "text": "forecast offline"}],
            "is_error": True,
        },
    ]


@pytest.mark.anyio
async def test_bad_model_input_is_an_is_error_result_naming_the_field(emu: Emulator, mode: str) -> None:
    emu.enqueue(tool_use("toolu_1", "get_weather", {"town": "Paris"}))
    emu.enqueue(Reply.text("Retrying is up to me."))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)]
        )
        await call(runner.until_done)
    [result] = last_turn(bodies(emu)[1])
    assert result["is_error"] is True
    assert result["content"] == "ValueError('Invalid arguments for function get_weather: city: Missing required argument; town: Unexpected keyword argument')"


@pytest.mark.anyio
async def test_a_call_to_an_unknown_tool_warns_and_answers_with_an_error(emu: Emulator, mode: str) -> None:
    emu.enqueue(tool_use("toolu_1", "web_lookup", {"q": "x"}))
    emu.enqueue(Reply.text("ok"))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL,
            max_tokens=256,
            messages=WEATHER_PROMPT,
            tools=[tool_of(mode, get_weather), {"name": "web_lookup", "input_schema": {"type": "object"}}],
        )
        with pytest.warns(UserWarning, match=r"Tool 'web_lookup' not found in tool runner\. Available tools: \['get_weather'\]"):
            await call(runner.until_done)
    sent = bodies(emu)
    assert [t["name"] for t in sent[0]["tools"]] == ["get_weather", "web_lookup"]
    assert last_turn(sent[1]) == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "Error: Tool 'web_lookup' not found", "is_error": True}
    ]


@pytest.mark.anyio
async def test_max_iterations_bounds_the_replies(emu: Emulator, mode: str) -> None:
    calls: list[str] = []

    def weather(city: str) -> str:
        calls.append(city)
        return "sunny"

    for i in range(3):
        emu.enqueue(tool_use(f"toolu_{i}", "weather", {"city": f"C{i}"}))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, weather)], max_iterations=2
        )
        messages = await drain(runner)
        assert [m.stop_reason for m in messages] == ["tool_use", "tool_use"]
        last = await call(runner.until_done)
        assert last is messages[-1]
        # the last reply's tools ran (the runner answers every reply it handled), but nothing more was sent
        assert calls == ["C0", "C1"]
        # the answer to the last reply, for a caller who goes on by hand (its tools run again, as in 2.15.0)
        response = await call(runner.generate_tool_call_response)
        assert response["content"][0]["tool_use_id"] == "toolu_1"
    assert len(bodies(emu)) == 2
    assert emu.pending_replies == 1


@pytest.mark.anyio
async def test_the_streaming_runner_yields_each_reply_stream(emu: Emulator, mode: str) -> None:
    emu.enqueue(tool_use("toolu_1", "get_weather", {"city": "Paris"}, text="Let me check."))
    emu.enqueue(Reply.text("It is sunny."))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)], stream=True
        )
        assert isinstance(runner, BetaStreamingToolRunner if mode == "sync" else BetaAsyncStreamingToolRunner)
        seen: list[list[str]] = []
        finals = []
        async for stream in _each(runner):
            events = await drain(stream)
            seen.append([e.type for e in events])
            finals.append(await call(stream.get_final_message))
        first, second = seen
        assert first[0] == "message_start" and first[-1] == "message_stop"
        assert "input_json" in first and "text" in first and "content_block_stop" in first
        assert "input_json" not in second and "text" in second
        assert [m.stop_reason for m in finals] == ["tool_use", "end_turn"]
        assert finals[0].content[1].input == {"city": "Paris"}
        assert (await call(runner.until_done)).content[0].text == "It is sunny."
    assert last_turn(bodies(emu)[1]) == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18 degrees celsius in Paris"}
    ]
    assert all(r.stream for r in emu.requests)


@pytest.mark.anyio
async def test_a_stream_left_unread_is_read_before_the_tools_run(emu: Emulator, mode: str) -> None:
    emu.enqueue(tool_use("toolu_1", "get_weather", {"city": "Paris"}))
    emu.enqueue(Reply.text("done"))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)], stream=True
        )
        first = await _next(runner)
        response = await call(runner.generate_tool_call_response)  # reads the rest of the stream
        assert response["content"][0]["content"] == "18 degrees celsius in Paris"
        assert (await call(first.get_final_message)).stop_reason == "tool_use"
        assert (await call(runner.until_done)).content[0].text == "done"


@pytest.mark.anyio
async def test_the_loop_body_can_answer_and_change_the_conversation(emu: Emulator, mode: str) -> None:
    calls: list[str] = []

    def weather(city: str) -> str:
        calls.append(city)
        return "sunny"

    emu.enqueue(tool_use("toolu_1", "weather", {"city": "Paris"}))
    emu.enqueue(Reply.text("first answer"))
    emu.enqueue(Reply.text("second answer"))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, weather)], betas=["b-1"]
        )
        async for message in _each(runner):
            if message.stop_reason == "tool_use":
                response = await call(runner.generate_tool_call_response)
                assert await call(runner.generate_tool_call_response) is response  # cached: the tool ran once
                assert calls == ["Paris"]
                # appending drops the cache: the loop then runs the tools again (and, as the body took the
                # history over, sends nothing of that run), as 2.15.0 does
                runner.append_messages(message, response, {"role": "user", "content": "Also, be brief."})
            elif message.content[0].text == "first answer":
                runner.set_messages_params(
                    lambda p, m=message: {**p, "messages": [*p["messages"], m, {"role": "user", "content": "Again?"}]}
                )
                # the reply did not call a tool: the loop ends, whatever the body added
    assert calls == ["Paris", "Paris"]
    sent = bodies(emu)
    assert len(sent) == 2
    assert sent[1]["messages"][-1] == {"role": "user", "content": "Also, be brief."}
    assert sent[1]["messages"][-2]["content"][0]["tool_use_id"] == "toolu_1"
    assert len(sent[1]["messages"]) == 4  # the runner did not append the reply or the results a second time
    assert all(r.headers.get("anthropic-beta") == "b-1" for r in emu.requests)


@pytest.mark.anyio
async def test_set_messages_params_sends_the_new_params_and_keeps_betas(emu: Emulator, mode: str) -> None:
    emu.enqueue(tool_use("toolu_1", "get_weather", {"city": "Paris"}))
    emu.enqueue(Reply.text("ok"))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)], betas=["b-1"]
        )
        await _next(runner)
        runner.set_messages_params(lambda p: {**{k: v for k, v in p.items() if k != "betas"}, "max_tokens": 99})
        await drain(runner)
    first, second = bodies(emu)
    assert (first["max_tokens"], second["max_tokens"]) == (256, 99)
    assert second["tools"] == first["tools"]
    assert emu.requests[1].headers["anthropic-beta"] == "b-1"


@pytest.mark.anyio
async def test_close_stops_the_runner(emu: Emulator, mode: str) -> None:
    for i in range(2):
        emu.enqueue(tool_use(f"toolu_{i}", "get_weather", {"city": "Paris"}))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)]
        )
        first = await _next(runner)
        await call(runner.close)
        assert await drain(runner) == []
        assert first.stop_reason == "tool_use"
    assert len(bodies(emu)) == 1


@pytest.mark.anyio
async def test_a_failed_request_raises_from_the_iteration(emu: Emulator, mode: str) -> None:
    emu.enqueue(tool_use("toolu_1", "get_weather", {"city": "Paris"}))
    emu.enqueue(Reply.error(400, "invalid_request_error", "messages: too long"))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)]
        )
        with pytest.raises(BadRequestError, match="messages: too long"):
            await drain(runner)


@pytest.mark.anyio
async def test_a_mid_stream_failure_raises_from_the_stream(emu: Emulator, mode: str) -> None:
    emu.enqueue(Reply.text("a long answer " * 20, fault=Fault(error_event="overloaded_error", error_event_after=3)))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)], stream=True
        )
        stream = await _next(runner)
        from anthropic import OverloadedError

        with pytest.raises(OverloadedError):
            await drain(stream)


@pytest.mark.anyio
async def test_pause_turn_sends_the_reply_back_without_running_tools(emu: Emulator, mode: str) -> None:
    emu.enqueue(Reply.message(content=[{"type": "text", "text": "Working on it."}], stop_reason="pause_turn"))
    emu.enqueue(Reply.text("Finished."))
    async with client_for(mode, emu) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=256, messages=WEATHER_PROMPT, tools=[tool_of(mode, get_weather)]
        )
        assert (await call(runner.until_done)).content[0].text == "Finished."
    second = bodies(emu)[1]
    assert second["messages"][-1] == {"role": "assistant", "content": [{"type": "text", "text": "Working on it."}]}


def test_mistakes_are_refused_before_any_request(emu: Emulator) -> None:
    sync = make_client("sync", emu)
    async_ = make_client("async", emu)
    args: dict[str, Any] = {"model": MODEL, "max_tokens": 256, "messages": WEATHER_PROMPT}
    with pytest.raises(TypeError, match=r"Received an async tool \(BetaAsyncFunctionTool 'get_weather'\) in the synchronous"):
        sync.beta.messages.tool_runner(**args, tools=[tool_of("async", get_weather)])
    with pytest.raises(TypeError, match=r"Received a synchronous tool \(BetaFunctionTool 'get_weather'\) in the asynchronous"):
        async_.beta.messages.tool_runner(**args, tools=[tool_of("sync", get_weather)])
    with pytest.raises(TypeError, match=r"`thread` cannot be set in the params of a tool runner, got \{'type': 'create'\}"):
        sync.beta.messages.tool_runner(**args, tools=[], thread={"type": "create"})
    with pytest.raises(ValueError, match=r"`run_tools_eagerly=True` and `stream=False` are mutually exclusive"):
        sync.beta.messages.tool_runner(**args, tools=[], run_tools_eagerly=True)
    with pytest.raises(AnthropicError, match=r"Both output_format and output_config.format were provided"):
        sync.beta.messages.tool_runner(
            **args, tools=[], output_format=Query, output_config={"format": {"type": "json_schema", "schema": {}}}
        )
    with pytest.raises(TypeError, match=r"missing required keyword argument\(s\): tools"):
        sync.beta.messages.tool_runner(**args)
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\): compaction"):
        sync.beta.messages.tool_runner(**args, tools=[], compaction={"type": "summarize"})
    assert not hasattr(sync.messages, "tool_runner")  # beta only, as in the official client
    sync.beta.messages.tool_runner(**args, tools=[], thread=False)  # sends nothing until iterated
    assert emu.requests == []


async def _each(iterable: Any) -> Any:
    if hasattr(iterable, "__aiter__"):
        async for item in iterable:
            yield item
    else:
        for item in iterable:
            yield item


async def _next(runner: Any) -> Any:
    if hasattr(runner, "__anext__"):
        return await runner.__anext__()
    return next(runner)


# --- the official client, as an oracle -------------------------------------------------------------

OFFICIAL = os.environ.get("ANTHROPIC_OFFICIAL_PYTHON")

SCENARIOS = textwrap.dedent(
    '''
    import sys, json
    import anthropic
    from anthropic import beta_tool

    @beta_tool
    def get_weather(city: str, unit: str = "celsius") -> str:
        """Get the current weather in a city.

        Args:
            city: The city, e.g. Paris.
            unit: celsius or fahrenheit.
        """
        return f"18 degrees {unit} in {city}"

    @beta_tool
    def get_time(city: str) -> str:
        """What time it is in a city."""
        raise LookupError(f"no clock in {city}")

    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=sys.argv[1], max_retries=0)
    out = []
    for stream in (False, True):
        for prompt, limit in (("What is the weather in Paris?", None), ("What time is it in Oslo?", None),
                              ("What is the weather in Rome?", 1)):
            extra = {} if limit is None else {"max_iterations": limit}
            runner = client.beta.messages.tool_runner(
                model="claude-sonnet-4-5", max_tokens=400, tools=[get_weather, get_time],
                messages=[{"role": "user", "content": prompt}], thread=False, stream=stream, **extra)
            for item in runner:
                if stream:
                    types = [e.type for e in item]
                    out.append(types.count("input_json"))
                    item = item.get_final_message()
                out.append(item.stop_reason)
    print(json.dumps(out))
    '''
)


DEFINITIONS = '''
import enum, json
from typing import Annotated, Literal, Optional
import pydantic
from anthropic import beta_tool, beta_async_tool

class Unit(enum.Enum):
    C = "c"
    F = "f"

class Place(pydantic.BaseModel):
    city: str
    country: Optional[str] = None

@beta_tool
def google(city: str, days: int = 3, unit: Unit = Unit.C, tags: list[str] | None = None) -> str:
    \"\"\"Forecast for a city.

    Several days ahead,
    in the unit asked for.

    Args:
        city (str): The city name.
        days: How many days,
            at most ten.
        unit: The unit.
        tags: Free labels.

    Returns:
        The forecast.
    \"\"\"
    return ""

@beta_tool(name="lookup", strict=True)
def sphinx(query: str, limit: Annotated[int, pydantic.Field(description="own", ge=1)] = 5, exact: bool = False) -> str:
    \"\"\"Search the index.

    :param query: What to look for.
    :param limit: Ignored, the field says it.
    :param bool exact: Match exactly.
    :returns: hits
    \"\"\"
    return ""

@beta_tool
def numpy(place: Place, mode: Literal["fast", "slow"] = "fast", ratio: float = 0.5) -> str:
    \"\"\"Route to a place.

    Parameters
    ----------
    place : Place
        Where to go.
    mode : str
        How.
    \"\"\"
    return ""

@beta_async_tool
async def bare(x: int, *, y: Optional[str] = None) -> str:
    return ""

@beta_tool(description="Given.", input_examples=[{"a": 1}], allowed_callers=["direct"], eager_input_streaming=True)
def undocumented(a, b: "int" = 2) -> str:
    return ""

for t in (google, sphinx, numpy, bare, undocumented):
    print(json.dumps(t.to_dict()))
'''


@pytest.mark.skipif(not OFFICIAL, reason="ANTHROPIC_OFFICIAL_PYTHON is not set")
def test_the_official_decorators_describe_tools_byte_for_byte_as_ours(tmp_path: Any) -> None:
    import sys

    script = tmp_path / "definitions.py"
    script.write_text(DEFINITIONS)
    assert OFFICIAL
    outputs = [
        subprocess.run([python, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path, check=True).stdout
        for python in (OFFICIAL, sys.executable)
    ]
    assert outputs[0].count("\n") == 5
    assert outputs[1] == outputs[0]


@pytest.mark.skipif(not OFFICIAL, reason="ANTHROPIC_OFFICIAL_PYTHON is not set")
def test_the_official_runner_sends_what_ours_sends(emu: Emulator, tmp_path: Any) -> None:
    import sys

    script = tmp_path / "scenarios.py"
    script.write_text(SCENARIOS)
    assert OFFICIAL
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    official = subprocess.run(
        [OFFICIAL, str(script), emu.base_url], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path
    )
    assert official.returncode == 0, official.stderr
    theirs = bodies(emu)
    emu.reset()
    ours = subprocess.run(
        [sys.executable, str(script), emu.base_url], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path
    )
    assert ours.returncode == 0, ours.stderr
    assert json.loads(ours.stdout) == json.loads(official.stdout)
    mine = bodies(emu)
    assert len(mine) == len(theirs) >= 10
    for n, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        assert a == b, f"request {n} differs"
