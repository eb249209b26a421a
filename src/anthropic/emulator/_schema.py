"""Example values for a JSON schema: the emulator's tool inputs and structured outputs.

Covered: ``type`` (also a list of types), ``enum``, ``const``, ``properties``,
``required``, ``additionalProperties``, ``minProperties``, ``items``,
``prefixItems``, ``minItems``/``maxItems``, ``uniqueItems``, ``minimum``,
``maximum``, ``exclusiveMinimum``/``exclusiveMaximum`` (numbers, or the draft 4
booleans), ``multipleOf``, ``minLength``/``maxLength``, ``format`` (date-time,
date, time, email, uri, uuid, hostname, ipv4, ipv6), ``anyOf``, ``oneOf``,
``allOf`` and local ``$ref`` (``#/$defs/...``, ``#/definitions/...``, ``#``).
``pattern`` is not honoured.

Values are filled from the prompt where it offers something that fits
(capitalised names such as "San Francisco", quoted text, numbers), otherwise
from a small table keyed on the property name, otherwise ``"example <name>"``.
Properties whose names say they hold a path, a command, code or a URL get an
inert placeholder instead (``<placeholder path>``): never something a tool
would act on.  Optional properties are filled about half the time.

Work is bounded whatever the schema: at most :data:`MAX_VALUES` values per
example, arrays of at most :data:`MAX_ITEMS`, strings of at most
:data:`MAX_STRING`; past a budget the example is cut short (it may then miss
a ``minItems``/``minLength`` constraint the API would not accept anyway).
"""

from __future__ import annotations

import math
import random
import re
import uuid
from typing import Any

__all__ = ["PromptHints", "example_value"]

_MAX_DEPTH = 6
_HARD_DEPTH = 24
MAX_VALUES = 2_000
MAX_ITEMS = 100
MAX_STRING = 10_000
_MAX_EXTRA_KEYS = 20

# Property names that say "this is acted on": they get an inert placeholder, never a prompt value.
_SENSITIVE_WORDS = frozenset(
    [
        "path",
        "paths",
        "filepath",
        "filename",
        "file",
        "files",
        "dir",
        "dirs",
        "directory",
        "folder",
        "command",
        "commands",
        "cmd",
        "script",
        "shell",
        "code",
        "program",
        "exec",
        "executable",
        "glob",
        "pattern",
        "regex",
        "argv",
        "args",
    ]
)
_NOT_SENSITIVE = frozenset(
    [
        "zip",
        "postal",
        "country",
        "language",
        "currency",
        "area",
        "status",
        "error",
        "color",
        "colour",
        "promo",
    ]
)

_NAMED_STRINGS: tuple[tuple[str, str], ...] = (
    ("email", "ada@example.com"),
    ("url", "https://example.com"),
    ("city", "Paris"),
    ("location", "Paris, France"),
    ("address", "1 Example Street, Paris"),
    ("country", "France"),
    ("language", "English"),
    ("color", "blue"),
    ("colour", "blue"),
    ("date", "2025-01-15"),
    ("title", "A short title"),
    ("summary", "A brief summary."),
    ("description", "A brief description."),
    ("query", "example search"),
    ("name", "Ada Lovelace"),
)

_FORMATS: dict[str, str] = {
    "date-time": "2025-01-15T10:30:00Z",
    "date": "2025-01-15",
    "time": "10:30:00",
    "email": "ada@example.com",
    "idn-email": "ada@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "iri": "https://example.com/resource",
    "uri-reference": "/resource",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "duration": "PT1H",
}

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'\u2019-]*")
_QUOTED = re.compile(r"\"([^\"\n]{1,80})\"|\u201c([^\u201d\n]{1,80})\u201d")
_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.])")
_INTEGER = re.compile(r"(?<![\w.])-?\d+(?![\w.])")
_I_WORDS = {"I", "I'd", "I'm", "I'll", "I've", "I\u2019d", "I\u2019m", "I\u2019ll", "I\u2019ve"}


class PromptHints:
    """Values found in the prompt, handed out in order of appearance."""

    def __init__(self, prompt: str) -> None:
        self.strings: list[str] = _capitalised_runs(prompt) + [
            (m.group(1) or m.group(2)).strip() for m in _QUOTED.finditer(prompt)
        ]
        self.decimals = [float(m.group()) for m in _DECIMAL.finditer(prompt)]
        self.integers = [int(m.group()) for m in _INTEGER.finditer(prompt) if len(m.group()) < 16]
        self._used_strings = 0
        self._used_numbers: set[tuple[str, int]] = set()

    def next_string(self) -> str | None:
        if self._used_strings < len(self.strings):
            self._used_strings += 1
            return self.strings[self._used_strings - 1]
        return None

    def number(self, kind: str, fits: Any) -> float | int | None:
        pools: list[tuple[str, list[Any]]] = [("i", self.integers)]
        if kind == "number":
            pools.insert(0, ("d", self.decimals))
        for tag, pool in pools:
            for i, value in enumerate(pool):
                if (tag, i) not in self._used_numbers and fits(value):
                    self._used_numbers.add((tag, i))
                    return value  # type: ignore[no-any-return]
        return None


def _capitalised_runs(text: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    starts_sentence = False
    end = -1
    for m in _WORD.finditer(text):
        word = m.group()
        capital = word[0].isupper() and word not in _I_WORDS
        adjacent = current and text[end : m.start()] == " "
        if capital and adjacent:
            current.append(word)
        else:
            if current and (len(current) > 1 or not starts_sentence):
                runs.append(" ".join(current))
            current = []
            if capital:
                # A bounded look back (linear overall): what precedes the word, past blanks and quotes.
                window = text[max(0, m.start() - 32) : m.start()]
                before = window.rstrip().rstrip("\"'\u201c\u2018(").rstrip()
                starts_sentence = (not before and m.start() <= 32) or (
                    bool(before) and before[-1] in ".!?:;\n"
                )
                current = [word]
        end = m.end()
    if current and (len(current) > 1 or not starts_sentence):
        runs.append(" ".join(current))
    return runs


def example_value(schema: Any, rng: random.Random, hints: PromptHints | None = None) -> Any:
    """A value valid against ``schema`` (within the subset this module covers)."""
    return _Maker(schema, rng, hints or PromptHints("")).make(schema, "", 0)


class _Maker:
    def __init__(self, root: Any, rng: random.Random, hints: PromptHints) -> None:
        self.root = root
        self.rng = rng
        self.hints = hints
        self.left = MAX_VALUES

    def resolve(self, ref: str) -> Any:
        if ref == "#":
            return self.root
        if not ref.startswith("#/"):
            return {}
        node = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return {}
        return node

    def make(self, schema: Any, name: str, depth: int) -> Any:
        if depth > _HARD_DEPTH or schema is False:
            return None
        self.left -= 1
        if self.left < 0:
            return _smallest(schema)
        if not isinstance(schema, dict):
            schema = {}
        if "$ref" in schema:
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            target = self.resolve(str(schema["$ref"]))
            schema = {**target, **rest} if isinstance(target, dict) else rest
            depth += 1
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self.rng.choice(schema["enum"])
        if isinstance(schema.get("allOf"), list):
            schema = _merge_all_of(schema)
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                rest = {k: v for k, v in schema.items() if k != key}
                branch = _first_not_null(branches)
                if isinstance(branch, dict):
                    return self.make({**rest, **branch}, name, depth)
                return self.make(rest, name, depth)
        kind = _pick_type(schema)
        if kind == "object":
            return self.make_object(schema, depth)
        if kind == "array":
            return self.make_array(schema, name, depth)
        if kind in ("integer", "number"):
            return self.make_number(schema, kind)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        return self.make_string(schema, name)

    def make_object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        required = schema.get("required")
        required_set = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        out: dict[str, Any] = {}
        optional: list[str] = []
        for key, sub in props.items():
            if key in required_set or (depth < _MAX_DEPTH and self.left > 0 and self.rng.random() < 0.6):
                out[key] = self.make(sub, key, depth + 1)
            else:
                optional.append(key)
        for key in required_set - props.keys():
            extra = schema.get("additionalProperties")
            out[key] = self.make(extra if isinstance(extra, dict) else {}, key, depth + 1)
        min_props = schema.get("minProperties")
        want = min(min_props, len(props) + _MAX_EXTRA_KEYS) if isinstance(min_props, int) else 0
        for key in optional:
            if len(out) >= want:
                break
            out[key] = self.make(props[key], key, depth + 1)
        extra = schema.get("additionalProperties", True)
        if extra is not False and (len(out) < want or (not props and isinstance(extra, dict))):
            n = max(want - len(out), 1 if not props and depth < _MAX_DEPTH else 0)
            for i in range(n):
                key = f"key{i + 1}"
                while key in out:
                    key += "_"
                out[key] = self.make(extra if isinstance(extra, dict) else {}, key, depth + 1)
        return out

    def make_array(self, schema: dict[str, Any], name: str, depth: int) -> list[Any]:
        prefix = schema.get("prefixItems")
        prefix = prefix if isinstance(prefix, list) else []
        items = schema.get("items", {})
        if isinstance(items, list):  # draft 4 tuple form
            prefix, items = items, schema.get("additionalItems", {})
        lo = schema.get("minItems", 0)
        lo = lo if isinstance(lo, int) and lo > 0 else 0
        hi = schema.get("maxItems")
        hi = hi if isinstance(hi, int) and hi >= lo else None
        count = lo if depth >= _MAX_DEPTH else max(lo, self.rng.randint(1, 3))
        if hi is not None:
            count = min(count, hi)
        count = min(count, MAX_ITEMS)
        out: list[Any] = [self.make(sub, name, depth + 1) for sub in prefix[:count]]
        if items is False:
            return out
        unique = schema.get("uniqueItems") is True
        attempts = 0
        while len(out) < count and attempts < count * 8 + 8:
            attempts += 1
            value = self.make(items, name, depth + 1)
            if value in out and isinstance(value, str) and _free_string(items):
                value = f"{value} {len(out) + 1}"
            if unique and value in out:
                continue
            out.append(value)
        return out

    def make_number(self, schema: dict[str, Any], kind: str) -> int | float:
        try:
            return self._make_number(schema, kind)
        except (OverflowError, ValueError, ZeroDivisionError):  # bounds no number fits, or too large
            return 0

    def _make_number(self, schema: dict[str, Any], kind: str) -> int | float:
        lo, lo_open = _bound(schema, "minimum", "exclusiveMinimum")
        hi, hi_open = _bound(schema, "maximum", "exclusiveMaximum")
        step = schema.get("multipleOf")
        step = step if isinstance(step, (int, float)) and not isinstance(step, bool) and step > 0 else None
        if kind == "integer":
            step = _int_step(step)

        def fits(v: float) -> bool:
            if kind == "integer" and v != int(v):
                return False
            if lo is not None and (v < lo or (lo_open and v == lo)):
                return False
            if hi is not None and (v > hi or (hi_open and v == hi)):
                return False
            return step is None or _is_multiple(v, step)

        hinted = self.hints.number(kind, fits)
        if hinted is not None:
            return int(hinted) if kind == "integer" else hinted
        start = lo if lo is not None else (hi - 100 if hi is not None else 1)
        stop = hi if hi is not None else start + 100
        if step is not None:
            first = math.ceil(start / step)
            last = math.floor(stop / step)
            for k in (self.rng.randint(first, max(first, last)), first, first + 1, last - 1, last):
                v = k * step
                if kind == "integer":
                    v = round(v)
                elif isinstance(step, float):
                    v = round(v, 10)
                if fits(v):
                    return v
            return int(first * step) if kind == "integer" else first * step
        if kind == "integer":
            a = math.ceil(start) + (1 if lo_open and math.ceil(start) == start else 0)
            b = math.floor(stop) - (1 if hi_open and math.floor(stop) == stop else 0)
            return self.rng.randint(a, b) if a <= b else a
        for _ in range(8):
            v = round(self.rng.uniform(start, stop), 2)
            if fits(v):
                return v
        return (start + stop) / 2

    def make_string(self, schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format")
        if _is_sensitive(name) and not isinstance(schema.get("enum"), list):
            text = _placeholder(name)
        elif fmt == "uuid":
            text = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        elif isinstance(fmt, str) and fmt in _FORMATS:
            text = _FORMATS[fmt]
        else:
            text = self.hints.next_string() or _named_string(name)
        lo = schema.get("minLength")
        hi = schema.get("maxLength")
        if isinstance(hi, int) and hi >= 0 and len(text) > hi:
            text = text[:hi]
        if isinstance(lo, int) and len(text) < lo:
            text += "x" * (min(lo, MAX_STRING) - len(text))
        return text


def _is_sensitive(name: str) -> bool:
    words = {w.lower() for w in re.findall(r"[A-Za-z][a-z]*|[A-Z]+(?![a-z])", name)}
    return bool(words & _SENSITIVE_WORDS) and not words & _NOT_SENSITIVE


def _placeholder(name: str) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])|[_\-]+", " ", name).strip().lower()
    return f"<placeholder {words}>"


def _smallest(schema: Any) -> Any:
    """A minimal value of the schema's type, for when the example budget is spent."""
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    kind = _pick_type(schema)
    return {"object": {}, "array": [], "integer": 0, "number": 0, "boolean": False, "null": None}.get(
        kind, ""
    )


def _named_string(name: str) -> str:
    key = name.lower()
    for needle, value in _NAMED_STRINGS:
        if needle in key:
            return value
    words = re.sub(r"(?<=[a-z])(?=[A-Z])|[_\-]+", " ", name).strip().lower()
    return f"example {words}" if words else "example"


def _pick_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        kind = non_null[0] if non_null else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return "number"
    return "string"


def _first_not_null(branches: list[Any]) -> Any:
    for branch in branches:
        if not (isinstance(branch, dict) and branch.get("type") == "null"):
            return branch
    return branches[0]


def _merge_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for sub in schema["allOf"]:
        if not isinstance(sub, dict):
            continue
        for key, value in sub.items():
            if key == "properties" and isinstance(value, dict):
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
            else:
                merged.setdefault(key, value)
    return merged


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str) -> tuple[float | None, bool]:
    value: Any = schema.get(inclusive)
    ex: Any = schema.get(exclusive)
    bound: float | None = float(value) if _is_num(value) else None
    is_open = False
    if ex is True and bound is not None:
        is_open = True
    elif _is_num(ex):
        ex = float(ex)
        if bound is None or (ex >= bound if inclusive == "minimum" else ex <= bound):
            bound, is_open = ex, True
    return bound, is_open


def _is_num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _int_step(step: float | None) -> int | None:
    if step is None:
        return None
    if step == int(step):
        return int(step)
    # The smallest integer that is a multiple of a fractional step.
    for k in range(1, 1001):
        if _is_multiple(k, step):
            return k
    return None


def _is_multiple(value: float, step: float) -> bool:
    q = value / step
    return abs(q - round(q)) < 1e-9


def _free_string(schema: Any) -> bool:
    """Whether any string may stand for ``schema``'s values (so one can be varied)."""
    return isinstance(schema, dict) and not any(
        k in schema for k in ("maxLength", "enum", "const", "format", "pattern", "$ref", "anyOf", "oneOf")
    )
