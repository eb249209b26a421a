"""The Bedrock platform description: configuration, request rewrite, auth and stream decoder.

:func:`bedrock_platform` takes exactly the arguments of ``AnthropicBedrock``
(see the package docstring for what each means and where it defaults from)
and returns a :class:`BedrockPlatform`, or raises a typed error naming what is
missing, before any request.  The object is immutable in use and shared by the
sync and async clients.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from .._platform import (
    PlatformConfigError,
    PlatformRequest,
    StaticAuth,
    UnsupportedEndpointError,
    env,
    header_value,
    split_path,
    without_header,
)
from ..aws._auth import SigV4Auth
from ..aws._credentials import resolve_aws_credentials, resolve_aws_region
from ._events import BedrockEventDecoder

__all__ = ["BEDROCK_ANTHROPIC_VERSION", "BedrockPlatform", "bedrock_platform"]

BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31"
USER_PROFILE_ID_HEADER = "anthropic-user-profile-id"
_MESSAGES_PATHS = frozenset({"/v1/messages", "/v1/messages?beta=true"})
_COUNT_TOKENS_PATHS = frozenset({"/v1/messages/count_tokens", "/v1/messages/count_tokens?beta=true"})


class BedrockPlatform:
    """Where Bedrock requests go, how they are rewritten and signed, how streams are read."""

    name = "bedrock"
    sends_version_header = False
    stream_format = "aws-eventstream"
    needs_load = False
    default_headers: Mapping[str, str] = {}

    def __init__(
        self, *, base_url: str, region: str, auth: SigV4Auth | StaticAuth, api_key: str | None
    ) -> None:
        self.base_url = base_url
        self.region = region
        self.auth = auth
        self.api_key = api_key

    def load(self) -> None:
        pass

    def prepare(self, request: PlatformRequest) -> PlatformRequest:
        """The request in Bedrock's form; see the package docstring."""
        path = request.path
        body = request.body
        headers: Mapping[str, str] = request.headers
        if isinstance(body, dict):
            body = dict(body)
            body.setdefault("anthropic_version", BEDROCK_ANTHROPIC_VERSION)
            betas = header_value(headers, "anthropic-beta")
            if betas:
                body.setdefault("anthropic_beta", betas.split(","))
        if path in _MESSAGES_PATHS and request.method.lower() == "post":
            if not isinstance(body, dict):
                raise PlatformConfigError("A Bedrock messages request needs a JSON object body")
            profile = header_value(headers, USER_PROFILE_ID_HEADER)
            if profile is not None:
                headers = without_header(headers, USER_PROFILE_ID_HEADER)
                body.setdefault("user_profile_id", profile)
            model = body.pop("model", None)
            routed = str(model or "").partition(";")[0]
            if not routed:
                raise PlatformConfigError(f"Expected a non-empty value for `model` but received {model!r}")
            if routed in (".", ".."):
                raise PlatformConfigError(f"The model {model!r} cannot be a path segment of the Bedrock URL")
            quoted = urllib.parse.quote(str(model), safe=":;")
            action = "invoke-with-response-stream" if body.pop("stream", False) else "invoke"
            path = f"/model/{quoted}/{action}"
        bare, _ = split_path(path)
        if bare.startswith("/v1/messages/batches"):
            raise UnsupportedEndpointError("The Batch API is not supported in Bedrock yet")
        if path in _COUNT_TOKENS_PATHS:
            raise UnsupportedEndpointError("Token counting is not supported in Bedrock yet")
        return PlatformRequest(request.method, path, body, headers)

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return self.auth.auth_headers(method, url, headers, body)

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        return await self.auth.aauth_headers(method, url, headers, body)

    def new_decoder(self) -> BedrockEventDecoder:
        return BedrockEventDecoder()

    def __repr__(self) -> str:
        return f"<BedrockPlatform base_url={self.base_url!r} region={self.region!r} auth={self.auth!r}>"


def bedrock_platform(
    *,
    aws_secret_key: str | None = None,
    aws_access_key: str | None = None,
    aws_region: str | None = None,
    aws_profile: str | None = None,
    aws_session_token: str | None = None,
    api_key: str | None = None,
    base_url: Any = None,
) -> BedrockPlatform:
    """The platform for these ``AnthropicBedrock`` arguments and the environment."""
    if api_key is None:
        api_key = env("AWS_BEARER_TOKEN_BEDROCK")
    explicit_aws = [
        name
        for name, value in (
            ("aws_access_key", aws_access_key),
            ("aws_secret_key", aws_secret_key),
            ("aws_session_token", aws_session_token),
            ("aws_profile", aws_profile),
        )
        if value is not None
    ]
    if api_key is not None and explicit_aws:
        raise PlatformConfigError(
            f"Cannot specify both `api_key` (or AWS_BEARER_TOKEN_BEDROCK) and AWS credentials "
            f"({', '.join('`' + n + '`' for n in explicit_aws)}): pass one or the other"
        )
    region = resolve_aws_region(aws_region, aws_profile=aws_profile)
    if region is None:
        raise PlatformConfigError(
            "No AWS region was given: pass `aws_region`, set AWS_REGION or AWS_DEFAULT_REGION, or configure "
            "a region for your AWS profile (read when boto3 is installed: pip install 'anthropic[bedrock]')"
        )
    if base_url is None:
        base_url = env("ANTHROPIC_BEDROCK_BASE_URL")
    if base_url is None:
        base_url = f"https://bedrock-runtime.{region}.amazonaws.com"
    auth: SigV4Auth | StaticAuth
    if api_key is not None:
        auth = StaticAuth({"Authorization": f"Bearer {api_key}"})
    else:
        source = resolve_aws_credentials(
            aws_access_key=aws_access_key,
            aws_secret_key=aws_secret_key,
            aws_session_token=aws_session_token,
            aws_profile=aws_profile,
            aws_region=region,
            extra="bedrock",
        )
        auth = SigV4Auth(source, region=region, service="bedrock")
    return BedrockPlatform(base_url=str(base_url), region=region, auth=auth, api_key=api_key)
