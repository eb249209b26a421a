"""Response models, stream events and request parameters of the Messages API.

Placement rule
--------------
- **Generated** (the first line says so; never edit by hand), written from
  ``tools/surface/manifest.json`` by ``python tools/surface/generate.py``:

  - every module whose name does not start with ``_``, in this package and its
    subpackages (``message.py``, ``beta/beta_tool_result_block_param.py``,
    ``messages/batch_create_params.py``, ...): the official client's module
    paths, names and fields.  Response models subclass
    ``anthropic._models.BaseModel`` (unknown fields kept), request parameters
    are ``TypedDict``s, and tagged response unions go through
    ``_union.tagged_union`` (an unknown tag becomes an ``Unknown*`` object);
  - ``_message_shapes.py`` here and in ``beta/``: everything the message and
    the stream events reach, defined in one module so the first streamed
    request imports one file; the official modules of those names re-export
    from it (``anthropic.types.message.Message is anthropic.types.Message``);
  - each package's ``_names.py``, and the ``__init__.py`` of ``messages/``,
    ``shared/`` and ``beta/messages/``.

  The manifest itself is written by ``tools/surface/introspect.py``, run with
  the interpreter of an environment where the official client is installed.
- **Hand-written** (the name starts with ``_``): what carries behaviour.
  ``_union.py`` and ``beta/_union.py`` (tolerant unions, the ``Unknown*`` /
  ``BetaUnknown*`` fallbacks), ``_parsed.py`` and ``beta/_parsed.py``
  (``ParsedMessage``, ``ParsedBetaMessage`` and their blocks; the official
  ``parsed_message.py`` / ``beta/parsed_beta_message.py`` are generated
  re-exports of them), ``_tables.py`` and ``beta/_tables.py`` (tag -> class
  tables for the stream accumulator, read from the generated unions), and the
  ``__init__.py`` of this package and of ``beta/``.  The tables at the top of
  the generator say where the two meet: ``OVERRIDES`` (official modules
  replaced by hand-written ones), ``FALLBACKS`` (which ``Unknown*`` a union
  falls back to), ``FIELD_DEFAULTS`` (required fields the API leaves out),
  ``EXTRA_EXPORTS`` (names kept beyond the official ones), ``GROUPS``.
- A new or changed shape is a manifest change and a regeneration, never a
  hand edit; new behaviour goes into a ``_`` module and, when it replaces an
  official module, into ``OVERRIDES``.  ``tests/test_surface.py`` fails when
  the generated files and the manifest disagree.

Lazy names
----------
``import anthropic.types`` imports ``_names`` and nothing else: ``_names.NAMES``
maps each public name to the module that defines it, and the shared
``anthropic._lazy.lazy_names`` imports that module on first access (so
``anthropic.types.Message`` loads the message shapes, not the request types or
the beta surface).  Type checkers read the same file's ``TYPE_CHECKING``
imports.  ``anthropic.types.beta`` and the other subpackages work the same
way, each loaded only when touched.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_names
from ._names import NAMES

if TYPE_CHECKING:
    from ._names import *  # noqa: F403

__all__ = sorted(NAMES)
__getattr__, __dir__ = lazy_names(__name__, NAMES)
