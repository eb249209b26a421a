"""What every platform description is made of: requests, errors, SDK loading, environment.

A *platform description* (Bedrock, Vertex AI, Foundry, AWS, Bedrock Mantle)
is the whole difference between a platform client and the first-party one:

* where requests go (``base_url``) and which default headers it sends;
* :meth:`Platform.prepare`: the rewrite of one API request (path, JSON body,
  headers) into the platform's form, or an :class:`UnsupportedEndpointError`;
* :meth:`Platform.auth_headers` / :meth:`Platform.aauth_headers`: the
  headers that authenticate the final request (a signature over its bytes, a
  bearer token, an API key);
* :meth:`Platform.new_decoder`: how a streamed body's bytes become Messages
  API event dicts.

See ``docs/platforms.md`` for how a client uses one.  Nothing here does I/O
or imports a cloud SDK: :func:`require_sdk` imports one when a configuration
needs it and turns its absence into :class:`MissingDependencyError`, which
names the extra to install.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

from ..._errors import AnthropicError

__all__ = [
    "EventDecoder",
    "MissingDependencyError",
    "Platform",
    "PlatformConfigError",
    "PlatformRequest",
    "StaticAuth",
    "UnsupportedEndpointError",
    "env",
    "header_value",
    "require_sdk",
    "split_path",
    "without_header",
]


class MissingDependencyError(AnthropicError, ImportError):
    """A cloud SDK that this configuration needs is not installed; the message names the extra."""

    def __init__(self, *, library: str, extra: str, needed_for: str) -> None:
        super().__init__(
            f"{needed_for} needs the `{library}` package, which is not installed. "
            f"Install it with: pip install 'anthropic[{extra}]'"
        )
        self.library = library
        self.extra = extra


class PlatformConfigError(AnthropicError, ValueError):
    """A platform client's arguments and environment do not make a usable configuration."""


class UnsupportedEndpointError(AnthropicError):
    """The platform does not offer this API endpoint (Bedrock has no Batch API, ...)."""


def require_sdk(module: str, *, library: str, extra: str, needed_for: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingDependencyError` naming ``extra``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(library=library, extra=extra, needed_for=needed_for) from exc


def env(*names: str) -> str | None:
    """The value of the first of ``names`` that is set (an empty value counts as set)."""
    for name in names:
        value = os.environ.get(name)
        if value is not None:
            return value
    return None


@dataclass(frozen=True)
class PlatformRequest:
    """One API request as the first-party client would send it, before the platform rewrite.

    ``path`` is relative to the base URL and may carry a query
    (``/v1/messages?beta=true``); ``body`` is the JSON body (``None`` for
    none); ``headers`` are this request's own headers (``anthropic-beta``,
    ``extra_headers``, ...), not the client's defaults.
    """

    method: str
    path: str
    body: dict[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def with_(self, **changes: Any) -> PlatformRequest:
        return replace(self, **changes)


@runtime_checkable
class EventDecoder(Protocol):
    """Bytes of a streamed body in, Messages API event dicts out (no I/O)."""

    def feed(self, data: bytes) -> list[dict[str, Any]]: ...

    def end(self) -> None: ...


class Platform(Protocol):
    """What a client needs from a platform description."""

    name: str
    base_url: str
    default_headers: Mapping[str, str]
    """Headers every request carries (``anthropic-workspace-id``, ...), besides auth."""
    sends_version_header: bool
    """Whether requests carry the first-party ``anthropic-version`` header."""
    stream_format: str
    """``"sse"`` or ``"aws-eventstream"``: the framing of streamed bodies."""
    @property
    def needs_load(self) -> bool:
        """True while :meth:`load` has work to do (Vertex without a project: Google ADC)."""
        ...

    def load(self) -> None:
        """Blocking, idempotent: load lazily-found credentials; async clients call it in a worker thread."""
        ...

    def prepare(self, request: PlatformRequest) -> PlatformRequest: ...

    def auth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]: ...

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]: ...

    def new_decoder(self) -> EventDecoder | None: ...


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header ``name`` (any case) in ``headers``, or ``None``."""
    lname = name.lower()
    for key, value in headers.items():
        if key.lower() == lname:
            return value
    return None


def without_header(headers: Mapping[str, str], name: str) -> dict[str, str]:
    """``headers`` without header ``name`` (any case)."""
    lname = name.lower()
    return {key: value for key, value in headers.items() if key.lower() != lname}


def split_path(path: str) -> tuple[str, str]:
    """``path`` cut into the path proper and its query (without ``?``)."""
    bare, _, query = path.partition("?")
    return bare, query


class StaticAuth:
    """Fixed auth headers (an API key, a bearer token): no I/O, never blocks."""

    __slots__ = ("headers",)

    def __init__(self, headers: Mapping[str, str]) -> None:
        self.headers = dict(headers)

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return dict(self.headers)

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        return dict(self.headers)

    def __repr__(self) -> str:
        return f"<StaticAuth {sorted(self.headers)}>"
