"""A fast, strict client for the Anthropic Messages API, with an offline emulator.

Public names load on first use: ``import anthropic`` costs almost nothing, and
``from anthropic import Anthropic`` loads the client without the response
types, which load with the first request.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __title__, __version__

if TYPE_CHECKING:
    from httpx2 import Timeout as Timeout

    from . import lib as lib
    from . import resources as resources
    from . import types as types
    from ._batches import BatchResultsIncompleteError as BatchResultsIncompleteError
    from ._batches import BatchResultsValidationError as BatchResultsValidationError
    from ._client import Anthropic as Anthropic
    from ._client import AsyncAnthropic as AsyncAnthropic
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import DefaultAioHttpClient as DefaultAioHttpClient
    from ._client import DefaultAsyncHttpxClient as DefaultAsyncHttpxClient
    from ._client import DefaultHttpxClient as DefaultHttpxClient
    from ._constants import AI_PROMPT as AI_PROMPT
    from ._constants import DEFAULT_CONNECTION_LIMITS as DEFAULT_CONNECTION_LIMITS
    from ._constants import DEFAULT_MAX_RETRIES as DEFAULT_MAX_RETRIES
    from ._constants import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
    from ._constants import HUMAN_PROMPT as HUMAN_PROMPT
    from ._errors import AnthropicError as AnthropicError
    from ._errors import APIConnectionError as APIConnectionError
    from ._errors import APIError as APIError
    from ._errors import APIResponseValidationError as APIResponseValidationError
    from ._errors import APIStatusError as APIStatusError
    from ._errors import APITimeoutError as APITimeoutError
    from ._errors import APIWebhookValidationError as APIWebhookValidationError
    from ._errors import AuthenticationError as AuthenticationError
    from ._errors import BadRequestError as BadRequestError
    from ._errors import BillingError as BillingError
    from ._errors import ClientClosedRequestError as ClientClosedRequestError
    from ._errors import ConflictError as ConflictError
    from ._errors import ContentTooLargeError as ContentTooLargeError
    from ._errors import CredentialsError as CredentialsError
    from ._errors import DeadlineExceededError as DeadlineExceededError
    from ._errors import GatewayTimeoutError as GatewayTimeoutError
    from ._errors import HTTPNotImplementedError as HTTPNotImplementedError
    from ._errors import IdentityTokenFileError as IdentityTokenFileError
    from ._errors import IncompleteStreamError as IncompleteStreamError
    from ._errors import InternalServerError as InternalServerError
    from ._errors import MissingCredentialsError as MissingCredentialsError
    from ._errors import NotFoundError as NotFoundError
    from ._errors import OverloadedError as OverloadedError
    from ._errors import PaymentRequiredError as PaymentRequiredError
    from ._errors import PermissionDeniedError as PermissionDeniedError
    from ._errors import PreconditionFailedError as PreconditionFailedError
    from ._errors import RateLimitError as RateLimitError
    from ._errors import RequestHeaderFieldsTooLargeError as RequestHeaderFieldsTooLargeError
    from ._errors import RequestTimeoutError as RequestTimeoutError
    from ._errors import RequestTooLargeError as RequestTooLargeError
    from ._errors import RetryableError as RetryableError
    from ._errors import ServiceUnavailableError as ServiceUnavailableError
    from ._errors import StructuredOutputError as StructuredOutputError
    from ._errors import ToolInputJSONError as ToolInputJSONError
    from ._errors import UnprocessableEntityError as UnprocessableEntityError
    from ._files import file_from_path as file_from_path
    from ._middleware import AsyncCallNext as AsyncCallNext
    from ._middleware import AsyncMiddlewareCallable as AsyncMiddlewareCallable
    from ._middleware import CallNext as CallNext
    from ._middleware import Middleware as Middleware
    from ._middleware import MiddlewareCallable as MiddlewareCallable
    from ._middleware import MiddlewareInput as MiddlewareInput
    from ._models import BaseModel as BaseModel
    from ._request import APIRequest as APIRequest
    from ._streaming import AsyncStream as AsyncStream
    from ._streaming import Stream as Stream
    from ._types import NOT_GIVEN as NOT_GIVEN
    from ._types import NoneType as NoneType
    from ._types import NotGiven as NotGiven
    from ._types import Omit as Omit
    from ._types import RequestOptions as RequestOptions
    from ._types import not_given as not_given
    from ._types import omit as omit
    from .lib.aws import AnthropicAWS as AnthropicAWS
    from .lib.aws import AsyncAnthropicAWS as AsyncAnthropicAWS
    from .lib.bedrock import AnthropicBedrock as AnthropicBedrock
    from .lib.bedrock import AnthropicBedrockMantle as AnthropicBedrockMantle
    from .lib.bedrock import AsyncAnthropicBedrock as AsyncAnthropicBedrock
    from .lib.bedrock import AsyncAnthropicBedrockMantle as AsyncAnthropicBedrockMantle
    from .lib.foundry import AnthropicFoundry as AnthropicFoundry
    from .lib.foundry import AsyncAnthropicFoundry as AsyncAnthropicFoundry
    from .lib.streaming import AsyncMessageStream as AsyncMessageStream
    from .lib.streaming import AsyncMessageStreamManager as AsyncMessageStreamManager
    from .lib.streaming import BetaAsyncMessageStream as BetaAsyncMessageStream
    from .lib.streaming import BetaAsyncMessageStreamManager as BetaAsyncMessageStreamManager
    from .lib.streaming import BetaMessageStream as BetaMessageStream
    from .lib.streaming import BetaMessageStreamManager as BetaMessageStreamManager
    from .lib.streaming import MessageStream as MessageStream
    from .lib.streaming import MessageStreamManager as MessageStreamManager
    from .lib.tools import beta_async_tool as beta_async_tool
    from .lib.tools import beta_tool as beta_tool
    from .lib.vertex import AnthropicVertex as AnthropicVertex
    from .lib.vertex import AsyncAnthropicVertex as AsyncAnthropicVertex

_LAZY: dict[str, str] = {
    "BatchResultsIncompleteError": "._batches",
    "BatchResultsValidationError": "._batches",
    "Anthropic": "._client",
    "AsyncAnthropic": "._client",
    "Client": "._client",
    "AsyncClient": "._client",
    "DefaultHttpxClient": "._client",
    "DefaultAsyncHttpxClient": "._client",
    "DefaultAioHttpClient": "._client",
    "file_from_path": "._files",
    "APIRequest": "._request",
    "Middleware": "._middleware",
    "MiddlewareInput": "._middleware",
    "MiddlewareCallable": "._middleware",
    "AsyncMiddlewareCallable": "._middleware",
    "CallNext": "._middleware",
    "AsyncCallNext": "._middleware",
    "transform_schema": ".lib._parse",
    "AI_PROMPT": "._constants",
    "HUMAN_PROMPT": "._constants",
    "DEFAULT_TIMEOUT": "._constants",
    "DEFAULT_MAX_RETRIES": "._constants",
    "DEFAULT_CONNECTION_LIMITS": "._constants",
    "BaseModel": "._models",
    "Stream": "._streaming",
    "AsyncStream": "._streaming",
    "NOT_GIVEN": "._types",
    "NoneType": "._types",
    "NotGiven": "._types",
    "Omit": "._types",
    "RequestOptions": "._types",
    "not_given": "._types",
    "omit": "._types",
    "MessageStream": ".lib.streaming",
    "AsyncMessageStream": ".lib.streaming",
    "MessageStreamManager": ".lib.streaming",
    "AsyncMessageStreamManager": ".lib.streaming",
    "BetaMessageStream": ".lib.streaming",
    "BetaAsyncMessageStream": ".lib.streaming",
    "BetaMessageStreamManager": ".lib.streaming",
    "BetaAsyncMessageStreamManager": ".lib.streaming",
}
_LAZY.update(
    {
        "AnthropicBedrock": ".lib.bedrock",
        "AsyncAnthropicBedrock": ".lib.bedrock",
        "AnthropicBedrockMantle": ".lib.bedrock",
        "AsyncAnthropicBedrockMantle": ".lib.bedrock",
        "AnthropicVertex": ".lib.vertex",
        "AsyncAnthropicVertex": ".lib.vertex",
        "AnthropicFoundry": ".lib.foundry",
        "AsyncAnthropicFoundry": ".lib.foundry",
        "AnthropicAWS": ".lib.aws",
        "AsyncAnthropicAWS": ".lib.aws",
        "beta_tool": ".lib.tools",
        "beta_async_tool": ".lib.tools",
    }
)
_ERRORS = (
    "AnthropicError",
    "APIError",
    "APIStatusError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
    "IncompleteStreamError",
    "MissingCredentialsError",
    "StructuredOutputError",
    "ToolInputJSONError",
    "BadRequestError",
    "AuthenticationError",
    "BillingError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RequestTooLargeError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "ServiceUnavailableError",
    "DeadlineExceededError",
    "OverloadedError",
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
    # classes chosen by the error body's error_code (anthropic._errors.ERROR_CODE_CLASSES)
    "ClaudeCodeKeyCreatorNotMemberError",
    "ClaudeCodeVersionTooOldError",
    "CMEKKeyDisabledError",
    "CMEKKeyNetworkBlockedError",
    "OrganizationOnHoldError",
    "OrganizationTypeNotSupportedError",
    "ParentOrganizationRequiredError",
    "RequestBodyEncodingInvalidError",
    "RequestBodyEncodingUnsupportedError",
    "WorkspaceHumanReviewDisabledError",
    "LinkedOrganizationBillingUnavailableError",
    "LinkedOrganizationSpendLimitReachedError",
    "SandboxEgressRestrictedError",
    "RequestBodyTooLargeAfterDecodingError",
    "ContractSpendLimitReachedError",
    "EnforcedSpendLimitReachedError",
    "RampLimitExceededError",
    "CMEKContextUnavailableError",
    "CMEKKeyUnreachableError",
)
_LAZY.update(dict.fromkeys(_ERRORS, "._errors"))
_SUBMODULES = frozenset({"types", "lib", "resources", "emulator"})

__all__ = ["Timeout", "__title__", "__version__", "types", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
    elif name == "Timeout":
        from httpx2 import Timeout as value
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'anthropic' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})
