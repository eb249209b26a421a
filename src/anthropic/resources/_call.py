"""One call to a Messages resource, without I/O, and the flavours a resource is parameterised by.

A :class:`Flavour` is everything that tells ``client.messages`` from
``client.beta.messages``: the keyword arguments of each method, the query the
beta endpoint takes, the type table of the replies.  A new flavour is one more
:class:`Flavour` value; the resource classes of each colour
(:mod:`anthropic._async.messages`, and its generated sync twin) take it as a
parameter.

:class:`Call` checks one call's arguments and turns them into the request
(through the client's :class:`~anthropic._http.Platform`) and the machinery
to read its reply.
"""

from __future__ import annotations

import inspect
import sys
import types
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._errors import AnthropicError, APIResponseValidationError, StructuredOutputError
from .._http import Platform, PreparedRequest
from .._types import NOT_GIVEN, omit
from ..lib._parse import OutputFormat, resolve_output_format

if TYPE_CHECKING:
    import httpx2

    from .._options import FinalRequestOptions, ResultBuilder
    from ..lib.streaming._accumulator import MessageAccumulator, TypeTable

__all__ = ["BETA", "PLAIN", "Call", "Flavour", "with_signature"]

_HEADER_PARAMS = {"user_profile_id": "anthropic-user-profile-id", "workspace_id": "anthropic-workspace-id"}
"""Arguments sent as headers rather than in the body."""

_REQUEST_OPTION_DEFAULTS: dict[str, Any] = {
    "extra_headers": None,
    "extra_query": None,
    "extra_body": None,
    "timeout": NOT_GIVEN,
    "stream_deadline": NOT_GIVEN,
}


@dataclass(frozen=True)
class Flavour:
    """What a Messages resource of one flavour sends and builds."""

    name: str
    """The resource's path on the client (``messages``, ``beta.messages``)."""
    beta: bool
    specs: Mapping[str, type] = field(repr=False)
    """The ``TypedDict`` of each method's keyword arguments (``create``, ``stream``, ``parse``, ``count_tokens``;
    ``tool_runner`` for the beta flavour only)."""
    query: Mapping[str, str] = field(default_factory=dict)

    def table(self) -> TypeTable:
        from ..lib.streaming._tables import beta_table, plain_table

        return beta_table() if self.beta else plain_table()

    @property
    def message_class(self) -> type[Any]:
        """The class of a whole reply (``Message`` / ``BetaMessage``): the ``cast_to`` of ``create``."""
        return self.table().plain_message

    @property
    def parsed(self) -> type[Any]:
        """The class ``parse`` answers with (``ParsedMessage`` / ``ParsedBetaMessage``)."""
        return self.table().parsed_message

    @property
    def tokens_count_class(self) -> type[Any]:
        """The class ``count_tokens`` answers with."""
        if self.beta:
            from ..types.beta import BetaMessageTokensCount

            return BetaMessageTokensCount
        from ..types import MessageTokensCount

        return MessageTokensCount

    def tokens_count(self, data: Any) -> Any:
        if self.beta:
            from ..types.beta import BetaMessageTokensCount

            return BetaMessageTokensCount.model_validate(data)
        from ..types import MessageTokensCount

        return MessageTokensCount.model_validate(data)


def _flavours() -> tuple[Flavour, Flavour]:
    from . import _params as p

    plain = Flavour(
        "messages",
        False,
        {
            "create": p.MessageCreateKwargs,
            "stream": p.MessageStreamKwargs,
            "parse": p.MessageStreamKwargs,
            "count_tokens": p.MessageCountTokensKwargs,
        },
    )
    beta = Flavour(
        "beta.messages",
        True,
        {
            "create": p.BetaMessageCreateKwargs,
            "stream": p.BetaMessageStreamKwargs,
            "parse": p.BetaMessageStreamKwargs,
            "count_tokens": p.BetaMessageCountTokensKwargs,
            "tool_runner": p.BetaToolRunnerKwargs,
        },
        {"beta": "true"},
    )
    return plain, beta


PLAIN, BETA = _flavours()


_SIGNATURES: dict[type, inspect.Signature] = {}


def signature_of(spec: type) -> inspect.Signature:
    """The keyword-only signature a method with the arguments of ``spec`` shows to ``inspect``."""
    cached = _SIGNATURES.get(spec)
    if cached is not None:
        return cached
    from typing_extensions import NotRequired, Required

    wrappers = (Required, NotRequired)
    required: frozenset[str] = spec.__required_keys__  # type: ignore[attr-defined]
    annotations: dict[str, Any] = {}
    for klass in reversed(spec.__mro__):
        for name, ann in getattr(klass, "__annotations__", {}).items():
            annotations[name] = ann.__args__[0] if getattr(ann, "__origin__", None) in wrappers else ann
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    body = sorted(name for name in annotations if name not in _REQUEST_OPTION_DEFAULTS)
    params += [inspect.Parameter(n, kw, annotation=annotations[n]) for n in body if n in required]
    params += [inspect.Parameter(n, kw, default=omit, annotation=annotations[n]) for n in body if n not in required]
    params += [
        inspect.Parameter(n, kw, default=d, annotation=annotations.get(n, Any)) for n, d in _REQUEST_OPTION_DEFAULTS.items()
    ]
    signature = _SIGNATURES[spec] = inspect.Signature(params, __validate_parameters__=False)
    return signature


def with_signature(func: Callable[..., Any], name: str, spec: type, owner: type) -> Callable[..., Any]:
    """A copy of ``func`` (a coroutine function stays one) named ``name`` whose signature is ``spec``'s."""
    assert isinstance(func, types.FunctionType)
    copy = types.FunctionType(func.__code__, func.__globals__, name, func.__defaults__, func.__closure__)
    copy.__kwdefaults__ = func.__kwdefaults__
    copy.__doc__ = func.__doc__
    copy.__qualname__ = f"{owner.__qualname__}.{name}"
    copy.__module__ = owner.__module__
    copy.__signature__ = signature_of(spec)  # type: ignore[attr-defined]
    return copy


DEPRECATED_MODELS: dict[str, str] = {
    "claude-mythos-preview": "June 30th, 2026",
    "claude-opus-4-5": "January 22nd, 2027",
    "claude-opus-4-5-20251101": "January 22nd, 2027",
}
"""Models past their deprecation date, with their end of life: a request for one warns."""

MODELS_TO_WARN_WITH_THINKING_ENABLED = frozenset({"claude-opus-4-6", "claude-mythos-preview"})
"""Models for which ``thinking={"type": "enabled"}`` is deprecated in favour of ``"adaptive"``."""


def _caller_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning point at the first frame outside this package."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("anthropic."):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn_about_model(params: Mapping[str, Any]) -> None:
    """The warnings the official client gives for a deprecated model or a deprecated thinking mode."""
    model = params.get("model")
    if not isinstance(model, str):
        return
    if model in DEPRECATED_MODELS:
        warnings.warn(
            f"The model '{model}' is deprecated and will reach end-of-life on {DEPRECATED_MODELS[model]}.\n"
            "Please migrate to a newer model. Visit "
            "https://docs.anthropic.com/en/docs/resources/model-deprecations for more information.",
            DeprecationWarning,
            stacklevel=_caller_stacklevel(),
        )
    thinking = params.get("thinking")
    if (
        model in MODELS_TO_WARN_WITH_THINKING_ENABLED
        and isinstance(thinking, Mapping)
        and thinking.get("type") == "enabled"
    ):
        warnings.warn(
            f"Using Claude with {model} and 'thinking.type=enabled' is deprecated. Use "
            "'thinking.type=adaptive' instead which results in better model performance in our testing: "
            "https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )


def reject_two_output_formats(params: Mapping[str, Any]) -> None:
    """``output_format`` (deprecated) and ``output_config.format`` together in a request body are an error."""
    config = params.get("output_config")
    if params.get("output_format") is not None and isinstance(config, Mapping) and config.get("format") is not None:
        raise AnthropicError(
            "Both output_format and output_config.format were provided. "
            "Please use only output_config.format (output_format is deprecated)."
        )


class Call:
    """One call's arguments, checked and turned into a request and the machinery to read it."""

    def __init__(self, platform: Platform, flavour: Flavour, method: str, params: Mapping[str, Any]) -> None:
        from ._params import check_kwargs, split_kwargs

        check_kwargs(f"{flavour.name}.{method}", params, flavour.specs[method])
        if method != "count_tokens":
            warn_about_model(params)
        self.platform = platform
        self.flavour = flavour
        self.method = method
        body, self.options = split_kwargs(params)
        self.betas: list[str] = list(body.pop("betas", None) or ())
        self.headers: dict[str, str] = {}
        for key, header in _HEADER_PARAMS.items():
            value = body.pop(key, None)
            if value is not None:
                self.headers[header] = str(value)
        reject_two_output_formats(body)
        raw_format = body.pop("output_format", None)
        self.output_format: OutputFormat | None = None
        if raw_format is not None:
            config = body.get("output_config")
            self.output_format = resolve_output_format(raw_format)
            if flavour.beta:
                body["output_format"] = self.output_format.wire
            else:
                merged = dict(config or {})
                merged["format"] = self.output_format.wire
                body["output_config"] = merged
        self.body = body
        self.table: TypeTable = flavour.table()

    def prepare(self, path: str, *, stream: bool | None = None) -> PreparedRequest:
        body, options = self._request_parts(stream)
        return self.platform.prepare_request("POST", path, body=body, options=options)

    def request_options(
        self, path: str, build: ResultBuilder, *, stream: bool | None = None, response_kind: str | None = None
    ) -> FinalRequestOptions:
        """The call as the :class:`FinalRequestOptions` a client's ``request`` takes; ``build`` makes its result.

        ``response_kind`` (``"raw"``, ``"stream"``) asks for the reply itself, as ``with_raw_response`` does.
        """
        from .._options import FinalRequestOptions

        body, options = self._request_parts(stream)
        made = FinalRequestOptions.for_call("POST", path, body=body, options=options)
        made.answer_with(build, response_kind)
        return made

    def _request_parts(self, stream: bool | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """The body and the per-call options (headers with the betas merged, query) of this call."""
        body = dict(self.body)
        if stream is not None:
            body["stream"] = stream
        headers: dict[str, Any] = {**self.headers, **(self.options.get("extra_headers") or {})}
        if self.betas:
            existing = [v for k, v in headers.items() if k.lower() == "anthropic-beta" and isinstance(v, str)]
            for key in [k for k in headers if k.lower() == "anthropic-beta"]:
                del headers[key]
            names: list[str] = []
            for name in [*self.betas, *(p.strip() for v in existing for p in v.split(","))]:
                if name and name not in names:
                    names.append(name)
            headers["anthropic-beta"] = ",".join(names)
        query = {**self.flavour.query, **(self.options.get("extra_query") or {})}
        return body, {**self.options, "extra_headers": headers, "extra_query": query}

    def accumulator(self, *, derived: bool = True) -> MessageAccumulator:
        from ..lib.streaming._accumulator import MessageAccumulator

        fmt = self.output_format
        fine_grained = any("fine-grained-tool-streaming" in b for b in self.betas)
        return MessageAccumulator(
            self.table,
            derived=derived,
            parse_output=fmt.parse if fmt is not None and derived else None,
            trailing_string_tool_input=fine_grained,
        )

    def message(self, response: httpx2.Response, data: Any) -> Any:
        """The ``Message`` of a non-streamed reply: a ``ParsedMessage`` from ``parse()``, with or without a format.

        With an output format each text block's ``parsed_output`` is its text
        validated; ``parse()`` without one leaves it ``None``, as the official client does.
        """
        import pydantic

        fmt = self.output_format
        try:
            if fmt is None and self.method != "parse":
                return self.table.plain_message.model_validate(data)
            content = []
            for block in data.get("content") or ():
                if fmt is not None and isinstance(block, dict) and block.get("type") == "text":
                    block = {**block, "parsed_output": fmt.parse(block.get("text", ""))}
                content.append(block)
            return self.table.parsed_message.model_validate({**data, "content": content})
        except StructuredOutputError as exc:
            exc.request_id = response.headers.get("request-id")
            raise
        except (pydantic.ValidationError, AttributeError, TypeError) as exc:
            raise APIResponseValidationError(response, data, message=f"The response is not a Message: {exc}")
