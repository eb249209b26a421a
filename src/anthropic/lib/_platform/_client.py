"""What a platform client adds to the first-party client, without I/O or colour.

A platform client (``AnthropicBedrock``, ``AsyncAnthropicVertex``, ...) is
the first-party client of its colour with one :class:`~anthropic.lib._platform.Platform`
description plugged in (``docs/platforms.md``).  :class:`PlatformClientMixin`
holds the colourless part, mixed in before the client class:

* its options: the description's base URL, no first-party credentials (the
  ambient ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` are never sent),
  the library's headers with the official user agent ``{ClassName}/Python {version}``;
* :meth:`PlatformClientMixin.platform_request`: one call as the
  :class:`~anthropic.lib._platform.PlatformRequest` the description rewrites,
  and :meth:`PlatformClientMixin.apply`, which writes the rewritten request
  into the :class:`~anthropic._http.PreparedRequest` that is sent;
* the decoder of streamed bodies (the description's, else SSE);
* copies (``with_options``) built again from the constructor's arguments.

The per-attempt step that completes and signs each request is the one thing
with a colour; it lives in :mod:`anthropic._async.platforms` (and its
generated sync twin) and reaches the description through :class:`PlatformAuth`
/ :class:`AsyncPlatformAuth`, twins named so that the generated code calls
the blocking one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from ..._types import NotGiven, Omit
from . import Platform, PlatformRequest, split_path

if TYPE_CHECKING:
    import httpx2

    from ..._http import EventDecoder, PreparedRequest

__all__ = ["AsyncPlatformAuth", "PlatformAuth", "PlatformClientMixin"]

_BASE_OPTIONS = frozenset({"api_key", "auth_token", "base_url"})


class PlatformAuth:
    """A description's blocking steps, as the sync client calls them."""

    __slots__ = ("platform",)

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def load(self) -> None:
        if self.platform.needs_load:
            self.platform.load()

    def headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return self.platform.auth_headers(method, url, headers, body)


class AsyncPlatformAuth:
    """A description's steps as the async client awaits them (blocking work in a worker thread)."""

    __slots__ = ("platform",)

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    async def load(self) -> None:
        if self.platform.needs_load:
            import anyio.to_thread

            await anyio.to_thread.run_sync(self.platform.load)

    async def headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return await self.platform.aauth_headers(method, url, headers, body)


class PlatformClientMixin:
    """The colourless part of a platform client (mixed in before ``Anthropic`` / ``AsyncAnthropic``)."""

    _platform: Platform
    _platform_args: dict[str, Any]
    # provided by BaseClient
    base_url: httpx2.URL
    _custom_headers: dict[str, str]
    _custom_query: dict[str, object]
    api_key: str | None
    auth_token: str | None

    @property
    def platform(self) -> Platform:
        """The platform description this client sends through."""
        return self._platform

    @property
    def auth_headers(self) -> dict[str, str]:
        """Always empty: a platform authenticates each request itself, at the last moment."""
        return {}

    def _library_headers(self) -> dict[str, str]:
        from ..._constants import API_VERSION
        from ..._platform_headers import platform_headers
        from ..._version import __version__

        headers = {
            "accept": "application/json",
            "content-type": "application/json",
            "user-agent": f"{type(self).__name__}/Python {__version__}",
            **platform_headers(),
        }
        if self._platform.sends_version_header:
            headers["anthropic-version"] = API_VERSION
        for key, value in self._platform.default_headers.items():
            headers[key.lower()] = value
        return headers

    @property
    def default_headers(self) -> dict[str, str]:
        """The headers every request starts from (auth comes last, per request); yours keep the case you gave."""
        headers = self._library_headers()
        for key, value in self._custom_headers.items():
            headers.pop(key.lower(), None)
            headers[key] = value
        return headers

    def platform_request(
        self, method: str, path: str, body: Mapping[str, Any] | None, options: Mapping[str, Any]
    ) -> tuple[PlatformRequest, dict[str, Any], set[str]]:
        """One call as the first-party request the description rewrites, its query parameters and omitted headers."""
        headers = {k.lower(): v for k, v in self._custom_headers.items()}
        omitted: set[str] = set()
        extra_headers: Mapping[str, Any] | None = options.get("extra_headers")
        for key, value in (extra_headers or {}).items():
            lk = key.lower()
            headers.pop(lk, None)
            if isinstance(value, Omit):
                omitted.add(lk)
            else:
                headers[lk] = value
        payload: dict[str, Any] | None = None
        if body is not None:
            payload = {k: v for k, v in body.items() if not isinstance(v, (NotGiven, Omit))}
            extra_body = options.get("extra_body")
            if extra_body:
                payload.update(extra_body)
        params: dict[str, Any] = dict(self._custom_query)
        params.update(options.get("extra_query") or {})
        full = "/" + path.lstrip("/")
        if params.get("beta") == "true":  # the beta flavour's marker: part of the path the description knows
            del params["beta"]
            full += "?beta=true"
        return PlatformRequest(method, full, payload, headers), params, omitted

    def apply(self, prep: PreparedRequest, request: PlatformRequest, omitted: set[str]) -> None:
        """Write the description's rewrite of the request into ``prep`` (URL, query, body, headers)."""
        from ..._http import encode_json

        request = self._platform.prepare(request)
        bare, query = split_path(request.path)
        prep.url = str(self.base_url.join(bare.lstrip("/")))
        if query:
            prep.params = {**dict(parse_qsl(query, keep_blank_values=True)), **prep.params}
        prep.content = None if request.body is None else encode_json(request.body)
        headers = self._library_headers()
        for key, value in request.headers.items():
            headers[key.lower()] = value
        for key in omitted:
            headers.pop(key, None)
        prep.headers = headers

    def event_decoder(self) -> EventDecoder:
        """The description's decoder for streamed bodies, else server-sent events."""
        decoder: Any = self._platform.new_decoder()
        if decoder is None:
            from ..._sse import SSEDecoder

            return SSEDecoder()
        return decoder  # type: ignore[no-any-return]

    def with_options(self, **options: Any) -> Any:
        """A copy with some options changed, sharing the connection pool.

        Besides the first-party options, the platform's own constructor arguments
        (``aws_region``, ``aws_profile``, ``region``, ``project_id``, ...) may be
        given; ``None`` keeps the current value, as in the official client.  The
        description is built again from the arguments.
        """
        changed = {
            key: options.pop(key)
            for key in list(options)
            if key in self._platform_args and key not in _BASE_OPTIONS
        }
        changed = {k: v for k, v in changed.items() if v is not None and not isinstance(v, NotGiven)}
        return super().with_options(**options, _extra_kwargs=changed)  # type: ignore[misc]

    copy = with_options

    def _clone(self, **options: Any) -> Any:
        """A copy for ``with_options``: the same constructor arguments, with the options given."""
        api_key = options.pop("api_key", None)
        options.pop("auth_token", None)
        base_url = options.pop("base_url", None)
        args = dict(self._platform_args)
        for key in [k for k in options if k in args]:
            args[key] = options.pop(key)
        if api_key is not None and "api_key" in args:
            args["api_key"] = api_key
        if base_url is not None and str(base_url) != str(self.base_url):
            args["base_url"] = base_url
            args.pop("resource", None)
        return type(self)(**args, **options)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} platform={self._platform!r} max_retries={getattr(self, 'max_retries', None)}>"
