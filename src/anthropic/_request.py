"""``APIRequest``: one HTTP attempt of a call, as a client's middleware sees it.

A middleware (:mod:`anthropic._middleware`) receives an :class:`APIRequest`
for each attempt of a call (the first and every retry) and passes one on to
``call_next``.  It reads the call from it (``method``, ``url``, ``headers``,
``query_params``, ``json``, ``timeout``, ``max_retries``, ``retries_taken``,
``stream``, ``cast_to``) and changes it by passing on
``request.copy(headers=..., body=...)``: a request is not changed in place,
and a copy never shares a mutable body, query or header mapping with the
request it came from, so the next attempt starts from the call as it was made.

``headers`` are the call's own headers (``extra_headers``, the betas); the
client adds its default headers and credentials when the attempt is built,
after the chain, so a header set here overrides a default one.  ``json`` is
the body as it will be sent (``extra_body`` already merged in); ``None`` for a
call without a JSON body.  ``options`` is the call's
:class:`~anthropic._options.FinalRequestOptions`.
"""

from __future__ import annotations

import copy as copying
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    import httpx2

    from ._options import FinalRequestOptions

__all__ = ["APIRequest"]


class APIRequest:
    """One attempt of a call, handed down a client's middleware chain; derive changes with :meth:`copy`."""

    __module__ = "anthropic"  # where users import it from

    def __init__(
        self,
        *,
        options: FinalRequestOptions,
        cast_to: Any,
        stream: bool = False,
        stream_cls: type[Any] | None = None,
        retries_taken: int = 0,
    ) -> None:
        self.options = options
        self.cast_to = cast_to
        """What the call returns when it is not asked for its raw reply (a ``Message``, a token count, ...)."""
        self.stream = stream
        """Whether the call is streamed: the reply's ``parse()`` gives the stream the caller iterates."""
        self.stream_cls = stream_cls
        self.retries_taken = retries_taken
        """How many attempts of this call came before this one: 0 on the first, 1 on the first retry, ..."""
        self._call: Any = None  # the client's record of the call this attempt belongs to; kept by copy()

    @property
    def method(self) -> str:
        return self.options.method

    @property
    def url(self) -> str:
        """The path (relative to the client's ``base_url``) or the full URL the call goes to."""
        return self.options.url

    @property
    def headers(self) -> Mapping[str, Any]:
        """The call's own headers (not the client's defaults nor its credentials)."""
        headers = self.options.headers
        return headers if isinstance(headers, Mapping) else {}

    @property
    def query_params(self) -> Mapping[str, Any]:
        return self.options.params

    @property
    def json(self) -> Any:
        """The JSON body as it will be sent, or ``None``."""
        return self.options.json_data

    @property
    def timeout(self) -> float | httpx2.Timeout | NotGiven | None:
        """The call's own timeout; ``NOT_GIVEN`` when the client's applies."""
        timeout: Any = self.options.timeout
        return timeout  # type: ignore[no-any-return]

    @property
    def max_retries(self) -> int | NotGiven:
        """The call's own ``max_retries``; ``NOT_GIVEN`` when the client's applies."""
        return self.options.max_retries

    def copy(
        self,
        *,
        method: str | NotGiven = NOT_GIVEN,
        url: str | NotGiven = NOT_GIVEN,
        headers: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        params: Mapping[str, Any] | NotGiven = NOT_GIVEN,
        body: Any = NOT_GIVEN,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> APIRequest:
        """This request with the given parts replaced; nothing mutable is shared with this one.

        ``headers`` and ``params`` replace the call's own (pass ``{**request.headers, name: value}``
        to add one); ``body`` replaces the JSON body (``None`` sends none).
        """
        options = self.options.model_copy()
        # The JSON-shaped parts are copied deeply, so that changing the copy's body, query or
        # headers never changes this request's; a raw ``content`` body is bytes, immutable.
        options.json_data = copying.deepcopy(options.json_data)
        options.extra_json = copying.deepcopy(options.extra_json)
        options.params = copying.deepcopy(options.params)
        if isinstance(options.headers, Mapping):
            options.headers = dict(options.headers)
        if not isinstance(method, NotGiven):
            options.method = method
        if not isinstance(url, NotGiven):
            options.url = url
        if not isinstance(headers, NotGiven):
            options.headers = headers
        if not isinstance(params, NotGiven):
            options.params = params
        if not isinstance(body, NotGiven):
            options.json_data = body
        if not isinstance(timeout, NotGiven):
            options.timeout = timeout
        made = APIRequest(
            options=options,
            cast_to=self.cast_to,
            stream=self.stream,
            stream_cls=self.stream_cls,
            retries_taken=self.retries_taken,
        )
        made._call = self._call
        return made

    def __repr__(self) -> str:
        return f"<APIRequest method={self.method!r} url={self.url!r} stream={self.stream!r}>"
