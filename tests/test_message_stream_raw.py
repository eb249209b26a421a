"""``_raw_stream`` of a message stream: the official client's attribute, which frameworks read.

Mirascope (2.x) enters ``client.messages.stream(...)`` and iterates
``stream._raw_stream`` to get the raw events without the derived ones.  Here it
is a view over the stream's own iteration: the raw events exactly as
``messages.create(stream=True)`` gives them (stops as sent, no ``text`` /
``input_json`` events), the same response and closing, errors as typed as the
stream's, and the message still accumulated.

Over the emulator's loopback socket.
"""

from __future__ import annotations

from typing import Any

import pytest

import anthropic
from _helpers import call, client_for, drain, each, entered, params
from anthropic.emulator import Emulator, Fault

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def _request(prompt: str) -> dict[str, Any]:
    return params(messages=[{"role": "user", "content": prompt}], tools=[WEATHER_TOOL])


def _dumps(events: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Class name and fields of each event, the message id left out (each request gets its own)."""
    out = []
    for event in events:
        dump = event.model_dump()
        if event.type == "message_start":
            dump["message"].pop("id")
        out.append((type(event).__name__, dump))
    return out


@pytest.mark.parametrize("beta", [False, True], ids=["plain", "beta"])
@pytest.mark.parametrize("prompt", ["Count to 5", "What's the weather in Paris?"])
async def test_raw_stream_gives_the_raw_events_of_create_stream_and_the_message_is_still_built(
    mode: str, emu: Emulator, beta: bool, prompt: str
) -> None:
    async with client_for(mode, emu) as client:
        resource = client.beta.messages if beta else client.messages
        expected = await drain(await call(resource.create, stream=True, **_request(prompt)))
        async with entered(resource.stream(**_request(prompt))) as stream:
            raw = stream._raw_stream
            assert raw is stream._raw_stream
            assert type(raw) is (anthropic.Stream if mode == "sync" else anthropic.AsyncStream)
            assert raw.response is stream.response and raw.request_id == stream.request_id
            events = await drain(raw)
            final = await call(stream.get_final_message)
    assert _dumps(events) == _dumps(expected)
    assert {e.type for e in events} <= {
        "message_start", "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop",
    }
    assert type(final).__name__ == ("ParsedBetaMessage" if beta else "ParsedMessage")
    if "weather" in prompt:
        assert final.content[-1].input == {"city": "Paris"}
    else:
        assert final.content[0].text == "1, 2, 3, 4, 5."


async def test_reading_raw_stream_changes_nothing_about_the_message_stream(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client, entered(client.messages.stream(**_request("Count to 5"))) as stream:
        assert stream._raw_stream.response.status_code == 200
        events = await drain(stream)
    kinds = [e.type for e in events]
    assert "text" in kinds
    assert type(events[-1]).__name__ == "ParsedMessageStopEvent"
    assert "".join(e.text for e in events if e.type == "text") == "1, 2, 3, 4, 5."


async def test_an_error_event_mid_answer_is_raised_typed_through_raw_stream(mode: str, emu: Emulator) -> None:
    emu.add_fault(Fault(error_event="overloaded_error", error_event_after=2))
    async with client_for(mode, emu) as client, entered(client.messages.stream(**_request("Count to 5"))) as stream:
        seen: list[Any] = []
        with pytest.raises(anthropic.OverloadedError) as info:
            async for event in each(stream._raw_stream):
                seen.append(event)
    assert [e.type for e in seen].count("content_block_delta") == 2
    assert "overloaded_error" in str(info.value) and info.value.status_code == 529
    assert info.value.partial_message is not None


async def test_closing_raw_stream_closes_the_streams_response(mode: str, emu: Emulator) -> None:
    async with client_for(mode, emu) as client, entered(client.messages.stream(**_request("Count to 5"))) as stream:
        first = await drain(stream._raw_stream, limit=1)
        await call(stream._raw_stream.close)
        assert stream.response.is_closed
    assert first[0].type == "message_start"
