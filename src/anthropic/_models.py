"""The base of every response model, and how objects are built from decoded JSON.

Response models are tolerant: unknown fields are kept (``extra="allow"``) and
survive ``model_dump()``.

Objects built from a stream skip pydantic validation where they can.  Three
builders, by how much they trust their input:

* :func:`construct_unchecked` checks nothing: the caller vouches that every key
  is a declared field holding a value of its final type (per-delta objects of
  the hot path, built from fields the caller has just checked);
* :func:`build_checked` checks the JSON shape against the models' annotations
  (objects where models go, lists where lists go, required fields present,
  scalars of the declared JSON type, literals among their values) and raises
  :class:`Unbuildable` when it does not fit, or when a field's type has no
  JSON form (a ``datetime``: only validation builds it);
* :func:`build_or_validate` is :func:`build_checked`, else pydantic
  validation (with the models' tolerant fallbacks), else, where validation
  fails only inside nested objects, the object built with those nested
  objects kept as sent: an object the server sends in a shape this version
  does not know never fails a stream.

Building no validator keeps the first request fast and the process small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

from ._lazy import lazy_names

__all__ = [
    "BaseModel",
    "GenericModel",
    "Unbuildable",
    "build_checked",
    "build_or_validate",
    "build_tagged_checked",
    "construct_unchecked",
]

if TYPE_CHECKING:
    from ._options import FinalRequestOptions as FinalRequestOptions

# One call as data (``client.request``'s argument): found here, where wrappers of the official SDK import it.
__getattr__, __dir__ = lazy_names(__name__, {"FinalRequestOptions": "anthropic._options"})

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


def construct_unchecked(cls: type[_M], fields: dict[str, Any]) -> _M:
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


class Unbuildable(Exception):
    """The data does not have the shape :func:`build_checked` can trust; validate it instead."""


_ANY = "any"
_SCALAR = "scalar"
_LITERAL = "literal"
_VALIDATE = "validate"  # a type JSON has no value of (datetime): only validation builds it
_MODEL = "model"
_LIST = "list"
_TAGGED = "tagged"
_UNION = "union"
_Plan = tuple[str, Any, bool]  # (kind, argument, None allowed)
_PLANS: dict[Any, _Plan] = {}
_REQUIRED = object()


def _plan(annotation: Any) -> _Plan:
    """How to turn JSON data into a value of ``annotation``: a small, cached recipe."""
    try:
        return _PLANS[annotation]
    except (KeyError, TypeError):
        pass
    plan = _make_plan(annotation)
    try:
        _PLANS[annotation] = plan
    except TypeError:
        pass
    return plan


def _make_plan(annotation: Any) -> _Plan:
    import types
    import typing

    from pydantic import Discriminator, Tag

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        if any(isinstance(m, Discriminator) for m in meta):
            table: dict[str, type] = {}
            fallback: type | None = None
            for member in typing.get_args(inner):
                cls, *tags = typing.get_args(member)
                for tag in tags:
                    if isinstance(tag, Tag):
                        if tag.tag == "__unknown__":
                            fallback = cls
                        else:
                            table[tag.tag] = cls
            return (_TAGGED, (table, fallback), False)
        return _plan(inner)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(members) < len(typing.get_args(annotation))
        plans = [_plan(m) for m in members]
        if any(p[0] == _ANY for p in plans):
            return (_ANY, None, True)
        if all(p[0] in (_SCALAR, _LITERAL) for p in plans):
            types_ = {t for p in plans if p[0] == _SCALAR for t in p[1]}
            values = {v for p in plans if p[0] == _LITERAL for v in p[1] if type(v) not in types_}
            if not values:
                return (_SCALAR, tuple(types_), nullable)
            if not types_:
                return (_LITERAL, frozenset(values), nullable)
            return (_SCALAR, tuple(types_ | {type(v) for v in values}), nullable)
        if len(plans) == 1:
            kind, arg, _ = plans[0]
            return (kind, arg, nullable)
        return (_UNION, plans, nullable)
    if origin in (list, typing.List):
        (item,) = typing.get_args(annotation) or (Any,)
        return (_LIST, _plan(item), False)
    if origin is typing.Literal:
        return (_LITERAL, frozenset(typing.get_args(annotation)), False)
    if origin in (dict, typing.Dict) or annotation in (dict, typing.Dict):
        return (_SCALAR, (dict,), False)
    if annotation in _SCALAR_TYPES:
        return (_SCALAR, _SCALAR_TYPES[annotation], False)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return (_MODEL, annotation, False)
    if annotation is typing.Any or annotation is object:
        return (_ANY, None, True)
    return (_VALIDATE, annotation, False)


_SCALAR_TYPES: dict[Any, tuple[type, ...]] = {str: (str,), int: (int,), float: (int, float), bool: (bool,)}


# Per model: wire key -> (field name, plan, default, default factory).
_FieldPlans = dict[str, tuple[str, _Plan, Any, Any]]
_FIELD_PLANS: dict[type, _FieldPlans] = {}


def _field_plans(cls: type) -> _FieldPlans:
    plans = _FIELD_PLANS.get(cls)
    if plans is None:
        plans = {}
        for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
            if info.default_factory is not None:
                default: Any = _REQUIRED
                factory = info.default_factory
            else:
                default = _REQUIRED if info.is_required() else info.default
                factory = None
            plans[info.alias or name] = (name, _plan(info.annotation), default, factory)
        _FIELD_PLANS[cls] = plans
    return plans


def _convert(plan: _Plan, value: Any) -> Any:
    kind, arg, nullable = plan
    if kind == _ANY or isinstance(value, pydantic.BaseModel):
        return value
    if value is None:
        if nullable:
            return None
        raise Unbuildable("null where a value is required")
    if kind == _SCALAR:
        if isinstance(value, arg):
            return value
        raise Unbuildable(f"{type(value).__name__} where {'/'.join(t.__name__ for t in arg)} goes")
    if kind == _LITERAL:
        if type(value) in (str, int, bool) and value in arg:
            return value
        raise Unbuildable(f"{value!r} is not one of {sorted(map(repr, arg))}")
    if kind == _VALIDATE:
        raise Unbuildable(f"{getattr(arg, '__name__', arg)} is built by validation")
    if kind == _MODEL:
        return build_checked(arg, value)
    if kind == _LIST:
        if type(value) is not list:
            raise Unbuildable("not a list")
        return [_convert(arg, v) for v in value]
    if kind == _TAGGED:
        table, fallback = arg
        return build_tagged_checked(table, fallback, value)
    # A union of shapes: a list goes to the list member, an object to the model whose tag it carries.
    for member in arg:
        mkind, marg, _ = member
        if mkind == _LIST and type(value) is list:
            return _convert(member, value)
        if mkind == _MODEL and type(value) is dict:
            tag = marg.model_fields.get("type")
            if tag is not None and value.get("type") in _literal_values(tag.annotation):
                return build_checked(marg, value)
        if mkind == _TAGGED and type(value) is dict and value.get("type") in marg[0]:
            return _convert(member, value)
    raise Unbuildable("no member of the union fits")


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    import typing

    return typing.get_args(annotation) if typing.get_origin(annotation) is typing.Literal else ()


def build_checked(cls: type[_M], data: Any) -> _M:
    """Build ``cls`` from decoded JSON without pydantic validation, nested models included.

    The shape is checked (objects where models go, lists where lists go,
    required fields present, scalars of the declared JSON type) and
    :class:`Unbuildable` is raised when it does not fit, for the caller to fall
    back to ``model_validate`` and its errors or tolerant fallbacks.  Fields are
    read under their alias when they have one.  Missing optional fields take
    their defaults, unknown fields are kept as extras, and the set of fields
    given is recorded: the result dumps exactly like a validated instance.
    """
    if type(data) is not dict:
        raise Unbuildable(f"{cls.__name__} from {type(data).__name__}")
    plans = _field_plans(cls)
    fields: dict[str, Any] = {}
    given: set[str] = set()
    for key, (name, plan, default, factory) in plans.items():
        if key in data:
            fields[name] = _convert(plan, data[key])
            given.add(name)
        elif factory is not None:
            fields[name] = factory()
        elif default is _REQUIRED:
            raise Unbuildable(f"{cls.__name__}.{name} is missing")
        else:
            fields[name] = default
    return _assemble(cls, fields, given, data, plans)


def _assemble(cls: type[_M], fields: dict[str, Any], given: set[str], data: dict[str, Any], plans: _FieldPlans) -> _M:
    extra = {k: v for k, v in data.items() if k not in plans}
    obj = cls.__new__(cls)
    _setattr(obj, "__dict__", fields)
    _setattr(obj, "__pydantic_fields_set__", given | extra.keys())
    _setattr(obj, "__pydantic_extra__", extra)
    _setattr(obj, "__pydantic_private__", None)
    return obj


def build_or_validate(cls: type[_M], data: Any) -> _M:
    """:func:`build_checked` when the data fits, else pydantic validation, else objects kept as sent.

    Validation errors stand only where ``data`` itself does not fit ``cls``
    (not an object, a required field missing, a field of the wrong JSON type,
    a non-object where a model goes).  An object nested anywhere inside that
    does not fit its model is kept as sent: its fields that fit are built,
    the others keep their JSON values, and dumping it gives back what arrived.
    """
    try:
        return build_checked(cls, data)
    except Unbuildable:
        pass
    try:
        return cls.model_validate(data)
    except pydantic.ValidationError as exc:
        try:
            return _build_lenient(cls, data, top=True)
        except Unbuildable:
            raise exc from None


def _build_lenient(cls: type[_M], data: dict[str, Any], *, top: bool = False) -> _M:
    """``cls`` from ``data`` taking nested objects as sent where they do not fit (see :func:`build_or_validate`)."""
    if type(data) is not dict:
        raise Unbuildable(f"{cls.__name__} from {type(data).__name__}")
    plans = _field_plans(cls)
    fields: dict[str, Any] = {}
    given: set[str] = set()
    for key, (name, plan, default, factory) in plans.items():
        if key in data:
            value = data[key]
            try:
                fields[name] = _convert(plan, value)
            except Unbuildable:
                fields[name] = _convert_lenient(plan, value, top)
            given.add(name)
        elif factory is not None:
            fields[name] = factory()
        elif default is not _REQUIRED:
            fields[name] = default
        elif top:
            raise Unbuildable(f"{cls.__name__}.{name} is missing")
    return _assemble(cls, fields, given, data, plans)


def _convert_lenient(plan: _Plan, value: Any, top: bool) -> Any:
    """The value of a field whose data did not fit: objects built leniently, the rest as sent.

    At the top (``top``), only an object where a model goes is let through.
    """
    kind, arg, _ = plan
    if type(value) is dict:
        cls: Any = None
        if kind == _MODEL:
            cls = arg
        elif kind == _TAGGED:
            table, fallback = arg
            tag = value.get("type")
            cls = (table.get(tag) if isinstance(tag, str) else None) or fallback
        elif kind == _UNION:
            cls = next((m[1] for m in arg if m[0] == _MODEL), None)
        if cls is not None:
            return _build_lenient(cls, value)
    elif kind == _LIST and type(value) is list:
        out = []
        for item in value:
            try:
                out.append(_convert(arg, item))
            except Unbuildable:
                out.append(_convert_lenient(arg, item, top))
        return out
    elif kind == _VALIDATE:
        try:
            return pydantic.TypeAdapter(arg).validate_python(value)
        except pydantic.ValidationError:
            pass
    if top:
        raise Unbuildable("a value of the wrong shape where this object declares a field")
    return value


def build_tagged_checked(table: dict[str, type[_M]], fallback: type[_M] | None, data: Any) -> _M:
    """Build the class ``table`` names for ``data["type"]``; what does not fit goes to ``fallback``."""
    tag = data.get("type") if type(data) is dict else None
    cls = table.get(tag) if isinstance(tag, str) else None
    if cls is not None:
        try:
            return build_checked(cls, data)
        except Unbuildable:
            if fallback is None:
                raise
    if fallback is None or not isinstance(tag, str):
        raise Unbuildable(f"no class for type {tag!r}")
    return build_checked(fallback, data)
