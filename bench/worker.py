"""One measurement in a fresh process:  python worker.py '<json spec>'

Run by ``run.py`` with the interpreter of the implementation under test: the project's venv
for the floor and for this client, ``bench/.venvs/official`` for the official client. Only
the standard library, httpx2 (floor) and ``anthropic`` (clients) are imported, so the same
file runs under both interpreters.

Sequence: imports; one client; warm-up streams of tiny bodies with it (a first request pays
one-time costs: lazy imports, validators, the keep-alive connection; their CPU time is
reported as ``first_cpu``); the memory baseline; then the measured part: open the stream,
iterate every event, get the final message. Prints one JSON line. A measured part that
reaches ``cpu_cap`` CPU seconds is stopped there and reported with ``capped: true``, its
``cpu`` then being a lower bound.

Spec keys:
    impl            "floor" or "client"
    kind            "sync", "async", "concurrent", "snapshots", "structured" or "bedrock"
                    (sync, through ``AnthropicBedrock`` and the server's Bedrock route)
    base            the bench server's URL
    body, warmup    names of the bodies to stream (sent in the ``x-bench-body`` header)
    streams         how many concurrent streams ("concurrent")
    parsed          call ``parsed_snapshot()`` on every text event ("structured")
    cpu_cap         CPU seconds allowed to the measured part
    expect_prefix   the directory ``anthropic`` must be imported from
    dump            a file for the final message(s), or null
    profile         optional: a file to write a cProfile of the measured part to
"""

from __future__ import annotations

import base64
import json
import logging
import os
import resource
import signal
import struct
import sys
import time
import warnings
from typing import Any

PARAMS: dict[str, Any] = {
    "model": "claude-sonnet-4-5-20250929",
    "max_tokens": 64000,
    "messages": [{"role": "user", "content": "Write at length."}],
}
BODY_HEADER = "x-bench-body"  # tells the bench server which body to stream
HEADERS = {"x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json"}


def _maxrss_kb() -> int:
    """Peak resident set size of this process, in KB.

    ``getrusage(RUSAGE_SELF).ru_maxrss`` is the usual source, but Linux carries it over from
    the parent through fork and exec, so a worker started by a large harness would report the
    harness's size. ``VmHWM`` is the high-water mark of this process's own address space."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux


# ---------------------------------------------------------------- the floor


def _floor_events(buf: bytes, chunk: bytes) -> tuple[bytes, int]:
    parts = (buf + chunk).split(b"\n\n")
    rest = parts.pop()
    for part in parts:
        for line in part.split(b"\n"):
            if line.startswith(b"data:"):
                json.loads(line[5:])
    return rest, len(parts)


def floor_sync(client: Any, url: str, body: str) -> int:
    n = 0
    buf = b""
    headers = {**HEADERS, BODY_HEADER: body}
    with client.stream("POST", url, json={**PARAMS, "stream": True}, headers=headers) as response:
        for chunk in response.iter_bytes():
            buf, k = _floor_events(buf, chunk)
            n += k
    return n


async def floor_async(client: Any, url: str, body: str) -> int:
    n = 0
    buf = b""
    headers = {**HEADERS, BODY_HEADER: body}
    async with client.stream("POST", url, json={**PARAMS, "stream": True}, headers=headers) as response:
        async for chunk in response.aiter_bytes():
            buf, k = _floor_events(buf, chunk)
            n += k
    return n


def _floor_frames(buf: bytes, chunk: bytes) -> tuple[bytes, int]:
    """Whole AWS event-stream messages off the front of ``buf + chunk``: no checksum or header
    checks, the payload's JSON, its base64 and the event's JSON decoded (what any client must do)."""
    buf += chunk
    n = 0
    pos = 0
    while len(buf) - pos >= 12:
        total, hlen = struct.unpack_from(">II", buf, pos)
        if len(buf) - pos < total:
            break
        payload = buf[pos + 12 + hlen : pos + total - 4]
        json.loads(base64.b64decode(json.loads(payload)["bytes"]))
        n += 1
        pos += total
    return buf[pos:], n


def floor_bedrock(client: Any, url: str, body: str) -> int:
    n = 0
    buf = b""
    headers = {"content-type": "application/json", BODY_HEADER: body}
    bedrock = {k: v for k, v in PARAMS.items() if k != "model"}
    with client.stream("POST", url, json={**bedrock, "anthropic_version": "bedrock-2023-05-31"}, headers=headers) as response:
        for chunk in response.iter_bytes():
            buf, k = _floor_frames(buf, chunk)
            n += k
    return n


# ---------------------------------------------------------------- the clients


def catalog_model() -> Any:
    from pydantic import BaseModel

    class Item(BaseModel):
        sku: str
        title: str
        price: float
        quantity: int
        in_stock: bool
        tags: list[str]

    class Catalog(BaseModel):
        name: str
        items: list[Item]

    return Catalog


def client_sync(client: Any, body: str, snapshots: bool) -> tuple[Any, int]:
    """Iterate every event; with ``snapshots``, also read ``event.snapshot`` on every text
    event and ``stream.current_message_snapshot`` (its block count and last block's text)
    every 100 events."""
    n = 0
    seen = 0
    with client.messages.stream(**PARAMS, extra_headers={BODY_HEADER: body}) as stream:
        for event in stream:
            n += 1
            if event.type == "text":
                seen += len(event.text)
                if snapshots:
                    seen += len(event.snapshot)
            if snapshots and n % 100 == 0:
                message = stream.current_message_snapshot
                seen += len(message.content)
                if message.content and message.content[-1].type == "text":
                    seen += len(message.content[-1].text)
        return stream.get_final_message(), n


async def client_async(client: Any, body: str) -> tuple[Any, int]:
    n = 0
    seen = 0
    async with client.messages.stream(**PARAMS, extra_headers={BODY_HEADER: body}) as stream:
        async for event in stream:
            n += 1
            if event.type == "text":
                seen += len(event.text)
        return await stream.get_final_message(), n


def client_structured(client: Any, body: str, model: Any, parsed: bool) -> tuple[Any, int]:
    n = 0
    seen = 0
    with client.beta.messages.stream(
        **PARAMS,
        betas=["structured-outputs-2025-11-13"],
        output_format=model,
        extra_headers={BODY_HEADER: body},
    ) as stream:
        for event in stream:
            n += 1
            if event.type == "text":
                seen += len(event.text)
                if parsed:
                    seen += len(event.parsed_snapshot())
        return stream.get_final_message(), n


# ---------------------------------------------------------------- driver


def dump(message: Any) -> Any:
    """``model_dump()`` of a final message, plus its ``parsed_output`` (structured outputs)
    under the key ``$parsed_output``, since a client may leave it out of the dump."""
    out = message.model_dump(mode="json")
    parsed = getattr(message, "parsed_output", None)
    if parsed is not None:
        out["$parsed_output"] = parsed.model_dump(mode="json")
    return out


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    impl, kind = spec["impl"], spec["kind"]
    is_async = kind in ("async", "concurrent")
    result: dict[str, Any] = {"impl": impl, "python": sys.version.split()[0]}

    # One client per process; the body to serve is chosen per request by a header, so the
    # warm-up stream and the measured ones share the client and its connection pool.
    if impl == "floor":
        import httpx2

        client: Any = (httpx2.AsyncClient if is_async else httpx2.Client)(timeout=600)
        url = spec["base"] + "/v1/messages"
        bedrock_url = spec["base"] + f"/model/{PARAMS['model']}/invoke-with-response-stream"

        def run_sync(body: str) -> tuple[Any, int]:
            if kind == "bedrock":
                return None, floor_bedrock(client, bedrock_url, body)
            return None, floor_sync(client, url, body)

        async def run_async(body: str) -> tuple[Any, int]:
            return None, await floor_async(client, url, body)

    else:
        import anthropic

        where = os.path.realpath(anthropic.__file__)
        if not where.startswith(os.path.realpath(spec["expect_prefix"]) + os.sep):
            raise SystemExit(f"anthropic imported from {where}, expected under {spec['expect_prefix']}")
        result["version"] = getattr(anthropic, "__version__", "?")
        result["module"] = where
        model = catalog_model() if kind == "structured" else None
        if kind == "bedrock":  # dummy keys: the bench server does not check the signature
            client = anthropic.AnthropicBedrock(
                aws_access_key="k", aws_secret_key="s", aws_region="us-east-1", base_url=spec["base"]
            )
        else:
            client = (anthropic.AsyncAnthropic if is_async else anthropic.Anthropic)(
                api_key="k", base_url=spec["base"]
            )

        def run_sync(body: str) -> tuple[Any, int]:
            if kind == "structured":
                return client_structured(client, body, model, spec.get("parsed", False))
            return client_sync(client, body, kind == "snapshots")

        async def run_async(body: str) -> tuple[Any, int]:
            return await client_async(client, body)

    marks: dict[str, float] = {}
    profiler = None
    if spec.get("profile"):
        import cProfile

        profiler = cProfile.Profile()

    def cap_reached(signum: int, frame: Any) -> None:
        # Report the CPU spent so far and leave at once: unwinding through the client
        # (or an event loop) from here could fail in ways that have nothing to do with it.
        result.update(capped=True, cpu=time.process_time() - marks["cpu"])
        print(json.dumps(result), flush=True)
        os._exit(0)

    def warmed_up(t: float) -> None:
        result["first_cpu"] = time.process_time() - t
        result["rss_base_kb"] = _maxrss_kb()
        signal.signal(signal.SIGPROF, cap_reached)
        signal.setitimer(signal.ITIMER_PROF, spec["cpu_cap"])
        if profiler is not None:
            profiler.enable()
        marks["cpu"], marks["wall"] = time.process_time(), time.perf_counter()

    def finish(outs: list[tuple[Any, int]]) -> None:
        result["cpu"] = time.process_time() - marks["cpu"]
        result["wall"] = time.perf_counter() - marks["wall"]
        signal.setitimer(signal.ITIMER_PROF, 0)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(spec["profile"])
        result["rss_peak_kb"] = _maxrss_kb()
        result["events"] = [n for _, n in outs]
        if spec.get("dump") and impl != "floor":
            with open(spec["dump"], "w", encoding="utf-8") as f:
                json.dump([dump(m) for m, _ in outs], f, ensure_ascii=False, sort_keys=True)

    if is_async:
        import asyncio

        async def main() -> None:
            t = time.process_time()
            for body in spec["warmup"]:
                await run_async(body)
            warmed_up(t)
            finish(list(await asyncio.gather(*(run_async(spec["body"]) for _ in range(spec["streams"])))))

        asyncio.run(main())
    else:
        t = time.process_time()
        for body in spec["warmup"]:
            run_sync(body)
        warmed_up(t)
        finish([run_sync(spec["body"])])
    return result


def main() -> None:
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    spec = json.loads(sys.argv[1])
    print(json.dumps(measure(spec)), flush=True)


if __name__ == "__main__":
    main()
