"""Request validation with the API's rules and its way of naming the offending field.

Every problem raises :class:`~._wire.Rejected` (400 ``invalid_request_error``)
whose message starts with the dotted path of the field, e.g.
``messages.1.content.0.type: ...``.  A top-level field the API does not know
is refused (``name: Extra inputs are not permitted``) unless the caller asks
for leniency.  Messages quote at most a short prefix of a value that was sent.
Each rule is listed, with its test, in docs/emulator.md.
"""

from __future__ import annotations

import math
import re
from typing import Any, NoReturn

from pydantic_core import from_json

from ._models import find_model
from ._structured import check_strict_schema
from ._wire import Rejected, clip

__all__ = ["parse_json", "require_object", "validate_count_tokens", "validate_messages"]

BLOCK_TYPES = (
    "text",
    "image",
    "document",
    "search_result",
    "thinking",
    "redacted_thinking",
    "tool_use",
    "tool_result",
    "server_tool_use",
    "web_search_tool_result",
    "web_fetch_tool_result",
    "code_execution_tool_result",
    "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result",
    "tool_search_tool_result",
    "container_upload",
    "mcp_tool_use",
    "mcp_tool_result",
    "mcp_tool_listing",
    "compaction",
    "advisor_tool_result",
    "tool_addition",
    "tool_removal",
    "fallback",
)
_BLOCK_TYPE_SET = frozenset(BLOCK_TYPES)
_REQUIRED_FIELDS: dict[str, tuple[tuple[str, type | tuple[type, ...], str], ...]] = {
    "text": (("text", str, "string"),),
    "image": (("source", dict, "dictionary"),),
    "document": (("source", dict, "dictionary"),),
    "thinking": (("thinking", str, "string"), ("signature", str, "string")),
    "redacted_thinking": (("data", str, "string"),),
    "tool_use": (("id", str, "string"), ("name", str, "string"), ("input", dict, "dictionary")),
    "server_tool_use": (("id", str, "string"), ("name", str, "string"), ("input", dict, "dictionary")),
    "tool_result": (("tool_use_id", str, "string"),),
}
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,128}$")
_THINKING_TYPES = ("enabled", "disabled", "adaptive", "between_tools")
_TOOL_CHOICE_TYPES = ("auto", "any", "tool", "none")
MIN_THINKING_BUDGET = 1024

# Top-level fields of a Messages request (current and beta spellings), and of count_tokens.
KNOWN_FIELDS = frozenset(
    {
        "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream",
        "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier",
        "container", "output_config", "output_format", "inference_geo", "speed", "cache_control",
        "diagnostics", "user_profile_id", "workspace_id", "context_management", "mcp_servers",
        "compaction", "fallbacks", "fallback_credit_token", "billing_policy", "thread", "betas",
    }
)  # fmt: skip
# count_tokens takes the same fields (a Messages body can be counted as it is).
COUNT_TOKENS_FIELDS = KNOWN_FIELDS


def _fail(message: str) -> NoReturn:
    raise Rejected(400, message)


def parse_json(raw: bytes) -> Any:
    """The request body's JSON value, or a 400 saying why it is not JSON.

    Strict like the API's parser: no ``NaN``, no lone UTF-16 surrogates, at
    most 200 levels of nesting, integers of at most 4300 digits.  The message
    names the position, never the content.
    """
    try:
        return from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        _fail(f"There was an error parsing the body of your request: the body is not valid JSON ({exc})")


def require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        _fail("The body of your request must be a JSON object")
    return body


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_model(body: dict[str, Any]) -> None:
    if "model" not in body:
        _fail("model: Field required")
    if not isinstance(body["model"], str) or not body["model"]:
        _fail("model: Input should be a non-empty string")


def _check_text_blocks(value: Any, path: str) -> None:
    if isinstance(value, str):
        return
    if not isinstance(value, list):
        _fail(f"{path}: Input should be a valid string or a list of text blocks")
    for i, block in enumerate(value):
        if not isinstance(block, dict) or block.get("type") != "text":
            _fail(f"{path}.{i}.type: Input should be 'text'")
        if not isinstance(block.get("text"), str):
            _fail(f"{path}.{i}.text: Field required")


def _check_block(block: Any, path: str) -> str:
    if not isinstance(block, dict):
        _fail(f"{path}: Input should be a valid dictionary")
    kind = block.get("type")
    if kind is None:
        _fail(f"{path}.type: Field required")
    if kind not in _BLOCK_TYPE_SET:
        expected = ", ".join(f"'{t}'" for t in BLOCK_TYPES)
        _fail(
            f"{path}.type: Input tag \"{clip(kind, 40, quote=False)}\" found using 'type' does not match any of the "
            f"expected tags: {expected}"
        )
    for name, types, label in _REQUIRED_FIELDS.get(kind, ()):
        if name not in block:
            _fail(f"{path}.{kind}.{name}: Field required")
        if not isinstance(block[name], types):
            _fail(f"{path}.{kind}.{name}: Input should be a valid {label}")
    if kind == "text" and not block["text"]:
        _fail("messages: text content blocks must be non-empty")
    if kind == "tool_result" and "content" in block:
        content = block["content"]
        if isinstance(content, list):
            for j, sub in enumerate(content):
                _check_block(sub, f"{path}.tool_result.content.{j}")
        elif not isinstance(content, str):
            _fail(f"{path}.tool_result.content: Input should be a valid string or list")
    return str(kind)


def _check_messages(body: dict[str, Any]) -> None:
    if "messages" not in body:
        _fail("messages: Field required")
    messages = body["messages"]
    if not isinstance(messages, list):
        _fail("messages: Input should be a valid list")
    if not messages:
        _fail("messages: at least one message is required")
    pending_tool_uses: tuple[int, list[str]] | None = None
    for i, message in enumerate(messages):
        path = f"messages.{i}"
        if not isinstance(message, dict):
            _fail(f"{path}: Input should be a valid dictionary")
        if "role" not in message:
            _fail(f"{path}.role: Field required")
        role = message["role"]
        if role not in ("user", "assistant"):
            _fail(f"{path}.role: Input should be 'user' or 'assistant'")
        if "content" not in message:
            _fail(f"{path}.content: Field required")
        content = message["content"]
        tool_use_ids: list[str] = []
        tool_result_ids: list[tuple[int, str]] = []
        if isinstance(content, list):
            for j, block in enumerate(content):
                kind = _check_block(block, f"{path}.content.{j}")
                if kind == "tool_use":
                    tool_use_ids.append(block["id"])
                elif kind == "tool_result":
                    tool_result_ids.append((j, block["tool_use_id"]))
        elif not isinstance(content, str):
            _fail(f"{path}.content: Input should be a valid string or a list of content blocks")
        if not content and not (role == "assistant" and i == len(messages) - 1):
            _fail(
                f"{path}: all messages must have non-empty content except for the optional final "
                "assistant message"
            )
        if tool_result_ids:
            expected = pending_tool_uses[1] if pending_tool_uses and role == "user" else []
            for j, tool_use_id in tool_result_ids:
                if tool_use_id not in expected:
                    _fail(
                        f"{path}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: "
                        f"{clip(tool_use_id, 64, quote=False)}. Each `tool_result` block must have a corresponding `tool_use` "
                        "block in the previous message."
                    )
        if pending_tool_uses is not None:
            answered = {tid for _, tid in tool_result_ids}
            missing = [tid for tid in pending_tool_uses[1] if tid not in answered]
            if missing:
                _fail(
                    f"messages.{pending_tool_uses[0]}: `tool_use` ids were found without `tool_result` "
                    f"blocks immediately after: {', '.join(missing)}. Each `tool_use` block must have a "
                    "corresponding `tool_result` block in the next message."
                )
        pending_tool_uses = (i, tool_use_ids) if role == "assistant" and tool_use_ids else None
    last = messages[-1]
    if last["role"] == "assistant":
        content = last["content"]
        tail = content if isinstance(content, str) else ""
        if isinstance(content, list) and content and content[-1].get("type") == "text":
            tail = content[-1]["text"]
        if tail and tail != tail.rstrip():
            _fail("messages: final assistant content cannot end with trailing whitespace")


def _check_tools(body: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    tools = body.get("tools")
    if tools is None:
        return names
    if not isinstance(tools, list):
        _fail("tools: Input should be a valid list")
    for i, tool in enumerate(tools):
        path = f"tools.{i}"
        if not isinstance(tool, dict):
            _fail(f"{path}: Input should be a valid dictionary")
        kind = tool.get("type")
        name = tool.get("name")
        if kind in (None, "custom"):
            if name is None:
                _fail(f"{path}.custom.name: Field required")
            if not isinstance(name, str) or not _TOOL_NAME.match(name):
                _fail(f"{path}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{{1,128}}$'")
            if "input_schema" not in tool:
                _fail(f"{path}.custom.input_schema: Field required")
            schema = tool["input_schema"]
            if not isinstance(schema, dict):
                _fail(f"{path}.custom.input_schema: Input should be a valid dictionary")
            if schema.get("type") != "object":
                _fail(f"{path}.custom.input_schema.type: Input should be 'object'")
            strict = tool.get("strict")
            if strict is not None and not isinstance(strict, bool):
                _fail(f"{path}.custom.strict: Input should be a valid boolean")
            if strict:
                check_strict_schema(schema, f"{path}.custom.input_schema")
        elif not isinstance(kind, str):
            _fail(f"{path}.type: Input should be a valid string")
        if isinstance(name, str):
            if name in names:
                _fail("tools: Tool names must be unique.")
            names.add(name)
    return names


def _check_tag(value: Any, path: str, kinds: tuple[str, ...]) -> str:
    """The ``type`` of a tagged object, which must be one of ``kinds``."""
    if not isinstance(value, dict):
        _fail(f"{path}: Input should be a valid dictionary")
    kind = value.get("type")
    if kind is None:
        _fail(f"{path}.type: Field required")
    if kind not in kinds:
        listed = ", ".join(f"'{k}'" for k in kinds[:-1]) + f" or '{kinds[-1]}'"
        _fail(f"{path}.type: Input should be {listed}")
    return str(kind)


def _check_tool_choice(body: dict[str, Any], tool_names: set[str]) -> None:
    choice = body.get("tool_choice")
    if choice is None:
        return
    kind = _check_tag(choice, "tool_choice", _TOOL_CHOICE_TYPES)
    if kind != "none" and not body.get("tools"):
        _fail("tool_choice: tool_choice may only be specified while providing tools.")
    if kind == "tool":
        name = choice.get("name")
        if name is None:
            _fail("tool_choice.tool.name: Field required")
        if name not in tool_names:
            _fail(
                f'tool_choice.tool.name: Tool "{clip(name, 64, quote=False)}" not found in the provided tools'
            )
    if "disable_parallel_tool_use" in choice and not isinstance(choice["disable_parallel_tool_use"], bool):
        _fail(f"tool_choice.{kind}.disable_parallel_tool_use: Input should be a valid boolean")


def _check_thinking(body: dict[str, Any], max_tokens: int | None) -> None:
    thinking = body.get("thinking")
    if thinking is None:
        return
    kind = _check_tag(thinking, "thinking", _THINKING_TYPES)
    if kind == "enabled":
        budget = thinking.get("budget_tokens")
        if budget is None:
            _fail("thinking.enabled.budget_tokens: Field required")
        if not _is_int(budget):
            _fail("thinking.enabled.budget_tokens: Input should be a valid integer")
        if budget < MIN_THINKING_BUDGET:
            _fail(
                f"thinking.enabled.budget_tokens: Input should be greater than or equal to {MIN_THINKING_BUDGET}"
            )
        if max_tokens is not None and max_tokens <= budget:
            _fail("max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`")
    if kind in ("enabled", "adaptive"):
        temperature = body.get("temperature")
        if temperature is not None and temperature != 1:
            _fail("temperature: `temperature` may only be set to 1 when thinking is enabled")
        if body.get("top_k") is not None:
            _fail("top_k: `top_k` may not be set when thinking is enabled")
        top_p: Any = body.get("top_p")
        if _is_number(top_p) and not 0.95 <= top_p <= 1:
            _fail("top_p: `top_p` must be between 0.95 and 1 when thinking is enabled")
        choice = body.get("tool_choice")
        if isinstance(choice, dict) and choice.get("type") in ("any", "tool"):
            _fail("thinking: Thinking may not be enabled when `tool_choice` forces tool use.")


def _check_format(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        _fail(f"{path}: Input should be a valid dictionary")
    if value.get("type") != "json_schema":
        _fail(f"{path}.type: Input should be 'json_schema'")
    if "schema" not in value:
        _fail(f"{path}.schema: Field required")
    if not isinstance(value["schema"], dict):
        _fail(f"{path}.schema: Input should be a valid dictionary")
    check_strict_schema(value["schema"], f"{path}.schema")


def _check_output(body: dict[str, Any]) -> None:
    output_format = body.get("output_format")
    if output_format is not None:
        _check_format(output_format, "output_format")
    config = body.get("output_config")
    if config is None:
        return
    if not isinstance(config, dict):
        _fail("output_config: Input should be a valid dictionary")
    if config.get("format") is not None:
        _check_format(config["format"], "output_config.format")
        if output_format is not None:
            _fail("output_format: cannot be combined with `output_config.format`; use only one of them")


def _check_sampling(body: dict[str, Any]) -> None:
    for name, low, high in (("temperature", 0.0, 1.0), ("top_p", 0.0, 1.0)):
        value = body.get(name)
        if value is None:
            continue
        if not _is_number(value):
            _fail(f"{name}: Input should be a valid number")
        if not low <= value <= high:
            _fail(f"{name}: Input should be between {low:g} and {high:g}")
    top_k = body.get("top_k")
    if top_k is not None and (not _is_int(top_k) or top_k < 0):
        _fail("top_k: Input should be a non-negative integer")
    stops = body.get("stop_sequences")
    if stops is not None:
        if not isinstance(stops, list):
            _fail("stop_sequences: Input should be a valid list")
        for i, stop in enumerate(stops):
            if not isinstance(stop, str):
                _fail(f"stop_sequences.{i}: Input should be a valid string")
            if not stop.strip():
                _fail(f"stop_sequences.{i}: each stop sequence must contain non-whitespace")
    if "stream" in body and not isinstance(body["stream"], bool):
        _fail("stream: Input should be a valid boolean")
    metadata = body.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            _fail("metadata: Input should be a valid dictionary")
        user_id = metadata.get("user_id")
        if user_id is not None and not isinstance(user_id, str):
            _fail("metadata.user_id: Input should be a valid string")


def _check_common(body: dict[str, Any], max_tokens: int | None) -> None:
    _check_messages(body)
    if body.get("system") is not None:
        _check_text_blocks(body["system"], "system")
    tool_names = _check_tools(body)
    _check_tool_choice(body, tool_names)
    _check_thinking(body, max_tokens)
    _check_output(body)


def _check_fields(body: dict[str, Any], known: frozenset[str]) -> None:
    for name in body:
        if name not in known:
            _fail(f"{clip(name, 64, quote=False)}: Extra inputs are not permitted")


def _check_max_tokens(body: dict[str, Any]) -> int:
    if "max_tokens" not in body:
        _fail("max_tokens: Field required")
    max_tokens = body["max_tokens"]
    if not _is_int(max_tokens):
        _fail("max_tokens: Input should be a valid integer")
    if max_tokens < 1:
        _fail("max_tokens: Input should be greater than or equal to 1")
    model = find_model(body["model"])
    if model is not None and max_tokens > model.max_tokens:
        shown = str(max_tokens) if max_tokens < 10**12 else clip(str(max_tokens), 12, quote=False)
        _fail(
            f"max_tokens: {shown} > {model.max_tokens}, which is the maximum allowed number of output "
            f"tokens for {model.id}"
        )
    return int(max_tokens)


def validate_messages(body: dict[str, Any], *, beta: bool = False, allow_unknown: bool = False) -> None:
    """Check a ``POST /v1/messages`` body, in the order the API reports problems."""
    _check_model(body)
    if not allow_unknown:
        _check_fields(body, KNOWN_FIELDS)
    max_tokens = _check_max_tokens(body)
    _check_common(body, max_tokens)
    _check_sampling(body)


def validate_count_tokens(body: dict[str, Any], *, beta: bool = False, allow_unknown: bool = False) -> None:
    """Check a ``POST /v1/messages/count_tokens`` body."""
    _check_model(body)
    if not allow_unknown:
        _check_fields(body, COUNT_TOKENS_FIELDS)
    _check_common(body, None)
