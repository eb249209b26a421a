"""Write the surface manifest of the official client's Messages family.

Run with the interpreter of a virtual environment where the official
``anthropic`` distribution (the release this package matches) is installed::

    /path/to/official-venv/bin/python tools/surface/introspect.py

It imports that client, starts from the signatures and return types of the
Messages-family methods (``messages.create/stream/parse/count_tokens``,
``messages.batches.*``, ``models.*`` and their ``beta`` twins), follows every
type they name through the ``anthropic.types`` packages, and writes
``manifest.json`` next to this file: data only (module paths, public names,
fields with their annotations as strings, required-ness, aliases, literal
values, TypedDict totality and pydantic config, union discriminators, method
parameters).  No source text other than names and types is recorded.

Annotation strings use a small grammar the generator understands: builtin
names, ``None``, ``Any``, the names a module imports (listed in its ``refs``),
``Optional``, ``Union``, ``List``, ``Dict``, ``Iterable``, ``Sequence``,
``Mapping``, ``Literal[...]`` with JSON-quoted values, and ``SequenceNotStr``.
"""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import json
import os
import pkgutil
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

import typing_extensions

import anthropic
import anthropic.types

OUT = Path(__file__).with_name("manifest.json")
TYPES = "anthropic.types"

# Methods whose signatures and return types seed the walk: resource class -> methods.
RESOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "messages": (
        "anthropic.resources.messages.messages",
        "Messages",
        ("create", "stream", "parse", "count_tokens"),
    ),
    "messages.batches": (
        "anthropic.resources.messages.batches",
        "Batches",
        ("create", "retrieve", "list", "delete", "cancel", "results"),
    ),
    "models": ("anthropic.resources.models", "Models", ("retrieve", "list")),
    "beta.messages": (
        "anthropic.resources.beta.messages.messages",
        "Messages",
        ("create", "stream", "parse", "count_tokens", "tool_runner"),
    ),
    "beta.messages.batches": (
        "anthropic.resources.beta.messages.batches",
        "Batches",
        ("create", "retrieve", "list", "delete", "cancel", "results"),
    ),
    "beta.models": ("anthropic.resources.beta.models", "Models", ("retrieve", "list")),
}

# Names of the types packages that code written against the client imports although no
# Messages-family signature reaches them (older aliases, unions a signature spells out, error bodies).
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "anthropic.types": (
        "WebSearchToolResultError",
        "CodeExecutionToolResultError",
        "BashCodeExecutionToolResultError",
        "TextEditorCodeExecutionToolResultError",
        "ToolSearchToolResultError",
        "MessageStreamEvent",
        "MessageStartEvent",
        "MessageDeltaEvent",
        "MessageStopEvent",
        "ContentBlockStartEvent",
        "ContentBlockDeltaEvent",
        "ContentBlockStopEvent",
        "ErrorType",
        "ErrorObject",
        "ErrorResponse",
        "InvalidRequestError",
        "AuthenticationError",
        "BillingError",
        "PermissionError",
        "NotFoundError",
        "RateLimitError",
        "GatewayTimeoutError",
        "OverloadedError",
        "APIErrorObject",
        "WebSearchToolRequestErrorParam",
        "ContentBlockParam",
        "ToolChoiceParam",
        "ThinkingConfigParam",
        "MessageCreateParams",
        "MessageCountTokensParams",
        "ModelListParams",
    ),
    "anthropic.types.beta": (
        "BetaWebSearchToolResultError",
        "BetaCodeExecutionToolResultError",
        "BetaBashCodeExecutionToolResultError",
        "BetaTextEditorCodeExecutionToolResultError",
        "BetaToolSearchToolResultError",
        "BetaWebSearchToolRequestErrorParam",
        "BetaContentBlockParam",
        "BetaToolChoiceParam",
        "BetaThinkingConfigParam",
        "BetaRawMessageStreamEvent",
        "BetaToolUseCaller",
        "MessageCreateParams",
        "MessageCountTokensParams",
        "ModelListParams",
    ),
}

# The request-parameter modules of the same methods (their TypedDicts mirror the keyword arguments).
PARAMS_MODULES = (
    "anthropic.types.message_create_params",
    "anthropic.types.message_count_tokens_params",
    "anthropic.types.model_list_params",
    "anthropic.types.messages.batch_create_params",
    "anthropic.types.messages.batch_list_params",
    "anthropic.types.beta.message_create_params",
    "anthropic.types.beta.message_count_tokens_params",
    "anthropic.types.beta.model_list_params",
    "anthropic.types.beta.messages.batch_create_params",
    "anthropic.types.beta.messages.batch_list_params",
)

# Names of ``anthropic.__all__`` that are not about the Messages family, with the reason.
NOT_MESSAGES: dict[str, str] = {
    "APIWebhookValidationError": "webhooks API (signature checks of webhook deliveries)",
    "BetaFallbackState": "client-side refusal-fallback middleware of the official client",
    "BetaRefusalFallbackMiddleware": "client-side refusal-fallback middleware of the official client",
    "OpenTelemetryClientOption": "OpenTelemetry tracing integration",
    "OpenTelemetryOptions": "OpenTelemetry tracing integration",
    "OpenTelemetryTraces": "OpenTelemetry tracing integration",
    "ResolvedOpenTelemetryOptions": "OpenTelemetry tracing integration",
    "ResolvedOpenTelemetryTraces": "OpenTelemetry tracing integration",
    "file_from_path": "files API (uploads)",
    "CredentialsError": "workload-identity credential providers (not the API key / token auth)",
    "IdentityTokenFileError": "workload-identity credential providers (not the API key / token auth)",
    "ClaudeCodeKeyCreatorNotMemberError": "organization and Claude Code administration errors",
    "ClaudeCodeVersionTooOldError": "organization and Claude Code administration errors",
}


# -- where names are defined ------------------------------------------------------------

_DEF = re.compile(r"^(?:class\s+(\w+)|(\w+)\s*(?::\s*TypeAlias\s*)?=)", re.M)


def load_all_modules() -> dict[str, types.ModuleType]:
    modules = {TYPES: anthropic.types}
    for info in pkgutil.walk_packages(anthropic.types.__path__, TYPES + "."):
        modules[info.name] = importlib.import_module(info.name)
    return modules


def defined_names(module: types.ModuleType) -> dict[str, int]:
    """Names a module's own source defines at top level, with their line numbers (order)."""
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return {}
    found: dict[str, int] = {}
    for match in _DEF.finditer(source):
        name = match.group(1) or match.group(2)
        found.setdefault(name, source.count("\n", 0, match.start()))
    return found


class Index:
    def __init__(self) -> None:
        self.modules = load_all_modules()
        self.defs = {name: defined_names(m) for name, m in self.modules.items()}
        # id(alias object) -> [(module, name)] for aliases (not classes) defined in types modules
        self.alias_homes: dict[int, list[tuple[str, str]]] = collections.defaultdict(list)
        for mod_name, mod in self.modules.items():
            for name in self.defs[mod_name]:
                value = getattr(mod, name, None)
                if value is None or isinstance(value, (type, types.ModuleType)):
                    continue
                self.alias_homes[id(value)].append((mod_name, name))
        self.globals_by_id: dict[str, dict[int, str]] = {}

    def module_globals(self, mod_name: str) -> dict[int, str]:
        table = self.globals_by_id.get(mod_name)
        if table is None:
            mod = sys.modules[mod_name]
            table = {}
            for name, value in vars(mod).items():
                if id(value) in self.alias_homes and not name.startswith("__"):
                    table.setdefault(id(value), name)
            self.globals_by_id[mod_name] = table
        return table

    def alias_home(self, value: Any, name: str, module: str = "") -> tuple[str, str]:
        homes = self.alias_homes[id(value)]
        if (module, name) in homes:  # equal unions are one cached object: the module's own comes first
            return (module, name)
        for home in homes:
            if home[1] == name:
                return home
        return homes[0]


# -- annotations as strings ----------------------------------------------------------------

_GENERIC_NAMES: dict[Any, str] = {
    list: "List",
    typing.List: "List",
    dict: "Dict",
    typing.Dict: "Dict",
    tuple: "Tuple",
    collections.abc.Iterable: "Iterable",
    collections.abc.Sequence: "Sequence",
    collections.abc.Mapping: "Mapping",
    collections.abc.Iterator: "Iterator",
    collections.abc.AsyncIterator: "AsyncIterator",
    collections.abc.Callable: "Callable",
    type: "Type",
}
_BUILTINS = {str, int, float, bool, bytes, object}
_TYPING_WORDS = {
    "Optional",
    "Union",
    "List",
    "Dict",
    "Iterable",
    "Sequence",
    "Mapping",
    "Literal",
    "Type",
    "Any",
}


class Renderer:
    """Turns one module's evaluated annotations back into strings, noting the names used."""

    def __init__(self, index: Index, module: str, skip: int | None = None) -> None:
        self.index = index
        self.module = module
        self.skip = skip
        self.refs: dict[str, str] = {}  # name -> module (types modules) or "ext:<module>"
        self.meta: dict[str, Any] = {}

    def ref(self, name: str, module: str) -> str:
        self.refs[name] = module
        return name

    def __call__(self, t: Any, top: bool = False) -> str:
        if t is None or t is type(None):
            return "None"
        if isinstance(t, str):
            return self.resolve_string(t)
        if isinstance(t, typing.ForwardRef):
            return t.__forward_arg__
        if not top and id(t) != self.skip and not isinstance(t, type):
            name = self.index.module_globals(self.module).get(id(t))
            if name is not None:
                home_mod, home_name = self.index.alias_home(t, name, self.module)
                if home_name == name:
                    return self.ref(name, home_mod)
        if t is typing.Any:
            return "Any"
        if isinstance(t, typing.TypeVar):
            return self.ref(t.__name__, "typevar")
        origin = typing.get_origin(t)
        args = typing.get_args(t)
        if origin is typing_extensions.Annotated or origin is typing.Annotated:
            inner = args[0]
            for meta in t.__metadata__:
                kind = type(meta).__name__
                if kind == "UnionDiscriminator":
                    self.meta["discriminator"] = meta.field_name
                elif kind in ("PropertyInfo",):
                    if getattr(meta, "alias", None):
                        self.meta["alias"] = meta.alias
                    if getattr(meta, "discriminator", None):
                        self.meta["discriminator"] = meta.discriminator
                    if getattr(meta, "format", None):
                        self.meta["format"] = meta.format
            return self(inner)
        if origin in (typing.Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            rendered = [self(a) for a in members]
            body = rendered[0] if len(rendered) == 1 else f"Union[{', '.join(rendered)}]"
            return f"Optional[{body}]" if len(members) < len(args) else body
        if origin is typing.Literal or origin is typing_extensions.Literal:
            return (
                "Literal[" + ", ".join(json.dumps(a) if isinstance(a, str) else repr(a) for a in args) + "]"
            )
        if origin in (typing_extensions.Required, typing_extensions.NotRequired) or origin in (
            getattr(typing, "Required", None),
            getattr(typing, "NotRequired", None),
        ):
            return self(args[0])
        if origin is not None:
            name = _GENERIC_NAMES.get(origin)
            if name is None:
                name = self.class_name(origin)
            if name == "Callable" and args:
                params, ret = args[0], args[-1]
                inner = "..." if params is Ellipsis else "[" + ", ".join(self(a) for a in params) + "]"
                return f"Callable[{inner}, {self(ret)}]"
            if not args:
                return name
            return f"{name}[{', '.join('...' if a is Ellipsis else self(a) for a in args)}]"
        if t in _BUILTINS:
            return t.__name__
        if t is os.PathLike:
            return self.ref("PathLike", "ext:os") + "[str]"
        if t in _GENERIC_NAMES:
            return _GENERIC_NAMES[t]
        if isinstance(t, type):
            return self.class_name(t)
        if isinstance(
            t, typing_extensions.TypeAliasType if hasattr(typing_extensions, "TypeAliasType") else ()
        ):
            return self.ref(t.__name__, "ext:" + getattr(t, "__module__", "?"))
        return repr(t)

    def resolve_string(self, text: str) -> str:
        """An annotation left as a string: resolve each name in it against the module."""
        mod = sys.modules[self.module]
        for name in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)):
            value = getattr(mod, name, None)
            if value is None or name in _TYPING_WORDS:
                continue
            if isinstance(value, type):
                self.class_name(value)
            elif isinstance(value, typing.TypeVar):
                self.ref(name, "typevar")
            elif id(value) in self.index.alias_homes:
                self.ref(name, self.index.alias_home(value, name, self.module)[0])
        return text

    def class_name(self, cls: Any) -> str:
        generic = getattr(cls, "__pydantic_generic_metadata__", None)
        if generic and generic.get("origin") is not None:
            args = ", ".join(self(a) for a in generic["args"])
            return f"{self.class_name(generic['origin'])}[{args}]"
        module = getattr(cls, "__module__", "?")
        name = getattr(cls, "__name__", repr(cls))
        if module.startswith(TYPES + ".") or module == TYPES:
            return self.ref(name, module)
        if module == "builtins":
            return name
        return self.ref(name, "ext:" + module)


# -- one module's items ------------------------------------------------------------------


def is_typeddict(value: Any) -> bool:
    return isinstance(value, type) and typing_extensions.is_typeddict(value)


def is_model(value: Any) -> bool:
    import pydantic

    return isinstance(value, type) and issubclass(value, pydantic.BaseModel)


def hints(owner: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(owner, include_extras=True)
    except Exception:  # unresolvable names stay strings
        return dict(getattr(owner, "__annotations__", {}))


def describe_model(index: Index, mod_name: str, cls: type) -> dict[str, Any]:
    own = inspect.get_annotations(cls)
    all_hints = hints(cls)
    fields = []
    bases = [base for base in cls.__bases__ if is_model(base) and base.__module__.startswith(TYPES)]
    renderer = Renderer(index, mod_name)
    for name in own:
        if name not in cls.model_fields:
            continue
        info = cls.model_fields[name]
        renderer.meta = {}
        entry: dict[str, Any] = {"name": name, "type": renderer(all_hints.get(name, own[name]))}
        entry["required"] = info.is_required()
        if not entry["required"]:
            if info.default_factory is not None:
                entry["default_factory"] = getattr(info.default_factory, "__name__", "list")
            else:
                entry["default"] = info.default
        if info.alias and info.alias != name:
            entry["alias"] = info.alias
        if info.exclude:
            entry["exclude"] = True
        fields.append(entry)
    item: dict[str, Any] = {
        "name": cls.__name__,
        "kind": "model",
        "bases": [renderer.class_name(b) for b in bases],
        "fields": fields,
        "refs": renderer.refs,
    }
    params = getattr(cls, "__parameters__", ())
    if params:
        item["type_params"] = [renderer(p) for p in params]
    return item


def describe_typeddict(index: Index, mod_name: str, cls: type) -> dict[str, Any]:
    renderer = Renderer(index, mod_name)
    bases = [b for b in cls.__orig_bases__ if is_typeddict(b)] if hasattr(cls, "__orig_bases__") else []
    inherited: set[str] = set()
    for base in bases:
        inherited |= set(base.__annotations__)
    all_hints = hints(cls)
    fields = []
    for name in cls.__annotations__:
        if name in inherited:
            continue
        renderer.meta = {}
        raw = cls.__annotations__[name]
        if isinstance(raw, typing.ForwardRef):
            raw = raw.__forward_arg__
        required = name in cls.__required_keys__
        if isinstance(raw, str):  # string annotations hide Required[] from the runtime
            if raw.startswith("Required["):
                required = True
            elif raw.startswith("NotRequired["):
                required = False
            else:
                required = bool(cls.__total__)
        entry: dict[str, Any] = {
            "name": name,
            "type": renderer(all_hints.get(name, raw)),
            "required": required,
        }
        if "alias" in renderer.meta:
            entry["alias"] = renderer.meta["alias"]
        if "format" in renderer.meta:
            entry["format"] = renderer.meta["format"]
        fields.append(entry)
    params = [renderer(p) for p in getattr(cls, "__parameters__", ())]
    # How pydantic validates the dict (a field of an arbitrary type, extra keys kept): frameworks
    # build pydantic models and adapters over these TypedDicts.
    config = cls.__dict__.get("__pydantic_config__")
    return {
        "name": cls.__name__,
        "kind": "typeddict",
        **({"type_params": params} if params else {}),
        "total": cls.__total__,
        "bases": [renderer.class_name(b) for b in bases],
        "fields": fields,
        **({"pydantic_config": dict(config)} if config else {}),
        "refs": renderer.refs,
    }


def describe_module(index: Index, mod_name: str) -> dict[str, Any]:
    mod = index.modules[mod_name]
    defs = index.defs[mod_name]
    names = list(getattr(mod, "__all__", []))
    # Names the module defines but leaves out of __all__ that its public items need.
    items = []
    order = sorted(defs, key=defs.get)  # type: ignore[arg-type]
    for name in order:
        if name.startswith("__") or not hasattr(mod, name):
            continue
        value = getattr(mod, name)
        if name.startswith("_") and not (is_typeddict(value) or is_model(value)):
            continue  # private helpers; private shapes (a base with a reserved-word key) are kept
        if isinstance(value, types.ModuleType):
            continue
        if is_model(value) and value.__module__ == mod_name and value.__name__ == name:
            items.append(describe_model(index, mod_name, value))
        elif is_typeddict(value) and value.__module__ == mod_name and value.__name__ == name:
            items.append(describe_typeddict(index, mod_name, value))
        elif isinstance(value, type) or (
            hasattr(value, "__origin__") and isinstance(value.__origin__, type) and not typing.get_args(value)
        ):
            target = value if isinstance(value, type) else value.__origin__
            renderer = Renderer(index, mod_name)
            items.append(
                {"name": name, "kind": "reexport", "type": renderer.class_name(target), "refs": renderer.refs}
            )
        elif isinstance(value, typing.TypeVar):
            entry: dict[str, Any] = {"name": name, "kind": "typevar"}
            default = getattr(value, "__default__", None)
            if default is not None and default is not getattr(typing_extensions, "NoDefault", object()):
                entry["default"] = Renderer(index, mod_name)(default)
            if value.__bound__ is not None:
                entry["bound"] = Renderer(index, mod_name)(value.__bound__)
            items.append(entry)
        elif callable(value) and not hasattr(value, "__origin__") and not typing.get_origin(value):
            continue  # functions and helpers are code, not shapes
        else:
            renderer = Renderer(index, mod_name, skip=id(value))
            entry = {"name": name, "kind": "alias", "type": renderer(value, top=True), "refs": renderer.refs}
            if "discriminator" in renderer.meta:
                entry["discriminator"] = renderer.meta["discriminator"]
            items.append(entry)
    # Names of __all__ the module imports rather than defines.
    defined = {item["name"] for item in items}
    for name in names:
        if name in defined or not hasattr(mod, name):
            continue
        value = getattr(mod, name)
        if isinstance(value, type):
            home = value.__module__
        elif id(value) in index.alias_homes:
            home = index.alias_home(value, name)[0]
        else:
            continue
        items.append({"name": name, "kind": "imported", "refs": {name: home}})
    return {"all": names, "items": items}


# -- methods ---------------------------------------------------------------------------------


def describe_method(index: Index, module: str, func: Any) -> dict[str, Any]:
    sig = inspect.signature(func)
    found = hints(func)
    renderer = Renderer(index, module)
    params = []
    for param in list(sig.parameters.values())[1:]:
        entry: dict[str, Any] = {"name": param.name, "kind": param.kind.name.lower()}
        entry["required"] = param.default is inspect.Parameter.empty and param.kind not in (
            inspect.Parameter.VAR_KEYWORD,
            inspect.Parameter.VAR_POSITIONAL,
        )
        if param.name in found:
            entry["type"] = renderer(found[param.name])
        params.append(entry)
    result: dict[str, Any] = {"params": params}
    if "return" in found:
        result["returns"] = renderer(found["return"])
    result["refs"] = renderer.refs
    return result


def describe_methods(index: Index) -> dict[str, Any]:
    methods: dict[str, Any] = {}
    for path, (module, cls_name, names) in RESOURCES.items():
        for colour, prefix in (("sync", ""), ("async", "Async")):
            cls = getattr(importlib.import_module(module), prefix + cls_name)
            for name in names:
                key = f"{path}.{name}" if colour == "sync" else f"async:{path}.{name}"
                methods[key] = {
                    "module": module,
                    "class": prefix + cls_name,
                    **describe_method(index, module, getattr(cls, name)),
                }
    return methods


# -- the walk --------------------------------------------------------------------------------


def closure(index: Index, seeds: dict[str, str], described: dict[str, Any]) -> None:
    pending = [module for module in seeds.values() if module in index.modules]
    while pending:
        module = pending.pop()
        if module in described:
            continue
        described[module] = describe_module(index, module)
        for item in described[module]["items"]:
            for ref_module in item.get("refs", {}).values():
                if ref_module in index.modules and ref_module not in described:
                    pending.append(ref_module)


def package_exports(index: Index, package: str, described: dict[str, Any]) -> dict[str, str]:
    """Names a types package exports that come from a module in the manifest, with that module."""
    pkg = index.modules[package]
    exports: dict[str, str] = {}
    names = getattr(pkg, "__all__", None) or [n for n in vars(pkg) if not n.startswith("_")]
    # Direct children first, then deeper modules (``anthropic.types`` re-exports ``types.shared``).
    candidates = sorted(
        (m for m in described if m.startswith(package + ".")), key=lambda m: (m.count("."), m)
    )
    for name in names:
        value = getattr(pkg, name, None)
        if value is None or isinstance(value, types.ModuleType):
            continue
        for module in candidates:
            if name in described[module]["all"] and getattr(index.modules[module], name, None) is value:
                exports[name] = module
                break
    return exports


def main() -> None:
    index = Index()
    methods = describe_methods(index)
    seeds: dict[str, str] = {f"module:{m}": m for m in PARAMS_MODULES}
    for key, method in methods.items():
        seeds.update({f"{key}:{name}": module for name, module in method["refs"].items()})
    for package, names in EXTRA_NAMES.items():
        pkg = index.modules[package]
        for name in names:
            value = getattr(pkg, name)
            for module in index.modules:
                if (
                    module.startswith(package + ".")
                    and getattr(index.modules[module], name, None) is value
                    and name in index.defs[module]
                ):
                    seeds[f"{package}:{name}"] = module
                    break
            else:
                raise LookupError(f"{package}.{name} is defined in no module")
    described: dict[str, Any] = {}
    closure(index, seeds, described)
    packages = sorted({m.rsplit(".", 1)[0] for m in described} | {TYPES})
    # A subpackage's own __init__ is a package, not a type module.
    for package in packages:
        described.pop(package, None)
    manifest = {
        "source": {"distribution": "anthropic", "version": anthropic.__version__},
        "packages": {package: package_exports(index, package, described) for package in packages},
        "modules": {name: described[name] for name in sorted(described)},
        "methods": methods,
        "anthropic_all": list(anthropic.__all__),
        "anthropic_all_not_messages": {n: r for n, r in NOT_MESSAGES.items() if n in anthropic.__all__},
    }
    OUT.write_text(json.dumps(manifest, indent=1, sort_keys=False, default=repr) + "\n")
    counts = collections.Counter(item["kind"] for m in described.values() for item in m["items"])
    print(f"{len(described)} modules, {dict(counts)}, {len(methods)} methods -> {OUT.name}")


if __name__ == "__main__":
    main()
