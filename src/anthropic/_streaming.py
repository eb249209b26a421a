"""Reading a streamed response: the pure core (the shells are in ``_async`` / ``_sync``).

:class:`StreamCore` is the whole protocol with no I/O: bytes in, the objects
a caller sees out, typed exceptions for everything that can go wrong.  It
chains an event decoder, the JSON decoding of each event and the message
accumulator, and holds back what
comes before the first delta, so that a stream that fails before anything
reached the caller can be retried invisibly.

The event pumps that move a response's bytes through a core, and ``Stream`` /
``AsyncStream`` (the raw events of ``messages.create(stream=True)``), live in
:mod:`anthropic._sync.streams` and :mod:`anthropic._async.streams` and are
found here by name.

The decoder is SSE (:class:`~anthropic._sse.SSEDecoder`: records whose data is
JSON) unless a platform gives another: a platform decoder (Bedrock's AWS
event stream, see ``docs/platforms.md``) returns the Messages API event dicts
themselves and ``end()`` returns nothing.  Its framing errors are mapped as
SSE's are: a body cut inside a frame is an :class:`IncompleteStreamError`,
any other defect an :class:`APIResponseValidationError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import httpx2
from pydantic_core import from_json

from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    IncompleteStreamError,
    StructuredOutputError,
    ToolInputJSONError,
    error_event_exception,
)
from ._http import EventDecoder, transport_error
from ._lazy import lazy_names
from ._sse import SSEDecoder, SSEError
from .lib.streaming._accumulator import ErrorEvent, MessageAccumulator, ProtocolError, ToolInputProtocolError

if TYPE_CHECKING:
    from ._async.streams import AsyncEventPump as AsyncEventPump
    from ._async.streams import AsyncStream as AsyncStream
    from ._sync.streams import EventPump as SyncEventPump
    from ._sync.streams import Stream as Stream

__all__ = ["AsyncEventPump", "AsyncStream", "Stream", "StreamCore", "SyncEventPump"]

_EMPTY: list[Any] = []


_KEEPS_HOLDING = frozenset({"ping", "error"})
"""Event types that leave what is held back held (an ``error`` raises; a ``ping`` is nothing)."""


def _is_truncation(exc: Exception) -> bool:
    """Whether a platform decoder's exception says the body ended inside a frame."""
    from .lib.bedrock._eventstream import TruncatedError

    return isinstance(exc, TruncatedError)


def _is_json(data: str) -> bool:
    try:
        from_json(data)
    except ValueError:
        return False
    return True


class StreamCore:
    """Bytes of one response in, stream objects out; no I/O.

    ``delivered`` turns true when the first objects are handed out; until then
    a failure may be retried with a fresh request.
    """

    __slots__ = ("_held", "_records", "_starts", "accumulator", "decoder", "delivered", "response")

    def __init__(
        self, accumulator: MessageAccumulator, response: httpx2.Response, decoder: EventDecoder | None = None
    ) -> None:
        self.accumulator = accumulator
        self.response = response
        self.decoder: EventDecoder = SSEDecoder() if decoder is None else decoder
        self._records = isinstance(self.decoder, SSEDecoder)  # False: a platform decoder giving event dicts
        self.delivered = False
        self._held: list[Any] = []
        self._starts: list[Any] = []

    def feed(self, chunk: bytes) -> Iterable[Any]:
        """The objects completed by ``chunk`` (often none, often several).

        The events of a chunk are applied to the accumulator one at a time, as
        the caller takes their objects: a snapshot read while handling an event
        shows the message as of that event, not as of the end of the chunk.
        """
        try:
            records = self.decoder.feed(chunk)
        except SSEError as exc:
            raise self.invalid(f"The stream's bytes are not valid server-sent events: {exc}", None)
        except Exception as exc:
            if self._records:
                raise
            return self._fail_after(exc)
        if not records:
            return _EMPTY
        return self._apply(records)

    def _apply(self, records: list[Any]) -> Iterator[Any]:
        out: list[Any] = []
        feed = self.accumulator.feed
        parse = self._records
        for record in records:
            if not parse:
                data = record
            else:
                try:
                    data = from_json(record.data)
                except ValueError as exc:
                    raise self.invalid(
                        f"The data of a {record.event or 'message'!r} event is not valid JSON ({exc}): "
                        f"{record.data[:200]!r}",
                        record.data,
                    )
            if self._held:
                # message_start is held back, and the blocks' starts after it (not yet applied,
                # so that each snapshot is read as of its own event), until the first event
                # with content: an error before it is still retried invisibly.
                kind = data.get("type") if type(data) is dict else None
                if type(kind) is not str:
                    kind = None  # not an event the accumulator accepts: it raises the protocol error
                if kind == "content_block_start":
                    self._starts.append(data)
                    continue
                if kind not in _KEEPS_HOLDING:
                    self.delivered = True
                    held, self._held = self._held, []
                    yield from held
                    starts, self._starts = self._starts, []
                    for start in starts:
                        self._feed(start, out)
                        yield from out
                        out = []
            try:
                feed(data, out)
            except ErrorEvent as exc:
                raise error_event_exception(self.response, exc.body, partial_message=self.partial_message())
            except ProtocolError as exc:
                raise self.protocol_error(exc)
            except StructuredOutputError as exc:
                exc.request_id = self.request_id
                exc.partial_message = self.partial_message()
                raise
            if out:
                if self.delivered:
                    yield from out
                else:
                    self._held.extend(out)
                out = []

    def _feed(self, data: Any, out: list[Any]) -> None:
        """Apply one event off the hot path (a held-back block start), mapping its errors."""
        try:
            self.accumulator.feed(data, out)
        except ProtocolError as exc:
            raise self.protocol_error(exc)

    def end(self) -> list[Any]:
        """The body ended: what is held back and an unclosed last event, or the error for a truncation."""
        inside = self.decoder.pending
        try:
            if self._records:
                # An unclosed last event whose data is not JSON was cut inside its data lines: a truncation.
                records = [r for r in self.decoder.end() if _is_json(r.data)]
            else:
                self.decoder.end()
                records = []
        except SSEError as exc:
            raise self.invalid(f"The stream's bytes are not valid server-sent events: {exc}", None)
        except Exception as exc:
            if self._records:
                raise
            if not _is_truncation(exc):
                raise self._framing_error(exc) from exc
            records = []  # cut inside a frame: reported below as an incomplete answer
        last = list(self._apply(records)) if records else []
        if not self.accumulator.stopped:
            self._apply_held_starts()
            pending = " (it stopped inside an event)" if inside else ""
            blocks = len(self.accumulator.blocks)
            raise IncompleteStreamError(
                message=(
                    "The stream ended before message_stop: the answer is incomplete"
                    f"{pending}; {blocks} content block(s) had started."
                ),
                request=self.response.request,
                request_id=self.request_id,
                partial_message=self.partial_message(),
            )
        self.delivered = True
        held, self._held = self._held, []
        return held + last

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("request-id")
        return request_id

    def snapshot(self) -> Any:
        """The message accumulated so far, or ``None`` before ``message_start``."""
        return self.accumulator.snapshot()

    def final_message(self) -> Any:
        """The final message; before ``message_stop`` the error for a stream that was left unfinished."""
        if not self.accumulator.stopped:
            raise self.closed_error()
        return self.accumulator.final_message()

    def _apply_held_starts(self) -> None:
        """Apply the block starts held back (on the way to an error: they arrived, so they count)."""
        starts, self._starts = self._starts, []
        out: list[Any] = []
        for start in starts:
            try:
                self.accumulator.feed(start, out)
            except Exception:
                return

    def partial_message(self) -> Any:
        if self._starts:
            self._apply_held_starts()
        try:
            return self.accumulator.snapshot()
        except Exception:
            return None

    def _fail_after(self, exc: Exception) -> Iterator[Any]:
        """The events of the whole frames before a platform decoder's defect, then its typed error."""
        completed = getattr(exc, "completed", None)
        if completed:
            yield from self._apply(completed)
        raise self._framing_error(exc) from exc

    def _framing_error(self, exc: Exception) -> Exception:
        """The typed error for a platform decoder's exception (anything else is returned as it is)."""
        from .lib.bedrock._eventstream import EventStreamError

        if not isinstance(exc, EventStreamError):
            return exc
        return self.invalid(f"The stream's bytes are not a valid AWS event stream: {exc}", None)

    def protocol_error(self, exc: ProtocolError) -> APIResponseValidationError:
        """The typed error for events that break the protocol (a tool input that is not JSON has its own)."""
        if isinstance(exc, ToolInputProtocolError):
            return ToolInputJSONError(self.response, exc.body, message=str(exc), partial_message=self.partial_message())
        return self.invalid(f"The stream broke the Messages API protocol: {exc}", exc.body)

    def invalid(self, message: str, body: object) -> APIResponseValidationError:
        return APIResponseValidationError(
            self.response, body, message=message, partial_message=self.partial_message()
        )

    def closed_error(self) -> IncompleteStreamError:
        """The error for reading on after the caller closed the stream before ``message_stop``."""
        return IncompleteStreamError(
            message="The stream was closed before message_stop: there is no final message.",
            request=self.response.request,
            request_id=self.request_id,
            partial_message=self.partial_message(),
        )

    def transport_error(self, exc: Exception) -> APIConnectionError:
        """The typed error for a transport failure while reading the body."""
        return transport_error(
            exc, self.response.request, "stream", request_id=self.request_id, partial_message=self.partial_message()
        )


# The shells live in one module per colour (anthropic._async / anthropic._sync);
# they are found here, where users and the official client keep them.
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "Stream": "._sync.streams",
        "SyncEventPump": "._sync.streams:EventPump",
        "AsyncStream": "._async.streams",
        "AsyncEventPump": "._async.streams",
    },
)
