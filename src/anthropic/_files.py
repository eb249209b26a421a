"""Files for upload parameters."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["file_from_path"]


def file_from_path(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """``(file name, contents)`` of the file at ``path``, as upload parameters take it."""
    return (os.path.basename(path), Path(path).read_bytes())
