"""Reply generation and event encoding, without HTTP: the emulator's pure core."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from emulator_support import accumulate, parse_sse, schema_errors
from hypothesis import given, settings
from hypothesis import strategies as st

from anthropic.emulator._events import encode, error_event, message_events, with_error_event
from anthropic.emulator._generate import Draft, generate
from anthropic.emulator._schema import PromptHints, example_value
from anthropic.emulator._tokens import count_tokens, estimate_input_tokens, split_tokens

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Get the weather for a location",
    "input_schema": {
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
        },
        "required": ["location", "days"],
    },
}
ORDER_SCHEMA = {
    "type": "object",
    "properties": {
        "product_name": {"type": "string"},
        "price": {"type": "number"},
        "quantity": {"type": "integer"},
    },
    "required": ["product_name", "price", "quantity"],
    "additionalProperties": False,
}


def request(prompt: str = "Tell me a story", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "claude-test",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": prompt}],
    }
    body.update(fields)
    return body


def streamed(draft: Draft) -> dict[str, Any]:
    """The message a client accumulates from the draft's encoded event stream."""
    body = b"".join(encode(e) for e in message_events(draft))
    return accumulate(parse_sse(body))


def text_of(draft: Draft) -> str:
    return "".join(b["text"] for b in draft.content if b["type"] == "text")


# --- tokens -----------------------------------------------------------------------------------


@given(st.text())
def test_tokens_join_back_to_the_text(text: str) -> None:
    tokens = split_tokens(text)
    assert "".join(tokens) == text
    assert count_tokens(text) == len(tokens)
    assert all(t for t in tokens)


def test_tokens_are_word_sized() -> None:
    assert split_tokens("Hello, world! 12345 extraordinarily") == [
        "Hello",
        ",",
        " world",
        "!",
        " 123",
        "45",
        " extraord",
        "inarily",
    ]


def test_input_tokens_grow_with_the_request() -> None:
    small = estimate_input_tokens(request("Hi"))
    larger = estimate_input_tokens(request("Hi " * 50))
    with_tools = estimate_input_tokens(request("Hi", tools=[WEATHER_TOOL]))
    assert 0 < small < larger
    assert with_tools > small


# --- the text rule ----------------------------------------------------------------------------


def test_same_request_same_reply_and_different_prompts_differ() -> None:
    a, b = generate(request("Tell me a story")), generate(request("Tell me a story"))
    assert a.message() == b.message()
    c = generate(request("Explain quantum computing"))
    assert text_of(c) != text_of(a)
    assert a.id.startswith("msg_") and a.id != c.id


def test_plain_reply_quotes_the_prompt_and_is_several_tokens() -> None:
    draft = generate(request("Explain quantum computing"))
    text = text_of(draft)
    assert '"Explain quantum computing"' in text
    assert draft.stop_reason == "end_turn"
    assert draft.usage["output_tokens"] == count_tokens(text) > 20
    assert draft.usage["input_tokens"] == estimate_input_tokens(request("Explain quantum computing"))


@pytest.mark.parametrize(
    ("prompt", "reply"),
    [
        ("Say hello world", "hello world"),
        ('Say exactly: "Hi there"', "Hi there"),
        ("Repeat after me: the cat sat", "the cat sat"),
        ("Count to 5", "1, 2, 3, 4, 5."),
        ("Please count from 3 to 6", "3, 4, 5, 6."),
    ],
)
def test_say_and_count_prompts(prompt: str, reply: str) -> None:
    assert text_of(generate(request(prompt))) == reply


def test_system_prompt_as_blocks_is_accepted_and_changes_nothing_but_the_seed() -> None:
    draft = generate(request("Count to 3", system=[{"type": "text", "text": "Be brief."}]))
    assert text_of(draft) == "1, 2, 3."


def test_prefill_is_continued_not_repeated() -> None:
    body = request("Count to 5")
    body["messages"].append({"role": "assistant", "content": "1, 2,"})
    assert text_of(generate(body)) == " 3, 4, 5."


def test_max_tokens_cuts_a_prefix_of_the_full_reply() -> None:
    full = text_of(generate(request("Tell me a story")))
    for limit in (1, 5, 17):
        draft = generate(request("Tell me a story", max_tokens=limit))
        text = text_of(draft)
        assert draft.stop_reason == "max_tokens"
        assert draft.usage["output_tokens"] == limit == count_tokens(text)
        assert full.startswith(text) and text != full


def test_max_tokens_exactly_enough_is_a_natural_end() -> None:
    full = generate(request("Count to 3"))
    exact = generate(request("Count to 3", max_tokens=full.usage["output_tokens"]))
    assert exact.stop_reason == "end_turn"
    assert text_of(exact) == text_of(full)


def test_stop_sequences_cut_before_the_earliest_match() -> None:
    draft = generate(request("Count to 10", stop_sequences=["7", "4"]))
    assert text_of(draft) == "1, 2, 3, "
    assert draft.stop_reason == "stop_sequence"
    assert draft.stop_sequence == "4"
    unmatched = generate(request("Count to 10", stop_sequences=["zzz"]))
    assert unmatched.stop_reason == "end_turn" and unmatched.stop_sequence is None


def test_max_tokens_before_the_stop_sequence_wins() -> None:
    draft = generate(request("Count to 10", stop_sequences=["9"], max_tokens=3))
    assert draft.stop_reason == "max_tokens"
    assert draft.stop_sequence is None
    assert text_of(draft) == "1, 2"


# --- thinking ---------------------------------------------------------------------------------


def test_thinking_comes_first_with_a_signature_and_within_budget() -> None:
    body = request("Create a haiku", thinking={"type": "enabled", "budget_tokens": 1024}, max_tokens=2000)
    draft = generate(body)
    kinds = [b["type"] for b in draft.content]
    assert kinds == ["thinking", "text"]
    thinking = draft.content[0]
    assert "Create a haiku" in thinking["thinking"]
    assert thinking["signature"]
    assert count_tokens(thinking["thinking"]) <= 1024
    # The answer is the same one as without thinking; usage counts both.
    plain = generate(request("Create a haiku", max_tokens=2000))
    assert draft.content[1] == plain.content[0]
    assert draft.usage["output_tokens"] == plain.usage["output_tokens"] + count_tokens(thinking["thinking"])


def test_thinking_adaptive_and_omitted_display() -> None:
    adaptive = generate(request("Hi", thinking={"type": "adaptive"}))
    assert adaptive.content[0]["type"] == "thinking" and adaptive.content[0]["thinking"]
    omitted = generate(request("Hi", thinking={"type": "adaptive", "display": "omitted"}))
    assert omitted.content[0] == {
        "type": "thinking",
        "thinking": "",
        "signature": omitted.content[0]["signature"],
    }
    assert omitted.content[0]["signature"]


def test_thinking_events_end_with_one_signature_delta() -> None:
    body = request("Hi", thinking={"type": "enabled", "budget_tokens": 1024}, max_tokens=2000)
    events = list(message_events(generate(body)))
    deltas = [d["delta"]["type"] for n, d in events if n == "content_block_delta" and d["index"] == 0]
    assert deltas.count("signature_delta") == 1
    assert deltas[-1] == "signature_delta"
    assert deltas[:-1] and set(deltas[:-1]) == {"thinking_delta"}


# --- tools ------------------------------------------------------------------------------------


def tool_uses(draft: Draft) -> list[dict[str, Any]]:
    return [b for b in draft.content if b["type"] == "tool_use"]


def test_auto_tool_use_when_the_prompt_names_the_tool() -> None:
    draft = generate(request("What's the weather in San Francisco?", tools=[WEATHER_TOOL]))
    calls = tool_uses(draft)
    assert len(calls) == 1
    call = calls[0]
    assert call["name"] == "get_weather" and call["id"].startswith("toolu_")
    assert call["input"]["location"] == "San Francisco"
    assert schema_errors(call["input"], WEATHER_TOOL["input_schema"]) == []
    assert draft.stop_reason == "tool_use"
    assert draft.content[0]["type"] == "text"  # a short preamble, as models write under auto


def test_auto_without_naming_a_tool_answers_in_text() -> None:
    draft = generate(request("Tell me a story", tools=[WEATHER_TOOL]))
    assert tool_uses(draft) == [] and draft.stop_reason == "end_turn"


@pytest.mark.parametrize("choice", [{"type": "any"}, {"type": "tool", "name": "get_weather"}])
def test_forced_tool_choice_calls_without_preamble(choice: dict[str, Any]) -> None:
    draft = generate(request("Hello", tools=[WEATHER_TOOL], tool_choice=choice))
    assert [b["type"] for b in draft.content] == ["tool_use"]
    assert schema_errors(draft.content[0]["input"], WEATHER_TOOL["input_schema"]) == []


def test_tool_choice_none_never_calls() -> None:
    draft = generate(request("get_weather please", tools=[WEATHER_TOOL], tool_choice={"type": "none"}))
    assert tool_uses(draft) == []


def test_parallel_calls_and_disabling_them() -> None:
    other = {
        "name": "lookup_time",
        "input_schema": {"type": "object", "properties": {"zone": {"type": "string"}}},
    }
    prompt = "Use get_weather and lookup_time for Paris"
    both = generate(request(prompt, tools=[WEATHER_TOOL, other]))
    assert [c["name"] for c in tool_uses(both)] == ["get_weather", "lookup_time"]
    assert len({c["id"] for c in tool_uses(both)}) == 2
    one = generate(
        request(
            prompt,
            tools=[WEATHER_TOOL, other],
            tool_choice={"type": "auto", "disable_parallel_tool_use": True},
        )
    )
    assert [c["name"] for c in tool_uses(one)] == ["get_weather"]


def test_tool_result_is_acknowledged() -> None:
    first = generate(request("What's the weather in Paris?", tools=[WEATHER_TOOL]))
    call = tool_uses(first)[0]
    body = request("What's the weather in Paris?", tools=[WEATHER_TOOL])
    body["messages"] += [
        {"role": "assistant", "content": first.content},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": call["id"], "content": "18C, sunny"}],
        },
    ]
    reply = generate(body)
    assert tool_uses(reply) == []
    assert text_of(reply).startswith("The get_weather tool returned: 18C, sunny.")
    body["messages"][-1]["content"][0]["is_error"] = True
    assert "get_weather tool reported an error" in text_of(generate(body))


def test_tool_input_json_is_streamed_in_pieces_split_inside_strings() -> None:
    inside_string = 0
    for city in ("Paris", "San Francisco", "New York", "Buenos Aires", "Kuala Lumpur", "Cape Town"):
        draft = generate(request(f"What's the weather in {city}?", tools=[WEATHER_TOOL]))
        index = next(i for i, b in enumerate(draft.content) if b["type"] == "tool_use")
        pieces = [
            d["delta"]["partial_json"]
            for n, d in message_events(draft)
            if n == "content_block_delta" and d["index"] == index
        ]
        joined = "".join(pieces)
        assert json.loads(joined) == draft.content[index]["input"]
        assert len(pieces) > 2
        offset = 0
        for piece in pieces[:-1]:
            offset += len(piece)
            if joined[:offset].count('"') % 2 == 1:
                inside_string += 1
    assert inside_string > 0


def test_tool_call_cut_by_max_tokens_streams_incomplete_json() -> None:
    body = request("What's the weather in San Francisco?", tools=[WEATHER_TOOL], tool_choice={"type": "any"})
    full = generate(body)
    full_json = json.dumps(full.content[0]["input"])
    cut = generate({**body, "max_tokens": 4})
    assert cut.stop_reason == "max_tokens"
    events = list(message_events(cut))
    joined = "".join(d["delta"]["partial_json"] for n, d in events if n == "content_block_delta")
    assert full_json.startswith(joined) and joined != full_json
    with pytest.raises(json.JSONDecodeError):
        json.loads(joined)
    assert isinstance(cut.content[0]["input"], dict)


# --- structured output ------------------------------------------------------------------------

ORDER_PROMPT = (
    "Extract the product name, price, and quantity from this customer message:\n"
    '"Hi, I\'d like to order 2 packs of Green Tea for 5.50 dollars each."'
)


@pytest.mark.parametrize(
    "fields",
    [
        {"output_format": {"type": "json_schema", "schema": ORDER_SCHEMA}},
        {"output_config": {"format": {"type": "json_schema", "schema": ORDER_SCHEMA}}},
    ],
)
def test_structured_output_is_json_valid_against_the_schema(fields: dict[str, Any]) -> None:
    draft = generate(request(ORDER_PROMPT, **fields))
    value = json.loads(text_of(draft))
    assert schema_errors(value, ORDER_SCHEMA) == []
    assert value == {"product_name": "Green Tea", "price": 5.5, "quantity": 2}
    assert len([e for e in message_events(draft) if e[0] == "content_block_delta"]) > 3


def test_structured_output_is_independent_of_the_format_spelling() -> None:
    beta = generate(request(ORDER_PROMPT, output_format={"type": "json_schema", "schema": ORDER_SCHEMA}))
    current = generate(
        request(ORDER_PROMPT, output_config={"format": {"type": "json_schema", "schema": ORDER_SCHEMA}})
    )
    assert beta.content == current.content


# --- streamed and non-streamed agree -----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        request("Tell me a story"),
        request("Tell me a story", max_tokens=7),
        request("Count to 20", stop_sequences=["13"]),
        request("Weather in Oslo? use get_weather", tools=[WEATHER_TOOL]),
        request("Hi", tools=[WEATHER_TOOL], tool_choice={"type": "any"}, max_tokens=6),
        request("Hi", thinking={"type": "enabled", "budget_tokens": 1024}, max_tokens=1100),
        request(ORDER_PROMPT, output_format={"type": "json_schema", "schema": ORDER_SCHEMA}),
        request("Caf\u00e9 \u2014 na\u00efve \U0001f600 text"),
    ],
)
def test_stream_accumulates_to_the_json_message(body: dict[str, Any]) -> None:
    draft = generate(body)
    message = draft.message()
    got = streamed(draft)
    for index, raw in draft.partial_json.items():  # a cut tool call streams incomplete JSON
        assert got["content"][index]["input"] == {"<incomplete json>": raw}
        got["content"][index]["input"] = message["content"][index]["input"]
    assert got == message


def test_stream_shape_pings_and_usage() -> None:
    events = list(message_events(generate(request("Tell me a story"))))
    names = [n for n, _ in events]
    assert names[:2] == ["message_start", "ping"]
    assert names[-2:] == ["message_delta", "message_stop"]
    start = events[0][1]["message"]
    assert start["usage"]["output_tokens"] == 1 and start["usage"]["input_tokens"] > 0
    final_usage = events[-2][1]["usage"]
    assert final_usage["output_tokens"] > 1
    assert sum(1 for n in names if n == "content_block_delta") > 5


def test_error_event_right_after_message_start() -> None:
    events = list(with_error_event(message_events(generate(request())), error_event("overloaded_error")))
    names = [n for n, _ in events]
    assert names == ["message_start", "ping", "error"]
    assert events[-1][1] == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


@pytest.mark.parametrize("after", [0, 1, 3, 10_000])
def test_error_event_after_k_deltas(after: int) -> None:
    all_events = list(message_events(generate(request())))
    total = sum(1 for n, _ in all_events if n == "content_block_delta")
    events = list(with_error_event(iter(all_events), error_event("api_error", "boom"), after))
    assert sum(1 for n, _ in events if n == "content_block_delta") == min(after, total)
    assert events[-1] == ("error", {"type": "error", "error": {"type": "api_error", "message": "boom"}})
    assert "message_delta" not in [n for n, _ in events]


# --- example values from schemas ---------------------------------------------------------------


def test_prompt_hints() -> None:
    hints = PromptHints("What's the weather in San Francisco? I'd say \"foggy\". Buy 2 at 5.50 now.")
    assert hints.strings == ["San Francisco", "foggy"]
    assert hints.integers == [2]
    assert hints.decimals == [5.5]


NESTED_SCHEMA = {
    "type": "object",
    "$defs": {
        "Item": {
            "type": "object",
            "properties": {
                "sku": {"type": "string", "minLength": 3, "maxLength": 8},
                "count": {"type": "integer", "exclusiveMinimum": 0, "maximum": 3},
                "size": {"enum": ["S", "M", "L"]},
            },
            "required": ["sku", "count", "size"],
            "additionalProperties": False,
        }
    },
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "when": {"type": "string", "format": "date-time"},
        "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "minItems": 2, "maxItems": 4},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "minItems": 3},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "ratio": {"type": "number", "minimum": 0.25, "maximum": 0.75, "multipleOf": 0.25},
        "even": {"type": "integer", "multipleOf": 2, "minimum": 7},
        "flags": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "fixed": {"const": "v1"},
        "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "items": False},
    },
    "required": ["id", "when", "items", "tags", "note", "ratio", "even", "flags", "fixed", "pair"],
    "additionalProperties": False,
}


def test_example_value_for_a_nested_schema() -> None:
    for seed in range(30):
        value = example_value(NESTED_SCHEMA, random.Random(seed))
        assert schema_errors(value, NESTED_SCHEMA) == [], value


def test_example_value_for_a_recursive_schema_terminates() -> None:
    tree = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#"}}},
        "required": ["name"],
    }
    for seed in range(20):
        value = example_value(tree, random.Random(seed))
        assert schema_errors(value, tree) == []


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    def bounded_int(lo: int | None, span: int | None, step: int | None) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if lo is not None:
            schema["minimum"] = lo
            if span is not None:
                schema["maximum"] = lo + span + (step or 1) * 2
        if step is not None:
            schema["multipleOf"] = step
        return schema

    def bounded_number(lo: float, span: float, exclusive: bool) -> dict[str, Any]:
        if exclusive:
            return {"type": "number", "exclusiveMinimum": lo, "exclusiveMaximum": lo + span + 1}
        return {"type": "number", "minimum": lo, "maximum": lo + span}

    return st.one_of(
        st.just({"type": "string"}),
        st.just({"type": "boolean"}),
        st.just({"type": "null"}),
        st.builds(
            lambda lo, extra: {"type": "string", "minLength": lo, "maxLength": lo + extra},
            st.integers(0, 20),
            st.integers(0, 5),
        ),
        st.sampled_from(["date", "date-time", "email", "uri", "uuid"]).map(
            lambda f: {"type": "string", "format": f}
        ),
        st.builds(
            bounded_int,
            st.none() | st.integers(-1000, 1000),
            st.none() | st.integers(0, 50),
            st.none() | st.integers(1, 7),
        ),
        st.builds(
            bounded_number,
            st.floats(-1e6, 1e6, allow_nan=False),
            st.floats(0.5, 100),
            st.booleans(),
        ),
        st.lists(st.integers(-5, 5) | st.text(max_size=5), min_size=1, max_size=4, unique=True).map(
            lambda values: {"enum": values}
        ),
        st.just({"type": ["string", "null"]}),
    )


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    def obj(props: dict[str, dict[str, Any]], required: list[bool], closed: bool) -> dict[str, Any]:
        names = list(props)
        schema: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "required": [n for n, r in zip(names, required, strict=False) if r],
        }
        if closed:
            schema["additionalProperties"] = False
        return schema

    def arr(items: dict[str, Any], lo: int, extra: int) -> dict[str, Any]:
        return {"type": "array", "items": items, "minItems": lo, "maxItems": lo + extra}

    return st.one_of(
        st.builds(
            obj,
            st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), children, max_size=5),
            st.lists(st.booleans(), min_size=5, max_size=5),
            st.booleans(),
        ),
        st.builds(arr, children, st.integers(0, 3), st.integers(0, 3)),
        st.lists(children, min_size=1, max_size=3).map(lambda branches: {"anyOf": branches}),
    )


schemas = st.recursive(_leaf(), _extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(schema=schemas, seed=st.integers(0, 2**32), prompt=st.text(max_size=60))
def test_example_values_are_valid_for_any_schema_in_the_subset(
    schema: dict[str, Any], seed: int, prompt: str
) -> None:
    value = example_value(schema, random.Random(seed), PromptHints(prompt))
    assert schema_errors(value, schema) == [], (schema, value)
    json.dumps(value)


@settings(max_examples=100, deadline=None)
@given(schema=_extend(_extend(_leaf())), seed=st.integers(0, 2**16))
def test_generated_tool_inputs_are_valid_against_their_input_schema(
    schema: dict[str, Any], seed: int
) -> None:
    input_schema = {"type": "object", "properties": {"arg": schema}, "required": ["arg"]}
    tool = {"name": "do_it", "input_schema": input_schema}
    draft = generate(request(f"Please do_it now, variant {seed}", tools=[tool]))
    calls = tool_uses(draft)
    assert len(calls) == 1
    assert schema_errors(calls[0]["input"], input_schema) == []
    got = streamed(draft)
    assert got["content"] == draft.content
