"""Tolerant tagged unions, and the generic models that catch what they do not know.

The API adds content-block, delta, citation and event types over time.  A union
built by :func:`tagged_union` dispatches on the ``type`` tag to the class that
declares it; a tag it does not know, or a value that does not fit the class its
tag names, becomes an instance of a fallback model instead of an error.  The
fallback keeps every field (``extra="allow"``), so attribute access and
``model_dump()`` see the object exactly as the server sent it.

Type checkers see the plain union of known classes (so ``if block.type ==
"text": block.text`` narrows); only the runtime annotation carries the fallback
(the generated modules of ``anthropic.types`` are written this way)::

    ContentBlock: TypeAlias = Union[TextBlock, ThinkingBlock, ...]
    if not TYPE_CHECKING:
        ContentBlock = tagged_union(ContentBlock, UnknownContentBlock, "type")

:func:`union_table` reads the tag -> class table back from such a union.
"""

from __future__ import annotations

from typing import Any, Literal, Mapping, TypeVar, Union, get_args, get_origin

import pydantic
from pydantic import Discriminator, Tag, ValidationError, WrapValidator
from typing_extensions import Annotated

from .._models import BaseModel

__all__ = [
    "UnknownObject",
    "UnknownContentBlock",
    "UnknownDelta",
    "UnknownCitation",
    "UnknownStreamEvent",
    "literal_values",
    "parse_tagged",
    "tagged_union",
    "type_table",
    "union_table",
]

_M = TypeVar("_M", bound=BaseModel)
_FALLBACK_TAG = "__unknown__"


class UnknownObject(BaseModel):
    """An object whose ``type`` this version of the library does not know.

    Every field the server sent is kept: read it as an attribute
    (``obj.some_field``) or through ``model_dump()``.
    """

    type: str


class UnknownContentBlock(UnknownObject):
    """A content block of a type this version of the library does not know."""


class UnknownDelta(UnknownObject):
    """A content-block delta of a type this version of the library does not know."""


class UnknownCitation(UnknownObject):
    """A citation of a type this version of the library does not know."""


class UnknownStreamEvent(UnknownObject):
    """A stream event of a type this version of the library does not know."""


def literal_values(cls: type[BaseModel], key: str = "type") -> tuple[str, ...]:
    """The values the ``Literal`` annotation of ``cls.<key>`` admits."""
    annotation = cls.model_fields[key].annotation
    if get_origin(annotation) is not Literal:
        raise TypeError(f"{cls.__name__}.{key} is not annotated with a Literal")
    return tuple(get_args(annotation))


def type_table(union: Any, key: str = "type") -> dict[str, type[Any]]:
    """Map each tag of a union of models to the model that declares it."""
    table: dict[str, type[Any]] = {}
    for member in get_args(union):
        for tag in literal_values(member, key):
            if tag in table:
                raise TypeError(f"tag {tag!r} is claimed by {table[tag].__name__} and {member.__name__}")
            table[tag] = member
    return table


def tagged_union(union: Any, fallback: type[BaseModel], key: str = "type") -> Any:
    """A runtime annotation for ``union`` that never rejects an object with a string tag.

    Known tags validate as their class.  Unknown tags, and objects whose known
    tag's class rejects them, validate as ``fallback`` (all fields kept).  A
    model instance of another class with the same tag (a plain ``TextBlock``
    where a ``ParsedTextBlock`` is expected, say) is converted through its dump.
    """
    table = type_table(union, key)

    def discriminate(value: Any) -> str:
        if isinstance(value, dict):
            tag = value.get(key)
        elif isinstance(value, UnknownObject):
            return _FALLBACK_TAG
        else:
            tag = getattr(value, key, None)
        return tag if isinstance(tag, str) and tag in table else _FALLBACK_TAG

    def recover(value: Any, handler: pydantic.ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            if isinstance(value, pydantic.BaseModel) and not isinstance(value, fallback):
                value = value.model_dump()
                try:
                    return handler(value)
                except ValidationError:
                    pass
            if isinstance(value, dict) and isinstance(value.get(key), str):
                return fallback.model_validate(value)
            raise

    choices = [Annotated[member, Tag(tag)] for tag, member in table.items()]
    choices.append(Annotated[fallback, Tag(_FALLBACK_TAG)])
    return Annotated[Union[tuple(choices)], Discriminator(discriminate), WrapValidator(recover)]  # type: ignore[valid-type]


def union_table(annotation: Any) -> dict[str, type[Any]]:
    """The tag -> class table of a union :func:`tagged_union` built (or of a plain union of models)."""
    if get_origin(annotation) is not Annotated:
        return type_table(annotation)
    table: dict[str, type[Any]] = {}
    for member in get_args(get_args(annotation)[0]):
        cls, *meta = get_args(member)
        for tag in meta:
            if isinstance(tag, Tag) and tag.tag != _FALLBACK_TAG:
                table[tag.tag] = cls
    return table


def parse_tagged(table: Mapping[str, type[_M]], fallback: type[_M], data: Any, key: str = "type") -> _M:
    """Validate ``data`` as the class its tag names in ``table``, else as ``fallback``.

    The direct path for one object (no union machinery): a dict lookup and one
    validation.  Data the tagged class rejects is kept whole in ``fallback``.
    Raises ``pydantic.ValidationError`` only for data without a string tag.
    """
    tag = data.get(key) if isinstance(data, dict) else None
    cls = table.get(tag, fallback) if isinstance(tag, str) else fallback
    try:
        return cls.model_validate(data)
    except ValidationError:
        if cls is fallback:
            raise
        return fallback.model_validate(data)
