"""The cloud platforms' envelopes around the Messages API, as emulator routes.

Each platform is a :class:`~._handler.Surface` (how it authenticates, what its
errors and streams look like) and a few routes that move the request into the
first-party form and hand it to the same validation, scripted replies, faults
and generation as ``POST /v1/messages`` (:func:`._routes.serve_reply`).

Amazon Bedrock (:data:`BEDROCK`)
    ``POST /model/{model}/invoke`` (JSON) and
    ``POST /model/{model}/invoke-with-response-stream``
    (``application/vnd.amazon.eventstream``).  The body has no ``model`` and
    no ``stream`` (either is a 400), needs ``anthropic_version`` (a non-empty
    string: ``bedrock-2023-05-31``, or the first-party version date some
    clients send) and may carry ``anthropic_beta`` (a list of
    strings).  Auth: ``authorization: Bearer KEY`` (a Bedrock API key, checked
    like any key) or a SigV4 signature for service ``bedrock`` (see
    :mod:`._sigv4`).  Each stream event is a ``chunk`` frame whose JSON
    payload is ``{"bytes": base64(event JSON), "p": padding}``; ``message_stop``
    carries ``amazon-bedrock-invocationMetrics`` as Bedrock's does.  An
    ``error_event`` fault is an ``exception`` frame (``:exception-type``, JSON
    ``{"message": ...}``); first-party error types are named as Bedrock names
    them (``rate_limit_error`` -> ``throttlingException``, ...), other names
    pass through.  Errors are ``{"message": ...}`` with the
    ``x-amzn-errortype`` and ``x-amzn-requestid`` headers.

Google Vertex AI (:data:`VERTEX`)
    ``POST /v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict``
    and ``:streamRawPredict``: the body has no ``model``, needs
    ``anthropic_version`` (a non-empty string, such as ``vertex-2023-10-16``) and keeps ``stream``, which
    decides (as a raw pass-through does) whether the reply is SSE.
    ``.../models/count-tokens:rawPredict`` counts tokens (``model`` in the
    body).  Auth: a bearer token (any, or one of ``api_keys``); without one,
    Google's 401 shape ``{"error": {"code", "message", "status"}}``.  Other
    errors and streams are the first-party API's.

Microsoft Foundry and Bedrock Mantle (:data:`PREFIXED`)
    The first-party routes under ``/anthropic`` (``/anthropic/v1/messages``,
    ...), as their base URLs have it.  Auth: ``x-api-key``, Azure's
    ``api-key``, a bearer token, or SigV4 for service ``bedrock-mantle``.

The AWS client (``AnthropicAWS``) uses the first-party routes themselves,
which also take SigV4 (service ``aws-external-anthropic``).

Model ids in a platform path are mapped to the first-party id for the reply's
``model`` field and the model limits (``us.anthropic.claude-sonnet-4-5-20250929-v1:0``
and ``claude-sonnet-4-5@20250929`` are ``claude-sonnet-4-5-20250929``);
ids that do not look like that (ARNs, ...) are kept as they are.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote

from ..lib.bedrock._eventstream import encode_message
from ._events import Event
from ._handler import Auth, Call, Response, Route, Surface
from ._replies import RecordedRequest
from ._routes import API_ROUTES, serve_reply
from ._tokens import estimate_input_tokens
from ._validate import validate_count_tokens, validate_messages
from ._wire import Rejected, default_message, dumps, error_type_for

__all__ = ["BEDROCK", "PLATFORM_ROUTES", "PREFIXED", "VERTEX", "bedrock_exception_name"]


# --- model ids ---------------------------------------------------------------------------------

_BEDROCK_MODEL = re.compile(
    r"(?:[a-z]{2,6}\.)?anthropic\.(?P<name>claude-[A-Za-z0-9.-]+?)(?:-v\d+)?(?::\d+)?"
)
_VERTEX_MODEL = re.compile(r"(?P<name>claude-[A-Za-z0-9.-]+)@(?P<date>\d{8})")


def first_party_model(model: str) -> str:
    """The first-party model id a platform's model id stands for (the id itself if unknown)."""
    match = _BEDROCK_MODEL.fullmatch(model)
    if match is not None:
        return match["name"]
    match = _VERTEX_MODEL.fullmatch(model)
    if match is not None:
        return f"{match['name']}-{match['date']}"
    return model


# --- Bedrock -----------------------------------------------------------------------------------

# First-party error types as Bedrock names them: in HTTP errors (x-amzn-errortype) and stream frames.
_BEDROCK_NAMES: dict[str, str] = {
    "invalid_request_error": "ValidationException",
    "request_too_large": "ValidationException",
    "authentication_error": "UnrecognizedClientException",
    "permission_error": "AccessDeniedException",
    "billing_error": "AccessDeniedException",
    "not_found_error": "ResourceNotFoundException",
    "rate_limit_error": "ThrottlingException",
    "timeout_error": "ModelTimeoutException",
    "overloaded_error": "ServiceUnavailableException",
    "api_error": "InternalServerException",
}
_BEDROCK_STATUS_NAMES: dict[int, str] = {
    400: "ValidationException",
    401: "UnrecognizedClientException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    503: "ServiceUnavailableException",
}
# The statuses of Bedrock Runtime's exceptions (names compared without regard to the first letter's case).
_BEDROCK_STATUS: dict[str, int] = {
    "validationexception": 400,
    "accessdeniedexception": 403,
    "resourcenotfoundexception": 404,
    "modeltimeoutexception": 408,
    "modelerrorexception": 424,
    "modelstreamerrorexception": 424,
    "throttlingexception": 429,
    "internalserverexception": 500,
    "servicequotaexceededexception": 400,
    "serviceunavailableexception": 503,
}
_BEDROCK_MESSAGES: dict[str, str] = {
    "throttlingexception": "Too many requests, please wait before trying again.",
    "modelstreamerrorexception": "The model encountered an error while streaming its response.",
    "validationexception": "The request is not valid.",
    "internalserverexception": "The service encountered an internal error.",
    "serviceunavailableexception": "The service is unavailable. Please try again later.",
    "modeltimeoutexception": "The model took too long to answer.",
}
_ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/"
_AWS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,63}")


def bedrock_exception_name(error_type: str, status: int | None = None, *, stream: bool = False) -> str:
    """The Bedrock name of an error: ``ThrottlingException`` in HTTP errors, ``throttlingException`` in frames.

    First-party error types are translated; other names that look like AWS
    names are kept (only the first letter's case follows the place).
    """
    name = _BEDROCK_NAMES.get(error_type)
    if name is None:
        if _AWS_NAME.fullmatch(error_type):
            name = error_type
        elif status is not None:
            name = _BEDROCK_STATUS_NAMES.get(
                status, "InternalServerException" if status >= 500 else "ValidationException"
            )
        else:
            name = "InternalServerException"
    first = name[0].lower() if stream else name[0].upper()
    return first + name[1:]


_CHUNK_HEADERS = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}
_PADDING = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def chunk_frame(event: dict[str, Any]) -> bytes:
    """One ``chunk`` frame carrying ``event``, padded as Bedrock pads them."""
    raw = dumps(event).encode()
    pad = _PADDING[: 1 + len(raw) * 7 % 40]
    payload = b'{"bytes":"' + base64.b64encode(raw) + b'","p":"' + pad + b'"}'
    return encode_message(_CHUNK_HEADERS, payload)


def exception_frame(kind: str, message: str) -> bytes:
    """One ``exception`` frame: the stream failed with ``kind`` (``throttlingException``, ...)."""
    headers = {":exception-type": kind, ":content-type": "application/json", ":message-type": "exception"}
    return encode_message(headers, dumps({"message": message}).encode())


def _with_metrics(events: Iterable[Event]) -> Iterator[Event]:
    """``events`` with Bedrock's invocation metrics added to ``message_stop``."""
    started = time.monotonic()
    first_byte: float | None = None
    input_tokens = output_tokens = 0
    for name, data in events:
        if first_byte is None:
            first_byte = time.monotonic()
        if name == "message_start":
            usage = data.get("message", {}).get("usage", {})
            input_tokens = int(usage.get("input_tokens") or 0)
            output_tokens = int(usage.get("output_tokens") or 0)
        elif name == "message_delta":
            usage = data.get("usage") or {}
            output_tokens = int(usage.get("output_tokens", output_tokens) or 0)
            input_tokens = int(usage.get("input_tokens", input_tokens) or 0)
        elif name == "message_stop":
            now = time.monotonic()
            data = {
                **data,
                "amazon-bedrock-invocationMetrics": {
                    "inputTokenCount": input_tokens,
                    "outputTokenCount": output_tokens,
                    "invocationLatency": int((now - started) * 1000),
                    "firstByteLatency": int((first_byte - started) * 1000),
                },
            }
        yield name, data


class BedrockSurface(Surface):
    """Bedrock Runtime: SigV4 or a Bedrock API key, AWS error shape, event-stream framing."""

    name = "bedrock"
    stream_content_type = "application/vnd.amazon.eventstream"

    def __init__(self) -> None:
        super().__init__(aws_service="bedrock")

    def authenticate(self, auth: Auth, request: RecordedRequest, query: str) -> Rejected | None:
        if not auth.require_auth:
            return None
        token = auth.bearer(request.headers)
        if token:
            if auth.check_key(token) is not None:
                return Rejected(
                    403,
                    "The security token included in the request is invalid.",
                    "UnrecognizedClientException",
                )
            return None
        problem = auth.check_sigv4(request, query, self.aws_service)
        if problem is not None:
            return Rejected(403, problem.message, problem.kind)
        return None

    def headers(self, request_id: str) -> list[tuple[str, str]]:
        return [("content-type", "application/json"), ("x-amzn-requestid", request_id)]

    def stream_headers(self, request_id: str) -> list[tuple[str, str]]:
        return [
            ("content-type", self.stream_content_type),
            ("x-amzn-requestid", request_id),
            ("x-amzn-bedrock-content-type", "application/json"),
        ]

    def encode_events(self, events: Iterator[Event]) -> Iterator[bytes]:
        for name, data in _with_metrics(events):
            if name == "exception":
                yield exception_frame(data["type"], data["message"])
            else:
                yield chunk_frame(data)

    def error_event(self, error_type: str, message: str | None) -> Event:
        kind = bedrock_exception_name(error_type, stream=True)
        text = message or _BEDROCK_MESSAGES.get(kind.lower(), "The request failed.")
        return "exception", {"type": kind, "message": text}

    def error(self, exc: Rejected, request_id: str, extra: Iterable[tuple[str, str]] = ()) -> Response:
        if exc.error_type == error_type_for(exc.status) and exc.status in _BEDROCK_STATUS_NAMES:
            kind = _BEDROCK_STATUS_NAMES[exc.status]  # no type was named: Bedrock's name for the status
        else:
            kind = bedrock_exception_name(exc.error_type, exc.status)
        message = exc.message
        if message == default_message(exc.error_type):
            message = _BEDROCK_MESSAGES.get(kind.lower(), message)
        headers = [*self.headers(request_id), ("x-amzn-errortype", kind + _ERROR_TYPE_SUFFIX), *extra]
        return Response(exc.status, headers, dumps({"message": message}).encode())

    def status_for(self, error_type: str) -> int:
        status = _BEDROCK_STATUS.get(error_type.lower())
        return status if status is not None else super().status_for(error_type)


BEDROCK = BedrockSurface()


def _check_version(version: object) -> None:
    # The platforms' documented values are bedrock-2023-05-31 and vertex-2023-10-16; clients also send
    # first-party version dates, so any non-empty string is taken.
    if not isinstance(version, str) or not version.strip():
        raise Rejected(400, "anthropic_version: Input should be a non-empty string")


def _bedrock_request(call: Call, stream: bool) -> dict[str, Any]:
    """The first-party form of a Bedrock invoke body (400 for what Bedrock refuses)."""
    body = call.body()
    for key in ("model", "stream"):
        if key in body:
            raise Rejected(
                400,
                f"Malformed input request: #: extraneous key [{key}] is not permitted, "
                "please reformat your input and try again.",
            )
    version = body.get("anthropic_version")
    if version is None:
        raise Rejected(
            400,
            "Malformed input request: #: required key [anthropic_version] not found, "
            "please reformat your input and try again.",
        )
    _check_version(version)
    betas = body.get("anthropic_beta")
    if betas is not None and not (isinstance(betas, list) and all(isinstance(b, str) for b in betas)):
        raise Rejected(400, "anthropic_beta: Input should be a valid list of strings")
    request = {k: v for k, v in body.items() if k not in ("anthropic_version", "anthropic_beta")}
    request["model"] = first_party_model(unquote(call.params["model"]))
    if stream:
        request["stream"] = True
    return request


def _bedrock_invoke(call: Call, stream: bool) -> Response:
    request = _bedrock_request(call, stream)
    validate_messages(request, allow_unknown=call.handler.allow_unknown_params)
    reply = call.take_reply()
    error = call.fault_error(stream)
    if error is not None:
        return error
    return serve_reply(call, reply, request, stream)


def bedrock_invoke(call: Call) -> Response:
    return _bedrock_invoke(call, stream=False)


def bedrock_invoke_stream(call: Call) -> Response:
    return _bedrock_invoke(call, stream=True)


# --- Vertex AI ---------------------------------------------------------------------------------


class _GoogleRejected(Rejected):
    """A refusal by Google's front end (not the model's), written in Google's error shape."""

    def __init__(self, status: int, message: str, google_status: str) -> None:
        super().__init__(status, message)
        self.google_status = google_status


_MISSING_TOKEN = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential."
)
_INVALID_TOKEN = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential."
)


class VertexSurface(Surface):
    """Vertex AI: a Google bearer token, Google's 401 shape; otherwise the first-party API's."""

    name = "vertex"

    def authenticate(self, auth: Auth, request: RecordedRequest, query: str) -> Rejected | None:
        if not auth.require_auth:
            return None
        token = auth.bearer(request.headers)
        if not token:
            return _GoogleRejected(401, _MISSING_TOKEN, "UNAUTHENTICATED")
        if auth.check_key(token) is not None:
            return _GoogleRejected(401, _INVALID_TOKEN, "UNAUTHENTICATED")
        return None

    def error(self, exc: Rejected, request_id: str, extra: Iterable[tuple[str, str]] = ()) -> Response:
        if not isinstance(exc, _GoogleRejected):
            return super().error(exc, request_id, extra)
        body = {"error": {"code": exc.status, "message": exc.message, "status": exc.google_status}}
        headers = [
            ("content-type", "application/json; charset=UTF-8"),
            ("www-authenticate", 'Bearer realm="https://accounts.google.com/"'),
            *extra,
        ]
        return Response(exc.status, headers, dumps(body).encode())


VERTEX = VertexSurface()


def _vertex_body(call: Call) -> dict[str, Any]:
    body = call.body()
    version = body.get("anthropic_version")
    if version is None:
        raise Rejected(400, "anthropic_version: Field required")
    _check_version(version)
    return {k: v for k, v in body.items() if k != "anthropic_version"}


def vertex_predict(call: Call) -> Response:
    request = _vertex_body(call)
    if "model" in request:
        raise Rejected(400, "model: Extra inputs are not permitted (the model is named in the URL)")
    request["model"] = first_party_model(unquote(call.params["model"]))
    validate_messages(request, allow_unknown=call.handler.allow_unknown_params)
    stream = request.get("stream") is True
    reply = call.take_reply()
    error = call.fault_error(stream)
    if error is not None:
        return error
    return serve_reply(call, reply, request, stream)


def vertex_count_tokens(call: Call) -> Response:
    request = _vertex_body(call)
    if isinstance(request.get("model"), str):
        request["model"] = first_party_model(request["model"])
    validate_count_tokens(request, allow_unknown=call.handler.allow_unknown_params)
    return call.json({"input_tokens": estimate_input_tokens(request)})


# --- the tables --------------------------------------------------------------------------------

PREFIXED = Surface(aws_service="bedrock-mantle")

_VERTEX_MODELS = r"/v1/projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/publishers/anthropic/models/"

BEDROCK_ROUTES: tuple[Route, ...] = (
    Route("POST", r"/model/(?P<model>[^/]+)/invoke", bedrock_invoke, BEDROCK),
    Route("POST", r"/model/(?P<model>[^/]+)/invoke-with-response-stream", bedrock_invoke_stream, BEDROCK),
)
VERTEX_ROUTES: tuple[Route, ...] = (
    # Before the model route, which would take "count-tokens" for a model.
    Route("POST", _VERTEX_MODELS + "count-tokens:rawPredict", vertex_count_tokens, VERTEX),
    Route(
        "POST", _VERTEX_MODELS + r"(?P<model>[^/]+):(?:rawPredict|streamRawPredict)", vertex_predict, VERTEX
    ),
)
PREFIXED_ROUTES: tuple[Route, ...] = tuple(
    Route(route.method, "/anthropic" + route.pattern, route.run, PREFIXED) for route in API_ROUTES
)
PLATFORM_ROUTES: tuple[Route, ...] = BEDROCK_ROUTES + VERTEX_ROUTES + PREFIXED_ROUTES
