"""A :class:`~._generate.Draft` as the Messages streaming events, and their SSE encoding.

Pure functions, no I/O.  Accumulating the events gives back the Draft's content
exactly: text arrives as ``text_delta`` runs of one to three tokens, thinking
as ``thinking_delta`` runs and one ``signature_delta``, tool input as
``input_json_delta`` pieces cut at arbitrary places (inside strings too; the
first piece may be empty).  Block types with no delta form are sent whole in
their ``content_block_start``.  A ``ping`` follows ``message_start`` and now
and then falls between deltas.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ._generate import TOOL_BLOCKS, Draft, rng_for
from ._tokens import split_tokens
from ._wire import default_message, dumps

__all__ = ["Event", "encode", "message_events", "with_error_event"]

Event = tuple[str, dict[str, Any]]

_PING: Event = ("ping", {"type": "ping"})
_PING_RATE = 0.04


def encode(event: Event) -> bytes:
    name, data = event
    return f"event: {name}\ndata: {dumps(data)}\n\n".encode()


def _token_runs(text: str, rng: Any) -> Iterator[str]:
    tokens = split_tokens(text)
    i = 0
    while i < len(tokens):
        n = rng.randint(1, 3)
        yield "".join(tokens[i : i + n])
        i += n


def _json_pieces(text: str, rng: Any) -> Iterator[str]:
    if rng.random() < 0.5:
        yield ""
    i = 0
    while i < len(text):
        n = rng.randint(1, 12)
        yield text[i : i + n]
        i += n


def _block_events(index: int, block: dict[str, Any], partial_json: str | None, rng: Any) -> Iterator[Event]:
    kind = block.get("type")
    deltas: list[dict[str, Any]] = []
    if kind == "text":
        start = {**block, "text": ""}
        citations = block.get("citations")
        if citations is not None:
            start["citations"] = []
            deltas.extend({"type": "citations_delta", "citation": c} for c in citations or ())
        deltas.extend({"type": "text_delta", "text": t} for t in _token_runs(block["text"], rng))
    elif kind == "thinking":
        start = {**block, "thinking": "", "signature": ""}
        deltas.extend({"type": "thinking_delta", "thinking": t} for t in _token_runs(block["thinking"], rng))
        deltas.append({"type": "signature_delta", "signature": block.get("signature", "")})
    elif kind in TOOL_BLOCKS:
        start = {**block, "input": {}}
        raw = partial_json if partial_json is not None else json.dumps(block.get("input"), ensure_ascii=False)
        deltas.extend({"type": "input_json_delta", "partial_json": p} for p in _json_pieces(raw, rng))
    else:
        start = block
    yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start}
    for delta in deltas:
        if rng.random() < _PING_RATE:
            yield _PING
        yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


def message_events(draft: Draft) -> Iterator[Event]:
    """The event sequence of ``draft``, deterministic for a given Draft."""
    rng = rng_for(draft.seed, "events")
    start = draft.message()
    start_usage = dict(draft.usage)
    start_usage["output_tokens"] = min(1, int(draft.usage.get("output_tokens", 1) or 0))
    start.update(content=[], stop_reason=None, stop_sequence=None, usage=start_usage)
    yield "message_start", {"type": "message_start", "message": start}
    yield _PING
    for index, block in enumerate(draft.content):
        yield from _block_events(index, block, draft.partial_json.get(index), rng)
    usage = {
        k: draft.usage[k]
        for k in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens")
        if k in draft.usage
    }
    delta = {"stop_reason": draft.stop_reason, "stop_sequence": draft.stop_sequence}
    yield "message_delta", {"type": "message_delta", "delta": delta, "usage": usage}
    yield "message_stop", {"type": "message_stop"}


def error_event(error_type: str, message: str | None = None) -> Event:
    return "error", {
        "type": "error",
        "error": {"type": error_type, "message": message or default_message(error_type)},
    }


def with_error_event(events: Iterable[Event], error: Event, after_deltas: int = 0) -> Iterator[Event]:
    """``events`` up to ``after_deltas`` content deltas (at least past message_start), then ``error``.

    If the stream has fewer deltas, the error replaces its ``message_delta``.
    """
    seen = 0
    started = False
    for event in events:
        name = event[0]
        if started and seen >= after_deltas and name != "ping":
            break
        if name == "message_delta":
            break
        yield event
        if name == "message_start":
            started = True
        elif name == "content_block_delta":
            seen += 1
    yield error
