"""The SSE decoder: one test per WHATWG rule, then any chunking against a plain reference."""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _helpers import client_for, collect_raw, collect_stream, params, sse_body
from anthropic import IncompleteStreamError
from anthropic._sse import ServerSentEvent, SSEDecoder, SSEError
from anthropic.emulator import Emulator, Reply

E = ServerSentEvent


def decode(body: bytes, cuts: Iterable[int] = (), **kwargs: int) -> list[ServerSentEvent]:
    """Feed ``body`` split at ``cuts``, then end it; return every event."""
    dec = SSEDecoder(**kwargs)
    out: list[ServerSentEvent] = []
    start = 0
    for cut in sorted(cuts):
        out += dec.feed(body[start:cut])
        start = cut
    out += dec.feed(body[start:])
    out += dec.end()
    return out


def bytewise(body: bytes) -> list[ServerSentEvent]:
    return decode(body, range(len(body)))


def reference(body: bytes) -> list[ServerSentEvent]:
    """The WHATWG algorithm written out plainly, one line at a time, for comparison.

    One departure, as the decoder's: at the end, an event whose lines all ended
    in a line break is dispatched.
    """
    text = body.decode()
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    unfinished = lines.pop()  # an unterminated last line (or nothing) is never processed
    if not unfinished:
        lines.append("")  # every line arrived whole: the end of the body closes the last event
    out = []
    event, data, last_id, retry = "", None, None, None
    for line in lines:
        if line == "":
            if data is not None:
                out.append(ServerSentEvent(event or None, data, last_id, retry))
            event, data, retry = "", None, None
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            name, value = line, ""
        if name == "data":
            data = value if data is None else data + "\n" + value
        elif name == "event":
            event = value
        elif name == "id":
            if "\0" not in value:
                last_id = value
        elif name == "retry" and value and all(c in "0123456789" for c in value):
            retry = int(value)
    return out


TYPICAL = (
    b"event: content_block_delta\n"
    b'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n'
)


# --- one rule at a time -------------------------------------------------------------------------


def test_typical_event() -> None:
    (ev,) = decode(TYPICAL)
    assert ev.event == "content_block_delta"
    assert ev.json() == {
        "type": "content_block_delta",
        "index": 0,
        "delta": {"type": "text_delta", "text": "Hi"},
    }
    assert ev.id is None and ev.retry is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the three line endings, and mixtures of them
        (b"data: a\n\n", [E(None, "a")]),
        (b"data: a\r\n\r\n", [E(None, "a")]),
        (b"data: a\r\r", [E(None, "a")]),
        (b"data: a\r\n\n", [E(None, "a")]),
        (b"data: a\n\r\n", [E(None, "a")]),
        (b"data: a\r\rdata: b\r\n\r\ndata: c\n\n", [E(None, "a"), E(None, "b"), E(None, "c")]),
        # "\n\r" is two line breaks (LF, then CR), so it is a blank line
        (b"data: a\n\rdata: b\n\n", [E(None, "a"), E(None, "b")]),
        # exactly one space after the colon is removed
        (b"data:a\n\n", [E(None, "a")]),
        (b"data:  a\n\n", [E(None, " a")]),
        (b"data: a \n\n", [E(None, "a ")]),
        (b"data:\ta\n\n", [E(None, "\ta")]),
        # everything after the first colon is the value
        (b"data: a: b:c\n\n", [E(None, "a: b:c")]),
        # a line without a colon is a field with an empty value
        (b"data\n\n", [E(None, "")]),
        (b"data\ndata\n\n", [E(None, "\n")]),
        (b"data:\n\n", [E(None, "")]),
        (b"data: \n\n", [E(None, "")]),
        # several data lines join with "\n"
        (b"data: a\ndata: b\ndata: c\n\n", [E(None, "a\nb\nc")]),
        (b"data: a\ndata:\ndata: c\n\n", [E(None, "a\n\nc")]),
        # comments
        (b": hello\ndata: a\n: again\n\n", [E(None, "a")]),
        (b":\n\n", []),
        (b": only a comment\n\n", []),
        # events without data are not dispatched
        (b"event: ping\n\n", []),
        (b"event: ping\n\ndata: a\n\n", [E(None, "a")]),
        # an empty or missing event name is None
        (b"event:\ndata: a\n\n", [E(None, "a")]),
        (b"event: \ndata: a\n\n", [E(None, "a")]),
        (b": c\nevent: \ndata: a\n\n", [E(None, "a")]),
        (b"event\ndata: a\n\n", [E(None, "a")]),
        (b"event: x\nevent: y\ndata: a\n\n", [E("y", "a")]),
        (b"data: a\nevent: x\n\n", [E("x", "a")]),
        (b"event:x\ndata: a\n\n", [E("x", "a")]),
        # the event name is not carried to the next event
        (b"event: x\ndata: a\n\ndata: b\n\n", [E("x", "a"), E(None, "b")]),
        # unknown fields, and field names are case-sensitive
        (b"foo: bar\ndata: a\n\n", [E(None, "a")]),
        (b"Data: a\nDATA: b\n\n", []),
        (b"Event: x\ndata: a\n\n", [E(None, "a")]),
        (b" data: a\n\n", []),
        # blank lines between events change nothing
        (b"\n\n\ndata: a\n\n\n\n\ndata: b\n\n", [E(None, "a"), E(None, "b")]),
        # NUL and other characters travel in data unchanged
        (b"data: a\x00b\x1bc\n\n", [E(None, "a\x00b\x1bc")]),
        (b"data: \xe2\x80\xa8 \xc2\x85\n\n", [E(None, "\u2028 \x85")]),
    ],
)
def test_rules(body: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode(body) == expected
    assert bytewise(body) == expected
    assert reference(body) == expected


def test_id_persists_and_ignores_nul() -> None:
    body = (
        b"id: 1\ndata: a\n\n"
        b"data: b\n\n"  # keeps the last id
        b"id: 2\n\n"  # no data: not dispatched, but the id is set
        b"data: c\n\n"
        b"id: 3\x004\ndata: d\n\n"  # contains NUL: ignored
        b"id\ndata: e\n\n"  # empty id resets it to ""
    )
    assert decode(body) == [
        E(None, "a", "1"),
        E(None, "b", "1"),
        E(None, "c", "2"),
        E(None, "d", "2"),
        E(None, "e", ""),
    ]


@pytest.mark.parametrize(
    ("line", "retry"),
    [
        (b"retry: 1000", 1000),
        (b"retry:0", 0),
        (b"retry: 007", 7),
        (b"retry: -1", None),
        (b"retry: +1", None),
        (b"retry: 1.5", None),
        (b"retry: 1e3", None),
        (b"retry:  10", None),  # the second space is part of the value
        (b"retry: 10 ", None),
        (b"retry: 1_000", None),
        (b"retry:", None),
        (b"retry", None),
        ("retry: \u0663".encode(), None),  # a digit, but not an ASCII one
    ],
)
def test_retry_counts_only_ascii_digits(line: bytes, retry: int | None) -> None:
    assert decode(line + b"\ndata: a\n\n") == [E(None, "a", None, retry)]


def test_retry_is_per_event() -> None:
    assert decode(b"retry: 5\ndata: a\n\ndata: b\n\n") == [E(None, "a", None, 5), E(None, "b")]
    body = b"retry: 5\ndata: a\n\ndata: b\ndata: c\n\nevent: x\nretry: 6\n\ndata: d\n\n"
    assert decode(body) == [E(None, "a", None, 5), E(None, "b\nc"), E(None, "d")]
    assert bytewise(body) == [E(None, "a", None, 5), E(None, "b\nc"), E(None, "d")]


def test_cr_at_chunk_end_then_lf() -> None:
    body = b"data: a\r\n\r\ndata: b\r\n\r\n"
    for cut in range(len(body) + 1):
        assert decode(body, [cut]) == [E(None, "a"), E(None, "b")], cut
    # a lone CR at the end of one chunk, then a chunk that does not start with LF
    assert decode(b"data: a\r\rdata: b\r\r", [8]) == [E(None, "a"), E(None, "b")]
    # several empty chunks in between do not lose the pending CR
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r") == []
    assert dec.feed(b"") == []
    assert dec.feed(b"\n") == []
    assert dec.pending
    assert dec.feed(b"\r\n") == [E(None, "a")]
    assert not dec.pending


def test_cr_dispatches_without_waiting_for_the_next_chunk() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r\r") == [E(None, "a")]


def test_bom_at_start_is_skipped() -> None:
    body = b"\xef\xbb\xbfdata: a\n\n"
    assert decode(body) == [E(None, "a")]
    for cut in range(1, 5):
        assert decode(body, [cut]) == [E(None, "a")]
        assert decode(body, range(1, cut + 1)) == [E(None, "a")]
    # a BOM that makes the first line's field name unknown is not skipped twice
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n") == [E(None, "b")]
    # BOM bytes later in the stream are ordinary characters
    assert decode(b"data: a\n\n\xef\xbb\xbfdata: b\n\ndata: \xef\xbb\xbf\n\n") == [
        E(None, "a"),
        E(None, "\ufeff"),
    ]


def test_partial_bom_then_other_bytes() -> None:
    # b"\xef\xbb" followed by something else is not a BOM: it is kept and is invalid UTF-8 here
    dec = SSEDecoder()
    assert dec.feed(b"\xef\xbb") == []
    assert dec.pending
    with pytest.raises(SSEError, match=r"invalid UTF-8 in event stream at byte offset 0: b'\\xef\\xbb'"):
        dec.feed(b"x\n\n")


def test_utf8_character_split_across_chunks() -> None:
    text = "data: café 東京 😀\n\n"
    body = text.encode()
    expected = [E(None, "café 東京 😀")]
    for cut in range(len(body) + 1):
        assert decode(body, [cut]) == expected
    assert bytewise(body) == expected


@pytest.mark.parametrize(
    ("body", "offset", "shown"),
    [
        (b"data: \xff\n\n", 6, r"b'\xff'"),
        (b"data: ok\n\ndata: a\xc3\n\n", 17, r"b'\xc3'"),  # cut short by the line break
        (b"data: \xed\xa0\x80\n\n", 6, r"b'\xed'"),  # an encoded surrogate
        (b"data: \xc0\xaf\n\n", 6, r"b'\xc0'"),  # overlong
        (b"\xef\xbb\xbfdata: \x80\n\n", 9, r"b'\x80'"),  # offsets count the BOM
    ],
)
def test_invalid_utf8_raises_with_offset(body: bytes, offset: int, shown: str) -> None:
    for cuts in ([], range(1, len(body))):
        with pytest.raises(SSEError) as info:
            decode(body, cuts)
        message = str(info.value)
        assert "invalid UTF-8" in message
        assert f"byte offset {offset}:" in message
        assert shown in message


def test_line_cap() -> None:
    line = b"data: " + b"x" * 94  # 100 bytes
    assert decode(line + b"\n\n", max_line_bytes=100) == [E(None, "x" * 94)]
    assert decode(line + b"\r\n\r\n", range(0, 104, 7), max_line_bytes=100) == [E(None, "x" * 94)]
    for cuts in ([], [50], range(1, 102), [101]):
        with pytest.raises(SSEError, match=r"longer than max_line_bytes \(99 bytes\)"):
            decode(line + b"\n\n", cuts, max_line_bytes=99)
    # the cap is per line, not per chunk: many short lines in one big chunk are fine
    body = b"data: abc\n" * 1000 + b"\n"
    assert decode(body, max_line_bytes=20) == [E(None, "\n".join(["abc"] * 1000))]
    # a long line inside a big chunk is found
    with pytest.raises(SSEError, match="max_line_bytes"):
        decode(b"data: a\n\n" * 10 + line + b"\n\n", max_line_bytes=99)


def test_line_cap_bounds_memory_without_line_breaks() -> None:
    dec = SSEDecoder(max_line_bytes=1000)
    dec.feed(b"data: ")
    fed = 6
    with pytest.raises(SSEError, match="max_line_bytes"):
        for _ in range(1000):
            fed += 100
            dec.feed(b"x" * 100)
    assert fed == 1006  # raised by the first chunk that took the line over the cap


def test_max_line_bytes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        SSEDecoder(max_line_bytes=0)


def test_pending_and_end() -> None:
    dec = SSEDecoder()
    assert not dec.pending
    assert dec.feed(TYPICAL[:10]) == []
    assert dec.pending  # part of a line
    assert dec.end() == []  # an event cut inside a line is not dispatched
    assert dec.pending
    dec = SSEDecoder()
    assert dec.feed(TYPICAL[:-1]) == []
    assert dec.pending  # whole lines, but no blank line yet
    assert dec.end() == decode(TYPICAL)  # dispatched at the end
    assert not dec.pending
    dec = SSEDecoder()
    assert len(dec.feed(TYPICAL)) == 1
    assert not dec.pending
    assert dec.end() == []


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_end_dispatches_an_unclosed_last_event_whose_lines_are_whole(eol: str) -> None:
    body = eol.join(["event: a", "data: 1", "", "id: 7", ": note", "event: b", "data: {", "data: }", ""])
    for cuts in ([], [len(body) - 1], range(1, len(body))):
        dec = SSEDecoder()
        out: list[ServerSentEvent] = []
        start = 0
        for cut in cuts:
            out += dec.feed(body[start:cut].encode())
            start = cut
        out += dec.feed(body[start:].encode())
        assert out == [E("a", "1")]
        assert dec.end() == [E("b", "{\n}", "7")]
        assert not dec.pending


@pytest.mark.parametrize(
    "tail",
    [b"event: b\ndata: {}", b"event: b\ndata: {}\ndat", b"event: b", b"\xef\xbb", b": comment"],
    ids=["data-line-unfinished", "next-line-unfinished", "event-line-unfinished", "part-of-a-bom", "a-comment"],
)
def test_end_discards_an_event_whose_last_line_is_unfinished(tail: bytes) -> None:
    dec = SSEDecoder()
    body = tail if tail.startswith(b"\xef") else b"data: 0\n\n" + tail
    first = dec.feed(body)
    assert dec.end() == []
    assert first == ([] if tail.startswith(b"\xef") else [E(None, "0")])


def test_end_with_only_comments_or_fields_without_data_dispatches_nothing() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: 0\n\n: keep-alive\nid: 3\nevent: x\n") == [E(None, "0")]
    assert dec.end() == []
    assert not dec.pending


@pytest.mark.parametrize(
    ("body", "pending"),
    [
        (b"", False),
        (b"data: a\n\n", False),
        (b"data: a\n\n: keep-alive\n", False),  # a comment is not part of an event
        (b"data: a\n\n:", True),  # an unterminated line is
        (b"data: a\n", True),
        (b"data: a", True),
        (b"event: x\n", True),
        (b"event:\n", True),
        (b"id: 3\n", True),
        (b"retry: 3\n", True),
        (b"foo\n", True),
        (b"event: x\n\n", False),
        (b"\xef\xbb", True),
        (b"data: a\r", True),
    ],
)
def test_pending_cases(body: bytes, pending: bool) -> None:
    dec = SSEDecoder()
    dec.feed(body)
    assert dec.pending is pending
    dec = SSEDecoder()
    for i in range(len(body)):
        dec.feed(body[i : i + 1])
    assert dec.pending is pending


def test_many_events_in_one_chunk_mixed_shapes() -> None:
    body = (
        TYPICAL * 3
        + b"data: plain\n\n"
        + b": comment\n"
        + TYPICAL
        + b"event: multi\ndata: 1\ndata: 2\n\n"
        + b"id: 7\n"
        + TYPICAL
        + b"event: a\nevent: b\ndata: c\n\n"
        + b"data: x\nevent: late\n\n"
        + TYPICAL
    )
    events = decode(body)
    assert events == reference(body)
    assert [e.event for e in events] == [
        "content_block_delta", "content_block_delta", "content_block_delta", None,
        "content_block_delta", "multi", "content_block_delta", "b", "late", "content_block_delta",
    ]  # fmt: skip
    assert [e.id for e in events] == [None] * 6 + ["7"] * 4
    assert events[5].data == "1\n2"


def test_event_repr_and_equality() -> None:
    ev = E("x", "{}", "1", 5)
    assert repr(ev) == "ServerSentEvent(event='x', data='{}', id='1', retry=5)"
    assert ev == E("x", "{}", "1", 5)
    assert ev != E("x", "{}", "1", None)
    assert ev != ("x", "{}", "1", 5)
    assert E().data == "" and E().event is None
    with pytest.raises(TypeError):
        hash(ev)
    with pytest.raises(AttributeError):
        ev.other = 1  # type: ignore[attr-defined]


def test_json_of_data() -> None:
    assert E(None, '{"a": [1, 2.5, "é"]}').json() == {"a": [1, 2.5, "é"]}
    with pytest.raises(ValueError):
        E(None, "{").json()


# --- any chunking -----------------------------------------------------------------------------

_value_chars = st.text(st.characters(exclude_characters="\r\n", exclude_categories=("Cs",)), max_size=12)
_line = st.one_of(
    st.builds(lambda v: "data: " + v, _value_chars),
    st.builds(lambda v: "data:" + v, _value_chars),
    st.just("data"),
    st.sampled_from(["event: content_block_delta", "event: ping", "event: ", "event:", "event", "event:x"]),
    st.builds(lambda v: "id: " + v, st.sampled_from(["1", "", "a\0b", "x y"])),
    st.builds(lambda v: "retry: " + v, st.sampled_from(["10", "x", "", "007", "-3"])),
    st.builds(lambda v: ":" + v, _value_chars),
    st.sampled_from(["foo: bar", "Data: x", " data: y", "\ufeffdata: z", ""]),
)
_eol = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def sse_bodies(draw: st.DrawFn) -> bytes:
    parts = []
    for line in draw(st.lists(_line, max_size=30)):
        parts.append(line + draw(_eol))
    if draw(st.booleans()):
        parts.append(draw(_line))  # an unterminated last line
    body = "".join(parts).encode()
    if draw(st.booleans()):
        body = b"\xef\xbb\xbf" + body
    return body


@settings(max_examples=300, deadline=None)
@given(body=sse_bodies(), data=st.data())
def test_any_chunking_gives_the_same_events(body: bytes, data: st.DataObject) -> None:
    expected = reference(body)
    assert decode(body) == expected
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=20))
    assert decode(body, cuts) == expected
    assert bytewise(body) == expected


@settings(max_examples=100, deadline=None)
@given(body=sse_bodies(), data=st.data())
def test_line_ending_styles_are_equivalent(body: bytes, data: st.DataObject) -> None:
    lf = re.sub(rb"\r\n|\r", b"\n", body)
    events = decode(lf)
    for style in (b"\r\n", b"\r"):
        other = lf.replace(b"\n", style)
        cuts = data.draw(st.lists(st.integers(0, len(other)), max_size=10))
        assert decode(other, cuts) == events


@settings(max_examples=100, deadline=None)
@given(body=sse_bodies(), data=st.data())
def test_pending_matches_whole_body(body: bytes, data: st.DataObject) -> None:
    whole = SSEDecoder()
    whole.feed(body)
    split = SSEDecoder()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=10)))
    start = 0
    for cut in [*cuts, len(body)]:
        split.feed(body[start:cut])
        start = cut
    assert split.pending == whole.pending
    # a body that ends with a blank line leaves nothing pending
    closed = SSEDecoder()
    closed.feed(body + b"\n\n")
    assert not closed.pending


def test_long_stream_of_typical_events_in_4k_chunks() -> None:
    body = b"".join(
        b"event: content_block_delta\ndata: "
        + json.dumps(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f"{i} é 😀"}}
        ).encode()
        + b"\n\n"
        for i in range(2000)
    )
    events = decode(body, range(4096, len(body), 4096))
    assert len(events) == 2000
    assert [e.json()["delta"]["text"] for e in events] == [f"{i} é 😀" for i in range(2000)]


def test_long_event_of_many_lines_in_small_chunks() -> None:
    # Far more lines than the decoder holds back before it reads them: the event is the same.
    lines = [f"data: {i:05d} {'x' * 90}" for i in range(3000)]
    body = ("event: big\n" + "\n".join(lines) + "\n\n" + "data: after\n\n").encode()
    expected = [E("big", "\n".join(line[6:] for line in lines)), E(None, "after")]
    assert reference(body) == expected
    assert decode(body, range(1000, len(body), 1000)) == expected
    dec = SSEDecoder()
    stop = body.index(b"\n\ndata: after")
    for i in range(0, stop, 700):
        assert dec.feed(body[i : min(i + 700, stop)]) == []
        assert dec.pending
    assert dec.feed(body[stop:]) == expected


def test_comment_only_stream_is_not_pending_and_not_kept() -> None:
    dec = SSEDecoder()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(50000):
            assert dec.feed(b": keep-alive %d\n" % i) == []
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1_000_000  # the lines are read as they pile up, not all held (about 3 MB)
    assert not dec.pending
    assert dec.feed(b"data: a\n\n") == [E(None, "a")]


# --- over the wire: a body whose last event is not closed by a blank line -------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("chunk_size", [None, 1], ids=["whole", "bytewise"])
async def test_a_body_ending_after_the_last_line_break_of_message_stop_is_the_message(
    mode: str, emu: Emulator, ending: str, chunk_size: int | None
) -> None:
    whole = sse_body("text_recorded")
    assert whole.endswith(b"\n\n")
    body = whole[:-2].replace(b"\n", ending.encode()) + ending.encode()
    for reply in (whole, body, whole, body):
        emu.enqueue(Reply.sse(reply, chunk_size=chunk_size))
    async with client_for(mode, emu, max_retries=0) as client:
        expected = await collect_stream(client, **params())
        got = await collect_stream(client, **params())
        raw_expected, _ = await collect_raw(client, **params())
        raw, _ = await collect_raw(client, **params())
    assert got.final_message == expected.final_message
    assert [e.model_dump() for e in got.events] == [e.model_dump() for e in expected.events]
    assert [e.model_dump() for e in raw] == [e.model_dump() for e in raw_expected]
    assert raw[-1].type == "message_stop"


@pytest.mark.anyio
async def test_a_body_cut_inside_the_last_line_of_message_stop_is_still_incomplete(mode: str, emu: Emulator) -> None:
    body = sse_body("text_recorded")[:-3]  # `data: {"type":"message_stop"` without its closing brace
    emu.enqueue(Reply.sse(body))
    async with client_for(mode, emu, max_retries=0) as client:
        with pytest.raises(IncompleteStreamError, match="inside an event") as info:
            await collect_stream(client, **params())
    assert info.value.partial_message.stop_reason == "end_turn"
