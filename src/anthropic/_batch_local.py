"""The local half of ``anthropic batch``: pure functions, no network and no terminal.

* :func:`check_requests` reads a requests file (one ``{"custom_id", "params"}``
  object per line) and reports every problem with its line number, before
  anything is uploaded;
* :func:`plan_batches` splits the checked requests into batches within the
  API's limits (100,000 requests, 256 MB per batch), and :func:`batch_body`
  builds each batch's body from the file's own bytes, so its size is known
  exactly beforehand;
* :class:`Job` and :func:`load_jobs` / :func:`save_jobs` are the small state
  file that remembers which batches one submitted file became, so that
  ``status``, ``wait`` and ``results`` can treat them as one;
* :class:`OutputScan` reads an existing results file so an interrupted
  download resumes: complete lines are kept (their ``custom_id``s are not
  written again), a cut last line is dropped;
* :func:`render_progress` draws one line of progress for a terminal, and
  :func:`plain_progress` a line for logs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic_core import from_json

__all__ = [
    "MAX_BATCH_BYTES",
    "MAX_BATCH_REQUESTS",
    "CheckedRequests",
    "Job",
    "OutputScan",
    "RequestsFileError",
    "batch_body",
    "check_requests",
    "load_jobs",
    "plain_progress",
    "plan_batches",
    "render_progress",
    "save_jobs",
]

MAX_BATCH_REQUESTS = 100_000
MAX_BATCH_BYTES = 256_000_000
CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_BODY_OPEN = b'{"requests":['
_BODY_CLOSE = b"]}"
_REQUIRED_PARAMS = ("model", "max_tokens", "messages")


class RequestsFileError(Exception):
    """The requests file has problems; ``problems`` lists them as ``(line, message)``."""

    def __init__(self, path: str, problems: Sequence[tuple[int, str]], more: int = 0) -> None:
        self.path = path
        self.problems = list(problems)
        self.more = more
        lines = [f"{path}:{line}: {message}" for line, message in self.problems]
        if more:
            lines.append(f"... and {more} more problem(s)")
        super().__init__("\n".join(lines))


@dataclass
class CheckedRequests:
    """What a valid requests file holds: per request, its line number, ``custom_id`` and byte size."""

    lines: list[int] = field(default_factory=list)
    custom_ids: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.custom_ids)


def _problem_of(value: Any, validate_params: Callable[[dict[str, Any]], None] | None) -> str | None:
    if not isinstance(value, dict):
        return "expected a JSON object with custom_id and params"
    custom_id = value.get("custom_id")
    if custom_id is None:
        return "custom_id: missing"
    if not isinstance(custom_id, str) or not CUSTOM_ID.match(custom_id):
        return f"custom_id: {custom_id!r} must be 1 to 64 letters, digits, '_' or '-'"
    extra = sorted(set(value) - {"custom_id", "params"})
    if extra:
        return f"unexpected field(s) {', '.join(map(repr, extra))}: a line holds only custom_id and params"
    params = value.get("params")
    if params is None:
        return "params: missing"
    if not isinstance(params, dict):
        return "params: expected a JSON object (the arguments of messages.create)"
    for name in _REQUIRED_PARAMS:
        if name not in params:
            return f"params.{name}: missing"
    if params.get("stream") is not None and params.get("stream") is not False:
        return "params.stream: requests in a batch cannot stream"
    if validate_params is not None:
        try:
            validate_params(params)
        except Exception as exc:
            return f"params.{getattr(exc, 'message', None) or exc}"
    return None


def check_requests(
    lines: Iterable[bytes],
    *,
    path: str = "<requests>",
    validate_params: Callable[[dict[str, Any]], None] | None = None,
    max_problems: int = 20,
) -> CheckedRequests:
    """Check every line of a requests file; :class:`RequestsFileError` lists what is wrong.

    ``lines`` are the file's lines as bytes (with or without their line ends);
    blank lines are skipped.  ``validate_params`` checks each ``params`` as
    the Messages API would (it raises with a message naming the field).
    """
    checked = CheckedRequests()
    problems: list[tuple[int, str]] = []
    more = 0
    first_line: dict[str, int] = {}
    for number, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        problem: str | None
        try:
            value = from_json(text)
        except ValueError as exc:
            problem = f"not valid JSON ({exc})"
        else:
            problem = _problem_of(value, validate_params)
            if problem is None:
                custom_id = value["custom_id"]
                if custom_id in first_line:
                    problem = f"custom_id {custom_id!r} is also used on line {first_line[custom_id]}"
                else:
                    first_line[custom_id] = number
        if problem is not None:
            if len(problems) < max_problems:
                problems.append((number, problem))
            else:
                more += 1
            continue
        checked.lines.append(number)
        checked.custom_ids.append(value["custom_id"])
        checked.sizes.append(len(text))
    if problems:
        raise RequestsFileError(path, problems, more)
    if not checked:
        raise RequestsFileError(path, [(0, "no requests: the file has no non-blank lines")])
    return checked


def plan_batches(
    sizes: Sequence[int], *, max_requests: int = MAX_BATCH_REQUESTS, max_bytes: int = MAX_BATCH_BYTES
) -> list[range]:
    """Split requests (their line sizes, in order) into consecutive batches within both limits.

    A batch's body is ``{"requests":[`` + the lines joined by ``,`` + ``]}``,
    so its size is exact.  A single request too large for any batch raises
    ``ValueError`` naming its position.
    """
    overhead = len(_BODY_OPEN) + len(_BODY_CLOSE)
    plans: list[range] = []
    start, size = 0, overhead
    for i, line_size in enumerate(sizes):
        if overhead + line_size > max_bytes:
            raise ValueError(
                f"request {i + 1} is {line_size} bytes; a batch can hold at most {max_bytes - overhead} bytes of requests"
            )
        extra = line_size + (1 if i > start else 0)
        if i > start and (i - start >= max_requests or size + extra > max_bytes):
            plans.append(range(start, i))
            start, size, extra = i, overhead, line_size
        size += extra
    if start < len(sizes):
        plans.append(range(start, len(sizes)))
    return plans


def batch_body(lines: Iterable[bytes]) -> bytes:
    """The ``POST /v1/messages/batches`` body made of these request lines (already checked JSON)."""
    return _BODY_OPEN + b",".join(line.strip() for line in lines) + _BODY_CLOSE


# --- the state file -----------------------------------------------------------------------------


@dataclass
class Job:
    """The batches one requests file became, in order, and what they hold."""

    id: str
    source: str
    base_url: str
    batches: list[str]
    requests: list[int]  # requests per batch
    created_at: str = ""

    @staticmethod
    def new_id() -> str:
        return "batchjob_" + secrets.token_hex(8)

    @property
    def total(self) -> int:
        return sum(self.requests)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "base_url": self.base_url,
            "batches": self.batches,
            "requests": self.requests,
            "created_at": self.created_at,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Job:
        batches = [str(b) for b in data["batches"]]
        requests = [int(n) for n in data["requests"]]
        if len(batches) != len(requests):
            raise ValueError("batches and requests differ in length")
        return cls(
            id=str(data["id"]),
            source=str(data.get("source", "")),
            base_url=str(data.get("base_url", "")),
            batches=batches,
            requests=requests,
            created_at=str(data.get("created_at", "")),
        )


def load_jobs(path: Path) -> list[Job]:
    """The jobs recorded in ``path`` (none when it does not exist); ``ValueError`` when it is damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    try:
        data = json.loads(raw)
        return [Job.from_json(item) for item in data["jobs"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"the batch state file {path} is damaged ({exc}); move it away to start afresh"
        ) from None


def save_jobs(path: Path, jobs: Sequence[Job], keep: int = 500) -> None:
    """Write ``jobs`` (the newest ``keep``) to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"version": 1, "jobs": [job.to_json() for job in list(jobs)[-keep:]]}, indent=1)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# --- resuming a results file --------------------------------------------------------------------


class OutputScan:
    """Read an existing results file in chunks: which ``custom_id``s it holds and where it is sound.

    Feed it the file's bytes (:meth:`feed`), then :meth:`end`.  ``keep`` is
    the length of the sound prefix (every complete line that parses as a
    result); anything after it (a line cut by an interrupted run) is to be
    truncated away before appending.
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.keep = 0
        self._offset = 0
        self._buffer = bytearray()
        self._broken = False

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        while not self._broken:
            end = self._buffer.find(b"\n")
            if end < 0:
                break
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            self._take(line, end + 1)

    def end(self) -> None:
        if self._buffer and not self._broken:
            # A last line without its line end is what an interrupted write leaves: drop it.
            self._buffer.clear()

    def _take(self, line: bytes, length: int) -> None:
        if line.strip():
            try:
                value = from_json(line)
                custom_id = value["custom_id"]
                if not isinstance(custom_id, str) or not isinstance(value.get("result"), dict):
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                self._broken = True
                return
            self.seen.add(custom_id)
        self._offset += length
        self.keep = self._offset


# --- progress -----------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def _counts_text(counts: Mapping[str, int]) -> str:
    order = ("succeeded", "errored", "canceled", "expired", "processing")
    return ", ".join(f"{counts.get(name, 0):,} {name}" for name in order if counts.get(name, 0))


def render_progress(
    ended: int, batches: int, counts: Mapping[str, int], elapsed: float, *, width: int = 80, tick: int = 0
) -> str:
    """One terminal line: a bar of the requests done, the counts, the time waited.

    The API moves a batch's counts only when it ends, so the bar moves in
    steps of whole batches; ``tick`` turns a spinner so a long wait shows life.
    """
    total = sum(counts.values())
    done = total - counts.get("processing", 0)
    spinner = "|/-\\"[tick % 4] if done < total else " "
    tail = (
        f" {done:,}/{total:,} requests · {ended}/{batches} batch(es) ended · {_duration(elapsed)} {spinner}"
    )
    bar_width = max(10, min(40, width - len(tail) - 3))
    filled = (bar_width * done) // total if total else bar_width
    line = "[" + "#" * filled + "." * (bar_width - filled) + "]" + tail
    return line[: max(1, width - 1)]


def plain_progress(ended: int, batches: int, counts: Mapping[str, int], elapsed: float) -> str:
    """One log line of the same facts, for output that is not a terminal."""
    text = _counts_text(counts) or "no requests"
    return f"{ended}/{batches} batch(es) ended after {_duration(elapsed)}: {text}"
