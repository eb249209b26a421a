"""``python -m anthropic`` and the ``anthropic`` command (see ``anthropic._cli``)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from anthropic._cli import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
