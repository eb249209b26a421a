"""The keyword arguments of the ``messages`` methods, as ``TypedDict``s.

Methods take ``**params: Unpack[...]`` of these, so type checkers and editors
see every argument with its type, while the request body is built from one
place.  At run time unknown names raise ``TypeError`` (a typo is never sent
silently) and missing required ones are named before any I/O.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Union

import httpx2
from typing_extensions import Required, TypedDict

from .._types import NotGiven, Omit

if TYPE_CHECKING:
    # Quoted below: the request types load when a type checker reads them, not with the first request.
    from ..types import (
        MessageParam,
        MetadataParam,
        ModelParam,
        TextBlockParam,
        ThinkingConfigParam,
        ToolChoiceParam,
        ToolUnionParam,
    )

__all__ = [
    "BetaMessageBaseKwargs",
    "BetaMessageCountTokensKwargs",
    "BetaMessageCreateKwargs",
    "BetaExtraKwargs",
    "BetaMessageStreamKwargs",
    "BetaToolRunnerBaseKwargs",
    "BetaToolRunnerKwargs",
    "MessageBaseKwargs",
    "MessageCountTokensKwargs",
    "MessageCreateKwargs",
    "MessageStreamKwargs",
    "RequestKwargs",
    "check_kwargs",
    "split_kwargs",
]


class RequestKwargs(TypedDict, total=False):
    """Per-request options every method takes."""

    extra_headers: Mapping[str, Union[str, Omit]] | None
    """Headers added to (or, with ``omit``, removed from) this request."""
    extra_query: Mapping[str, object] | None
    """Query parameters added to this request."""
    extra_body: Mapping[str, object] | None
    """Body fields merged into this request's JSON, sent unchanged."""
    timeout: float | httpx2.Timeout | NotGiven | None
    """This request's timeout, overriding the client's."""
    stream_deadline: float | NotGiven | None
    """Seconds a streamed answer may take in all, overriding the client's (``None``: no limit)."""


class MessageBaseKwargs(RequestKwargs, total=False):
    max_tokens: Required[int]
    messages: Required["Iterable[MessageParam]"]
    model: Required["ModelParam"]
    metadata: "MetadataParam | NotGiven"
    service_tier: Literal["auto", "standard_only"] | NotGiven
    stop_sequences: list[str] | NotGiven
    system: "str | Iterable[TextBlockParam] | NotGiven"
    temperature: float | NotGiven
    thinking: "ThinkingConfigParam | NotGiven"
    tool_choice: "ToolChoiceParam | NotGiven"
    tools: "Iterable[ToolUnionParam] | NotGiven"
    top_k: int | NotGiven
    top_p: float | NotGiven
    output_config: Mapping[str, Any] | NotGiven
    container: str | Mapping[str, Any] | NotGiven | None
    inference_geo: str | NotGiven | None
    cache_control: Mapping[str, Any] | NotGiven | None
    diagnostics: Mapping[str, Any] | NotGiven | None
    speed: Literal["standard", "fast"] | NotGiven | None
    user_profile_id: str | NotGiven
    """Sent as the ``anthropic-user-profile-id`` header."""
    workspace_id: str | NotGiven
    """Sent as the ``anthropic-workspace-id`` header."""


class MessageCreateKwargs(MessageBaseKwargs, total=False):
    stream: bool | NotGiven


class MessageStreamKwargs(MessageBaseKwargs, total=False):
    output_format: Any
    """A Pydantic model class (or any type ``pydantic.TypeAdapter`` takes) or a JSON schema."""


class MessageCountTokensKwargs(RequestKwargs, total=False):
    messages: Required["Iterable[MessageParam]"]
    model: Required["ModelParam"]
    system: "str | Iterable[TextBlockParam] | NotGiven"
    thinking: "ThinkingConfigParam | NotGiven"
    tool_choice: "ToolChoiceParam | NotGiven"
    tools: "Iterable[ToolUnionParam] | NotGiven"
    output_config: Mapping[str, Any] | NotGiven
    output_format: Any
    cache_control: Mapping[str, Any] | NotGiven | None
    speed: Literal["standard", "fast"] | NotGiven | None
    user_profile_id: str | NotGiven
    workspace_id: str | NotGiven


class BetaExtraKwargs(TypedDict, total=False):
    betas: list[str] | NotGiven
    """Beta features to enable, sent as the ``anthropic-beta`` header."""
    context_management: Mapping[str, Any] | NotGiven | None
    mcp_servers: Iterable[Mapping[str, Any]] | NotGiven
    billing_policy: Mapping[str, Any] | NotGiven | None
    compaction: Mapping[str, Any] | NotGiven | None
    fallbacks: Iterable[Mapping[str, Any]] | NotGiven | None
    fallback_credit_token: str | NotGiven | None
    thread: Mapping[str, Any] | NotGiven | None


class BetaMessageCreateKwargs(MessageCreateKwargs, BetaExtraKwargs, total=False):
    output_format: Any


class BetaMessageBaseKwargs(MessageBaseKwargs, BetaExtraKwargs, total=False):
    pass


class BetaMessageStreamKwargs(MessageStreamKwargs, BetaExtraKwargs, total=False):
    pass


class BetaMessageCountTokensKwargs(MessageCountTokensKwargs, BetaExtraKwargs, total=False):
    pass


class BetaToolRunnerBaseKwargs(RequestKwargs, total=False):
    """``beta.messages.tool_runner``: the request fields of ``stream``/``parse`` (but ``compaction``), and the loop's."""

    max_tokens: Required[int]
    messages: Required["Iterable[MessageParam]"]
    model: Required["ModelParam"]
    tools: Required[Iterable[Any]]
    """Function tools (``@beta_tool``; ``@beta_async_tool`` on ``AsyncAnthropic``) and ``tools[]`` entries."""
    max_iterations: int | NotGiven
    """How many replies the loop asks for at most (no limit by default)."""
    run_tools_eagerly: bool | NotGiven
    thread: Literal[False] | NotGiven | None
    """Only ``False`` (or nothing): every request of the loop carries the whole history."""
    metadata: "MetadataParam | NotGiven"
    service_tier: Literal["auto", "standard_only"] | NotGiven
    stop_sequences: list[str] | NotGiven
    system: "str | Iterable[TextBlockParam] | NotGiven"
    temperature: float | NotGiven
    thinking: "ThinkingConfigParam | NotGiven"
    tool_choice: "ToolChoiceParam | NotGiven"
    top_k: int | NotGiven
    top_p: float | NotGiven
    output_config: Mapping[str, Any] | NotGiven
    container: str | Mapping[str, Any] | NotGiven | None
    inference_geo: str | NotGiven | None
    cache_control: Mapping[str, Any] | NotGiven | None
    diagnostics: Mapping[str, Any] | NotGiven | None
    speed: Literal["standard", "fast"] | NotGiven | None
    user_profile_id: str | NotGiven
    workspace_id: str | NotGiven
    betas: list[str] | NotGiven
    context_management: Mapping[str, Any] | NotGiven | None
    mcp_servers: Iterable[Mapping[str, Any]] | NotGiven
    billing_policy: Mapping[str, Any] | NotGiven | None
    fallbacks: Iterable[Mapping[str, Any]] | NotGiven | None
    fallback_credit_token: str | NotGiven | None


class BetaToolRunnerKwargs(BetaToolRunnerBaseKwargs, total=False):
    stream: bool | NotGiven
    """Yield each reply's message stream instead of the message."""
    output_format: Any
    """A Pydantic model class (or any type ``pydantic.TypeAdapter`` takes) or a JSON schema."""


_REQUEST_KEYS = frozenset(RequestKwargs.__annotations__)


def check_kwargs(method: str, params: Mapping[str, Any], spec: type) -> None:
    """Raise ``TypeError`` naming unknown or missing arguments of ``method``."""
    known: frozenset[str] = spec.__required_keys__ | spec.__optional_keys__  # type: ignore[attr-defined]
    unknown = [k for k in params if k not in known]
    if unknown:
        raise TypeError(
            f"{method}() got unexpected keyword argument(s): {', '.join(sorted(unknown))}. "
            "Pass fields the API accepts that this version does not know through extra_body={...}."
        )
    required: frozenset[str] = spec.__required_keys__  # type: ignore[attr-defined]
    missing = [k for k in sorted(required) if k not in params or isinstance(params[k], NotGiven)]
    if missing:
        raise TypeError(f"{method}() missing required keyword argument(s): {', '.join(missing)}")


def split_kwargs(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(body fields that were given, request options)."""
    body: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, value in params.items():
        if key in _REQUEST_KEYS:
            options[key] = value
        elif not isinstance(value, (NotGiven, Omit)):
            body[key] = value
    return body, options
