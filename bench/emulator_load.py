"""Load on the emulator itself: requests per second, and concurrent streams held, against an h11 floor.

    python bench/emulator_load.py [--duration 5] [--connections 16] [--streams 200]

Two servers run as their own processes, one after the other:

- **emulator**: ``anthropic emulator --no-auth`` (this repository's package);
- **floor**: a bare h11-over-asyncio server (the same transport library as the
  emulator) that answers every request with one canned Messages reply, JSON or
  SSE, doing no parsing, validation or generation: what any server on this
  stack must at least spend.

Measured, for each:

- **rps**: ``--connections`` keep-alive connections each send non-streamed
  ``POST /v1/messages`` requests back to back for ``--duration`` seconds;
  completed responses per second.
- **streams held**: ``--streams`` connections each open a streamed request that
  the server keeps open (the emulator with a ``latency_ms`` fault, the floor by
  not finishing); how many got their first event, whether a plain request is
  still answered meanwhile, and the server's resident memory then.

The load generator is one asyncio process on the same machine, so on 2 cores the
figures are a lower bound for the server; compare the rows, not the absolutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODY = json.dumps(
    {"model": "claude-test", "max_tokens": 64, "messages": [{"role": "user", "content": "Count to 10"}]}
).encode()
STREAM_BODY = json.dumps(
    {
        "model": "claude-test",
        "max_tokens": 64,
        "stream": True,
        "messages": [{"role": "user", "content": "Count to 10"}],
    }
).encode()


# --- the floor server --------------------------------------------------------------------------------


def run_floor() -> None:
    import h11

    message = json.dumps(
        {
            "id": "msg_floor",
            "type": "message",
            "role": "assistant",
            "model": "claude-test",
            "content": [{"type": "text", "text": "1, 2, 3, 4, 5, 6, 7, 8, 9, 10."}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 20},
        }
    ).encode()
    first_event = b'event: message_start\ndata: {"type":"message_start"}\n\n'

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER)
        parts: list[bytes] = []
        try:
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    data = await reader.read(65536)
                    conn.receive_data(data)
                    continue
                if isinstance(event, (h11.ConnectionClosed,)) or event is h11.PAUSED:
                    break
                if isinstance(event, h11.EndOfMessage):
                    if b"stream" in b"".join(parts):
                        headers = [("content-type", "text/event-stream")]
                        writer.write(conn.send(h11.Response(status_code=200, headers=headers)))
                        writer.write(conn.send(h11.Data(data=first_event)))
                        await writer.drain()
                        await asyncio.Event().wait()  # held open until the client leaves
                    headers = [("content-type", "application/json"), ("content-length", str(len(message)))]
                    writer.write(conn.send(h11.Response(status_code=200, headers=headers)))
                    writer.write(conn.send(h11.Data(data=message)))
                    writer.write(conn.send(h11.EndOfMessage()))
                    await writer.drain()
                    conn.start_next_cycle()
                elif isinstance(event, h11.Request):
                    parts = []
                elif isinstance(event, h11.Data):
                    parts.append(bytes(event.data))
        except (ConnectionError, h11.ProtocolError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=4096)
        print(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
        await server.serve_forever()

    asyncio.run(main())


# --- the load generator ------------------------------------------------------------------------------


def request_bytes(body: bytes, extra: str = "") -> bytes:
    return (
        "POST /v1/messages HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n"
        f"anthropic-version: 2023-06-01\r\n{extra}content-length: {len(body)}\r\n\r\n"
    ).encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def measure_rps(port: int, connections: int, duration: float) -> float:
    done = 0
    stop_at = time.monotonic() + duration
    payload = request_bytes(BODY)

    async def worker() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < stop_at:
                writer.write(payload)
                if await read_response(reader) == 200:
                    done += 1
        finally:
            writer.close()

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / (time.monotonic() - start)


async def measure_streams(port: int, streams: int, hold_header: str) -> tuple[int, bool]:
    opened: list[asyncio.StreamWriter] = []
    held = 0
    payload = request_bytes(STREAM_BODY, hold_header)

    async def open_stream() -> bool:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            opened.append(writer)
            writer.write(payload)
            data = await asyncio.wait_for(reader.readuntil(b"message_start"), 20)
            return data.startswith(b"HTTP/1.1 200")
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return False

    results = await asyncio.gather(*(open_stream() for _ in range(streams)))
    held = sum(results)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request_bytes(BODY))
        still_answers = await asyncio.wait_for(read_response(reader), 20) == 200
        writer.close()
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
        still_answers = False
    for writer in opened:
        writer.close()
    return held, still_answers


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def start(command: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    url = proc.stdout.readline().decode().strip()
    return proc, int(url.rsplit(":", 1)[1])


def bench(name: str, command: list[str], hold_header: str, args: argparse.Namespace) -> dict[str, object]:
    proc, port = start(command)
    try:
        rps = asyncio.run(measure_rps(port, args.connections, args.duration))
        held, answers = asyncio.run(measure_streams_with_rss(port, args.streams, hold_header, proc.pid))
        return {"server": name, "rps": rps, "held": held, "answers": answers[0], "rss": answers[1]}
    finally:
        proc.terminate()
        proc.wait(30)


async def measure_streams_with_rss(
    port: int, streams: int, hold: str, pid: int
) -> tuple[int, tuple[bool, float]]:
    held, still = await measure_streams(port, streams, hold)
    return held, (still, rss_mb(pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of request load per server")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections for the rps run")
    parser.add_argument("--streams", type=int, default=200, help="streams to hold open at once")
    parser.add_argument("--floor-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        run_floor()
        return
    rows = [
        bench(
            "emulator",
            [
                sys.executable,
                "-m",
                "anthropic",
                "emulator",
                "--no-auth",
                "--allow-unknown-params",
                "--max-connections",
                str(args.streams + 64),
            ],
            "x-emulator-fault: latency_ms=30000\r\n",
            args,
        ),
        bench("floor (h11)", [sys.executable, __file__, "--floor-server"], "", args),
    ]
    print(f"{args.connections} connections x {args.duration:g} s; {args.streams} streams held\n")
    print("| server | requests/s | streams held | plain request answered meanwhile | RSS with streams held |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['server']} | {row['rps']:.0f} | {row['held']}/{args.streams} | "
            f"{'yes' if row['answers'] else 'no'} | {row['rss']:.0f} MB |"
        )
    floor = rows[1]["rps"]
    assert isinstance(floor, float)
    print(f"\nemulator / floor requests per second: {rows[0]['rps'] / floor:.2f}")  # type: ignore[operator]


if __name__ == "__main__":
    main()
