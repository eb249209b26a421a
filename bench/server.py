"""Loopback HTTP/1.1 server for the benchmarks, run as its own process.

    python server.py BODY_DIR

loads every ``BODY_DIR/*.sse`` body, frames each once with chunked transfer encoding in
4-16 KB chunks, listens on 127.0.0.1 (a free port) and prints ``PORT <n>`` when ready.
``POST /v1/messages`` with header ``x-bench-body: <name>`` answers with the body named
``<name>``; ``POST /model/{model}/invoke-with-response-stream`` (Bedrock) answers with the
same events in AWS event-stream framing (``bodies.bedrock_frames``, framed on first use,
then chunked the same way); anything else is a 404.
The request body is read and ignored. Connections are kept alive; one thread per connection,
and a response is a single ``sendall`` of pre-built bytes, so the server does next to no
work per request and is never the bottleneck.
"""

from __future__ import annotations

import itertools
import os
import socket
import sys
import threading

from bodies import bedrock_frames, frame_chunked

_counter = itertools.count(1)
_framed_lock = threading.Lock()
_bedrock: dict[bytes, bytes] = {}  # body name -> chunked Bedrock body, built on first use
_raw: dict[bytes, bytes] = {}  # body name -> SSE bytes


def _bedrock_body(name: bytes) -> bytes | None:
    with _framed_lock:
        body = _bedrock.get(name)
        if body is None and name in _raw:
            body = _bedrock[name] = frame_chunked(bedrock_frames(_raw[name]), seed=len(_bedrock))
        return body


def _load(directory: str) -> dict[bytes, bytes]:
    framed = {}
    for i, fname in enumerate(sorted(os.listdir(directory))):
        if fname.endswith(".sse"):
            with open(os.path.join(directory, fname), "rb") as f:
                raw = _raw[fname[:-4].encode()] = f.read()
                framed[fname[:-4].encode()] = frame_chunked(raw, seed=i)
    return framed


def _serve_connection(conn: socket.socket, bodies: dict[bytes, bytes]) -> None:
    try:
        with conn:
            _serve(conn, bodies)
    except OSError:
        pass  # the client went away mid-response: nothing to do


def _serve(conn: socket.socket, bodies: dict[bytes, bytes]) -> None:
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
        head, _, buf = buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        method, path, _version = lines[0].split(b" ", 2)
        length = 0
        close = False
        wanted = b""
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"x-bench-body":
                wanted = value.strip()
        while len(buf) < length:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
        buf = buf[length:]
        route = path.split(b"?")[0]
        content_type = b"text/event-stream; charset=utf-8"
        body = None
        if method == b"POST" and route == b"/v1/messages":
            body = bodies.get(wanted)
        elif method == b"POST" and route.startswith(b"/model/") and route.endswith(b"/invoke-with-response-stream"):
            body = _bedrock_body(wanted)
            content_type = b"application/vnd.amazon.eventstream"
        rid = b"req_bench_%08d" % next(_counter)
        if body is None:
            msg = b'{"type":"error","error":{"type":"not_found_error","message":"no such body"}}'
            conn.sendall(
                b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nrequest-id: %s\r\n"
                b"content-length: %d\r\n\r\n%s" % (rid, len(msg), msg)
            )
        else:
            conn.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: %s\r\n"
                b"cache-control: no-cache\r\nrequest-id: %s\r\ntransfer-encoding: chunked\r\n"
                b"connection: keep-alive\r\n\r\n" % (content_type, rid)
            )
            conn.sendall(body)
        if close:
            return


def main() -> None:
    bodies = _load(sys.argv[1])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=_serve_connection, args=(conn, bodies), daemon=True).start()


if __name__ == "__main__":
    main()
