"""Google bearer tokens for Vertex AI: a fixed token, given credentials, or Application Default Credentials.

:class:`GoogleAuth` gives the ``Authorization: Bearer`` header of each
request:

* ``access_token`` given: that token, as is, forever (no SDK needed);
* ``credentials`` given (a ``google.auth.credentials.Credentials``): its
  token, refreshed first when it has none or it has expired;
* neither: Application Default Credentials with the ``cloud-platform`` scope,
  loaded at the first request (``google.auth.default``), then as above.  The
  project they belong to becomes the project of the requests when none was
  given.

Loading and refreshing go to the network (token endpoints, the metadata
server), so they happen under a lock, once at a time, and an async client runs
them in a worker thread (``aauth_headers``).  Failures of google-auth are
raised as :class:`GoogleAuthError` with google-auth's reason; a configuration
that needs google-auth when it is not installed fails when the platform is
built, with :class:`~anthropic.lib._platform.MissingDependencyError`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from ..._errors import AnthropicError
from .._platform import require_sdk

__all__ = ["CLOUD_PLATFORM_SCOPE", "GoogleAuth", "GoogleAuthError"]

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"


class GoogleAuthError(AnthropicError):
    """Google credentials could not be loaded or refreshed."""


class GoogleAuth:
    """The bearer token of each Vertex request."""

    __slots__ = ("_lock", "_project", "access_token", "credentials", "extra")

    def __init__(
        self, *, access_token: str | None = None, credentials: Any = None, extra: str = "vertex"
    ) -> None:
        self.access_token = access_token
        self.credentials = credentials
        self.extra = extra
        self._lock = threading.Lock()
        self._project: str | None = None
        if access_token is None:
            require_sdk(
                "google.auth.transport.requests",
                library="google-auth",
                extra=extra,
                needed_for="Authenticating with Google credentials (no `access_token` was given)",
            )

    @property
    def static(self) -> bool:
        """True when :meth:`token` never does I/O."""
        return self.access_token is not None

    @property
    def loaded_project(self) -> str | None:
        """The project of the Application Default Credentials, once loaded."""
        return self._project

    def load(self) -> None:
        """Load Application Default Credentials now if none were given (blocking, once)."""
        if self.access_token is not None or self.credentials is not None:
            return
        with self._lock:
            if self.credentials is None:
                self._load_default()

    def token(self) -> str:
        """A valid access token (blocking when credentials must be loaded or refreshed)."""
        if self.access_token is not None:
            return self.access_token
        with self._lock:
            if self.credentials is None:
                self._load_default()
            creds = self.credentials
            if getattr(creds, "expired", False) or not getattr(creds, "token", None):
                self._refresh(creds)
            token = getattr(creds, "token", None)
        if not isinstance(token, str) or not token:
            raise GoogleAuthError("The Google credentials gave no access token after a refresh")
        return token

    def _load_default(self) -> None:
        google_auth = require_sdk(
            "google.auth", library="google-auth", extra=self.extra, needed_for="Loading Google credentials"
        )
        try:
            credentials, project = google_auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
        except Exception as exc:  # google.auth.exceptions.DefaultCredentialsError and friends
            raise GoogleAuthError(
                f"Could not load Google Application Default Credentials ({exc}); pass `access_token` or "
                f"`credentials`, or set up ADC (`gcloud auth application-default login`, "
                f"GOOGLE_APPLICATION_CREDENTIALS)"
            ) from exc
        self.credentials = credentials
        if isinstance(project, str) and project:
            self._project = project

    def _refresh(self, creds: Any) -> None:
        transport = require_sdk(
            "google.auth.transport.requests",
            library="google-auth",
            extra=self.extra,
            needed_for="Refreshing Google credentials",
        )
        try:
            creds.refresh(transport.Request())
        except Exception as exc:  # google.auth.exceptions.RefreshError, transport errors
            raise GoogleAuthError(f"Could not refresh the Google access token: {exc}") from exc

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        if self.access_token is not None:
            return {"Authorization": f"Bearer {self.access_token}"}
        import anyio.to_thread

        token = await anyio.to_thread.run_sync(self.token)
        return {"Authorization": f"Bearer {token}"}

    def __repr__(self) -> str:
        kind = (
            "access_token"
            if self.access_token is not None
            else ("credentials" if self.credentials else "ADC")
        )
        return f"<GoogleAuth {kind}>"
