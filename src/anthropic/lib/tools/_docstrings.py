"""A tool function's docstring, read for its description and the descriptions of its arguments.

:func:`read_docstring` is pure and never fails: any text gives a description
(possibly empty) and a mapping of argument name to description (possibly
empty).  Three common layouts are understood for the arguments:

- Google: an ``Args:`` (``Arguments:``, ``Parameters:``, ``Params:``,
  ``Keyword Args:``) section of ``name: text`` or ``name (type): text``
  entries, continuation lines indented further;
- Sphinx / reST: ``:param name: text`` or ``:param type name: text``;
- NumPy: a ``Parameters`` heading underlined with dashes, then ``name : type``
  lines each followed by their indented text.

The description is the first line of the docstring, then, after a blank line,
the rest of the text before the first section (``Args:``, ``Returns:``, a
``:param`` field, an underlined heading, ...), blank lines at its ends removed.
"""

from __future__ import annotations

import inspect
import re

__all__ = ["read_docstring"]

_GOOGLE_ARGS = {"args", "arguments", "parameters", "params", "keyword args", "keyword arguments", "other parameters"}
_GOOGLE_SECTION = re.compile(
    r"^(args|arguments|parameters|params|keyword args|keyword arguments|other parameters|returns?|yields?|raises|"
    r"examples?|notes?|attributes|see also|warnings?|todo|references|methods)\s*:\s*$",
    re.IGNORECASE,
)
_NUMPY_RULE = re.compile(r"^\s*-{3,}\s*$")
_REST_FIELD = re.compile(r"^\s*:(\w+)")
_REST_PARAM = re.compile(r"^\s*:(?:param|parameter|arg|argument|key|keyword)\s+(?:[^:]*\s)?\*{0,2}(\w+)\s*:(.*)$")
_GOOGLE_ENTRY = re.compile(r"^\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:(.*)$")
_NUMPY_ENTRY = re.compile(r"^\*{0,2}(\w+(?:\s*,\s*\*{0,2}\w+)*)\s*(?::.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_section_start(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _GOOGLE_SECTION.match(line.strip()) or _REST_FIELD.match(line):
        return True
    return bool(line.strip()) and i + 1 < len(lines) and bool(_NUMPY_RULE.match(lines[i + 1]))


def _trim(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return inspect.cleandoc(text) if text.strip() else ""


def _block(lines: list[str], start: int, base: int) -> tuple[list[str], int]:
    """The lines after ``start`` indented deeper than ``base`` (blank lines included), and where they end."""
    out: list[str] = []
    i = start
    while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
        out.append(lines[i])
        i += 1
    while out and not out[-1].strip():
        out.pop()
        i -= 1
    return out, i


def _join(first: str, rest: list[str]) -> str:
    parts = [first.strip()] if first.strip() else []
    if rest:
        parts.append(inspect.cleandoc("\n".join(rest)))
    return "\n".join(parts).strip()


def _google_args(lines: list[str], start: int, params: dict[str, str]) -> None:
    body, _ = _block(lines, start, _indent(lines[start - 1]))
    entries = [line for line in body if line.strip()]
    if not entries:
        return
    base = min(_indent(line) for line in entries)
    i = 0
    while i < len(body):
        line = body[i]
        if line.strip() and _indent(line) == base:
            match = _GOOGLE_ENTRY.match(line.strip())
            rest, end = _block(body, i + 1, base)
            if match:
                params.setdefault(match.group(1), _join(match.group(2), rest))
            i = max(end, i + 1)
        else:
            i += 1


def _numpy_params(lines: list[str], start: int, params: dict[str, str]) -> None:
    base = _indent(lines[start - 2])
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _indent(line) < base or (i + 1 < len(lines) and _NUMPY_RULE.match(lines[i + 1])):
            return
        match = _NUMPY_ENTRY.match(line.strip())
        rest, end = _block(lines, i + 1, _indent(line))
        if match:
            for name in match.group(1).split(","):
                params.setdefault(name.strip().lstrip("*"), _join("", rest))
        i = max(end, i + 1)


def read_docstring(doc: str | None) -> tuple[str, dict[str, str]]:
    """``(description, {argument: description})`` read from ``doc``."""
    if not doc or not doc.strip():
        return "", {}
    lines = inspect.cleandoc(doc).splitlines()
    end = next((i for i in range(len(lines)) if _is_section_start(lines, i)), len(lines))
    head = lines[:end]
    while head and not head[0].strip():
        head.pop(0)
    description = head[0].strip() if head else ""
    long = _trim(head[1:])
    if long:
        description = f"{description}\n\n{long}" if description else long

    params: dict[str, str] = {}
    i = end
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        google = _GOOGLE_SECTION.match(stripped)
        if google:
            if google.group(1).lower() in _GOOGLE_ARGS:
                _google_args(lines, i + 1, params)
            i += 1
            continue
        rest_param = _REST_PARAM.match(line)
        if rest_param:
            rest, after = _block(lines, i + 1, _indent(line))
            params.setdefault(rest_param.group(1), _join(rest_param.group(2), rest))
            i = max(after, i + 1)
            continue
        if stripped.lower() in ("parameters", "other parameters") and i + 1 < len(lines) and _NUMPY_RULE.match(lines[i + 1]):
            _numpy_params(lines, i + 2, params)
        i += 1
    return description, {name: text for name, text in params.items() if text}
