"""``FinalRequestOptions``: one API call as data, the argument of ``client.request``.

Code that wraps the official SDK at its request seam (Inspect's agent bridge
patches ``AsyncAPIClient.request`` and reads ``options.url``,
``options.json_data``, ``options.extra_json``, ``options.headers``) gets the
same object here.  The fields are what a call sends: ``json_data`` is the body
as the method built it, ``extra_json`` the caller's ``extra_body`` (merged into
the body when sent, or by ``client._copy_and_prepare``), ``headers`` the
call's own headers (``extra_headers`` included; an ``Omit`` value removes a
default), ``params`` its query.  The client's default headers and credentials
are added when the request is built, not stored here.

A method of this package also leaves on the options how to build its result
from the reply (a private attribute, kept by ``model_copy``), so a wrapper that
calls ``client._process_response`` with a reply of its own gets what the
method would have returned.  A plain class with the official model's fields
and ``model_copy``: nothing to validate or build on the request path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Union

import httpx2

from ._constants import RAW_RESPONSE_HEADER
from ._types import NOT_GIVEN, NotGiven

__all__ = ["FinalRequestOptions", "ResultBuilder"]

ResultBuilder = Callable[[httpx2.Response, Any], Union[Awaitable[Any], Any]]
"""``build(response, prepared_request_or_None)``: the result of a call from its 2xx reply."""


class FinalRequestOptions:
    """One call: method, URL path, body, query, headers and per-call options."""

    __slots__ = (
        "_build",
        "content",
        "extra_json",
        "follow_redirects",
        "headers",
        "idempotency_key",
        "json_data",
        "max_retries",
        "method",
        "params",
        "stream_deadline",
        "timeout",
        "url",
    )

    def __init__(
        self,
        *,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        timeout: Any = NOT_GIVEN,
        idempotency_key: str | None = None,
        follow_redirects: bool | None = None,
        json_data: Mapping[str, Any] | None = None,
        extra_json: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        stream_deadline: Any = NOT_GIVEN,
    ) -> None:
        self.method = method
        self.url = url
        self.params: Mapping[str, Any] = {} if params is None else params
        self.headers = headers
        self.max_retries = max_retries
        self.timeout = timeout
        self.idempotency_key = idempotency_key
        self.follow_redirects = follow_redirects
        self.json_data = json_data
        self.extra_json = extra_json
        self.content = content
        """A raw body sent instead of ``json_data`` (``client.post(..., content=...)``)."""
        self.stream_deadline = stream_deadline
        """Seconds a streamed answer may take from its first byte to its end (this package's option)."""
        self._build: ResultBuilder | None = None

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> FinalRequestOptions:
        """A copy (sharing the values unless ``deep``), with the fields in ``update`` replaced."""
        import copy as copying

        made = copying.deepcopy(self) if deep else copying.copy(self)
        for key, value in (update or {}).items():
            if key not in _FIELDS:
                raise TypeError(f"FinalRequestOptions has no field {key!r}")
            setattr(made, key, value)
        return made

    def __repr__(self) -> str:
        return f"FinalRequestOptions(method={self.method!r}, url={self.url!r})"

    @classmethod
    def for_call(
        cls,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None,
        options: Mapping[str, Any],
    ) -> FinalRequestOptions:
        """The options of one call from the body and the per-call options a resource gathered
        (:meth:`answer_with` then says how to build its result)."""
        url = path if path.startswith(("http://", "https://", "/")) else f"/{path}"
        return cls(
            method=method.lower(),
            url=url,
            params=dict(options.get("extra_query") or {}),
            headers=dict(options.get("extra_headers") or {}),
            max_retries=options.get("max_retries", NOT_GIVEN),
            timeout=options.get("timeout", NOT_GIVEN),
            json_data=dict(body) if body is not None else None,
            extra_json=dict(options["extra_body"]) if options.get("extra_body") else None,
            stream_deadline=options.get("stream_deadline", NOT_GIVEN),
        )

    def answer_with(self, build: ResultBuilder, response_kind: str | None = None) -> None:
        """Build the call's result with ``build``; ``response_kind`` (``"raw"``, ``"stream"``) asks for the
        reply itself instead, as ``with_raw_response`` / ``with_streaming_response`` do."""
        self._build = build
        if response_kind is not None:
            headers = self.headers if isinstance(self.headers, Mapping) else {}
            self.headers = {**headers, _RAW_HEADER: response_kind}

    @classmethod
    def for_custom(
        cls,
        method: str,
        path: str,
        options: Mapping[str, Any],
        *,
        body: Mapping[str, Any] | None = None,
        content: Any = None,
        files: Any = None,
    ) -> FinalRequestOptions:
        """The options of ``client.get/post/put/patch/delete(path, ..., options=...)``: a request the resources do not make.

        ``options`` takes the official ``RequestOptions`` keys (``headers``,
        ``params``, ``extra_json``, ``timeout``, ``max_retries``,
        ``idempotency_key``, ``follow_redirects``); anything else is a
        ``TypeError`` before any I/O, as are a body given both as ``body`` and
        ``content`` and multipart ``files``.
        """
        unknown = sorted(set(options) - _REQUEST_OPTION_KEYS)
        if unknown:
            raise TypeError(
                f"{method}() got unknown request option(s) {', '.join(map(repr, unknown))}; "
                f"the options are {', '.join(sorted(_REQUEST_OPTION_KEYS))}"
            )
        if options.get("follow_redirects"):
            raise ValueError(
                f"{method}(options={{'follow_redirects': True}}): this client never follows redirects, so that "
                "credentials are only ever sent to the host they were meant for"
            )
        if files is not None:
            raise TypeError(
                f"{method}(files=...): multipart uploads are not part of this client (it covers the Messages "
                "family); send an encoded body with content= and its content-type header instead"
            )
        if body is not None and content is not None:
            raise TypeError(f"{method}(): pass the body as body= (JSON) or content= (raw), not both")
        if content is not None:
            if isinstance(content, str):
                content = content.encode()
            elif isinstance(content, (bytes, bytearray, memoryview)):
                content = bytes(content)
            else:
                raise TypeError(
                    f"{method}(content=...) takes bytes or str (a body that can be sent again on a retry), "
                    f"not {type(content).__name__}"
                )
        if body is not None and not isinstance(body, Mapping):
            raise TypeError(f"{method}(body=...) takes a mapping (sent as JSON), not {type(body).__name__}")
        url = path if path.startswith(("http://", "https://", "/")) else f"/{path}"
        return cls(
            method=method,
            url=url,
            params=dict(options.get("params") or {}),
            headers=dict(options.get("headers") or {}),
            max_retries=options.get("max_retries", NOT_GIVEN),
            timeout=options.get("timeout", NOT_GIVEN),
            idempotency_key=options.get("idempotency_key"),
            follow_redirects=options.get("follow_redirects"),
            json_data=dict(body) if body is not None else None,
            extra_json=dict(options["extra_json"]) if options.get("extra_json") else None,
            content=content,
        )

    def call_options(self) -> dict[str, Any]:
        """The per-call options a client's ``prepare_request`` takes."""
        headers = self.headers if isinstance(self.headers, Mapping) else {}
        return {
            "extra_headers": {k: v for k, v in headers.items() if k.lower() != _RAW_HEADER_LOWER},
            "extra_query": dict(self.params),
            "extra_body": dict(self.extra_json) if self.extra_json else None,
            "timeout": self.timeout,
            "max_retries": None if isinstance(self.max_retries, NotGiven) else self.max_retries,
            "stream_deadline": self.stream_deadline,
        }

    def response_kind(self) -> str | None:
        """``"raw"`` or ``"stream"`` when the caller asked for the reply itself (``with_raw_response`` ...)."""
        headers = self.headers if isinstance(self.headers, Mapping) else {}
        for key, value in headers.items():
            if key.lower() == _RAW_HEADER_LOWER and isinstance(value, str):
                return value
        return None


_RAW_HEADER = RAW_RESPONSE_HEADER
_RAW_HEADER_LOWER = _RAW_HEADER.lower()
_REQUEST_OPTION_KEYS = frozenset(
    {"headers", "max_retries", "timeout", "params", "extra_json", "idempotency_key", "follow_redirects"}
)
_FIELDS = frozenset(FinalRequestOptions.__slots__) - {"_build"}
