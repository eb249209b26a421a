"""The API's resources: ``client.messages``, ``client.models`` and ``client.beta``.

Each resource is defined once per colour (in ``anthropic._async``, with the
sync twin generated into ``anthropic._sync``); the modules here give them the
import paths users know.  The package itself names the resource classes of
the Messages family and their raw/streaming views, as the official SDK's
does (``from anthropic.resources import Messages``: wrappers subclass it and
build it from a client, ``Messages(client)``).  They load on first access;
``anthropic.resources.messages`` and the other submodules stay submodules.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_names

if TYPE_CHECKING:
    from ._views import AsyncBetaWithRawResponse as AsyncBetaWithRawResponse
    from ._views import AsyncBetaWithStreamingResponse as AsyncBetaWithStreamingResponse
    from ._views import AsyncMessagesWithRawResponse as AsyncMessagesWithRawResponse
    from ._views import AsyncMessagesWithStreamingResponse as AsyncMessagesWithStreamingResponse
    from ._views import AsyncModelsWithRawResponse as AsyncModelsWithRawResponse
    from ._views import AsyncModelsWithStreamingResponse as AsyncModelsWithStreamingResponse
    from ._views import BetaWithRawResponse as BetaWithRawResponse
    from ._views import BetaWithStreamingResponse as BetaWithStreamingResponse
    from ._views import MessagesWithRawResponse as MessagesWithRawResponse
    from ._views import MessagesWithStreamingResponse as MessagesWithStreamingResponse
    from ._views import ModelsWithRawResponse as ModelsWithRawResponse
    from ._views import ModelsWithStreamingResponse as ModelsWithStreamingResponse
    from .beta import AsyncBeta as AsyncBeta
    from .beta import Beta as Beta
    from .messages import AsyncMessages as AsyncMessages
    from .messages import Messages as Messages
    from .models import AsyncModels as AsyncModels
    from .models import Models as Models

_VIEWS = "anthropic.resources._views"
_NAMES = {
    "Messages": "anthropic.resources.messages",
    "AsyncMessages": "anthropic.resources.messages",
    "Models": "anthropic.resources.models",
    "AsyncModels": "anthropic.resources.models",
    "Beta": "anthropic.resources.beta",
    "AsyncBeta": "anthropic.resources.beta",
    **{
        f"{colour}{family}With{kind}Response": _VIEWS
        for colour in ("", "Async")
        for family in ("Messages", "Models", "Beta")
        for kind in ("Raw", "Streaming")
    },
}

__all__ = sorted(_NAMES)

__getattr__, __dir__ = lazy_names(__name__, _NAMES)
