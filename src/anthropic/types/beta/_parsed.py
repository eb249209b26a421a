"""Beta messages whose text carries structured output parsed into a user type (hand-written).

Published at the official path ``anthropic.types.beta.parsed_beta_message``.

The beta counterparts of :mod:`anthropic.types._parsed`; ``ResponseFormatT`` is
the same type variable.
"""

from typing import TYPE_CHECKING, Any, Generic, List, Optional, Union

import pydantic
from typing_extensions import TypeAlias

from .._parsed import ResponseFormatT, first_parsed_output
from .._union import tagged_union
from . import (
    BetaAdvisorToolResultBlock,
    BetaBashCodeExecutionToolResultBlock,
    BetaCodeExecutionToolResultBlock,
    BetaCompactionBlock,
    BetaContainerUploadBlock,
    BetaFallbackBlock,
    BetaMCPToolListingBlock,
    BetaMCPToolResultBlock,
    BetaMCPToolUseBlock,
    BetaMessage,
    BetaRedactedThinkingBlock,
    BetaServerToolUseBlock,
    BetaTextBlock,
    BetaTextEditorCodeExecutionToolResultBlock,
    BetaThinkingBlock,
    BetaToolSearchToolResultBlock,
    BetaToolUseBlock,
    BetaWebFetchToolResultBlock,
    BetaWebSearchToolResultBlock,
)
from ._union import BetaUnknownContentBlock

__all__ = ["ResponseFormatT", "ParsedBetaTextBlock", "ParsedBetaContentBlock", "ParsedBetaMessage"]


class ParsedBetaTextBlock(BetaTextBlock, Generic[ResponseFormatT]):
    if TYPE_CHECKING:
        parsed_output: Optional[ResponseFormatT] = pydantic.Field(default=None, exclude=True)
    else:
        # Any at runtime: the value is built by the caller, not validated from JSON.
        parsed_output: Optional[Any] = pydantic.Field(default=None, exclude=True)


ParsedBetaContentBlock: TypeAlias = Union[
    ParsedBetaTextBlock[ResponseFormatT],
    BetaThinkingBlock,
    BetaRedactedThinkingBlock,
    BetaToolUseBlock,
    BetaServerToolUseBlock,
    BetaWebSearchToolResultBlock,
    BetaWebFetchToolResultBlock,
    BetaAdvisorToolResultBlock,
    BetaCodeExecutionToolResultBlock,
    BetaBashCodeExecutionToolResultBlock,
    BetaTextEditorCodeExecutionToolResultBlock,
    BetaToolSearchToolResultBlock,
    BetaMCPToolUseBlock,
    BetaMCPToolResultBlock,
    BetaContainerUploadBlock,
    BetaCompactionBlock,
    BetaMCPToolListingBlock,
    BetaFallbackBlock,
]
if not TYPE_CHECKING:
    ParsedBetaContentBlock = tagged_union(ParsedBetaContentBlock, BetaUnknownContentBlock, "type")


class ParsedBetaMessage(BetaMessage, Generic[ResponseFormatT]):
    if TYPE_CHECKING:
        content: List[ParsedBetaContentBlock[ResponseFormatT]]  # type: ignore[assignment]
    else:
        content: List[ParsedBetaContentBlock]

    @property
    def parsed_output(self) -> Optional[ResponseFormatT]:
        """The structured output of the first text block that has one."""
        value: Optional[ResponseFormatT] = first_parsed_output(self.content)
        return value
