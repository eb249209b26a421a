"""Credentials stay secret: not in repr/str, exceptions, tracebacks or logs; not sent elsewhere.

* ``repr``/``str`` of clients and of every kind of exception (with their
  requests and responses, and formatted tracebacks, even with local variables
  captured the way error trackers do) never contain the API key or token.
* A debug log of requests (``ANTHROPIC_LOG=debug``, or DEBUG on the
  ``anthropic`` logger) shows ``x-api-key`` and ``authorization`` redacted.
* A 3xx redirect to another host is never followed, so the credentials never
  reach it, even through a user's ``http_client`` that follows redirects.
* TLS certificates are verified, unless the user passes their own
  ``http_client`` that says otherwise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from _helpers import call, collect_stream, entered, http_client, make_client, params
from _resilience_helpers import RawServer, read_request, sse_response
from anthropic import (
    Anthropic,
    AnthropicError,
    APIConnectionError,
    APIStatusError,
    AsyncAnthropic,
    AuthenticationError,
    DefaultAsyncHttpxClient,
    DefaultHttpxClient,
    MissingCredentialsError,
)
from anthropic.emulator import Emulator, Fault, Reply

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

KEY = "sk-ant-api03-SECRETKEY-0123456789abcdef"
TOKEN = "sk-ant-oat01-SECRETTOKEN-fedcba9876543210"
SECRETS = (KEY, TOKEN, "SECRETKEY", "SECRETTOKEN")


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, (
            f"a credential leaked: ...{text[max(0, text.find(secret) - 80) :][:200]}..."
        )


def everything_about(exc: BaseException) -> str:
    """str, repr, request/response reprs and the formatted traceback, locals included."""
    parts = [str(exc), repr(exc)]
    for name in ("request", "response", "body", "partial_message"):
        parts.append(repr(getattr(exc, name, None)))
    parts += traceback.format_exception(exc)
    parts += traceback.TracebackException.from_exception(exc, capture_locals=True).format()
    return "".join(parts)


def credentials(kind: str) -> dict[str, str]:
    return {"api_key": KEY} if kind == "api_key" else {"auth_token": TOKEN}


# --- repr and str ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["api_key", "auth_token"])
async def test_clients_never_show_their_credentials(mode: str, kind: str) -> None:
    client = make_client(mode, base_url="https://api.example.com", **{"api_key": None, **credentials(kind)})
    copies = [client, client.with_options(max_retries=5), client.with_options(**credentials(kind))]
    for c in copies:
        assert_clean(repr(c) + str(c) + repr(c.messages) + repr(c.beta.messages))
    assert f"auth={kind}" in repr(client)
    with pytest.raises(TypeError) as info:
        import pickle

        pickle.dumps(client)
    assert_clean(str(info.value))
    await call(client.close)


def test_credentials_from_the_environment_are_not_shown(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ANTHROPIC_API_KEY", KEY)
    client = Anthropic()
    assert client.api_key == KEY
    assert_clean(repr(client) + str(client))


@pytest.mark.parametrize("cls", [Anthropic, AsyncAnthropic])
def test_a_password_in_the_base_url_is_not_shown(cls: type) -> None:
    client = cls(api_key="k", base_url="https://someone:hunter2-pw@api.example.com/v")
    assert "hunter2-pw" not in repr(client) and "someone" not in repr(client)
    assert "api.example.com/v" in repr(client)


def test_the_missing_credentials_error_names_no_value(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(MissingCredentialsError) as info:
        Anthropic().messages.create(**params())
    assert "ANTHROPIC_API_KEY" in str(info.value) and "ANTHROPIC_AUTH_TOKEN" in str(info.value)


# --- exceptions of every kind ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def picky() -> Iterator[Emulator]:
    """An emulator that accepts only another key: ours gets a 401."""
    with Emulator(api_keys={"sk-ant-the-only-good-key"}) as emulator:
        yield emulator


async def _raise(mode: str, emu: Emulator, kind: str, how: str) -> BaseException:
    async with entered(make_client(mode, emu, **{"api_key": None, **credentials(kind)})) as client:
        try:
            if how == "create":
                await call(client.messages.create, **params())
            else:
                await collect_stream(client, **params())
        except AnthropicError as exc:
            return exc
    raise AssertionError("no exception")


@pytest.mark.parametrize("kind", ["api_key", "auth_token"])
@pytest.mark.parametrize("how", ["create", "stream"])
async def test_an_authentication_error_does_not_echo_the_credential(
    mode: str, picky: Emulator, kind: str, how: str
) -> None:
    exc = await _raise(mode, picky, kind, how)
    assert type(exc) is AuthenticationError
    assert_clean(everything_about(exc))


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=529, retry_after=0),
        Fault(error_event="overloaded_error", error_event_after=2),
        Fault(disconnect_after=300),
        Fault(eof_after=300),
    ],
    ids=["status", "error-event", "disconnect", "eof"],
)
@pytest.mark.parametrize("kind", ["api_key", "auth_token"])
async def test_stream_errors_do_not_show_the_credential(
    mode: str, emu: Emulator, fault: Fault, kind: str
) -> None:
    emu.add_fault(fault)
    exc = await _raise(mode, emu, kind, "stream")
    assert isinstance(exc, (APIStatusError, APIConnectionError))
    assert_clean(everything_about(exc))


async def test_a_connection_error_does_not_show_the_credential(mode: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with entered(make_client(mode, base_url=f"http://127.0.0.1:{port}", api_key=KEY)) as client:
        with pytest.raises(APIConnectionError) as info:
            await call(client.messages.create, **params())
    assert_clean(everything_about(info.value))


# --- logs -----------------------------------------------------------------------------------------


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    logger = logging.getLogger("anthropic")
    level = logger.level
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx2's, httpcore2's
    logger.setLevel(logging.DEBUG)
    yield caplog
    logger.setLevel(level)


@pytest.mark.parametrize("kind", ["api_key", "auth_token"])
async def test_a_debug_log_redacts_the_credential_headers(
    mode: str, emu: Emulator, debug_log: pytest.LogCaptureFixture, kind: str
) -> None:
    emu.add_fault(Fault(status=529, retry_after=0, times=1))  # a retry logs the request again
    kwargs = {"api_key": None, "max_retries": 1, **credentials(kind)}
    async with entered(make_client(mode, emu, **kwargs)) as client:
        await collect_stream(client, **params())
        await call(client.messages.create, **params())
    requests = [r.getMessage() for r in debug_log.records if r.getMessage().startswith("Request POST")]
    assert len(requests) == 3
    header = "'x-api-key': '<redacted>'" if kind == "api_key" else "'authorization': '<redacted>'"
    assert all(header in line for line in requests)
    assert_clean("\n".join(r.getMessage() for r in debug_log.records) + debug_log.text)
    sent = emu.requests[-1].headers
    if kind == "api_key":
        assert sent["x-api-key"] == KEY
    else:
        assert sent["authorization"] == f"Bearer {TOKEN}"


def test_anthropic_log_debug_from_the_environment_redacts_too(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        from anthropic import Anthropic
        from anthropic.emulator import Emulator, Fault

        p = dict(model="claude-sonnet-4-5", max_tokens=32, messages=[{{"role": "user", "content": "hi"}}])
        with Emulator() as emu:
            emu.add_fault(Fault(status=529, retry_after=0, times=1))
            with Anthropic(base_url=emu.base_url, api_key={KEY!r}) as client:
                with client.messages.stream(**p) as stream:
                    stream.get_final_message()
            with Anthropic(base_url=emu.base_url, auth_token={TOKEN!r}) as client:
                client.messages.create(**p)
        print("ok")
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env["ANTHROPIC_LOG"] = "debug"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.stdout.strip() == "ok", result.stderr
    assert result.stderr.count("Request POST") == 3
    assert "'x-api-key': '<redacted>'" in result.stderr
    assert "'authorization': '<redacted>'" in result.stderr
    assert_clean(result.stdout + result.stderr)


# --- redirects ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[Emulator]:
    """Another host: nothing may ever reach it."""
    with Emulator() as emulator:
        yield emulator


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("how", ["create", "stream"])
@pytest.mark.parametrize("follow", [False, True], ids=["own-client", "user-client-follows"])
async def test_a_redirect_is_not_followed_so_credentials_stay_home(
    mode: str, emu: Emulator, elsewhere: Emulator, status: int, how: str, follow: bool
) -> None:
    elsewhere.reset()
    target = elsewhere.base_url.replace("127.0.0.1", "localhost") + "/v1/messages"
    emu.enqueue(Reply.json({"moved": True}, status=status, headers={"location": target}))
    extra: dict[str, Any] = {"http_client": http_client(mode, follow_redirects=True)} if follow else {}
    async with entered(make_client(mode, emu, max_retries=2, **extra)) as client:
        with pytest.raises(APIStatusError) as info:
            if how == "create":
                await call(client.messages.create, **params())
            else:
                await collect_stream(client, **params())
    assert type(info.value) is APIStatusError
    assert info.value.status_code == status
    assert info.value.response.headers["location"] == target
    assert len(emu.requests) == 1  # not retried either
    assert elsewhere.requests == []
    if follow:
        await call(extra["http_client"].aclose if mode == "async" else extra["http_client"].close)


# --- TLS ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 that no trust store knows."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@contextlib.contextmanager
def tls_server(certificate: tuple[Path, Path], body: bytes) -> Iterator[dict[str, Any]]:
    """An HTTPS server on loopback answering every request with ``body`` as an event stream."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    listener = socket.create_server(("127.0.0.1", 0))
    state: dict[str, Any] = {
        "url": f"https://127.0.0.1:{listener.getsockname()[1]}",
        "requests": [],
        "refused_handshakes": 0,
    }
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            if stop.is_set():
                conn.close()
                return
            conn.settimeout(5)
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    state["requests"].append(read_request(tls))
                    tls.sendall(sse_response(body, "length"))
            except (ssl.SSLError, OSError):
                state["refused_handshakes"] += 1

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        with contextlib.suppress(OSError):  # wake the accept() up
            socket.create_connection(listener.getsockname(), timeout=1).close()
        listener.close()
        thread.join(5)


TLS_BODY = (
    b'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_tls","type":"message",'
    b'"role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,'
    b'"usage":{"input_tokens":1,"output_tokens":1}}}\n\n'
    b'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n'
    b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Over TLS."}}\n\n'
    b'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n'
    b'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}\n\n'
    b'event: message_stop\ndata: {"type":"message_stop"}\n\n'
)


async def test_tls_certificates_are_verified_by_default(mode: str, certificate: tuple[Path, Path]) -> None:
    with tls_server(certificate, TLS_BODY) as server:
        async with entered(make_client(mode, base_url=server["url"], api_key=KEY, max_retries=0)) as client:
            for c in (client, client.with_options(timeout=30)):
                with pytest.raises(APIConnectionError) as info:
                    await collect_stream(c, **params())
                cause = info.value.__cause__
                assert isinstance(cause, httpx2.ConnectError)
                assert "CERTIFICATE_VERIFY_FAILED" in str(cause)
                assert_clean(everything_about(info.value))
    assert server["requests"] == []  # no request, so no credential, went over the untrusted connection
    assert server["refused_handshakes"] >= 2


@pytest.mark.parametrize("trust", ["verify=False", "its own trust"])
async def test_only_the_users_own_http_client_can_change_tls_verification(
    mode: str, certificate: tuple[Path, Path], trust: str
) -> None:
    if trust == "verify=False":
        verify: Any = False
    else:
        verify = ssl.create_default_context(cafile=str(certificate[0]))
    user_client = http_client(mode, verify=verify)
    with tls_server(certificate, TLS_BODY) as server:
        async with entered(
            make_client(mode, base_url=server["url"], api_key=KEY, http_client=user_client)
        ) as client:
            got = await collect_stream(client, **params())
    assert got.final_message.content[0].text == "Over TLS."
    assert len(server["requests"]) == 1
    await call(user_client.aclose if mode == "async" else user_client.close)


@pytest.mark.parametrize("cls", [Anthropic, AsyncAnthropic])
def test_the_clients_own_http_client_verifies_certificates(cls: type) -> None:
    client = cls(api_key=KEY)
    http = client._http
    for c in (http, client.with_options(max_retries=1)._http):
        context = c._transport._pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert http.follow_redirects is False


async def test_the_trust_store_is_read_when_the_first_tls_connection_opens(
    mode: str, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pool's context is built on first use, as httpx2 builds its default one: the system
    # store, or SSL_CERT_FILE when the environment names one (read then, not at construction).
    with tls_server(certificate, TLS_BODY) as server:
        async with entered(make_client(mode, base_url=server["url"], api_key=KEY, max_retries=0)) as client:
            context = client._http._transport._pool._ssl_context
            assert not context.built
            monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
            got = await collect_stream(client, **params())
            assert context.built
            assert isinstance(context.context(), ssl.SSLContext)
            assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert got.final_message.content[0].text == "Over TLS."
    assert len(server["requests"]) == 1


async def test_plain_http_never_reads_the_trust_store(mode: str) -> None:
    with RawServer(lambda i, request: (sse_response(TLS_BODY, "length"), "fin")) as server:
        async with entered(make_client(mode, base_url=server.base_url, api_key=KEY, max_retries=0)) as client:
            got = await collect_stream(client, **params())
            assert not client._http._transport._pool._ssl_context.built
    assert got.final_message.content[0].text == "Over TLS."


@pytest.mark.parametrize("cls", [DefaultHttpxClient, DefaultAsyncHttpxClient])
def test_default_httpx_clients_verify_with_the_deferred_context_unless_given_one(cls: type) -> None:
    default = cls()
    context = default._transport._pool._ssl_context
    assert not context.built
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.built
    own = ssl.create_default_context()
    assert cls(verify=own)._transport._pool._ssl_context is own


def test_the_credential_does_reach_the_host_it_is_meant_for() -> None:
    # The control for the tests above: the credential is on the wire where it belongs.
    with RawServer(lambda i, request: (sse_response(TLS_BODY, "length"), "fin")) as server:
        client = Anthropic(base_url=server.base_url, api_key=KEY, max_retries=0)
        with client, client.messages.stream(**params()) as stream:
            assert stream.get_final_text() == "Over TLS."
        assert b"x-api-key: " + KEY.encode() in server.requests[0]
