"""anthropic-haystack: AnthropicChatGenerator (and Haystack's ToolInvoker), on the emulator.

The generator builds its own client, which reads ANTHROPIC_BASE_URL.
"""

from __future__ import annotations

import asyncio
import json
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

s = Scenario("anthropic-haystack", scan=('haystack_integrations',))
ns: dict[str, Any] = {}


def generator(**kw: Any) -> Any:
    kw.setdefault("generation_kwargs", {"max_tokens": 256})
    return ns["Generator"](model=MODEL, max_retries=0, **kw)


def user(text: str) -> Any:
    return ns["ChatMessage"].from_user(text)


@s.check("import")
def _import() -> str:
    from haystack.dataclasses import ChatMessage
    from haystack_integrations.components.generators.anthropic import AnthropicChatGenerator

    ns["Generator"] = AnthropicChatGenerator
    ns["ChatMessage"] = ChatMessage
    generator()
    return "AnthropicChatGenerator"


@s.check("plain")
def _plain() -> str:
    reply = generator().run(messages=[user(PROMPT_SAY)])["replies"][0]
    expect_equal(reply.text, REPLY_SAY, "text")
    return repr(reply.text)


@s.check("stream")
def _stream() -> str:
    chunks: list[str] = []
    reply = generator(streaming_callback=lambda c: chunks.append(c.content)).run(messages=[user(PROMPT_COUNT)])
    text = reply["replies"][0].text
    expect_equal(text, REPLY_COUNT, "reply text")
    expect_equal("".join(chunks), REPLY_COUNT, "streamed chunks")
    return f"{sum(1 for c in chunks if c)} non-empty chunks"


@s.check("tool")
def _tool() -> str:
    from haystack.components.agents import Agent
    from haystack.tools import Tool

    calls: list[str] = []

    def get_weather(city: str) -> str:
        calls.append(city)
        return f"18C and sunny in {city}"

    tool = Tool(
        name="get_weather",
        description="Get the current weather in a city.",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        function=get_weather,
    )
    gen = generator(tools=[tool])
    question = user(PROMPT_WEATHER)
    reply = gen.run(messages=[question])["replies"][0]
    expect(reply.tool_calls and reply.tool_calls[0].tool_name == "get_weather", f"tool calls: {reply.tool_calls!r}")
    expect_equal(reply.meta.get("finish_reason"), "tool_calls", "finish_reason")
    # Haystack's Agent runs the loop: call, invoke the tool, send the result back.
    final = Agent(chat_generator=gen, tools=[tool]).run(messages=[question])["messages"][-1]
    expect_equal(calls, [reply.tool_calls[0].arguments["city"]], "tool invocations")
    expect("get_weather tool returned" in (final.text or ""), f"final text: {final.text!r}")
    return f"get_weather({reply.tool_calls[0].arguments}) then {final.meta.get('finish_reason')}"


@s.check("async_stream")
def _async_stream() -> str:
    chunks: list[str] = []

    async def collect(chunk: Any) -> None:
        chunks.append(chunk.content)

    async def go() -> Any:
        return await generator(streaming_callback=collect).run_async(messages=[user(PROMPT_COUNT)])

    reply = asyncio.run(go())["replies"][0]
    expect_equal(reply.text, REPLY_COUNT, "reply text")
    expect_equal("".join(chunks), REPLY_COUNT, "streamed chunks")
    return f"{sum(1 for c in chunks if c)} non-empty chunks"


@s.check("structured")
def _structured() -> str:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "population": {"type": "integer"}},
        "required": ["name", "population"],
        "additionalProperties": False,
    }
    kwargs = {"max_tokens": 256, "output_config": {"format": {"type": "json_schema", "schema": schema}}}
    reply = generator(generation_kwargs=kwargs).run(messages=[user("Tell me about Paris.")])["replies"][0]
    data = json.loads(reply.text)
    expect(isinstance(data.get("name"), str) and isinstance(data.get("population"), int), f"JSON: {data!r}")
    return f"output_config.format -> {data!r}"


@s.check("usage_stop")
def _usage_stop() -> str:
    done = []
    for label, extra in (("plain", {}), ("streamed", {"streaming_callback": lambda c: None})):
        gen = generator(generation_kwargs={"max_tokens": 5}, **extra)
        reply = gen.run(messages=[user("Tell me a long story about the sea.")])["replies"][0]
        usage = reply.meta.get("usage") or {}
        # Haystack reports usage under its own (OpenAI-style) names.
        got = (usage.get("prompt_tokens"), usage.get("completion_tokens"))
        expect(got[0] and got[0] > 0 and got[1] == 5, f"{label} usage: {usage!r}")
        expect_equal(reply.meta.get("finish_reason"), "length", f"{label} finish_reason")
        done.append(f"{label}: in={got[0]} out={got[1]} length")
    return "; ".join(done)


@s.check("bad_request")
def _bad_request() -> str:
    kwargs = {"max_tokens": 64, "extra_headers": FAULT_400}
    return expect_bad_request(lambda: generator(generation_kwargs=kwargs).run(messages=[user(PROMPT_SAY)]))


s.run()
