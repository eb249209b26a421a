"""``client.beta.messages.tool_runner(...)``: the loop that runs the tools the model calls (asynchronous; the sync twin is generated).

A runner is an iterator of the assistant's replies: each ``ParsedBetaMessage``
(:class:`BetaAsyncToolRunner`) or, with ``stream=True``, each reply's
``BetaAsyncMessageStream`` (:class:`BetaAsyncStreamingToolRunner`), open while
the loop body runs and closed after it.  After each reply the runner asks
:mod:`anthropic.lib.tools._runner_core` what comes next: on ``tool_use`` it
calls the tools (:meth:`generate_tool_call_response`), appends the reply and
the ``tool_result`` turn, and sends the next request; it stops when a reply
calls no tool, stops for another reason, or after ``max_iterations`` replies.
A tool that raises becomes an ``is_error`` result; a request that fails
raises its error from the iteration.  Every request carries the whole
history (no message threads).

The caller may change the conversation between replies:
``set_messages_params()`` replaces the parameters of the next requests and
``append_messages()`` adds messages (during the loop body it hands that
turn's history to the caller: the runner then appends neither the reply nor
its tool results).  ``until_done()`` runs the loop to the end and returns
the last reply; ``close()`` stops it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..lib.tools._beta_functions import BetaAsyncBuiltinFunctionTool, BetaAsyncFunctionTool, ToolError
from ..lib.tools._runner_core import RunnerCore, error_result, missing_tool_result, next_step, tool_result
from ..types._parsed import ResponseFormatT

if TYPE_CHECKING:
    from ..lib.streaming._messages import BetaAsyncMessageStream
    from ..types.beta import BetaMessageParam, ParsedBetaMessage

__all__ = ["BaseAsyncToolRunner", "BetaAsyncStreamingToolRunner", "BetaAsyncToolRunner"]

log = logging.getLogger("anthropic.lib.tools")

_ItemT = TypeVar("_ItemT")


class BaseAsyncToolRunner(Generic[_ItemT, ResponseFormatT]):
    """The loop both runners share; they differ in how a request is sent and what it yields."""

    def __init__(
        self,
        *,
        params: Mapping[str, Any],
        options: Mapping[str, Any],
        tools: Iterable[Any],
        client: Any = None,
        max_iterations: int | None = None,
        _resource: Any = None,
    ) -> None:
        if _resource is None:
            if client is None:
                raise TypeError("A tool runner needs the client that sends its requests: pass client=...")
            _resource = client.beta.messages
        self._resource = _resource
        self._options = {key: value for key, value in options.items() if value is not None}
        self._core = RunnerCore(params, tools, runs=(BetaAsyncFunctionTool, BetaAsyncBuiltinFunctionTool), max_iterations=max_iterations)
        self._iterator: Any = self._loop()
        self._busy = False
        self._current: Any = None

    # -- iteration -------------------------------------------------------------

    def __aiter__(self) -> BaseAsyncToolRunner[_ItemT, ResponseFormatT]:
        return self

    async def __anext__(self) -> _ItemT:
        self._busy = True
        try:
            return await self._iterator.__anext__()  # type: ignore[no-any-return]
        finally:
            self._busy = False

    async def _loop(self) -> AsyncIterator[_ItemT]:
        core = self._core
        while not core.should_stop():
            core.begin_turn()
            item = await self._send(core.request_params())
            self._current = item
            try:
                yield item
                message = await self._message_of(item)
            finally:
                await self._release(item)
            core.last_message = message
            self._current = None
            core.iteration_count += 1
            step = next_step(message.stop_reason)
            response = None
            if step == "run_tools":
                response = await self.generate_tool_call_response()
            core.end_turn(message, response, step)
            if step == "stop" or (step == "run_tools" and response is None):
                log.debug("Tool runner stops after a reply with stop_reason %r", message.stop_reason)
                return

    async def until_done(self) -> ParsedBetaMessage[ResponseFormatT]:
        """Run the loop to its end; the last reply (the last one seen, when the loop has ended already)."""
        async for _ in self:
            pass
        message = await self._last_message()
        if message is None:
            raise RuntimeError("The tool runner ended without a reply: it was closed, or max_iterations is 0.")
        return message  # type: ignore[no-any-return]

    async def close(self) -> None:
        """Stop the runner: iterating it yields nothing more.  From a tool it takes effect at the loop's next step."""
        self._core.closed = True
        if not self._busy:
            await self._iterator.aclose()

    # -- tools ------------------------------------------------------------------

    async def generate_tool_call_response(self) -> BetaMessageParam | None:
        """The user turn answering the last reply's tool calls (the tools run once; later calls reuse it).

        ``None`` when the last reply calls no tool.
        """
        core = self._core
        if core.cached_response is not None:
            return core.cached_response  # type: ignore[return-value]
        message = await self._last_message()
        tool_uses = core.tool_uses(message)
        if not tool_uses:
            return None
        results = []
        for tool_use in tool_uses:
            tool = core.tool_for(tool_use.name)
            if tool is None:
                results.append(missing_tool_result(tool_use, core.runnable, decorator=core.decorator))
                continue
            try:
                results.append(tool_result(tool_use, await tool.call(tool_use.input)))
            except Exception as exc:
                if not isinstance(exc, ToolError):
                    log.exception("Error occurred while calling tool: %s", tool.name, exc_info=exc)
                results.append(error_result(tool_use, exc))
        response: dict[str, Any] = {"role": "user", "content": results}
        core.cached_response = response
        return response  # type: ignore[return-value]

    async def _last_message(self) -> Any:
        if self._current is not None:
            return await self._message_of(self._current)
        return self._core.last_message

    # -- the conversation -------------------------------------------------------

    def set_messages_params(
        self, params: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]]
    ) -> None:
        """Replace the parameters of the next requests, or change them with a function of the current ones.

        ``betas``, ``user_profile_id`` and ``workspace_id`` stay when left out.  Tools left out of ``tools`` are no
        longer run; runnable tools in it are.  This drops the cached tool call response.
        """
        self._core.set_messages_params(params)

    def append_messages(self, *messages: BetaMessageParam | ParsedBetaMessage[ResponseFormatT]) -> None:
        """Add messages (params, or replies) to the conversation; this drops the cached tool call response."""
        self._core.append_messages(*messages)

    # -- what the two runners define ----------------------------------------------

    async def _send(self, params: dict[str, Any]) -> _ItemT:
        raise NotImplementedError

    async def _message_of(self, item: _ItemT) -> Any:
        raise NotImplementedError

    async def _release(self, item: _ItemT) -> None:
        return None


class BetaAsyncToolRunner(BaseAsyncToolRunner["ParsedBetaMessage[ResponseFormatT]", ResponseFormatT]):
    """A tool runner yielding each reply as a ``ParsedBetaMessage``."""

    async def _send(self, params: dict[str, Any]) -> ParsedBetaMessage[ResponseFormatT]:
        return await self._resource.parse(**params, **self._options)  # type: ignore[no-any-return]

    async def _message_of(self, item: ParsedBetaMessage[ResponseFormatT]) -> Any:
        return item


class BetaAsyncStreamingToolRunner(BaseAsyncToolRunner["BetaAsyncMessageStream[ResponseFormatT]", ResponseFormatT]):
    """A tool runner yielding each reply's ``BetaAsyncMessageStream``, open for the loop body.

    The rest of a stream the body leaves unread is read when the loop moves on (or when
    ``generate_tool_call_response()`` needs the reply).  ``run_tools_eagerly`` is accepted; the tools
    run once the reply is complete, so ``defer_tool_call()`` has nothing to hold.
    """

    def __init__(
        self,
        *,
        params: Mapping[str, Any],
        options: Mapping[str, Any],
        tools: Iterable[Any],
        client: Any = None,
        max_iterations: int | None = None,
        run_tools_eagerly: bool = False,
        _resource: Any = None,
    ) -> None:
        super().__init__(
            params=params, options=options, tools=tools, client=client, max_iterations=max_iterations, _resource=_resource
        )
        self._run_tools_eagerly = run_tools_eagerly
        self._managers: dict[int, Any] = {}

    async def _send(self, params: dict[str, Any]) -> BetaAsyncMessageStream[ResponseFormatT]:
        manager = self._resource.stream(**params, **self._options)
        stream = await manager.__aenter__()
        self._managers[id(stream)] = manager
        return stream  # type: ignore[no-any-return]

    async def _message_of(self, item: BetaAsyncMessageStream[ResponseFormatT]) -> Any:
        return await item.get_final_message()

    async def _release(self, item: BetaAsyncMessageStream[ResponseFormatT]) -> None:
        manager = self._managers.pop(id(item), None)
        if manager is not None:
            await manager.__aexit__(None, None, None)

    def defer_tool_call(self, tool_use: Any) -> None:
        """Hold a tool call until the reply is complete: every call waits for that here, so this does nothing."""

    @property
    def deferred_tool_calls(self) -> list[Any]:
        """The calls ``defer_tool_call()`` holds: none (tools run once the reply is complete)."""
        return []
