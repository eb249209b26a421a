"""Reply generation: a validated request in, the reply's content, stop reason and usage out.

No I/O here.  The same :class:`Draft` is served as one JSON message or as a
stream of events (see ``_events``), so both carry the same content.  Replies
are a function of the request: every random choice is drawn from generators
seeded with a hash of the request's canonical JSON.  The seed covers only what
shapes the content (model, system, messages, tools, tool choice, output
format), so changing ``max_tokens`` or ``stop_sequences`` cuts the same reply
at another place instead of producing a different one.

The rule for the reply (documented for users in ``docs/emulator.md``):

* the *prompt* is the text of the last user message;
* if the last user message carries ``tool_result`` blocks (and no tool call is
  forced), the reply acknowledges each result, naming its tool;
* else if tools are given and ``tool_choice`` is ``{"type": "tool"}`` or
  ``{"type": "any"}``, or ``auto`` (the default) and the prompt names a tool,
  the reply calls the tool(s) with inputs made from the ``input_schema``;
* else if an output format is given, the reply is JSON made from its schema;
* else if the system prompt asks for JSON ("Respond only with JSON ...") or an
  assistant prefill opens a JSON object or array, the reply is JSON: made from
  the first schema-like JSON object in the system prompt, else ``{"answer": ...}``;
* else the prompt "Say X" / "Repeat after me: X" is answered with X, "Count to
  N" (or "from M to N") with the numbers, anything else with a short paragraph
  that quotes the prompt;
* with thinking enabled, a thinking block comes first, within its budget;
* the result is cut at the first stop sequence, then at ``max_tokens``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from typing import Any

from ._schema import PromptHints, example_value
from ._tokens import count_tokens, estimate_input_tokens, split_tokens
from ._wire import derived_id

__all__ = ["Draft", "draft_from_content", "generate", "request_seeds"]

_SEED_FIELDS = ("model", "system", "messages", "tools", "tool_choice", "output_format")
TOOL_BLOCKS = ("tool_use", "server_tool_use", "mcp_tool_use")

_OPENERS = (
    'You asked about "{topic}".',
    'Here is a reply to "{topic}".',
    'Thanks for your message about "{topic}".',
    'Good question: "{topic}".',
)
_SENTENCES = (
    "The short answer is that it depends on the details, so here is the general idea.",
    "A good way to start is to break the problem into small steps and take them one at a time.",
    "Most of the work is in getting the first step right; the rest follows from it.",
    "There are a few trade-offs to keep in mind \u2014 speed, simplicity and cost.",
    "If you share more context, I can give a more specific answer.",
    "An example usually makes this clearer than a definition does.",
    "It helps to write down what a good result looks like before starting.",
    "The simplest approach is often the most reliable one.",
    "The details matter less than the overall direction at this stage.",
    "Checking the result against a small, known case is a quick way to catch mistakes.",
)
_CLOSER = "(This is a simulated reply from the local Messages API emulator.)"

# Greedy to the end, stripped afterwards: a lazy ``.+?\s*$`` is quadratic on long blank runs.
_SAY = re.compile(
    r"^\s*(?:please\s+)?(?:say|repeat|echo)(?:\s+after\s+me)?(?:\s+exactly)?\s*:?\s+(?P<text>.+)",
    re.IGNORECASE | re.DOTALL,
)
_COUNT = re.compile(r"\bcount\s+(?:from\s+(?P<start>-?\d{1,6})\s+)?(?:up\s+)?to\s+(?P<end>-?\d{1,6})\b", re.I)
_MAX_COUNT = 10_000
_QUOTES = (('"', '"'), ("'", "'"), ("\u201c", "\u201d"))
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass
class Draft:
    """A reply ready to serve: the Message fields plus what streaming needs."""

    id: str
    model: str
    content: list[dict[str, Any]]
    stop_reason: str | None
    stop_sequence: str | None
    usage: dict[str, Any]
    seed: bytes
    # Streamed input JSON of tool blocks, by block index, when it is not the
    # JSON of the block's ``input`` (a tool call cut by ``max_tokens``).
    partial_json: dict[int, str] = field(default_factory=dict)

    def message(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": self.content,
            "stop_reason": self.stop_reason,
            "stop_sequence": self.stop_sequence,
            "usage": self.usage,
        }


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def request_seeds(body: dict[str, Any]) -> tuple[bytes, bytes]:
    """``(content_seed, id_seed)``: what the content depends on, and the whole request."""
    shaping = {k: body.get(k) for k in _SEED_FIELDS}
    config = body.get("output_config")
    if isinstance(config, dict) and config.get("format") is not None:
        shaping["output_format"] = config["format"]
    content_seed = hashlib.sha256(_canonical(shaping)).digest()
    id_seed = hashlib.sha256(_canonical({k: v for k, v in body.items() if k != "stream"})).digest()
    return content_seed, id_seed


def rng_for(seed: bytes, purpose: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed + purpose.encode()).digest()[:16], "big"))


def _usage(input_tokens: int, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }


# --- reading the conversation -------------------------------------------------------------


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            b["text"] for b in content if isinstance(b, dict) and b.get("type") == "text" and "text" in b
        )
    return ""


@dataclass
class _Conversation:
    prompt: str
    tool_results: list[tuple[str, str, bool]]
    prefill: str

    @classmethod
    def read(cls, body: dict[str, Any]) -> _Conversation:
        messages: list[dict[str, Any]] = body["messages"]
        names: dict[str, str] = {}
        for message in messages:
            if message["role"] == "assistant" and isinstance(message["content"], list):
                for block in message["content"]:
                    if block.get("type") in TOOL_BLOCKS:
                        names[block.get("id", "")] = block.get("name", "tool")
        prefill = ""
        last_user: dict[str, Any] | None = None
        for message in reversed(messages):
            if message["role"] == "user":
                last_user = message
                break
        if messages[-1]["role"] == "assistant":
            prefill = _text_of(messages[-1]["content"])
        prompt = _text_of(last_user["content"]).strip() if last_user else ""
        results: list[tuple[str, str, bool]] = []
        if last_user is not None and isinstance(last_user["content"], list):
            for block in last_user["content"]:
                if block.get("type") == "tool_result":
                    name = names.get(block.get("tool_use_id", ""), "tool")
                    results.append((name, _text_of(block.get("content", "")), bool(block.get("is_error"))))
        return cls(prompt=prompt, tool_results=results, prefill=prefill)

    def topic(self) -> str:
        line = " ".join(self.prompt.split())
        line = line.rstrip("?!.:; ")
        if not line:
            return "your message"
        if len(line) > 60:
            cut = line[:60].rsplit(" ", 1)[0] or line[:60]
            line = cut.rstrip(",;:") + "\u2026"
        return line


def _names_tool(prompt: str, name: str) -> bool:
    lowered = prompt.lower()
    if name.lower() in lowered:
        return True
    words = [w.lower() for w in _NAME_WORDS.findall(name) if len(w) >= 4]
    return bool(words) and all(re.search(r"\b" + re.escape(w), lowered) for w in words)


_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]{0,40})(?:\s[^<>]{0,200})?>")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_LEAD = re.compile(
    r"^\s*(?:(?:please|pls|now|then|also|and|so|ok|okay|first|next)[\s,]+)*"
    r"(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?(?P<word>[a-z']+)",
    re.IGNORECASE,
)
_REQUEST_WORDS = frozenset(
    [
        "use",
        "call",
        "run",
        "invoke",
        "execute",
        "get",
        "fetch",
        "find",
        "search",
        "look",
        "check",
        "read",
        "open",
        "write",
        "create",
        "make",
        "list",
        "show",
        "tell",
        "give",
        "compute",
        "calculate",
        "send",
        "save",
        "delete",
        "remove",
        "update",
        "add",
        "convert",
        "translate",
        "book",
        "schedule",
        "set",
        "query",
        "try",
        "lookup",
        "fill",
        "look",
        "summarise",
        "summarize",
        "what",
        "what's",
        "whats",
        "how",
        "when",
        "where",
        "who",
        "which",
        "is",
        "are",
        "do",
        "does",
    ]
)
_MAX_SENTENCES = 200


def _own_words(prompt: str) -> str:
    """The prompt without the ``<tag>...</tag>`` sections tools and frameworks inject (linear time)."""
    out: list[str] = []
    depth: list[str] = []
    last = 0
    for m in _TAG.finditer(prompt):
        closing, name = m.group(1), m.group(2).lower()
        if not depth:
            out.append(prompt[last : m.start()])
        if closing:
            if name in depth:
                while depth and depth.pop() != name:
                    pass
        else:
            depth.append(name)
        last = m.end()
        if not depth:
            out.append(" ")
    if not depth:
        out.append(prompt[last:])
    return "".join(out)


def asked_tools(prompt: str, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tools the user's turn asks for: named in a sentence that is a request.

    A sentence is a request when it is a question (ends with ``?``) or starts,
    after politeness (``please``, ``can you``), with a request word such as
    ``use``, ``get``, ``what``.  Descriptions ("The Bash tool runs commands.")
    ask for nothing.  Text inside ``<tag>...</tag>`` sections is not the user's.
    """
    wanted: set[str] = set()
    for i, m in enumerate(_SENTENCE.finditer(_own_words(prompt))):
        if i >= _MAX_SENTENCES:
            break
        sentence = m.group()
        lead = _LEAD.match(sentence)
        if not (sentence.rstrip().endswith("?") or (lead and lead.group("word").lower() in _REQUEST_WORDS)):
            continue
        for tool in tools:
            if tool["name"] not in wanted and _names_tool(sentence, tool["name"]):
                wanted.add(tool["name"])
    return [t for t in tools if t["name"] in wanted]


def _chosen_tools(body: dict[str, Any], conv: _Conversation) -> list[dict[str, Any]]:
    tools = [t for t in body.get("tools") or () if isinstance(t.get("input_schema"), dict)]
    choice = body.get("tool_choice") or {"type": "auto"}
    kind = choice.get("type")
    if not tools or kind == "none":
        return []
    if kind == "tool":
        return [t for t in tools if t["name"] == choice.get("name")][:1]
    asked = asked_tools(conv.prompt, tools)
    if kind == "any":
        chosen = asked or tools[:1]
    elif conv.tool_results:
        chosen = []
    else:
        chosen = asked
    return chosen[:1] if choice.get("disable_parallel_tool_use") else chosen


_ASKS_JSON = re.compile(
    r"\b(?:respond|reply|answer|output|return|format|write)\w*\b[^.\n]{0,60}?\bJSON\b"
    r"|\bJSON\s+only\b|\bonly\s+(?:valid\s+)?JSON\b",
    re.IGNORECASE,
)
_MAX_SCHEMA_TRIES = 20
_MAX_SCAN = 200_000


def _embedded_schema(text: str) -> dict[str, Any] | None:
    """The first JSON object in ``text`` that reads as a JSON schema (bounded tries)."""
    decoder = json.JSONDecoder()
    text = text[:_MAX_SCAN]
    at = text.find("{")
    tries = 0
    while at >= 0 and tries < _MAX_SCHEMA_TRIES:
        tries += 1
        try:
            value, _ = decoder.raw_decode(text, at)
        except ValueError:
            value = None
        if isinstance(value, dict) and ("properties" in value or value.get("type") in ("object", "array")):
            return value
        at = text.find("{", at + 1)
    return None


def _json_request(body: dict[str, Any], conv: _Conversation) -> tuple[bool, dict[str, Any] | None]:
    """Whether the system prompt or a prefill asks for JSON, and the schema it gives (if any).

    The system prompt asks when it says so ("Respond only with JSON ...");
    a prefill asks when it opens a JSON object or array.  The schema is the
    first JSON object in the system prompt that reads as one.
    """
    system = _text_of(body.get("system") or "")
    asked = bool(_ASKS_JSON.search(system[:_MAX_SCAN])) or conv.prefill.lstrip()[:1] in ("{", "[")
    if not asked:
        return False, None
    return True, _embedded_schema(system)


def _output_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    fmt = body.get("output_format")
    config = body.get("output_config")
    if fmt is None and isinstance(config, dict):
        fmt = config.get("format")
    schema = fmt.get("schema") if isinstance(fmt, dict) else None
    return schema if isinstance(schema, dict) else None


# --- writing the reply --------------------------------------------------------------------


def _sentence(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if not text:
        return "(no content)."
    if len(text) > limit:
        text = text[:limit].rstrip() + "\u2026"
    return text if text[-1] in ".!?\u2026)" else text + "."


def _unquote(text: str) -> str:
    for left, right in _QUOTES:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            return text[1:-1]
    return text


def _plain_text(conv: _Conversation, rng: random.Random) -> str:
    if conv.tool_results:
        parts = []
        for name, result, is_error in conv.tool_results:
            verb = "reported an error" if is_error else "returned"
            parts.append(f"The {name} tool {verb}: {_sentence(result)}")
        parts.append("That answers the request; let me know if you need anything else.")
        return " ".join(parts)
    said = _SAY.match(conv.prompt)
    if said and said.group("text").strip():
        return _unquote(said.group("text").strip())
    counted = _COUNT.search(conv.prompt)
    if counted:
        start = int(counted.group("start") or 1)
        end = int(counted.group("end"))
        step = 1 if end >= start else -1
        end = start + step * min(abs(end - start), _MAX_COUNT)
        return ", ".join(str(n) for n in range(start, end + step, step)) + "."
    opener = rng.choice(_OPENERS).format(topic=conv.topic())
    return " ".join([opener, *rng.sample(_SENTENCES, 3), _CLOSER])


def _thinking_text(conv: _Conversation, tools: list[dict[str, Any]], structured: bool) -> str:
    parts = [f'The user wrote: "{conv.topic()}".']
    if tools:
        names = " and ".join(t["name"] for t in tools)
        parts.append(f"Calling {names} should help here, with arguments taken from the message.")
    elif conv.tool_results:
        parts.append("The tool results are in, so I can answer now.")
    elif structured:
        parts.append("The answer has to be JSON that matches the requested schema.")
    else:
        parts.append("A short, direct answer with a concrete next step should work.")
    parts.append("Let me write the reply.")
    return " ".join(parts)


def signature_for(seed: bytes, thinking: str) -> str:
    digest = hashlib.sha256(seed + thinking.encode()).digest()
    return base64.b64encode(digest + hashlib.sha256(digest).digest() + digest[:16]).decode()


def _cut_tokens(text: str, n: int) -> str:
    return "".join(split_tokens(text)[:n])


def _partial_input(text: str) -> dict[str, Any]:
    from pydantic_core import from_json

    try:
        value = from_json(text, allow_partial=True)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _block_tokens(block: dict[str, Any]) -> int:
    kind = block.get("type")
    if kind == "text":
        return count_tokens(block["text"])
    if kind == "thinking":
        return count_tokens(block["thinking"])
    if kind in TOOL_BLOCKS:
        return count_tokens(json.dumps(block.get("input"), ensure_ascii=False))
    return count_tokens(json.dumps(block, ensure_ascii=False))


def count_output_tokens(content: list[dict[str, Any]]) -> int:
    return max(1, sum(_block_tokens(b) for b in content))


def _apply_stop_sequences(
    content: list[dict[str, Any]], stops: list[str]
) -> tuple[list[dict[str, Any]], str | None]:
    if not stops:
        return content, None
    for i, block in enumerate(content):
        if block["type"] != "text":
            continue
        text: str = block["text"]
        best: tuple[int, str] | None = None
        for stop in stops:
            at = text.find(stop)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, stop)
        if best is not None:
            kept = content[:i]
            if best[0] > 0:
                kept.append({**block, "text": text[: best[0]]})
            return kept, best[1]
    return content, None


def _apply_max_tokens(
    content: list[dict[str, Any]], budget: int, seed: bytes
) -> tuple[list[dict[str, Any]], dict[int, str], bool]:
    """Cut ``content`` to ``budget`` output tokens: ``(content, partial_json, was_cut)``."""
    kept: list[dict[str, Any]] = []
    partial: dict[int, str] = {}
    for block in content:
        n = _block_tokens(block)
        if n <= budget:
            kept.append(block)
            budget -= n
            continue
        kind = block["type"]
        if budget > 0:
            if kind == "text":
                kept.append({**block, "text": _cut_tokens(block["text"], budget)})
            elif kind == "thinking":
                thinking = _cut_tokens(block["thinking"], budget)
                kept.append({**block, "thinking": thinking, "signature": signature_for(seed, thinking)})
            elif kind in TOOL_BLOCKS:
                raw = _cut_tokens(json.dumps(block["input"], ensure_ascii=False), budget)
                partial[len(kept)] = raw
                kept.append({**block, "input": _partial_input(raw)})
        return kept, partial, True
    return kept, partial, False


def generate(body: dict[str, Any]) -> Draft:
    """The emulator's reply to a validated ``POST /v1/messages`` body."""
    content_seed, id_seed = request_seeds(body)
    conv = _Conversation.read(body)
    tools = _chosen_tools(body, conv)
    schema = _output_schema(body)
    content: list[dict[str, Any]] = []

    thinking = body.get("thinking") or {}
    if thinking.get("type") in ("enabled", "adaptive"):
        text = _thinking_text(conv, tools, schema is not None)
        if thinking.get("display") == "omitted":
            text = ""
        elif thinking.get("type") == "enabled":
            text = _cut_tokens(text, int(thinking["budget_tokens"]))
        content.append({"type": "thinking", "thinking": text, "signature": signature_for(content_seed, text)})

    if tools:
        if (body.get("tool_choice") or {}).get("type", "auto") == "auto":
            names = " and ".join(t["name"] for t in tools)
            plural = "tools" if len(tools) > 1 else "tool"
            content.append({"type": "text", "text": f"I'll use the {names} {plural} for this."})
        hints = PromptHints(conv.prompt)
        for i, tool in enumerate(tools):
            value = example_value(tool["input_schema"], rng_for(content_seed, f"tool:{i}"), hints)
            content.append(
                {
                    "type": "tool_use",
                    "id": derived_id("toolu_", id_seed, i),
                    "name": tool["name"],
                    "input": value if isinstance(value, dict) else {},
                }
            )
    elif schema is not None:
        value = example_value(schema, rng_for(content_seed, "output"), PromptHints(conv.prompt))
        content.append({"type": "text", "text": json.dumps(value, ensure_ascii=False)})
    else:
        wants_json, embedded = _json_request(body, conv) if not conv.tool_results else (False, None)
        if embedded is not None:
            value = example_value(embedded, rng_for(content_seed, "output"), PromptHints(conv.prompt))
            text = json.dumps(value, ensure_ascii=False)
        elif wants_json:
            text = json.dumps(
                {"answer": _plain_text(conv, rng_for(content_seed, "text"))}, ensure_ascii=False
            )
        else:
            text = _plain_text(conv, rng_for(content_seed, "text"))
        prefill = conv.prefill
        if prefill and text.startswith(prefill):
            text = text[len(prefill) :]
        elif wants_json and prefill.strip() and text.startswith(prefill.strip()):
            text = text[len(prefill.strip()) :]
        content.append({"type": "text", "text": text})

    stop_reason = "tool_use" if tools else "end_turn"
    content, stop_sequence = _apply_stop_sequences(content, body.get("stop_sequences") or [])
    if stop_sequence is not None:
        stop_reason = "stop_sequence"
    content, partial, cut = _apply_max_tokens(content, body["max_tokens"], content_seed)
    if cut:
        stop_reason, stop_sequence = "max_tokens", None
    elif stop_reason == "tool_use" and not any(b["type"] == "tool_use" for b in content):
        stop_reason = "end_turn"

    return Draft(
        id=derived_id("msg_", id_seed),
        model=body["model"],
        content=content,
        stop_reason=stop_reason,
        stop_sequence=stop_sequence,
        usage=_usage(estimate_input_tokens(body), count_output_tokens(content)),
        seed=content_seed,
        partial_json=partial,
    )


def draft_from_content(
    body: dict[str, Any] | None,
    content: list[dict[str, Any]],
    *,
    stop_reason: str | None,
    stop_sequence: str | None = None,
    usage: dict[str, Any] | None = None,
    model: str | None = None,
    message_id: str | None = None,
) -> Draft:
    """A scripted reply's Draft; ``usage`` and ids are filled in the way generated replies get them."""
    body = body or {}
    content_seed, id_seed = request_seeds(body)
    input_tokens = estimate_input_tokens(body) if isinstance(body.get("messages"), list) else 0
    full_usage = _usage(input_tokens, count_output_tokens(content))
    if usage:
        full_usage.update(usage)
    return Draft(
        id=message_id or derived_id("msg_", id_seed),
        model=model or str(body.get("model") or "claude-emulator"),
        content=content,
        stop_reason=stop_reason,
        stop_sequence=stop_sequence,
        usage=full_usage,
        seed=content_seed,
    )
