"""The local parts of ``anthropic batch``: checking a requests file, splitting it, resuming output, progress."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest

from anthropic._batch_local import (
    Job,
    OutputScan,
    RequestsFileError,
    batch_body,
    check_requests,
    load_jobs,
    plain_progress,
    plan_batches,
    render_progress,
    save_jobs,
)
from anthropic.emulator._validate import validate_messages

PARAMS = {"model": "claude-sonnet-4-5", "max_tokens": 32, "messages": [{"role": "user", "content": "Hi"}]}


def line(custom_id: Any = "a", params: Any = PARAMS, **extra: Any) -> bytes:
    return json.dumps({"custom_id": custom_id, "params": params, **extra}).encode() + b"\n"


# --- check_requests ------------------------------------------------------------------------------


def test_a_valid_file_gives_line_numbers_ids_and_sizes() -> None:
    lines = [line("a"), b"\n", b"  \r\n", line("b")]
    checked = check_requests(lines)
    assert checked.lines == [1, 4]
    assert checked.custom_ids == ["a", "b"]
    assert checked.sizes == [len(lines[0].strip()), len(lines[3].strip())]


def test_every_problem_is_reported_with_its_line_number() -> None:
    lines = [
        line("ok-1"),
        b"{not json\n",
        b"[1, 2]\n",
        line("has space"),
        line("x" * 65),
        json.dumps({"params": PARAMS}).encode(),
        line("p", params=None),
        line("q", params="text"),
        line("r", params={"model": "m", "messages": []}),
        line("s", params={**PARAMS, "stream": True}),
        line("t", extra=1),
        line("ok-1"),
        line("u", params={**PARAMS, "max_tokens": 0}),
    ]
    with pytest.raises(RequestsFileError) as info:
        check_requests(lines, path="in.jsonl", validate_params=validate_messages)
    problems = info.value.problems
    assert [n for n, _ in problems] == list(range(2, 14))
    messages = dict(problems)
    assert messages[2].startswith("not valid JSON (")
    assert messages[3] == "expected a JSON object with custom_id and params"
    assert messages[4] == "custom_id: 'has space' must be 1 to 64 letters, digits, '_' or '-'"
    assert messages[5] == f"custom_id: {'x' * 65!r} must be 1 to 64 letters, digits, '_' or '-'"
    assert messages[6] == "custom_id: missing"
    assert messages[7] == "params: missing"
    assert messages[8] == "params: expected a JSON object (the arguments of messages.create)"
    assert messages[9] == "params.max_tokens: missing"
    assert messages[10] == "params.stream: requests in a batch cannot stream"
    assert messages[11] == "unexpected field(s) 'extra': a line holds only custom_id and params"
    assert messages[12] == "custom_id 'ok-1' is also used on line 1"
    assert messages[13] == "params.max_tokens: Input should be greater than or equal to 1"
    text = str(info.value)
    assert text.splitlines()[0] == "in.jsonl:2: " + messages[2]
    assert "in.jsonl:13: params.max_tokens: Input should be greater than or equal to 1" in text


def test_problems_past_the_limit_are_counted() -> None:
    with pytest.raises(RequestsFileError) as info:
        check_requests([b"x\n"] * 30, max_problems=5)
    assert len(info.value.problems) == 5
    assert info.value.more == 25
    assert str(info.value).splitlines()[-1] == "... and 25 more problem(s)"


def test_an_empty_file_is_an_error() -> None:
    with pytest.raises(RequestsFileError) as info:
        check_requests([b"\n", b""], path="e.jsonl")
    assert str(info.value) == "e.jsonl:0: no requests: the file has no non-blank lines"


# --- plan_batches and batch_body -----------------------------------------------------------------


def body_size(sizes: list[int]) -> int:
    return len(batch_body([b"x" * s for s in sizes]))


def test_plan_batches_respects_both_limits_exactly() -> None:
    rng = random.Random(5)
    for _ in range(200):
        sizes = [rng.randint(1, 40) for _ in range(rng.randint(1, 60))]
        max_requests = rng.randint(1, 10)
        max_bytes = rng.randint(60, 200)
        plans = plan_batches(sizes, max_requests=max_requests, max_bytes=max_bytes)
        assert [i for r in plans for i in r] == list(range(len(sizes)))
        for r in plans:
            part = [sizes[i] for i in r]
            assert 1 <= len(part) <= max_requests
            assert body_size(part) <= max_bytes
        for a, b in itertools.pairwise(plans):  # each batch is as full as the limits allow
            part = [sizes[i] for i in a] + [sizes[b.start]]
            assert len(part) > max_requests or body_size(part) > max_bytes


def test_plan_batches_on_the_api_limits() -> None:
    assert plan_batches([100] * 250_001) == [
        range(0, 100_000),
        range(100_000, 200_000),
        range(200_000, 250_001),
    ]
    assert plan_batches([10]) == [range(0, 1)]


def test_a_request_too_large_for_any_batch_is_named() -> None:
    with pytest.raises(ValueError) as info:
        plan_batches([5, 500, 5], max_bytes=100)
    assert str(info.value) == "request 2 is 500 bytes; a batch can hold at most 85 bytes of requests"


def test_batch_body_is_the_requests_as_json() -> None:
    lines = [line("a"), line("b", params={**PARAMS, "system": "é \u2028"})]
    body = json.loads(batch_body(lines))
    assert body == {"requests": [json.loads(x) for x in lines]}


# --- the state file --------------------------------------------------------------------------------


def test_jobs_round_trip_and_keep_the_newest(tmp_path: Path) -> None:
    path = tmp_path / "state" / "batches.json"
    assert load_jobs(path) == []
    jobs = [Job(f"batchjob_{i}", "in.jsonl", "http://x", [f"msgbatch_{i}"], [i + 1], "t") for i in range(5)]
    save_jobs(path, jobs, keep=3)
    assert load_jobs(path) == jobs[2:]
    assert [p.name for p in path.parent.iterdir()] == ["batches.json"]


def test_a_damaged_state_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "batches.json"
    path.write_text('{"jobs": [{"id": 1}]}')
    with pytest.raises(ValueError) as info:
        load_jobs(path)
    assert str(info.value) == (
        f"the batch state file {path} is damaged ('batches'); move it away to start afresh"
    )


# --- OutputScan ----------------------------------------------------------------------------------


def result(custom_id: str) -> bytes:
    return json.dumps({"custom_id": custom_id, "result": {"type": "canceled"}}).encode() + b"\n"


@pytest.mark.parametrize("chunk", [1, 3, 7, 1000])
def test_scan_keeps_complete_lines_and_drops_a_cut_one(chunk: int) -> None:
    sound = result("a") + result("b") + b"\n" + result("c")
    data = sound + result("d")[:-9]
    scan = OutputScan()
    for i in range(0, len(data), chunk):
        scan.feed(data[i : i + chunk])
    scan.end()
    assert scan.seen == {"a", "b", "c"}
    assert scan.keep == len(sound)


def test_scan_stops_at_a_line_that_is_not_a_result() -> None:
    sound = result("a")
    scan = OutputScan()
    scan.feed(sound + b'{"custom_id": "b"}\n' + result("c"))
    scan.end()
    assert scan.seen == {"a"}
    assert scan.keep == len(sound)


def test_scan_of_an_empty_file() -> None:
    scan = OutputScan()
    scan.end()
    assert (scan.seen, scan.keep) == (set(), 0)


# --- progress -----------------------------------------------------------------------------------


def test_render_progress_draws_a_bar_of_requests_done() -> None:
    counts = {"processing": 50, "succeeded": 40, "errored": 10, "canceled": 0, "expired": 0}
    text = render_progress(1, 2, counts, 75, width=100, tick=1)
    assert (
        text == "[####################....................] 50/100 requests · 1/2 batch(es) ended · 1m15s /"
    )
    done = render_progress(2, 2, {"succeeded": 100}, 3700, width=100)
    assert done.startswith("[" + "#" * 40 + "] 100/100 requests · 2/2 batch(es) ended · 1h01m")
    assert len(render_progress(0, 1, {"processing": 5}, 0, width=30)) <= 29


def test_plain_progress_is_one_line_of_counts() -> None:
    counts = {"processing": 0, "succeeded": 1200, "errored": 3, "canceled": 0, "expired": 1}
    assert (
        plain_progress(3, 3, counts, 42)
        == "3/3 batch(es) ended after 42s: 1,200 succeeded, 3 errored, 1 expired"
    )
    assert plain_progress(0, 1, {"processing": 7}, 0) == "0/1 batch(es) ended after 0s: 7 processing"
