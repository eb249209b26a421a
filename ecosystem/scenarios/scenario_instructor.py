"""instructor: from_anthropic over the anthropic client, on the emulator."""

from __future__ import annotations

import asyncio
from typing import Any

from _harness import (
    FAULT_400,
    MODEL,
    PROMPT_SAY,
    REPLY_SAY,
    Scenario,
    expect,
    expect_bad_request,
    expect_equal,
)

s = Scenario("instructor", scan=('instructor',))
ns: dict[str, Any] = {}
ASK = [{"role": "user", "content": "Tell me about Paris."}]


@s.check("import")
def _import() -> str:
    import instructor
    from pydantic import BaseModel

    import anthropic

    class City(BaseModel):
        name: str
        population: int

    ns["instructor"] = instructor
    ns["City"] = City
    ns["client"] = instructor.from_anthropic(anthropic.Anthropic(max_retries=0))
    ns["aclient"] = instructor.from_anthropic(anthropic.AsyncAnthropic(max_retries=0))
    return f"instructor {instructor.__version__}" if hasattr(instructor, "__version__") else "instructor"


@s.check("plain")
def _plain() -> str:
    # response_model=None: instructor hands back the anthropic Message as it came.
    message = ns["client"].chat.completions.create(
        model=MODEL, max_tokens=64, messages=[{"role": "user", "content": PROMPT_SAY}], response_model=None
    )
    expect_equal(message.content[0].text, REPLY_SAY, "text")
    return f"{type(message).__name__}: {message.content[0].text!r}"


@s.check("stream")
def _stream() -> str:
    partials = list(
        ns["client"].chat.completions.create_partial(
            model=MODEL, max_tokens=256, messages=ASK, response_model=ns["City"]
        )
    )
    expect(len(partials) > 1, f"expected several partial objects, got {len(partials)}")
    last = partials[-1]
    expect(isinstance(last.name, str) and isinstance(last.population, int), f"last partial: {last!r}")
    return f"{len(partials)} partials, last {last!r}"


@s.check("tool")
def _tool() -> str:
    city, completion = ns["client"].chat.completions.create_with_completion(
        model=MODEL, max_tokens=256, messages=ASK, response_model=ns["City"]
    )
    blocks = [b for b in completion.content if b.type == "tool_use"]
    expect_equal(len(blocks), 1, "tool_use blocks")
    expect_equal(blocks[0].name, "City", "tool name")
    expect_equal(city.model_dump(), blocks[0].input, "parsed object vs tool input")
    return f"tool_use {blocks[0].name} -> {city!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[Any]:
        stream = ns["aclient"].chat.completions.create_partial(
            model=MODEL, max_tokens=256, messages=ASK, response_model=ns["City"]
        )
        return [p async for p in stream]

    partials = asyncio.run(go())
    expect(len(partials) > 1, f"expected several partial objects, got {len(partials)}")
    expect(isinstance(partials[-1].population, int), f"last partial: {partials[-1]!r}")
    return f"{len(partials)} partials"


@s.check("structured")
def _structured() -> str:
    Mode = ns["instructor"].Mode
    import anthropic

    done = []
    for name in ("ANTHROPIC_TOOLS", "ANTHROPIC_STRUCTURED_OUTPUTS"):
        mode = getattr(Mode, name, None)
        if mode is None:
            continue
        client = ns["instructor"].from_anthropic(anthropic.Anthropic(max_retries=0), mode=mode)
        city = client.chat.completions.create(
            model=MODEL, max_tokens=256, messages=ASK, response_model=ns["City"]
        )
        expect(isinstance(city, ns["City"]), f"{name}: {city!r}")
        done.append(f"{name}={city.name!r}")
    expect(done, "no Anthropic structured mode found")
    return ", ".join(done)


@s.check("usage_stop")
def _usage_stop() -> str:
    _city, completion = ns["client"].chat.completions.create_with_completion(
        model=MODEL, max_tokens=256, messages=ASK, response_model=ns["City"]
    )
    expect(completion.usage.input_tokens > 0 and completion.usage.output_tokens > 0, f"{completion.usage!r}")
    expect_equal(completion.stop_reason, "tool_use", "stop_reason")
    message = ns["client"].chat.completions.create(
        model=MODEL, max_tokens=5, messages=[{"role": "user", "content": "Tell me a long story."}],
        response_model=None,
    )
    expect_equal(message.stop_reason, "max_tokens", "stop_reason with max_tokens=5")
    expect_equal(message.usage.output_tokens, 5, "output_tokens with max_tokens=5")
    return f"in={completion.usage.input_tokens} out={completion.usage.output_tokens} stop=tool_use; max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    return expect_bad_request(
        lambda: ns["client"].chat.completions.create(
            model=MODEL, max_tokens=256, messages=ASK, response_model=ns["City"], max_retries=0,
            extra_headers=FAULT_400,
        )
    )


s.run()
