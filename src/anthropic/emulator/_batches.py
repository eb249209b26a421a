"""The Message Batches engine: create, process, list, cancel, delete and serve results.

:class:`BatchStore` is pure in the sense that matters for a router: every
public method takes plain values and returns ``(status, body)``, where
``body`` is a JSON-able value (a batch, a page, a deleted-batch object or an
API error body without its ``request_id``) or, for
:meth:`BatchStore.results`, the results file as bytes.  No sockets in it and
no threads, only the lock that lets the handler's threads and a worker
thread share one store; time comes from the ``clock`` callable given, so
tests drive it by hand.  :func:`batch_routes` serves a store through the
emulator's handler (key, faults and the request record as for every route;
errors become :class:`~._wire.Rejected`), and :class:`BatchWorker` is the
thread that steps it in real time.

What it does, as the API does:

* **create** checks the envelope at once: ``requests`` holds 1 to 100,000
  items, the body is at most 256 MB, each item has a ``custom_id`` matching
  ``^[a-zA-Z0-9_-]{1,64}$`` (unique within the batch) and an object
  ``params``.  Each ``params`` is checked by the ``validate`` callable *while
  the batch is processed*, as the API does: a request that fails it becomes
  an ``errored`` result carrying the 400 error, the batch is still accepted.
  (``validate_at_create=True`` rejects the whole batch with a 400 naming the
  request instead.)
* **processing** happens in :meth:`BatchStore.step`, called by a worker (or a
  test): each request's ``params`` go to the ``reply`` callable, the same rule
  as ``POST /v1/messages``, which returns a message dict or raises/returns an
  API error (any exception with ``status``, ``error_type`` and ``message``).
  Requests are processed in a shuffled order, so the results file is not in
  request order.  ``request_counts`` stay all ``processing`` until the batch
  ends, then hold the final tallies (their sum is always the request count).
* **faults per batch** (:class:`BatchPlan`, also spelled as a header value by
  :func:`parse_batch_plan`): a fraction of requests errored, a short expiry,
  a pace in requests per second (0 holds the batch in progress until it is
  canceled or expires).
* **cancel** moves an in-progress batch to ``canceling`` and stamps
  ``cancel_initiated_at``; the next step ends it, the requests not yet
  processed becoming ``canceled``.  **Expiry** (24 hours by default) ends a
  batch with its unprocessed requests ``expired``.
* **results** are JSON lines, served once the batch has ended; after the
  retention period (29 days) or when the store needs room, a batch is
  archived (``archived_at`` set, its results dropped).
* **list** is newest first with ``limit`` (1-1000, default 20), ``before_id``
  and ``after_id``; **delete** removes an ended batch only.

Memory is bounded: at most ``max_batches`` batches are kept (the oldest
ended ones are forgotten first; a create that would pass the cap while every
kept batch is still in progress gets a 429) and at most ``max_stored_bytes``
of requests and results (the oldest ended batches are archived to make room).
Requests are kept as their JSON bytes and dropped once processed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import random
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from ._handler import Call, Response, Route
from ._wire import Rejected

__all__ = [
    "BATCHES_PATH",
    "BATCH_EXPIRY_SECONDS",
    "CUSTOM_ID_PATTERN",
    "MAX_BATCH_BYTES",
    "MAX_BATCH_REQUESTS",
    "RESULTS_RETENTION_SECONDS",
    "BatchPlan",
    "BatchStore",
    "BatchWorker",
    "Outcome",
    "batch_routes",
    "parse_batch_plan",
]

log = logging.getLogger("anthropic.emulator")

MAX_BATCH_REQUESTS = 100_000
MAX_BATCH_BYTES = 256_000_000
CUSTOM_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
BATCH_EXPIRY_SECONDS = 24 * 3600.0
RESULTS_RETENTION_SECONDS = 29 * 24 * 3600.0
BATCH_PLAN_HEADER = "x-emulator-batch"

Outcome = tuple[int, Any]
Status = Literal["in_progress", "canceling", "ended"]
ResultType = Literal["succeeded", "errored", "canceled", "expired"]
_RESULT_TYPES: tuple[ResultType, ...] = ("succeeded", "errored", "canceled", "expired")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CHUNK = 64 * 1024


class _Rejection(Exception):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.outcome: Outcome = (status, body)


def _rejection(status: int, error_type: str, message: str) -> _Rejection:
    return _Rejection(*_error(status, error_type, message))


def _error(status: int, error_type: str, message: str) -> Outcome:
    return status, {"type": "error", "error": {"type": error_type, "message": message}}


def _bad(message: str) -> Outcome:
    return _error(400, "invalid_request_error", message)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def rfc3339(seconds: float) -> str:
    """``2024-09-24T18:37:24.100435Z`` for a POSIX time."""
    stamp = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- per-batch faults --------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchPlan:
    """How the emulator runs one batch.

    ``errored``: the fraction (0-1) of requests that end ``errored`` with an
    ``error_type`` error (chosen by a hash of the ``custom_id``, so the same
    requests err every time).  ``expire_after``: seconds from creation to
    expiry.  ``pace``: requests processed per second of the clock (``None``:
    as fast as the worker steps; ``0``: none, the batch waits for a cancel or
    its expiry).  ``delay``: seconds after creation before the first request
    is processed (so a batch is seen in progress, and can be canceled, even
    when the worker is fast).
    """

    errored: float = 0.0
    error_type: str = "api_error"
    expire_after: float = BATCH_EXPIRY_SECONDS
    pace: float | None = None
    delay: float = 0.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.errored) and 0.0 <= self.errored <= 1.0):
            raise ValueError(f"BatchPlan.errored must be between 0 and 1, not {self.errored}")
        if not (math.isfinite(self.expire_after) and self.expire_after >= 0):
            raise ValueError("BatchPlan.expire_after must be a non-negative number of seconds")
        if not (math.isfinite(self.delay) and self.delay >= 0):
            raise ValueError("BatchPlan.delay must be a non-negative number of seconds")
        if self.pace is not None and not (math.isfinite(self.pace) and self.pace >= 0):
            raise ValueError("BatchPlan.pace must be a non-negative number of requests per second")
        if not re.fullmatch(r"[a-z_]{1,64}", self.error_type):
            raise ValueError(
                f"BatchPlan.error_type must be an error type such as api_error, not {self.error_type!r}"
            )

    def errs(self, custom_id: str) -> bool:
        if self.errored <= 0.0:
            return False
        digest = hashlib.sha256(custom_id.encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.errored


def parse_batch_plan(value: str, base: BatchPlan | None = None) -> BatchPlan:
    """The plan a header value spells (``errored=0.1; error_type=overloaded_error; expire_after=5; pace=0``).

    Raises ``ValueError`` naming the problem.
    """
    fields: dict[str, Any] = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep:
            raise ValueError(f"{BATCH_PLAN_HEADER}: expected name=value, got {part.strip()!r}")
        if name == "error_type":
            fields[name] = raw
        elif name in ("errored", "expire_after", "pace", "delay"):
            try:
                fields[name] = float(raw)
            except ValueError:
                raise ValueError(f"{BATCH_PLAN_HEADER}: {name} must be a number, not {raw!r}") from None
        else:
            raise ValueError(
                f"{BATCH_PLAN_HEADER}: unknown name {name!r} (known: errored, error_type, expire_after, pace, delay)"
            )
    current = base or BatchPlan()
    merged = {
        "errored": current.errored,
        "error_type": current.error_type,
        "expire_after": current.expire_after,
        "pace": current.pace,
        "delay": current.delay,
        **fields,
    }
    try:
        return BatchPlan(**merged)
    except ValueError as exc:
        raise ValueError(f"{BATCH_PLAN_HEADER}: {exc}") from None


# --- one batch ---------------------------------------------------------------------------------


@dataclass
class _Batch:
    id: str
    created_at: float
    expires_at: float
    plan: BatchPlan
    custom_ids: list[str]
    params: list[bytes | None]  # JSON of each request's params, dropped once processed
    order: list[int]  # processing order (a permutation of request indexes)
    status: Status = "in_progress"
    done: int = 0  # how many of ``order`` have been processed
    ended_at: float | None = None
    cancel_initiated_at: float | None = None
    archived_at: float | None = None
    lines: list[bytes] | None = field(default_factory=list)  # the results file, line by line
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_RESULT_TYPES, 0))
    stored: int = 0  # bytes of params and result lines held

    @property
    def total(self) -> int:
        return len(self.custom_ids)


class BatchStore:
    """Every batch the emulator holds, and the rules they move by (thread-safe).

    ``validate(params)`` raises an API error for params the Messages API would
    refuse; ``reply(params)`` returns the message dict ``POST /v1/messages``
    would answer, or raises (or returns) an API error: an exception with
    ``status``, ``error_type`` and ``message``.  ``clock`` gives POSIX seconds.
    ``base_url`` prefixes ``results_url`` (set it once the server knows its
    address).
    """

    def __init__(
        self,
        *,
        validate: Callable[[dict[str, Any]], None],
        reply: Callable[[dict[str, Any]], Any],
        clock: Callable[[], float] = time.time,
        base_url: str = "",
        plan: BatchPlan | None = None,
        max_batches: int = 1000,
        max_stored_bytes: int = 1 << 30,
        max_requests: int = MAX_BATCH_REQUESTS,
        max_bytes: int = MAX_BATCH_BYTES,
        retention: float = RESULTS_RETENTION_SECONDS,
        validate_at_create: bool = False,
        seed: int | None = None,
    ) -> None:
        if max_batches < 1 or max_stored_bytes < 1 or max_requests < 1 or max_bytes < 1:
            raise ValueError("BatchStore limits must be positive")
        self._validate = validate
        self._reply = reply
        self._clock = clock
        self.base_url = base_url.rstrip("/")
        self.plan = plan or BatchPlan()
        self.max_batches = max_batches
        self.max_stored_bytes = max_stored_bytes
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.retention = retention
        self.validate_at_create = validate_at_create
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._batches: dict[str, _Batch] = {}  # creation order, oldest first
        self._stored = 0
        self._listeners: list[Callable[[], None]] = []

    # --- notification (for a worker that sleeps until there is work) ---------------------------

    def subscribe(self, wake: Callable[[], None]) -> None:
        """Call ``wake()`` after each create or cancel (from the caller's thread)."""
        self._listeners.append(wake)

    def _notify(self) -> None:
        for wake in self._listeners:
            wake()

    # --- create ------------------------------------------------------------------------------

    def create(self, body: Any, *, size: int | None = None, plan: BatchPlan | None = None) -> Outcome:
        """``POST /v1/messages/batches``: 200 and the new batch, or the API's error.

        ``size`` is the request body's length in bytes (measured here when not
        given); ``plan`` overrides the store's default :class:`BatchPlan`.
        """
        checked = self._check_create(body, size)
        if isinstance(checked, _Rejection):
            return checked.outcome
        custom_ids, params = checked
        with self._lock:
            now = self._clock()
            self._tick(now)
            stored = sum(len(p) for p in params)
            room = self._make_room(stored)
            if room is not None:
                return room
            batch_plan = plan or self.plan
            batch_id = self._new_id()
            order = list(range(len(custom_ids)))
            random.Random(batch_id).shuffle(order)
            batch = _Batch(
                id=batch_id,
                created_at=now,
                expires_at=now + batch_plan.expire_after,
                plan=batch_plan,
                custom_ids=custom_ids,
                params=list(params),
                order=order,
                stored=stored,
            )
            self._batches[batch_id] = batch
            self._stored += stored
            view = self._view(batch)
        self._notify()
        return 200, view

    def _check_create(self, body: Any, size: int | None) -> tuple[list[str], list[bytes]] | _Rejection:
        try:
            return self._check_envelope(body, size)
        except _Rejection as rejection:
            return rejection

    def _check_envelope(self, body: Any, size: int | None) -> tuple[list[str], list[bytes]]:
        if not isinstance(body, dict):
            raise _rejection(400, "invalid_request_error", "The body of your request must be a JSON object")
        if "requests" not in body:
            raise _rejection(400, "invalid_request_error", "requests: Field required")
        requests = body["requests"]
        if not isinstance(requests, list):
            raise _rejection(400, "invalid_request_error", "requests: Input should be a valid list")
        if not requests:
            raise _rejection(
                400,
                "invalid_request_error",
                "requests: List should have at least 1 item after validation, not 0",
            )
        if len(requests) > self.max_requests:
            raise _rejection(
                400,
                "invalid_request_error",
                f"requests: List should have at most {self.max_requests} items after validation, "
                f"not {len(requests)}",
            )
        custom_ids: list[str] = []
        params: list[bytes] = []
        first_use: dict[str, int] = {}
        total = 0
        for i, item in enumerate(requests):
            where = f"requests.{i}"
            if not isinstance(item, dict):
                raise _rejection(400, "invalid_request_error", f"{where}: Input should be a valid dictionary")
            if "custom_id" not in item:
                raise _rejection(400, "invalid_request_error", f"{where}.custom_id: Field required")
            custom_id = item["custom_id"]
            if not isinstance(custom_id, str):
                raise _rejection(
                    400, "invalid_request_error", f"{where}.custom_id: Input should be a valid string"
                )
            if not CUSTOM_ID_PATTERN.match(custom_id):
                raise _rejection(
                    400,
                    "invalid_request_error",
                    f"{where}.custom_id: String should match pattern '{CUSTOM_ID_PATTERN.pattern}'",
                )
            if custom_id in first_use:
                raise _rejection(
                    400,
                    "invalid_request_error",
                    f"{where}.custom_id: duplicate custom_id {custom_id!r} (first used by "
                    f"requests.{first_use[custom_id]}); each request in a batch needs its own custom_id",
                )
            first_use[custom_id] = i
            if "params" not in item:
                raise _rejection(400, "invalid_request_error", f"{where}.params: Field required")
            request_params = item["params"]
            if not isinstance(request_params, dict):
                raise _rejection(
                    400, "invalid_request_error", f"{where}.params: Input should be a valid dictionary"
                )
            if self.validate_at_create:
                problem = self._validation_error(request_params)
                if problem is not None:
                    raise _rejection(400, "invalid_request_error", f"{where}.params.{problem[1]}")
            encoded = _dumps(request_params).encode()
            total += len(encoded) + len(custom_id) + 32
            custom_ids.append(custom_id)
            params.append(encoded)
        measured = total if size is None else size
        if measured > self.max_bytes:
            raise _rejection(
                413,
                "request_too_large",
                f"A message batch may be at most {self.max_bytes} bytes; this one is {measured} bytes. "
                "Split it into several batches.",
            )
        return custom_ids, params

    def _new_id(self) -> str:
        n = self._random.getrandbits(143)
        out = []
        for _ in range(24):
            n, r = divmod(n, 62)
            out.append(_ALPHABET[r])
        return "msgbatch_" + "".join(out)

    def _make_room(self, incoming: int) -> Outcome | None:
        """Forget or archive old ended batches so one more (of ``incoming`` bytes) fits."""
        while len(self._batches) >= self.max_batches:
            oldest = next((b for b in self._batches.values() if b.status == "ended"), None)
            if oldest is None:
                return _error(
                    429,
                    "rate_limit_error",
                    f"The emulator already holds {len(self._batches)} message batches that are still in "
                    "progress; cancel some or wait for them to end.",
                )
            self._forget(oldest)
        now = self._clock()
        while self._stored + incoming > self.max_stored_bytes:
            oldest = next(
                (b for b in self._batches.values() if b.status == "ended" and b.archived_at is None), None
            )
            if oldest is None:
                return _error(
                    429,
                    "rate_limit_error",
                    f"The emulator holds {self._stored} bytes of batches in progress and cannot take "
                    f"{incoming} more (limit {self.max_stored_bytes}); wait for batches to end.",
                )
            self._archive(oldest, now)
        return None

    def _forget(self, batch: _Batch) -> None:
        del self._batches[batch.id]
        self._stored -= batch.stored
        batch.stored = 0

    def _archive(self, batch: _Batch, now: float) -> None:
        batch.archived_at = now
        batch.lines = None
        self._stored -= batch.stored
        batch.stored = 0

    # --- reading -----------------------------------------------------------------------------

    def retrieve(self, batch_id: str) -> Outcome:
        """``GET /v1/messages/batches/{id}``."""
        with self._lock:
            self._tick(self._clock())
            batch = self._batches.get(batch_id)
            if batch is None:
                return _not_found(batch_id)
            return 200, self._view(batch)

    def list(self, query: Mapping[str, str]) -> Outcome:
        """``GET /v1/messages/batches``: newest first; ``limit``, ``before_id``, ``after_id``."""
        raw_limit = query.get("limit", "20")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 1000:
            return _bad("limit: Input should be an integer between 1 and 1000")
        limit = int(raw_limit)
        if "after_id" in query and "before_id" in query:
            return _bad("after_id: cannot be combined with before_id")
        with self._lock:
            self._tick(self._clock())
            ids = list(reversed(self._batches))
            if "after_id" in query:
                start = _position(ids, query["after_id"])
                if start is None:
                    return _bad(f"after_id: no message batch with id {query['after_id'][:80]!r}")
                start += 1
                chunk = ids[start : start + limit]
                has_more = start + limit < len(ids)
            elif "before_id" in query:
                end = _position(ids, query["before_id"])
                if end is None:
                    return _bad(f"before_id: no message batch with id {query['before_id'][:80]!r}")
                begin = max(0, end - limit)
                chunk = ids[begin:end]
                has_more = begin > 0
            else:
                chunk = ids[:limit]
                has_more = limit < len(ids)
            data = [self._view(self._batches[i]) for i in chunk]
        return 200, {
            "data": data,
            "has_more": has_more,
            "first_id": chunk[0] if chunk else None,
            "last_id": chunk[-1] if chunk else None,
        }

    def results(self, batch_id: str) -> Outcome:
        """``GET /v1/messages/batches/{id}/results``: 200 and the JSONL bytes, or the API's error."""
        status, found = self._results_lines(batch_id)
        if status != 200:
            return status, found
        return 200, b"".join(found)

    def iter_results(self, batch_id: str, chunk_size: int = _CHUNK) -> Outcome:
        """Like :meth:`results`, with the body as an iterator of chunks of about ``chunk_size`` bytes."""
        status, found = self._results_lines(batch_id)
        if status != 200:
            return status, found
        return 200, _chunks(found, chunk_size)

    def _results_lines(self, batch_id: str) -> Outcome:
        with self._lock:
            self._tick(self._clock())
            batch = self._batches.get(batch_id)
            if batch is None:
                return _not_found(batch_id)
            if batch.status != "ended":
                return _bad(
                    f"Message batch {batch_id} has not finished processing (processing_status: "
                    f"{batch.status}); its results are available once it has ended."
                )
            if batch.lines is None:
                return _error(
                    404,
                    "not_found_error",
                    f"The results of message batch {batch_id} are no longer available: it was archived "
                    f"at {rfc3339(batch.archived_at or 0.0)}.",
                )
            return 200, batch.lines  # never changed after the batch ended; archiving replaces it

    # --- changing ----------------------------------------------------------------------------

    def cancel(self, batch_id: str) -> Outcome:
        """``POST /v1/messages/batches/{id}/cancel``: in progress -> canceling; the batch as it is now.

        Canceling a batch that is canceling or has ended changes nothing.
        """
        with self._lock:
            now = self._clock()
            self._tick(now)
            batch = self._batches.get(batch_id)
            if batch is None:
                return _not_found(batch_id)
            if batch.status == "in_progress":
                batch.status = "canceling"
                batch.cancel_initiated_at = now
            view = self._view(batch)
        self._notify()
        return 200, view

    def delete(self, batch_id: str) -> Outcome:
        """``DELETE /v1/messages/batches/{id}``: only a batch that has ended."""
        with self._lock:
            self._tick(self._clock())
            batch = self._batches.get(batch_id)
            if batch is None:
                return _not_found(batch_id)
            if batch.status != "ended":
                return _bad(
                    f"Message batch {batch_id} cannot be deleted while it is {batch.status}; "
                    "cancel it and wait for it to end first."
                )
            self._forget(batch)
        return 200, {"id": batch_id, "type": "message_batch_deleted"}

    # --- processing --------------------------------------------------------------------------

    def step(self, limit: int = 64) -> int:
        """Process up to ``limit`` requests (oldest batch first); how many moved (0: nothing to do now)."""
        with self._lock:
            now = self._clock()
            moved = self._tick(now)
            budget = limit
            for batch in list(self._batches.values()):
                if batch.status == "canceling":
                    moved += self._finish_remaining(batch, "canceled")
                    self._end(batch, now)
                    continue
                if budget <= 0 or batch.status != "in_progress":
                    continue
                start = batch.created_at + batch.plan.delay
                allowed = batch.total - batch.done if now >= start else 0
                if batch.plan.pace is not None:
                    allowed = min(allowed, int((now - start) * batch.plan.pace) - batch.done)
                n = max(0, min(budget, allowed))
                for _ in range(n):
                    self._process_one(batch)
                budget -= n
                moved += n
                if batch.done == batch.total:
                    self._end(batch, now)
            if self._stored > self.max_stored_bytes:
                self._make_room(0)
            return moved

    def due_in(self) -> float | None:
        """Seconds until :meth:`step` has something to do (0: now), ``None`` when nothing is pending."""
        with self._lock:
            now = self._clock()
            soonest: float | None = None
            for batch in self._batches.values():
                if batch.status == "canceling":
                    return 0.0
                if batch.status != "in_progress":
                    continue
                start = batch.created_at + batch.plan.delay
                if batch.plan.pace is None and now >= start:
                    return 0.0
                due = batch.expires_at
                if batch.plan.pace is None:
                    due = min(due, start)
                elif batch.plan.pace > 0:
                    due = min(due, start + (batch.done + 1) / batch.plan.pace)
                wait = max(0.0, due - now)
                soonest = wait if soonest is None else min(soonest, wait)
            return soonest

    def _tick(self, now: float) -> int:
        """Apply what the clock alone decides: expiries and archiving.  How many requests moved."""
        moved = 0
        for batch in list(self._batches.values()):
            if batch.status == "in_progress" and now >= batch.expires_at:
                moved += self._finish_remaining(batch, "expired")
                self._end(batch, max(batch.expires_at, batch.created_at))
            elif (
                batch.status == "ended"
                and batch.archived_at is None
                and batch.ended_at is not None
                and now >= batch.ended_at + self.retention
            ):
                self._archive(batch, batch.ended_at + self.retention)
        return moved

    def _finish_remaining(self, batch: _Batch, kind: ResultType) -> int:
        remaining = batch.order[batch.done :]
        for index in remaining:
            raw = batch.params[index]
            if raw is not None:
                batch.params[index] = None
                batch.stored -= len(raw)
                self._stored -= len(raw)
            self._record(batch, index, {"type": kind})
        batch.done = batch.total
        return len(remaining)

    def _end(self, batch: _Batch, when: float) -> None:
        batch.status = "ended"
        batch.ended_at = when
        batch.params = []

    def _process_one(self, batch: _Batch) -> None:
        index = batch.order[batch.done]
        batch.done += 1
        raw = batch.params[index]
        assert raw is not None
        batch.params[index] = None
        batch.stored -= len(raw)
        self._stored -= len(raw)
        params = json.loads(raw)
        custom_id = batch.custom_ids[index]
        self._record(batch, index, self._run(batch.plan, custom_id, params))

    def _run(self, plan: BatchPlan, custom_id: str, params: dict[str, Any]) -> dict[str, Any]:
        if plan.errs(custom_id):
            return _errored(plan.error_type, _planned_message(plan.error_type))
        if params.get("stream") is True:
            return _errored("invalid_request_error", "stream: requests in a message batch cannot stream")
        if not self.validate_at_create:
            problem = self._validation_error(params)
            if problem is not None:
                return _errored(problem[0], problem[1])
        try:
            answer = self._reply(params)
        except Exception as exc:
            return _errored(*_describe(exc))
        if isinstance(answer, BaseException):
            return _errored(*_describe(answer))
        return {"type": "succeeded", "message": answer}

    def _validation_error(self, params: dict[str, Any]) -> tuple[str, str] | None:
        try:
            self._validate(params)
        except Exception as exc:
            return _describe(exc)
        return None

    def _record(self, batch: _Batch, index: int, result: dict[str, Any]) -> None:
        line = (_dumps({"custom_id": batch.custom_ids[index], "result": result}) + "\n").encode()
        assert batch.lines is not None
        batch.lines.append(line)
        batch.counts[result["type"]] += 1
        batch.stored += len(line)
        self._stored += len(line)

    # --- views -------------------------------------------------------------------------------

    def _view(self, batch: _Batch) -> dict[str, Any]:
        if batch.status == "ended":
            counts = {"processing": 0, **batch.counts}
        else:
            counts = {"processing": batch.total, **dict.fromkeys(_RESULT_TYPES, 0)}
        ended = batch.status == "ended"
        return {
            "id": batch.id,
            "type": "message_batch",
            "processing_status": batch.status,
            "request_counts": counts,
            "ended_at": rfc3339(batch.ended_at) if batch.ended_at is not None else None,
            "created_at": rfc3339(batch.created_at),
            "expires_at": rfc3339(batch.expires_at),
            "archived_at": rfc3339(batch.archived_at) if batch.archived_at is not None else None,
            "cancel_initiated_at": (
                rfc3339(batch.cancel_initiated_at) if batch.cancel_initiated_at is not None else None
            ),
            "results_url": f"{self.base_url}/v1/messages/batches/{batch.id}/results" if ended else None,
        }

    # --- persistence (the command line keeps its emulator's batches between runs) ---------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write every batch to ``path`` (JSON lines, replaced atomically)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f, self._lock:
                f.write(_dumps({"version": _SAVE_VERSION}).encode() + b"\n")
                for batch in self._batches.values():
                    f.write(_dumps(_saved(batch)).encode() + b"\n")
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def load(self, path: str | os.PathLike[str]) -> None:
        """Add the batches saved in ``path`` (nothing when it does not exist); ``ValueError`` if it is damaged."""
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            return
        try:
            lines = raw.split(b"\n")
            header = json.loads(lines[0])
            if header.get("version") != _SAVE_VERSION:
                raise ValueError(f"unknown version {header.get('version')!r}")
            batches = [_restored(json.loads(line)) for line in lines[1:] if line.strip()]
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise ValueError(f"the saved emulator batches in {path} are damaged ({exc})") from None
        with self._lock:
            for batch in batches:
                self._batches[batch.id] = batch
                self._stored += batch.stored

    def clear(self) -> None:
        """Forget every batch, whatever its state."""
        with self._lock:
            self._batches.clear()
            self._stored = 0

    @property
    def stored_bytes(self) -> int:
        """Bytes of requests and results held now (what ``max_stored_bytes`` bounds)."""
        with self._lock:
            return self._stored

    def __len__(self) -> int:
        with self._lock:
            return len(self._batches)


_SAVE_VERSION = 1


def _saved(batch: _Batch) -> dict[str, Any]:
    return {
        "id": batch.id,
        "created_at": batch.created_at,
        "expires_at": batch.expires_at,
        "plan": {
            "errored": batch.plan.errored,
            "error_type": batch.plan.error_type,
            "expire_after": batch.plan.expire_after,
            "pace": batch.plan.pace,
            "delay": batch.plan.delay,
        },
        "custom_ids": batch.custom_ids,
        "params": [p.decode() if p is not None else None for p in batch.params],
        "order": batch.order,
        "status": batch.status,
        "done": batch.done,
        "ended_at": batch.ended_at,
        "cancel_initiated_at": batch.cancel_initiated_at,
        "archived_at": batch.archived_at,
        "lines": [line.decode() for line in batch.lines] if batch.lines is not None else None,
        "counts": batch.counts,
    }


def _restored(data: dict[str, Any]) -> _Batch:
    params = [p.encode() if p is not None else None for p in data["params"]]
    lines = [line.encode() for line in data["lines"]] if data["lines"] is not None else None
    stored = sum(len(p) for p in params if p is not None) + sum(len(x) for x in lines or ())
    status = data["status"]
    if status not in ("in_progress", "canceling", "ended"):
        raise ValueError(f"unknown processing_status {status!r}")
    return _Batch(
        id=str(data["id"]),
        created_at=float(data["created_at"]),
        expires_at=float(data["expires_at"]),
        plan=BatchPlan(**data["plan"]),
        custom_ids=[str(c) for c in data["custom_ids"]],
        params=params,
        order=[int(i) for i in data["order"]],
        status=status,
        done=int(data["done"]),
        ended_at=data["ended_at"],
        cancel_initiated_at=data["cancel_initiated_at"],
        archived_at=data["archived_at"],
        lines=lines,
        counts={k: int(v) for k, v in data["counts"].items()},
        stored=stored,
    )


def _not_found(batch_id: str) -> Outcome:
    return _error(404, "not_found_error", f"No message batch with id {batch_id[:80]!r}.")


def _position(ids: list[str], value: str) -> int | None:
    try:
        return ids.index(value)
    except ValueError:
        return None


def _errored(error_type: str, message: str) -> dict[str, Any]:
    return {"type": "errored", "error": {"type": "error", "error": {"type": error_type, "message": message}}}


_PLANNED_MESSAGES = {
    "api_error": "Internal server error",
    "overloaded_error": "Overloaded",
    "rate_limit_error": "Number of requests has exceeded your rate limit.",
    "timeout_error": "Request timed out",
}


def _planned_message(error_type: str) -> str:
    return _PLANNED_MESSAGES.get(error_type, error_type.replace("_", " ").capitalize())


def _describe(exc: BaseException) -> tuple[str, str]:
    """The ``(error_type, message)`` of an API error; an internal error for anything else."""
    error_type = getattr(exc, "error_type", None)
    message = getattr(exc, "message", None)
    if isinstance(error_type, str) and isinstance(message, str):
        return error_type, message
    log.error("batch request failed inside the emulator", exc_info=exc)
    return "api_error", "Internal server error"


def _chunks(lines: list[bytes], size: int) -> Iterator[bytes]:
    buffer: list[bytes] = []
    held = 0
    for line in lines:
        buffer.append(line)
        held += len(line)
        if held >= size:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


# --- routes and the background worker ----------------------------------------------------------

BATCHES_PATH = "/v1/messages/batches"
_ONE_BATCH = BATCHES_PATH + r"/(?P<batch_id>[^/]+)"


def batch_routes(store: BatchStore) -> tuple[Route, ...]:
    """The Message Batches endpoints over ``store``, as handler routes (plain and ``?beta=true`` alike).

    The handler has already checked the key, taken the request's faults and
    recorded it; a fault that answers a non-streamed request answers these
    too.  The ``x-emulator-batch`` header of a create request sets that
    batch's :class:`BatchPlan`.  Results are served as JSON lines in chunks.
    """
    endpoints = _Endpoints(store)
    return (
        Route("POST", BATCHES_PATH, endpoints.create),
        Route("GET", BATCHES_PATH, endpoints.list_batches),
        Route("GET", _ONE_BATCH, endpoints.retrieve),
        Route("DELETE", _ONE_BATCH, endpoints.delete),
        Route("POST", _ONE_BATCH + "/cancel", endpoints.cancel),
        Route("GET", _ONE_BATCH + "/results", endpoints.results),
    )


class _Endpoints:
    """Route functions bound to one store: a :class:`~._handler.Call` in, a response out."""

    def __init__(self, store: BatchStore) -> None:
        self.store = store

    def create(self, call: Call) -> Response:
        body = call.body()
        plan_text = call.request.headers.get(BATCH_PLAN_HEADER)
        plan = None
        if plan_text is not None:
            try:
                plan = parse_batch_plan(plan_text, self.store.plan)
            except ValueError as exc:
                raise Rejected(400, str(exc)) from None
        return _answer(call, lambda: self.store.create(body, size=len(call.request.body), plan=plan))

    def list_batches(self, call: Call) -> Response:
        return _answer(call, lambda: self.store.list(call.request.query))

    def retrieve(self, call: Call) -> Response:
        return _answer(call, lambda: self.store.retrieve(call.params["batch_id"]))

    def delete(self, call: Call) -> Response:
        return _answer(call, lambda: self.store.delete(call.params["batch_id"]))

    def cancel(self, call: Call) -> Response:
        return _answer(call, lambda: self.store.cancel(call.params["batch_id"]))

    def results(self, call: Call) -> Response:
        error = call.fault_error(False)
        if error is not None:
            return error
        status, body = self.store.iter_results(call.params["batch_id"])
        if status != 200:
            raise _rejected(status, body)
        extra = call.fault.retry_headers() if call.fault is not None else []
        headers = [("content-type", "application/binary"), ("request-id", call.request_id), *extra]
        return Response(200, headers, pieces=body)


def _answer(call: Call, run: Callable[[], Outcome]) -> Response:
    """A JSON endpoint: the fault's error if it answers, else the store's outcome as a response."""
    error = call.fault_error(False)
    if error is not None:
        return error
    status, body = run()
    if status != 200:
        raise _rejected(status, body)
    return call.json(body)


def _rejected(status: int, body: Any) -> Rejected:
    error = body["error"]
    return Rejected(status, error["message"], error["type"])


class BatchWorker:
    """A daemon thread that steps a :class:`BatchStore` whenever it has work (real time)."""

    def __init__(self, store: BatchStore, *, step_size: int = 64) -> None:
        self.store = store
        self.step_size = step_size
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        store.subscribe(self._wake.set)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopped.clear()
        self._thread = threading.Thread(target=self._run, name="anthropic-emulator-batches", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopped.set()
        self._wake.set()
        thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._wake.clear()
            try:
                if self.store.step(self.step_size):
                    continue
                due = self.store.due_in()
            except Exception:  # a bug must not stop the worker for good
                log.exception("emulator batch worker failed")
                due = 1.0
            self._wake.wait(timeout=due)
