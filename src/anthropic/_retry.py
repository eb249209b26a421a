"""The retry policy: pure functions, no I/O, no clock; the only place retries are decided.

:func:`next_retry_delay` decides, for one failed attempt (an error status, an
``error`` event judged like its status, or a transport failure), whether to
try again and after how long.  The senders and the stream pumps of both
colours call it the same way and differ only in how they sleep.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

if TYPE_CHECKING:
    from ._errors import APIError

__all__ = ["backoff_delay", "next_retry_delay", "retry_after_seconds", "retry_delay", "should_retry_response"]

RETRYABLE_STATUSES = frozenset({408, 409, 429})


def should_retry_response(status: int, headers: Mapping[str, str]) -> bool:
    """Whether a reply with this status and these headers is worth another attempt.

    ``x-should-retry: true`` / ``false`` from the server decides when present.
    """
    hint = headers.get("x-should-retry")
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def retry_after_seconds(headers: Mapping[str, str] | None, *, now: float | None = None) -> float | None:
    """The server's requested wait, from ``retry-after-ms`` then ``retry-after``.

    ``retry-after`` may be a number of seconds or an HTTP date.  Returns ``None``
    when absent, unparsable, or outside (0, 60] seconds.
    """
    if not headers:
        return None
    seconds: float | None = None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            seconds = float(raw_ms) / 1000.0
        except ValueError:
            seconds = None
    if seconds is None:
        raw = headers.get("retry-after")
        if raw is not None:
            try:
                seconds = float(raw)
            except ValueError:
                try:
                    parsed = email.utils.parsedate_tz(raw)
                    if parsed is not None:
                        stamp = email.utils.mktime_tz(parsed)
                        seconds = stamp - (time.time() if now is None else now)
                except (ValueError, OverflowError, TypeError):  # a date beyond what time can hold
                    seconds = None
    if seconds is None or seconds != seconds:  # NaN
        return None
    if 0 <= seconds <= MAX_RETRY_AFTER:
        return seconds
    return None


def backoff_delay(retries_taken: int, *, rand: float | None = None) -> float:
    """Exponential backoff from 0.5 s, doubling up to 8 s, with up to 25 % jitter removed."""
    delay = min(INITIAL_RETRY_DELAY * (2.0**retries_taken), MAX_RETRY_DELAY)
    jitter = 1.0 - 0.25 * (random.random() if rand is None else rand)
    return max(delay * jitter, 0.0)


def retry_delay(
    retries_taken: int,
    max_retries: int,
    headers: Mapping[str, str] | None = None,
) -> float | None:
    """Seconds to wait before the next attempt, or ``None`` to give up.

    ``retries_taken`` counts the retries already made (0 after the first attempt).
    """
    if retries_taken >= max_retries:
        return None
    after = retry_after_seconds(headers)
    if after is not None:
        return after
    return backoff_delay(retries_taken)


def next_retry_delay(
    error: APIError,
    headers: Mapping[str, str] | None,
    retries_taken: int,
    max_retries: int,
) -> float | None:
    """Seconds before the next attempt after ``error``, or ``None`` to raise it.

    An error status (or an ``error`` event, carrying the status of its type) is
    retried as :func:`should_retry_response` says, with the reply's headers; a
    transport failure (refused, reset, timed out, cut short) is retried; an
    unusable reply is not.  The caller checks first that nothing had reached
    its user.
    """
    from ._errors import APIConnectionError, APIStatusError

    if isinstance(error, APIStatusError):
        if not should_retry_response(error.status_code, headers or {}):
            return None
    elif not isinstance(error, APIConnectionError):
        return None
    return retry_delay(retries_taken, max_retries, headers)
