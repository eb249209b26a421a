"""``anthropic batch``, run as a subprocess: against the built-in emulator, a running emulator, and a server that cuts."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from anthropic.emulator import Emulator
from anthropic.emulator._batches import BatchPlan


def clean_env(state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env["ANTHROPIC_BATCH_STATE_DIR"] = str(state)
    env.update(extra)
    return env


def run_batch(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "anthropic", "batch", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def write_requests(path: Path, n: int, *, bad: dict[int, str] | None = None) -> None:
    with path.open("w") as f:
        for i in range(n):
            if bad and i in bad:
                f.write(bad[i] + "\n")
                continue
            params = {
                "model": "claude-sonnet-4-5",
                "max_tokens": 30,
                "messages": [{"role": "user", "content": f"Q{i}"}],
            }
            f.write(json.dumps({"custom_id": f"q{i}", "params": params}) + "\n")


def result_ids(path: Path) -> list[str]:
    return [json.loads(line)["custom_id"] for line in path.read_text().splitlines()]


def test_a_split_file_end_to_end_on_the_built_in_emulator(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "state")
    write_requests(tmp_path / "in.jsonl", 250)
    submitted = run_batch("submit", "in.jsonl", "--max-requests", "100", env=env, cwd=tmp_path)
    assert submitted.returncode == 0, submitted.stderr
    job = submitted.stdout.strip()
    assert job.startswith("batchjob_")
    assert "in.jsonl: 250 requests checked; 3 batch(es) to submit" in submitted.stderr
    assert "using the built-in emulator" in submitted.stderr
    assert "lines 201-250: msgbatch_" in submitted.stderr
    jobs = json.loads((tmp_path / "state" / "batches.json").read_text())["jobs"]
    assert [j["requests"] for j in jobs] == [[100, 100, 50]]

    waited = run_batch("wait", job, env=env, cwd=tmp_path)
    assert waited.returncode == 0, waited.stderr
    assert "3/3 batch(es) ended after" in waited.stderr
    assert [line.split()[1] for line in waited.stdout.splitlines()] == ["ended"] * 3

    status = run_batch("status", job, "--json", env=env, cwd=tmp_path)
    assert [json.loads(line)["processing_status"] for line in status.stdout.splitlines()] == ["ended"] * 3

    out = tmp_path / "out.jsonl"
    got = run_batch("results", job, "-o", str(out), env=env, cwd=tmp_path)
    assert got.returncode == 0, got.stderr
    assert sorted(result_ids(out)) == sorted(f"q{i}" for i in range(250))
    assert "250 result(s) written, 250 of 250 in all" in got.stderr

    # An interrupted download: the file lost its last 40 lines and ends inside a line.
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:210]) + lines[210][:25])
    resumed = run_batch("results", job, "-o", str(out), env=env, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert "210 results already there; fetching the rest" in resumed.stderr
    assert "40 result(s) written, 250 of 250 in all" in resumed.stderr
    ids = result_ids(out)
    assert len(ids) == 250 and set(ids) == {f"q{i}" for i in range(250)}

    listed = run_batch("list", "--limit", "2", env=env, cwd=tmp_path)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2


def test_cancel_on_the_built_in_emulator(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "state")
    write_requests(tmp_path / "in.jsonl", 3)
    batch_id = run_batch("submit", "in.jsonl", env=env, cwd=tmp_path).stdout.strip()
    assert batch_id.startswith("msgbatch_")
    canceled = run_batch("cancel", batch_id, env=env, cwd=tmp_path)
    assert canceled.returncode == 0, canceled.stderr
    assert canceled.stdout.split()[:2] in ([batch_id, "canceling"], [batch_id, "ended"])


def test_a_bad_requests_file_is_reported_by_line_and_nothing_is_uploaded(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "state")
    write_requests(
        tmp_path / "in.jsonl",
        6,
        bad={
            1: "{oops",
            3: json.dumps(
                {
                    "custom_id": "q0",
                    "params": {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]},
                }
            ),
            4: json.dumps({"custom_id": "q9", "params": {"model": "m", "max_tokens": 5, "messages": []}}),
        },
    )
    result = run_batch("submit", "in.jsonl", env=env, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("in.jsonl:2: not valid JSON (")
    assert lines[1] == "in.jsonl:4: custom_id 'q0' is also used on line 1"
    assert lines[2] == "in.jsonl:5: params.messages: at least one message is required"
    assert lines[-1] == "anthropic: error: in.jsonl: 3 problem(s); nothing was uploaded"
    assert not (tmp_path / "state").exists()


def test_against_a_running_emulator_with_a_key(tmp_path: Path) -> None:
    with Emulator() as emu:
        emu.batches.plan = BatchPlan()
        env = clean_env(tmp_path / "state", ANTHROPIC_API_KEY="k", ANTHROPIC_BASE_URL=emu.base_url)
        write_requests(tmp_path / "in.jsonl", 20)
        batch_id = run_batch("submit", "in.jsonl", env=env, cwd=tmp_path).stdout.strip()
        waited = run_batch("wait", batch_id, "--interval", "0.05", env=env, cwd=tmp_path)
        assert waited.returncode == 0, waited.stderr
        assert "built-in emulator" not in waited.stderr
        out = tmp_path / "out.jsonl"
        assert run_batch("results", batch_id, "-o", str(out), env=env, cwd=tmp_path).returncode == 0
        assert len(result_ids(out)) == 20
        missing = run_batch("status", "batchjob_nope", env=env, cwd=tmp_path)
        assert missing.returncode == 1
        assert missing.stderr.strip() == (
            f"anthropic: error: no job batchjob_nope in {tmp_path / 'state' / 'batches.json'}"
        )


def test_wait_draws_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "state")
    write_requests(tmp_path / "in.jsonl", 5)
    batch_id = run_batch("submit", "in.jsonl", env=env, cwd=tmp_path).stdout.strip()
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "anthropic", "batch", "wait", batch_id],
        stdout=subprocess.PIPE,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        seen += data
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0
    assert b"\r[" in seen
    assert b"] 5/5 requests \xc2\xb7 1/1 batch(es) ended" in seen


# --- results from a server that cuts the file ------------------------------------------------------

LINES = [json.dumps({"custom_id": f"c{i}", "result": {"type": "expired"}}).encode() + b"\n" for i in range(6)]


class _CuttingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    served = 0

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path.startswith("/v1/messages/batches/msgbatch_cut"):
            body = json.dumps(
                {
                    "id": "msgbatch_cut",
                    "type": "message_batch",
                    "processing_status": "ended",
                    "request_counts": {
                        "processing": 0,
                        "succeeded": 0,
                        "errored": 0,
                        "canceled": 0,
                        "expired": 6,
                    },
                    "created_at": "2025-01-01T00:00:00Z",
                    "expires_at": "2025-01-02T00:00:00Z",
                    "ended_at": "2025-01-01T01:00:00Z",
                    "results_url": f"{host}/results",
                }
            ).encode()
        else:
            cls = type(self)
            cls.served += 1
            body = b"".join(LINES)
            if cls.served == 1:
                body = body[: len(b"".join(LINES[:4])) + 7]  # four lines and a piece of the fifth
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def cutting_server() -> Iterator[str]:
    _CuttingHandler.served = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CuttingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_cut_download_keeps_what_arrived_and_resumes(tmp_path: Path, cutting_server: str) -> None:
    env = clean_env(tmp_path / "state", ANTHROPIC_API_KEY="k", ANTHROPIC_BASE_URL=cutting_server)
    out = tmp_path / "out.jsonl"
    first = run_batch("results", "msgbatch_cut", "-o", str(out), env=env, cwd=tmp_path)
    assert first.returncode == 1
    assert first.stderr.strip().splitlines()[-1] == (
        "anthropic: error: the results of msgbatch_cut were cut short after 4 of 6 lines; "
        "run the command again to resume"
    )
    assert result_ids(out) == ["c0", "c1", "c2", "c3"]
    second = run_batch("results", "msgbatch_cut", "-o", str(out), env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert result_ids(out) == [f"c{i}" for i in range(6)]
    assert "2 result(s) written, 6 of 6 in all" in second.stderr
