"""``client.beta``: the API's beta surface."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .messages import AsyncBetaMessages, BetaMessages

if TYPE_CHECKING:
    from .._client import Anthropic, AsyncAnthropic

__all__ = ["AsyncBeta", "Beta"]


class Beta:
    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> BetaMessages:
        return BetaMessages(self._client)


class AsyncBeta:
    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> AsyncBetaMessages:
        return AsyncBetaMessages(self._client)
