"""The tool runner's state and decisions, without I/O and without colour.

:class:`RunnerCore` holds what ``client.beta.messages.tool_runner(...)`` works
on: the request parameters (``messages`` included), the tools it runs by name,
how many replies it has asked for, and the turn being handled.  The sync and
async runners (:mod:`anthropic._async.tool_runner` and its generated twin)
send the requests and call the tools; everything they decide, they ask here:

- :meth:`RunnerCore.request_params`: the keyword arguments of the next
  ``parse()`` / ``stream()`` call (tools as their ``tools[]`` entries);
- :func:`next_step`: what a finished reply leads to, by its ``stop_reason``:
  ``"run_tools"`` (``tool_use``), ``"resume"`` (``pause_turn``,
  ``compaction``: the reply is sent back as it is so the server continues it)
  or ``"stop"`` (any other reason, unknown ones included: the tool calls of a
  reply that stopped for another reason are not run);
- :meth:`RunnerCore.tool_for`, :func:`tool_result`, :func:`error_result`,
  :func:`missing_tool_result`: which tool answers a ``tool_use`` block and the
  ``tool_result`` block its outcome becomes;
- :meth:`RunnerCore.end_turn`: the history after a reply: the reply and its
  tool results are appended, unless the caller changed the history with
  ``append_messages()`` while handling the reply (the caller then owns it).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

__all__ = [
    "RunnerCore",
    "Step",
    "error_result",
    "missing_tool_result",
    "next_step",
    "split_tools",
    "tool_result",
]

Step = Literal["run_tools", "resume", "stop"]

_STEPS: dict[str, Step] = {
    "tool_use": "run_tools",
    "pause_turn": "resume",
    "compaction": "resume",
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "stop",
    "model_context_window_exceeded": "stop",
    "refusal": "stop",
}

_KEPT_PARAMS = ("betas", "user_profile_id", "workspace_id")
"""Parameters that ``set_messages_params()`` keeps when the new parameters leave them out."""

ERROR_TEXT_MAX = 4096
"""The most of an exception's text an ``is_error`` result carries."""

_LONE_SURROGATE = re.compile(r"[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")


def next_step(stop_reason: str | None) -> Step:
    """What the runner does after a reply that stopped for ``stop_reason``."""
    return _STEPS.get(stop_reason or "", "stop")


def _well_formed(text: str) -> str:
    """``text`` with each unpaired surrogate replaced by U+FFFD, so that it can be sent as JSON."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def result_content(output: Any) -> Any:
    """A tool's return value as ``tool_result`` content.

    Text and lists of content blocks are sent as they are (lone surrogates in
    text folded to U+FFFD); ``None`` is sent as ``null``.  A mapping or a
    pydantic model is sent as its JSON text, and any other value as ``str()``.
    """
    if output is None:
        return None
    if isinstance(output, str):
        return _well_formed(output)
    if hasattr(output, "model_dump_json"):
        return _well_formed(output.model_dump_json())
    if isinstance(output, Mapping):
        return _well_formed(json.dumps(output, ensure_ascii=False, default=str))
    if isinstance(output, (bytes, bytearray, int, float, bool)) or not isinstance(output, Iterable):
        return _well_formed(str(output))
    blocks = []
    for block in output:
        if isinstance(block, Mapping) and block.get("type") == "text" and isinstance(block.get("text"), str):
            block = {**block, "text": _well_formed(block["text"])}
        blocks.append(block)
    return blocks


def tool_result(tool_use: Any, output: Any) -> dict[str, Any]:
    """The ``tool_result`` block of a tool that returned ``output``."""
    return {"type": "tool_result", "tool_use_id": tool_use.id, "content": result_content(output)}


def error_result(tool_use: Any, exc: BaseException) -> dict[str, Any]:
    """The ``is_error`` result of a tool that raised ``exc``.

    A :class:`~anthropic.lib.tools.ToolError` sends its own content; any other
    exception its ``repr()`` (which names its type), cut to
    :data:`ERROR_TEXT_MAX` characters.
    """
    from ._beta_functions import ToolError

    content = result_content(exc.content) if isinstance(exc, ToolError) else _well_formed(repr(exc))[:ERROR_TEXT_MAX]
    return {"type": "tool_result", "tool_use_id": tool_use.id, "content": content, "is_error": True}


def missing_tool_result(tool_use: Any, known: Iterable[str], *, decorator: str) -> dict[str, Any]:
    """The ``is_error`` result of a call to a tool the runner does not have (and the warning that says so)."""
    warnings.warn(
        f"Tool '{tool_use.name}' not found in tool runner. Available tools: {list(known)}. "
        "If using a raw tool definition, handle the tool call manually and use `append_messages()` to add the "
        f"result. Otherwise, pass the tool using `{decorator}(func)` or a `@{decorator}` decorated function.",
        UserWarning,
        stacklevel=4,
    )
    return {
        "type": "tool_result",
        "tool_use_id": tool_use.id,
        "content": f"Error: Tool '{tool_use.name}' not found",
        "is_error": True,
    }


def colour_of(runs: tuple[type, ...]) -> Literal["sync", "async"]:
    """Which runner runs the tool classes ``runs``."""
    from ._beta_functions import BetaFunctionTool

    return "sync" if BetaFunctionTool in runs else "async"


def split_tools(tools: Iterable[Any], *, runs: tuple[type, ...]) -> tuple[list[Any], dict[str, Any]]:
    """``(tools[] entries, runnable tools by name)`` of a runner that runs the tool classes ``runs``.

    A function tool of the other colour is a ``TypeError``; entries without ``call`` are sent as they are.
    """
    from ._beta_functions import (
        BetaAsyncBuiltinFunctionTool,
        BetaAsyncFunctionTool,
        BetaBuiltinFunctionTool,
        BetaFunctionTool,
    )

    colour = colour_of(runs)
    own = runs
    other = tuple(
        kind
        for kind in (BetaFunctionTool, BetaBuiltinFunctionTool, BetaAsyncFunctionTool, BetaAsyncBuiltinFunctionTool)
        if kind not in runs
    )
    entries: list[Any] = []
    runnable: dict[str, Any] = {}
    tool: Any
    for tool in tools:
        if isinstance(tool, other):
            if colour == "sync":
                raise TypeError(
                    f"Received an async tool ({type(tool).__name__} {tool.name!r}) in the synchronous tool_runner. "
                    "Create the runner from an AsyncAnthropic client, or pass a synchronous tool (@beta_tool) here."
                )
            raise TypeError(
                f"Received a synchronous tool ({type(tool).__name__} {tool.name!r}) in the asynchronous tool_runner. "
                "Create the runner from an Anthropic client, or pass an async tool (@beta_async_tool) here."
            )
        if any(isinstance(tool, kind) for kind in own):
            runnable[tool.name] = tool
            entries.append(tool.to_dict())
        elif hasattr(tool, "to_dict") and not isinstance(tool, Mapping):
            entries.append(tool.to_dict())
        else:
            entries.append(tool)
    return entries, runnable


def check_runner_params(params: Mapping[str, Any]) -> None:
    """Refuse, before any I/O, parameters a tool runner cannot send on each of its requests."""
    thread = params.get("thread")
    if thread is not None and thread is not False and not _omitted(thread):
        raise TypeError(
            f"`thread` cannot be set in the params of a tool runner, got {thread!r}: this runner sends the whole "
            "history with every request. Leave it out, or pass `thread=False`."
        )
    compaction = params.get("compaction")
    if compaction is not None and not _omitted(compaction):
        raise ValueError("`compaction` cannot be set on a tool runner: every request in the loop would compact again.")


def _omitted(value: object) -> bool:
    from ..._types import NotGiven, Omit

    return isinstance(value, (NotGiven, Omit))


def message_param(message: Any) -> Any:
    """A reply (or a message param) as the message param that carries it in ``messages``."""
    if isinstance(message, Mapping):
        return message
    return {"role": message.role, "content": list(message.content)}


class RunnerCore:
    """The state of one tool runner; see the module docstring."""

    def __init__(
        self,
        params: Mapping[str, Any],
        tools: Iterable[Any],
        *,
        runs: tuple[type, ...],
        max_iterations: int | None,
    ) -> None:
        check_runner_params(params)
        self.runs = runs
        self.colour = colour_of(runs)
        entries, self.runnable = split_tools(tools, runs=runs)
        self.params: dict[str, Any] = {
            key: value for key, value in params.items() if key != "thread" and not _omitted(value)
        }
        self.params["messages"] = list(self.params.get("messages") or ())
        self.params["tools"] = entries
        self.max_iterations = max_iterations
        self.iteration_count = 0
        self.closed = False
        self.cached_response: dict[str, Any] | None = None
        self.in_turn = False
        """Whether a reply is being handled (between its arrival and the end of the loop body)."""
        self.messages_modified = False
        """Whether ``append_messages()`` was called while the reply was handled."""
        self.last_message: Any = None

    @property
    def decorator(self) -> str:
        return "beta_tool" if self.colour == "sync" else "beta_async_tool"

    def request_params(self) -> dict[str, Any]:
        """The keyword arguments of the next request (without the request options)."""
        params = dict(self.params)
        params["messages"] = list(params["messages"])
        if not params.get("tools"):
            params.pop("tools", None)
        return params

    def should_stop(self) -> bool:
        return self.closed or (self.max_iterations is not None and self.iteration_count >= self.max_iterations)

    def begin_turn(self) -> None:
        self.in_turn = True
        self.messages_modified = False
        self.cached_response = None

    def end_turn(self, message: Any, response: Mapping[str, Any] | None, step: Step) -> None:
        """Record the history after ``message`` (and its tool ``response``) was handled."""
        if not self.messages_modified and step != "stop":
            added = [message_param(message)]
            if response is not None:
                added.append(response)
            self.params["messages"] = [*self.params["messages"], *added]
        self.in_turn = False
        self.messages_modified = False
        self.cached_response = None

    def tool_uses(self, message: Any) -> list[Any]:
        if message is None or getattr(message, "role", None) != "assistant" or not message.content:
            return []
        return [block for block in message.content if getattr(block, "type", None) == "tool_use"]

    def tool_for(self, name: str) -> Any:
        return self.runnable.get(name)

    def set_messages_params(self, params: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]]) -> None:
        """Replace the parameters of the next requests (``betas``, ``user_profile_id`` and ``workspace_id`` stay)."""
        current = self.request_params()
        new = params(current) if callable(params) else params
        if not isinstance(new, Mapping):
            raise TypeError(f"set_messages_params() needs a mapping of parameters, got {type(new).__name__}")
        check_runner_params(new)
        merged: dict[str, Any] = {key: current[key] for key in _KEPT_PARAMS if key in current}
        merged.update({key: value for key, value in new.items() if key != "thread" and not _omitted(value)})
        merged["messages"] = list(merged.get("messages") or ())
        if "tools" in merged:
            entries, runnable = split_tools(merged["tools"], runs=self.runs)
            declared = {entry.get("name") for entry in entries if isinstance(entry, Mapping)}
            self.runnable = {
                **{name: tool for name, tool in self.runnable.items() if name in declared},
                **runnable,
            }
            merged["tools"] = entries
        else:
            merged["tools"] = []
        self.params = merged
        self.cached_response = None

    def append_messages(self, *messages: Any) -> None:
        """Add messages (params or replies) to the history; during a turn the caller then owns that turn's history."""
        self.params["messages"] = [*self.params["messages"], *(message_param(m) for m in messages)]
        if self.in_turn:
            self.messages_modified = True
        self.cached_response = None
