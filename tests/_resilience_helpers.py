"""Loopback tools for the resilience and secrets tests: raw servers, a forwarder, socket counts.

* :class:`RawServer` answers every connection with bytes the test chose (cut
  anywhere, ended by FIN or by RST) and counts connections and requests: for
  failures the emulator does not make, such as a response cut inside its
  status line or headers.
* :class:`FullBacklog` is a listening socket whose accept queue is full, so
  that a connect to it times out (on Linux the kernel drops the SYN); it can
  then start forwarding to another port, so a retried connect succeeds.
* :func:`client_sockets` counts this process's TCP sockets connected to a
  port (Linux ``/proc``); :func:`open_fds` counts its file descriptors.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import pytest

__all__ = [
    "FullBacklog",
    "RawServer",
    "client_sockets",
    "linux_only",
    "open_fds",
    "read_request",
    "reset",
    "sse_response",
    "wait_until",
]

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="counts sockets through the Linux /proc file system"
)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _tcp_inodes() -> dict[str, tuple[int, int]]:
    """inode -> (local port, remote port) for every TCP socket the kernel lists."""
    table: dict[str, tuple[int, int]] = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(name) as f:
            next(f)
            for line in f:
                parts = line.split()
                local, remote, inode = parts[1], parts[2], parts[9]
                table[inode] = (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16))
    return table


def client_sockets(port: int) -> int:
    """How many of this process's open descriptors are TCP sockets connected to ``port``."""
    table = _tcp_inodes()
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            ports = table.get(target[8:-1])
            if ports is not None and ports[1] == port:
                count += 1
    return count


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``check`` (the kernel's or another thread's state) until it holds; False if it never does.

    It returns as soon as it holds: ``timeout`` is only a liveness bound, far above
    the time the state takes to change on a loaded machine, never a speed limit.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return check()


def wait_delivered(sock: socket.socket) -> None:
    """Return once the peer's kernel has acknowledged every byte written to ``sock``.

    On Linux this polls the send queue (``SIOCOUTQ``), which empties as the
    peer reads; elsewhere it only pauses briefly.
    """
    try:
        import fcntl
        import termios

        def unsent() -> int:
            count: int = struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]
            return count

        unsent()
    except (ImportError, OSError):
        time.sleep(0.02)
        return
    wait_until(lambda: unsent() == 0)


def reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def read_request(conn: socket.socket) -> bytes:
    """One HTTP/1.1 request (head and a content-length body) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def sse_response(body: bytes, framing: str = "close", headers: dict[str, str] | None = None) -> bytes:
    """A whole HTTP response carrying ``body`` as an event stream.

    ``framing``: ``close`` (the body ends when the connection does),
    ``length`` (content-length) or ``chunked``.
    """
    lines = ["HTTP/1.1 200 OK", "content-type: text/event-stream", "request-id: req_raw_server"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if framing == "length":
        lines.append(f"content-length: {len(body)}")
        payload = body
    elif framing == "chunked":
        lines.append("transfer-encoding: chunked")
        payload = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if body else b"0\r\n\r\n"
    else:
        lines.append("connection: close")
        payload = body
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


class RawServer:
    """A loopback server that answers each connection with ``respond(index, request)``.

    ``respond`` returns ``(bytes to send, how to end)`` where the end is
    ``"fin"``, ``"rst"`` or ``"hang"`` (send, then keep the connection open
    without a word until the server stops).  ``requests`` holds every request
    received, in order.
    """

    def __init__(self, respond: Callable[[int, bytes], tuple[bytes, str]]) -> None:
        self._respond = respond
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, name="raw-server", daemon=True)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self._thread.join(5)
        self._listener.close()
        with self._lock:
            for conn in self._open:
                reset(conn)

    @property
    def connections(self) -> int:
        return len(self.requests)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            if self._stop.is_set():
                conn.close()
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            request = read_request(conn)
            if not request:
                conn.close()
                return
            with self._lock:
                index = len(self.requests)
                self.requests.append(request)
            data, end = self._respond(index, request)
            conn.sendall(data)
        except OSError:
            conn.close()
            return
        if end == "rst":
            wait_delivered(conn)  # a reset discards what is still unsent: the cut must be where asked
            reset(conn)
        elif end == "hang":
            with self._lock:
                self._open.append(conn)
        else:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_WR)
            conn.close()


class FullBacklog:
    """A listening socket that cannot accept: a connect to :attr:`port` times out.

    :meth:`forward_to` empties the accept queue and starts forwarding every
    new connection to ``127.0.0.1:target``, so the next connect succeeds.
    """

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port: int = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._fillers: list[socket.socket] = []
        for _ in range(8):  # more than the queue holds: the rest wait for a SYN-ACK that never comes
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", self.port))
            self._fillers.append(filler)
        self._threads: list[threading.Thread] = []
        self._pipes: list[socket.socket] = []
        self._stop = threading.Event()
        self.forwarded = 0

    def __enter__(self) -> FullBacklog:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._stop.set()
        for sock in [*self._fillers, *self._pipes]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it
            reset(sock)
        self._listener.close()
        for thread in self._threads:
            thread.join(5)

    def forward_to(self, target: int) -> None:
        for filler in self._fillers:
            reset(filler)
        self._fillers.clear()
        # Empty the accept queue before returning, so that the very next connect is accepted
        # (not only once the forwarding thread gets round to it).
        self._listener.setblocking(False)
        while True:
            try:
                conn, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                break
            reset(conn)
        self._listener.settimeout(0.05)
        thread = threading.Thread(target=self._accept, args=(target,), daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, target: int) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", target))
                request = read_request(conn)
            except OSError:
                conn.close()
                continue
            if not request:  # one of the connections queued while full, now abandoned
                conn.close()
                upstream.close()
                continue
            self.forwarded += 1
            upstream.sendall(request)
            self._pipes += [conn, upstream]
            for src, dst in ((conn, upstream), (upstream, conn)):
                pipe = threading.Thread(target=_pipe, args=(src, dst), daemon=True)
                self._threads.append(pipe)
                pipe.start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while True:
            data = src.recv(65536)
            if not data:
                dst.shutdown(socket.SHUT_WR)
                return
            dst.sendall(data)
