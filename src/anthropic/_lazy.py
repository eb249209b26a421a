"""Module attributes that load on first access, from a table of name -> defining module.

A module that lists its public names in a table (``{"Message": ".message"}``,
module paths relative to the module's package; ``".module:attr"`` when the
defining module calls the value by another name) gets its module
``__getattr__`` and ``__dir__`` from :func:`lazy_names`::

    __getattr__, __dir__ = lazy_names(__name__, NAMES)

The first access of a name imports its module and stores the value on the
module, so later accesses are plain attribute lookups.  For a package, an
attribute that is not in the table but names a submodule
(``anthropic.types.message``) imports that submodule, as an eagerly importing
package would have it.  Anything else is an ``AttributeError`` naming the
module and the attribute.  This is the one lazy ``__getattr__`` of the
library: every lazy module uses it.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping

__all__ = ["lazy_names"]


def lazy_names(module: str, names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``module``, resolving ``names`` on first access."""
    is_package = hasattr(sys.modules.get(module), "__path__")
    package = module if is_package else module.rpartition(".")[0]

    def __getattr__(name: str) -> Any:
        target = names.get(name)
        if target is not None:
            path, _, attr = target.partition(":")
            value = getattr(importlib.import_module(path, package), attr or name)
        elif is_package and name.isidentifier() and not name.startswith("__"):
            try:
                value = importlib.import_module(f"{module}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{module}.{name}":
                    raise
                raise AttributeError(f"module {module!r} has no attribute {name!r}") from None
        else:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        setattr(sys.modules[module], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[module]), *names})

    return __getattr__, __dir__
