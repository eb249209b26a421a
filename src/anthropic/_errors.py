"""The exceptions this library raises.

Every failure a caller can meet ends in a subclass of :class:`AnthropicError`;
no raw ``httpx2``, ``json`` or ``pydantic`` exception escapes a request or a
stream.  Errors tied to a request carry its ``request_id`` (the response's
``request-id`` header) when the server sent one, and stream errors carry the
part of the message that had arrived as ``partial_message``.

    AnthropicError
    ├── MissingCredentialsError      (also a TypeError) no api_key / auth_token anywhere
    ├── StructuredOutputError        (also a ValueError) reply text does not fit output_format
    ├── RetryableError               raise it to have an attempt retried
    ├── CredentialsError             credentials could not be loaded
    │   └── IdentityTokenFileError
    └── APIError                     .message .request .body .request_id .partial_message
        ├── APIStatusError           .status_code .response .type .error_code (4xx/5xx, or an `error` event)
        │   ├── BadRequestError            400 invalid_request_error
        │   ├── AuthenticationError        401 authentication_error
        │   ├── PaymentRequiredError       402 billing_error       (alias BillingError)
        │   ├── PermissionDeniedError      403 permission_error
        │   ├── NotFoundError              404 not_found_error
        │   ├── RequestTimeoutError        408
        │   ├── ConflictError              409
        │   ├── PreconditionFailedError    412
        │   ├── ContentTooLargeError       413 request_too_large   (alias RequestTooLargeError)
        │   ├── UnprocessableEntityError   422
        │   ├── RateLimitError             429 rate_limit_error
        │   ├── RequestHeaderFieldsTooLargeError  431
        │   ├── ClientClosedRequestError   499
        │   └── InternalServerError        >= 500, api_error
        │       ├── HTTPNotImplementedError    501
        │       ├── ServiceUnavailableError    503
        │       ├── GatewayTimeoutError        504 timeout_error  (alias DeadlineExceededError)
        │       └── OverloadedError            529 overloaded_error
        ├── APIConnectionError       transport failure: refused, reset, dropped mid-stream
        │   ├── APITimeoutError      connect/read/write/pool timeout, or a stream's deadline
        │   └── IncompleteStreamError  the body ended before `message_stop`
        ├── APIResponseValidationError  the server sent bytes that are not the protocol
        │   └── ToolInputJSONError  (also ValueError) a streamed tool input is not JSON
        └── APIWebhookValidationError

Some status classes have subclasses chosen by the body's
``error.details.error_code`` (``CMEKKeyDisabledError`` is a 400 with code
``cmek_key_disabled``); :data:`ERROR_CODE_CLASSES` lists them.  Every class
here shows ``anthropic`` as its module, where users import it from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx2

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "ERROR_CODE_CLASSES",
    "APIWebhookValidationError",
    "ClientClosedRequestError",
    "ContentTooLargeError",
    "CredentialsError",
    "GatewayTimeoutError",
    "HTTPNotImplementedError",
    "IdentityTokenFileError",
    "PaymentRequiredError",
    "PreconditionFailedError",
    "RequestHeaderFieldsTooLargeError",
    "RequestTimeoutError",
    "RetryableError",
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
    "ToolInputJSONError",
    "UnprocessableEntityError",
]


class AnthropicError(Exception):
    """Base of every exception this library raises on purpose."""


class MissingCredentialsError(AnthropicError, TypeError):
    """Neither an API key nor an auth token was configured."""


class RetryableError(AnthropicError):
    """Raised (by a transport or hook) to ask for the attempt to be retried while retries remain."""


class CredentialsError(AnthropicError):
    """Credentials could not be loaded from a file, a configuration or the environment."""


class IdentityTokenFileError(CredentialsError):
    """An identity token file is missing, empty or unreadable; ``path`` names it when known."""

    def __init__(self, message: str, *, path: Any = None) -> None:
        super().__init__(message)
        self.path = path


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

    def _error_field(self, *path: str) -> Any:
        value: Any = self.body
        for key in ("error", *path):
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value

    @property
    def type(self) -> str | None:
        """The API's error type (``overloaded_error``, ...): ``error.type`` of the body, when named."""
        kind = self._error_field("type")
        return kind if isinstance(kind, str) else None

    error_type = type

    @property
    def api_message(self) -> str | None:
        """``error.message`` of the body: for people, not for matching on."""
        message = self._error_field("message")
        return message if isinstance(message, str) else None

    @property
    def error_code(self) -> str | None:
        """``error.details.error_code`` of the body: a stable name of the cause, when given."""
        code = self._error_field("details", "error_code")
        return code if isinstance(code, str) else None

    @property
    def details(self) -> Any:
        """``error.details`` of the body, as sent."""
        return self._error_field("details")

    @property
    def workspace_id(self) -> str | None:
        value: str | None = self.response.headers.get("anthropic-workspace-id")
        return value


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401."""


class PaymentRequiredError(APIStatusError):
    """402: billing."""


BillingError = PaymentRequiredError


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class RequestTimeoutError(APIStatusError):
    """408."""


class ConflictError(APIStatusError):
    """409."""


class PreconditionFailedError(APIStatusError):
    """412."""


class ContentTooLargeError(APIStatusError):
    """413: the request is too large."""


RequestTooLargeError = ContentTooLargeError


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429."""


class RequestHeaderFieldsTooLargeError(APIStatusError):
    """431."""


class ClientClosedRequestError(APIStatusError):
    """499."""


class InternalServerError(APIStatusError):
    """Any 5xx without a class of its own."""


class HTTPNotImplementedError(InternalServerError):
    """501."""


class ServiceUnavailableError(InternalServerError):
    """503."""


class GatewayTimeoutError(InternalServerError):
    """504: the request took too long."""


DeadlineExceededError = GatewayTimeoutError


class OverloadedError(InternalServerError):
    """529: the API is overloaded."""


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


class ToolInputJSONError(APIResponseValidationError, ValueError):
    """A streamed tool call's input is not valid JSON at its block's end.

    Also a ``ValueError``, which is what the official client raises for it, with
    the same first sentence; ``body`` is the JSON text as it arrived.
    """


class APIWebhookValidationError(APIError):
    """A webhook's payload or signature did not validate."""


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
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    412: PreconditionFailedError,
    413: ContentTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    431: RequestHeaderFieldsTooLargeError,
    499: ClientClosedRequestError,
    501: HTTPNotImplementedError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
    529: OverloadedError,
}

# The (status, error.details.error_code) pairs that have a class of their own.
_CODES: tuple[tuple[str, type[APIStatusError], str], ...] = (
    ("ClaudeCodeKeyCreatorNotMemberError", BadRequestError, "claude_code_key_creator_not_member"),
    ("ClaudeCodeVersionTooOldError", BadRequestError, "claude_code_version_too_old"),
    ("CMEKKeyDisabledError", BadRequestError, "cmek_key_disabled"),
    ("CMEKKeyNetworkBlockedError", BadRequestError, "cmek_key_network_blocked"),
    ("OrganizationOnHoldError", BadRequestError, "organization_on_hold"),
    ("OrganizationTypeNotSupportedError", BadRequestError, "organization_type_not_supported"),
    ("ParentOrganizationRequiredError", BadRequestError, "parent_organization_required"),
    ("RequestBodyEncodingInvalidError", BadRequestError, "request_body_encoding_invalid"),
    ("RequestBodyEncodingUnsupportedError", BadRequestError, "request_body_encoding_unsupported"),
    ("WorkspaceHumanReviewDisabledError", BadRequestError, "workspace_human_review_disabled"),
    ("LinkedOrganizationBillingUnavailableError", PaymentRequiredError, "linked_organization_billing_unavailable"),
    ("LinkedOrganizationSpendLimitReachedError", PaymentRequiredError, "linked_organization_spend_limit_reached"),
    ("SandboxEgressRestrictedError", PermissionDeniedError, "sandbox_egress_restricted"),
    ("RequestBodyTooLargeAfterDecodingError", ContentTooLargeError, "request_body_too_large_after_decoding"),
    ("ContractSpendLimitReachedError", RateLimitError, "contract_spend_limit_reached"),
    ("EnforcedSpendLimitReachedError", RateLimitError, "enforced_spend_limit_reached"),
    ("RampLimitExceededError", RateLimitError, "ramp_limit_exceeded"),
    ("CMEKContextUnavailableError", ServiceUnavailableError, "cmek_context_unavailable"),
    ("CMEKKeyUnreachableError", ServiceUnavailableError, "cmek_key_unreachable"),
)
_STATUS_OF = {cls: status for status, cls in _STATUS_CLASSES.items()}
ERROR_CODE_CLASSES: dict[tuple[int, str], type[APIStatusError]] = {
    (_STATUS_OF[base], code): type(name, (base,), {"__doc__": f"{base.__name__} with error_code {code!r}."})
    for name, base, code in _CODES
}
"""The classes chosen by ``(status, error.details.error_code)``, each a subclass of its status's class."""
ERROR_CODE_NAMES = frozenset(name for name, _, _ in _CODES)

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


def status_error_class(status: int, body: object = None) -> type[APIStatusError]:
    """The class for an error reply: by status and, where one has its own class, the body's error code."""
    if isinstance(body, dict):
        err = body.get("error")
        details = err.get("details") if isinstance(err, dict) else None
        code = details.get("error_code") if isinstance(details, dict) else None
        if isinstance(code, str):
            by_code = ERROR_CODE_CLASSES.get((status, code))
            if by_code is not None:
                return by_code
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
    cls = status_error_class(status, body)
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


def __getattr__(name: str) -> Any:
    for cls in ERROR_CODE_CLASSES.values():
        if cls.__name__ == name:
            return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


for _cls in [*(v for v in list(globals().values()) if isinstance(v, type) and issubclass(v, AnthropicError)),
             *ERROR_CODE_CLASSES.values()]:
    _cls.__module__ = "anthropic"
