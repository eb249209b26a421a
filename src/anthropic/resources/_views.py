"""``MessagesWithRawResponse(client.messages)`` and its kin: a resource's raw and streaming views as classes.

The official SDK names the object behind ``resource.with_raw_response`` and
``resource.with_streaming_response`` (``MessagesWithRawResponse``,
``AsyncModelsWithStreamingResponse``, ...) and code builds them by hand from a
resource.  Here each class is a thin view: built from a resource of the
matching family, every attribute it answers is the one of that resource's own
``with_raw_response`` (or ``with_streaming_response``), so a call behaves
exactly as it does through the property.  ``isinstance`` of what the property
returns is not one of these classes.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AsyncBetaWithRawResponse",
    "AsyncBetaWithStreamingResponse",
    "AsyncMessagesWithRawResponse",
    "AsyncMessagesWithStreamingResponse",
    "AsyncModelsWithRawResponse",
    "AsyncModelsWithStreamingResponse",
    "BetaWithRawResponse",
    "BetaWithStreamingResponse",
    "MessagesWithRawResponse",
    "MessagesWithStreamingResponse",
    "ModelsWithRawResponse",
    "ModelsWithStreamingResponse",
]


class _ResourceView:
    """The ``_view`` property (``with_raw_response`` or ``with_streaming_response``) of one resource."""

    _view: ClassVar[str]

    def __init__(self, resource: Any) -> None:
        view = getattr(resource, self._view, None)
        if view is None:
            raise TypeError(
                f"{type(self).__name__}(resource) takes an API resource, got {type(resource).__qualname__}"
            )
        self._resource = resource
        self._target = view

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {type(self._resource).__qualname__}>"


class _Raw(_ResourceView):
    _view = "with_raw_response"


class _Streaming(_ResourceView):
    _view = "with_streaming_response"


class MessagesWithRawResponse(_Raw):
    """``client.messages.with_raw_response``."""


class AsyncMessagesWithRawResponse(_Raw):
    """``client.messages.with_raw_response`` (async client)."""


class MessagesWithStreamingResponse(_Streaming):
    """``client.messages.with_streaming_response``."""


class AsyncMessagesWithStreamingResponse(_Streaming):
    """``client.messages.with_streaming_response`` (async client)."""


class ModelsWithRawResponse(_Raw):
    """``client.models.with_raw_response``."""


class AsyncModelsWithRawResponse(_Raw):
    """``client.models.with_raw_response`` (async client)."""


class ModelsWithStreamingResponse(_Streaming):
    """``client.models.with_streaming_response``."""


class AsyncModelsWithStreamingResponse(_Streaming):
    """``client.models.with_streaming_response`` (async client)."""


class BetaWithRawResponse(_Raw):
    """``client.beta.with_raw_response``."""


class AsyncBetaWithRawResponse(_Raw):
    """``client.beta.with_raw_response`` (async client)."""


class BetaWithStreamingResponse(_Streaming):
    """``client.beta.with_streaming_response``."""


class AsyncBetaWithStreamingResponse(_Streaming):
    """``client.beta.with_streaming_response`` (async client)."""
