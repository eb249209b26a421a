"""The client's modules depend one way: wire cores -> accumulator -> streams -> resources -> clients.

Read from the source (every ``import``, at any depth, including lazy ones
inside functions and ``TYPE_CHECKING`` blocks): no module imports one of a
layer above its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "anthropic"

# Layer of each module of the client's stack (dotted, relative to the package); higher may import lower.
LAYERS: dict[str, int] = {
    "_sse": 0,
    "_errors": 0,
    "_types": 0,
    "_constants": 0,
    "_retry": 0,
    "_http": 0,
    "lib.streaming._accumulator": 1,
    "_streaming": 2,
    "_async.streams": 2,
    "_sync.streams": 2,
    "_async.sending": 2,
    "_sync.sending": 2,
    "_response": 2,
    "_request": 2,
    "_middleware": 2,
    "_async.response": 2,
    "_sync.response": 2,
    "lib.streaming._messages": 2,
    "resources._call": 3,
    "resources._params": 3,
    "_async.messages": 3,
    "_sync.messages": 3,
    "_batches": 2,
    "pagination": 2,
    "_async.batches": 3,
    "_sync.batches": 3,
    "_base_client": 4,
    "_async.client": 4,
    "_sync.client": 4,
    "_client": 4,
}


def _imports(module: str) -> set[str]:
    """The package-relative names of the modules ``module`` imports (absolute or relative)."""
    path = SRC / (module.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text())
    package = module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("anthropic."):
                target = node.module[len("anthropic.") :]
            else:
                continue
            found.add(target)
            found.update(f"{target}.{alias.name}" if target else alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name[len("anthropic.") :] for a in node.names if a.name.startswith("anthropic."))
    return {name for name in found if name in LAYERS}


@pytest.mark.parametrize("module", sorted(LAYERS))
def test_no_module_imports_a_layer_above_its_own(module: str) -> None:
    upward = {name for name in _imports(module) if LAYERS[name] > LAYERS[module]}
    assert upward == set(), f"{module} (layer {LAYERS[module]}) imports {sorted(upward)}"


def test_streams_and_resources_never_see_a_client() -> None:
    for module, layer in LAYERS.items():
        if layer < 4:
            assert not {"_client", "_base_client", "_sync.client", "_async.client"} & _imports(module), module
