"""Incremental partial JSON: feed text piece by piece, read the value so far at any point.

Tool input and structured output arrive as many small ``partial_json`` pieces,
split anywhere (inside strings, escapes, numbers, literals).  The parser keeps
its place between pieces, so the total work is linear in the text, and it
builds the value as it goes: a finished string, number or container is built
once, and :meth:`PartialJSONParser.snapshot` only copies the containers still
open on the way to the cursor.

The value read from a prefix is exactly what ``pydantic_core.from_json(prefix,
allow_partial=MODE)`` gives (jiter's partial mode), for ``MODE="on"`` and, with
``trailing_strings=True``, ``MODE="trailing-strings"``:

* an unfinished string, number or literal inside a container is left out; an
  unfinished number counts once its text is a whole number (``[12`` is
  ``[12]``, ``[1.`` and ``[-`` are ``[]``), and with ``trailing_strings`` an
  unfinished string value counts as far as its complete characters go (an
  unfinished escape is left out);
* an object member counts once its value has begun (``{"a":`` is ``{}``,
  ``{"a":[`` is ``{"a": []}``); an unfinished key never counts;
* at the top level, nothing yet, or an unfinished scalar where ``from_json``
  raises, is "no value" (``snapshot`` returns its ``default``);
* as ``from_json`` does, ``NaN``, ``Infinity`` and ``-Infinity`` are accepted;
  an integer part longer than 4300 digits, a lone surrogate escape, a raw
  control character in a string, and nesting deeper than 201 containers are
  errors.

Where ``from_json`` in partial mode quietly ignores what follows a malformed
spot, the parser raises :class:`PartialJSONError` at the first character that
cannot continue valid JSON, and keeps the value of the text before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from json import decoder as _decoder
from typing import Any

__all__ = ["PartialJSONError", "PartialJSONParser", "parse_partial"]


class PartialJSONError(ValueError):
    """The text cannot be the beginning of a JSON document.

    ``offset`` is the index (in characters, from the start of all the text fed)
    of the first character that cannot continue valid JSON.
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"invalid JSON at offset {offset}: {message}")
        self.message = message
        self.offset = offset

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.offset))


# Parser states: what the text may continue with.  The numbers are labels only: no
# rule depends on their order.  Between tokens:
_VALUE = 0  # a value (at the top, after ":" or ","), or "]" in an array still empty
_KEY = 1  # a string key (after "," in an object), or "}" in an object still empty
_COLON = 2  # ":" after a key
_AFTER_VALUE = 3  # "," or the closing bracket, after a value in a container
_DONE = 4  # only whitespace: the top-level value is complete
# Inside a token that a piece ended in; the next piece goes on with it:
_IN_STRING = 5  # a string value
_IN_KEY = 6  # a key
_IN_NUMBER = 7  # a number
_IN_LITERAL = 8  # true, false, null, NaN, Infinity or -Infinity
_IN_STRINGS = frozenset({_IN_STRING, _IN_KEY})
_IN_SCALARS = frozenset({_IN_NUMBER, _IN_LITERAL})

_MAX_OPEN = 201  # from_json refuses to start a value inside more open containers than this
_MAX_INT_DIGITS = 4300  # from_json refuses integer parts longer than this
_SAFE_INT_DIGITS = 640  # int() takes this many digits whatever sys.set_int_max_str_digits says

# Patterns that always match are typed Any: their match() is never None.
_WS: Any = re.compile(r"[ \t\n\r]*")
_WS_CHARS = " \t\n\r"
_PLAIN = r'[^"\\\x00-\x1f]*'
# One complete escape: simple, a \uXXXX that is not a surrogate, or a surrogate pair.
_ESCAPE = (
    r"\\(?:"
    r'["\\/bfnrt]'
    r"|u(?:[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(?![dD][89a-fA-F])[0-9a-fA-F]{4})"
    r")"
)
_STRING_BODY: Any = re.compile(f"{_PLAIN}(?:{_ESCAPE}{_PLAIN})*")
_ESCAPE_UNIT = re.compile(_ESCAPE)
# What may begin an escape: matched against a pending escape, its longest valid start.
_ESCAPE_PREFIX: Any = re.compile(
    r"\\(?:"
    r'["\\/bfnrt]'
    r"|u(?:(?![dD][89a-fA-F])[0-9a-fA-F]{0,4}"
    r"|[dD](?:[89abAB](?:[0-9a-fA-F](?:[0-9a-fA-F]"
    r"(?:\\(?:u(?:[dD](?:[c-fC-F][0-9a-fA-F]{0,2})?)?)?)?)?)?)?"
    r")?"
    r")?"
)
_NUMBER_START = "-0123456789"
_NUMBER_CHARS = "0123456789-+.eE"
_NUMBER_TOKEN = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_NUMBER_AT: Any = re.compile(f"(?:{_NUMBER_TOKEN.pattern})?")  # a whole number, or nothing
_NUMBER_RUN: Any = re.compile(r"[0-9eE.+-]*")
# The longest start of a number: "-", "1.", "1e+" are starts; "1.e", "01", "--" are not.
_NUMBER_PREFIX: Any = re.compile(r"-?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:(?<=[0-9])[eE][+-]?[0-9]*)?)?")
# A number's text with its digit runs cut to two digits: a short stand-in in the same state.
_LONG_DIGITS: Any = re.compile(r"([0-9]{2})[0-9]+")
_DIGITS: Any = re.compile(r"[0-9]*")

_LITERALS = {"t": "true", "f": "false", "n": "null", "N": "NaN", "I": "Infinity"}
_LITERAL_VALUES: dict[str, Any] = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
}

_NOTHING: Any = object()
_MINUS_INFINITY: Any = object()  # a "-" that turned out to begin -Infinity


_scanstring: Callable[[str, int], tuple[str, int]] = _decoder.scanstring  # type: ignore[attr-defined]


def _unescape(raw: str) -> str:
    """Decode ``raw``: string content made of plain characters and whole escapes."""
    return _scanstring(raw + '"', 0)[0]


def _number(text: str, offset: int) -> int | float:
    """The value of a whole number token (validated by the caller)."""
    if "." in text or "e" in text or "E" in text:
        return float(text)
    try:
        return int(text)
    except ValueError:  # more digits than sys.set_int_max_str_digits allows
        raise PartialJSONError("number out of range", offset) from None


def _unexpected(state: int, container: Any, c: str, offset: int) -> PartialJSONError:
    """The error for ``c`` where ``state`` does not allow it, in ``container`` (None at the top)."""
    if state == _VALUE:
        expected = "a value or ']'" if type(container) is list and not container else "a value"
    elif state == _KEY:
        expected = "a string key" if container else "a string key or '}'"
    elif state == _COLON:
        expected = "':'"
    elif state == _AFTER_VALUE:
        expected = "',' or ']'" if type(container) is list else "',' or '}'"
    else:
        expected = "the end of the text"
    return PartialJSONError(f"expected {expected}, found {c!r}", offset)


class PartialJSONParser:
    """Incremental JSON parser whose :meth:`snapshot` is the partial value so far.

    ``feed`` pieces of one JSON document in order; ``snapshot()`` at any point.
    ``trailing_strings=True`` includes an unfinished string value, as
    ``from_json(..., allow_partial="trailing-strings")`` does; otherwise it is
    left out, as with ``allow_partial=True``.  Snapshots share finished values
    with each other and with the parser: treat them as read-only.

    ``hold_numbers=True`` departs from ``from_json`` in one way: a number is
    left out until its token ends (``{"a": 12`` reads as ``{}`` until a ``,``,
    ``}`` or whitespace follows), so that no snapshot shows a number that a
    later one changes (``12`` then ``123``) or drops (``-1`` then ``-1.``).
    With it, each snapshot only adds to the one before: values appear once
    final, except an unfinished string (``trailing_strings``), which only grows.
    """

    __slots__ = (
        "_cached",
        "_cur",
        "_error",
        "_escape",
        "_hold_numbers",
        "_in_list",
        "_key",
        "_keys",
        "_length",
        "_literal",
        "_literal_at",
        "_number_canon",
        "_number_length",
        "_number_parts",
        "_root",
        "_stack",
        "_state",
        "_string_parts",
        "_trailing",
    )

    def __init__(self, *, trailing_strings: bool = False, hold_numbers: bool = False) -> None:
        self._trailing = trailing_strings
        self._hold_numbers = hold_numbers
        self._state = _VALUE
        self._length = 0
        self._error: PartialJSONError | None = None
        # The innermost open container (None at the top level), whether it is a
        # list, and in an object the key of the value being read.
        self._cur: Any = None
        self._in_list = False
        self._key: str | None = None
        # The open containers around it, outermost first (the first is None,
        # for the top level), with the key each waits to put its child under.
        self._stack: list[Any] = []
        self._keys: list[str | None] = []
        self._root: Any = _NOTHING  # the top-level value, once complete
        # The token being read across pieces.
        self._string_parts: list[str] = []
        self._escape = ""  # the start of an escape that the next piece completes
        self._number_parts: list[str] = []
        self._number_canon = ""  # a short text in the same state as the number so far
        self._number_length = 0
        self._literal = ""
        self._literal_at = 0
        self._cached: Any = _NOTHING

    @property
    def text_length(self) -> int:
        """The number of characters fed so far."""
        return self._length

    def complete(self) -> bool:
        """True if the text fed so far is one whole JSON value (and whitespace)."""
        if self._error is not None:
            return False
        if self._state == _DONE:
            return True
        return (
            self._state == _IN_NUMBER
            and self._cur is None
            and _NUMBER_TOKEN.fullmatch(self._number_canon) is not None
        )

    def snapshot(self, default: Any = None) -> Any:
        """The value of the text fed so far; ``default`` when there is none yet.

        There is none when only whitespace was fed, or the top-level value is a
        scalar not complete yet (``tru``, ``-``, ``1.``, or a string when
        ``trailing_strings`` is off): where ``from_json`` raises.  The result is
        not changed by later ``feed`` calls.
        """
        value = self._cached
        if value is not _NOTHING:
            return value
        state = self._state
        if state == _DONE:
            value = self._root
        else:
            if state == _IN_STRING:
                if self._trailing:
                    parts = self._string_parts
                    if len(parts) > 1:
                        parts[:] = ["".join(parts)]
                    value = parts[0] if parts else ""
            elif (
                state == _IN_NUMBER and not self._hold_numbers and _NUMBER_TOKEN.fullmatch(self._number_canon)
            ):
                value = _number("".join(self._number_parts), self._length)
            container = self._cur
            if container is not None:
                key = self._key
                stack = self._stack
                keys = self._keys
                level = len(stack)
                while True:
                    copy = container.copy()
                    if value is not _NOTHING:
                        if type(copy) is list:
                            copy.append(value)
                        else:
                            copy[key] = value
                    value = copy
                    level -= 1
                    container = stack[level]
                    if container is None:
                        break
                    key = keys[level]
        if value is _NOTHING:
            return default
        self._cached = value
        return value

    # -- the state machine: feed and the tokens it continues across pieces -------------------------
    #
    # feed() keeps the hot loop in one function, over local variables: punctuation and
    # whitespace character by character, and each string, number or literal matched whole
    # where the piece holds all of it.  What is rarer (a number or literal that runs past the
    # piece, an escape cut in two, an error) is left to the helpers below it.  A method call
    # per state, per value or per piece costs several percent of the parser's time on tool
    # input cut into pieces of a few characters: keep the common paths inline.

    def feed(self, text: str) -> None:
        """Read the next piece of the document.

        Raises :class:`PartialJSONError` as soon as the text cannot be the start
        of a JSON document; the parser then keeps the value read before the bad
        character, and every later ``feed`` raises the same error.
        """
        if self._error is not None:
            raise self._error
        n = len(text)
        if not n:
            return
        state = self._state
        if state in _IN_STRINGS:
            # Where the string's plain characters and whole escapes stop in this piece
            # (-1: an escape the last piece began is to be finished first).
            j = -1 if self._escape else _STRING_BODY.match(text).end()
            if j == n:  # a piece in the middle of a long string: the commonest case of all
                self._string_parts.append(_unescape(text) if "\\" in text else text)
                self._length += n
                self._cached = _NOTHING
                return
        base = self._length
        self._length = base + n
        self._cached = _NOTHING
        cur = self._cur
        in_list = self._in_list
        key = self._key
        stack = self._stack
        keys = self._keys
        i = 0
        value: Any = _NOTHING
        try:
            # First the token the last piece ended in, if any.
            if state in _IN_STRINGS:
                if j >= 0 and text[j] == '"':
                    raw = text[:j]
                    self._string_parts.append(_unescape(raw) if "\\" in raw else raw)
                    i = j + 1
                else:
                    i = self._string(text, 0, base)
                    if i < 0:
                        return
                value = "".join(self._string_parts)
                self._string_parts = []
                if state == _IN_KEY:
                    key = value
                    value = _NOTHING
                    state = _COLON
            elif state in _IN_SCALARS:
                i, value, state = self._number_or_literal(state, text, 0, base)
                if i < 0:
                    return
            # Then one turn per value: place the value just completed (if any), and read
            # on to the end of the next one, or of the piece.
            while True:
                if value is not _NOTHING:
                    if cur is None:
                        self._root = value
                        state = _DONE
                    else:
                        if in_list:
                            cur.append(value)
                        else:
                            cur[key] = value
                        if i < n and text[i] == ",":
                            state = _VALUE if in_list else _KEY
                            i += 1
                            if i < n and text[i] == " ":  # the usual ", "
                                i += 1
                        else:
                            state = _AFTER_VALUE
                while i < n:
                    c = text[i]
                    if c in _WS_CHARS:
                        i += 1
                        if i < n and text[i] in _WS_CHARS:
                            i = _WS.match(text, i).end()
                        continue
                    if state == _VALUE:
                        if len(stack) >= _MAX_OPEN and c != "]":
                            raise PartialJSONError("recursion limit exceeded", base + i)
                        if c == '"':
                            j = _STRING_BODY.match(text, i + 1).end()
                            raw = text[i + 1 : j]
                            value = _unescape(raw) if "\\" in raw else raw
                            if j < n and text[j] == '"':
                                i = j + 1
                                break
                            # It runs past the piece, or meets a bad character.
                            self._string_parts = [value]
                            state = _IN_STRING
                            self._string_stops(text, j, base)
                            return
                        if c == "{" or c == "[":
                            stack.append(cur)
                            keys.append(key)
                            in_list = c == "["
                            cur = [] if in_list else {}
                            state = _VALUE if in_list else _KEY
                            i += 1
                            continue
                        if c in _NUMBER_START:
                            m = _NUMBER_AT.match(text, i)
                            j = m.end()
                            if j < n and text[j] not in _NUMBER_CHARS and i < j <= i + _SAFE_INT_DIGITS:
                                tok = text[i:j]
                                value = float(tok) if m.lastindex else int(tok)
                                i = j
                                break
                            # It runs past the piece, or is malformed, or very long.
                            self._number_parts = []
                            self._number_canon = ""
                            self._number_length = 0
                            state = _IN_NUMBER
                        elif c in _LITERALS:
                            self._literal = _LITERALS[c]
                            self._literal_at = 0
                            state = _IN_LITERAL
                        if state != _VALUE:
                            i, value, state = self._number_or_literal(state, text, i, base)
                            if i < 0:
                                return
                            break
                    elif state == _KEY:
                        if c == '"':
                            j = _STRING_BODY.match(text, i + 1).end()
                            raw = text[i + 1 : j]
                            key = _unescape(raw) if "\\" in raw else raw
                            if j < n and text[j] == '"':
                                i = j + 1
                                if i < n and text[i] == ":":
                                    state = _VALUE
                                    i += 1
                                    if i < n and text[i] == " ":  # the usual ": "
                                        i += 1
                                else:
                                    state = _COLON
                                continue
                            self._string_parts = [key]
                            state = _IN_KEY
                            self._string_stops(text, j, base)
                            return
                    elif state == _AFTER_VALUE and c == ",":
                        state = _VALUE if in_list else _KEY
                        i += 1
                        continue
                    elif state == _COLON and c == ":":
                        state = _VALUE
                        i += 1
                        continue
                    # Not what the state goes on with: only the bracket closing the container may
                    # come here, after a value, or with the container still empty.
                    if c != ("]" if in_list else "}") or (
                        state != _AFTER_VALUE and (cur or state != (_VALUE if in_list else _KEY))
                    ):
                        raise _unexpected(state, cur, c, base + i)
                    # The one place a container is closed: it is the value just completed.
                    value = cur
                    cur = stack.pop()
                    key = keys.pop()
                    in_list = type(cur) is list
                    i += 1
                    break
                else:
                    return  # the piece is used up
        except PartialJSONError as exc:
            self._error = exc
            raise
        finally:
            self._state = state
            self._cur = cur
            self._in_list = in_list
            self._key = key

    def _number_or_literal(self, state: int, text: str, i: int, base: int) -> tuple[int, Any, int]:
        """Go on with the number or literal that ``state`` is inside of, at ``text[i]``.

        Returns the index after the token, its value, and the state; the index is
        -1 when the piece ends inside the token, whose state is then the one
        returned (a number that turns out to begin ``-Infinity`` goes on as a literal).
        """
        if state == _IN_NUMBER:
            i, value = self._number(text, i, base)
            if value is _NOTHING:
                return -1, value, state
            if value is not _MINUS_INFINITY:
                return i, value, state
            state = _IN_LITERAL
        i, value = self._literal_rest(text, i, base)
        return i, value, state

    def _string(self, text: str, i: int, base: int) -> int:
        """Continue a string at ``text[i]``: the index after its closing quote, or -1."""
        parts = self._string_parts
        escape = self._escape
        if escape:
            # Finish the escape the last piece began.
            probe = escape + text[i : i + 12 - len(escape)]
            m = _ESCAPE_UNIT.match(probe)
            if m is None:
                valid = _ESCAPE_PREFIX.match(probe).end()
                if valid == len(probe):  # still not whole: the text ends inside it
                    self._escape = probe
                    return -1
                raise PartialJSONError("invalid escape in string", base + i + valid - len(escape))
            parts.append(_unescape(m.group()))
            self._escape = ""
            i += m.end() - len(escape)
        j: int = _STRING_BODY.match(text, i).end()
        if j > i:
            raw = text[i:j]
            parts.append(_unescape(raw) if "\\" in raw else raw)
        if j < len(text) and text[j] == '"':
            return j + 1
        self._string_stops(text, j, base)
        return -1

    def _string_stops(self, text: str, j: int, base: int) -> None:
        """A string's plain characters and whole escapes stop at ``text[j]``, short of its end.

        Either the piece ends there, or inside an escape (kept for the next piece
        to finish), or ``text[j]`` cannot be in a string: an error.
        """
        if j == len(text):
            return
        c = text[j]
        if c == "\\":
            # Not a whole escape: either the text ends inside it (a valid start
            # shorter than 12 characters), or it is invalid.
            probe = text[j : j + 12]
            valid = _ESCAPE_PREFIX.match(probe).end()
            if valid == len(probe):
                self._escape = probe
                return
            raise PartialJSONError("invalid escape in string", base + j + valid)
        raise PartialJSONError(f"control character {c!r} in string", base + j)

    def _number(self, text: str, i: int, base: int) -> tuple[int, Any]:
        """Continue a number at ``text[i]``.

        Returns the index after it and its value; the value is ``_NOTHING`` when
        the number runs on past the piece, and ``_MINUS_INFINITY`` when the text
        so far, "-", turns out to begin ``-Infinity``.
        """
        canon = self._number_canon
        j = _NUMBER_RUN.match(text, i).end()
        if j > i:
            run = text[i:j]
            probe = canon + run
            valid = _NUMBER_PREFIX.match(probe).end()
            if valid < len(probe):
                keep = valid - len(canon)
                self._add_number_text(run[:keep], probe[:valid])
                raise PartialJSONError("invalid number", base + i + keep)
            if self._number_length + len(run) > _MAX_INT_DIGITS and not (
                "." in canon or "e" in canon or "E" in canon
            ):
                # Still in the integer part: count its digits, before and in this run.
                before = self._number_length - (canon[:1] == "-")
                lead = _DIGITS.match(run, 1 if not canon and run[0] == "-" else 0)
                if before + lead.end() - lead.start() > _MAX_INT_DIGITS:
                    keep = lead.start() + _MAX_INT_DIGITS - before
                    self._add_number_text(run[:keep], canon + run[:keep])
                    raise PartialJSONError("number out of range", base + i + keep)
            canon = self._add_number_text(run, probe)
            if j == len(text):
                return j, _NOTHING
        if canon == "-" and text[j] == "I":
            self._literal = "-Infinity"
            self._literal_at = 1
            self._number_parts = []
            return j, _MINUS_INFINITY
        if _NUMBER_TOKEN.fullmatch(canon) is None:
            raise PartialJSONError(f"expected a digit, found {text[j]!r}", base + j)
        value = _number("".join(self._number_parts), base + j)
        self._number_parts = []
        return j, value

    def _add_number_text(self, run: str, probe: str) -> str:
        """Append ``run`` to the number; ``probe`` is its stand-in followed by ``run``."""
        if run:
            self._number_parts.append(run)
            self._number_length += len(run)
            # A short stand-in in the same state as the whole text, to check what comes next.
            self._number_canon = probe if len(probe) <= 40 else _LONG_DIGITS.sub(r"\1", probe)
        return self._number_canon

    def _literal_rest(self, text: str, i: int, base: int) -> tuple[int, Any]:
        """Continue a literal at ``text[i]``: the index after it and its value, or -1."""
        literal = self._literal
        need = literal[self._literal_at :]
        if text.startswith(need, i):
            return i + len(need), _LITERAL_VALUES[literal]
        got = text[i : i + len(need)]
        same = 0
        while same < len(got) and got[same] == need[same]:
            same += 1
        if same == len(got):  # the text ends inside the literal
            self._literal_at += same
            return -1, None
        raise PartialJSONError(f"expected {literal!r}, found {got[same]!r}", base + i + same)


def parse_partial(text: str, *, trailing_strings: bool = False, hold_numbers: bool = False) -> Any:
    """The partial value of ``text``, as :class:`PartialJSONParser` would give it.

    Raises :class:`PartialJSONError` if ``text`` cannot be the start of a JSON
    document; returns None if it holds no value yet (see ``snapshot``).
    """
    parser = PartialJSONParser(trailing_strings=trailing_strings, hold_numbers=hold_numbers)
    parser.feed(text)
    return parser.snapshot()
