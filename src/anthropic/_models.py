"""The base of every response model, and the unchecked constructor of the hot path.

Response models are tolerant: unknown fields are kept (``extra="allow"``) and
survive ``model_dump()``.  Objects built once per stream (the message, a content
block) go through pydantic validation; objects built once per delta go through
:func:`construct`, which trusts the server for shape and costs a fraction of it.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic

__all__ = ["BaseModel", "GenericModel", "construct"]

_M = TypeVar("_M", bound="BaseModel")
_setattr = object.__setattr__


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        extra="allow",
        defer_build=True,
        populate_by_name=True,
        arbitrary_types_allowed=True,
        protected_namespaces=(),
    )

    def to_dict(self, *, exclude_unset: bool = True, by_alias: bool = True) -> dict[str, Any]:
        """The model as a JSON-compatible dict, as the API would send it."""
        return self.model_dump(mode="json", exclude_unset=exclude_unset, by_alias=by_alias)

    def to_json(self, *, indent: int | None = 2, exclude_unset: bool = True) -> str:
        """The model as a JSON string, as the API would send it."""
        return self.model_dump_json(indent=indent, exclude_unset=exclude_unset, by_alias=True)


GenericModel = BaseModel


def construct(cls: type[_M], fields: dict[str, Any]) -> _M:
    """Build ``cls`` from ``fields`` without validation.

    ``fields`` is adopted, not copied: the caller hands over a dict it will not
    touch again.  Every key must be a declared field of ``cls`` and values must
    already have their final types; anything else belongs in ``model_validate``.
    """
    obj = cls.__new__(cls)
    _setattr(obj, "__dict__", fields)
    _setattr(obj, "__pydantic_fields_set__", set(fields))
    _setattr(obj, "__pydantic_extra__", {})
    _setattr(obj, "__pydantic_private__", None)
    return obj
