"""The helpers of :mod:`anthropic._utils`: value and type predicates, and a signature comparison."""

from __future__ import annotations

import collections.abc
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import typing_extensions
from typing_extensions import TypeGuard

from .._types import NotGiven, Omit

__all__ = [
    "assert_signatures_in_sync",
    "extract_type_arg",
    "is_annotated_type",
    "is_dict",
    "is_given",
    "is_list",
    "is_list_type",
    "is_mapping",
    "is_sequence",
    "is_sequence_type",
    "is_type_alias_type",
    "is_union_type",
]

_T = TypeVar("_T")

_TYPE_ALIAS_TYPES: tuple[type, ...] = tuple(
    {t for t in (getattr(typing, "TypeAliasType", None), getattr(typing_extensions, "TypeAliasType", None)) if t}
)


def is_given(obj: _T | NotGiven | Omit) -> TypeGuard[_T]:
    """Whether ``obj`` is a value, not the ``NOT_GIVEN`` / ``omit`` sentinel of an argument left out."""
    return not isinstance(obj, (NotGiven, Omit))


def is_dict(obj: object) -> TypeGuard[dict[Any, Any]]:
    return isinstance(obj, dict)


def is_list(obj: object) -> TypeGuard[list[Any]]:
    return isinstance(obj, list)


def is_mapping(obj: object) -> TypeGuard[Mapping[Any, Any]]:
    return isinstance(obj, Mapping)


def is_sequence(obj: object) -> TypeGuard[Sequence[Any]]:
    return isinstance(obj, Sequence)


def is_annotated_type(typ: Any) -> bool:
    """Whether ``typ`` is ``Annotated[T, ...]``."""
    return typing_extensions.get_origin(typ) is typing_extensions.Annotated


def is_list_type(typ: Any) -> bool:
    """Whether ``typ`` is ``list`` or ``list[T]``."""
    return (typing_extensions.get_origin(typ) or typ) is list


def is_sequence_type(typ: Any) -> bool:
    """Whether ``typ`` is ``Sequence`` or ``Sequence[T]`` (``collections.abc`` or ``typing``)."""
    return (typing_extensions.get_origin(typ) or typ) in (collections.abc.Sequence, typing.Sequence)


def is_union_type(typ: Any) -> bool:
    """Whether ``typ`` is ``Union[...]`` or ``A | B``."""
    return typing_extensions.get_origin(typ) in (typing.Union, types.UnionType)


def is_type_alias_type(typ: Any) -> bool:
    """Whether ``typ`` is a ``type X = ...`` alias (``TypeAliasType``), whose value is ``typ.__value__``."""
    return bool(_TYPE_ALIAS_TYPES) and isinstance(typ, _TYPE_ALIAS_TYPES)


def extract_type_arg(typ: Any, index: int) -> Any:
    """The ``index``-th type argument of ``typ``; a ``TypeError`` when it has none there."""
    args = typing_extensions.get_args(typ)
    try:
        return args[index]
    except IndexError:
        raise TypeError(f"{typ!r} has no type argument at index {index} (it has {len(args)})") from None


def assert_signatures_in_sync(
    source_func: Callable[..., Any],
    check_func: Callable[..., Any],
    *,
    exclude_params: typing.AbstractSet[str] = frozenset(),
) -> None:
    """Raise ``AssertionError`` unless ``check_func`` takes every parameter of ``source_func``, typed alike.

    Parameters named in ``exclude_params`` are skipped.  The error lists each
    parameter that is missing or whose annotation differs.
    """
    source = inspect.signature(source_func).parameters
    check = inspect.signature(check_func).parameters
    errors: list[str] = []
    for name, param in source.items():
        if name in exclude_params:
            continue
        other = check.get(name)
        if other is None:
            errors.append(f"the `{name}` param is missing")
        elif other.annotation != param.annotation:
            errors.append(
                f"types for the `{name}` param do not match; source={param.annotation!r} checked={other.annotation!r}"
            )
    if errors:
        raise AssertionError(
            f"{len(errors)} errors encountered when comparing signatures:\n\n" + "\n\n".join(errors)
        )
