"""The shared frame of every Python scenario script.

A scenario registers its checks in order with ``@scenario.check("name")`` and
calls ``scenario.run()``.  Each check prints exactly one line on stdout:

    ok   NAME  detail
    FAIL NAME  reason
    n/a  NAME  why the library has no such feature

The first check is always ``import`` (the library and its ``anthropic``
integration are imported inside it), so an import failure is reported as a
failed check, and every later check then fails with "not run: import failed".
The script exits 1 when any check failed, else 0.  Nothing here imports
``anthropic`` at module level: the package under test is loaded by the checks.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Callable
from typing import Any

PROMPT_SAY = "Say exactly: ecosystem ok"
REPLY_SAY = "ecosystem ok"
PROMPT_COUNT = "Count to 5"
REPLY_COUNT = "1, 2, 3, 4, 5."
PROMPT_WEATHER = "What's the weather in Paris?"
MODEL = "claude-sonnet-4-5"
# A request header the emulator turns into an API-shaped 400 (see docs/emulator.md, Faults).
FAULT_400 = {"x-emulator-fault": "status=400;message=ecosystem fault"}


class NotApplicable(Exception):
    """Raised by a check for a feature the library does not offer."""


class Scenario:
    def __init__(self, library: str) -> None:
        self.library = library
        self.checks: list[tuple[str, Callable[[], Any]]] = []
        self.failed = False

    def check(self, name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
        def register(fn: Callable[[], Any]) -> Callable[[], Any]:
            self.checks.append((name, fn))
            return fn

        return register

    def run(self) -> None:
        imported = True
        for name, fn in self.checks:
            if not imported:
                self._line("FAIL", name, "not run: import failed")
                continue
            try:
                detail = fn()
            except NotApplicable as exc:
                self._line("n/a", name, str(exc))
                continue
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                self._line("FAIL", name, describe(exc))
                if os.environ.get("ECOSYSTEM_TRACEBACK"):
                    traceback.print_exc(file=sys.stderr)
                if name == "import":
                    imported = False
                continue
            self._line("ok", name, "" if detail is None else str(detail))
        sys.exit(1 if self.failed else 0)

    def _line(self, status: str, name: str, detail: str) -> None:
        if status == "FAIL":
            self.failed = True
        detail = re.sub(r"(?:/[^\s()'\"]+)?/site-packages/", "site-packages/", " ".join(detail.split()))
        if len(detail) > 300:
            detail = detail[:297] + "..."
        print(f"{status:<4} {name:<12} {detail}".rstrip(), flush=True)


def describe(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    name = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    text = str(exc).strip().splitlines()
    line = f"{name}: {text[0] if text else ''}"
    # Libraries often re-raise an import failure as their own "please install ..." error: name the cause.
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, ImportError) and cause is not None and cause is not exc:
        line += f" (caused by {describe(cause)})"
    return line


def expect(condition: Any, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def expect_equal(actual: Any, expected: Any, what: str) -> None:
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def find_bad_request(exc: BaseException) -> Any:
    """The ``anthropic.BadRequestError`` that ``exc`` is, or that caused it (400 checked)."""
    import anthropic

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, anthropic.BadRequestError):
            expect_equal(current.status_code, 400, "BadRequestError.status_code")
            return current
        todo.extend([current.__cause__, current.__context__])
        todo.extend(getattr(current, "exceptions", None) or ())
    raise AssertionError(f"no anthropic.BadRequestError in the chain of {describe(exc)}")


def expect_bad_request(call: Callable[[], Any]) -> str:
    """Run ``call``, which must fail with an ``anthropic.BadRequestError`` somewhere in its chain."""
    try:
        call()
    except Exception as exc:
        found = find_bad_request(exc)
        outer = "" if found is exc else f" (inside {type(exc).__name__})"
        return f"{type(found).__name__} {found.status_code}{outer}"
    raise AssertionError("the request succeeded; expected a 400")
