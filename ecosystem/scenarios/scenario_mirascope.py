"""mirascope 2.x (`mirascope.llm`, its Anthropic provider), on the emulator.

The provider is registered with the emulator's base URL (`llm.register_provider`).
Tools are declared `strict=False` and structured output asks for `mode="tool"`:
mirascope sends strict tools and bare-model formats through its beta encoder,
which builds `BetaMessageParam(role=..., content=...)`, a Union in the 2.x types,
and fails with the official 2.15.0 as well (see README.md).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from _harness import (
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

s = Scenario("mirascope", scan=('mirascope',))
ns: dict[str, Any] = {}
MODEL_ID = f"anthropic/{MODEL}"


def model(**params: Any) -> Any:
    return ns["llm"].Model(MODEL_ID, **params)


@s.check("import")
def _import() -> str:
    from mirascope import llm

    provider = llm.register_provider(
        "anthropic", api_key=os.environ["ANTHROPIC_API_KEY"], base_url=os.environ["ANTHROPIC_BASE_URL"]
    )
    ns["llm"] = llm
    return f"llm.Model({MODEL_ID!r}) on {type(provider).__name__}"


@s.check("plain")
def _plain() -> str:
    llm = ns["llm"]

    @llm.call(MODEL_ID)
    def say() -> str:
        return PROMPT_SAY

    response = say()
    expect_equal(response.text(), REPLY_SAY, "text()")
    expect_equal(response.finish_reason, None, "finish_reason (None: a normal end)")
    return f"@llm.call: {response.text()!r}"


@s.check("stream")
def _stream() -> str:
    response = model().stream(PROMPT_COUNT)
    pieces: list[str] = []
    for stream in response.streams():
        expect_equal(stream.content_type, "text", "stream content_type")
        pieces.extend(str(delta) for delta in stream)
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    expect_equal(response.text(), REPLY_COUNT, "text() after the stream")
    return f"streams(): {len(pieces)} pieces"


@s.check("tool")
def _tool() -> str:
    llm = ns["llm"]
    calls: list[str] = []

    @llm.tool(strict=False)
    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"18C and sunny in {city}"

    response = model().call(PROMPT_WEATHER, tools=[get_weather])
    expect_equal([c.name for c in response.tool_calls], ["get_weather"], "tool calls")
    outputs = response.execute_tools()
    expect(len(calls) == 1 and isinstance(calls[0], str), f"tool ran with {calls!r}")
    answer = response.resume(outputs)
    expect("get_weather tool returned" in answer.text(), f"answer after the tool result: {answer.text()!r}")
    expect_equal(answer.tool_calls, [], "tool calls of the answer")
    return f"get_weather({calls[0]!r}) -> resume: {answer.text()[:40]!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> tuple[list[str], str]:
        response = await model().stream_async(PROMPT_COUNT)
        pieces: list[str] = []
        async for stream in response.streams():
            pieces.extend([str(delta) async for delta in stream])
        return pieces, response.text()

    pieces, text = asyncio.run(go())
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    expect_equal(text, REPLY_COUNT, "text() after the stream")
    return f"stream_async: {len(pieces)} pieces"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    llm = ns["llm"]

    class City(BaseModel):
        name: str
        population: int

    response = model().call("Tell me about Paris.", format=llm.format(City, mode="tool"))
    city = response.parse()
    expect(isinstance(city, City), f"parse(): {city!r}")

    async def streamed() -> Any:
        stream = await model().stream_async("Tell me about Paris.", format=llm.format(City, mode="tool"))
        await stream.finish()
        return stream.parse()

    again = asyncio.run(streamed())
    expect(isinstance(again, City), f"parse() of the async stream: {again!r}")
    return f"format(City, mode='tool'): {city!r}"


@s.check("usage_stop")
def _usage_stop() -> str:
    llm = ns["llm"]
    prompt = "Tell me a long story about the sea."
    response = model(max_tokens=5).call(prompt)
    usage = response.usage
    expect(usage.input_tokens > 0 and usage.output_tokens == 5, f"usage: {usage!r}")
    expect_equal(response.finish_reason, llm.FinishReason.MAX_TOKENS, "finish_reason")
    streamed = model(max_tokens=5).stream(prompt)
    streamed.finish()
    streamed_usage = streamed.usage
    expect(streamed_usage.input_tokens > 0 and streamed_usage.output_tokens == 5, f"streamed usage: {streamed_usage!r}")
    expect_equal(streamed.finish_reason, llm.FinishReason.MAX_TOKENS, "streamed finish_reason")
    return f"in={usage.input_tokens} out={usage.output_tokens} finish_reason=MAX_TOKENS (call and stream)"


@s.check("bad_request")
def _bad_request() -> str:
    # mirascope's params have no request headers: max_tokens=0 is a request the API rejects.
    return expect_bad_request(lambda: model(max_tokens=0).call(PROMPT_SAY))


s.run()
