"""The platform clients' surface: names, import paths, constructors, environment, extras, copies.

What 2.15.0 exposes is written here as facts (the parameter lists of its
constructors, the modules its classes live in); this package's clients take
the same arguments, except the first-party client's own differences
(``stream_deadline`` added; ``open_telemetry`` not taken).
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from _platform_cases import BEDROCK, EVENTS, FOUNDRY, REQUEST, TEXT, VERTEX, parse_request

import anthropic
from _helpers import MODEL, call, collect_stream, entered
from _resilience_helpers import RawServer
from anthropic.lib._platform import MissingDependencyError, PlatformConfigError

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

_AWS_ENV = (
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION",
    "AWS_DEFAULT_REGION", "AWS_BEARER_TOKEN_BEDROCK", "ANTHROPIC_AWS_API_KEY", "ANTHROPIC_BEDROCK_BASE_URL",
    "ANTHROPIC_BEDROCK_MANTLE_BASE_URL", "ANTHROPIC_AWS_BASE_URL", "ANTHROPIC_AWS_WORKSPACE_ID",
    "CLOUD_ML_REGION", "ANTHROPIC_VERTEX_PROJECT_ID", "ANTHROPIC_VERTEX_BASE_URL", "ANTHROPIC_FOUNDRY_API_KEY",
    "ANTHROPIC_FOUNDRY_RESOURCE", "ANTHROPIC_FOUNDRY_BASE_URL",
)  # fmt: skip


@pytest.fixture(autouse=True)
def no_cloud_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in _AWS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    yield


_COMMON = [
    "timeout", "max_retries", "default_headers", "default_query", "http_client", "middleware",
    "_strict_response_validation",
]  # fmt: skip
OFFICIAL: dict[str, tuple[str, list[str]]] = {
    # class -> (official module, the official constructor's parameters in order, without open_telemetry)
    "AnthropicBedrock": (
        "anthropic.lib.bedrock._client",
        ["aws_secret_key", "aws_access_key", "aws_region", "aws_profile", "aws_session_token", "api_key", "base_url"],
    ),
    "AnthropicBedrockMantle": (
        "anthropic.lib.bedrock._mantle",
        ["aws_access_key", "aws_secret_key", "aws_session_token", "aws_region", "aws_profile", "api_key", "skip_auth", "base_url"],
    ),
    "AnthropicVertex": (
        "anthropic.lib.vertex._client",
        ["region", "project_id", "access_token", "credentials", "base_url"],
    ),
    "AnthropicFoundry": (
        "anthropic.lib.foundry",
        ["resource", "api_key", "azure_ad_token_provider", "webhook_key", "base_url"],
    ),
    "AnthropicAWS": (
        "anthropic.lib.aws._client",
        [
            "api_key", "aws_access_key", "aws_secret_key", "aws_region", "aws_profile", "aws_session_token",
            "workspace_id", "skip_auth", "base_url",
        ],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(OFFICIAL))
@pytest.mark.parametrize("colour", ["", "Async"])
def test_each_client_is_exported_where_the_official_client_has_it(name: str, colour: str) -> None:
    module, _ = OFFICIAL[name]
    cls = getattr(anthropic, colour + name)
    assert cls.__name__ == colour + name
    package = module.rsplit("._", 1)[0]
    assert getattr(__import__(package, fromlist=["_"]), colour + name) is cls
    assert getattr(__import__(module, fromlist=["_"]), colour + name) is cls
    assert issubclass(cls, anthropic.AsyncAnthropic if colour else anthropic.Anthropic)


@pytest.mark.parametrize("name", sorted(OFFICIAL))
@pytest.mark.parametrize("colour", ["", "Async"])
def test_each_constructor_takes_the_official_parameters(name: str, colour: str) -> None:
    _, own = OFFICIAL[name]
    params = inspect.signature(getattr(anthropic, colour + name)).parameters
    names = [n for n in params if n != "stream_deadline"]
    assert names[: len(own)] == own
    tail = {"auth_token", "webhook_key"} if name == "AnthropicAWS" else set()
    assert set(names[len(own) :]) == set(_COMMON) | tail
    assert params["max_retries"].default == 2
    positional = [n for n, p in params.items() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    if name == "AnthropicBedrock":  # the official Bedrock client takes its AWS arguments by position
        assert positional[:7] == own
    else:
        assert positional == []


def test_importing_anthropic_loads_no_platform_client() -> None:
    code = textwrap.dedent(
        """
        import sys, anthropic
        from anthropic import Anthropic
        Anthropic(api_key="k")
        loaded = sorted(m for m in sys.modules if "platforms" in m or m.startswith("anthropic.lib.bedrock"))
        print(loaded)
        from anthropic import AnthropicBedrock
        print("anthropic._async.platforms" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "False"]


# -- configuration: environment, defaults, errors before any I/O -------------------


def test_bedrock_reads_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    client = anthropic.AnthropicBedrock()
    assert str(client.base_url) == "https://bedrock-runtime.eu-west-3.amazonaws.com"
    assert client.aws_region == "eu-west-3"
    monkeypatch.setenv("ANTHROPIC_BEDROCK_BASE_URL", "http://127.0.0.1:9/")
    assert str(anthropic.AsyncAnthropicBedrock().base_url) == "http://127.0.0.1:9/"


def test_a_bedrock_api_key_comes_from_the_environment_and_excludes_aws_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-key")
    client = anthropic.AnthropicBedrock(aws_region="us-west-2")
    assert client.api_key == "bedrock-key"
    with pytest.raises(PlatformConfigError, match="Cannot specify both `api_key`"):
        anthropic.AnthropicBedrock(aws_region="us-west-2", aws_access_key="a", aws_secret_key="b")


def test_no_region_is_a_clear_error() -> None:
    with pytest.raises(PlatformConfigError, match="No AWS region was given"):
        anthropic.AnthropicBedrock(aws_access_key="a", aws_secret_key="b")
    with pytest.raises(PlatformConfigError, match="No region was given: pass `region` or set CLOUD_ML_REGION"):
        anthropic.AnthropicVertex(access_token="t")


def test_vertex_reads_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_ML_REGION", "global")
    monkeypatch.setenv("ANTHROPIC_VERTEX_PROJECT_ID", "proj-env")
    client = anthropic.AsyncAnthropicVertex(access_token="t")
    assert str(client.base_url) == "https://aiplatform.googleapis.com/v1/"
    assert (client.region, client.project_id) == ("global", "proj-env")


def test_foundry_needs_credentials_and_one_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PlatformConfigError, match="Missing credentials"):
        anthropic.AnthropicFoundry(resource="res")
    with pytest.raises(PlatformConfigError, match="mutually exclusive"):
        anthropic.AnthropicFoundry(api_key="k", resource="res", base_url="http://127.0.0.1:9/anthropic/")
    monkeypatch.setenv("ANTHROPIC_FOUNDRY_API_KEY", "k")
    monkeypatch.setenv("ANTHROPIC_FOUNDRY_RESOURCE", "my-res")
    client = anthropic.AnthropicFoundry()
    assert str(client.base_url) == "https://my-res.services.ai.azure.com/anthropic/"
    assert client.models is None


def test_aws_needs_a_workspace() -> None:
    with pytest.raises(PlatformConfigError, match="No workspace ID was given"):
        anthropic.AnthropicAWS(api_key="k", aws_region="us-east-1")
    client = anthropic.AnthropicAWS(api_key="k", aws_region="us-east-1", workspace_id="wrk")
    assert str(client.base_url) == "https://aws-external-anthropic.us-east-1.api.aws"
    assert client.default_headers["anthropic-workspace-id"] == "wrk"


@pytest.mark.parametrize("blocked", ["boto3"])
def test_aws_credentials_from_the_chain_need_the_extra(monkeypatch: pytest.MonkeyPatch, blocked: str) -> None:
    monkeypatch.setitem(sys.modules, blocked, None)  # an import of it fails, installed or not
    with pytest.raises(MissingDependencyError) as info:
        anthropic.AnthropicBedrock(aws_region="us-east-1")
    assert "pip install 'anthropic[bedrock]'" in str(info.value)
    with pytest.raises(MissingDependencyError, match=r"pip install 'anthropic\[bedrock\]'"):
        anthropic.AsyncAnthropicBedrockMantle(aws_region="us-east-1")
    with pytest.raises(MissingDependencyError, match=r"pip install 'anthropic\[aws\]'"):
        anthropic.AnthropicAWS(aws_region="us-east-1", workspace_id="w")


def test_google_credentials_need_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("google", "google.auth", "google.auth.transport", "google.auth.transport.requests"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'anthropic\[vertex\]'"):
        anthropic.AnthropicVertex(region="us-east5", project_id="p")
    anthropic.AnthropicVertex(region="us-east5", project_id="p", access_token="t")  # a token needs no SDK


# -- per-request auth ------------------------------------------------------------------


async def test_the_foundry_token_provider_is_asked_again_for_each_attempt(mode: str) -> None:
    tokens = iter(["tok-1", "tok-2"])
    if mode == "sync":

        def provider() -> str:
            return next(tokens)

    else:

        async def provider() -> str:  # type: ignore[misc]
            return next(tokens)

    replies = [FOUNDRY.json_reply(429, {"error": {"code": "429", "message": "later"}}), FOUNDRY.stream_reply(FOUNDRY.body(EVENTS))]
    with RawServer(lambda i, raw: (replies[min(i, 1)], "fin")) as server:
        client = FOUNDRY.client(mode, server.base_url, api_key=None, azure_ad_token_provider=provider, max_retries=1)
        async with entered(client):
            got = await collect_stream(client, **REQUEST)
    assert "".join(b.text for b in got.final_message.content) == "".join(TEXT)
    sent = [parse_request(raw).headers for raw in server.requests]
    assert [h["authorization"] for h in sent] == ["Bearer tok-1", "Bearer tok-2"]
    assert all("x-api-key" not in h for h in sent)


async def test_a_sync_foundry_client_refuses_an_async_token_provider() -> None:
    async def provider() -> str:
        return "tok"

    with RawServer(lambda i, raw: (b"", "fin")) as server:
        client = FOUNDRY.client("sync", server.base_url, api_key=None, azure_ad_token_provider=provider)
        with client, pytest.raises(PlatformConfigError, match="returned an awaitable"):
            client.messages.create(**REQUEST)
    assert server.requests == []


# -- copies ------------------------------------------------------------------------------


async def test_with_options_keeps_the_platform_and_shares_the_pool(mode: str) -> None:
    kwargs: dict[str, Any] = {"aws_access_key": "a", "aws_secret_key": "b", "aws_region": "us-east-1"}
    cls = anthropic.AnthropicBedrock if mode == "sync" else anthropic.AsyncAnthropicBedrock
    client = cls(**kwargs)
    copy = client.with_options(max_retries=7, default_headers={"x-extra": "1"})
    assert type(copy) is cls
    assert copy.max_retries == 7 and copy.aws_region == "us-east-1"
    assert copy.default_headers["x-extra"] == "1"
    assert copy.http_pool() is client.http_pool()
    moved = client.copy(base_url="http://127.0.0.1:9")
    assert (moved.base_url.host, moved.base_url.port) == ("127.0.0.1", 9)
    await call(client.close)


async def test_an_unknown_model_path_is_percent_encoded(mode: str) -> None:
    model = "arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude"

    with RawServer(lambda i, raw: (BEDROCK.json_reply(400, {"message": "no"}), "fin")) as server:
        client = BEDROCK.client(mode, server.base_url)
        async with entered(client):
            with pytest.raises(anthropic.BadRequestError):
                await call(client.messages.create, **{**REQUEST, "model": model})
    (raw,) = server.requests
    assert parse_request(raw).path == "/model/arn:aws:bedrock:us-east-1:123:inference-profile%2Fus.anthropic.claude/invoke"
    assert MODEL not in parse_request(raw).body.decode()


# -- Vertex with Application Default Credentials (a stand-in google.auth) -------------


class _Credentials:
    """Google credentials as google-auth shapes them: a token that a refresh renews."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.expired = False
        self.refreshes = 0

    def refresh(self, request: object) -> None:
        self.refreshes += 1
        self.token = f"adc-token-{self.refreshes}"


@pytest.fixture
def fake_google(monkeypatch: pytest.MonkeyPatch) -> _Credentials:
    """``google.auth`` whose ``default()`` finds credentials for the project ``adc-project``."""
    import types

    creds = _Credentials()
    calls: list[object] = []
    auth = types.ModuleType("google.auth")

    def default(scopes: list[str]) -> tuple[_Credentials, str]:
        calls.append(scopes)
        return creds, "adc-project"

    auth.default = default  # type: ignore[attr-defined]
    transport = types.ModuleType("google.auth.transport")
    requests = types.ModuleType("google.auth.transport.requests")
    requests.Request = object  # type: ignore[attr-defined]
    google = types.ModuleType("google")
    google.auth = auth  # type: ignore[attr-defined]
    auth.transport = transport  # type: ignore[attr-defined]
    transport.requests = requests  # type: ignore[attr-defined]
    for name, module in [
        ("google", google), ("google.auth", auth), ("google.auth.transport", transport),
        ("google.auth.transport.requests", requests),
    ]:  # fmt: skip
        monkeypatch.setitem(sys.modules, name, module)
    creds.calls = calls  # type: ignore[attr-defined]
    return creds


async def test_vertex_takes_the_project_and_token_from_adc_at_the_first_request(
    mode: str, fake_google: _Credentials
) -> None:

    with RawServer(lambda i, raw: (VERTEX.stream_reply(VERTEX.body(EVENTS)), "fin")) as server:
        cls = anthropic.AnthropicVertex if mode == "sync" else anthropic.AsyncAnthropicVertex
        client = cls(region="us-east5", base_url=server.base_url + "/v1", max_retries=0)
        assert fake_google.calls == [] and client.project_id is None  # type: ignore[attr-defined]
        async with entered(client):
            for _ in range(2):
                got = await collect_stream(client, **REQUEST)
                assert "".join(b.text for b in got.final_message.content) == "".join(TEXT)
    assert client.project_id == "adc-project"
    assert fake_google.calls == [["https://www.googleapis.com/auth/cloud-platform"]]  # type: ignore[attr-defined]
    sent = [parse_request(raw) for raw in server.requests]
    assert [r.path for r in sent] == [
        f"/v1/projects/adc-project/locations/us-east5/publishers/anthropic/models/{MODEL}:streamRawPredict"
    ] * 2
    assert [r.headers["authorization"] for r in sent] == ["Bearer adc-token-1"] * 2


# -- API keys instead of SigV4 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("AnthropicBedrock", {"api_key": "br-key", "aws_region": "us-east-1"}, "Bearer br-key"),
        ("AnthropicBedrockMantle", {"api_key": "mantle-key", "aws_region": "us-east-1"}, "Bearer mantle-key"),
        ("AnthropicAWS", {"api_key": "aws-key", "workspace_id": "wrk"}, "Bearer aws-key"),
        ("AnthropicBedrockMantle", {"skip_auth": True}, None),
        ("AnthropicAWS", {"skip_auth": True}, None),
    ],
)
async def test_api_keys_are_bearer_tokens_and_skip_auth_sends_none(
    mode: str, clean_env: pytest.MonkeyPatch, name: str, kwargs: dict[str, Any], expected: str | None
) -> None:
    clean_env.setenv("ANTHROPIC_API_KEY", "sk-ant-ambient")
    body = BEDROCK.body(EVENTS) if name == "AnthropicBedrock" else VERTEX.body(EVENTS)
    reply = (BEDROCK if name == "AnthropicBedrock" else VERTEX).stream_reply(body)
    with RawServer(lambda i, raw: (reply, "fin")) as server:
        cls = getattr(anthropic, name if mode == "sync" else "Async" + name)
        client = cls(base_url=server.base_url, max_retries=0, **kwargs)
        async with entered(client):
            got = await collect_stream(client, **REQUEST, extra_headers={"anthropic-user-profile-id": "up_1"})
    assert "".join(b.text for b in got.final_message.content) == "".join(TEXT)
    (request,) = [parse_request(raw) for raw in server.requests]
    assert request.headers.get("authorization") == expected
    assert "x-api-key" not in request.headers
    if name == "AnthropicAWS":  # the AWS client keeps the header; Bedrock and Mantle move it into the body
        assert request.headers["anthropic-user-profile-id"] == "up_1"
        assert "user_profile_id" not in request.json()
    else:
        assert "anthropic-user-profile-id" not in request.headers
        assert request.json()["user_profile_id"] == "up_1"


@pytest.mark.parametrize("cls", [anthropic.AnthropicFoundry, anthropic.AsyncAnthropicFoundry])
def test_foundry_has_neither_models_nor_batches(cls: type) -> None:
    client = cls(api_key="k", resource="r")
    assert (client.models, client.messages.batches, client.beta.messages.batches) == (None, None, None)
    first_party = anthropic.Anthropic(api_key="k")
    assert first_party.messages.batches is not None and first_party.models is not None
