"""``client.messages`` and ``client.beta.messages``: create, stream, parse, count_tokens.

Everything that is not I/O (argument checks, the body, the beta header, the
output format, which classes to build) happens in :class:`_Call`; the four
resource classes below only send and wrap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from .._errors import APIResponseValidationError, StructuredOutputError
from .._streaming import AsyncEventPump, AsyncStream, Stream, SyncEventPump
from ..lib._parse import OutputFormat, resolve_output_format
from ..lib.streaming._accumulator import MessageAccumulator, TypeTable
from ..lib.streaming._messages import (
    AsyncMessageStream,
    AsyncMessageStreamManager,
    BetaAsyncMessageStream,
    BetaAsyncMessageStreamManager,
    BetaMessageStream,
    BetaMessageStreamManager,
    MessageStream,
    MessageStreamManager,
)
from ..types._parsed import ResponseFormatT
from ._params import (
    BetaMessageBaseKwargs,
    BetaMessageCountTokensKwargs,
    BetaMessageCreateKwargs,
    BetaMessageStreamKwargs,
    MessageBaseKwargs,
    MessageCountTokensKwargs,
    MessageCreateKwargs,
    MessageStreamKwargs,
    check_kwargs,
    split_kwargs,
)

if TYPE_CHECKING:
    import httpx2

    from .._client import Anthropic, AsyncAnthropic, PreparedRequest, _BaseClient
    from ..types import Message, MessageTokensCount, ParsedMessage, RawMessageStreamEvent
    from ..types.beta import BetaMessage, BetaMessageTokensCount, BetaRawMessageStreamEvent, ParsedBetaMessage

__all__ = ["AsyncBetaMessages", "AsyncMessages", "BetaMessages", "Messages"]

_BETA_QUERY = {"beta": "true"}


class _Call:
    """One call's arguments, checked and turned into a request and the machinery to read it."""

    def __init__(self, client: _BaseClient[Any], method: str, params: Mapping[str, Any], spec: type, *, beta: bool):
        check_kwargs(method, params, spec)
        self.client = client
        self.beta = beta
        body, self.options = split_kwargs(params)
        self.betas: list[str] = list(body.pop("betas", None) or ())
        raw_format = body.pop("output_format", None)
        self.output_format: OutputFormat | None = None
        if raw_format is not None:
            self.output_format = resolve_output_format(raw_format)
            if beta:
                body["output_format"] = self.output_format.wire
            else:
                config = dict(body.get("output_config") or {})
                config["format"] = self.output_format.wire
                body["output_config"] = config
        self.body = body
        self.table: TypeTable = _tables(beta)

    def prepare(self, path: str, *, stream: bool | None = None) -> PreparedRequest:
        body = dict(self.body)
        if stream is not None:
            body["stream"] = stream
        headers: dict[str, Any] = dict(self.options.get("extra_headers") or {})
        if self.betas:
            existing = [v for k, v in headers.items() if k.lower() == "anthropic-beta" and isinstance(v, str)]
            for key in [k for k in headers if k.lower() == "anthropic-beta"]:
                del headers[key]
            names: list[str] = []
            for name in [*self.betas, *(p.strip() for v in existing for p in v.split(","))]:
                if name and name not in names:
                    names.append(name)
            headers["anthropic-beta"] = ",".join(names)
        query = dict(self.options.get("extra_query") or {})
        if self.beta:
            query = {**_BETA_QUERY, **query}
        kwargs: dict[str, Any] = {}
        if "timeout" in self.options:
            kwargs["timeout"] = self.options["timeout"]
        return self.client._prepare(
            "POST",
            path,
            body=body,
            extra_headers=headers,
            extra_query=query,
            extra_body=self.options.get("extra_body"),
            **kwargs,
        )

    def accumulator(self, *, derived: bool = True) -> MessageAccumulator:
        fmt = self.output_format
        fine_grained = any("fine-grained-tool-streaming" in b for b in self.betas)
        return MessageAccumulator(
            self.table,
            derived=derived,
            parse_output=fmt.parse if fmt is not None and derived else None,
            trailing_string_tool_input=fine_grained,
        )

    def message(self, response: httpx2.Response, data: Any) -> Any:
        """The ``Message`` of a non-streamed reply (parsed when an output format was given)."""
        import pydantic

        fmt = self.output_format
        try:
            if fmt is None:
                return self.table.plain_message.model_validate(data)
            content = []
            for block in data.get("content") or ():
                if isinstance(block, dict) and block.get("type") == "text":
                    block = {**block, "parsed_output": fmt.parse(block.get("text", ""))}
                content.append(block)
            return self.table.parsed_message.model_validate({**data, "content": content})
        except StructuredOutputError as exc:
            exc.request_id = response.headers.get("request-id")
            raise
        except (pydantic.ValidationError, AttributeError, TypeError) as exc:
            raise APIResponseValidationError(response, data, message=f"The response is not a Message: {exc}")


def _tables(beta: bool) -> TypeTable:
    from ..lib.streaming._tables import beta_table, plain_table

    return beta_table() if beta else plain_table()


class Messages:
    """``client.messages`` (synchronous)."""

    _beta = False
    _create_spec: type = MessageCreateKwargs
    _stream_spec: type = MessageStreamKwargs
    _count_spec: type = MessageCountTokensKwargs

    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @overload
    def create(self, *, stream: Literal[True], **params: Unpack[MessageBaseKwargs]) -> Stream[RawMessageStreamEvent]: ...
    @overload
    def create(self, *, stream: Literal[False] = ..., **params: Unpack[MessageBaseKwargs]) -> Message: ...
    @overload
    def create(self, **params: Unpack[MessageCreateKwargs]) -> Message | Stream[RawMessageStreamEvent]: ...
    def create(self, **params: Any) -> Any:
        """Create a message; with ``stream=True``, a :class:`~anthropic.Stream` of raw events."""
        return _create_sync(self._client, "messages.create", params, self._create_spec, self._beta)

    @overload
    def stream(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[MessageBaseKwargs]
    ) -> MessageStreamManager[ResponseFormatT]: ...
    @overload
    def stream(self, *, output_format: Mapping[str, Any], **params: Unpack[MessageBaseKwargs]) -> MessageStreamManager[Any]: ...
    @overload
    def stream(self, **params: Unpack[MessageBaseKwargs]) -> MessageStreamManager[None]: ...
    def stream(self, **params: Any) -> Any:
        """Stream a message: ``with client.messages.stream(...) as stream: ...``."""
        call = _Call(self._client, "messages.stream", params, self._stream_spec, beta=self._beta)
        return MessageStreamManager(lambda: _open_sync(call, MessageStream))

    @overload
    def parse(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[MessageBaseKwargs]
    ) -> ParsedMessage[ResponseFormatT]: ...
    @overload
    def parse(self, *, output_format: Mapping[str, Any], **params: Unpack[MessageBaseKwargs]) -> ParsedMessage[Any]: ...
    @overload
    def parse(self, **params: Unpack[MessageBaseKwargs]) -> ParsedMessage[None]: ...
    def parse(self, **params: Any) -> Any:
        """Create a message and validate its text as ``output_format``."""
        call = _Call(self._client, "messages.parse", params, self._stream_spec, beta=self._beta)
        return _message_sync(call)  # type: ignore[no-any-return]

    def count_tokens(self, **params: Unpack[MessageCountTokensKwargs]) -> MessageTokensCount:
        """Count the input tokens of a would-be request."""
        call = _Call(self._client, "messages.count_tokens", params, self._count_spec, beta=self._beta)
        prep = call.prepare("v1/messages/count_tokens")
        return _tokens_count(self._beta, self._client._request_json(prep))  # type: ignore[no-any-return]


class AsyncMessages:
    """``client.messages`` (asynchronous)."""

    _beta = False
    _create_spec: type = MessageCreateKwargs
    _stream_spec: type = MessageStreamKwargs
    _count_spec: type = MessageCountTokensKwargs

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[MessageBaseKwargs]
    ) -> AsyncStream[RawMessageStreamEvent]: ...
    @overload
    async def create(self, *, stream: Literal[False] = ..., **params: Unpack[MessageBaseKwargs]) -> Message: ...
    @overload
    async def create(self, **params: Unpack[MessageCreateKwargs]) -> Message | AsyncStream[RawMessageStreamEvent]: ...
    async def create(self, **params: Any) -> Any:
        """Create a message; with ``stream=True``, an :class:`~anthropic.AsyncStream` of raw events."""
        return await _create_async(self._client, "messages.create", params, self._create_spec, self._beta)

    @overload
    def stream(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[MessageBaseKwargs]
    ) -> AsyncMessageStreamManager[ResponseFormatT]: ...
    @overload
    def stream(self, *, output_format: Mapping[str, Any], **params: Unpack[MessageBaseKwargs]) -> AsyncMessageStreamManager[Any]: ...
    @overload
    def stream(self, **params: Unpack[MessageBaseKwargs]) -> AsyncMessageStreamManager[None]: ...
    def stream(self, **params: Any) -> Any:
        """Stream a message: ``async with client.messages.stream(...) as stream: ...``."""
        call = _Call(self._client, "messages.stream", params, self._stream_spec, beta=self._beta)
        return AsyncMessageStreamManager(lambda: _open_async(call, AsyncMessageStream))

    @overload
    async def parse(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[MessageBaseKwargs]
    ) -> ParsedMessage[ResponseFormatT]: ...
    @overload
    async def parse(self, *, output_format: Mapping[str, Any], **params: Unpack[MessageBaseKwargs]) -> ParsedMessage[Any]: ...
    @overload
    async def parse(self, **params: Unpack[MessageBaseKwargs]) -> ParsedMessage[None]: ...
    async def parse(self, **params: Any) -> Any:
        """Create a message and validate its text as ``output_format``."""
        call = _Call(self._client, "messages.parse", params, self._stream_spec, beta=self._beta)
        return await _message_async(call)  # type: ignore[no-any-return]

    async def count_tokens(self, **params: Unpack[MessageCountTokensKwargs]) -> MessageTokensCount:
        """Count the input tokens of a would-be request."""
        call = _Call(self._client, "messages.count_tokens", params, self._count_spec, beta=self._beta)
        prep = call.prepare("v1/messages/count_tokens")
        return _tokens_count(self._beta, await self._client._request_json(prep))  # type: ignore[no-any-return]


class BetaMessages:
    """``client.beta.messages`` (synchronous): the same calls, with ``betas=[...]`` and beta types."""

    _beta = True
    _create_spec: type = BetaMessageCreateKwargs
    _stream_spec: type = BetaMessageStreamKwargs
    _count_spec: type = BetaMessageCountTokensKwargs

    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @overload
    def create(
        self, *, stream: Literal[True], **params: Unpack[BetaMessageStreamKwargs]
    ) -> Stream[BetaRawMessageStreamEvent]: ...
    @overload
    def create(self, *, stream: Literal[False] = ..., **params: Unpack[BetaMessageStreamKwargs]) -> BetaMessage: ...
    @overload
    def create(self, **params: Unpack[BetaMessageCreateKwargs]) -> BetaMessage | Stream[BetaRawMessageStreamEvent]: ...
    def create(self, **params: Any) -> Any:
        """Create a message; with ``stream=True``, a :class:`~anthropic.Stream` of raw beta events."""
        return _create_sync(self._client, "beta.messages.create", params, self._create_spec, self._beta)

    @overload
    def stream(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[BetaMessageBaseKwargs]
    ) -> BetaMessageStreamManager[ResponseFormatT]: ...
    @overload
    def stream(self, *, output_format: Mapping[str, Any], **params: Unpack[BetaMessageBaseKwargs]) -> BetaMessageStreamManager[Any]: ...
    @overload
    def stream(self, **params: Unpack[BetaMessageBaseKwargs]) -> BetaMessageStreamManager[None]: ...
    def stream(self, **params: Any) -> Any:
        """Stream a message; ``output_format=Model`` parses structured output as it arrives."""
        call = _Call(self._client, "beta.messages.stream", params, self._stream_spec, beta=True)
        return BetaMessageStreamManager(lambda: _open_sync(call, BetaMessageStream))

    @overload
    def parse(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[BetaMessageBaseKwargs]
    ) -> ParsedBetaMessage[ResponseFormatT]: ...
    @overload
    def parse(self, *, output_format: Mapping[str, Any], **params: Unpack[BetaMessageBaseKwargs]) -> ParsedBetaMessage[Any]: ...
    @overload
    def parse(self, **params: Unpack[BetaMessageBaseKwargs]) -> ParsedBetaMessage[None]: ...
    def parse(self, **params: Any) -> Any:
        """Create a message and validate its text as ``output_format``."""
        call = _Call(self._client, "beta.messages.parse", params, self._stream_spec, beta=True)
        return _message_sync(call)  # type: ignore[no-any-return]

    def count_tokens(self, **params: Unpack[BetaMessageCountTokensKwargs]) -> BetaMessageTokensCount:
        """Count the input tokens of a would-be request."""
        call = _Call(self._client, "beta.messages.count_tokens", params, self._count_spec, beta=True)
        prep = call.prepare("v1/messages/count_tokens")
        return _tokens_count(True, self._client._request_json(prep))  # type: ignore[no-any-return]


class AsyncBetaMessages:
    """``client.beta.messages`` (asynchronous)."""

    _beta = True
    _create_spec: type = BetaMessageCreateKwargs
    _stream_spec: type = BetaMessageStreamKwargs
    _count_spec: type = BetaMessageCountTokensKwargs

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[BetaMessageStreamKwargs]
    ) -> AsyncStream[BetaRawMessageStreamEvent]: ...
    @overload
    async def create(
        self, *, stream: Literal[False] = ..., **params: Unpack[BetaMessageStreamKwargs]
    ) -> BetaMessage: ...
    @overload
    async def create(
        self, **params: Unpack[BetaMessageCreateKwargs]
    ) -> BetaMessage | AsyncStream[BetaRawMessageStreamEvent]: ...
    async def create(self, **params: Any) -> Any:
        """Create a message; with ``stream=True``, an :class:`~anthropic.AsyncStream` of raw beta events."""
        return await _create_async(self._client, "beta.messages.create", params, self._create_spec, self._beta)

    @overload
    def stream(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[BetaMessageBaseKwargs]
    ) -> BetaAsyncMessageStreamManager[ResponseFormatT]: ...
    @overload
    def stream(self, *, output_format: Mapping[str, Any], **params: Unpack[BetaMessageBaseKwargs]) -> BetaAsyncMessageStreamManager[Any]: ...
    @overload
    def stream(self, **params: Unpack[BetaMessageBaseKwargs]) -> BetaAsyncMessageStreamManager[None]: ...
    def stream(self, **params: Any) -> Any:
        """Stream a message; ``output_format=Model`` parses structured output as it arrives."""
        call = _Call(self._client, "beta.messages.stream", params, self._stream_spec, beta=True)
        return BetaAsyncMessageStreamManager(lambda: _open_async(call, BetaAsyncMessageStream))

    @overload
    async def parse(
        self, *, output_format: type[ResponseFormatT], **params: Unpack[BetaMessageBaseKwargs]
    ) -> ParsedBetaMessage[ResponseFormatT]: ...
    @overload
    async def parse(self, *, output_format: Mapping[str, Any], **params: Unpack[BetaMessageBaseKwargs]) -> ParsedBetaMessage[Any]: ...
    @overload
    async def parse(self, **params: Unpack[BetaMessageBaseKwargs]) -> ParsedBetaMessage[None]: ...
    async def parse(self, **params: Any) -> Any:
        """Create a message and validate its text as ``output_format``."""
        call = _Call(self._client, "beta.messages.parse", params, self._stream_spec, beta=True)
        return await _message_async(call)  # type: ignore[no-any-return]

    async def count_tokens(self, **params: Unpack[BetaMessageCountTokensKwargs]) -> BetaMessageTokensCount:
        """Count the input tokens of a would-be request."""
        call = _Call(self._client, "beta.messages.count_tokens", params, self._count_spec, beta=True)
        prep = call.prepare("v1/messages/count_tokens")
        return _tokens_count(True, await self._client._request_json(prep))  # type: ignore[no-any-return]


# -- the I/O, once per colour -------------------------------------------------


def _create_sync(client: Anthropic, method: str, params: Mapping[str, Any], spec: type, beta: bool) -> Any:
    call = _Call(client, method, params, spec, beta=beta)
    if params.get("stream") is True:
        prep = call.prepare("v1/messages")
        response = client._send(prep, stream=True)
        return Stream(SyncEventPump(client, prep, response, lambda: call.accumulator(derived=False)))
    return _message_sync(call)


async def _create_async(client: AsyncAnthropic, method: str, params: Mapping[str, Any], spec: type, beta: bool) -> Any:
    call = _Call(client, method, params, spec, beta=beta)
    if params.get("stream") is True:
        prep = call.prepare("v1/messages")
        response = await client._send(prep, stream=True)
        return AsyncStream(AsyncEventPump(client, prep, response, lambda: call.accumulator(derived=False)))
    return await _message_async(call)


def _message_sync(call: _Call) -> Any:
    client: Anthropic = call.client  # type: ignore[assignment]
    response = client._send(call.prepare("v1/messages"), stream=False)
    return call.message(response, client._parse_json(response))


async def _message_async(call: _Call) -> Any:
    client: AsyncAnthropic = call.client  # type: ignore[assignment]
    response = await client._send(call.prepare("v1/messages"), stream=False)
    return call.message(response, client._parse_json(response))


def _open_sync(call: _Call, stream_cls: type[Any]) -> Any:
    client: Anthropic = call.client  # type: ignore[assignment]
    prep = call.prepare("v1/messages", stream=True)
    response = client._send(prep, stream=True)
    return stream_cls(SyncEventPump(client, prep, response, call.accumulator))


async def _open_async(call: _Call, stream_cls: type[Any]) -> Any:
    client: AsyncAnthropic = call.client  # type: ignore[assignment]
    prep = call.prepare("v1/messages", stream=True)
    response = await client._send(prep, stream=True)
    return stream_cls(AsyncEventPump(client, prep, response, call.accumulator))


def _tokens_count(beta: bool, data: Any) -> Any:
    if beta:
        from ..types.beta import BetaMessageTokensCount

        return BetaMessageTokensCount.model_validate(data)
    from ..types import MessageTokensCount

    return MessageTokensCount.model_validate(data)
