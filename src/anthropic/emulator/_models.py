"""The models the emulator knows: ``GET /v1/models`` pages and per-model limits.

Pure data and functions.  A request may name any model (the emulator answers
for unknown ones too); a known model, or an alias of one, brings its
``max_tokens`` limit, which validation enforces as the API does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._wire import Rejected, clip

__all__ = ["MODELS", "ModelEntry", "find_model", "list_page"]


@dataclass(frozen=True)
class ModelEntry:
    id: str
    display_name: str
    created_at: str
    max_tokens: int
    aliases: tuple[str, ...] = ()
    max_input_tokens: int = 200_000

    def info(self) -> dict[str, Any]:
        return {
            "type": "model",
            "id": self.id,
            "display_name": self.display_name,
            "created_at": self.created_at,
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "max_input_tokens": self.max_input_tokens,
            "max_tokens": self.max_tokens,
        }


# Newest first, as the API lists them.
MODELS: tuple[ModelEntry, ...] = (
    ModelEntry("claude-opus-4-6", "Claude Opus 4.6", "2026-02-05T00:00:00Z", 128_000),
    ModelEntry("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z", 64_000),
    ModelEntry(
        "claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24T00:00:00Z", 64_000, ("claude-opus-4-5",)
    ),
    ModelEntry(
        "claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z", 64_000, ("claude-haiku-4-5",)
    ),
    ModelEntry(
        "claude-sonnet-4-5-20250929",
        "Claude Sonnet 4.5",
        "2025-09-29T00:00:00Z",
        64_000,
        ("claude-sonnet-4-5",),
    ),
    ModelEntry(
        "claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z", 32_000, ("claude-opus-4-1",)
    ),
    ModelEntry(
        "claude-opus-4-20250514", "Claude Opus 4", "2025-05-22T00:00:00Z", 32_000, ("claude-opus-4-0",)
    ),
    ModelEntry(
        "claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z", 64_000, ("claude-sonnet-4-0",)
    ),
    ModelEntry(
        "claude-3-7-sonnet-20250219",
        "Claude Sonnet 3.7",
        "2025-02-24T00:00:00Z",
        64_000,
        ("claude-3-7-sonnet-latest",),
    ),
    ModelEntry(
        "claude-3-5-haiku-20241022",
        "Claude Haiku 3.5",
        "2024-10-22T00:00:00Z",
        8_192,
        ("claude-3-5-haiku-latest",),
    ),
    ModelEntry("claude-3-haiku-20240307", "Claude Haiku 3", "2024-03-07T00:00:00Z", 4_096),
)

_BY_NAME: dict[str, ModelEntry] = {}
for _entry in MODELS:
    _BY_NAME[_entry.id] = _entry
    for _alias in _entry.aliases:
        _BY_NAME[_alias] = _entry


def find_model(name: str) -> ModelEntry | None:
    """The model an id or alias names, if the emulator knows it."""
    return _BY_NAME.get(name)


def get_model(name: str) -> dict[str, Any]:
    entry = find_model(name)
    if entry is None:
        raise Rejected(404, f"model: {clip(name, 80)}")
    return entry.info()


def list_page(query: dict[str, str]) -> dict[str, Any]:
    """One page of the model list: ``limit`` (1-1000, default 20), ``after_id`` or ``before_id``."""
    raw_limit = query.get("limit", "20")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 1000:
        raise Rejected(400, "limit: Input should be an integer between 1 and 1000")
    limit = int(raw_limit)
    if "after_id" in query and "before_id" in query:
        raise Rejected(400, "after_id: cannot be combined with before_id")
    ids = [m.id for m in MODELS]
    if "after_id" in query:
        start = _position(ids, query["after_id"], "after_id") + 1
        chunk = ids[start : start + limit]
        has_more = start + limit < len(ids)
    elif "before_id" in query:
        end = _position(ids, query["before_id"], "before_id")
        begin = max(0, end - limit)
        chunk = ids[begin:end]
        has_more = begin > 0
    else:
        chunk = ids[:limit]
        has_more = limit < len(ids)
    return {
        "data": [_BY_NAME[i].info() for i in chunk],
        "has_more": has_more,
        "first_id": chunk[0] if chunk else None,
        "last_id": chunk[-1] if chunk else None,
    }


def _position(ids: list[str], value: str, name: str) -> int:
    entry = find_model(value)
    if entry is None:
        raise Rejected(400, f"{name}: no model with id {clip(value, 80)}")
    return ids.index(entry.id)
