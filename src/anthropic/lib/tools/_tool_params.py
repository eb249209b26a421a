"""What a runner's ``tools`` may hold: a ``tools[]`` entry, or an object whose ``to_dict()`` is one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from typing_extensions import Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from ...types.beta import BetaToolUnionParam

__all__ = ["BetaToolLike", "SupportsToDict"]


@runtime_checkable
class SupportsToDict(Protocol):
    """An object that gives its own ``tools[]`` entry (function tools, builtin tools)."""

    def to_dict(self) -> BetaToolUnionParam: ...


BetaToolLike: TypeAlias = Union["BetaToolUnionParam", SupportsToDict]
