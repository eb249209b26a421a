"""Benchmark: reading a Message Batch's results file through ``results()``.

    python bench/batch_results.py                      # 10,000 and 100,000 results (~20 MB and ~200 MB)
    python bench/batch_results.py --sizes 2000,20000   # smaller, for a shared machine
    python bench/batch_results.py --official-python PATH

Three implementations read the same file from the same loopback server, each in
a fresh process:

- **floor**: ``httpx2`` streaming the results URL, ``iter_lines()`` and
  ``json.loads`` of each line; no types, no checks.
- **ours**: this repository's ``client.messages.batches.results(id)``, every
  result typed (``MessageBatchIndividualResponse``), the count checked.
- **official**: the official client's ``client.messages.batches.results(id)``
  (skipped when no python with it is given: ``--official-python``, else
  ``bench/.venvs/official/bin/python`` if it exists).

Each worker reads every result, touching ``custom_id`` and ``result.type``,
and reports its CPU time (user + system) for the read, its peak RSS (Linux
``VmHWM``) and its RSS before the read.  The report gives CPU against the
floor, peak RSS at each size, and the growth of CPU from the smallest to the
largest size (linear reading gives the ratio of the sizes).

The file is built from a fixed seed: 90% succeeded results with a message of
one text block (~1.8 KB of text), the rest errored, canceled or expired, in a
shuffled order, about 2 KB a line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BATCH_ID = "msgbatch_bench"
WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "a",
    "lazy",
    "dog",
    "while",
    "batches",
    "of",
    "prompts",
    "wait",
    "in",
    "line",
    "for",
    "answers",
]


# --- the results file -------------------------------------------------------------------------------


def build_file(path: Path, n: int, seed: int = 13) -> int:
    """Write ``n`` results to ``path``; its size in bytes."""
    rng = random.Random(seed)
    order = list(range(n))
    rng.shuffle(order)
    size = 0
    with path.open("wb") as f:
        for i in order:
            kind = rng.random()
            custom_id = f"request-{i:07d}"
            if kind < 0.9:
                text = " ".join(rng.choice(WORDS) for _ in range(330))
                result: dict[str, Any] = {
                    "type": "succeeded",
                    "message": {
                        "id": f"msg_{i:024d}",
                        "type": "message",
                        "role": "assistant",
                        "model": "claude-sonnet-4-5-20250929",
                        "content": [{"type": "text", "text": text}],
                        "stop_reason": "end_turn",
                        "stop_sequence": None,
                        "usage": {
                            "input_tokens": 20 + i % 50,
                            "output_tokens": 400,
                            "cache_creation_input_tokens": 0,
                            "cache_read_input_tokens": 0,
                            "service_tier": "batch",
                        },
                    },
                }
            elif kind < 0.95:
                result = {
                    "type": "errored",
                    "error": {
                        "type": "error",
                        "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"},
                    },
                }
            elif kind < 0.98:
                result = {"type": "canceled"}
            else:
                result = {"type": "expired"}
            line = (
                json.dumps({"custom_id": custom_id, "result": result}, separators=(",", ":")).encode() + b"\n"
            )
            f.write(line)
            size += len(line)
    return size


# --- the server -------------------------------------------------------------------------------------


def serve(path: Path, n: int) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path.startswith(f"/v1/messages/batches/{BATCH_ID}/results"):
                size = path.stat().st_size
                self.send_response(200)
                self.send_header("content-type", "application/binary")
                self.send_header("content-length", str(size))
                self.end_headers()
                with path.open("rb") as f:
                    _copy(f, self.wfile)
                return
            if self.path.startswith(f"/v1/messages/batches/{BATCH_ID}"):
                body = json.dumps(
                    {
                        "id": BATCH_ID,
                        "type": "message_batch",
                        "processing_status": "ended",
                        "request_counts": {
                            "processing": 0,
                            "succeeded": n,
                            "errored": 0,
                            "canceled": 0,
                            "expired": 0,
                        },
                        "created_at": "2025-01-01T00:00:00Z",
                        "expires_at": "2025-01-02T00:00:00Z",
                        "ended_at": "2025-01-01T01:00:00Z",
                        "archived_at": None,
                        "cancel_initiated_at": None,
                        "results_url": f"{base}/v1/messages/batches/{BATCH_ID}/results",
                    }
                ).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_error(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _copy(source: Any, sink: Any) -> None:
    while chunk := source.read(1 << 20):
        sink.write(chunk)


# --- the workers ------------------------------------------------------------------------------------


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(impl: str, base_url: str) -> None:
    if impl == "floor":
        import json as json_module

        import httpx2

        client = httpx2.Client()
        before = _rss_kb("VmRSS")
        start_cpu, start = _cpu(), time.perf_counter()
        count = 0
        with client.stream("GET", f"{base_url}/v1/messages/batches/{BATCH_ID}/results") as response:
            for line in response.iter_lines():
                if line:
                    value = json_module.loads(line)
                    count += len(value["custom_id"]) > 0 and bool(value["result"]["type"])
    else:
        import anthropic

        client = anthropic.Anthropic(api_key="bench", base_url=base_url, max_retries=0)
        client.messages.batches.retrieve(BATCH_ID)  # load what the first call needs before measuring
        before = _rss_kb("VmRSS")
        start_cpu, start = _cpu(), time.perf_counter()
        count = 0
        for result in client.messages.batches.results(BATCH_ID):
            count += len(result.custom_id) > 0 and bool(result.result.type)
    cpu, wall = _cpu() - start_cpu, time.perf_counter() - start
    print(
        json.dumps(
            {"count": count, "cpu": cpu, "wall": wall, "rss_before_kb": before, "peak_kb": _rss_kb("VmHWM")}
        )
    )


def run_worker(python: str, impl: str, base_url: str, pythonpath: str | None) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    out = subprocess.run(
        [python, str(Path(__file__).resolve()), "--worker", impl, base_url],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=3600,
    )
    if out.returncode != 0:
        raise SystemExit(f"{impl} worker failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# --- the run ----------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="numbers of results, comma-separated")
    parser.add_argument("--official-python", help="a python that has the official client")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per implementation and size (the best is kept)"
    )
    parser.add_argument("--worker", nargs=2, metavar=("IMPL", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    ours_python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    official = args.official_python or os.environ.get("ANTHROPIC_OFFICIAL_PYTHON")
    if official is None and (HERE / ".venvs" / "official" / "bin" / "python").exists():
        official = str(HERE / ".venvs" / "official" / "bin" / "python")
    impls: list[tuple[str, str, str | None]] = [
        ("floor", ours_python, None),
        ("ours", ours_python, str(ROOT / "src")),
    ]
    if official:
        impls.append(("official", official, None))
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"results-{n}.jsonl"
            size = build_file(path, n)
            server, url = serve(path, n)
            print(f"{n:,} results, {size / 1e6:.1f} MB", file=sys.stderr)
            try:
                for name, python, pythonpath in impls:
                    runs = [run_worker(python, name, url, pythonpath) for _ in range(max(1, args.repeat))]
                    best = min(runs, key=lambda r: r["cpu"])
                    if best["count"] != n:
                        raise SystemExit(f"{name} read {best['count']} results of {n}")
                    rows[(name, n)] = best
                    print(
                        f"  {name}: {best['cpu']:.2f} s CPU, peak RSS {best['peak_kb'] / 1024:.0f} MB",
                        file=sys.stderr,
                    )
            finally:
                server.shutdown()
                server.server_close()
            path.unlink()
    print(report(rows, sizes, [name for name, _, _ in impls]))
    return 0


def report(rows: dict[tuple[str, int], dict[str, Any]], sizes: list[int], names: list[str]) -> str:
    lines = [
        "| implementation | results | CPU s | CPU / floor | peak RSS MB | RSS before read MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        floor = rows[("floor", n)]["cpu"]
        for name in names:
            r = rows[(name, n)]
            lines.append(
                f"| {name} | {n:,} | {r['cpu']:.2f} | {r['cpu'] / floor:.2f} | {r['peak_kb'] / 1024:.0f} | "
                f"{r['rss_before_kb'] / 1024:.0f} |"
            )
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        lines += [
            "",
            f"CPU growth from {small:,} to {large:,} results (the sizes grow {large / small:g}x):",
            "",
        ]
        for name in names:
            growth = rows[(name, large)]["cpu"] / rows[(name, small)]["cpu"]
            peak = (rows[(name, large)]["peak_kb"] - rows[(name, small)]["peak_kb"]) / 1024
            lines.append(f"- {name}: {growth:.1f}x CPU; peak RSS {peak:+.0f} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
