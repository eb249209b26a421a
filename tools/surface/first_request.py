"""Measure what the first streamed request of a fresh process loads and costs.

Starts the emulator as a separate process (so its own imports are not counted),
then runs, ``--runs`` times, a fresh interpreter that imports ``anthropic``,
builds a client and streams one reply, timing the first request with
``time.process_time()`` and counting the ``anthropic`` modules it loaded.
Prints the median CPU milliseconds and module counts.

    python tools/surface/first_request.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, time
import anthropic
client = anthropic.Anthropic(base_url=sys.argv[1], api_key="test")
before = set(sys.modules)
t0 = time.process_time()
with client.messages.stream(
    model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": "Say hi"}]
) as stream:
    text = stream.get_final_text()
cpu = time.process_time() - t0
loaded = sorted(set(sys.modules) - before)
print(json.dumps({
    "cpu_ms": cpu * 1000,
    "modules": len(loaded),
    "anthropic_modules": len([m for m in loaded if m.startswith("anthropic")]),
    "types_modules": len([m for m in loaded if m.startswith("anthropic.types")]),
    "text": bool(text),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    server = subprocess.Popen(
        [args.python, "-m", "anthropic", "emulator", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        results = []
        for _ in range(args.runs):
            out = subprocess.run(
                [args.python, "-c", CHILD, base_url],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
            )
            results.append(json.loads(out.stdout))
    finally:
        server.terminate()
        server.wait()
    for key in ("cpu_ms", "modules", "anthropic_modules", "types_modules"):
        print(
            f"{key}: median {statistics.median(r[key] for r in results):.1f}  all {[round(r[key], 1) for r in results]}"
        )


if __name__ == "__main__":
    main()
