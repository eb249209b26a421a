"""A pytest plugin for testing code that calls the Messages API, offline, against the emulator.

Registered through the ``pytest11`` entry point, so installing the package is
enough: no conftest.  It imports nothing heavy until a fixture is used.

Fixtures:

* ``anthropic_emulator``: a started :class:`~anthropic.emulator.Emulator`,
  stopped after the test;
* ``anthropic_client``: an :class:`~anthropic.Anthropic` bound to it;
* ``async_anthropic_client``: an :class:`~anthropic.AsyncAnthropic` bound to
  it (use it as ``async with async_anthropic_client:`` inside the test, so its
  connections close in the test's event loop).

Markers:

* ``@pytest.mark.anthropic_replies(Reply.text("hi"), ...)``: queue scripted replies;
* ``@pytest.mark.anthropic_faults(Fault(status=529, times=1), ...)``: add faults;
* ``@pytest.mark.anthropic_cassettes("cassettes")``: replay the cassettes in
  that directory (relative to the test file) instead of generating replies;
* ``@pytest.mark.anthropic_emulator(**options)``: other :class:`Emulator`
  options, such as ``api_keys`` or ``allow_unknown_params``.

The clients use the key ``"test-key"`` and do not retry (``max_retries=0``)
unless ``anthropic_emulator(max_retries=N)`` says otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from anthropic import Anthropic, AsyncAnthropic
    from anthropic.emulator import Emulator

__all__ = ["anthropic_client", "anthropic_emulator", "async_anthropic_client"]

_MARKERS = (
    "anthropic_emulator(**options): options of the Emulator the anthropic_emulator fixture starts",
    "anthropic_replies(*replies): Reply objects queued on the anthropic_emulator fixture",
    "anthropic_faults(*faults): Fault objects added to the anthropic_emulator fixture",
    "anthropic_cassettes(directory): replay the cassettes in directory (relative to the test file)",
)
TEST_KEY = "test-key"


def pytest_configure(config: pytest.Config) -> None:
    for line in _MARKERS:
        config.addinivalue_line("markers", line)


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("anthropic_emulator"))):
        if marker.args:
            raise pytest.UsageError("anthropic_emulator takes keyword options only, e.g. api_keys={'k'}")
        options.update(marker.kwargs)
    cassettes = request.node.get_closest_marker("anthropic_cassettes")
    if cassettes is not None:
        if len(cassettes.args) != 1:
            raise pytest.UsageError("anthropic_cassettes takes one directory")
        directory = Path(cassettes.args[0])
        if not directory.is_absolute():
            directory = Path(request.node.path).parent / directory
        options["replay"] = directory
    return options


@pytest.fixture
def anthropic_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A started emulator with the test's scripted replies and faults."""
    from anthropic.emulator import Emulator

    options = _options(request)
    options.pop("max_retries", None)
    with Emulator(**options) as emulator:
        for marker in request.node.iter_markers("anthropic_replies"):
            emulator.enqueue(*marker.args)
        for marker in request.node.iter_markers("anthropic_faults"):
            for fault in marker.args:
                emulator.add_fault(fault)
        yield emulator


def _max_retries(request: pytest.FixtureRequest) -> int:
    retries = 0
    for marker in request.node.iter_markers("anthropic_emulator"):
        if "max_retries" in marker.kwargs:
            retries = int(marker.kwargs["max_retries"])
            break
    return retries


@pytest.fixture
def anthropic_client(anthropic_emulator: Emulator, request: pytest.FixtureRequest) -> Iterator[Anthropic]:
    """An ``Anthropic`` client bound to ``anthropic_emulator``."""
    from anthropic import Anthropic

    with Anthropic(
        base_url=anthropic_emulator.base_url, api_key=TEST_KEY, max_retries=_max_retries(request)
    ) as client:
        yield client


@pytest.fixture
def async_anthropic_client(
    anthropic_emulator: Emulator, request: pytest.FixtureRequest
) -> Iterator[AsyncAnthropic]:
    """An ``AsyncAnthropic`` client bound to ``anthropic_emulator``."""
    from anthropic import AsyncAnthropic

    client = AsyncAnthropic(
        base_url=anthropic_emulator.base_url, api_key=TEST_KEY, max_retries=_max_retries(request)
    )
    yield client
    if not client.is_closed():
        with contextlib.suppress(Exception):  # the test's loop may be gone; nothing then remains to close
            asyncio.run(client.close())
