"""Structured outputs without I/O: the strict schema, resolving ``output_format``, validating replies.

The rules under test (PROTOCOL.md, "Structured outputs"): the schema sent is
the caller's schema made strict, every object closed with
``additionalProperties: false`` and all its properties required; nothing else
changes.  The checks below read schemas with their own walker, so they test
the library against a second reading of those rules.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Optional, Union

import hypothesis.strategies as st
import pydantic
import pytest
from hypothesis import given, settings
from typing_extensions import TypedDict

from anthropic import AnthropicError, StructuredOutputError
from anthropic.lib._parse import OutputFormat, resolve_output_format, strict_json_schema

# --- an independent walker --------------------------------------------------------------------

_MAPS = ("properties", "$defs", "definitions", "patternProperties")
_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SINGLES = ("items", "not", "additionalItems", "contains", "if", "then", "else")


def is_object_schema(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    return (
        kind == "object"
        or (isinstance(kind, list) and "object" in kind)
        or "properties" in node
        or "additionalProperties" in node
    )


def subschemas(node: Any) -> Iterator[dict[str, Any]]:
    """``node`` and every schema inside it (never the data in const, enum, default, examples)."""
    if not isinstance(node, dict):
        return
    yield node
    for key in _MAPS:
        value = node.get(key)
        if isinstance(value, dict):
            for sub in value.values():
                yield from subschemas(sub)
    for key in _LISTS:
        value = node.get(key)
        if isinstance(value, list):
            for sub in value:
                yield from subschemas(sub)
    for key in _SINGLES:
        value = node.get(key)
        if isinstance(value, list):
            for sub in value:
                yield from subschemas(sub)
        else:
            yield from subschemas(value)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield from subschemas(extra)


def check_strict(schema: Any) -> int:
    objects = 0
    for node in subschemas(schema):
        if is_object_schema(node):
            objects += 1
            assert node["additionalProperties"] is False, node
            if "properties" in node:
                assert node["required"] == list(node["properties"]), node
    return objects


def loosen(node: Any) -> Any:
    """The schema with the strict keywords of objects removed, walking schemas only."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    obj = is_object_schema(node)
    for key, value in node.items():
        if obj and key in ("additionalProperties", "required"):
            continue
        if key in _MAPS and isinstance(value, dict):
            out[key] = {k: loosen(v) for k, v in value.items()}
        elif (key in _LISTS or key in _SINGLES) and isinstance(value, list):
            out[key] = [loosen(v) for v in value]
        elif key in _SINGLES:
            out[key] = loosen(value)
        else:
            out[key] = value
    return out


# --- strict_json_schema -----------------------------------------------------------------------


def test_every_object_is_closed_and_requires_all_its_properties() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": []},
            "b": {"type": "array", "items": {"type": "object", "properties": {"y": {"type": "string"}}}},
            "c": {"anyOf": [{"type": "object", "properties": {"z": {"type": "null"}}}, {"type": "null"}]},
            "d": {"allOf": [{"$ref": "#/$defs/D"}]},
            "e": {"oneOf": [{"type": "object", "properties": {"p": {}}}, {"type": "string"}]},
            "f": {"type": "array", "prefixItems": [{"type": "object", "properties": {"q": {}}}]},
            "g": {"type": ["object", "null"], "properties": {"r": {"type": "number"}}},
            "h": {"type": "object", "additionalProperties": {"type": "integer"}},
            "i": {"type": "array", "items": [{"type": "object", "properties": {"s": {}}}]},
            "j": {"not": {"type": "object", "properties": {"t": {}}}},
        },
        "required": ["a"],
        "additionalProperties": True,
        "$defs": {"D": {"type": "object", "properties": {"w": {"type": "boolean"}}, "title": "D"}},
        "definitions": {"Old": {"properties": {"v": {"type": "string"}}}},
    }
    original = copy.deepcopy(schema)
    strict = strict_json_schema(schema)
    assert schema == original, "the input was changed"
    assert check_strict(strict) == 12
    assert strict["required"] == list("abcdefghij")
    assert strict["properties"]["a"]["required"] == ["x"]
    assert strict["properties"]["h"] == {"type": "object", "additionalProperties": False}
    assert strict["$defs"]["D"] == {
        "type": "object",
        "properties": {"w": {"type": "boolean"}},
        "title": "D",
        "additionalProperties": False,
        "required": ["w"],
    }
    assert loosen(strict) == loosen(schema)


def test_data_that_looks_like_a_schema_is_left_alone() -> None:
    data = {"type": "object", "properties": {"k": {"type": "string"}}}
    schema = {
        "type": "object",
        "properties": {
            "c": {"const": data},
            "e": {"enum": [data, 1]},
            "d": {"type": "object", "properties": {}, "default": data, "examples": [data]},
        },
    }
    strict = strict_json_schema(schema)
    assert strict["properties"]["c"] == {"const": data}
    assert strict["properties"]["e"] == {"enum": [data, 1]}
    assert strict["properties"]["d"]["default"] == data
    assert strict["properties"]["d"]["examples"] == [data]
    assert "additionalProperties" not in data


def test_property_names_that_are_keywords_are_names() -> None:
    schema = {
        "type": "object",
        "properties": {
            "properties": {"type": "string"},
            "required": {"type": "array", "items": {"type": "string"}},
            "type": {"type": "object", "properties": {"items": {"type": "integer"}}},
            "additionalProperties": {"type": "boolean"},
            "$defs": {"type": "null"},
        },
    }
    strict = strict_json_schema(schema)
    assert strict["required"] == ["properties", "required", "type", "additionalProperties", "$defs"]
    assert strict["properties"]["properties"] == {"type": "string"}
    assert strict["properties"]["additionalProperties"] == {"type": "boolean"}
    assert strict["properties"]["type"]["required"] == ["items"]
    assert strict["properties"]["type"]["properties"]["items"] == {"type": "integer"}
    assert check_strict(strict) == 2


def test_scalars_refs_and_boolean_schemas_pass_through() -> None:
    for schema in (
        {"type": "string", "format": "date"},
        {"$ref": "#/$defs/X", "description": "d"},
        True,
        False,
        {},
    ):
        assert strict_json_schema(schema) == schema


def test_strict_is_idempotent_and_returns_a_copy() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "object", "properties": {}}}}
    once = strict_json_schema(schema)
    assert strict_json_schema(once) == once
    once["properties"]["a"]["title"] = "changed"
    assert "title" not in schema["properties"]["a"]


_NAMES = st.sampled_from(
    ["a", "b", "name", "type", "items", "properties", "required", "$defs", "anyOf", "x y"]
)
_LEAVES = st.one_of(
    st.just({"type": "string"}),
    st.just({"type": "integer", "minimum": 0}),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.just({"$ref": "#/$defs/Shared"}),
    st.just({"enum": ["a", {"type": "object", "properties": {"x": {}}}]}),
    st.just({"const": {"properties": {"y": {}}}}),
    st.just({}),
)


def _composites(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    props = st.dictionaries(_NAMES, children, max_size=4)
    obj = st.builds(
        lambda p, req, extra, typed, desc: {
            **({"type": ["object", "null"] if typed == "list" else "object"} if typed else {}),
            "properties": p,
            **({"required": [k for k in p if req]} if req is not None else {}),
            **({"additionalProperties": extra} if extra is not None else {}),
            **({"description": desc} if desc else {}),
        },
        props,
        st.one_of(st.none(), st.booleans()),
        st.one_of(st.none(), st.booleans(), children),
        st.sampled_from([None, "plain", "list"]),
        st.sampled_from(["", "a thing"]),
    )
    return st.one_of(
        obj,
        st.builds(lambda c: {"type": "array", "items": c}, children),
        st.builds(lambda cs: {"type": "array", "items": cs}, st.lists(children, max_size=2)),
        st.builds(lambda cs: {"anyOf": cs}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda cs: {"oneOf": cs}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda cs: {"allOf": cs}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda c: {"not": c}, children),
        st.builds(lambda c: {"type": "object", "additionalProperties": c}, children),
    )


_SCHEMAS = st.recursive(_LEAVES, _composites, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(root=_SCHEMAS, shared=_SCHEMAS)
def test_any_schema_comes_out_strict_with_nothing_else_changed(root: Any, shared: Any) -> None:
    schema = {**root, "$defs": {"Shared": shared}} if isinstance(root, dict) else root
    before = json.dumps(schema, sort_keys=True)
    strict = strict_json_schema(schema)
    assert json.dumps(schema, sort_keys=True) == before
    check_strict(strict)
    assert loosen(strict) == loosen(schema)
    assert strict_json_schema(strict) == strict
    json.dumps(strict)  # still plain JSON


# --- resolve_output_format --------------------------------------------------------------------


class Address(pydantic.BaseModel):
    street: str
    city: Optional[str] = None


class Person(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    name: str = pydantic.Field(description="The full name")
    home: Address
    past: list[Address] = []
    nick: Optional[str] = None
    labels: dict[str, int] = {}


class Cat(pydantic.BaseModel):
    kind: Literal["cat"]
    lives: int


class Dog(pydantic.BaseModel):
    kind: Literal["dog"]
    good: bool


class Pet(pydantic.BaseModel):
    pet: Annotated[Union[Cat, Dog], pydantic.Field(discriminator="kind")]


class Tree(pydantic.BaseModel):
    value: int
    children: list[Tree] = []


class Row(TypedDict):
    key: str
    count: int


@dataclasses.dataclass
class Point:
    x: float
    y: float = 0.0


@pytest.mark.parametrize(
    ("target", "objects"),
    [
        (Person, 3),
        (Pet, 3),
        (Tree, 1),
        (Row, 1),
        (Point, 1),
        (list[Address], 1),
        (Optional[Cat], 1),
        (dict[str, Address], 2),
    ],
)
def test_types_pydantic_accepts_become_strict_schemas(target: Any, objects: int) -> None:
    fmt = resolve_output_format(target)
    assert isinstance(fmt, OutputFormat)
    assert fmt.target is target
    assert set(fmt.wire) == {"type", "schema"} and fmt.wire["type"] == "json_schema"
    schema = fmt.wire["schema"]
    assert check_strict(schema) == objects
    assert loosen(schema) == loosen(pydantic.TypeAdapter(target).json_schema())


def test_a_model_with_extra_allowed_and_dict_fields_is_still_closed() -> None:
    schema = resolve_output_format(Person).wire["schema"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name", "home", "past", "nick", "labels"]
    assert schema["properties"]["labels"] == {
        "additionalProperties": False,
        "default": {},
        "title": "Labels",
        "type": "object",
    }
    assert schema["properties"]["name"]["description"] == "The full name"
    assert schema["$defs"]["Address"]["required"] == ["street", "city"]


def test_a_json_schema_dict_is_made_strict_and_parsed_as_plain_json() -> None:
    user = {"type": "object", "properties": {"n": {"type": "integer"}}}
    fmt = resolve_output_format(user)
    assert fmt.target is None
    assert fmt.wire == {
        "type": "json_schema",
        "schema": {
            "type": "object",
            "properties": {"n": {"type": "integer"}},
            "additionalProperties": False,
            "required": ["n"],
        },
    }
    assert user == {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert fmt.parse('{"n": 3}') == {"n": 3}


def test_a_complete_output_format_dict_is_sent_as_given() -> None:
    given_format = {"type": "json_schema", "schema": {"type": "object", "properties": {"a": {}}}}
    fmt = resolve_output_format(given_format)
    assert fmt.wire == given_format
    assert fmt.wire is not given_format
    assert fmt.target is None


@pytest.mark.parametrize("bad", [42, "Order", object(), 3.5, print])
def test_what_is_not_a_type_or_schema_is_refused_with_a_clear_message(bad: Any) -> None:
    with pytest.raises(TypeError) as info:
        resolve_output_format(bad)
    message = str(info.value)
    assert message.startswith(
        "output_format must be a Pydantic model class, a type pydantic.TypeAdapter accepts, or a JSON schema dict; got "
    )
    assert repr(bad) in message


# --- OutputFormat.parse -------------------------------------------------------------------------


def test_parse_validates_into_the_callers_type() -> None:
    person = resolve_output_format(Person).parse(
        '{"name": "Ada", "home": {"street": "St James", "city": null}, "past": [], "nick": null, "labels": {}}'
    )
    assert person == Person(name="Ada", home=Address(street="St James"))
    rows = resolve_output_format(list[Row]).parse('[{"key": "a", "count": 2}]')
    assert rows == [{"key": "a", "count": 2}]
    pet = resolve_output_format(Pet).parse('{"pet": {"kind": "dog", "good": true}}')
    assert pet.pet == Dog(kind="dog", good=True)


def test_a_reply_that_does_not_validate_names_every_field_and_keeps_the_text() -> None:
    text = '{"name": 5, "home": {"city": "X"}, "past": [{"street": "a"}, {"street": []}], "nick": null, "labels": {"a": "b"}}'
    with pytest.raises(StructuredOutputError) as info:
        resolve_output_format(Person).parse(text)
    err = info.value
    assert isinstance(err, AnthropicError) and isinstance(err, ValueError)
    assert err.text == text
    assert isinstance(err.validation_error, pydantic.ValidationError)
    locs = [e["loc"] for e in err.errors]
    assert locs == [("name",), ("home", "street"), ("past", 1, "street"), ("labels", "a")]
    message = str(err)
    assert message.startswith("The reply does not validate as Person: name: Input should be a valid string; ")
    for path in ("home.street: Field required", "past.1.street: Input should be a valid string", "labels.a:"):
        assert path in message
    assert message.endswith("The raw text is kept on .text")


def test_a_root_level_problem_is_named_root() -> None:
    with pytest.raises(
        StructuredOutputError, match=r"does not validate as Cat: <root>: Invalid JSON"
    ) as info:
        resolve_output_format(Cat).parse('{"kind": "cat", "lives": 9')
    assert info.value.text == '{"kind": "cat", "lives": 9'
    with pytest.raises(
        StructuredOutputError, match=r"as list\[(\w+\.)*Cat\]: <root>: Input should be a valid array"
    ):
        resolve_output_format(list[Cat]).parse("{}")
    with pytest.raises(
        StructuredOutputError, match=r"as typing\.Optional\[(\w+\.)*Cat\]: lives: Field required"
    ):
        resolve_output_format(Optional[Cat]).parse('{"kind": "cat"}')


def test_a_schema_dict_reply_that_is_not_json_raises_with_the_text_kept() -> None:
    fmt = resolve_output_format({"type": "object"})
    with pytest.raises(
        StructuredOutputError, match=r"The reply is not valid JSON \(.*\); raw text kept on \.text"
    ) as info:
        fmt.parse("not json")
    assert info.value.text == "not json"
    assert info.value.errors == []
