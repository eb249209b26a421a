"""``accumulate_event``: fold one raw stream event into a message snapshot, in place.

The official SDK exposes this as ``anthropic.lib.streaming._messages.accumulate_event``
and tracing wrappers (LangSmith's ``wrap_anthropic``) call it to rebuild the
final message from the raw events of ``messages.create(stream=True)`` they
recorded.  It is a stateless function over a snapshot the caller keeps, not
the stream's accumulator: the streams themselves never use it, and
:mod:`._accumulator` stays the one hot path.

The contract, as the official function's:

* ``event`` is a raw event object (``RawMessageStreamEvent``, plain or beta) or
  its decoded ``dict``; anything else is a ``TypeError``.
* With ``current_snapshot=None`` only a ``message_start`` is accepted: it gives
  a new ``ParsedMessage`` (``ParsedBetaMessage`` for beta events).  Any other
  event first is a ``RuntimeError`` naming it.
* Otherwise the snapshot is updated in place and returned (the same object):
  ``content_block_start`` appends the block, ``content_block_delta`` extends
  block ``index`` (text, tool input JSON, thinking, signature, citations; a
  delta that does not fit the block's type is ignored), ``content_block_stop``
  parses a text block as ``output_format`` when one is given, ``message_delta``
  applies the stop reason and usage.  ``message_stop``, ``ping`` and event types
  this version does not know leave it unchanged.
* A delta for a block index the snapshot does not have is an ``IndexError``;
  tool input that is not the start of valid JSON is a ``ValueError``.
* ``json_bufs`` maps block indexes to the tool input JSON received so far (as
  UTF-8); the official function requires it.  Here it may be left out: the
  buffer is then kept on the block (a plain attribute, not a field, so the
  block dumps and compares as the API would send it).

Where the rules are this library's own, they are the accumulator's: every
field of a ``message_delta`` (in its ``delta`` or beside it) reaches the
message and usage counts replace rather than add; a ``compaction_delta``
replaces its block's summary; a second ``message_start`` for one snapshot is
an error (a ``RuntimeError``, like the other order errors) rather than
ignored; structured output that does not validate raises
:class:`~anthropic.StructuredOutputError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..._types import NOT_GIVEN

if TYPE_CHECKING:
    from ._accumulator import TypeTable

__all__ = ["accumulate_event"]

_JSON_BUF = "_accumulated_input_json"
"""The key, in a tool block's ``__dict__``, of its input JSON when the caller keeps no ``json_bufs``."""

_DELTA_ENVELOPE = frozenset({"type", "delta", "usage"})


def accumulate_event(
    *,
    event: Any,
    current_snapshot: Any,
    json_bufs: dict[int, bytes] | None = None,
    output_format: Any = NOT_GIVEN,
) -> Any:
    """Apply ``event`` to ``current_snapshot`` (in place) and return the snapshot; see the module's contract."""
    data = _as_dict(event)
    etype = data.get("type")
    table = _table(event, current_snapshot)
    if current_snapshot is None:
        if etype != "message_start":
            raise RuntimeError(
                f"accumulate_event: a {etype!r} event arrived before message_start; "
                "a snapshot starts from the message_start event (current_snapshot=None)"
            )
        return _start(table, data)
    if etype == "message_start":
        raise RuntimeError(
            "accumulate_event: a second message_start arrived for a snapshot that already has one "
            f"(message {getattr(current_snapshot, 'id', None)!r})"
        )
    if etype == "content_block_start":
        current_snapshot.content.append(_block(table, _field_dict(data, "content_block")))
    elif etype == "content_block_delta":
        _apply_delta(current_snapshot, data, json_bufs)
    elif etype == "content_block_stop":
        block = _block_at(current_snapshot, data)
        if _given(output_format) and getattr(block, "type", None) == "text":
            from .._parse import resolve_output_format

            block.parsed_output = resolve_output_format(output_format).parse(block.text)
    elif etype == "message_delta":
        _apply_message_delta(table, current_snapshot, event, data)
    return current_snapshot


def _given(value: Any) -> bool:
    from ..._types import NotGiven, Omit

    return value is not None and not isinstance(value, (NotGiven, Omit))


# -- the event as data -------------------------------------------------------------


def _as_dict(event: Any) -> dict[str, Any]:
    if isinstance(event, dict):
        return event
    dump = getattr(event, "model_dump", None)
    if dump is None:
        raise TypeError(
            "accumulate_event(event=...) takes a raw stream event (a RawMessageStreamEvent or its decoded dict), "
            f"got {type(event).__module__}.{type(event).__qualname__}"
        )
    data = dump(by_alias=True)
    if not isinstance(data, dict):
        raise TypeError(f"accumulate_event: the event {type(event).__qualname__} does not dump to an object")
    return data


def _field_dict(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise TypeError(f"accumulate_event: the {data.get('type')} event carries no {key} object: {str(data)[:200]!r}")
    return dict(value)


def _table(event: Any, snapshot: Any) -> TypeTable:
    """The beta table for beta events or a beta snapshot, else the plain one."""
    from ._tables import beta_table, plain_table

    for obj in (snapshot, event):
        if obj is not None and not isinstance(obj, dict):
            return beta_table() if "Beta" in type(obj).__name__ else plain_table()
    return plain_table()


# -- building ----------------------------------------------------------------------


def _start(table: TypeTable, data: Mapping[str, Any]) -> Any:
    from ..._models import build_or_validate

    message = _field_dict(data, "message")
    message["content"] = [_block(table, dict(b)) for b in message.get("content") or () if isinstance(b, dict)]
    snapshot = build_or_validate(table.parsed_message, message)
    if not isinstance(snapshot.content, list):  # kept as sent: the snapshot's content is appended to
        snapshot.content = list(snapshot.content)
    return snapshot


def _block(table: TypeTable, block: dict[str, Any]) -> Any:
    from ..._models import build_or_validate

    if block.get("type") == "text" and table.parsed_text_block is not None:
        return build_or_validate(table.parsed_text_block, block)
    return table.validate_block(block)


def _block_at(snapshot: Any, data: Mapping[str, Any]) -> Any:
    index = data.get("index")
    content = snapshot.content
    if type(index) is not int or not 0 <= index < len(content):
        raise IndexError(
            f"accumulate_event: a {data.get('type')} event for content block {index!r}, "
            f"but the snapshot has {len(content)} block(s)"
        )
    return content[index]


# -- applying ----------------------------------------------------------------------


def _apply_delta(snapshot: Any, data: Mapping[str, Any], json_bufs: dict[int, bytes] | None) -> None:
    block = _block_at(snapshot, data)
    delta = _field_dict(data, "delta")
    dtype = delta.get("type")
    btype = getattr(block, "type", None)
    if dtype == "text_delta":
        if btype == "text":
            block.text = block.text + delta["text"]
    elif dtype == "input_json_delta":
        if btype != "redacted_thinking" and hasattr(block, "input"):
            _apply_input_json(block, data["index"], delta["partial_json"], json_bufs)
    elif dtype == "thinking_delta":
        if btype == "thinking":
            block.thinking = block.thinking + delta["thinking"]
    elif dtype == "signature_delta":
        if btype == "thinking":
            block.signature = delta["signature"]
    elif dtype == "citations_delta":
        if btype == "text":
            citation = _citation(data)
            if block.citations:
                block.citations.append(citation)
            else:
                block.citations = [citation]
    elif dtype == "compaction_delta" and btype == "compaction":
        block.content = delta.get("content")
        block.encrypted_content = delta.get("encrypted_content")


def _citation(data: Mapping[str, Any]) -> Any:
    """The delta's citation, typed as the stream types it."""
    from ..._models import build_or_validate
    from ...types import RawContentBlockDeltaEvent

    return build_or_validate(RawContentBlockDeltaEvent, data).delta.citation  # type: ignore[union-attr]


def _apply_input_json(block: Any, index: int, piece: str, json_bufs: dict[int, bytes] | None) -> None:
    from pydantic_core import from_json

    if json_bufs is None:
        buf = block.__dict__.get(_JSON_BUF, b"") + piece.encode("utf-8", "surrogatepass")
        block.__dict__[_JSON_BUF] = buf
    else:
        buf = json_bufs.get(index, b"") + piece.encode("utf-8", "surrogatepass")
        json_bufs[index] = buf
    if not buf:
        return
    try:
        block.input = from_json(buf, allow_partial=True)
    except ValueError as exc:
        raise ValueError(
            f"accumulate_event: the input JSON of content block {index} "
            f"({getattr(block, 'name', None) or getattr(block, 'type', '?')}) is not valid JSON ({exc}): "
            f"{buf[-200:].decode('utf-8', 'replace')!r}"
        ) from exc


def _apply_message_delta(table: TypeTable, snapshot: Any, event: Any, data: Mapping[str, Any]) -> None:
    """The accumulator's rules: stop fields replaced, every other field sent applied, usage counts replaced."""
    from ..._models import build_or_validate

    typed = event if not isinstance(event, dict) else build_or_validate(table.message_delta, data)
    delta, typed_delta = data.get("delta") or {}, getattr(typed, "delta", None)
    for key in table.message_delta_fields:
        setattr(snapshot, key, getattr(typed_delta, key, None))
    for source, typed_source in ((delta, typed_delta), (data, typed)):
        for key, value in source.items():
            if key in table.message_delta_fields or (source is data and key in _DELTA_ENVELOPE):
                continue
            if value is not None or getattr(snapshot, key, None) is None:
                setattr(snapshot, key, getattr(typed_source, key, value))
    usage, typed_usage = data.get("usage"), getattr(typed, "usage", None)
    target = getattr(snapshot, "usage", None)
    if isinstance(usage, dict) and target is not None:
        for key, value in usage.items():
            if key == "output_tokens" or value is not None:
                setattr(target, key, getattr(typed_usage, key, value))
