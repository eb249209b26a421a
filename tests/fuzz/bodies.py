"""Complete, valid Messages API streams built from a ``random.Random``.

``random_message`` draws a final message (text with and without citations,
thinking, tool calls with nested JSON input, server tool calls, redacted
thinking, search results, a block type no version knows); ``stream_events``
turns it into the events a server would send, cutting text and JSON into
deltas at arbitrary places (inside escapes and multi-byte characters of the
JSON text too) and sprinkling ``ping`` and unknown event types; and
``encode_events`` spells the events as SSE bytes, each event with its own
choice among the spellings the WHATWG rules allow (line endings, comments,
``id``/``retry`` fields, data split over several lines, no space after the
colon, a leading BOM).

Given the same seed, everything is the same: a failure found by the fuzz
harness is reproduced by its seed.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

__all__ = [
    "Event",
    "encode_events",
    "random_body",
    "random_json",
    "random_message",
    "random_text",
    "split_points",
    "stream_events",
    "terminator_length",
]

Event = tuple[str, dict[str, Any]]

# Quotes, backslashes, control characters, line separators, 2-, 3- and 4-byte UTF-8.
ALPHABET = 'abcdefghij KLMNO 0123456789 \n\t\r"\\/{}[]:,.-é߀漢字😀🧪\u2028\u0000\x1f'
STOP_REASONS = ["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", None]


def random_text(rng: random.Random, max_len: int = 24) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, max_len)))


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value that survives a round trip through ``json.dumps`` exactly."""
    roll = rng.random()
    if depth < 3 and roll < 0.3:
        return {random_text(rng, 8): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    if depth < 3 and roll < 0.45:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return rng.choice(
        [
            lambda: random_text(rng),
            lambda: rng.randint(-(10**6), 10**6),
            lambda: rng.choice([0, -1, 2**63, -(2**70), 10**30]),
            lambda: rng.choice([0.5, -2.25, 1e-7, 6.02e23, 3.141592653589793, -0.0]),
            lambda: rng.choice([True, False, None]),
        ]
    )()


def _citation(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(["char_location", "page_location", "web_search_result_location"])
    if kind == "char_location":
        start = rng.randint(0, 50)
        return {
            "type": kind,
            "cited_text": random_text(rng),
            "document_index": rng.randint(0, 3),
            "document_title": rng.choice([None, random_text(rng, 10)]),
            "start_char_index": start,
            "end_char_index": start + rng.randint(0, 40),
        }
    if kind == "page_location":
        start = rng.randint(1, 9)
        return {
            "type": kind,
            "cited_text": random_text(rng),
            "document_index": 0,
            "document_title": "Report",
            "start_page_number": start,
            "end_page_number": start + 1,
        }
    return {
        "type": kind,
        "cited_text": random_text(rng),
        "url": "https://example.com/" + str(rng.randint(0, 99)),
        "title": random_text(rng, 10),
        "encrypted_index": "EqgfCioIARgBIiQ" + str(rng.randint(0, 9)),
    }


def _block(rng: random.Random, index: int) -> dict[str, Any]:
    kind = rng.choice(
        [
            "text",
            "text",
            "text_cited",
            "thinking",
            "tool_use",
            "server_tool_use",
            "redacted_thinking",
            "web_search_tool_result",
            "unknown",
        ]
    )
    if kind == "text":
        return {"type": "text", "text": random_text(rng, 60)}
    if kind == "text_cited":
        cites = [_citation(rng) for _ in range(rng.randint(1, 3))]
        return {"type": "text", "text": random_text(rng, 40), "citations": cites}
    if kind == "thinking":
        return {"type": "thinking", "thinking": random_text(rng, 60), "signature": "sig" + str(rng.random())}
    if kind in ("tool_use", "server_tool_use"):
        name = "get_weather" if kind == "tool_use" else "web_search"
        args = {random_text(rng, 8): random_json(rng, 1) for _ in range(rng.randint(0, 4))}
        prefix = "toolu_" if kind == "tool_use" else "srvtoolu_"
        return {"type": kind, "id": f"{prefix}{index:04d}", "name": name, "input": args}
    if kind == "redacted_thinking":
        return {"type": "redacted_thinking", "data": "EmwKAhgBEgy" + str(rng.randint(0, 10**6))}
    if kind == "web_search_tool_result":
        content: Any = [
            {
                "type": "web_search_result",
                "url": f"https://example.org/{i}",
                "title": random_text(rng, 12),
                "encrypted_content": "Eo8BCioIAhgB",
                "page_age": rng.choice([None, "April 30, 2025"]),
            }
            for i in range(rng.randint(0, 2))
        ]
        if rng.random() < 0.2:
            content = {"type": "web_search_tool_result_error", "error_code": "max_uses_exceeded"}
        return {"type": "web_search_tool_result", "tool_use_id": f"srvtoolu_{index:04d}", "content": content}
    return {
        "type": "future_block_" + rng.choice(["alpha", "beta"]),
        "payload": random_json(rng),
        "note": random_text(rng),
    }


def random_message(rng: random.Random, max_blocks: int = 4) -> dict[str, Any]:
    """A complete message, as ``messages.create()`` would return it."""
    content = [_block(rng, i) for i in range(rng.randint(0, max_blocks))]
    stop_reason = rng.choice(STOP_REASONS)
    usage: dict[str, Any] = {
        "input_tokens": rng.randint(1, 5000),
        "output_tokens": rng.randint(1, 5000),
        "cache_creation_input_tokens": rng.choice([0, 12]),
        "cache_read_input_tokens": rng.choice([0, 7]),
    }
    if rng.random() < 0.2:
        usage["server_tool_use"] = {"web_search_requests": rng.randint(0, 3)}
    message: dict[str, Any] = {
        "id": f"msg_{rng.randrange(16**12):012x}",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": "\n\nHuman:" if stop_reason == "stop_sequence" else None,
        "usage": usage,
    }
    if rng.random() < 0.15:
        message["future_field"] = {"kept": random_json(rng)}
    return message


def split_points(rng: random.Random, length: int, max_cuts: int = 8) -> list[int]:
    """Sorted cut positions in ``0..length`` (duplicates allowed: empty pieces)."""
    return sorted(rng.randint(0, length) for _ in range(rng.randint(0, max_cuts)))


def _pieces(rng: random.Random, text: str, *, empty_first: bool = False) -> list[str]:
    cuts = split_points(rng, len(text))
    out, start = [], 0
    for cut in [*cuts, len(text)]:
        out.append(text[start:cut])
        start = cut
    out = [p for p in out if p or rng.random() < 0.1]
    if empty_first and rng.random() < 0.5:
        out.insert(0, "")
    return out


def _block_events(rng: random.Random, index: int, block: dict[str, Any]) -> list[Event]:
    kind = block["type"]
    deltas: list[dict[str, Any]] = []
    if kind == "text":
        start = {"type": "text", "text": ""}
        texts = [{"type": "text_delta", "text": t} for t in _pieces(rng, block["text"])]
        if "citations" in block:
            start["citations"] = []
            cites = [{"type": "citations_delta", "citation": c} for c in block["citations"]]
            while texts or cites:  # interleaved, each list in its own order
                pick = texts if texts and (not cites or rng.random() < 0.6) else cites
                deltas.append(pick.pop(0))
        else:
            deltas = texts
    elif kind == "thinking":
        start = {"type": "thinking", "thinking": "", "signature": ""}
        deltas = [{"type": "thinking_delta", "thinking": t} for t in _pieces(rng, block["thinking"])]
        deltas.append({"type": "signature_delta", "signature": block["signature"]})
    elif kind in ("tool_use", "server_tool_use"):
        start = {**block, "input": {}}
        raw = json.dumps(block["input"], ensure_ascii=rng.random() < 0.5)
        if raw == "{}" and rng.random() < 0.5:
            raw = ""  # no deltas at all: the input stays the start's {}
        deltas = [
            {"type": "input_json_delta", "partial_json": p} for p in _pieces(rng, raw, empty_first=True)
        ]
    else:
        start = block
    events: list[Event] = [
        (
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": copy.deepcopy(start)},
        )
    ]
    for delta in deltas:
        _noise(rng, events)
        events.append(
            ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
        )
    events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    return events


def _noise(rng: random.Random, events: list[Event]) -> None:
    roll = rng.random()
    if roll < 0.05:
        events.append(("ping", {"type": "ping"}))
    elif roll < 0.07:
        events.append(("future_event", {"type": "future_event", "detail": {"n": rng.randint(0, 9)}}))


def stream_events(message: dict[str, Any], rng: random.Random) -> list[Event]:
    """The events of a stream whose accumulation is exactly ``message``."""
    usage = message["usage"]
    start_usage = {k: v for k, v in usage.items() if k != "server_tool_use"}
    start_usage["output_tokens"] = 1
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None, "usage": start_usage}
    events: list[Event] = []
    if rng.random() < 0.1:
        events.append(("future_event", {"type": "future_event", "detail": {}}))
    events.append(("message_start", {"type": "message_start", "message": start}))
    if rng.random() < 0.7:
        events.append(("ping", {"type": "ping"}))
    for index, block in enumerate(message["content"]):
        events += _block_events(rng, index, block)
        _noise(rng, events)
    delta_usage: dict[str, Any] = {"output_tokens": usage["output_tokens"]}
    if "server_tool_use" in usage:
        delta_usage["server_tool_use"] = usage["server_tool_use"]
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": message["stop_sequence"]}
    events.append(("message_delta", {"type": "message_delta", "delta": delta, "usage": delta_usage}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def _encode_one(name: str, data: dict[str, Any], rng: random.Random | None) -> str:
    if rng is None:
        return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
    eol = rng.choice(["\n", "\n", "\n", "\r\n", "\r"])
    lines = []
    if rng.random() < 0.1:
        lines.append(": " + rng.choice(["keep-alive", "", "comment: with colon"]))
    if rng.random() < 0.9:
        lines.append(rng.choice(["event: ", "event:"]) + name)
    if rng.random() < 0.05:
        lines.append(rng.choice(["id: 42", "id", "retry: 3000", "retry: soon", "x-unknown-field: 1"]))
    text = json.dumps(data, ensure_ascii=rng.random() < 0.3, indent=1 if rng.random() < 0.15 else None)
    for line in text.split("\n"):
        lines.append(("data: " if rng.random() < 0.85 else "data:") + line)
    return eol.join(lines) + eol + eol


def encode_events(events: list[Event], rng: random.Random | None = None) -> bytes:
    """SSE bytes for ``events``: the usual spelling, or (with ``rng``) a random valid one per event."""
    head = "\ufeff" if rng is not None and rng.random() < 0.1 else ""
    return (head + "".join(_encode_one(name, data, rng) for name, data in events)).encode()


def terminator_length(body: bytes) -> int:
    """Bytes of the last line break and the blank line that end the body.

    Cut them all and the last line is unfinished, so the last event is not
    dispatched; cut fewer and its lines are whole, and the end of the body
    dispatches it (a lone ``\r`` ends a line too).
    """
    if body.endswith(b"\r\n\r\n"):
        return 4
    return 2


def random_body(rng: random.Random, max_blocks: int = 4) -> tuple[dict[str, Any], list[Event], bytes]:
    """(final message, its events, their SSE bytes in a random valid spelling)."""
    message = random_message(rng, max_blocks)
    events = stream_events(message, rng)
    return message, events, encode_events(events, rng)
