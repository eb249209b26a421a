"""Where AWS credentials and the region come from, for the Bedrock, AWS and Mantle clients.

Resolution happens when a client is built, before any request, and every
failure names what is missing:

* ``aws_access_key`` and ``aws_secret_key`` (with ``aws_session_token`` for
  temporary credentials): used as given, even with ``aws_profile``.  One without the other, or a session
  token without either, is an error naming the missing argument.
* otherwise, with no ``aws_profile``: ``AWS_ACCESS_KEY_ID`` and
  ``AWS_SECRET_ACCESS_KEY`` (and ``AWS_SESSION_TOKEN``), the first step of
  AWS's own credential chain; no SDK needed.
* otherwise (a profile, SSO, web identity, container or instance roles, ...):
  the credential chain of ``boto3`` for the profile, which needs the extra
  (``pip install 'anthropic[bedrock]'``, or ``[aws]``); its credentials are
  re-read for each request, so refreshable credentials stay fresh.  Without
  boto3 this is a :class:`~anthropic.lib._platform.MissingDependencyError`;
  with boto3 but no credentials anywhere, a
  :class:`~anthropic.MissingCredentialsError` listing the ways to give them.

The region: the ``aws_region`` argument, else ``AWS_REGION``, else
``AWS_DEFAULT_REGION``, else (when boto3 is installed) the region configured
for the profile.

These are the sources the official client 2.15.0 consults (it hands all but
the region to a ``boto3.Session`` and fails at the first request); the two
first steps are read here directly so that explicit and environment keys work
without the SDK.
"""

from __future__ import annotations

import threading
from typing import Any

from ..._errors import MissingCredentialsError
from .._platform import PlatformConfigError, env, require_sdk
from ._sigv4 import AWSCredentials

__all__ = ["AWSCredentialSource", "resolve_aws_credentials", "resolve_aws_region"]


class AWSCredentialSource:
    """The credentials to sign each request with: fixed, or read from a boto3 session each time.

    ``static`` tells whether :meth:`get` is a plain read (no I/O, no lock);
    when it is not, an async client calls :meth:`get` in a worker thread,
    because a boto3 refresh may go to the network.
    """

    __slots__ = ("_boto_credentials", "_fixed", "_lock", "description")

    def __init__(
        self, *, fixed: AWSCredentials | None = None, boto_credentials: Any = None, description: str
    ) -> None:
        self._fixed = fixed
        self._boto_credentials = boto_credentials
        self._lock = threading.Lock()
        self.description = description

    @property
    def static(self) -> bool:
        return self._fixed is not None

    def get(self) -> AWSCredentials:
        if self._fixed is not None:
            return self._fixed
        with self._lock:
            frozen = self._boto_credentials.get_frozen_credentials()
        if not frozen.access_key or not frozen.secret_key:
            raise MissingCredentialsError(
                f"The AWS credentials from {self.description} have no access key or secret key"
            )
        return AWSCredentials(frozen.access_key, frozen.secret_key, frozen.token)

    def __repr__(self) -> str:
        return f"<AWSCredentialSource {self.description}>"


def check_key_pair(access_key: str | None, secret_key: str | None, session_token: str | None) -> None:
    if (access_key is None) != (secret_key is None):
        given, missing = (
            ("aws_access_key", "aws_secret_key")
            if secret_key is None
            else ("aws_secret_key", "aws_access_key")
        )
        raise PlatformConfigError(
            f"`{given}` was given without `{missing}`: pass both, or neither to use the AWS "
            f"credential chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role)"
        )
    if session_token is not None and access_key is None:
        raise PlatformConfigError(
            "`aws_session_token` was given without `aws_access_key` and `aws_secret_key`: a session token "
            "is only used together with the temporary access key and secret key it belongs to"
        )


def resolve_aws_credentials(
    *,
    aws_access_key: str | None,
    aws_secret_key: str | None,
    aws_session_token: str | None,
    aws_profile: str | None,
    aws_region: str | None,
    extra: str,
) -> AWSCredentialSource:
    """The source of the credentials that sign requests; see the module docstring for the order."""
    check_key_pair(aws_access_key, aws_secret_key, aws_session_token)
    if aws_access_key is not None and aws_secret_key is not None:
        return AWSCredentialSource(
            fixed=AWSCredentials(aws_access_key, aws_secret_key, aws_session_token),
            description="the aws_access_key and aws_secret_key arguments",
        )
    if aws_profile is None:
        access_key = env("AWS_ACCESS_KEY_ID")
        secret_key = env("AWS_SECRET_ACCESS_KEY")
        if access_key and secret_key:
            return AWSCredentialSource(
                fixed=AWSCredentials(access_key, secret_key, env("AWS_SESSION_TOKEN")),
                description="the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables",
            )
    where = f"the AWS profile {aws_profile!r}" if aws_profile is not None else "the AWS credential chain"
    boto3 = require_sdk(
        "boto3",
        library="boto3",
        extra=extra,
        needed_for=(
            f"Reading AWS credentials from {where} (no aws_access_key / aws_secret_key arguments "
            f"and no AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables were given)"
        ),
    )
    try:
        session = boto3.Session(profile_name=aws_profile, region_name=aws_region)
        credentials = session.get_credentials()
    except Exception as exc:  # botocore's ProfileNotFound, a broken config file, ...
        raise PlatformConfigError(f"Could not read AWS credentials from {where}: {exc}") from exc
    if credentials is None:
        raise MissingCredentialsError(
            "No AWS credentials found: pass `aws_access_key` and `aws_secret_key` (and `aws_session_token` "
            "for temporary credentials), set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure "
            "a profile (`aws_profile` or AWS_PROFILE)"
        )
    return AWSCredentialSource(boto_credentials=credentials, description=where)


def resolve_aws_region(aws_region: str | None, *, aws_profile: str | None) -> str | None:
    """The region from the argument, the environment or (with boto3) the profile's configuration."""
    if aws_region is not None:
        return aws_region
    region = env("AWS_REGION") or env("AWS_DEFAULT_REGION")
    if region:
        return region
    try:
        import boto3  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        name = boto3.Session(profile_name=aws_profile).region_name
    except Exception:
        return None
    return name if isinstance(name, str) and name else None
