"""Structured outputs: from ``output_format=`` to the wire, and from the reply text back.

``output_format`` is a Pydantic model class (or any type a
``pydantic.TypeAdapter`` takes), or a JSON schema as a dict.  The request
carries ``{"type": "json_schema", "schema": S}`` where ``S`` is the schema
rewritten by :func:`transform_schema` into the subset of JSON Schema the API
accepts; a dict already in that wire form is sent as given.  The reply's text
is JSON matching ``S``; :meth:`OutputFormat.parse` validates it into the
caller's type, and so enforces the constraints ``transform_schema`` could only
describe (``Field(ge=0)`` still rejects ``-1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._errors import StructuredOutputError

__all__ = ["OutputFormat", "resolve_output_format", "transform_schema"]

# What the API accepts (PROTOCOL.md, "Structured outputs").
_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})
_STRING_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)
# The keys of the one-of family, in the order the first present one wins; oneOf is sent as anyOf.
_BRANCH_KEYS = (("anyOf", "anyOf"), ("oneOf", "anyOf"), ("allOf", "allOf"))


def _primitive(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def transform_schema(schema: Any) -> dict[str, Any]:
    """``schema`` rewritten into the subset of JSON Schema the API accepts.

    ``schema`` is a JSON schema dict or a Pydantic model class.  The result is
    a new dict (the input is not changed), built node by node:

    * ``$defs`` are rewritten and kept; a node with ``$ref`` becomes the
      reference alone (with its node's ``$defs``);
    * ``enum`` (non-empty, of primitives) and ``const`` (a primitive) are kept
      and take the place of ``type``;
    * ``anyOf`` (or ``oneOf``, sent as ``anyOf``) or else ``allOf`` have their
      branches rewritten; otherwise a node needs a ``type`` among object,
      array, string, integer, number, boolean and null;
    * ``description`` and ``title`` are kept; an object's ``properties`` are
      rewritten, its ``required`` kept, and it is closed with
      ``additionalProperties: false``; a string keeps a supported ``format``;
      an array keeps its rewritten ``items`` and a ``minItems`` of 0 or 1;
    * every other keyword (``minimum``, ``maxLength``, ``pattern``, an
      unsupported ``format``, ``default``, ...) is dropped from the schema and
      spelled out at the end of the description, ``{name: value, ...}``, for
      the model to read.

    Raises :class:`ValueError` for a node it cannot express (no type and no
    branches or literals, or a type outside the list above).
    """
    import inspect

    import pydantic

    if inspect.isclass(schema) and issubclass(schema, pydantic.BaseModel):
        schema = schema.model_json_schema()
    return _transform(schema)


def _transform(node: dict[str, Any]) -> dict[str, Any]:
    rest = dict(node)  # what is left once the supported keywords are taken out
    out: dict[str, Any] = {}
    defs = rest.pop("$defs", None)
    if defs is not None:
        out["$defs"] = {name: _transform(sub) for name, sub in defs.items()}
    ref = rest.pop("$ref", None)
    if ref is not None:
        out["$ref"] = ref
        return out

    kind = rest.pop("type", None)
    branches = {key: rest.pop(key, None) for key, _ in _BRANCH_KEYS}
    enum = rest.get("enum")
    if isinstance(enum, list) and enum and all(_primitive(v) for v in enum):
        out["enum"] = list(rest.pop("enum"))
    if "const" in rest and _primitive(rest["const"]):
        out["const"] = rest.pop("const")
    literal = "enum" in out or "const" in out
    if literal:
        kind = None

    for key, wire_key in _BRANCH_KEYS:
        if isinstance(branches[key], list):
            out[wire_key] = [_transform(sub) for sub in branches[key]]
            break
    else:
        if not literal:
            if kind is None:
                raise ValueError(
                    "a schema node needs a 'type', 'anyOf', 'oneOf' or 'allOf', or a 'const' or a "
                    f"non-empty 'enum' of strings, numbers, booleans or null; got {node!r}"
                )
            out["type"] = kind

    for key in ("description", "title"):
        value = rest.pop(key, None)
        if value is not None:
            out[key] = value

    if kind == "object":
        out["properties"] = {name: _transform(sub) for name, sub in rest.pop("properties", {}).items()}
        rest.pop("additionalProperties", None)
        out["additionalProperties"] = False
        required = rest.pop("required", None)
        if required is not None:
            out["required"] = list(required) if isinstance(required, list) else required
    elif kind == "string":
        fmt = rest.pop("format", None)
        if isinstance(fmt, str) and fmt in _STRING_FORMATS:
            out["format"] = fmt
        elif fmt:
            rest["format"] = fmt  # described, after the other dropped keywords
    elif kind == "array":
        items = rest.pop("items", None)
        if items is not None:
            out["items"] = _transform(items)
        min_items = rest.pop("minItems", None)
        if min_items is not None and (min_items == 0 or min_items == 1):
            out["minItems"] = min_items
        elif min_items is not None:
            rest["minItems"] = min_items  # described, after the other dropped keywords
    elif kind is not None and not (isinstance(kind, str) and kind in _TYPES):
        raise ValueError(f"a schema node's 'type' must be one of {sorted(_TYPES)}; got {kind!r}")

    if rest:
        described = ", ".join(f"{key}: {value}" for key, value in rest.items())
        before = out.get("description")
        out["description"] = ("" if before is None else before + "\n\n") + "{" + described + "}"
    return out


@dataclass(frozen=True)
class OutputFormat:
    """A resolved ``output_format``: what to send, and how to read the reply."""

    wire: dict[str, Any]
    target: Any

    def parse(self, text: str) -> Any:
        """Validate the reply text; a clear :class:`StructuredOutputError` when it does not fit."""
        import pydantic
        from pydantic_core import from_json

        target = self.target
        if target is None:
            try:
                return from_json(text)
            except ValueError as exc:
                raise StructuredOutputError(
                    f"The reply is not valid JSON ({exc}); raw text kept on .text", text=text, validation_error=exc
                )
        try:
            return _adapter(target).validate_json(text)
        except pydantic.ValidationError as exc:
            details = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()
            )
            name = target.__name__ if isinstance(target, type) else repr(target)
            raise StructuredOutputError(
                f"The reply does not validate as {name}: {details}. The raw text is kept on .text",
                text=text,
                validation_error=exc,
            )


_ADAPTERS: dict[Any, Any] = {}


def _adapter(target: Any) -> Any:
    adapter = _ADAPTERS.get(target)
    if adapter is None:
        import pydantic

        adapter = _ADAPTERS[target] = pydantic.TypeAdapter(target)
    return adapter


def resolve_output_format(output_format: Any) -> OutputFormat:
    """Turn what a caller passed as ``output_format`` into an :class:`OutputFormat`."""
    if isinstance(output_format, dict):
        if output_format.get("type") == "json_schema" and isinstance(output_format.get("schema"), dict):
            return OutputFormat(wire=dict(output_format), target=None)
        return OutputFormat(wire={"type": "json_schema", "schema": transform_schema(output_format)}, target=None)
    try:
        schema = _adapter(output_format).json_schema()
    except Exception as exc:
        raise TypeError(
            f"output_format must be a Pydantic model class, a type pydantic.TypeAdapter accepts, "
            f"or a JSON schema dict; got {output_format!r} ({exc})"
        ) from exc
    return OutputFormat(wire={"type": "json_schema", "schema": transform_schema(schema)}, target=output_format)

