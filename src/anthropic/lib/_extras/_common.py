"""``MissingDependencyError`` at the official client's path ``anthropic.lib._extras._common``.

It is the class of :mod:`anthropic.lib._platform` (also an ``ImportError``),
raised when a configuration needs a cloud SDK that is not installed; the
message names the extra to install.
"""

from __future__ import annotations

from .._platform import MissingDependencyError as MissingDependencyError

__all__ = ["MissingDependencyError"]
