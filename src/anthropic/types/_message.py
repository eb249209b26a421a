"""The ``Message`` a Messages request answers with."""

from typing import List, Optional

from typing_extensions import Literal

from .._models import BaseModel
from ._blocks import ContentBlock
from ._common import Container, Diagnostics, Model, RefusalStopDetails, StopReason, Usage

__all__ = ["Message"]


class Message(BaseModel):
    id: str
    """Unique object identifier (its format may change over time)."""

    container: Optional[Container] = None
    """The container used by the request (for the code execution tool)."""

    content: List[ContentBlock]
    """The content the model generated, one block per item; ``type`` says each block's shape."""

    diagnostics: Optional[Diagnostics] = None
    model: Model
    role: Literal["assistant"]
    stop_details: Optional[RefusalStopDetails] = None
    """Structured information about a refusal."""

    stop_reason: Optional[StopReason] = None
    """Why generation stopped: ``None`` in ``message_start``, set by ``message_delta``."""

    stop_sequence: Optional[str] = None
    """Which of the request's stop sequences was generated, if one was."""

    type: Literal["message"]
    usage: Usage
    """Billing and rate-limit usage, in tokens."""
