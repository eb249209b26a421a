"""The pure retry policy: which replies are retried, and after how long."""

from __future__ import annotations

import email.utils

import pytest

from anthropic._retry import backoff_delay, retry_after_seconds, retry_delay, should_retry_response


@pytest.mark.parametrize(
    ("status", "expected"),
    [(400, False), (401, False), (403, False), (404, False), (408, True), (409, True), (413, False),
     (422, False), (429, True), (500, True), (502, True), (503, True), (504, True), (529, True)],
)
def test_statuses_retried(status: int, expected: bool) -> None:
    assert should_retry_response(status, {}) is expected


def test_should_retry_header_overrides_status() -> None:
    assert should_retry_response(400, {"x-should-retry": "true"}) is True
    assert should_retry_response(529, {"x-should-retry": "false"}) is False
    assert should_retry_response(529, {"x-should-retry": "maybe"}) is True


def test_retry_after_ms_wins_over_retry_after() -> None:
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "7"}) == 0.25


def test_retry_after_seconds_and_http_date() -> None:
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 10, usegmt=True)
    assert retry_after_seconds({"retry-after": date}, now=now) == pytest.approx(10.0, abs=1.0)


@pytest.mark.parametrize(
    "value", ["-1", "61", "3600", "soon", "nan", "", "Sat, 01 Jan 10000 00:00:00 GMT", "Fri, 31 Dec 99999999 23:59:59 GMT"]
)
def test_retry_after_out_of_range_or_garbage_is_ignored(value: str) -> None:
    assert retry_after_seconds({"retry-after": value}) is None


def test_backoff_doubles_to_a_cap_with_jitter() -> None:
    assert backoff_delay(0, rand=0.0) == 0.5
    assert backoff_delay(1, rand=0.0) == 1.0
    assert backoff_delay(3, rand=0.0) == 4.0
    assert backoff_delay(10, rand=0.0) == 8.0
    assert backoff_delay(0, rand=1.0) == pytest.approx(0.375)
    for attempt in range(8):
        assert 0 < backoff_delay(attempt) <= 8.0


def test_retry_delay_gives_up_when_budget_spent() -> None:
    assert retry_delay(0, 0) is None
    assert retry_delay(2, 2) is None
    assert retry_delay(1, 2, {"retry-after": "0"}) == 0.0
    delay = retry_delay(0, 2)
    assert delay is not None and 0.375 <= delay <= 0.5
