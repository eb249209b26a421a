"""The exceptions this library raises.

Every failure a caller can meet ends in a subclass of :class:`AnthropicError`;
no raw ``httpx2``, ``json`` or ``pydantic`` exception escapes a request or a
stream.  Errors tied to a request carry its ``request_id`` (the response's
``request-id`` header) when the server sent one, and stream errors carry the
part of the message that had arrived as ``partial_message``.

    AnthropicError
    ├── MissingCredentialsError      (also a TypeError) no api_key / auth_token anywhere
    ├── StructuredOutputError        (also a ValueError) reply text does not fit output_format
    └── APIError                     .message .request .body .request_id .partial_message
        ├── APIStatusError           .status_code .response   (4xx/5xx, or an `error` event)
        │   ├── BadRequestError            400 invalid_request_error
        │   ├── AuthenticationError        401 authentication_error
        │   ├── BillingError               402 billing_error
        │   ├── PermissionDeniedError      403 permission_error
        │   ├── NotFoundError              404 not_found_error
        │   ├── ConflictError              409
        │   ├── RequestTooLargeError       413 request_too_large
        │   ├── UnprocessableEntityError   422
        │   ├── RateLimitError             429 rate_limit_error
        │   └── InternalServerError        >= 500, api_error
        │       ├── ServiceUnavailableError    503
        │       ├── DeadlineExceededError      504 timeout_error
        │       └── OverloadedError            529 overloaded_error
        ├── APIConnectionError       transport failure: refused, reset, dropped mid-stream
        │   ├── APITimeoutError      connect/read/write/pool timeout
        │   └── IncompleteStreamError  the body ended before `message_stop`
        └── APIResponseValidationError  the server sent bytes that are not the protocol
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx2

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AnthropicError",
    "AuthenticationError",
    "BadRequestError",
    "BillingError",
    "ConflictError",
    "DeadlineExceededError",
    "IncompleteStreamError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "OverloadedError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "ServiceUnavailableError",
    "StructuredOutputError",
    "UnprocessableEntityError",
]


class AnthropicError(Exception):
    """Base of every exception this library raises on purpose."""


class MissingCredentialsError(AnthropicError, TypeError):
    """Neither an API key nor an auth token was configured."""


class APIError(AnthropicError):
    """A request failed: the server said no, the transport broke, or the reply was unusable."""

    message: str
    request: httpx2.Request | None
    body: object | None
    """The decoded error body when the server sent JSON, else the raw text, else ``None``."""
    request_id: str | None
    """The ``request-id`` the server gave this request, when known."""
    partial_message: Any
    """For failures during a stream: the message accumulated before the failure, else ``None``."""

    def __init__(
        self,
        message: str,
        request: httpx2.Request | None,
        *,
        body: object | None = None,
        request_id: str | None = None,
        partial_message: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body
        self.request_id = request_id
        self.partial_message = partial_message

    def __str__(self) -> str:
        if self.request_id and self.request_id not in self.message:
            return f"{self.message} (request id: {self.request_id})"
        return self.message


class APIStatusError(APIError):
    """The API answered with an error: a 4xx/5xx status, or an ``error`` event in a stream.

    For an ``error`` event inside a 200 stream, ``status_code`` is the status that
    error type carries on its own (529 for ``overloaded_error``), and
    ``response.status_code`` stays 200.
    """

    response: httpx2.Response
    status_code: int

    def __init__(
        self,
        message: str,
        *,
        response: httpx2.Response,
        body: object | None,
        status_code: int | None = None,
        partial_message: Any = None,
    ) -> None:
        super().__init__(
            message,
            response.request,
            body=body,
            request_id=response.headers.get("request-id"),
            partial_message=partial_message,
        )
        self.response = response
        self.status_code = response.status_code if status_code is None else status_code

    @property
    def error_type(self) -> str | None:
        """The API's error type (``overloaded_error``, ...), when the body named one."""
        if isinstance(self.body, dict):
            err = self.body.get("error")
            if isinstance(err, dict):
                kind = err.get("type")
                if isinstance(kind, str):
                    return kind
        return None


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class BillingError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class RequestTooLargeError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


class ServiceUnavailableError(InternalServerError):
    pass


class DeadlineExceededError(InternalServerError):
    pass


class OverloadedError(InternalServerError):
    pass


class APIConnectionError(APIError):
    """The request or the stream failed below HTTP: refused, reset, or dropped."""

    def __init__(
        self,
        *,
        message: str = "Connection error.",
        request: httpx2.Request | None,
        request_id: str | None = None,
        partial_message: Any = None,
    ) -> None:
        super().__init__(message, request, body=None, request_id=request_id, partial_message=partial_message)


class APITimeoutError(APIConnectionError):
    """No answer, or no further bytes of a stream, within the configured timeout."""

    def __init__(
        self,
        request: httpx2.Request | None,
        *,
        message: str = "Request timed out.",
        request_id: str | None = None,
        partial_message: Any = None,
    ) -> None:
        super().__init__(message=message, request=request, request_id=request_id, partial_message=partial_message)


class IncompleteStreamError(APIConnectionError):
    """The stream's body ended cleanly but before ``message_stop``: the answer is truncated.

    ``partial_message`` holds what had arrived; it is not a complete answer.
    """


class APIResponseValidationError(APIError):
    """The server sent something that is not the Messages API protocol (bad JSON, bad order)."""

    response: httpx2.Response
    status_code: int

    def __init__(
        self,
        response: httpx2.Response,
        body: object | None,
        *,
        message: str | None = None,
        partial_message: Any = None,
    ) -> None:
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            response.request,
            body=body,
            request_id=response.headers.get("request-id"),
            partial_message=partial_message,
        )
        self.response = response
        self.status_code = response.status_code


class StructuredOutputError(AnthropicError, ValueError):
    """The reply's text does not validate against the requested ``output_format``.

    ``text`` is the raw reply text, kept whole; ``errors`` lists pydantic's
    complaints (each naming the field); ``validation_error`` is the original.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str,
        validation_error: ValidationError | ValueError | None = None,
        request_id: str | None = None,
        partial_message: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.validation_error = validation_error
        self.request_id = request_id
        self.partial_message = partial_message

    @property
    def errors(self) -> list[dict[str, Any]]:
        err = self.validation_error
        if err is not None and hasattr(err, "errors"):
            return list(err.errors())
        return []


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: BillingError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: RequestTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
    504: DeadlineExceededError,
    529: OverloadedError,
}

ERROR_TYPE_STATUS: dict[str, int] = {
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
    # Bedrock's stream exceptions, which arrive as `error` events named by their AWS type
    # (anthropic.lib.bedrock._events.EXCEPTION_STATUS).
    "validationException": 400,
    "modelTimeoutException": 408,
    "throttlingException": 429,
    "internalServerException": 500,
    "modelStreamErrorException": 500,
    "serviceUnavailableException": 503,
}


def status_error_class(status: int) -> type[APIStatusError]:
    cls = _STATUS_CLASSES.get(status)
    if cls is not None:
        return cls
    if status >= 500:
        return InternalServerError
    return APIStatusError


def make_status_error(
    response: httpx2.Response,
    body: object | None,
    *,
    status_code: int | None = None,
    partial_message: Any = None,
) -> APIStatusError:
    """The exception for an error reply, chosen by status (``status_code`` overrides the response's)."""
    status = response.status_code if status_code is None else status_code
    cls = status_error_class(status)
    detail: object = body
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and err.get("message") is not None:
            detail = body
    message = f"Error code: {status} - {detail}" if detail not in (None, "") else f"Error code: {status}"
    return cls(message, response=response, body=body, status_code=status, partial_message=partial_message)


def error_event_exception(response: httpx2.Response, body: object, *, partial_message: Any = None) -> APIStatusError:
    """The exception for an ``error`` event that arrived inside a 200 stream."""
    err_type = None
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            err_type = err.get("type")
    status = ERROR_TYPE_STATUS.get(err_type, 500) if isinstance(err_type, str) else 500
    return make_status_error(response, body, status_code=status, partial_message=partial_message)
