"""agno: Agent on agno.models.anthropic.Claude, on the emulator.

Agno calls ``messages.create``/``messages.stream`` and, once a beta feature is on
(``betas=``, structured output), ``beta.messages.create``/``beta.messages.stream``;
it reads the stream by ``isinstance`` against the SDK's event classes
(``ContentBlockStopEvent``, ``ParsedBetaMessageStopEvent``, ...), so a streamed tool
call or usage that is not an instance of them is silently dropped.  Each path is run
here, sync and async.  Agno reports no stop reason of its own; a run's ``metrics``
carry the usage.  ``Agent.run`` turns a model error into ``RunStatus.error``, so the
400 is checked through the model's own ``response()``, which raises it (wrapped).
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
    Scenario,
    expect,
    expect_bad_request,
    expect_equal,
)

s = Scenario("agno", scan=('agno',))
ns: dict[str, Any] = {}
# Any beta flag sends agno down the beta.messages path (the emulator accepts any flag).
BETAS = ["context-management-2025-06-27"]


def claude(**kw: Any) -> Any:
    return ns["Claude"](id=MODEL, **kw)


def agent(model: Any = None, **kw: Any) -> Any:
    return ns["Agent"](model=model or claude(), **kw)


def get_weather(city: str) -> str:
    """Get the current weather in a city."""
    ns["calls"].append(city)
    return f"18C and sunny in {city}"


def content_pieces(events: Any) -> list[str]:
    return [e.content for e in events if e.event == "RunContent" and isinstance(e.content, str) and e.content]


def completed(events: list[Any]) -> Any:
    done = [e for e in events if e.event == "RunCompleted"]
    expect(done, f"no RunCompleted event among {[e.event for e in events]}")
    return done[-1]


@s.check("import")
def _import() -> str:
    # Agno sends anonymous usage telemetry by default (read when an Agent is built): stay off the network.
    os.environ.setdefault("AGNO_TELEMETRY", "false")
    from agno.agent import Agent
    from agno.models.anthropic import Claude

    ns["Agent"] = Agent
    ns["Claude"] = Claude
    model = claude()
    model.get_client()
    model.get_async_client()
    return "Agent, agno.models.anthropic.Claude (sync and async clients built)"


@s.check("plain")
def _plain() -> str:
    result = agent().run(PROMPT_SAY)
    expect_equal(result.content, REPLY_SAY, "content")
    beta = agent(claude(betas=BETAS)).run(PROMPT_SAY)
    expect_equal(beta.content, REPLY_SAY, "content through beta.messages.create")
    return f"{result.content!r} (messages.create and beta.messages.create)"


@s.check("stream")
def _stream() -> str:
    pieces = content_pieces(agent().run(PROMPT_COUNT, stream=True))
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    return f"{len(pieces)} pieces"


@s.check("tool")
def _tool() -> str:
    done = []
    for betas in (None, BETAS):
        for stream in (False, True):
            ns["calls"] = []
            a = agent(claude(betas=betas), tools=[get_weather])
            if stream:
                result = completed(list(a.run(PROMPT_WEATHER, stream=True, stream_events=True)))
            else:
                result = a.run(PROMPT_WEATHER)
            where = f"{'beta ' if betas else ''}{'stream' if stream else 'create'}"
            expect_equal(ns["calls"], ["Paris"], f"tool calls made ({where})")
            expect(
                "get_weather tool returned" in (result.content or ""),
                f"final content ({where}): {result.content!r}",
            )
            done.append(where)
    return f"get_weather('Paris') and its result sent back: {', '.join(done)}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go(betas: Any) -> list[str]:
        return content_pieces([e async for e in agent(claude(betas=betas)).arun(PROMPT_COUNT, stream=True)])

    counts = []
    for betas in (None, BETAS):
        pieces = asyncio.run(go(betas))
        expect_equal("".join(pieces), REPLY_COUNT, f"streamed text{' (beta)' if betas else ''}")
        expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
        counts.append(len(pieces))

    async def tool() -> Any:
        ns["calls"] = []
        a = agent(tools=[get_weather])
        return completed([e async for e in a.arun(PROMPT_WEATHER, stream=True, stream_events=True)])

    result = asyncio.run(tool())
    expect_equal(ns["calls"], ["Paris"], "tool calls made (async stream)")
    expect("get_weather tool returned" in (result.content or ""), f"final content: {result.content!r}")
    return f"{counts[0]} pieces (messages), {counts[1]} (beta.messages), and a streamed tool round trip"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    result = agent(output_schema=City).run("Tell me about Paris.")
    expect(isinstance(result.content, City), f"content: {result.content!r}")

    async def go() -> Any:
        return completed(
            [
                e
                async for e in agent(output_schema=City).arun(
                    "Tell me about Paris.", stream=True, stream_events=True
                )
            ]
        )

    streamed = asyncio.run(go())
    expect(isinstance(streamed.content, City), f"streamed content: {streamed.content!r}")
    return f"{result.content!r} (beta.messages.create; and beta.messages.stream, async)"


@s.check("usage_stop")
def _usage_stop() -> str:
    result = agent(claude(max_tokens=5)).run("Tell me a long story about the sea.")
    m = result.metrics
    expect(m.input_tokens > 0 and m.output_tokens == 5, f"metrics: in={m.input_tokens} out={m.output_tokens}")
    streamed = completed(
        list(
            agent(claude(max_tokens=5)).run(
                "Tell me a long story about the sea.", stream=True, stream_events=True
            )
        )
    )
    sm = streamed.metrics
    expect(
        sm.input_tokens > 0 and sm.output_tokens == 5,
        f"streamed metrics: in={sm.input_tokens} out={sm.output_tokens}",
    )
    # Agno's count_tokens goes through messages.count_tokens: the same prompt, the same input tokens.
    from agno.models.message import Message

    prompt = [Message(role="user", content="Tell me a long story about the sea.")]
    counted = claude().count_tokens(prompt)
    acounted = asyncio.run(claude().acount_tokens(prompt))
    expect_equal((counted, acounted), (m.input_tokens, m.input_tokens), "count_tokens, acount_tokens")
    return f"in={m.input_tokens} out={m.output_tokens} (also streamed; count_tokens agrees); agno reports no stop reason"


@s.check("bad_request")
def _bad_request() -> str:
    from agno.models.message import Message

    model = claude(default_headers=FAULT_400)
    run = agent(model).run(PROMPT_SAY)
    expect_equal(getattr(run.status, "value", run.status), "ERROR", "Agent.run status")
    return expect_bad_request(lambda: model.response(messages=[Message(role="user", content=PROMPT_SAY)]))


s.run()
