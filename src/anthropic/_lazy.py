"""Module attributes that load on first access, from a table of name -> defining module.

A package that lists its public names in a table (``{"Message": ".message"}``,
module paths relative to the package; ``".module:attr"`` when the module calls
the value by another name) gets its module ``__getattr__`` and
``__dir__`` from :func:`lazy_names`::

    __getattr__, __dir__ = lazy_names(__name__, NAMES)

The first access of a name imports its module and stores the value on the
package, so later accesses are plain attribute lookups.  An attribute that is
not in the table but names a submodule (``anthropic.types.message``) imports
that submodule, as an eagerly importing package would have it.  Anything else
is an ``AttributeError`` naming the package and the attribute.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping

__all__ = ["lazy_names"]


def lazy_names(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, resolving ``names`` on first access."""

    def __getattr__(name: str) -> Any:
        target = names.get(name)
        if target is not None:
            module, _, attr = target.partition(":")
            value = getattr(importlib.import_module(module, package), attr or name)
        elif name.isidentifier() and not name.startswith("__"):
            try:
                value = importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names})

    return __getattr__, __dir__
