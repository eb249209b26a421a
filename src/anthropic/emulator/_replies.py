"""Scripted replies for tests, and the record of the requests the emulator received.

A :class:`Reply` is one of four kinds, each its own type:

* :class:`MessageReply` (``Reply.text`` / ``Reply.message``): content blocks,
  served as JSON or as a stream, as the request asks;
* :class:`SSEReply` (``Reply.sse``): a recorded event-stream body, byte for byte;
* :class:`JSONReply` (``Reply.json``): a body sent as it is;
* :class:`ErrorReply` (``Reply.error``): the API's error shape.

Build them with the ``Reply`` class methods; the handler dispatches on the type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ._faults import Fault

__all__ = ["ErrorReply", "JSONReply", "MessageReply", "RecordedRequest", "Reply", "SSEReply"]


class _ReplyType(type):
    """Lets ``Reply(kind=..., **fields)`` (the older spelling) build the reply type of that kind."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Reply:
            kind = kwargs.pop("kind", None)
            kinds: dict[Any, type[Reply]] = {
                "message": MessageReply,
                "sse": SSEReply,
                "json": JSONReply,
                "error": ErrorReply,
            }
            if args or kind not in kinds:
                raise TypeError(
                    "build a Reply with Reply.text(), .message(), .sse(), .json() or .error() "
                    "(or Reply(kind='message' | 'sse' | 'json' | 'error', ...))"
                )
            if kind == "sse":
                kwargs.setdefault("chunk_size", 1)
            if kind == "message" and "content" in kwargs:
                kwargs["content"] = tuple(dict(b) for b in kwargs["content"])
            return kinds[kind](**kwargs)
        return super().__call__(*args, **kwargs)


@dataclass(frozen=True, kw_only=True)
class Reply(metaclass=_ReplyType):
    """One scripted answer to the next ``POST /v1/messages``.

    Build it with the class methods: :meth:`text` and :meth:`message` are
    served streamed or as JSON as the request asks; :meth:`sse` replays a body
    byte for byte; :meth:`json` and :meth:`error` send a body as they are.
    Every constructor takes ``fault=`` to apply a :class:`Fault` to this reply.
    """

    fault: Fault | None = None

    @classmethod
    def text(
        cls,
        text: str,
        *,
        stop_reason: str | None = "end_turn",
        stop_sequence: str | None = None,
        usage: Mapping[str, Any] | None = None,
        model: str | None = None,
        fault: Fault | None = None,
    ) -> MessageReply:
        """A message with one text block."""
        return cls.message(
            [{"type": "text", "text": text}],
            stop_reason=stop_reason,
            stop_sequence=stop_sequence,
            usage=usage,
            model=model,
            fault=fault,
        )

    @classmethod
    def message(
        cls,
        content: Sequence[Mapping[str, Any]],
        *,
        stop_reason: str | None = "end_turn",
        stop_sequence: str | None = None,
        usage: Mapping[str, Any] | None = None,
        model: str | None = None,
        id: str | None = None,
        fault: Fault | None = None,
        **extra: Any,
    ) -> MessageReply:
        """A message with exactly these content blocks, any types.

        ``usage`` entries override the computed ones (``input_tokens`` from the
        request, ``output_tokens`` from the content); ``model`` defaults to the
        request's; ``extra`` keys are added to the message as they are.
        """
        blocks = tuple(json.loads(json.dumps(dict(b))) for b in content)
        for block in blocks:
            if not isinstance(block.get("type"), str):
                raise ValueError(f"every content block needs a 'type': {block!r}")
        return MessageReply(
            content=blocks,
            stop_reason=stop_reason,
            stop_sequence=stop_sequence,
            usage=dict(usage) if usage is not None else None,
            model=model,
            id=id,
            fault=fault,
            extra=dict(extra),
        )

    @classmethod
    def sse(
        cls,
        body: bytes | str,
        *,
        chunk_size: int | None = None,
        chunk_delay: float = 0.0,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        fault: Fault | None = None,
    ) -> SSEReply:
        """A recorded ``text/event-stream`` body, sent byte for byte.

        The body goes out in pieces of ``chunk_size`` bytes (``None``: all at
        once), each written and flushed on its own, ``chunk_delay`` seconds apart.
        """
        if chunk_size is not None and chunk_size < 1:
            raise ValueError("chunk_size must be at least 1 (or None for one piece)")
        raw = body.encode() if isinstance(body, str) else bytes(body)
        return SSEReply(
            body=raw,
            status=status,
            headers=dict(headers or {}),
            chunk_size=chunk_size,
            chunk_delay=chunk_delay,
            fault=fault,
        )

    @classmethod
    def json(
        cls,
        obj: Any,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        fault: Fault | None = None,
    ) -> JSONReply:
        """``obj`` serialised as the JSON body, whatever the request asked for."""
        raw = json.dumps(obj, ensure_ascii=False).encode()
        return JSONReply(body=raw, status=status, headers=dict(headers or {}), fault=fault)

    @classmethod
    def error(
        cls,
        status: int,
        error_type: str | None = None,
        message: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        fault: Fault | None = None,
    ) -> ErrorReply:
        """An API-shaped error: ``{"type": "error", "error": {...}, "request_id": ...}``."""
        if not 400 <= status <= 599:
            raise ValueError(f"an error reply needs an error status (400-599), not {status}")
        return ErrorReply(
            status=status,
            error_type=error_type,
            error_message=message,
            headers=dict(headers or {}),
            fault=fault,
        )


@dataclass(frozen=True, kw_only=True)
class MessageReply(Reply):
    """Content blocks served as a message, streamed or not as the request asks."""

    kind: ClassVar[str] = "message"
    content: tuple[dict[str, Any], ...]
    stop_reason: str | None = "end_turn"
    stop_sequence: str | None = None
    usage: Mapping[str, Any] | None = None
    model: str | None = None
    id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SSEReply(Reply):
    """A recorded event-stream body sent byte for byte, in pieces."""

    kind: ClassVar[str] = "sse"
    body: bytes
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    chunk_size: int | None = None
    chunk_delay: float = 0.0


@dataclass(frozen=True, kw_only=True)
class JSONReply(Reply):
    """A body sent as it is, with its status and headers."""

    kind: ClassVar[str] = "json"
    body: bytes
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ErrorReply(Reply):
    """The API's error shape with this status (type and message default from it)."""

    kind: ClassVar[str] = "error"
    status: int
    error_type: str | None = None
    error_message: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the emulator received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any
    request_id: str

    @property
    def stream(self) -> bool:
        """Whether the request asked for a stream (in its body, or by Bedrock's streaming path)."""
        if self.path.endswith("/invoke-with-response-stream"):
            return True
        return isinstance(self.json, dict) and self.json.get("stream") is True
