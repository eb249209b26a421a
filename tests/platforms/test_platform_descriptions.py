"""Platform descriptions: configuration from arguments and environment, request rewrites, auth headers."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

from anthropic import AnthropicError, MissingCredentialsError
from anthropic.lib._platform import (
    MissingDependencyError,
    PlatformConfigError,
    PlatformRequest,
    UnsupportedEndpointError,
)
from anthropic.lib.aws._auth import SigV4Auth
from anthropic.lib.aws._platform import aws_platform
from anthropic.lib.aws._sigv4 import AWSCredentials, sign_request
from anthropic.lib.bedrock._events import BedrockEventDecoder
from anthropic.lib.bedrock._mantle import mantle_platform
from anthropic.lib.bedrock._platform import BEDROCK_ANTHROPIC_VERSION, bedrock_platform
from anthropic.lib.foundry._platform import foundry_platform
from anthropic.lib.vertex._platform import VERTEX_ANTHROPIC_VERSION, vertex_base_url, vertex_platform

ENV_PREFIXES = ("AWS_", "ANTHROPIC_", "CLOUD_ML_", "GOOGLE_")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ambient cloud configuration: every test states what it sets."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES):
            monkeypatch.delenv(name)
    # boto3 must not find the machine's own ~/.aws files
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def messages(**body: Any) -> PlatformRequest:
    base = {
        "model": "anthropic.claude-sonnet-4-5-v1:0",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
    }
    return PlatformRequest("POST", "/v1/messages", {**base, **body}, {})


# -- Bedrock --------------------------------------------------------------------------------------


def keys(**kw: Any) -> dict[str, Any]:
    return {"aws_access_key": "AKID", "aws_secret_key": "SECRET", "aws_region": "us-west-2", **kw}


def test_bedrock_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    p = bedrock_platform(**keys())
    assert p.base_url == "https://bedrock-runtime.us-west-2.amazonaws.com"
    assert p.stream_format == "aws-eventstream" and isinstance(p.new_decoder(), BedrockEventDecoder)
    assert not p.sends_version_header
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert bedrock_platform(aws_access_key="a", aws_secret_key="b").region == "eu-west-1"
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    assert bedrock_platform(aws_access_key="a", aws_secret_key="b").region == "eu-west-3"
    monkeypatch.setenv("ANTHROPIC_BEDROCK_BASE_URL", "http://127.0.0.1:9/br")
    assert bedrock_platform(aws_access_key="a", aws_secret_key="b").base_url == "http://127.0.0.1:9/br"
    assert (
        bedrock_platform(aws_access_key="a", aws_secret_key="b", base_url="http://x").base_url == "http://x"
    )


def test_bedrock_rewrites_messages_requests() -> None:
    p = bedrock_platform(**keys())
    req = messages(stream=True).with_(
        headers={"anthropic-beta": "a-1,b-2", "anthropic-user-profile-id": "up_1"}
    )
    out = p.prepare(req)
    assert out.path == "/model/anthropic.claude-sonnet-4-5-v1:0/invoke-with-response-stream"
    assert out.body == {
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
        "anthropic_version": BEDROCK_ANTHROPIC_VERSION,
        "anthropic_beta": ["a-1", "b-2"],
        "user_profile_id": "up_1",
    }
    assert out.headers == {"anthropic-beta": "a-1,b-2"}
    assert req.body is not None and req.body["model"]  # the input is not changed
    beta = p.prepare(
        messages(model="m/x y;v=1", anthropic_version="mine").with_(path="/v1/messages?beta=true")
    )
    assert beta.path == "/model/m%2Fx%20y;v%3D1/invoke"
    assert beta.body is not None and beta.body["anthropic_version"] == "mine"


@pytest.mark.parametrize(
    ("model", "error"),
    [
        ("", "non-empty value for `model` but received ''"),
        (None, "received None"),
        (";x", "received ';x'"),
        ("..", "cannot be a path segment"),
        (".;v", "cannot be a path segment"),
    ],
)
def test_bedrock_refuses_models_that_cannot_route(model: Any, error: str) -> None:
    with pytest.raises(PlatformConfigError, match=error):
        bedrock_platform(**keys()).prepare(messages(model=model))


def test_bedrock_unsupported_endpoints() -> None:
    p = bedrock_platform(**keys())
    with pytest.raises(UnsupportedEndpointError, match="The Batch API is not supported in Bedrock yet"):
        p.prepare(PlatformRequest("POST", "/v1/messages/batches", {"requests": []}))
    with pytest.raises(UnsupportedEndpointError, match="Token counting is not supported in Bedrock yet"):
        p.prepare(PlatformRequest("POST", "/v1/messages/count_tokens?beta=true", {"model": "m"}))
    assert issubclass(UnsupportedEndpointError, AnthropicError)


def test_bedrock_signs_with_sigv4_for_service_bedrock() -> None:
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    p = bedrock_platform(**keys(aws_session_token="TOKEN"))
    assert isinstance(p.auth, SigV4Auth)
    p.auth._clock = lambda: when
    url = "https://bedrock-runtime.us-west-2.amazonaws.com/model/m/invoke"
    headers = {"content-type": "application/json", "connection": "keep-alive"}
    got = p.auth_headers("POST", url, headers, b"{}")
    assert got == sign_request(
        method="POST",
        url=url,
        headers=headers,
        body=b"{}",
        credentials=AWSCredentials("AKID", "SECRET", "TOKEN"),
        region="us-west-2",
        service="bedrock",
        when=when,
    )
    assert "Credential=AKID/20260102/us-west-2/bedrock/aws4_request" in got["Authorization"]
    assert "connection" not in got["Authorization"]


def test_bedrock_api_key_from_argument_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    p = bedrock_platform(api_key="br-key", aws_region="us-east-1")
    assert p.auth_headers("POST", "https://x/", {}, b"") == {"Authorization": "Bearer br-key"}
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "env-key")
    assert bedrock_platform(aws_region="us-east-1").auth_headers("POST", "https://x/", {}, b"") == {
        "Authorization": "Bearer env-key"
    }
    with pytest.raises(PlatformConfigError, match=r"both `api_key` .* and AWS credentials \(`aws_profile`\)"):
        bedrock_platform(aws_region="us-east-1", aws_profile="p")


def test_bedrock_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "ENVTOKEN")
    p = bedrock_platform(aws_region="us-east-1")
    assert isinstance(p.auth, SigV4Auth) and p.auth.source.static
    assert p.auth.source.get() == AWSCredentials("ENVKEY", "ENVSECRET", "ENVTOKEN")


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        ({"aws_access_key": "a"}, "`aws_access_key` was given without `aws_secret_key`"),
        ({"aws_secret_key": "s"}, "`aws_secret_key` was given without `aws_access_key`"),
        (
            {"aws_session_token": "t"},
            "`aws_session_token` was given without `aws_access_key` and `aws_secret_key`",
        ),
    ],
)
def test_bedrock_partial_keys_name_what_is_missing(kw: dict[str, str], error: str) -> None:
    with pytest.raises(PlatformConfigError, match=error):
        bedrock_platform(aws_region="us-east-1", **kw)


def test_bedrock_without_a_region(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(
        PlatformConfigError, match="No AWS region was given: pass `aws_region`, set AWS_REGION"
    ):
        bedrock_platform(aws_access_key="a", aws_secret_key="b")


def test_bedrock_profile_through_boto3(tmp_path: Path) -> None:
    pytest.importorskip("boto3")
    (tmp_path / "aws-credentials").write_text(
        "[dev]\naws_access_key_id = PROFKEY\naws_secret_access_key = PROFSECRET\n"
    )
    (tmp_path / "aws-config").write_text("[profile dev]\nregion = ap-south-1\n")
    p = bedrock_platform(aws_profile="dev")
    assert p.region == "ap-south-1"
    assert p.base_url == "https://bedrock-runtime.ap-south-1.amazonaws.com"
    assert isinstance(p.auth, SigV4Auth) and not p.auth.source.static
    assert p.auth.source.get() == AWSCredentials("PROFKEY", "PROFSECRET")
    with pytest.raises(
        PlatformConfigError, match="Could not read AWS credentials from the AWS profile 'nope'"
    ):
        bedrock_platform(aws_profile="nope", aws_region="us-east-1")


def test_bedrock_no_credentials_anywhere() -> None:
    pytest.importorskip("boto3")
    with pytest.raises(MissingCredentialsError, match=r"No AWS credentials found: pass `aws_access_key`"):
        bedrock_platform(aws_region="us-east-1")


def test_bedrock_without_boto3_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "boto3", None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'anthropic\[bedrock\]'") as info:
        bedrock_platform(aws_region="us-east-1")
    assert "AWS credential chain" in str(info.value) and info.value.extra == "bedrock"
    with pytest.raises(MissingDependencyError, match=r"the AWS profile 'dev'.*anthropic\[bedrock\]"):
        bedrock_platform(aws_region="us-east-1", aws_profile="dev")
    # explicit keys, environment keys and API keys need no SDK
    assert bedrock_platform(**keys()).auth_headers("GET", "https://x/", {}, b"")["Authorization"]
    assert bedrock_platform(api_key="k", aws_region="us-east-1")


# -- Vertex ---------------------------------------------------------------------------------------


def test_vertex_base_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    assert vertex_base_url("global") == "https://aiplatform.googleapis.com/v1"
    assert vertex_base_url("us") == "https://aiplatform.us.rep.googleapis.com/v1"
    assert vertex_base_url("eu") == "https://aiplatform.eu.rep.googleapis.com/v1"
    assert vertex_base_url("us-east5") == "https://us-east5-aiplatform.googleapis.com/v1"
    monkeypatch.setenv("CLOUD_ML_REGION", "europe-west1")
    p = vertex_platform(access_token="t", project_id="p")
    assert p.region == "europe-west1" and p.base_url == "https://europe-west1-aiplatform.googleapis.com/v1"
    monkeypatch.setenv("ANTHROPIC_VERTEX_BASE_URL", "http://127.0.0.1:9/v1")
    assert vertex_platform(access_token="t").base_url == "http://127.0.0.1:9/v1"


def test_vertex_configuration_errors() -> None:
    with pytest.raises(
        PlatformConfigError, match="No region was given: pass `region` or set CLOUD_ML_REGION"
    ):
        vertex_platform(access_token="t")
    with pytest.raises(PlatformConfigError, match="non-empty value for `region`"):
        vertex_platform(region="", access_token="t")
    p = vertex_platform(region="global", access_token="t")
    with pytest.raises(PlatformConfigError, match=r"No project_id was given .* ANTHROPIC_VERTEX_PROJECT_ID"):
        p.prepare(messages())


def test_vertex_rewrites(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_VERTEX_PROJECT_ID", "proj-1")
    p = vertex_platform(region="us-east5", access_token="tok")
    out = p.prepare(messages(model="claude-sonnet-4-5@20250929", stream=True))
    assert out.path == (
        "/projects/proj-1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict"
    )
    assert out.body == {
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "anthropic_version": VERTEX_ANTHROPIC_VERSION,
    }
    assert p.prepare(messages(model="a b;c")).path.endswith("/models/a%20b%3Bc:rawPredict")
    count = p.prepare(
        PlatformRequest("POST", "/v1/messages/count_tokens?beta=true", {"model": "m", "messages": []})
    )
    assert (
        count.path
        == "/projects/proj-1/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict"
    )
    assert count.body == {"model": "m", "messages": [], "anthropic_version": VERTEX_ANTHROPIC_VERSION}
    with pytest.raises(
        UnsupportedEndpointError, match="The Batch API is not supported in the Vertex client yet"
    ):
        p.prepare(PlatformRequest("GET", "/v1/messages/batches"))
    for bad, error in (
        ("", "non-empty value for `model`"),
        ("..", "cannot be a path segment"),
        (";x", "start with ';'"),
    ):
        with pytest.raises(PlatformConfigError, match=error):
            p.prepare(messages(model=bad))


def test_vertex_token_auth_and_caller_authorization() -> None:
    p = vertex_platform(region="global", project_id="p", access_token="tok")
    assert p.auth_headers("POST", "https://x/", {}, b"") == {"Authorization": "Bearer tok"}
    assert p.auth_headers("POST", "https://x/", {"authorization": "Bearer mine"}, b"") == {}
    assert not p.needs_load


class FakeCredentials:
    """A google-auth credentials object with a scripted refresh (no network)."""

    def __init__(self, token: str | None, expired: bool) -> None:
        self.token = token
        self.expired = expired
        self.refreshes = 0

    def refresh(self, request: Any) -> None:
        self.refreshes += 1
        self.token = f"fresh-{self.refreshes}"
        self.expired = False


def test_vertex_refreshes_expired_or_tokenless_credentials() -> None:
    pytest.importorskip("google.auth")
    creds = FakeCredentials(token=None, expired=False)
    p = vertex_platform(region="global", project_id="p", credentials=creds)
    assert p.auth_headers("POST", "https://x/", {}, b"") == {"Authorization": "Bearer fresh-1"}
    assert p.auth_headers("POST", "https://x/", {}, b"") == {"Authorization": "Bearer fresh-1"}
    creds.expired = True
    assert p.auth_headers("POST", "https://x/", {}, b"") == {"Authorization": "Bearer fresh-2"}


def test_vertex_application_default_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("google.auth")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    p = vertex_platform(region="global")
    assert p.needs_load
    from anthropic.lib.vertex._google import GoogleAuthError

    with pytest.raises(GoogleAuthError, match="Could not load Google Application Default Credentials"):
        p.load()


def test_vertex_without_google_auth_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [m for m in sys.modules if m == "google" or m.startswith("google.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "google", None)
    with pytest.raises(
        MissingDependencyError, match=r"needs the `google-auth` package.*pip install 'anthropic\[vertex\]'"
    ):
        vertex_platform(region="global", project_id="p")
    assert vertex_platform(region="global", project_id="p", access_token="t")  # a token needs no SDK


# -- Foundry --------------------------------------------------------------------------------------


def test_foundry_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        foundry_platform(api_key="k", resource="res").base_url
        == "https://res.services.ai.azure.com/anthropic/"
    )
    with pytest.raises(
        PlatformConfigError, match="Missing credentials: pass `api_key` or `azure_ad_token_provider`"
    ):
        foundry_platform(resource="res")
    with pytest.raises(PlatformConfigError, match="pass `base_url` or `resource`"):
        foundry_platform(api_key="k")
    with pytest.raises(PlatformConfigError, match="mutually exclusive"):
        foundry_platform(api_key="k", resource="r", base_url="http://x")
    monkeypatch.setenv("ANTHROPIC_FOUNDRY_API_KEY", "envkey")
    monkeypatch.setenv("ANTHROPIC_FOUNDRY_RESOURCE", "envres")
    p = foundry_platform()
    assert p.base_url == "https://envres.services.ai.azure.com/anthropic/"
    assert p.auth_headers("POST", p.base_url, {}, b"") == {"x-api-key": "envkey", "api-key": "envkey"}
    assert (
        foundry_platform(base_url="http://127.0.0.1:9/").base_url == "http://127.0.0.1:9/"
    )  # resource env ignored


@pytest.mark.anyio
async def test_foundry_token_providers() -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return f"ad-{len(calls)}"

    p = foundry_platform(base_url="http://x/", azure_ad_token_provider=provider)
    assert p.auth_headers("POST", "http://x/", {}, b"") == {"Authorization": "Bearer ad-1"}
    assert await p.aauth_headers("POST", "http://x/", {}, b"") == {"Authorization": "Bearer ad-2"}

    async def async_provider() -> str:
        return "async-tok"

    ap = foundry_platform(base_url="http://x/", azure_ad_token_provider=async_provider)
    assert await ap.aauth_headers("POST", "http://x/", {}, b"") == {"Authorization": "Bearer async-tok"}
    with pytest.raises(PlatformConfigError, match="returned an awaitable; a sync client needs"):
        ap.auth_headers("POST", "http://x/", {}, b"")
    bad = foundry_platform(base_url="http://x/", azure_ad_token_provider=lambda: "")
    with pytest.raises(PlatformConfigError, match="to return a string but it returned ''"):
        bad.auth_headers("POST", "http://x/", {}, b"")


def test_foundry_unsupported_endpoints() -> None:
    p = foundry_platform(api_key="k", resource="r")
    with pytest.raises(UnsupportedEndpointError, match="Batch API"):
        p.prepare(PlatformRequest("POST", "/v1/messages/batches"))
    with pytest.raises(UnsupportedEndpointError, match="Models API"):
        p.prepare(PlatformRequest("GET", "/v1/models?limit=2"))
    req = messages()
    assert p.prepare(req) is req
    assert p.sends_version_header and p.new_decoder() is None


# -- AWS and Mantle -------------------------------------------------------------------------------


def test_aws_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    p = aws_platform(api_key="k", workspace_id="ws", aws_region="us-east-1")
    assert p.base_url == "https://aws-external-anthropic.us-east-1.api.aws"
    assert p.default_headers == {"anthropic-workspace-id": "ws"}
    assert p.auth_headers("POST", p.base_url, {}, b"") == {"Authorization": "Bearer k"}
    with pytest.raises(
        PlatformConfigError, match="No workspace ID was given: pass `workspace_id` or set ANTHROPIC_AWS"
    ):
        aws_platform(api_key="k", aws_region="us-east-1")
    with pytest.raises(PlatformConfigError, match="No AWS region and no base URL were given"):
        aws_platform(api_key="k", workspace_id="ws")
    with pytest.raises(PlatformConfigError, match=r"No AWS region was given: pass `aws_region`.*SigV4"):
        aws_platform(aws_access_key="a", aws_secret_key="b", workspace_id="ws")
    skip = aws_platform(skip_auth=True, base_url="http://127.0.0.1:9")
    assert (
        skip.auth_headers("POST", "http://127.0.0.1:9/v1/messages", {}, b"") == {}
        and skip.default_headers == {}
    )
    with pytest.raises(
        UnsupportedEndpointError, match=r"User profile action URLs are not supported in the AWS client\."
    ):
        skip.prepare(PlatformRequest("POST", "/v1/user_profiles/up_1/action_urls?x=1"))
    monkeypatch.setenv("ANTHROPIC_AWS_API_KEY", "envkey")
    monkeypatch.setenv("ANTHROPIC_AWS_WORKSPACE_ID", "envws")
    monkeypatch.setenv("ANTHROPIC_AWS_BASE_URL", "http://127.0.0.1:9")
    env_p = aws_platform()
    assert env_p.auth_headers("POST", env_p.base_url, {}, b"") == {"Authorization": "Bearer envkey"}
    assert env_p.default_headers == {"anthropic-workspace-id": "envws"}
    # explicit AWS arguments win over the key variable
    sig = aws_platform(aws_access_key="a", aws_secret_key="b", aws_region="us-east-1")
    assert isinstance(sig.auth, SigV4Auth) and sig.auth.service == "aws-external-anthropic"


def test_mantle_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    p = mantle_platform(api_key="k", aws_region="us-east-1")
    assert p.base_url == "https://bedrock-mantle.us-east-1.api.aws/anthropic"
    assert p.auth_headers("POST", p.base_url, {}, b"") == {"Authorization": "Bearer k"}
    with pytest.raises(PlatformConfigError, match="ANTHROPIC_BEDROCK_MANTLE_BASE_URL"):
        mantle_platform(api_key="k")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "br")
    monkeypatch.setenv("ANTHROPIC_AWS_API_KEY", "aws")
    assert mantle_platform(aws_region="us-east-1").auth_headers("POST", "https://x/", {}, b"") == {
        "Authorization": "Bearer br"
    }
    sig = mantle_platform(aws_access_key="a", aws_secret_key="b", aws_region="us-east-1")
    assert isinstance(sig.auth, SigV4Auth) and sig.auth.service == "bedrock-mantle"
    with pytest.raises(PlatformConfigError, match="`aws_access_key` was given without `aws_secret_key`"):
        mantle_platform(aws_access_key="a", aws_region="us-east-1")
    assert mantle_platform(aws_access_key="a", skip_auth=True, aws_region="us-east-1").auth is None
    req = messages().with_(headers={"Anthropic-User-Profile-Id": "up_9", "x": "y"})
    out = p.prepare(req)
    assert out.headers == {"x": "y"}
    assert out.body is not None and out.body["user_profile_id"] == "up_9" and out.body["model"]
    other = PlatformRequest("GET", "/v1/models", None, {"anthropic-user-profile-id": "up_9"})
    assert p.prepare(other) is other


# -- async auth: blocking sources are read in a worker thread -----------------------------------


@pytest.mark.anyio
async def test_async_auth_of_every_kind(tmp_path: Path) -> None:
    static = bedrock_platform(**keys())
    url = "https://bedrock-runtime.us-west-2.amazonaws.com/model/m/invoke"
    assert (await static.aauth_headers("POST", url, {}, b"{}"))["Authorization"].startswith(
        "AWS4-HMAC-SHA256 "
    )
    vertex = vertex_platform(region="global", project_id="p", access_token="tok")
    assert await vertex.aauth_headers("POST", "https://x/", {}, b"") == {"Authorization": "Bearer tok"}
    assert await vertex.aauth_headers("POST", "https://x/", {"Authorization": "Bearer mine"}, b"") == {}
    if importlib.util.find_spec("boto3") is not None:
        (tmp_path / "aws-credentials").write_text("[dev]\naws_access_key_id = K\naws_secret_access_key = S\n")
        profiled = bedrock_platform(aws_profile="dev", aws_region="us-east-1")
        got = await profiled.aauth_headers("POST", url, {}, b"{}")
        assert "Credential=K/" in got["Authorization"]
    if importlib.util.find_spec("google") is not None and importlib.util.find_spec("google.auth") is not None:
        creds = FakeCredentials(token=None, expired=True)
        refreshed = vertex_platform(region="global", project_id="p", credentials=creds)
        assert await refreshed.aauth_headers("POST", "https://x/", {}, b"") == {
            "Authorization": "Bearer fresh-1"
        }
