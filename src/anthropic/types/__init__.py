"""Response models, stream events and request parameters of the Messages API.

Placement rule
--------------
- **Generated** (first line says so; never edit by hand): every module whose
  name does not start with ``_``, in this package and its subpackages
  (``message.py``, ``beta/beta_tool_result_block_param.py``,
  ``messages/batch_create_params.py``, ...), each ``_names.py``, and the
  ``__init__.py`` of ``messages/``, ``shared/`` and ``beta/messages/``.  They
  sit at the official client's module paths with its names and fields, written
  from ``tools/surface/manifest.json`` by ``python tools/surface/generate.py``
  (the manifest itself by ``tools/surface/introspect.py``, run with the
  official client's interpreter).  Response models subclass
  ``anthropic._models.BaseModel`` (unknown fields kept); request parameters are
  ``TypedDict``s; discriminated response unions are built with
  ``_union.tagged_union``, so an unknown tag becomes an ``Unknown*`` object.
- **Hand-written** (name starts with ``_``): what carries behaviour.
  ``_union.py`` and ``beta/_union.py`` (tolerant unions and the ``Unknown*`` /
  ``BetaUnknown*`` fallbacks), ``_parsed.py`` and ``beta/_parsed.py`` (``ParsedMessage``,
  ``ParsedBetaMessage`` and their blocks; the official paths
  ``parsed_message.py`` / ``beta/parsed_beta_message.py`` are generated
  re-exports of them), ``_tables.py`` and ``beta/_tables.py`` (tag -> class
  tables for the stream accumulator, read from the generated unions), and the
  ``__init__.py`` of this package and of ``beta/``.  The generator's
  ``OVERRIDES``, ``FALLBACKS`` and ``EXTRA_EXPORTS`` tables say where the two meet.
- A new shape is a manifest change plus a regeneration, never a hand edit; a
  new behaviour goes into a ``_`` module and, if it replaces an official
  module, into ``OVERRIDES``.

Lazy names
----------
``import anthropic.types`` imports nothing else: ``_names.NAMES`` maps each
public name to its module, and the shared ``anthropic._lazy.lazy_names``
imports that module on first access (``anthropic.types.Message`` loads the
``Message`` module and what it references, not the rest of the surface).
Type checkers read the same table's ``TYPE_CHECKING`` imports.  ``anthropic.types.beta``
works the same way and loads only when touched.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_names
from ._names import NAMES

if TYPE_CHECKING:
    from ._names import *  # noqa: F403

__all__ = sorted(NAMES)
__getattr__, __dir__ = lazy_names(__name__, NAMES)
