"""CrewAI: ``LLM("anthropic/...")``, its native provider on the ``anthropic`` client, in Crews.

``crewai.LLM`` with an ``anthropic/`` model builds ``AnthropicCompletion``,
which holds an ``anthropic.Anthropic`` and an ``AsyncAnthropic`` (no litellm
here: it is not installed).  The client reads ``ANTHROPIC_BASE_URL`` and
``ANTHROPIC_API_KEY``.  CrewAI reports each call on its event bus
(``LLMStreamChunkEvent`` per streamed piece, ``LLMCallCompletedEvent`` with the
usage and the raw ``stop_reason``), which the checks read after flushing it.
Telemetry, tracing and the version check are off; storage goes to the scratch
directory.
"""

from __future__ import annotations

import asyncio
import os
import sys
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

os.environ.update(
    CREWAI_DISABLE_TELEMETRY="true",
    OTEL_SDK_DISABLED="true",
    CREWAI_TRACING_ENABLED="false",
    CREWAI_DISABLE_VERSION_CHECK="true",
    CREWAI_STORAGE_DIR=os.path.join(os.getcwd(), "crewai-storage"),
)

s = Scenario("crewai", scan=('crewai',))
ns: dict[str, Any] = {}
chunks: list[str] = []
completed: list[Any] = []


def llm(**kw: Any) -> Any:
    return ns["LLM"](model=f"anthropic/{MODEL}", **kw)


def flush() -> None:
    """Wait for the event bus's handlers (they run on its own workers)."""
    expect(ns["bus"].flush(), "the event bus did not flush")


def crew(description: str, expected: str, *, llm_kw: dict[str, Any] | None = None, tools: Any = (),
         stream: bool = False, **task_kw: Any) -> Any:
    agent = ns["Agent"](
        role="Assistant", goal="Answer the task", backstory="You answer briefly.",
        llm=llm(**(llm_kw or {})), tools=list(tools),
    )
    task = ns["Task"](description=description, expected_output=expected, agent=agent, **task_kw)
    return ns["Crew"](agents=[agent], tasks=[task], stream=stream)


@s.check("import")
def _import() -> str:
    from crewai import LLM, Agent, Crew, Task
    from crewai.events import LLMCallCompletedEvent, LLMStreamChunkEvent, crewai_event_bus
    from crewai.llms.providers.anthropic.completion import AnthropicCompletion

    import anthropic

    ns.update(LLM=LLM, Agent=Agent, Crew=Crew, Task=Task, bus=crewai_event_bus)

    @crewai_event_bus.on(LLMStreamChunkEvent)
    def _chunk(source: Any, event: Any) -> None:
        chunks.append(event.chunk)

    @crewai_event_bus.on(LLMCallCompletedEvent)
    def _completed(source: Any, event: Any) -> None:
        completed.append(event)

    model = llm()
    expect(isinstance(model, AnthropicCompletion), f"LLM('anthropic/...') is {type(model)!r}")
    client = model._get_sync_client()
    expect(isinstance(client, anthropic.Anthropic), f"its client: {type(client)!r}")
    expect("litellm" not in sys.modules, "litellm was imported")
    return f"LLM -> {type(model).__name__} on anthropic.{type(client).__name__}"


@s.check("plain")
def _plain() -> str:
    answer = llm().call(PROMPT_SAY)
    expect_equal(answer, REPLY_SAY, "LLM.call")
    # Through a crew the prompt is CrewAI's task prompt, which the emulator's reply quotes.
    out = crew(PROMPT_SAY, "the text asked for").kickoff()
    expect("Current Task: " + PROMPT_SAY in out.raw, f"crew output: {out.raw[:120]!r}")
    return f"call {answer!r}; kickoff {out.raw[:40]!r}"


@s.check("stream")
def _stream() -> str:
    chunks.clear()
    answer = llm(stream=True).call(PROMPT_COUNT)
    flush()
    expect_equal(answer, REPLY_COUNT, "streamed LLM.call")
    expect_equal("".join(chunks), REPLY_COUNT, "LLMStreamChunkEvent chunks")
    expect(len(chunks) > 1, f"expected several chunks, got {chunks!r}")
    n = len(chunks)
    streaming = crew(PROMPT_COUNT, "the numbers", llm_kw={"stream": True}, stream=True).kickoff()
    pieces = [c.content for c in streaming]
    expect_equal("".join(pieces), REPLY_COUNT, "Crew(stream=True) chunks")
    expect_equal(streaming.result.raw, REPLY_COUNT, "the crew's result")
    return f"LLM.call: {n} chunks; Crew(stream=True).kickoff(): {len(pieces)} chunks"


@s.check("tool")
def _tool() -> str:
    from crewai.tools import tool

    calls: list[str] = []

    @tool("get_weather")
    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"18C and sunny in {city}"

    out = crew(PROMPT_WEATHER, "the weather", tools=[get_weather]).kickoff()
    expect_equal(len(calls), 1, "tool calls made")
    expect(isinstance(calls[0], str) and calls[0], f"city: {calls[0]!r}")
    expect("get_weather tool returned" in out.raw, f"crew output: {out.raw!r}")
    return f"get_weather({calls[0]!r}) -> {out.raw[:40]!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> tuple[str, list[str], Any]:
        chunks.clear()
        answer = await llm(stream=True).acall(PROMPT_COUNT)
        flush()
        pieces = list(chunks)
        streaming = await crew(PROMPT_COUNT, "the numbers", llm_kw={"stream": True}, stream=True).kickoff_async()
        crew_pieces = [c.content async for c in streaming]
        return answer, pieces, (crew_pieces, streaming.result.raw)

    answer, pieces, (crew_pieces, raw) = asyncio.run(go())
    expect_equal(answer, REPLY_COUNT, "LLM.acall")
    expect_equal("".join(pieces), REPLY_COUNT, "LLMStreamChunkEvent chunks")
    expect(len(pieces) > 1, f"expected several chunks, got {pieces!r}")
    expect_equal("".join(crew_pieces), REPLY_COUNT, "kickoff_async chunks")
    expect_equal(raw, REPLY_COUNT, "the crew's result")
    return f"LLM.acall: {len(pieces)} chunks; kickoff_async: {len(crew_pieces)} chunks"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    direct = llm().call("Tell me about Paris.", response_model=City)
    expect(isinstance(direct, City), f"LLM.call(response_model=City): {direct!r}")
    out = crew("Tell me about Paris.", "a city", output_pydantic=City).kickoff()
    expect(isinstance(out.pydantic, City), f"output_pydantic: {out.pydantic!r} (raw {out.raw!r})")
    return f"{direct!r}; output_pydantic {out.pydantic!r}"


@s.check("usage_stop")
def _usage_stop() -> str:
    completed.clear()
    llm(max_tokens=5).call("Tell me a long story about the sea.")
    flush()
    expect_equal(len(completed), 1, "LLMCallCompletedEvent events")
    event = completed[0]
    usage = event.usage or {}
    expect(usage.get("input_tokens", 0) > 0 and usage.get("output_tokens") == 5, f"usage: {usage!r}")
    expect_equal(event.finish_reason, "max_tokens", "finish_reason")
    return f"in={usage['input_tokens']} out={usage['output_tokens']} finish_reason=max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    model = llm(client_params={"default_headers": FAULT_400, "max_retries": 0})
    return expect_bad_request(lambda: model.call(PROMPT_SAY))


s.run()
