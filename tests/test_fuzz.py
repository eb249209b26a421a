"""Broken streams: only documented exceptions come out, nothing hangs, memory stays bounded.

The harness in ``tests/fuzz/`` runs here on a fixed budget of seeds (every
mutation, many chunkings) and under hypothesis; the cases the issue names
(random bytes, shuffled events, malformed JSON, a delta for an unknown index,
a delta before its block starts, a second ``message_start``) also have tests
of their own that pin the exception and its message.  A few broken bodies go
over the wire too.  For a longer run: ``python -m tests.fuzz.run --seconds 600``.
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _helpers import call, entered, make_client, params
from anthropic import (
    AnthropicError,
    APIResponseValidationError,
    IncompleteStreamError,
    InternalServerError,
    OverloadedError,
    ToolInputJSONError,
)
from anthropic.emulator import Emulator, Reply
from fuzz.bodies import encode_events, random_body, stream_events
from fuzz.harness import MUTATIONS, check, check_endless, fuzz, run_core

pytestmark = pytest.mark.usefixtures("clean_env")

MESSAGE = {
    "id": "msg_01",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [
        {"type": "text", "text": "Hello, world"},
        {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": [1, 2]}},
    ],
    "stop_reason": "tool_use",
    "stop_sequence": None,
    "usage": {"input_tokens": 5, "output_tokens": 9},
}


def events() -> list[tuple[str, dict[str, Any]]]:
    return [e for e in stream_events(MESSAGE, random.Random(3)) if e[0] not in ("ping", "future_event")]


def index_of(evs: list[tuple[str, dict[str, Any]]], name: str, nth: int = 0) -> int:
    return [i for i, (n, _) in enumerate(evs) if n == name][nth]


def test_the_valid_stream_used_below_is_valid() -> None:
    out = run_core(encode_events(events()))
    assert out.error is None and out.final.to_dict() == MESSAGE


def test_the_harness_finds_nothing_on_a_fixed_budget_of_seeds() -> None:
    stats, findings = fuzz(float("inf"), seed=0, max_inputs=2000)
    assert findings == []
    assert stats.inputs == 2000
    assert set(stats.outcomes) == set(MUTATIONS)
    # Each kind of damage is seen to fail the way it should, not merely to pass.
    assert set(stats.outcomes["truncate"]) == {"IncompleteStreamError"}
    assert "ok" not in stats.outcomes["noise"]
    assert "ok" not in stats.outcomes["error_event"]
    assert stats.outcomes["bad_json"].get("APIResponseValidationError", 0) > 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(MUTATIONS)), rng=st.randoms(use_true_random=False))
def test_no_mutation_gets_past_the_core_untyped(name: str, rng: random.Random) -> None:
    body = MUTATIONS[name](rng)
    assert check(body, rng, mutation=name) == []


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=2000), cuts=st.lists(st.integers(0, 2000), max_size=10))
def test_random_bytes_end_in_an_anthropic_error(body: bytes, cuts: list[int]) -> None:
    out = run_core(body, sorted(c for c in cuts if c <= len(body)))
    assert isinstance(out.error, AnthropicError)
    assert type(out.error) in (IncompleteStreamError, APIResponseValidationError)


def test_shuffled_events_never_make_a_different_message() -> None:
    rng = random.Random(11)
    good = events()
    outcomes: set[str] = set()
    for _ in range(300):
        shuffled = list(good)
        rng.shuffle(shuffled)
        out = run_core(encode_events(shuffled))
        outcomes.add(out.kind)
        assert out.error is None or isinstance(out.error, AnthropicError)
        if out.error is None:  # only orders that are the same stream as far as the message goes
            assert out.final.to_dict() == MESSAGE
    assert "APIResponseValidationError" in outcomes


def test_a_delta_for_an_unknown_index_is_a_validation_error() -> None:
    evs = events()
    i = index_of(evs, "content_block_delta")
    evs[i] = (evs[i][0], {**evs[i][1], "index": 5})
    out = run_core(encode_events(evs))
    assert type(out.error) is APIResponseValidationError
    assert out.error.message == (
        "The stream broke the Messages API protocol: content_block_delta for unknown content block index 5"
    )
    assert out.error.body == evs[i][1]
    assert out.error.partial_message.content[0].text == ""


def test_a_delta_before_its_block_starts_is_a_validation_error() -> None:
    evs = events()
    delta = evs.pop(index_of(evs, "content_block_delta"))
    evs.insert(index_of(evs, "content_block_start"), delta)
    out = run_core(encode_events(evs))
    assert type(out.error) is APIResponseValidationError
    assert "content_block_delta for unknown content block index 0" in out.error.message
    assert out.error.partial_message.content == []


def test_a_second_message_start_is_a_validation_error() -> None:
    evs = events()
    evs.insert(index_of(evs, "content_block_stop"), evs[0])
    out = run_core(encode_events(evs))
    assert type(out.error) is APIResponseValidationError
    assert "a second message_start arrived in one stream" in out.error.message
    assert out.error.partial_message.content[0].text.startswith("Hello")


def test_an_event_after_message_stop_is_a_validation_error() -> None:
    evs = events()
    evs.append(evs[index_of(evs, "content_block_delta")])
    out = run_core(encode_events(evs))
    assert type(out.error) is APIResponseValidationError
    assert "content_block_delta arrived after message_stop" in out.error.message


def test_a_start_for_a_skipped_index_is_a_validation_error() -> None:
    evs = events()
    i = index_of(evs, "content_block_start", 1)
    evs[i] = (evs[i][0], {**evs[i][1], "index": 3})
    out = run_core(encode_events(evs))
    assert type(out.error) is APIResponseValidationError
    assert "content_block_start for index 3, expected 1" in out.error.message


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (
            '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}',
            "not valid JSON",
        ),
        ("{'type': 'ping'}", "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ("", "not valid JSON"),
        ('"just a string"', "not an object with a 'type'"),
        ('{"no_type": 1}', "not an object with a 'type'"),
        (
            '{"type": "content_block_delta", "index": 0, "delta": "text"}',
            "malformed content_block_delta event",
        ),
        (
            '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}}',
            "malformed content_block_delta",
        ),
        ('{"type": "content_block_start", "index": 1, "content_block": "text"}', "content_block_start"),
        ('{"type": "message_delta", "delta": [], "usage": {}}', "malformed message_delta event"),
    ],
    ids=[
        "truncated",
        "single-quotes",
        "deep-nesting",
        "empty",
        "not-an-object",
        "no-type",
        "delta-not-an-object",
        "delta-without-text",
        "block-not-an-object",
        "delta-a-list",
    ],
)
def test_malformed_data_is_a_validation_error_naming_the_problem(data: str, says: str) -> None:
    evs = events()
    i = index_of(evs, "content_block_stop")  # after the first text delta: content was delivered
    body = encode_events(evs[:i]) + b"event: x\ndata: " + data.encode() + b"\n\n" + encode_events(evs[i:])
    out = run_core(body, [len(body) // 3])
    assert type(out.error) is APIResponseValidationError
    assert says in out.error.message
    assert out.error.status_code == 200
    assert out.error.partial_message.id == "msg_01"


@pytest.mark.parametrize(
    ("kind", "cls"), [("overloaded_error", OverloadedError), ("brand_new_error", InternalServerError)]
)
def test_an_error_event_mid_stream_is_a_status_error_with_the_partial_message(kind: str, cls: type) -> None:
    evs = events()
    evs.insert(
        index_of(evs, "content_block_stop"),
        ("error", {"type": "error", "error": {"type": kind, "message": "m"}}),
    )
    out = run_core(encode_events(evs))
    assert type(out.error) is cls
    assert out.error.body == {"type": "error", "error": {"type": kind, "message": "m"}}
    assert out.error.partial_message.content[0].text == "Hello, world"


def test_invalid_utf8_is_a_validation_error_with_its_offset() -> None:
    body = encode_events(events())
    at = body.index(b"content_block_stop")
    out = run_core(body[:at] + b"\xff" + body[at + 1 :])
    assert type(out.error) is APIResponseValidationError
    assert f"invalid UTF-8 in event stream at byte offset {at}" in out.error.message


def test_an_endless_line_is_refused_with_bounded_memory() -> None:
    error, fed, peak = check_endless("line", total=20 << 20)
    assert type(error) is APIResponseValidationError
    assert "line longer than max_line_bytes (16777216 bytes)" in str(error)
    assert fed <= 17 << 20  # refused as soon as the line passed the cap
    assert peak < 40 << 20


def test_an_endless_event_is_refused_with_bounded_memory() -> None:
    error, fed, peak = check_endless("event", total=40 << 20)
    assert type(error) is APIResponseValidationError
    assert "longer than" in str(error)
    assert fed <= 18 << 20
    assert peak < 48 << 20


def test_a_huge_valid_stream_takes_linear_time() -> None:
    # A guard against accidental quadratic work on hostile-but-valid input: many tiny deltas.
    def body(n: int) -> bytes:
        message = {**MESSAGE, "content": [{"type": "text", "text": "ab" * n}]}
        evs = stream_events(message, random.Random(0))
        return encode_events(evs)

    def cpu(data: bytes) -> float:  # CPU seconds, best of three: other processes do not count
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            out = run_core(data, list(range(0, len(data), 1000)))
            best = min(best, time.process_time() - started)
            assert out.error is None
        return best

    small, large = body(2_000), body(20_000)
    assert cpu(large) < 25 * cpu(small) + 0.05  # ten times the input: linear is about ten times the work


# --- over the wire --------------------------------------------------------------------------------


@pytest.mark.anyio
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(sorted(MUTATIONS)),
    seed=st.integers(0, 2**32 - 1),
    chunk=st.sampled_from([None, 1, 50]),
)
async def test_broken_bodies_over_the_wire_end_in_the_cores_error(
    mode: str, shared_emulator: Emulator, name: str, seed: int, chunk: int | None
) -> None:
    emu = shared_emulator
    emu.reset()
    body = MUTATIONS[name](random.Random(seed))
    core = run_core(body)
    emu.enqueue(Reply.sse(body, chunk_size=chunk))
    # A client that hung would end in its read timeout, an error the core never gives.
    async with entered(make_client(mode, emu, max_retries=0, timeout=10)) as client:
        try:
            async with entered(client.messages.stream(**params())) as stream:
                final: Any = await call(stream.get_final_message)
            error: BaseException | None = None
        except AnthropicError as exc:
            error, final = exc, None
    if core.error is None:
        assert error is None and final.to_dict() == core.final.to_dict()
    else:
        assert error is not None
        assert type(error) is type(core.error) or {type(error), type(core.error)} == {
            IncompleteStreamError,
            APIResponseValidationError,
        }


def test_json_bodies_built_here_are_json() -> None:
    # The fixed events are serialised with the standard library: a bad body is the test's own doing.
    for _, data in events():
        assert json.loads(json.dumps(data)) == data
    message, _, body = random_body(random.Random(1))
    assert run_core(body).final.to_dict() == message


def tool_stream(pieces: list[str], stop_reason: str = "tool_use") -> bytes:
    message = {
        **MESSAGE,
        "content": [{"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {}}],
        "stop_reason": stop_reason,
    }
    evs = [e for e in stream_events(message, random.Random(0)) if e[0] != "content_block_delta"]
    at = index_of(evs, "content_block_stop")
    deltas = [
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "input_json_delta", "partial_json": p},
            },
        )
        for p in pieces
    ]
    return encode_events(evs[:at] + deltas + evs[at:])


def test_tool_input_that_is_not_json_is_a_validation_error_at_its_block_stop() -> None:
    out = run_core(tool_stream(['{"city": ', '"Paris"]']))
    assert type(out.error) is ToolInputJSONError
    assert isinstance(out.error, APIResponseValidationError) and isinstance(out.error, ValueError)
    assert "the input JSON of content block 0 (lookup) is not valid JSON" in out.error.message
    assert out.error.body == '{"city": "Paris"]'


def test_tool_input_cut_short_keeps_what_parses() -> None:
    # Output cut by max_tokens: the JSON stops early; the partial value is kept, not an error.
    out = run_core(tool_stream(['{"city": "Par', 'is", "days": [1, 2'], "max_tokens"))
    assert out.error is None
    assert out.final.content[0].input == {"city": "Paris", "days": [1, 2]}
