"""langchain-anthropic: ChatAnthropic through LangChain's public API, on the emulator."""

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

s = Scenario("langchain-anthropic", scan=('langchain_anthropic',))
ns: dict[str, Any] = {}


def chat(**kw: Any) -> Any:
    options = {"model": MODEL, "max_tokens": 256, "base_url": os.environ["ANTHROPIC_BASE_URL"], "max_retries": 0}
    return ns["ChatAnthropic"](**{**options, **kw})


@s.check("import")
def _import() -> str:
    from langchain_anthropic import ChatAnthropic

    ns["ChatAnthropic"] = ChatAnthropic
    ns["model"] = chat()
    return "ChatAnthropic"


@s.check("plain")
def _plain() -> str:
    reply = ns["model"].invoke(PROMPT_SAY)
    expect_equal(reply.content, REPLY_SAY, "content")
    return repr(reply.content)


@s.check("stream")
def _stream() -> str:
    chunks = [chunk.content for chunk in ns["model"].stream(PROMPT_COUNT)]
    text = "".join(c for c in chunks if isinstance(c, str))
    expect_equal(text, REPLY_COUNT, "streamed text")
    expect(len(chunks) > 2, f"expected several chunks, got {len(chunks)}")
    return f"{len(chunks)} chunks"


def get_weather(city: str) -> str:
    """Get the current weather in a city."""
    return f"18C and sunny in {city}"


@s.check("tool")
def _tool() -> str:
    bound = ns["model"].bind_tools([get_weather])
    reply = bound.invoke(PROMPT_WEATHER)
    expect_equal(len(reply.tool_calls), 1, "number of tool calls")
    call = reply.tool_calls[0]
    expect_equal(call["name"], "get_weather", "tool name")
    expect(isinstance(call["args"].get("city"), str), f"tool args: {call['args']!r}")
    expect_equal(reply.response_metadata.get("stop_reason"), "tool_use", "stop_reason")
    # Send the result back: the emulator acknowledges it.
    from langchain_core.messages import HumanMessage, ToolMessage

    result = ToolMessage(content=get_weather(call["args"]["city"]), tool_call_id=call["id"])
    final = bound.invoke([HumanMessage(PROMPT_WEATHER), reply, result])
    expect("get_weather tool returned" in final.text, f"final answer: {final.text!r}")
    return f"get_weather({call['args']}) then {final.response_metadata.get('stop_reason')}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[str]:
        return [chunk.content async for chunk in ns["model"].astream(PROMPT_COUNT)]

    chunks = asyncio.run(go())
    expect_equal("".join(c for c in chunks if isinstance(c, str)), REPLY_COUNT, "streamed text")
    return f"{len(chunks)} chunks"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    found = []
    for method in ("function_calling", "json_schema"):
        out = ns["model"].with_structured_output(City, method=method).invoke("Tell me about Paris.")
        expect(isinstance(out, City), f"{method}: got {out!r}")
        found.append(f"{method}={out.name!r}")
    return ", ".join(found)


@s.check("usage_stop")
def _usage_stop() -> str:
    reply = chat(max_tokens=5).invoke("Tell me a long story about the sea.")
    meta = reply.usage_metadata
    expect(meta and meta["input_tokens"] > 0 and meta["output_tokens"] == 5, f"usage_metadata: {meta!r}")
    expect_equal(reply.response_metadata.get("stop_reason"), "max_tokens", "stop_reason")
    raw_usage = reply.response_metadata.get("usage") or {}
    expect(raw_usage.get("output_tokens") == 5, f"response_metadata.usage: {raw_usage!r}")
    return f"in={meta['input_tokens']} out={meta['output_tokens']} stop=max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    return expect_bad_request(lambda: chat(default_headers=FAULT_400).invoke(PROMPT_SAY))


s.run()
