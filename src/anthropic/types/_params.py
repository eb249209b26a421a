"""Request parameters, as ``TypedDict`` s: plain dicts type-check against them.

Keys marked ``Required`` must be present; the others may be left out.  Nothing
here is checked at runtime: the dicts go on the wire as they are.
"""

import os
from typing import IO, Dict, Iterable, List, Optional, Sequence, Union

from typing_extensions import Literal, Required, TypeAlias, TypedDict

from ._blocks import ContentBlock
from ._common import Model

__all__ = [
    "ModelParam",
    "AnthropicBetaParam",
    "CacheControlEphemeralParam",
    "CitationsConfigParam",
    "CitationCharLocationParam",
    "CitationPageLocationParam",
    "CitationContentBlockLocationParam",
    "CitationWebSearchResultLocationParam",
    "CitationSearchResultLocationParam",
    "TextCitationParam",
    "TextBlockParam",
    "Base64ImageSourceParam",
    "URLImageSourceParam",
    "FileImageSourceParam",
    "ImageBlockParam",
    "Base64PDFSourceParam",
    "PlainTextSourceParam",
    "ContentBlockSourceContentParam",
    "ContentBlockSourceParam",
    "URLPDFSourceParam",
    "FileDocumentSourceParam",
    "DocumentBlockParam",
    "SearchResultBlockParam",
    "DirectCallerParam",
    "ServerToolCallerParam",
    "ServerToolCaller20260120Param",
    "ToolUseBlockParam",
    "ToolReferenceBlockParam",
    "ToolResultBlockParam",
    "ThinkingBlockParam",
    "RedactedThinkingBlockParam",
    "ServerToolUseBlockParam",
    "WebSearchResultBlockParam",
    "WebSearchToolRequestErrorParam",
    "WebSearchToolResultBlockParamContentParam",
    "WebSearchToolResultBlockParam",
    "ContainerUploadBlockParam",
    "ContentBlockParam",
    "MessageParam",
    "MetadataParam",
    "InputSchemaTyped",
    "InputSchema",
    "ToolParam",
    "UserLocationParam",
    "WebSearchTool20250305Param",
    "WebFetchTool20250910Param",
    "ToolBash20250124Param",
    "ToolTextEditor20250728Param",
    "CodeExecutionTool20250825Param",
    "ToolUnionParam",
    "ToolChoiceAutoParam",
    "ToolChoiceAnyParam",
    "ToolChoiceToolParam",
    "ToolChoiceNoneParam",
    "ToolChoiceParam",
    "ThinkingConfigEnabledParam",
    "ThinkingConfigDisabledParam",
    "ThinkingConfigAdaptiveParam",
    "ThinkingConfigParam",
    "JSONOutputFormatParam",
    "OutputConfigParam",
]

ModelParam: TypeAlias = Model

AnthropicBetaParam: TypeAlias = Union[
    str,
    Literal[
        "message-batches-2024-09-24",
        "prompt-caching-2024-07-31",
        "computer-use-2024-10-22",
        "computer-use-2025-01-24",
        "computer-use-2025-11-24",
        "pdfs-2024-09-25",
        "token-counting-2024-11-01",
        "token-efficient-tools-2025-02-19",
        "output-128k-2025-02-19",
        "files-api-2025-04-14",
        "mcp-client-2025-04-04",
        "mcp-client-2025-11-20",
        "dev-full-thinking-2025-05-14",
        "interleaved-thinking-2025-05-14",
        "code-execution-2025-05-22",
        "extended-cache-ttl-2025-04-11",
        "context-1m-2025-08-07",
        "context-management-2025-06-27",
        "model-context-window-exceeded-2025-08-26",
        "skills-2025-10-02",
        "structured-outputs-2025-11-13",
        "compact-2026-01-12",
        "fast-mode-2026-02-01",
    ],
]
"""A beta feature name, as sent in the ``anthropic-beta`` header."""


# -- shared pieces ---------------------------------------------------------------


class CacheControlEphemeralParam(TypedDict, total=False):
    type: Required[Literal["ephemeral"]]
    ttl: Literal["5m", "1h"]
    """How long the cache entry lives: ``5m`` (the default) or ``1h``."""


class CitationsConfigParam(TypedDict, total=False):
    enabled: bool


class CitationCharLocationParam(TypedDict, total=False):
    cited_text: Required[str]
    document_index: Required[int]
    document_title: Required[Optional[str]]
    end_char_index: Required[int]
    start_char_index: Required[int]
    type: Required[Literal["char_location"]]


class CitationPageLocationParam(TypedDict, total=False):
    cited_text: Required[str]
    document_index: Required[int]
    document_title: Required[Optional[str]]
    end_page_number: Required[int]
    start_page_number: Required[int]
    type: Required[Literal["page_location"]]


class CitationContentBlockLocationParam(TypedDict, total=False):
    cited_text: Required[str]
    document_index: Required[int]
    document_title: Required[Optional[str]]
    end_block_index: Required[int]
    start_block_index: Required[int]
    type: Required[Literal["content_block_location"]]


class CitationWebSearchResultLocationParam(TypedDict, total=False):
    cited_text: Required[str]
    encrypted_index: Required[str]
    title: Required[Optional[str]]
    type: Required[Literal["web_search_result_location"]]
    url: Required[str]


class CitationSearchResultLocationParam(TypedDict, total=False):
    cited_text: Required[str]
    end_block_index: Required[int]
    search_result_index: Required[int]
    source: Required[str]
    start_block_index: Required[int]
    title: Required[Optional[str]]
    type: Required[Literal["search_result_location"]]


TextCitationParam: TypeAlias = Union[
    CitationCharLocationParam,
    CitationPageLocationParam,
    CitationContentBlockLocationParam,
    CitationWebSearchResultLocationParam,
    CitationSearchResultLocationParam,
]


# -- content blocks ------------------------------------------------------------------


class TextBlockParam(TypedDict, total=False):
    text: Required[str]
    type: Required[Literal["text"]]
    cache_control: Optional[CacheControlEphemeralParam]
    citations: Optional[Iterable[TextCitationParam]]


class Base64ImageSourceParam(TypedDict, total=False):
    data: Required[Union[str, IO[bytes], os.PathLike[str]]]
    media_type: Required[Literal["image/jpeg", "image/png", "image/gif", "image/webp"]]
    type: Required[Literal["base64"]]


class URLImageSourceParam(TypedDict, total=False):
    type: Required[Literal["url"]]
    url: Required[str]


class FileImageSourceParam(TypedDict, total=False):
    file_id: Required[str]
    type: Required[Literal["file"]]


class ImageBlockParam(TypedDict, total=False):
    source: Required[Union[Base64ImageSourceParam, URLImageSourceParam, FileImageSourceParam]]
    type: Required[Literal["image"]]
    cache_control: Optional[CacheControlEphemeralParam]


class Base64PDFSourceParam(TypedDict, total=False):
    data: Required[Union[str, IO[bytes], os.PathLike[str]]]
    media_type: Required[Literal["application/pdf"]]
    type: Required[Literal["base64"]]


class PlainTextSourceParam(TypedDict, total=False):
    data: Required[str]
    media_type: Required[Literal["text/plain"]]
    type: Required[Literal["text"]]


ContentBlockSourceContentParam: TypeAlias = Union[TextBlockParam, ImageBlockParam]


class ContentBlockSourceParam(TypedDict, total=False):
    content: Required[Union[str, Iterable[ContentBlockSourceContentParam]]]
    type: Required[Literal["content"]]


class URLPDFSourceParam(TypedDict, total=False):
    type: Required[Literal["url"]]
    url: Required[str]


class FileDocumentSourceParam(TypedDict, total=False):
    file_id: Required[str]
    type: Required[Literal["file"]]


class DocumentBlockParam(TypedDict, total=False):
    source: Required[
        Union[
            Base64PDFSourceParam,
            PlainTextSourceParam,
            ContentBlockSourceParam,
            URLPDFSourceParam,
            FileDocumentSourceParam,
        ]
    ]
    type: Required[Literal["document"]]
    cache_control: Optional[CacheControlEphemeralParam]
    citations: Optional[CitationsConfigParam]
    context: Optional[str]
    title: Optional[str]


class SearchResultBlockParam(TypedDict, total=False):
    content: Required[Iterable[TextBlockParam]]
    source: Required[str]
    title: Required[str]
    type: Required[Literal["search_result"]]
    cache_control: Optional[CacheControlEphemeralParam]
    citations: CitationsConfigParam


class DirectCallerParam(TypedDict, total=False):
    type: Required[Literal["direct"]]


class ServerToolCallerParam(TypedDict, total=False):
    tool_id: Required[str]
    type: Required[Literal["code_execution_20250825"]]


class ServerToolCaller20260120Param(TypedDict, total=False):
    tool_id: Required[str]
    type: Required[Literal["code_execution_20260120"]]


_CallerParam: TypeAlias = Union[DirectCallerParam, ServerToolCallerParam, ServerToolCaller20260120Param]


class ToolUseBlockParam(TypedDict, total=False):
    id: Required[str]
    input: Required[Dict[str, object]]
    name: Required[str]
    type: Required[Literal["tool_use"]]
    cache_control: Optional[CacheControlEphemeralParam]
    caller: _CallerParam
    toolset_name: Optional[str]


class ToolReferenceBlockParam(TypedDict, total=False):
    tool_name: Required[str]
    type: Required[Literal["tool_reference"]]
    cache_control: Optional[CacheControlEphemeralParam]


class ToolResultBlockParam(TypedDict, total=False):
    tool_use_id: Required[str]
    type: Required[Literal["tool_result"]]
    cache_control: Optional[CacheControlEphemeralParam]
    content: Union[
        str,
        Iterable[
            Union[
                TextBlockParam,
                ImageBlockParam,
                SearchResultBlockParam,
                DocumentBlockParam,
                ToolReferenceBlockParam,
            ]
        ],
    ]
    is_error: bool
    toolset_name: Optional[str]


class ThinkingBlockParam(TypedDict, total=False):
    signature: Required[str]
    thinking: Required[str]
    type: Required[Literal["thinking"]]


class RedactedThinkingBlockParam(TypedDict, total=False):
    data: Required[str]
    type: Required[Literal["redacted_thinking"]]


class ServerToolUseBlockParam(TypedDict, total=False):
    id: Required[str]
    input: Required[Dict[str, object]]
    name: Required[
        Literal[
            "web_search",
            "web_fetch",
            "code_execution",
            "bash_code_execution",
            "text_editor_code_execution",
            "tool_search_tool_regex",
            "tool_search_tool_bm25",
        ]
    ]
    type: Required[Literal["server_tool_use"]]
    cache_control: Optional[CacheControlEphemeralParam]
    caller: _CallerParam


class WebSearchResultBlockParam(TypedDict, total=False):
    encrypted_content: Required[str]
    title: Required[str]
    type: Required[Literal["web_search_result"]]
    url: Required[str]
    page_age: Optional[str]


class WebSearchToolRequestErrorParam(TypedDict, total=False):
    error_code: Required[
        Literal[
            "invalid_tool_input",
            "unavailable",
            "max_uses_exceeded",
            "too_many_requests",
            "query_too_long",
            "request_too_large",
        ]
    ]
    type: Required[Literal["web_search_tool_result_error"]]


WebSearchToolResultBlockParamContentParam: TypeAlias = Union[
    Iterable[WebSearchResultBlockParam], WebSearchToolRequestErrorParam
]


class WebSearchToolResultBlockParam(TypedDict, total=False):
    content: Required[WebSearchToolResultBlockParamContentParam]
    tool_use_id: Required[str]
    type: Required[Literal["web_search_tool_result"]]
    cache_control: Optional[CacheControlEphemeralParam]
    caller: _CallerParam


class ContainerUploadBlockParam(TypedDict, total=False):
    file_id: Required[str]
    type: Required[Literal["container_upload"]]
    cache_control: Optional[CacheControlEphemeralParam]


ContentBlockParam: TypeAlias = Union[
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
    ContainerUploadBlockParam,
]


class MessageParam(TypedDict, total=False):
    content: Required[Union[str, Iterable[Union[ContentBlockParam, ContentBlock]]]]
    """A string, or a list of blocks (blocks of an earlier response may be passed back as they are)."""

    role: Required[Literal["user", "assistant"]]


class MetadataParam(TypedDict, total=False):
    user_id: Optional[str]
    """An external identifier for the user of the request (a uuid or hash, never personal data)."""


# -- tools --------------------------------------------------------------------------------

_AllowedCaller: TypeAlias = Literal[
    "direct", "code_execution_20250825", "code_execution_20260120", "code_execution_20260521"
]


class InputSchemaTyped(TypedDict, total=False):
    type: Required[Literal["object"]]
    properties: Optional[Dict[str, object]]
    required: Optional[Sequence[str]]


InputSchema: TypeAlias = Union[InputSchemaTyped, Dict[str, object]]


class ToolParam(TypedDict, total=False):
    input_schema: Required[InputSchema]
    """The JSON schema of the tool's input (the shape of ``input`` in its ``tool_use`` blocks)."""

    name: Required[str]
    """The name the model calls the tool by."""

    allowed_callers: List[_AllowedCaller]
    cache_control: Optional[CacheControlEphemeralParam]
    defer_loading: bool
    description: str
    """What the tool does; the more detail, the better the model uses it."""

    eager_input_streaming: Optional[bool]
    input_examples: Iterable[Dict[str, object]]
    strict: bool
    type: Optional[Literal["custom"]]


class UserLocationParam(TypedDict, total=False):
    type: Required[Literal["approximate"]]
    city: Optional[str]
    country: Optional[str]
    """Two-letter ISO country code."""

    region: Optional[str]
    timezone: Optional[str]
    """IANA time zone name."""


class WebSearchTool20250305Param(TypedDict, total=False):
    name: Required[Literal["web_search"]]
    type: Required[Literal["web_search_20250305"]]
    allowed_callers: List[_AllowedCaller]
    allowed_domains: Optional[Sequence[str]]
    blocked_domains: Optional[Sequence[str]]
    cache_control: Optional[CacheControlEphemeralParam]
    defer_loading: bool
    max_uses: Optional[int]
    strict: bool
    user_location: Optional[UserLocationParam]


class WebFetchTool20250910Param(TypedDict, total=False):
    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20250910"]]
    allowed_callers: List[_AllowedCaller]
    allowed_domains: Optional[Sequence[str]]
    blocked_domains: Optional[Sequence[str]]
    cache_control: Optional[CacheControlEphemeralParam]
    citations: Optional[CitationsConfigParam]
    defer_loading: bool
    max_content_tokens: Optional[int]
    max_uses: Optional[int]
    strict: bool
    url_sources: Optional[Dict[str, object]]


class ToolBash20250124Param(TypedDict, total=False):
    name: Required[Literal["bash"]]
    type: Required[Literal["bash_20250124"]]
    allowed_callers: List[_AllowedCaller]
    cache_control: Optional[CacheControlEphemeralParam]
    defer_loading: bool
    input_examples: Iterable[Dict[str, object]]
    strict: bool


class ToolTextEditor20250728Param(TypedDict, total=False):
    name: Required[Literal["str_replace_based_edit_tool"]]
    type: Required[Literal["text_editor_20250728"]]
    allowed_callers: List[_AllowedCaller]
    cache_control: Optional[CacheControlEphemeralParam]
    defer_loading: bool
    input_examples: Iterable[Dict[str, object]]
    max_characters: Optional[int]
    strict: bool


class CodeExecutionTool20250825Param(TypedDict, total=False):
    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20250825"]]
    allowed_callers: List[_AllowedCaller]
    cache_control: Optional[CacheControlEphemeralParam]
    defer_loading: bool
    strict: bool


ToolUnionParam: TypeAlias = Union[
    ToolParam,
    ToolBash20250124Param,
    CodeExecutionTool20250825Param,
    ToolTextEditor20250728Param,
    WebSearchTool20250305Param,
    WebFetchTool20250910Param,
]


class ToolChoiceAutoParam(TypedDict, total=False):
    type: Required[Literal["auto"]]
    disable_parallel_tool_use: bool


class ToolChoiceAnyParam(TypedDict, total=False):
    type: Required[Literal["any"]]
    disable_parallel_tool_use: bool


class ToolChoiceToolParam(TypedDict, total=False):
    name: Required[str]
    type: Required[Literal["tool"]]
    disable_parallel_tool_use: bool


class ToolChoiceNoneParam(TypedDict, total=False):
    type: Required[Literal["none"]]


ToolChoiceParam: TypeAlias = Union[
    ToolChoiceAutoParam, ToolChoiceAnyParam, ToolChoiceToolParam, ToolChoiceNoneParam
]


# -- thinking and output -----------------------------------------------------------------


class ThinkingConfigEnabledParam(TypedDict, total=False):
    budget_tokens: Required[int]
    """Tokens the model may spend thinking (at least 1024, less than ``max_tokens``)."""

    type: Required[Literal["enabled"]]
    display: Optional[Literal["summarized", "omitted"]]


class ThinkingConfigDisabledParam(TypedDict, total=False):
    type: Required[Literal["disabled"]]


class ThinkingConfigAdaptiveParam(TypedDict, total=False):
    type: Required[Literal["adaptive"]]
    display: Optional[Literal["summarized", "omitted"]]


ThinkingConfigParam: TypeAlias = Union[
    ThinkingConfigEnabledParam, ThinkingConfigDisabledParam, ThinkingConfigAdaptiveParam
]


class JSONOutputFormatParam(TypedDict, total=False):
    schema: Required[Dict[str, object]]
    """The JSON schema the response text must match."""

    type: Required[Literal["json_schema"]]


class OutputConfigParam(TypedDict, total=False):
    effort: Optional[Literal["low", "medium", "high", "xhigh", "max"]]
    format: Optional[JSONOutputFormatParam]
