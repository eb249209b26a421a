"""The public surface matches the official client's, entry by entry, as the manifest records it.

``tools/surface/manifest.json`` is written from the official client by
``tools/surface/introspect.py``; ``tools/surface/generate.py`` writes our
types from it.  These tests check that every module of the manifest imports at
the same path with the same names, fields (and which are required), literal
values and union members; that every package exports the same names, lazily;
that the generated files are what the generator writes today; and that the
Messages-family methods take the same parameters.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest

import anthropic

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools" / "surface"
MANIFEST_PATH = TOOLS / "manifest.json"
SRC = Path(anthropic.__file__).resolve().parents[1]

if not MANIFEST_PATH.exists():  # an installed package without the source tree
    pytest.skip("needs a source checkout (tools/surface)", allow_module_level=True)

MANIFEST: dict[str, Any] = json.loads(MANIFEST_PATH.read_text())
MODULES: dict[str, Any] = MANIFEST["modules"]


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("_surface_generate", TOOLS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


GENERATE = _load_generator()


def _literal_values(value: Any) -> set[Any]:
    """The values of the ``Literal`` in ``value`` (widened aliases are ``Union[Literal[...], str]``)."""
    if typing.get_origin(value) is typing.Literal:
        return set(typing.get_args(value))
    found: set[Any] = set()
    for arg in typing.get_args(value):
        found |= _literal_values(arg)
    return found


def _members(text: str) -> list[str]:
    assert text.startswith("Union[") and text.endswith("]"), text
    return [m.strip() for m in text[6:-1].split(",")]


# -- modules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_has_the_official_names_and_fields(module: str) -> None:
    mod = importlib.import_module(module)
    info = MODULES[module]
    assert list(mod.__all__) == info["all"]
    for item in info["items"]:
        value = getattr(mod, item["name"])
        kind = item["kind"]
        if kind == "model":
            fields = value.model_fields
            for field in item["fields"]:
                assert field["name"] in fields, (module, item["name"], field["name"])
                key = f"{module}:{item['name']}.{field['name']}"
                required = field["required"] and key not in GENERATE.FIELD_DEFAULTS
                assert fields[field["name"]].is_required() == required, (module, item["name"], field["name"])
                if "alias" in field:
                    assert fields[field["name"]].alias == field["alias"]
            if not item["bases"]:
                assert set(fields) == {f["name"] for f in item["fields"]}, (module, item["name"])
        elif kind == "typeddict":
            assert bool(value.__total__) == item["total"], (module, item["name"])
            for field in item["fields"]:
                assert field["name"] in value.__annotations__, (module, item["name"], field["name"])
                assert (field["name"] in value.__required_keys__) == field["required"], (
                    module,
                    item["name"],
                    field["name"],
                )
            # How pydantic validates the dict (arbitrary types allowed, extra keys kept).
            assert value.__dict__.get("__pydantic_config__") == item.get("pydantic_config"), (module, item["name"])
        elif kind == "alias" and item["type"].startswith("Literal["):
            expected = set(json.loads("[" + item["type"][8:-1] + "]"))
            assert _literal_values(value) == expected, (module, item["name"])
        elif kind == "alias" and item.get("discriminator"):
            from anthropic.types._union import union_table

            classes = {cls.__name__ for cls in union_table(value).values()}
            assert classes == set(_members(item["type"])), (module, item["name"])
        elif kind == "reexport":
            assert value is not None


def test_discriminated_response_unions_keep_unknown_members() -> None:
    """Every union the official client discriminates is tolerant here: unknown tags keep every field."""
    import pydantic

    checked = 0
    for module, info in MODULES.items():
        for item in info["items"]:
            if item["kind"] != "alias" or not item.get("discriminator"):
                continue
            value = getattr(importlib.import_module(module), item["name"])
            data = {"type": "from_a_later_release", "payload": {"n": 1}}
            obj = pydantic.TypeAdapter(value).validate_python(data)
            assert obj.model_dump() == data, (module, item["name"])
            checked += 1
    assert checked > 30


# -- packages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("package", sorted(MANIFEST["packages"]))
def test_package_exports_the_official_names_lazily(package: str) -> None:
    pkg = importlib.import_module(package)
    for name, module in MANIFEST["packages"][package].items():
        assert name in pkg.__all__, (package, name)
        assert getattr(pkg, name) is getattr(importlib.import_module(module), name), (package, name)
    assert set(MANIFEST["packages"][package]) <= set(dir(pkg))


def test_import_anthropic_loads_no_types() -> None:
    code = (
        "import sys, anthropic\n"
        "from anthropic import Anthropic\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('anthropic.types'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_official_module_paths_import_directly() -> None:
    code = (
        "import sys\n"
        "import anthropic.types.beta.beta_tool_result_block_param as m\n"
        "from anthropic.types.messages.batch_create_params import BatchCreateParams, Request\n"
        "from anthropic.types.message import Message\n"
        "import anthropic.types\n"
        "assert anthropic.types.message.Message is Message\n"
        "assert m.BetaToolResultBlockParam.__required_keys__ == {'tool_use_id', 'type'}\n"
        "assert 'anthropic.types.beta.beta_message' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_attribute_of_a_types_package_is_an_attribute_error() -> None:
    import anthropic.types

    with pytest.raises(AttributeError, match=r"module 'anthropic.types' has no attribute 'NoSuchName'"):
        anthropic.types.NoSuchName  # noqa: B018


# -- the generated files ------------------------------------------------------------------------------


def test_generated_files_are_up_to_date(tmp_path: Path) -> None:
    files = GENERATE.generated_files(MANIFEST)
    stale = [str(path) for path, text in files.items() if (SRC / path).read_text() != text]
    assert not stale, f"run `python tools/surface/generate.py`; out of date: {stale[:5]}"
    on_disk = {
        p.relative_to(SRC) for p in (SRC / "anthropic" / "types").rglob("*.py") if GENERATE.is_generated(p)
    }
    assert on_disk == set(files), (
        f"generated files the manifest no longer lists: {sorted(on_disk - set(files))[:5]}"
    )
    # The generator writes the same tree into an empty directory.
    GENERATE.write_tree(tmp_path, files)
    assert {p.relative_to(tmp_path) for p in tmp_path.rglob("*.py")} == set(files)


def test_hand_written_and_generated_modules_follow_the_placement_rule() -> None:
    types_dir = SRC / "anthropic" / "types"
    for path in types_dir.rglob("*.py"):
        generated = GENERATE.is_generated(path)
        private = path.name.startswith("_") and path.name not in (
            "_names.py",
            "_message_shapes.py",
            "__init__.py",
        )
        if private:
            assert not generated, path
        elif path.name != "__init__.py":
            assert generated, f"{path} is hand-written but has a public name: rename it with a leading _"


# -- methods --------------------------------------------------------------------------------------------

# Keyword parameters our methods take beyond the official ones, each for a reason. A caller of the
# official client never notices them; every official parameter must be there, with the same
# required set.
_EXTRA_EVERYWHERE = {
    "stream_deadline": "ours: an overall deadline for a streamed answer (docs/failures.md)",
}
_EXTRA_SAMPLING = {
    "temperature": "2.15.0 dropped them from its signatures; code written for 2.14 still passes them",
    "top_k": "as temperature",
    "top_p": "as temperature",
}
_EXTRA_PARAMS: dict[str, dict[str, str]] = {
    "messages.create": _EXTRA_SAMPLING,
    "messages.stream": _EXTRA_SAMPLING,
    "messages.parse": {
        **_EXTRA_SAMPLING,
        **dict.fromkeys(
            ("cache_control", "container", "inference_geo", "user_profile_id", "workspace_id"),
            "parse takes what stream takes (2.15.0's parse lacks these, its create has them)",
        ),
    },
    "messages.count_tokens": {},
    "beta.messages.create": {
        **_EXTRA_SAMPLING,
        "output_format": "kept on beta create as before 2.15.0 (stream and parse have it)",
    },
    "beta.messages.stream": _EXTRA_SAMPLING,
    "beta.messages.parse": _EXTRA_SAMPLING,
    "beta.messages.tool_runner": _EXTRA_SAMPLING,
    "beta.messages.count_tokens": dict.fromkeys(
        ("fallback_credit_token", "fallbacks", "thread", "output_format"),
        "count_tokens takes the beta request fields create takes",
    ),
}


def _resolve(client: Any, path: str) -> Any:
    obj = client
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, AttributeError):  # a parent that is a module, not a package
        return False


@pytest.mark.parametrize("key", sorted(MANIFEST["methods"]))
def test_method_takes_the_official_parameters(key: str) -> None:
    info = MANIFEST["methods"][key]
    colour, _, path = key.rpartition(":")
    cls = anthropic.AsyncAnthropic if colour == "async" else anthropic.Anthropic
    client = cls(api_key="test", base_url="http://127.0.0.1:9")
    assert _module_exists(info["module"]), f"{info['module']} does not import"
    params = list(inspect.signature(_resolve(client, path)).parameters.values())
    ours = {p.name for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD}
    required = {p.name for p in params if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD}
    official = {p["name"] for p in info["params"]}
    assert official - ours == set(), f"{key} lacks official parameters"
    allowed = {**_EXTRA_EVERYWHERE, **_EXTRA_PARAMS.get(path, {})} if path in _EXTRA_PARAMS else {}
    assert ours - official <= set(allowed), f"{key} takes parameters the official method does not"
    assert required == {p["name"] for p in info["params"] if p["required"]}


@pytest.mark.parametrize(
    "name", sorted(set(MANIFEST["anthropic_all"]) - set(MANIFEST["anthropic_all_not_messages"]))
)
def test_top_level_name_exists(name: str) -> None:
    assert hasattr(anthropic, name), name


def test_the_manifest_names_why_top_level_names_are_left_out() -> None:
    left_out = MANIFEST["anthropic_all_not_messages"]
    assert set(left_out) <= set(MANIFEST["anthropic_all"])
    assert all(isinstance(reason, str) and len(reason) > 10 for reason in left_out.values())


def test_manifest_is_data_only() -> None:
    text = MANIFEST_PATH.read_text()
    assert '"""' not in text and "def " not in text
    assert re.search(r"/(work|tmp|home)/", text) is None
