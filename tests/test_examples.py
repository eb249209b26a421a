"""The usage examples of the streaming docs, as scripts run unchanged against the emulator.

Each script in tests/fixtures/examples/ makes the same API calls as one example
of the docs.  It runs in a subprocess with this project's Python, configured
only through ``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_API_KEY`` as a user would;
the emulator (in this process) replays a fixture body, and the test checks
what the script printed.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from _helpers import API_KEY, FIXTURES, REQUEST_ID, sse_reply
from anthropic.emulator import Emulator, Fault, Reply

pytestmark = pytest.mark.usefixtures("clean_env")

EXAMPLES = FIXTURES / "examples"
STORY = ("Once upon a time, in a café by the fjord, a lighthouse keeper 🌊 counted ships"
         " — and one night, a ship counted him.\n\nThe end.")
HAIKU = "Careful hands at work\nCurious minds weigh every step\nLight held to the dark"


def run_example(emu: Emulator, name: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env.update(ANTHROPIC_BASE_URL=emu.base_url, ANTHROPIC_API_KEY=API_KEY, PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py")],
        env=env, capture_output=True, timeout=60, check=False,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr
    assert stderr == ""
    return done.stdout.decode("utf-8")


def test_every_example_has_a_test() -> None:
    scripts = sorted(p.stem for p in EXAMPLES.glob("*.py"))
    tested = {n[len("test_") :].removesuffix("_fails") for n in globals() if n.startswith("test_")}
    assert set(scripts) <= tested, sorted(set(scripts) - tested)
    assert len(scripts) == 10


def check_basic(emu: Emulator, name: str) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    out = run_example(emu, name)
    assert out == f"{STORY}\n[msg_01XFDUDYJgAACzvnptvVoYEL stop=end_turn out=31]\n"
    request = emu.requests[0]
    assert request.json["stream"] is True
    assert request.json["model"] == "claude-sonnet-4-5-20250929"
    assert request.headers["x-api-key"] == API_KEY


def test_basic_sync(emu: Emulator) -> None:
    check_basic(emu, "basic_sync")


def test_basic_async(emu: Emulator) -> None:
    check_basic(emu, "basic_async")


def test_text_stream(emu: Emulator) -> None:
    emu.enqueue(Reply.text("One, two, three, four, five, six, seven, eight, nine, ten."))
    out = run_example(emu, "text_stream")
    assert out == "One, two, three, four, five, six, seven, eight, nine, ten.\n"


def test_event_filtering(emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    out = run_example(emu, "event_filtering")
    assert out == f"{STORY}\n\nBlock done: text\n\nAll done.\nStop reason: end_turn\nOutput tokens: 31\n"


def test_thinking(emu: Emulator) -> None:
    emu.enqueue(sse_reply("thinking"))
    out = run_example(emu, "thinking")
    thought = "A haiku is 5-7-5. Anthropic: careful, curious, building helpful systems."
    assert out == f"Thinking:\n---------\n{thought}\n\nText:\n-----\n{HAIKU}\n"
    assert emu.requests[0].json["thinking"] == {"type": "enabled", "budget_tokens": 1600}


def test_structured_output(emu: Emulator) -> None:
    emu.enqueue(sse_reply("structured_output"))
    out = run_example(emu, "structured_output")
    assert out.splitlines() == [
        "{'product_name': 'Gre'}",
        "{'product_name': 'Green Tea'}",  # '5.' is not a number yet
        "{'product_name': 'Green Tea', 'price': 5.5, 'quantity': 2}",
        "Product: Green Tea",
        "Price: $5.5",
        "Quantity: 2",
    ]
    request = emu.requests[0]
    assert request.headers["anthropic-beta"] == "structured-outputs-2025-09-17"
    assert request.query == {"beta": "true"}
    schema = request.json["output_format"]["schema"]
    assert request.json["output_format"]["type"] == "json_schema"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["product_name", "price", "quantity"]


def test_async_error_handling(emu: Emulator) -> None:
    emu.enqueue(Reply.text("Why did the compiler break up? Too many unresolved references."))
    out = run_example(emu, "async_error_handling")
    assert out.startswith("Why did the compiler break up? Too many unresolved references.\n\nFinal message ID: msg_")


def test_async_error_handling_fails(emu: Emulator) -> None:
    emu.add_fault(Fault(status=529, retry_after=0))
    out = run_example(emu, "async_error_handling")
    assert out.startswith("\nError during streaming: OverloadedError: Error code: 529")
    assert len(emu.requests) == 3  # the default two retries, then the error
    body = sse_reply("text_recorded").body
    emu.reset()
    emu.enqueue(Reply.sse(body[: body.index(b"event: message_delta")], headers={"request-id": REQUEST_ID}))
    out = run_example(emu, "async_error_handling")
    assert out.startswith(STORY + "\nError during streaming: IncompleteStreamError:")
    assert REQUEST_ID in out


def test_tool_use(emu: Emulator) -> None:
    emu.enqueue(sse_reply("tool_use"))
    out = run_example(emu, "tool_use")
    assert out.splitlines() == [
        "",
        "Tool: get_weather",
        "Partial input: {}",
        "Partial input: {}",
        "Partial input: {'location': 'San Francisco, CA'}",
        "Partial input: {'location': 'San Francisco, CA'}",
        "Partial input: {'location': 'San Francisco, CA', 'unit': 'fahrenheit'}",
        "Final input: {'location': 'San Francisco, CA', 'unit': 'fahrenheit'}",
        "",
        "Tool: record_forecast",
        "Partial input: {'days': [1, 2]}",
        "Partial input: {'days': [1, 2.5]}",
        "Partial input: {'days': [1, 2.5, -300.0]}",
        "Partial input: {'days': [1, 2.5, -300.0]}",
        "Partial input: {'days': [1, 2.5, -300.0], 'note': 'café \"chez nous\"', 'nested': {}}",
        "Partial input: {'days': [1, 2.5, -300.0], 'note': 'café \"chez nous\"', 'nested': {'ok': True, 'none': None}}",
        "Final input: {'days': [1, 2.5, -300.0], 'note': 'café \"chez nous\"', 'nested': {'ok': True, 'none': None}}",
    ]
    assert emu.requests[0].json["tools"][0]["name"] == "get_weather"


def test_manual_lifecycle(emu: Emulator) -> None:
    emu.enqueue(Reply.message([{"type": "text", "text": "1, 2, 3, 4, 5"}], id="msg_01ManualLifecycle"))
    out = run_example(emu, "manual_lifecycle")
    assert out == "1, 2, 3, 4, 5\n\nMessage ID: msg_01ManualLifecycle\nClosed: True\n"


def test_response_metadata(emu: Emulator) -> None:
    emu.enqueue(sse_reply("text_recorded"))
    out = run_example(emu, "response_metadata")
    assert out == (f"Request ID: {REQUEST_ID}\nContent type: text/event-stream; charset=utf-8\n"
                   f"{STORY}\n\nFinal token count: 31\n")
