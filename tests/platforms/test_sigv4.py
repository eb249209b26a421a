"""SigV4 signing: a known vector, then botocore's signer as the oracle for many requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anthropic.lib.aws._sigv4 import AWSCredentials, sign_request

WHEN = dt.datetime(2015, 8, 30, 12, 36, 0, tzinfo=dt.timezone.utc)
AWS_EXAMPLE = AWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")


def test_the_aws_get_vanilla_example() -> None:
    # The "get-vanilla" case of AWS's published SigV4 test suite.
    headers = sign_request(
        method="GET",
        url="https://example.amazonaws.com/",
        headers={"Host": "example.amazonaws.com"},
        body=b"",
        credentials=AWS_EXAMPLE,
        region="us-east-1",
        service="service",
        when=WHEN,
    )
    assert headers == {
        "X-Amz-Date": "20150830T123600Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    }


def test_session_token_is_sent_and_signed_and_old_auth_headers_are_replaced() -> None:
    creds = AWSCredentials("AKID", "SECRET", "TOKEN")
    first = sign_request(
        method="post",
        url="https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke",
        headers={"content-type": "application/json"},
        body=b"{}",
        credentials=creds,
        region="us-east-1",
        service="bedrock",
        when=WHEN,
    )
    assert first["X-Amz-Security-Token"] == "TOKEN"
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token," in first["Authorization"]
    # signing the signed request again (a retry) gives the same headers, not a signature of the old ones
    again = sign_request(
        method="POST",
        url="https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke",
        headers={"content-type": "application/json", **first},
        body=b"{}",
        credentials=creds,
        region="us-east-1",
        service="bedrock",
        when=WHEN,
    )
    assert again == first


def test_credentials_never_show_their_secrets() -> None:
    text = repr(AWSCredentials("AKID", "SECRET", "TOKEN"))
    assert "SECRET" not in text and "TOKEN" not in text and "AKID" in text


@pytest.mark.parametrize(
    ("creds", "region", "match"),
    [
        (AWSCredentials("", "s"), "us-east-1", "both an access key and a secret key"),
        (AWSCredentials("a", ""), "us-east-1", "both an access key and a secret key"),
        (AWSCredentials("a", "s"), "", "needs a region"),
    ],
)
def test_missing_pieces_are_named(creds: AWSCredentials, region: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sign_request(
            method="GET",
            url="https://x/",
            headers={},
            body=b"",
            credentials=creds,
            region=region,
            service="s",
        )


# -- botocore as the oracle ---------------------------------------------------------------------

segment_chars = st.sampled_from(
    [*list("abcXYZ019-_.~:;@!$&'()*+,="), "%20", "%2F", "%3A", "%25", "%C3%A9", "."]
)
segments = st.lists(segment_chars, min_size=0, max_size=6).map("".join)
paths = st.lists(st.one_of(segments, st.sampled_from([".", "..", ""])), max_size=6).map(
    lambda parts: "/" + "/".join(parts)
)
query_part = st.text(alphabet="abcXYZ019-_.~%2", max_size=6)
queries = st.lists(st.tuples(query_part, query_part, st.booleans()), max_size=4).map(
    lambda pairs: "&".join(f"{k}={v}" if eq else k for k, v, eq in pairs)
)
header_names = st.sampled_from(
    [
        "content-type",
        "Accept",
        "anthropic-beta",
        "X-Custom",
        "x-stainless-retry-count",
        "user-agent",
        "Connection",
        "expect",
        "x-amzn-trace-id",
        "Content-Length",
        "x-amz-content-sha256",
        "host",
    ]
)
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20).filter(
    lambda v: v.strip() != ""
)


@st.composite
def requests(draw: Any) -> dict[str, Any]:
    scheme = draw(st.sampled_from(["https", "http"]))
    host = draw(
        st.sampled_from(["bedrock-runtime.us-east-1.amazonaws.com", "127.0.0.1", "EXAMPLE.com", "[::1]"])
    )
    port = draw(st.sampled_from(["", ":443", ":80", ":8080"]))
    query = draw(queries)
    url = f"{scheme}://{host}{port}{draw(paths)}" + (f"?{query}" if query else "")
    pairs = draw(st.lists(st.tuples(header_names, header_values), max_size=6))
    return {
        "method": draw(st.sampled_from(["POST", "GET", "DELETE", "put"])),
        "url": url,
        "headers": pairs,
        "body": draw(st.binary(max_size=64)),
        "credentials": AWSCredentials(
            draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=4, max_size=20)),
            draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789+/", min_size=8, max_size=40)),
            draw(st.one_of(st.none(), st.text(alphabet="abcdefghij0123456789=/+", min_size=1, max_size=40))),
        ),
        "region": draw(st.sampled_from(["us-east-1", "eu-west-3", "ap-southeast-2"])),
        "service": draw(st.sampled_from(["bedrock", "bedrock-mantle", "aws-external-anthropic"])),
        "when": draw(
            st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
                lambda d: d.replace(microsecond=0)
            )
        ),
        "with_date": draw(st.integers(0, 9)) == 0,
    }


def botocore_headers(req: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    auth = pytest.importorskip("botocore.auth")
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    creds: AWSCredentials = req["credentials"]
    request = AWSRequest(method=req["method"].upper(), url=req["url"], data=req["body"])
    for name, value in req["headers"]:
        request.headers[name] = value  # appends: repeated names are kept
    if req["with_date"]:
        request.headers["Date"] = "Thu, 01 Jan 1970 00:00:00 GMT"
    monkeypatch.setattr(auth, "get_current_datetime", lambda remove_tzinfo=True: req["when"])
    signer = auth.SigV4Auth(
        Credentials(creds.access_key, creds.secret_key, creds.session_token), req["service"], req["region"]
    )
    signer.add_auth(request)
    wanted = ("authorization", "x-amz-date", "x-amz-security-token", "date")
    return {k: v for k, v in request.headers.items() if k.lower() in wanted}


def ours(req: dict[str, Any]) -> dict[str, str]:
    headers = list(req["headers"])
    if req["with_date"]:
        headers.append(("Date", "Thu, 01 Jan 1970 00:00:00 GMT"))
    return sign_request(
        method=req["method"],
        url=req["url"],
        headers=headers,
        body=req["body"],
        credentials=req["credentials"],
        region=req["region"],
        service=req["service"],
        when=req["when"],
    )


@settings(max_examples=500, deadline=None)
@given(requests())
def test_same_headers_as_botocore(req: dict[str, Any]) -> None:
    pytest.importorskip("botocore")
    with pytest.MonkeyPatch.context() as mp:
        theirs = botocore_headers(req, mp)
    assert ours(req) == theirs
