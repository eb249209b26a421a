"""``messages.batches`` and ``models`` (plain and beta, sync and async) over loopback.

Against the emulator for the API's behaviour, and against a small server of
this file's own for results files that are cut, malformed, short or too long,
and for model pages.
"""

from __future__ import annotations

import inspect
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import anthropic
from _helpers import call, client_for, drain, entered
from anthropic import BatchResultsIncompleteError, BatchResultsValidationError
from anthropic.emulator import Emulator
from anthropic.emulator._batches import BatchPlan
from anthropic.pagination import AsyncPage, SyncPage
from anthropic.types import ModelInfo
from anthropic.types._union import UnknownObject
from anthropic.types.beta.messages import BetaMessageBatch, BetaMessageBatchIndividualResponse
from anthropic.types.messages import (
    MessageBatch,
    MessageBatchErroredResult,
    MessageBatchIndividualResponse,
    MessageBatchSucceededResult,
)

pytestmark = pytest.mark.anyio


def official_python() -> str | None:
    """The python of a venv holding the official client: ``ANTHROPIC_OFFICIAL_PYTHON``, else the bench's."""
    import os
    from pathlib import Path

    named = os.environ.get("ANTHROPIC_OFFICIAL_PYTHON")
    if named:
        return named
    bench = Path(__file__).resolve().parent.parent / "bench" / ".venvs" / "official" / "bin" / "python"
    return str(bench) if bench.exists() else None


def requests(n: int, prefix: str = "r") -> list[dict[str, Any]]:
    return [
        {
            "custom_id": f"{prefix}{i}",
            "params": {
                "model": "claude-sonnet-4-5",
                "max_tokens": 40,
                "messages": [{"role": "user", "content": f"Q{i}"}],
            },
        }
        for i in range(n)
    ]


@pytest.fixture
def batch_emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        emulator.batches.plan = BatchPlan()  # no start delay: a step processes at once
        yield emulator


def finish(batch_emu: Emulator) -> None:
    """Process every pending request now (the worker may take part; the store is locked per step)."""
    while batch_emu.batches.step(10_000):
        pass


# --- the API's calls ------------------------------------------------------------------------------


async def test_create_retrieve_and_results(mode: str, batch_emu: Emulator) -> None:
    async with client_for(mode, batch_emu) as client:
        batch = await call(client.messages.batches.create, requests=requests(12))
        assert isinstance(batch, MessageBatch)
        assert batch.id.startswith("msgbatch_")
        assert batch.request_counts.processing == 12
        finish(batch_emu)
        ended = await call(client.messages.batches.retrieve, batch.id)
        assert ended.processing_status == "ended"
        assert ended.request_counts.succeeded == 12
        assert ended.results_url == f"{batch_emu.base_url}/v1/messages/batches/{batch.id}/results"
        results = await call(client.messages.batches.results, batch.id)
        got = await drain(results)
        assert sorted(r.custom_id for r in got) == sorted(f"r{i}" for i in range(12))
        assert all(isinstance(r, MessageBatchIndividualResponse) for r in got)
        assert all(isinstance(r.result, MessageBatchSucceededResult) for r in got)
        assert got[0].result.message.content[0].type == "text"
        assert results.results_read == 12


async def test_errored_canceled_and_expired_results_are_typed(mode: str, batch_emu: Emulator) -> None:
    async with client_for(mode, batch_emu) as client:
        headers = {"x-emulator-batch": "errored=0.5; error_type=overloaded_error"}
        erring = await call(client.messages.batches.create, requests=requests(20), extra_headers=headers)
        held = await call(
            client.messages.batches.create, requests=requests(3), extra_headers={"x-emulator-batch": "pace=0"}
        )
        canceling = await call(client.messages.batches.cancel, held.id)
        assert canceling.processing_status == "canceling"
        assert canceling.cancel_initiated_at is not None
        finish(batch_emu)
        counts = (await call(client.messages.batches.retrieve, erring.id)).request_counts
        assert counts.errored > 0 and counts.succeeded + counts.errored == 20
        errored = [
            r
            async for r in _each(await call(client.messages.batches.results, erring.id))
            if r.result.type == "errored"
        ]
        assert len(errored) == counts.errored
        assert isinstance(errored[0].result, MessageBatchErroredResult)
        assert errored[0].result.error.error.type == "overloaded_error"
        canceled = await drain(await call(client.messages.batches.results, held.id))
        assert [r.result.type for r in canceled] == ["canceled"] * 3


async def _each(iterable: Any) -> Any:
    if hasattr(iterable, "__aiter__"):
        async for item in iterable:
            yield item
    else:
        for item in iterable:
            yield item


async def test_list_walks_every_page(mode: str, batch_emu: Emulator) -> None:
    async with client_for(mode, batch_emu) as client:
        ids = [(await call(client.messages.batches.create, requests=requests(1))).id for _ in range(5)]
        page = await call(client.messages.batches.list, limit=2)
        assert isinstance(page, SyncPage if mode == "sync" else AsyncPage)
        assert len(page.data) == 2 and page.has_more is True
        walked = [b.id for b in await drain(client.messages.batches.list(limit=2))]
        assert sorted(walked) == sorted(ids) and len(walked) == 5
        pages = [p async for p in _each(page.iter_pages())]
        assert [len(p.data) for p in pages] == [2, 2, 1]
        back = await call(client.messages.batches.list, limit=2, before_id=pages[2].data[0].id)
        assert [b.id for b in back.data] == [b.id for b in pages[1].data]


async def test_delete_an_ended_batch_and_the_errors_of_others(mode: str, batch_emu: Emulator) -> None:
    async with client_for(mode, batch_emu) as client:
        batch = await call(
            client.messages.batches.create, requests=requests(2), extra_headers={"x-emulator-batch": "pace=0"}
        )
        with pytest.raises(anthropic.BadRequestError) as info:
            await call(client.messages.batches.delete, batch.id)
        assert info.value.body["error"]["message"].endswith(
            "cannot be deleted while it is in_progress; cancel it and wait for it to end first."
        )
        with pytest.raises(anthropic.AnthropicError) as early:
            await call(client.messages.batches.results, batch.id)
        assert str(early.value) == (
            f"Message batch {batch.id} has no results_url: its results exist once processing has ended "
            "(processing_status: in_progress)."
        )
        await call(client.messages.batches.cancel, batch.id)
        finish(batch_emu)
        deleted = await call(client.messages.batches.delete, batch.id)
        assert (deleted.id, deleted.type) == (batch.id, "message_batch_deleted")
        with pytest.raises(anthropic.NotFoundError):
            await call(client.messages.batches.retrieve, batch.id)
        with pytest.raises(ValueError) as empty:
            await call(client.messages.batches.retrieve, "")
        assert str(empty.value) == "Expected a non-empty value for `message_batch_id` but received ''"


async def test_create_errors_are_typed(mode: str, batch_emu: Emulator) -> None:
    async with client_for(mode, batch_emu) as client:
        dup = requests(2)
        dup[1]["custom_id"] = "r0"
        with pytest.raises(anthropic.BadRequestError) as info:
            await call(client.messages.batches.create, requests=dup)
        assert info.value.body["error"]["message"] == (
            "requests.1.custom_id: duplicate custom_id 'r0' (first used by requests.0); "
            "each request in a batch needs its own custom_id"
        )


async def test_beta_batches_send_the_beta_query_and_header(mode: str, batch_emu: Emulator) -> None:
    async with client_for(mode, batch_emu) as client:
        batch = await call(client.beta.messages.batches.create, requests=requests(2), betas=["b-1", "b-2"])
        assert isinstance(batch, BetaMessageBatch)
        sent = batch_emu.requests[-1]
        assert sent.query == {"beta": "true"}
        assert sent.headers["anthropic-beta"] == "b-1,b-2"
        finish(batch_emu)
        got = await drain(await call(client.beta.messages.batches.results, batch.id, betas=["b-1"]))
        assert all(isinstance(r, BetaMessageBatchIndividualResponse) for r in got)
        assert batch_emu.requests[-1].headers["accept"] == "application/binary"
        with pytest.raises(TypeError):
            await call(client.messages.batches.retrieve, batch.id, betas=["b-1"])


async def test_raw_and_streaming_responses(mode: str, batch_emu: Emulator) -> None:
    async with client_for(mode, batch_emu) as client:
        batch = await call(client.messages.batches.create, requests=requests(3))
        finish(batch_emu)
        raw = await call(client.messages.batches.with_raw_response.retrieve, batch.id)
        assert raw.http_response.status_code == 200
        assert (await call(raw.parse)).id == batch.id
        async with entered(client.messages.batches.with_streaming_response.results(batch.id)) as response:
            results = await call(response.parse)
            assert len(await drain(results)) == 3
        raw_page = await call(client.with_raw_response.messages.batches.list, limit=1)
        assert len((await call(raw_page.parse)).data) == 1


def test_signatures_are_the_official_ones() -> None:
    client = anthropic.Anthropic(api_key="k")
    expected = {
        ("messages.batches", "create"): ["requests", "user_profile_id", "workspace_id"],
        ("messages.batches", "retrieve"): ["message_batch_id", "workspace_id"],
        ("messages.batches", "list"): ["after_id", "before_id", "limit", "workspace_id"],
        ("messages.batches", "cancel"): ["message_batch_id", "workspace_id"],
        ("messages.batches", "delete"): ["message_batch_id", "workspace_id"],
        ("messages.batches", "results"): ["message_batch_id", "workspace_id"],
        ("beta.messages.batches", "create"): ["requests", "betas", "user_profile_id", "workspace_id"],
        ("beta.messages.batches", "list"): ["after_id", "before_id", "limit", "betas", "workspace_id"],
        ("beta.messages.batches", "results"): ["message_batch_id", "betas", "workspace_id"],
        ("models", "list"): ["after_id", "before_id", "lifecycle", "limit", "workspace_id"],
        ("models", "retrieve"): ["model_id", "workspace_id"],
        ("beta.models", "list"): ["after_id", "before_id", "lifecycle", "limit", "betas", "workspace_id"],
        ("beta.models", "retrieve"): ["model_id", "betas", "workspace_id"],
    }
    options = ["extra_headers", "extra_query", "extra_body", "timeout"]
    for (path, method), names in expected.items():
        obj: Any = client
        for part in path.split("."):
            obj = getattr(obj, part)
        assert list(inspect.signature(getattr(obj, method)).parameters) == names + options, (path, method)


# --- a server of our own: results files that misbehave, and model pages ---------------------------

RESULT = {"type": "canceled"}


def result_line(i: int) -> bytes:
    return json.dumps({"custom_id": f"c{i}", "result": RESULT}).encode() + b"\n"


def _message(**changes: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "hi"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }
    message.update(changes)
    return {key: value for key, value in message.items() if value is not _DROP}


_DROP = object()

# A succeeded or errored result whose object does not fit its class: (the result, what the error names).
BROKEN_RESULTS: dict[str, tuple[dict[str, Any], str]] = {
    "usage_count_is_a_string": (
        {"type": "succeeded", "message": _message(usage={"input_tokens": "x", "output_tokens": 4})},
        "its 'succeeded' result does not fit {succeeded}: result.message.usage.input_tokens: "
        "Input should be a valid integer, unable to parse string as an integer",
    ),
    "content_is_a_number": (
        {"type": "succeeded", "message": _message(content=5)},
        "its 'succeeded' result does not fit {succeeded}: result.message.content: Input should be a valid list",
    ),
    "no_role": (
        {"type": "succeeded", "message": _message(role=_DROP)},
        "its 'succeeded' result does not fit {succeeded}: result.message.role: Field required",
    ),
    "no_message": (
        {"type": "succeeded"},
        "its 'succeeded' result does not fit {succeeded}: result.message: Field required",
    ),
    "error_is_a_string": (
        {"type": "errored", "error": "overloaded"},
        "its 'errored' result does not fit {errored}: result.error: Input should be a valid dictionary "
        "or instance of {error}",
    ),
}


def _broken_body(result: dict[str, Any]) -> bytes:
    good = {"type": "succeeded", "message": _message()}
    lines = [{"custom_id": "c0", "result": good}, {"custom_id": "c1", "result": RESULT}]
    lines += [{"custom_id": "c2", "result": result}, {"custom_id": "c3", "result": RESULT}]
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


BODIES: dict[str, tuple[int, bytes]] = {
    # name: (the batch's request count, the results body)
    "complete": (4, b"".join(result_line(i) for i in range(4))),
    "no_final_newline": (3, b"".join(result_line(i) for i in range(3))[:-1]),
    "cut_mid_line": (4, b"".join(result_line(i) for i in range(3)) + result_line(3)[:10]),
    "short": (5, b"".join(result_line(i) for i in range(4))),
    "malformed": (4, result_line(0) + result_line(1) + b'{"custom_id": "c2", "result": \n' + result_line(3)),
    "not_a_result": (3, result_line(0) + b"[1, 2]\n" + result_line(2)),
    "too_many": (2, b"".join(result_line(i) for i in range(3))),
    "no_custom_id": (3, result_line(0) + json.dumps({"result": RESULT}).encode() + b"\n" + result_line(2)),
    "unknown_result_type": (2, result_line(0) + b'{"custom_id": "c1", "result": {"type": "superseded", "by": "c0"}}\n'),
    **{f"broken_{name}": (4, _broken_body(result)) for name, (result, _) in BROKEN_RESULTS.items()},
}

MODELS = [
    {
        "type": "model",
        "id": f"model-{i}",
        "display_name": f"Model {i}",
        "created_at": "2025-01-01T00:00:00Z",
        "lifecycle": "active",
    }
    for i in range(5)
]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # bodies end when the connection closes: a cut is a clean EOF

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, obj: Any) -> None:
        data = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        if parts[:3] == ["v1", "messages", "batches"] and len(parts) == 4:
            name = parts[3]
            count = BODIES[name.removeprefix("reset_")][0] if name.startswith("reset_") else BODIES[name][0]
            self._json(
                {
                    "id": name,
                    "type": "message_batch",
                    "processing_status": "ended",
                    "request_counts": {
                        "processing": 0,
                        "succeeded": 0,
                        "errored": 0,
                        "canceled": count,
                        "expired": 0,
                    },
                    "created_at": "2025-01-01T00:00:00Z",
                    "expires_at": "2025-01-02T00:00:00Z",
                    "ended_at": "2025-01-01T01:00:00Z",
                    "results_url": f"{host}/results/{name}",
                }
            )
        elif parts[0] == "results":
            name = parts[1]
            self.send_response(200)
            self.send_header("content-type", "application/binary")
            if name.startswith("reset_"):
                body = BODIES[name.removeprefix("reset_")][1]
                self.send_header("content-length", str(len(body) + 1000))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.end_headers()
            self.wfile.write(BODIES[name][1])
        elif parts[:2] == ["v1", "models"]:
            if len(parts) == 3:
                self._json(next(m for m in MODELS if m["id"] == parts[2]))
                return
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            limit = int(query.get("limit", "20"))
            ids = [m["id"] for m in MODELS]
            start = ids.index(query["after_id"]) + 1 if "after_id" in query else 0
            chunk = MODELS[start : start + limit]
            self._json(
                {
                    "data": chunk,
                    "has_more": start + limit < len(MODELS),
                    "first_id": chunk[0]["id"] if chunk else None,
                    "last_id": chunk[-1]["id"] if chunk else None,
                }
            )
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def odd_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def read_results(mode: str, base_url: str, name: str, *, beta: bool = False) -> tuple[list[Any], Any]:
    async with client_for(mode, base_url=base_url) as client:
        batches = client.beta.messages.batches if beta else client.messages.batches
        results = await call(batches.results, name)
        got: list[Any] = []
        try:
            async for item in _each(results):
                got.append(item)
        except Exception as exc:
            return got, exc
        return got, None


async def test_a_complete_file_and_one_without_its_final_newline(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "complete")
    assert error is None and [r.custom_id for r in got] == ["c0", "c1", "c2", "c3"]
    got, error = await read_results(mode, odd_server, "no_final_newline")
    assert error is None and len(got) == 3


async def test_a_file_cut_inside_a_line_is_incomplete(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "cut_mid_line")
    assert len(got) == 3
    assert isinstance(error, BatchResultsIncompleteError)
    assert isinstance(error, anthropic.APIConnectionError)
    assert (error.results_read, error.expected) == (3, 4)
    assert str(error).startswith(
        "The body ended inside line 4 (after 3 complete line(s)): the file was cut short"
    )


async def test_a_file_with_fewer_lines_than_requests_is_incomplete(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "short")
    assert len(got) == 4
    assert isinstance(error, BatchResultsIncompleteError)
    assert (error.results_read, error.expected) == (4, 5)
    assert str(error) == "The results file ended after 4 of the batch's 5 results: it was cut short."


async def test_a_broken_connection_is_incomplete(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "reset_complete")
    assert isinstance(error, BatchResultsIncompleteError)
    assert error.results_read == len(got) == 2
    assert str(error).startswith("The connection failed after 2 of 4 results of the batch were read: ")


async def test_a_malformed_line_names_its_number(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "malformed")
    assert len(got) == 2
    assert isinstance(error, BatchResultsValidationError)
    assert isinstance(error, anthropic.APIResponseValidationError)
    assert (error.results_read, error.line) == (2, 3)
    assert str(error).startswith("Line 3 is not valid JSON (")
    assert str(error).endswith("2 line(s) were read before it.")


async def test_a_line_that_is_not_a_result(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "not_a_result")
    assert len(got) == 1
    assert isinstance(error, BatchResultsValidationError)
    assert (error.results_read, error.line) == (1, 2)
    assert str(error) == (
        "Line 2 is not a valid result (the line: Input should be an object); "
        "1 line(s) were read before it."
    )


async def test_more_lines_than_requests(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "too_many")
    assert len(got) == 2
    assert isinstance(error, BatchResultsValidationError)
    assert str(error) == "The results file holds more results than the batch's 2 requests."


async def test_a_line_without_custom_id_is_not_a_result(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "no_custom_id")
    assert [r.custom_id for r in got] == ["c0"]
    assert isinstance(error, BatchResultsValidationError)
    assert (error.results_read, error.line) == (1, 2)
    assert str(error) == "Line 2 is not a valid result (custom_id: Field required); 1 line(s) were read before it."


async def test_a_result_type_this_version_does_not_know_is_kept(mode: str, odd_server: str) -> None:
    got, error = await read_results(mode, odd_server, "unknown_result_type")
    assert error is None
    assert type(got[1].result) is UnknownObject
    assert got[1].result.model_dump() == {"type": "superseded", "by": "c0"}


@pytest.mark.parametrize("beta", [False, True], ids=["plain", "beta"])
@pytest.mark.parametrize("name", sorted(BROKEN_RESULTS))
async def test_a_known_result_of_the_wrong_shape_is_a_broken_line(
    mode: str, odd_server: str, name: str, beta: bool
) -> None:
    got, error = await read_results(mode, odd_server, f"broken_{name}", beta=beta)
    prefix = "Beta" if beta else ""
    assert [r.custom_id for r in got] == ["c0", "c1"]
    assert type(got[0].result).__name__ == f"{prefix}MessageBatchSucceededResult"
    assert isinstance(error, BatchResultsValidationError)
    assert (error.results_read, error.line) == (2, 3)
    reason = BROKEN_RESULTS[name][1].format(
        succeeded=f"{prefix}MessageBatchSucceededResult",
        errored=f"{prefix}MessageBatchErroredResult",
        error=f"{prefix}ErrorResponse",
    )
    assert str(error) == f"Line 3 is not a valid result ({reason}); 2 line(s) were read before it."


async def test_models_list_walks_pages_and_retrieve(mode: str, odd_server: str) -> None:
    async with client_for(mode, base_url=odd_server) as client:
        models = await drain(client.models.list(limit=2))
        assert [m.id for m in models] == [m["id"] for m in MODELS]
        assert all(isinstance(m, ModelInfo) for m in models)
        first = await call(client.models.list, limit=2)
        assert (first.first_id, first.last_id, first.has_more) == ("model-0", "model-1", True)
        one = await call(client.beta.models.retrieve, "model-3", betas=["x"])
        assert (type(one).__name__, one.display_name) == ("BetaModelInfo", "Model 3")


# --- the official client against the emulator -------------------------------------------------------


def test_the_official_client_runs_batches_against_the_emulator(batch_emu: Emulator) -> None:
    import subprocess

    official = official_python()
    if official is None:
        pytest.skip("no official client: set ANTHROPIC_OFFICIAL_PYTHON to a python that has it")
    script = """
import sys, anthropic
c = anthropic.Anthropic(api_key="k", base_url=sys.argv[1])
reqs = [{"custom_id": f"r{i}", "params": {"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}} for i in range(3)]
b = c.messages.batches.create(requests=reqs)
print(b.processing_status)
sys.stdout.flush()
sys.stdin.readline()
b = c.messages.batches.retrieve(b.id)
print(b.processing_status, b.request_counts.succeeded)
print(sorted(r.custom_id for r in c.messages.batches.results(b.id)))
print(len(c.messages.batches.list().data))
"""
    proc = subprocess.Popen(
        [official, "-c", script, batch_emu.base_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "in_progress"
    finish(batch_emu)
    proc.stdin.write("\n")
    proc.stdin.flush()
    out, _ = proc.communicate(timeout=60)
    assert out.splitlines() == ["ended 3", "['r0', 'r1', 'r2']", "1"]


# --- the reader gives what validation gives -----------------------------------------------------------


def test_results_are_what_validation_gives() -> None:
    import httpx2

    from anthropic._batches import BETA_BATCHES, PLAIN_BATCHES, ResultsReader

    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [
            {
                "type": "text",
                "text": "hi",
                "citations": [
                    {
                        "type": "char_location",
                        "cited_text": "x",
                        "document_index": 0,
                        "document_title": None,
                        "start_char_index": 0,
                        "end_char_index": 1,
                    }
                ],
            },
            {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": [1, {"b": None}]}},
            {"type": "brand_new_block", "payload": {"k": 1}},
        ],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 4, "service_tier": "batch", "new_counter": 9},
        "a_field_added_later": [1, 2],
    }
    values = [
        {"custom_id": "a", "result": {"type": "succeeded", "message": message}},
        {
            "custom_id": "b",
            "result": {
                "type": "errored",
                "error": {"type": "error", "error": {"type": "new_error", "message": "m"}},
            },
        },
        {"custom_id": "c", "result": {"type": "canceled"}},
        {"custom_id": "d", "result": {"type": "expired", "note": "kept"}},
        {"custom_id": "e", "result": {"type": "superseded", "by": "f"}},
        {
            "custom_id": "f",
            "result": {
                "type": "succeeded",
                "message": {
                    **message,
                    "container": {"id": "container_1", "expires_at": "2025-01-01T00:00:00Z"},
                    "content": [
                        {"type": "thinking", "thinking": "hmm", "signature": "sig"},
                        {"type": "redacted_thinking", "data": "xyz"},
                        {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"q": "x"}},
                        {
                            "type": "web_search_tool_result",
                            "tool_use_id": "srvtoolu_1",
                            "content": [
                                {
                                    "type": "web_search_result",
                                    "url": "https://example.com",
                                    "title": "Example",
                                    "encrypted_content": "e",
                                    "page_age": None,
                                }
                            ],
                        },
                        {"type": "text", "text": 5},  # a known block type of the wrong shape: kept, as validation does
                        {"type": "tool_use", "id": "toolu_2", "name": "f", "input": {"x": [1.5, {"y": None}], "z": "é"}},
                    ],
                    "usage": {
                        "input_tokens": 3,
                        "output_tokens": 4,
                        "server_tool_use": {"web_search_requests": 1},
                        "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 2},
                    },
                },
            },
        },
    ]
    lines = [json.dumps(v).encode() for v in values]
    body = b"\n".join(lines) + b"\n"
    for flavour in (PLAIN_BATCHES, BETA_BATCHES):
        cls = flavour.individual
        response = httpx2.Response(200, request=httpx2.Request("GET", "http://results.test"))
        reader = ResultsReader(response, cls, len(values))
        got = [*reader.feed(body), *reader.end()]
        for line, value, read in zip(lines, values, got, strict=True):
            validated = cls.model_validate_json(line)
            assert type(read.result) is type(validated.result), value["custom_id"]
            assert read.model_dump() == validated.model_dump(), value["custom_id"]
            assert read.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True), value[
                "custom_id"
            ]
            assert read.model_dump_json() == validated.model_dump_json(), value["custom_id"]
        assert got[0].result.message.a_field_added_later == [1, 2]
        assert got[0].result.message.content[2].payload == {"k": 1}
        blocks = got[5].result.message.content
        assert [type(b).__name__.removeprefix("Beta") for b in blocks] == [
            "ThinkingBlock",
            "RedactedThinkingBlock",
            "ServerToolUseBlock",
            "WebSearchToolResultBlock",
            "UnknownContentBlock",
            "ToolUseBlock",
        ]
        assert got[5].result.message.container.expires_at.year == 2025
