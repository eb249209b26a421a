"""The Vertex AI platform description: configuration, request rewrite and Google auth.

:func:`vertex_platform` takes exactly the arguments of ``AnthropicVertex``
(see the package docstring) and returns a :class:`VertexPlatform`, or raises a
typed error naming what is missing.  Streams are SSE, as first-party.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .._platform import (
    PlatformConfigError,
    PlatformRequest,
    UnsupportedEndpointError,
    env,
    header_value,
    split_path,
)
from ._google import GoogleAuth

__all__ = ["VERTEX_ANTHROPIC_VERSION", "VertexPlatform", "vertex_base_url", "vertex_platform"]

VERTEX_ANTHROPIC_VERSION = "vertex-2023-10-16"
_MESSAGES_PATHS = frozenset({"/v1/messages", "/v1/messages?beta=true"})
_COUNT_TOKENS_PATHS = frozenset({"/v1/messages/count_tokens", "/v1/messages/count_tokens?beta=true"})
_DOT_SEGMENT = re.compile(r"^(?:\.|%2[eE]){1,2}$")
_NO_PROJECT = (
    "No project_id was given and it could not be resolved from credentials: pass `project_id` or set "
    "ANTHROPIC_VERTEX_PROJECT_ID"
)


def vertex_base_url(region: str) -> str:
    """The default base URL for ``region`` (``global``, the ``us`` / ``eu`` multi-regions, or one region)."""
    if region == "global":
        return "https://aiplatform.googleapis.com/v1"
    if region == "us":
        return "https://aiplatform.us.rep.googleapis.com/v1"
    if region == "eu":
        return "https://aiplatform.eu.rep.googleapis.com/v1"
    return f"https://{region}-aiplatform.googleapis.com/v1"


def _segment(name: str, value: object) -> str:
    text = str(value)
    if text == "":
        raise PlatformConfigError(f"Expected a non-empty value for `{name}` but received {value!r}")
    quoted = quote(text, safe="!$&'()*+,;=:@")
    if _DOT_SEGMENT.match(quoted.partition(";")[0]):
        raise PlatformConfigError(f"The {name} {value!r} cannot be a path segment of the Vertex URL")
    if quoted.startswith(";"):
        raise PlatformConfigError(f"The {name} {value!r} cannot start with ';' in the Vertex URL")
    return quoted


class VertexPlatform:
    """Where Vertex requests go, how they are rewritten and authenticated."""

    name = "vertex"
    sends_version_header = False
    stream_format = "sse"
    default_headers: Mapping[str, str] = {}

    def __init__(self, *, base_url: str, region: str, project_id: str | None, auth: GoogleAuth) -> None:
        self.base_url = base_url
        self.region = region
        self._project_id = project_id
        self.auth = auth

    @property
    def project_id(self) -> str | None:
        """The project given, else the one of the Application Default Credentials once loaded."""
        return self._project_id if self._project_id is not None else self.auth.loaded_project

    @property
    def needs_load(self) -> bool:
        """True until credentials that may name the project have been loaded (see :meth:`load`)."""
        return self._project_id is None and not self.auth.static and self.auth.credentials is None

    def load(self) -> None:
        """Load Application Default Credentials (blocking; an async client runs it in a thread)."""
        self.auth.load()

    def prepare(self, request: PlatformRequest) -> PlatformRequest:
        """The request in Vertex's form; see the package docstring."""
        path = request.path
        body = request.body
        if isinstance(body, dict):
            body = dict(body)
            body.setdefault("anthropic_version", VERTEX_ANTHROPIC_VERSION)
        post = request.method.lower() == "post"
        if path in _MESSAGES_PATHS and post:
            if not isinstance(body, dict):
                raise PlatformConfigError("A Vertex messages request needs a JSON object body")
            project = self._project()
            model = body.pop("model", None)
            specifier = "streamRawPredict" if body.get("stream", False) else "rawPredict"
            model_segment = _segment("model", model).replace(";", "%3B")
            path = (
                f"/projects/{_segment('project_id', project)}/locations/{_segment('region', self.region)}"
                f"/publishers/anthropic/models/{model_segment}:{specifier}"
            )
        elif path in _COUNT_TOKENS_PATHS and post:
            project = self._project()
            path = (
                f"/projects/{_segment('project_id', project)}/locations/{_segment('region', self.region)}"
                f"/publishers/anthropic/models/count-tokens:rawPredict"
            )
        bare, _ = split_path(path)
        if bare.startswith("/v1/messages/batches"):
            raise UnsupportedEndpointError("The Batch API is not supported in the Vertex client yet")
        return PlatformRequest(request.method, path, body, request.headers)

    def _project(self) -> str:
        project = self.project_id
        if project is None:
            raise PlatformConfigError(_NO_PROJECT)
        return project

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        if header_value(headers, "authorization"):
            return {}  # the caller authenticated this request itself
        return self.auth.auth_headers(method, url, headers, body)

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        if header_value(headers, "authorization"):
            return {}
        return await self.auth.aauth_headers(method, url, headers, body)

    def new_decoder(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"<VertexPlatform base_url={self.base_url!r} region={self.region!r} project_id={self.project_id!r}>"


def vertex_platform(
    *,
    region: str | None = None,
    project_id: str | None = None,
    access_token: str | None = None,
    credentials: Any = None,
    base_url: Any = None,
) -> VertexPlatform:
    """The platform for these ``AnthropicVertex`` arguments (``None`` = not given) and the environment."""
    if region is None:
        region = env("CLOUD_ML_REGION")
    if region is None:
        raise PlatformConfigError("No region was given: pass `region` or set CLOUD_ML_REGION")
    if region == "":
        raise PlatformConfigError(f"Expected a non-empty value for `region` but received {region!r}")
    if base_url is None:
        base_url = env("ANTHROPIC_VERTEX_BASE_URL")
    if base_url is None:
        base_url = vertex_base_url(region)
    if project_id is None:
        project_id = env("ANTHROPIC_VERTEX_PROJECT_ID") or None
    auth = GoogleAuth(access_token=access_token, credentials=credentials, extra="vertex")
    return VertexPlatform(base_url=str(base_url), region=region, project_id=project_id, auth=auth)
