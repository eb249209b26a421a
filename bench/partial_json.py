"""The partial JSON parser alone: this tree's against another revision's, in one process.

    .venv/bin/python bench/partial_json.py            # against HEAD
    .venv/bin/python bench/partial_json.py ff4503b    # against any revision
    REPEATS=15 .venv/bin/python bench/partial_json.py

Feeds three documents to ``PartialJSONParser`` piece by piece: the 1 MB tool
input of the ``tool_1mb`` body, its own 6-18 character pieces, the structured-output catalog
in 3-6 character pieces (``hold_numbers``, ``trailing_strings``), and one long
string value (a file's content) in 6-18 character pieces.  The two versions
run alternately, best of ``REPEATS``, in CPU time, so that other processes on
the machine weigh on both alike; each run's final snapshot is checked against
the document.  Differences under 2 % are within the noise of a shared machine.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODULE = "src/anthropic/lib/streaming/_partial_json.py"
sys.path.insert(0, str(HERE))

import bodies  # noqa: E402


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool_1mb() -> tuple[list[str], Any]:
    """The ``partial_json`` pieces of the ``tool_1mb`` body, and the input they make."""
    body = bodies.tool_body("tool_1mb", 1_000_000)
    pieces = []
    for event in body.sse.split(b"\n\n"):
        for line in event.split(b"\n"):
            if line.startswith(b"data:") and b'"input_json_delta"' in line:
                pieces.append(json.loads(line[5:])["delta"]["partial_json"])
    return pieces, body.message["content"][-1]["input"]


def workloads() -> dict[str, tuple[list[str], Any, dict[str, bool]]]:
    tool_pieces, tool = tool_1mb()
    rng = random.Random(4)
    catalog = bodies.catalog(rng, 1_000_000)
    catalog_text = json.dumps(catalog, ensure_ascii=False)
    file = {"path": "a.py", "content": 'x = 1\n\tprint("hi")\\n ' * 40_000}
    file_text = json.dumps(file)
    return {
        "tool_1mb: 1 MB, 6-18 chars": (tool_pieces, tool, {}),
        "catalog 1 MB, 3-6 chars": (
            bodies.split_pieces(random.Random(4), catalog_text, 3, 6),
            catalog,
            {"hold_numbers": True, "trailing_strings": True},
        ),
        "one long string, 6-18 chars": (bodies.split_pieces(random.Random(5), file_text, 6, 18), file, {}),
    }


def cpu(module: ModuleType, pieces: list[str], expected: Any, options: dict[str, bool]) -> float:
    parser = module.PartialJSONParser(**options)
    feed = parser.feed
    started = time.process_time()
    for piece in pieces:
        feed(piece)
    took = time.process_time() - started
    assert parser.snapshot() == expected
    return took


def main() -> None:
    rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    repeats = int(os.environ.get("REPEATS", "9"))
    source = subprocess.run(
        ["git", "show", f"{rev}:{MODULE}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        other_path = Path(tmp) / "partial_json_other.py"
        other_path.write_text(source)
        versions = {rev: load("partial_json_other", other_path), "tree": load("partial_json_tree", ROOT / MODULE)}
        print(f"best of {repeats}, CPU time; 'tree' against {rev}")
        for name, (pieces, expected, options) in workloads().items():
            best = dict.fromkeys(versions, float("inf"))
            for k in range(repeats):
                for label in list(versions)[:: 1 if k % 2 == 0 else -1]:
                    best[label] = min(best[label], cpu(versions[label], pieces, expected, options))
            change = best["tree"] / best[rev] - 1
            print(
                f"{name:32} {len(pieces):>7,} pieces  {rev}: {best[rev] * 1000:7.1f} ms  "
                f"tree: {best['tree'] * 1000:7.1f} ms  ({change:+.1%})"
            )


if __name__ == "__main__":
    main()
