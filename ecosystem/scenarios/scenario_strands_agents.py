"""strands-agents: strands.Agent on strands.models.anthropic.AnthropicModel, on the emulator.

The model holds an ``anthropic.AsyncAnthropic`` and streams every call through
``messages.stream`` (the sync ``Agent(...)(prompt)`` runs that loop in a thread);
it feeds ``event.model_dump()`` of the raw events to its own parser and sums
``get_final_message().usage``.  Structured output is native (``output_config`` built
with ``anthropic.transform_schema`` of the model class; strands enables it from
``anthropic.__version__``) with ``structured_output_model=`` and through
``Agent.structured_output``.  A ``max_tokens`` stop is strands'
``MaxTokensReachedException``; a 400 is re-raised as the ``anthropic.BadRequestError``.
"""

from __future__ import annotations

import asyncio
import os
import warnings
from typing import Any

from _harness import (
    FAULT_400,
    MODEL,
    PROMPT_COUNT,
    PROMPT_SAY,
    PROMPT_WEATHER,
    REPLY_COUNT,
    REPLY_SAY,
    Scenario,
    expect,
    expect_bad_request,
    expect_equal,
)

s = Scenario("strands-agents", scan=('strands',))
ns: dict[str, Any] = {}
LONG = "Tell me a long story about the sea."


def model(max_tokens: int = 1024, **kw: Any) -> Any:
    client_args = {"api_key": os.environ["ANTHROPIC_API_KEY"], "base_url": os.environ["ANTHROPIC_BASE_URL"]}
    return ns["AnthropicModel"](client_args=client_args, model_id=MODEL, max_tokens=max_tokens, **kw)


def agent(m: Any = None, **kw: Any) -> Any:
    kw.setdefault("callback_handler", None)
    return ns["Agent"](model=m or model(), **kw)


def weather_tool() -> Any:
    ns["calls"] = []

    @ns["tool"]
    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        ns["calls"].append(city)
        return f"18C and sunny in {city}"

    return get_weather


@s.check("import")
def _import() -> str:
    from strands import Agent, tool
    from strands.models.anthropic import AnthropicModel

    import anthropic

    ns.update(Agent=Agent, tool=tool, AnthropicModel=AnthropicModel)
    m = model()
    expect(isinstance(m.client, anthropic.AsyncAnthropic), f"AnthropicModel.client is {type(m.client)!r}")
    return "strands.Agent, strands.models.anthropic.AnthropicModel (an anthropic.AsyncAnthropic)"


@s.check("plain")
def _plain() -> str:
    result = agent()(PROMPT_SAY)
    expect_equal(str(result).strip(), REPLY_SAY, "text")
    expect_equal(result.stop_reason, "end_turn", "stop_reason")
    return f"{str(result).strip()!r} stop_reason={result.stop_reason}"


@s.check("stream")
def _stream() -> str:
    pieces: list[str] = []

    def on_event(**event: Any) -> None:
        if "data" in event:
            pieces.append(event["data"])

    agent(callback_handler=on_event)(PROMPT_COUNT)
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    return f"callback_handler: {len(pieces)} pieces"


@s.check("tool")
def _tool() -> str:
    a = agent(tools=[weather_tool()])
    result = a(PROMPT_WEATHER)
    expect_equal(ns["calls"], ["Paris"], "tool calls made")
    expect("get_weather tool returned" in str(result), f"final text: {str(result)!r}")
    uses = [b["toolUse"] for msg in a.messages for b in msg["content"] if "toolUse" in b]
    expect_equal(
        [(u["name"], u["input"]) for u in uses], [("get_weather", {"city": "Paris"})], "toolUse blocks"
    )
    return f"get_weather('Paris') -> {str(result).strip()[:40]!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[str]:
        return [e["data"] async for e in agent().stream_async(PROMPT_COUNT) if "data" in e]

    pieces = asyncio.run(go())
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")

    async def tool() -> Any:
        events = [e async for e in agent(tools=[weather_tool()]).stream_async(PROMPT_WEATHER)]
        return [e for e in events if "result" in e][-1]["result"]

    result = asyncio.run(tool())
    expect_equal(ns["calls"], ["Paris"], "tool calls made (stream_async)")
    expect("get_weather tool returned" in str(result), f"final text: {str(result)!r}")
    return f"stream_async: {len(pieces)} pieces, and a tool round trip"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    result = agent()("Tell me about Paris.", structured_output_model=City)
    expect(isinstance(result.structured_output, City), f"structured_output: {result.structured_output!r}")
    with warnings.catch_warnings():  # deprecated in favour of structured_output_model=, still public
        warnings.simplefilter("ignore", DeprecationWarning)
        legacy = agent().structured_output(City, "Tell me about Paris.")
    expect(isinstance(legacy, City), f"Agent.structured_output: {legacy!r}")
    return f"{result.structured_output!r} (structured_output_model=), {legacy!r} (Agent.structured_output)"


@s.check("usage_stop")
def _usage_stop() -> str:
    from strands.types.exceptions import MaxTokensReachedException

    a = agent(model(max_tokens=5))
    try:
        a(LONG)
    except MaxTokensReachedException:
        pass
    else:
        raise AssertionError("expected MaxTokensReachedException (stop reason max_tokens)")
    usage = a.event_loop_metrics.accumulated_usage
    expect(usage["inputTokens"] > 0 and usage["outputTokens"] == 5, f"usage: {usage!r}")
    # Native token counting goes through messages.count_tokens: the same prompt, the same input tokens.
    counted = asyncio.run(
        model(use_native_token_count=True).count_tokens([{"role": "user", "content": [{"text": LONG}]}])
    )
    expect_equal(counted, usage["inputTokens"], "count_tokens (use_native_token_count)")
    return f"in={usage['inputTokens']} out={usage['outputTokens']} stop=MaxTokensReachedException; count_tokens agrees"


@s.check("bad_request")
def _bad_request() -> str:
    return expect_bad_request(lambda: agent(model(params={"extra_headers": FAULT_400}))(PROMPT_SAY))


s.run()
