"""``AsyncAPIClient``: the request seam of the client (asynchronous; the sync twin is generated).

Every call of the Messages resources (``create``, ``stream``, ``parse``,
``count_tokens``, plain and beta) goes through one method,
:meth:`AsyncAPIClient.request`, with its
:class:`~anthropic._options.FinalRequestOptions`: code that patches
``AsyncAPIClient.request`` (as Inspect's agent bridge does, to answer some
models itself) sees each of those calls and may answer it without I/O.  The
Message Batches and Models resources do not go through it.

``request(cast_to, options, *, stream=False, stream_cls=None)`` prepares the
call with the client's ``prepare_request`` (the platform seam), sends it with
retries, and builds the result: the method's own builder carried by the
options, else ``cast_to`` validated from the JSON reply.  The options'
``X-Stainless-Raw-Response`` header (``"raw"`` or ``"stream"``, set by
``with_raw_response`` / ``with_streaming_response``; never sent) asks for the
reply itself, as an :class:`~anthropic._async.response.AsyncAPIResponse`.

The helpers a wrapper needs are here too: :meth:`_copy_and_prepare` (the
options with ``extra_json`` merged into the body), :meth:`_build_request` (the
``httpx2.Request`` the options make) and :meth:`_process_response` (the result
the call would give for a reply).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx2

from .._base_client import BaseClient

if TYPE_CHECKING:
    from .._http import PreparedRequest
    from .._options import FinalRequestOptions
    from .sending import AsyncSender

__all__ = ["AsyncAPIClient"]


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
        prep = self._prepare_options(options)
        kind = options.response_kind()
        if kind is None:
            response = await self._sender.send(prep, stream=stream)
            return await self._build_result(cast_to, options, response, prep, stream=stream)
        response = await self._sender.send(prep, stream=stream or kind == "stream")
        return self._raw_result(cast_to, options, response, prep, stream=stream)

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

    # -- shared ------------------------------------------------------------------

    def _prepare_options(self, options: FinalRequestOptions) -> PreparedRequest:
        return self.prepare_request(
            options.method.upper(), options.url, body=options.json_data, options=options.call_options()
        )

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
        if cast_to is httpx2.Response:
            return response
        from .._http import parse_json
        from .._models import build_or_validate

        return build_or_validate(cast_to, parse_json(response))

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
