"""Request parameters of the beta Messages API, as ``TypedDict`` s.

Where a beta parameter has the shape of a non-beta one it is that ``TypedDict``
under its ``Beta`` name; the beta-only ones (MCP, compaction, context
management, structured-output format) are defined here.
"""

from typing import Dict, Iterable, Optional, Sequence, Union

from typing_extensions import Literal, Required, TypeAlias, TypedDict

from .._params import (
    Base64ImageSourceParam,
    Base64PDFSourceParam,
    CacheControlEphemeralParam,
    CitationCharLocationParam,
    CitationContentBlockLocationParam,
    CitationPageLocationParam,
    CitationsConfigParam,
    CitationSearchResultLocationParam,
    CitationWebSearchResultLocationParam,
    CodeExecutionTool20250825Param,
    ContainerUploadBlockParam,
    ContentBlockSourceContentParam,
    ContentBlockSourceParam,
    DirectCallerParam,
    DocumentBlockParam,
    FileDocumentSourceParam,
    FileImageSourceParam,
    ImageBlockParam,
    InputSchema,
    InputSchemaTyped,
    JSONOutputFormatParam,
    MetadataParam,
    OutputConfigParam,
    PlainTextSourceParam,
    RedactedThinkingBlockParam,
    SearchResultBlockParam,
    ServerToolCaller20260120Param,
    ServerToolCallerParam,
    ServerToolUseBlockParam,
    TextBlockParam,
    TextCitationParam,
    ThinkingBlockParam,
    ThinkingConfigAdaptiveParam,
    ThinkingConfigDisabledParam,
    ThinkingConfigEnabledParam,
    ThinkingConfigParam,
    ToolBash20250124Param,
    ToolChoiceAnyParam,
    ToolChoiceAutoParam,
    ToolChoiceNoneParam,
    ToolChoiceParam,
    ToolChoiceToolParam,
    ToolParam,
    ToolReferenceBlockParam,
    ToolResultBlockParam,
    ToolTextEditor20250728Param,
    ToolUseBlockParam,
    URLImageSourceParam,
    URLPDFSourceParam,
    UserLocationParam,
    WebFetchTool20250910Param,
    WebSearchResultBlockParam,
    WebSearchTool20250305Param,
    WebSearchToolRequestErrorParam,
    WebSearchToolResultBlockParam,
)
from ._messages import BetaContentBlock

__all__ = [
    "BetaCacheControlEphemeralParam",
    "BetaCitationsConfigParam",
    "BetaCitationCharLocationParam",
    "BetaCitationPageLocationParam",
    "BetaCitationContentBlockLocationParam",
    "BetaCitationWebSearchResultLocationParam",
    "BetaCitationSearchResultLocationParam",
    "BetaTextCitationParam",
    "BetaTextBlockParam",
    "BetaBase64ImageSourceParam",
    "BetaURLImageSourceParam",
    "BetaFileImageSourceParam",
    "BetaImageBlockParam",
    "BetaBase64PDFSourceParam",
    "BetaPlainTextSourceParam",
    "BetaContentBlockSourceContentParam",
    "BetaContentBlockSourceParam",
    "BetaURLPDFSourceParam",
    "BetaFileDocumentSourceParam",
    "BetaRequestDocumentBlockParam",
    "BetaBase64PDFBlockParam",
    "BetaSearchResultBlockParam",
    "BetaDirectCallerParam",
    "BetaServerToolCallerParam",
    "BetaServerToolCaller20260120Param",
    "BetaToolUseBlockParam",
    "BetaToolReferenceBlockParam",
    "BetaToolResultBlockParam",
    "BetaThinkingBlockParam",
    "BetaRedactedThinkingBlockParam",
    "BetaServerToolUseBlockParam",
    "BetaWebSearchResultBlockParam",
    "BetaWebSearchToolRequestErrorParam",
    "BetaWebSearchToolResultBlockParam",
    "BetaContainerUploadBlockParam",
    "BetaMCPToolUseBlockParam",
    "BetaRequestMCPToolResultBlockParam",
    "BetaCompactionBlockParam",
    "BetaContentBlockParam",
    "BetaMessageParam",
    "BetaMetadataParam",
    "BetaInputSchemaTyped",
    "BetaInputSchema",
    "BetaToolParam",
    "BetaUserLocationParam",
    "BetaWebSearchTool20250305Param",
    "BetaWebFetchTool20250910Param",
    "BetaToolBash20250124Param",
    "BetaToolTextEditor20250728Param",
    "BetaCodeExecutionTool20250825Param",
    "BetaMCPToolsetParam",
    "BetaToolUnionParam",
    "BetaToolChoiceAutoParam",
    "BetaToolChoiceAnyParam",
    "BetaToolChoiceToolParam",
    "BetaToolChoiceNoneParam",
    "BetaToolChoiceParam",
    "BetaThinkingConfigEnabledParam",
    "BetaThinkingConfigDisabledParam",
    "BetaThinkingConfigAdaptiveParam",
    "BetaThinkingConfigParam",
    "BetaJSONOutputFormatParam",
    "BetaOutputConfigParam",
    "BetaRequestMCPServerToolConfigurationParam",
    "BetaRequestMCPServerURLDefinitionParam",
    "BetaContextManagementConfigParam",
]

# -- the same shapes as the non-beta API ----------------------------------------------

BetaCacheControlEphemeralParam = CacheControlEphemeralParam
BetaCitationsConfigParam = CitationsConfigParam
BetaCitationCharLocationParam = CitationCharLocationParam
BetaCitationPageLocationParam = CitationPageLocationParam
BetaCitationContentBlockLocationParam = CitationContentBlockLocationParam
BetaCitationWebSearchResultLocationParam = CitationWebSearchResultLocationParam
BetaCitationSearchResultLocationParam = CitationSearchResultLocationParam
BetaTextCitationParam: TypeAlias = TextCitationParam
BetaTextBlockParam = TextBlockParam
BetaBase64ImageSourceParam = Base64ImageSourceParam
BetaURLImageSourceParam = URLImageSourceParam
BetaFileImageSourceParam = FileImageSourceParam
BetaImageBlockParam = ImageBlockParam
BetaBase64PDFSourceParam = Base64PDFSourceParam
BetaPlainTextSourceParam = PlainTextSourceParam
BetaContentBlockSourceContentParam: TypeAlias = ContentBlockSourceContentParam
BetaContentBlockSourceParam = ContentBlockSourceParam
BetaURLPDFSourceParam = URLPDFSourceParam
BetaFileDocumentSourceParam = FileDocumentSourceParam
BetaRequestDocumentBlockParam = DocumentBlockParam
BetaBase64PDFBlockParam = DocumentBlockParam
BetaSearchResultBlockParam = SearchResultBlockParam
BetaDirectCallerParam = DirectCallerParam
BetaServerToolCallerParam = ServerToolCallerParam
BetaServerToolCaller20260120Param = ServerToolCaller20260120Param
BetaToolUseBlockParam = ToolUseBlockParam
BetaToolReferenceBlockParam = ToolReferenceBlockParam
BetaToolResultBlockParam = ToolResultBlockParam
BetaThinkingBlockParam = ThinkingBlockParam
BetaRedactedThinkingBlockParam = RedactedThinkingBlockParam
BetaServerToolUseBlockParam = ServerToolUseBlockParam
BetaWebSearchResultBlockParam = WebSearchResultBlockParam
BetaWebSearchToolRequestErrorParam = WebSearchToolRequestErrorParam
BetaWebSearchToolResultBlockParam = WebSearchToolResultBlockParam
BetaContainerUploadBlockParam = ContainerUploadBlockParam
BetaMetadataParam = MetadataParam
BetaInputSchemaTyped = InputSchemaTyped
BetaInputSchema: TypeAlias = InputSchema
BetaToolParam = ToolParam
BetaUserLocationParam = UserLocationParam
BetaWebSearchTool20250305Param = WebSearchTool20250305Param
BetaWebFetchTool20250910Param = WebFetchTool20250910Param
BetaToolBash20250124Param = ToolBash20250124Param
BetaToolTextEditor20250728Param = ToolTextEditor20250728Param
BetaCodeExecutionTool20250825Param = CodeExecutionTool20250825Param
BetaToolChoiceAutoParam = ToolChoiceAutoParam
BetaToolChoiceAnyParam = ToolChoiceAnyParam
BetaToolChoiceToolParam = ToolChoiceToolParam
BetaToolChoiceNoneParam = ToolChoiceNoneParam
BetaToolChoiceParam: TypeAlias = ToolChoiceParam
BetaThinkingConfigEnabledParam = ThinkingConfigEnabledParam
BetaThinkingConfigDisabledParam = ThinkingConfigDisabledParam
BetaThinkingConfigAdaptiveParam = ThinkingConfigAdaptiveParam
BetaThinkingConfigParam: TypeAlias = ThinkingConfigParam
BetaJSONOutputFormatParam = JSONOutputFormatParam
BetaOutputConfigParam = OutputConfigParam


# -- beta-only content blocks -------------------------------------------------------------


class BetaMCPToolUseBlockParam(TypedDict, total=False):
    id: Required[str]
    input: Required[Dict[str, object]]
    name: Required[str]
    server_name: Required[str]
    """The name of the MCP server."""

    type: Required[Literal["mcp_tool_use"]]
    cache_control: Optional[CacheControlEphemeralParam]


class BetaRequestMCPToolResultBlockParam(TypedDict, total=False):
    tool_use_id: Required[str]
    type: Required[Literal["mcp_tool_result"]]
    cache_control: Optional[CacheControlEphemeralParam]
    content: Union[str, Iterable[TextBlockParam]]
    is_error: bool


class BetaCompactionBlockParam(TypedDict, total=False):
    type: Required[Literal["compaction"]]
    cache_control: Optional[CacheControlEphemeralParam]
    content: Optional[str]
    encrypted_content: Optional[str]
    signature: Optional[str]
    tool_changes: Optional[Iterable[Dict[str, object]]]


BetaContentBlockParam: TypeAlias = Union[
    TextBlockParam,
    ImageBlockParam,
    DocumentBlockParam,
    SearchResultBlockParam,
    ThinkingBlockParam,
    RedactedThinkingBlockParam,
    ToolUseBlockParam,
    ToolResultBlockParam,
    ServerToolUseBlockParam,
    WebSearchToolResultBlockParam,
    BetaMCPToolUseBlockParam,
    BetaRequestMCPToolResultBlockParam,
    ContainerUploadBlockParam,
    BetaCompactionBlockParam,
    BetaContentBlock,
]
"""A block of a beta request message; blocks of an earlier beta response may be passed back as they are."""


class BetaMessageParam(TypedDict, total=False):
    content: Required[Union[str, Iterable[BetaContentBlockParam]]]
    role: Required[Literal["user", "assistant"]]


# -- beta-only tools and request options ---------------------------------------------------


class BetaMCPToolsetParam(TypedDict, total=False):
    """The tools of one MCP server named in ``mcp_servers``, offered to the model."""

    mcp_server_name: Required[str]
    type: Required[Literal["mcp_toolset"]]
    cache_control: Optional[CacheControlEphemeralParam]
    configs: Optional[Dict[str, Dict[str, object]]]
    default_config: Dict[str, object]
    tools: Optional[Iterable[Dict[str, object]]]


BetaToolUnionParam: TypeAlias = Union[
    ToolParam,
    ToolBash20250124Param,
    CodeExecutionTool20250825Param,
    ToolTextEditor20250728Param,
    WebSearchTool20250305Param,
    WebFetchTool20250910Param,
    BetaMCPToolsetParam,
]


class BetaRequestMCPServerToolConfigurationParam(TypedDict, total=False):
    allowed_tools: Optional[Sequence[str]]
    enabled: Optional[bool]


class BetaRequestMCPServerURLDefinitionParam(TypedDict, total=False):
    name: Required[str]
    type: Required[Literal["url"]]
    url: Required[str]
    authorization_token: Optional[str]
    tool_configuration: Optional[BetaRequestMCPServerToolConfigurationParam]


class BetaContextManagementConfigParam(TypedDict, total=False):
    edits: Iterable[Dict[str, object]]
    """The edits to apply, each a dict with a ``type`` such as ``clear_tool_uses_20250919``."""
