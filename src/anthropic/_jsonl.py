"""JSON lines: a pure decoder, bytes in, one decoded value per line out.

The Message Batches API serves a batch's results as JSON lines: one JSON
object per line, lines ending in ``\\n`` (a ``\\r\\n`` is accepted too), in
no particular order.  A results file can hold 100,000 lines and hundreds of
megabytes, so the decoder holds only the unfinished last line of what it was
fed, never the file.

Rules:

* bytes may arrive split anywhere, even inside a UTF-8 character or a
  ``\\r\\n`` pair; any chunking of a body gives the same values;
* blank lines (only spaces, tabs or a ``\\r``) are skipped;
* a line that is not valid JSON, or whose value is not accepted by the
  ``convert`` callable, raises :class:`JSONLError` naming its line number,
  the reason, and how many values were read before it;
* a caller may parse the line's bytes itself (``parse``): a pydantic
  validator's ``validate_json`` reads and validates a line in one pass, with
  no intermediate dicts; a ``ValidationError`` of type ``json_invalid`` from
  it counts as invalid JSON, any other as a value that was not accepted;
* :meth:`JSONLDecoder.iter_feed` gives the values one at a time, each line
  decoded when the previous value has been taken; :meth:`JSONLDecoder.feed`
  gives them as a list;
* a line longer than ``max_line_bytes`` raises :class:`JSONLError` as soon as
  that is known, so a hostile body cannot hold unbounded memory;
* at the end of the body (:meth:`JSONLDecoder.end`) a last line without its
  line end is decoded like any other: files written without a final newline
  are common.  A last line that does not parse is reported as a truncated
  body, since that is what it almost always is.

Whether the file held as many lines as it should is for the caller to judge
(for batches, against the batch's ``request_counts``): a file cut exactly at
a line end cannot be told from a complete one here.

There is no I/O here and no sync or async flavour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from pydantic_core import from_json

__all__ = ["DEFAULT_MAX_LINE_BYTES", "JSONLDecoder", "JSONLError"]

_T = TypeVar("_T")
DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024


class JSONLError(Exception):
    """The body is not usable JSON lines: a line that does not parse, is too long, or was cut.

    ``line`` is the 1-based line number of the offending line, ``values_read``
    the number of values decoded before it, and ``truncated`` whether the body
    ended inside a line.
    """

    def __init__(self, message: str, *, line: int, values_read: int, truncated: bool = False) -> None:
        super().__init__(message)
        self.line = line
        self.values_read = values_read
        self.truncated = truncated


def _identity(value: Any) -> Any:
    return value


def _describe(exc: ValueError, prefix: tuple[str, ...] = ()) -> str:
    """A validation error in one line: where (under ``prefix``) and what, for at most three problems."""
    errors = exc.errors()  # type: ignore[attr-defined]
    parts = [
        f"{'.'.join(str(p) for p in (*prefix, *e.get('loc', ()))) or 'the line'}: {e.get('msg')}" for e in errors[:3]
    ]
    more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
    return "; ".join(parts) + more


def _json_reason(exc: ValueError) -> str:
    """What the JSON parser said, without a validator's framing around it."""
    errors = getattr(exc, "errors", None)
    if errors is not None:
        try:
            return str(errors()[0]["msg"])
        except Exception:
            pass
    return str(exc)


def _is_json_error(exc: ValueError) -> bool:
    """Whether a parser's error says the bytes are not JSON (rather than not the expected value)."""
    errors = getattr(exc, "errors", None)
    if errors is None:  # from_json's ValueError
        return True
    try:
        first = errors()[0]
    except Exception:
        return True
    return bool(first.get("type") == "json_invalid")


class JSONLDecoder(Generic[_T]):
    """Feed it bytes; get back the decoded value of each line completed by them.

    ``convert`` turns each decoded JSON value into what the caller wants (a
    typed result, say); an exception it raises becomes a :class:`JSONLError`
    for that line.
    """

    __slots__ = ("_buffer", "_convert", "_ended", "_line", "_max", "_parse", "values_read")

    def __init__(
        self,
        convert: Callable[[Any], _T] = _identity,
        *,
        parse: Callable[[bytes], Any] = from_json,
        max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    ) -> None:
        self._convert = convert
        self._parse = parse
        self._max = max_line_bytes
        self._buffer = bytearray()
        self._line = 0  # lines completed so far, blank ones included
        self._ended = False
        self.values_read = 0

    @property
    def pending(self) -> bool:
        """Whether bytes of an unfinished line are held."""
        return bool(self._buffer.strip())

    def feed(self, chunk: bytes) -> list[_T]:
        """The values of the lines that ``chunk`` completes (often several, often none)."""
        return list(self.iter_feed(chunk))

    def iter_feed(self, chunk: bytes) -> Iterator[_T]:
        """:meth:`feed`, one value at a time: each line is decoded when the previous value has been taken.

        A caller that hands values on as they come holds one at a time instead
        of a chunk's worth, and gets every value before a bad line before its
        error.  The chunk is taken in at once; exhaust the iterator before the
        next call.
        """
        if self._ended:
            raise RuntimeError("JSONLDecoder.feed() after end()")
        if not chunk:
            return iter(())
        # One split of the chunk; only the line that straddles the previous chunk is joined.
        lines = chunk.split(b"\n")
        tail = lines.pop()
        if not lines:
            self._buffer += chunk
            self._check_length(len(self._buffer))
            return iter(())
        if self._buffer:
            self._buffer += lines[0]
            lines[0] = bytes(self._buffer)
        self._buffer = bytearray(tail)
        return self._decode_lines(lines)

    def _decode_lines(self, lines: list[bytes]) -> Iterator[_T]:
        parse, convert, limit = self._parse, self._convert, self._max
        for raw in lines:
            if len(raw) > limit:
                self._check_length(len(raw))
            self._line += 1
            try:
                value = parse(raw)
            except ValueError:
                # Blank lines, a lone \r, and every error: the careful path.
                yield from self._decode(raw, truncated=False)
                continue
            try:
                converted = convert(value)
            except Exception as exc:
                raise self._not_accepted(exc) from exc
            self.values_read += 1
            yield converted
        self._check_length(len(self._buffer))

    def end(self) -> list[_T]:
        """The body ended: the value of a last line without a line end, if there is one."""
        self._ended = True
        raw, self._buffer = bytes(self._buffer), bytearray()
        if not raw.strip():
            return []
        self._line += 1
        return list(self._decode(raw, truncated=True))

    def _decode(self, raw: bytes, *, truncated: bool) -> Iterator[_T]:
        """The value of one line, if it is not blank; the error that names it, if it is bad."""
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.strip(b" \t"):
            return
        try:
            value = self._parse(raw)
        except ValueError as exc:
            if not _is_json_error(exc):
                raise JSONLError(
                    f"Line {self._line} is not a valid result ({_describe(exc)}); "
                    f"{self.values_read} line(s) were read before it.",
                    line=self._line,
                    values_read=self.values_read,
                ) from exc
            reason = _json_reason(exc)
            if truncated:
                raise JSONLError(
                    f"The body ended inside line {self._line} (after {self.values_read} complete line(s)): "
                    f"the file was cut short ({reason}).",
                    line=self._line,
                    values_read=self.values_read,
                    truncated=True,
                ) from None
            raise JSONLError(
                f"Line {self._line} is not valid JSON ({reason}); {self.values_read} line(s) were read before it.",
                line=self._line,
                values_read=self.values_read,
            ) from None
        try:
            converted = self._convert(value)
        except Exception as exc:
            raise self._not_accepted(exc) from exc
        self.values_read += 1
        yield converted

    def _not_accepted(self, exc: Exception) -> JSONLError:
        return JSONLError(
            f"Line {self._line} is not a valid result ({exc}); {self.values_read} line(s) were read before it.",
            line=self._line,
            values_read=self.values_read,
        )

    def _check_length(self, length: int) -> None:
        if length > self._max:
            raise JSONLError(
                f"Line {self._line + 1} is longer than {self._max} bytes; "
                f"{self.values_read} line(s) were read before it.",
                line=self._line + 1,
                values_read=self.values_read,
            )
