"""Google ADK: an ``LlmAgent`` on ``Claude`` (Claude on Vertex AI, ``AsyncAnthropicVertex``), on the emulator.

ADK's ``Claude`` builds its own ``AsyncAnthropicVertex`` from the environment
(``GOOGLE_CLOUD_PROJECT``, ``GOOGLE_CLOUD_LOCATION``) with Application Default
Credentials: here ``ANTHROPIC_VERTEX_BASE_URL`` points it at the emulator's
Vertex route and ``GOOGLE_APPLICATION_CREDENTIALS`` at a throwaway service
account whose token endpoint is a small loopback server of this script, so the
client's google-auth path (load, sign, refresh) runs for real.  The 400 goes
through the other way ADK offers, a client passed in (``Claude(client=...)``)
with a fixed ``access_token``.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from _harness import (
    FAULT_400,
    MODEL,
    PROMPT_COUNT,
    PROMPT_SAY,
    PROMPT_WEATHER,
    REPLY_COUNT,
    REPLY_SAY,
    Scenario,
    expect,
    expect_bad_request,
    expect_equal,
)

s = Scenario("google-adk", scan=('google.adk',))
ns: dict[str, Any] = {}
VERTEX_MODEL = f"{MODEL}@20250929"
TOKEN = "ya29.ecosystem-token"


class TokenEndpoint(BaseHTTPRequestHandler):
    """Google's OAuth token endpoint, as far as a service account's refresh needs it."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = json.dumps({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def application_default_credentials() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    server = HTTPServer(("127.0.0.1", 0), TokenEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path = os.path.join(tempfile.mkdtemp(prefix="adk-adc-"), "service-account.json")
    with open(path, "w") as f:
        json.dump(
            {
                "type": "service_account",
                "project_id": "ecosystem-project",
                "private_key_id": "ecosystem-key",
                "private_key": pem,
                "client_email": "ecosystem@ecosystem-project.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": f"http://127.0.0.1:{server.server_port}/token",
            },
            f,
        )
    os.environ.update(
        GOOGLE_APPLICATION_CREDENTIALS=path,
        GOOGLE_CLOUD_PROJECT="ecosystem-project",
        GOOGLE_CLOUD_LOCATION="us-east5",
        ANTHROPIC_VERTEX_BASE_URL=os.environ["ANTHROPIC_BASE_URL"].rstrip("/") + "/v1",
    )


def agent(**kw: Any) -> Any:
    kw.setdefault("model", ns["model"])
    return ns["LlmAgent"](name="ecosystem_agent", **kw)


def message(text: str) -> Any:
    types = ns["types"]
    return types.Content(role="user", parts=[types.Part(text=text)])


def run(a: Any, text: str, streaming: bool = False) -> list[Any]:
    """The events of one turn through ``Runner.run`` (sync), with a fresh in-memory session."""
    runner = ns["InMemoryRunner"](agent=a, app_name="ecosystem")
    session = asyncio.run(runner.session_service.create_session(app_name="ecosystem", user_id="u"))
    config = ns["RunConfig"](streaming_mode=ns["StreamingMode"].SSE if streaming else ns["StreamingMode"].NONE)
    return list(runner.run(user_id="u", session_id=session.id, new_message=message(text), run_config=config))


def texts(events: list[Any], partial: bool) -> list[str]:
    return [
        p.text
        for e in events
        if bool(e.partial) == partial and e.content and e.content.parts
        for p in e.content.parts
        if p.text and not p.thought
    ]


@s.check("import")
def _import() -> str:
    from google.adk.agents import LlmAgent
    from google.adk.agents.run_config import RunConfig, StreamingMode
    from google.adk.models.anthropic_llm import Claude
    from google.adk.runners import InMemoryRunner
    from google.genai import types

    import anthropic

    application_default_credentials()
    ns.update(LlmAgent=LlmAgent, RunConfig=RunConfig, StreamingMode=StreamingMode, InMemoryRunner=InMemoryRunner,
              types=types, Claude=Claude)
    ns["model"] = Claude(model=VERTEX_MODEL)
    client = ns["model"]._anthropic_client  # what Claude builds from the environment
    expect(isinstance(client, anthropic.AsyncAnthropicVertex), f"Claude's client: {type(client)!r}")
    return f"LlmAgent, Claude -> {type(client).__name__}(region={client.region!r})"


@s.check("plain")
def _plain() -> str:
    events = run(agent(), PROMPT_SAY)
    final = texts(events, partial=False)
    expect_equal(final, [REPLY_SAY], "final text")
    return repr(final[0])


@s.check("stream")
def _stream() -> str:
    events = run(agent(), PROMPT_COUNT, streaming=True)
    pieces = texts(events, partial=True)
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    expect_equal(texts(events, partial=False), [REPLY_COUNT], "the final (aggregated) event")
    return f"StreamingMode.SSE: {len(pieces)} pieces"


@s.check("tool")
def _tool() -> str:
    calls: list[str] = []

    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"18C and sunny in {city}"

    events = run(agent(tools=[get_weather]), PROMPT_WEATHER)
    expect_equal(len(calls), 1, "tool calls made")
    expect(isinstance(calls[0], str) and calls[0], f"city: {calls[0]!r}")
    responses = [e for e in events if e.get_function_responses()]
    expect_equal(len(responses), 1, "function_response events (the tool_result turn)")
    final = texts(events, partial=False)[-1]
    expect("get_weather tool returned" in final, f"final text: {final!r}")
    return f"get_weather({calls[0]!r}) -> {final[:40]!r}"


@s.check("async_stream")
def _async_stream() -> str:
    async def go() -> list[Any]:
        runner = ns["InMemoryRunner"](agent=agent(), app_name="ecosystem")
        session = await runner.session_service.create_session(app_name="ecosystem", user_id="u")
        config = ns["RunConfig"](streaming_mode=ns["StreamingMode"].SSE)
        return [
            e async for e in runner.run_async(
                user_id="u", session_id=session.id, new_message=message(PROMPT_COUNT), run_config=config
            )
        ]

    events = asyncio.run(go())
    pieces = texts(events, partial=True)
    expect_equal("".join(pieces), REPLY_COUNT, "streamed text")
    expect(len(pieces) > 1, f"expected several pieces, got {pieces!r}")
    return f"run_async, StreamingMode.SSE: {len(pieces)} pieces"


@s.check("structured")
def _structured() -> str:
    from pydantic import BaseModel

    class City(BaseModel):
        name: str
        population: int

    events = run(agent(output_schema=City, output_key="city"), "Tell me about Paris.")
    final = texts(events, partial=False)
    expect_equal(len(final), 1, "final texts")
    city = City.model_validate_json(final[0])
    return repr(city)


@s.check("usage_stop")
def _usage_stop() -> str:
    config = ns["types"].GenerateContentConfig(max_output_tokens=5)
    events = run(agent(generate_content_config=config), "Tell me a long story about the sea.")
    last = [e for e in events if e.usage_metadata is not None][-1]
    usage = last.usage_metadata
    expect(usage.prompt_token_count > 0 and usage.candidates_token_count == 5, f"usage: {usage!r}")
    expect_equal(last.finish_reason, ns["types"].FinishReason.MAX_TOKENS, "finish_reason")
    return f"in={usage.prompt_token_count} out={usage.candidates_token_count} finish_reason=MAX_TOKENS"


@s.check("bad_request")
def _bad_request() -> str:
    import anthropic

    client = anthropic.AsyncAnthropicVertex(
        region="us-east5",
        project_id="ecosystem-project",
        access_token=TOKEN,
        base_url=os.environ["ANTHROPIC_VERTEX_BASE_URL"],
        default_headers=FAULT_400,
        max_retries=0,
    )
    model = ns["Claude"](model=VERTEX_MODEL, client=client)
    return expect_bad_request(lambda: run(agent(model=model), PROMPT_SAY))


s.run()
