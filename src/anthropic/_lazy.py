"""Module attributes loaded on first use: the one ``__getattr__`` that every lazy module shares.

``__getattr__, __dir__ = lazy(__name__, {"Name": ".module", "Alias": ".module:Name"})``
makes ``module.Name`` import ``.module`` (relative to the lazy module's
package) the first time it is read, and cache it in the module's globals.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy"]


def lazy(module: str, table: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``module`` for the names of ``table``."""
    package = module if hasattr(sys.modules.get(module), "__path__") else module.rpartition(".")[0]

    def __getattr__(name: str) -> Any:
        where = table.get(name)
        if where is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        path, _, attr = where.partition(":")
        value = getattr(importlib.import_module(path, package), attr or name)
        vars(sys.modules[module])[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[module]), *table})

    return __getattr__, __dir__
