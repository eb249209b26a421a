"""The command line, run as a subprocess: ``anthropic emulator`` and ``anthropic stream``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from anthropic.emulator import Emulator, Fault, Reply

API_HEADERS = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
BODY = {"model": "m", "max_tokens": 50, "messages": [{"role": "user", "content": "Say pong"}]}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "anthropic", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=env if env is not None else clean_env(),
        timeout=60,
    )


@pytest.fixture
def own_emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


def against(own_emu: Emulator) -> dict[str, str]:
    return clean_env(ANTHROPIC_BASE_URL=own_emu.base_url, ANTHROPIC_API_KEY="test-key")


# --- anthropic emulator -----------------------------------------------------------------------


def start_emulator(*args: str, command: list[str] | None = None) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        command or [sys.executable, "-m", "anthropic", "emulator", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    return proc, first


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_emulator_prints_its_url_first_and_serves_until_signalled(sig: signal.Signals) -> None:
    proc, url = start_emulator()
    try:
        assert url.startswith("http://127.0.0.1:")
        r = httpx2.post(url + "/v1/messages", json=BODY, headers=API_HEADERS)
        assert r.status_code == 200 and r.json()["content"][0]["text"] == "pong"
        assert httpx2.post(url + "/v1/messages", json=BODY).status_code == 401
    finally:
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert stdout == ""
    assert "Traceback" not in stderr


def test_emulator_stops_on_sigint_even_when_started_with_sigint_ignored() -> None:
    # A background job of a shell script inherits SIGINT as ignored.
    proc = subprocess.Popen(
        [sys.executable, "-m", "anthropic", "emulator"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("http://127.0.0.1:")
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=10)
    assert proc.returncode == 0


def test_emulator_console_script_with_host_port_and_options() -> None:
    script = Path(sys.executable).with_name("anthropic")
    assert script.exists(), "the package's console script is installed next to the interpreter"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = [str(script), "emulator", "--host", "127.0.0.1", "--port", str(port), "--no-auth", "-v"]
    proc, url = start_emulator(command=cmd)
    try:
        assert url == f"http://127.0.0.1:{port}"
        assert (
            httpx2.post(url + "/v1/messages", json=BODY, headers={"anthropic-version": "1"}).status_code == 200
        )
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "POST /v1/messages -> 200 (req_" in stderr


def test_emulator_on_a_busy_port_fails_with_one_line(own_emu: Emulator) -> None:
    result = run_cli("emulator", "--port", str(own_emu.port))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"anthropic: error: cannot listen on 127.0.0.1:{own_emu.port}")
    assert len(result.stderr.splitlines()) == 1


def test_no_command_prints_usage() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "usage: anthropic" in result.stderr and "stream" in result.stderr


# --- anthropic stream, built-in emulator ---------------------------------------------------------


def test_stream_without_credentials_uses_the_builtin_emulator() -> None:
    result = run_cli("stream", "Say hello world")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello world\n"
    lines = result.stderr.splitlines()
    assert "no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN set" in lines[0]
    assert "built-in emulator at http://127.0.0.1:" in lines[0]
    assert lines[-1].startswith("[stop_reason=end_turn input_tokens=")
    assert "output_tokens=2 request_id=req_" in lines[-1]


def test_stream_reads_the_prompt_from_stdin() -> None:
    result = run_cli("stream", stdin="Count to 4\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1, 2, 3, 4.\n"
    dash = run_cli("stream", "-", stdin="Say from a dash")
    assert dash.stdout == "from a dash\n"


def test_stream_without_a_prompt_is_a_usage_error() -> None:
    result = run_cli("stream", stdin="  \n")
    assert result.returncode == 2
    assert result.stderr == "anthropic: error: no prompt: give one as an argument or on stdin\n"


def test_stream_json_prints_each_event_as_one_json_line() -> None:
    result = run_cli("stream", "--json", "Count to 3")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    types = [e["type"] for e in events]
    assert types[0] == "message_start"
    assert types[-1] == "message_stop"
    assert {
        "content_block_start",
        "content_block_delta",
        "text",
        "content_block_stop",
        "message_delta",
    } <= set(types)
    assert "".join(e["text"] for e in events if e["type"] == "text") == "1, 2, 3."
    assert events[-1]["message"]["content"][0]["text"] == "1, 2, 3."


def test_stream_thinking_goes_to_stderr_apart_from_the_answer() -> None:
    result = run_cli("stream", "--thinking", "1024", "Say the answer")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "the answer\n"
    assert "Thinking:\n" in result.stderr
    assert 'The user wrote: "Say the answer".' in result.stderr


def test_stream_max_tokens_reports_the_stop_reason() -> None:
    result = run_cli("stream", "--max-tokens", "3", "Count to 10")
    assert result.returncode == 0
    assert result.stdout == "1, 2\n"
    assert "[stop_reason=max_tokens " in result.stderr
    assert "output_tokens=3 " in result.stderr


def test_stream_rejects_bad_numbers() -> None:
    result = run_cli("stream", "--max-tokens", "zero", "hi")
    assert result.returncode == 2
    assert "expected a whole number" in result.stderr


# --- anthropic stream, against a given server ----------------------------------------------------


def test_stream_sends_the_options_to_the_configured_server(own_emu: Emulator) -> None:
    result = run_cli(
        "stream",
        "--model",
        "claude-x",
        "--system",
        "Be brief.",
        "--thinking",
        "1500",
        "Say ok",
        env=against(own_emu),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
    assert "emulator" not in result.stderr.splitlines()[0]
    (request,) = own_emu.requests
    assert request.headers["x-api-key"] == "test-key"
    assert request.json == {
        "model": "claude-x",
        "max_tokens": 1024 + 1500,
        "messages": [{"role": "user", "content": "Say ok"}],
        "system": "Be brief.",
        "thinking": {"type": "enabled", "budget_tokens": 1500},
        "stream": True,
    }


def test_stream_emulator_flag_ignores_the_configured_server(own_emu: Emulator) -> None:
    result = run_cli("stream", "--emulator", "Say local", env=against(own_emu))
    assert result.returncode == 0
    assert result.stdout == "local\n"
    assert "--emulator given; using the built-in emulator" in result.stderr
    assert own_emu.requests == []


def test_stream_api_error_is_one_line_with_type_status_and_request_id(own_emu: Emulator) -> None:
    own_emu.add_fault(Fault(status=529, should_retry=False))
    result = run_cli("stream", "hi", env=against(own_emu))
    assert result.returncode == 1
    request_id = own_emu.requests[-1].request_id
    assert result.stderr == (
        f"anthropic: error: overloaded_error: Overloaded (status 529, request id {request_id})\n"
    )
    assert result.stdout == ""


def test_stream_bad_request_error(own_emu: Emulator) -> None:
    result = run_cli("stream", "--thinking", "2000", "--max-tokens", "100", "hi", env=against(own_emu))
    assert result.returncode == 1
    assert result.stderr.startswith("anthropic: error: invalid_request_error: max_tokens: ")
    assert "(status 400, request id req_" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_stream_error_event_mid_stream(own_emu: Emulator) -> None:
    answer = "one two three four five six seven eight nine ten"
    own_emu.enqueue(Reply.text(answer, fault=Fault(error_event="api_error", error_event_after=1)))
    result = run_cli("stream", "hi", env=against(own_emu))
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    request_id = own_emu.requests[-1].request_id
    assert (
        last
        == f"anthropic: error: api_error: Internal server error (error event in a 200 stream, request id {request_id})"
    )
    # What arrived before the error is shown, and its line is ended.
    shown = result.stdout
    assert shown.endswith("\n") and answer.startswith(shown[:-1]) and len(shown) - 1 < len(answer)
    assert "Traceback" not in result.stderr


def test_stream_retries_injected_overloads_to_success(own_emu: Emulator) -> None:
    own_emu.add_fault(Fault(status=529, retry_after_ms=10, times=2))
    result = run_cli("stream", "Say finally", env=against(own_emu))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "finally\n"
    assert len(own_emu.requests) == 3


def test_stream_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = clean_env(ANTHROPIC_BASE_URL=f"http://127.0.0.1:{port}", ANTHROPIC_API_KEY="k")
    result = run_cli("stream", "hi", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("anthropic: error: connection error")
    assert len(result.stderr.splitlines()) == 1


def test_ctrl_c_stops_the_stream_quietly_with_130(own_emu: Emulator) -> None:
    own_emu.add_fault(Fault(latency_ms=200))
    proc = subprocess.Popen(
        [sys.executable, "-m", "anthropic", "stream", "Tell me a story"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=against(own_emu),
    )
    assert proc.stdout is not None
    first = proc.stdout.read(3)  # some of the answer has arrived
    assert first
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert b"Traceback" not in stderr and b"KeyboardInterrupt" not in stderr


def test_cli_module_is_import_light() -> None:
    code = (
        "import sys, anthropic, anthropic._cli, anthropic.__main__\n"
        "heavy = [m for m in ('anthropic.emulator', 'anthropic._client', 'h11', 'asyncio') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
