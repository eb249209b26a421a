"""What the batch and model resources share across colours: flavours, errors, the results reader.

* :class:`BatchFlavour` is everything that tells ``client.messages.batches``
  from ``client.beta.messages.batches`` (and ``client.models`` from
  ``client.beta.models``): the classes built and the query the beta
  endpoints take.
* :class:`ResultsReader` turns a results file's bytes, in any chunking, into
  typed results (:class:`~anthropic._jsonl.JSONLDecoder` underneath), holding
  only the unfinished last line; at the end it checks the count against the
  batch's ``request_counts``.  Every line is validated in full against the
  result class.  A result type this version does not know is kept as an
  ``UnknownObject``, as the models keep every unknown type; a result of a
  known type whose object does not fit its class (a ``succeeded`` result
  whose message has no ``role``, a ``usage`` count that is a string) is a
  broken line.  A file cut short, a line that is not a result,
  or fewer (or more) lines than the batch has requests raise
  :class:`BatchResultsIncompleteError` or :class:`BatchResultsValidationError`,
  both carrying ``results_read``.

No I/O here: the sync and async resources (``anthropic._async.batches`` and
its generated twin) feed the reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._errors import AnthropicError, APIResponseValidationError, IncompleteStreamError
from ._jsonl import JSONLDecoder, JSONLError

if TYPE_CHECKING:
    import httpx2

__all__ = [
    "BETA_BATCHES",
    "PLAIN_BATCHES",
    "BatchFlavour",
    "BatchResultsIncompleteError",
    "BatchResultsValidationError",
    "ResultsReader",
    "expected_results",
]

RESULTS_ACCEPT = "application/binary"


class BatchResultsIncompleteError(IncompleteStreamError):
    """The results file ended (or its connection broke) before every result arrived.

    ``results_read`` results had been read (and handed out); ``expected`` is the
    number the batch's ``request_counts`` promise, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        request: httpx2.Request | None,
        request_id: str | None,
        results_read: int,
        expected: int | None,
    ) -> None:
        super().__init__(message=message, request=request, request_id=request_id)
        self.results_read = results_read
        self.expected = expected


class BatchResultsValidationError(APIResponseValidationError):
    """A line of the results file is not a result (not JSON, or not of the result's shape), or there are too many.

    ``results_read`` results came before it; ``line`` is its 1-based line number.
    """

    def __init__(self, response: httpx2.Response, message: str, *, results_read: int, line: int) -> None:
        super().__init__(response, None, message=message)
        self.results_read = results_read
        self.line = line


for _cls in (BatchResultsIncompleteError, BatchResultsValidationError):
    _cls.__module__ = "anthropic"  # where users import them from, as for every other error


@dataclass(frozen=True)
class BatchFlavour:
    """The classes and query of one flavour (plain or beta) of the batch and model resources.

    The classes are the generated types at the official client's module paths
    (``anthropic.types.messages.message_batch`` and the like), imported on
    first use so that ``import anthropic`` does not load them.
    """

    beta: bool
    query: Mapping[str, str] = field(default_factory=dict)

    @property
    def batch(self) -> type[Any]:
        if self.beta:
            from .types.beta.messages.beta_message_batch import BetaMessageBatch

            return BetaMessageBatch
        from .types.messages.message_batch import MessageBatch

        return MessageBatch

    @property
    def deleted(self) -> type[Any]:
        if self.beta:
            from .types.beta.messages.beta_deleted_message_batch import BetaDeletedMessageBatch

            return BetaDeletedMessageBatch
        from .types.messages.deleted_message_batch import DeletedMessageBatch

        return DeletedMessageBatch

    @property
    def individual(self) -> type[Any]:
        if self.beta:
            from .types.beta.messages.beta_message_batch_individual_response import (
                BetaMessageBatchIndividualResponse,
            )

            return BetaMessageBatchIndividualResponse
        from .types.messages.message_batch_individual_response import MessageBatchIndividualResponse

        return MessageBatchIndividualResponse

    @property
    def model_info(self) -> type[Any]:
        if self.beta:
            from .types.beta.beta_model_info import BetaModelInfo

            return BetaModelInfo
        from .types.model_info import ModelInfo

        return ModelInfo


PLAIN_BATCHES = BatchFlavour(False)
BETA_BATCHES = BatchFlavour(True, {"beta": "true"})


def expected_results(batch: Any) -> int | None:
    """How many lines a batch's results file must hold: the sum of its request counts."""
    counts = getattr(batch, "request_counts", None)
    if counts is None:
        return None
    names = ("processing", "succeeded", "errored", "canceled", "expired")
    return sum(int(getattr(counts, name, 0) or 0) for name in names)


def results_url_of(batch: Any) -> str:
    url = getattr(batch, "results_url", None)
    if not url:
        status = getattr(batch, "processing_status", "unknown")
        raise AnthropicError(
            f"Message batch {getattr(batch, 'id', '?')} has no results_url: its results exist once processing "
            f"has ended (processing_status: {status})."
        )
    return str(url)


class _TooMany(Exception):
    pass


def _validator(cls: type[Any]) -> Callable[[bytes], Any]:
    """``cls.model_validate_json`` without its Python wrapper: pydantic's validator, built on first use.

    Results are validated in full, never built by hand.  Measured per result
    of the benchmark's file (a message of one text block): decoding with
    ``from_json`` and building the five nested models without any check
    (``construct_unchecked`` on each) costs as much as pydantic's compiled
    validator reading the line and building them in one pass, and
    ``build_checked`` about two and a half times as much; decoding with
    ``from_json`` and validating the Python value gains nothing once the
    bytes come from a socket.  The tolerant fallbacks (unknown result, block
    and error types) come with validation.
    """
    from pydantic_core import SchemaValidator

    validator = cls.__pydantic_validator__
    if not isinstance(validator, SchemaValidator):  # deferred until first use
        cls.model_rebuild(force=True)
        validator = cls.__pydantic_validator__
    validate: Callable[[bytes], Any] = validator.validate_json
    return validate


def _strict_results(cls: type[Any]) -> tuple[type[Any], dict[str, type[Any]]]:
    """The fallback class of ``cls.result`` and its known result classes by tag.

    The result union is tolerant: a result type this version does not know is
    kept as the fallback (an ``UnknownObject``), as the models do everywhere.
    But validation also falls back for a *known* type whose object does not
    fit its class (a ``succeeded`` result whose message lacks ``role``, say);
    in a results file that is a broken line, not a new kind of result.
    """
    import typing

    from pydantic import Tag

    fallback: type[Any] | None = None
    table: dict[str, type[Any]] = {}
    # pydantic moved the union's own metadata out of the field's annotation; each member keeps its Tag.
    for member in typing.get_args(cls.model_fields["result"].annotation):
        member_cls, *meta = typing.get_args(member) or (member,)
        for tag in meta:
            if isinstance(tag, Tag):
                if tag.tag == "__unknown__":
                    fallback = member_cls
                else:
                    table[tag.tag] = member_cls
    if fallback is None:
        raise TypeError(f"{cls.__name__}.result is not a tolerant tagged union")
    return fallback, table


class _BrokenResult(Exception):
    """A result of a known type that does not fit its class; the message says where and why."""


def _check_known(result: Any, fallback: type[Any], table: dict[str, type[Any]]) -> None:
    """Raise :class:`_BrokenResult` when ``result.result`` is the fallback for a known result type."""
    import pydantic

    from ._jsonl import _describe

    inner = result.result
    known = table.get(inner.type)
    if known is None:
        return
    try:
        known.model_validate(inner.model_dump())
    except pydantic.ValidationError as exc:
        where = _describe(exc, ("result",))
        raise _BrokenResult(f"its {inner.type!r} result does not fit {known.__name__}: {where}") from None
    raise _BrokenResult(f"its {inner.type!r} result does not fit {known.__name__}")


class ResultsReader:
    """Bytes of a results file in, typed results out; checks the count at the end.

    :meth:`feed` and :meth:`end` are generators: they hand out every result
    decoded before a bad line, then raise, so nothing that arrived is lost.
    """

    __slots__ = ("_decoder", "_expected", "_response")

    def __init__(self, response: httpx2.Response, cls: type[Any], expected: int | None) -> None:
        self._response = response
        self._expected = expected
        validate = _validator(cls)
        fallback, table = _strict_results(cls)
        limit = expected if expected is not None else -1

        def convert(result: Any) -> Any:
            if self._decoder.values_read == limit:
                raise _TooMany
            if type(result.result) is fallback:
                _check_known(result, fallback, table)
            return result

        self._decoder: JSONLDecoder[Any] = JSONLDecoder(convert, parse=validate)

    @property
    def results_read(self) -> int:
        return self._decoder.values_read

    def feed(self, chunk: bytes) -> Iterator[Any]:
        """The results completed by ``chunk``, each decoded as the previous one is taken; then a bad line's error."""
        try:
            yield from self._decoder.iter_feed(chunk)
        except JSONLError as exc:
            raise self._error(exc) from None

    def end(self) -> Iterator[Any]:
        """The body ended: the result of an unterminated last line; then the count must match."""
        try:
            last = self._decoder.end()
        except JSONLError as exc:
            raise self._error(exc) from None
        yield from last
        if self._expected is not None and self.results_read < self._expected:
            raise BatchResultsIncompleteError(
                f"The results file ended after {self.results_read} of the batch's {self._expected} results: "
                "it was cut short.",
                request=self._response.request,
                request_id=self._response.headers.get("request-id"),
                results_read=self.results_read,
                expected=self._expected,
            )

    def broken(self, cause: BaseException) -> BatchResultsIncompleteError:
        """The error for a connection that failed while the body was being read."""
        expected = f" of {self._expected}" if self._expected is not None else ""
        return BatchResultsIncompleteError(
            f"The connection failed after {self.results_read}{expected} results of the batch were read: {cause}",
            request=self._response.request,
            request_id=self._response.headers.get("request-id"),
            results_read=self.results_read,
            expected=self._expected,
        )

    def _error(self, exc: JSONLError) -> Exception:
        if isinstance(exc.__cause__, _TooMany):
            return BatchResultsValidationError(
                self._response,
                f"The results file holds more results than the batch's {self._expected} requests.",
                results_read=exc.values_read,
                line=exc.line,
            )
        if exc.truncated:
            return BatchResultsIncompleteError(
                str(exc),
                request=self._response.request,
                request_id=self._response.headers.get("request-id"),
                results_read=exc.values_read,
                expected=self._expected,
            )
        return BatchResultsValidationError(
            self._response, str(exc), results_read=exc.values_read, line=exc.line
        )


def page_query(params: Mapping[str, Any]) -> dict[str, Any]:
    """The query of a list call: the given paging arguments, lists comma-joined."""
    query: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            query[key] = ",".join(str(v) for v in value)
        else:
            query[key] = value
    return query


def hide_betas(cls: type, names: tuple[str, ...], base: type) -> None:
    """Give ``cls`` copies of ``base``'s methods ``names`` whose signature leaves out ``betas``.

    The plain resources take no ``betas`` (as in the official client); the one
    body serves both flavours and refuses ``betas`` when the flavour is plain.
    """
    import inspect
    import types

    for name in names:
        func = base.__dict__[name]
        copy = types.FunctionType(func.__code__, func.__globals__, name, func.__defaults__, func.__closure__)
        copy.__kwdefaults__ = func.__kwdefaults__
        copy.__doc__ = func.__doc__
        copy.__qualname__ = f"{cls.__qualname__}.{name}"
        copy.__module__ = cls.__module__
        signature = inspect.signature(func)
        copy.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name != "betas"]
        )
        setattr(cls, name, copy)
