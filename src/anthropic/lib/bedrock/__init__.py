"""Amazon Bedrock: the Messages API through ``bedrock-runtime``, and Bedrock Mantle.

What the official client 2.15.0 does (the behaviour this package keeps):

``AnthropicBedrock`` / ``AsyncAnthropicBedrock``
    Arguments, positional in this order: ``aws_secret_key``, ``aws_access_key``,
    ``aws_region``, ``aws_profile``, ``aws_session_token``, ``api_key``,
    ``base_url``, then ``timeout``, ``max_retries``, ``default_headers``,
    ``default_query``, ``http_client`` (and the usual private ones).

    * ``api_key`` defaults to ``AWS_BEARER_TOKEN_BEDROCK``; with one, requests
      carry ``Authorization: Bearer KEY`` and are not signed.  An API key
      together with any of ``aws_access_key``, ``aws_secret_key``,
      ``aws_session_token``, ``aws_profile`` is an error (``ValueError``).
    * Region: ``aws_region``, else ``AWS_REGION``, else ``AWS_DEFAULT_REGION``,
      else the profile's region through boto3; none is an error.
    * Base URL: ``base_url``, else ``ANTHROPIC_BEDROCK_BASE_URL``, else
      ``https://bedrock-runtime.{region}.amazonaws.com``.
    * Without an API key, every request is SigV4-signed for service
      ``bedrock`` in the region, with credentials from a boto3 session built
      from the AWS arguments (explicit keys, else the profile, else the
      default chain); the session token is sent as ``X-Amz-Security-Token``;
      the ``connection`` header is not signed.
    * ``POST /v1/messages`` (and ``?beta=true``): ``model`` leaves the body
      for the path, percent-encoded except ``:`` and ``;``; ``stream`` leaves
      the body too and picks ``/model/{model}/invoke-with-response-stream``
      or ``/model/{model}/invoke``.  An empty model (or one empty before a
      ``;``) and a model that is ``.`` or ``..`` are errors.  An
      ``anthropic-user-profile-id`` header moves into the body as
      ``user_profile_id``.
    * Every JSON body gets ``anthropic_version`` (unless it has one), and
      the ``anthropic-beta`` header's comma-separated values also go into the
      body as the list ``anthropic_beta``; the header stays.  No
      ``anthropic-version`` header is sent.
    * ``/v1/messages/batches...``: "The Batch API is not supported in Bedrock
      yet"; ``/v1/messages/count_tokens``: "Token counting is not supported in
      Bedrock yet" (``AnthropicError``, before any I/O).
    * Resources: ``messages`` (create, stream, parse, count_tokens and
      batches, the last two raising as above) and ``beta.messages`` (create,
      stream, parse, tool_runner; no count_tokens).  No ``models``.
    * Streamed replies are ``application/vnd.amazon.eventstream``; each
      ``chunk`` event holds ``{"bytes": base64(event JSON)}``; an
      ``exception`` frame becomes an ``error`` event
      ``{"type": "error", "error": {"type": EXCEPTION_TYPE, "message": ...}}``.

``AnthropicBedrockMantle`` / ``AsyncAnthropicBedrockMantle``
    Keyword arguments ``aws_access_key``, ``aws_secret_key``,
    ``aws_session_token``, ``aws_region``, ``aws_profile``, ``api_key``,
    ``skip_auth``, ``base_url`` and the usual ones.

    * The first-party API (paths, bodies, SSE streams, ``anthropic-version``
      header) at ``base_url``, else ``ANTHROPIC_BEDROCK_MANTLE_BASE_URL``,
      else ``https://bedrock-mantle.{region}.api.aws/anthropic``; region from
      ``aws_region``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``; neither region
      nor base URL is an error.
    * Auth (unless ``skip_auth``): ``api_key``; else SigV4 (service
      ``bedrock-mantle``) when AWS keys or a profile are given; else an API
      key from ``AWS_BEARER_TOKEN_BEDROCK`` or ``ANTHROPIC_AWS_API_KEY``;
      else SigV4 with the default chain.  An API key is sent as
      ``Authorization: Bearer KEY``.  Only one of ``aws_access_key`` /
      ``aws_secret_key`` is an error.
    * ``anthropic-user-profile-id`` moves into the body of messages and
      count_tokens requests.  Query arrays use the ``key[]=`` form.
    * Resources: ``messages`` and ``beta.messages`` only.

Here: :mod:`._eventstream` (the framing), :mod:`._events` (frames to
Messages events), :mod:`._platform` and :mod:`._mantle` (the platform
descriptions).  Importing this package needs no AWS SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.platforms import AsyncAnthropicBedrock as AsyncAnthropicBedrock
    from ..._async.platforms import AsyncAnthropicBedrockMantle as AsyncAnthropicBedrockMantle
    from ..._sync.platforms import AnthropicBedrock as AnthropicBedrock
    from ..._sync.platforms import AnthropicBedrockMantle as AnthropicBedrockMantle

__all__ = ['AnthropicBedrock', 'AnthropicBedrockMantle', 'AsyncAnthropicBedrock', 'AsyncAnthropicBedrockMantle']

# The clients load when first named (each colour on its own).
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "AnthropicBedrock": "..._sync.platforms",
        "AsyncAnthropicBedrock": "..._async.platforms",
        "AnthropicBedrockMantle": "..._sync.platforms",
        "AsyncAnthropicBedrockMantle": "..._async.platforms",
    },
)
