"""The two clients: options, credentials, headers, and sending with retries.

``Anthropic`` and ``AsyncAnthropic`` share everything that is not I/O through
``_BaseClient``; each has one short loop that sends a request, asks the pure
retry policy (:mod:`anthropic._retry`) what to do with a failure, and sleeps.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union

import httpx2
from typing_extensions import Self

from ._constants import (
    API_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECTION_LIMITS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    MissingCredentialsError,
    make_status_error,
)
from ._retry import retry_delay, should_retry_response
from ._types import NOT_GIVEN, NotGiven, Omit, Timeout
from ._version import __version__

if TYPE_CHECKING:
    from .resources.beta import AsyncBeta, Beta
    from .resources.messages import AsyncMessages, Messages

__all__ = ["AsyncAnthropic", "AsyncClient", "Anthropic", "Client", "PreparedRequest"]

log = logging.getLogger("anthropic")

_HttpxT = TypeVar("_HttpxT", bound=Union[httpx2.Client, httpx2.AsyncClient])
_SENSITIVE_HEADERS = frozenset({"x-api-key", "authorization"})


def _setup_logging() -> None:
    level = os.environ.get("ANTHROPIC_LOG")
    if level in ("debug", "info") and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


_setup_logging()


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers fit for a log line: credentials replaced by ``<redacted>``."""
    return {k: ("<redacted>" if k.lower() in _SENSITIVE_HEADERS else v) for k, v in headers.items()}


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

    def retry_delay(self, headers: Mapping[str, str] | None = None) -> float | None:
        """Seconds before the next attempt, or ``None`` when the retry budget is spent."""
        return retry_delay(self.retries_taken, self.max_retries, headers)


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
    import json

    return json.dumps(body, default=_json_default, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode_error_body(response: httpx2.Response) -> object:
    raw = response.content
    if not raw:
        return None
    try:
        from pydantic_core import from_json

        return from_json(raw)
    except ValueError:
        return response.text


def _resolve_timeout(timeout: Timeout | NotGiven, default: httpx2.Timeout | None) -> httpx2.Timeout | None:
    if isinstance(timeout, NotGiven):
        return default
    if timeout is None or isinstance(timeout, httpx2.Timeout):
        return timeout
    return httpx2.Timeout(timeout)


class _BaseClient(Generic[_HttpxT]):
    """Options, credentials and request building: everything but the I/O."""

    api_key: str | None
    auth_token: str | None
    base_url: httpx2.URL
    timeout: httpx2.Timeout | None
    max_retries: int

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: _HttpxT | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get("ANTHROPIC_API_KEY")
        if auth_token is None:
            auth_token = os.environ.get("ANTHROPIC_AUTH_TOKEN")
        if base_url is None:
            base_url = os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
        if not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
        self.api_key = api_key
        self.auth_token = auth_token
        url = httpx2.URL(str(base_url))
        if not url.raw_path.endswith(b"/"):
            url = url.copy_with(raw_path=url.raw_path + b"/")
        self.base_url = url
        self.timeout = _resolve_timeout(timeout, DEFAULT_TIMEOUT)
        self.max_retries = max_retries
        self._custom_headers: dict[str, str] = dict(default_headers or {})
        self._custom_query: dict[str, object] = dict(default_query or {})
        self._http_client: _HttpxT | None = http_client
        self._owns_http_client = http_client is None
        self._strict_response_validation = _strict_response_validation

    # -- presentation: never show a credential -----------------------------

    def __repr__(self) -> str:
        auth = "api_key" if self.api_key else ("auth_token" if self.auth_token else "none")
        url = self.base_url.copy_with(username=None, password=None) if self.base_url.userinfo else self.base_url
        return f"<{type(self).__name__} base_url={str(url)!r} auth={auth} max_retries={self.max_retries}>"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} holds credentials and a connection pool; it cannot be pickled")

    # -- headers -----------------------------------------------------------

    @property
    def auth_headers(self) -> dict[str, str]:
        """``x-api-key`` for an API key, ``authorization: Bearer`` for a token; both when both are set."""
        headers: dict[str, str] = {}
        if self.api_key:
            headers["x-api-key"] = self.api_key
        if self.auth_token:
            headers["authorization"] = f"Bearer {self.auth_token}"
        return headers

    @property
    def default_headers(self) -> dict[str, str]:
        return {
            "accept": "application/json",
            "content-type": "application/json",
            "user-agent": f"anthropic-streams/{__version__} (python; httpx2 {httpx2.__version__})",
            "anthropic-version": API_VERSION,
            **self.auth_headers,
            **self._custom_headers,
        }

    @property
    def default_query(self) -> dict[str, object]:
        return dict(self._custom_query)

    def _check_credentials(self, headers: Mapping[str, str], omitted: set[str]) -> None:
        if "x-api-key" in headers or "authorization" in headers:
            return
        if "x-api-key" in omitted or "authorization" in omitted:
            return
        raise MissingCredentialsError(
            "No credentials: pass api_key= (or set ANTHROPIC_API_KEY) for an x-api-key header, or "
            "auth_token= (or set ANTHROPIC_AUTH_TOKEN) for an authorization: Bearer header."
        )

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
    ) -> PreparedRequest:
        headers: dict[str, str] = self.default_headers
        omitted: set[str] = set()
        if extra_headers:
            for key, value in extra_headers.items():
                lk = key.lower()
                for existing in [k for k in headers if k.lower() == lk]:
                    del headers[existing]
                if isinstance(value, Omit):
                    omitted.add(lk)
                else:
                    headers[lk] = value
        headers = {k.lower(): v for k, v in headers.items()}
        self._check_credentials(headers, omitted)
        content: bytes | None = None
        if body is not None:
            merged = {k: v for k, v in body.items() if not isinstance(v, NotGiven)}
            if extra_body:
                merged.update(extra_body)
            content = encode_json(merged)
        params = self.default_query
        if extra_query:
            params.update(extra_query)
        if path.startswith(("http://", "https://")):
            url = path
        else:
            url = str(self.base_url.join(path.lstrip("/")))
        return PreparedRequest(
            method=method,
            url=url,
            headers=headers,
            content=content,
            params=params,
            timeout=_resolve_timeout(timeout, self.timeout),
            max_retries=self.max_retries if max_retries is None else max_retries,
        )

    def _copy_kwargs(self, **overrides: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "api_key": self.api_key,
            "auth_token": self.auth_token,
            "base_url": self.base_url,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": self._custom_headers,
            "default_query": self._custom_query,
            "http_client": self._http_client,
            "_strict_response_validation": self._strict_response_validation,
        }
        for key, value in overrides.items():
            if isinstance(value, NotGiven) or (value is None and key not in ("timeout",)):
                continue
            if key == "default_headers":
                value = {**self._custom_headers, **value}
            elif key == "default_query":
                value = {**self._custom_query, **value}
            elif key == "set_default_headers":
                key = "default_headers"
            elif key == "set_default_query":
                key = "default_query"
            kwargs[key] = value
        return kwargs

    @property
    def _http(self) -> _HttpxT:
        raise NotImplementedError

    def with_options(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        http_client: _HttpxT | None = None,
    ) -> Self:
        """A new client with some options changed, sharing this one's connection pool."""
        if http_client is None:
            http_client = self._http
        copy = type(self)(
            **self._copy_kwargs(
                api_key=api_key,
                auth_token=auth_token,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                default_headers=default_headers,
                set_default_headers=set_default_headers,
                default_query=default_query,
                set_default_query=set_default_query,
                http_client=http_client,
            )
        )
        copy._owns_http_client = False
        return copy

    copy = with_options

    def _build_request(self, prep: PreparedRequest) -> httpx2.Request:
        request = self._http.build_request(
            prep.method,
            prep.url,
            headers=prep.headers,
            content=prep.content,
            params=prep.params or None,
            timeout=prep.timeout,
            extensions=prep.extensions or None,
        )
        self._log_request(request, prep.retries_taken)
        return request

    @staticmethod
    def _transport_error(exc: httpx2.HTTPError, request: httpx2.Request, response: httpx2.Response | None = None) -> APIError:
        """The typed error for an httpx2 failure before or while reading a reply."""
        request_id = response.headers.get("request-id") if response is not None else None
        if isinstance(exc, httpx2.TimeoutException):
            return APITimeoutError(request, request_id=request_id)
        where = "while reading the response" if response is not None else ""
        return APIConnectionError(
            message=f"Connection error{' ' + where if where else ''}: {exc}", request=request, request_id=request_id
        )

    @staticmethod
    def _retry_or_raise(prep: PreparedRequest, error: APIError, cause: BaseException | None, headers: Mapping[str, str] | None) -> float:
        """Seconds to wait before the next attempt; raises ``error`` when none is left."""
        delay = prep.retry_delay(headers)
        if delay is None:
            raise error from cause
        log.info("Retrying %s %s in %.2f s after: %s", prep.method, prep.url, delay, error)
        return delay

    @staticmethod
    def _status_error(response: httpx2.Response) -> APIStatusError:
        """The typed error for a non-2xx reply whose body has been read (or could not be)."""
        return make_status_error(response, _decode_error_body(response))

    def _log_request(self, request: httpx2.Request, attempt: int) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "Request %s %s (attempt %d) headers=%s",
                request.method,
                request.url,
                attempt + 1,
                redact_headers(dict(request.headers)),
            )

    @staticmethod
    def _parse_json(response: httpx2.Response) -> Any:
        from pydantic_core import from_json

        try:
            return from_json(response.content)
        except ValueError as exc:
            raise APIResponseValidationError(
                response, response.text, message=f"The response body is not valid JSON: {exc}"
            )


class Anthropic(_BaseClient[httpx2.Client]):
    """The synchronous client.

    Credentials come from ``api_key`` / ``ANTHROPIC_API_KEY`` (sent as
    ``x-api-key``) or ``auth_token`` / ``ANTHROPIC_AUTH_TOKEN`` (sent as
    ``authorization: Bearer``).  Use it as a context manager, or call
    :meth:`close`, to release its connections.
    """

    @cached_property
    def messages(self) -> Messages:
        from .resources.messages import Messages

        return Messages(self)

    @cached_property
    def beta(self) -> Beta:
        from .resources.beta import Beta

        return Beta(self)

    @property
    def _http(self) -> httpx2.Client:
        client = self._http_client
        if client is None:
            client = self._http_client = httpx2.Client(
                timeout=self.timeout, limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=False
            )
        return client


    def close(self) -> None:
        """Close the connection pool (only the one this client made itself)."""
        if self._http_client is not None and self._owns_http_client:
            self._http_client.close()

    def is_closed(self) -> bool:
        return self._http_client is not None and self._http_client.is_closed

    def __enter__(self) -> Anthropic:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- sending -----------------------------------------------------------

    def _send(self, prep: PreparedRequest, *, stream: bool) -> httpx2.Response:
        """Send ``prep``, retrying as the policy allows; return a 2xx response.

        With ``stream=True`` the body is left unread for the caller; otherwise it
        is read here, so that a connection that breaks mid-body is retried too.
        """
        http = self._http
        while True:
            request = self._build_request(prep)
            headers: Mapping[str, str] | None = None
            cause: BaseException | None
            try:
                response = http.send(request, stream=True, follow_redirects=False)
            except httpx2.HTTPError as exc:
                error, cause = self._transport_error(exc, request), exc
            else:
                if response.is_success:
                    if stream:
                        return response
                    try:
                        response.read()
                        return response
                    except httpx2.HTTPError as exc:
                        error, cause = self._transport_error(exc, request, response), exc
                    finally:
                        if not response.is_closed and not response.is_stream_consumed:
                            response.close()
                else:
                    try:
                        response.read()
                    except httpx2.HTTPError:
                        pass
                    finally:
                        response.close()
                    error, cause, headers = self._status_error(response), None, response.headers
                    if not should_retry_response(response.status_code, headers):
                        raise error
            time.sleep(self._retry_or_raise(prep, error, cause, headers))
            prep.retries_taken += 1

    def _request_json(self, prep: PreparedRequest) -> Any:
        return self._parse_json(self._send(prep, stream=False))


class AsyncAnthropic(_BaseClient[httpx2.AsyncClient]):
    """The asynchronous client: :class:`Anthropic`'s mirror image for ``asyncio``."""

    @cached_property
    def messages(self) -> AsyncMessages:
        from .resources.messages import AsyncMessages

        return AsyncMessages(self)

    @cached_property
    def beta(self) -> AsyncBeta:
        from .resources.beta import AsyncBeta

        return AsyncBeta(self)

    @property
    def _http(self) -> httpx2.AsyncClient:
        client = self._http_client
        if client is None:
            client = self._http_client = httpx2.AsyncClient(
                timeout=self.timeout, limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=False
            )
        return client


    async def close(self) -> None:
        """Close the connection pool (only the one this client made itself)."""
        if self._http_client is not None and self._owns_http_client:
            await self._http_client.aclose()

    def is_closed(self) -> bool:
        return self._http_client is not None and self._http_client.is_closed

    async def __aenter__(self) -> AsyncAnthropic:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- sending -----------------------------------------------------------

    async def _send(self, prep: PreparedRequest, *, stream: bool) -> httpx2.Response:
        """Send ``prep``, retrying as the policy allows; return a 2xx response.

        The mirror image of :meth:`Anthropic._send`.
        """
        import anyio

        from ._streaming import aclose_shielded

        http = self._http
        while True:
            request = self._build_request(prep)
            headers: Mapping[str, str] | None = None
            cause: BaseException | None
            try:
                response = await http.send(request, stream=True, follow_redirects=False)
            except httpx2.HTTPError as exc:
                error, cause = self._transport_error(exc, request), exc
            else:
                if response.is_success:
                    if stream:
                        return response
                    try:
                        await response.aread()
                        return response
                    except httpx2.HTTPError as exc:
                        error, cause = self._transport_error(exc, request, response), exc
                    finally:
                        if not response.is_closed and not response.is_stream_consumed:
                            await aclose_shielded(response)
                else:
                    try:
                        await response.aread()
                    except httpx2.HTTPError:
                        pass
                    finally:
                        await aclose_shielded(response)
                    error, cause, headers = self._status_error(response), None, response.headers
                    if not should_retry_response(response.status_code, headers):
                        raise error
            await anyio.sleep(self._retry_or_raise(prep, error, cause, headers))
            prep.retries_taken += 1

    async def _request_json(self, prep: PreparedRequest) -> Any:
        return self._parse_json(await self._send(prep, stream=False))


Client = Anthropic
AsyncClient = AsyncAnthropic
