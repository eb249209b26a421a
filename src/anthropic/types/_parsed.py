"""Messages whose text carries structured output parsed into a user type (hand-written).

Published at the official path ``anthropic.types.parsed_message`` (a generated
re-export of this module).

``ResponseFormatT`` is the type of ``parsed_output`` (``None`` when the request
asked for no structured output).  ``parsed_output`` is computed from the text
(the API never sends it), so it is left out of ``model_dump()``, as in the
official client, and so of any request a block is sent back in.
"""

from typing import TYPE_CHECKING, Any, Generic, Iterable, List, Optional, Union

import pydantic
from typing_extensions import TypeAlias, TypeVar

from . import (
    BashCodeExecutionToolResultBlock,
    CodeExecutionToolResultBlock,
    ContainerUploadBlock,
    Message,
    RedactedThinkingBlock,
    ServerToolUseBlock,
    TextBlock,
    TextEditorCodeExecutionToolResultBlock,
    ThinkingBlock,
    ToolSearchToolResultBlock,
    ToolUseBlock,
    WebFetchToolResultBlock,
    WebSearchToolResultBlock,
)
from ._union import UnknownContentBlock, tagged_union

__all__ = ["ResponseFormatT", "ParsedTextBlock", "ParsedContentBlock", "ParsedMessage", "first_parsed_output"]

ResponseFormatT = TypeVar("ResponseFormatT", default=None)


class ParsedTextBlock(TextBlock, Generic[ResponseFormatT]):
    if TYPE_CHECKING:
        parsed_output: Optional[ResponseFormatT] = pydantic.Field(default=None, exclude=True)
    else:
        # Any at runtime: the value is built by the caller, not validated from JSON.
        parsed_output: Optional[Any] = pydantic.Field(default=None, exclude=True)


ParsedContentBlock: TypeAlias = Union[
    ParsedTextBlock[ResponseFormatT],
    ThinkingBlock,
    RedactedThinkingBlock,
    ToolUseBlock,
    ServerToolUseBlock,
    WebSearchToolResultBlock,
    WebFetchToolResultBlock,
    CodeExecutionToolResultBlock,
    BashCodeExecutionToolResultBlock,
    TextEditorCodeExecutionToolResultBlock,
    ToolSearchToolResultBlock,
    ContainerUploadBlock,
]
if not TYPE_CHECKING:
    ParsedContentBlock = tagged_union(ParsedContentBlock, UnknownContentBlock, "type")


class ParsedMessage(Message, Generic[ResponseFormatT]):
    if TYPE_CHECKING:
        content: List[ParsedContentBlock[ResponseFormatT]]  # type: ignore[assignment]
    else:
        content: List[ParsedContentBlock]

    @property
    def parsed_output(self) -> Optional[ResponseFormatT]:
        """The structured output of the first text block that has one."""
        value: Optional[ResponseFormatT] = first_parsed_output(self.content)
        return value


def first_parsed_output(content: Iterable[Any]) -> Any:
    """The ``parsed_output`` of the first text block in ``content`` that has one, else ``None``."""
    for block in content:
        if block.type == "text":
            value = getattr(block, "parsed_output", None)
            if value is not None:
                return value
    return None
