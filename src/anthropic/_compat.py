"""Pydantic helpers at the official client's private path ``anthropic._compat``.

The official client keeps its pydantic v1/v2 switches here, and its test suite
and some code written against it import them.  This package runs on pydantic
v2 only, so the switches are constants and each helper is the one v2 call it
stands for.  Nothing in this package imports this module; ``import anthropic``
does not load it.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

import pydantic
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

__all__ = [
    "PYDANTIC_V1",
    "PYDANTIC_V2",
    "field_get_default",
    "field_is_required",
    "field_outer_type",
    "get_model_config",
    "get_model_fields",
    "model_copy",
    "model_dump",
    "model_json",
    "model_parse",
    "model_parse_json",
    "parse_obj",
]

PYDANTIC_V1 = False
"""Whether pydantic 1 is installed: never, as this package needs pydantic 2."""

PYDANTIC_V2 = True

_ModelT = TypeVar("_ModelT", bound=pydantic.BaseModel)


def field_is_required(field: FieldInfo) -> bool:
    return field.is_required()


def field_get_default(field: FieldInfo) -> Any:
    """The field's default, or ``None`` when it has none."""
    value = field.get_default()
    return None if value is PydanticUndefined else value


def field_outer_type(field: FieldInfo) -> Any:
    """The field's declared type."""
    return field.annotation


def get_model_config(model: type[pydantic.BaseModel]) -> Any:
    return model.model_config


def get_model_fields(model: type[pydantic.BaseModel]) -> dict[str, FieldInfo]:
    return dict(model.model_fields)


def model_copy(model: _ModelT, *, deep: bool = False) -> _ModelT:
    return model.model_copy(deep=deep)


def model_json(model: pydantic.BaseModel, *, indent: int | None = None) -> str:
    return model.model_dump_json(indent=indent)


def model_dump(
    model: pydantic.BaseModel,
    *,
    exclude: Any = None,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    warnings: bool = True,
    mode: Literal["json", "python"] = "python",
) -> dict[str, Any]:
    return model.model_dump(
        mode=mode,
        exclude=exclude,
        exclude_unset=exclude_unset,
        exclude_defaults=exclude_defaults,
        warnings=warnings,
    )


def model_parse(model: type[_ModelT], data: Any) -> _ModelT:
    return model.model_validate(data)


def model_parse_json(model: type[_ModelT], data: str | bytes) -> _ModelT:
    return model.model_validate_json(data)


parse_obj = model_parse
