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
"""

from __future__ import annotations

import dataclasses
import math
import threading
from dataclasses import dataclass
from typing import Any

from ._wire import ApiError

__all__ = ["Fault", "FaultBook", "parse_fault_header"]

FAULT_HEADER = "x-emulator-fault"


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
        for name in (
            "error_event_after",
            "disconnect_after",
            "eof_after",
            "latency_ms",
            "times",
            "retry_after_ms",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"Fault.{name} must not be negative")
        if self.retry_after is not None and not (math.isfinite(self.retry_after) and self.retry_after >= 0):
            raise ValueError("Fault.retry_after must be a non-negative number of seconds")
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


def parse_fault_header(value: str) -> Fault:
    """The Fault a header value spells; a 400 :class:`ApiError` naming the problem otherwise."""
    fields: dict[str, Any] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        name, sep, raw = part.partition("=")
        name, raw = name.strip().lower(), raw.strip()
        where = f"{FAULT_HEADER}: {name}"
        if not sep:
            raise ApiError(400, f"{FAULT_HEADER}: expected name=value, got {part!r}")
        try:
            if name in _INT_FIELDS:
                fields[name] = int(raw)
            elif name == "retry_after":
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
                raise ApiError(400, f"{FAULT_HEADER}: unknown fault {name!r}")
        except ValueError:
            raise ApiError(400, f"{where}: invalid value {raw!r}") from None
    try:
        return Fault(**fields)
    except ValueError as exc:
        raise ApiError(400, f"{FAULT_HEADER}: {exc}") from None


class FaultBook:
    """Faults added through the Python API, and the use counts of header faults.

    Thread-safe: the server thread consumes faults while a test adds them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._added: list[list[Any]] = []  # [fault, uses]
        self._header_uses: dict[str, int] = {}

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._added.append([fault, 0])

    def clear(self) -> None:
        with self._lock:
            self._added.clear()
            self._header_uses.clear()

    def take(self, header: Fault | None, header_text: str) -> Fault | None:
        """The fault a request gets, counting it as used; header faults win field by field."""
        with self._lock:
            chosen: Fault | None = None
            if header is not None and header.has_effect:
                identity = (
                    "key:" + header.key if header.key is not None else "spec:" + _canonical(header_text)
                )
                used = self._header_uses.get(identity, 0)
                if header.times is None or used < header.times:
                    self._header_uses[identity] = used + 1
                    chosen = header
            request_key = header.key if header is not None else None
            for entry in self._added:
                fault, uses = entry
                if fault.key is not None and fault.key != request_key:
                    continue
                if fault.times is not None and uses >= fault.times:
                    continue
                entry[1] = uses + 1
                return chosen.merged(fault) if chosen is not None else fault
            return chosen


def _canonical(text: str) -> str:
    return ";".join(sorted(p.strip().replace(" ", "") for p in text.split(";") if p.strip()))
