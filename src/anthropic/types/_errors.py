"""The body of an API error: ``{"type": "error", "error": {"type": ..., "message": ...}, "request_id": ...}``.

Also the shape of a stream's ``error`` event.  An error ``type`` this version
does not know validates as :class:`UnknownObject` (``type`` and ``message``
still readable as attributes).
"""

from typing import TYPE_CHECKING, Optional, Union

from typing_extensions import Literal, TypeAlias

from .._models import BaseModel
from ._union import UnknownObject, tagged_union

__all__ = [
    "ErrorType",
    "InvalidRequestErrorObject",
    "AuthenticationErrorObject",
    "BillingErrorObject",
    "PermissionErrorObject",
    "NotFoundErrorObject",
    "RateLimitErrorObject",
    "GatewayTimeoutErrorObject",
    "APIErrorObject",
    "OverloadedErrorObject",
    "ErrorObject",
    "ErrorResponse",
    "InvalidRequestError",
    "AuthenticationError",
    "BillingError",
    "PermissionError",
    "NotFoundError",
    "RateLimitError",
    "GatewayTimeoutError",
    "OverloadedError",
]

ErrorType: TypeAlias = Literal[
    "invalid_request_error",
    "authentication_error",
    "billing_error",
    "permission_error",
    "not_found_error",
    "rate_limit_error",
    "timeout_error",
    "api_error",
    "overloaded_error",
]
if not TYPE_CHECKING:
    ErrorType = Union[ErrorType, str]


class InvalidRequestErrorObject(BaseModel):
    message: str
    type: Literal["invalid_request_error"]


class AuthenticationErrorObject(BaseModel):
    message: str
    type: Literal["authentication_error"]


class BillingErrorObject(BaseModel):
    message: str
    type: Literal["billing_error"]


class PermissionErrorObject(BaseModel):
    message: str
    type: Literal["permission_error"]


class NotFoundErrorObject(BaseModel):
    message: str
    type: Literal["not_found_error"]


class RateLimitErrorObject(BaseModel):
    message: str
    type: Literal["rate_limit_error"]


class GatewayTimeoutErrorObject(BaseModel):
    message: str
    type: Literal["timeout_error"]


class APIErrorObject(BaseModel):
    message: str
    type: Literal["api_error"]


class OverloadedErrorObject(BaseModel):
    message: str
    type: Literal["overloaded_error"]


ErrorObject: TypeAlias = Union[
    InvalidRequestErrorObject,
    AuthenticationErrorObject,
    BillingErrorObject,
    PermissionErrorObject,
    NotFoundErrorObject,
    RateLimitErrorObject,
    GatewayTimeoutErrorObject,
    APIErrorObject,
    OverloadedErrorObject,
]
if not TYPE_CHECKING:
    ErrorObject = tagged_union(ErrorObject, UnknownObject)


class ErrorResponse(BaseModel):
    error: ErrorObject
    request_id: Optional[str] = None
    type: Literal["error"]


# The names the official client gives these shapes too.
InvalidRequestError = InvalidRequestErrorObject
AuthenticationError = AuthenticationErrorObject
BillingError = BillingErrorObject
PermissionError = PermissionErrorObject
NotFoundError = NotFoundErrorObject
RateLimitError = RateLimitErrorObject
GatewayTimeoutError = GatewayTimeoutErrorObject
OverloadedError = OverloadedErrorObject
