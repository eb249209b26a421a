"""The incremental partial-JSON parser, checked against pydantic_core.from_json (jiter)."""

from __future__ import annotations

import copy
import json
import math
import pickle
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic_core import from_json

from anthropic.lib.streaming._partial_json import PartialJSONError, PartialJSONParser, parse_partial

MODES = ("on", "trailing-strings")
NONE: Any = object()  # "no value": where from_json raises for a prefix that is still valid


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0 or True; -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def reference(text: str, mode: str) -> Any:
    try:
        return from_json(text, allow_partial=mode)
    except ValueError:
        return NONE


def parser(mode: str) -> PartialJSONParser:
    return PartialJSONParser(trailing_strings=mode == "trailing-strings")


def value_of(text: str, mode: str) -> Any:
    p = parser(mode)
    p.feed(text)
    return p.snapshot(NONE)


def error_of(text: str, mode: str = "on") -> PartialJSONError:
    with pytest.raises(PartialJSONError) as info:
        parser(mode).feed(text)
    return info.value


# --- table: prefixes that must read exactly as from_json reads them ---------------------------------

PREFIXES = [
    # top-level scalars: complete, unfinished (no value), strings (mode-dependent)
    "", " ", "\n\t\r ", "1", "-", "-1", "-0", "0", "1.", "1.5", "1e", "1e+", "1e5", "1E-2", "-0.0", "0.000",
    "12345678901234567890123456789", "1.5e400", "-1.5e400", "1e-400", "t", "tr", "tru", "true", "n", "nul",
    "null", "f", "fals", "false", "N", "Na", "NaN", "I", "Infin", "Infinity", "-I", "-Infinit", "-Infinity",
    '"', '"ab', '"ab\\', '"ab\\u', '"ab\\u00', '"ab\\u00e9', '"ab\\u00e9"', '"\\ud83d', '"\\ud83d\\',
    '"\\ud83d\\u', '"\\ud83d\\ude', '"\\ud83d\\ude00', '"\\uD83D\\uDE00"', '"a\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti"',
    '"é😀\u2028"', '"x" ', "1 ", "true\n",
    # arrays
    "[", "[ ", "[1", "[1,", "[1, ", "[1,2", "[12", "[-", "[-1", "[1.", "[1.5", "[1e", "[1e5", "[0", "[-0",
    "[-0.", "[1e-", "[1E+", "[t", "[tr", "[true", "[true,", "[true,fa", "[n", "[N", "[NaN", "[-I",
    "[-Infinity", "[-Infinity,", '["', '["a', '["a\\', '["a\\n', '["a"', '["a" ', '["a",', "[[", "[[]",
    "[[1],[", "[[1],[2", "[{", '[{"', '[{"a', '[{"a"', '[{"a":', '[{"a":1', '[{"a":1}', "[]", "[1]", "[[]]",
    # objects
    "{", "{ ", '{"', '{"a', '{"a"', '{"a" ', '{"a":', '{"a": ', '{"a":1', '{"a":1 ', '{"a":1,', '{"a":1,"b',
    '{"a":1,"b":', '{"a":"x', '{"a":"x"', '{"a":t', '{"a":-', '{"a":1.', '{"a":1.5', '{"a":{', '{"a":[',
    '{"a":[1', '{"a":{"b":"c', '{"a":{"b":"c"', '{"a":{"b":"c"}', '{"a":{"b":"c"}}', '{"a\\u0041":1',
    '{"":1', '{"a":1,"a":2}', '{"a":1,"a":', '{"a":1,"a":"x', '{"a":1,"a":{', '{"a":1,"b":2,"a":3',
    '{"a":nu', '{"a":"\\ud83d', '{"a":"\\ud83d\\ude', '{"k":"v\\u00', '{"k":"v\\u00e9', "{}", "{} ",
    '{"a":[{"b":[{"c":"d', '{"a":[{"b":[{"c":"d"', '{"a":[{"b":[{"c":"d"}]}], "e": 12',
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", PREFIXES)
def test_prefix_reads_as_from_json(text: str, mode: str) -> None:
    expected = reference(text, mode)
    got = value_of(text, mode)
    assert same(got, expected), (got, expected)
    # and the same when fed one character at a time, reading after every character
    p = parser(mode)
    for k, ch in enumerate(text, 1):
        p.feed(ch)
        assert same(p.snapshot(NONE), reference(text[:k], mode)), text[:k]


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("", False), ("1", True), ("12 ", True), ("-", False), ("1.", False), ("1.5e3", True), ("tru", False),
        ("true", True), ('"a', False), ('"a"', True), ("[1]", True), ("[1", False), ('{"a":1}\n', True),
        ("-Infinity", True), ("NaN", True), ("[1] x", False),
    ],
)  # fmt: skip
def test_complete(text: str, complete: bool) -> None:
    p = PartialJSONParser()
    try:
        p.feed(text)
    except PartialJSONError:
        pass
    assert p.complete() is complete
    strict = reference(text, "off")
    assert (strict is not NONE) is complete


def test_snapshot_default_and_parse_partial() -> None:
    p = PartialJSONParser()
    assert p.snapshot() is None
    assert p.snapshot(default={}) == {}
    p.feed("  tr")
    assert p.snapshot(default=...) is ...
    p.feed("ue")
    assert p.snapshot(default=...) is True
    assert parse_partial('{"a": [1, "x') == {"a": [1]}
    assert parse_partial('{"a": [1, "x', trailing_strings=True) == {"a": [1, "x"]}
    assert parse_partial("nul") is None
    assert parse_partial('"ab') is None
    assert parse_partial('"ab', trailing_strings=True) == "ab"


def test_text_length_counts_characters() -> None:
    p = PartialJSONParser()
    for piece in ['{"k', "é😀", '": "', "x"]:
        p.feed(piece)
    assert p.text_length == 10


def test_non_finite_literals() -> None:
    assert math.isnan(parse_partial("NaN"))
    assert parse_partial("[Infinity, -Infinity]") == [math.inf, -math.inf]
    p = PartialJSONParser()
    for ch in "[-Infinity]":
        p.feed(ch)
    assert p.snapshot() == [-math.inf]


# --- table: malformed text fails at the first character that cannot continue JSON ------------------

MALFORMED = [
    ("x", 0, "expected a value, found 'x'"),
    ("[,", 1, "expected a value or ']', found ','"),
    ("[1,]", 3, "expected a value, found ']'"),
    ("[1,,", 3, "expected a value, found ','"),
    ('{"a":1,}', 7, "expected a string key, found '}'"),
    ("{,", 1, "expected a string key or '}', found ','"),
    ("{1", 1, "expected a string key or '}', found '1'"),
    ('{"a" 1', 5, "expected ':', found '1'"),
    ('{"a"::', 5, "expected a value, found ':'"),
    ("[1 2", 3, "expected ',' or ']', found '2'"),
    ("[1}", 2, "expected ',' or ']', found '}'"),
    ('{"a":1]', 6, "expected ',' or '}', found ']'"),
    ('{"a":1 "b"', 7, "expected ',' or '}', found '\"'"),
    ("[]]", 2, "expected the end of the text, found ']'"),
    ('{"a":}', 5, "expected a value, found '}'"),
    ('{"a": }', 6, "expected a value, found '}'"),
    ('{"a": 1, }', 9, "expected a string key, found '}'"),
    ("[1, ]", 4, "expected a value, found ']'"),
    ('["a", ,', 6, "expected a value, found ','"),
    ('{"a":]', 5, "expected a value, found ']'"),
    ("{]", 1, "expected a string key or '}', found ']'"),
    ("[}", 1, "expected a value or ']', found '}'"),
    ('[[1],[2]}', 8, "expected ',' or ']', found '}'"),
    ('{"a":{}]', 7, "expected ',' or '}', found ']'"),
    ("1 2", 2, "expected the end of the text, found '2'"),
    ('"a"x', 3, "expected the end of the text, found 'x'"),
    ("truex", 4, "expected the end of the text, found 'x'"),
    ("[truex", 5, "expected ',' or ']', found 'x'"),
    ("[1x", 2, "expected ',' or ']', found 'x'"),
    ("[0x", 2, "expected ',' or ']', found 'x'"),
    ('[1"', 2, "expected ',' or ']', found '\"'"),
    ("tx", 1, "expected 'true', found 'x'"),
    ("[nul1", 4, "expected 'null', found '1'"),
    ("[fals ", 5, "expected 'false', found ' '"),
    ("nan", 1, "expected 'null', found 'a'"),
    ("-N", 1, "expected a digit, found 'N'"),
    ("[-x", 2, "expected a digit, found 'x'"),
    ("--1", 1, "invalid number"),
    ("01", 1, "invalid number"),
    ("[00", 2, "invalid number"),
    ("-01", 2, "invalid number"),
    ("1.e5", 2, "invalid number"),
    ("1.5.3", 3, "invalid number"),
    ("1e5e", 3, "invalid number"),
    ("1e+-5", 3, "invalid number"),
    ("[1.]", 3, "expected a digit, found ']'"),
    ("[1e]", 3, "expected a digit, found ']'"),
    ("[1e+,", 4, "expected a digit, found ','"),
    ("+1", 0, "expected a value, found '+'"),
    (".5", 0, "expected a value, found '.'"),
    ('"\\x', 2, "invalid escape"),
    ('"\\u12G4"', 5, "invalid escape"),
    ('"\\ude00"', 4, "invalid escape"),  # a low surrogate first
    ('"\\udc', 4, "invalid escape"),
    ('"\\ud83d"', 7, "invalid escape"),  # a high surrogate alone
    ('"\\ud83dx"', 7, "invalid escape"),
    ('"\\ud83d\\n"', 8, "invalid escape"),
    ('"\\ud83d\\u0041"', 9, "invalid escape"),
    ('"\\ud83d\\ud83d"', 10, "invalid escape"),
    ('"a\x01"', 2, "control character '\\x01' in string"),
    ('{"a\nb":1}', 3, "control character '\\n' in string"),
    ("\ufeff1", 0, "expected a value, found '\\ufeff'"),
    ("\x0c1", 0, "expected a value, found '\\x0c'"),
    ("\xa01", 0, "expected a value, found '\\xa0'"),
    ("[1\x0c]", 2, "expected ',' or ']', found '\\x0c'"),
    ("{'a': 1}", 1, "expected a string key or '}', found \"'\""),
]


@pytest.mark.parametrize(("text", "offset", "message"), MALFORMED)
def test_malformed(text: str, offset: int, message: str) -> None:
    for mode in MODES:
        exc = error_of(text, mode)
        assert exc.offset == offset
        assert str(exc).startswith(f"invalid JSON at offset {offset}: ")
        assert message in str(exc)
        with pytest.raises(PartialJSONError) as info:
            parse_partial(text, trailing_strings=mode == "trailing-strings")
        assert info.value.offset == offset
        # The same error whatever the pieces, and the prefix before it is accepted.
        p = parser(mode)
        with pytest.raises(PartialJSONError) as info:
            for ch in text:
                p.feed(ch)
        assert info.value.offset == offset
        value_of(text[:offset], mode)
        # The text is not JSON for from_json either (which, in partial mode, may skip what follows).
        assert reference(text, "off") is NONE


def test_error_pickles() -> None:
    exc = error_of("[1,]")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is PartialJSONError
    assert (str(back), back.offset, back.message) == (str(exc), 3, "expected a value, found ']'")


def test_error_sticks_and_keeps_the_valid_prefix() -> None:
    p = PartialJSONParser()
    p.feed('{"a": [1, 2')
    with pytest.raises(PartialJSONError) as first:
        p.feed("x, 3]}")
    assert first.value.offset == 11
    assert isinstance(first.value, ValueError)
    with pytest.raises(PartialJSONError) as again:
        p.feed("]}")
    assert again.value is first.value
    assert p.snapshot() == {"a": [1, 2]}
    assert not p.complete()


def test_number_error_keeps_the_valid_part() -> None:
    p = PartialJSONParser()
    with pytest.raises(PartialJSONError):
        p.feed("[12.5.")
    assert p.snapshot() == [12.5]


def test_depth_limit_matches_from_json() -> None:
    # 201 open containers are fine; a value inside the 201st, or a 202nd container, is not.
    for text in ["[" * 201, "[" * 200 + "[]", '{"a":' * 201, "[" * 201 + "]" * 201]:
        assert same(value_of(text, "on"), reference(text, "on"))
    for text, offset in [
        ("[" * 202, 201),
        ("[" * 201 + "1", 201),
        ('{"a":' * 201 + "1", 1005),
        ('[{"a":' * 101, 601),
    ]:
        assert reference(text, "on") is NONE
        exc = error_of(text)
        assert exc.offset == offset
        assert "recursion limit" in str(exc)


def test_integer_digit_limit_matches_from_json() -> None:
    for digits in (4300, 4301):
        for text in ("1" * digits, "-" + "1" * digits, "[" + "1" * digits + "]", "1" * digits + ".5"):
            ok = reference(text, "off") is not NONE
            assert ok is (digits == 4300)
            if ok:
                assert same(value_of(text, "on"), from_json(text))
            else:
                offset = text.index("1") + 4300
                assert error_of(text).offset == offset
                p = PartialJSONParser()
                with pytest.raises(PartialJSONError) as info:
                    for k in range(0, len(text), 7):
                        p.feed(text[k : k + 7])
                assert info.value.offset == offset
                assert "number out of range" in str(info.value)
    # fraction digits have no limit
    text = "0." + "1" * 5000
    assert value_of(text, "on") == from_json(text)


# --- structure: snapshots are stable, and finished values are built once -----------------------------


def test_old_snapshots_do_not_change() -> None:
    text = '{"a": [1, {"b": "xy"}, [true]], "c": {"d": "long string", "e": [1.5, null]}, "f": 7}'
    for mode in MODES:
        p = parser(mode)
        kept = []
        for ch in text:
            p.feed(ch)
            snap = p.snapshot()
            kept.append((snap, copy.deepcopy(snap)))
        for snap, frozen in kept:
            assert same(snap, frozen)
        assert same(kept[-1][0], json.loads(text))


def test_finished_values_are_shared_not_rebuilt() -> None:
    p = PartialJSONParser()
    p.feed('{"done": {"x": [1, 2]}, "list": [[3], ')
    first = p.snapshot()
    p.feed('"y", ')
    second = p.snapshot()
    assert first is not second
    assert second["done"] is first["done"]  # closed: the same object
    assert second["list"][0] is first["list"][0]
    assert first["list"] == [[3]] and second["list"] == [[3], "y"]
    assert p.snapshot() is second  # nothing fed: the same snapshot


# --- properties: any JSON, any pieces, both modes --------------------------------------------------------

_numbers_text = st.from_regex(r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?", fullmatch=True)


class RawNumber:
    """A number written as given (1E5, 0.10, -0e-0): json.dumps would normalise it."""

    def __init__(self, text: str) -> None:
        self.text = text


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.text(st.characters(codec="utf-8"), max_size=5),
    st.sampled_from(
        ["", '"', "\\", "/", "\x00\x1f", "\u2028", "😀", "é", "\ud7ff\ue000\uffff", "\U0010ffff"]
    ),
    _numbers_text.map(RawNumber),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)
_whitespace = st.text(st.sampled_from(" \t\n\r"), max_size=3)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Any]:
    """JSON text for a random value, with random escaping and whitespace, and its value."""
    value = draw(_values)
    ensure_ascii = draw(st.booleans())
    spaced = draw(st.booleans())

    def ws() -> str:
        return draw(_whitespace) if spaced else ""

    def dump(v: Any) -> str:
        if isinstance(v, RawNumber):
            return v.text
        if isinstance(v, list):
            return "[" + ws() + ("," + ws()).join(dump(x) + ws() for x in v) + "]"
        if isinstance(v, dict):
            items = (
                json.dumps(k, ensure_ascii=ensure_ascii) + ws() + ":" + ws() + dump(x) + ws()
                for k, x in v.items()
            )
            return "{" + ws() + ("," + ws()).join(items) + "}"
        return json.dumps(v, ensure_ascii=ensure_ascii)

    text = ws() + dump(value) + ws()
    return text, json.loads(text)


@st.composite
def cuts(draw: st.DrawFn, text: str) -> list[str]:
    """``text`` split at random places, or into small pieces of random sizes."""
    if draw(st.booleans()):
        points = sorted(draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=30)))
    else:
        rng = random.Random(draw(st.integers(0, 2**32)))
        points, k = [], 0
        while k < len(text):
            k += rng.randint(1, 14)
            points.append(k)
    pieces, start = [], 0
    for point in [*points, len(text)]:
        pieces.append(text[start:point])
        start = point
    return pieces


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), data=st.data())
def test_every_prefix_reads_as_from_json(doc: tuple[str, Any], data: st.DataObject) -> None:
    text, value = doc
    pieces = data.draw(cuts(text))
    for mode in MODES:
        p = parser(mode)
        fed = 0
        kept = []
        for piece in pieces:
            p.feed(piece)
            fed += len(piece)
            snap = p.snapshot(NONE)
            expected = reference(text[:fed], mode)
            assert same(snap, expected), (text[:fed], snap, expected)
            if snap is not NONE and len(kept) < 8:
                kept.append((snap, copy.deepcopy(snap)))
        assert p.text_length == len(text)
        assert p.complete()
        assert same(p.snapshot(), value)
        assert same(p.snapshot(), from_json(text))
        for snap, frozen in kept:
            assert same(snap, frozen)


@settings(max_examples=100, deadline=None)
@given(doc=documents())
def test_one_character_at_a_time(doc: tuple[str, Any]) -> None:
    text, _ = doc
    assume(len(text) < 300)
    for mode in MODES:
        p = parser(mode)
        for k, ch in enumerate(text, 1):
            p.feed(ch)
            assert same(p.snapshot(NONE), reference(text[:k], mode)), text[:k]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text, _ = draw(documents())
    chars = list(text)
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        new = draw(st.sampled_from([*'{}[],:"\\ -+.e0123456789tfnux', "\x01", "é", "I"]))
        if op == "insert":
            chars.insert(k, new)
        elif chars:
            k = min(k, len(chars) - 1)
            if op == "delete":
                del chars[k]
            else:
                chars[k] = new
    return "".join(chars)


@settings(max_examples=400, deadline=None)
@given(text=mutated(), data=st.data())
def test_any_text_agrees_with_from_json(text: str, data: st.DataObject) -> None:
    strict = reference(text, "off")
    for mode in MODES:
        p = parser(mode)
        try:
            p.feed(text)
        except PartialJSONError as exc:
            error: PartialJSONError | None = exc
        else:
            error = None
        if error is None:
            # Accepted: reads as from_json reads it, and is complete exactly when from_json accepts it.
            assert same(p.snapshot(NONE), reference(text, mode))
            assert p.complete() is (strict is not NONE)
            if strict is not NONE:
                assert same(p.snapshot(), strict)
        else:
            assert strict is NONE
            assert 0 <= error.offset < len(text)
            # Everything before the bad character is accepted and reads as from_json reads it;
            # the parser keeps that value.
            prefix = text[: error.offset]
            assert same(p.snapshot(NONE), value_of(prefix, mode))
            assert same(value_of(prefix, mode), reference(prefix, mode))
        # Whatever the pieces, the same outcome.
        q = parser(mode)
        try:
            for piece in data.draw(cuts(text)):
                q.feed(piece)
        except PartialJSONError as exc:
            assert error is not None and exc.offset == error.offset and str(exc) == str(error)
        else:
            assert error is None
            assert same(q.snapshot(NONE), p.snapshot(NONE))


def test_numbers_read_as_from_json() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = rng.choice(["", "-"]) + rng.choice(["0", str(rng.randint(1, 10 ** rng.randint(1, 30)))])
        if rng.random() < 0.6:
            text += "." + str(rng.randint(0, 10 ** rng.randint(1, 25))).zfill(rng.randint(1, 25))
        if rng.random() < 0.5:
            text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 400))
        for doc in (text, f"[{text}]", f'{{"n": {text}}}'):
            assert same(value_of(doc, "on"), from_json(doc)), doc


# --- hold_numbers: snapshots that only ever add ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "held", "plain"),
    [
        ('{"a": 12', {}, {"a": 12}),
        ('{"a": 12 ', {"a": 12}, {"a": 12}),
        ('{"a": 12,', {"a": 12}, {"a": 12}),
        ('{"a": -1.', {}, {}),
        ("[1, 2", [1], [1, 2]),
        ("[1, 2]", [1, 2], [1, 2]),
        ("[1.5e3", [], [1500.0]),
        ("12", NONE, 12),
        ("12 ", 12, 12),
        ('{"a": "x', {"a": "x"}, {"a": "x"}),
    ],
)
def test_hold_numbers(text: str, held: Any, plain: Any) -> None:
    p = PartialJSONParser(trailing_strings=True, hold_numbers=True)
    p.feed(text)
    assert same(p.snapshot(NONE), held)
    assert same(value_of(text, "trailing-strings"), plain)
    assert same(parse_partial(text, trailing_strings=True, hold_numbers=True), None if held is NONE else held)


def only_adds(before: Any, after: Any) -> bool:
    """``after`` keeps everything ``before`` shows; only an unfinished string may grow."""
    if isinstance(before, str):
        return isinstance(after, str) and after.startswith(before)
    if isinstance(before, list):
        return (
            isinstance(after, list)
            and len(after) >= len(before)
            and all(only_adds(x, y) for x, y in zip(before, after[: len(before)], strict=True))
        )
    if isinstance(before, dict):
        return (
            isinstance(after, dict)
            and list(after)[: len(before)] == list(before)
            and all(only_adds(before[k], after[k]) for k in before)
        )
    return same(before, after)


@settings(max_examples=150, deadline=None)
@given(doc=documents(), data=st.data())
def test_hold_numbers_snapshots_only_add(doc: tuple[str, Any], data: st.DataObject) -> None:
    text, value = doc
    for trailing in (False, True):
        p = PartialJSONParser(trailing_strings=trailing, hold_numbers=True)
        fed = 0
        last = NONE
        for piece in data.draw(cuts(text)):
            p.feed(piece)
            fed += len(piece)
            snap = p.snapshot(NONE)
            if last is not NONE:
                assert snap is not NONE and only_adds(last, snap), (text[:fed], last, snap)
            last = snap
            if text[fed - 1] not in "0123456789+-.eE":
                # Not inside a number: the same as from_json.
                assert same(snap, reference(text[:fed], "trailing-strings" if trailing else "on"))
        if text[-1] not in "0123456789":
            assert same(p.snapshot(), value)
