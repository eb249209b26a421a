"""Request TypedDicts inside pydantic: frameworks build models and adapters over them.

Google ADK declares a pydantic model with ``messages: Iterable[MessageParam]``
and ``tools: list[ToolParam]`` at import time, and other frameworks validate
request dicts with ``TypeAdapter`` before sending them.  As in the official
client, the base64 source params (whose ``data`` may be ``IO[bytes]``) allow
arbitrary types, and a tool's ``input_schema`` keeps the keys it does not name
(``$defs``, ``additionalProperties``) through validation.  The validated
request then goes over the emulator's loopback socket unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pydantic
import pytest

from _helpers import call, client_for, params
from anthropic.emulator import Emulator
from anthropic.types import MessageParam, ToolParam
from anthropic.types.beta import BetaMessageParam, BetaToolParam

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
SCHEMA = {
    "type": "object",
    "properties": {"city": {"$ref": "#/$defs/City"}},
    "required": ["city"],
    "$defs": {"City": {"type": "string"}},
    "additionalProperties": False,
}
TOOL = {"name": "get_weather", "description": "The weather in a city", "input_schema": SCHEMA}
MESSAGES = [
    {
        "role": "user",
        "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PIXEL}},
            {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}},
            {"type": "text", "text": "What's the weather in Paris? Use get_weather."},
        ],
    }
]


@pytest.mark.parametrize("beta", [False, True], ids=["messages", "beta"])
def test_a_pydantic_model_over_messages_and_tools_builds(beta: bool) -> None:
    message, tool = (BetaMessageParam, BetaToolParam) if beta else (MessageParam, ToolParam)

    class Request(pydantic.BaseModel):  # the shape of ADK's ClaudeRequest
        system_instruction: str
        messages: Iterable[message]  # type: ignore[valid-type]
        tools: list[tool]  # type: ignore[valid-type]

    request = Request(system_instruction="be brief", messages=MESSAGES, tools=[TOOL])
    # Iterable fields validate lazily, as pydantic does for any Iterable.
    (first,) = list(request.messages)
    assert list(first["content"]) == MESSAGES[0]["content"]
    # As in the official client, only ToolParam's schema keeps the keys it does not name.
    named = {k: SCHEMA[k] for k in ("type", "properties", "required")}
    assert request.tools == [{**TOOL, "input_schema": named if beta else SCHEMA}]


def test_a_validated_tool_keeps_the_schema_keys_it_does_not_name() -> None:
    validated = pydantic.TypeAdapter(ToolParam).validate_python(TOOL)
    assert validated["input_schema"] == SCHEMA


async def test_a_request_validated_by_pydantic_reaches_the_api_unchanged(mode: str, emu: Emulator) -> None:
    tools = pydantic.TypeAdapter(list[ToolParam]).validate_python([TOOL])
    adapter: Any = pydantic.TypeAdapter(list[MessageParam])
    messages = [{**m, "content": list(m["content"])} for m in adapter.validate_python(MESSAGES)]
    async with client_for(mode, emu) as client:
        message = await call(client.messages.create, **params(messages=messages, tools=tools))
    sent = emu.requests[-1].json
    assert sent["tools"][0]["input_schema"] == SCHEMA
    assert sent["messages"] == MESSAGES
    assert message.stop_reason == "tool_use"
    (use,) = [b for b in message.content if b.type == "tool_use"]
    assert use.name == "get_weather" and isinstance(use.input["city"], str)
