"""inspect-ai: Inspect's anthropic provider (get_model / generate, and a one-sample eval), on the emulator.

Inspect is async at heart; its sync entry point is ``eval()``.  Logs go to the
scratch INSPECT_LOG_DIR the runner sets.
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

s = Scenario("inspect-ai", scan=('inspect_ai',))
ns: dict[str, Any] = {}


def model(streaming: bool, **config: Any) -> Any:
    m = ns["inspect"]
    return m.get_model(
        f"anthropic/{MODEL}",
        base_url=os.environ["ANTHROPIC_BASE_URL"],
        streaming=streaming,
        config=m.GenerateConfig(**{"max_retries": 0, "max_tokens": 256, **config}),
        memoize=False,
    )


def generate(streaming: bool, prompt: Any, **kw: Any) -> Any:
    config = kw.pop("config", {})
    return asyncio.run(model(streaming, **config).generate(prompt, **kw))


@s.check("import")
def _import() -> str:
    import inspect_ai.model as inspect_model

    ns["inspect"] = inspect_model
    model(False)
    return f"inspect_ai.model.get_model('anthropic/{MODEL}')"


@s.check("plain")
def _plain() -> str:
    output = generate(False, PROMPT_SAY)
    expect_equal(output.completion, REPLY_SAY, "completion")
    # The sync entry point: a one-sample eval with generate() and an exact-match scorer.
    from inspect_ai import Task, eval
    from inspect_ai.dataset import Sample
    from inspect_ai.scorer import exact
    from inspect_ai.solver import generate as generate_solver

    task = Task(dataset=[Sample(input=PROMPT_SAY, target=REPLY_SAY)], solver=generate_solver(), scorer=exact())
    log = eval(task, model=model(False), display="none", log_dir=os.environ["INSPECT_LOG_DIR"])[0]
    expect_equal(log.status, "success", f"eval status ({log.error})")
    metrics = {name: metric.value for name, metric in log.results.scores[0].metrics.items()}
    expect(metrics.get("accuracy", metrics.get("mean")) == 1.0, f"eval metrics: {metrics}")
    return f"{output.completion!r}; eval {metrics}"


@s.check("stream")
def _stream() -> str:
    output = generate(True, PROMPT_COUNT)
    expect_equal(output.completion, REPLY_COUNT, "completion (streamed request)")
    expect_equal(output.stop_reason, "stop", "stop_reason")
    return f"{output.completion!r}"


@s.check("tool")
def _tool() -> str:
    from inspect_ai.tool import ToolFunction, tool

    @tool
    def get_weather() -> Any:
        async def execute(city: str) -> str:
            """Get the current weather in a city.

            Args:
              city: The city.
            """
            return f"18C and sunny in {city}"

        return execute

    output = generate(True, PROMPT_WEATHER, tools=[get_weather()])
    calls = output.message.tool_calls or []
    expect_equal([c.function for c in calls], ["get_weather"], "tool calls")
    expect(isinstance(calls[0].arguments.get("city"), str), f"arguments: {calls[0].arguments!r}")
    expect_equal(output.stop_reason, "tool_calls", "stop_reason")
    forced = generate(False, "Hello", tools=[get_weather()], tool_choice=ToolFunction("get_weather"))
    expect_equal([c.function for c in forced.message.tool_calls or []], ["get_weather"], "forced tool call")
    return f"get_weather({calls[0].arguments}); forced call ok"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[Any]:
        m = model(True)
        return await asyncio.gather(m.generate(PROMPT_COUNT), m.generate(PROMPT_SAY))

    first, second = asyncio.run(go())
    expect_equal(first.completion, REPLY_COUNT, "first completion")
    expect_equal(second.completion, REPLY_SAY, "second completion")
    return "2 concurrent streamed generates"


@s.check("structured")
def _structured() -> str:
    import json

    from inspect_ai.model import ResponseSchema
    from inspect_ai.util import json_schema
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    schema = ResponseSchema(name="city", json_schema=json_schema(City))
    output = generate(False, "Tell me about Paris.", config={"response_schema": schema})
    city = City.model_validate(json.loads(output.completion))
    return repr(city)


@s.check("usage_stop")
def _usage_stop() -> str:
    done = []
    for streaming in (False, True):
        output = generate(streaming, "Tell me a long story about the sea.", config={"max_tokens": 5})
        usage = output.usage
        expect(usage and usage.input_tokens > 0 and usage.output_tokens == 5, f"usage: {usage!r}")
        expect_equal(output.stop_reason, "max_tokens", "stop_reason")
        done.append(f"{'streamed' if streaming else 'plain'}: in={usage.input_tokens} out={usage.output_tokens}")
    return "; ".join(done) + " max_tokens"


@s.check("bad_request")
def _bad_request() -> str:
    return expect_bad_request(lambda: generate(False, PROMPT_SAY, config={"extra_headers": FAULT_400}))



@s.check("agent_bridge")
def _agent_bridge() -> str:
    """An agent written on the Anthropic SDK, run through Inspect's agent_bridge() in a one-sample eval.

    The bridge patches ``anthropic._base_client.AsyncAPIClient.request``: calls for the model
    ``inspect`` are answered by the eval's model (here the emulator, through Inspect's provider),
    plainly and through ``with_raw_response``; a streamed one is refused by the bridge.
    """
    from inspect_ai import Task
    from inspect_ai import eval as inspect_eval
    from inspect_ai.agent import AgentState, agent, agent_bridge
    from inspect_ai.dataset import Sample
    from inspect_ai.scorer import includes

    import anthropic

    # Inspect resolves the agent's annotations in this module's globals (they are strings here).
    globals()["AgentState"] = AgentState
    seen: dict[str, Any] = {}

    @agent
    def sdk_agent() -> Any:
        async def execute(state: AgentState) -> AgentState:
            async with agent_bridge(state) as bridge:
                client = anthropic.AsyncAnthropic(base_url=os.environ["ANTHROPIC_BASE_URL"], max_retries=0)
                prompt = [{"role": "user", "content": state.messages[-1].text}]
                message = await client.messages.create(model="inspect", max_tokens=64, messages=prompt)
                raw = await client.messages.with_raw_response.create(model="inspect", max_tokens=64, messages=prompt)
                parsed = await raw.parse()
                seen["texts"] = [message.content[0].text, parsed.content[0].text]
                try:
                    await client.messages.create(model="inspect", max_tokens=64, stream=True, messages=prompt)
                except RuntimeError as exc:
                    seen["stream"] = str(exc)
                return bridge.state

        return execute

    task = Task(dataset=[Sample(input=PROMPT_SAY, target=REPLY_SAY)], solver=sdk_agent(), scorer=includes())
    log = inspect_eval(
        task,
        model=f"anthropic/{MODEL}",
        model_base_url=os.environ["ANTHROPIC_BASE_URL"],
        display="none",
        max_retries=0,
    )[0]
    expect(log.status == "success", f"eval status {log.status}: {log.error.message if log.error else ''}")
    expect_equal(seen.get("texts"), [REPLY_SAY, REPLY_SAY], "the bridged answers (plain, with_raw_response)")
    expect("not currently supported" in seen.get("stream", ""), f"the bridge refuses a stream: {seen.get('stream')!r}")
    score = log.samples[0].scores["includes"].value if log.samples else None
    expect_equal(score, "C", "the sample's score")
    return "AsyncAnthropic(...).messages.create(model='inspect') answered by the eval's model; stream refused"


s.run()
