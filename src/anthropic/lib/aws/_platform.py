"""The AWS platform description (``AnthropicAWS``): the first-party API behind AWS auth.

:func:`aws_platform` takes exactly the arguments of ``AnthropicAWS`` (see the
package docstring) and returns an :class:`AWSPlatform`, or raises a typed
error naming what is missing, before any request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._platform import (
    PlatformConfigError,
    PlatformRequest,
    StaticAuth,
    UnsupportedEndpointError,
    env,
    split_path,
)
from ._auth import SigV4Auth
from ._credentials import check_key_pair, resolve_aws_credentials

__all__ = ["AWSPlatform", "aws_platform", "resolve_auth_mode"]

SERVICE = "aws-external-anthropic"
_API_KEY_ENV = ("ANTHROPIC_AWS_API_KEY",)


def resolve_auth_mode(
    *,
    api_key: str | None,
    aws_access_key: str | None,
    aws_secret_key: str | None,
    aws_profile: str | None,
    api_key_env: tuple[str, ...],
) -> tuple[bool, str | None]:
    """``(use_sigv4, api_key)``: an API key argument, then explicit AWS arguments, then the key variables,
    then the AWS credential chain."""
    if api_key is not None:
        return False, api_key
    if aws_access_key is not None or aws_secret_key is not None or aws_profile is not None:
        return True, None
    from_env = env(*api_key_env)
    if from_env is not None:
        return False, from_env
    return True, None


class AWSPlatform:
    """Where AWS requests go and how they are authenticated; paths and bodies are first-party."""

    name = "aws"
    sends_version_header = True
    stream_format = "sse"
    needs_load = False

    def __init__(
        self,
        *,
        base_url: str,
        region: str | None,
        workspace_id: str | None,
        auth: SigV4Auth | StaticAuth | None,
    ) -> None:
        self.base_url = base_url
        self.region = region
        self.workspace_id = workspace_id
        self.auth = auth
        self.default_headers: Mapping[str, str] = (
            {"anthropic-workspace-id": workspace_id} if workspace_id is not None else {}
        )

    def load(self) -> None:
        pass

    def prepare(self, request: PlatformRequest) -> PlatformRequest:
        path, _ = split_path(request.path)
        if path.startswith("/v1/user_profiles/") and path.endswith("/action_urls"):
            raise UnsupportedEndpointError("User profile action URLs are not supported in the AWS client.")
        return request

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return {} if self.auth is None else self.auth.auth_headers(method, url, headers, body)

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        return {} if self.auth is None else await self.auth.aauth_headers(method, url, headers, body)

    def new_decoder(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"<AWSPlatform base_url={self.base_url!r} region={self.region!r} auth={self.auth!r}>"


def aws_platform(
    *,
    api_key: str | None = None,
    aws_access_key: str | None = None,
    aws_secret_key: str | None = None,
    aws_region: str | None = None,
    aws_profile: str | None = None,
    aws_session_token: str | None = None,
    workspace_id: str | None = None,
    skip_auth: bool = False,
    base_url: Any = None,
) -> AWSPlatform:
    """The platform for these ``AnthropicAWS`` arguments and the environment."""
    check_key_pair(aws_access_key, aws_secret_key, aws_session_token)
    if skip_auth:
        use_sigv4, key = False, None
    else:
        use_sigv4, key = resolve_auth_mode(
            api_key=api_key,
            aws_access_key=aws_access_key,
            aws_secret_key=aws_secret_key,
            aws_profile=aws_profile,
            api_key_env=_API_KEY_ENV,
        )
    region = aws_region if aws_region is not None else (env("AWS_REGION") or env("AWS_DEFAULT_REGION"))
    if use_sigv4 and region is None:
        raise PlatformConfigError(
            "No AWS region was given: pass `aws_region` or set AWS_REGION or AWS_DEFAULT_REGION "
            "(SigV4 signing needs it)"
        )
    if not skip_auth:
        if workspace_id is None:
            workspace_id = env("ANTHROPIC_AWS_WORKSPACE_ID")
        if workspace_id is None:
            raise PlatformConfigError(
                "No workspace ID was given: pass `workspace_id` or set ANTHROPIC_AWS_WORKSPACE_ID"
            )
    if base_url is None:
        base_url = env("ANTHROPIC_AWS_BASE_URL")
    if base_url is None:
        if region is None:
            raise PlatformConfigError(
                "No AWS region and no base URL were given: pass `aws_region` (or set AWS_REGION or "
                "AWS_DEFAULT_REGION), or pass `base_url` (or set ANTHROPIC_AWS_BASE_URL)"
            )
        base_url = f"https://aws-external-anthropic.{region}.api.aws"
    auth: SigV4Auth | StaticAuth | None = None
    if use_sigv4:
        assert region is not None
        source = resolve_aws_credentials(
            aws_access_key=aws_access_key,
            aws_secret_key=aws_secret_key,
            aws_session_token=aws_session_token,
            aws_profile=aws_profile,
            aws_region=region,
            extra="aws",
        )
        auth = SigV4Auth(source, region=region, service=SERVICE)
    elif key is not None:
        auth = StaticAuth({"Authorization": f"Bearer {key}"})
    return AWSPlatform(base_url=str(base_url), region=region, workspace_id=workspace_id, auth=auth)
