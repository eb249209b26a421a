"""Beta messages whose text carries structured output parsed into a user type (hand-written).

Published at the official path ``anthropic.types.beta.parsed_beta_message``.

The beta counterparts of :mod:`anthropic.types._parsed`; ``ResponseFormatT`` is
the same type variable.
"""

from typing import TYPE_CHECKING, Any, Generic, List, Optional, Union

import pydantic
from typing_extensions import TypeAlias

from .._parsed import ResponseFormatT, first_parsed_output
from .._union import BetaUnknownContentBlock, tagged_union
from .beta_advisor_tool_result_block import BetaAdvisorToolResultBlock
from .beta_bash_code_execution_tool_result_block import BetaBashCodeExecutionToolResultBlock
from .beta_code_execution_tool_result_block import BetaCodeExecutionToolResultBlock
from .beta_compaction_block import BetaCompactionBlock
from .beta_container_upload_block import BetaContainerUploadBlock
from .beta_fallback_block import BetaFallbackBlock
from .beta_mcp_tool_listing_block import BetaMCPToolListingBlock
from .beta_mcp_tool_result_block import BetaMCPToolResultBlock
from .beta_mcp_tool_use_block import BetaMCPToolUseBlock
from .beta_message import BetaMessage
from .beta_redacted_thinking_block import BetaRedactedThinkingBlock
from .beta_server_tool_use_block import BetaServerToolUseBlock
from .beta_text_block import BetaTextBlock
from .beta_text_editor_code_execution_tool_result_block import BetaTextEditorCodeExecutionToolResultBlock
from .beta_thinking_block import BetaThinkingBlock
from .beta_tool_search_tool_result_block import BetaToolSearchToolResultBlock
from .beta_tool_use_block import BetaToolUseBlock
from .beta_web_fetch_tool_result_block import BetaWebFetchToolResultBlock
from .beta_web_search_tool_result_block import BetaWebSearchToolResultBlock

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
