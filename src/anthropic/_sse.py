"""Server-sent events: a pure decoder, bytes in, events out.

The decoder follows the WHATWG "event stream interpretation" rules:

* lines end in ``\\n``, ``\\r\\n`` or a lone ``\\r`` (a ``\\r`` that ends one chunk
  may be followed by the ``\\n`` of the next: that pair is still one line end);
* a blank line dispatches the event gathered so far; an event without any
  ``data`` line is not dispatched;
* ``field: value`` loses exactly one space after the colon, a line without a
  colon is a field with an empty value, a line starting with ``:`` is a comment,
  unknown fields are ignored;
* several ``data`` lines join with ``\\n``; ``event`` names the event (``None``
  when absent or empty, which consumers treat as ``"message"``); ``id`` sets the
  last event id unless it contains NUL, and persists across events; ``retry``
  counts only when it is all ASCII digits;
* one UTF-8 byte order mark at the very start of the stream is skipped;
* at the end of the stream (:meth:`SSEDecoder.end`), an event whose lines all
  arrived whole (each ended by a line break) but that no blank line closed is
  dispatched: recorded bodies and proxies often end so, and the official
  client reads them.  WHATWG would discard it.  An event whose last line is
  unfinished is discarded, as WHATWG says.

Bytes may arrive split anywhere, even inside a UTF-8 character.  For a chunk
with only ``\\n`` line ends (the usual case) the decoder holds back everything
after the last blank line and decodes the complete events before it in one
call; one regex pass then cuts out each event of the usual shape
(``event: NAME``, one ``data: DATA`` line, blank line), and only the rest is read
line by line.  A chunk with a ``\\r`` in it is read up to its last line break
instead.  Invalid UTF-8, lines longer than ``max_line_bytes`` and events whose
data lines add up to more than ``max_event_bytes`` (no blank line ever comes)
raise :class:`SSEError`, so a broken or hostile stream cannot hold unbounded
memory.

There is no I/O here and no sync or async flavour: the stream classes feed the
bytes they read and act on the events they get back.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["SSEDecoder", "SSEError", "ServerSentEvent"]

_BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# Whole lines of an unfinished event held back before they are read anyway.
_MAX_HELD = 1 << 16
_SIMPLE_EVENT = re.compile(r"(?m)^(?:event: ([^\n]*)\n)?data: ([^\n]*)\n\n")


class SSEError(Exception):
    """The byte stream is not a usable event stream (over-long line, invalid UTF-8)."""


class ServerSentEvent:
    """One dispatched event: its name, its data, the last event id and its retry field."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self, event: str | None = None, data: str = "", id: str | None = None, retry: int | None = None
    ) -> None:
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def json(self) -> Any:
        """The data parsed as JSON."""
        from pydantic_core import from_json

        return from_json(self.data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (
            self.event == other.event
            and self.data == other.data
            and self.id == other.id
            and self.retry == other.retry
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"
        )


class SSEDecoder:
    """Incremental event-stream decoder: :meth:`feed` bytes, get the events they complete.

    ``feed`` returns every event completed by the chunk, in order; ``end`` is
    called once at the end of the body and returns the last event if its lines
    all arrived whole, without the blank line that would close it.
    :attr:`pending` tells whether an event, or part of a line, was left over:
    read before ``end``, for a stream that should end on an event boundary, it
    means the body ended inside an event; read after, that it was cut inside a
    line.
    """

    __slots__ = (
        "_at_start",
        "_data",
        "_data_size",
        "_event",
        "_fed",
        "_fields",
        "_held",
        "_last_id",
        "_line_len",
        "_max_event",
        "_max_line",
        "_retry",
        "_skip_lf",
        "_tail",
    )

    def __init__(
        self, *, max_line_bytes: int = 16 * 1024 * 1024, max_event_bytes: int = 16 * 1024 * 1024
    ) -> None:
        if max_line_bytes < 1:
            raise ValueError("max_line_bytes must be positive")
        if max_event_bytes < 1:
            raise ValueError("max_event_bytes must be positive")
        self._max_line = max_line_bytes
        self._max_event = max_event_bytes
        # The event being gathered from the lines read so far.
        self._event: str | None = None
        self._data: list[str] = []
        self._data_size = 0  # characters in _data, capped by max_event_bytes
        self._retry: int | None = None
        self._fields = False  # a field other than data/event was read since the last blank line
        self._last_id: str | None = None  # persists across events
        # Bytes received but not read yet, as received: whole lines of an event
        # whose blank line has not come yet, then the unfinished last line.
        self._tail: list[bytes] = []
        self._held = 0  # bytes in _tail
        self._line_len = 0  # bytes of the unfinished last line
        self._skip_lf = False  # the last chunk ended in "\r": a leading "\n" belongs to it
        self._at_start = True  # nothing but a part of a BOM was seen yet
        self._fed = 0  # bytes fed so far, for error offsets

    @property
    def pending(self) -> bool:
        """True if bytes of an event that has not been dispatched were received.

        That is: part of a line, or field lines not yet closed by a blank line.
        Comment lines alone do not count.
        """
        if self._line_len or self._data or self._event is not None or self._fields:
            return True
        lines = b"".join(self._tail).split(b"\n")
        return any(line and line[:1] != b":" for line in lines)

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Take the next bytes of the stream; return the events they complete."""
        n = len(chunk)
        if (
            chunk[-2:] == b"\n\n"
            and not (self._tail or self._skip_lf or self._at_start)
            and 13 not in chunk
            and n <= self._max_line
        ):
            # The usual chunk: whole events, nothing held back.
            self._fed += n
            try:
                text = chunk.decode()
            except UnicodeDecodeError as exc:
                raise self._bad_utf8(exc, self._fed - n) from None
            return self._text(text)
        if not n:
            return []
        self._fed += n
        if self._skip_lf or self._at_start:
            chunk = self._start_of_chunk(chunk)
            n = len(chunk)
            if not n:
                return []
        tail = self._tail
        if 13 in chunk:
            tail.append(chunk)
            self._held += n
            if chunk[-1] == 13:
                self._skip_lf = True
            return self._read_lines()
        # Only "\n" line ends: read up to the last blank line, hold back the rest.
        cut = chunk.rfind(b"\n\n") + 2
        if cut == 1:
            if chunk[0] == 10 and (not tail or tail[-1][-1] == 10):
                cut = 1  # a blank line right at the start of the chunk
            else:
                tail.append(chunk)
                self._held += n
                nl = chunk.rfind(b"\n")
                self._line_len = self._line_len + n if nl < 0 else n - nl - 1
                if self._line_len > self._max_line:
                    self._line_too_long(self._line_len)
                if self._held - self._line_len > _MAX_HELD:
                    return self._read_lines()  # a long event: read its lines now
                return []
        if cut < n:
            block = chunk[:cut]
            rest = chunk[cut:]
        else:
            block = chunk
            rest = b""
        if tail:
            tail.append(block)
            block = b"".join(tail)
            tail.clear()
        self._held = len(rest)
        if rest:
            tail.append(rest)
            self._line_len = len(rest) - rest.rfind(b"\n") - 1
            if self._line_len > self._max_line:
                self._line_too_long(self._line_len)
        else:
            self._line_len = 0
        return self._decode(block, len(rest))

    def end(self) -> list[ServerSentEvent]:
        """The end of the stream: the last event, if every line of it arrived whole.

        An event not closed by a blank line is dispatched as if the blank line
        had come, provided its last line ended in a line break; with part of a
        line left over nothing is dispatched (and :attr:`pending` stays true).
        Call it once, after the last :meth:`feed`.
        """
        if self._line_len:
            return []
        out: list[ServerSentEvent] = self._read_lines() if self._tail else []
        self._lines(["", ""], out)  # the blank line that did not come
        return out

    def _start_of_chunk(self, chunk: bytes) -> bytes:
        """Drop the "\\n" of a "\\r\\n" split across chunks, and a BOM at the start of the stream."""
        if self._skip_lf:
            self._skip_lf = False
            if chunk[0] == 10:
                chunk = chunk[1:]
        if self._at_start and chunk:
            tail = self._tail
            head = b"".join(tail) + chunk if tail else chunk
            tail.clear()
            if len(head) < 3 and _BOM.startswith(head):
                tail.append(head)  # maybe a BOM: wait for more
                self._held = self._line_len = len(head)
                return b""
            self._at_start = False
            self._held = self._line_len = 0
            chunk = head[3:] if head.startswith(_BOM) else head
        return chunk

    def _read_lines(self) -> list[ServerSentEvent]:
        """Read the held bytes up to their last line break (any style); keep the rest."""
        tail = self._tail
        data = b"".join(tail)
        tail.clear()
        end = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
        if end < len(data):
            block = data[:end]
            rest = data[end:]
            tail.append(rest)
        else:
            block = data
            rest = b""
        self._held = self._line_len = len(rest)
        if self._line_len > self._max_line:
            self._line_too_long(self._line_len)
        return self._decode(block, len(rest))

    def _decode(self, block: bytes, after: int) -> list[ServerSentEvent]:
        """Decode and read ``block``, whole lines followed by ``after`` bytes held back."""
        if len(block) > self._max_line:
            self._check_lines(block)
        try:
            text = block.decode()
        except UnicodeDecodeError as exc:
            raise self._bad_utf8(exc, self._fed - after - len(block)) from None
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return self._text(text)

    def _text(self, text: str) -> list[ServerSentEvent]:
        """Interpret ``text``: complete lines, each ended by ``\\n``."""
        # One regex pass cuts out every event of the usual shape: from a line
        # start, an optional "event: NAME" line, one "data: DATA" line and the
        # blank line.  parts = [gap, NAME, DATA, gap, NAME, DATA, ..., gap].  The
        # gaps (comments, other fields, several data lines, the start of the next
        # event) are read line by line, and so is a match that completes an event
        # begun before it.  In the usual chunk only the first match needs that.
        parts = _SIMPLE_EVENT.split(text)
        last = len(parts) - 1
        if last == 3 and not (parts[0] or parts[3] or self._data or self._event is not None or self._fields):
            return [ServerSentEvent(parts[1] or None, parts[2], self._last_id)]
        out: list[ServerSentEvent] = []
        k = 0
        while k < last and (parts[k] or self._data or self._event is not None or self._fields):
            k = self._step(parts, k, out)
        if k < last:
            if any(parts[k + 3 : last : 3]):
                while k < last:
                    k = self._step(parts, k, out)
            else:
                last_id = self._last_id
                out += [
                    ServerSentEvent(name or None, data, last_id)
                    for name, data in zip(parts[k + 1 :: 3], parts[k + 2 :: 3], strict=True)
                ]
        if parts[last]:
            self._lines(parts[last].split("\n"), out)
        return out

    def _step(self, parts: list[str], k: int, out: list[ServerSentEvent]) -> int:
        """Read the gap ``parts[k]`` and the match after it; return the next gap's index."""
        if parts[k]:
            self._lines(parts[k].split("\n"), out)
        name = parts[k + 1]
        data = parts[k + 2]
        if self._data or self._event is not None or self._fields:
            lines = [f"data: {data}", "", ""]
            if name is not None:
                lines.insert(0, f"event: {name}")
            self._lines(lines, out)
        else:
            out.append(ServerSentEvent(name or None, data, self._last_id))
        return k + 3

    def _lines(self, lines: list[str], out: list[ServerSentEvent]) -> None:
        """Interpret ``lines``; the last item is the empty string after the last line break."""
        lines.pop()
        data = self._data
        size = self._data_size
        event = self._event
        for line in lines:
            if line[:6] == "data: ":
                data.append(line[6:])
                size += len(line)
            elif not line:
                if data:
                    out.append(ServerSentEvent(event or None, "\n".join(data), self._last_id, self._retry))
                    data = []
                    size = 0
                elif event is None and not self._fields:
                    continue
                event = None
                self._retry = None
                self._fields = False
            elif line[:7] == "event: ":
                event = line[7:]
            elif line[0] != ":":
                name, colon, value = line.partition(":")
                if colon and value[:1] == " ":
                    value = value[1:]
                if name == "data":
                    data.append(value)
                    size += len(line)
                elif name == "event":
                    event = value
                else:
                    self._fields = True
                    if name == "id":
                        if "\0" not in value:
                            self._last_id = value
                    elif name == "retry" and value.isdigit() and value.isascii():
                        self._retry = int(value)
        self._data = data
        self._data_size = size
        self._event = event
        if size > self._max_event:
            raise SSEError(
                f"event stream event longer than max_event_bytes ({self._max_event} bytes): "
                f"{size} characters of data lines without a blank line to end the event"
            )

    @staticmethod
    def _bad_utf8(exc: UnicodeDecodeError, start: int) -> SSEError:
        """The error for ``exc``, raised decoding bytes that begin at stream offset ``start``."""
        return SSEError(
            f"invalid UTF-8 in event stream at byte offset {start + exc.start}: "
            f"{exc.object[exc.start : exc.end]!r} ({exc.reason})"
        )

    def _line_too_long(self, length: int) -> None:
        raise SSEError(
            f"event stream line longer than max_line_bytes ({self._max_line} bytes): "
            f"{length} bytes without a line break"
        )

    def _check_lines(self, block: bytes) -> None:
        longest = max(map(len, _LINE_BREAK.split(block)))
        if longest > self._max_line:
            self._line_too_long(longest)
