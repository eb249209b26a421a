"""Properties of the stream core and of streams over the wire, for any valid stream body.

* Any chunking of a valid body gives the same events and the same final
  message as the whole body, and that final message is exactly the message
  the events were made from (every block type, unknown ones included).
* Any truncation before ``message_stop`` ends in an ``APIError``: from
  iteration and from ``get_final_message()``, never a partial result, never a
  raw httpx2, json or pydantic exception; what the error keeps as
  ``partial_message`` is a prefix of the real message, never something else.

The bodies come from ``tests/fuzz/bodies.py``, driven by hypothesis through a
``random.Random`` it controls.  The core tests are fast and run many
examples; the wire tests run a few examples per client through the emulator.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _helpers import call, collect_raw, collect_stream, entered, make_client, params
from anthropic import APIConnectionError, APIError, IncompleteStreamError
from anthropic.emulator import Emulator, Fault, Reply
from fuzz.bodies import encode_events, random_body, terminator_length
from fuzz.harness import describe, run_core

pytestmark = pytest.mark.usefixtures("clean_env")

randoms = st.randoms(use_true_random=False)
# Over the wire, a seed: a body drawn from a hypothesis-driven Random can run out of data midway,
# which hypothesis signals with an exception that the async test runner would report as noise.
seeds = st.integers(0, 2**32 - 1)
wire = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def cuts_for(data: st.DataObject, length: int, max_size: int = 40) -> list[int]:
    return sorted(data.draw(st.lists(st.integers(0, length), max_size=max_size), label="cuts"))


def raw_dicts(events: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The events a raw stream yields: everything but ``ping`` and unknown types."""
    known = {
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    }
    return [data for _, data in events if data["type"] in known]


def expected(message: dict[str, Any], beta: bool) -> dict[str, Any]:
    """The final message's dump: the message, whichever the flavour (``message_delta`` sends no ``container``)."""
    return message


def assert_prefix(partial: Any, message: dict[str, Any]) -> None:
    """``partial`` (a message snapshot or None) shows nothing the real message does not."""
    if partial is None:
        return
    got = partial.to_dict()
    assert got["id"] == message["id"]
    assert len(got["content"]) <= len(message["content"])
    for block, real in zip(got["content"], message["content"], strict=False):
        assert block["type"] == real["type"]
        for key in ("text", "thinking"):
            if key in real:
                assert real[key].startswith(block[key])
        if "citations" in real and block.get("citations"):
            assert real["citations"][: len(block["citations"])] == block["citations"]


# --- the core: any chunking ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(rng=randoms, data=st.data(), beta=st.booleans())
def test_any_chunking_gives_the_events_and_message_of_the_whole_body(
    rng: random.Random, data: st.DataObject, beta: bool
) -> None:
    message, _, body = random_body(rng)
    whole = run_core(body, beta=beta)
    assert whole.error is None, whole.error
    assert whole.final.to_dict() == expected(message, beta)
    pieces = run_core(body, cuts_for(data, len(body)), beta=beta)
    assert pieces.error is None, pieces.error
    assert [describe(o) for o in pieces.objects] == [describe(o) for o in whole.objects]
    assert pieces.final.to_dict() == expected(message, beta)


@settings(max_examples=150, deadline=None)
@given(rng=randoms, data=st.data())
def test_any_chunking_of_a_raw_stream_gives_exactly_the_known_events(
    rng: random.Random, data: st.DataObject
) -> None:
    _, events, body = random_body(rng)
    out = run_core(body, cuts_for(data, len(body)), derived=False)
    assert out.error is None, out.error
    assert [o.to_dict() for o in out.objects] == raw_dicts(events)


@settings(max_examples=60, deadline=None)
@given(rng=randoms)
def test_byte_by_byte_is_the_whole_body(rng: random.Random) -> None:
    message, _, body = random_body(rng, max_blocks=2)
    whole = run_core(body)
    bytewise = run_core(body, list(range(1, len(body))))
    assert bytewise.error is None, bytewise.error
    assert [describe(o) for o in bytewise.objects] == [describe(o) for o in whole.objects]
    assert bytewise.final.to_dict() == message


@settings(max_examples=150, deadline=None)
@given(rng=randoms, data=st.data())
def test_snapshots_on_events_are_the_text_so_far(rng: random.Random, data: st.DataObject) -> None:
    message, _, body = random_body(rng)
    out = run_core(body, cuts_for(data, len(body)))
    assert out.error is None, out.error
    so_far: dict[str, str] = {"text": "", "thinking": ""}
    for obj in out.objects:
        if obj.type == "content_block_start":
            so_far = {"text": "", "thinking": ""}
        elif obj.type == "text":
            so_far["text"] += obj.text
            assert obj.snapshot == so_far["text"]
        elif obj.type == "thinking":
            so_far["thinking"] += obj.thinking
            assert obj.snapshot == so_far["thinking"]
        elif obj.type == "content_block_stop":
            real = message["content"][obj.index]
            assert obj.content_block.to_dict() == real
    stops = [o for o in out.objects if o.type == "message_stop"]
    assert len(stops) == 1 and stops[0].message.to_dict() == message


# --- the core: any truncation -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(rng=randoms, data=st.data(), derived=st.booleans())
def test_any_truncation_before_message_stop_is_an_incomplete_stream(
    rng: random.Random, data: st.DataObject, derived: bool
) -> None:
    message, _, body = random_body(rng)
    cut = data.draw(st.integers(0, len(body) - terminator_length(body)), label="cut")
    out = run_core(body[:cut], cuts_for(data, cut, 10), derived=derived)
    assert type(out.error) is IncompleteStreamError
    assert isinstance(out.error, APIError)
    assert out.error.message.startswith("The stream ended before message_stop: the answer is incomplete")
    assert out.error.request_id == "req_fuzz"
    assert out.final is None and not out.stopped
    assert all(o.type != "message_stop" for o in out.objects)
    assert_prefix(out.error.partial_message, message)


def test_the_line_break_of_the_last_line_is_what_completes_a_stream() -> None:
    # Without the blank line that would close it, the last event counts once its last line is whole.
    rng = random.Random(7)
    message, events, _ = random_body(rng)
    for eol in ("\n", "\r\n", "\r"):
        body = encode_events(events).replace(b"\n", eol.encode())
        cut = len(body) - terminator_length(body)
        assert type(run_core(body[:cut]).error) is IncompleteStreamError
        for end in range(cut + 1, len(body) + 1):
            done = run_core(body[:end])
            assert done.error is None and done.final.to_dict() == message


# --- over the wire --------------------------------------------------------------------------------


@pytest.mark.anyio
@wire
@given(seed=seeds, chunk=st.integers(1, 400))
async def test_over_the_wire_any_chunking_gives_the_core_events_and_the_message(
    mode: str, shared_emulator: Emulator, seed: int, chunk: int
) -> None:
    emu = shared_emulator
    emu.reset()
    message, events, body = random_body(random.Random(seed))
    emu.enqueue(Reply.sse(body, chunk_size=chunk), Reply.sse(body, chunk_size=chunk))
    async with entered(make_client(mode, emu)) as client:
        got = await collect_stream(client, **params())
        raw, _ = await collect_raw(client, **params())
    assert got.final_message.to_dict() == message
    assert [describe(e) for e in got.events] == [describe(o) for o in run_core(body).objects]
    assert [e.to_dict() for e in raw] == raw_dicts(events)
    assert len(emu.requests) == 2


@pytest.mark.anyio
@wire
@given(seed=seeds, data=st.data())
async def test_over_the_wire_a_truncated_body_is_never_a_result(
    mode: str, shared_emulator: Emulator, seed: int, data: st.DataObject
) -> None:
    emu = shared_emulator
    emu.reset()
    message, _, body = random_body(random.Random(seed))
    cut = data.draw(st.integers(0, len(body) - terminator_length(body)), label="cut")
    how = data.draw(st.sampled_from(["clean EOF", "reset"]), label="how")
    chunk = data.draw(st.sampled_from([None, 1, 7, 64]), label="chunk")
    where = data.draw(st.sampled_from(["iterate", "get_final_message"]), label="where")
    if how == "clean EOF":
        emu.enqueue(Reply.sse(body[:cut], chunk_size=chunk))
    else:
        emu.enqueue(Reply.sse(body, chunk_size=chunk, fault=Fault(disconnect_after=cut)))
    seen: list[Any] = []
    async with entered(make_client(mode, emu, max_retries=0)) as client:
        with pytest.raises(APIConnectionError) as info:
            async with entered(client.messages.stream(**params())) as stream:
                if where == "iterate":
                    if hasattr(stream, "__aiter__"):
                        async for event in stream:
                            seen.append(event)
                    else:
                        for event in stream:
                            seen.append(event)
                await call(stream.get_final_message)
    error = info.value
    if how == "clean EOF":
        assert type(error) is IncompleteStreamError
    assert all(e.type != "message_stop" for e in seen)
    assert error.request_id == emu.requests[0].request_id
    assert_prefix(error.partial_message, message)
    assert len(emu.requests) == 1
