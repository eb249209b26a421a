"""What both clients share: options, credentials, request building, the lazy HTTP pool.

:class:`BaseClient` is everything of a client that is not I/O.  It is the
Anthropic API's :class:`~anthropic._http.Platform`: resources and streams
see it only through that protocol and through the sender made for it.

How a platform plugs in (Bedrock, Vertex, Foundry, AWS): subclass the client
of each colour and override

- :meth:`BaseClient.prepare_request` for the URL, body and headers of a call
  (Bedrock puts the model in the path and ``anthropic_version`` in the body),
- :meth:`BaseClient.build_http_request` to sign each attempt (SigV4, a
  refreshed OAuth token), and
- :meth:`BaseClient.event_decoder` when the streamed body is not SSE
  (Bedrock's AWS event-stream frames).

The resources, the retry policy, the accumulator and the streams are shared
unchanged.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, Union

import httpx2
from typing_extensions import Self

from ._constants import (
    API_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECTION_LIMITS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
)
from ._lazy import lazy_names
from ._platform_headers import platform_headers
from ._types import NOT_GIVEN, NotGiven, Omit, Timeout
from ._version import __version__

if TYPE_CHECKING:  # loaded with the first request, not with the client
    from ._http import EventDecoder, PreparedRequest
    from ._middleware import MiddlewareInput

__all__ = ["AsyncAPIClient", "BaseClient", "SyncAPIClient", "redact_headers"]

if TYPE_CHECKING:
    from ._async.api_client import AsyncAPIClient as AsyncAPIClient
    from ._sync.api_client import APIClient as SyncAPIClient

_AsyncStreamT = TypeVar("_AsyncStreamT")
"""The stream class a streamed ``AsyncAPIClient.request`` answers with (``stream_cls``)."""
_SyncStreamT = TypeVar("_SyncStreamT")

# The request seam of each colour (``client.request``), subclassed by the clients; found here, where
# wrappers of the official SDK import it.  Loaded with the client, not with this module.
__getattr__, __dir__ = lazy_names(
    __name__,
    {"AsyncAPIClient": "anthropic._async.api_client", "SyncAPIClient": "anthropic._sync.api_client:APIClient"},
)

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


def _resolve_timeout(timeout: Timeout | NotGiven, default: httpx2.Timeout | None) -> httpx2.Timeout | None:
    if isinstance(timeout, NotGiven):
        return default
    if timeout is None or isinstance(timeout, httpx2.Timeout):
        return timeout
    return httpx2.Timeout(timeout)


def _base_url(value: str | httpx2.URL) -> httpx2.URL:
    url = httpx2.URL(str(value))
    if not url.raw_path.endswith(b"/"):
        url = url.copy_with(raw_path=url.raw_path + b"/")
    return url


def _check_stream_deadline(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"stream_deadline must be a positive number of seconds or None, got {value!r}")
    return float(value)


class BaseClient(Generic[_HttpxT]):
    """Options, credentials and request building: everything but the I/O."""

    _http_client_class: ClassVar[type[httpx2.Client] | type[httpx2.AsyncClient]]
    """The ``httpx2`` client class of this colour (``http_client=`` must be one)."""

    offers_batches: ClassVar[bool] = True
    """Whether the API behind this client has Message Batches (a platform may not)."""

    api_key: str | None
    auth_token: str | None
    timeout: httpx2.Timeout | None
    max_retries: int
    stream_deadline: float | None
    _middleware: tuple[MiddlewareInput, ...]
    _middleware_chain: Any
    """The client's middleware as one callable (built once, with the client), or ``None`` without middleware."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: _HttpxT | None = None,
        stream_deadline: float | None = None,
        middleware: Sequence[MiddlewareInput] | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get("ANTHROPIC_API_KEY")
        if auth_token is None:
            auth_token = os.environ.get("ANTHROPIC_AUTH_TOKEN")
        if base_url is None:
            base_url = os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
        if max_retries is None:
            max_retries = DEFAULT_MAX_RETRIES
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
        if http_client is not None:
            self._check_http_client(http_client)
        self.api_key = api_key
        self.auth_token = auth_token
        self._base_url = _base_url(base_url)
        self.timeout = _resolve_timeout(timeout, DEFAULT_TIMEOUT)
        self.max_retries = max_retries
        self.stream_deadline = _check_stream_deadline(stream_deadline)
        self._custom_headers: dict[str, str] = {**_env_headers(), **(default_headers or {})}
        self._custom_query: dict[str, object] = dict(default_query or {})
        self._http_client: _HttpxT | None = http_client
        self._http_lock = threading.Lock()
        self._owns_http_client = http_client is None
        self._strict_response_validation = _strict_response_validation
        # A one-shot iterable is read once, here, so that the checks do not use it up.
        self._middleware = tuple(middleware or ())
        self._middleware_chain = self._build_middleware_chain(self._middleware) if self._middleware else None

    # -- options -------------------------------------------------------------

    @property
    def base_url(self) -> httpx2.URL:
        return self._base_url

    @base_url.setter
    def base_url(self, url: str | httpx2.URL) -> None:
        self._base_url = _base_url(url)

    def _check_http_client(self, http_client: object) -> None:
        """A ``TypeError`` unless ``http_client`` is an ``httpx2`` client of this client's colour."""
        if isinstance(http_client, self._http_client_class):
            return
        expected = f"httpx2.{self._http_client_class.__name__}"
        other = "httpx2.AsyncClient" if expected == "httpx2.Client" else "httpx2.Client"
        wrong_colour = isinstance(http_client, (httpx2.Client, httpx2.AsyncClient))
        hint = f" (an {other} belongs to the other client)" if wrong_colour else ""
        raise TypeError(
            f"{type(self).__name__}(http_client=...) must be an {expected}, got "
            f"{type(http_client).__module__}.{type(http_client).__qualname__}{hint}"
        )

    @property
    def middleware(self) -> tuple[MiddlewareInput, ...]:
        """The client's middleware, outermost first (``with_middleware`` makes a copy with more)."""
        return self._middleware

    def _build_middleware_chain(self, middleware: tuple[MiddlewareInput, ...]) -> Any:
        """Check ``middleware`` for this client's colour and chain it (see :mod:`anthropic._middleware`)."""
        raise TypeError(f"{type(self).__name__} does not run middleware")

    @property
    def _client(self) -> _HttpxT:
        """The underlying ``httpx2`` client (made on first use)."""
        return self.http_pool()

    @_client.setter
    def _client(self, http_client: _HttpxT) -> None:
        # Frameworks swap the pool of a client they hold (``client._client = httpx2.AsyncClient()``);
        # the caller owns the new one, and the next request goes through it.
        self._check_http_client(http_client)
        with self._http_lock:
            self._http_client = http_client
            self._owns_http_client = False

    @property
    def _http(self) -> _HttpxT:
        return self.http_pool()

    def http_pool(self) -> _HttpxT:
        """The ``httpx2`` client requests go through: the caller's, or one made on first use."""
        client = self._http_client
        if client is None:
            with self._http_lock:  # one pool, however many threads make the first request at once
                client = self._http_client
                if client is None:
                    from ._tls import DeferredSSLContext

                    client = self._http_client = self._http_client_class(  # type: ignore[assignment]
                        timeout=self.timeout,
                        limits=DEFAULT_CONNECTION_LIMITS,
                        follow_redirects=False,
                        verify=DeferredSSLContext(),  # type: ignore[arg-type]  # an SSLContext on first use
                    )
        return client  # type: ignore[return-value]

    _closed = False

    def is_closed(self) -> bool:
        """Whether :meth:`close` was called (or the pool the client sends through is closed)."""
        return self._closed or (self._http_client is not None and self._http_client.is_closed)

    def _pool_for_request(self) -> _HttpxT:
        """:meth:`http_pool` for a request about to be sent; a closed client sends nothing.

        A typed error, as the official client gives once its pool is closed,
        also when the client was closed before it made a pool (or when the pool
        is the caller's, which ``close()`` leaves open).
        """
        if self._closed:
            from ._errors import APIConnectionError

            raise APIConnectionError(
                message=(
                    f"Connection error: this {type(self).__name__} has been closed (by close() or the end of its "
                    "`with` block); make a new client to send more requests."
                ),
                request=None,
            )
        return self.http_pool()

    # -- presentation: never show a credential -------------------------------

    def __repr__(self) -> str:
        auth = "api_key" if self.api_key else ("auth_token" if self.auth_token else "none")
        url = self.base_url.copy_with(username=None, password=None) if self.base_url.userinfo else self.base_url
        return f"<{type(self).__name__} base_url={str(url)!r} auth={auth} max_retries={self.max_retries}>"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} holds credentials and a connection pool; it cannot be pickled")

    # -- headers -------------------------------------------------------------

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
            "user-agent": self.user_agent,
            "anthropic-version": API_VERSION,
            **platform_headers(),
            **self.auth_headers,
            **self._custom_headers,
        }

    @property
    def user_agent(self) -> str:
        """The ``user-agent`` this client sends."""
        return f"anthropic-streams/{__version__} (python; httpx2 {httpx2.__version__})"

    def platform_headers(self) -> dict[str, str]:
        """What every request says about where it runs: language, package version, OS, architecture, runtime."""
        return dict(platform_headers())

    @property
    def custom_auth(self) -> httpx2.Auth | None:
        """An ``httpx2.Auth`` applied to each request: none here (credentials are headers)."""
        return None

    @property
    def default_query(self) -> dict[str, object]:
        return dict(self._custom_query)

    def _check_credentials(self, headers: Mapping[str, str], omitted: set[str]) -> None:
        if "x-api-key" in headers or "authorization" in headers:
            return
        if "x-api-key" in omitted or "authorization" in omitted:
            return
        from ._errors import MissingCredentialsError

        raise MissingCredentialsError(
            "No credentials: pass api_key= (or set ANTHROPIC_API_KEY) for an x-api-key header, or "
            "auth_token= (or set ANTHROPIC_AUTH_TOKEN) for an authorization: Bearer header."
        )

    # -- the platform seams --------------------------------------------------

    def prepare_request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None,
        options: Mapping[str, Any],
    ) -> PreparedRequest:
        """One call as a :class:`PreparedRequest`: URL, headers, JSON body (seam (a))."""
        from ._http import PreparedRequest, encode_json

        headers: dict[str, str] = self.default_headers
        omitted: set[str] = set()
        extra_headers: Mapping[str, str | Omit] | None = options.get("extra_headers")
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
            merged = {k: v for k, v in body.items() if not isinstance(v, (NotGiven, Omit))}
            extra_body = options.get("extra_body")
            if extra_body:
                merged.update(extra_body)
            content = encode_json(merged)
        params = self.default_query
        extra_query = options.get("extra_query")
        if extra_query:
            params.update(extra_query)
        if path.startswith(("http://", "https://")):
            url = path
        else:
            url = str(self.base_url.join(path.lstrip("/")))
        max_retries = options.get("max_retries")
        deadline = options.get("stream_deadline", NOT_GIVEN)
        return PreparedRequest(
            method=method,
            url=url,
            headers=headers,
            content=content,
            params=params,
            timeout=_resolve_timeout(options.get("timeout", NOT_GIVEN), self.timeout),
            max_retries=self.max_retries if max_retries is None else max_retries,
            stream_deadline=self.stream_deadline if isinstance(deadline, NotGiven) else _check_stream_deadline(deadline),
        )

    def build_http_request(self, http: httpx2.Client | httpx2.AsyncClient, prep: PreparedRequest) -> httpx2.Request:
        """The ``httpx2.Request`` of one attempt (seam (a): a platform signs it here)."""
        request = http.build_request(
            prep.method,
            prep.url,
            headers=prep.headers,
            content=prep.content,
            params=prep.params or None,
            timeout=prep.timeout,
            extensions=prep.extensions or None,
        )
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "Request %s %s (attempt %d) headers=%s",
                request.method,
                request.url,
                prep.retries_taken + 1,
                redact_headers(dict(request.headers)),
            )
        return request

    def event_decoder(self) -> EventDecoder:
        """A decoder for one streamed body (seam (b)): server-sent events."""
        from ._sse import SSEDecoder

        return SSEDecoder()

    # -- copies --------------------------------------------------------------

    def with_options(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        http_client: _HttpxT | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        stream_deadline: float | NotGiven | None = NOT_GIVEN,
        middleware: Sequence[MiddlewareInput] | NotGiven | None = NOT_GIVEN,
        _extra_kwargs: Mapping[str, Any] | None = None,
    ) -> Self:
        """A new client with some options changed, sharing this one's connection pool.

        ``_extra_kwargs`` go to the new client's constructor as they are (a platform
        client passes its own arguments, such as ``aws_region``, this way).
        """
        if default_headers is not None and set_default_headers is not None:
            raise ValueError("The `default_headers` and `set_default_headers` arguments are mutually exclusive")
        if default_query is not None and set_default_query is not None:
            raise ValueError("The `default_query` and `set_default_query` arguments are mutually exclusive")
        headers = self._custom_headers
        if default_headers is not None:
            headers = _merge_default_headers(headers, default_headers)
        elif set_default_headers is not None:
            headers = dict(set_default_headers)
        query = self._custom_query
        if default_query is not None:
            query = {**query, **default_query}
        elif set_default_query is not None:
            query = dict(set_default_query)
        copy = self._clone(
            api_key=api_key or self.api_key,
            auth_token=auth_token or self.auth_token,
            base_url=base_url or self.base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            default_headers=headers,
            default_query=query,
            http_client=http_client or self.http_pool(),
            stream_deadline=self.stream_deadline if isinstance(stream_deadline, NotGiven) else stream_deadline,
            middleware=self._middleware if isinstance(middleware, NotGiven) else middleware,
            _strict_response_validation=self._strict_response_validation,
            **(_extra_kwargs or {}),
        )
        copy._owns_http_client = False
        return copy

    copy = with_options

    def with_middleware(self, *middleware: MiddlewareInput) -> Self:
        """A copy of this client whose middleware is this one's followed by ``middleware`` (innermost last).

        ``client.with_middleware(log_calls).messages.create(...)`` runs ``log_calls`` for that call only.
        """
        return self.with_options(middleware=[*self._middleware, *middleware])

    def _clone(self, **options: Any) -> Self:
        """A new client of this class with ``options`` (a platform client rebuilds its description)."""
        return type(self)(**options)


def _merge_default_headers(current: Mapping[str, str], given: Mapping[str, str]) -> dict[str, str]:
    """``current`` with ``given`` on top; the helper-list header is the one exception, it accumulates.

    That header names, comma-separated, the helpers a request went through, so a
    copy of a client keeps its parent's names and appends its own (each once).
    """
    merged = dict(current)
    for key, value in given.items():
        if key.lower() == "x-stainless-helper":
            previous = next((merged.pop(k) for k in list(merged) if k.lower() == "x-stainless-helper"), None)
            if previous is not None:
                tokens = [t for t in (p.strip() for p in previous.split(",")) if t]
                tokens += [t for t in (p.strip() for p in value.split(",")) if t and t not in tokens]
                value = ", ".join(tokens)
        merged[key] = value
    return merged


def _env_headers() -> dict[str, str]:
    """The headers of ``ANTHROPIC_CUSTOM_HEADERS``: one ``Name: value`` a line, as the official client reads it.

    They go under the client's ``default_headers`` (which win on a clash).  A
    non-blank line without a name and a colon is skipped with a warning on the
    ``anthropic`` logger.
    """
    raw = os.environ.get("ANTHROPIC_CUSTOM_HEADERS")
    if not raw:
        return {}
    headers: dict[str, str] = {}
    for number, line in enumerate(raw.split("\n"), 1):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            headers[name.strip()] = value.strip()
        elif line.strip():
            log.warning("ANTHROPIC_CUSTOM_HEADERS line %d is not 'Name: value'; skipped", number)
    return headers
