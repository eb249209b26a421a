"""``AsyncAPIClient``: the request seam of the client (asynchronous; the sync twin is generated).

Every call of the resources (Messages: ``create``, ``stream``, ``parse``,
``count_tokens``; Message Batches; Models; plain and beta) goes through one
method, :meth:`AsyncAPIClient.request`, with its
:class:`~anthropic._options.FinalRequestOptions`: code that patches
``AsyncAPIClient.request`` (as Inspect's agent bridge does, to answer some
models itself) sees each of those calls and may answer it without I/O, and the
client's middleware runs for each.

``request(cast_to, options, *, stream=False, stream_cls=None)`` prepares the
call with the client's ``prepare_request`` (the platform seam), sends it with
retries, and builds the result: the method's own builder carried by the
options, else ``cast_to`` validated from the JSON reply.  A call made through
``with_raw_response`` or ``with_streaming_response`` gets the reply itself, an
:class:`~anthropic._async.response.AsyncAPIResponse`: its options carry that
wish as a marker header (``FinalRequestOptions.answer_with``), which is read
here and never sent.

The generic verbs ``get``, ``post``, ``put``, ``patch``, ``delete`` and
``get_api_list`` send a request the resources do not make (a path of the API
this package does not cover, or a parameter it does not know yet) through the
same seam, with the client's credentials, headers, retries and typed errors.
``cast_to`` says what to return: ``httpx2.Response`` (the reply, read),
``str``, ``bytes``, ``object`` (the JSON as Python values), ``None``, or a
model class (validated from the JSON, with ``_request_id``).  Streamed replies
come only from the resources (``client.messages.create(stream=True)``,
``client.messages.stream(...)``): ``stream=True`` here is a ``TypeError``
before any I/O.

A client made with ``middleware=`` sends each call through its chain
(:mod:`anthropic._middleware`) instead: once per attempt, inside a retry loop
of its own, each attempt an :class:`~anthropic._request.APIRequest` built
afresh from the call and sent by :meth:`AsyncSender.attempt`, whose reply the
chain gets whatever its status; the error replies the chain returns are
retried or raised here, after it.  A stream's re-send (a failure before any
event reached the caller) runs the chain again, through the prepared request's
``resend``.  Without middleware the chain is ``None`` and :meth:`request` does
nothing more than one test of it.

The helpers a wrapper needs are here too: :meth:`_copy_and_prepare` (the
options with ``extra_json`` merged into the body), :meth:`_build_request` (the
``httpx2.Request`` the options make) and :meth:`_process_response` (the result
the call would give for a reply).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx2

from .._base_client import BaseClient
from .._types import NotGiven

if TYPE_CHECKING:
    from .._http import PreparedRequest
    from .._middleware import AsyncCallNext, MiddlewareInput
    from .._options import FinalRequestOptions
    from .._request import APIRequest
    from .response import AsyncAPIResponse
    from .sending import AsyncSender

__all__ = ["AsyncAPIClient"]

log = logging.getLogger("anthropic")

_NO_OPTIONS: Mapping[str, Any] = {}


class AsyncAPIClient(BaseClient[httpx2.AsyncClient]):
    """The client's request seam: :meth:`request` and the helpers around it."""

    if TYPE_CHECKING:

        @property
        def _sender(self) -> AsyncSender: ...

    async def request(
        self,
        cast_to: Any,
        options: FinalRequestOptions,
        *,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """Send the call ``options`` describe and return its result (see the module's contract)."""
        if self._middleware_chain is not None:
            return await self._request_through_middleware(cast_to, options, stream=stream, stream_cls=stream_cls)
        prep = self._prepare_options(options)
        kind = options.response_kind()
        if kind is None:
            response = await self._sender.send(prep, stream=stream)
            return await self._build_result(cast_to, options, response, prep, stream=stream)
        response = await self._sender.send(prep, stream=stream or kind == "stream")
        return self._raw_result(cast_to, options, response, prep, stream=stream)

    # -- custom requests -------------------------------------------------------

    async def get(
        self,
        path: str,
        *,
        cast_to: Any,
        options: Mapping[str, Any] = _NO_OPTIONS,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """GET ``path`` (relative to ``base_url``, or a full URL); the reply as ``cast_to``."""
        return await self._custom("get", path, cast_to, options, stream=stream)

    async def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Mapping[str, Any] | None = None,
        content: Any = None,
        options: Mapping[str, Any] = _NO_OPTIONS,
        files: Any = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """POST ``body`` (JSON) or ``content`` (raw bytes) to ``path``; the reply as ``cast_to``."""
        return await self._custom("post", path, cast_to, options, body=body, content=content, files=files, stream=stream)

    async def put(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Mapping[str, Any] | None = None,
        content: Any = None,
        files: Any = None,
        options: Mapping[str, Any] = _NO_OPTIONS,
    ) -> Any:
        """PUT ``body`` (JSON) or ``content`` (raw bytes) to ``path``; the reply as ``cast_to``."""
        return await self._custom("put", path, cast_to, options, body=body, content=content, files=files)

    async def patch(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Mapping[str, Any] | None = None,
        content: Any = None,
        files: Any = None,
        options: Mapping[str, Any] = _NO_OPTIONS,
    ) -> Any:
        """PATCH ``body`` (JSON) or ``content`` (raw bytes) to ``path``; the reply as ``cast_to``."""
        return await self._custom("patch", path, cast_to, options, body=body, content=content, files=files)

    async def delete(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Mapping[str, Any] | None = None,
        content: Any = None,
        options: Mapping[str, Any] = _NO_OPTIONS,
    ) -> Any:
        """DELETE ``path`` (with an optional body); the reply as ``cast_to``."""
        return await self._custom("delete", path, cast_to, options, body=body, content=content)

    def get_api_list(
        self,
        path: str,
        *,
        model: Any,
        page: Any,
        body: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] = _NO_OPTIONS,
        method: str = "get",
    ) -> Any:
        """A list endpoint as pages of ``model``; ``page`` is the page class (``SyncPage[model]`` on a sync
        client, ``AsyncPage[model]`` on an async one).  The first page, whose iteration walks every item of
        every page (on an async client: an awaitable of it, which ``async for`` walks too)."""
        from .._options import FinalRequestOptions
        from ..pagination import AsyncPage, AsyncPaginator

        if not (isinstance(page, type) and issubclass(page, AsyncPage)):
            raise TypeError(f"get_api_list(page=...) takes a page class such as {AsyncPage.__name__}[Model], not {page!r}")
        first = FinalRequestOptions.for_custom(method, path, options, body=body)

        async def fetch(query: dict[str, Any]) -> AsyncPage[Any]:
            from .._http import parse_json
            from .._models import build_or_validate
            from .._response import add_response_ids

            response = await self.request(httpx2.Response, first.model_copy(update={"params": query}))
            data = parse_json(response)
            if not isinstance(data, dict) or not isinstance(data.get("data"), list):
                from .._errors import APIResponseValidationError

                raise APIResponseValidationError(response, data, message="The response is not a page: no data list.")
            made = page(  # type: ignore[call-arg,misc]  # the pages' own constructor, not pydantic's
                [build_or_validate(model, item) for item in data["data"]],
                has_more=data.get("has_more"),
                first_id=data.get("first_id"),
                last_id=data.get("last_id"),
                query=query,
                fetch=fetch,
            )
            return add_response_ids(made, response)

        return AsyncPaginator(fetch, dict(first.params))

    async def _custom(
        self,
        method: str,
        path: str,
        cast_to: Any,
        options: Mapping[str, Any],
        *,
        body: Mapping[str, Any] | None = None,
        content: Any = None,
        files: Any = None,
        stream: bool = False,
    ) -> Any:
        if stream:
            raise TypeError(
                f"{method}(stream=True): this client streams the Messages API through its resources; use "
                "client.messages.create(stream=True) or client.messages.stream(...) (extra_body= carries "
                "parameters it does not know yet)"
            )
        from .._options import FinalRequestOptions

        options_ = FinalRequestOptions.for_custom(method, path, options, body=body, content=content, files=files)
        return await self.request(cast_to, options_)

    async def _copy_and_prepare(self, options: FinalRequestOptions) -> FinalRequestOptions:
        """A copy of ``options`` whose ``json_data`` is the body as sent (``extra_json`` merged in)."""
        from .._types import NotGiven, Omit

        copy = options.model_copy()
        if copy.json_data is not None and copy.method.lower() != "get":
            body = {k: v for k, v in copy.json_data.items() if not isinstance(v, (NotGiven, Omit))}
            if copy.extra_json:
                body.update(copy.extra_json)
            copy.json_data = body
            copy.extra_json = None
        return copy

    def _build_request(self, options: FinalRequestOptions, *, retries_taken: int = 0) -> httpx2.Request:
        """The ``httpx2.Request`` of one attempt of the call (credentials and default headers included)."""
        prep = self._prepare_options(options)
        prep.retries_taken = retries_taken
        return self.build_http_request(self.http_pool(), prep)

    async def _process_response(
        self,
        *,
        cast_to: Any,
        options: FinalRequestOptions,
        response: httpx2.Response,
        stream: bool,
        stream_cls: Any,
        retries_taken: int = 0,
    ) -> Any:
        """What the call gives for ``response``: its result, or the reply itself when the options ask for it."""
        if options.response_kind() is not None:
            raw = self._raw_result(cast_to, options, response, None, stream=stream)
            raw.retries_taken = retries_taken
            return raw
        return await self._build_result(cast_to, options, response, None, stream=stream)

    # -- middleware ----------------------------------------------------------------

    def _build_middleware_chain(self, middleware: tuple[MiddlewareInput, ...]) -> AsyncCallNext:
        from .._middleware import AsyncMiddlewareChain

        AsyncMiddlewareChain.validate(middleware)
        return AsyncMiddlewareChain.build(middleware, self._middleware_attempt)

    async def _request_through_middleware(
        self, cast_to: Any, options: FinalRequestOptions, *, stream: bool, stream_cls: Any
    ) -> Any:
        """:meth:`request` with middleware: the chain runs once per attempt, inside the retry loop.

        The chain returns the reply (an ``AsyncAPIResponse``) of every attempt; a
        2xx reply gives the call's result as :meth:`request` would (the reply
        itself when the caller asked for it), another value is the result as it
        is, an error reply is retried or raised here, after the chain.
        """
        from .._response import BaseAPIResponse

        call = _MiddlewareCall(await self._copy_and_prepare(options), cast_to, stream, stream_cls, self.max_retries)
        result = await self._run_middleware(call, 0)
        if not isinstance(result, BaseAPIResponse):
            return result
        if options.response_kind() is not None or _is_response_class(cast_to):
            return result
        return await result.parse()  # type: ignore[attr-defined]

    async def _run_middleware(self, call: _MiddlewareCall, retries_taken: int) -> Any:
        """Attempts of ``call`` through the chain from ``retries_taken`` on, until one gives a result.

        A reply made by an attempt and not returned by the chain is closed, as is
        every reply of an attempt whose chain raised.
        """
        from .._middleware import retry_delay_after
        from .._request import APIRequest
        from .._response import BaseAPIResponse
        from .._retry import next_retry_delay

        chain = self._middleware_chain
        while True:
            request = APIRequest(
                options=call.options.model_copy(),
                cast_to=call.cast_to,
                stream=call.stream,
                stream_cls=call.stream_cls,
                retries_taken=retries_taken,
            )
            request._call = call
            opened = call.opened = []
            try:
                result = await chain(request)
            except Exception as exc:
                await _release(opened, None)
                delay = retry_delay_after(exc, retries_taken, call.max_retries)
                if delay is None:
                    raise
                log.info("Retrying %s %s in %.2f s after: %r", request.method, request.url, delay, exc)
            else:
                reply = result.http_response if isinstance(result, BaseAPIResponse) else None
                await _release(opened, reply)
                if reply is None or reply.is_success:
                    call.retries_taken = retries_taken
                    return result
                error = await self._sender.status_error(reply)
                delay = next_retry_delay(error, reply.headers, retries_taken, call.max_retries)
                if delay is None:
                    raise error from None
                log.info("Retrying %s %s in %.2f s after: %s", request.method, request.url, delay, error)
            await self._sender.sleep(delay)
            retries_taken += 1

    async def _middleware_attempt(self, request: APIRequest) -> AsyncAPIResponse[Any]:
        """The innermost ``call_next``: one HTTP attempt of ``request``, its reply whatever the status."""
        from .response import AsyncAPIResponse

        options = request.options
        prep = self._prepare_options(options)
        prep.retries_taken = request.retries_taken
        response = await self._sender.attempt(prep, stream=request.stream or options.response_kind() == "stream")
        call: _MiddlewareCall | None = request._call
        if call is not None:
            call.opened.append(response)
        if request.stream:  # a stream's re-send, before anything reached the caller, runs the chain again
            if call is None:  # a request the middleware made itself, not derived with copy()
                call = _MiddlewareCall(options, request.cast_to, True, request.stream_cls, self.max_retries)
            prep.resend = functools.partial(self._resend_through_middleware, call, prep)
        cast_to, stream = request.cast_to, request.stream

        async def build(reply: httpx2.Response) -> Any:
            return await self._build_result(cast_to, options, reply, prep, stream=stream)

        return AsyncAPIResponse(response, build, retries_taken=request.retries_taken)

    async def _resend_through_middleware(self, call: _MiddlewareCall, prep: PreparedRequest) -> httpx2.Response:
        """The next attempt of a stream that failed before any event reached its caller, through the chain."""
        from .._response import BaseAPIResponse

        result = await self._run_middleware(call, prep.retries_taken)
        if not isinstance(result, BaseAPIResponse):
            raise TypeError(
                f"a middleware answered attempt {call.retries_taken + 1} of a stream with a "
                f"{type(result).__name__}; a stream that is retried needs the reply call_next gives"
            )
        prep.retries_taken = call.retries_taken
        return result.http_response

    # -- shared ------------------------------------------------------------------

    def _prepare_options(self, options: FinalRequestOptions) -> PreparedRequest:
        prep = self.prepare_request(
            options.method.upper(), options.url, body=options.json_data, options=options.call_options()
        )
        if options.content is not None:
            prep.content = options.content
        return prep

    async def _build_result(
        self,
        cast_to: Any,
        options: FinalRequestOptions,
        response: httpx2.Response,
        prep: PreparedRequest | None,
        *,
        stream: bool,
    ) -> Any:
        build = options._build
        if build is not None:
            return await build(response, prep)
        if stream:
            raise TypeError(
                f"{type(self).__name__}.request(stream=True) builds streams only for the calls of this package's "
                "resources (client.messages.create(stream=True), client.messages.stream(...))"
            )
        await response.aread()
        return _cast(cast_to, response)

    def _raw_result(
        self,
        cast_to: Any,
        options: FinalRequestOptions,
        response: httpx2.Response,
        prep: PreparedRequest | None,
        *,
        stream: bool,
    ) -> Any:
        from .response import AsyncAPIResponse

        async def build(reply: httpx2.Response) -> Any:
            return await self._build_result(cast_to, options, reply, prep, stream=stream)

        return AsyncAPIResponse(response, build, retries_taken=prep.retries_taken if prep is not None else 0)


class _MiddlewareCall:
    """One call made through a client's middleware: what each of its attempts starts from."""

    __slots__ = ("cast_to", "max_retries", "opened", "options", "retries_taken", "stream", "stream_cls")

    def __init__(
        self, options: FinalRequestOptions, cast_to: Any, stream: bool, stream_cls: Any, max_retries: int
    ) -> None:
        self.options = options
        self.cast_to = cast_to
        self.stream = stream
        self.stream_cls = stream_cls
        own = options.max_retries
        self.max_retries: int = max_retries if own is None or isinstance(own, NotGiven) else own
        self.retries_taken = 0
        self.opened: list[httpx2.Response] = []
        """The replies the current attempt made (closed unless the chain returns one)."""


async def _release(responses: list[httpx2.Response], keep: httpx2.Response | None) -> None:
    """Close the replies in ``responses`` but ``keep`` (a reply already read is closed already)."""
    from .._http import aclose_response

    for response in responses:
        if response is not keep and not response.is_closed:
            await aclose_response(response)


def _is_response_class(cast_to: Any) -> bool:
    """Whether ``cast_to`` asks for the reply itself (an ``APIResponse`` class, parameterised or not)."""
    from typing import get_origin

    from .._response import BaseAPIResponse

    origin = get_origin(cast_to) or cast_to
    return isinstance(origin, type) and issubclass(origin, BaseAPIResponse)


def _cast(cast_to: Any, response: httpx2.Response) -> Any:
    """A read reply as ``cast_to`` (see the module's contract)."""
    if cast_to is httpx2.Response:
        return response
    if cast_to is None or cast_to is type(None):
        return None
    if cast_to is str:
        return response.text
    if cast_to is bytes:
        return response.content
    from .._http import parse_json

    if cast_to is object:
        if "json" not in response.headers.get("content-type", "json"):
            return response.text
        return parse_json(response)
    from .._models import build_or_validate
    from .._response import add_response_ids

    return add_response_ids(build_or_validate(cast_to, parse_json(response)), response)
