"""Bedrock's streamed reply: event-stream messages to Messages API event dicts.

:class:`BedrockEventDecoder` has the shape every response decoder of a platform
has (see ``docs/platforms.md``): ``feed(bytes) -> list[dict]`` returns the
Messages API events (``message_start``, ``content_block_delta``, ...) that the
bytes complete, in order, and ``end()`` raises if the body stopped inside a
frame.  No I/O, no sync or async colour.

What a message of an ``invoke-with-response-stream`` body means:

* ``:message-type`` ``event`` with ``:event-type`` ``chunk``: the payload is
  JSON ``{"bytes": BASE64}`` (Bedrock may add a padding field ``p``), and the
  base64 decodes to the JSON of one Messages API event, which is returned as a
  dict.  A payload that is not that shape is a :class:`BedrockProtocolError`.
* ``event`` with another ``:event-type``: not part of the Messages events,
  skipped (new event types must not break old clients).
* ``exception``: the service failed mid-stream.  ``:exception-type`` names the
  error and the JSON payload's ``message`` (or ``Message``) explains it.
* ``error``: the same, named by the ``:error-code`` and ``:error-message``
  headers.
* no ``:message-type``, or another one: :class:`BedrockProtocolError`.

An ``exception`` or ``error`` message becomes, in its place in the sequence, a
first-party ``error`` event with the AWS name as the error type, as the
official client 2.15.0 reports it::

    {"type": "error", "error": {"type": "throttlingException", "message": "..."}}

so the stream machinery handles it exactly like an ``error`` event of the
first-party API (events before it are applied, the stream ends there, a
failure before content may be retried).  :data:`EXCEPTION_STATUS` gives the
HTTP status each AWS name stands for; the error-type-to-status table of
``anthropic._errors`` includes it, so ``throttlingException`` raises
``RateLimitError`` and so on.  The statuses are those of the Bedrock Runtime
service model (throttlingException 429, validationException 400,
modelTimeoutException 408, internalServerException 500,
serviceUnavailableException 503), except modelStreamErrorException: the model
says 424, but it is the model failing mid-stream and AWS asks callers to
retry, so it counts as 500; its ``originalStatusCode`` / ``originalMessage``
are kept in the error object.  Unknown names are 500.

Framing defects are the typed errors of :mod:`._eventstream`
(:class:`~._eventstream.EventStreamError`, of which :class:`BedrockProtocolError`
is one kind): a shell maps that one family to "the server sent bytes that are
not the protocol", and :class:`~._eventstream.TruncatedError` from ``end()`` to
"the body was cut short".
"""

from __future__ import annotations

import sys
from binascii import Error as _B64Error
from binascii import a2b_base64
from collections.abc import Callable
from functools import partial
from typing import Any
from zlib import crc32

from pydantic_core import from_json

from ._eventstream import (
    _PRELUDE,
    _U32,
    EventStreamError,
    EventStreamMessage,
    FrameReader,
    _parse_headers,
)

__all__ = [
    "EXCEPTION_STATUS",
    "BedrockEventDecoder",
    "BedrockProtocolError",
    "message_to_event",
]

EXCEPTION_STATUS: dict[str, int] = {
    "validationException": 400,
    "modelTimeoutException": 408,
    "throttlingException": 429,
    "internalServerException": 500,
    "modelStreamErrorException": 500,
    "serviceUnavailableException": 503,
}

# Strict base64: any byte outside the alphabet, or bad padding, is an error.
# The hot loop calls ``a2b_base64(..., strict_mode=True)`` itself where it can: through
# ``partial`` each call costs a keyword dict, a third of the decode.
_STRICT_B64 = sys.version_info >= (3, 11)
_b64decode: Callable[[Any], bytes]
if sys.version_info >= (3, 11):
    _b64decode = partial(a2b_base64, strict_mode=True)
else:  # pragma: no cover - Python 3.10
    from base64 import b64decode as _b64

    def _b64decode(data: str | bytes) -> bytes:
        return _b64(data, validate=True)


class BedrockProtocolError(EventStreamError):
    """A well-framed message that is not what a Bedrock stream carries."""


def _exception_event(headers: Any, payload: bytes) -> dict[str, Any]:
    kind = headers.get(":exception-type")
    if not isinstance(kind, str) or not kind:
        kind = "exception"
    error: dict[str, Any] = {"type": kind, "message": ""}
    if payload:
        try:
            data = from_json(payload)
        except ValueError:
            data = None
        if isinstance(data, dict):
            text = data.get("message", data.get("Message"))
            if isinstance(text, str):
                error["message"] = text
            for key in ("originalStatusCode", "originalMessage"):
                if key in data:
                    error[key] = data[key]
        else:
            error["message"] = payload.decode(errors="replace")
    return {"type": "error", "error": error}


def _error_event(headers: Any) -> dict[str, Any]:
    code = headers.get(":error-code")
    text = headers.get(":error-message")
    return {
        "type": "error",
        "error": {
            "type": code if isinstance(code, str) and code else "error",
            "message": text if isinstance(text, str) else "",
        },
    }


def _chunk_event(payload: bytes) -> dict[str, Any]:
    """The Messages event a ``chunk`` payload carries."""
    try:
        wrapper = from_json(payload)
    except ValueError as exc:
        raise BedrockProtocolError(
            f"a Bedrock chunk payload is not JSON ({exc}): {payload[:200]!r}"
        ) from None
    field = wrapper.get("bytes") if isinstance(wrapper, dict) else None
    if not isinstance(field, str):
        raise BedrockProtocolError(f'a Bedrock chunk payload is not {{"bytes": BASE64}}: {payload[:200]!r}')
    b64 = field.encode()
    try:
        raw = _b64decode(b64)
    except (_B64Error, ValueError) as exc:
        raise BedrockProtocolError(f"a Bedrock chunk's bytes are not base64 ({exc}): {b64[:200]!r}") from None
    try:
        event = from_json(raw)
    except ValueError as exc:
        raise BedrockProtocolError(
            f"a Bedrock chunk does not hold a JSON event ({exc}): {raw[:200]!r}"
        ) from None
    if type(event) is not dict:
        raise BedrockProtocolError(f"a Bedrock chunk holds JSON that is not an event object: {raw[:200]!r}")
    return event


def message_to_event(message: EventStreamMessage) -> dict[str, Any] | None:
    """The Messages event of one decoded message, ``None`` for a message to skip.

    ``exception`` / ``error`` messages become ``error`` events; messages that
    are not a Bedrock stream's raise :class:`BedrockProtocolError`.
    """
    headers = message.headers
    kind = headers.get(":message-type")
    if kind == "event":
        if headers.get(":event-type") == "chunk":
            return _chunk_event(message.payload)
        return None
    if kind == "exception":
        return _exception_event(headers, message.payload)
    if kind == "error":
        return _error_event(headers)
    if kind is None:
        raise BedrockProtocolError("an event stream message has no :message-type header")
    raise BedrockProtocolError(f"an event stream message has an unknown :message-type {kind!r}")


_CHUNK = object()  # header-cache value of the usual "chunk event" header block


class BedrockEventDecoder(FrameReader[dict[str, Any]]):
    """Bytes of an ``invoke-with-response-stream`` body in, Messages API event dicts out.

    ``feed(data)`` returns the events ``data`` completes, in order, and raises
    an :class:`~._eventstream.EventStreamError` at the first malformed frame
    (whose ``completed`` holds the events of the whole frames before it);
    ``end()`` raises :class:`~._eventstream.TruncatedError` if the body ended
    inside a frame; ``pending`` tells whether part of a frame is held.

    The frames of a Bedrock stream nearly all have the same header block and a
    ``{"bytes":"B64","p":"PAD"}`` payload: for those the loop below goes from
    the frame's bytes to the event dict with no intermediate objects (the
    checks are those of :class:`~._eventstream.EventStreamDecoder`).
    Everything else takes the general path of :func:`message_to_event`.
    """

    __slots__ = ("_chunk_block",)

    def __init__(self) -> None:
        super().__init__()
        self._chunk_block = b"\x00"  # the last header block seen that makes a chunk event

    def _parse(self, src: bytes | bytearray, out: list[dict[str, Any]]) -> int:
        n = len(src)
        pos = 0
        cache = self._cache
        max_headers = self._max_headers
        max_payload = self._max_payload
        unpack_prelude = _PRELUDE.unpack_from
        unpack_crc = _U32.unpack_from
        b64decode = _b64decode
        strict_b64 = _STRICT_B64
        chunk_block = self._chunk_block
        chunk_len = len(chunk_block)
        with memoryview(src) as view:
            while n - pos >= 12:
                total, hlen, prelude_crc = unpack_prelude(src, pos)
                running = crc32(view[pos : pos + 8])
                if running != prelude_crc:
                    raise self._prelude_error(view, pos, prelude_crc)
                if hlen > total - 16 or hlen > max_headers or total - hlen - 16 > max_payload:
                    self._check_lengths(total, hlen, self._offset + pos)
                end = pos + total
                if end > n:
                    self._need = total
                    break
                (message_crc,) = unpack_crc(src, end - 4)
                if crc32(view[pos + 8 : end - 4], running) != message_crc:  # continues from the prelude's
                    raise self._message_error(view, pos, end, message_crc)
                hend = pos + 12 + hlen
                pend = end - 4
                if hlen == chunk_len and src.startswith(chunk_block, pos + 12):
                    kind: object = _CHUNK
                else:
                    block = bytes(view[pos + 12 : hend])
                    kind = cache.get(block)
                    if kind is None:
                        headers = _parse_headers(block, self._offset + pos + 12)
                        is_chunk = (
                            headers.get(":message-type") == "event" and headers.get(":event-type") == "chunk"
                        )
                        kind = _CHUNK if is_chunk else headers
                        if len(cache) >= 32:
                            cache.clear()
                        cache[block] = kind
                    if kind is _CHUNK:
                        chunk_block = self._chunk_block = block
                        chunk_len = hlen
                if kind is _CHUNK:
                    # {"bytes": B64, ...}: two JSON parses in C beat picking the base64 out in Python
                    event = None
                    try:
                        wrapper = from_json(src[hend:pend])
                        if type(wrapper) is dict:
                            field = wrapper.get("bytes")
                            if type(field) is str:
                                # strict_mode exists from 3.11, where strict_b64 is set
                                raw = a2b_base64(field, strict_mode=True) if strict_b64 else b64decode(field)  # type: ignore[call-arg,unused-ignore]
                                event = from_json(raw)
                    except ValueError:
                        pass  # the general path names the defect
                    if type(event) is not dict:
                        event = _chunk_event(bytes(view[hend:pend]))
                    out.append(event)
                else:
                    general = message_to_event(EventStreamMessage(kind, bytes(view[hend:pend])))  # type: ignore[arg-type]
                    if general is not None:
                        out.append(general)
                pos = end
            else:
                self._need = 12
        return pos
