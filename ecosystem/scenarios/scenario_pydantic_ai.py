"""pydantic-ai (slim, anthropic extra): Agent with AnthropicModel, on the emulator."""

from __future__ import annotations

import asyncio
import os
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

s = Scenario("pydantic-ai", scan=('pydantic_ai',))
ns: dict[str, Any] = {}


def agent(**kw: Any) -> Any:
    return ns["Agent"](ns["model"], **kw)


@s.check("import")
def _import() -> str:
    from pydantic_ai import Agent
    from pydantic_ai.models.anthropic import AnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    provider = AnthropicProvider(api_key=os.environ["ANTHROPIC_API_KEY"], base_url=os.environ["ANTHROPIC_BASE_URL"])
    ns["Agent"] = Agent
    ns["model"] = AnthropicModel(MODEL, provider=provider)
    return "Agent, AnthropicModel, AnthropicProvider"


@s.check("plain")
def _plain() -> str:
    result = agent().run_sync(PROMPT_SAY)
    expect_equal(result.output, REPLY_SAY, "output")
    return repr(result.output)


@s.check("stream")
def _stream() -> str:
    a = agent()
    if hasattr(a, "run_stream_sync"):
        result = a.run_stream_sync(PROMPT_COUNT)
        pieces = list(result.stream_text(delta=True, debounce_by=None))
        how = "run_stream_sync"
    else:  # older releases stream only from async code

        async def go() -> list[str]:
            async with a.run_stream(PROMPT_COUNT) as result:
                return [p async for p in result.stream_text(delta=True, debounce_by=None)]

        pieces = asyncio.run(go())
        how = "run_stream"
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    return f"{how}: {len(pieces)} pieces"


@s.check("tool")
def _tool() -> str:
    a = agent()
    calls: list[str] = []

    @a.tool_plain
    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"18C and sunny in {city}"

    result = a.run_sync(PROMPT_WEATHER)
    expect_equal(len(calls), 1, "tool calls made")
    expect("get_weather tool returned" in result.output, f"final output: {result.output!r}")
    return f"get_weather({calls[0]!r}) -> {result.output[:40]!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[str]:
        async with agent().run_stream(PROMPT_COUNT) as result:
            return [p async for p in result.stream_text(delta=True, debounce_by=None)]

    pieces = asyncio.run(go())
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    return f"{len(pieces)} pieces"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    result = agent(output_type=City).run_sync("Tell me about Paris.")
    expect(isinstance(result.output, City), f"output: {result.output!r}")
    return repr(result.output)


@s.check("usage_stop")
def _usage_stop() -> str:
    result = agent(model_settings={"max_tokens": 5}).run_sync("Tell me a long story about the sea.")
    usage = result.usage  # a property in current releases (a method before)
    if not hasattr(usage, "input_tokens"):
        usage = usage()
    expect(usage.input_tokens > 0 and usage.output_tokens == 5, f"usage: {usage!r}")
    response = result.all_messages()[-1]
    details = response.provider_details or {}
    expect_equal(details.get("finish_reason"), "max_tokens", "provider_details.finish_reason")
    expect_equal(response.finish_reason, "length", "finish_reason")
    return f"in={usage.input_tokens} out={usage.output_tokens} stop=max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    return expect_bad_request(lambda: agent(model_settings={"extra_headers": FAULT_400}).run_sync(PROMPT_SAY))


s.run()
