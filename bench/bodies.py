"""Deterministic SSE bodies shaped like real Messages API streams.

Every body is built from a seeded ``random.Random``, so two runs (and two machines) serve
byte-identical streams. Each builder returns a :class:`Body`: the SSE bytes, the number of
SSE events in it, and the message a correct client must end up with (as the API would
return it without streaming), which the harness uses to check every client's result.

Only the standard library is used: the harness, the server and the workers of every
implementation import this module.
"""

from __future__ import annotations

import base64
import json
import random
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

MODEL = "claude-sonnet-4-5-20250929"

# Token-sized pieces of text, weighted towards what a model emits: words with their leading
# space, word pieces, punctuation, line breaks, a little non-ASCII (2, 3 and 4 byte UTF-8)
# and characters that JSON must escape (quote, backslash, newline, tab).
_WORDS = (
    " the",
    " of",
    " and",
    " to",
    " a",
    " in",
    " is",
    " that",
    " for",
    " it",
    " as",
    " with",
    " stream",
    " event",
    " client",
    " server",
    " message",
    " token",
    " delta",
    " buffer",
    " parse",
    " state",
    " value",
    " field",
    " block",
    " index",
    " result",
    " system",
    " quick",
    " brown",
    " fox",
    " jumps",
    " over",
    " lazy",
    " dog",
    " data",
    " model",
    "ing",
    "ed",
    "ly",
    "er",
    "tion",
    "ment",
    "able",
    "ness",
    "ize",
    "ous",
    " Python",
    " JSON",
    " HTTP",
    " API",
    " async",
    " await",
    " yield",
    " return",
)
_PUNCT = (",", ".", ";", ":", "!", "?", " (", ")", " -", "'s", ' "', '"', "\n", "\n\n", " `", "`")
_UNICODE = (
    " café",
    " naïve",
    " façade",
    " über",
    " —",
    "…",
    " «",
    "»",
    " 東京",
    " 日本語",
    " π",
    " ≈",
    " →",
    " ✓",
    "ß",
    " Ωmega",
)
_ESCAPES = ("\\", "\t", ' "quoted"', "\\n")
# Characters outside the Basic Multilingual Plane (4-byte UTF-8). Running text leaves them
# out on purpose: one such character makes CPython store every later snapshot of the text
# at 4 bytes per character, and reading every snapshot would then measure memcpy rather
# than the client. The thinking and tool bodies carry them, so chunks still split them.
_ASTRAL = (" 😀", " 🚀", " 🎉", " 𝛑")


def _token(rng: random.Random, astral: bool) -> str:
    r = rng.random()
    if r < 0.78:
        return rng.choice(_WORDS)
    if r < 0.93:
        return rng.choice(_PUNCT)
    if r < 0.99:
        return rng.choice(_UNICODE)
    if astral and r < 0.995:
        return rng.choice(_ASTRAL)
    return rng.choice(_ESCAPES)


def text_pieces(rng: random.Random, n: int, astral: bool = False) -> list[str]:
    return [_token(rng, astral) for _ in range(n)]


def split_pieces(rng: random.Random, text: str, low: int, high: int) -> list[str]:
    """Cut ``text`` at arbitrary character positions into pieces of ``low``..``high`` chars."""
    out = []
    i = 0
    while i < len(text):
        step = rng.randint(low, high)
        out.append(text[i : i + step])
        i += step
    return out


def _dumps(obj: Any) -> str:
    # The API's data lines are compact JSON with raw (unescaped) UTF-8.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Body:
    name: str
    sse: bytes
    events: int
    message: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)


class _Writer:
    """Collects SSE events and the expected final message."""

    def __init__(self, rng: random.Random, msg_id: str) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.events = 0
        self.output_tokens = 0
        self.usage = {
            "input_tokens": 412,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
            "output_tokens": 1,
            "service_tier": "standard",
        }
        self.message: dict[str, Any] = {
            "id": msg_id,
            "type": "message",
            "role": "assistant",
            "model": MODEL,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": dict(self.usage),
        }
        self.emit("message_start", {"type": "message_start", "message": self.message})
        self.message = json.loads(_dumps(self.message))  # the expected message, detached
        self.ping()

    def emit(self, name: str, payload: Any) -> None:
        self.parts.append(f"event: {name}\ndata: {_dumps(payload)}\n\n")
        self.events += 1

    def ping(self) -> None:
        # The API writes this one with a space after the colon.
        self.parts.append('event: ping\ndata: {"type": "ping"}\n\n')
        self.events += 1

    def block(self, start: dict[str, Any], deltas: list[dict[str, Any]], final: dict[str, Any]) -> None:
        index = len(self.message["content"])
        self.emit(
            "content_block_start", {"type": "content_block_start", "index": index, "content_block": start}
        )
        for i, delta in enumerate(deltas):
            self.emit("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
            if i % 1500 == 1499:
                self.ping()
        self.emit("content_block_stop", {"type": "content_block_stop", "index": index})
        self.output_tokens += len(deltas)
        self.message["content"].append(final)

    def text_block(self, pieces: list[str]) -> None:
        self.block(
            {"type": "text", "text": ""},
            [{"type": "text_delta", "text": p} for p in pieces],
            {"type": "text", "text": "".join(pieces), "citations": None},
        )

    def finish(self, stop_reason: str) -> tuple[bytes, int, dict[str, Any]]:
        usage = {
            "input_tokens": self.usage["input_tokens"],
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": self.output_tokens,
        }
        self.emit(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": usage,
            },
        )
        self.emit("message_stop", {"type": "message_stop"})
        self.message["stop_reason"] = stop_reason
        self.message["usage"]["output_tokens"] = self.output_tokens
        return "".join(self.parts).encode("utf-8"), self.events, self.message


def _msg_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "msg_01" + "".join(rng.choice(alphabet) for _ in range(22))


def text_body(name: str, deltas: int, seed: int = 1) -> Body:
    rng = random.Random(seed)
    w = _Writer(rng, _msg_id(rng))
    pieces = text_pieces(rng, deltas)
    w.text_block(pieces)
    sse, events, message = w.finish("end_turn")
    return Body(name, sse, events, message, {"text_deltas": deltas, "text_chars": sum(map(len, pieces))})


def _records(rng: random.Random, target_bytes: int) -> Any:
    """A nested tool input: lists of records with strings, numbers, bools, nulls and lists."""
    cities = ["Zürich", "São Paulo", "Kraków", "Reykjavík", "Osaka", "Lyon", "Austin", "Nairobi"]
    tags = ["alpha", "beta", "gamma", "delta", "urgent", "archived", "vip", "trial", "eu", "us"]
    records: list[dict[str, Any]] = []
    doc: dict[str, Any] = {
        "dataset": "customer_accounts",
        "version": 3,
        "generated": True,
        "notes": 'Line one\nLine two with a "quote" and a tab\tand a backslash \\ — fin.',
        "records": records,
        "summary": {},
    }
    size = len(_dumps(doc))
    i = 0
    while size < target_bytes:
        i += 1
        rec = {
            "id": i,
            "name": f"{rng.choice(['Ada', 'Grace', 'Linus', 'Guido', 'Barbara', 'Ken'])} "
            f"{rng.choice(['Lovelace', 'Hopper', 'Torvalds', 'van Rossum', 'Liskov', 'Thompson'])}",
            "email": f"user{i}@example.com",
            "active": rng.random() < 0.7,
            "balance": round(rng.uniform(-500, 25000), 2),
            "score": rng.randint(0, 1000),
            "ratio": rng.random(),
            "tags": rng.sample(tags, rng.randint(0, 4)),
            "note": rng.choice(["", "", "ok", "résumé sent", "東京 office", "launch 🚀", "fixed ✓", "👍"]),
            "address": {
                "city": rng.choice(cities),
                "zip": f"{rng.randint(1000, 99999):05d}",
                "primary": rng.random() < 0.5,
            },
            "last_login": None
            if rng.random() < 0.2
            else f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00Z",
        }
        records.append(rec)
        size += len(json.dumps(rec, ensure_ascii=False)) + 2
    doc["summary"] = {"count": len(records), "active": sum(r["active"] for r in records), "complete": True}
    return doc


def tool_body(name: str, input_bytes: int, seed: int = 2) -> Body:
    rng = random.Random(seed)
    w = _Writer(rng, _msg_id(rng))
    w.text_block(text_pieces(rng, 12))
    tool_input = _records(rng, input_bytes)
    # Models write tool input with spaces after separators; pieces are cut anywhere,
    # including inside strings, numbers, escapes and multi-byte characters.
    raw = json.dumps(tool_input, ensure_ascii=False)
    pieces = ["", *split_pieces(rng, raw, 6, 18)]
    tool_id = "toolu_01" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(22))
    w.block(
        {"type": "tool_use", "id": tool_id, "name": "store_records", "input": {}},
        [{"type": "input_json_delta", "partial_json": p} for p in pieces],
        {"type": "tool_use", "id": tool_id, "name": "store_records", "input": tool_input},
    )
    sse, events, message = w.finish("tool_use")
    return Body(name, sse, events, message, {"input_bytes": len(raw.encode()), "json_deltas": len(pieces)})


def thinking_body(name: str, thinking_deltas: int, text_deltas: int, seed: int = 3) -> Body:
    rng = random.Random(seed)
    w = _Writer(rng, _msg_id(rng))
    pieces = text_pieces(rng, thinking_deltas, astral=True)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    signature = "Eq" + "".join(rng.choice(alphabet) for _ in range(598)) + "=="
    w.block(
        {"type": "thinking", "thinking": "", "signature": ""},
        [{"type": "thinking_delta", "thinking": p} for p in pieces]
        + [{"type": "signature_delta", "signature": signature}],
        {"type": "thinking", "thinking": "".join(pieces), "signature": signature},
    )
    w.text_block(text_pieces(rng, text_deltas))
    sse, events, message = w.finish("end_turn")
    return Body(name, sse, events, message, {"thinking_deltas": thinking_deltas, "text_deltas": text_deltas})


def catalog(rng: random.Random, target_bytes: int) -> dict[str, Any]:
    """A JSON document matching the structured-output model the workers declare (Catalog)."""
    words = ["Tea", "Kettle", "Mug", "Filter", "Grinder", "Scale", "Tin", "Spoon", "Café", "Matcha"]
    items: list[dict[str, Any]] = []
    doc: dict[str, Any] = {"name": "Spring catalogue — «Thé & Café»", "items": items}
    size = len(json.dumps(doc))
    i = 0
    while size < target_bytes:
        i += 1
        item = {
            "sku": f"SKU-{i:06d}",
            "title": f"{rng.choice(words)} {rng.choice(words).lower()} no. {i}",
            "price": round(rng.uniform(1, 400), 2),
            "quantity": rng.randint(0, 500),
            "in_stock": rng.random() < 0.8,
            "tags": rng.sample(["green", "black", "organic", "gift", "new", "sale"], rng.randint(0, 3)),
        }
        items.append(item)
        size += len(json.dumps(item, ensure_ascii=False)) + 2
    return doc


def structured_body(name: str, json_bytes: int, seed: int = 4) -> Body:
    rng = random.Random(seed)
    w = _Writer(rng, _msg_id(rng))
    doc = catalog(rng, json_bytes)
    text = json.dumps(doc, ensure_ascii=False)
    pieces = split_pieces(rng, text, 3, 6)
    w.text_block(pieces)
    sse, events, message = w.finish("end_turn")
    message["$parsed_output"] = doc  # what ``parsed_output`` must hold, as the workers dump it
    return Body(name, sse, events, message, {"json_bytes": len(text.encode()), "text_deltas": len(pieces)})


def frame_chunked(body: bytes, seed: int, low: int = 4096, high: int = 16384) -> bytes:
    """HTTP/1.1 chunked framing of ``body`` in chunks of ``low``..``high`` bytes (cut anywhere)."""
    rng = random.Random(seed)
    out = []
    i = 0
    while i < len(body):
        piece = body[i : i + rng.randint(low, high)]
        out.append(b"%x\r\n%s\r\n" % (len(piece), piece))
        i += len(piece)
    out.append(b"0\r\n\r\n")
    return b"".join(out)


_BEDROCK_CHUNK_HEADERS = b"".join(
    bytes((len(name),)) + name + b"\x07" + struct.pack(">H", len(value)) + value
    for name, value in (
        (b":event-type", b"chunk"),
        (b":content-type", b"application/json"),
        (b":message-type", b"event"),
    )
)
_PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def bedrock_frames(sse: bytes) -> bytes:
    """The events of an SSE body as Bedrock's ``invoke-with-response-stream`` sends them.

    One AWS event-stream message per event: headers ``:event-type: chunk``,
    ``:content-type: application/json``, ``:message-type: event``; payload
    ``{"bytes": base64(event JSON), "p": padding}``; prelude and message CRC32s.
    """
    out = []
    for block in sse.split(b"\n\n"):
        data = next((line[6:] for line in block.split(b"\n") if line.startswith(b"data: ")), None)
        if data is None:
            continue
        payload = json.dumps(
            {"bytes": base64.b64encode(data).decode(), "p": _PADDING[: 1 + len(data) % 40]}, separators=(",", ":")
        ).encode()
        total = 16 + len(_BEDROCK_CHUNK_HEADERS) + len(payload)
        prelude = struct.pack(">II", total, len(_BEDROCK_CHUNK_HEADERS))
        message = prelude + struct.pack(">I", zlib.crc32(prelude)) + _BEDROCK_CHUNK_HEADERS + payload
        out.append(message + struct.pack(">I", zlib.crc32(message)))
    return b"".join(out)
