"""Response models, stream events and request parameters of the beta Messages API.

Loaded only when first touched (``import anthropic.types`` does not load it).
The placement rule of :mod:`anthropic.types` holds here: modules without a
leading ``_`` are generated from the surface manifest at the official paths;
``_parsed.py`` (``ParsedBetaMessage`` and its blocks) and ``_tables.py`` are
hand-written, and so is ``_union.py`` (the ``BetaUnknown*`` fallbacks).
Names resolve lazily through ``_names.NAMES``.
"""

from typing import TYPE_CHECKING

from ..._lazy import lazy_names
from ._names import NAMES

if TYPE_CHECKING:
    from ._names import *  # noqa: F403

__all__ = sorted(NAMES)
__getattr__, __dir__ = lazy_names(__name__, NAMES)
