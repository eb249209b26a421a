"""``client.messages``: the resource classes of both colours (plain flavour).

Found here where the official client keeps them; they are defined once per
colour in :mod:`anthropic._async.messages` and :mod:`anthropic._sync.messages`.
The official module also makes the types of its signatures importable from
here (``from anthropic.resources.messages.messages import Message, Stream``),
and code does import them so: they resolve on first access.
"""

from ..._async.messages import AsyncMessages as AsyncMessages
from ..._lazy import lazy_names
from ..._sync.messages import Messages as Messages
from .._call import DEPRECATED_MODELS as DEPRECATED_MODELS
from .._call import MODELS_TO_WARN_WITH_THINKING_ENABLED as MODELS_TO_WARN_WITH_THINKING_ENABLED

__all__ = ["AsyncMessages", "Messages"]

__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "MessagesWithRawResponse": "anthropic.resources._views",
        "AsyncMessagesWithRawResponse": "anthropic.resources._views",
        "MessagesWithStreamingResponse": "anthropic.resources._views",
        "AsyncMessagesWithStreamingResponse": "anthropic.resources._views",
        "Stream": "anthropic._streaming",
        "AsyncStream": "anthropic._streaming",
        "MessageStreamManager": "anthropic.lib.streaming",
        "AsyncMessageStreamManager": "anthropic.lib.streaming",
        "transform_schema": "anthropic.lib._parse",
        "NotGiven": "anthropic._types",
        "Omit": "anthropic._types",
        "not_given": "anthropic._types",
        "omit": "anthropic._types",
        "Message": "anthropic.types",
        "MessageParam": "anthropic.types",
        "MessageTokensCount": "anthropic.types",
        "ParsedMessage": "anthropic.types",
        "RawMessageStreamEvent": "anthropic.types",
        "MetadataParam": "anthropic.types",
        "ModelParam": "anthropic.types",
        "TextBlockParam": "anthropic.types",
        "ThinkingConfigParam": "anthropic.types",
        "ToolChoiceParam": "anthropic.types",
        "ToolUnionParam": "anthropic.types",
        "OutputConfigParam": "anthropic.types",
        "CacheControlEphemeralParam": "anthropic.types",
        "MessageCountTokensToolParam": "anthropic.types",
    },
)
