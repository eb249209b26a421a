"""The batch engine, driven directly: method calls in, ``(status, body)`` out, on a clock the test moves.

The results file is read back with ``json.loads`` line by line (not the
engine's own encoder), and the API's rules are restated here: counts stay
``processing`` until the end and always sum to the request count, results
come in an order that is not the request order, every ``custom_id`` appears
exactly once.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from anthropic.emulator._batches import (
    MAX_BATCH_REQUESTS,
    BatchPlan,
    BatchStore,
    parse_batch_plan,
)
from anthropic.emulator._generate import generate
from anthropic.emulator._validate import validate_messages
from anthropic.emulator._wire import Rejected

T0 = 1_700_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def reply(params: dict[str, Any]) -> Any:
    """The emulator's reply rule, with one scripted failure: model "overloaded" is answered with a 529."""
    if params["model"] == "overloaded":
        raise Rejected(529, "Overloaded", "overloaded_error")
    return generate(params).message()


def params(text: str = "Hello", **extra: Any) -> dict[str, Any]:
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }


def requests(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"custom_id": f"req-{i}", "params": params(f"Question {i}", **extra)} for i in range(n)]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(clock: Clock) -> BatchStore:
    return BatchStore(
        validate=validate_messages, reply=reply, clock=clock, base_url="http://emu.test", seed=7
    )


def ok(outcome: tuple[int, Any]) -> Any:
    status, body = outcome
    assert status == 200, body
    return body


def error_of(outcome: tuple[int, Any]) -> tuple[int, str, str]:
    status, body = outcome
    assert body["type"] == "error", body
    return status, body["error"]["type"], body["error"]["message"]


def run_to_end(store: BatchStore) -> None:
    while store.step(1000):
        pass


def results_of(store: BatchStore, batch_id: str) -> list[dict[str, Any]]:
    data = ok(store.results(batch_id))
    assert isinstance(data, bytes) and data.endswith(b"\n")
    return [json.loads(line) for line in data.split(b"\n")[:-1]]


# --- create: the envelope ----------------------------------------------------------------------


def test_create_answers_a_batch_in_progress_with_every_request_processing(store: BatchStore) -> None:
    batch = ok(store.create({"requests": requests(3)}))
    assert batch["id"].startswith("msgbatch_")
    assert batch["type"] == "message_batch"
    assert batch["processing_status"] == "in_progress"
    assert batch["request_counts"] == {
        "processing": 3,
        "succeeded": 0,
        "errored": 0,
        "canceled": 0,
        "expired": 0,
    }
    assert batch["created_at"] == "2023-11-14T22:13:20.000000Z"
    assert batch["expires_at"] == "2023-11-15T22:13:20.000000Z"
    for name in ("ended_at", "archived_at", "cancel_initiated_at", "results_url"):
        assert batch[name] is None
    assert ok(store.retrieve(batch["id"])) == batch


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "The body of your request must be a JSON object"),
        ({}, "requests: Field required"),
        ({"requests": {}}, "requests: Input should be a valid list"),
        ({"requests": []}, "requests: List should have at least 1 item after validation, not 0"),
        ({"requests": [1]}, "requests.0: Input should be a valid dictionary"),
        ({"requests": [{"params": params()}]}, "requests.0.custom_id: Field required"),
        (
            {"requests": [{"custom_id": 5, "params": params()}]},
            "requests.0.custom_id: Input should be a valid string",
        ),
        (
            {"requests": [{"custom_id": "a b", "params": params()}]},
            "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
        ),
        (
            {"requests": [{"custom_id": "x" * 65, "params": params()}]},
            "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
        ),
        (
            {"requests": [{"custom_id": "", "params": params()}]},
            "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
        ),
        ({"requests": [{"custom_id": "a"}]}, "requests.0.params: Field required"),
        (
            {"requests": [{"custom_id": "a", "params": []}]},
            "requests.0.params: Input should be a valid dictionary",
        ),
        (
            {
                "requests": [
                    {"custom_id": "a", "params": params()},
                    {"custom_id": "b", "params": params()},
                    {"custom_id": "a", "params": params()},
                ]
            },
            "requests.2.custom_id: duplicate custom_id 'a' (first used by requests.0); "
            "each request in a batch needs its own custom_id",
        ),
    ],
)
def test_create_rejects_a_bad_envelope_naming_the_field(store: BatchStore, body: Any, message: str) -> None:
    assert error_of(store.create(body)) == (400, "invalid_request_error", message)
    assert len(store) == 0


def test_create_takes_at_most_the_api_limit_of_requests(clock: Clock) -> None:
    store = BatchStore(validate=validate_messages, reply=reply, clock=clock, max_requests=5)
    assert error_of(store.create({"requests": requests(6)})) == (
        400,
        "invalid_request_error",
        "requests: List should have at most 5 items after validation, not 6",
    )
    ok(store.create({"requests": requests(5)}))
    assert MAX_BATCH_REQUESTS == 100_000


def test_create_rejects_a_body_over_the_size_limit_with_413(store: BatchStore) -> None:
    status, kind, message = error_of(store.create({"requests": requests(1)}, size=256_000_001))
    assert (status, kind) == (413, "request_too_large")
    assert message == (
        "A message batch may be at most 256000000 bytes; this one is 256000001 bytes. Split it into several batches."
    )
    ok(store.create({"requests": requests(1)}, size=256_000_000))


def test_params_are_validated_while_processing_and_a_bad_one_errs_alone(store: BatchStore) -> None:
    body = {"requests": [*requests(2), {"custom_id": "bad", "params": {"model": "m", "messages": []}}]}
    batch = ok(store.create(body))
    run_to_end(store)
    ended = ok(store.retrieve(batch["id"]))
    assert ended["request_counts"] == {
        "processing": 0,
        "succeeded": 2,
        "errored": 1,
        "canceled": 0,
        "expired": 0,
    }
    bad = next(r for r in results_of(store, batch["id"]) if r["custom_id"] == "bad")
    assert bad["result"] == {
        "type": "errored",
        "error": {
            "type": "error",
            "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"},
        },
    }


def test_validate_at_create_rejects_the_batch_naming_the_request(clock: Clock) -> None:
    store = BatchStore(validate=validate_messages, reply=reply, clock=clock, validate_at_create=True)
    body = {"requests": [*requests(2), {"custom_id": "bad", "params": {"model": "m", "messages": []}}]}
    assert error_of(store.create(body)) == (
        400,
        "invalid_request_error",
        "requests.2.params.max_tokens: Field required",
    )


# --- processing --------------------------------------------------------------------------------


def test_a_batch_ends_with_one_result_per_request_in_another_order(store: BatchStore, clock: Clock) -> None:
    batch = ok(store.create({"requests": requests(50)}))
    assert store.due_in() == 0.0
    clock.advance(90)
    assert store.step(20) == 20
    middle = ok(store.retrieve(batch["id"]))
    assert middle["processing_status"] == "in_progress"
    assert middle["request_counts"]["processing"] == 50  # counts move only when the batch ends
    assert store.step(1000) == 30
    assert store.step(1000) == 0
    assert store.due_in() is None
    ended = ok(store.retrieve(batch["id"]))
    assert ended["processing_status"] == "ended"
    assert ended["request_counts"] == {
        "processing": 0,
        "succeeded": 50,
        "errored": 0,
        "canceled": 0,
        "expired": 0,
    }
    assert ended["ended_at"] == "2023-11-14T22:14:50.000000Z"
    assert ended["results_url"] == f"http://emu.test/v1/messages/batches/{batch['id']}/results"
    lines = results_of(store, batch["id"])
    ids = [line["custom_id"] for line in lines]
    assert sorted(ids) == sorted(f"req-{i}" for i in range(50))
    assert ids != [f"req-{i}" for i in range(50)]
    first = lines[0]["result"]
    assert first["type"] == "succeeded"
    assert first["message"]["type"] == "message" and first["message"]["role"] == "assistant"
    assert first["message"] == generate(params(f"Question {ids[0][4:]}")).message()


def test_the_reply_rules_errors_become_errored_results(store: BatchStore) -> None:
    body = {"requests": [*requests(2), {"custom_id": "busy", "params": {**params(), "model": "overloaded"}}]}
    batch = ok(store.create(body))
    run_to_end(store)
    assert ok(store.retrieve(batch["id"]))["request_counts"]["errored"] == 1
    busy = next(r for r in results_of(store, batch["id"]) if r["custom_id"] == "busy")
    assert busy["result"]["error"]["error"] == {"type": "overloaded_error", "message": "Overloaded"}


def test_a_streaming_request_in_a_batch_errs(store: BatchStore) -> None:
    batch = ok(store.create({"requests": requests(1, stream=True)}))
    run_to_end(store)
    (line,) = results_of(store, batch["id"])
    assert line["result"]["error"]["error"] == {
        "type": "invalid_request_error",
        "message": "stream: requests in a message batch cannot stream",
    }


def test_a_plan_errs_the_same_fraction_of_requests_every_time(store: BatchStore) -> None:
    plan = BatchPlan(errored=0.25, error_type="overloaded_error")
    first = ok(store.create({"requests": requests(400)}, plan=plan))
    second = ok(store.create({"requests": requests(400)}, plan=plan))
    run_to_end(store)
    erred = []
    for batch in (first, second):
        lines = results_of(store, batch["id"])
        erred.append(sorted(r["custom_id"] for r in lines if r["result"]["type"] == "errored"))
        counts = ok(store.retrieve(batch["id"]))["request_counts"]
        assert counts["errored"] == len(erred[-1])
        assert counts["succeeded"] + counts["errored"] == 400
    assert erred[0] == erred[1]
    assert 60 <= len(erred[0]) <= 140


def test_expiry_ends_the_batch_with_the_rest_expired(store: BatchStore, clock: Clock) -> None:
    batch = ok(store.create({"requests": requests(10)}, plan=BatchPlan(pace=1.0, expire_after=100)))
    assert store.step() == 0  # no time has passed: nothing is due yet
    assert store.due_in() == 1.0
    clock.advance(4)
    assert store.step() == 4
    clock.advance(96)
    ended = ok(store.retrieve(batch["id"]))  # the clock alone ends it
    assert ended["processing_status"] == "ended"
    assert ended["ended_at"] == ended["expires_at"] == "2023-11-14T22:15:00.000000Z"
    assert ended["request_counts"] == {
        "processing": 0,
        "succeeded": 4,
        "errored": 0,
        "canceled": 0,
        "expired": 6,
    }
    kinds = [r["result"]["type"] for r in results_of(store, batch["id"])]
    assert kinds == ["succeeded"] * 4 + ["expired"] * 6


def test_cancel_while_in_progress_cancels_what_is_left(store: BatchStore, clock: Clock) -> None:
    batch = ok(store.create({"requests": requests(10)}, plan=BatchPlan(pace=0)))
    clock.advance(1000)
    assert store.step() == 0
    assert store.due_in() == pytest.approx(86400 - 1000)
    clock.advance(5)
    canceling = ok(store.cancel(batch["id"]))
    assert canceling["processing_status"] == "canceling"
    assert canceling["cancel_initiated_at"] == "2023-11-14T22:30:05.000000Z"
    assert canceling["request_counts"]["processing"] == 10
    assert ok(store.cancel(batch["id"]))["processing_status"] == "canceling"  # a second cancel is harmless
    assert store.due_in() == 0.0
    assert store.step() == 10
    ended = ok(store.retrieve(batch["id"]))
    assert ended["processing_status"] == "ended"
    assert ended["request_counts"] == {
        "processing": 0,
        "succeeded": 0,
        "errored": 0,
        "canceled": 10,
        "expired": 0,
    }
    assert {r["result"]["type"] for r in results_of(store, batch["id"])} == {"canceled"}
    assert ok(store.cancel(batch["id"])) == ended  # canceling an ended batch changes nothing


def test_a_delay_holds_processing_back(store: BatchStore, clock: Clock) -> None:
    batch = ok(store.create({"requests": requests(3)}, plan=BatchPlan(delay=2.0)))
    assert store.due_in() == 2.0
    assert store.step() == 0
    clock.advance(1.5)
    assert store.step() == 0
    assert store.due_in() == 0.5
    clock.advance(0.5)
    assert store.step() == 3
    assert ok(store.retrieve(batch["id"]))["processing_status"] == "ended"


def test_results_before_the_end_and_of_unknown_batches_are_errors(store: BatchStore) -> None:
    batch = ok(store.create({"requests": requests(1)}))
    assert error_of(store.results(batch["id"])) == (
        400,
        "invalid_request_error",
        f"Message batch {batch['id']} has not finished processing (processing_status: in_progress); "
        "its results are available once it has ended.",
    )
    for call in (store.retrieve, store.results, store.cancel, store.delete):
        assert error_of(call("msgbatch_nope")) == (
            404,
            "not_found_error",
            "No message batch with id 'msgbatch_nope'.",
        )


def test_iter_results_gives_the_same_bytes_in_chunks(store: BatchStore) -> None:
    batch = ok(store.create({"requests": requests(30)}))
    run_to_end(store)
    whole = ok(store.results(batch["id"]))
    chunks = list(ok(store.iter_results(batch["id"], chunk_size=1000)))
    assert len(chunks) > 1
    assert b"".join(chunks) == whole


# --- retention, delete, bounded memory ---------------------------------------------------------


def test_results_are_archived_after_the_retention_period(store: BatchStore, clock: Clock) -> None:
    batch = ok(store.create({"requests": requests(2)}))
    run_to_end(store)
    clock.advance(29 * 86400 - 1)
    assert ok(store.retrieve(batch["id"]))["archived_at"] is None
    clock.advance(1)
    archived = ok(store.retrieve(batch["id"]))
    assert archived["archived_at"] == "2023-12-13T22:13:20.000000Z"
    status, kind, message = error_of(store.results(batch["id"]))
    assert (status, kind) == (404, "not_found_error")
    assert message == (
        f"The results of message batch {batch['id']} are no longer available: it was archived at "
        "2023-12-13T22:13:20.000000Z."
    )
    assert store.stored_bytes == 0


def test_delete_only_an_ended_batch(store: BatchStore) -> None:
    batch = ok(store.create({"requests": requests(2)}, plan=BatchPlan(pace=0)))
    assert error_of(store.delete(batch["id"])) == (
        400,
        "invalid_request_error",
        f"Message batch {batch['id']} cannot be deleted while it is in_progress; "
        "cancel it and wait for it to end first.",
    )
    ok(store.cancel(batch["id"]))
    assert error_of(store.delete(batch["id"]))[2].endswith(
        "while it is canceling; cancel it and wait for it to end first."
    )
    store.step()
    assert ok(store.delete(batch["id"])) == {"id": batch["id"], "type": "message_batch_deleted"}
    assert error_of(store.retrieve(batch["id"]))[0] == 404
    assert len(store) == 0 and store.stored_bytes == 0


def test_the_store_keeps_at_most_max_batches_forgetting_the_oldest_ended(clock: Clock) -> None:
    store = BatchStore(validate=validate_messages, reply=reply, clock=clock, max_batches=3, seed=1)
    ids = [ok(store.create({"requests": requests(1)}))["id"] for _ in range(3)]
    status, kind, message = error_of(store.create({"requests": requests(1)}))
    assert (status, kind) == (429, "rate_limit_error")
    assert message == (
        "The emulator already holds 3 message batches that are still in progress; cancel some or wait for them to end."
    )
    run_to_end(store)
    newest = ok(store.create({"requests": requests(1)}))["id"]
    assert len(store) == 3
    assert error_of(store.retrieve(ids[0]))[0] == 404
    assert {b["id"] for b in ok(store.list({}))["data"]} == {ids[1], ids[2], newest}


def test_the_store_archives_old_results_to_stay_under_its_byte_cap(clock: Clock) -> None:
    store = BatchStore(validate=validate_messages, reply=reply, clock=clock, max_stored_bytes=60_000, seed=2)
    first = ok(store.create({"requests": requests(40)}))["id"]
    run_to_end(store)
    used = store.stored_bytes
    assert 30_000 < used <= 60_000
    second = ok(store.create({"requests": requests(40)}))["id"]
    run_to_end(store)
    assert store.stored_bytes <= 60_000
    assert ok(store.retrieve(first))["archived_at"] is not None
    assert ok(store.retrieve(second))["archived_at"] is None
    assert len(results_of(store, second)) == 40


# --- list ---------------------------------------------------------------------------------------


def test_list_is_newest_first_and_pages_both_ways(store: BatchStore, clock: Clock) -> None:
    ids = []
    for _ in range(7):
        ids.append(ok(store.create({"requests": requests(1)}))["id"])
        clock.advance(1)
    newest_first = ids[::-1]
    page = ok(store.list({}))
    assert [b["id"] for b in page["data"]] == newest_first
    assert (page["has_more"], page["first_id"], page["last_id"]) == (False, newest_first[0], newest_first[-1])
    walked, query = [], {"limit": "3"}
    while True:
        page = ok(store.list(query))
        walked += [b["id"] for b in page["data"]]
        if not page["has_more"]:
            break
        query = {"limit": "3", "after_id": page["last_id"]}
    assert walked == newest_first
    back = ok(store.list({"limit": "2", "before_id": newest_first[4]}))
    assert [b["id"] for b in back["data"]] == newest_first[2:4]
    assert back["has_more"] is True
    top = ok(store.list({"limit": "5", "before_id": newest_first[2]}))
    assert [b["id"] for b in top["data"]] == newest_first[:2] and top["has_more"] is False
    empty = ok(store.list({"after_id": newest_first[-1]}))
    assert empty == {"data": [], "has_more": False, "first_id": None, "last_id": None}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": "0"}, "limit: Input should be an integer between 1 and 1000"),
        ({"limit": "1001"}, "limit: Input should be an integer between 1 and 1000"),
        ({"limit": "x"}, "limit: Input should be an integer between 1 and 1000"),
        ({"after_id": "a", "before_id": "b"}, "after_id: cannot be combined with before_id"),
        ({"after_id": "msgbatch_x"}, "after_id: no message batch with id 'msgbatch_x'"),
        ({"before_id": "msgbatch_x"}, "before_id: no message batch with id 'msgbatch_x'"),
    ],
)
def test_list_rejects_bad_queries(store: BatchStore, query: dict[str, str], message: str) -> None:
    assert error_of(store.list(query)) == (400, "invalid_request_error", message)


# --- the plan header ----------------------------------------------------------------------------


def test_parse_batch_plan() -> None:
    assert parse_batch_plan(
        "errored=0.5; error_type = overloaded_error;pace=0 ; expire_after=2"
    ) == BatchPlan(errored=0.5, error_type="overloaded_error", pace=0.0, expire_after=2.0)
    assert parse_batch_plan("") == BatchPlan()
    assert parse_batch_plan("pace=3", BatchPlan(errored=0.1)) == BatchPlan(errored=0.1, pace=3.0)
    assert parse_batch_plan("delay=0.25") == BatchPlan(delay=0.25)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("pace", "x-emulator-batch: expected name=value, got 'pace'"),
        (
            "speed=1",
            "x-emulator-batch: unknown name 'speed' (known: errored, error_type, expire_after, pace, delay)",
        ),
        ("pace=fast", "x-emulator-batch: pace must be a number, not 'fast'"),
        ("errored=2", "x-emulator-batch: BatchPlan.errored must be between 0 and 1, not 2.0"),
        ("pace=-1", "x-emulator-batch: BatchPlan.pace must be a non-negative number of requests per second"),
        (
            "expire_after=nan",
            "x-emulator-batch: BatchPlan.expire_after must be a non-negative number of seconds",
        ),
    ],
)
def test_parse_batch_plan_names_the_problem(header: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_batch_plan(header)
    assert str(info.value) == message


# --- persistence --------------------------------------------------------------------------------


def test_a_saved_store_loads_with_every_batch_as_it_was(
    store: BatchStore, clock: Clock, tmp_path: Any
) -> None:
    ended = ok(store.create({"requests": requests(5)}))["id"]
    run_to_end(store)
    held = ok(store.create({"requests": requests(4)}, plan=BatchPlan(pace=0)))["id"]
    path = tmp_path / "state" / "batches.jsonl"
    store.save(path)
    again = BatchStore(validate=validate_messages, reply=reply, clock=clock, base_url="http://emu.test")
    again.load(path)
    for batch_id in (ended, held):
        assert ok(again.retrieve(batch_id)) == ok(store.retrieve(batch_id))
    assert ok(again.results(ended)) == ok(store.results(ended))
    assert again.stored_bytes == store.stored_bytes
    ok(again.cancel(held))
    again.step()
    assert ok(again.retrieve(held))["request_counts"]["canceled"] == 4


def test_loading_a_missing_file_adds_nothing_and_a_damaged_one_is_reported(
    store: BatchStore, tmp_path: Any
) -> None:
    store.load(tmp_path / "none.jsonl")
    assert len(store) == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"version": 1}\n{"id": "x"}\n')
    with pytest.raises(ValueError) as info:
        store.load(bad)
    assert str(info.value) == f"the saved emulator batches in {bad} are damaged ('params')"
