"""llm + llm-anthropic: llm's Python API with the Claude plugin, on the emulator.

The key comes from ANTHROPIC_API_KEY (the plugin's key variable); the client
reads ANTHROPIC_BASE_URL itself.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from _harness import (
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

s = Scenario("llm-anthropic", scan=('llm_anthropic',))
ns: dict[str, Any] = {}
MODEL_ID = "claude-sonnet-4.5"


@s.check("import")
def _import() -> str:
    import llm

    ns["llm"] = llm
    ns["model"] = llm.get_model(MODEL_ID)
    expect(type(ns["model"]).__module__ == "llm_anthropic", f"model class {type(ns['model'])!r}")
    return f"{ns['model'].model_id} from llm_anthropic"


@s.check("plain")
def _plain() -> str:
    text = ns["model"].prompt(PROMPT_SAY, stream=False).text()
    expect_equal(text, REPLY_SAY, "text")
    return repr(text)


@s.check("stream")
def _stream() -> str:
    chunks = list(ns["model"].prompt(PROMPT_COUNT))
    expect_equal("".join(chunks), REPLY_COUNT, "streamed text")
    expect(len(chunks) > 1, f"expected several chunks, got {chunks!r}")
    return f"{len(chunks)} chunks"


@s.check("tool")
def _tool() -> str:
    calls: list[str] = []

    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"18C and sunny in {city}"

    text = ns["model"].chain(PROMPT_WEATHER, tools=[get_weather]).text()
    expect_equal(len(calls), 1, "tool calls made")
    expect("get_weather tool returned" in text, f"final text: {text!r}")
    return f"get_weather({calls[0]!r}) -> {text[-40:]!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[str]:
        model = ns["llm"].get_async_model(MODEL_ID)
        return [chunk async for chunk in model.prompt(PROMPT_COUNT)]

    chunks = asyncio.run(go())
    expect_equal("".join(chunks), REPLY_COUNT, "streamed text")
    return f"{len(chunks)} chunks"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    text = ns["model"].prompt("Tell me about Paris.", schema=City).text()
    city = City.model_validate(json.loads(text))
    return repr(city)


@s.check("usage_stop")
def _usage_stop() -> str:
    response = ns["model"].prompt("Tell me a long story about the sea.", max_tokens=5)
    response.text()
    usage = response.usage()
    expect(usage.input > 0 and usage.output == 5, f"usage: {usage!r}")
    expect_equal((response.response_json or {}).get("stop_reason"), "max_tokens", "response_json stop_reason")
    return f"in={usage.input} out={usage.output} stop=max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    # A prefill that ends in whitespace: the API (and the emulator) reject it with a 400.
    return expect_bad_request(lambda: ns["model"].prompt(PROMPT_SAY, prefill="Sure ", stream=False).text())


s.run()
