"""A rough, deterministic tokenizer: the unit of ``usage`` and of streamed deltas.

A token is a run of up to eight letters, up to three digits, or one other
character, with the whitespace before it attached.  Joining the tokens of a
text gives the text back exactly, so a reply cut after ``k`` tokens is a
prefix of the uncut reply.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["count_tokens", "estimate_input_tokens", "split_tokens"]

_TOKEN = re.compile(r"\s*(?:[^\W\d_]{1,8}|\d{1,3}|[^\s])|\s+")

# Fixed costs, in tokens, of things the estimate cannot see as text.
_PER_REQUEST = 3
_PER_MESSAGE = 4
_PER_TOOL = 8
_PER_MEDIA_BLOCK = 100


def split_tokens(text: str) -> list[str]:
    """The tokens of ``text``; ``"".join(split_tokens(t)) == t``."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    return sum(1 for _ in _TOKEN.finditer(text))


def _content_tokens(content: Any) -> int:
    if isinstance(content, str):
        return count_tokens(content)
    total = 0
    if not isinstance(content, list):
        return total
    for block in content:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text":
            total += count_tokens(str(block.get("text", "")))
        elif kind == "thinking":
            total += count_tokens(str(block.get("thinking", "")))
        elif kind in ("tool_use", "server_tool_use", "mcp_tool_use"):
            total += count_tokens(str(block.get("name", "")))
            total += count_tokens(json.dumps(block.get("input"), ensure_ascii=False))
        elif kind in ("tool_result", "search_result"):
            total += _content_tokens(block.get("content", ""))
        elif kind in ("image", "document"):
            total += _PER_MEDIA_BLOCK
        else:
            total += count_tokens(json.dumps(block, ensure_ascii=False, sort_keys=True))
    return total


def estimate_input_tokens(body: dict[str, Any]) -> int:
    """The ``input_tokens`` of a (validated) request body.

    The same number is reported by ``count_tokens`` and in a reply's ``usage``.
    """
    total = _PER_REQUEST + _content_tokens(body.get("system", ""))
    for message in body.get("messages", ()):
        total += _PER_MESSAGE + _content_tokens(message.get("content", ""))
    for tool in body.get("tools", ()) or ():
        if not isinstance(tool, dict):
            continue
        total += _PER_TOOL + count_tokens(str(tool.get("name", "")))
        total += count_tokens(str(tool.get("description", "")))
        schema = tool.get("input_schema")
        if schema is not None:
            total += count_tokens(json.dumps(schema, ensure_ascii=False, sort_keys=True))
    return total
