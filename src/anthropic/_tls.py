"""A TLS context that reads the trust store when the first TLS connection needs it.

``httpx2`` builds its ``ssl.SSLContext`` when a client is constructed, and
building one reads the system's CA certificates (tens of milliseconds of CPU).
A client that only ever speaks plain HTTP (the built-in emulator, a local
proxy, a test server) never needs it.  :class:`DeferredSSLContext` stands in
for the context in the pools this library makes: the first time the
connection layer touches it (``set_alpn_protocols`` and ``wrap_socket`` /
``wrap_bio`` when a TLS connection opens), it builds the context exactly as
``httpx2`` would have (``httpx2.create_ssl_context``, same ``trust_env``) and
forwards every attribute read and write to it from then on.

Only pools made by this library get it, and only when the caller did not pass
``verify=``: a context a caller builds is theirs and is used as given.
"""

from __future__ import annotations

import ssl
import threading
from typing import Any

__all__ = ["DeferredSSLContext"]


class DeferredSSLContext:
    """``httpx2``'s default ``ssl.SSLContext``, built on first use (see the module docstring)."""

    __slots__ = ("_context", "_lock", "_trust_env")
    _trust_env: bool
    _lock: threading.Lock
    _context: ssl.SSLContext | None

    def __init__(self, *, trust_env: bool = True) -> None:
        object.__setattr__(self, "_trust_env", trust_env)
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_context", None)

    @property
    def built(self) -> bool:
        """Whether the real context exists yet (the trust store has been read)."""
        return self._context is not None

    def context(self) -> ssl.SSLContext:
        """The real context: built once, however many connections open at the same time."""
        context = self._context
        if context is None:
            with self._lock:
                context = self._context
                if context is None:
                    import httpx2

                    context = httpx2.create_ssl_context(verify=True, trust_env=self._trust_env)
                    object.__setattr__(self, "_context", context)
        return context

    def __getattr__(self, name: str) -> Any:
        # Reached for names that are not slots: what ``ssl.SSLContext`` has.  Private and
        # special names are not forwarded (copy and pickle probe those; neither applies).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.context(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.context(), name, value)

    def __repr__(self) -> str:
        state = "built" if self._context is not None else "not built yet"
        return f"<DeferredSSLContext ({state})>"
