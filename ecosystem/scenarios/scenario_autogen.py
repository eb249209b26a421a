"""autogen-ext's AnthropicChatCompletionClient (and autogen-agentchat's AssistantAgent), on the emulator.

The client is used directly (`create`, `create_stream`) and as the model of an
`AssistantAgent` that runs a tool.  Every request autogen-ext 0.7.5 sends
carries `temperature=`, which the official 2.15.0's `messages.create` does not
take (see upstream_failures.txt).
"""

from __future__ import annotations

import asyncio
import json
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

s = Scenario("autogen", scan=('autogen_ext',))
ns: dict[str, Any] = {}


def client(**kw: Any) -> Any:
    return ns["Client"](
        model=MODEL, api_key=os.environ["ANTHROPIC_API_KEY"], base_url=os.environ["ANTHROPIC_BASE_URL"], **kw
    )


def user(text: str) -> Any:
    return ns["UserMessage"](content=text, source="user")


async def collect_stream(model_client: Any, text: str, **kw: Any) -> tuple[list[str], Any]:
    pieces: list[str] = []
    final = None
    async for item in model_client.create_stream([user(text)], **kw):
        if isinstance(item, str):
            pieces.append(item)
        else:
            final = item
    await model_client.close()
    return pieces, final


@s.check("import")
def _import() -> str:
    from autogen_agentchat.agents import AssistantAgent
    from autogen_core.models import UserMessage
    from autogen_ext.models.anthropic import AnthropicChatCompletionClient

    ns.update(Client=AnthropicChatCompletionClient, UserMessage=UserMessage, AssistantAgent=AssistantAgent)
    info = client().model_info
    return f"AnthropicChatCompletionClient ({info['family']}), AssistantAgent"


@s.check("plain")
def _plain() -> str:
    async def go() -> Any:
        c = client()
        try:
            return await c.create([user(PROMPT_SAY)])
        finally:
            await c.close()

    result = asyncio.run(go())
    expect_equal(result.content, REPLY_SAY, "content")
    expect_equal(result.finish_reason, "stop", "finish_reason")
    return f"create: {result.content!r}"


@s.check("stream")
def _stream() -> str:
    pieces, final = asyncio.run(collect_stream(client(), PROMPT_COUNT))
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    expect_equal(final.content, REPLY_COUNT, "the closing CreateResult's content")
    return f"create_stream: {len(pieces)} pieces"


@s.check("tool")
def _tool() -> str:
    from autogen_agentchat.messages import TextMessage, ToolCallExecutionEvent, ToolCallRequestEvent
    from autogen_core.tools import FunctionTool

    calls: list[str] = []

    async def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"18C and sunny in {city}"

    async def go() -> tuple[Any, Any]:
        c = client()
        try:
            tool = FunctionTool(get_weather, description="Get the current weather in a city.")
            direct = await c.create([user(PROMPT_WEATHER)], tools=[tool])
            agent = ns["AssistantAgent"]("weather", model_client=c, tools=[get_weather], reflect_on_tool_use=True)
            return direct, await agent.run(task=PROMPT_WEATHER)
        finally:
            await c.close()

    direct, run = asyncio.run(go())
    expect_equal(direct.finish_reason, "function_calls", "finish_reason of create(tools=)")
    expect_equal([f.name for f in direct.content], ["get_weather"], "function calls of create(tools=)")
    arguments = direct.content[0].arguments
    expect(isinstance(json.loads(arguments).get("city"), str), f"arguments: {arguments!r}")
    requests = [m for m in run.messages if isinstance(m, ToolCallRequestEvent)]
    executions = [m for m in run.messages if isinstance(m, ToolCallExecutionEvent)]
    expect(len(requests) == 1 and len(requests[0].content) == 1, f"tool call requests: {requests!r}")
    expect(len(executions) == 1 and not executions[0].content[0].is_error, f"tool executions: {executions!r}")
    expect_equal(len(calls), 1, "tool calls made by the agent")
    final = run.messages[-1]
    expect(isinstance(final, TextMessage), f"last message: {final!r}")
    expect("get_weather tool returned" in final.content, f"final answer: {final.content!r}")
    return f"AssistantAgent: get_weather({calls[0]!r}) -> {final.content[:40]!r}"


@s.check("async_stream")
def _async_stream() -> str:
    from autogen_agentchat.base import TaskResult
    from autogen_agentchat.messages import ModelClientStreamingChunkEvent, TextMessage

    async def go() -> tuple[list[str], Any]:
        c = client()
        try:
            agent = ns["AssistantAgent"]("counter", model_client=c, model_client_stream=True)
            chunks: list[str] = []
            result = None
            async for item in agent.run_stream(task=PROMPT_COUNT):
                if isinstance(item, ModelClientStreamingChunkEvent):
                    chunks.append(item.content)
                elif isinstance(item, TaskResult):
                    result = item
            return chunks, result
        finally:
            await c.close()

    chunks, result = asyncio.run(go())
    expect_equal("".join(chunks), REPLY_COUNT, "streamed chunks")
    expect(len(chunks) > 1, f"expected several chunks, got {chunks!r}")
    final = result.messages[-1] if result is not None else None
    expect(isinstance(final, TextMessage) and final.content == REPLY_COUNT, f"final message: {final!r}")
    return f"AssistantAgent.run_stream(model_client_stream=True): {len(chunks)} chunks"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    async def go() -> Any:
        c = client()
        try:
            return await c.create([user("Tell me about Paris.")], json_output=City)
        finally:
            await c.close()

    try:
        result = asyncio.run(go())
    except ValueError as exc:
        if "not supported" in str(exc):
            raise NotApplicable(f"autogen-ext's Anthropic client refuses json_output=<model>: {exc}") from exc
        raise
    city = City.model_validate_json(result.content)
    return repr(city)


@s.check("usage_stop")
def _usage_stop() -> str:
    prompt = "Tell me a long story about the sea."

    async def go() -> Any:
        c = client(max_tokens=5)
        try:
            return await c.create([user(prompt)])
        finally:
            await c.close()

    result = asyncio.run(go())
    usage = result.usage
    expect(usage.prompt_tokens > 0 and usage.completion_tokens == 5, f"usage: {usage!r}")
    expect_equal(result.finish_reason, "length", "finish_reason")
    _pieces, streamed = asyncio.run(collect_stream(client(max_tokens=5), prompt))
    streamed_usage = streamed.usage
    expect(
        streamed_usage.prompt_tokens > 0 and streamed_usage.completion_tokens == 5, f"streamed usage: {streamed_usage!r}"
    )
    expect_equal(streamed.finish_reason, "length", "streamed finish_reason")
    return f"in={usage.prompt_tokens} out={usage.completion_tokens} finish_reason=length (create, create_stream)"


@s.check("bad_request")
def _bad_request() -> str:
    async def go() -> Any:
        c = client(default_headers=FAULT_400)
        try:
            return await c.create([user(PROMPT_SAY)])
        finally:
            await c.close()

    return expect_bad_request(lambda: asyncio.run(go()))


s.run()
