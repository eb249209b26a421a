"""Small wire-level helpers shared by the emulator's modules: ids, error bodies, JSON."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

__all__ = [
    "ERROR_TYPES",
    "Rejected",
    "derived_id",
    "dumps",
    "error_body",
    "clip",
    "error_type_for",
    "new_request_id",
]

ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    408: "timeout_error",
    409: "invalid_request_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}

DEFAULT_MESSAGES: dict[str, str] = {
    "invalid_request_error": "Invalid request",
    "authentication_error": "invalid x-api-key",
    "billing_error": "Your credit balance is too low to access the Anthropic API.",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "Not found",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "rate_limit_error": "Number of requests has exceeded your rate limit.",
    "api_error": "Internal server error",
    "timeout_error": "Request timed out",
    "overloaded_error": "Overloaded",
}

STATUS_FOR_TYPE: dict[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class Rejected(Exception):
    """A request the emulator refuses, answered with the API's error shape.

    Raised by validation and routing; the handler turns it into the response.
    Named apart from the client's ``APIError``: this one is a server-side reply.
    """

    def __init__(self, status: int, message: str | None = None, error_type: str | None = None) -> None:
        self.status = status
        self.error_type = error_type or error_type_for(status)
        self.message = message or default_message(self.error_type)
        super().__init__(self.message)


def error_type_for(status: int) -> str:
    if status in ERROR_TYPES:
        return ERROR_TYPES[status]
    return "api_error" if status >= 500 else "invalid_request_error"


def default_message(error_type: str) -> str:
    return DEFAULT_MESSAGES.get(error_type, error_type.replace("_", " ").capitalize())


def error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": request_id}


def _base62(data: bytes, length: int) -> str:
    n = int.from_bytes(data, "big")
    out = []
    for _ in range(length):
        n, r = divmod(n, 62)
        out.append(_ALPHABET[r])
    return "".join(out)


def new_request_id() -> str:
    return "req_" + _base62(os.urandom(18), 24)


def derived_id(prefix: str, seed: bytes, *parts: object) -> str:
    """A stable id such as ``msg_...`` or ``toolu_...`` derived from ``seed``."""
    h = hashlib.sha256(seed)
    for part in parts:
        h.update(b"\0" + str(part).encode())
    return prefix + _base62(h.digest(), 24)


def clip(value: object, limit: int = 40, *, quote: bool = True) -> str:
    """A short form of a value a client sent, for error messages (never the whole input).

    At most ``limit`` characters of it, quoted as Python quotes strings (or
    unquoted), with anything unprintable (a lone surrogate, a control
    character) escaped.
    """
    text = value if isinstance(value, str) else repr(value)
    cut = len(text) > limit
    shown = repr(text[:limit])
    if not quote:
        shown = shown[1:-1]
    return shown + ("..." if cut else "")


def dumps(obj: Any) -> str:
    """Compact JSON as the API writes it (UTF-8 text, not ``\\u`` escapes)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
