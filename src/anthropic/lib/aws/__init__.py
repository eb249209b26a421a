"""AWS: SigV4 signing and credentials for the AWS-authenticated platforms, and ``AnthropicAWS``.

What the official client 2.15.0 does (the behaviour this package keeps):

``AnthropicAWS`` / ``AsyncAnthropicAWS``
    Keyword arguments ``api_key``, ``aws_access_key``, ``aws_secret_key``,
    ``aws_region``, ``aws_profile``, ``aws_session_token``, ``workspace_id``,
    ``skip_auth``, ``base_url`` and the usual ones (``auth_token`` and
    ``webhook_key`` are accepted; ``auth_token`` is not used for auth).

    * The first-party API (paths, bodies, SSE streams, ``anthropic-version``
      header) with an ``anthropic-workspace-id`` header.
    * Auth (unless ``skip_auth``): ``api_key``; else SigV4 (service
      ``aws-external-anthropic``) when AWS keys or a profile are given; else
      an API key from ``ANTHROPIC_AWS_API_KEY``; else SigV4 with the default
      credential chain.  An API key is sent as ``Authorization: Bearer KEY``;
      the ambient ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` are never
      used.  Only one of ``aws_access_key`` / ``aws_secret_key`` is an error.
    * Region: ``aws_region``, else ``AWS_REGION``, else
      ``AWS_DEFAULT_REGION``; required for SigV4.
    * Workspace: ``workspace_id``, else ``ANTHROPIC_AWS_WORKSPACE_ID``;
      required unless ``skip_auth``.
    * Base URL: ``base_url``, else ``ANTHROPIC_AWS_BASE_URL``, else
      ``https://aws-external-anthropic.{region}.api.aws``.
    * ``/v1/user_profiles/{id}/action_urls`` is refused ("User profile action
      URLs are not supported in the AWS client.").

Shared with Bedrock and Mantle: :mod:`._sigv4` (the signer, no SDK),
:mod:`._credentials` (where keys and the region come from; boto3 only for
profiles and the default chain), :mod:`._auth` (signing as an auth step).
Importing this package needs no AWS SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.platforms import AsyncAnthropicAWS as AsyncAnthropicAWS
    from ..._sync.platforms import AnthropicAWS as AnthropicAWS

__all__ = ['AnthropicAWS', 'AsyncAnthropicAWS']

# The clients load when first named (each colour on its own).
__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "AnthropicAWS": "..._sync.platforms",
        "AsyncAnthropicAWS": "..._async.platforms",
    },
)
