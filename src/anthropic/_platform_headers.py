"""The ``x-stainless-*`` headers that describe the client: language, version, OS, CPU, Python.

The official client sends them on every request, and code written against it
reads them back (``response.http_request.headers["x-stainless-lang"]``), so
this package sends the same ones, with the same values for the same machine.
They are worked out once, on the first request, from ``os.uname()`` and
``sys`` (the ``platform`` module only where there is no ``uname``).
"""

from __future__ import annotations

import functools
import os
import sys

from ._version import __version__

__all__ = ["platform_headers"]

_RUNTIMES = {"cpython": "CPython", "pypy": "PyPy", "ironpython": "IronPython", "jython": "Jython"}


def _uname() -> tuple[str, str, str]:
    """``(system, machine, release)``, lower-case; empty strings where unknown."""
    try:
        if hasattr(os, "uname"):
            u = os.uname()
            return u.sysname.lower(), u.machine.lower(), u.release.lower()
        import platform  # Windows: no os.uname

        return platform.system().lower(), platform.machine().lower(), platform.release().lower()
    except Exception:
        return "", "", ""


def _os_name(system: str, machine: str, release: str) -> str:
    if system in ("ios", "ipados") or machine.startswith(("iphone", "ipad")):
        return "iOS"
    if system == "darwin":
        return "MacOS"
    if system == "windows":
        return "Windows"
    if system == "android" or hasattr(sys, "getandroidapilevel") or "android" in release:
        return "Android"
    named = {"linux": "Linux", "freebsd": "FreeBSD", "openbsd": "OpenBSD"}.get(system)
    if named:
        return named
    return f"Other:{system}" if system else "Unknown"


def _arch(machine: str) -> str:
    if machine in ("arm64", "aarch64"):
        return "arm64"
    if machine == "arm":
        return "arm"
    if machine == "x86_64":
        return "x64"
    if sys.maxsize <= 2**32:
        return "x32"
    return f"other:{machine}" if machine else "unknown"


@functools.cache
def platform_headers() -> dict[str, str]:
    """The headers, computed on first use (the caller copies the dict it merges them into)."""
    system, machine, release = _uname()
    return {
        "x-stainless-lang": "python",
        "x-stainless-package-version": __version__,
        "x-stainless-os": _os_name(system, machine, release),
        "x-stainless-arch": _arch(machine),
        "x-stainless-runtime": _RUNTIMES.get(sys.implementation.name, sys.implementation.name),
        "x-stainless-runtime-version": sys.version.split()[0],
    }
