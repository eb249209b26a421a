"""``client.beta.messages``: the resource classes of both colours (beta flavour).

``Messages`` / ``AsyncMessages`` are the names the official client gives them
here; ``BetaMessages`` / ``AsyncBetaMessages`` are the same classes.
"""

from ...._async.messages import AsyncBetaMessages as AsyncBetaMessages
from ...._lazy import lazy_names
from ...._sync.messages import BetaMessages as BetaMessages
from ..._call import DEPRECATED_MODELS as DEPRECATED_MODELS
from ..._call import MODELS_TO_WARN_WITH_THINKING_ENABLED as MODELS_TO_WARN_WITH_THINKING_ENABLED

Messages = BetaMessages
AsyncMessages = AsyncBetaMessages

__all__ = ["AsyncBetaMessages", "AsyncMessages", "BetaMessages", "Messages"]

# The types of the signatures, importable from here as from the official module.
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "Stream": "anthropic._streaming",
        "AsyncStream": "anthropic._streaming",
        "BetaMessageStreamManager": "anthropic.lib.streaming",
        "BetaAsyncMessageStreamManager": "anthropic.lib.streaming",
        "NotGiven": "anthropic._types",
        "Omit": "anthropic._types",
        **dict.fromkeys(
            (
                "BetaMessage",
                "BetaMessageParam",
                "BetaMessageTokensCount",
                "BetaRawMessageStreamEvent",
                "BetaMetadataParam",
                "BetaTextBlockParam",
                "BetaThinkingConfigParam",
                "BetaToolChoiceParam",
                "BetaToolUnionParam",
                "BetaOutputConfigParam",
                "BetaCacheControlEphemeralParam",
                "BetaContextManagementConfigParam",
                "BetaRequestMCPServerURLDefinitionParam",
                "BetaJSONOutputFormatParam",
                "ParsedBetaMessage",
            ),
            "anthropic.types.beta",
        ),
        "ModelParam": "anthropic.types",
        "AnthropicBetaParam": "anthropic.types",
    },
)
