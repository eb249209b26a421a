"""The Google credential helpers at the official client's path ``anthropic.lib.vertex._auth``.

Both are blocking (they may reach Google's token endpoints or the metadata
server) and are built on :class:`~anthropic.lib.vertex._google.GoogleAuth`,
which the Vertex clients use for every request:

* :func:`load_auth` loads Application Default Credentials and the project
  (the argument, else the credentials' own);
* :func:`refresh_auth` refreshes credentials in place.

Without google-auth both raise
:class:`~anthropic.lib._platform.MissingDependencyError` naming
``anthropic[vertex]``; a failure of google-auth itself is a
:class:`~anthropic.lib.vertex._google.GoogleAuthError`.
"""

from __future__ import annotations

from typing import Any

from .._platform import PlatformConfigError
from ._google import GoogleAuth

__all__ = ["load_auth", "refresh_auth"]


def load_auth(*, project_id: str | None) -> tuple[Any, str]:
    """Application Default Credentials and the project to use: ``project_id``, else theirs."""
    auth = GoogleAuth(extra="vertex")
    auth.load()
    project = project_id or auth.loaded_project
    if not project:
        raise PlatformConfigError(
            "Could not resolve project_id: pass `project_id` or use credentials that name a project"
        )
    return auth.credentials, project


def refresh_auth(credentials: Any) -> None:
    """Refresh ``credentials`` (a ``google.auth.credentials.Credentials``) in place."""
    GoogleAuth(credentials=credentials, extra="vertex")._refresh(credentials)
