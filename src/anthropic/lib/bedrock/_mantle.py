"""The Bedrock Mantle platform description (``AnthropicBedrockMantle``).

Mantle serves the first-party Messages API (paths, bodies, SSE streams)
from a Bedrock endpoint; only the base URL, the auth and the place of the
user profile ID differ.  :func:`mantle_platform` takes exactly the arguments
of ``AnthropicBedrockMantle`` (see the package docstring).  The clients
themselves are found here too, by name, where the official client keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._lazy import lazy_names
from .._platform import PlatformConfigError, PlatformRequest, StaticAuth, env, header_value, without_header
from ..aws._auth import SigV4Auth
from ..aws._credentials import check_key_pair, resolve_aws_credentials, resolve_aws_region
from ..aws._platform import resolve_auth_mode

__all__ = ["MantlePlatform", "mantle_platform"]

SERVICE = "bedrock-mantle"
_API_KEY_ENV = ("AWS_BEARER_TOKEN_BEDROCK", "ANTHROPIC_AWS_API_KEY")
USER_PROFILE_ID_HEADER = "anthropic-user-profile-id"
_PROFILE_IN_BODY_PATHS = frozenset(
    {
        "/v1/messages",
        "/v1/messages?beta=true",
        "/v1/messages/count_tokens",
        "/v1/messages/count_tokens?beta=true",
    }
)


class MantlePlatform:
    """Where Mantle requests go and how they are authenticated."""

    name = "bedrock-mantle"
    sends_version_header = True
    stream_format = "sse"
    needs_load = False
    default_headers: Mapping[str, str] = {}

    def __init__(self, *, base_url: str, region: str | None, auth: SigV4Auth | StaticAuth | None) -> None:
        self.base_url = base_url
        self.region = region
        self.auth = auth

    def load(self) -> None:
        pass

    def prepare(self, request: PlatformRequest) -> PlatformRequest:
        """Moves ``anthropic-user-profile-id`` into the body of messages and count_tokens requests."""
        if request.path not in _PROFILE_IN_BODY_PATHS or not isinstance(request.body, dict):
            return request
        profile = header_value(request.headers, USER_PROFILE_ID_HEADER)
        if profile is None:
            return request
        return request.with_(
            headers=without_header(request.headers, USER_PROFILE_ID_HEADER),
            body={"user_profile_id": profile, **request.body},
        )

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return {} if self.auth is None else self.auth.auth_headers(method, url, headers, body)

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        return {} if self.auth is None else await self.auth.aauth_headers(method, url, headers, body)

    def new_decoder(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"<MantlePlatform base_url={self.base_url!r} region={self.region!r} auth={self.auth!r}>"


def mantle_platform(
    *,
    aws_access_key: str | None = None,
    aws_secret_key: str | None = None,
    aws_session_token: str | None = None,
    aws_region: str | None = None,
    aws_profile: str | None = None,
    api_key: str | None = None,
    skip_auth: bool = False,
    base_url: Any = None,
) -> MantlePlatform:
    """The platform for these ``AnthropicBedrockMantle`` arguments and the environment."""
    if skip_auth:
        use_sigv4, key = False, None
    else:
        check_key_pair(aws_access_key, aws_secret_key, aws_session_token)
        use_sigv4, key = resolve_auth_mode(
            api_key=api_key,
            aws_access_key=aws_access_key,
            aws_secret_key=aws_secret_key,
            aws_profile=aws_profile,
            api_key_env=_API_KEY_ENV,
        )
    region = aws_region if aws_region is not None else (env("AWS_REGION") or env("AWS_DEFAULT_REGION"))
    if base_url is None:
        base_url = env("ANTHROPIC_BEDROCK_MANTLE_BASE_URL")
    if base_url is None:
        if region is None:
            raise PlatformConfigError(
                "No AWS region and no base URL were given: pass `aws_region` (or set AWS_REGION or "
                "AWS_DEFAULT_REGION), or pass `base_url` (or set ANTHROPIC_BEDROCK_MANTLE_BASE_URL)"
            )
        base_url = f"https://bedrock-mantle.{region}.api.aws/anthropic"
    auth: SigV4Auth | StaticAuth | None = None
    if use_sigv4:
        signing_region = resolve_aws_region(region, aws_profile=aws_profile)
        if signing_region is None:
            raise PlatformConfigError(
                "No AWS region was given for SigV4 signing: pass `aws_region`, set AWS_REGION or "
                "AWS_DEFAULT_REGION, or configure a region for your AWS profile"
            )
        source = resolve_aws_credentials(
            aws_access_key=aws_access_key,
            aws_secret_key=aws_secret_key,
            aws_session_token=aws_session_token,
            aws_profile=aws_profile,
            aws_region=signing_region,
            extra="bedrock",
        )
        auth = SigV4Auth(source, region=signing_region, service=SERVICE)
    elif key is not None:
        auth = StaticAuth({"Authorization": f"Bearer {key}"})
    return MantlePlatform(base_url=str(base_url), region=region, auth=auth)


# The clients, where the official client keeps them; each loads when first named.
__getattr__, __dir__ = lazy_names(
    __name__,
    {"AnthropicBedrockMantle": "..._sync.platforms", "AsyncAnthropicBedrockMantle": "..._async.platforms"},
)
