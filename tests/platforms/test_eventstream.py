"""The AWS event-stream decoder: table tests, any chunking, any defect, and botocore as an oracle."""

from __future__ import annotations

import base64
import datetime as dt
import json
import struct
import tracemalloc
import uuid
from collections.abc import Iterable
from zlib import crc32

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anthropic.lib.bedrock._eventstream import (
    ChecksumError,
    EventStreamDecoder,
    EventStreamError,
    EventStreamMessage,
    HeaderError,
    HeaderType,
    HeaderValue,
    LengthError,
    TruncatedError,
    encode_message,
)

CHUNK_HEADERS = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}


def decode(body: bytes, cuts: Iterable[int] = ()) -> list[EventStreamMessage]:
    """Feed ``body`` split at ``cuts``, end it, and return every message."""
    dec = EventStreamDecoder()
    out: list[EventStreamMessage] = []
    start = 0
    for cut in sorted(set(cuts)):
        out += dec.feed(body[start:cut])
        start = cut
    out += dec.feed(body[start:])
    dec.end()
    assert not dec.pending
    return out


def chunk(event: dict[str, object]) -> bytes:
    payload = json.dumps({"bytes": base64.b64encode(json.dumps(event).encode()).decode()}).encode()
    return encode_message(CHUNK_HEADERS, payload)


def raw_message(headers: bytes, payload: bytes = b"", *, total: int | None = None) -> bytes:
    """A message with a hand-made header block (checksums right unless the caller breaks them)."""
    total = 16 + len(headers) + len(payload) if total is None else total
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", crc32(prelude))
    body = prelude + headers + payload
    return body + struct.pack(">I", crc32(body))


# -- the wire format, by hand -------------------------------------------------------------------


def test_known_bytes_of_an_empty_message() -> None:
    # total 16, headers 0, CRC32 of the 8 prelude bytes, then CRC32 of the 12 prelude bytes.
    body = encode_message({})
    assert body[:8] == b"\x00\x00\x00\x10\x00\x00\x00\x00"
    assert body[8:12] == struct.pack(">I", crc32(body[:8]))
    assert body[12:] == struct.pack(">I", crc32(body[:12]))
    assert decode(body) == [EventStreamMessage({}, b"")]


def test_every_header_value_type_round_trips() -> None:
    when = dt.datetime(2025, 5, 31, 12, 30, 15, 123000, tzinfo=dt.timezone.utc)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    headers = {
        "t": True,
        "f": False,
        "byte": HeaderValue(HeaderType.BYTE, -128),
        "short": HeaderValue(HeaderType.SHORT, -32768),
        "int": HeaderValue(HeaderType.INTEGER, 2**31 - 1),
        "long": HeaderValue(HeaderType.LONG, -(2**63)),
        "bytes": b"\x00\xff binary",
        "str": "caf\u00e9 \U0001f600",
        "ts": when,
        "uuid": ident,
    }
    [message] = decode(encode_message(headers, b"payload"))
    assert dict(message.headers) == {
        "t": True,
        "f": False,
        "byte": -128,
        "short": -32768,
        "int": 2**31 - 1,
        "long": -(2**63),
        "bytes": b"\x00\xff binary",
        "str": "caf\u00e9 \U0001f600",
        "ts": when,
        "uuid": ident,
    }
    assert message.payload == b"payload"
    # the type bytes on the wire are the ones AWS defines
    block = encode_message({"s": HeaderValue(HeaderType.SHORT, 7)})[12:-4]
    assert block == b"\x01s\x03\x00\x07"


def test_headers_are_read_only_and_shared_between_identical_blocks() -> None:
    a, b = decode(chunk({"type": "ping"}) + chunk({"type": "ping", "n": 1}))
    assert a.headers is b.headers
    with pytest.raises(TypeError):
        a.headers[":event-type"] = "x"  # type: ignore[index]


def test_ints_pick_integer_or_long_by_size() -> None:
    assert encode_message({"i": 5})[12:-4] == b"\x01i\x04" + struct.pack(">i", 5)
    assert encode_message({"i": 2**40})[12:-4] == b"\x01i\x05" + struct.pack(">q", 2**40)


# -- defects: each a typed error naming what is wrong ----------------------------------------------


def test_prelude_checksum_mismatch() -> None:
    body = bytearray(encode_message({"a": "b"}, b"x"))
    body[8] ^= 1
    with pytest.raises(ChecksumError, match=r"prelude checksum mismatch at byte offset 0"):
        EventStreamDecoder().feed(bytes(body))


def test_message_checksum_mismatch_in_the_second_message() -> None:
    first = encode_message({"a": "b"}, b"x")
    second = bytearray(encode_message({"a": "b"}, b"payload"))
    second[-6] ^= 0x40  # a payload byte
    dec = EventStreamDecoder()
    with pytest.raises(
        ChecksumError, match=rf"message checksum mismatch for the message at byte offset {len(first)}"
    ):
        dec.feed(first + bytes(second))
    # the decoder is spent: the same error again, nothing returned
    with pytest.raises(ChecksumError):
        dec.feed(b"")


@pytest.mark.parametrize(
    ("total", "hlen", "match"),
    [
        (15, 0, "less than the 16 bytes of an empty message"),
        (0, 0, "less than the 16 bytes"),
        (20, 5, "claims 5 bytes of headers in a message of 20 bytes"),
        (2**32 - 1, 2**32 - 20, "claims 4294967276 bytes of headers"),
        (2**32 - 1, 0, "more than max_payload_bytes"),
        (16 + 200 * 1024, 200 * 1024, "more than max_headers_bytes"),
    ],
)
def test_impossible_lengths_are_refused_from_the_prelude_alone(total: int, hlen: int, match: str) -> None:
    prelude = struct.pack(">II", total, hlen)
    prelude += struct.pack(">I", crc32(prelude))
    dec = EventStreamDecoder()
    with pytest.raises(LengthError, match=match):
        dec.feed(prelude)


def test_a_huge_claimed_length_holds_no_memory() -> None:
    # 16 MiB claimed and allowed: bytes are held as they come, never the claimed size up front.
    total = 16 * 1024 * 1024
    prelude = struct.pack(">II", total, 0)
    prelude += struct.pack(">I", crc32(prelude))
    dec = EventStreamDecoder()
    tracemalloc.start()
    try:
        assert dec.feed(prelude + b"x" * 1000) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024
    with pytest.raises(TruncatedError, match=r"only 1012 of the 16777216 bytes of a message arrived"):
        dec.end()


def test_limits_are_configurable() -> None:
    body = encode_message({}, b"x" * 100)
    with pytest.raises(LengthError, match=r"payload of 100 bytes, more than max_payload_bytes \(99\)"):
        EventStreamDecoder(max_payload_bytes=99).feed(body)
    assert EventStreamDecoder(max_payload_bytes=100).feed(body) == [EventStreamMessage({}, b"x" * 100)]


@pytest.mark.parametrize(
    ("block", "match"),
    [
        (b"\x00", "has an empty name"),
        (b"\x05ab", "runs past the end of its header block"),
        (b"\x01a", "runs past the end of its header block"),
        (b"\x01a\x0a", "has unknown value type 10"),
        (b"\x01a\x07\x00\x05abc", "claims a 5-byte value that runs past"),
        (b"\x01a\x07\x00", "runs past the end"),
        (b"\x01a\x04\x00\x00", "runs past the end"),
        (b"\x01a\x07\x00\x02\xff\xfe", "string value that is not valid UTF-8"),
        (b"\x02\xff\xfe\x00", "header name at byte offset 13 is not valid UTF-8"),
        (b"\x01a\x00\x01a\x01", "'a' appears twice"),
    ],
)
def test_malformed_headers(block: bytes, match: str) -> None:
    with pytest.raises(HeaderError, match=match):
        EventStreamDecoder().feed(raw_message(block))


def test_truncation_inside_the_prelude_and_inside_the_body() -> None:
    body = encode_message({"a": "b"}, b"xyz")
    dec = EventStreamDecoder()
    assert dec.feed(body[:5]) == []
    assert dec.pending
    with pytest.raises(TruncatedError, match=r"only 5 of the 12 bytes of a message prelude arrived"):
        dec.end()
    dec = EventStreamDecoder()
    assert dec.feed(body + body[:-1]) == [EventStreamMessage({"a": "b"}, b"xyz")]
    with pytest.raises(
        TruncatedError, match=rf"byte offset {len(body)}: only {len(body) - 1} of the {len(body)} bytes"
    ):
        dec.end()


def test_clean_end_and_empty_feeds() -> None:
    dec = EventStreamDecoder()
    assert dec.feed(b"") == []
    dec.end()
    assert decode(b"") == []


# -- properties ---------------------------------------------------------------------------------

header_values = st.one_of(
    st.booleans(),
    st.builds(HeaderValue, st.just(HeaderType.BYTE), st.integers(-128, 127)),
    st.builds(HeaderValue, st.just(HeaderType.SHORT), st.integers(-(2**15), 2**15 - 1)),
    st.integers(-(2**63), 2**63 - 1),
    st.binary(max_size=40),
    st.text(max_size=40),
    st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(2200, 1, 1),
        timezones=st.just(dt.timezone.utc),
    ).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
    st.uuids(),
)
messages = st.tuples(
    st.dictionaries(
        st.text(min_size=1, max_size=12).filter(lambda s: len(s.encode()) < 256), header_values, max_size=5
    ),
    st.binary(max_size=200),
)


def expected(headers: dict[str, object]) -> dict[str, object]:
    return {k: (v.value if isinstance(v, HeaderValue) else v) for k, v in headers.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messages, max_size=6), st.data())
def test_any_chunking_gives_the_same_messages(
    msgs: list[tuple[dict[str, object], bytes]], data: st.DataObject
) -> None:
    body = b"".join(encode_message(h, p) for h, p in msgs)  # type: ignore[arg-type]
    want = [EventStreamMessage(expected(h), p) for h, p in msgs]  # type: ignore[arg-type]
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=12))
    assert decode(body, cuts) == want
    assert decode(body, range(len(body))) == want


@settings(max_examples=300, deadline=None)
@given(st.lists(messages, min_size=1, max_size=4), st.data())
def test_any_truncation_is_a_typed_error_never_a_short_result(
    msgs: list[tuple[dict[str, object], bytes]], data: st.DataObject
) -> None:
    frames = [encode_message(h, p) for h, p in msgs]  # type: ignore[arg-type]
    body = b"".join(frames)
    boundaries = {0}
    for frame in frames:
        boundaries.add(max(boundaries) + len(frame))
    cut = data.draw(st.integers(0, len(body) - 1).filter(lambda c: c not in boundaries))
    dec = EventStreamDecoder()
    got = dec.feed(body[:cut])
    # only whole messages come out, and exactly those before the cut
    assert len(got) == sum(1 for b in boundaries if 0 < b <= cut)
    with pytest.raises(TruncatedError):
        dec.end()


@settings(max_examples=400, deadline=None)
@given(st.lists(messages, min_size=1, max_size=3), st.data())
def test_any_corrupted_byte_is_a_typed_error(
    msgs: list[tuple[dict[str, object], bytes]], data: st.DataObject
) -> None:
    body = bytearray(b"".join(encode_message(h, p) for h, p in msgs))  # type: ignore[arg-type]
    where = data.draw(st.integers(0, len(body) - 1))
    flip = data.draw(st.integers(1, 255))
    body[where] ^= flip
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=4))
    # a flipped byte is always caught: by a checksum, a length check, or (if a length now
    # reaches past the end) as a truncation; never a different list of messages
    with pytest.raises(EventStreamError):
        decode(bytes(body), cuts)


# -- botocore as an independent oracle ----------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(messages, max_size=4))
def test_botocore_reads_what_we_write(msgs: list[tuple[dict[str, object], bytes]]) -> None:
    eventstream = pytest.importorskip("botocore.eventstream")
    body = b"".join(encode_message(h, p) for h, p in msgs)  # type: ignore[arg-type]
    buf = eventstream.EventStreamBuffer()
    buf.add_data(body)
    theirs = list(buf)
    assert len(theirs) == len(msgs)
    for theirs_msg, (headers, payload) in zip(theirs, msgs, strict=True):
        assert theirs_msg.payload == payload
        for name, value in expected(headers).items():
            got = theirs_msg.headers[name]
            if isinstance(value, dt.datetime):
                value = (value - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(
                    milliseconds=1
                )
            elif isinstance(value, uuid.UUID):
                value = value.bytes
            assert got == value
