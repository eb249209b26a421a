"""The Message Batches routes over loopback: the handler's key, faults and record apply, as on /v1/messages.

The engine itself (limits, processing, cancel, expiry, archiving) is tested
without sockets in test_batches_engine.py; here the routes are checked as
routes: what the handler does before them, what they answer, the worker's
lifecycle and ``Emulator.reset()``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from emulator_support import API_HEADERS

from anthropic.emulator import Emulator, Fault
from anthropic.emulator._batches import BatchPlan

BATCHES = "/v1/messages/batches"


def params(text: str = "Hello", **extra: Any) -> dict[str, Any]:
    return {
        "model": "claude-test",
        "max_tokens": 40,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }


def body(n: int = 3, **extra: Any) -> dict[str, Any]:
    return {"requests": [{"custom_id": f"r{i}", "params": params(f"Q{i}", **extra)} for i in range(n)]}


@pytest.fixture
def batch_emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        emulator.batches.plan = BatchPlan()  # no start delay: a step processes at once
        yield emulator


@pytest.fixture
def http(batch_emu: Emulator) -> Iterator[httpx2.Client]:
    """A client of this module's emulator (in place of the one on the default emulator)."""
    with httpx2.Client(base_url=batch_emu.base_url, headers=API_HEADERS, timeout=10) as client:
        yield client


def finish(batch_emu: Emulator) -> None:
    while batch_emu.batches.step(10_000):
        pass


def ended_batch(http: httpx2.Client, batch_emu: Emulator, payload: dict[str, Any] | None = None) -> str:
    r = http.post(BATCHES, json=payload or body())
    assert r.status_code == 200, r.text
    finish(batch_emu)
    batch_id: str = r.json()["id"]
    assert http.get(f"{BATCHES}/{batch_id}").json()["processing_status"] == "ended"
    return batch_id


def test_every_endpoint_plain_and_beta_shares_one_store(http: httpx2.Client, batch_emu: Emulator) -> None:
    created = http.post(BATCHES, params={"beta": "true"}, json=body(4))
    assert created.status_code == 200 and created.headers["request-id"].startswith("req_")
    batch = created.json()
    assert (batch["type"], batch["processing_status"]) == ("message_batch", "in_progress")
    assert batch["request_counts"]["processing"] == 4
    finish(batch_emu)
    one = http.get(f"{BATCHES}/{batch['id']}").json()  # the plain route sees the beta batch
    assert one["processing_status"] == "ended" and one["request_counts"]["succeeded"] == 4
    assert one["results_url"] == f"{batch_emu.base_url}{BATCHES}/{batch['id']}/results"
    page = http.get(BATCHES, params={"limit": "1", "beta": "true"}).json()
    assert [b["id"] for b in page["data"]] == [batch["id"]] and page["has_more"] is False
    results = http.get(f"{BATCHES}/{batch['id']}/results")
    assert results.status_code == 200 and results.headers["content-type"] == "application/binary"
    lines = [json.loads(line) for line in results.text.splitlines()]
    assert sorted(line["custom_id"] for line in lines) == ["r0", "r1", "r2", "r3"]
    assert {line["result"]["type"] for line in lines} == {"succeeded"}
    assert http.post(f"{BATCHES}/{batch['id']}/cancel").json()["processing_status"] == "ended"
    deleted = http.delete(f"{BATCHES}/{batch['id']}", params={"beta": "true"})
    assert deleted.json() == {"id": batch["id"], "type": "message_batch_deleted"}
    missing = http.get(f"{BATCHES}/{batch['id']}")
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "type": "not_found_error",
        "message": f"No message batch with id {batch['id']!r}.",
    }
    assert missing.json()["request_id"] == missing.headers["request-id"]


def test_the_key_is_checked_before_the_routes(batch_emu: Emulator) -> None:
    with httpx2.Client(base_url=batch_emu.base_url) as bare:
        for method, path in (("POST", BATCHES), ("GET", BATCHES), ("GET", f"{BATCHES}/msgbatch_x/results")):
            r = bare.request(method, path, json=body())
            assert r.status_code == 401, (method, path)
            assert r.json()["error"]["type"] == "authentication_error"
    assert len(batch_emu.batches) == 0


def test_a_body_that_is_not_a_json_object_is_400(http: httpx2.Client, batch_emu: Emulator) -> None:
    r = http.post(BATCHES, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("There was an error parsing the body of your request")
    r = http.post(BATCHES, json=[1, 2])
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    r = http.post(BATCHES, json={"requests": []})
    assert r.status_code == 400
    assert (
        r.json()["error"]["message"] == "requests: List should have at least 1 item after validation, not 0"
    )
    assert len(batch_emu.batches) == 0


def test_a_bad_batch_plan_header_is_400_naming_it(http: httpx2.Client, batch_emu: Emulator) -> None:
    r = http.post(BATCHES, json=body(), headers={"x-emulator-batch": "colour=red"})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "x-emulator-batch: unknown name 'colour' (known: errored, error_type, expire_after, pace, delay)"
    )
    assert len(batch_emu.batches) == 0


def test_a_header_status_fault_answers_instead_of_the_route(http: httpx2.Client, batch_emu: Emulator) -> None:
    r = http.post(BATCHES, json=body(), headers={"x-emulator-fault": "status=529;retry_after=0"})
    assert r.status_code == 529 and r.headers["retry-after"] == "0"
    assert r.json()["error"]["type"] == "overloaded_error"
    assert len(batch_emu.batches) == 0  # the create never ran


def test_an_added_fault_reaches_batch_routes_and_is_used_up(http: httpx2.Client, batch_emu: Emulator) -> None:
    batch_id = ended_batch(http, batch_emu)
    batch_emu.add_fault(Fault(error_event="overloaded_error", times=1))  # a non-streamed request gets its status
    r = http.get(f"{BATCHES}/{batch_id}")
    assert r.status_code == 529 and r.json()["error"]["type"] == "overloaded_error"
    assert http.get(f"{BATCHES}/{batch_id}").status_code == 200
    batch_emu.add_fault(Fault(status=500, times=1))
    assert http.get(f"{BATCHES}/{batch_id}/results").status_code == 500
    assert http.get(f"{BATCHES}/{batch_id}/results").status_code == 200


def test_eof_after_cuts_the_results_file(http: httpx2.Client, batch_emu: Emulator) -> None:
    batch_id = ended_batch(http, batch_emu)
    whole = http.get(f"{BATCHES}/{batch_id}/results").content
    cut = http.get(f"{BATCHES}/{batch_id}/results", headers={"x-emulator-fault": "eof_after=100"})
    assert cut.status_code == 200 and cut.content == whole[:100] and len(whole) > 100


def test_disconnect_after_resets_the_results_connection(batch_emu: Emulator) -> None:
    with httpx2.Client(base_url=batch_emu.base_url, headers=API_HEADERS) as http:
        batch_id = ended_batch(http, batch_emu)
        with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):
            http.get(f"{BATCHES}/{batch_id}/results", headers={"x-emulator-fault": "disconnect_after=50"})


def test_batch_requests_are_recorded(http: httpx2.Client, batch_emu: Emulator) -> None:
    created = http.post(BATCHES, params={"beta": "true"}, json=body(2)).json()
    http.get(f"{BATCHES}/{created['id']}")
    recorded = batch_emu.requests[-2:]
    assert [(r.method, r.path, r.query) for r in recorded] == [
        ("POST", BATCHES, {"beta": "true"}),
        ("GET", f"{BATCHES}/{created['id']}", {}),
    ]
    assert recorded[0].json == body(2)


def test_params_are_validated_by_the_messages_rules(http: httpx2.Client, batch_emu: Emulator) -> None:
    batch_id = ended_batch(http, batch_emu, body(2, colour="red"))
    lines = [json.loads(x) for x in http.get(f"{BATCHES}/{batch_id}/results").text.splitlines()]
    assert {line["result"]["type"] for line in lines} == {"errored"}
    error = lines[0]["result"]["error"]["error"]
    assert error["type"] == "invalid_request_error" and "colour" in error["message"]


def test_allow_unknown_params_reaches_batch_params() -> None:
    with (
        Emulator(allow_unknown_params=True) as emu,
        httpx2.Client(base_url=emu.base_url, headers=API_HEADERS) as http,
    ):
        emu.batches.plan = BatchPlan()
        batch_id = ended_batch(http, emu, body(2, colour="red"))
        counts = http.get(f"{BATCHES}/{batch_id}").json()["request_counts"]
        assert (counts["succeeded"], counts["errored"]) == (2, 0)


def test_reset_forgets_batches(http: httpx2.Client, batch_emu: Emulator) -> None:
    batch_id = ended_batch(http, batch_emu)
    assert batch_emu.bookkeeping()["batches"] == 1
    batch_emu.reset()
    assert batch_emu.bookkeeping()["batches"] == 0 and batch_emu.batches.stored_bytes == 0
    assert http.get(f"{BATCHES}/{batch_id}").status_code == 404


def test_the_worker_runs_while_the_emulator_does() -> None:
    def workers() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name == "anthropic-emulator-batches"}

    before = workers()
    emu = Emulator().start()
    try:
        mine = workers() - before
        assert len(mine) == 1
        emu.batches.plan = BatchPlan()
        with httpx2.Client(base_url=emu.base_url, headers=API_HEADERS) as http:
            batch_id = http.post(BATCHES, json=body(2)).json()["id"]
            status = "in_progress"
            while status != "ended":  # polled as a client would: only the worker processes this batch
                status = http.get(f"{BATCHES}/{batch_id}").json()["processing_status"]
    finally:
        emu.stop()
    assert not any(t.is_alive() for t in mine)
