"""Scripted replies and the record of received requests."""

from __future__ import annotations

import time
from typing import Any

import httpx2
import pytest
from emulator_support import accumulate, parse_sse

from anthropic.emulator import Emulator, RecordedRequest, Reply

BODY = {"model": "claude-test", "max_tokens": 256, "messages": [{"role": "user", "content": "Hello"}]}
STREAM = {**BODY, "stream": True}


def test_text_reply_streamed_and_not(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.enqueue(Reply.text("Hello there"), Reply.text("Hello there"))
    plain = http.post("/v1/messages", json=BODY).json()
    streamed = accumulate(parse_sse(http.post("/v1/messages", json=STREAM).content))
    assert plain["content"] == [{"type": "text", "text": "Hello there"}]
    assert plain["stop_reason"] == "end_turn"
    assert plain["model"] == "claude-test"
    assert plain["usage"]["output_tokens"] == 2  # "Hello", " there"
    assert streamed == plain


def test_replies_are_served_in_order_then_generation_resumes(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.enqueue(Reply.text("one"))
    own_emu.enqueue(Reply.text("two"))
    assert own_emu.pending_replies == 2
    texts = [http.post("/v1/messages", json=BODY).json()["content"][0]["text"] for _ in range(3)]
    assert texts[:2] == ["one", "two"]
    assert '"Hello"' in texts[2]
    assert own_emu.pending_replies == 0


def test_message_reply_with_any_blocks(own_emu: Emulator, http: httpx2.Client) -> None:
    content: list[dict[str, Any]] = [
        {"type": "thinking", "thinking": "Let me see.", "signature": "sig-123"},
        {
            "type": "text",
            "text": "The sky is blue.",
            "citations": [
                {
                    "type": "char_location",
                    "cited_text": "blue",
                    "document_index": 0,
                    "document_title": None,
                    "start_char_index": 0,
                    "end_char_index": 4,
                }
            ],
        },
        {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1, "s": 'x"y\\z \u00e9'}},
        {
            "type": "web_search_tool_result",
            "tool_use_id": "srvtoolu_1",
            "content": [],
            "extra_field": {"k": [1]},
        },
    ]
    usage = {"input_tokens": 7, "output_tokens": 42, "server_tool_use": {"web_search_requests": 1}}
    reply = Reply.message(content, stop_reason="tool_use", usage=usage, model="claude-other", id="msg_fixed")
    own_emu.enqueue(reply, reply)
    plain = http.post("/v1/messages", json=BODY).json()
    events = parse_sse(http.post("/v1/messages", json=STREAM).content)
    assert plain["content"] == content
    assert plain["id"] == "msg_fixed" and plain["model"] == "claude-other"
    assert plain["stop_reason"] == "tool_use"
    assert plain["usage"]["input_tokens"] == 7 and plain["usage"]["output_tokens"] == 42
    assert plain["usage"]["server_tool_use"] == {"web_search_requests": 1}
    streamed = accumulate(events)
    assert streamed["content"] == content
    delta_types = {d["delta"]["type"] for n, d in events if n == "content_block_delta"}
    assert delta_types == {
        "thinking_delta",
        "signature_delta",
        "text_delta",
        "citations_delta",
        "input_json_delta",
    }
    starts = [d["content_block"] for n, d in events if n == "content_block_start"]
    assert starts[2] == {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}
    assert starts[3] == content[3]  # no delta form: sent whole


def test_message_reply_extra_fields_and_default_usage(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.enqueue(Reply.message([{"type": "text", "text": "ok"}], stop_details={"type": "refusal"}))
    message = http.post("/v1/messages", json=BODY).json()
    assert message["stop_details"] == {"type": "refusal"}
    assert message["usage"]["input_tokens"] > 0 and message["usage"]["output_tokens"] == 1


def test_message_reply_rejects_blocks_without_type() -> None:
    with pytest.raises(ValueError, match="type"):
        Reply.message([{"text": "no type"}])


def test_sse_reply_is_replayed_byte_for_byte_in_chunks(own_emu: Emulator, http: httpx2.Client) -> None:
    recorded = (
        b"\xef\xbb\xbf: a comment\r\n"
        b'event: message_start\r\ndata: {"type":"message_start","message":{}}\r\n\r\n'
        b'event: future_event\ndata: {"type":"future_event","caf\xc3\xa9":1}\n\n'
    )
    own_emu.enqueue(Reply.sse(recorded, chunk_size=3, chunk_delay=0.01, headers={"x-recorded": "yes"}))
    started = time.monotonic()
    with http.stream("POST", "/v1/messages", json=STREAM) as r:
        pieces = list(r.iter_raw())
        headers = r.headers
    assert b"".join(pieces) == recorded
    assert time.monotonic() - started >= 0.01 * (len(recorded) // 3 - 1) * 0.9
    assert len(pieces) > 3
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["x-recorded"] == "yes"


def test_sse_reply_whole_and_with_a_status(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.enqueue(Reply.sse("event: ping\ndata: {}\n\n", chunk_size=None, status=202))
    r = http.post("/v1/messages", json=BODY)  # served as recorded, whatever the request asked
    assert r.status_code == 202 and r.text == "event: ping\ndata: {}\n\n"


def test_json_and_error_replies(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.enqueue(
        Reply.json({"anything": ["goes"]}, status=201, headers={"x-custom": "1"}),
        Reply.error(529, "overloaded_error", "Overloaded", headers={"retry-after": "0"}),
        Reply.error(400),
    )
    r = http.post("/v1/messages", json=STREAM)
    assert (r.status_code, r.json(), r.headers["x-custom"]) == (201, {"anything": ["goes"]}, "1")
    assert r.headers["content-type"] == "application/json"
    r = http.post("/v1/messages", json=STREAM)
    assert r.status_code == 529 and r.headers["retry-after"] == "0"
    assert r.json() == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
        "request_id": r.headers["request-id"],
    }
    r = http.post("/v1/messages", json=BODY)
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    with pytest.raises(ValueError, match="400-599"):
        Reply.error(200)


def test_invalid_requests_do_not_consume_scripted_replies(own_emu: Emulator, http: httpx2.Client) -> None:
    own_emu.enqueue(Reply.text("kept"))
    assert http.post("/v1/messages", json={**BODY, "max_tokens": 0}).status_code == 400
    assert http.post("/v1/messages/count_tokens", json=BODY).status_code == 200
    assert own_emu.pending_replies == 1
    assert http.post("/v1/messages", json=BODY).json()["content"][0]["text"] == "kept"


def test_enqueue_takes_only_replies(own_emu: Emulator) -> None:
    with pytest.raises(TypeError, match="Reply"):
        own_emu.enqueue("text")  # type: ignore[arg-type]


def test_requests_are_recorded(own_emu: Emulator, http: httpx2.Client) -> None:
    http.post("/v1/messages?beta=true", json=STREAM, headers={"anthropic-beta": "a,b", "X-Mixed-Case": "v"})
    http.get("/v1/elsewhere")
    http.post("/v1/messages", content=b"{broken", headers={"content-type": "application/json"})
    first, second, third = own_emu.requests
    assert isinstance(first, RecordedRequest)
    assert (first.method, first.path, first.query) == ("POST", "/v1/messages", {"beta": "true"})
    assert first.headers["anthropic-beta"] == "a,b"
    assert first.headers["x-mixed-case"] == "v"
    assert first.headers["x-api-key"] == "test-key"
    assert first.json == STREAM and first.stream
    assert first.body.startswith(b"{")
    assert first.request_id.startswith("req_")
    assert (second.method, second.path, second.body, second.json) == ("GET", "/v1/elsewhere", b"", None)
    assert third.body == b"{broken" and third.json is None


def test_requests_is_a_snapshot_and_reset_clears_everything(own_emu: Emulator, http: httpx2.Client) -> None:
    from anthropic.emulator import Fault

    http.post("/v1/messages", json=BODY)
    snapshot = own_emu.requests
    http.post("/v1/messages", json=BODY)
    assert len(snapshot) == 1 and len(own_emu.requests) == 2
    own_emu.enqueue(Reply.text("never served"))
    own_emu.add_fault(Fault(status=500))
    assert (
        http.post("/v1/messages", json=BODY, headers={"x-emulator-fault": "status=503;times=1"}).status_code
        == 503
    )
    own_emu.reset()
    assert own_emu.requests == [] and own_emu.pending_replies == 0
    r = http.post("/v1/messages", json=BODY, headers={"x-emulator-fault": "status=503;times=1"})
    assert r.status_code == 503  # header fault counts start again
    assert http.post("/v1/messages", json=BODY).status_code == 200


def test_recording_can_be_switched_off_and_on_request_still_sees_requests() -> None:
    seen: list[tuple[str, int]] = []
    with Emulator(record_requests=False, on_request=lambda r, status: seen.append((r.path, status))) as emu:
        headers = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
        assert httpx2.post(emu.base_url + "/v1/messages", json=BODY, headers=headers).status_code == 200
        httpx2.get(emu.base_url + "/nowhere")
        assert emu.requests == []
    assert seen == [("/v1/messages", 200), ("/nowhere", 404)]


def test_reply_kinds_are_types_and_the_kind_spelling_still_builds_them() -> None:
    from anthropic.emulator import ErrorReply, JSONReply, MessageReply, SSEReply

    assert isinstance(Reply.text("hi"), MessageReply) and Reply.text("hi").kind == "message"
    assert isinstance(Reply.sse(b"x"), SSEReply)
    assert isinstance(Reply.json({}), JSONReply)
    assert isinstance(Reply.error(529), ErrorReply)
    old = Reply(kind="json", body=b"<html/>", status=502, headers={"content-type": "text/html"})
    assert old == JSONReply(body=b"<html/>", status=502, headers={"content-type": "text/html"})
    assert Reply(kind="sse", body=b"x").chunk_size == 1
    with pytest.raises(TypeError, match=r"Reply.text\(\)"):
        Reply(kind="video")
