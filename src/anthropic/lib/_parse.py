"""Structured outputs: from ``output_format=`` to the wire, and from the reply text back.

``output_format`` is a Pydantic model class (or any type a
``pydantic.TypeAdapter`` takes), or a JSON schema as a dict.  The request
carries ``{"type": "json_schema", "schema": S}`` with ``S`` made strict: every
object closed (``additionalProperties: false``) with all its properties
required.  The reply's text is JSON matching ``S``; :func:`OutputFormat.parse`
validates it into the caller's type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._errors import StructuredOutputError

__all__ = ["OutputFormat", "resolve_output_format", "strict_json_schema"]

_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_SINGLES = ("items", "not", "additionalItems", "contains", "if", "then", "else")


def strict_json_schema(schema: Any) -> Any:
    """A copy of ``schema`` with every object closed and all its properties required."""
    if isinstance(schema, list):
        return [strict_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: strict_json_schema(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [strict_json_schema(sub) for sub in value]
        elif key in _SCHEMA_SINGLES and isinstance(value, dict):
            out[key] = strict_json_schema(value)
        elif key == "items" and isinstance(value, list):  # the older tuple form
            out[key] = [strict_json_schema(sub) for sub in value]
        else:
            out[key] = value
    kind = out.get("type")
    is_object = (
        kind == "object"
        or (isinstance(kind, list) and "object" in kind)
        or "properties" in out
        or "additionalProperties" in out
    )
    if is_object:
        out["additionalProperties"] = False
        props = out.get("properties")
        if isinstance(props, dict):
            out["required"] = list(props)
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
        return OutputFormat(wire={"type": "json_schema", "schema": strict_json_schema(output_format)}, target=None)
    try:
        schema = _adapter(output_format).json_schema()
    except Exception as exc:
        raise TypeError(
            f"output_format must be a Pydantic model class, a type pydantic.TypeAdapter accepts, "
            f"or a JSON schema dict; got {output_format!r} ({exc})"
        ) from exc
    return OutputFormat(wire={"type": "json_schema", "schema": strict_json_schema(schema)}, target=output_format)

