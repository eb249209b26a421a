"""Google Vertex AI: the Messages API through ``aiplatform.googleapis.com``.

What the official client 2.15.0 does (the behaviour this package keeps):

``AnthropicVertex`` / ``AsyncAnthropicVertex``
    Keyword arguments ``region``, ``project_id``, ``access_token``,
    ``credentials`` (a ``google.auth`` credentials object), ``base_url`` and
    the usual ones.

    * Region: ``region``, else ``CLOUD_ML_REGION``; none, or an empty one, is
      an error (``ValueError``).
    * Base URL: ``base_url``, else ``ANTHROPIC_VERTEX_BASE_URL``, else by
      region: ``global`` -> ``https://aiplatform.googleapis.com/v1``, ``us`` ->
      ``https://aiplatform.us.rep.googleapis.com/v1``, ``eu`` ->
      ``https://aiplatform.eu.rep.googleapis.com/v1``, any other ->
      ``https://{region}-aiplatform.googleapis.com/v1``.
    * Project: ``project_id``, else ``ANTHROPIC_VERTEX_PROJECT_ID``, else the
      project of Application Default Credentials; none when a request is
      built is an error.
    * Auth: ``Authorization: Bearer TOKEN`` from ``access_token``, else from
      ``credentials`` (refreshed when expired or tokenless), else from ADC
      (``google.auth.default`` with the ``cloud-platform`` scope).  A request
      that already has an ``Authorization`` header keeps it.  google-auth is
      the ``vertex`` extra.
    * Every JSON body gets ``anthropic_version`` unless it has one; no
      ``anthropic-version`` header is sent; ``anthropic-beta`` stays a header.
    * ``POST /v1/messages``: ``model`` leaves the body (``stream`` stays) and
      the path is ``/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict``
      (``:streamRawPredict`` when streaming); values are percent-encoded as
      path segments, ``;`` in the model as ``%3B``; empty values and dot
      segments are errors.
    * ``POST /v1/messages/count_tokens``:
      ``/projects/{project}/locations/{region}/publishers/anthropic/models/count-tokens:rawPredict``,
      ``model`` stays in the body.
    * ``/v1/messages/batches...``: "The Batch API is not supported in the
      Vertex client yet".
    * Resources: ``messages`` (batches raising as above) and
      ``beta.messages`` (with count_tokens).  No ``models``.  Streams are SSE.

Here: :mod:`._platform` (the platform description) and :mod:`._google` (the
tokens).  Importing this package needs no Google SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.platforms import AsyncAnthropicVertex as AsyncAnthropicVertex
    from ..._sync.platforms import AnthropicVertex as AnthropicVertex

__all__ = ['AnthropicVertex', 'AsyncAnthropicVertex']

# The clients load when first named (each colour on its own).
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "AnthropicVertex": "..._sync.platforms",
        "AsyncAnthropicVertex": "..._async.platforms",
    },
)
