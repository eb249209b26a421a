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

The last check is ``names``, for a scenario made with ``scan=`` (the
library's installed packages): every name the library's sources take from
``anthropic`` (``import anthropic.x``, ``from anthropic.x import Y``, and
attribute chains such as ``anthropic.types.Y`` on those imports, including
the ones under ``TYPE_CHECKING``) must resolve in the package under test.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
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
    def __init__(self, library: str, *, scan: tuple[str, ...] = ()) -> None:
        self.library = library
        self.checks: list[tuple[str, Callable[[], Any]]] = []
        self.failed = False
        self.scan = scan

    def check(self, name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
        def register(fn: Callable[[], Any]) -> Callable[[], Any]:
            self.checks.append((name, fn))
            return fn

        return register

    def run(self) -> None:
        imported = True
        checks = list(self.checks)
        if self.scan:
            checks.append(("names", lambda: check_names(self.scan)))
        for name, fn in checks:
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


# -- the names check ---------------------------------------------------------------------------------


def _sources(package: str) -> Iterator[Path]:
    spec = importlib.util.find_spec(package)
    if spec is None:
        raise AssertionError(f"package {package} is not installed")
    if spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            yield from sorted(Path(location).rglob("*.py"))
    elif spec.origin:
        yield Path(spec.origin)


def anthropic_names(packages: tuple[str, ...]) -> dict[str, str]:
    """Every ``anthropic`` name the sources of ``packages`` use -> the first file using it.

    A name is a module (``import anthropic.types``), a module and a name in it
    (``from anthropic.types import Message`` -> ``anthropic.types:Message``), or
    an attribute chain on an imported ``anthropic`` module (``anthropic.types.Message``).
    """
    found: dict[str, str] = {}
    for package in packages:
        for path in _sources(package):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
            except SyntaxError:
                continue
            where = f"{package}/{path.name}"
            modules: dict[str, str] = {}  # a local name bound to an anthropic module -> its dotted path
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] == "anthropic":
                            found.setdefault(alias.name, where)
                            if alias.asname:
                                modules[alias.asname] = alias.name
                            else:
                                modules["anthropic"] = "anthropic"
                elif (
                    isinstance(node, ast.ImportFrom)
                    and node.level == 0
                    and node.module
                    and node.module.split(".")[0] == "anthropic"
                ):
                    for alias in node.names:
                        found.setdefault(f"{node.module}:{alias.name}", where)
                        modules.setdefault(alias.asname or alias.name, f"{node.module}.{alias.name}")
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Store):
                    chain: list[str] = []
                    current: ast.expr = node
                    while isinstance(current, ast.Attribute):
                        chain.append(current.attr)
                        current = current.value
                    if isinstance(current, ast.Name) and current.id in modules:
                        base = modules[current.id]
                        if base == "anthropic" or _is_module(base):
                            found.setdefault(".".join([base, *reversed(chain)]), where)
    return found


def _is_module(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


def _resolve(name: str) -> None:
    if ":" in name:
        module, attribute = name.split(":")
        loaded = importlib.import_module(module)
        if not hasattr(loaded, attribute):
            importlib.import_module(f"{module}.{attribute}")
        return
    parts = name.split(".")
    obj: Any = importlib.import_module(parts[0])
    path = parts[0]
    for part in parts[1:]:
        path = f"{path}.{part}"
        if hasattr(obj, part):
            obj = getattr(obj, part)
        elif isinstance(obj, type(sys)):
            obj = importlib.import_module(path)
        else:
            raise AttributeError(f"{type(obj).__name__} {path.rsplit('.', 1)[0]} has no attribute {part!r}")


def check_names(packages: tuple[str, ...]) -> str:
    names = anthropic_names(packages)
    missing = []
    for name, where in sorted(names.items()):
        try:
            _resolve(name)
        except Exception as exc:  # an import or attribute error: a name the package under test lacks
            missing.append(f"{name} (used in {where}: {type(exc).__name__})")
    if missing:
        raise AssertionError(f"{len(missing)} of {len(names)} names do not resolve: " + "; ".join(missing))
    return f"{len(names)} names from anthropic resolve"
