"""Checking an AWS Signature Version 4 ``Authorization`` header, as the AWS-fronted platforms do.

:func:`check_sigv4` answers whether a request carries a well-formed SigV4
signature for the expected service and, when the emulator was given AWS keys
(access key id to secret key), whether the signature is the one those keys
give.  It returns ``None`` when the request passes, else a
:class:`SigV4Problem`: the AWS exception name and its message, which each
surface renders in its own error shape.

Well-formed means: scheme ``AWS4-HMAC-SHA256``; ``Credential=KEY/DATE/REGION/SERVICE/aws4_request``,
``SignedHeaders=a;b;...`` and a 64-hex-digit ``Signature``; an ``X-Amz-Date``
header (``YYYYMMDDTHHMMSSZ``) whose day is the credential's; ``host`` and
``x-amz-date`` among the signed headers, every signed header present; the
service the route expects.  The signing time is not compared with the clock
(tests run with dummy credentials and fixed dates).

Verification recomputes the signature with the package's own signer
(``anthropic.lib.aws._sigv4.sign_request``) over the raw path and query the
request was sent with, its body bytes and the headers it signed, and compares
in constant time.  A pure function: no I/O.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["SigV4Problem", "check_sigv4", "is_sigv4"]

SCHEME = "AWS4-HMAC-SHA256"

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256\s+"
    r"Credential=(?P<key>[^/\s,]+)/(?P<day>\d{8})/(?P<region>[^/\s,]+)/(?P<service>[^/\s,]+)/aws4_request,\s*"
    r"SignedHeaders=(?P<signed>[a-z0-9!#$%&'*+.^_`|~-]+(?:;[a-z0-9!#$%&'*+.^_`|~-]+)*),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})"
)
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")
_FORMAT_HELP = (
    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters: "
    f"{SCHEME} Credential=ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request, "
    "SignedHeaders=host;x-amz-date;..., Signature=<64 hex digits>"
)
_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method."
)


@dataclass(frozen=True)
class SigV4Problem:
    """Why a request's SigV4 signature is refused: the AWS exception name and its message."""

    kind: str
    message: str


def is_sigv4(authorization: str) -> bool:
    """Whether an ``Authorization`` value claims to be a SigV4 signature."""
    return authorization.lstrip()[: len(SCHEME)].upper() == SCHEME


def check_sigv4(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    service: str,
    keys: Mapping[str, str] | None,
) -> SigV4Problem | None:
    """``None`` if the request's SigV4 ``Authorization`` is well formed (and, with ``keys``, valid)."""
    authorization = headers.get("authorization", "").strip()
    if not authorization:
        return SigV4Problem("MissingAuthenticationTokenException", "Missing Authentication Token")
    match = _AUTHORIZATION.fullmatch(authorization)
    if match is None:
        return SigV4Problem("IncompleteSignatureException", _FORMAT_HELP)
    amz_date = headers.get("x-amz-date", "").strip()
    if not _AMZ_DATE.fullmatch(amz_date):
        return SigV4Problem(
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header "
            "(an X-Amz-Date of the form YYYYMMDDTHHMMSSZ).",
        )
    if amz_date[:8] != match["day"]:
        return SigV4Problem(
            "InvalidSignatureException",
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{match['day']}' != '{amz_date[:8]}'",
        )
    signed = match["signed"].split(";")
    if "host" not in signed:
        return SigV4Problem(
            "InvalidSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        )
    if "x-amz-date" not in signed:
        return SigV4Problem(
            "InvalidSignatureException", "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."
        )
    missing = [name for name in signed if name not in headers]
    if missing:
        return SigV4Problem(
            "InvalidSignatureException", f"The request does not carry the signed header '{missing[0][:64]}'."
        )
    if match["service"] != service:
        return SigV4Problem(
            "InvalidSignatureException", f"Credential should be scoped to correct service: '{service}'."
        )
    if keys is None:
        return None
    secret = keys.get(match["key"])
    if secret is None:
        return SigV4Problem(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    return _verify(match, method, path, query, headers, body, secret, amz_date, signed)


def _verify(
    match: re.Match[str],
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    secret: str,
    amz_date: str,
    signed: list[str],
) -> SigV4Problem | None:
    from ..lib.aws._sigv4 import AWSCredentials, sign_request

    token = headers.get("x-amz-security-token") if "x-amz-security-token" in signed else None
    when = dt.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    host = headers.get("host", "localhost")
    url = f"http://{host}{path}" + (f"?{query}" if query else "")
    expected = sign_request(
        method=method,
        url=url,
        headers=[(name, headers[name]) for name in signed],
        body=body,
        credentials=AWSCredentials(match["key"], secret, token),
        region=match["region"],
        service=match["service"],
        when=when,
    )["Authorization"]
    ours = _AUTHORIZATION.fullmatch(expected)
    if (
        ours is not None
        and ours["signed"] == match["signed"]
        and hmac.compare_digest(ours["signature"].encode(), match["signature"].encode())
    ):
        return None
    return SigV4Problem("InvalidSignatureException", _MISMATCH)
