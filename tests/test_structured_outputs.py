"""Structured outputs end to end, over loopback HTTP against the emulator, sync and async.

``output_format=`` as a Pydantic model, a ``TypeAdapter`` type and a JSON
schema: the schema on the wire (rewritten by ``transform_schema``), ``parsed_snapshot()`` while streaming
(a dict that grows toward the final object, read as a partial ``from_json``
does except that a number waits for the end of its token, computed
incrementally), ``parsed_output`` on the final message and on each text block,
and the error for a reply that does not fit.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any, Literal, Optional

import pydantic
import pytest
from pydantic_core import from_json

from anthropic import StructuredOutputError
from anthropic.emulator import Emulator, Reply
from anthropic.lib._parse import transform_schema
from anthropic.types.beta import ParsedBetaMessage, ParsedBetaTextBlock
from test_beta import BASE, MODEL, USER, call, run_stream, sse_body


class Order(pydantic.BaseModel):
    product_name: str
    price: float
    quantity: int


class Score(pydantic.BaseModel):
    name: str
    score: float
    n: int
    done: bool


class Address(pydantic.BaseModel):
    street: str
    city: str
    postcode: Optional[str] = None


class Customer(pydantic.BaseModel):
    name: str = pydantic.Field(description="Full name")
    address: Address
    previous: list[Address]
    tags: list[str]
    kind: Literal["person", "company"]
    vip: bool
    score: Optional[float] = None
    home: Optional[Address] = None


CUSTOMER = Customer(
    name='Ada "Countess" Lovelace \\ é 😀',
    address=Address(street="12 St James's Square", city="London", postcode="SW1Y 4JH"),
    previous=[
        Address(street="Marylebone", city="London"),
        Address(street="Ockham Park", city="Surrey", postcode=None),
    ],
    tags=["math", "engines\nanalytical", "\u00e9t\u00e9"],
    kind="person",
    vip=True,
    score=-1234.5,
    home=None,
)


def customer_text() -> str:
    return json.dumps(CUSTOMER.model_dump(mode="json"), ensure_ascii=False)


def structured_body(text: str, *, cut: Any = 3, stop_reason: str = "end_turn") -> Reply:
    return Reply.sse(sse_body([{"type": "text", "text": text}], cut=cut, stop_reason=stop_reason))


# ``emu`` (the shared emulator, reset around each test) and ``mode`` come from conftest.py.


@pytest.fixture(autouse=True)
def _every_reply_used(emu: Emulator) -> Iterator[None]:
    yield
    assert emu.pending_replies == 0, "a test left a scripted reply unused"


# --- a second, independent reading of "strict" -------------------------------------------------


def schema_nodes(schema: Any) -> Iterator[dict[str, Any]]:
    """Every subschema of ``schema``, walking the keywords that hold schemas."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("properties", "$defs", "definitions"):
        for sub in (schema.get(key) or {}).values():
            yield from schema_nodes(sub)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in schema.get(key) or ():
            yield from schema_nodes(sub)
    for key in ("items", "not", "additionalProperties"):
        yield from schema_nodes(schema.get(key))


def assert_strict(schema: dict[str, Any]) -> int:
    """Every object closed (``additionalProperties: false``); returns how many objects there are."""
    objects = 0
    for node in schema_nodes(schema):
        if node.get("type") == "object" or "properties" in node:
            objects += 1
            assert node.get("additionalProperties") is False, node
    return objects


ORDER_SCHEMA = {
    "type": "object",
    "title": "Order",
    "properties": {
        "product_name": {"title": "Product Name", "type": "string"},
        "price": {"title": "Price", "type": "number"},
        "quantity": {"title": "Quantity", "type": "integer"},
    },
    "required": ["product_name", "price", "quantity"],
    "additionalProperties": False,
}


# --- the schema on the wire -------------------------------------------------------------------


@pytest.mark.parametrize("way", ["stream", "parse", "create", "count_tokens"])
def test_a_model_goes_on_the_wire_as_a_strict_json_schema(mode: str, emu: Emulator, way: str) -> None:
    params = {**BASE, "betas": ["structured-outputs-2025-11-13"], "output_format": Order}
    if way == "count_tokens":
        del params["max_tokens"]
        call(mode, emu, "count_tokens", **params)
    else:
        emu.enqueue(Reply.text('{"product_name": "Tea", "price": 5.5, "quantity": 2}'))
        if way == "stream":
            run_stream(mode, emu, **params)
        else:
            call(mode, emu, way, **params)
    (request,) = emu.requests
    assert request.json["output_format"] == {"type": "json_schema", "schema": ORDER_SCHEMA}
    assert "output_config" not in request.json
    assert request.headers["anthropic-beta"] == "structured-outputs-2025-11-13"


def test_nested_models_defs_lists_and_optionals_are_all_closed(mode: str, emu: Emulator) -> None:
    emu.enqueue(structured_body(customer_text()))
    run_stream(mode, emu, output_format=Customer)
    sent = emu.requests[0].json["output_format"]
    assert sent["type"] == "json_schema"
    schema = sent["schema"]
    assert assert_strict(schema) == 2  # Customer and Address
    original = Customer.model_json_schema()
    assert schema["required"] == original["required"]
    assert schema["$defs"]["Address"]["required"] == original["$defs"]["Address"]["required"]
    assert schema["$defs"]["Address"]["additionalProperties"] is False
    # Descriptions, refs, enums and nullable branches are kept; defaults are described.
    assert schema == transform_schema(original)
    assert schema["properties"]["name"]["description"] == "Full name"
    assert schema["properties"]["home"]["anyOf"] == [{"$ref": "#/$defs/Address"}, {"type": "null"}]


def test_a_json_schema_dict_is_closed_and_parsed_to_plain_json(mode: str, emu: Emulator) -> None:
    user_schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "days": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"day": {"type": "integer"}, "rain": {"type": "boolean"}},
                },
            },
        },
        "required": ["city"],
    }
    before = json.dumps(user_schema, sort_keys=True)
    text = '{"city": "Paris", "days": [{"day": 1, "rain": false}, {"day": 2, "rain": true}]}'
    emu.enqueue(structured_body(text, cut=5))
    result = run_stream(
        mode,
        emu,
        output_format=user_schema,
        on_event=lambda e: e.parsed_snapshot() if e.type == "text" else None,
    )
    assert json.dumps(user_schema, sort_keys=True) == before, "the caller's schema was changed in place"
    schema = emu.requests[0].json["output_format"]["schema"]
    assert assert_strict(schema) == 2
    assert schema["required"] == ["city"]
    assert "required" not in schema["properties"]["days"]["items"]
    assert result.final.parsed_output == json.loads(text)
    assert [s for s in result.seen if s is not None][-1] == json.loads(text)


class Refund(pydantic.BaseModel):
    order_id: str = pydantic.Field(pattern=r"^ord_[0-9]+$")
    amount: int = pydantic.Field(ge=0)


def test_constraints_the_api_refuses_are_described_and_enforced_on_the_reply(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text('{"order_id": "ord_7", "amount": -1}'))
    with pytest.raises(StructuredOutputError) as info:
        call(mode, emu, "parse", **BASE, output_format=Refund)
    sent = emu.requests[0].json["output_format"]["schema"]["properties"]
    assert sent["amount"] == {"type": "integer", "title": "Amount", "description": "{minimum: 0}"}
    assert sent["order_id"] == {"type": "string", "title": "Order Id", "description": "{pattern: ^ord_[0-9]+$}"}
    assert str(info.value).startswith(
        "The reply does not validate as Refund: amount: Input should be greater than or equal to 0"
    )
    assert info.value.text == '{"order_id": "ord_7", "amount": -1}'


def test_a_full_output_format_object_is_sent_as_given(mode: str, emu: Emulator) -> None:
    fmt = {
        "type": "json_schema",
        "schema": {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
            "required": ["a"],
            "additionalProperties": False,
        },
    }
    emu.enqueue(Reply.text('{"a": 1}'))
    message = call(mode, emu, "parse", **BASE, output_format=fmt)
    assert emu.requests[0].json["output_format"] == fmt
    assert message.parsed_output == {"a": 1}


def test_a_type_adapter_type_list_of_models(mode: str, emu: Emulator) -> None:
    items = [Address(street="A", city="B", postcode="C"), Address(street="D", city="E")]
    text = json.dumps([a.model_dump() for a in items])
    emu.enqueue(structured_body(text, cut=4))
    result = run_stream(
        mode,
        emu,
        output_format=list[Address],
        on_event=lambda e: e.parsed_snapshot() if e.type == "text" else None,
    )
    schema = emu.requests[0].json["output_format"]["schema"]
    assert schema["type"] == "array"
    assert schema["items"] == {"$ref": "#/$defs/Address"}
    assert assert_strict(schema) == 1
    assert result.final.parsed_output == items
    snapshots = [s for s in result.seen if s is not None]
    assert all(isinstance(s, list) for s in snapshots)
    assert snapshots[-1] == [a.model_dump() for a in items]


def test_the_plain_stream_sends_output_config_format(mode: str, emu: Emulator) -> None:
    text = '{"product_name": "Green Tea", "price": 5.5, "quantity": 2}'
    emu.enqueue(structured_body(text))
    result = run_stream(mode, emu, beta=False, output_format=Order)
    (request,) = emu.requests
    assert request.json["output_config"] == {"format": {"type": "json_schema", "schema": ORDER_SCHEMA}}
    assert "output_format" not in request.json
    assert request.query == {}
    assert "anthropic-beta" not in request.headers
    assert result.final.parsed_output == Order(product_name="Green Tea", price=5.5, quantity=2)
    assert type(result.final).__name__ == "ParsedMessage"


def test_the_plain_parse_keeps_other_output_config_keys(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text('{"product_name": "Tea", "price": 1, "quantity": 3}'))
    message = call(
        mode, emu, "parse", beta=False, **BASE, output_format=Order, output_config={"effort": "low"}
    )
    assert emu.requests[0].json["output_config"] == {
        "effort": "low",
        "format": {"type": "json_schema", "schema": ORDER_SCHEMA},
    }
    assert message.parsed_output == Order(product_name="Tea", price=1.0, quantity=3)


def test_the_emulator_answers_a_strict_schema_with_output_that_validates(mode: str, emu: Emulator) -> None:
    result = run_stream(
        mode,
        emu,
        output_format=Customer,
        on_event=lambda e: e.parsed_snapshot() if e.type == "text" else None,
    )
    assert isinstance(result.final.parsed_output, Customer)
    snapshots = [s for s in result.seen if s is not None]
    assert snapshots and snapshots[-1] == json.loads(result.final_text)


# --- parsed_snapshot while streaming ------------------------------------------------------------


_NUMBER_CHARS = "0123456789+-.eE"


def partial_readings(raw: str) -> list[Any]:
    """What ``parsed_snapshot()`` may give for ``raw``: ``from_json``'s partial reading of it,
    or, when it ends inside a number, of the text before that number."""
    readings = [from_json(raw, allow_partial="trailing-strings")]
    before = raw.rstrip(_NUMBER_CHARS)
    if before != raw:
        readings.append(from_json(before, allow_partial="trailing-strings") if before.strip() else {})
    return readings


def grows_toward(partial: Any, full: Any, path: str = "$") -> None:
    """``partial`` is what a prefix of ``full``'s JSON can show: the same containers,
    fewer entries, the last string cut short; every other value already final."""
    if isinstance(full, dict):
        assert isinstance(partial, dict), path
        assert list(partial) == list(full)[: len(partial)], f"{path}: keys out of order or unknown"
        for key, value in partial.items():
            grows_toward(value, full[key], f"{path}.{key}")
    elif isinstance(full, list):
        assert isinstance(partial, list) and len(partial) <= len(full), path
        for i, value in enumerate(partial):
            grows_toward(value, full[i], f"{path}[{i}]")
    elif isinstance(full, str):
        assert isinstance(partial, str) and full.startswith(partial), f"{path}: {partial!r} / {full!r}"
    else:
        assert partial == full and type(partial) is type(full), f"{path}: {partial!r} / {full!r}"


def test_consecutive_snapshots_never_lose_or_change_a_value(mode: str, emu: Emulator) -> None:
    """from_json's partial reading shows -1, -12, ... then drops the key at '-1234.': not here."""
    text = '{"name": "Ada", "score": -1234.5, "n": 12, "done": true}'
    emu.enqueue(structured_body(text, cut=1))
    result = run_stream(
        mode, emu, output_format=Score, on_event=lambda e: e.parsed_snapshot() if e.type == "text" else None
    )
    seen = [s for s in result.seen if s is not None]
    for before, after in itertools.pairwise(seen):
        assert list(after)[: len(before)] == list(before), (before, after)
        for key, value in before.items():
            if isinstance(value, str):
                assert after[key].startswith(value)
            else:
                assert after[key] == value, (before, after)


@pytest.mark.parametrize("cut", [1, 2, 3, 7])
def test_every_parsed_snapshot_is_a_dict_growing_toward_the_final_object(
    mode: str, emu: Emulator, cut: int
) -> None:
    text = customer_text()
    emu.enqueue(structured_body(text, cut=cut))
    result = run_stream(
        mode,
        emu,
        betas=["structured-outputs-2025-11-13"],
        output_format=Customer,
        on_event=lambda e: (e.snapshot, e.parsed_snapshot()) if e.type == "text" else None,
    )
    final = result.final.parsed_output
    assert final == CUSTOMER
    final_dump = final.model_dump(mode="json")
    seen = [s for s in result.seen if s is not None]
    assert len(seen) == math.ceil(len(text) / cut)
    for raw, snapshot in seen:
        assert isinstance(snapshot, dict)
        grows_toward(snapshot, final_dump)
        assert snapshot in partial_readings(raw), raw
    assert seen[-1][1] == final_dump
    # Read again after the stream ended, each event still gives its own snapshot.
    texts = [e for e in result.events if e.type == "text"]
    assert [e.parsed_snapshot() for e in texts] == [s for _, s in seen]


def test_parsed_snapshot_matches_a_partial_parse_at_every_cut_of_awkward_json(
    mode: str, emu: Emulator
) -> None:
    text = '{"n": -12.5e-3, "big": 12345678901234567890, "esc": "a\\"b\\\\c\\u00e9\\ud83d\\ude00\\n", "x": [true, false, null, [], {}], "z": 0}'
    emu.enqueue(structured_body(text, cut=1))
    result = run_stream(
        mode,
        emu,
        output_format={"type": "object"},
        on_event=lambda e: (e.snapshot, e.parsed_snapshot()) if e.type == "text" else None,
    )
    seen = [s for s in result.seen if s is not None]
    assert len(seen) == len(text)
    for raw, snapshot in seen:
        assert snapshot in partial_readings(raw), raw
    assert next(s for _, s in seen if "n" in s) == {"n": -0.0125}
    assert next(s for _, s in seen if "big" in s)["big"] == 12345678901234567890
    assert result.final.parsed_output == json.loads(text)


def test_parsed_snapshot_of_text_that_is_not_json_raises(mode: str, emu: Emulator) -> None:
    emu.enqueue(structured_body("Sorry, I can't do that.", cut=4))

    def read(event: Any) -> Any:
        if event.type != "text":
            return None
        try:
            return event.parsed_snapshot()
        except ValueError as exc:
            return exc

    result = run_stream(mode, emu, on_event=read)
    errors = [s for s in result.seen if s is not None]
    assert errors and all(isinstance(e, ValueError) for e in errors), errors
    assert "offset 0" in str(errors[0])


def test_copied_and_pickled_events_keep_their_parsed_snapshot(mode: str, emu: Emulator) -> None:
    import copy
    import pickle

    text = '{"product_name": "Matcha \\u00e9", "price": 9.25, "quantity": 4}'
    emu.enqueue(structured_body(text, cut=9))
    result = run_stream(mode, emu, output_format=Order)
    texts = [e for e in result.events if e.type == "text"]
    for event in texts:
        expected = event.parsed_snapshot()
        assert expected in partial_readings(event.snapshot)
        assert pickle.loads(pickle.dumps(event)).parsed_snapshot() == expected
        assert copy.deepcopy(event).parsed_snapshot() == expected
        assert event.parsed_snapshot() == expected


def test_parsed_snapshot_is_incremental_the_parser_reads_each_character_once(
    mode: str, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Calling parsed_snapshot() on every event of a long reply costs one pass over the text."""
    import anthropic.lib.streaming._accumulator as acc
    import anthropic.lib.streaming._beta_types as bt
    from anthropic.lib.streaming import _partial_json

    fed: list[int] = []
    scratch: list[int] = []

    class CountingParser(_partial_json.PartialJSONParser):
        def feed(self, text: str) -> None:
            fed.append(len(text))
            super().feed(text)

    def counting_parse_partial(text: str, **kwargs: Any) -> Any:
        scratch.append(len(text))
        return _partial_json.parse_partial(text, **kwargs)

    monkeypatch.setattr(acc, "PartialJSONParser", CountingParser)
    monkeypatch.setattr(acc, "parse_partial", counting_parse_partial)
    monkeypatch.setattr(bt, "parse_partial", counting_parse_partial, raising=False)

    items = [
        {"street": f"{i} Long Road, with a longer description \\u00e9", "city": "Town", "postcode": None}
        for i in range(150)
    ]
    text = json.dumps(items)
    emu.enqueue(structured_body(text, cut=5))
    result = run_stream(
        mode,
        emu,
        output_format=list[Address],
        on_event=lambda e: e.parsed_snapshot() if e.type == "text" else None,
    )
    calls = sum(1 for s in result.seen if s is not None)
    assert calls == math.ceil(len(text) / 5) > 2500
    assert sum(fed) == len(text)  # each character once; re-parsing per call would be ~calls * len / 2
    assert len(fed) == calls
    assert scratch == []
    assert len(result.final.parsed_output) == 150


# --- parsed_output ------------------------------------------------------------------------------


def test_parsed_output_on_the_message_each_text_block_and_the_stop_events(mode: str, emu: Emulator) -> None:
    first = Order(product_name="Green Tea", price=5.5, quantity=2)
    second = Order(product_name="Black Tea", price=4.25, quantity=10)
    blocks = [
        {"type": "thinking", "thinking": "Two orders.", "signature": "c2ln"},
        {"type": "text", "text": first.model_dump_json()},
        {"type": "text", "text": second.model_dump_json()},
    ]
    emu.enqueue(Reply.sse(sse_body(blocks, cut=6)))
    result = run_stream(mode, emu, output_format=Order)
    message = result.final
    assert type(message) is ParsedBetaMessage
    assert message.parsed_output == first  # the first text block's
    _, a, b = message.content
    assert type(a) is ParsedBetaTextBlock and type(b) is ParsedBetaTextBlock
    assert (a.parsed_output, b.parsed_output) == (first, second)
    assert isinstance(a.parsed_output, Order)
    stops = [e.content_block for e in result.events if e.type == "content_block_stop"]
    assert [getattr(s, "parsed_output", None) for s in stops] == [None, first, second]
    (stop,) = [e for e in result.events if e.type == "message_stop"]
    assert stop.message.parsed_output == first
    assert result.final_text == first.model_dump_json() + second.model_dump_json()
    # As in the official client, parsed_output is computed, not data: left out of dumps.
    assert "parsed_output" not in message.model_dump()["content"][1]


@pytest.mark.parametrize("way", ["parse", "create"])
def test_non_streamed_calls_give_parsed_output_too(mode: str, emu: Emulator, way: str) -> None:
    order = Order(product_name="Oolong", price=12.0, quantity=1)
    emu.enqueue(
        Reply.message(
            [
                {"type": "text", "text": order.model_dump_json()},
                {"type": "text", "text": order.model_dump_json()},
            ]
        )
    )
    message = call(mode, emu, way, **BASE, output_format=Order)
    assert type(message) is ParsedBetaMessage
    assert message.parsed_output == order
    assert [b.parsed_output for b in message.content] == [order, order]


def test_without_output_format_parsed_output_is_none(mode: str, emu: Emulator) -> None:
    emu.enqueue(structured_body('{"a": 1}'))
    result = run_stream(mode, emu)
    assert result.final.parsed_output is None
    assert result.final.content[0].parsed_output is None
    assert "output_format" not in emu.requests[0].json


# --- replies that do not fit -------------------------------------------------------------------

WRONG = '{"product_name": "Tea", "price": 5.5, "quantity": "a dozen"}'


def test_a_streamed_reply_that_does_not_validate_raises_naming_the_field(mode: str, emu: Emulator) -> None:
    emu.enqueue(structured_body(WRONG, cut=8))
    texts: list[str] = []
    with pytest.raises(StructuredOutputError) as info:
        run_stream(
            mode,
            emu,
            output_format=Order,
            on_event=lambda e: texts.append(e.text) if e.type == "text" else None,
        )
    err = info.value
    assert "quantity" in str(err) and "Order" in str(err)
    assert "valid integer" in str(err)
    assert err.text == WRONG
    assert [e["loc"] for e in err.errors] == [("quantity",)]
    assert "".join(texts) == WRONG  # every text event was delivered before the block ended
    assert err.request_id == emu.requests[0].request_id
    assert err.partial_message is not None and err.partial_message.content[0].text == WRONG


def test_a_nested_field_is_named_by_its_path(mode: str, emu: Emulator) -> None:
    bad = CUSTOMER.model_dump(mode="json")
    bad["previous"][1]["city"] = 42
    del bad["address"]["street"]
    text = json.dumps(bad)
    emu.enqueue(structured_body(text, cut=50))
    with pytest.raises(StructuredOutputError) as info:
        run_stream(mode, emu, output_format=Customer)
    message = str(info.value)
    assert "previous.1.city" in message and "address.street" in message
    assert {e["loc"] for e in info.value.errors} == {("address", "street"), ("previous", 1, "city")}
    assert info.value.text == text


@pytest.mark.parametrize("way", ["parse", "create"])
def test_a_non_streamed_reply_that_does_not_validate_raises_too(mode: str, emu: Emulator, way: str) -> None:
    emu.enqueue(Reply.text(WRONG))
    with pytest.raises(
        StructuredOutputError, match=r"The reply does not validate as Order: quantity: .*valid integer"
    ) as info:
        call(mode, emu, way, **BASE, output_format=Order)
    assert info.value.text == WRONG
    assert info.value.request_id == emu.requests[0].request_id


def test_text_that_is_not_json_raises_with_the_text_kept(mode: str, emu: Emulator) -> None:
    text = "I'd rather not answer in JSON."
    emu.enqueue(structured_body(text))
    with pytest.raises(StructuredOutputError, match="Invalid JSON") as info:
        run_stream(mode, emu, output_format=Order)
    assert info.value.text == text
    emu.enqueue(structured_body(text))
    with pytest.raises(StructuredOutputError, match="not valid JSON") as info:
        run_stream(mode, emu, output_format={"type": "object", "properties": {}})
    assert info.value.text == text


def test_a_reply_cut_by_max_tokens_raises_with_the_partial_text(mode: str, emu: Emulator) -> None:
    text = '{"product_name": "Green T'
    emu.enqueue(structured_body(text, stop_reason="max_tokens"))
    with pytest.raises(StructuredOutputError) as info:
        run_stream(mode, emu, output_format=Order)
    assert info.value.text == text


def test_get_final_message_raises_the_validation_error_without_iterating(mode: str, emu: Emulator) -> None:
    import asyncio

    from anthropic import Anthropic, AsyncAnthropic

    emu.enqueue(structured_body(WRONG))
    params = {**BASE, "output_format": Order}
    if mode == "sync":
        with (
            Anthropic(base_url=emu.base_url, api_key="k") as client,
            client.beta.messages.stream(**params) as stream,
            pytest.raises(StructuredOutputError, match="quantity"),
        ):
            stream.get_final_message()
    else:

        async def main() -> None:
            async with (
                AsyncAnthropic(base_url=emu.base_url, api_key="k") as client,
                client.beta.messages.stream(**params) as stream,
            ):
                with pytest.raises(StructuredOutputError, match="quantity"):
                    await stream.get_final_message()

        asyncio.run(main())


def test_an_output_format_that_is_not_a_type_is_refused_before_any_request(mode: str, emu: Emulator) -> None:
    with pytest.raises(
        TypeError,
        match=r"output_format must be a Pydantic model class, a type pydantic\.TypeAdapter accepts, or a JSON schema dict; got 42",
    ):
        run_stream(mode, emu, output_format=42)
    assert emu.requests == []


# --- the seed's example, unchanged ------------------------------------------------------------

SEED_EXAMPLE = '''
import pydantic
from anthropic import Anthropic

class Order(pydantic.BaseModel):
    product_name: str
    price: float
    quantity: int

client = Anthropic()

prompt = """
Pull the product, the unit price and how many were asked for out of this note:
"Please send 2 packs of Green Tea at 5.50 dollars a pack."
"""

with client.beta.messages.stream(
    model="claude-sonnet-4-5-20250929-structured-outputs",
    messages=[{"role": "user", "content": prompt}],
    betas=["structured-outputs-2025-09-17"],
    max_tokens=1024,
    output_format=Order,
) as stream:
    for event in stream:
        if event.type == "text":
            # Access incrementally parsed structured output
            print(event.parsed_snapshot())

# Get final parsed output
final_message = stream.get_final_message()
if final_message.parsed_output:
    order = final_message.parsed_output
    print(f"Product: {order.product_name}")
    print(f"Price: ${order.price}")
    print(f"Quantity: {order.quantity}")
'''


def test_the_seed_structured_output_example_runs_unchanged(emu: Emulator, tmp_path: Any) -> None:
    emu.enqueue(
        structured_body(
            '{"product_name": "Green Tea", "price": 5.5, "quantity": 2}', cut=[2, 17, 21, 31, 40, 52]
        )
    )
    script = tmp_path / "structured_example.py"
    script.write_text(textwrap.dedent(SEED_EXAMPLE))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env.update(ANTHROPIC_BASE_URL=emu.base_url, ANTHROPIC_API_KEY="sk-example")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "{}",
        "{}",
        "{'product_name': 'Gre'}",
        "{'product_name': 'Green Tea'}",
        "{'product_name': 'Green Tea'}",
        "{'product_name': 'Green Tea', 'price': 5.5}",
        "{'product_name': 'Green Tea', 'price': 5.5, 'quantity': 2}",
        "Product: Green Tea",
        "Price: $5.5",
        "Quantity: 2",
    ]
    (request,) = emu.requests
    assert request.headers["anthropic-beta"] == "structured-outputs-2025-09-17"
    assert request.headers["x-api-key"] == "sk-example"
    assert request.json["model"] == "claude-sonnet-4-5-20250929-structured-outputs"
    assert request.json["output_format"] == {"type": "json_schema", "schema": ORDER_SCHEMA}


def test_the_users_message_is_sent_unchanged_next_to_the_format(mode: str, emu: Emulator) -> None:
    emu.enqueue(Reply.text('{"product_name": "x", "price": 0, "quantity": 0}'))
    call(
        mode,
        emu,
        "parse",
        model=MODEL,
        max_tokens=10,
        messages=USER,
        output_format=Order,
        system="Answer in JSON.",
    )
    body = emu.requests[0].json
    assert body["messages"] == USER and body["system"] == "Answer in JSON." and body["max_tokens"] == 10
