"""SigV4 as a platform's auth step: credentials from their source, then :func:`sign_request`.

``auth_headers`` signs the final request (method, URL, headers as sent,
body bytes) and returns the headers to set.  The ``connection`` header is
never signed (a proxy may drop it).  ``aauth_headers`` is the same; when the
credentials come from a boto3 session (which may refresh over the network)
it reads them in a worker thread.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping

from ._credentials import AWSCredentialSource
from ._sigv4 import sign_request

__all__ = ["SigV4Auth"]


class SigV4Auth:
    """Signs each request for ``service`` in ``region`` with credentials from ``source``."""

    __slots__ = ("_clock", "region", "service", "source")

    def __init__(
        self,
        source: AWSCredentialSource,
        *,
        region: str,
        service: str,
        clock: Callable[[], _dt.datetime] | None = None,
    ) -> None:
        self.source = source
        self.region = region
        self.service = service
        self._clock = clock

    def auth_headers(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        return sign_request(
            method=method,
            url=url,
            headers=headers,
            body=body,
            credentials=self.source.get(),
            region=self.region,
            service=self.service,
            when=self._clock() if self._clock is not None else None,
        )

    async def aauth_headers(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        if self.source.static:
            return self.auth_headers(method, url, headers, body)
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.auth_headers, method, url, headers, body)

    def __repr__(self) -> str:
        return f"<SigV4Auth service={self.service!r} region={self.region!r} credentials={self.source!r}>"
