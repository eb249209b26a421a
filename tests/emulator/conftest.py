from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from emulator_support import API_HEADERS

from anthropic.emulator import Emulator


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def http(emu: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emu.base_url, headers=API_HEADERS, timeout=10) as client:
        yield client
