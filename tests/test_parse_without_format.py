"""``messages.parse()`` without an output format gives a ``ParsedMessage``, as the official client does.

Frameworks call ``parse()`` for every request of a path that may carry a
format (mirascope's beta provider does) and read the result as a parsed
message: ``parsed_output`` is ``None``, the text blocks are the parsed block
classes, and the dump is the same as ``create()``'s.

Over the emulator's loopback socket.
"""

from __future__ import annotations

from typing import Any

import pytest

import anthropic
from _helpers import call, client_for, params
from anthropic.emulator import Emulator

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]


def _without_id(message: Any) -> dict[str, Any]:
    dump: dict[str, Any] = message.model_dump()
    dump.pop("id")
    return dump


@pytest.mark.parametrize("beta", [False, True], ids=["plain", "beta"])
async def test_parse_without_a_format_is_a_parsed_message_with_no_parsed_output(
    mode: str, emu: Emulator, beta: bool
) -> None:
    request = params(messages=[{"role": "user", "content": "Say exactly: hi"}])
    async with client_for(mode, emu) as client:
        resource = client.beta.messages if beta else client.messages
        created = await call(resource.create, **request)
        parsed = await call(resource.parse, **request)
        raw = await call(resource.with_raw_response.parse, **request)
        from_raw = await call(raw.parse)
    types = anthropic.types.beta if beta else anthropic.types
    parsed_message = types.ParsedBetaMessage if beta else types.ParsedMessage
    text_block = types.ParsedBetaTextBlock if beta else types.ParsedTextBlock
    for message in (parsed, from_raw):
        assert isinstance(message, parsed_message)
        assert message.parsed_output is None
        assert isinstance(message.content[0], text_block) and message.content[0].parsed_output is None
        assert message.content[0].text == "hi"
        assert _without_id(message) == _without_id(created)
    assert type(created).__name__ == ("BetaMessage" if beta else "Message")
