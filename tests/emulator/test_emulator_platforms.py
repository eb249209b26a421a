"""The platform routes over loopback, read with raw HTTP and the package's own event-stream decoders.

Bedrock's frames are checked message by message (headers, payload shape,
base64 of the very events the first-party route streams for the same
request), in any chunking, with exception frames, HTTP errors, cuts and auth.
Vertex, Foundry, Mantle and AWS are checked against the first-party routes.
"""

from __future__ import annotations

import base64
import json
import random
import struct
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from emulator_support import API_HEADERS, accumulate, parse_sse

from anthropic.emulator import Emulator, Fault, Reply
from anthropic.lib.aws._sigv4 import AWSCredentials, sign_request
from anthropic.lib.bedrock._events import BedrockEventDecoder
from anthropic.lib.bedrock._eventstream import (
    EventStreamDecoder,
    EventStreamMessage,
    TruncatedError,
    encode_message,
)

MODEL = "claude-sonnet-4-5-20250929"
BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
INVOKE = f"/model/{BEDROCK_MODEL}/invoke"
INVOKE_STREAM = f"/model/{BEDROCK_MODEL}/invoke-with-response-stream"
VERTEX = "/v1/projects/my-proj/locations/us-east5/publishers/anthropic/models/"
MESSAGES = [{"role": "user", "content": "Count to 12"}]
BEDROCK_BODY = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 200, "messages": MESSAGES}
VERTEX_BODY = {"anthropic_version": "vertex-2023-10-16", "max_tokens": 200, "messages": MESSAGES}
FIRST_PARTY = {"model": MODEL, "max_tokens": 200, "messages": MESSAGES}
CHUNK_HEADERS = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}
KEY = AWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
ERRORTYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/"


@pytest.fixture
def aws_emu() -> Iterator[Emulator]:
    with Emulator(aws_keys={KEY.access_key: KEY.secret_key}) as emulator:
        yield emulator


@pytest.fixture
def http(aws_emu: Emulator) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=aws_emu.base_url, timeout=10) as client:
        yield client


def signed(
    aws_emu: Emulator,
    path: str,
    body: bytes,
    *,
    service: str = "bedrock",
    credentials: AWSCredentials = KEY,
    headers: dict[str, str] | None = None,
) -> dict[str, str]:
    """The headers of a request to ``path`` signed with SigV4 as a client would sign it."""
    out = {"content-type": "application/json", "host": f"127.0.0.1:{aws_emu.port}", **(headers or {})}
    out.update(
        sign_request(
            method="POST",
            url=aws_emu.base_url + path,
            headers=out,
            body=body,
            credentials=credentials,
            region="us-east-1",
            service=service,
        )
    )
    return out


def bedrock(
    http: httpx2.Client,
    aws_emu: Emulator,
    path: str = INVOKE_STREAM,
    body: dict[str, Any] = BEDROCK_BODY,
    fault: str | None = None,
    **kwargs: Any,
) -> httpx2.Response:
    raw = json.dumps(body).encode()
    extra = {"x-emulator-fault": fault} if fault is not None else {}
    return http.post(path, content=raw, headers=signed(aws_emu, path, raw, headers=extra, **kwargs))


def frames(body: bytes) -> list[EventStreamMessage]:
    decoder = EventStreamDecoder()
    out = decoder.feed(body)
    decoder.end()
    return out


def events(body: bytes) -> list[dict[str, Any]]:
    decoder = BedrockEventDecoder()
    out = decoder.feed(body)
    decoder.end()
    return out


def without_metrics(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if k != "amazon-bedrock-invocationMetrics"} for e in items]


def first_party_events(http: httpx2.Client, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = http.post("/v1/messages", json=body, headers=API_HEADERS)
    assert response.status_code == 200, response.text
    return [data for _, data in parse_sse(response.content)]


# --- Bedrock: streams --------------------------------------------------------------------------


def test_bedrock_stream_is_chunk_frames_of_the_first_party_events(http: httpx2.Client, aws_emu: Emulator) -> None:
    response = bedrock(http, aws_emu)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.amazon.eventstream"
    assert response.headers["x-amzn-requestid"] == aws_emu.requests[-1].request_id
    assert aws_emu.requests[-1].stream is True
    decoded = []
    for message in frames(response.content):
        assert dict(message.headers) == CHUNK_HEADERS
        assert list(message.headers) == list(CHUNK_HEADERS)  # the order AWS writes them in
        payload = json.loads(message.payload)
        assert set(payload) == {"bytes", "p"}
        decoded.append(json.loads(base64.b64decode(payload["bytes"], validate=True)))
    assert decoded == events(response.content)
    # The same request on the first-party route streams the very same events.
    assert without_metrics(decoded) == first_party_events(http, {**FIRST_PARTY, "stream": True})
    metrics = decoded[-1]["amazon-bedrock-invocationMetrics"]
    final = accumulate([(e["type"], e) for e in decoded])
    assert metrics["inputTokenCount"] == final["usage"]["input_tokens"]
    assert metrics["outputTokenCount"] == final["usage"]["output_tokens"]
    assert final["model"] == MODEL
    assert "".join(b["text"] for b in final["content"]) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12."


def test_bedrock_stream_decodes_the_same_in_any_chunking(http: httpx2.Client, aws_emu: Emulator) -> None:
    body = bedrock(http, aws_emu).content
    whole = events(body)
    rng = random.Random(7)
    chunkings = [[1] * len(body)] + [[rng.randint(1, 64) for _ in range(len(body))] for _ in range(100)]
    for sizes in chunkings:
        decoder, out, pos = BedrockEventDecoder(), [], 0
        for size in sizes:
            if pos >= len(body):
                break
            out += decoder.feed(body[pos : pos + size])
            pos += size
        decoder.end()
        assert out == whole


def test_bedrock_stream_in_one_byte_pieces_on_the_wire(http: httpx2.Client, aws_emu: Emulator) -> None:
    recorded = bedrock(http, aws_emu).content
    aws_emu.enqueue(Reply.sse(recorded, chunk_size=1))
    with http.stream(
        "POST", INVOKE_STREAM, content=json.dumps(BEDROCK_BODY).encode(),
        headers=signed(aws_emu, INVOKE_STREAM, json.dumps(BEDROCK_BODY).encode()),
    ) as response:  # fmt: skip
        assert response.headers["content-type"] == "application/vnd.amazon.eventstream"
        decoder, out = BedrockEventDecoder(), []
        for piece in response.iter_raw():
            out += decoder.feed(piece)
        decoder.end()
    assert out == events(recorded)


def test_bedrock_invoke_answers_the_same_message_as_json(http: httpx2.Client, aws_emu: Emulator) -> None:
    streamed = accumulate([(e["type"], e) for e in events(bedrock(http, aws_emu).content)])
    response = bedrock(http, aws_emu, INVOKE)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-amzn-requestid"] == aws_emu.requests[-1].request_id
    assert "request-id" not in response.headers
    message = response.json()
    assert message["model"] == MODEL
    assert message["content"] == streamed["content"]
    assert aws_emu.requests[-1].stream is False


@pytest.mark.parametrize(
    ("model", "reported"),
    [
        ("anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5-20251001"),
        ("global.anthropic.claude-opus-4-6-v1", "claude-opus-4-6"),
        ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile%2Fabc", None),
    ],
)
def test_bedrock_model_ids(http: httpx2.Client, aws_emu: Emulator, model: str, reported: str | None) -> None:
    response = bedrock(http, aws_emu, f"/model/{model}/invoke")
    assert response.status_code == 200, response.text
    expected = reported if reported is not None else model.replace("%2F", "/")
    assert response.json()["model"] == expected


# --- Bedrock: the body ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"model": MODEL},
            "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.",
        ),
        (
            {"stream": True},
            "Malformed input request: #: extraneous key [stream] is not permitted, please reformat your input and try again.",
        ),
        (
            {"anthropic_version": None},
            "Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.",
        ),
        ({"anthropic_version": 5}, "anthropic_version: Input should be a non-empty string"),
        ({"anthropic_beta": "a,b"}, "anthropic_beta: Input should be a valid list of strings"),
        ({"max_tokens": 0}, "max_tokens: Input should be greater than or equal to 1"),
        ({"temprature": 1}, "temprature: Extra inputs are not permitted"),
    ],
)
@pytest.mark.parametrize("path", [INVOKE, INVOKE_STREAM])
def test_bedrock_body_rules(
    http: httpx2.Client, aws_emu: Emulator, path: str, change: dict[str, Any], message: str
) -> None:
    body = {k: v for k, v in {**BEDROCK_BODY, **change}.items() if v is not None}
    aws_emu.enqueue(Reply.text("not taken"))
    response = bedrock(http, aws_emu, path, body)
    assert response.status_code == 400
    assert response.json() == {"message": message}
    assert response.headers["x-amzn-errortype"] == "ValidationException" + ERRORTYPE_SUFFIX
    assert response.headers["x-amzn-requestid"] == aws_emu.requests[-1].request_id
    assert aws_emu.pending_replies == 1


def test_bedrock_takes_betas_and_user_profile_in_the_body(http: httpx2.Client, aws_emu: Emulator) -> None:
    body = {**BEDROCK_BODY, "anthropic_beta": ["context-1m-2025-08-07"], "user_profile_id": "up_1"}
    response = bedrock(http, aws_emu, INVOKE, body)
    assert response.status_code == 200, response.text
    assert aws_emu.requests[-1].json["anthropic_beta"] == ["context-1m-2025-08-07"]


def test_a_body_that_is_not_json_is_a_bedrock_400(http: httpx2.Client, aws_emu: Emulator) -> None:
    raw = b"{not json"
    response = http.post(INVOKE, content=raw, headers=signed(aws_emu, INVOKE, raw))
    assert response.status_code == 400
    assert response.headers["x-amzn-errortype"].startswith("ValidationException:")
    assert response.json()["message"].startswith("There was an error parsing the body of your request")


# --- Bedrock: exception frames and HTTP errors ----------------------------------------------------

EXCEPTIONS = [
    "throttlingException",
    "modelStreamErrorException",
    "validationException",
    "internalServerException",
    "serviceUnavailableException",
]


@pytest.mark.parametrize("after", [None, 3])
@pytest.mark.parametrize("kind", EXCEPTIONS)
def test_bedrock_exception_frames(http: httpx2.Client, aws_emu: Emulator, kind: str, after: int | None) -> None:
    fault = f"error_event={kind};message=it broke" + (f";error_event_after={after}" if after else "")
    response = bedrock(http, aws_emu, fault=fault)
    assert response.status_code == 200
    messages = frames(response.content)
    last = messages[-1]
    assert dict(last.headers) == {
        ":exception-type": kind,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    assert json.loads(last.payload) == {"message": "it broke"}
    assert all(dict(m.headers) == CHUNK_HEADERS for m in messages[:-1])
    decoded = events(response.content)
    assert decoded[-1] == {"type": "error", "error": {"type": kind, "message": "it broke"}}
    deltas = [e for e in decoded if e["type"] == "content_block_delta"]
    assert len(deltas) == (after or 0)
    assert decoded[0]["type"] == "message_start"


@pytest.mark.parametrize(
    ("error_type", "kind"),
    [
        ("overloaded_error", "serviceUnavailableException"),
        ("rate_limit_error", "throttlingException"),
        ("api_error", "internalServerException"),
        ("invalid_request_error", "validationException"),
        ("ModelStreamErrorException", "modelStreamErrorException"),
    ],
)
def test_first_party_error_types_become_bedrock_exception_names(
    http: httpx2.Client, aws_emu: Emulator, error_type: str, kind: str
) -> None:
    aws_emu.add_fault(Fault(error_event=error_type, error_event_after=1, times=1))
    decoded = events(bedrock(http, aws_emu).content)
    assert decoded[-1]["error"]["type"] == kind
    assert decoded[-1]["error"]["message"]  # a default message
    assert [e["type"] for e in decoded].count("content_block_delta") == 1


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, "ValidationException"),
        (403, "AccessDeniedException"),
        (404, "ResourceNotFoundException"),
        (429, "ThrottlingException"),
        (500, "InternalServerException"),
        (503, "ServiceUnavailableException"),
        (529, "ServiceUnavailableException"),
    ],
)
@pytest.mark.parametrize("path", [INVOKE, INVOKE_STREAM])
def test_bedrock_http_errors(http: httpx2.Client, aws_emu: Emulator, path: str, status: int, kind: str) -> None:
    response = bedrock(http, aws_emu, path, fault=f"status={status};retry_after=0;message=nope")
    assert response.status_code == status
    assert response.json() == {"message": "nope"}
    assert response.headers["x-amzn-errortype"] == kind + ERRORTYPE_SUFFIX
    assert response.headers["x-amzn-requestid"] == aws_emu.requests[-1].request_id
    assert response.headers["retry-after"] == "0"
    assert response.headers["content-type"] == "application/json"


def test_bedrock_http_error_type_can_be_named(http: httpx2.Client, aws_emu: Emulator) -> None:
    response = bedrock(http, aws_emu, fault="status=424;error_type=ModelErrorException")
    assert response.status_code == 424
    assert response.headers["x-amzn-errortype"] == "ModelErrorException" + ERRORTYPE_SUFFIX


def test_an_exception_fault_on_invoke_is_its_http_error(http: httpx2.Client, aws_emu: Emulator) -> None:
    response = bedrock(http, aws_emu, INVOKE, fault="error_event=throttlingException")
    assert response.status_code == 429
    assert response.headers["x-amzn-errortype"] == "ThrottlingException" + ERRORTYPE_SUFFIX
    assert response.json()["message"] == "Too many requests, please wait before trying again."


# --- Bedrock: cuts -------------------------------------------------------------------------------


def test_bedrock_clean_cuts_anywhere_in_the_framing(http: httpx2.Client, aws_emu: Emulator) -> None:
    aws_emu.enqueue(Reply.text("Hi there, friend"))
    full = bedrock(http, aws_emu).content
    boundaries, pos = [], 0
    while pos < len(full):  # each message starts with its total length
        boundaries.append(pos)
        pos += struct.unpack_from(">I", full, pos)[0]
    assert pos == len(full) and len(boundaries) == len(frames(full))
    last_start = boundaries[-1]
    offsets = sorted(
        {o for b in boundaries[1:] for o in (b - 1, b, b + 1, b + 4, b + 8, b + 12, b + 13, b + 40)}
        | {1, 5, 11}
    )
    for offset in offsets:
        aws_emu.enqueue(Reply.text("Hi there, friend"))
        response = bedrock(http, aws_emu, fault=f"eof_after={offset}")
        assert response.status_code == 200
        cut = response.content
        assert len(cut) == offset
        assert cut[: min(offset, last_start)] == full[: min(offset, last_start)]
        decoder = BedrockEventDecoder()
        got = decoder.feed(cut)
        if offset in boundaries:
            decoder.end()  # a clean frame boundary: no error from the framing, and no message_stop
            assert got and got[-1]["type"] != "message_stop"
        else:
            with pytest.raises(TruncatedError, match="ended inside a message"):
                decoder.end()


@pytest.mark.parametrize("offset", [1, 12, 100, 257])
def test_bedrock_connection_reset_mid_frame(aws_emu: Emulator, offset: int) -> None:
    raw = json.dumps(BEDROCK_BODY).encode()
    headers = signed(aws_emu, INVOKE_STREAM, raw, headers={"x-emulator-fault": f"disconnect_after={offset}"})
    received = b""
    with (
        httpx2.Client(base_url=aws_emu.base_url, timeout=10) as client,
        pytest.raises(httpx2.TransportError),
        client.stream("POST", INVOKE_STREAM, content=raw, headers=headers) as response,
    ):
        assert response.status_code == 200
        for piece in response.iter_raw():
            received += piece
    assert len(received) == offset
    decoder = BedrockEventDecoder()
    decoder.feed(received)
    with pytest.raises(TruncatedError):
        decoder.end()


# --- Bedrock: scripted replies, recorded requests, added faults --------------------------------


def test_bedrock_serves_scripted_thinking_and_tool_use(http: httpx2.Client, aws_emu: Emulator) -> None:
    content = [
        {"type": "thinking", "thinking": "The user wants weather.", "signature": "sig=="},
        {"type": "text", "text": "Let me check."},
        {
            "type": "tool_use",
            "id": "toolu_1",
            "name": "get_weather",
            "input": {"city": "Paris", "days": [1, 2]},
        },
    ]
    aws_emu.enqueue(
        Reply.message(content, stop_reason="tool_use"), Reply.message(content, stop_reason="tool_use")
    )
    final = accumulate([(e["type"], e) for e in events(bedrock(http, aws_emu).content)])
    assert final["content"] == content
    assert final["stop_reason"] == "tool_use"
    assert bedrock(http, aws_emu, INVOKE).json()["content"] == content
    assert aws_emu.pending_replies == 0
    recorded = aws_emu.requests[-2]
    assert recorded.path == INVOKE_STREAM
    assert recorded.stream is True
    assert recorded.json == BEDROCK_BODY
    assert recorded.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")


def test_bedrock_scripted_errors_and_bodies(http: httpx2.Client, aws_emu: Emulator) -> None:
    frame = encode_message({":message-type": "event", ":event-type": "other"}, b"{}")
    aws_emu.enqueue(
        Reply.error(429, message="Slow down"),
        Reply.sse(frame, chunk_size=3),
        Reply.json({"anything": 1}, status=200),
    )
    response = bedrock(http, aws_emu)
    assert response.status_code == 429
    assert response.json() == {"message": "Slow down"}
    assert response.headers["x-amzn-errortype"] == "ThrottlingException" + ERRORTYPE_SUFFIX
    response = bedrock(http, aws_emu)
    assert response.content == frame
    assert response.headers["content-type"] == "application/vnd.amazon.eventstream"
    assert bedrock(http, aws_emu, INVOKE).json() == {"anything": 1}


def test_added_faults_and_reply_faults_apply_to_bedrock(http: httpx2.Client, aws_emu: Emulator) -> None:
    aws_emu.add_fault(Fault(status=503, times=1))
    assert bedrock(http, aws_emu, INVOKE).status_code == 503
    aws_emu.enqueue(Reply.text("scripted", fault=Fault(error_event="throttlingException", error_event_after=1)))
    decoded = events(bedrock(http, aws_emu).content)
    assert decoded[-1]["error"]["type"] == "throttlingException"
    assert bedrock(http, aws_emu, INVOKE).status_code == 200


# --- Bedrock: auth -----------------------------------------------------------------------------


def _auth_error(response: httpx2.Response, kind: str, status: int = 403) -> str:
    assert response.status_code == status, response.text
    assert response.headers["x-amzn-errortype"] == kind + ERRORTYPE_SUFFIX
    message: str = response.json()["message"]
    return message


def test_bedrock_needs_an_authorization(http: httpx2.Client, aws_emu: Emulator) -> None:
    response = http.post(INVOKE, json=BEDROCK_BODY)
    assert _auth_error(response, "MissingAuthenticationTokenException") == "Missing Authentication Token"


@pytest.mark.parametrize(
    ("mangle", "kind", "says"),
    [
        (lambda h: {**h, "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE"}, "IncompleteSignatureException", "requires 'Credential'"),
        (lambda h: {**h, "authorization": "Basic dXNlcjpwYXNz"}, "IncompleteSignatureException", "requires 'Credential'"),
        (lambda h: {k: v for k, v in h.items() if k != "X-Amz-Date"}, "IncompleteSignatureException", "X-Amz-Date"),
        (lambda h: {**h, "X-Amz-Date": "20200101T000000Z"}, "InvalidSignatureException", "Date in Credential scope"),
        (lambda h: {**h, "authorization": h["Authorization"][:-1] + ("1" if h["Authorization"].endswith("0") else "0")}, "InvalidSignatureException", "does not match"),
    ],
)  # fmt: skip
def test_bedrock_refuses_bad_signatures(
    http: httpx2.Client, aws_emu: Emulator, mangle: Any, kind: str, says: str
) -> None:
    raw = json.dumps(BEDROCK_BODY).encode()
    headers = signed(aws_emu, INVOKE, raw)
    headers = mangle(headers)
    if "authorization" in headers and "Authorization" in headers:
        del headers["Authorization"]
    assert says in _auth_error(http.post(INVOKE, content=raw, headers=headers), kind)


def test_bedrock_signature_checks(http: httpx2.Client, aws_emu: Emulator) -> None:
    wrong_service = _auth_error(bedrock(http, aws_emu, INVOKE, service="s3"), "InvalidSignatureException")
    assert wrong_service == "Credential should be scoped to correct service: 'bedrock'."
    stranger = AWSCredentials("AKIDOTHER", KEY.secret_key)
    assert _auth_error(bedrock(http, aws_emu, INVOKE, credentials=stranger), "UnrecognizedClientException") == (
        "The security token included in the request is invalid."
    )
    wrong_secret = AWSCredentials(KEY.access_key, "not-the-secret")
    assert "does not match" in _auth_error(
        bedrock(http, aws_emu, INVOKE, credentials=wrong_secret), "InvalidSignatureException"
    )
    temporary = AWSCredentials(KEY.access_key, KEY.secret_key, "session/token==")
    assert bedrock(http, aws_emu, INVOKE, credentials=temporary).status_code == 200
    # The signature covers the body: another body under the same signature is refused.
    raw = json.dumps(BEDROCK_BODY).encode()
    headers = signed(aws_emu, INVOKE, raw)
    tampered = raw.replace(b"Count to 12", b"Count to 13")
    assert "does not match" in _auth_error(
        http.post(INVOKE, content=tampered, headers=headers), "InvalidSignatureException"
    )


def test_without_aws_keys_any_well_formed_signature_passes(aws_emu: Emulator) -> None:
    with Emulator() as open_emu, httpx2.Client(base_url=open_emu.base_url, timeout=10) as client:
        stranger = AWSCredentials("AKIDANY", "any-secret")
        assert bedrock(client, open_emu, INVOKE, credentials=stranger).status_code == 200
        assert bedrock(client, open_emu, INVOKE, service="s3").status_code == 403


def test_bedrock_api_keys(aws_emu: Emulator) -> None:
    with (
        Emulator(api_keys=["bedrock-key"]) as keyed,
        httpx2.Client(base_url=keyed.base_url, timeout=10) as client,
    ):
        ok = client.post(INVOKE, json=BEDROCK_BODY, headers={"authorization": "Bearer bedrock-key"})
        assert ok.status_code == 200, ok.text
        bad = client.post(INVOKE, json=BEDROCK_BODY, headers={"authorization": "Bearer other"})
        assert (
            _auth_error(bad, "UnrecognizedClientException")
            == "The security token included in the request is invalid."
        )
    with (
        Emulator(require_auth=False) as open_emu,
        httpx2.Client(base_url=open_emu.base_url, timeout=10) as client,
    ):
        assert client.post(INVOKE, json=BEDROCK_BODY).status_code == 200


def test_bedrock_routes_take_only_post(http: httpx2.Client) -> None:
    response = http.get(INVOKE)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


# --- Vertex AI -------------------------------------------------------------------------------


def vertex(
    http: httpx2.Client,
    path: str,
    body: dict[str, Any] = VERTEX_BODY,
    token: str | None = "ya29.token",
    fault: str | None = None,
) -> httpx2.Response:
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    if fault is not None:
        headers["x-emulator-fault"] = fault
    return http.post(path, json=body, headers=headers)


def test_vertex_stream_raw_predict_is_the_first_party_stream(http: httpx2.Client, aws_emu: Emulator) -> None:
    response = vertex(
        http, VERTEX + "claude-sonnet-4-5@20250929:streamRawPredict", {**VERTEX_BODY, "stream": True}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    got = [data for _, data in parse_sse(response.content)]
    assert got == first_party_events(http, {**FIRST_PARTY, "stream": True})
    assert aws_emu.requests[-2].stream is True


def test_vertex_raw_predict_answers_json(http: httpx2.Client, aws_emu: Emulator) -> None:
    response = vertex(http, VERTEX + "claude-sonnet-4-5%4020250929:rawPredict")
    assert response.status_code == 200, response.text
    message = response.json()
    assert message["model"] == MODEL
    expected = http.post("/v1/messages", json=FIRST_PARTY, headers=API_HEADERS).json()
    assert message["content"] == expected["content"]
    assert response.headers["request-id"] == aws_emu.requests[-2].request_id


def test_vertex_count_tokens(http: httpx2.Client) -> None:
    body = {**VERTEX_BODY, "model": "claude-sonnet-4-5@20250929"}
    del body["max_tokens"]
    response = vertex(http, VERTEX + "count-tokens:rawPredict", body)
    assert response.status_code == 200, response.text
    expected = http.post(
        "/v1/messages/count_tokens", json={"model": MODEL, "messages": MESSAGES}, headers=API_HEADERS
    )
    assert response.json() == expected.json()


@pytest.mark.parametrize(
    ("path", "change", "message"),
    [
        ("m:rawPredict", {"model": MODEL}, "model: Extra inputs are not permitted (the model is named in the URL)"),
        ("m:rawPredict", {"anthropic_version": None}, "anthropic_version: Field required"),
        ("m:streamRawPredict", {"anthropic_version": ""}, "anthropic_version: Input should be a non-empty string"),
        ("m:rawPredict", {"max_tokens": 0}, "max_tokens: Input should be greater than or equal to 1"),
        ("count-tokens:rawPredict", {"anthropic_version": None, "model": MODEL}, "anthropic_version: Field required"),
        ("count-tokens:rawPredict", {}, "model: Field required"),
    ],
)  # fmt: skip
def test_vertex_body_rules(http: httpx2.Client, path: str, change: dict[str, Any], message: str) -> None:
    body = {k: v for k, v in {**VERTEX_BODY, **change}.items() if v is not None}
    response = vertex(http, VERTEX + path, body)
    assert response.status_code == 400
    assert response.json()["error"] == {"type": "invalid_request_error", "message": message}


def test_vertex_needs_a_bearer_token(aws_emu: Emulator) -> None:
    with (
        Emulator(api_keys=["ya29.good"]) as keyed,
        httpx2.Client(base_url=keyed.base_url, timeout=10) as client,
    ):
        path = VERTEX + "m:rawPredict"
        for token, says in (
            (None, "missing required authentication"),
            ("ya29.bad", "invalid authentication"),
        ):
            response = vertex(client, path, token=token)
            assert response.status_code == 401
            error = response.json()["error"]
            assert error["code"] == 401 and error["status"] == "UNAUTHENTICATED"
            assert says in error["message"]
        response = client.post(path, json=VERTEX_BODY, headers={"x-api-key": "ya29.good"})
        assert response.status_code == 401
        assert vertex(client, path, token="ya29.good").status_code == 200


def test_vertex_faults_and_scripted_replies(http: httpx2.Client, aws_emu: Emulator) -> None:
    path = VERTEX + "claude-haiku-4-5@20251001:streamRawPredict"
    response = vertex(http, path, {**VERTEX_BODY, "stream": True}, fault="status=529")
    assert response.status_code == 529
    assert response.json()["error"]["type"] == "overloaded_error"
    response = vertex(
        http, path, {**VERTEX_BODY, "stream": True}, fault="error_event=overloaded_error;error_event_after=2"
    )
    sent = parse_sse(response.content)
    assert sent[-1] == (
        "error",
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
    )
    aws_emu.enqueue(Reply.text("scripted"))
    message = vertex(http, VERTEX + "claude-haiku-4-5@20251001:rawPredict").json()
    assert message["content"] == [{"type": "text", "text": "scripted"}]
    assert message["model"] == "claude-haiku-4-5-20251001"


# --- Foundry, Mantle and AWS: first-party routes, other credentials ----------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"api-key": "azure-key"},
        {"x-api-key": "azure-key", "api-key": "azure-key"},
        {"authorization": "Bearer entra-token"},
    ],
)
def test_foundry_paths_and_keys(http: httpx2.Client, headers: dict[str, str]) -> None:
    headers = {**headers, "anthropic-version": "2023-06-01"}
    response = http.post("/anthropic/v1/messages", json={**FIRST_PARTY, "stream": True}, headers=headers)
    assert response.status_code == 200, response.text
    assert [d for _, d in parse_sse(response.content)] == first_party_events(
        http, {**FIRST_PARTY, "stream": True}
    )
    count = http.post(
        "/anthropic/v1/messages/count_tokens", json={"model": MODEL, "messages": MESSAGES}, headers=headers
    )
    assert count.status_code == 200


def test_prefixed_routes_need_a_key(http: httpx2.Client) -> None:
    response = http.post(
        "/anthropic/v1/messages", json=FIRST_PARTY, headers={"anthropic-version": "2023-06-01"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == {
        "type": "authentication_error",
        "message": "x-api-key header is required",
    }


@pytest.mark.parametrize(
    ("path", "service", "status"),
    [
        ("/anthropic/v1/messages", "bedrock-mantle", 200),
        ("/anthropic/v1/messages", "aws-external-anthropic", 401),
        ("/v1/messages", "aws-external-anthropic", 200),
        ("/v1/messages", "bedrock-mantle", 401),
    ],
)
def test_mantle_and_aws_take_sigv4(
    http: httpx2.Client, aws_emu: Emulator, path: str, service: str, status: int
) -> None:
    raw = json.dumps(FIRST_PARTY).encode()
    extra = {"anthropic-version": "2023-06-01", "anthropic-workspace-id": "wrkspc_1"}
    response = http.post(path, content=raw, headers=signed(aws_emu, path, raw, service=service, headers=extra))
    assert response.status_code == status, response.text
    if status == 401:
        assert response.json()["error"]["message"] == (
            f"InvalidSignatureException: Credential should be scoped to correct service: '{'bedrock-mantle' if path.startswith('/anthropic') else 'aws-external-anthropic'}'."
        )


def test_aws_sigv4_is_verified_on_first_party_routes(http: httpx2.Client, aws_emu: Emulator) -> None:
    raw = json.dumps(FIRST_PARTY).encode()
    wrong = AWSCredentials(KEY.access_key, "wrong")
    headers = signed(aws_emu, "/v1/messages", raw, service="aws-external-anthropic", credentials=wrong,
                     headers={"anthropic-version": "2023-06-01"})  # fmt: skip
    response = http.post("/v1/messages", content=raw, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("InvalidSignatureException: The request signature")
    headers = signed(aws_emu, "/v1/messages", raw, service="aws-external-anthropic")
    response = http.post("/v1/messages", content=raw, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "anthropic-version: header is required"


def test_a_failing_platform_route_answers_in_its_own_shape(caplog: pytest.LogCaptureFixture) -> None:
    from anthropic.emulator._handler import Call, Response, Route
    from anthropic.emulator._platforms import BEDROCK

    def explode(call: Call) -> Response:
        raise RuntimeError("sk-secret")

    routes = (Route("POST", "/model/(?P<model>[^/]+)/explode", explode, BEDROCK),)
    with Emulator(routes=routes, require_auth=False) as emu, httpx2.Client(base_url=emu.base_url) as client:
        response = client.post("/model/m/explode", json=BEDROCK_BODY)
    assert response.status_code == 500
    assert response.json() == {"message": "The emulator failed to answer this request; see its log."}
    assert response.headers["x-amzn-errortype"] == "InternalServerException" + ERRORTYPE_SUFFIX
    assert "sk-secret" in caplog.text  # logged for the developer, not sent
