"""Sending a prepared request with retries (asynchronous; the sync twin is generated).

:class:`AsyncSender` is what resources and streams use to reach the API: it
sends a :class:`~anthropic._http.PreparedRequest` through the client's
``httpx2`` pool, maps transport failures (:func:`~anthropic._http.transport_error`),
reads error bodies up to a cap, and asks the retry policy
(:func:`~anthropic._retry.next_retry_delay`) what to do with a failure.  It
knows the client only as a :class:`~anthropic._http.Platform` and a callable
that returns the pool.  For a client's middleware, :meth:`AsyncSender.attempt`
makes one attempt with no retry and returns the reply whatever its status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import httpx2

from .._errors import APIError, APIStatusError, make_status_error
from .._http import (
    MAX_ERROR_BODY,
    Platform,
    PreparedRequest,
    aclose_response,
    decode_error_body,
    transport_error,
)
from .._retry import next_retry_delay

__all__ = ["AsyncSender", "sender_of"]

log = logging.getLogger("anthropic")

_TRUNCATED = "anthropic.error_body_truncated"
"""Set in the ``extensions`` of an error reply whose body was cut at :data:`MAX_ERROR_BODY` bytes."""


class AsyncSender:
    """Sends prepared requests for one client, retrying as the policy allows."""

    def __init__(self, platform: Platform, http: Callable[[], httpx2.AsyncClient]) -> None:
        self.platform = platform
        self.http = http

    async def send(self, prep: PreparedRequest, *, stream: bool) -> httpx2.Response:
        """Send ``prep``, retrying as the policy allows; return a 2xx response.

        With ``stream=True`` the body is left unread for the caller; otherwise it
        is read here, so that a connection that breaks mid-body is retried too.
        """
        http = self.http()
        while True:
            request = await self._build_request(http, prep)
            error, headers = await self._attempt(http, request, stream=stream)
            if isinstance(error, httpx2.Response):
                return error
            delay = next_retry_delay(error, headers, prep.retries_taken, prep.max_retries)
            if delay is None:
                raise error from error.__cause__
            log.info("Retrying %s %s in %.2f s after: %s", prep.method, prep.url, delay, error)
            await self.sleep(delay)
            prep.retries_taken += 1

    async def attempt(self, prep: PreparedRequest, *, stream: bool) -> httpx2.Response:
        """One attempt of ``prep`` (no retry): the reply whatever its status, for a client's middleware.

        A 2xx body is left unread with ``stream=True`` and read otherwise; an
        error reply's body is read up to :data:`MAX_ERROR_BODY` bytes.  With no
        reply (refused, reset, timed out, a body cut short) the typed transport
        error is raised.
        """
        http = self.http()
        outcome, _ = await self._attempt(http, await self._build_request(http, prep), stream=stream)
        if isinstance(outcome, httpx2.Response):
            return outcome
        if isinstance(outcome, APIStatusError):
            return outcome.response
        raise outcome from outcome.__cause__

    async def status_error(self, response: httpx2.Response) -> APIStatusError:
        """The typed error for an error reply a middleware chain returned (its body read up to the cap)."""
        try:
            content = response.content
        except httpx2.ResponseNotRead:
            return await self._status_error(response)
        truncated = bool(response.extensions.get(_TRUNCATED))
        return make_status_error(response, decode_error_body(content, truncated))

    async def _build_request(self, http: httpx2.AsyncClient, prep: PreparedRequest) -> httpx2.Request:
        """The ``httpx2.Request`` of one attempt of ``prep``."""
        if prep.finish is None:
            return self.platform.build_http_request(http, prep)
        # a platform client: the request is completed and signed afresh for each attempt
        request: httpx2.Request = await prep.finish(http, prep)
        return request

    async def sleep(self, seconds: float) -> None:
        import anyio

        await anyio.sleep(seconds)

    async def _attempt(
        self, http: httpx2.AsyncClient, request: httpx2.Request, *, stream: bool
    ) -> tuple[httpx2.Response | APIError, Mapping[str, str] | None]:
        """One attempt: the 2xx response, or the error it ended in (and the headers that came with it)."""
        try:
            response = await http.send(request, stream=True, follow_redirects=False)
        except Exception as exc:  # httpx2's, or anything a custom transport raises
            error = transport_error(exc, request, "connect")
            error.__cause__ = exc
            return error, None
        if not response.is_success:
            return await self._status_error(response), response.headers
        if stream:
            return response, None
        try:
            await response.aread()
            return response, None
        except Exception as exc:
            error = transport_error(exc, request, "body", request_id=response.headers.get("request-id"))
            error.__cause__ = exc
            return error, None
        finally:
            if not response.is_closed and not response.is_stream_consumed:
                await aclose_response(response)

    async def _status_error(self, response: httpx2.Response) -> APIStatusError:
        """The typed error for a non-2xx reply; its body is read up to :data:`MAX_ERROR_BODY` bytes.

        A body cut short or stalled keeps what arrived: the status still decides.
        """
        buf = bytearray()
        truncated = False
        try:
            async for chunk in response.aiter_bytes():
                buf += chunk
                if len(buf) > MAX_ERROR_BODY:
                    truncated = True
                    del buf[MAX_ERROR_BODY:]
                    break
        except Exception:
            pass
        finally:
            await aclose_response(response)
        read = httpx2.Response(
            response.status_code,
            headers=response.headers,
            content=bytes(buf),
            request=response.request,
            extensions={_TRUNCATED: True} if truncated else None,
        )
        return make_status_error(read, decode_error_body(bytes(buf), truncated))

    async def request_json(self, prep: PreparedRequest) -> tuple[httpx2.Response, Any]:
        """Send ``prep`` and decode the reply's JSON."""
        from .._http import parse_json

        response = await self.send(prep, stream=False)
        return response, parse_json(response)


def sender_of(client: object, resource: type) -> AsyncSender:
    """The sender a resource of this colour reaches the API through.

    ``client`` is a sender, or the client itself: code that builds a resource
    by hand (``AsyncMessages(client)``, a subclass wrapping ``create``) passes
    the client, as with the official SDK.  Anything else, a client of the
    other colour included, is a ``TypeError`` naming what was given.
    """
    if isinstance(client, AsyncSender):
        return client
    sender = getattr(client, "_sender", None) if hasattr(type(client), "_sender") else None
    if isinstance(sender, AsyncSender):
        return sender
    raise TypeError(
        f"{resource.__name__}(client) takes an AsyncAnthropic client (or a platform client of that colour), "
        f"got {type(client).__module__}.{type(client).__qualname__}"
    )
