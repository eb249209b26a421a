"""AWS event-stream framing: a pure, incremental decoder and its encoder.

This is the binary envelope of ``application/vnd.amazon.eventstream`` bodies
(Bedrock's ``invoke-with-response-stream``).  A body is a sequence of
messages, each laid out as::

    total length    uint32 big endian, the whole message, these 4 bytes included
    headers length  uint32 big endian
    prelude CRC32   uint32, CRC32 of the 8 bytes above
    headers         headers-length bytes
    payload         total - headers - 16 bytes
    message CRC32   uint32, CRC32 of every byte before it (prelude CRC included)

and each header as: name length (1 byte), name (UTF-8), value type (1 byte),
value.  The value types are:

    0 true, 1 false   no value bytes                  -> bool
    2 byte            int8                            -> int
    3 short           int16 big endian                -> int
    4 integer         int32 big endian                -> int
    5 long            int64 big endian                -> int
    6 byte array      uint16 length + bytes           -> bytes
    7 string          uint16 length + UTF-8           -> str
    8 timestamp       int64 milliseconds since epoch  -> datetime (UTC)
    9 uuid            16 bytes                        -> uuid.UUID

Contract of :class:`EventStreamDecoder`:

* :meth:`~EventStreamDecoder.feed` takes bytes split anywhere and returns the
  messages they complete, in order; the same body fed in any chunking gives
  the same messages.
* Every defect is an :class:`EventStreamError` subclass raised at the first
  byte that proves it, and nothing of the broken message is returned: a prelude
  or message CRC32 that does not match (:class:`ChecksumError`), a length that
  cannot be (shorter than a message, headers longer than the message, or
  beyond ``max_headers_bytes`` / ``max_payload_bytes``: :class:`LengthError`),
  malformed headers (unknown type, a value running past the header block,
  invalid UTF-8, a duplicate name: :class:`HeaderError`).  After an error the
  decoder is spent.
* Lengths are checked as soon as the 12-byte prelude is in, so a message that
  claims a huge length is refused before any of it is buffered: memory stays
  bounded by one maximal message.
* :meth:`~EventStreamDecoder.end` says whether the body ended on a message
  boundary; if bytes of an unfinished message are left it raises
  :class:`TruncatedError`.

The decoded headers of a message are a read-only mapping.  Header blocks that
repeat byte for byte (every ``chunk`` message of a Bedrock stream has the same
three headers) are parsed once and shared.

:func:`encode_message` is the inverse, for the emulator and tests; a header
value is written with the type its Python type implies (``int`` as integer or
long by size), or exactly as given with :class:`HeaderValue`.
"""

from __future__ import annotations

import datetime as _dt
import struct
import uuid
from collections.abc import Mapping
from enum import IntEnum
from types import MappingProxyType
from typing import Any, Generic, TypeVar, Union
from zlib import crc32

__all__ = [
    "ChecksumError",
    "EventStreamDecoder",
    "EventStreamError",
    "EventStreamMessage",
    "FrameReader",
    "HeaderError",
    "HeaderType",
    "HeaderValue",
    "LengthError",
    "TruncatedError",
    "encode_message",
]

PRELUDE_BYTES = 12
MIN_MESSAGE_BYTES = 16  # prelude + message CRC, no headers, no payload
DEFAULT_MAX_HEADERS_BYTES = 128 * 1024
DEFAULT_MAX_PAYLOAD_BYTES = 24 * 1024 * 1024
_HEADER_CACHE_SIZE = 32

_PRELUDE = struct.Struct(">III")
_U32 = struct.Struct(">I")
_U16 = struct.Struct(">H")
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)

_T = TypeVar("_T")

HeaderPyValue = Union[bool, int, bytes, str, _dt.datetime, uuid.UUID]


class HeaderType(IntEnum):
    """The value types of event-stream headers (the byte after the name)."""

    BOOL_TRUE = 0
    BOOL_FALSE = 1
    BYTE = 2
    SHORT = 3
    INTEGER = 4
    LONG = 5
    BYTE_ARRAY = 6
    STRING = 7
    TIMESTAMP = 8
    UUID = 9


class EventStreamError(Exception):
    """The bytes are not a valid AWS event stream.  ``offset`` is the stream offset of the defect, if known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        self.completed: list[Any] = []
        """What the whole messages before the defect, in the same ``feed()``, made (kept for the caller)."""


class ChecksumError(EventStreamError):
    """A prelude or message CRC32 does not match the bytes it covers."""


class LengthError(EventStreamError):
    """A prelude announces lengths that no valid message can have, or beyond the configured limits."""


class HeaderError(EventStreamError):
    """A header block is malformed."""


class TruncatedError(EventStreamError):
    """The body ended inside a message."""


class HeaderValue:
    """A header value with an explicit wire type, for :func:`encode_message`."""

    __slots__ = ("type", "value")

    def __init__(self, type: HeaderType, value: HeaderPyValue) -> None:
        self.type = HeaderType(type)
        self.value = value

    def __repr__(self) -> str:
        return f"HeaderValue({self.type.name}, {self.value!r})"


class EventStreamMessage:
    """One decoded message: its headers (read-only) and its payload bytes."""

    __slots__ = ("headers", "payload")

    def __init__(self, headers: Mapping[str, HeaderPyValue], payload: bytes) -> None:
        self.headers = headers
        self.payload = payload

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventStreamMessage):
            return NotImplemented
        return dict(self.headers) == dict(other.headers) and self.payload == other.payload

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EventStreamMessage(headers={dict(self.headers)!r}, payload={self.payload!r})"


class FrameReader(Generic[_T]):
    """Buffering and framing checks shared by the decoders; ``_parse`` turns whole frames into items.

    A subclass's ``_parse(src, out)`` walks the frames at the start of ``src``,
    appends the items they make to ``out`` and returns the offset after the
    last whole one; it
    checks each frame with :meth:`_check_prelude` semantics (prelude CRC,
    lengths, message CRC) before using it and sets ``_need`` to the total
    length of an unfinished frame.
    """

    __slots__ = ("_buf", "_cache", "_failed", "_max_headers", "_max_payload", "_need", "_offset")

    def __init__(
        self,
        *,
        max_headers_bytes: int = DEFAULT_MAX_HEADERS_BYTES,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
    ) -> None:
        if max_headers_bytes < 0 or max_payload_bytes < 0:
            raise ValueError("max_headers_bytes and max_payload_bytes must not be negative")
        self._max_headers = max_headers_bytes
        self._max_payload = max_payload_bytes
        self._buf = bytearray()  # bytes of the unfinished message
        self._offset = 0  # stream offset of _buf[0]
        self._need = PRELUDE_BYTES  # bytes _buf must hold before anything more can be decided
        self._cache: dict[bytes, Any] = {}  # header block -> what the subclass made of it
        self._failed: EventStreamError | None = None

    @property
    def pending(self) -> bool:
        """True if bytes of a message that is not complete yet were received."""
        return bool(self._buf)

    def feed(self, data: bytes) -> list[_T]:
        """Take the next bytes of the body; return what the messages they complete make."""
        if self._failed is not None:
            raise self._failed
        buf = self._buf
        if buf:
            buf += data
            if len(buf) < self._need:
                return []
            src: bytes | bytearray = buf
        else:
            if len(data) < PRELUDE_BYTES:
                if data:
                    buf += data
                return []
            src = data
        out: list[_T] = []
        try:
            pos = self._parse(src, out)
        except EventStreamError as exc:
            exc.completed = out
            self._failed = exc
            raise
        self._offset += pos
        if src is buf:
            del buf[:pos]
        elif pos < len(src):
            buf += memoryview(src)[pos:]
        return out

    def end(self) -> None:
        """The body has ended: raise :class:`TruncatedError` if it ended inside a message."""
        if self._failed is not None:
            raise self._failed
        held = len(self._buf)
        if held:
            if held < PRELUDE_BYTES:
                detail = f"{held} of the 12 bytes of a message prelude"
            else:
                detail = f"{held} of the {self._need} bytes of a message"
            self._failed = TruncatedError(
                f"the event stream ended inside a message at byte offset {self._offset}: only {detail} arrived",
                self._offset + held,
            )
            raise self._failed

    def _parse(self, src: bytes | bytearray, out: list[_T]) -> int:
        raise NotImplementedError

    def _prelude_error(self, view: memoryview, pos: int, stated: int) -> ChecksumError:
        return ChecksumError(
            f"event stream prelude checksum mismatch at byte offset {self._offset + pos}: "
            f"CRC32 {crc32(view[pos : pos + 8]):#010x}, prelude says {stated:#010x}",
            self._offset + pos,
        )

    def _message_error(self, view: memoryview, pos: int, end: int, stated: int) -> ChecksumError:
        return ChecksumError(
            f"event stream message checksum mismatch for the message at byte offset "
            f"{self._offset + pos}: CRC32 {crc32(view[pos : end - 4]):#010x}, message says {stated:#010x}",
            self._offset + end - 4,
        )

    def _check_lengths(self, total: int, hlen: int, at: int) -> None:
        """Raise :class:`LengthError` if a prelude's lengths are impossible or over the limits."""
        if total < MIN_MESSAGE_BYTES:
            raise LengthError(
                f"event stream message at byte offset {at} claims a total length of {total} bytes, "
                f"less than the {MIN_MESSAGE_BYTES} bytes of an empty message",
                at,
            )
        if hlen > total - MIN_MESSAGE_BYTES:
            raise LengthError(
                f"event stream message at byte offset {at} claims {hlen} bytes of headers "
                f"in a message of {total} bytes",
                at,
            )
        if hlen > self._max_headers:
            raise LengthError(
                f"event stream message at byte offset {at} claims {hlen} bytes of headers, "
                f"more than max_headers_bytes ({self._max_headers})",
                at,
            )
        payload = total - hlen - MIN_MESSAGE_BYTES
        if payload > self._max_payload:
            raise LengthError(
                f"event stream message at byte offset {at} claims a payload of {payload} bytes, "
                f"more than max_payload_bytes ({self._max_payload})",
                at,
            )

    def _headers(self, block: bytes, at: int) -> Mapping[str, HeaderPyValue]:
        """The parsed headers of ``block`` (which starts at stream offset ``at``), from the cache if seen."""
        headers = _parse_headers(block, at)
        if len(self._cache) >= _HEADER_CACHE_SIZE:
            self._cache.clear()
        self._cache[block] = headers
        return headers


class EventStreamDecoder(FrameReader[EventStreamMessage]):
    """Incremental decoder: :meth:`feed` bytes, get the messages they complete."""

    __slots__ = ()

    def _parse(self, src: bytes | bytearray, out: list[EventStreamMessage]) -> int:
        n = len(src)
        pos = 0
        cache = self._cache
        max_headers = self._max_headers
        max_payload = self._max_payload
        with memoryview(src) as view:
            while n - pos >= PRELUDE_BYTES:
                total, hlen, prelude_crc = _PRELUDE.unpack_from(src, pos)
                if crc32(view[pos : pos + 8]) != prelude_crc:
                    raise self._prelude_error(view, pos, prelude_crc)
                if (
                    hlen > total - MIN_MESSAGE_BYTES
                    or hlen > max_headers
                    or total - hlen - MIN_MESSAGE_BYTES > max_payload
                ):
                    self._check_lengths(total, hlen, self._offset + pos)
                end = pos + total
                if end > n:
                    self._need = total
                    break
                (message_crc,) = _U32.unpack_from(src, end - 4)
                if crc32(view[pos : end - 4]) != message_crc:
                    raise self._message_error(view, pos, end, message_crc)
                hend = pos + PRELUDE_BYTES + hlen
                block = bytes(view[pos + PRELUDE_BYTES : hend])
                headers = cache.get(block)
                if headers is None:
                    headers = self._headers(block, self._offset + pos + PRELUDE_BYTES)
                out.append(EventStreamMessage(headers, bytes(view[hend : end - 4])))
                pos = end
            else:
                self._need = PRELUDE_BYTES
        return pos


def _parse_headers(block: bytes, at: int) -> Mapping[str, HeaderPyValue]:
    """The headers of one header block that starts at stream offset ``at``."""
    headers: dict[str, HeaderPyValue] = {}
    n = len(block)
    i = 0
    while i < n:
        start = i
        name_len = block[i]
        i += 1
        if name_len == 0:
            raise HeaderError(
                f"event stream header at byte offset {at + start} has an empty name", at + start
            )
        if i + name_len + 1 > n:
            raise HeaderError(
                f"event stream header at byte offset {at + start} runs past the end of its header block",
                at + start,
            )
        try:
            name = block[i : i + name_len].decode()
        except UnicodeDecodeError:
            raise HeaderError(
                f"event stream header name at byte offset {at + i} is not valid UTF-8: "
                f"{block[i : i + name_len]!r}",
                at + i,
            ) from None
        i += name_len
        kind = block[i]
        i += 1
        value: HeaderPyValue
        size = _FIXED_SIZES.get(kind)
        if size is not None:
            if i + size > n:
                raise HeaderError(
                    f"event stream header {name!r} at byte offset {at + start} runs past the end of its header block",
                    at + start,
                )
            value = _read_fixed(kind, block, i)
            i += size
        elif kind == 6 or kind == 7:
            if i + 2 > n:
                raise HeaderError(
                    f"event stream header {name!r} at byte offset {at + start} runs past the end of its header block",
                    at + start,
                )
            (length,) = _U16.unpack_from(block, i)
            i += 2
            if i + length > n:
                raise HeaderError(
                    f"event stream header {name!r} at byte offset {at + start} claims a {length}-byte value "
                    f"that runs past the end of its header block",
                    at + start,
                )
            raw = block[i : i + length]
            i += length
            if kind == 6:
                value = raw
            else:
                try:
                    value = raw.decode()
                except UnicodeDecodeError:
                    raise HeaderError(
                        f"event stream header {name!r} at byte offset {at + start} has a string value "
                        f"that is not valid UTF-8: {raw[:64]!r}",
                        at + start,
                    ) from None
        else:
            raise HeaderError(
                f"event stream header {name!r} at byte offset {at + start} has unknown value type {kind}",
                at + start,
            )
        if name in headers:
            raise HeaderError(
                f"event stream header {name!r} appears twice in the message headers at byte offset {at}",
                at + start,
            )
        headers[name] = value
    return MappingProxyType(headers)


# Value sizes of the fixed-size types (booleans carry no value bytes).
_FIXED_SIZES = {0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
_INTS = {2: struct.Struct(">b"), 3: struct.Struct(">h"), 4: struct.Struct(">i"), 5: struct.Struct(">q")}
_I64 = _INTS[5]


def _read_fixed(kind: int, block: bytes, i: int) -> HeaderPyValue:
    if kind == 0:
        return True
    if kind == 1:
        return False
    if kind == 8:
        (millis,) = _I64.unpack_from(block, i)
        return _EPOCH + _dt.timedelta(milliseconds=millis)
    if kind == 9:
        return uuid.UUID(bytes=bytes(block[i : i + 16]))
    (value,) = _INTS[kind].unpack_from(block, i)
    return int(value)


def _encode_value(value: HeaderValue | HeaderPyValue) -> bytes:
    if isinstance(value, HeaderValue):
        kind, raw = value.type, value.value
    elif isinstance(value, bool):
        kind, raw = (HeaderType.BOOL_TRUE if value else HeaderType.BOOL_FALSE), value
    elif isinstance(value, int):
        kind, raw = (HeaderType.INTEGER if -(2**31) <= value < 2**31 else HeaderType.LONG), value
    elif isinstance(value, str):
        kind, raw = HeaderType.STRING, value
    elif isinstance(value, (bytes, bytearray)):
        kind, raw = HeaderType.BYTE_ARRAY, bytes(value)
    elif isinstance(value, _dt.datetime):
        kind, raw = HeaderType.TIMESTAMP, value
    elif isinstance(value, uuid.UUID):
        kind, raw = HeaderType.UUID, value
    else:
        raise TypeError(f"cannot encode an event stream header value of type {type(value).__name__}")
    head = bytes((kind,))
    if kind in (HeaderType.BOOL_TRUE, HeaderType.BOOL_FALSE):
        return head
    if kind in _INTS:
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise TypeError(f"header type {kind.name} needs an int, not {type(raw).__name__}")
        return head + _INTS[kind].pack(raw)
    if kind == HeaderType.TIMESTAMP:
        if not isinstance(raw, _dt.datetime):
            raise TypeError(f"header type TIMESTAMP needs a datetime, not {type(raw).__name__}")
        if raw.tzinfo is None:
            raise ValueError("a TIMESTAMP header value must be timezone-aware")
        millis = (raw - _EPOCH) // _dt.timedelta(milliseconds=1)
        return head + _I64.pack(millis)
    if kind == HeaderType.UUID:
        if not isinstance(raw, uuid.UUID):
            raise TypeError(f"header type UUID needs a uuid.UUID, not {type(raw).__name__}")
        return head + raw.bytes
    if kind == HeaderType.STRING:
        if not isinstance(raw, str):
            raise TypeError(f"header type STRING needs a str, not {type(raw).__name__}")
        data = raw.encode()
    else:
        if not isinstance(raw, (bytes, bytearray)):
            raise TypeError(f"header type BYTE_ARRAY needs bytes, not {type(raw).__name__}")
        data = bytes(raw)
    if len(data) > 0xFFFF:
        raise ValueError(f"a header value is at most 65535 bytes, this one has {len(data)}")
    return head + _U16.pack(len(data)) + data


def encode_headers(headers: Mapping[str, HeaderValue | HeaderPyValue]) -> bytes:
    """The header block for ``headers``, in their order."""
    parts = []
    for name, value in headers.items():
        raw = name.encode()
        if not 1 <= len(raw) <= 255:
            raise ValueError(f"a header name is 1 to 255 bytes of UTF-8, {name!r} has {len(raw)}")
        parts.append(bytes((len(raw),)) + raw + _encode_value(value))
    return b"".join(parts)


def encode_message(headers: Mapping[str, HeaderValue | HeaderPyValue], payload: bytes = b"") -> bytes:
    """One whole event-stream message: prelude, headers, payload and both checksums."""
    block = encode_headers(headers)
    total = MIN_MESSAGE_BYTES + len(block) + len(payload)
    prelude = struct.pack(">II", total, len(block))
    prelude += _U32.pack(crc32(prelude))
    body = prelude + block + payload
    return body + _U32.pack(crc32(body))
