"""``anthropic._models``: the three builders and what each trusts.

``build_checked`` checks the JSON shape and refuses what does not fit;
``build_or_validate`` never fails on an object nested inside the data it was
given, keeping it as sent; ``construct_unchecked`` checks nothing.  The models
here are the library's own response types.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import pydantic
import pytest

from anthropic._models import BaseModel, Unbuildable, build_checked, build_or_validate, construct_unchecked
from anthropic.types import RawMessageDeltaEvent, Usage


class Hop(BaseModel):
    model: str


class Handover(BaseModel):
    from_: Hop = pydantic.Field(alias="from")
    to: Hop
    note: Optional[str] = None
    type: str


def test_build_checked_reads_fields_under_their_alias() -> None:
    data = {"from": {"model": "a"}, "to": {"model": "b"}, "type": "fallback"}
    built = build_checked(Handover, data)
    assert built.from_ == Hop(model="a")
    assert built.model_dump(by_alias=True, exclude_unset=True) == data
    assert built == Handover.model_validate(data)
    assert built.model_fields_set == Handover.model_validate(data).model_fields_set


def test_build_checked_refuses_what_does_not_fit() -> None:
    with pytest.raises(Unbuildable, match=r"Handover\.to is missing"):
        build_checked(Handover, {"from": {"model": "a"}, "type": "fallback"})
    with pytest.raises(Unbuildable, match="str where int goes"):
        build_checked(Usage, {"input_tokens": "1", "output_tokens": 2})


def test_an_unknown_nested_object_is_kept_as_sent() -> None:
    data = {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_details": {"kind": "future"}},
        "usage": {"output_tokens": 3, "server_tool_use": {"brand_new": {"deep": [1, 2]}}},
    }
    with pytest.raises(pydantic.ValidationError):
        RawMessageDeltaEvent.model_validate(data)
    event = build_or_validate(RawMessageDeltaEvent, data)
    assert event.usage.output_tokens == 3
    assert event.delta.stop_reason == "end_turn"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert event.model_dump(mode="json", exclude_unset=True) == data
    assert event.usage.server_tool_use.brand_new == {"deep": [1, 2]}


@pytest.mark.parametrize(
    "data",
    [
        {"type": "message_delta", "delta": [], "usage": {"output_tokens": 1}},
        {"type": "message_delta", "usage": {"output_tokens": 1}},
        {"type": "message_delta", "delta": {}, "usage": "many"},
        [],
    ],
    ids=["delta-a-list", "delta-missing", "usage-a-string", "not-an-object"],
)
def test_the_object_itself_must_still_fit(data: Any) -> None:
    with pytest.raises(pydantic.ValidationError):
        build_or_validate(RawMessageDeltaEvent, data)


def test_construct_unchecked_adopts_the_fields_as_given() -> None:
    fields = {"model": 7}
    hop = construct_unchecked(Hop, fields)
    assert hop.model == 7  # nothing is checked: the caller vouches for the fields
    assert hop.__dict__ is fields


def test_a_datetime_is_built_by_validation_as_pydantic_would() -> None:
    from datetime import datetime

    from anthropic.types import Message

    data = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1},
        "container": {"id": "container_1", "expires_at": "2026-12-02T05:00:00Z"},
    }
    built = build_or_validate(Message, data)
    assert isinstance(built.container.expires_at, datetime)  # type: ignore[union-attr]
    assert built == Message.model_validate(data)
    assert built.model_dump() == Message.model_validate(data).model_dump()


def test_build_checked_holds_literals_to_what_validation_allows() -> None:
    from anthropic.types import Message

    data = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
    # `role` is a tolerant literal (any string validates), `type` is exact.
    other_role = {**data, "role": "narrator"}
    assert build_checked(Message, other_role) == Message.model_validate(other_role)
    with pytest.raises(Unbuildable, match="'not_a_message'"):
        build_checked(Message, {**data, "type": "not_a_message"})
    with pytest.raises(pydantic.ValidationError):
        Message.model_validate({**data, "type": "not_a_message"})
