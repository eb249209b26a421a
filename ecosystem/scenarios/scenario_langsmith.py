"""langsmith: LangSmith's tracing wrapper ``langsmith.wrappers.wrap_anthropic``, on the emulator.

The wrapper replaces ``messages.create`` / ``beta.messages.parse`` with traced
versions; for ``create(stream=True)`` it records the raw events and, when the
stream ends, folds them into the final message with
``anthropic.lib.streaming._messages.accumulate_event`` (its ``_reduce_chat_chunks``).
Tracing runs locally (``tracing_context(enabled="local")``: nothing is sent)
and each run's outputs are read back with ``langsmith_extra={"on_end": ...}``.
Every check asserts both the answer and the traced run.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

# Never reach the hosted LangSmith API (local tracing sends nothing; this keeps a stray client offline too).
os.environ.setdefault("LANGSMITH_ENDPOINT", "http://127.0.0.1:9")
os.environ.setdefault("LANGSMITH_API_KEY", "ecosystem")

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

s = Scenario("langsmith", scan=('langsmith',))
ns: dict[str, Any] = {}
runs: list[Any] = []
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def traced(kind: str = "Anthropic") -> Any:
    import anthropic

    raw = getattr(anthropic, kind)(base_url=os.environ["ANTHROPIC_BASE_URL"], max_retries=0)
    return ns["wrappers"].wrap_anthropic(raw)


def request(prompt: str, **kw: Any) -> dict[str, Any]:
    return {
        "model": MODEL,
        "max_tokens": kw.pop("max_tokens", 256),
        "messages": [{"role": "user", "content": prompt}],
        "langsmith_extra": {"on_end": runs.append},
        **kw,
    }


def last_run() -> Any:
    expect(runs, "no traced run ended")
    run = runs.pop()
    runs.clear()
    return run


def reduced(run: Any) -> dict[str, Any]:
    """The run's outputs, which for a stream must be the folded message, not the raw chunks."""
    outputs: dict[str, Any] = run.outputs or {}
    expect("output" not in outputs, f"the stream was not folded into a message: {str(outputs)[:200]}")
    return outputs


def text_of(outputs: dict[str, Any]) -> str:
    content = outputs.get("content")
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content or () if b.get("type") == "text")


def local() -> Any:
    return ns["tracing_context"](enabled="local")


@s.check("import")
def _import() -> str:
    from langsmith import wrappers
    from langsmith.run_helpers import tracing_context

    ns.update(wrappers=wrappers, tracing_context=tracing_context)
    traced()
    return "langsmith.wrappers.wrap_anthropic(anthropic.Anthropic())"


@s.check("plain")
def _plain() -> str:
    with local():
        message = traced().messages.create(**request(PROMPT_SAY))
    expect_equal(message.content[0].text, REPLY_SAY, "text")
    outputs = last_run().outputs
    expect_equal(text_of(outputs), REPLY_SAY, "traced output")
    return f"{REPLY_SAY!r}, traced"


@s.check("stream")
def _stream() -> str:
    with local():
        events = list(traced().messages.create(stream=True, **request(PROMPT_COUNT)))
    pieces = [e.delta.text for e in events if e.type == "content_block_delta"]
    expect(len(pieces) > 1, f"expected several text deltas, got {len(pieces)}")
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    outputs = reduced(last_run())
    expect_equal(text_of(outputs), REPLY_COUNT, "the folded message's text")
    expect_equal(outputs.get("stop_reason"), "end_turn", "the folded message's stop_reason")
    return f"{len(pieces)} deltas, folded into {REPLY_COUNT!r}"


@s.check("tool")
def _tool() -> str:
    with local():
        events = list(traced().messages.create(stream=True, tools=[WEATHER_TOOL], **request(PROMPT_WEATHER)))
    expect(any(e.type == "content_block_start" and e.content_block.type == "tool_use" for e in events), "a tool_use")
    outputs = reduced(last_run())
    calls = outputs.get("tool_calls") or []
    expect_equal([c["function"]["name"] for c in calls], ["get_weather"], "the folded tool calls")
    arguments = json.loads(calls[0]["function"]["arguments"])
    expect(isinstance(arguments.get("city"), str), f"a city string in {arguments}")
    return f"streamed get_weather({arguments}), folded from the input_json deltas"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[str]:
        stream = await traced("AsyncAnthropic").messages.create(stream=True, **request(PROMPT_COUNT))
        return [e.delta.text async for e in stream if e.type == "content_block_delta"]

    with local():
        pieces = asyncio.run(go())
    expect(len(pieces) > 1, f"expected several text deltas, got {len(pieces)}")
    expect_equal(text_of(reduced(last_run())), REPLY_COUNT, "the folded message's text")
    return f"AsyncAnthropic: {len(pieces)} deltas, folded"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    with local():
        message = traced().beta.messages.parse(
            output_format=City, **request("Give me a city as JSON with its name and population")
        )
    city = message.parsed_output
    expect(isinstance(city, City), f"parsed_output is a City: {city!r}")
    expect(last_run().outputs, "the parse call was traced")
    return f"beta.messages.parse -> {city!r}, traced"


@s.check("usage_stop")
def _usage_stop() -> str:
    with local():
        list(traced().messages.create(stream=True, **request(PROMPT_COUNT, max_tokens=5)))
    outputs = reduced(last_run())
    usage = outputs.get("usage_metadata") or {}
    expect(usage.get("input_tokens", 0) > 0, f"input tokens > 0 in {usage}")
    expect_equal((usage.get("output_tokens"), outputs.get("stop_reason")), (5, "max_tokens"), "usage and stop")
    return f"folded usage input {usage['input_tokens']}, output 5, stop_reason max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    with local():
        detail = expect_bad_request(lambda: traced().messages.create(extra_headers=FAULT_400, **request(PROMPT_SAY)))
    run = last_run()
    expect(run.error and "400" in run.error, f"the run records the error: {run.error!r}")
    return f"{detail}, run error recorded"


s.run()
