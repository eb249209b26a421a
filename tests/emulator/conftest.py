from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx2
import pytest
from emulator_support import API_HEADERS

from anthropic.emulator import Emulator

# Building an SSL context is most of the cost of a new httpx2 client; the tests only speak plain HTTP.
_SSL_CONTEXT = ssl.create_default_context()


@pytest.fixture
def own_emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def http(own_emu: Emulator) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=own_emu.base_url, headers=API_HEADERS, timeout=10, verify=_SSL_CONTEXT) as client:
        yield client
