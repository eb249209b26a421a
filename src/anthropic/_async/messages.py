"""``client.messages`` and ``client.beta.messages`` (asynchronous; the sync twin is generated).

One resource class per colour, :class:`AsyncMessagesResource`, parameterised
by a :class:`~anthropic.resources._call.Flavour` (plain or beta).  The
subclasses :class:`AsyncMessages` and :class:`AsyncBetaMessages` only fix the
flavour and declare, for type checkers, the overloads of that flavour's
types; at run time each method is the one body below, showing ``inspect``
the keyword parameters of its flavour.  The beta flavour also has
``tool_runner`` (the loop of :mod:`anthropic._async.tool_runner`).

A resource reaches the API through an :class:`~anthropic._async.sending.AsyncSender`
and nothing else.  ``with_raw_response`` is the same resource answering with
an :class:`~anthropic._async.response.AsyncAPIResponse`; ``with_streaming_response``
answers with a context manager over a reply whose body is not read yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast, overload

import httpx2

from .._http import PreparedRequest, parse_json
from .._response import add_response_ids
from .._streaming import StreamCore
from ..resources._call import BETA, PLAIN, Call, Flavour, with_signature
from .response import AsyncResponseContextManager
from .sending import AsyncSender, sender_of
from .streams import AsyncEventPump, AsyncEventSourcePump, AsyncStream

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..lib.streaming._messages import (
        AsyncMessageStreamManager,
        BetaAsyncMessageStreamManager,
    )
    from ..resources._params import (
        BetaMessageBaseKwargs,
        BetaMessageCountTokensKwargs,
        BetaMessageCreateKwargs,
        BetaMessageStreamKwargs,
        BetaToolRunnerBaseKwargs,
        MessageBaseKwargs,
        MessageCountTokensKwargs,
        MessageCreateKwargs,
    )
    from ..types import Message, MessageTokensCount, ParsedMessage, RawMessageStreamEvent
    from ..types._parsed import ResponseFormatT
    from ..types.beta import BetaMessage, BetaMessageTokensCount, BetaRawMessageStreamEvent, ParsedBetaMessage
    from .api_client import AsyncAPIClient
    from .tool_runner import BetaAsyncStreamingToolRunner, BetaAsyncToolRunner

__all__ = ["AsyncBeta", "AsyncBetaMessages", "AsyncMessages", "AsyncMessagesResource"]

_METHODS = ("create", "stream", "parse", "count_tokens")
_Mode = Literal["parsed", "raw", "streaming"]


class AsyncMessagesResource:
    """The Messages calls of one flavour: create, stream, parse, count_tokens."""

    flavour: ClassVar[Flavour] = PLAIN

    def __init__(self, client: AsyncSender | Any, *, mode: _Mode = "parsed") -> None:
        self._sender = sender_of(client, type(self))
        self._client = self._sender.platform
        self._mode: _Mode = mode

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.flavour.specs:
            if name in cls.__dict__:  # a subclass's own override (a wrapper calling super()) is kept
                continue
            body = getattr(AsyncMessagesResource, f"_{name}")
            setattr(cls, name, with_signature(body, name, cls.flavour.specs[name], cls))

    @property
    def with_raw_response(self) -> Any:
        """This resource, answering each call with its raw reply (``.parse()`` gives the result)."""
        return type(self)(self._sender, mode="raw")

    @property
    def with_streaming_response(self) -> Any:
        """This resource, answering each call with a context manager over its unread reply."""
        return AsyncStreamingResponseMethods(type(self)(self._sender, mode="streaming"))

    @property
    def batches(self) -> Any:
        """``messages.batches`` of this flavour (the Message Batches API); ``None`` where the platform has none."""
        if not self._sender.platform.offers_batches:
            return None
        from .batches import AsyncBatches, AsyncBetaBatches

        return (AsyncBetaBatches if self.flavour.beta else AsyncBatches)(self._sender, mode=self._mode)

    # -- the one body of each method -----------------------------------------

    async def _create(self, **params: Any) -> Any:
        """Create a message; with ``stream=True``, an :class:`~anthropic.AsyncStream` of raw events."""
        call = self._call("create", params)
        if params.get("stream") is True:

            async def build_stream(response: httpx2.Response, prep: PreparedRequest) -> Any:
                return AsyncStream(self._pump(call, prep, response, derived=False))

            return await self._request(call, build_stream, stream=True)
        return await self._request(call, self._message_builder(call), stream=False)

    def _stream(self, **params: Any) -> Any:
        """Stream a message: ``async with client.messages.stream(...) as stream: ...``."""
        from ..lib.streaming import _messages

        call = self._call("stream", params)
        beta = self.flavour.beta
        stream_cls = _messages.BetaAsyncMessageStream if beta else _messages.AsyncMessageStream
        manager_cls = _messages.BetaAsyncMessageStreamManager if beta else _messages.AsyncMessageStreamManager

        async def build(response: httpx2.Response, prep: PreparedRequest) -> Any:
            return stream_cls(self._pump(call, prep, response, derived=True))

        async def open_stream() -> Any:
            return await self._request(call, build, stream=True, body_stream=True, mode="parsed", stream_cls=stream_cls)

        # What the manager's replaceable request attribute stands for (see AsyncEventSourcePump).
        async def build_raw(response: httpx2.Response, prep: PreparedRequest) -> Any:
            return AsyncStream(self._pump(call, prep, response, derived=False))

        async def open_raw() -> Any:
            return await self._request(call, build_raw, stream=True, body_stream=True, mode="parsed")

        def from_events(source: Any, opened: list[Any]) -> Any:
            return stream_cls(AsyncEventSourcePump(source, accumulator=call.accumulator(derived=True), opened=opened))

        return manager_cls(open_stream, raw_request=open_raw, from_events=from_events)

    async def _parse(self, **params: Any) -> Any:
        """Create a message and validate its text as ``output_format``."""
        call = self._call("parse", params)
        return await self._request(call, self._message_builder(call), stream=False, cast_to=self.flavour.parsed)

    async def _count_tokens(self, **params: Any) -> Any:
        """Count the input tokens of a would-be request."""
        call = self._call("count_tokens", params)
        flavour = self.flavour

        async def build(response: httpx2.Response, prep: PreparedRequest | None) -> Any:
            await response.aread()
            return flavour.tokens_count(parse_json(response))

        return await self._request(
            call, build, stream=False, path="v1/messages/count_tokens", cast_to=flavour.tokens_count_class
        )

    def _tool_runner(self, **params: Any) -> Any:
        """Run the tools the model calls until it stops calling them (beta only): an iterator of its replies."""
        from ..resources._call import reject_two_output_formats, warn_about_model
        from ..resources._params import check_kwargs, split_kwargs
        from .tool_runner import BetaAsyncStreamingToolRunner, BetaAsyncToolRunner

        check_kwargs(f"{self.flavour.name}.tool_runner", params, self.flavour.specs["tool_runner"])
        warn_about_model(params)
        body, options = split_kwargs(params)
        reject_two_output_formats(body)
        tools = list(body.pop("tools"))
        max_iterations = body.pop("max_iterations", None)
        eager = bool(body.pop("run_tools_eagerly", False))
        stream = bool(body.pop("stream", False))
        if eager and not stream:
            raise ValueError("`run_tools_eagerly=True` and `stream=False` are mutually exclusive")
        resource = type(self)(self._sender)
        if stream:
            return BetaAsyncStreamingToolRunner(
                params=body,
                options=options,
                tools=tools,
                max_iterations=max_iterations,
                run_tools_eagerly=eager,
                _resource=resource,
            )
        return BetaAsyncToolRunner(
            params=body, options=options, tools=tools, max_iterations=max_iterations, _resource=resource
        )

    # -- shared by the bodies --------------------------------------------------

    def _call(self, method: str, params: Mapping[str, Any]) -> Call:
        return Call(self._sender.platform, self.flavour, method, params)

    @staticmethod
    def _message_builder(call: Call) -> Any:
        async def build(response: httpx2.Response, prep: PreparedRequest | None) -> Any:
            await response.aread()
            return call.message(response, parse_json(response))

        return build

    async def _request(
        self,
        call: Call,
        build: Any,
        *,
        stream: bool,
        path: str = "v1/messages",
        body_stream: bool | None = None,
        mode: _Mode | None = None,
        cast_to: Any = None,
        stream_cls: Any = None,
    ) -> Any:
        """Send the call through the client's :meth:`~anthropic._async.api_client.AsyncAPIClient.request`."""
        mode = self._mode if mode is None else mode
        if not stream:
            build = _with_response_ids(build)
        kind = None if mode == "parsed" else ("raw" if mode == "raw" else "stream")
        options = call.request_options(path, build, stream=body_stream, response_kind=kind)
        client = cast("AsyncAPIClient", self._client)
        if cast_to is None:
            cast_to = self.flavour.message_class
        if stream and stream_cls is None:
            stream_cls = AsyncStream
        return await client.request(cast_to, options, stream=stream, stream_cls=stream_cls)

    def _pump(self, call: Call, prep: PreparedRequest, response: httpx2.Response, *, derived: bool) -> AsyncEventPump:
        sender = self._sender
        decoder = sender.platform.event_decoder

        def resend() -> Any:
            if prep.resend is not None:  # the client's middleware chain
                return prep.resend()
            return sender.send(prep, stream=True)

        def new_core(response: httpx2.Response) -> StreamCore:
            return StreamCore(call.accumulator(derived=derived), response, decoder())

        return AsyncEventPump(response, prep=prep, resend=resend, new_core=new_core, sleep=sender.sleep)


class AsyncStreamingResponseMethods:
    """``resource.with_streaming_response``: each method returns a context manager over the unread reply."""

    def __init__(self, resource: AsyncMessagesResource) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Any:
        if name == "batches":
            return self._resource.batches.with_streaming_response
        if name not in _METHODS or name == "stream":
            raise AttributeError(f"with_streaming_response has no method {name!r}")
        method = getattr(self._resource, name)

        def open_response(**params: Any) -> AsyncResponseContextManager[Any]:
            return AsyncResponseContextManager(lambda: method(**params))

        open_response.__signature__ = getattr(method, "__signature__", None)  # type: ignore[attr-defined]
        return open_response


class AsyncMessages(AsyncMessagesResource):
    """``client.messages``."""

    flavour = PLAIN

    if TYPE_CHECKING:

        @overload
        async def create(
            self, *, stream: Literal[True], **params: Unpack[MessageBaseKwargs]
        ) -> AsyncStream[RawMessageStreamEvent]: ...
        @overload
        async def create(self, *, stream: Literal[False] = ..., **params: Unpack[MessageBaseKwargs]) -> Message: ...
        @overload
        async def create(self, **params: Unpack[MessageCreateKwargs]) -> Message | AsyncStream[RawMessageStreamEvent]: ...
        async def create(self, **params: Any) -> Any:
            return await self._create(**params)

        @overload
        def stream(
            self, *, output_format: type[ResponseFormatT], **params: Unpack[MessageBaseKwargs]
        ) -> AsyncMessageStreamManager[ResponseFormatT]: ...
        @overload
        def stream(
            self, *, output_format: Mapping[str, Any], **params: Unpack[MessageBaseKwargs]
        ) -> AsyncMessageStreamManager[Any]: ...
        @overload
        def stream(self, **params: Unpack[MessageBaseKwargs]) -> AsyncMessageStreamManager[None]: ...
        def stream(self, **params: Any) -> Any:
            return self._stream(**params)

        @overload
        async def parse(
            self, *, output_format: type[ResponseFormatT], **params: Unpack[MessageBaseKwargs]
        ) -> ParsedMessage[ResponseFormatT]: ...
        @overload
        async def parse(
            self, *, output_format: Mapping[str, Any], **params: Unpack[MessageBaseKwargs]
        ) -> ParsedMessage[Any]: ...
        @overload
        async def parse(self, **params: Unpack[MessageBaseKwargs]) -> ParsedMessage[None]: ...
        async def parse(self, **params: Any) -> Any:
            return await self._parse(**params)

        async def count_tokens(self, **params: Unpack[MessageCountTokensKwargs]) -> MessageTokensCount:
            return await self._count_tokens(**params)  # type: ignore[no-any-return]


class AsyncBetaMessages(AsyncMessagesResource):
    """``client.beta.messages``: the same calls, with ``betas=[...]`` and beta types."""

    flavour = BETA

    if TYPE_CHECKING:

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
            return await self._create(**params)

        @overload
        def stream(
            self, *, output_format: type[ResponseFormatT], **params: Unpack[BetaMessageBaseKwargs]
        ) -> BetaAsyncMessageStreamManager[ResponseFormatT]: ...
        @overload
        def stream(
            self, *, output_format: Mapping[str, Any], **params: Unpack[BetaMessageBaseKwargs]
        ) -> BetaAsyncMessageStreamManager[Any]: ...
        @overload
        def stream(self, **params: Unpack[BetaMessageBaseKwargs]) -> BetaAsyncMessageStreamManager[None]: ...
        def stream(self, **params: Any) -> Any:
            return self._stream(**params)

        @overload
        async def parse(
            self, *, output_format: type[ResponseFormatT], **params: Unpack[BetaMessageBaseKwargs]
        ) -> ParsedBetaMessage[ResponseFormatT]: ...
        @overload
        async def parse(
            self, *, output_format: Mapping[str, Any], **params: Unpack[BetaMessageBaseKwargs]
        ) -> ParsedBetaMessage[Any]: ...
        @overload
        async def parse(self, **params: Unpack[BetaMessageBaseKwargs]) -> ParsedBetaMessage[None]: ...
        async def parse(self, **params: Any) -> Any:
            return await self._parse(**params)

        async def count_tokens(self, **params: Unpack[BetaMessageCountTokensKwargs]) -> BetaMessageTokensCount:
            return await self._count_tokens(**params)  # type: ignore[no-any-return]

        @overload
        def tool_runner(
            self, *, stream: Literal[True], output_format: type[ResponseFormatT], **params: Unpack[BetaToolRunnerBaseKwargs]
        ) -> BetaAsyncStreamingToolRunner[ResponseFormatT]: ...
        @overload
        def tool_runner(
            self, *, stream: Literal[True], **params: Unpack[BetaToolRunnerBaseKwargs]
        ) -> BetaAsyncStreamingToolRunner[None]: ...
        @overload
        def tool_runner(
            self, *, stream: Literal[False] = ..., output_format: type[ResponseFormatT], **params: Unpack[BetaToolRunnerBaseKwargs]
        ) -> BetaAsyncToolRunner[ResponseFormatT]: ...
        @overload
        def tool_runner(
            self, *, stream: Literal[False] = ..., **params: Unpack[BetaToolRunnerBaseKwargs]
        ) -> BetaAsyncToolRunner[None]: ...
        def tool_runner(self, **params: Any) -> Any:
            return self._tool_runner(**params)


class AsyncBeta:
    """``client.beta``: the API's beta surface."""

    def __init__(self, client: AsyncSender | Any, *, mode: _Mode = "parsed") -> None:
        self._sender = sender = sender_of(client, type(self))
        self._client = sender.platform
        self._mode: _Mode = mode
        self.messages = AsyncBetaMessages(sender, mode=mode)

    @property
    def models(self) -> Any:
        """``beta.models``."""
        from .batches import AsyncBetaModels

        return AsyncBetaModels(self._sender, mode=self._mode)

    @property
    def with_raw_response(self) -> AsyncBeta:
        return AsyncBeta(self._sender, mode="raw")

    @property
    def with_streaming_response(self) -> AsyncBetaStreamingResponse:
        return AsyncBetaStreamingResponse(self._sender)


class AsyncBetaStreamingResponse:
    """``client.beta.with_streaming_response``."""

    def __init__(self, sender: AsyncSender) -> None:
        from .batches import AsyncBetaModels

        self.messages = AsyncBetaMessages(sender).with_streaming_response
        self.models = AsyncBetaModels(sender).with_streaming_response


def _with_response_ids(build: Any) -> Any:
    """``build``, then the reply's ids put on what it built (see :func:`~anthropic._response.add_response_ids`)."""

    async def build_with_ids(response: httpx2.Response, *rest: Any) -> Any:
        return add_response_ids(await build(response, *rest), response)

    return build_with_ids
