"""Record and replay, with a second emulator standing in for the real API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest

from anthropic import Anthropic
from anthropic.emulator import Emulator

BODY: dict[str, Any] = {
    "model": "claude-test",
    "max_tokens": 200,
    "messages": [{"role": "user", "content": "Count to 7"}],
}
CLIENT_HEADERS = {"x-api-key": "client-key", "anthropic-version": "2023-06-01"}
HANG_GUARD = 30.0


@pytest.fixture
def upstream() -> Any:
    with Emulator(api_keys={"sk-from-the-environment"}) as emu:
        yield emu


def test_recording_stores_readable_cassettes_and_replay_serves_them_byte_for_byte(
    tmp_path: Path, upstream: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-from-the-environment")
    with (
        Emulator(record=tmp_path, upstream=upstream.base_url) as recorder,
        httpx2.Client(base_url=recorder.base_url, headers=CLIENT_HEADERS) as http,
    ):
        plain = http.post("/v1/messages", json=BODY)
        streamed = http.post("/v1/messages", json={**BODY, "stream": True})
        models = http.get("/v1/models", params={"limit": 2})
    assert plain.status_code == streamed.status_code == models.status_code == 200
    assert streamed.headers["content-type"].startswith("text/event-stream")
    assert [r.headers["x-api-key"] for r in upstream.requests] == ["sk-from-the-environment"] * 3

    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 3 and all(f.endswith(".json") for f in files)
    text = "".join((tmp_path / f).read_text() for f in files)
    assert "sk-from-the-environment" not in text and "client-key" not in text
    bodies = {f: json.loads((tmp_path / f).read_text())["request"]["body"] or {} for f in files}
    stream_file = next(f for f, body in bodies.items() if body.get("stream"))
    cassette = json.loads((tmp_path / stream_file).read_text())
    assert cassette["request"]["body"]["messages"] == BODY["messages"]
    assert cassette["response"]["body_text"].startswith("event: message_start\n")
    assert cassette["response"]["body_text"].encode() == streamed.content

    with (
        Emulator(replay=tmp_path) as replayer,
        httpx2.Client(base_url=replayer.base_url, headers=CLIENT_HEADERS) as http,
    ):
        again_streamed = http.post("/v1/messages", json={**BODY, "stream": True})
        again_plain = http.post("/v1/messages", content=json.dumps(BODY, indent=3).encode())
        assert again_streamed.content == streamed.content
        assert again_streamed.headers["request-id"] == streamed.headers["request-id"]
        assert again_plain.content == plain.content
        assert http.get("/v1/models", params={"limit": 2}).content == models.content


def test_a_missing_cassette_is_a_404_naming_what_was_asked(tmp_path: Path) -> None:
    with Emulator(replay=tmp_path) as replayer:
        r = httpx2.post(replayer.base_url + "/v1/messages", json=BODY, headers=CLIENT_HEADERS)
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["type"] == "not_found_error"
    assert error["message"].startswith(
        "No cassette recorded for POST /v1/messages (model 'claude-test') with this body"
    )
    assert "POST-v1-messages-" in error["message"]


def test_the_official_shape_client_streams_from_a_replay(tmp_path: Path, upstream: Emulator) -> None:
    with (
        Emulator(record=tmp_path, upstream=upstream.base_url) as recorder,
        Anthropic(base_url=recorder.base_url, api_key="sk-from-the-environment") as client,
        client.messages.stream(**BODY) as stream,
    ):
        recorded = stream.get_final_text()
    with (
        Emulator(replay=tmp_path) as replayer,
        Anthropic(base_url=replayer.base_url, api_key="any") as client,
        client.messages.stream(**BODY) as stream,
    ):
        assert stream.get_final_text() == recorded == "1, 2, 3, 4, 5, 6, 7."


def test_an_unreachable_upstream_is_a_502(tmp_path: Path) -> None:
    with Emulator() as gone:
        url = gone.base_url
    with Emulator(record=tmp_path, upstream=url) as recorder:
        r = httpx2.post(recorder.base_url + "/v1/messages", json=BODY, headers=CLIENT_HEADERS)
    assert r.status_code == 502
    assert r.json()["error"]["message"].startswith("The upstream could not be reached")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"record": "x"}, "record= and upstream= go together"),
        ({"replay": "x", "record": "y", "upstream": "http://u"}, "replay= and record= cannot be combined"),
    ],
)
def test_bad_combinations_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Emulator(**kwargs)


def test_the_command_replays_a_directory(tmp_path: Path, upstream: Emulator) -> None:
    with Emulator(record=tmp_path, upstream=upstream.base_url) as recorder:
        headers = {**CLIENT_HEADERS, "x-api-key": "sk-from-the-environment"}
        recorded = httpx2.post(recorder.base_url + "/v1/messages", json=BODY, headers=headers).content
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "anthropic", "emulator", "--replay", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().decode().strip()
        replayed = httpx2.post(
            base_url + "/v1/messages", json=BODY, headers=CLIENT_HEADERS, timeout=HANG_GUARD
        )
        assert replayed.content == recorded
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(HANG_GUARD) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_command_refuses_record_without_upstream(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "anthropic", "emulator", "--record", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    assert done.returncode != 0
    assert "--record and --upstream go together" in done.stderr
