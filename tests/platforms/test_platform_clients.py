"""The platform clients end to end over loopback: every platform, both colours, one test body.

Each test runs against a small server of its own (:class:`RawServer`) that
answers as the platform does (Bedrock's AWS event-stream framing, SSE for
the others) and misbehaves on purpose: cuts, exception frames and error
events before and after content, HTTP errors in the platform's body shape.
The streaming guarantees of the first-party client must hold unchanged:
a broken stream is a typed error carrying what arrived, never a short
answer, and a failure before any content is retried invisibly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from _platform_cases import (
    BEDROCK,
    BLOCK_START,
    CASES,
    DELTAS,
    EVENTS,
    MESSAGE,
    MESSAGE_START,
    REQUEST,
    TEXT,
    VERTEX,
    Case,
    Received,
    check_sigv4,
    parse_request,
)

import anthropic
from _helpers import MODEL, call, collect_raw, collect_stream, entered
from _resilience_helpers import RawServer
from anthropic import (
    APIResponseValidationError,
    IncompleteStreamError,
    InternalServerError,
)
from anthropic.lib._platform import UnsupportedEndpointError

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

by_name = pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])


@contextmanager
def serving(replies: Callable[[int], bytes] | list[bytes]) -> Iterator[RawServer]:
    def respond(index: int, request: bytes) -> tuple[bytes, str]:
        if callable(replies):
            return replies(index), "fin"
        return replies[min(index, len(replies) - 1)], "fin"

    with RawServer(respond) as server:
        yield server


def received(server: RawServer) -> list[Received]:
    return [parse_request(raw) for raw in server.requests]


def check_auth(case: Case, request: Received, base_url: str) -> None:
    """No first-party credential leaks; the platform's own auth is there (and valid, for SigV4)."""
    assert "x-api-key" not in request.headers or case.name == "foundry"
    if case.service is not None:
        check_sigv4(request, base_url, service=case.service)
    elif case.name == "vertex":
        assert request.headers["authorization"] == "Bearer ya29.token"
    else:
        assert request.headers["x-api-key"] == request.headers["api-key"] == "foundry-key"
        assert "authorization" not in request.headers


def stopped_text(message: Any) -> str:
    return "".join(block.text for block in message.content)


# -- the streaming surface -------------------------------------------------------


@by_name
async def test_messages_stream_gives_the_whole_answer_and_sends_the_platforms_request(
    mode: str, case: Case, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("ANTHROPIC_API_KEY", "sk-ant-ambient-must-not-leak")
    clean_env.setenv("ANTHROPIC_AUTH_TOKEN", "ambient-token-must-not-leak")
    with serving([case.stream_reply(case.body(EVENTS))]) as server:
        client = case.client(mode, server.base_url)
        async with entered(client):
            got = await collect_stream(client, **REQUEST)
    assert stopped_text(got.final_message) == "".join(TEXT)
    assert [e.type for e in got.events if e.type == "text"] == ["text"] * len(TEXT)
    (request,) = received(server)
    assert request.path == case.stream_path
    check_auth(case, request, server.base_url)
    assert "ambient" not in json.dumps(request.headers)
    body = request.json()
    if case in (BEDROCK, VERTEX):
        assert "model" not in body
        assert body["anthropic_version"] == ("bedrock-2023-05-31" if case is BEDROCK else "vertex-2023-10-16")
        assert "anthropic-version" not in request.headers
    else:
        assert body["model"] == MODEL
        assert request.headers["anthropic-version"] == "2023-06-01"
    assert ("stream" in body) is (case is not BEDROCK)
    assert request.headers["user-agent"].startswith(f"{type(client).__name__}/Python ")
    assert request.headers.get("anthropic-workspace-id") == ("wrkspc_platform" if case.name == "aws" else None)


@by_name
async def test_create_stream_true_gives_the_raw_events(mode: str, case: Case) -> None:
    with serving([case.stream_reply(case.body(EVENTS))]) as server:
        client = case.client(mode, server.base_url)
        async with entered(client):
            events, _stream = await collect_raw(client, **REQUEST)
    assert [e.type for e in events] == [e["type"] for e in EVENTS]
    assert [e.delta.text for e in events if e.type == "content_block_delta"] == TEXT
    assert received(server)[0].path == case.stream_path


@by_name
async def test_create_gives_the_message(mode: str, case: Case) -> None:
    with serving([case.json_reply(200, MESSAGE)]) as server:
        client = case.client(mode, server.base_url)
        async with entered(client):
            message = await call(client.messages.create, **REQUEST)
    assert stopped_text(message) == "".join(TEXT)
    (request,) = received(server)
    assert request.path == case.create_path
    assert "stream" not in request.json() or request.json()["stream"] is False
    check_auth(case, request, server.base_url)


@by_name
async def test_beta_messages_stream_carries_the_betas(mode: str, case: Case) -> None:
    with serving([case.stream_reply(case.body(EVENTS))]) as server:
        client = case.client(mode, server.base_url)
        async with entered(client):
            got = await collect_stream(client, beta=True, betas=["beta-one", "beta-two"], **REQUEST)
    assert stopped_text(got.final_message) == "".join(TEXT)
    assert type(got.final_message).__name__ == "ParsedBetaMessage"
    (request,) = received(server)
    assert request.headers["anthropic-beta"] == "beta-one,beta-two"
    if case is BEDROCK:
        assert request.path == case.stream_path
        assert request.json()["anthropic_beta"] == ["beta-one", "beta-two"]
    elif case is VERTEX:
        assert request.path == case.stream_path
    else:
        assert request.path == case.stream_path + "?beta=true"
    check_auth(case, request, server.base_url)


async def test_vertex_count_tokens_has_its_own_route(mode: str) -> None:
    with serving([VERTEX.json_reply(200, {"input_tokens": 7})]) as server:
        client = VERTEX.client(mode, server.base_url)
        async with entered(client):
            count = await call(client.messages.count_tokens, model=MODEL, messages=REQUEST["messages"])
    assert count.input_tokens == 7
    (request,) = received(server)
    assert request.path == "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict"
    assert request.json()["model"] == MODEL


@pytest.mark.parametrize("beta", [False, True])
async def test_bedrock_count_tokens_is_refused_before_any_io(mode: str, beta: bool) -> None:
    with serving([b""]) as server:
        client = BEDROCK.client(mode, server.base_url)
        resource = client.beta.messages if beta else client.messages
        async with entered(client):
            with pytest.raises(UnsupportedEndpointError, match=r"^Token counting is not supported in Bedrock yet$"):
                await call(resource.count_tokens, model=MODEL, messages=REQUEST["messages"])
    assert server.requests == []


async def test_an_empty_bedrock_model_is_refused_before_any_io(mode: str) -> None:
    with serving([b""]) as server:
        client = BEDROCK.client(mode, server.base_url)
        async with entered(client):
            with pytest.raises(ValueError, match="Expected a non-empty value for `model` but received ''"):
                await call(client.messages.create, **{**REQUEST, "model": ""})
    assert server.requests == []


# -- cuts ----------------------------------------------------------------------


@by_name
async def test_a_body_cut_at_any_offset_is_an_incomplete_stream_with_what_arrived(mode: str, case: Case) -> None:
    body = case.body(EVENTS)
    # An SSE body may lose the blank line after its last event: that event is whole (the first-party rule).
    whole_from = len(body) if case.framed else len(body) - 2
    # Every offset of the framed body; an SSE body (the first-party path, swept in its own tests) every
    # 5 bytes and every offset of its last event.
    offsets = list(range(whole_from)) if case.framed else sorted({*range(0, whole_from, 5), *range(whole_from - 30, whole_from)})
    with serving(lambda i: case.stream_reply(body[: offsets[i]] if i < len(offsets) else body)) as server:
        client = case.client(mode, server.base_url)
        async with entered(client):
            for cut in offsets:
                with pytest.raises(IncompleteStreamError) as info:
                    await collect_stream(client, **REQUEST)
                assert str(info.value).startswith("The stream ended before message_stop"), (cut, info.value)
                partial = info.value.partial_message
                if partial is not None:  # the text that arrived is kept, and nothing else
                    assert "".join(TEXT).startswith(stopped_text(partial)), cut
            got = await collect_stream(client, **REQUEST)  # the uncut body, on the same connection pool
    assert stopped_text(got.final_message) == "".join(TEXT)
    assert len(server.requests) == len(offsets) + 1


@by_name
async def test_a_clean_end_before_message_stop_keeps_the_partial_message(mode: str, case: Case) -> None:
    events = [MESSAGE_START, BLOCK_START, *DELTAS[:2]]
    with serving([case.stream_reply(case.body(events))]) as server:
        client = case.client(mode, server.base_url, max_retries=2)
        async with entered(client):
            with pytest.raises(IncompleteStreamError) as info:
                await collect_stream(client, **REQUEST)
    assert str(info.value) == (
        "The stream ended before message_stop: the answer is incomplete; 1 content block(s) had started. "
        "(request id: req_platform)"
    )
    assert stopped_text(info.value.partial_message) == "".join(TEXT[:2])
    assert len(server.requests) == 1  # content had arrived: never re-sent


async def test_a_bedrock_checksum_error_is_a_validation_error(mode: str) -> None:
    body = bytearray(BEDROCK.body(EVENTS))
    body[-1] ^= 0xFF  # the last frame's message CRC
    with serving([BEDROCK.stream_reply(bytes(body))]) as server:
        client = BEDROCK.client(mode, server.base_url)
        async with entered(client):
            with pytest.raises(APIResponseValidationError) as info:
                await collect_stream(client, **REQUEST)
    assert str(info.value).startswith("The stream's bytes are not a valid AWS event stream: ")
    assert "checksum" in str(info.value).lower() or "crc" in str(info.value).lower()
    assert stopped_text(info.value.partial_message) == "".join(TEXT)


# -- errors mid-stream -----------------------------------------------------------


@by_name
@pytest.mark.parametrize("error", ["RateLimitError", "InternalServerError"])
async def test_an_error_before_content_is_retried_and_signed_afresh(mode: str, case: Case, error: str) -> None:
    failing = case.body([MESSAGE_START, BLOCK_START]) + case.error_in_stream(case.in_stream_error[error], "busy")
    replies = [case.stream_reply(failing), case.stream_reply(case.body(EVENTS))]
    with serving(replies) as server:
        client = case.client(mode, server.base_url, max_retries=1)
        async with entered(client):
            got = await collect_stream(client, **REQUEST)
    assert stopped_text(got.final_message) == "".join(TEXT)
    assert [e.type for e in got.events].count("message_start") == 1
    first, second = received(server)
    assert first.body == second.body
    for request in (first, second):
        check_auth(case, request, server.base_url)


@by_name
@pytest.mark.parametrize("error", ["RateLimitError", "InternalServerError"])
async def test_an_error_before_content_without_retries_is_its_typed_error(mode: str, case: Case, error: str) -> None:
    kind = case.in_stream_error[error]
    failing = case.body([MESSAGE_START]) + case.error_in_stream(kind, "slow down")
    with serving([case.stream_reply(failing)]) as server:
        client = case.client(mode, server.base_url, max_retries=0)
        async with entered(client):
            with pytest.raises(getattr(anthropic, error)) as info:
                await collect_stream(client, **REQUEST)
    assert info.value.body == {"type": "error", "error": {"type": kind, "message": "slow down"}}
    assert "slow down" in str(info.value)


@by_name
@pytest.mark.parametrize("error", ["RateLimitError", "InternalServerError"])
async def test_an_error_after_content_is_typed_with_the_partial_message(mode: str, case: Case, error: str) -> None:
    kind = case.in_stream_error[error]
    failing = case.body([MESSAGE_START, BLOCK_START, DELTAS[0]]) + case.error_in_stream(kind, "went away")
    with serving([case.stream_reply(failing)]) as server:
        client = case.client(mode, server.base_url, max_retries=2)
        async with entered(client):
            with pytest.raises(getattr(anthropic, error)) as info:
                await collect_stream(client, **REQUEST)
    assert stopped_text(info.value.partial_message) == TEXT[0]
    assert "went away" in str(info.value)
    assert len(server.requests) == 1


async def test_an_error_after_content_ends_raw_events_where_it_arrived(mode: str) -> None:
    failing = BEDROCK.body([MESSAGE_START, BLOCK_START, DELTAS[0]]) + BEDROCK.error_in_stream(
        "modelStreamErrorException", "model failed"
    )
    with serving([BEDROCK.stream_reply(failing)]) as server:
        client = BEDROCK.client(mode, server.base_url)
        async with entered(client):
            stream = await call(client.messages.create, stream=True, **REQUEST)
            seen: list[str] = []
            with pytest.raises(InternalServerError) as info:
                async with entered(stream):
                    if hasattr(stream, "__aiter__"):
                        async for event in stream:
                            seen.append(event.type)
                    else:
                        for event in stream:
                            seen.append(event.type)
    assert seen == ["message_start", "content_block_start", "content_block_delta"]
    assert info.value.status_code == 500


# -- HTTP errors in each platform's shape ----------------------------------------


@by_name
@pytest.mark.parametrize(("status", "error"), [(400, "BadRequestError"), (429, "RateLimitError")])
async def test_an_http_error_is_typed_by_status_with_the_platforms_body(
    mode: str, case: Case, status: int, error: str
) -> None:
    body = case.error_body(status, "it went wrong")
    with serving([case.json_reply(status, body)]) as server:
        client = case.client(mode, server.base_url)
        async with entered(client):
            with pytest.raises(getattr(anthropic, error)) as info:
                await collect_stream(client, **REQUEST)
    assert info.value.status_code == status
    assert info.value.body == body
    assert "it went wrong" in str(info.value)


@by_name
async def test_a_retried_http_error_is_sent_again_with_fresh_auth(mode: str, case: Case) -> None:
    replies = [case.json_reply(429, case.error_body(429, "later")), case.stream_reply(case.body(EVENTS))]
    with serving(replies) as server:
        client = case.client(mode, server.base_url, max_retries=1)
        async with entered(client):
            got = await collect_stream(client, **REQUEST)
    assert stopped_text(got.final_message) == "".join(TEXT)
    first, second = received(server)
    assert first.path == second.path == case.stream_path and first.body == second.body
    for request in (first, second):
        check_auth(case, request, server.base_url)


async def test_user_query_parameters_are_signed(mode: str) -> None:
    with serving([BEDROCK.stream_reply(BEDROCK.body(EVENTS))]) as server:
        client = BEDROCK.client(mode, server.base_url, default_query={"trace": "a b"})
        async with entered(client):
            await collect_stream(client, **REQUEST)
    (request,) = received(server)
    assert request.path == BEDROCK.stream_path + "?trace=a+b"
    check_sigv4(request, server.base_url, service="bedrock")
