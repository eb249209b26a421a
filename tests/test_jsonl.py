"""The JSON-lines decoder: any chunking gives the same values; broken bodies give JSONLError."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anthropic._jsonl import JSONLDecoder, JSONLError

RESULTS = [
    {"custom_id": "a", "result": {"type": "succeeded", "message": {"id": "msg_1", "content": [{"type": "text", "text": "héllo ✓ 🎉"}]}}},
    {"custom_id": "b", "result": {"type": "errored", "error": {"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}}}},
    {"custom_id": "c", "result": {"type": "canceled"}},
    {"custom_id": "d", "result": {"type": "expired"}},
]


def body(values: list[Any], *, newline: bytes = b"\n", final: bool = True) -> bytes:
    lines = [json.dumps(v, ensure_ascii=False).encode() for v in values]
    return newline.join(lines) + (newline if final else b"")


def decode(chunks: list[bytes], **kwargs: Any) -> list[Any]:
    decoder: JSONLDecoder[Any] = JSONLDecoder(**kwargs)
    out: list[Any] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
    out += decoder.end()
    return out


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(max(c, 0), len(data)) for c in cuts})
    pieces, start = [], 0
    for p in points:
        pieces.append(data[start:p])
        start = p
    pieces.append(data[start:])
    return pieces


@settings(max_examples=300, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=30),
    newline=st.sampled_from([b"\n", b"\r\n"]),
    final=st.booleans(),
    blank=st.booleans(),
)
def test_any_chunking_gives_the_same_values(cuts: list[int], newline: bytes, final: bool, blank: bool) -> None:
    data = body(RESULTS, newline=newline, final=final)
    if blank:
        data = newline + data.replace(newline, newline + b"  " + newline, 1)
    assert decode(split_at(data, cuts)) == RESULTS


@settings(max_examples=300, deadline=None)
@given(cut=st.integers(min_value=1, max_value=10_000))
def test_a_body_cut_inside_a_line_is_an_error_carrying_what_was_read(cut: int) -> None:
    data = body(RESULTS)
    cut = cut % (len(data) - 1) + 1
    prefix = data[:cut]
    complete = prefix.count(b"\n")
    if prefix.endswith(b"\n"):
        assert decode([prefix]) == RESULTS[:complete]
        return
    if data[cut : cut + 1] == b"\n":  # only the line end is missing: a file without a final newline
        assert decode([prefix]) == RESULTS[: complete + 1]
        return
    try:
        values = decode([prefix])
    except JSONLError as exc:
        assert exc.truncated
        assert exc.values_read == complete
        assert exc.line == complete + 1
        assert f"ended inside line {complete + 1}" in str(exc)
    else:
        pytest.fail(f"a body cut at {cut} decoded as {values!r}")


def test_a_malformed_line_names_its_number_and_the_count_before_it() -> None:
    data = body(RESULTS[:2]) + b'{"custom_id": "x", "result": \n' + body(RESULTS[2:])
    with pytest.raises(JSONLError, match=r"^Line 3 is not valid JSON .*; 2 line\(s\) were read before it\.$") as info:
        decode([data])
    assert (info.value.line, info.value.values_read, info.value.truncated) == (3, 2, False)


def test_a_rejected_value_names_its_line() -> None:
    def convert(value: Any) -> str:
        if "custom_id" not in value:
            raise ValueError("no custom_id")
        return str(value["custom_id"])

    with pytest.raises(JSONLError, match=r"^Line 2 is not a valid result \(no custom_id\); 1 line\(s\)") as info:
        decode([b'{"custom_id": "a"}\n{"id": 1}\n'], convert=convert)
    assert isinstance(info.value.__cause__, ValueError)
    assert decode([b'{"custom_id": "a"}\n{"custom_id": "b"}'], convert=convert) == ["a", "b"]


def test_an_over_long_line_is_refused_before_it_is_held_whole() -> None:
    decoder: JSONLDecoder[Any] = JSONLDecoder(max_line_bytes=100)
    assert decoder.feed(b'{"a": 1}\n') == [{"a": 1}]
    decoder.feed(b"x" * 60)
    with pytest.raises(JSONLError, match=r"^Line 2 is longer than 100 bytes; 1 line\(s\) were read before it\.$"):
        decoder.feed(b"x" * 60)


def test_an_over_long_line_inside_one_chunk_is_refused() -> None:
    with pytest.raises(JSONLError, match=r"^Line 1 is longer than 10 bytes"):
        decode([b'{"a": "0123456789"}\n'], max_line_bytes=10)


def test_utf8_split_inside_a_character_and_crlf_split_across_chunks() -> None:
    data = body(RESULTS, newline=b"\r\n")
    assert decode([bytes([b]) for b in data]) == RESULTS


def test_empty_body_and_blank_lines_only() -> None:
    assert decode([]) == []
    assert decode([b"\n\r\n  \n"]) == []


def test_feed_after_end_is_a_programming_error() -> None:
    decoder: JSONLDecoder[Any] = JSONLDecoder()
    decoder.end()
    with pytest.raises(RuntimeError, match="after end"):
        decoder.feed(b"{}\n")


def test_memory_held_is_the_unfinished_line_only() -> None:
    decoder: JSONLDecoder[Any] = JSONLDecoder()
    line = json.dumps({"custom_id": "x" * 1000}).encode() + b"\n"
    for _ in range(1000):
        assert len(decoder.feed(line + line[:500])) in (1, 2)
        decoder.feed(line[500:])
        assert not decoder.pending
    assert decoder.values_read == 2000


def test_a_validating_parser_tells_bad_json_from_a_bad_value() -> None:
    import pydantic

    class Result(pydantic.BaseModel):
        custom_id: str

    parse = Result.__pydantic_validator__.validate_json
    assert decode([b'{"custom_id": "a"}\n{"custom_id": "b"}\n'], parse=parse) == [Result(custom_id="a"), Result(custom_id="b")]
    with pytest.raises(JSONLError, match=r"^Line 2 is not a valid result \(custom_id: Field required\); 1 line"):
        decode([b'{"custom_id": "a"}\n{"id": 1}\n'], parse=parse)
    with pytest.raises(JSONLError, match=r"^Line 2 is not valid JSON \(.*\); 1 line"):
        decode([b'{"custom_id": "a"}\n{"custom_id": \n'], parse=parse)
    with pytest.raises(JSONLError, match=r"^The body ended inside line 2") as info:
        decode([b'{"custom_id": "a"}\n{"custom_id": "b'], parse=parse)
    assert info.value.truncated


def test_iter_feed_decodes_each_line_when_the_previous_value_is_taken() -> None:
    converted: list[Any] = []

    def convert(value: Any) -> Any:
        converted.append(value)
        return value

    decoder: JSONLDecoder[Any] = JSONLDecoder(convert)
    values = decoder.iter_feed(b'{"a": 1}\n{"a": 2}\n{"a": \n{"a": 4}\n{"a"')
    assert converted == []
    assert next(values) == {"a": 1}
    assert converted == [{"a": 1}] and decoder.values_read == 1
    assert next(values) == {"a": 2}
    with pytest.raises(JSONLError, match=r"^Line 3 is not valid JSON .*; 2 line\(s\) were read before it\.$"):
        next(values)
    assert decoder.values_read == 2


def test_lines_with_spaces_around_and_crlf_split_inside_one_chunk() -> None:
    assert decode([b'  {"a": 1} \r\n\t{"a": 2}\r\n \r\n{"a": 3}']) == [{"a": 1}, {"a": 2}, {"a": 3}]
