"""AWS Signature Version 4 for one HTTP request, as a pure function.

:func:`sign_request` takes everything a signature depends on (method, URL,
headers, body bytes, credentials, region, service and the signing time) and
returns the headers to add to the request: ``X-Amz-Date`` (or ``Date`` when
the request already carries one), ``X-Amz-Security-Token`` for temporary
credentials, and ``Authorization``.  No I/O, no clock unless ``when`` is left
out, no AWS SDK.

The canonical request is built as AWS's SigV4 rules say, with the choices
botocore makes wherever the rules leave room, so that a request signed here
and one signed by botocore carry the same signature:

* canonical URI: the URL's path (already percent-encoded) with dot segments
  and empty segments removed, then percent-encoded once more, keeping ``/``
  and ``~`` (the double encoding every service but S3 expects); ``/`` when
  empty;
* canonical query: the URL's ``key=value`` pairs as they are on the wire,
  sorted by key then value;
* signed headers: every header of the request except hop-by-hop and tracing
  ones (``connection``, ``user-agent``, ``expect``, ``transfer-encoding``,
  ``x-amzn-trace-id``, ...), names lowercased, values with runs of whitespace
  squeezed to one space, repeated names joined with ``,``, plus ``host``
  from the URL (without a default port) when the request has no ``Host``;
* payload hash: ``X-Amz-Content-SHA256`` if the request carries it, else the
  SHA-256 of the body.

Headers the signer itself sets (``Authorization``, ``X-Amz-Date``,
``X-Amz-Security-Token``) are replaced, never signed twice, so signing the
same request again (a retry) gives a fresh, valid signature.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from email.utils import formatdate
from urllib.parse import quote, urlsplit

__all__ = ["AWSCredentials", "sign_request"]

_BLOCKED = frozenset(
    {
        "baggage",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "traceparent",
        "tracestate",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)
_REPLACED = frozenset({"authorization", "x-amz-date", "x-amz-security-token"})
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_DEFAULT_PORTS = {"http": 80, "https": 443}


class AWSCredentials:
    """An access key, its secret and, for temporary credentials, a session token."""

    __slots__ = ("access_key", "secret_key", "session_token")

    def __init__(self, access_key: str, secret_key: str, session_token: str | None = None) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.session_token = session_token or None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AWSCredentials):
            return NotImplemented
        return (self.access_key, self.secret_key, self.session_token) == (
            other.access_key,
            other.secret_key,
            other.session_token,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        token = ", session_token=<hidden>" if self.session_token else ""
        return f"AWSCredentials(access_key={self.access_key!r}, secret_key=<hidden>{token})"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    for part in path.split("/"):
        if not part or part == ".":
            continue
        if part == "..":
            if out:
                out.pop()
        else:
            out.append(part)
    first = "/" if path.startswith("/") else ""
    last = "/" if path.endswith("/") and out else ""
    return first + "/".join(out) + last


def _canonical_uri(path: str) -> str:
    return quote(_remove_dot_segments(path) if path else "/", safe="/~") or "/"


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = []
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        pairs.append((key, value))
    return "&".join(f"{key}={value}" for key, value in sorted(pairs))


def _host(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return host


def sign_request(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    body: bytes,
    credentials: AWSCredentials,
    region: str,
    service: str,
    when: _dt.datetime | None = None,
) -> dict[str, str]:
    """The headers that sign this request for ``service`` in ``region`` at ``when`` (default: now).

    ``headers`` are the request's headers as they will be sent (a mapping or
    name/value pairs, repeated names allowed); the result is to be set on the
    request, replacing any header of the same name.
    """
    if not credentials.access_key or not credentials.secret_key:
        raise ValueError("AWS SigV4 signing needs both an access key and a secret key")
    if not region:
        raise ValueError("AWS SigV4 signing needs a region")
    if when is None:
        when = _dt.datetime.now(_dt.timezone.utc)
    elif when.tzinfo is not None:
        when = when.astimezone(_dt.timezone.utc)
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]

    items = headers.items() if isinstance(headers, Mapping) else headers
    signed: dict[str, list[str]] = {}
    payload_hash: str | None = None
    has_date = False
    for name, value in items:
        lname = name.lower()
        if lname in _REPLACED:
            continue
        if lname == "date":
            has_date = True
            continue
        if lname == "x-amz-content-sha256" and payload_hash is None:
            payload_hash = value
        if lname not in _BLOCKED:
            signed.setdefault(lname, []).append(value)

    added: dict[str, str] = {}
    if has_date:
        added["Date"] = formatdate(calendar.timegm(when.utctimetuple()))
        signed["date"] = [added["Date"]]
    else:
        added["X-Amz-Date"] = stamp
        signed["x-amz-date"] = [stamp]
    if credentials.session_token:
        added["X-Amz-Security-Token"] = credentials.session_token
        signed["x-amz-security-token"] = [credentials.session_token]
    if "host" not in signed:
        signed["host"] = [_host(url)]
    if payload_hash is None:
        payload_hash = hashlib.sha256(body).hexdigest() if body else _EMPTY_SHA256

    names = sorted(signed)
    canonical_headers = "".join(f"{n}:{','.join(' '.join(v.split()) for v in signed[n])}\n" for n in names)
    signed_names = ";".join(names)
    parts = urlsplit(url)
    canonical = "\n".join(
        (
            method.upper(),
            _canonical_uri(parts.path),
            _canonical_query(parts.query),
            canonical_headers,
            signed_names,
            payload_hash,
        )
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(("AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()))
    key = _hmac(f"AWS4{credentials.secret_key}".encode(), day)
    key = _hmac(_hmac(_hmac(key, region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    added["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed_names}, Signature={signature}"
    )
    return added
