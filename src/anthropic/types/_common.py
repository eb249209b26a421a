"""Models shared by messages, blocks and stream events: citations, usage, container, callers.

Enumerations the API extends over time (stop reasons, service tiers, error
codes, ...) are ``Literal`` types for type checkers but accept any string at
runtime, so a value added to the API later never fails validation.
"""

import datetime
from typing import TYPE_CHECKING, List, Optional, Union

from typing_extensions import Literal, TypeAlias

from .._models import BaseModel
from ._union import UnknownCitation, UnknownObject, tagged_union, type_table

__all__ = [
    "Model",
    "StopReason",
    "CitationCharLocation",
    "CitationPageLocation",
    "CitationContentBlockLocation",
    "CitationsWebSearchResultLocation",
    "CitationsSearchResultLocation",
    "TextCitation",
    "Citation",
    "CITATION_TYPES",
    "CitationsConfig",
    "CacheCreation",
    "ServerToolUsage",
    "OutputTokensDetails",
    "Usage",
    "MessageDeltaUsage",
    "ContainerSkill",
    "Container",
    "RefusalStopDetails",
    "DirectCaller",
    "ServerToolCaller",
    "ServerToolCaller20260120",
    "Caller",
    "Diagnostics",
    "MessageTokensCount",
]

Model: TypeAlias = Union[
    Literal[
        "claude-fable-5-2",
        "claude-mythos-5-2",
        "claude-haiku-5-5",
        "claude-sonnet-5-5",
        "claude-fable-5-1",
        "claude-opus-5-5",
        "claude-mythos-5-1",
        "claude-sonnet-5",
        "claude-fable-5",
        "claude-mythos-5",
        "claude-opus-5",
        "claude-opus-4-8",
        "claude-opus-4-7",
        "claude-mythos-preview",
        "claude-opus-4-6",
        "claude-sonnet-4-6",
        "claude-haiku-4-5",
        "claude-haiku-4-5-20251001",
        "claude-opus-4-5",
        "claude-opus-4-5-20251101",
        "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929",
        "claude-opus-4-1",
        "claude-opus-4-1-20250805",
        "claude-opus-4-0",
        "claude-opus-4-20250514",
        "claude-sonnet-4-0",
        "claude-sonnet-4-20250514",
        "claude-3-7-sonnet-latest",
        "claude-3-7-sonnet-20250219",
        "claude-3-5-haiku-latest",
        "claude-3-5-haiku-20241022",
        "claude-3-haiku-20240307",
    ],
    str,
]
"""A model id: one of the known ids, or any other string."""

StopReason: TypeAlias = Literal[
    "end_turn",
    "max_tokens",
    "stop_sequence",
    "tool_use",
    "pause_turn",
    "refusal",
    "model_context_window_exceeded",
]
_ServiceTier: TypeAlias = Literal["standard", "priority", "batch"]
_Speed: TypeAlias = Literal["standard", "fast"]
_RefusalCategory: TypeAlias = Literal["cyber", "bio", "frontier_llm", "reasoning_extraction", "general_harms"]
_SkillType: TypeAlias = Literal["anthropic", "custom"]

if not TYPE_CHECKING:
    StopReason = Union[StopReason, str]
    _ServiceTier = Union[_ServiceTier, str]
    _Speed = Union[_Speed, str]
    _RefusalCategory = Union[_RefusalCategory, str]
    _SkillType = Union[_SkillType, str]


# -- citations ----------------------------------------------------------------


class CitationCharLocation(BaseModel):
    cited_text: str
    document_index: int
    document_title: Optional[str] = None
    end_char_index: int
    file_id: Optional[str] = None
    start_char_index: int
    type: Literal["char_location"]


class CitationPageLocation(BaseModel):
    cited_text: str
    document_index: int
    document_title: Optional[str] = None
    end_page_number: int
    file_id: Optional[str] = None
    start_page_number: int
    type: Literal["page_location"]


class CitationContentBlockLocation(BaseModel):
    cited_text: str
    document_index: int
    document_title: Optional[str] = None
    end_block_index: int
    file_id: Optional[str] = None
    start_block_index: int
    type: Literal["content_block_location"]


class CitationsWebSearchResultLocation(BaseModel):
    cited_text: str
    encrypted_index: str
    title: Optional[str] = None
    type: Literal["web_search_result_location"]
    url: str


class CitationsSearchResultLocation(BaseModel):
    cited_text: str
    end_block_index: int
    search_result_index: int
    source: str
    start_block_index: int
    title: Optional[str] = None
    type: Literal["search_result_location"]


TextCitation: TypeAlias = Union[
    CitationCharLocation,
    CitationPageLocation,
    CitationContentBlockLocation,
    CitationsWebSearchResultLocation,
    CitationsSearchResultLocation,
]
CITATION_TYPES = type_table(TextCitation)
if not TYPE_CHECKING:
    TextCitation = tagged_union(TextCitation, UnknownCitation)

Citation: TypeAlias = TextCitation
"""The citation a ``citations_delta`` carries (the same union as ``TextCitation``)."""


class CitationsConfig(BaseModel):
    enabled: bool


# -- usage ----------------------------------------------------------------------


class CacheCreation(BaseModel):
    ephemeral_1h_input_tokens: int
    """The number of input tokens used to create the 1 hour cache entry."""

    ephemeral_5m_input_tokens: int
    """The number of input tokens used to create the 5 minute cache entry."""


class ServerToolUsage(BaseModel):
    web_fetch_requests: int = 0
    """The number of web fetch tool requests (0 when the server leaves it out)."""

    web_search_requests: int
    """The number of web search tool requests."""


class OutputTokensDetails(BaseModel):
    thinking_tokens: int


class Usage(BaseModel):
    cache_creation: Optional[CacheCreation] = None
    cache_creation_input_tokens: Optional[int] = None
    cache_read_input_tokens: Optional[int] = None
    inference_geo: Optional[str] = None
    input_tokens: int
    output_tokens: int
    output_tokens_details: Optional[OutputTokensDetails] = None
    server_tool_use: Optional[ServerToolUsage] = None
    service_tier: Optional[_ServiceTier] = None
    speed: Optional[_Speed] = None


class MessageDeltaUsage(BaseModel):
    """Usage as a ``message_delta`` event reports it: ``output_tokens`` is cumulative."""

    cache_creation_input_tokens: Optional[int] = None
    cache_read_input_tokens: Optional[int] = None
    input_tokens: Optional[int] = None
    output_tokens: int
    output_tokens_details: Optional[OutputTokensDetails] = None
    server_tool_use: Optional[ServerToolUsage] = None


# -- message-level details ---------------------------------------------------------


class ContainerSkill(BaseModel):
    skill_id: str
    type: _SkillType
    version: str


class Container(BaseModel):
    """The container a code-execution request ran in."""

    id: str
    expires_at: datetime.datetime
    skills: Optional[List[ContainerSkill]] = None


class RefusalStopDetails(BaseModel):
    category: Optional[_RefusalCategory] = None
    explanation: Optional[str] = None
    type: Literal["refusal"]


class Diagnostics(BaseModel):
    cache_miss_reason: Optional[UnknownObject] = None
    """Why the prompt cache missed, when diagnostics were asked for (``type`` names the reason)."""


class MessageTokensCount(BaseModel):
    input_tokens: int
    """The total number of tokens across the provided list of messages, system prompt, and tools."""


# -- who called a tool --------------------------------------------------------------


class DirectCaller(BaseModel):
    type: Literal["direct"]


class ServerToolCaller(BaseModel):
    tool_id: str
    type: Literal["code_execution_20250825"]


class ServerToolCaller20260120(BaseModel):
    tool_id: str
    type: Literal["code_execution_20260120"]


Caller: TypeAlias = Union[DirectCaller, ServerToolCaller, ServerToolCaller20260120]
if not TYPE_CHECKING:
    Caller = tagged_union(Caller, UnknownObject)
