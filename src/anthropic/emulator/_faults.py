"""Faults on demand: what they do, how the header spells them, and which requests get them.

Header grammar (``x-emulator-fault``)::

    fault  = pair *( ";" pair )          ; blanks around ";" and "=" are ignored
    pair   = name "=" value
    name   = "status" | "error_type" | "message" | "retry_after" | "retry_after_ms"
           | "should_retry" | "error_event" | "error_event_after" | "disconnect_after"
           | "eof_after" | "latency_ms" | "times" | "key"

``status`` is 400-599; ``should_retry`` is ``true`` or ``false``; ``retry_after``
is a number of seconds; ``error_type`` and ``error_event`` are error types such
as ``overloaded_error``; ``message`` is the error message (no ``;`` in it);
``key`` is any text without ``;``; the others are non-negative integers.
Values are bounded (see :data:`LIMITS`) so that no fault can hold a
connection or a worker longer than a test would want.
"""

from __future__ import annotations

import dataclasses
import hmac
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ._wire import Rejected, clip

__all__ = ["Fault", "FaultBook", "combine", "parse_fault_header"]

FAULT_HEADER = "x-emulator-fault"


LIMITS: dict[str, float] = {
    "retry_after": 86_400,
    "retry_after_ms": 86_400_000,
    "error_event_after": 1_000_000,
    "disconnect_after": 1 << 31,
    "eof_after": 1 << 31,
    "latency_ms": 600_000,
    "times": 1_000_000_000,
}


@dataclass(frozen=True)
class Fault:
    """What to do to a response instead of, or on top of, serving it normally.

    ``status``: answer with an API-shaped error of that status (type from the
    status, or ``error_type``).  ``retry_after`` / ``retry_after_ms`` /
    ``should_retry`` add the ``retry-after``, ``retry-after-ms`` and
    ``x-should-retry`` headers.  ``error_event``: a 200 stream that sends an
    ``error`` event of that type after ``message_start`` (after
    ``error_event_after`` content deltas when given) and ends; a non-streamed
    request gets the status of that error type instead.  ``disconnect_after``:
    write that many bytes of the response body, then reset the connection.
    ``eof_after``: write that many body bytes, then end the response cleanly.
    ``latency_ms``: pause that long before each streamed event (or once before
    a non-streamed body).  ``times``: only the first ``times`` matching
    requests get the fault.  ``key``: match only requests whose
    ``x-emulator-fault`` header carries ``key=<the same>``.
    """

    status: int | None = None
    error_type: str | None = None
    message: str | None = None
    retry_after: float | None = None
    retry_after_ms: int | None = None
    should_retry: bool | None = None
    error_event: str | None = None
    error_event_after: int | None = None
    disconnect_after: int | None = None
    eof_after: int | None = None
    latency_ms: int | None = None
    times: int | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"Fault.status must be an error status (400-599), not {self.status}")
        for name, limit in LIMITS.items():
            value = getattr(self, name)
            if value is None:
                continue
            if name == "retry_after":
                if not (math.isfinite(value) and 0 <= value <= limit):
                    raise ValueError(f"Fault.retry_after must be a number of seconds from 0 to {limit}")
            elif value < 0:
                raise ValueError(f"Fault.{name} must not be negative")
            elif value > limit:
                raise ValueError(f"Fault.{name} must be at most {limit}")
        for name, size in (("error_type", 64), ("error_event", 64), ("key", 256), ("message", 2048)):
            text = getattr(self, name)
            if text is not None and len(text) > size:
                raise ValueError(f"Fault.{name} must be at most {size} characters")
        if self.error_event_after is not None and self.error_event is None:
            object.__setattr__(self, "error_event", "overloaded_error")

    @property
    def has_effect(self) -> bool:
        return any(
            getattr(self, f.name) is not None
            for f in dataclasses.fields(self)
            if f.name not in ("times", "key")
        )

    def retry_headers(self) -> list[tuple[str, str]]:
        headers = []
        if self.retry_after is not None:
            seconds = self.retry_after
            headers.append(("retry-after", str(int(seconds)) if seconds == int(seconds) else str(seconds)))
        if self.retry_after_ms is not None:
            headers.append(("retry-after-ms", str(self.retry_after_ms)))
        if self.should_retry is not None:
            headers.append(("x-should-retry", "true" if self.should_retry else "false"))
        return headers

    def merged(self, other: Fault | None) -> Fault:
        """This fault with the fields it leaves unset taken from ``other``."""
        if other is None:
            return self
        changes = {
            f.name: getattr(other, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is None and getattr(other, f.name) is not None
        }
        return dataclasses.replace(self, **changes) if changes else self


_INT_FIELDS = (
    "status",
    "retry_after_ms",
    "error_event_after",
    "disconnect_after",
    "eof_after",
    "latency_ms",
    "times",
)
_STR_FIELDS = ("error_event", "error_type", "key", "message")
_DIGITS = re.compile(r"-?\d{1,12}")
_NUMBER = re.compile(r"\d{1,12}(?:\.\d{1,9})?")
_MAX_HEADER_LENGTH = 2048


def parse_fault_header(value: str) -> Fault:
    """The Fault a header value spells; a 400 :class:`Rejected` naming the problem otherwise.

    Error messages quote at most a short prefix of what was sent.
    """
    if len(value) > _MAX_HEADER_LENGTH:
        raise Rejected(400, f"{FAULT_HEADER}: the header is longer than {_MAX_HEADER_LENGTH} characters")
    fields: dict[str, Any] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        name, sep, raw = part.partition("=")
        name, raw = name.strip().lower(), raw.strip()
        where = f"{FAULT_HEADER}: {clip(name, 24, quote=False)}"
        if not sep:
            raise Rejected(400, f"{FAULT_HEADER}: expected name=value, got {clip(part)}")
        try:
            if name in _INT_FIELDS:
                if not _DIGITS.fullmatch(raw):
                    raise ValueError(raw)
                fields[name] = int(raw)
            elif name == "retry_after":
                if not _NUMBER.fullmatch(raw):
                    raise ValueError(raw)
                fields[name] = float(raw)
            elif name == "should_retry":
                if raw.lower() not in ("true", "false", "1", "0"):
                    raise ValueError(raw)
                fields[name] = raw.lower() in ("true", "1")
            elif name in _STR_FIELDS:
                if not raw:
                    raise ValueError(raw)
                fields[name] = raw
            else:
                raise Rejected(400, f"{FAULT_HEADER}: unknown fault {clip(name, 24)}")
        except ValueError:
            raise Rejected(400, f"{where}: invalid value {clip(raw)}") from None
    try:
        return Fault(**fields)
    except ValueError as exc:
        raise Rejected(400, f"{FAULT_HEADER}: {exc}") from None


def combine(*faults: Fault | None) -> Fault | None:
    """The one rule of fault precedence: earlier faults win, field by field.

    The handler calls it as ``combine(header, added, reply)``: the request's
    header first, then the fault added through :meth:`Emulator.add_fault`,
    then the scripted reply's own.
    """
    result: Fault | None = None
    for fault in faults:
        if fault is not None:
            result = fault if result is None else result.merged(fault)
    return result


class FaultBook:
    """Faults added through the Python API, and the use counts of header faults.

    Thread-safe: the server's workers consume faults while a test adds them.
    Memory is bounded: used-up added faults are dropped, and at most
    ``max_header_counts`` header-fault counters are kept (least recently used
    forgotten first).
    """

    def __init__(self, max_header_counts: int = 4096) -> None:
        self._lock = threading.Lock()
        self._added: list[list[Any]] = []  # [fault, uses]
        self._header_uses: OrderedDict[str, int] = OrderedDict()
        self._max_header_counts = max_header_counts

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._added.append([fault, 0])

    def clear(self) -> None:
        with self._lock:
            self._added.clear()
            self._header_uses.clear()

    @property
    def sizes(self) -> tuple[int, int]:
        """``(added faults kept, header counters kept)``."""
        with self._lock:
            return len(self._added), len(self._header_uses)

    def take(
        self, header: Fault | None, header_text: str, authenticated: bool
    ) -> tuple[Fault | None, Fault | None]:
        """``(header fault, added fault)`` that a request gets, each counted as used.

        A request that did not authenticate gets only a header fault that keeps
        no count (no ``times``, no ``key``) and never an added fault, so it
        cannot use up what an authenticated client scripted.
        """
        with self._lock:
            chosen: Fault | None = None
            if header is not None and header.has_effect:
                if header.times is None and header.key is None:
                    chosen = header
                elif authenticated:
                    chosen = self._count_header(header, header_text)
            if not authenticated:
                return chosen, None
            request_key = header.key if header is not None else None
            for entry in self._added:
                fault, uses = entry
                if fault.key is not None and not _same_key(fault.key, request_key):
                    continue
                if fault.times is not None and uses >= fault.times:
                    continue
                entry[1] = uses + 1
                if fault.times is not None and entry[1] >= fault.times:
                    self._added.remove(entry)
                return chosen, fault
            return chosen, None

    def _count_header(self, header: Fault, header_text: str) -> Fault | None:
        identity = "key:" + header.key if header.key is not None else "spec:" + _canonical(header_text)
        used = self._header_uses.pop(identity, 0)
        self._header_uses[identity] = used + 1 if header.times is None or used < header.times else used
        while len(self._header_uses) > self._max_header_counts:
            self._header_uses.popitem(last=False)
        if header.times is None or used < header.times:
            return header
        return None


def _same_key(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _canonical(text: str) -> str:
    return ";".join(sorted(p.strip().replace(" ", "") for p in text.split(";") if p.strip()))
