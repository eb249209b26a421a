"""Content blocks of a response, and the result objects server tools put inside them.

``ContentBlock`` is the union of the block types this version knows; at runtime
a block of any other type validates as :class:`UnknownContentBlock` with every
field kept.  The result payloads nested in server-tool blocks are tolerant the
same way (unknown payload types become :class:`UnknownObject`).
"""

from typing import TYPE_CHECKING, Dict, List, Optional, Union

from typing_extensions import Literal, TypeAlias

from .._models import BaseModel
from ._common import Caller, CitationsConfig, TextCitation
from ._union import UnknownContentBlock, UnknownObject, tagged_union, type_table

__all__ = [
    "TextBlock",
    "ThinkingBlock",
    "RedactedThinkingBlock",
    "ToolUseBlock",
    "ServerToolUseBlock",
    "WebSearchResultBlock",
    "WebSearchToolResultError",
    "WebSearchToolResultErrorCode",
    "WebSearchToolResultBlockContent",
    "WebSearchToolResultBlock",
    "Base64PDFSource",
    "PlainTextSource",
    "DocumentBlock",
    "WebFetchBlock",
    "WebFetchToolResultErrorBlock",
    "WebFetchToolResultErrorCode",
    "WebFetchToolResultBlock",
    "CodeExecutionOutputBlock",
    "CodeExecutionResultBlock",
    "EncryptedCodeExecutionResultBlock",
    "CodeExecutionToolResultError",
    "CodeExecutionToolResultErrorCode",
    "CodeExecutionToolResultBlockContent",
    "CodeExecutionToolResultBlock",
    "BashCodeExecutionOutputBlock",
    "BashCodeExecutionResultBlock",
    "BashCodeExecutionToolResultError",
    "BashCodeExecutionToolResultErrorCode",
    "BashCodeExecutionToolResultBlock",
    "TextEditorCodeExecutionViewResultBlock",
    "TextEditorCodeExecutionCreateResultBlock",
    "TextEditorCodeExecutionStrReplaceResultBlock",
    "TextEditorCodeExecutionToolResultError",
    "TextEditorCodeExecutionToolResultErrorCode",
    "TextEditorCodeExecutionToolResultBlock",
    "ToolReferenceBlock",
    "ToolSearchToolSearchResultBlock",
    "ToolSearchToolResultError",
    "ToolSearchToolResultErrorCode",
    "ToolSearchToolResultBlock",
    "ContainerUploadBlock",
    "ContentBlock",
    "BLOCK_TYPES",
]

ServerToolName: TypeAlias = Literal[
    "web_search",
    "web_fetch",
    "code_execution",
    "bash_code_execution",
    "text_editor_code_execution",
    "tool_search_tool_regex",
    "tool_search_tool_bm25",
]
WebSearchToolResultErrorCode: TypeAlias = Literal[
    "invalid_tool_input",
    "unavailable",
    "max_uses_exceeded",
    "too_many_requests",
    "query_too_long",
    "request_too_large",
]
WebFetchToolResultErrorCode: TypeAlias = Literal[
    "invalid_tool_input",
    "url_too_long",
    "url_not_allowed",
    "url_not_in_prior_context",
    "url_not_accessible",
    "unsupported_content_type",
    "too_many_requests",
    "max_uses_exceeded",
    "unavailable",
    "content_too_large",
]
CodeExecutionToolResultErrorCode: TypeAlias = Literal[
    "invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"
]
BashCodeExecutionToolResultErrorCode: TypeAlias = Literal[
    "invalid_tool_input",
    "unavailable",
    "too_many_requests",
    "execution_time_exceeded",
    "output_file_too_large",
]
TextEditorCodeExecutionToolResultErrorCode: TypeAlias = Literal[
    "invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded", "file_not_found"
]
ToolSearchToolResultErrorCode: TypeAlias = Literal[
    "invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"
]
_FileType: TypeAlias = Literal["text", "image", "pdf"]

if not TYPE_CHECKING:
    ServerToolName = Union[ServerToolName, str]
    WebSearchToolResultErrorCode = Union[WebSearchToolResultErrorCode, str]
    WebFetchToolResultErrorCode = Union[WebFetchToolResultErrorCode, str]
    CodeExecutionToolResultErrorCode = Union[CodeExecutionToolResultErrorCode, str]
    BashCodeExecutionToolResultErrorCode = Union[BashCodeExecutionToolResultErrorCode, str]
    TextEditorCodeExecutionToolResultErrorCode = Union[TextEditorCodeExecutionToolResultErrorCode, str]
    ToolSearchToolResultErrorCode = Union[ToolSearchToolResultErrorCode, str]
    _FileType = Union[_FileType, str]


# -- the model's own blocks ----------------------------------------------------


class TextBlock(BaseModel):
    citations: Optional[List[TextCitation]] = None
    """Citations supporting the text block (``None`` when the request did not ask for them)."""

    text: str
    type: Literal["text"]


class ThinkingBlock(BaseModel):
    signature: str
    thinking: str
    type: Literal["thinking"]


class RedactedThinkingBlock(BaseModel):
    data: str
    type: Literal["redacted_thinking"]


class ToolUseBlock(BaseModel):
    id: str
    caller: Optional[Caller] = None
    input: Dict[str, object]
    name: str
    type: Literal["tool_use"]
    toolset_name: Optional[str] = None


class ServerToolUseBlock(BaseModel):
    id: str
    caller: Optional[Caller] = None
    input: Dict[str, object]
    name: ServerToolName
    type: Literal["server_tool_use"]


# -- web search ---------------------------------------------------------------------


class WebSearchResultBlock(BaseModel):
    encrypted_content: str
    page_age: Optional[str] = None
    title: str
    type: Literal["web_search_result"]
    url: str


class WebSearchToolResultError(BaseModel):
    error_code: WebSearchToolResultErrorCode
    type: Literal["web_search_tool_result_error"]


WebSearchToolResultBlockContent: TypeAlias = Union[WebSearchToolResultError, List[WebSearchResultBlock]]


class WebSearchToolResultBlock(BaseModel):
    caller: Optional[Caller] = None
    content: WebSearchToolResultBlockContent
    tool_use_id: str
    type: Literal["web_search_tool_result"]


# -- web fetch -----------------------------------------------------------------------


class Base64PDFSource(BaseModel):
    data: str
    media_type: Literal["application/pdf"]
    type: Literal["base64"]


class PlainTextSource(BaseModel):
    data: str
    media_type: Literal["text/plain"]
    type: Literal["text"]


_DocumentSource: TypeAlias = Union[Base64PDFSource, PlainTextSource]
if not TYPE_CHECKING:
    _DocumentSource = tagged_union(_DocumentSource, UnknownObject)


class DocumentBlock(BaseModel):
    citations: Optional[CitationsConfig] = None
    source: _DocumentSource
    title: Optional[str] = None
    type: Literal["document"]


class WebFetchBlock(BaseModel):
    content: DocumentBlock
    retrieved_at: Optional[str] = None
    """ISO 8601 timestamp of when the content was retrieved."""

    type: Literal["web_fetch_result"]
    url: str


class WebFetchToolResultErrorBlock(BaseModel):
    error_code: WebFetchToolResultErrorCode
    type: Literal["web_fetch_tool_result_error"]


_WebFetchContent: TypeAlias = Union[WebFetchToolResultErrorBlock, WebFetchBlock]
if not TYPE_CHECKING:
    _WebFetchContent = tagged_union(_WebFetchContent, UnknownObject)


class WebFetchToolResultBlock(BaseModel):
    caller: Optional[Caller] = None
    content: _WebFetchContent
    tool_use_id: str
    type: Literal["web_fetch_tool_result"]


# -- code execution ------------------------------------------------------------------


class CodeExecutionOutputBlock(BaseModel):
    file_id: str
    type: Literal["code_execution_output"]


class CodeExecutionResultBlock(BaseModel):
    content: List[CodeExecutionOutputBlock]
    return_code: int
    stderr: str
    stdout: str
    type: Literal["code_execution_result"]


class EncryptedCodeExecutionResultBlock(BaseModel):
    content: List[CodeExecutionOutputBlock]
    encrypted_stdout: str
    return_code: int
    stderr: str
    type: Literal["encrypted_code_execution_result"]


class CodeExecutionToolResultError(BaseModel):
    error_code: CodeExecutionToolResultErrorCode
    type: Literal["code_execution_tool_result_error"]


CodeExecutionToolResultBlockContent: TypeAlias = Union[
    CodeExecutionToolResultError, CodeExecutionResultBlock, EncryptedCodeExecutionResultBlock
]
if not TYPE_CHECKING:
    CodeExecutionToolResultBlockContent = tagged_union(CodeExecutionToolResultBlockContent, UnknownObject)


class CodeExecutionToolResultBlock(BaseModel):
    content: CodeExecutionToolResultBlockContent
    tool_use_id: str
    type: Literal["code_execution_tool_result"]


class BashCodeExecutionOutputBlock(BaseModel):
    file_id: str
    type: Literal["bash_code_execution_output"]


class BashCodeExecutionResultBlock(BaseModel):
    content: List[BashCodeExecutionOutputBlock]
    return_code: int
    stderr: str
    stdout: str
    type: Literal["bash_code_execution_result"]


class BashCodeExecutionToolResultError(BaseModel):
    error_code: BashCodeExecutionToolResultErrorCode
    type: Literal["bash_code_execution_tool_result_error"]


_BashContent: TypeAlias = Union[BashCodeExecutionToolResultError, BashCodeExecutionResultBlock]
if not TYPE_CHECKING:
    _BashContent = tagged_union(_BashContent, UnknownObject)


class BashCodeExecutionToolResultBlock(BaseModel):
    content: _BashContent
    tool_use_id: str
    type: Literal["bash_code_execution_tool_result"]


class TextEditorCodeExecutionViewResultBlock(BaseModel):
    content: str
    file_type: _FileType
    num_lines: Optional[int] = None
    start_line: Optional[int] = None
    total_lines: Optional[int] = None
    type: Literal["text_editor_code_execution_view_result"]


class TextEditorCodeExecutionCreateResultBlock(BaseModel):
    is_file_update: bool
    type: Literal["text_editor_code_execution_create_result"]


class TextEditorCodeExecutionStrReplaceResultBlock(BaseModel):
    lines: Optional[List[str]] = None
    new_lines: Optional[int] = None
    new_start: Optional[int] = None
    old_lines: Optional[int] = None
    old_start: Optional[int] = None
    type: Literal["text_editor_code_execution_str_replace_result"]


class TextEditorCodeExecutionToolResultError(BaseModel):
    error_code: TextEditorCodeExecutionToolResultErrorCode
    error_message: Optional[str] = None
    type: Literal["text_editor_code_execution_tool_result_error"]


_TextEditorContent: TypeAlias = Union[
    TextEditorCodeExecutionToolResultError,
    TextEditorCodeExecutionViewResultBlock,
    TextEditorCodeExecutionCreateResultBlock,
    TextEditorCodeExecutionStrReplaceResultBlock,
]
if not TYPE_CHECKING:
    _TextEditorContent = tagged_union(_TextEditorContent, UnknownObject)


class TextEditorCodeExecutionToolResultBlock(BaseModel):
    content: _TextEditorContent
    tool_use_id: str
    type: Literal["text_editor_code_execution_tool_result"]


# -- tool search ------------------------------------------------------------------------


class ToolReferenceBlock(BaseModel):
    tool_name: str
    type: Literal["tool_reference"]


class ToolSearchToolSearchResultBlock(BaseModel):
    tool_references: List[ToolReferenceBlock]
    type: Literal["tool_search_tool_search_result"]


class ToolSearchToolResultError(BaseModel):
    error_code: ToolSearchToolResultErrorCode
    error_message: Optional[str] = None
    type: Literal["tool_search_tool_result_error"]


_ToolSearchContent: TypeAlias = Union[ToolSearchToolResultError, ToolSearchToolSearchResultBlock]
if not TYPE_CHECKING:
    _ToolSearchContent = tagged_union(_ToolSearchContent, UnknownObject)


class ToolSearchToolResultBlock(BaseModel):
    content: _ToolSearchContent
    tool_use_id: str
    type: Literal["tool_search_tool_result"]


# -- files --------------------------------------------------------------------------------


class ContainerUploadBlock(BaseModel):
    """A file the model uploaded into the code-execution container."""

    file_id: str
    type: Literal["container_upload"]


ContentBlock: TypeAlias = Union[
    TextBlock,
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
BLOCK_TYPES = type_table(ContentBlock)
if not TYPE_CHECKING:
    ContentBlock = tagged_union(ContentBlock, UnknownContentBlock)
