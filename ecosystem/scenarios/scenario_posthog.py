"""posthog: PostHog's LLM-analytics wrapper ``posthog.ai.anthropic.Anthropic`` / ``AsyncAnthropic``, on the emulator.

The wrapper subclasses the client and ``anthropic.resources.Messages``
(building it from the client), overrides ``create`` and ``stream`` and calls
``super().create``; each call reports an ``$ai_generation`` event.  The PostHog
client here records what it would capture instead of sending it.  Every check
asserts both the answer and the event.
"""

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
    NotApplicable,
    Scenario,
    expect,
    expect_bad_request,
    expect_equal,
)

s = Scenario("posthog", scan=('posthog',))
ns: dict[str, Any] = {}
captured: list[dict[str, Any]] = []
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def client(kind: str = "Anthropic") -> Any:
    return getattr(ns["wrappers"], kind)(
        posthog_client=ns["ph"], base_url=os.environ["ANTHROPIC_BASE_URL"], max_retries=0
    )


def request(prompt: str, **kw: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": kw.pop("max_tokens", 256), "messages": [{"role": "user", "content": prompt}], **kw}


def last_event() -> dict[str, Any]:
    expect(captured, "no $ai_generation event was captured")
    event = captured.pop()
    captured.clear()
    expect_equal(event.get("event"), "$ai_generation", "captured event")
    props: dict[str, Any] = event["properties"]
    return props


def output_text(props: dict[str, Any]) -> str:
    parts = props["$ai_output_choices"][0]["content"]
    return "".join(p.get("text", "") for p in parts if p.get("type") == "text")


@s.check("import")
def _import() -> str:
    import posthog.ai.anthropic as wrappers
    from posthog import Posthog

    ph = Posthog("phc_ecosystem", host="http://127.0.0.1:9", sync_mode=True)
    ph.capture = lambda *args, **kwargs: captured.append(kwargs)  # type: ignore[method-assign]
    ns.update(wrappers=wrappers, ph=ph)
    c = client()
    expect(type(c.messages).__mro__[1].__name__ == "Messages", "the wrapper's resource subclasses Messages")
    return "posthog.ai.anthropic.Anthropic(posthog_client=...)"


@s.check("plain")
def _plain() -> str:
    message = client().messages.create(posthog_distinct_id="ecosystem", **request(PROMPT_SAY))
    expect_equal(message.content[0].text, REPLY_SAY, "text")
    props = last_event()
    expect_equal(output_text(props), REPLY_SAY, "$ai_output_choices text")
    expect_equal(props["$ai_output_tokens"], message.usage.output_tokens, "$ai_output_tokens")
    return f"{REPLY_SAY!r}, event $ai_generation with {props['$ai_output_tokens']} output tokens"


@s.check("stream")
def _stream() -> str:
    events = list(client().messages.create(stream=True, **request(PROMPT_COUNT)))
    pieces = [e.delta.text for e in events if e.type == "content_block_delta"]
    expect(len(pieces) > 1, f"expected several text deltas, got {len(pieces)}")
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    props = last_event()
    expect_equal(output_text(props), REPLY_COUNT, "$ai_output_choices text of the streamed call")
    return f"create(stream=True): {len(pieces)} deltas, event with the whole text"


@s.check("stream_cm")
def _stream_cm() -> str:
    with client().messages.stream(**request(PROMPT_COUNT)) as stream:
        text = "".join(stream.text_stream)
    expect_equal(text, REPLY_COUNT, "messages.stream() text")
    props = last_event()
    expect_equal(output_text(props), REPLY_COUNT, "$ai_output_choices text of messages.stream()")
    return "messages.stream(): text, and an event"


@s.check("tool")
def _tool() -> str:
    message = client().messages.create(tools=[WEATHER_TOOL], **request(PROMPT_WEATHER))
    calls = [b for b in message.content if b.type == "tool_use"]
    expect(len(calls) == 1 and isinstance(calls[0].input.get("city"), str), f"one get_weather call: {calls}")
    props = last_event()
    functions = [p for p in props["$ai_output_choices"][0]["content"] if p.get("type") == "function"]
    expect_equal([f["function"]["name"] for f in functions], ["get_weather"], "the event's function calls")
    expect_equal(props["$ai_stop_reason"], "tool_use", "$ai_stop_reason")
    return f"get_weather({calls[0].input}), reported as a function call"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[str]:
        stream = await client("AsyncAnthropic").messages.create(stream=True, **request(PROMPT_COUNT))
        return [e.delta.text async for e in stream if e.type == "content_block_delta"]

    pieces = asyncio.run(go())
    expect(len(pieces) > 1, f"expected several text deltas, got {len(pieces)}")
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect_equal(output_text(last_event()), REPLY_COUNT, "$ai_output_choices text")
    return f"AsyncAnthropic create(stream=True): {len(pieces)} deltas, event with the whole text"


@s.check("structured")
def _structured() -> str:
    raise NotApplicable("the wrapper reports create/stream; it has no structured output of its own")


@s.check("usage_stop")
def _usage_stop() -> str:
    message = client().messages.create(**request(PROMPT_COUNT, max_tokens=5))
    expect_equal((message.usage.output_tokens, message.stop_reason), (5, "max_tokens"), "usage and stop reason")
    props = last_event()
    expect(props["$ai_input_tokens"] > 0, "$ai_input_tokens > 0")
    expect_equal((props["$ai_output_tokens"], props["$ai_stop_reason"]), (5, "max_tokens"), "event usage/stop")
    return f"input {props['$ai_input_tokens']}, output 5, $ai_stop_reason max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    detail = expect_bad_request(lambda: client().messages.create(extra_headers=FAULT_400, **request(PROMPT_SAY)))
    props = last_event()
    expect_equal(props.get("$ai_is_error"), True, "$ai_is_error")
    return f"{detail}, event with $ai_is_error"


s.run()
