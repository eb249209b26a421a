"""Bedrock framing against SSE on the same events: bytes to Messages event dicts, no HTTP.

    .venv/bin/python bench/eventstream.py [--deltas 20000] [--repeat 7]

Both sides start from the same events (the ``text_20k`` body of ``bodies.py``):

* **sse**: the SSE body, fed to ``anthropic._sse.SSEDecoder`` and each event's
  data decoded with ``pydantic_core.from_json`` (what the first-party stream
  core does before the accumulator);
* **bedrock**: the same events framed as Bedrock sends them (one event-stream
  message per event, payload ``{"bytes": base64(event JSON), "p": padding}``),
  fed to ``BedrockEventDecoder``, which returns the event dicts.

Each is read in two ways: one network read per event (a live stream), and
16 KiB reads (a stream that arrives faster than it is read).  The figure that
matters is the ratio bedrock / sse per way of reading (the goal is at most 1.3);
bytes/s are of each side's own body, which is about twice as large for Bedrock
(base64, padding, headers and checksums).  Times are the best CPU time
(``time.process_time``) of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bodies import text_body
from pydantic_core import from_json

from anthropic._sse import SSEDecoder
from anthropic.lib.bedrock._events import BedrockEventDecoder
from anthropic.lib.bedrock._eventstream import encode_message

CHUNK = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}


def bedrock_frames(sse: bytes) -> list[bytes]:
    frames = []
    for block in sse.split(b"\n\n"):
        data = next((line[6:] for line in block.split(b"\n") if line.startswith(b"data: ")), None)
        if data is None:
            continue
        b64 = base64.b64encode(data).decode()
        pad = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[: 1 + len(data) % 40]
        payload = json.dumps({"bytes": b64, "p": pad}, separators=(",", ":")).encode()
        frames.append(encode_message(CHUNK, payload))
    return frames


def sse_events(sse: bytes) -> list[bytes]:
    return [block + b"\n\n" for block in sse.split(b"\n\n") if block]


def in_chunks(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def run_sse(chunks: list[bytes]) -> int:
    dec = SSEDecoder()
    n = 0
    for chunk in chunks:
        for record in dec.feed(chunk):
            from_json(record.data)
            n += 1
    return n


def run_bedrock(chunks: list[bytes]) -> int:
    dec = BedrockEventDecoder()
    n = 0
    for chunk in chunks:
        n += len(dec.feed(chunk))
    dec.end()
    return n


def best(fn: Callable[[list[bytes]], int], chunks: list[bytes], repeat: int) -> tuple[float, int]:
    times = []
    n = 0
    for _ in range(repeat):
        t = time.process_time()
        n = fn(chunks)
        times.append(time.process_time() - t)
    return min(times), n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deltas", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    body = text_body("text", args.deltas)
    frames = bedrock_frames(body.sse)
    bedrock_body = b"".join(frames)
    cases: dict[str, tuple[list[bytes], list[bytes]]] = {
        "one read per event": (sse_events(body.sse), frames),
        "16 KiB reads": (in_chunks(body.sse, 16384), in_chunks(bedrock_body, 16384)),
    }
    print(
        f"{args.deltas} text deltas: SSE body {len(body.sse):,} bytes, Bedrock body {len(bedrock_body):,} bytes\n"
    )
    print("| reads | sse ms | bedrock ms | bedrock / sse | sse MB/s | bedrock MB/s |")
    print("|---|---|---|---|---|---|")
    rows: list[Any] = []
    for name, (sse_chunks, br_chunks) in cases.items():
        t_sse, n_sse = best(run_sse, sse_chunks, args.repeat)
        t_br, n_br = best(run_bedrock, br_chunks, args.repeat)
        assert n_sse == n_br == body.events, (n_sse, n_br, body.events)
        rows.append((name, t_sse, t_br))
        print(
            f"| {name} | {t_sse * 1e3:.1f} | {t_br * 1e3:.1f} | {t_br / t_sse:.2f} | "
            f"{len(body.sse) / t_sse / 1e6:.1f} | {len(bedrock_body) / t_br / 1e6:.1f} |"
        )


if __name__ == "__main__":
    main()
