"""The message accumulator: one raw Messages API event in, the events a caller sees out.

A pure state machine with no I/O: :meth:`MessageAccumulator.feed` takes one
decoded event (a ``dict`` straight from the JSON of an SSE ``data`` field) and
appends to ``out`` the objects a message stream yields for it, keeping enough
state to produce the message snapshot on demand.

Costs stay linear in the length of the stream:

* each block's text (text, thinking) or input JSON (tool calls) is one
  ``bytearray`` appended to in place; the text is decoded only when somebody
  reads it (a snapshot, the final message), and then from where the previous
  read stopped;
* tool input is parsed once, with ``from_json``, at the block's end; a partial
  parse happens only when a snapshot is read, incrementally, from where the
  previous read stopped;
* per-delta objects are built with :func:`anthropic._models.construct_unchecked`
  from fields just checked; everything else (raw events, blocks, the message)
  with :func:`anthropic._models.build_or_validate`, so unknown fields and block
  types survive intact.

The protocol is checked as it goes: events before ``message_start`` or after
``message_stop``, block indexes out of order, deltas for stopped blocks,
``message_stop`` while a block is still open, and tool input JSON that is
invalid, or incomplete when the stop reason is not ``max_tokens``, raise
:class:`ProtocolError`.  Tool input cut by ``max_tokens`` keeps its partial
parse, and the block says so (``input_is_partial``, an attribute outside the
dumped fields).

Every field the server sends reaches the message: those of
``message_delta.delta`` and of the event itself, and every usage field.
Beta blocks and deltas this version has no class for are handled by their
``type``: a ``compaction_delta`` fills its ``compaction`` block and yields a
compaction event; a ``fallback`` block relabels the message with the model
that served it.

The same class serves the beta stream: everything type-specific comes from a
:class:`TypeTable`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..._errors import StructuredOutputError
from ..._models import build_or_validate, construct_unchecked
from ._partial_json import PartialJSONError, PartialJSONParser, parse_partial

__all__ = ["ErrorEvent", "MessageAccumulator", "ProtocolError", "ToolInputProtocolError", "TypeTable"]

_setattr = object.__setattr__


class ProtocolError(Exception):
    """The events break the Messages API protocol (order, indexes, JSON)."""

    def __init__(self, message: str, *, body: object = None) -> None:
        super().__init__(message)
        self.body = body


class ToolInputProtocolError(ProtocolError):
    """A tool call's input is not JSON at its block's end; the message is the whole text for the user."""


class ErrorEvent(Exception):
    """An ``error`` event arrived; ``body`` is its decoded data."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(str(body))
        self.body = body


@dataclass(frozen=True)
class TypeTable:
    """The classes a flavour of the API (plain or beta) builds its objects from."""

    parsed_message: type[Any]
    """The class of accumulated messages: the ``Parsed`` flavour, with ``parsed_output``."""
    plain_message: type[Any]
    """The class of messages from ``create()`` without an output format."""
    parsed_text_block: type[Any] | None
    validate_block: Callable[[dict[str, Any]], Any]
    delta_classes: dict[str, type[Any]]
    validate_delta_event: Callable[[dict[str, Any]], Any]
    message_start: type[Any]
    message_delta: type[Any]
    message_stop: type[Any]
    block_start: type[Any]
    block_delta: type[Any]
    block_stop: type[Any]
    text_event: type[Any]
    thinking_event: type[Any]
    signature_event: type[Any]
    citation_event: type[Any]
    input_json_event: type[Any]
    message_stop_event: type[Any]
    block_stop_event: type[Any]
    input_event_block_types: frozenset[str]
    """Block types whose ``input_json`` deltas produce an ``InputJsonEvent``."""
    compaction_event: type[Any] | None = None
    """The event a ``compaction_delta`` yields, where the flavour has one."""
    message_delta_fields: tuple[str, ...] = ("stop_reason", "stop_sequence")
    """Fields of ``message_delta.delta`` that each delta sets, to null when absent.

    Every other field of the delta, and of the event beside ``delta`` and
    ``usage``, is copied onto the message when sent (a null only where the
    message has no value for it yet).
    """


# Top-level fields of a message_delta event that are not fields of the message.
_DELTA_ENVELOPE = frozenset({"type", "delta", "usage"})

# Block kinds: what the accumulator does with the deltas of a block.
_TEXT, _THINKING, _INPUT, _OTHER = 0, 1, 2, 3


class BlockState:
    """The accumulating state of one content block.

    ``buf`` holds the block's text (text and thinking blocks) or its input JSON
    (tool-call blocks) as UTF-8, appended to in place: memory stays close to the
    size of the text, whatever the number of deltas, and appending never copies
    what came before.  Events remember ``len(buf)`` at their time (their
    *mark*) and ask for ``text_upto`` / ``json_upto`` of that mark when read.
    """

    __slots__ = (
        "_broken",
        "_fed",
        "_joined",
        "_joined_n",
        "_parser",
        "base",
        "buf",
        "citations",
        "final",
        "index",
        "kind",
        "signature",
        "trailing_strings",
        "type",
    )

    def __init__(self, index: int, base: dict[str, Any], kind: int, trailing_strings: bool) -> None:
        self.index = index
        self.base = base
        self.type: str = base.get("type", "")
        self.kind = kind
        self.buf = bytearray()
        self.citations: list[Any] | None = None
        self.signature: str | None = None
        self.final: Any = None
        self.trailing_strings = trailing_strings
        self._joined = ""
        self._joined_n = 0
        self._parser: PartialJSONParser | None = None
        self._fed = 0
        self._broken = False
        if kind == _TEXT:
            initial = base.get("text")
        elif kind == _THINKING:
            initial = base.get("thinking")
            self.signature = base.get("signature")
        else:
            initial = None
        if isinstance(initial, str) and initial:
            self.buf += initial.encode("utf-8", "surrogatepass")
        if kind == _TEXT and base.get("citations"):
            self.citations = list(base["citations"])

    def _decode(self, start: int, end: int) -> str:
        return str(memoryview(self.buf)[start:end], "utf-8", "surrogatepass")

    def text_upto(self, n: int) -> str:
        """The text up to mark ``n``; the last one built is kept for the next reader."""
        if n != self._joined_n:
            if n < self._joined_n:
                return self._decode(0, n)
            self._joined = self._joined + self._decode(self._joined_n, n)
            self._joined_n = n
        return self._joined

    def text(self) -> str:
        return self.text_upto(len(self.buf))

    def json_upto(self, n: int) -> Any:
        """The partial parse of the JSON up to mark ``n``.

        Reads are incremental: the parser resumes where the previous read left
        off.  Reading an older mark than the parser has passed re-parses that
        prefix from scratch.  JSON that cannot be the start of a valid document
        yields the parse of its longest valid prefix; the block's end reports it.

        Tool input reads as ``from_json``'s partial mode does, as in the official
        client.  Structured output in a text block holds an unfinished number back
        until its token ends, so that each snapshot only adds to the one before.
        """
        if n <= 0:
            return self._empty_input()
        hold = self.kind == _TEXT
        parser = self._parser
        if parser is None:
            parser = self._parser = PartialJSONParser(trailing_strings=self.trailing_strings, hold_numbers=hold)
        value: Any
        if n >= self._fed:
            if not self._broken and n > self._fed:
                try:
                    parser.feed(self._decode(self._fed, n))
                    self._fed = n
                except PartialJSONError:
                    self._broken = True
            value = parser.snapshot()
        else:
            try:
                value = parse_partial(self._decode(0, n), trailing_strings=self.trailing_strings, hold_numbers=hold)
            except PartialJSONError:
                value = None
        return self._empty_input() if value is None else value

    def _empty_input(self) -> Any:
        if self.kind == _INPUT:
            start = self.base.get("input")
            return dict(start) if isinstance(start, dict) else start
        return {}

    def materialise(self) -> dict[str, Any]:
        """The block as a plain dict, as the API would send it whole."""
        d = dict(self.base)
        kind = self.kind
        if kind == _TEXT:
            d["text"] = self.text()
            if self.citations is not None:
                d["citations"] = list(self.citations)
        elif kind == _THINKING:
            d["thinking"] = self.text()
            if self.signature is not None:
                d["signature"] = self.signature
        elif kind == _INPUT and self.buf:
            d["input"] = self.json_upto(len(self.buf))
        return d


def _block_kind(base: dict[str, Any]) -> int:
    t = base.get("type")
    if t == "text":
        return _TEXT
    if t == "thinking":
        return _THINKING
    if "input" in base and t != "redacted_thinking":
        return _INPUT
    return _OTHER


class MessageAccumulator:
    """Turns raw events into the events a stream yields, keeping the message state.

    ``derived=False`` gives the raw event stream of ``messages.create(stream=True)``:
    the raw events only, ``content_block_stop`` and ``message_stop`` as sent.
    ``parse_output`` (a callable taking the text of a text block) parses
    structured output when a text block ends; what it returns becomes the
    block's ``parsed_output``.  ``trailing_string_tool_input`` makes tool input
    snapshots include an unfinished string value.
    """

    def __init__(
        self,
        table: TypeTable,
        *,
        derived: bool = True,
        parse_output: Callable[[str], Any] | None = None,
        trailing_string_tool_input: bool = False,
    ) -> None:
        self.table = table
        self.derived = derived
        self.parse_output = parse_output
        self.trailing_string_tool_input = trailing_string_tool_input
        self.started = False
        self.stopped = False
        self.blocks: list[BlockState] = []
        self._message: dict[str, Any] = {}
        self._usage: dict[str, Any] = {}
        self._version = 0
        self._snapshot: Any = None
        self._snapshot_version = -1
        self._final: Any = None
        self._open = 0  # content blocks started and not stopped yet
        self._cut_inputs: list[int] = []  # blocks whose input JSON was incomplete at their stop
        # The deltas that append a piece to their block, and what each builds:
        # (field, block kind, delta class, unchecked build allowed, event class,
        # event type, block types that get the event, or None for all).  The
        # unchecked build takes the two keys sent; a delta class with more fields
        # (a beta field with a default) goes through validation instead.
        d = table.delta_classes
        self._pieces: dict[str, tuple[str, int, type[Any], bool, type[Any], str, frozenset[str] | None]] = {
            dtype: (key, kind, d[dtype], len(d[dtype].model_fields) == 2, event_cls, event_type, only)
            for dtype, key, kind, event_cls, event_type, only in (
                ("text_delta", "text", _TEXT, table.text_event, "text", None),
                ("input_json_delta", "partial_json", _INPUT, table.input_json_event, "input_json", table.input_event_block_types),
                ("thinking_delta", "thinking", _THINKING, table.thinking_event, "thinking", None),
            )
        }
        self._handlers: dict[str, Callable[[dict[str, Any], list[Any]], None]] = {
            "content_block_delta": self._on_block_delta,
            "content_block_start": self._on_block_start,
            "content_block_stop": self._on_block_stop,
            "message_start": self._on_message_start,
            "message_delta": self._on_message_delta,
            "message_stop": self._on_message_stop,
            "ping": self._on_ignored,
            "error": self._on_error,
        }

    # -- the entry point ---------------------------------------------------

    def feed(self, data: Any, out: list[Any]) -> None:
        """Apply one decoded event; append what the caller should see to ``out``."""
        try:
            handler = self._handlers.get(data["type"])
        except (TypeError, KeyError):
            raise ProtocolError(f"event data is not an object with a 'type': {str(data)[:200]!r}", body=data)
        if handler is None:
            return  # an event type this version does not know: skipped, as the API asks
        self._version += 1
        try:
            handler(data, out)
        except (ProtocolError, ErrorEvent, StructuredOutputError):
            raise
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
            raise ProtocolError(f"malformed {data.get('type')} event ({type(exc).__name__}: {exc})", body=data)

    # -- message-level events ----------------------------------------------

    def _on_message_start(self, data: dict[str, Any], out: list[Any]) -> None:
        if self.started:
            raise ProtocolError("a second message_start arrived in one stream", body=data)
        event = build_or_validate(self.table.message_start, data)
        message = data["message"]
        if not isinstance(message, dict):
            raise ProtocolError("message_start carries no message object", body=data)
        self.started = True
        self._message = dict(message)
        usage = message.get("usage")
        self._usage = dict(usage) if isinstance(usage, dict) else {}
        for block in message.get("content") or ():
            if isinstance(block, dict):
                state = self._new_block(len(self.blocks), block)
                state.final = self._finish_block(state)
                self.blocks.append(state)
        out.append(event)

    def _on_message_delta(self, data: dict[str, Any], out: list[Any]) -> None:
        self._require_started(data)
        event = build_or_validate(self.table.message_delta, data)
        message = self._message
        delta = data.get("delta") or {}
        # stop_reason and stop_sequence: each delta replaces them, absent means null.  Every other
        # field sent (stop_details, container, whatever the API adds), in the delta or beside it:
        # a value replaces the message's, a null only fills a field the message does not have.
        for key in self.table.message_delta_fields:
            message[key] = delta.get(key)
        for key, value in delta.items():
            if value is not None or key not in message:
                message[key] = value
        for key, value in data.items():
            if key not in _DELTA_ENVELOPE and (value is not None or key not in message):
                message[key] = value
        usage = data.get("usage")
        if isinstance(usage, dict):
            u = self._usage
            if "output_tokens" in usage:
                u["output_tokens"] = usage["output_tokens"]
            for key, value in usage.items():
                if key != "output_tokens" and value is not None:
                    u[key] = value
        if message.get("stop_reason") is not None:
            self._check_cut_inputs(data)
        out.append(event)

    def _on_message_stop(self, data: dict[str, Any], out: list[Any]) -> None:
        self._require_started(data)
        if self._open:
            still = [b.index for b in self.blocks if b.final is None]
            raise ProtocolError(
                f"message_stop arrived while content block(s) {still} had not stopped", body=data
            )
        self._check_cut_inputs(data)
        self.stopped = True
        if self.derived:
            message = self.final_message()
            out.append(
                construct_unchecked(self.table.message_stop_event, {"type": "message_stop", "message": message})
            )
        else:
            out.append(build_or_validate(self.table.message_stop, data))

    def _check_cut_inputs(self, data: dict[str, Any]) -> None:
        """Tool input JSON left incomplete is an error unless the output was cut by ``max_tokens``."""
        if self._cut_inputs and self._message.get("stop_reason") != "max_tokens":
            block = self.blocks[self._cut_inputs[0]]
            raise ProtocolError(
                f"the input JSON of content block {block.index} ({block.base.get('name') or block.type}) "
                f"was incomplete at its content_block_stop and the stop reason is "
                f"{self._message.get('stop_reason')!r}, not 'max_tokens': {block.text()[-200:]!r}",
                body=data,
            )

    def _on_error(self, data: dict[str, Any], out: list[Any]) -> None:
        raise ErrorEvent(data)

    def _on_ignored(self, data: dict[str, Any], out: list[Any]) -> None:
        self._version -= 1

    def _require_started(self, data: dict[str, Any]) -> None:
        if not self.started:
            raise ProtocolError(f"{data.get('type')} arrived before message_start", body=data)
        if self.stopped:
            raise ProtocolError(f"{data.get('type')} arrived after message_stop", body=data)

    # -- block-level events ------------------------------------------------

    def _new_block(self, index: int, base: dict[str, Any]) -> BlockState:
        kind = _block_kind(base)
        trailing = self.trailing_string_tool_input if kind == _INPUT else True
        return BlockState(index, base, kind, trailing)

    def _on_block_start(self, data: dict[str, Any], out: list[Any]) -> None:
        self._require_started(data)
        index = data["index"]
        if index != len(self.blocks):
            raise ProtocolError(
                f"content_block_start for index {index!r}, expected {len(self.blocks)}", body=data
            )
        event = build_or_validate(self.table.block_start, data)
        base = data["content_block"]
        if not isinstance(base, dict):
            raise ProtocolError("content_block_start carries no content_block object", body=data)
        self.blocks.append(self._new_block(index, base))
        self._open += 1
        if base.get("type") == "fallback":
            # The block marks a hand-over to another model: the message is the one that served.
            to = base.get("to")
            model = to.get("model") if isinstance(to, dict) else None
            if isinstance(model, str):
                self._message["model"] = model
        out.append(event)

    def _block_at(self, data: dict[str, Any]) -> BlockState:
        self._require_started(data)
        index = data["index"]
        if type(index) is not int or not 0 <= index < len(self.blocks):
            raise ProtocolError(f"{data.get('type')} for unknown content block index {index!r}", body=data)
        block = self.blocks[index]
        if block.final is not None:
            raise ProtocolError(f"{data.get('type')} for content block {index}, which had stopped", body=data)
        return block

    def _on_block_delta(self, data: dict[str, Any], out: list[Any]) -> None:
        block = self._block_at(data)
        delta = data["delta"]
        dtype = delta["type"]
        table = self.table
        spec = self._pieces.get(dtype)
        if spec is not None:
            key, kind, delta_cls, unchecked, event_cls, event_type, only = spec
            piece = delta[key]
            if unchecked and len(data) == 3 and len(delta) == 2 and type(piece) is str:
                raw = construct_unchecked(
                    table.block_delta,
                    {"delta": construct_unchecked(delta_cls, delta), "index": block.index, "type": "content_block_delta"},
                )
            else:
                raw = table.validate_delta_event(data)
            out.append(raw)
            if block.kind == kind:
                buf = block.buf
                buf += piece.encode("utf-8", "surrogatepass")
                if self.derived and (only is None or block.type in only):
                    ev = construct_unchecked(event_cls, {"type": event_type, key: piece})
                    _setattr(ev, "_source", block)
                    _setattr(ev, "_mark", len(buf))
                    out.append(ev)
        elif dtype == "signature_delta":
            raw = table.validate_delta_event(data)
            out.append(raw)
            if block.kind == _THINKING:
                block.signature = delta["signature"]
                if self.derived:
                    out.append(construct_unchecked(table.signature_event, {"type": "signature", "signature": block.signature}))
        elif dtype == "citations_delta":
            raw = table.validate_delta_event(data)
            out.append(raw)
            if block.kind == _TEXT:
                citation = raw.delta.citation
                if block.citations is None:
                    block.citations = []
                block.citations.append(citation)
                if self.derived:
                    out.append(
                        construct_unchecked(
                            table.citation_event,
                            {"type": "citation", "citation": citation, "snapshot": list(block.citations)},
                        )
                    )
        elif dtype == "compaction_delta":
            out.append(table.validate_delta_event(data))
            if block.type == "compaction":
                # Each delta carries the summary whole: it replaces the block's fields.
                content = delta.get("content")
                encrypted = delta.get("encrypted_content")
                block.base = {**block.base, "content": content, "encrypted_content": encrypted}
                if self.derived and table.compaction_event is not None:
                    out.append(
                        construct_unchecked(
                            table.compaction_event,
                            {"type": "compaction", "content": content, "encrypted_content": encrypted},
                        )
                    )
        else:
            # A delta type this version does not know: passed on raw, the block kept as it is.
            out.append(table.validate_delta_event(data))

    def _on_block_stop(self, data: dict[str, Any], out: list[Any]) -> None:
        block = self._block_at(data)
        block.final = self._finish_block(block)
        self._open -= 1
        if self.derived:
            out.append(
                construct_unchecked(
                    self.table.block_stop_event,
                    {"content_block": block.final, "index": block.index, "type": "content_block_stop"},
                )
            )
        else:
            out.append(build_or_validate(self.table.block_stop, data))

    def _finish_block(self, block: BlockState) -> Any:
        d = block.materialise()
        cut = False
        if block.kind == _INPUT and block.buf:
            d["input"], cut = self._final_input(block)
        if block.kind == _TEXT and self.parse_output is not None:
            d["parsed_output"] = self.parse_output(d["text"])
        final = self._validate_block(block, d)
        if cut:
            # Kept only if the stop reason turns out to be max_tokens (_check_cut_inputs).  A plain
            # attribute, not a field: the block dumps and compares as the API would send it.
            self._cut_inputs.append(block.index)
            final.__dict__["input_is_partial"] = True
        return final

    def _validate_block(self, block: BlockState, d: dict[str, Any]) -> Any:
        table = self.table
        if block.kind == _TEXT and table.parsed_text_block is not None:
            return build_or_validate(table.parsed_text_block, d)
        return table.validate_block(d)

    def _final_input(self, block: BlockState) -> tuple[Any, bool]:
        """The block's input, and whether its JSON was cut short (the value is then a partial parse)."""
        from pydantic_core import from_json

        text = bytes(block.buf)
        if not text.strip():
            return block._empty_input(), False
        try:
            return from_json(text), False
        except ValueError:
            pass
        try:
            # Cut short: keep what parses, as a partial value.  Not jiter's partial mode: it also
            # takes text with an error in the middle and quietly drops the rest.
            value = parse_partial(block.text(), trailing_strings=block.trailing_strings)
        except PartialJSONError as exc:
            json_text = block.text()
            # The first sentence is the official client's, so code that matches on it keeps working.
            raise ToolInputProtocolError(
                "Unable to parse tool parameter JSON from model. Please retry your request or adjust your prompt. "
                f"Error: the input JSON of content block {block.index} ({block.base.get('name') or block.type}) "
                f"is not valid JSON: {exc}. JSON: {json_text}",
                body=json_text,
            ) from exc
        return (block._empty_input() if value is None else value), True

    # -- snapshots ---------------------------------------------------------

    def _message_dict(self) -> dict[str, Any]:
        d = dict(self._message)
        d["usage"] = dict(self._usage)
        d["content"] = [b.final if b.final is not None else self._open_block(b) for b in self.blocks]
        return d

    def _open_block(self, block: BlockState) -> Any:
        return self._validate_block(block, block.materialise())

    def snapshot(self) -> Any:
        """The message as accumulated so far (built on demand, cached until the next event)."""
        if not self.started:
            return None
        if self._final is not None:
            return self._final
        if self._snapshot_version != self._version:
            self._snapshot = build_or_validate(self.table.parsed_message, self._message_dict())
            self._snapshot_version = self._version
        return self._snapshot

    def final_message(self) -> Any:
        """The complete message; only meaningful once ``message_stop`` has arrived."""
        if self._final is None:
            self._final = build_or_validate(self.table.parsed_message, self._message_dict())
        return self._final
