"""Shared fixtures: one emulator for the whole test run, the sync/async ``mode``, a clean environment.

Tests that cover both clients take the ``mode`` fixture and are written once
as ``async def`` tests (``@pytest.mark.anyio``); the helpers in
``tests/_helpers.py`` call the sync client directly (it blocks the event loop,
which is harmless here: the emulator serves from its own thread) or await the
async one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from anthropic.emulator import Emulator

_ENV_VARS = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_LOG", "ANTHROPIC_CUSTOM_HEADERS")


@pytest.fixture(scope="session")
def shared_emulator() -> Iterator[Emulator]:
    """One emulator for the whole run (its server thread is cheap to share).

    It accepts unknown top-level fields, so client tests can check that ``extra_body`` reaches the wire.
    """
    with Emulator(allow_unknown_params=True) as emulator:
        yield emulator


@pytest.fixture
def emu(shared_emulator: Emulator) -> Iterator[Emulator]:
    """The shared emulator with no queued replies, faults or recorded requests."""
    shared_emulator.reset()
    yield shared_emulator
    shared_emulator.reset()


@pytest.fixture(autouse=True)
def backoff_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The retry waits the clients ask for, in order; recorded, never slept (in every test).

    A test that checks the backoff reads this list instead of a clock.  The
    async recorder still yields to the event loop once, as a sleep would.
    """
    import anyio

    from anthropic._async.sending import AsyncSender
    from anthropic._sync.sending import Sender

    waits: list[float] = []

    def record(self: Sender, seconds: float) -> None:
        waits.append(seconds)

    async def record_async(self: AsyncSender, seconds: float) -> None:
        waits.append(seconds)
        await anyio.sleep(0)

    monkeypatch.setattr(Sender, "sleep", record)
    monkeypatch.setattr(AsyncSender, "sleep", record_async)
    return waits


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Which client a test drives: ``Anthropic`` ("sync") or ``AsyncAnthropic`` ("async")."""
    return str(request.param)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No ANTHROPIC_* variables from the surrounding shell; set them with the returned monkeypatch."""
    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch
