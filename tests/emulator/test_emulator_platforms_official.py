"""The official client 2.15.0's platform clients, pointed at the emulator: the check that it speaks each platform.

Runs when ``ANTHROPIC_OFFICIAL_PYTHON`` names a Python with the official
``anthropic`` (and its ``bedrock`` and ``vertex`` extras) installed; the two
packages cannot share an environment.  All the calls run in one subprocess
(the official package takes seconds to import), each a job: a client kind
(``AnthropicBedrock`` signed with dummy AWS keys that the emulator verifies,
``AnthropicVertex`` with an ``access_token``, ``AnthropicFoundry``,
``AnthropicBedrockMantle``, ``AnthropicAWS``, and their ``Async*`` twins), a
call (``messages.stream`` or ``messages.create``), its arguments; the
subprocess reports the final message or the exception each job ended with.
The expected content comes from the emulator's first-party route, so the
official clients must read the platform envelopes into the very same messages.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from emulator_support import API_HEADERS

from anthropic.emulator import Emulator

OFFICIAL = os.environ.get("ANTHROPIC_OFFICIAL_PYTHON")
pytestmark = pytest.mark.skipif(not OFFICIAL, reason="ANTHROPIC_OFFICIAL_PYTHON is not set")

ACCESS_KEY, SECRET_KEY = "AKIDEMULATOR", "emulator/secret+key"
MODEL = "claude-sonnet-4-5-20250929"
MODEL_FOR = {
    "bedrock": "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "bedrock-key": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "vertex": "claude-sonnet-4-5@20250929",
}
KINDS = ["bedrock", "bedrock-key", "vertex", "foundry", "foundry-entra", "mantle", "aws", "aws-key"]

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
REQUESTS: dict[str, dict[str, Any]] = {
    "text": {"max_tokens": 200, "messages": [{"role": "user", "content": "Count to 7"}]},
    "tool": {
        "max_tokens": 300,
        "tools": [WEATHER_TOOL],
        "messages": [{"role": "user", "content": "What's the weather in Paris?"}],
    },
    "thinking": {
        "max_tokens": 3000,
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "messages": [{"role": "user", "content": "Explain why the sky is blue"}],
    },
}

# Runs in the official client's Python: jobs in on stdin, one result per job out on stdout.
RUNNER = r"""
import asyncio, json, sys
import anthropic
from anthropic.lib.foundry import AnthropicFoundry, AsyncAnthropicFoundry

spec = json.load(sys.stdin)
base, access, secret = spec["base"], spec["access_key"], spec["secret_key"]


def make(kind, is_async, retries):
    aws = dict(aws_access_key=access, aws_secret_key=secret, aws_region="us-east-1")
    pick = lambda sync_cls, async_cls: async_cls if is_async else sync_cls
    common = dict(max_retries=retries)
    if kind == "bedrock":
        return pick(anthropic.AnthropicBedrock, anthropic.AsyncAnthropicBedrock)(base_url=base, **aws, **common)
    if kind == "bedrock-key":
        cls = pick(anthropic.AnthropicBedrock, anthropic.AsyncAnthropicBedrock)
        return cls(api_key="bedrock-api-key", aws_region="us-west-2", base_url=base, **common)
    if kind == "vertex":
        cls = pick(anthropic.AnthropicVertex, anthropic.AsyncAnthropicVertex)
        return cls(region="us-east5", project_id="my-project", access_token="ya29.dummy", base_url=base + "/v1", **common)
    if kind == "foundry":
        return pick(AnthropicFoundry, AsyncAnthropicFoundry)(api_key="azure-key", base_url=base + "/anthropic/", **common)
    if kind == "foundry-entra":
        cls = pick(AnthropicFoundry, AsyncAnthropicFoundry)
        return cls(azure_ad_token_provider=lambda: "entra-token", base_url=base + "/anthropic/", **common)
    if kind == "mantle":
        cls = pick(anthropic.AnthropicBedrockMantle, anthropic.AsyncAnthropicBedrockMantle)
        return cls(base_url=base + "/anthropic", **aws, **common)
    if kind == "aws":
        cls = pick(anthropic.AnthropicAWS, anthropic.AsyncAnthropicAWS)
        return cls(base_url=base, workspace_id="wrkspc_emulator", **aws, **common)
    if kind == "aws-key":
        cls = pick(anthropic.AnthropicAWS, anthropic.AsyncAnthropicAWS)
        return cls(api_key="aws-api-key", aws_region="us-east-1", workspace_id="wrkspc_emulator", base_url=base, **common)
    raise ValueError(kind)


def failure(exc):
    return {
        "ok": False,
        "class": type(exc).__name__,
        "bases": [c.__name__ for c in type(exc).__mro__],
        "status": getattr(exc, "status_code", None),
        "body": getattr(exc, "body", None),
        "text": str(exc),
    }


def run(job):
    client = make(job["kind"], False, job.get("retries", 0))
    try:
        if job["call"] == "stream":
            deltas = 0
            with client.messages.stream(**job["params"], extra_headers=job.get("headers")) as stream:
                for event in stream:
                    deltas += event.type == "content_block_delta"
                message = stream.get_final_message()
            return {"ok": True, "message": message.model_dump(mode="json"), "deltas": deltas}
        message = client.messages.create(**job["params"], extra_headers=job.get("headers"))
        return {"ok": True, "message": message.model_dump(mode="json")}
    except Exception as exc:
        return failure(exc)


async def arun(job):
    client = make(job["kind"], True, job.get("retries", 0))
    try:
        if job["call"] == "stream":
            deltas = 0
            async with client.messages.stream(**job["params"], extra_headers=job.get("headers")) as stream:
                async for event in stream:
                    deltas += event.type == "content_block_delta"
                message = await stream.get_final_message()
            return {"ok": True, "message": message.model_dump(mode="json"), "deltas": deltas}
        message = await client.messages.create(**job["params"], extra_headers=job.get("headers"))
        return {"ok": True, "message": message.model_dump(mode="json")}
    except Exception as exc:
        return failure(exc)


results = {}
for name, job in spec["jobs"].items():
    results[name] = asyncio.run(arun(job)) if job.get("async") else run(job)
print(json.dumps(results))
"""


def _jobs() -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        model = MODEL_FOR.get(kind, MODEL)
        for colour in ("sync", "async"):
            is_async = colour == "async"
            for what, request in REQUESTS.items():
                params = {"model": model, **request}
                jobs[f"{kind}/{colour}/{what}"] = {
                    "kind": kind,
                    "async": is_async,
                    "call": "stream",
                    "params": params,
                }
            text = {"model": model, **REQUESTS["text"]}
            jobs[f"{kind}/{colour}/create"] = {
                "kind": kind,
                "async": is_async,
                "call": "create",
                "params": text,
            }
            jobs[f"{kind}/{colour}/bad-request"] = {
                "kind": kind,
                "async": is_async,
                "call": "stream",
                "params": {**text, "max_tokens": 0},
            }
            error_type = "throttlingException" if kind.startswith("bedrock") else "overloaded_error"
            for where, after in (("before", 0), ("after", 3)):
                jobs[f"{kind}/{colour}/error-{where}"] = {
                    "kind": kind,
                    "async": is_async,
                    "call": "stream",
                    "params": text,
                    "headers": {"x-emulator-fault": f"error_event={error_type};error_event_after={after}"},
                }
            jobs[f"{kind}/{colour}/retried"] = {
                "kind": kind,
                "async": is_async,
                "call": "stream",
                "retries": 2,
                "params": text,
                "headers": {"x-emulator-fault": f"status=429;retry_after=0;times=1;key={kind}-{colour}"},
            }
    return jobs


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(aws_keys={ACCESS_KEY: SECRET_KEY}) as emu:
        yield emu


@pytest.fixture(scope="module")
def results(emulator: Emulator) -> dict[str, dict[str, Any]]:
    assert OFFICIAL
    spec = {"base": emulator.base_url, "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "jobs": _jobs()}
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANTHROPIC_", "CLOUD_ML", "AZURE_"))
    }
    done = subprocess.run(
        [OFFICIAL, "-c", RUNNER], input=json.dumps(spec), capture_output=True, text=True, timeout=540, env=env
    )
    assert done.returncode == 0, done.stderr
    out: dict[str, dict[str, Any]] = json.loads(done.stdout)
    return out


@pytest.fixture(scope="module")
def expected(emulator: Emulator) -> dict[str, dict[str, Any]]:
    """What the first-party route answers for each request (content, stop reason, model)."""
    out = {}
    with httpx2.Client(base_url=emulator.base_url, headers=API_HEADERS, timeout=30) as http:
        for what, request in REQUESTS.items():
            response = http.post("/v1/messages", json={"model": MODEL, **request})
            assert response.status_code == 200, response.text
            out[what] = response.json()
    return out


def _essentials(message: dict[str, Any]) -> dict[str, Any]:
    return {k: message[k] for k in ("content", "stop_reason", "stop_sequence", "model")}


def _same_blocks(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    # The official models add the optional fields they know, as None: compare what the API sent.
    assert len(got) == len(want)
    for ours, theirs in zip(got, want, strict=True):
        assert {k: v for k, v in ours.items() if k in theirs or v is not None} == theirs


@pytest.mark.parametrize("colour", ["sync", "async"])
@pytest.mark.parametrize("what", list(REQUESTS))
@pytest.mark.parametrize("kind", KINDS)
def test_official_platform_clients_stream_from_the_emulator(
    results: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]], kind: str, colour: str, what: str
) -> None:
    result = results[f"{kind}/{colour}/{what}"]
    assert result["ok"], result
    got, want = _essentials(result["message"]), _essentials(expected[what])
    assert got["stop_reason"] == want["stop_reason"]
    assert got["model"] == MODEL
    _same_blocks(got["content"], want["content"])
    assert result["deltas"] > 0
    kinds = [b["type"] for b in got["content"]]
    if what == "tool":
        assert got["stop_reason"] == "tool_use" and "tool_use" in kinds
    if what == "thinking":
        assert kinds[0] == "thinking" and got["content"][0]["signature"]


@pytest.mark.parametrize("colour", ["sync", "async"])
@pytest.mark.parametrize("kind", KINDS)
def test_official_platform_clients_create(
    results: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]], kind: str, colour: str
) -> None:
    result = results[f"{kind}/{colour}/create"]
    assert result["ok"], result
    _same_blocks(result["message"]["content"], expected["text"]["content"])


@pytest.mark.parametrize("colour", ["sync", "async"])
@pytest.mark.parametrize("kind", KINDS)
def test_official_platform_clients_get_a_400(
    results: dict[str, dict[str, Any]], kind: str, colour: str
) -> None:
    result = results[f"{kind}/{colour}/bad-request"]
    assert not result["ok"]
    assert result["class"] == "BadRequestError" and result["status"] == 400
    message = "max_tokens: Input should be greater than or equal to 1"
    if kind.startswith("bedrock"):
        assert result["body"] == {"message": message}  # Bedrock's error shape
    else:
        assert result["body"]["error"] == {"type": "invalid_request_error", "message": message}


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("colour", ["sync", "async"])
@pytest.mark.parametrize("kind", KINDS)
def test_official_platform_clients_raise_on_an_error_mid_stream(
    results: dict[str, dict[str, Any]], kind: str, colour: str, where: str
) -> None:
    result = results[f"{kind}/{colour}/error-{where}"]
    assert not result["ok"]
    # The official client raises APIStatusError for an error event on a 200 stream; a Bedrock
    # exception frame reaches it as such an event, named by its :exception-type.
    assert "APIStatusError" in result["bases"]
    if kind.startswith("bedrock"):
        assert result["body"] == {
            "type": "error",
            "error": {
                "type": "throttlingException",
                "message": "Too many requests, please wait before trying again.",
            },
        }
    else:
        assert result["body"]["error"] == {"type": "overloaded_error", "message": "Overloaded"}


@pytest.mark.parametrize("colour", ["sync", "async"])
@pytest.mark.parametrize("kind", KINDS)
def test_official_platform_clients_retry_a_429(
    results: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]], kind: str, colour: str
) -> None:
    result = results[f"{kind}/{colour}/retried"]
    assert result["ok"], result
    _same_blocks(result["message"]["content"], expected["text"]["content"])


def test_the_official_clients_signed_and_were_verified(
    results: dict[str, dict[str, Any]], emulator: Emulator
) -> None:
    by_service: dict[str, int] = {}
    for request in emulator.requests:
        authorization = request.headers.get("authorization", "")
        if authorization.startswith("AWS4-HMAC-SHA256"):
            service = authorization.split("/")[3]
            by_service[service] = by_service.get(service, 0) + 1
    # Every job of the SigV4 kinds was signed; the emulator verified each signature (or the job failed).
    assert set(by_service) == {"bedrock", "bedrock-mantle", "aws-external-anthropic"}
    paths = {r.path.split("/")[-1] for r in emulator.requests}
    assert {"invoke", "invoke-with-response-stream"} <= paths
    assert any(p.endswith(":streamRawPredict") for p in paths) and any(
        p.endswith(":rawPredict") for p in paths
    )
