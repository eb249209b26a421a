"""The synchronous shells in ``src/anthropic/_sync`` are exactly what ``scripts/unasync.py`` makes of ``_async``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "unasync.py"


def _load() -> object:
    spec = importlib.util.spec_from_file_location("unasync_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("unasync_script", module)
    spec.loader.exec_module(module)
    return module


def test_every_sync_twin_is_generated_from_its_async_source_and_current() -> None:
    unasync = _load()
    expected: dict[Path, str] = unasync.expected()  # type: ignore[attr-defined]
    sources = {p.name for p in (SCRIPT.parent.parent / "src" / "anthropic" / "_async").glob("*.py")} - {"__init__.py"}
    assert {p.name for p in expected} == sources
    stale = [p.name for p, text in expected.items() if not p.exists() or p.read_text() != text]
    assert stale == [], f"run ./dev unasync: {stale} differ from what their async sources generate"
    extra = {p.name for p in (SCRIPT.parent.parent / "src" / "anthropic" / "_sync").glob("*.py")} - sources - {"__init__.py"}
    assert extra == set(), f"sync modules without an async source: {sorted(extra)}"


def test_the_substitutions_turn_each_async_construct_around() -> None:
    unasync = _load()
    source = (
        "async def f(r: AsyncIterator[bytes]) -> Awaitable[None]:\n"
        "    async with x:\n"
        "        async for chunk in r.aiter_bytes():\n"
        "            yield chunk\n"
        "    await aclose_response(r)\n"
        "    await anyio.sleep(1)\n"
        "class BaseAsyncMessageStream(AsyncStream): ...\n"
    )
    assert unasync.unasync(source) == (  # type: ignore[attr-defined]
        "def f(r: Iterator[bytes]) -> None:\n"
        "    with x:\n"
        "        yield from r.iter_bytes()\n"
        "    close_response(r)\n"
        "    time.sleep(1)\n"
        "class BaseMessageStream(Stream): ...\n"
    )
