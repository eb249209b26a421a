"""llama-index-llms-anthropic: LlamaIndex's Anthropic LLM, on the emulator."""

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

s = Scenario("llama-index", scan=('llama_index.llms.anthropic',))
ns: dict[str, Any] = {}


def llm(**kw: Any) -> Any:
    options = {"model": MODEL, "max_tokens": 256, "base_url": os.environ["ANTHROPIC_BASE_URL"], "max_retries": 0}
    return ns["Anthropic"](**{**options, **kw})


def user(text: str) -> Any:
    return ns["ChatMessage"](role="user", content=text)


def raw_field(raw: Any, name: str) -> Any:
    return raw.get(name) if isinstance(raw, dict) else getattr(raw, name, None)


@s.check("import")
def _import() -> str:
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.anthropic import Anthropic

    ns["Anthropic"] = Anthropic
    ns["ChatMessage"] = ChatMessage
    ns["llm"] = llm()
    return "llama_index.llms.anthropic.Anthropic"


@s.check("plain")
def _plain() -> str:
    text = ns["llm"].complete(PROMPT_SAY).text
    expect_equal(text, REPLY_SAY, "text")
    reply = ns["llm"].chat([user(PROMPT_SAY)])
    expect_equal(reply.message.content, REPLY_SAY, "chat content")
    return repr(text)


@s.check("stream")
def _stream() -> str:
    deltas = [r.delta for r in ns["llm"].stream_complete(PROMPT_COUNT)]
    expect_equal("".join(d or "" for d in deltas), REPLY_COUNT, "streamed text")
    expect(len(deltas) > 1, f"expected several deltas, got {deltas!r}")
    return f"{len(deltas)} deltas"


@s.check("tool")
def _tool() -> str:
    from llama_index.core.tools import FunctionTool

    calls: list[str] = []

    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"18C and sunny in {city}"

    tool = FunctionTool.from_defaults(fn=get_weather)
    response = ns["llm"].chat_with_tools([tool], user_msg=PROMPT_WEATHER)
    selections = ns["llm"].get_tool_calls_from_response(response, error_on_no_tool_call=True)
    expect_equal([t.tool_name for t in selections], ["get_weather"], "tool calls")
    expect(isinstance(selections[0].tool_kwargs.get("city"), str), f"kwargs: {selections[0].tool_kwargs!r}")
    expect_equal(raw_field(response.raw, "stop_reason"), "tool_use", "stop_reason")
    # predict_and_call runs the tool with the model's arguments.
    output = ns["llm"].predict_and_call([tool], user_msg=PROMPT_WEATHER)
    expect_equal(len(calls), 1, "tool invocations")
    expect("18C and sunny" in str(output), f"tool output: {output!r}")
    return f"get_weather({selections[0].tool_kwargs}) -> {str(output)!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[str]:
        stream = await ns["llm"].astream_chat([user(PROMPT_COUNT)])
        return [r.delta async for r in stream]

    deltas = asyncio.run(go())
    expect_equal("".join(d or "" for d in deltas), REPLY_COUNT, "streamed text")
    return f"{len(deltas)} deltas"


@s.check("structured")
def _structured() -> str:
    from llama_index.core.prompts import PromptTemplate
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    city = ns["llm"].structured_predict(City, PromptTemplate("Tell me about {city}."), city="Paris")
    expect(isinstance(city, City), f"structured_predict: {city!r}")
    sllm = ns["llm"].as_structured_llm(City)
    out = sllm.chat([user("Tell me about Paris.")]).raw
    expect(isinstance(out, City), f"as_structured_llm: {out!r}")
    return f"structured_predict {city!r}; as_structured_llm ok"


@s.check("usage_stop")
def _usage_stop() -> str:
    reply = llm(max_tokens=5).chat([user("Tell me a long story about the sea.")])
    raw = reply.raw
    usage = raw_field(raw, "usage")
    out_tokens = raw_field(usage, "output_tokens")
    in_tokens = raw_field(usage, "input_tokens")
    expect(in_tokens and in_tokens > 0 and out_tokens == 5, f"usage: {usage!r}")
    expect_equal(raw_field(raw, "stop_reason"), "max_tokens", "stop_reason")
    return f"in={in_tokens} out={out_tokens} stop=max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    return expect_bad_request(lambda: llm(default_headers=FAULT_400).complete(PROMPT_SAY))


s.run()
