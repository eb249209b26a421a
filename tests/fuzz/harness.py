"""The fuzz harness: broken stream bodies through the stream core.

Each *mutation* takes a ``random.Random`` and returns bytes: noise, a valid
body with bytes flipped, events shuffled, dropped or repeated, a delta for an
index that does not exist or before its block starts, a second
``message_start``, malformed or hostile JSON, fields of the wrong type,
``error`` events, unknown events, mixed line endings.  :func:`check` feeds one
input to :class:`~anthropic._streaming.StreamCore` (the SSE decoder, the JSON
decoding and the accumulator, exactly as a live stream drives them) whole and
in random pieces, and reports a :class:`Finding` when

* anything but an :class:`~anthropic.AnthropicError` comes out;
* a run ends without an exception although ``message_stop`` never arrived;
* cutting the bytes differently changes the outcome (success or the
  exception's class; on success the events and the final message);
* one run takes more than ``slow_seconds`` of CPU time (other processes do not count).

:func:`check_endless` feeds an endless line (or an endless event) and checks
that it is refused with a typed error while the memory held stays bounded.
"""

from __future__ import annotations

import json
import random
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from anthropic import AnthropicError, APIResponseValidationError, IncompleteStreamError
from anthropic._streaming import StreamCore
from anthropic.lib.streaming._accumulator import MessageAccumulator

from .bodies import Event, encode_events, random_body, random_json, random_text, split_points

__all__ = [
    "MUTATIONS",
    "Finding",
    "Outcome",
    "Stats",
    "check",
    "check_endless",
    "check_seed",
    "describe",
    "fuzz",
    "new_core",
    "run_core",
]

SLOW_SECONDS = 2.0


def new_core(*, beta: bool = False, derived: bool = True) -> StreamCore:
    """A stream core for the plain (or beta) types, as a message stream (or a raw stream) uses it."""
    from anthropic.lib.streaming._tables import beta_table, plain_table

    table = beta_table() if beta else plain_table()
    response = httpx2.Response(
        200,
        headers={"content-type": "text/event-stream", "request-id": "req_fuzz"},
        request=httpx2.Request("POST", "https://api.anthropic.com/v1/messages"),
    )
    return StreamCore(MessageAccumulator(table, derived=derived), response)


@dataclass
class Outcome:
    """What one run through a core produced."""

    objects: list[Any]
    error: BaseException | None
    final: Any = None
    stopped: bool = False
    seconds: float = 0.0  # CPU time of the run

    @property
    def kind(self) -> str:
        return "ok" if self.error is None else type(self.error).__name__


def run_core(
    body: bytes, cuts: list[int] | None = None, *, beta: bool = False, derived: bool = True
) -> Outcome:
    """Feed ``body`` (split at ``cuts``) to a fresh core, then end it; never raises."""
    core = new_core(beta=beta, derived=derived)
    objects: list[Any] = []
    started = time.process_time()
    try:
        start = 0
        for cut in [*(cuts or ()), len(body)]:
            objects.extend(core.feed(body[start:cut]))
            start = cut
        objects.extend(core.end())
        final = core.accumulator.final_message() if derived else None
    except BaseException as exc:  # everything is judged by the caller
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Outcome(objects, exc, seconds=time.process_time() - started)
    return Outcome(objects, None, final, core.accumulator.stopped, time.process_time() - started)


def describe(obj: Any) -> tuple[str, Any]:
    """An event as a comparable value: its class and its full dump."""
    return type(obj).__name__, obj.model_dump(mode="json")


@dataclass
class Finding:
    mutation: str
    seed: int | None
    problem: str
    body: bytes
    detail: str = ""

    def __str__(self) -> str:
        return f"[{self.mutation} seed={self.seed}] {self.problem}: {self.detail}"


# -- mutations --------------------------------------------------------------------------------

_VOCAB = [
    b"event: ",
    b"event:",
    b"data: ",
    b"data:",
    b"id: 1",
    b"retry: 5",
    b": c",
    b"\n",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"{",
    b"}",
    b"[",
    b'"type"',
    b":",
    b",",
    b'"message_start"',
    b'"content_block_delta"',
    b'"index"',
    b"0",
    b'"text_delta"',
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xe6\xbc",
    b"\xf0\x9f\x98",
    b"\x00",
]


def _valid(rng: random.Random) -> tuple[dict[str, Any], list[Event]]:
    message, events, _ = random_body(rng)
    return message, events


def m_noise(rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(0, 3000))


def m_sse_noise(rng: random.Random) -> bytes:
    parts = [
        rng.choice(_VOCAB) if rng.random() < 0.8 else rng.randbytes(rng.randint(1, 8))
        for _ in range(rng.randint(0, 400))
    ]
    return b"".join(parts)


def m_bytes(rng: random.Random) -> bytes:
    _, _, body = random_body(rng)
    data = bytearray(body)
    for _ in range(rng.randint(1, 6)):
        if not data:
            break
        at = rng.randrange(len(data))
        roll = rng.random()
        if roll < 0.3:
            data[at] = rng.randrange(256)
        elif roll < 0.5:
            data[at:at] = rng.randbytes(rng.randint(1, 4))
        elif roll < 0.7:
            del data[at : at + rng.randint(1, 16)]
        elif roll < 0.85:
            end = min(len(data), at + rng.randint(1, 200))
            data[end:end] = data[at:end]
        else:
            data[at:at] = rng.choice(_VOCAB)
    return bytes(data)


def m_truncate(rng: random.Random) -> bytes:
    _, _, body = random_body(rng)
    return body[: rng.randint(0, max(0, len(body) - 2))]


def m_shuffle(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    if rng.random() < 0.3:
        rng.shuffle(events)
    else:
        for _ in range(rng.randint(1, 3)):
            i, j = rng.randrange(len(events)), rng.randrange(len(events))
            events[i], events[j] = events[j], events[i]
    return encode_events(events, rng)


def m_drop(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    for _ in range(rng.randint(1, 3)):
        if events:
            del events[rng.randrange(len(events))]
    return encode_events(events, rng)


def m_duplicate(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    i = 0 if rng.random() < 0.3 else rng.randrange(len(events))  # often a second message_start
    events.insert(rng.randint(i, len(events)), events[i])
    return encode_events(events, rng)


def _block_events(events: list[Event]) -> list[int]:
    return [i for i, (name, _) in enumerate(events) if name.startswith("content_block")]


def m_bad_index(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    targets = _block_events(events)
    if targets:
        i = rng.choice(targets)
        name, data = events[i]
        bad = rng.choice([len(events), 99, -1, "0", None, 1.5, 10**20, True, [0]])
        events[i] = (name, {**data, "index": bad})
    return encode_events(events, rng)


def m_early_delta(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    deltas = [i for i, (name, _) in enumerate(events) if name == "content_block_delta"]
    if deltas:
        i = rng.choice(deltas)
        index = events[i][1]["index"]
        start = next(
            k for k, (name, d) in enumerate(events) if name == "content_block_start" and d["index"] == index
        )
        events.insert(rng.randint(0, start), events.pop(i))
    return encode_events(events, rng)


def _hostile_json(rng: random.Random, good: str) -> str:
    depth = rng.choice([50, 1000, 100_000])
    return rng.choice(
        [
            good[: rng.randint(0, max(0, len(good) - 1))],
            good + rng.choice(["}", "]", ",", " x", "\x00"]),
            good.replace('"', "'", 1),
            "[" * depth + "]" * depth,
            '{"a":' * depth + "1" + "}" * depth,
            '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "\\ud800"}}',
            '{"type": "ping", "type": "message_stop"}',
            "NaN",
            '{"type": "message_delta", "delta": {}, "usage": {"output_tokens": 1e400}}',
            "1" * rng.choice([10, 5000]),
            "",
            "null",
            '"message_start"',
        ]
    )


def m_bad_json(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    i = rng.randrange(len(events))
    name, data = events[i]
    body = encode_events(events[:i])
    body += f"event: {name}\ndata: {_hostile_json(rng, json.dumps(data))}\n\n".encode()
    return body + encode_events(events[i + 1 :])


def _wrong(rng: random.Random) -> Any:
    return rng.choice([None, 0, -1, 1.5, "", "x", [], [1], {}, {"type": 3}, True, random_json(rng)])


def m_bad_shape(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    i = rng.randrange(len(events))
    name, data = events[i]
    data = json.loads(json.dumps(data))
    holder: Any = data
    for key in ("message", "content_block", "delta", "usage"):  # go one level deeper now and then
        if isinstance(holder.get(key), dict) and rng.random() < 0.5:
            holder = holder[key]
            break
    if holder:
        key = rng.choice(list(holder))
        if rng.random() < 0.2:
            del holder[key]
        else:
            holder[key] = _wrong(rng)
    events[i] = (name, data)
    return encode_events(events, rng)


def m_error_event(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    kind = rng.choice(
        [
            "overloaded_error",
            "api_error",
            "rate_limit_error",
            "invalid_request_error",
            "brand_new_error",
            None,
            7,
        ]
    )
    error: Any = {"type": kind, "message": random_text(rng)}
    if rng.random() < 0.2:
        error = _wrong(rng)
    events.insert(rng.randint(0, len(events)), ("error", {"type": "error", "error": error}))
    return encode_events(events, rng)


def m_unknown(rng: random.Random) -> bytes:
    _, events = _valid(rng)
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        at = rng.randint(0, len(events))
        if roll < 0.4:
            events.insert(at, ("mystery", {"type": "mystery_" + random_text(rng, 5), "x": random_json(rng)}))
        elif roll < 0.7:
            starts = [d["index"] for n, d in events[:at] if n == "content_block_start"]
            if starts:
                delta = {"type": "future_delta", "payload": random_json(rng)}
                events.insert(
                    at,
                    (
                        "content_block_delta",
                        {"type": "content_block_delta", "index": rng.choice(starts), "delta": delta},
                    ),
                )
        else:
            events.insert(at, ("", {"type": random_text(rng, 6)}))
    return encode_events(events, rng)


def m_line_endings(rng: random.Random) -> bytes:
    _, _, body = random_body(rng)
    text = body.decode("utf-8", "replace")
    out = []
    for ch in text:
        if ch == "\n" and rng.random() < 0.4:
            out.append(rng.choice(["\r", "\r\n", "\n\r", "\n\n", "\r\r"]))
        else:
            out.append(ch)
    return "".join(out).encode()


MUTATIONS: dict[str, Callable[[random.Random], bytes]] = {
    "noise": m_noise,
    "sse_noise": m_sse_noise,
    "bytes": m_bytes,
    "truncate": m_truncate,
    "shuffle": m_shuffle,
    "drop": m_drop,
    "duplicate": m_duplicate,
    "bad_index": m_bad_index,
    "early_delta": m_early_delta,
    "bad_json": m_bad_json,
    "bad_shape": m_bad_shape,
    "error_event": m_error_event,
    "unknown": m_unknown,
    "line_endings": m_line_endings,
}


# -- checking ---------------------------------------------------------------------------------


@dataclass
class Stats:
    inputs: int = 0
    runs: int = 0
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, mutation: str, kind: str) -> None:
        per = self.outcomes.setdefault(mutation, {})
        per[kind] = per.get(kind, 0) + 1


def _comparable(outcome: Outcome) -> Any:
    if outcome.error is not None:
        return outcome.kind
    with warnings.catch_warnings():
        # A field of the wrong type in a known block (a number for a signature) is kept as sent,
        # the models being tolerant; pydantic warns when dumping it.  Not what is checked here.
        warnings.simplefilter("ignore", UserWarning)
        final = outcome.final.model_dump(mode="json") if outcome.final is not None else None
        return "ok", [describe(o) for o in outcome.objects], final


def _equivalent(a: Outcome, b: Outcome) -> bool:
    """Whether two runs of one body agree, given their comparables differ."""
    # Complete lines of an event not yet closed by its blank line are held undecoded, so
    # invalid UTF-8 in the last, unfinished event of a body is reported when the body comes
    # in one piece and not when it comes in several (the stream is then incomplete): both
    # are typed failures, neither is a result.
    # A body with two defects may show either first, depending on where it was cut: any two
    # protocol errors (ToolInputJSONError is one) agree, as their kinds did before it existed.
    if isinstance(a.error, APIResponseValidationError) and isinstance(b.error, APIResponseValidationError):
        return True
    errors = {type(a.error), type(b.error)}
    if errors == {IncompleteStreamError, APIResponseValidationError}:
        return any("invalid UTF-8" in str(o.error) for o in (a, b))
    return False


def check(
    body: bytes,
    rng: random.Random,
    *,
    mutation: str = "?",
    seed: int | None = None,
    stats: Stats | None = None,
    slow_seconds: float = SLOW_SECONDS,
) -> list[Finding]:
    """Run ``body`` through cores whole and in random pieces; return what was wrong."""
    findings: list[Finding] = []
    beta = rng.random() < 0.25
    derived = rng.random() < 0.75
    splits: list[list[int]] = [[], split_points(rng, len(body), 12)]
    if len(body) <= 1500 and rng.random() < 0.3:
        splits.append(list(range(1, len(body))))  # byte by byte
    seen: list[tuple[list[int], Outcome, Any]] = []
    for cuts in splits:
        outcome = run_core(body, cuts, beta=beta, derived=derived)
        if stats is not None:
            stats.runs += 1
        where = f"cuts={cuts[:20]}{'...' if len(cuts) > 20 else ''} beta={beta} derived={derived}"
        if outcome.error is not None and not isinstance(outcome.error, AnthropicError):
            findings.append(
                Finding(
                    mutation,
                    seed,
                    f"raw {type(outcome.error).__name__}",
                    body,
                    f"{outcome.error!r} ({where})",
                )
            )
            continue
        if outcome.error is None and not outcome.stopped:
            findings.append(Finding(mutation, seed, "a result without message_stop", body, where))
        if outcome.seconds > slow_seconds:
            findings.append(Finding(mutation, seed, f"slow: {outcome.seconds:.2f} s", body, where))
        try:
            comparable = _comparable(outcome)
        except Exception as exc:  # dumping a result must work too
            findings.append(Finding(mutation, seed, "the result cannot be dumped", body, repr(exc)))
            continue
        seen.append((cuts, outcome, comparable))
    if stats is not None:
        stats.inputs += 1
        if seen:
            stats.count(mutation, seen[0][1].kind)
    for cuts, outcome, comparable in seen[1:]:
        if comparable != seen[0][2] and not _equivalent(outcome, seen[0][1]):
            findings.append(
                Finding(
                    mutation,
                    seed,
                    "the outcome depends on how the bytes were cut",
                    body,
                    f"whole: {seen[0][1].kind} {seen[0][1].error!r:.300}; cuts={cuts[:20]}: {outcome.kind} "
                    f"{outcome.error!r:.300} (beta={beta} derived={derived})",
                ),
            )
    return findings


def check_endless(
    kind: str, *, total: int = 48 << 20, chunk: int = 1 << 16
) -> tuple[BaseException | None, int, int]:
    """Feed an endless ``line`` (no line break) or ``event`` (data lines, no blank line).

    Returns (the exception raised, bytes fed before it, peak bytes allocated
    meanwhile); the caller decides what is acceptable.
    """
    core = new_core()
    head = b'event: message_start\ndata: {"type": "message_start", "message": {"id": "m", "content": [], '
    line = b"x" if kind == "line" else b"data: " + b"y" * 58 + b"\n"
    fed = 0
    tracemalloc.start()
    try:
        list(core.feed(head))
        while fed < total:
            piece = line * (chunk // len(line))  # a new object each time, as a socket read gives
            list(core.feed(piece))
            fed += len(piece)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return exc, fed, tracemalloc.get_traced_memory()[1]
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return None, fed, peak


def check_seed(seed: int, mutations: list[str] | None = None, stats: Stats | None = None) -> list[Finding]:
    """Build the input of ``seed`` and check it: the same seed always checks the same things."""
    names = mutations or list(MUTATIONS)
    name = names[seed % len(names)]
    rng = random.Random(seed)
    body = MUTATIONS[name](rng)
    return check(body, rng, mutation=name, seed=seed, stats=stats)


def fuzz(
    seconds: float,
    *,
    seed: int = 0,
    max_inputs: int | None = None,
    mutations: list[str] | None = None,
    on_finding: Callable[[Finding], None] | None = None,
) -> tuple[Stats, list[Finding]]:
    """Check the inputs of consecutive seeds until the time or the input budget runs out."""
    stats = Stats()
    findings: list[Finding] = []
    deadline = time.monotonic() + seconds
    n = seed
    while time.monotonic() < deadline and (max_inputs is None or stats.inputs < max_inputs):
        for finding in check_seed(n, mutations, stats):
            findings.append(finding)
            if on_finding is not None:
                on_finding(finding)
        n += 1
    return stats, findings
