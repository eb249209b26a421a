"""Client-level middleware: what a middleware is, the checks a client makes, the chain it runs.

``Anthropic(middleware=[...])`` / ``AsyncAnthropic(middleware=[...])`` take,
outermost first, any mix of

- a :class:`Middleware` subclass instance (``handle`` for the sync client,
  ``async def handle_async`` for the async one), and
- a function ``(request, call_next) -> response`` (for the async client an
  ``async def``, or an object whose ``__call__`` is one).

The client checks them when it is made (and when a copy is made):
:meth:`MiddlewareChain.validate` / :meth:`AsyncMiddlewareChain.validate`
raise a ``TypeError`` naming the middleware and what is wrong (not callable,
of the other colour, a subclass without the method its client calls).  It
then builds the chain once (:meth:`MiddlewareChain.build`).

The chain runs once per HTTP attempt, inside the client's retry loop: each
middleware gets the attempt's :class:`~anthropic._request.APIRequest` and
``call_next``, which runs the rest of the chain and then the attempt itself.
``call_next`` returns the reply as an ``APIResponse`` (``AsyncAPIResponse``)
for every HTTP status, 4xx and 5xx included; it raises only when there is no
reply (``APIConnectionError``, ``APITimeoutError``).  What the chain returns
decides the call: a 2xx reply gives the call's result (``parse()``, or the
reply itself for ``with_raw_response`` / ``with_streaming_response``); an
error reply is retried when its status is retryable and retries remain, else
raised as its typed error; any other value is the call's result as it is (a
short-circuit: nothing is sent).  An exception from a middleware propagates,
retried only when it is (or was raised ``from``) an ``APIConnectionError``, a
retryable ``APIStatusError`` or a ``RetryableError`` (:func:`retry_delay_after`).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Union

from typing_extensions import TypeAlias

from ._request import APIRequest

if TYPE_CHECKING:
    from ._response import APIResponse, AsyncAPIResponse

__all__ = [
    "AsyncCallNext",
    "AsyncMiddlewareCallable",
    "AsyncMiddlewareChain",
    "CallNext",
    "Middleware",
    "MiddlewareCallable",
    "MiddlewareChain",
    "MiddlewareInput",
    "retry_delay_after",
]

CallNext: TypeAlias = Callable[[APIRequest], "APIResponse[Any]"]
"""The rest of a sync client's chain, ending in one HTTP attempt: its reply, whatever the status."""

AsyncCallNext: TypeAlias = Callable[[APIRequest], Awaitable["AsyncAPIResponse[Any]"]]
"""The rest of an async client's chain, ending in one HTTP attempt: its reply, whatever the status."""


class Middleware:
    """A middleware as a class: override ``handle`` (sync client) and/or ``handle_async`` (async client).

    Both default to passing the request on unchanged; a client refuses a
    subclass that does not override the one it calls.
    """

    __module__ = "anthropic"  # where users import it from

    def handle(self, request: APIRequest, call_next: CallNext) -> APIResponse[Any]:
        return call_next(request)

    async def handle_async(self, request: APIRequest, call_next: AsyncCallNext) -> AsyncAPIResponse[Any]:
        return await call_next(request)


MiddlewareCallable: TypeAlias = Callable[[APIRequest, CallNext], "APIResponse[Any]"]
AsyncMiddlewareCallable: TypeAlias = Callable[[APIRequest, AsyncCallNext], Awaitable["AsyncAPIResponse[Any]"]]
MiddlewareInput: TypeAlias = Union[Middleware, MiddlewareCallable, AsyncMiddlewareCallable]


def _name(entry: object) -> str:
    """How an error message names a middleware: its class, its function name, else its repr."""
    if isinstance(entry, Middleware):
        return type(entry).__name__
    name = getattr(entry, "__name__", None)
    return name if isinstance(name, str) else repr(entry)


def _returns_coroutine(entry: object) -> bool:
    """Whether calling ``entry`` gives a coroutine: an ``async def``, or an object whose ``__call__`` is one."""
    if inspect.iscoroutinefunction(entry):
        return True
    call = getattr(type(entry), "__call__", None)  # noqa: B004  # the method, not callable()
    return call is not None and not inspect.isfunction(entry) and inspect.iscoroutinefunction(call)


def _validate(entries: Iterable[object], *, asynchronous: bool) -> None:
    """A ``TypeError`` naming the first entry a client of this colour cannot run (the official messages)."""
    method, colour = ("handle_async", "asynchronous") if asynchronous else ("handle", "synchronous")
    kind, other = ("an async", "a sync") if asynchronous else ("a sync", "an async")
    for entry in entries:
        name = _name(entry)
        if isinstance(entry, Middleware):
            handle = getattr(type(entry), method)
            if handle is getattr(Middleware, method):
                raise TypeError(
                    f"middleware {name} does not implement `{method}()`; "
                    f"the {colour} client requires {kind.split()[1]}-capable middleware"
                )
            if inspect.iscoroutinefunction(handle) is not asynchronous:
                raise TypeError(
                    f"middleware {name} defines `{method}()` as {other} function; "
                    f"the {colour} client requires `{method}()` to be {kind} function"
                )
        elif not callable(entry):
            raise TypeError(f"middleware {name} is not callable")
        elif _returns_coroutine(entry) is not asynchronous:
            raise TypeError(
                f"middleware {name} is {'not an async' if asynchronous else 'an async'} function; "
                f"the {colour} client requires {kind.split()[1]} middleware functions"
            )


class MiddlewareChain:
    """The sync client's middleware: its checks and its chain."""

    @staticmethod
    def validate(entries: Iterable[object]) -> None:
        """A ``TypeError`` naming the first entry the sync client cannot run."""
        _validate(entries, asynchronous=False)

    @staticmethod
    def build(entries: Iterable[Any], attempt: CallNext) -> CallNext:
        """``call_next`` of the outermost entry: each entry around the next, ``attempt`` innermost."""
        call_next = attempt
        for entry in reversed(tuple(entries)):
            handler = entry.handle if isinstance(entry, Middleware) else entry
            call_next = _link(handler, call_next)
        return call_next


def _link(handler: Callable[[APIRequest, CallNext], Any], call_next: CallNext) -> CallNext:
    def run(request: APIRequest) -> Any:
        return handler(request, call_next)

    return run


class AsyncMiddlewareChain:
    """The async client's middleware: its checks and its chain."""

    @staticmethod
    def validate(entries: Iterable[object]) -> None:
        """A ``TypeError`` naming the first entry the async client cannot run."""
        _validate(entries, asynchronous=True)

    @staticmethod
    def build(entries: Iterable[Any], attempt: AsyncCallNext) -> AsyncCallNext:
        """``call_next`` of the outermost entry: each entry around the next, ``attempt`` innermost."""
        call_next = attempt
        for entry in reversed(tuple(entries)):
            handler = entry.handle_async if isinstance(entry, Middleware) else entry
            call_next = _async_link(handler, call_next)
        return call_next


def _async_link(handler: Callable[[APIRequest, AsyncCallNext], Any], call_next: AsyncCallNext) -> AsyncCallNext:
    async def run(request: APIRequest) -> Any:
        return await handler(request, call_next)

    return run


def retry_delay_after(error: BaseException, retries_taken: int, max_retries: int) -> float | None:
    """Seconds before the next attempt after a middleware raised ``error``, or ``None`` to let it propagate.

    The retry policy (:mod:`anthropic._retry`) applies to the first exception
    of ``error``'s ``__cause__`` chain that it knows: a ``RetryableError`` is
    retried, an ``APIStatusError`` as its status says (with its reply's
    headers), an ``APIConnectionError`` (timeouts included) is retried.  So
    ``raise MyError(...) from connection_error`` keeps the retry.
    """
    from ._errors import APIConnectionError, APIStatusError, RetryableError
    from ._retry import next_retry_delay, retry_delay

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, RetryableError):
            return retry_delay(retries_taken, max_retries)
        if isinstance(current, APIStatusError):
            return next_retry_delay(current, current.response.headers, retries_taken, max_retries)
        if isinstance(current, APIConnectionError):
            return next_retry_delay(current, None, retries_taken, max_retries)
        current = current.__cause__
    return None
