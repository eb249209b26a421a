"""Response models of the Message Batches and Models APIs, under the official client's names.

Minimal and tolerant like every response model here: unknown fields are
kept, and a result of a ``type`` this version does not know validates as
:class:`~anthropic.types._union.UnknownObject`.  The one-module-per-type
import paths of the official client (``anthropic.types.messages.message_batch``
and the like) are for the generated type surface to provide; these classes
are what the batch and model resources build.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional, Union

from typing_extensions import Literal, TypeAlias

from ._models import BaseModel
from .types._errors import ErrorResponse
from .types._message import Message
from .types._union import UnknownObject, tagged_union
from .types.beta._messages import BetaMessage

__all__ = [
    "BetaDeletedMessageBatch",
    "BetaMessageBatch",
    "BetaMessageBatchCanceledResult",
    "BetaMessageBatchErroredResult",
    "BetaMessageBatchExpiredResult",
    "BetaMessageBatchIndividualResponse",
    "BetaMessageBatchRequestCounts",
    "BetaMessageBatchResult",
    "BetaMessageBatchSucceededResult",
    "BetaModelInfo",
    "DeletedMessageBatch",
    "MessageBatch",
    "MessageBatchCanceledResult",
    "MessageBatchErroredResult",
    "MessageBatchExpiredResult",
    "MessageBatchIndividualResponse",
    "MessageBatchRequestCounts",
    "MessageBatchResult",
    "MessageBatchSucceededResult",
    "ModelInfo",
]


class MessageBatchRequestCounts(BaseModel):
    canceled: int
    errored: int
    expired: int
    processing: int
    succeeded: int


class MessageBatch(BaseModel):
    id: str
    archived_at: Optional[datetime] = None
    cancel_initiated_at: Optional[datetime] = None
    created_at: datetime
    ended_at: Optional[datetime] = None
    expires_at: datetime
    processing_status: Literal["in_progress", "canceling", "ended"]
    request_counts: MessageBatchRequestCounts
    """Every request counts as ``processing`` until the whole batch ends; the sum is always the request count."""
    results_url: Optional[str] = None
    """Where the results file is, once processing has ended."""
    type: Literal["message_batch"]


class DeletedMessageBatch(BaseModel):
    id: str
    type: Literal["message_batch_deleted"]


class MessageBatchSucceededResult(BaseModel):
    message: Message
    type: Literal["succeeded"]


class MessageBatchErroredResult(BaseModel):
    error: ErrorResponse
    type: Literal["errored"]


class MessageBatchCanceledResult(BaseModel):
    type: Literal["canceled"]


class MessageBatchExpiredResult(BaseModel):
    type: Literal["expired"]


MessageBatchResult: TypeAlias = Union[
    MessageBatchSucceededResult,
    MessageBatchErroredResult,
    MessageBatchCanceledResult,
    MessageBatchExpiredResult,
]
if not TYPE_CHECKING:
    MessageBatchResult = tagged_union(MessageBatchResult, UnknownObject)


class MessageBatchIndividualResponse(BaseModel):
    """One line of a batch's results file: which request (``custom_id``) and how it ended."""

    custom_id: str
    result: MessageBatchResult


class BetaMessageBatchRequestCounts(MessageBatchRequestCounts):
    pass


class BetaMessageBatch(MessageBatch):
    request_counts: BetaMessageBatchRequestCounts


class BetaDeletedMessageBatch(DeletedMessageBatch):
    pass


class BetaMessageBatchSucceededResult(BaseModel):
    message: BetaMessage
    type: Literal["succeeded"]


class BetaMessageBatchErroredResult(MessageBatchErroredResult):
    pass


class BetaMessageBatchCanceledResult(MessageBatchCanceledResult):
    pass


class BetaMessageBatchExpiredResult(MessageBatchExpiredResult):
    pass


BetaMessageBatchResult: TypeAlias = Union[
    BetaMessageBatchSucceededResult,
    BetaMessageBatchErroredResult,
    BetaMessageBatchCanceledResult,
    BetaMessageBatchExpiredResult,
]
if not TYPE_CHECKING:
    BetaMessageBatchResult = tagged_union(BetaMessageBatchResult, UnknownObject)


class BetaMessageBatchIndividualResponse(BaseModel):
    custom_id: str
    result: BetaMessageBatchResult


class ModelInfo(BaseModel):
    id: str
    created_at: datetime
    display_name: str
    type: Literal["model"]
    lifecycle: Optional[Literal["active", "deprecated", "retired"]] = None
    deprecated_at: Optional[datetime] = None
    retires_at: Optional[datetime] = None
    max_input_tokens: Optional[int] = None
    max_tokens: Optional[int] = None


class BetaModelInfo(ModelInfo):
    pass
