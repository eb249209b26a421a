"""The first-party API's routes: Messages, token counting and models, as handler routes.

Each route function takes a :class:`~._handler.Call` and returns a
:class:`~._handler.Response`; :data:`API_ROUTES` is the table the emulator
serves by default.  Other surfaces (platform envelopes, batches) add their own
tables next to this one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ._events import Event, message_events, with_error_event
from ._generate import Draft, draft_from_content, generate
from ._handler import Call, Response, Route
from ._models import get_model, list_page
from ._replies import ErrorReply, JSONReply, MessageReply, Reply, SSEReply
from ._tokens import estimate_input_tokens
from ._validate import validate_count_tokens, validate_messages
from ._wire import Rejected, dumps

__all__ = ["API_ROUTES", "serve_reply"]

MESSAGES_PATH = "/v1/messages"


def _pieces(body: bytes, size: int | None) -> Iterator[bytes]:
    if size is None:
        yield body
        return
    for i in range(0, len(body), size):
        yield body[i : i + size]


def _override(headers: list[tuple[str, str]], custom: Mapping[str, str]) -> list[tuple[str, str]]:
    names = {k.lower() for k in custom}
    return [(k, v) for k, v in headers if k.lower() not in names] + list(custom.items())


def messages(call: Call) -> Response:
    body = call.body()
    validate_messages(body, beta=call.beta, allow_unknown=call.handler.allow_unknown_params)
    stream = body.get("stream") is True
    reply = call.take_reply()
    error = call.fault_error(stream)
    if error is not None:
        return error
    return serve_reply(call, reply, body, stream)


def serve_reply(call: Call, reply: Reply | None, body: dict[str, object], stream: bool) -> Response:
    """The 2xx (or scripted) response: a generated or scripted message, or a scripted body.

    ``body`` is the request as the first-party API has it (a platform route
    has already moved ``model`` back in); the route's surface writes the
    headers, the stream framing and errors.
    """
    fault, request_id, surface = call.fault, call.request_id, call.surface
    extra = fault.retry_headers() if fault is not None else []
    if reply is None or isinstance(reply, MessageReply):
        draft = generate(body) if reply is None else _scripted_draft(reply, body)
        if not stream:
            message = draft.message()
            if reply is not None:
                message.update(reply.extra)
            return Response(200, surface.headers(request_id) + extra, dumps(message).encode())
        events: Iterator[Event] = message_events(draft)
        if fault is not None and fault.error_event is not None:
            error = surface.error_event(fault.error_event, fault.message)
            events = with_error_event(events, error, fault.error_event_after or 0)
        return Response(200, surface.stream_headers(request_id) + extra, pieces=surface.encode_events(events))
    if isinstance(reply, SSEReply):
        headers = _override(surface.stream_headers(request_id) + extra, reply.headers)
        return Response(
            reply.status, headers, pieces=_pieces(reply.body, reply.chunk_size), gap=reply.chunk_delay
        )
    plain = surface.headers(request_id) + extra
    if isinstance(reply, ErrorReply):
        scripted = surface.error(
            Rejected(reply.status, reply.error_message, reply.error_type), request_id, extra
        )
        return Response(reply.status, _override(scripted.headers, reply.headers), scripted.body)
    if isinstance(reply, JSONReply):
        return Response(reply.status, _override(plain, reply.headers), reply.body)
    raise TypeError(f"unknown reply type {type(reply).__name__}")


def _scripted_draft(reply: MessageReply, request: dict[str, object]) -> Draft:
    return draft_from_content(
        request,
        [dict(b) for b in reply.content],
        stop_reason=reply.stop_reason,
        stop_sequence=reply.stop_sequence,
        usage=dict(reply.usage) if reply.usage is not None else None,
        model=reply.model,
        message_id=reply.id,
    )


def count_tokens(call: Call) -> Response:
    body = call.body()
    validate_count_tokens(body, beta=call.beta, allow_unknown=call.handler.allow_unknown_params)
    return call.json({"input_tokens": estimate_input_tokens(body)})


def list_models(call: Call) -> Response:
    return call.json(list_page(call.request.query))


def retrieve_model(call: Call) -> Response:
    return call.json(get_model(call.params["model_id"]))


API_ROUTES: tuple[Route, ...] = (
    Route("POST", MESSAGES_PATH, messages),
    Route("POST", MESSAGES_PATH + "/count_tokens", count_tokens),
    Route("GET", "/v1/models", list_models),
    Route("GET", r"/v1/models/(?P<model_id>[^/]+)", retrieve_model),
)
