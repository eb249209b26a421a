"""The platform clients (asynchronous; the sync twin is generated).

Each is :class:`AsyncPlatformClient`, the first-party client with a platform
description plugged in (``docs/platforms.md``), and differs from the others
only by its constructor, which takes the arguments of the official client
2.15.0 and builds the description with that platform's factory:

* :class:`AsyncAnthropicBedrock` (``anthropic.lib.bedrock``),
* :class:`AsyncAnthropicBedrockMantle` (``anthropic.lib.bedrock``),
* :class:`AsyncAnthropicVertex` (``anthropic.lib.vertex``),
* :class:`AsyncAnthropicFoundry` (``anthropic.lib.foundry``),
* :class:`AsyncAnthropicAWS` (``anthropic.lib.aws``).

A configuration error (no region, no credentials, a missing cloud SDK) is
raised by the constructor; an endpoint the platform lacks raises when the
call is made; both before any I/O.  Each attempt of a request, retries
included, is completed and authenticated afresh right before it is sent:
the auth headers are computed last, over the final URL, headers and body
bytes (SigV4 signs exactly those).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx2

from .._constants import DEFAULT_MAX_RETRIES
from .._types import NOT_GIVEN, NotGiven, Timeout
from ..lib._platform._client import AsyncPlatformAuth, PlatformClientMixin
from .client import AsyncAnthropic

if TYPE_CHECKING:
    from .._http import PreparedRequest
    from .._middleware import MiddlewareInput
    from ..lib._platform import Platform

__all__ = [
    "AsyncAnthropicAWS",
    "AsyncAnthropicBedrock",
    "AsyncAnthropicBedrockMantle",
    "AsyncAnthropicFoundry",
    "AsyncAnthropicVertex",
    "AsyncPlatformClient",
]


class AsyncPlatformClient(PlatformClientMixin, AsyncAnthropic):
    """The first-party client sending through a platform description."""

    def __init__(
        self,
        platform: Platform,
        platform_args: Mapping[str, Any],
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        stream_deadline: float | None = None,
        middleware: Sequence[MiddlewareInput] | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        self._platform = platform
        self._platform_args = dict(platform_args)
        super().__init__(
            base_url=platform.base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            stream_deadline=stream_deadline,
            middleware=middleware,
            _strict_response_validation=_strict_response_validation,
        )
        # never the ambient first-party credentials: the platform authenticates
        self.api_key = platform_args.get("api_key")
        self.auth_token = None

    def _check_credentials(self, headers: Mapping[str, str], omitted: set[str]) -> None:
        pass  # the platform description found its credentials when it was built

    def prepare_request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None,
        options: Mapping[str, Any],
    ) -> PreparedRequest:
        """The call in the platform's form; the auth headers come per attempt, in ``prep.finish``."""
        request, params, omitted = self.platform_request(method, path, body, options)
        prep = super().prepare_request(method, path, body=None, options=options)
        prep.params = params
        auth = AsyncPlatformAuth(self._platform)
        pending = [request]
        if not self._platform.needs_load:  # rewrite now: an unsupported endpoint raises at the call
            self.apply(prep, pending.pop(), omitted)

        async def finish(http: Any, prep: PreparedRequest) -> httpx2.Request:
            if pending:  # credentials to load first (Vertex: the project may come from them)
                await auth.load()
                self.apply(prep, pending.pop(), omitted)
            built = self.build_http_request(http, prep)
            built.headers.update(await auth.headers(built.method, str(built.url), built.headers, built.content))
            return built

        prep.finish = finish
        return prep


class AsyncAnthropicBedrock(AsyncPlatformClient):
    """Claude on Amazon Bedrock (``bedrock-runtime``); see :mod:`anthropic.lib.bedrock`."""

    def __init__(
        self,
        aws_secret_key: str | None = None,
        aws_access_key: str | None = None,
        aws_region: str | None = None,
        aws_profile: str | None = None,
        aws_session_token: str | None = None,
        api_key: str | None = None,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        *,
        http_client: httpx2.AsyncClient | None = None,
        stream_deadline: float | None = None,
        middleware: Sequence[MiddlewareInput] | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        from ..lib.bedrock._platform import bedrock_platform

        args: dict[str, Any] = {
            "aws_secret_key": aws_secret_key,
            "aws_access_key": aws_access_key,
            "aws_region": aws_region,
            "aws_profile": aws_profile,
            "aws_session_token": aws_session_token,
            "api_key": api_key,
            "base_url": base_url,
        }
        platform = bedrock_platform(**args)
        super().__init__(
            platform,
            args,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            stream_deadline=stream_deadline,
            middleware=middleware,
            _strict_response_validation=_strict_response_validation,
        )
        self.aws_secret_key = aws_secret_key
        self.aws_access_key = aws_access_key
        self.aws_region = platform.region
        self.aws_profile = aws_profile
        self.aws_session_token = aws_session_token
        self.api_key = platform.api_key


class AsyncAnthropicBedrockMantle(AsyncPlatformClient):
    """Claude through Bedrock Mantle (the first-party API on AWS); see :mod:`anthropic.lib.bedrock`."""

    def __init__(
        self,
        *,
        aws_access_key: str | None = None,
        aws_secret_key: str | None = None,
        aws_session_token: str | None = None,
        aws_region: str | None = None,
        aws_profile: str | None = None,
        api_key: str | None = None,
        skip_auth: bool = False,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        stream_deadline: float | None = None,
        middleware: Sequence[MiddlewareInput] | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        from ..lib.bedrock._mantle import mantle_platform

        args: dict[str, Any] = {
            "aws_access_key": aws_access_key,
            "aws_secret_key": aws_secret_key,
            "aws_session_token": aws_session_token,
            "aws_region": aws_region,
            "aws_profile": aws_profile,
            "api_key": api_key,
            "skip_auth": skip_auth,
            "base_url": base_url,
        }
        platform = mantle_platform(**args)
        super().__init__(
            platform,
            args,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            stream_deadline=stream_deadline,
            middleware=middleware,
            _strict_response_validation=_strict_response_validation,
        )
        self.aws_access_key = aws_access_key
        self.aws_secret_key = aws_secret_key
        self.aws_session_token = aws_session_token
        self.aws_region = platform.region
        self.aws_profile = aws_profile
        self.skip_auth = skip_auth


class AsyncAnthropicVertex(AsyncPlatformClient):
    """Claude on Google Vertex AI; see :mod:`anthropic.lib.vertex`."""

    def __init__(
        self,
        *,
        region: str | NotGiven = NOT_GIVEN,
        project_id: str | NotGiven = NOT_GIVEN,
        access_token: str | None = None,
        credentials: Any = None,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        stream_deadline: float | None = None,
        middleware: Sequence[MiddlewareInput] | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        from ..lib.vertex._platform import vertex_platform

        args: dict[str, Any] = {
            "region": None if isinstance(region, NotGiven) else region,
            "project_id": None if isinstance(project_id, NotGiven) else project_id,
            "access_token": access_token,
            "credentials": credentials,
            "base_url": base_url,
        }
        platform = vertex_platform(**args)
        super().__init__(
            platform,
            args,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            stream_deadline=stream_deadline,
            middleware=middleware,
            _strict_response_validation=_strict_response_validation,
        )
        self._vertex = platform
        self.region = platform.region
        self.access_token = access_token
        self.credentials = credentials

    @property
    def project_id(self) -> str | None:
        """The project given, else that of the Application Default Credentials once loaded."""
        return self._vertex.project_id


class AsyncAnthropicFoundry(AsyncPlatformClient):
    """Claude on Microsoft Foundry (Azure); see :mod:`anthropic.lib.foundry`.

    ``models`` and ``messages.batches`` are ``None``: Foundry offers neither the
    Models API nor Message Batches.
    """

    models: None = None  # type: ignore[assignment]  # the first-party client's resource is absent here
    offers_batches = False

    def __init__(
        self,
        *,
        resource: str | None = None,
        api_key: str | None = None,
        azure_ad_token_provider: Any = None,
        webhook_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        stream_deadline: float | None = None,
        middleware: Sequence[MiddlewareInput] | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        from ..lib.foundry._platform import foundry_platform

        args: dict[str, Any] = {
            "resource": resource,
            "api_key": api_key,
            "azure_ad_token_provider": azure_ad_token_provider,
            "base_url": base_url,
        }
        platform = foundry_platform(**args)
        super().__init__(
            platform,
            {**args, "webhook_key": webhook_key},
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            stream_deadline=stream_deadline,
            middleware=middleware,
            _strict_response_validation=_strict_response_validation,
        )
        self.resource = resource
        self.api_key = platform.api_key
        self.webhook_key = webhook_key
        self.azure_ad_token_provider = azure_ad_token_provider


class AsyncAnthropicAWS(AsyncPlatformClient):
    """Claude through the Anthropic API on AWS (``aws-external-anthropic``); see :mod:`anthropic.lib.aws`."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        aws_access_key: str | None = None,
        aws_secret_key: str | None = None,
        aws_region: str | None = None,
        aws_profile: str | None = None,
        aws_session_token: str | None = None,
        workspace_id: str | None = None,
        skip_auth: bool = False,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        stream_deadline: float | None = None,
        middleware: Sequence[MiddlewareInput] | None = None,
        _strict_response_validation: bool = False,
        auth_token: str | None = None,
        webhook_key: str | None = None,
    ) -> None:
        from ..lib.aws._platform import aws_platform

        args: dict[str, Any] = {
            "api_key": api_key,
            "aws_access_key": aws_access_key,
            "aws_secret_key": aws_secret_key,
            "aws_region": aws_region,
            "aws_profile": aws_profile,
            "aws_session_token": aws_session_token,
            "workspace_id": workspace_id,
            "skip_auth": skip_auth,
            "base_url": base_url,
        }
        platform = aws_platform(**args)
        super().__init__(
            platform,
            {**args, "auth_token": auth_token, "webhook_key": webhook_key},
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            stream_deadline=stream_deadline,
            middleware=middleware,
            _strict_response_validation=_strict_response_validation,
        )
        self.aws_access_key = aws_access_key
        self.aws_secret_key = aws_secret_key
        self.aws_region = platform.region
        self.aws_profile = aws_profile
        self.aws_session_token = aws_session_token
        self.workspace_id = platform.workspace_id
        self.skip_auth = skip_auth
        self.webhook_key = webhook_key
