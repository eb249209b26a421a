"""Response models of the beta Messages API.

A beta class whose shape equals a non-beta one subclasses it (so
``isinstance(block, TextBlock)`` holds for a ``BetaTextBlock`` too) and adds
only what the beta has on top.  Objects nested inside blocks (citations,
server-tool results, callers) are the non-beta classes under their ``Beta``
names.  Unknown types fall back to the ``BetaUnknown*`` models, every field kept.
"""

from typing import TYPE_CHECKING, Dict, List, Optional, Union

from typing_extensions import Literal, TypeAlias

from ..._models import BaseModel
from .._blocks import (
    Base64PDFSource,
    BashCodeExecutionOutputBlock,
    BashCodeExecutionResultBlock,
    BashCodeExecutionToolResultBlock,
    BashCodeExecutionToolResultError,
    BashCodeExecutionToolResultErrorCode,
    CodeExecutionOutputBlock,
    CodeExecutionResultBlock,
    CodeExecutionToolResultBlock,
    CodeExecutionToolResultBlockContent,
    CodeExecutionToolResultError,
    CodeExecutionToolResultErrorCode,
    ContainerUploadBlock,
    DocumentBlock,
    EncryptedCodeExecutionResultBlock,
    PlainTextSource,
    RedactedThinkingBlock,
    ServerToolUseBlock,
    TextBlock,
    TextEditorCodeExecutionCreateResultBlock,
    TextEditorCodeExecutionStrReplaceResultBlock,
    TextEditorCodeExecutionToolResultBlock,
    TextEditorCodeExecutionToolResultError,
    TextEditorCodeExecutionToolResultErrorCode,
    TextEditorCodeExecutionViewResultBlock,
    ThinkingBlock,
    ToolReferenceBlock,
    ToolSearchToolResultBlock,
    ToolSearchToolResultError,
    ToolSearchToolResultErrorCode,
    ToolSearchToolSearchResultBlock,
    ToolUseBlock,
    WebFetchBlock,
    WebFetchToolResultBlock,
    WebFetchToolResultErrorBlock,
    WebFetchToolResultErrorCode,
    WebSearchResultBlock,
    WebSearchToolResultBlock,
    WebSearchToolResultBlockContent,
    WebSearchToolResultError,
    WebSearchToolResultErrorCode,
)
from .._common import (
    CacheCreation,
    Caller,
    Citation,
    CitationCharLocation,
    CitationContentBlockLocation,
    CitationPageLocation,
    CitationsConfig,
    CitationsSearchResultLocation,
    CitationsWebSearchResultLocation,
    Container,
    ContainerSkill,
    Diagnostics,
    DirectCaller,
    MessageDeltaUsage,
    MessageTokensCount,
    Model,
    OutputTokensDetails,
    RefusalStopDetails,
    ServerToolCaller,
    ServerToolCaller20260120,
    ServerToolUsage,
    TextCitation,
    Usage,
)
from .._message import Message
from .._stream import (
    CitationsDelta,
    Delta,
    InputJSONDelta,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    SignatureDelta,
    TextDelta,
    ThinkingDelta,
)
from .._union import (
    UnknownContentBlock,
    UnknownDelta,
    UnknownObject,
    UnknownStreamEvent,
    tagged_union,
    type_table,
)

__all__ = [
    "BetaStopReason",
    # shared with the non-beta API
    "BetaCitationCharLocation",
    "BetaCitationPageLocation",
    "BetaCitationContentBlockLocation",
    "BetaCitationsWebSearchResultLocation",
    "BetaCitationSearchResultLocation",
    "BetaTextCitation",
    "BetaCitation",
    "BetaCitationConfig",
    "BetaCacheCreation",
    "BetaServerToolUsage",
    "BetaOutputTokensDetails",
    "BetaContainer",
    "BetaContainerSkill",
    "BetaDiagnostics",
    "BetaDirectCaller",
    "BetaServerToolCaller",
    "BetaServerToolCaller20260120",
    "BetaToolUseCaller",
    "BetaWebSearchResultBlock",
    "BetaWebSearchToolResultError",
    "BetaWebSearchToolResultErrorObject",
    "BetaWebSearchToolResultErrorCode",
    "BetaWebSearchToolResultBlockContent",
    "BetaBase64PDFSource",
    "BetaPlainTextSource",
    "BetaDocumentBlock",
    "BetaWebFetchBlock",
    "BetaWebFetchToolResultErrorBlock",
    "BetaWebFetchToolResultErrorCode",
    "BetaCodeExecutionOutputBlock",
    "BetaCodeExecutionResultBlock",
    "BetaEncryptedCodeExecutionResultBlock",
    "BetaCodeExecutionToolResultError",
    "BetaCodeExecutionToolResultErrorObject",
    "BetaCodeExecutionToolResultErrorCode",
    "BetaCodeExecutionToolResultBlockContent",
    "BetaBashCodeExecutionOutputBlock",
    "BetaBashCodeExecutionResultBlock",
    "BetaBashCodeExecutionToolResultError",
    "BetaBashCodeExecutionToolResultErrorObject",
    "BetaBashCodeExecutionToolResultErrorCode",
    "BetaTextEditorCodeExecutionViewResultBlock",
    "BetaTextEditorCodeExecutionCreateResultBlock",
    "BetaTextEditorCodeExecutionStrReplaceResultBlock",
    "BetaTextEditorCodeExecutionToolResultError",
    "BetaTextEditorCodeExecutionToolResultErrorObject",
    "BetaTextEditorCodeExecutionToolResultErrorCode",
    "BetaToolReferenceBlock",
    "BetaToolSearchToolSearchResultBlock",
    "BetaToolSearchToolResultError",
    "BetaToolSearchToolResultErrorObject",
    "BetaToolSearchToolResultErrorCode",
    # content blocks
    "BetaTextBlock",
    "BetaThinkingBlock",
    "BetaRedactedThinkingBlock",
    "BetaToolUseBlock",
    "BetaServerToolUseBlock",
    "BetaWebSearchToolResultBlock",
    "BetaWebFetchToolResultBlock",
    "BetaCodeExecutionToolResultBlock",
    "BetaBashCodeExecutionToolResultBlock",
    "BetaTextEditorCodeExecutionToolResultBlock",
    "BetaToolSearchToolResultBlock",
    "BetaMCPToolUseBlock",
    "BetaMCPToolResultBlock",
    "BetaContainerUploadBlock",
    "BetaCompactionBlock",
    "BetaUnknownContentBlock",
    "BetaContentBlock",
    "BETA_BLOCK_TYPES",
    # deltas
    "BetaTextDelta",
    "BetaInputJSONDelta",
    "BetaCitationsDelta",
    "BetaThinkingDelta",
    "BetaSignatureDelta",
    "BetaCompactionContentBlockDelta",
    "BetaUnknownDelta",
    "BetaRawContentBlockDelta",
    "BETA_DELTA_TYPES",
    # usage and message
    "BetaMessageIterationUsage",
    "BetaCompactionIterationUsage",
    "BetaIterationsUsageItem",
    "BetaIterationsUsage",
    "BetaUsage",
    "BetaMessageDeltaUsage",
    "BetaRefusalStopDetails",
    "BetaClearToolUses20250919EditResponse",
    "BetaClearThinking20251015EditResponse",
    "BetaContextManagementResponse",
    "BetaCountTokensContextManagementResponse",
    "BetaMessage",
    "BetaMessageTokensCount",
    # events
    "BetaDelta",
    "BetaRawMessageStartEvent",
    "BetaRawMessageDeltaEvent",
    "BetaRawMessageStopEvent",
    "BetaRawContentBlockStartEvent",
    "BetaRawContentBlockDeltaEvent",
    "BetaRawContentBlockStopEvent",
    "BetaUnknownStreamEvent",
    "BetaRawMessageStreamEvent",
    "BETA_EVENT_TYPES",
]

BetaStopReason: TypeAlias = Literal[
    "end_turn",
    "max_tokens",
    "stop_sequence",
    "tool_use",
    "pause_turn",
    "compaction",
    "refusal",
    "model_context_window_exceeded",
]
_BetaServerToolName: TypeAlias = Literal[
    "advisor",
    "web_search",
    "web_fetch",
    "code_execution",
    "bash_code_execution",
    "text_editor_code_execution",
    "tool_search_tool_regex",
    "tool_search_tool_bm25",
]
if not TYPE_CHECKING:
    BetaStopReason = Union[BetaStopReason, str]
    _BetaServerToolName = Union[_BetaServerToolName, str]


# -- shapes shared with the non-beta API ----------------------------------------------

BetaCitationCharLocation = CitationCharLocation
BetaCitationPageLocation = CitationPageLocation
BetaCitationContentBlockLocation = CitationContentBlockLocation
BetaCitationsWebSearchResultLocation = CitationsWebSearchResultLocation
BetaCitationSearchResultLocation = CitationsSearchResultLocation
BetaTextCitation: TypeAlias = TextCitation
BetaCitation: TypeAlias = Citation
BetaCitationConfig = CitationsConfig
BetaCacheCreation = CacheCreation
BetaServerToolUsage = ServerToolUsage
BetaOutputTokensDetails = OutputTokensDetails
BetaContainer = Container
BetaContainerSkill = ContainerSkill
BetaDiagnostics = Diagnostics
BetaDirectCaller = DirectCaller
BetaServerToolCaller = ServerToolCaller
BetaServerToolCaller20260120 = ServerToolCaller20260120
BetaToolUseCaller: TypeAlias = Caller
BetaWebSearchResultBlock = WebSearchResultBlock
BetaWebSearchToolResultError = WebSearchToolResultError
BetaWebSearchToolResultErrorObject = WebSearchToolResultError
BetaWebSearchToolResultErrorCode: TypeAlias = WebSearchToolResultErrorCode
BetaWebSearchToolResultBlockContent: TypeAlias = WebSearchToolResultBlockContent
BetaBase64PDFSource = Base64PDFSource
BetaPlainTextSource = PlainTextSource
BetaDocumentBlock = DocumentBlock
BetaWebFetchBlock = WebFetchBlock
BetaWebFetchToolResultErrorBlock = WebFetchToolResultErrorBlock
BetaWebFetchToolResultErrorCode: TypeAlias = WebFetchToolResultErrorCode
BetaCodeExecutionOutputBlock = CodeExecutionOutputBlock
BetaCodeExecutionResultBlock = CodeExecutionResultBlock
BetaEncryptedCodeExecutionResultBlock = EncryptedCodeExecutionResultBlock
BetaCodeExecutionToolResultError = CodeExecutionToolResultError
BetaCodeExecutionToolResultErrorObject = CodeExecutionToolResultError
BetaCodeExecutionToolResultErrorCode: TypeAlias = CodeExecutionToolResultErrorCode
BetaCodeExecutionToolResultBlockContent: TypeAlias = CodeExecutionToolResultBlockContent
BetaBashCodeExecutionOutputBlock = BashCodeExecutionOutputBlock
BetaBashCodeExecutionResultBlock = BashCodeExecutionResultBlock
BetaBashCodeExecutionToolResultError = BashCodeExecutionToolResultError
BetaBashCodeExecutionToolResultErrorObject = BashCodeExecutionToolResultError
BetaBashCodeExecutionToolResultErrorCode: TypeAlias = BashCodeExecutionToolResultErrorCode
BetaTextEditorCodeExecutionViewResultBlock = TextEditorCodeExecutionViewResultBlock
BetaTextEditorCodeExecutionCreateResultBlock = TextEditorCodeExecutionCreateResultBlock
BetaTextEditorCodeExecutionStrReplaceResultBlock = TextEditorCodeExecutionStrReplaceResultBlock
BetaTextEditorCodeExecutionToolResultError = TextEditorCodeExecutionToolResultError
BetaTextEditorCodeExecutionToolResultErrorObject = TextEditorCodeExecutionToolResultError
BetaTextEditorCodeExecutionToolResultErrorCode: TypeAlias = TextEditorCodeExecutionToolResultErrorCode
BetaToolReferenceBlock = ToolReferenceBlock
BetaToolSearchToolSearchResultBlock = ToolSearchToolSearchResultBlock
BetaToolSearchToolResultError = ToolSearchToolResultError
BetaToolSearchToolResultErrorObject = ToolSearchToolResultError
BetaToolSearchToolResultErrorCode: TypeAlias = ToolSearchToolResultErrorCode


# -- content blocks ----------------------------------------------------------------------


class BetaTextBlock(TextBlock):
    pass


class BetaThinkingBlock(ThinkingBlock):
    pass


class BetaRedactedThinkingBlock(RedactedThinkingBlock):
    pass


class BetaToolUseBlock(ToolUseBlock):
    pass


class BetaServerToolUseBlock(ServerToolUseBlock):
    name: _BetaServerToolName  # type: ignore[assignment]


class BetaWebSearchToolResultBlock(WebSearchToolResultBlock):
    pass


class BetaWebFetchToolResultBlock(WebFetchToolResultBlock):
    pass


class BetaCodeExecutionToolResultBlock(CodeExecutionToolResultBlock):
    pass


class BetaBashCodeExecutionToolResultBlock(BashCodeExecutionToolResultBlock):
    pass


class BetaTextEditorCodeExecutionToolResultBlock(TextEditorCodeExecutionToolResultBlock):
    pass


class BetaToolSearchToolResultBlock(ToolSearchToolResultBlock):
    pass


class BetaContainerUploadBlock(ContainerUploadBlock):
    pass


class BetaMCPToolUseBlock(BaseModel):
    id: str
    input: Dict[str, object]
    name: str
    """The name of the MCP tool."""

    server_name: str
    """The name of the MCP server."""

    type: Literal["mcp_tool_use"]


class BetaMCPToolResultBlock(BaseModel):
    content: Union[str, List[BetaTextBlock]]
    is_error: bool
    tool_use_id: str
    type: Literal["mcp_tool_result"]


class BetaCompactionBlock(BaseModel):
    """A summary of the earlier conversation, written when the context was compacted."""

    content: Optional[str] = None
    encrypted_content: Optional[str] = None
    type: Literal["compaction"]
    signature: Optional[str] = None
    tool_changes: Optional[List[UnknownObject]] = None


class BetaUnknownContentBlock(UnknownContentBlock):
    """A beta content block of a type this version of the library does not know."""


BetaContentBlock: TypeAlias = Union[
    BetaTextBlock,
    BetaThinkingBlock,
    BetaRedactedThinkingBlock,
    BetaToolUseBlock,
    BetaServerToolUseBlock,
    BetaWebSearchToolResultBlock,
    BetaWebFetchToolResultBlock,
    BetaCodeExecutionToolResultBlock,
    BetaBashCodeExecutionToolResultBlock,
    BetaTextEditorCodeExecutionToolResultBlock,
    BetaToolSearchToolResultBlock,
    BetaMCPToolUseBlock,
    BetaMCPToolResultBlock,
    BetaContainerUploadBlock,
    BetaCompactionBlock,
]
BETA_BLOCK_TYPES = type_table(BetaContentBlock)
if not TYPE_CHECKING:
    BetaContentBlock = tagged_union(BetaContentBlock, BetaUnknownContentBlock)


# -- deltas ----------------------------------------------------------------------------------


class BetaTextDelta(TextDelta):
    pass


class BetaInputJSONDelta(InputJSONDelta):
    pass


class BetaCitationsDelta(CitationsDelta):
    pass


class BetaThinkingDelta(ThinkingDelta):
    estimated_tokens: Optional[int] = None


class BetaSignatureDelta(SignatureDelta):
    pass


class BetaCompactionContentBlockDelta(BaseModel):
    content: Optional[str] = None
    encrypted_content: Optional[str] = None
    type: Literal["compaction_delta"]


class BetaUnknownDelta(UnknownDelta):
    """A beta content-block delta of a type this version of the library does not know."""


BetaRawContentBlockDelta: TypeAlias = Union[
    BetaTextDelta,
    BetaInputJSONDelta,
    BetaCitationsDelta,
    BetaThinkingDelta,
    BetaSignatureDelta,
    BetaCompactionContentBlockDelta,
]
BETA_DELTA_TYPES = type_table(BetaRawContentBlockDelta)
if not TYPE_CHECKING:
    BetaRawContentBlockDelta = tagged_union(BetaRawContentBlockDelta, BetaUnknownDelta)


# -- usage ----------------------------------------------------------------------------------


class BetaMessageIterationUsage(BaseModel):
    cache_creation: Optional[CacheCreation] = None
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    input_tokens: int
    model: Optional[Model] = None
    output_tokens: int
    type: Literal["message"]


class BetaCompactionIterationUsage(BaseModel):
    cache_creation: Optional[CacheCreation] = None
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    input_tokens: int
    output_tokens: int
    type: Literal["compaction"]


BetaIterationsUsageItem: TypeAlias = Union[BetaMessageIterationUsage, BetaCompactionIterationUsage]
if not TYPE_CHECKING:
    BetaIterationsUsageItem = tagged_union(BetaIterationsUsageItem, UnknownObject)
BetaIterationsUsage: TypeAlias = List[BetaIterationsUsageItem]
"""Per-iteration token usage (sampling iterations of a server-side tool loop, compactions)."""


class BetaUsage(Usage):
    fallback_credit: Optional[UnknownObject] = None
    iterations: Optional[BetaIterationsUsage] = None


class BetaMessageDeltaUsage(MessageDeltaUsage):
    fallback_credit: Optional[UnknownObject] = None
    iterations: Optional[BetaIterationsUsage] = None


# -- message ---------------------------------------------------------------------------------


class BetaRefusalStopDetails(RefusalStopDetails):
    fallback_credit_token: Optional[str] = None
    fallback_has_prefill_claim: Optional[bool] = None
    recommended_model: Optional[str] = None


class BetaClearToolUses20250919EditResponse(BaseModel):
    cleared_input_tokens: int
    cleared_tool_uses: int
    type: Literal["clear_tool_uses_20250919"]


class BetaClearThinking20251015EditResponse(BaseModel):
    cleared_input_tokens: int
    cleared_thinking_turns: int
    type: Literal["clear_thinking_20251015"]


_AppliedEdit: TypeAlias = Union[BetaClearToolUses20250919EditResponse, BetaClearThinking20251015EditResponse]
if not TYPE_CHECKING:
    _AppliedEdit = tagged_union(_AppliedEdit, UnknownObject)


class BetaContextManagementResponse(BaseModel):
    applied_edits: List[_AppliedEdit]
    """The context-management edits applied to the request."""


class BetaCountTokensContextManagementResponse(BaseModel):
    original_input_tokens: int


class BetaMessage(Message):
    content: List[BetaContentBlock]  # type: ignore[assignment]
    context_management: Optional[BetaContextManagementResponse] = None
    stop_details: Optional[BetaRefusalStopDetails] = None
    stop_reason: Optional[BetaStopReason] = None  # type: ignore[assignment]
    usage: BetaUsage
    input_transformations: Optional[List[UnknownObject]] = None
    """Changes the API made to the request's input (each has a ``type``, ``path`` and ``reason``)."""


class BetaMessageTokensCount(MessageTokensCount):
    context_management: Optional[BetaCountTokensContextManagementResponse] = None


# -- events -------------------------------------------------------------------------------------


class BetaDelta(Delta):
    """The message-level changes a beta ``message_delta`` event carries."""

    stop_details: Optional[BetaRefusalStopDetails] = None
    stop_reason: Optional[BetaStopReason] = None  # type: ignore[assignment]


class BetaRawMessageStartEvent(RawMessageStartEvent):
    message: BetaMessage


class BetaRawMessageDeltaEvent(RawMessageDeltaEvent):
    context_management: Optional[BetaContextManagementResponse] = None
    delta: BetaDelta
    usage: BetaMessageDeltaUsage
    input_transformations: Optional[List[UnknownObject]] = None


class BetaRawMessageStopEvent(RawMessageStopEvent):
    pass


class BetaRawContentBlockStartEvent(RawContentBlockStartEvent):
    content_block: BetaContentBlock  # type: ignore[assignment]


class BetaRawContentBlockDeltaEvent(RawContentBlockDeltaEvent):
    delta: BetaRawContentBlockDelta  # type: ignore[assignment]


class BetaRawContentBlockStopEvent(RawContentBlockStopEvent):
    pass


class BetaUnknownStreamEvent(UnknownStreamEvent):
    """A beta stream event of a type this version of the library does not know."""


BetaRawMessageStreamEvent: TypeAlias = Union[
    BetaRawMessageStartEvent,
    BetaRawMessageDeltaEvent,
    BetaRawMessageStopEvent,
    BetaRawContentBlockStartEvent,
    BetaRawContentBlockDeltaEvent,
    BetaRawContentBlockStopEvent,
]
BETA_EVENT_TYPES = type_table(BetaRawMessageStreamEvent)
if not TYPE_CHECKING:
    BetaRawMessageStreamEvent = tagged_union(BetaRawMessageStreamEvent, BetaUnknownStreamEvent)
