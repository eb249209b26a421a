"""The colourless half of sending: requests ready to send, and the one map of transport failures.

Everything here is shared by both colours and knows nothing of resources or
clients:

- :class:`PreparedRequest`: one API call, ready to be sent any number of times
  (its first attempt and its retries).
- :class:`Platform`: what a client hands to the layers below it.  A platform
  (the Anthropic API today; Bedrock, Vertex, Foundry next) differs only by
  how a request is built and signed (:meth:`Platform.prepare_request`,
  :meth:`Platform.build_http_request`) and how response bytes become event
  records (:meth:`Platform.event_decoder`).
- :func:`transport_error`: the only place an ``httpx2`` (or custom transport)
  exception becomes one of our typed errors.
- Reading and decoding error bodies, with a cap on their size.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import httpx2

from ._errors import APIConnectionError, APIResponseValidationError, APITimeoutError

if TYPE_CHECKING:
    from ._sse import ServerSentEvent

__all__ = [
    "MAX_ERROR_BODY",
    "EventDecoder",
    "Phase",
    "Platform",
    "PreparedRequest",
    "AFTER_STOP_GRACE",
    "aclose_response",
    "close_response",
    "decode_error_body",
    "encode_json",
    "limit_reads",
    "parse_json",
    "transport_error",
]

AFTER_STOP_GRACE = 0.25
"""Seconds a stream waits, after ``message_stop``, for its body's end before releasing the connection
without it (the answer is complete; only the chance to reuse the connection is lost)."""

MAX_ERROR_BODY = 1 << 20
"""Bytes of an error reply's body that are kept (1 MiB); the rest is not read."""

Phase = Literal["connect", "body", "stream"]
"""Where a transport failure happened: sending and waiting for the head, reading a
whole body, or reading a streamed body."""


@dataclass
class PreparedRequest:
    """One API call, ready to send any number of times (the first attempt and its retries)."""

    method: str
    url: str
    headers: dict[str, str] = field(repr=False)  # credentials: kept out of tracebacks that show locals
    content: bytes | None
    params: dict[str, Any]
    timeout: httpx2.Timeout | None
    max_retries: int
    retries_taken: int = 0
    extensions: dict[str, Any] = field(default_factory=dict)
    stream_deadline: float | None = None
    """Seconds a streamed answer may take from its first byte to ``message_stop`` (``None``: no limit)."""
    finish: Any = field(default=None, repr=False)
    """A platform client's step that makes each attempt's ``httpx2.Request`` (awaited by the async sender):
    ``finish(http, prep)`` completes the request and authenticates its final bytes.  ``None``: the
    client's :meth:`Platform.build_http_request`."""
    resend: Any = field(default=None, repr=False)
    """How a stream re-sends this call when it fails before any event reached its caller (a client with
    middleware runs its chain again); ``None``: the sender sends ``prep`` again."""


class EventDecoder(Protocol):
    """Bytes of a streamed body in, ``(event, data)`` records out (SSE); a platform's gives event dicts instead.

    :class:`~anthropic._streaming.StreamCore` tells them apart (``docs/platforms.md``).
    """

    def feed(self, data: bytes) -> list[ServerSentEvent]: ...

    def end(self) -> Any: ...

    @property
    def pending(self) -> bool: ...


class Platform(Protocol):
    """What a client gives the layers below it: the two seams where platforms differ.

    (a) building a request: :meth:`prepare_request` turns one call into a
    :class:`PreparedRequest` (URL, body, headers), and :meth:`build_http_request`
    makes each attempt's ``httpx2.Request`` from it (sign it there);
    (b) reading a stream: :meth:`event_decoder` makes the decoder that turns the
    body's bytes into event records.
    """

    def prepare_request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None,
        options: Mapping[str, Any],
    ) -> PreparedRequest: ...

    def build_http_request(self, http: httpx2.Client | httpx2.AsyncClient, prep: PreparedRequest) -> httpx2.Request: ...

    def event_decoder(self) -> EventDecoder: ...

    @property
    def offers_batches(self) -> bool:
        """Whether the platform has the Message Batches API (``messages.batches`` is ``None`` where not)."""


def transport_error(
    exc: BaseException,
    request: httpx2.Request | None,
    phase: Phase,
    *,
    request_id: str | None = None,
    partial_message: Any = None,
) -> APIConnectionError:
    """The typed error for a failure below HTTP: the one map from transport exceptions to ours.

    ``exc`` is an ``httpx2`` exception, or anything a custom transport raised.
    """
    if isinstance(exc, httpx2.TimeoutException):
        if phase == "stream":
            return APITimeoutError(
                request,
                message="The stream stalled: no bytes within the read timeout.",
                request_id=request_id,
                partial_message=partial_message,
            )
        return APITimeoutError(request, request_id=request_id)
    if phase == "stream":
        message = f"The connection failed during the stream: {exc}"
    elif phase == "body":
        message = f"Connection error while reading the response: {exc}"
    elif isinstance(exc, httpx2.HTTPError):
        message = f"Connection error: {exc}"
    else:
        message = f"Connection error: {type(exc).__name__}: {exc}"
    return APIConnectionError(message=message, request=request, request_id=request_id, partial_message=partial_message)


def decode_error_body(raw: bytes, truncated: bool) -> object:
    """An error reply's body: its JSON when it is JSON, else its text (``None`` when empty)."""
    if not raw:
        return None
    if not truncated:
        try:
            from pydantic_core import from_json

            return from_json(raw)
        except ValueError:
            pass
    text = raw.decode("utf-8", errors="replace")
    return f"{text}... [truncated at {len(raw)} bytes]" if truncated else text


def parse_json(response: httpx2.Response) -> Any:
    """A successful reply's JSON, or :class:`APIResponseValidationError` naming what is wrong."""
    from pydantic_core import from_json

    try:
        return from_json(response.content)
    except ValueError as exc:
        raise APIResponseValidationError(response, response.text, message=f"The response body is not valid JSON: {exc}")


def _json_default(obj: Any) -> Any:
    """Make response models (passed back in ``messages``) and other rich values JSON."""
    import pydantic

    if isinstance(obj, pydantic.BaseModel):
        data = obj.model_dump(mode="json", exclude_unset=True, by_alias=True)
        data.pop("parsed_output", None)
        return data
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def encode_json(body: object) -> bytes:
    """The request body's bytes; a lone surrogate in a string is a clear ``ValueError``."""
    import json

    text = json.dumps(body, default=_json_default, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[max(exc.start - 20, 0) : exc.end + 20]
        raise ValueError(
            f"The request cannot be sent: it contains a lone surrogate ({text[exc.start]!r}, near {bad!r}), "
            "which is not valid Unicode. Fix the string (for example decode its bytes with errors='replace')."
        ) from None


_READS_BOUNDED: ContextVar[object] = ContextVar("anthropic_reads_bounded", default=None)


def limit_reads(response: httpx2.Response, until: float) -> Callable[[], None]:
    """Bound each further read of ``response``'s connection to end by ``until`` (a ``time.monotonic()``).

    A read still waiting then fails with ``httpx2.ReadTimeout``.  Works for both
    colours (it wraps the connection's ``read``, sync or async, through the
    ``network_stream`` extension); returns the undo.  The bound holds only in
    the context (thread or task) that set it, so a request that another
    thread or task sends over the same connection once it is back in the pool
    is never bounded.  Without a network stream (a custom transport) it does
    nothing.
    """
    stream = response.extensions.get("network_stream")
    read = getattr(stream, "read", None)
    if read is None or not hasattr(stream, "__dict__"):
        return _nothing
    marker = object()
    token = _READS_BOUNDED.set(marker)

    def bounded(max_bytes: int, timeout: float | None = None) -> Any:
        if _READS_BOUNDED.get() is not marker:
            return read(max_bytes, timeout=timeout)
        left = max(until - time.monotonic(), 0.001)
        return read(max_bytes, timeout=left if timeout is None else min(timeout, left))

    stream.__dict__["read"] = bounded

    def undo() -> None:
        if stream.__dict__.get("read") is bounded:
            del stream.__dict__["read"]
        try:
            _READS_BOUNDED.reset(token)
        except ValueError:  # undone from another context: the bound is gone with the wrapper anyway
            _READS_BOUNDED.set(None)

    return undo


def _nothing() -> None:
    return None


def close_response(response: httpx2.Response) -> None:
    response.close()


async def aclose_response(response: httpx2.Response) -> None:
    """Close ``response`` even if the task is cancelled meanwhile.

    httpcore2 shields its own close with anyio, which does not hold against
    asyncio's ``Task.cancel()``: a cancellation landing inside the close would
    leave the connection checked out of the pool for good.  Under asyncio the
    close runs in a task of its own, so the caller may be cancelled while the
    connection still goes back to the pool.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # another event loop (trio): anyio's shield holds there
        await response.aclose()
        return
    await asyncio.shield(asyncio.ensure_future(response.aclose()))
