"""The accumulator's protocol checks and what reaches the message, fed through the stream core.

Each test spells a stream as events, runs it through a fresh
:class:`~anthropic._streaming.StreamCore` (SSE decoding, JSON, accumulator:
what a live stream drives) as a message stream and as a raw stream, and
checks the typed error or the final message.  The recorded streams of
refusals, compaction and fallback are compared with the official client in
``tests/test_streaming.py`` (golden files); here each rule has its own test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anthropic import APIResponseValidationError
from fuzz.bodies import Event, encode_events
from fuzz.harness import run_core

STREAMS = Path(__file__).parent / "fixtures" / "streams"

START: Event = (
    "message_start",
    {
        "type": "message_start",
        "message": {
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-5",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 7, "output_tokens": 1},
        },
    },
)
STOP: Event = ("message_stop", {"type": "message_stop"})


def block_start(index: int, block: dict[str, Any]) -> Event:
    return ("content_block_start", {"type": "content_block_start", "index": index, "content_block": block})


def delta(index: int, d: dict[str, Any]) -> Event:
    return ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": d})


def block_stop(index: int) -> Event:
    return ("content_block_stop", {"type": "content_block_stop", "index": index})


def message_delta(stop_reason: str | None, **fields: Any) -> Event:
    usage = fields.pop("usage", {"output_tokens": 9})
    return (
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None, **fields.pop("delta", {})},
            "usage": usage,
            **fields,
        },
    )


def tool_call(pieces: list[str], stop_reason: str | None, *, with_delta: bool = True) -> bytes:
    events = [
        START,
        block_start(0, {"type": "tool_use", "id": "toolu_01", "name": "transfer", "input": {}}),
        *(delta(0, {"type": "input_json_delta", "partial_json": p}) for p in pieces),
        block_stop(0),
    ]
    if with_delta:
        events.append(message_delta(stop_reason))
    return encode_events([*events, STOP])


both_kinds = pytest.mark.parametrize("derived", [True, False], ids=["message-stream", "raw-stream"])
both_flavours = pytest.mark.parametrize("beta", [False, True], ids=["plain", "beta"])


# -- tool input JSON not complete at its block's stop ------------------------------------------


@both_kinds
@pytest.mark.parametrize("stop_reason", ["tool_use", "end_turn", "refusal"])
def test_incomplete_tool_input_is_an_error_unless_max_tokens_cut_it(derived: bool, stop_reason: str) -> None:
    out = run_core(tool_call(['{"amount": ', "1000"], stop_reason), derived=derived)
    assert type(out.error) is APIResponseValidationError
    assert out.error.message == (
        "The stream broke the Messages API protocol: the input JSON of content block 0 (transfer) was "
        f"incomplete at its content_block_stop and the stop reason is {stop_reason!r}, not 'max_tokens': "
        "'{\"amount\": 1000'"
    )
    assert out.error.partial_message.content[0].input == {"amount": 1000}


@both_kinds
def test_incomplete_tool_input_without_any_stop_reason_is_an_error(derived: bool) -> None:
    out = run_core(tool_call(['{"amount": 10'], None, with_delta=False), derived=derived)
    assert type(out.error) is APIResponseValidationError
    assert "was incomplete at its content_block_stop and the stop reason is None" in out.error.message


def test_incomplete_tool_input_cut_by_max_tokens_is_kept_and_marked_partial() -> None:
    out = run_core(tool_call(['{"to": "ACME", "amount": ', "10"], "max_tokens"))
    assert out.error is None
    block = out.final.content[0]
    assert block.input == {"to": "ACME", "amount": 10}
    assert block.input_is_partial is True
    # The mark is not a field: the block dumps and compares as the API would send it.
    assert "input_is_partial" not in block.model_dump()


def test_complete_tool_input_is_not_marked() -> None:
    out = run_core(tool_call(['{"amount": ', "1000}"], "tool_use"))
    assert out.error is None
    assert out.final.content[0].input == {"amount": 1000}
    assert not hasattr(out.final.content[0], "input_is_partial")


# -- message_stop while a block is open ----------------------------------------------------------


@both_kinds
def test_message_stop_while_a_block_is_open_is_a_protocol_error(derived: bool) -> None:
    events = [
        START,
        block_start(0, {"type": "text", "text": ""}),
        delta(0, {"type": "text_delta", "text": "Hello"}),
        block_stop(0),
        block_start(1, {"type": "text", "text": ""}),
        delta(1, {"type": "text_delta", "text": "wor"}),
        message_delta("end_turn"),
        STOP,
    ]
    out = run_core(encode_events(events), derived=derived)
    assert type(out.error) is APIResponseValidationError
    assert out.error.message == (
        "The stream broke the Messages API protocol: message_stop arrived while content block(s) [1] had not stopped"
    )
    assert [b.text for b in out.error.partial_message.content] == ["Hello", "wor"]


# -- every field of message_delta reaches the message -------------------------------------------


@both_flavours
@both_kinds
def test_every_message_delta_field_reaches_the_final_message(beta: bool, derived: bool) -> None:
    details = {"type": "refusal", "category": "cyber", "explanation": "No.", "brand_new_detail": {"x": [1]}}
    events = [
        START,
        block_start(0, {"type": "text", "text": ""}),
        delta(0, {"type": "text_delta", "text": "I can"}),
        block_stop(0),
        message_delta(
            "refusal",
            delta={"stop_details": details, "future_delta_field": "x"},
            usage={
                "output_tokens": 4,
                "input_tokens": 9,
                "future_usage": {"nested": {"deep": True}},
                "fallback_credit": {"status": {"type": "redeemed"}},
            },
            context_management={"applied_edits": []},
        ),
        STOP,
    ]
    out = run_core(encode_events(events), beta=beta)
    assert out.error is None
    dump = out.final.to_dict()
    assert dump["stop_reason"] == "refusal"
    assert dump["stop_details"] == details
    assert out.final.stop_details.category == "cyber"
    assert dump["future_delta_field"] == "x"
    assert dump["context_management"] == {"applied_edits": []}
    assert dump["usage"]["input_tokens"] == 9
    assert dump["usage"]["output_tokens"] == 4
    assert dump["usage"]["future_usage"] == {"nested": {"deep": True}}
    assert dump["usage"]["fallback_credit"] == {"status": {"type": "redeemed"}}
    raw = run_core(encode_events(events), beta=beta, derived=False)
    assert raw.error is None
    assert raw.objects[-2].model_dump(mode="json")["usage"]["fallback_credit"] == {"status": {"type": "redeemed"}}


def test_a_null_in_message_delta_does_not_erase_what_message_start_gave() -> None:
    start = json.loads(json.dumps(START))
    start[1]["message"]["container"] = {"id": "container_1", "expires_at": "2026-01-01T00:00:00Z"}
    events = [start, message_delta("end_turn", delta={"container": None}), STOP]
    out = run_core(encode_events(events), beta=True)
    assert out.error is None
    assert out.final.container.id == "container_1"


# -- beta compaction and fallback -----------------------------------------------------------------


def test_compaction_delta_fills_its_block_and_yields_a_compaction_event() -> None:
    body = (STREAMS / "compaction.sse").read_bytes()
    out = run_core(body, beta=True)
    assert out.error is None
    compactions = [o for o in out.objects if type(o).__name__ == "BetaCompactionEvent"]
    assert len(compactions) == 1
    event = compactions[0]
    assert event.type == "compaction"
    assert event.content.startswith("The user is building a CLI tool in Rust")
    assert event.encrypted_content.startswith("EqQBCkYI")
    block = out.final.content[0]
    assert (block.type, block.content, block.encrypted_content) == ("compaction", event.content, event.encrypted_content)
    # The block stop event carries the filled block too.
    stops = [o for o in out.objects if type(o).__name__ == "ParsedBetaContentBlockStopEvent"]
    assert stops[0].content_block.content == event.content
    raw = run_core(body, beta=True, derived=False)
    assert "BetaCompactionEvent" not in [type(o).__name__ for o in raw.objects]


def test_a_fallback_block_relabels_the_message_with_the_model_that_served() -> None:
    body = (STREAMS / "fallback.sse").read_bytes()
    out = run_core(body, beta=True)
    assert out.error is None
    assert out.final.model == "claude-sonnet-4-5-20250929"
    block = out.final.content[0]
    assert block.type == "fallback"
    assert block.model_dump(mode="json", by_alias=True)["from"] == {"model": "claude-opus-4-6"}
    assert out.final.usage.model_dump(mode="json")["fallback_credit"]["status"]["reason"] == "expired"
