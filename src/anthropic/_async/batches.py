"""``client.messages.batches`` and ``client.models``, with their beta twins (asynchronous; the sync twin is generated).

One resource class per colour and API, parameterised by a
:class:`~anthropic._batches.BatchFlavour` (plain or beta); the plain
flavour's methods do not show or take ``betas``.  Lists return pages that
walk every later page when iterated (:mod:`anthropic.pagination`).
``results()`` reads the batch, then streams its results file: typed results
as the bytes arrive, one line held at a time, the count checked at the end
(:class:`~anthropic._batches.ResultsReader`).

``with_raw_response`` is the same resource answering with an
:class:`~anthropic._async.response.AsyncAPIResponse`; ``with_streaming_response``
answers with a context manager over a reply whose body is not read yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, cast
from urllib.parse import quote

import httpx2

from .._batches import (
    BETA_BATCHES,
    PLAIN_BATCHES,
    RESULTS_ACCEPT,
    BatchFlavour,
    ResultsReader,
    expected_results,
    hide_betas,
    page_query,
    results_url_of,
)
from .._http import aclose_response, parse_json
from .._options import FinalRequestOptions
from .._response import add_response_ids
from .._types import NOT_GIVEN, NotGiven, Omit, omit
from ..pagination import AsyncPage, AsyncPaginator
from .response import AsyncResponseContextManager
from .sending import sender_of

if TYPE_CHECKING:
    from .api_client import AsyncAPIClient
    from .sending import AsyncSender

__all__ = [
    "AsyncBatchResults",
    "AsyncBatches",
    "AsyncBetaBatches",
    "AsyncBetaModels",
    "AsyncModels",
]

_T = TypeVar("_T")
_Mode = Literal["parsed", "raw", "streaming"]
_BATCHES_PATH = "v1/messages/batches"
_MODELS_PATH = "v1/models"


def _options(
    extra_headers: Mapping[str, Any] | None,
    extra_query: Mapping[str, object] | None,
    extra_body: Mapping[str, object] | None,
    timeout: Any,
) -> dict[str, Any]:
    """The per-request options every call takes, as the request builder wants them."""
    return {"extra_headers": extra_headers, "extra_query": extra_query, "extra_body": extra_body, "timeout": timeout}


def _given(value: Any) -> bool:
    return value is not None and not isinstance(value, (NotGiven, Omit))


def _path_id(name: str, value: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
    return quote(value, safe="")


class AsyncBatchResults(Generic[_T]):
    """The results of a batch as they arrive: ``async for result in results``.

    The body is read as it is iterated and released at the end (or by
    :meth:`close`, or by leaving ``async with``).  A file cut short, a broken
    connection, a line that is not a result, or a count that does not match
    the batch raise a typed error carrying ``results_read``.
    """

    def __init__(self, response: httpx2.Response, reader: ResultsReader) -> None:
        self.response = response
        self._reader = reader
        self._started = False

    @property
    def results_read(self) -> int:
        """How many results have been decoded so far."""
        return self._reader.results_read

    async def __aiter__(self) -> AsyncIterator[_T]:
        if self._started:
            raise RuntimeError("the results of a batch can be iterated only once")
        self._started = True
        reader = self._reader
        try:
            try:
                async for chunk in self.response.aiter_bytes():
                    for item in reader.feed(chunk):
                        yield item
            except httpx2.HTTPError as exc:
                raise reader.broken(exc) from exc
            for item in reader.end():
                yield item
        finally:
            await aclose_response(self.response)

    async def close(self) -> None:
        """Release the connection (the rest of the file is not read)."""
        await aclose_response(self.response)

    async def __aenter__(self) -> AsyncBatchResults[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self.close()


class _AsyncResource:
    """What the batch and model resources share: building requests, answering in each mode, pages."""

    flavour: ClassVar[BatchFlavour] = PLAIN_BATCHES

    def __init__(self, client: AsyncSender | Any, *, mode: _Mode = "parsed") -> None:
        self._sender = sender_of(client, type(self))
        self._client = self._sender.platform
        self._mode: _Mode = mode

    @property
    def with_raw_response(self) -> Any:
        """This resource, answering each call with its raw reply (``.parse()`` gives the result)."""
        return type(self)(self._sender, mode="raw")

    @property
    def with_streaming_response(self) -> Any:
        """This resource, answering each call with a context manager over its unread reply."""
        return _AsyncStreamingMethods(type(self)(self._sender, mode="streaming"))

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        betas: Any = omit,
        options: Mapping[str, Any],
    ) -> FinalRequestOptions:
        if _given(betas) and not self.flavour.beta:
            raise TypeError("betas= is taken only by the beta resources (client.beta...)")
        sent: dict[str, Any] = {k: v for k, v in (headers or {}).items() if _given(v)}
        extra_headers = options.get("extra_headers") or {}
        if _given(betas):
            names = [str(b) for b in betas]
            for key, value in extra_headers.items():
                if key.lower() == "anthropic-beta" and isinstance(value, str):
                    names += [p.strip() for p in value.split(",") if p.strip()]
            sent["anthropic-beta"] = ",".join(dict.fromkeys(names))
            extra_headers = {k: v for k, v in extra_headers.items() if k.lower() != "anthropic-beta"}
        sent.update(extra_headers)
        full_query = {**self.flavour.query, **page_query(query or {}), **(options.get("extra_query") or {})}
        merged = {**options, "extra_headers": sent, "extra_query": full_query}
        return FinalRequestOptions.for_call(method, path, body=body, options=merged)

    async def _respond(self, call: FinalRequestOptions, build: Any, *, stream: bool) -> Any:
        """Send ``call`` through the client's request seam (its middleware included); the built result,
        or the raw reply that builds it on ``parse()``."""
        if not stream:
            build = _with_response_ids(build)

        async def build_result(response: httpx2.Response, prep: Any) -> Any:
            return await build(response)

        call.answer_with(build_result, None if self._mode == "parsed" else "raw" if self._mode == "raw" else "stream")
        client = cast("AsyncAPIClient", self._client)
        return await client.request(None, call, stream=stream)

    def _model_builder(self, cls: type[Any]) -> Any:
        async def build(response: httpx2.Response) -> Any:
            await response.aread()
            return cls.model_validate(parse_json(response))

        return build

    async def _json_call(self, method: str, path: str, cls: type[Any], **kwargs: Any) -> Any:
        return await self._respond(self._prepare(method, path, **kwargs), self._model_builder(cls), stream=False)

    def _list(self, path: str, cls: type[Any], *, query: Mapping[str, Any], **kwargs: Any) -> Any:
        """A paginator (an awaitable of the first page when async); the raw reply in the other modes."""
        given = {k: v for k, v in query.items() if _given(v)}

        async def fetch(page_params: dict[str, Any]) -> AsyncPage[Any]:
            client = cast("AsyncAPIClient", self._client)
            response = await client.request(httpx2.Response, self._prepare("GET", path, query=page_params, **kwargs))
            return add_response_ids(self._page(response, cls, page_params, fetch), response)

        if self._mode != "parsed":

            async def build(response: httpx2.Response) -> Any:
                await response.aread()
                return self._page(response, cls, given, fetch)

            return self._respond(self._prepare("GET", path, query=given, **kwargs), build, stream=False)
        return AsyncPaginator(fetch, given)

    @staticmethod
    def _page(
        response: httpx2.Response, cls: type[Any], params: Mapping[str, Any], fetch: Any
    ) -> AsyncPage[Any]:
        from .._errors import APIResponseValidationError

        data = parse_json(response)
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise APIResponseValidationError(
                response, data, message="The response is not a page: no data list."
            )
        return AsyncPage[cls](  # type: ignore[valid-type,call-arg,misc]
            [cls.model_validate(item) for item in data["data"]],
            has_more=data.get("has_more"),
            first_id=data.get("first_id"),
            last_id=data.get("last_id"),
            query=params,
            fetch=fetch,
        )


class AsyncBatchesResource(_AsyncResource):
    """The Message Batches calls of one flavour: create, retrieve, list, cancel, delete, results."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.flavour.beta:
            hide_betas(
                cls, ("create", "retrieve", "list", "cancel", "delete", "results"), AsyncBatchesResource
            )

    async def create(
        self,
        *,
        requests: Iterable[Mapping[str, Any]],
        betas: Any = omit,
        user_profile_id: str | Omit = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """Send a batch of Messages requests (each ``{"custom_id", "params"}``) to be processed at once."""
        return await self._json_call(
            "POST",
            _BATCHES_PATH,
            self.flavour.batch,
            body={"requests": list(requests)},
            headers={"anthropic-user-profile-id": user_profile_id, "anthropic-workspace-id": workspace_id},
            betas=betas,
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    async def create_from_body(
        self, body: bytes, *, extra_headers: Mapping[str, Any] | None = None, timeout: Any = NOT_GIVEN
    ) -> Any:
        """Send a batch whose JSON body is already encoded (``{"requests": [...]}``), as it is."""
        call = self._prepare(
            "POST", _BATCHES_PATH, options={"extra_headers": extra_headers, "timeout": timeout}
        )
        call.content = body
        return await self._respond(call, self._model_builder(self.flavour.batch), stream=False)

    async def retrieve(
        self,
        message_batch_id: str,
        *,
        betas: Any = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """A batch's status; poll it until ``processing_status`` is ``"ended"``."""
        return await self._json_call(
            "GET",
            f"{_BATCHES_PATH}/{_path_id('message_batch_id', message_batch_id)}",
            self.flavour.batch,
            headers={"anthropic-workspace-id": workspace_id},
            betas=betas,
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    def list(
        self,
        *,
        after_id: str | Omit = omit,
        before_id: str | Omit = omit,
        limit: int | Omit = omit,
        betas: Any = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """The batches of the workspace, newest first; iterating the page walks every page."""
        return self._list(
            _BATCHES_PATH,
            self.flavour.batch,
            query={"after_id": after_id, "before_id": before_id, "limit": limit},
            headers={"anthropic-workspace-id": workspace_id},
            betas=betas,
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    async def cancel(
        self,
        message_batch_id: str,
        *,
        betas: Any = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """Ask for a batch in progress to stop; it moves to ``canceling``, then ends."""
        return await self._json_call(
            "POST",
            f"{_BATCHES_PATH}/{_path_id('message_batch_id', message_batch_id)}/cancel",
            self.flavour.batch,
            headers={"anthropic-workspace-id": workspace_id},
            betas=betas,
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        message_batch_id: str,
        *,
        betas: Any = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """Delete a batch that has ended."""
        return await self._json_call(
            "DELETE",
            f"{_BATCHES_PATH}/{_path_id('message_batch_id', message_batch_id)}",
            self.flavour.deleted,
            headers={"anthropic-workspace-id": workspace_id},
            betas=betas,
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    async def results(
        self,
        message_batch_id: str,
        *,
        betas: Any = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """The results of an ended batch, streamed: iterate them as the file arrives."""
        options = _options(extra_headers, extra_query, extra_body, timeout)
        parsed = type(self)(self._sender)
        batch = await parsed.retrieve(message_batch_id, betas=betas, workspace_id=workspace_id, **options)
        url = results_url_of(batch)
        expected = expected_results(batch)
        cls = self.flavour.individual
        call = self._prepare(
            "GET",
            url,
            headers={"accept": RESULTS_ACCEPT, "anthropic-workspace-id": workspace_id},
            betas=betas,
            options=options,
        )

        async def build(response: httpx2.Response) -> Any:
            return AsyncBatchResults(response, ResultsReader(response, cls, expected))

        return await self._respond(call, build, stream=True)


class AsyncModelsResource(_AsyncResource):
    """The Models calls of one flavour: retrieve, list."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.flavour.beta:
            hide_betas(cls, ("retrieve", "list"), AsyncModelsResource)

    async def retrieve(
        self,
        model_id: str,
        *,
        betas: Any = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """One model, by id or alias."""
        return await self._json_call(
            "GET",
            f"{_MODELS_PATH}/{_path_id('model_id', model_id)}",
            self.flavour.model_info,
            headers={"anthropic-workspace-id": workspace_id},
            betas=betas,
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    def list(
        self,
        *,
        after_id: str | Omit = omit,
        before_id: str | Omit = omit,
        lifecycle: Any = omit,
        limit: int | Omit = omit,
        betas: Any = omit,
        workspace_id: str | Omit = omit,
        extra_headers: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Any = NOT_GIVEN,
    ) -> Any:
        """The available models, newest first; iterating the page walks every page."""
        return self._list(
            _MODELS_PATH,
            self.flavour.model_info,
            query={"after_id": after_id, "before_id": before_id, "lifecycle": lifecycle, "limit": limit},
            headers={"anthropic-workspace-id": workspace_id},
            betas=betas,
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )


class _AsyncStreamingMethods:
    """``resource.with_streaming_response``: each call returns a context manager over the unread reply."""

    def __init__(self, resource: _AsyncResource) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._resource, name)

        def open_response(*args: Any, **params: Any) -> AsyncResponseContextManager[Any]:
            async def opened() -> Any:
                return await method(*args, **params)

            return AsyncResponseContextManager(opened)

        open_response.__signature__ = getattr(method, "__signature__", None)  # type: ignore[attr-defined]
        return open_response


class AsyncBatches(AsyncBatchesResource):
    """``client.messages.batches``."""

    flavour = PLAIN_BATCHES


class AsyncBetaBatches(AsyncBatchesResource):
    """``client.beta.messages.batches``: the same calls, with ``betas=[...]`` and beta types."""

    flavour = BETA_BATCHES


class AsyncModels(AsyncModelsResource):
    """``client.models``."""

    flavour = PLAIN_BATCHES


class AsyncBetaModels(AsyncModelsResource):
    """``client.beta.models``."""

    flavour = BETA_BATCHES


def _with_response_ids(build: Any) -> Any:
    """``build``, then the reply's ids put on what it built (see :func:`~anthropic._response.add_response_ids`)."""

    async def build_with_ids(response: httpx2.Response) -> Any:
        return add_response_ids(await build(response), response)

    return build_with_ids
