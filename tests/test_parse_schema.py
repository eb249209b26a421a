"""Structured outputs without I/O: the schema sent, resolving ``output_format``, validating replies.

The rules under test (PROTOCOL.md, "Structured outputs"): the schema sent is
the caller's schema rewritten into the subset of JSON Schema the API accepts,
exactly as the official client's ``transform_schema`` rewrites it (compared on
the cases recorded in tests/fixtures/transform_schema_cases.json by
tests/fixtures/make_transform_cases.py), and a second reading of the subset
checks every result; the constraints the rewrite drops are enforced when the
reply is validated.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

import hypothesis.strategies as st
import pydantic
import pytest
from hypothesis import given, settings
from typing_extensions import TypedDict

from anthropic import AnthropicError, StructuredOutputError
from anthropic.lib._parse import OutputFormat, resolve_output_format, transform_schema

CASES = json.loads((Path(__file__).parent / "fixtures" / "transform_schema_cases.json").read_text("utf-8"))["cases"]

# --- a second reading of the accepted subset ----------------------------------------------------

_ACCEPTED = {
    "$defs", "$ref", "enum", "const", "anyOf", "allOf", "type", "description", "title",
    "properties", "additionalProperties", "required", "format", "items", "minItems",
}  # fmt: skip
_FORMATS = {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}


def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """``node`` and every schema inside a transformed schema."""
    yield node
    for sub in [*node.get("$defs", {}).values(), *node.get("properties", {}).values()]:
        yield from nodes(sub)
    for sub in [*node.get("anyOf", []), *node.get("allOf", [])]:
        yield from nodes(sub)
    if "items" in node:
        yield from nodes(node["items"])


def check_accepted(schema: dict[str, Any]) -> int:
    """Assert ``schema`` uses only what the API accepts; return how many objects it has."""
    objects = 0
    for node in nodes(schema):
        assert set(node) <= _ACCEPTED, node
        if "$ref" in node:
            assert set(node) <= {"$ref", "$defs"}, node
        if node.get("type") == "object" or "properties" in node:
            objects += node.get("type") == "object"
            assert node["additionalProperties"] is False, node
        else:
            assert "additionalProperties" not in node, node
        if "format" in node:
            assert node["type"] == "string" and node["format"] in _FORMATS, node
        if "minItems" in node:
            assert node["type"] == "array" and node["minItems"] in (0, 1), node
        if "type" in node:
            assert node["type"] in {"object", "array", "string", "integer", "number", "boolean", "null"}
    return objects


def dropped(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The keywords of one node that the rewrite could not keep and had to describe.

    Not counted: what is rewritten in place, the description and title, ``required``, the
    ``type`` a literal replaces, and an empty ``format`` or a null ``minItems`` (they say nothing).
    """
    kept_as_is = {"enum", "const", "format", "minItems"}
    rewritten = {"$defs", "$ref", "anyOf", "oneOf", "allOf", "properties", "items", "additionalProperties"}
    silent = {"description", "title", "required", "type"}
    return {
        k: v
        for k, v in before.items()
        if k not in rewritten
        and k not in silent
        and not (k in kept_as_is and after.get(k) == v)
        and not (k == "format" and not v)
        and not (k == "minItems" and v is None)
    }


# --- transform_schema: the official client's rewrite, case by case --------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_transform_schema_rewrites_as_the_official_client_does(case: dict[str, Any]) -> None:
    schema = case["schema"]
    before = copy.deepcopy(schema)
    if "error" in case:
        with pytest.raises(ValueError, match="a schema node"):
            transform_schema(schema)
    else:
        result = transform_schema(schema)
        assert result == case["expected"]
        check_accepted(result)
        json.dumps(result)
    assert schema == before  # the input is not changed


def test_the_recorded_cases_cover_every_rule() -> None:
    names = {c["name"] for c in CASES}
    assert len(CASES) > 400
    assert {"integer-with-bounds", "string-unsupported-format", "array-min-items-2", "one-of", "root-ref"} <= names
    assert sum(c["name"].startswith("model-") for c in CASES) >= 8
    assert {c.get("error") for c in CASES} == {None, "ValueError", "AssertionError"}


def test_dropped_constraints_are_spelled_out_in_the_description() -> None:
    result = transform_schema(
        {"type": "integer", "minimum": 1, "maximum": 10, "multipleOf": 2, "description": "A number"}
    )
    assert result == {"type": "integer", "description": "A number\n\n{minimum: 1, maximum: 10, multipleOf: 2}"}
    assert transform_schema({"type": "string", "pattern": "^a$", "format": "phone"}) == {
        "type": "string",
        "description": "{pattern: ^a$, format: phone}",
    }
    assert transform_schema({"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 5}) == {
        "type": "array",
        "items": {"type": "string"},
        "description": "{maxItems: 5, minItems: 3}",
    }


@pytest.mark.parametrize(
    ("schema", "says"),
    [
        ({"description": "anything"}, "needs a 'type', 'anyOf', 'oneOf' or 'allOf'"),
        ({"type": "tuple"}, "'type' must be one of"),
        ({"type": ["string", "null"]}, "'type' must be one of"),
    ],
)
def test_a_node_the_api_cannot_express_is_a_value_error_naming_it(schema: dict[str, Any], says: str) -> None:
    with pytest.raises(ValueError, match=says) as info:
        transform_schema(schema)
    assert str(info.value).startswith("a schema node")


def test_a_model_class_is_read_through_its_json_schema() -> None:
    assert transform_schema(Person) == transform_schema(Person.model_json_schema())


@settings(max_examples=40, deadline=None)
@given(case=st.sampled_from([c for c in CASES if "expected" in c]))
def test_every_keyword_dropped_reaches_the_description(case: dict[str, Any]) -> None:
    before, after = case["schema"], transform_schema(case["schema"])
    if "$ref" in before:
        return  # a reference stands alone: its siblings are meant for nobody
    lost = dropped(before, after)
    if lost:
        assert after["description"].endswith("}")
        for key in lost:
            assert f"{key}: " in after["description"]


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


class Stock(pydantic.BaseModel):
    sku: str = pydantic.Field(min_length=3, max_length=8, pattern=r"^[A-Z0-9-]+$")
    count: int = pydantic.Field(ge=0)
    price: float = pydantic.Field(gt=0, multiple_of=0.01)
    tags: list[str] = pydantic.Field(default_factory=list, max_length=2)


@pytest.mark.parametrize(
    ("target", "objects"),
    [
        (Person, 3),
        (Pet, 3),
        (Tree, 1),
        (Row, 1),
        (Point, 1),
        (Stock, 1),
        (list[Address], 1),
        (Optional[Cat], 1),
        (dict[str, Address], 2),
    ],
)
def test_types_pydantic_accepts_are_sent_transformed(target: Any, objects: int) -> None:
    fmt = resolve_output_format(target)
    assert isinstance(fmt, OutputFormat)
    assert fmt.target is target
    assert set(fmt.wire) == {"type", "schema"} and fmt.wire["type"] == "json_schema"
    schema = fmt.wire["schema"]
    assert schema == transform_schema(pydantic.TypeAdapter(target).json_schema())
    assert check_accepted(schema) == objects


def test_constraints_are_described_on_the_wire_and_enforced_on_the_reply() -> None:
    fmt = resolve_output_format(Stock)
    props = fmt.wire["schema"]["properties"]
    assert props["count"] == {"type": "integer", "title": "Count", "description": "{minimum: 0}"}
    assert props["sku"]["description"] == "{maxLength: 8, minLength: 3, pattern: ^[A-Z0-9-]+$}"
    assert fmt.parse('{"sku": "AB-1", "count": 0, "price": 2.5}') == Stock(sku="AB-1", count=0, price=2.5)
    with pytest.raises(StructuredOutputError) as info:
        fmt.parse('{"sku": "AB-1", "count": -1, "price": 2.5}')
    assert str(info.value).startswith(
        "The reply does not validate as Stock: count: Input should be greater than or equal to 0"
    )
    assert [e["loc"] for e in info.value.errors] == [("count",)]
    with pytest.raises(StructuredOutputError, match=r"sku: String should have at most 8 characters.*tags: List"):
        fmt.parse('{"sku": "AB-123456789", "count": 1, "price": 1, "tags": ["a", "b", "c"]}')


def test_a_json_schema_dict_is_transformed_and_parsed_as_plain_json() -> None:
    user = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}
    fmt = resolve_output_format(user)
    assert fmt.target is None
    assert fmt.wire == {
        "type": "json_schema",
        "schema": {
            "type": "object",
            "properties": {"n": {"type": "integer", "description": "{minimum: 0}"}},
            "additionalProperties": False,
        },
    }
    assert user == {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}
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
