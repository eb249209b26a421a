"""Importing the platform modules needs no cloud SDK, and loads none."""

from __future__ import annotations

import subprocess
import sys
import textwrap

MODULES = [
    "anthropic.lib._platform",
    "anthropic.lib.aws",
    "anthropic.lib.aws._sigv4",
    "anthropic.lib.aws._credentials",
    "anthropic.lib.aws._auth",
    "anthropic.lib.aws._platform",
    "anthropic.lib.bedrock",
    "anthropic.lib.bedrock._eventstream",
    "anthropic.lib.bedrock._events",
    "anthropic.lib.bedrock._platform",
    "anthropic.lib.bedrock._mantle",
    "anthropic.lib.vertex",
    "anthropic.lib.vertex._google",
    "anthropic.lib.vertex._platform",
    "anthropic.lib.foundry",
    "anthropic.lib.foundry._platform",
]


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


def test_modules_import_with_the_sdks_blocked() -> None:
    result = run(
        f"""
        import importlib, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("boto3", "botocore", "google"):
                    raise ImportError(f"blocked: {{name}}")
                return None

        sys.meta_path.insert(0, Block())
        for name in {MODULES!r}:
            importlib.import_module(name)
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_modules_do_not_load_the_sdks_even_when_installed() -> None:
    result = run(
        f"""
        import importlib, sys
        for name in {MODULES!r}:
            importlib.import_module(name)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore", "google")))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
