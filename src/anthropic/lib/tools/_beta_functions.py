"""Function tools: a Python function the model can call, described by its signature and docstring.

``@beta_tool`` wraps a function into a :class:`BetaFunctionTool` and
``@beta_async_tool`` a coroutine function into a :class:`BetaAsyncFunctionTool`,
bare or with arguments (``name=``, ``description=``, ``input_schema=``, and the
optional fields of a tool definition).  A tool has

- ``name`` (the function's name unless given), ``description`` (the
  docstring's text unless given) and ``input_schema``: the JSON schema of the
  function's parameters, built by pydantic from the signature and type hints,
  each property described by the docstring's text for that argument (see
  :mod:`._docstrings`), unless a schema (or a pydantic model, whose schema is
  taken) is given;
- ``to_dict()``: the ``tools[]`` entry sent to the API;
- ``call(input)``: the function called with the model's input dict, validated
  against the signature first.  Input that is not a dict is a ``TypeError``;
  input that does not validate is a ``ValueError`` naming the tool and each
  field that is wrong.  The tool runner sends either back to the model as an
  ``is_error`` tool result;
- calling the tool object itself calls the plain function.

A tool may raise :class:`ToolError` to choose the content of its ``is_error``
result.  :class:`BetaBuiltinFunctionTool` and
:class:`BetaAsyncBuiltinFunctionTool` are the abstract bases of tools that
define ``to_dict()`` and ``call()`` themselves.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, Union, cast, overload

from typing_extensions import TypeAlias

from ...types.beta.beta_tool_result_block_param import Content as BetaContent
from ._docstrings import read_docstring

if TYPE_CHECKING:
    import pydantic

    from ...types.beta import BetaCacheControlEphemeralParam, BetaToolParam, BetaToolUnionParam
    from ...types.beta.beta_tool_param import InputSchema

__all__ = [
    "BetaAsyncBuiltinFunctionTool",
    "BetaAsyncFunctionTool",
    "BetaAsyncRunnableTool",
    "BetaBuiltinFunctionTool",
    "BetaFunctionTool",
    "BetaFunctionToolResultType",
    "BetaRunnableTool",
    "ToolError",
    "beta_async_tool",
    "beta_tool",
]

BetaFunctionToolResultType: TypeAlias = Union[str, Iterable[BetaContent]]
"""What a tool returns: text, or content blocks (text, images, documents, ...)."""

Caller: TypeAlias = Literal["direct", "code_execution_20250825", "code_execution_20260120", "code_execution_20260521"]

Function = Callable[..., Any]
FunctionT = TypeVar("FunctionT", bound=Function)
AsyncFunction = Callable[..., Coroutine[Any, Any, Any]]
AsyncFunctionT = TypeVar("AsyncFunctionT", bound=AsyncFunction)
CallableT = TypeVar("CallableT", bound=Callable[..., Any])


class ToolError(Exception):
    """Raised by a tool to send ``content`` back to the model as its ``is_error`` result."""

    content: BetaFunctionToolResultType

    def __init__(self, content: BetaFunctionToolResultType) -> None:
        if not isinstance(content, str):
            content = list(content)
            blocks: list[Any] = [block if isinstance(block, dict) else {} for block in content]
            texts = [
                str(block["text"]) if block.get("text") is not None else f"[{block.get('type', 'unknown')}]"
                for block in blocks
            ]
            message = " ".join(texts) or "Tool error"
        else:
            message = content
        super().__init__(message)
        self.content = content


def _tool_name(definition: Any) -> str:
    if "mcp_server_name" in definition:
        return str(definition["mcp_server_name"])
    name = definition.get("name")
    if name is None:
        raise ValueError(f"Tool of type {definition.get('type')!r} does not have a name")
    return str(name)


class BetaBuiltinFunctionTool(ABC):
    """A tool that defines its own ``tools[]`` entry and how it runs (synchronously)."""

    @abstractmethod
    def to_dict(self) -> BetaToolUnionParam: ...

    @abstractmethod
    def call(self, input: object) -> BetaFunctionToolResultType: ...

    @property
    def name(self) -> str:
        return _tool_name(self.to_dict())


class BetaAsyncBuiltinFunctionTool(ABC):
    """A tool that defines its own ``tools[]`` entry and how it runs (a coroutine)."""

    @abstractmethod
    def to_dict(self) -> BetaToolUnionParam: ...

    @abstractmethod
    async def call(self, input: object) -> BetaFunctionToolResultType: ...

    @property
    def name(self) -> str:
        return _tool_name(self.to_dict())


def _invalid_arguments(name: str, error: pydantic.ValidationError) -> ValueError:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or 'input'}: {e['msg']}" for e in error.errors()
    )
    return ValueError(f"Invalid arguments for function {name}: {problems}")


class BaseFunctionTool(Generic[CallableT]):
    """What the two function tools share: the definition, built once, and input validation."""

    func: CallableT
    """The wrapped function."""
    name: str
    """The tool's name, as the API sees it."""
    description: str
    input_schema: InputSchema

    def __init__(
        self,
        func: CallableT,
        *,
        name: str | None = None,
        description: str | None = None,
        input_schema: InputSchema | type[pydantic.BaseModel] | None = None,
        defer_loading: bool | None = None,
        cache_control: BetaCacheControlEphemeralParam | None = None,
        allowed_callers: list[Caller] | None = None,
        eager_input_streaming: bool | None = None,
        input_examples: Iterable[dict[str, object]] | None = None,
        strict: bool | None = None,
    ) -> None:
        import pydantic

        self.func = func
        self._validated = pydantic.validate_call(func)
        self.name = name or func.__name__
        docstring, arguments = read_docstring(func.__doc__)
        self.description = description or docstring
        if input_schema is None:
            self.input_schema = self._schema_from_signature(arguments)
        elif isinstance(input_schema, type):
            self.input_schema = input_schema.model_json_schema()
        else:
            self.input_schema = input_schema
        optional = {
            "defer_loading": defer_loading,
            "cache_control": cache_control,
            "allowed_callers": allowed_callers,
            "eager_input_streaming": eager_input_streaming,
            "input_examples": input_examples,
            "strict": strict,
        }
        self._optional = {key: value for key, value in optional.items() if value is not None}

    def _schema_from_signature(self, arguments: dict[str, str]) -> InputSchema:
        import pydantic

        schema: dict[str, Any] = pydantic.TypeAdapter(cast(Any, self._validated)).json_schema()
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for arg, text in arguments.items():
                prop = properties.get(arg)
                if isinstance(prop, dict) and "description" not in prop:
                    # in the key order pydantic gives every schema (sorted), so equal tools send equal bytes
                    properties[arg] = dict(sorted({**prop, "description": text}.items()))
        return schema

    @property
    def __call__(self) -> CallableT:
        """Calling the tool calls its function, unvalidated, with the function's own signature."""
        return self.func

    def to_dict(self) -> BetaToolParam:
        """The ``tools[]`` entry of this tool."""
        definition: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema,
            **self._optional,
        }
        return cast("BetaToolParam", definition)

    def _checked(self, input: object) -> dict[str, Any]:
        if not isinstance(input, dict):
            raise TypeError(f"Input must be a dictionary, got {type(input).__name__}")
        return cast("dict[str, Any]", input)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class BetaFunctionTool(BaseFunctionTool[FunctionT]):
    """A function the model can call, run synchronously (``@beta_tool``)."""

    def call(self, input: object) -> BetaFunctionToolResultType:
        """The function's result for the model's ``input`` (validated first)."""
        import pydantic

        if inspect.iscoroutinefunction(self.func):
            raise RuntimeError(
                f"Tool {self.name!r} wraps a coroutine function: define it with @beta_async_tool "
                "and run it with an AsyncAnthropic client."
            )
        arguments = self._checked(input)
        try:
            return cast("BetaFunctionToolResultType", self._validated(**arguments))
        except pydantic.ValidationError as exc:
            raise _invalid_arguments(self.name, exc) from exc


class BetaAsyncFunctionTool(BaseFunctionTool[AsyncFunctionT]):
    """A coroutine function the model can call (``@beta_async_tool``)."""

    async def call(self, input: object) -> BetaFunctionToolResultType:
        """The function's result for the model's ``input`` (validated first)."""
        import pydantic

        if not inspect.iscoroutinefunction(self.func):
            raise RuntimeError(
                f"Tool {self.name!r} wraps a synchronous function: define it with @beta_tool "
                "and run it with an Anthropic client."
            )
        arguments = self._checked(input)
        try:
            return cast("BetaFunctionToolResultType", await self._validated(**arguments))
        except pydantic.ValidationError as exc:
            raise _invalid_arguments(self.name, exc) from exc


def _refuse_context_manager(fn: object, decorator: str) -> None:
    wrapped = getattr(fn, "__wrapped__", None)
    if wrapped is not None and (inspect.isgeneratorfunction(wrapped) or inspect.isasyncgenfunction(wrapped)):
        raise TypeError(
            f"@{decorator} was applied to a context-manager factory ({getattr(fn, '__name__', fn)!r}); "
            "tools defined as context managers are not supported: decorate the function that does the work"
        )


@overload
def beta_tool(func: FunctionT) -> BetaFunctionTool[FunctionT]: ...
@overload
def beta_tool(
    func: FunctionT,
    *,
    name: str | None = None,
    description: str | None = None,
    input_schema: InputSchema | type[pydantic.BaseModel] | None = None,
    defer_loading: bool | None = None,
    cache_control: BetaCacheControlEphemeralParam | None = None,
    allowed_callers: list[Caller] | None = None,
    eager_input_streaming: bool | None = None,
    input_examples: Iterable[dict[str, object]] | None = None,
    strict: bool | None = None,
) -> BetaFunctionTool[FunctionT]: ...
@overload
def beta_tool(
    *,
    name: str | None = None,
    description: str | None = None,
    input_schema: InputSchema | type[pydantic.BaseModel] | None = None,
    defer_loading: bool | None = None,
    cache_control: BetaCacheControlEphemeralParam | None = None,
    allowed_callers: list[Caller] | None = None,
    eager_input_streaming: bool | None = None,
    input_examples: Iterable[dict[str, object]] | None = None,
    strict: bool | None = None,
) -> Callable[[FunctionT], BetaFunctionTool[FunctionT]]: ...
def beta_tool(
    func: FunctionT | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    input_schema: InputSchema | type[pydantic.BaseModel] | None = None,
    defer_loading: bool | None = None,
    cache_control: BetaCacheControlEphemeralParam | None = None,
    allowed_callers: list[Caller] | None = None,
    eager_input_streaming: bool | None = None,
    input_examples: Iterable[dict[str, object]] | None = None,
    strict: bool | None = None,
) -> BetaFunctionTool[FunctionT] | Callable[[FunctionT], BetaFunctionTool[FunctionT]]:
    """Make a :class:`BetaFunctionTool` of a function: ``@beta_tool``, ``@beta_tool()`` or ``@beta_tool(name=...)``."""
    options = {key: value for key, value in locals().items() if key != "func"}
    return _decorate(BetaFunctionTool, "beta_tool", func, options)  # type: ignore[no-any-return]


@overload
def beta_async_tool(func: AsyncFunctionT) -> BetaAsyncFunctionTool[AsyncFunctionT]: ...
@overload
def beta_async_tool(
    func: AsyncFunctionT,
    *,
    name: str | None = None,
    description: str | None = None,
    input_schema: InputSchema | type[pydantic.BaseModel] | None = None,
    defer_loading: bool | None = None,
    cache_control: BetaCacheControlEphemeralParam | None = None,
    allowed_callers: list[Caller] | None = None,
    eager_input_streaming: bool | None = None,
    input_examples: Iterable[dict[str, object]] | None = None,
    strict: bool | None = None,
) -> BetaAsyncFunctionTool[AsyncFunctionT]: ...
@overload
def beta_async_tool(
    *,
    name: str | None = None,
    description: str | None = None,
    input_schema: InputSchema | type[pydantic.BaseModel] | None = None,
    defer_loading: bool | None = None,
    cache_control: BetaCacheControlEphemeralParam | None = None,
    allowed_callers: list[Caller] | None = None,
    eager_input_streaming: bool | None = None,
    input_examples: Iterable[dict[str, object]] | None = None,
    strict: bool | None = None,
) -> Callable[[AsyncFunctionT], BetaAsyncFunctionTool[AsyncFunctionT]]: ...
def beta_async_tool(
    func: AsyncFunctionT | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    input_schema: InputSchema | type[pydantic.BaseModel] | None = None,
    defer_loading: bool | None = None,
    cache_control: BetaCacheControlEphemeralParam | None = None,
    allowed_callers: list[Caller] | None = None,
    eager_input_streaming: bool | None = None,
    input_examples: Iterable[dict[str, object]] | None = None,
    strict: bool | None = None,
) -> BetaAsyncFunctionTool[AsyncFunctionT] | Callable[[AsyncFunctionT], BetaAsyncFunctionTool[AsyncFunctionT]]:
    """Make a :class:`BetaAsyncFunctionTool` of a coroutine function, as :func:`beta_tool` does of a function."""
    options = {key: value for key, value in locals().items() if key != "func"}
    return _decorate(BetaAsyncFunctionTool, "beta_async_tool", func, options)  # type: ignore[no-any-return]


def _decorate(cls: Any, decorator: str, func: Any, options: dict[str, Any]) -> Any:
    """The tool ``cls`` makes of ``func`` with the decorator's ``options``; a decorator when ``func`` is None."""

    def make(fn: Any) -> Any:
        _refuse_context_manager(fn, decorator)
        return cls(fn, **options)

    return make if func is None else make(func)


BetaRunnableTool = Union[BetaFunctionTool[Any], BetaBuiltinFunctionTool]
BetaAsyncRunnableTool = Union[BetaAsyncFunctionTool[Any], BetaAsyncBuiltinFunctionTool]
