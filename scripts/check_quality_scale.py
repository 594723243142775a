"""Check an integration's quality_scale.yaml against the Integration Quality Scale.

hassfest skips quality_scale.yaml for custom integrations, so this script is the
gate instead. It validates the file (all 54 rules, known ids, a comment on every
exempt rule) and, for every rule marked ``done`` that can be checked from the
source, checks the code with ``ast`` (the integration is never imported). Rules
without a code check are reported as "manual".

Usage:
    check_quality_scale.py [--integration DIR] [--readme FILE] [--skip-mypy] [-v]

Output: one ``FAIL <rule>: <reason>`` line per problem, per-rule detail with
``-v``, then ``tier: <tier>`` and ``IQS: <done> done, <exempt> exempt, <todo> todo
of 54``. Exit status 1 when the file is invalid or a ``done`` rule fails its
check, 0 otherwise (``todo`` rules are allowed), 2 on bad arguments.
"""

import argparse
import ast
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
import json
from pathlib import Path
import re
import struct
import subprocess
import sys
from typing import Any, Final

import yaml  # type: ignore[import-untyped]

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_INTEGRATION: Final = REPO_ROOT / "custom_components" / "depotfinity"

TIERS: Final[dict[str, tuple[str, ...]]] = {
    "bronze": (
        "action-setup",
        "appropriate-polling",
        "brands",
        "common-modules",
        "config-flow-test-coverage",
        "config-flow",
        "dependency-transparency",
        "docs-actions",
        "docs-conditions",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-removal-instructions",
        "docs-triggers",
        "entity-event-setup",
        "entity-unique-id",
        "has-entity-name",
        "runtime-data",
        "test-before-configure",
        "test-before-setup",
        "unique-config-entry",
    ),
    "silver": (
        "action-exceptions",
        "config-entry-unloading",
        "docs-configuration-parameters",
        "docs-installation-parameters",
        "entity-unavailable",
        "integration-owner",
        "log-when-unavailable",
        "parallel-updates",
        "reauthentication-flow",
        "test-coverage",
    ),
    "gold": (
        "devices",
        "diagnostics",
        "discovery-update-info",
        "discovery",
        "docs-data-update",
        "docs-examples",
        "docs-known-limitations",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-troubleshooting",
        "docs-use-cases",
        "dynamic-devices",
        "entity-category",
        "entity-device-class",
        "entity-disabled-by-default",
        "entity-translations",
        "exception-translations",
        "icon-translations",
        "reconfiguration-flow",
        "repair-issues",
        "stale-devices",
    ),
    "platinum": (
        "async-dependency",
        "inject-websession",
        "strict-typing",
    ),
}
RULE_TIER: Final = {rule: tier for tier, rules in TIERS.items() for rule in rules}
ALL_RULES: Final = tuple(RULE_TIER)
STATUSES: Final = ("done", "todo", "exempt")

# Module names that Home Assistant treats as entity platforms (homeassistant.const.Platform).
PLATFORMS: Final = frozenset(
    {
        "ai_task",
        "air_quality",
        "alarm_control_panel",
        "assist_satellite",
        "binary_sensor",
        "button",
        "calendar",
        "camera",
        "climate",
        "conversation",
        "cover",
        "date",
        "datetime",
        "device_tracker",
        "event",
        "fan",
        "geo_location",
        "humidifier",
        "image",
        "image_processing",
        "infrared",
        "lawn_mower",
        "light",
        "lock",
        "media_player",
        "notify",
        "number",
        "radio_frequency",
        "remote",
        "scene",
        "select",
        "sensor",
        "siren",
        "stt",
        "switch",
        "text",
        "time",
        "todo",
        "tts",
        "update",
        "vacuum",
        "valve",
        "wake_word",
        "water_heater",
        "weather",
    }
)

SERVICE_REGISTRATION: Final = frozenset(
    {
        "async_register_admin_service",
        "async_register_entity_service",
        "async_register_platform_entity_service",
    }
)
SETUP_EXCEPTIONS: Final = frozenset(
    {"ConfigEntryNotReady", "ConfigEntryAuthFailed", "ConfigEntryError"}
)
TRANSLATABLE_EXCEPTIONS: Final = frozenset(
    {"HomeAssistantError", "ServiceValidationError", "UpdateFailed"} | SETUP_EXCEPTIONS
)
# Calls that subscribe a callback; dynamic-devices wants one whose callback adds entities.
LISTENER_CALLS: Final = frozenset(
    {"async_add_listener", "add_update_listener", "async_dispatcher_connect", "async_listen"}
)
DISCOVERY_KEYS: Final = ("bluetooth", "dhcp", "homekit", "mqtt", "ssdp", "usb", "zeroconf")
BRAND_SIZES: Final = {"icon.png": (256, 256), "icon@2x.png": (512, 512)}
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"

# README topics: a docs rule passes when a heading contains one of its keywords
# (case-insensitive) and the section under it is not empty.
DOC_TOPICS: Final[dict[str, tuple[str, ...]]] = {
    "docs-actions": ("action", "service"),
    "docs-conditions": ("condition",),
    "docs-triggers": ("trigger",),
    "docs-installation-instructions": ("install",),
    "docs-removal-instructions": ("remov", "uninstall"),
    "docs-installation-parameters": (
        "installation parameter",
        "setup parameter",
        "set up",
        "setup",
        "configuration",
    ),
    "docs-configuration-parameters": ("option", "configuration parameter", "reconfigur"),
    "docs-data-update": ("data update", "update interval", "polling", "refresh", "how data"),
    "docs-examples": ("example", "blueprint"),
    "docs-known-limitations": ("limitation",),
    "docs-supported-devices": (
        "supported device",
        "supported hardware",
        "supported charger",
        "compatib",
    ),
    "docs-supported-functions": ("supported function", "entities", "entity", "platform", "feature"),
    "docs-troubleshooting": ("troubleshoot",),
    "docs-use-cases": ("use case",),
}
DESCRIPTION_HEADINGS: Final = ("about", "overview", "description", "what is")
URL_RE: Final = re.compile(r"https?://\S+")
ATX_HEADING_RE: Final = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
SETEXT_UNDERLINE_RE: Final = re.compile(r"=+|-+")

type FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
FUNCTION_NODES: Final = (ast.FunctionDef, ast.AsyncFunctionDef)


class QualityScaleError(Exception):
    """quality_scale.yaml cannot be read at all."""


@dataclass(frozen=True)
class RuleEntry:
    """One rule as declared in quality_scale.yaml."""

    status: str
    comment: str | None = None


@dataclass(frozen=True)
class Module:
    """A parsed Python module of the integration."""

    name: str  # dotted, relative to the integration; "" is the package itself
    path: Path
    rel: str  # path relative to the integration, for messages
    tree: ast.Module
    is_package: bool

    @property
    def stem(self) -> str:
        """Return the last part of the dotted name."""
        return self.name.rpartition(".")[2]


@dataclass(frozen=True)
class Options:
    """Command line options that change what is checked."""

    skip_mypy: bool = False
    readme: Path | None = None


def _call_name(call: ast.Call) -> str | None:
    """Return the called name: ``f`` for ``f()`` and ``x.f()``."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _ref_name(node: ast.expr) -> str | None:
    """Return the referenced name of a Name/Attribute expression or string annotation."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip().rpartition(".")[2]
    return None


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    """Return the keyword argument ``name`` of a call, if given."""
    return next((kw for kw in call.keywords if kw.arg == name), None)


def _has_star_kwargs(call: ast.Call) -> bool:
    """Return True when a call passes ``**kwargs`` (its keywords are unknown)."""
    return any(kw.arg is None for kw in call.keywords)


def _is_str_literal(node: ast.expr) -> bool:
    """Return True for a string constant or f-string."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _str_value(node: ast.expr | None) -> str | None:
    """Return the value of a plain string constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _assign_targets(node: ast.AST) -> list[ast.expr]:
    """Return the targets of an assignment statement (empty for anything else)."""
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [node.target]
    return []


def _assigned_value(node: ast.AST) -> ast.expr | None:
    """Return the value of an assignment statement."""
    if isinstance(node, ast.Assign | ast.AnnAssign):
        return node.value
    return None


def _target_name(target: ast.expr) -> str | None:
    """Return ``x`` for targets ``x`` and ``self.x``."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


def _nested(path: dict[str, Any], *keys: str) -> Any:
    """Return ``path[k1][k2]...`` or None."""
    current: Any = path
    for key in keys:
        if not isinstance(current, dict) or key not in current:
            return None
        current = current[key]
    return current


def read_png_size(path: Path) -> tuple[int, int] | None:
    """Return (width, height) of a PNG file, or None if it is not a PNG."""
    with path.open("rb") as file:
        header = file.read(24)
    if len(header) < 24 or not header.startswith(PNG_SIGNATURE) or header[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


def load_quality_scale(path: Path) -> tuple[dict[str, RuleEntry], list[tuple[str, str]]]:
    """Parse and validate quality_scale.yaml.

    Returns the valid rule entries and a list of (rule, reason) problems. Raises
    QualityScaleError when the file cannot be used at all.
    """
    if not path.is_file():
        raise QualityScaleError(f"{path.name} not found in {path.parent}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise QualityScaleError(f"{path.name} is not valid YAML: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise QualityScaleError(f"{path.name} must be a mapping with a 'rules' mapping")
    problems: list[tuple[str, str]] = [
        ("quality_scale.yaml", f"unexpected top-level key {key!r}")
        for key in data
        if key != "rules"
    ]
    entries: dict[str, RuleEntry] = {}
    for raw_rule, value in data["rules"].items():
        rule = str(raw_rule)
        if rule not in RULE_TIER:
            problems.append((rule, "unknown rule id"))
            continue
        if isinstance(value, str):
            entry = RuleEntry(value)
        elif isinstance(value, dict):
            extra = sorted(str(key) for key in value if key not in ("status", "comment"))
            if extra:
                problems.append((rule, f"unexpected keys {', '.join(extra)}"))
                continue
            comment = value.get("comment")
            if comment is not None and not isinstance(comment, str):
                problems.append((rule, "comment must be a string"))
                continue
            entry = RuleEntry(str(value.get("status")), comment)
        else:
            problems.append((rule, "must be a status or a mapping with status and comment"))
            continue
        if entry.status not in STATUSES:
            problems.append(
                (rule, f"invalid status {entry.status!r} (expected {', '.join(STATUSES)})")
            )
            continue
        if entry.status == "exempt" and not (entry.comment or "").strip():
            problems.append((rule, "exempt without a comment explaining why"))
        entries[rule] = entry
    problems.extend(
        (rule, "missing from quality_scale.yaml")
        for rule in ALL_RULES
        if rule not in entries and rule not in dict(problems)
    )
    return entries, problems


class Integration:
    """Parsed view of an integration directory."""

    def __init__(self, path: Path, options: Options, statuses: dict[str, str]) -> None:
        """Parse every Python module below ``path``."""
        self.path = path
        self.options = options
        self.statuses = statuses
        self.readme = options.readme or path.parent.parent / "README.md"
        self.modules: dict[str, Module] = {}
        self.parse_errors: list[str] = []
        self.notes: dict[str, list[str]] = {}
        for file in sorted(path.rglob("*.py")):
            if "__pycache__" in file.parts:
                continue
            rel = file.relative_to(path)
            parts = list(rel.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            try:
                tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(rel))
            except SyntaxError as err:
                self.parse_errors.append(f"{rel}:{err.lineno}: {err.msg}")
                continue
            name = ".".join(parts)
            self.modules[name] = Module(name, file, rel.as_posix(), tree, is_package)
        self._functions: dict[str, dict[str, FunctionNode]] = {}
        self._imports: dict[str, dict[str, tuple[str, str | None]]] = {}
        self._json: dict[str, Any] = {}

    # -- files -------------------------------------------------------------------------

    def load_json(self, rel: str) -> Any:
        """Return a parsed JSON file of the integration, or None if missing or invalid."""
        if rel not in self._json:
            file = self.path / rel
            try:
                self._json[rel] = json.loads(file.read_text(encoding="utf-8"))
            except OSError, ValueError:
                self._json[rel] = None
        return self._json[rel]

    @property
    def manifest(self) -> dict[str, Any]:
        """Return manifest.json (empty when missing or invalid)."""
        data = self.load_json("manifest.json")
        return data if isinstance(data, dict) else {}

    @property
    def strings(self) -> dict[str, Any] | None:
        """Return strings.json, else translations/en.json."""
        for rel in ("strings.json", "translations/en.json"):
            data = self.load_json(rel)
            if isinstance(data, dict):
                return data
        return None

    def note(self, rule: str, text: str) -> None:
        """Record a detail line shown with -v."""
        self.notes.setdefault(rule, []).append(text)

    # -- modules -----------------------------------------------------------------------

    def module(self, name: str) -> Module | None:
        """Return a module by dotted name ("" is ``__init__.py``)."""
        return self.modules.get(name)

    def platform_modules(self) -> list[Module]:
        """Return the top-level modules named like a Home Assistant platform."""
        return [mod for name, mod in self.modules.items() if name in PLATFORMS]

    def api_modules(self) -> list[Module]:
        """Return the modules of the bundled API client package (``api/``)."""
        return [mod for name, mod in self.modules.items() if name.split(".")[0] == "api"]

    def where(self, mod: Module, node: ast.AST) -> str:
        """Return ``file:line`` for a node."""
        return f"{mod.rel}:{getattr(node, 'lineno', 0)}"

    def walk(self) -> Iterator[tuple[Module, ast.AST]]:
        """Yield every node of every module."""
        for mod in self.modules.values():
            for node in ast.walk(mod.tree):
                yield mod, node

    def calls(self) -> Iterator[tuple[Module, ast.Call]]:
        """Yield every call of every module."""
        for mod, node in self.walk():
            if isinstance(node, ast.Call):
                yield mod, node

    def functions(self, mod: Module) -> dict[str, FunctionNode]:
        """Return the module-level functions of a module."""
        if mod.name not in self._functions:
            self._functions[mod.name] = {
                node.name: node for node in mod.tree.body if isinstance(node, FUNCTION_NODES)
            }
        return self._functions[mod.name]

    def methods(self, mod: Module) -> dict[str, FunctionNode]:
        """Return the methods of all classes of a module."""
        return {
            item.name: item
            for node in mod.tree.body
            if isinstance(node, ast.ClassDef)
            for item in node.body
            if isinstance(item, FUNCTION_NODES)
        }

    def _resolve_from(self, mod: Module, node: ast.ImportFrom) -> str | None:
        """Return the dotted module name (inside the integration) an ImportFrom reads from."""
        if node.level == 0:
            prefix = f"custom_components.{self.path.name}"
            if node.module == prefix:
                return ""
            if node.module and node.module.startswith(prefix + "."):
                return node.module.removeprefix(prefix + ".")
            return None
        parts = mod.name.split(".") if mod.name else []
        if not mod.is_package:
            parts = parts[:-1]
        if node.level - 1 > len(parts):
            return None
        parts = parts[: len(parts) - (node.level - 1)]
        if node.module:
            parts += node.module.split(".")
        return ".".join(parts)

    def imports(self, mod: Module) -> dict[str, tuple[str, str | None]]:
        """Map local names to (module, attribute) for imports from inside the integration.

        The attribute is None when the local name is the module itself.
        """
        if mod.name not in self._imports:
            result: dict[str, tuple[str, str | None]] = {}
            for node in ast.walk(mod.tree):
                if not isinstance(node, ast.ImportFrom):
                    continue
                base = self._resolve_from(mod, node)
                if base is None:
                    continue
                for alias in node.names:
                    local = alias.asname or alias.name
                    submodule = f"{base}.{alias.name}" if base else alias.name
                    if submodule in self.modules:
                        result[local] = (submodule, None)
                    else:
                        result[local] = (base, alias.name)
            self._imports[mod.name] = result
        return self._imports[mod.name]

    def resolve_call(self, mod: Module, call: ast.Call) -> tuple[Module, FunctionNode] | None:
        """Return the integration function a call invokes, when it can be resolved."""
        imports = self.imports(mod)
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in self.functions(mod):
                return mod, self.functions(mod)[func.id]
            target = imports.get(func.id)
            if (
                target
                and target[1] is not None
                and (other := self.module(target[0]))
                and (found := self.functions(other).get(target[1])) is not None
            ):
                return other, found
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            target = imports.get(func.value.id)
            if (
                target
                and target[1] is None
                and (other := self.module(target[0]))
                and (found := self.functions(other).get(func.attr)) is not None
            ):
                return other, found
        return None

    def reachable(self, mod: Module, func: FunctionNode) -> Iterator[tuple[Module, ast.AST]]:
        """Yield the nodes of a function and of the integration functions it calls."""
        seen: set[tuple[str, int]] = set()
        stack = [(mod, func)]
        while stack:
            current_mod, current = stack.pop()
            key = (current_mod.name, current.lineno)
            if key in seen:
                continue
            seen.add(key)
            for node in ast.walk(current):
                yield current_mod, node
                if isinstance(node, ast.Call) and (target := self.resolve_call(current_mod, node)):
                    stack.append(target)

    def setup_entry_functions(self) -> Iterator[tuple[Module, FunctionNode]]:
        """Yield every ``async_setup_entry`` function of the integration."""
        for mod in self.modules.values():
            for node in ast.walk(mod.tree):
                if isinstance(node, FUNCTION_NODES) and node.name == "async_setup_entry":
                    yield mod, node

    def config_entry_aliases(self) -> set[str]:
        """Return the names of ``type <X>ConfigEntry = ConfigEntry[...]`` aliases."""
        aliases: set[str] = set()
        for _mod, node in self.walk():
            if isinstance(node, ast.TypeAlias):
                name, value = node.name.id, node.value
            elif (
                isinstance(node, ast.AnnAssign)
                and _ref_name(node.annotation) == "TypeAlias"
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                name, value = node.target.id, node.value
            else:
                continue
            if (
                name.endswith("ConfigEntry")
                and isinstance(value, ast.Subscript)
                and _ref_name(value.value) == "ConfigEntry"
            ):
                aliases.add(name)
        return aliases


# -- checks -------------------------------------------------------------------------------

type Check = Callable[[Integration], list[str]]
CHECKS: dict[str, Check] = {}


def check(*rules: str) -> Callable[[Check], Check]:
    """Register a code check for one or more rules."""

    def register(func: Check) -> Check:
        for rule in rules:
            CHECKS[rule] = func
        return func

    return register


def _entry_param(func: FunctionNode) -> ast.arg | None:
    """Return the config entry parameter (the second positional one)."""
    args = [*func.args.posonlyargs, *func.args.args]
    return args[1] if len(args) >= 2 else None


@check("runtime-data")
def check_runtime_data(integ: Integration) -> list[str]:
    """async_setup_entry stores entry.runtime_data, typed by a ConfigEntry alias."""
    reasons: list[str] = []
    init = integ.module("")
    setup = integ.functions(init).get("async_setup_entry") if init else None
    if init is None or setup is None:
        reasons.append("__init__.py has no async_setup_entry")
    elif not any(
        isinstance(target, ast.Attribute) and target.attr == "runtime_data"
        for _mod, node in integ.reachable(init, setup)
        for target in _assign_targets(node)
    ):
        reasons.append("async_setup_entry in __init__.py does not assign entry.runtime_data")
    aliases = integ.config_entry_aliases()
    if not aliases:
        reasons.append("no `type <Name>ConfigEntry = ConfigEntry[...]` alias in the integration")
    else:
        integ.note("runtime-data", f"config entry alias: {', '.join(sorted(aliases))}")
    if aliases and integ.statuses.get("strict-typing") == "done":
        # Like core: with strict typing the typed alias must be used where entries come in.
        typed_functions: list[tuple[Module, FunctionNode]] = [
            (mod, func)
            for mod in [m for m in (init, *integ.platform_modules()) if m is not None]
            if (func := integ.functions(mod).get("async_setup_entry")) is not None
        ]
        if diagnostics := integ.module("diagnostics"):
            typed_functions += [
                (diagnostics, func)
                for name, func in integ.functions(diagnostics).items()
                if name in ("async_get_config_entry_diagnostics", "async_get_device_diagnostics")
            ]
        for mod, func in typed_functions:
            param = _entry_param(func)
            if param is None or param.annotation is None:
                reasons.append(f"{integ.where(mod, func)}: {func.name} has no typed entry argument")
            elif _ref_name(param.annotation) not in aliases:
                reasons.append(
                    f"{integ.where(mod, func)}: {func.name} annotates the entry as "
                    f"{ast.unparse(param.annotation)}, not {' or '.join(sorted(aliases))}"
                )
    return reasons


@check("parallel-updates")
def check_parallel_updates(integ: Integration) -> list[str]:
    """Every platform module assigns a module-level PARALLEL_UPDATES."""
    platforms = integ.platform_modules()
    if not platforms:
        return ["no platform modules found (mark the rule exempt if there are no entities)"]
    integ.note("parallel-updates", f"platforms: {', '.join(m.name for m in platforms)}")
    return [
        f"{mod.rel} does not set PARALLEL_UPDATES"
        for mod in platforms
        if not any(
            _target_name(target) == "PARALLEL_UPDATES"
            for node in mod.tree.body
            for target in _assign_targets(node)
        )
    ]


def _flow_step(integ: Integration, step: str) -> list[str]:
    flow = integ.module("config_flow")
    if flow is None:
        return ["config_flow.py not found"]
    if step not in integ.methods(flow):
        return [f"config_flow.py defines no {step}"]
    return []


@check("reauthentication-flow")
def check_reauth(integ: Integration) -> list[str]:
    """The config flow has async_step_reauth."""
    return _flow_step(integ, "async_step_reauth")


@check("reconfiguration-flow")
def check_reconfigure(integ: Integration) -> list[str]:
    """The config flow has async_step_reconfigure."""
    return _flow_step(integ, "async_step_reconfigure")


@check("diagnostics")
def check_diagnostics(integ: Integration) -> list[str]:
    """diagnostics.py defines a config entry or device diagnostics function."""
    mod = integ.module("diagnostics")
    if mod is None:
        return ["diagnostics.py not found"]
    wanted = {"async_get_config_entry_diagnostics", "async_get_device_diagnostics"}
    if not wanted & integ.functions(mod).keys():
        return [f"diagnostics.py defines neither {' nor '.join(sorted(wanted))}"]
    return []


def _is_service_registration(call: ast.Call) -> bool:
    name = _call_name(call)
    if name in SERVICE_REGISTRATION:
        return True
    # Plain async_register is only a service when called on `<x>.services`.
    return (
        name == "async_register"
        and isinstance(call.func, ast.Attribute)
        and _ref_name(call.func.value) == "services"
    )


@check("action-setup")
def check_action_setup(integ: Integration) -> list[str]:
    """No service action is registered from (anything called by) async_setup_entry."""
    reasons: list[str] = []
    for mod, setup in integ.setup_entry_functions():
        for found_mod, node in integ.reachable(mod, setup):
            if isinstance(node, ast.Call) and _is_service_registration(node):
                via = "" if found_mod is mod else f" (reached from {integ.where(mod, setup)})"
                reasons.append(
                    f"{integ.where(found_mod, node)}: {_call_name(node)} in async_setup_entry"
                    f"{via}; register actions in async_setup"
                )
    return reasons


@check("config-entry-unloading")
def check_unloading(integ: Integration) -> list[str]:
    """__init__.py defines async_unload_entry."""
    init = integ.module("")
    if init is None or "async_unload_entry" not in integ.functions(init):
        return ["__init__.py does not define async_unload_entry"]
    return []


@check("unique-config-entry")
def check_unique_config_entry(integ: Integration) -> list[str]:
    """The config flow sets a unique id or aborts on matching entries."""
    if integ.manifest.get("single_config_entry") is True:
        integ.note("unique-config-entry", "manifest sets single_config_entry")
        return []
    flow = integ.module("config_flow")
    if flow is None:
        return ["config_flow.py not found"]
    wanted = {"async_set_unique_id", "_async_abort_entries_match"}
    if not any(
        isinstance(node, ast.Call) and _call_name(node) in wanted for node in ast.walk(flow.tree)
    ):
        return ["config_flow.py calls neither async_set_unique_id nor _async_abort_entries_match"]
    return []


def _raises(node: ast.AST, names: frozenset[str]) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return _ref_name(exc) in names


@check("test-before-setup")
def check_test_before_setup(integ: Integration) -> list[str]:
    """Setup fails early: raises a setup exception or runs the first refresh."""
    init = integ.module("")
    setup = integ.functions(init).get("async_setup_entry") if init else None
    if init is None or setup is None:
        return ["__init__.py has no async_setup_entry"]
    for mod, node in integ.reachable(init, setup):
        if _raises(node, SETUP_EXCEPTIONS) or (
            isinstance(node, ast.Call) and _call_name(node) == "async_config_entry_first_refresh"
        ):
            integ.note("test-before-setup", f"{integ.where(mod, node)}")
            return []
    for mod in integ.modules.values():
        if mod.stem.startswith("coordinator"):
            for node in ast.walk(mod.tree):
                if _raises(node, SETUP_EXCEPTIONS):
                    integ.note("test-before-setup", f"{integ.where(mod, node)}")
                    return []
    return [
        (
            "async_setup_entry neither calls async_config_entry_first_refresh nor raises "
            "ConfigEntryNotReady/ConfigEntryAuthFailed/ConfigEntryError "
            "(nor does the coordinator)"
        )
    ]


@check("has-entity-name")
def check_has_entity_name(integ: Integration) -> list[str]:
    """The base entity in entity.py sets _attr_has_entity_name = True."""
    reasons: list[str] = []
    entity = integ.module("entity")
    if entity is None:
        reasons.append("entity.py not found")
    elif not any(
        isinstance(cls, ast.ClassDef)
        and any(
            _target_name(target) == "_attr_has_entity_name"
            and isinstance(value := _assigned_value(item), ast.Constant)
            and value.value is True
            for item in cls.body
            for target in _assign_targets(item)
        )
        for cls in entity.tree.body
    ):
        reasons.append("no class in entity.py sets _attr_has_entity_name = True")
    for mod, node in integ.walk():
        value = _assigned_value(node)
        if (
            any(_target_name(t) == "_attr_has_entity_name" for t in _assign_targets(node))
            and isinstance(value, ast.Constant)
            and value.value is False
        ):
            reasons.append(f"{integ.where(mod, node)}: _attr_has_entity_name = False")
    return reasons


@check("config-flow")
def check_config_flow(integ: Integration) -> list[str]:
    """UI setup: manifest flag, config_flow.py, described fields."""
    reasons: list[str] = []
    if integ.manifest.get("config_flow") is not True:
        reasons.append("manifest.json does not set config_flow: true")
    if integ.module("config_flow") is None:
        reasons.append("config_flow.py not found")
    strings = integ.strings
    if strings is None:
        return [*reasons, "no strings.json (or translations/en.json)"]
    if not _nested(strings, "config", "step", "user", "data_description"):
        reasons.append("strings: config.step.user has no data_description")
    for section in ("config", "options"):
        steps = _nested(strings, section, "step")
        if not isinstance(steps, dict):
            continue
        for step_id, step in steps.items():
            data = step.get("data") if isinstance(step, dict) else None
            if not isinstance(data, dict):
                continue
            described = step.get("data_description") or {}
            reasons.extend(
                f"strings: {section}.step.{step_id}.data_description has no {field_id!r}"
                for field_id in data
                if field_id not in described
            )
    return reasons


def _is_description_call(node: ast.AST) -> bool:
    """Return True for a ``...EntityDescription(...)`` call."""
    return isinstance(node, ast.Call) and (_call_name(node) or "").endswith("EntityDescription")


@check("entity-translations")
def check_entity_translations(integ: Integration) -> list[str]:
    """Entity names come from translation keys, not literals."""
    reasons: list[str] = []
    strings = integ.strings
    used = False
    for mod, node in integ.walk():
        for target in _assign_targets(node):
            value = _assigned_value(node)
            name = _target_name(target)
            if name == "_attr_name" and value is not None and _is_str_literal(value):
                reasons.append(f"{integ.where(mod, node)}: literal _attr_name")
            if name == "_attr_translation_key":
                used = True
                if (key := _str_value(value)) is not None:
                    reasons.extend(_missing_entity_key(integ, mod, node, key, strings))
        if _is_description_call(node):
            assert isinstance(node, ast.Call)
            name_kw = _keyword(node, "name")
            if name_kw is not None and _is_str_literal(name_kw.value):
                reasons.append(f"{integ.where(mod, node)}: literal name= in {_call_name(node)}")
            key_kw = _keyword(node, "translation_key")
            if key_kw is not None:
                used = True
                if (key := _str_value(key_kw.value)) is not None:
                    reasons.extend(_missing_entity_key(integ, mod, node, key, strings))
    if not used:
        reasons.append("no entity uses translation_key")
    return reasons


def _missing_entity_key(
    integ: Integration, mod: Module, node: ast.AST, key: str, strings: dict[str, Any] | None
) -> list[str]:
    """Check that entity.<platform>.<key> exists for a key set in a platform module."""
    if mod.name not in PLATFORMS:
        return []
    if strings is None:
        return ["no strings.json (or translations/en.json)"]
    if _nested(strings, "entity", mod.name, key) is None:
        return [f"{integ.where(mod, node)}: entity.{mod.name}.{key} missing from strings"]
    return []


@check("icon-translations")
def check_icon_translations(integ: Integration) -> list[str]:
    """Icons come from icons.json."""
    reasons: list[str] = []
    if not (integ.path / "icons.json").is_file():
        reasons.append("icons.json not found")
    elif not isinstance(integ.load_json("icons.json"), dict):
        reasons.append("icons.json is not a valid JSON object")
    for mod, node in integ.walk():
        value = _assigned_value(node)
        if any(_target_name(t) == "_attr_icon" for t in _assign_targets(node)) and not (
            isinstance(value, ast.Constant) and value.value is None
        ):
            reasons.append(f"{integ.where(mod, node)}: _attr_icon set in code")
        if _is_description_call(node):
            assert isinstance(node, ast.Call)
            icon = _keyword(node, "icon")
            if icon is not None and not (
                isinstance(icon.value, ast.Constant) and icon.value.value is None
            ):
                reasons.append(f"{integ.where(mod, node)}: icon= in {_call_name(node)}")
        if isinstance(node, FUNCTION_NODES) and node.name == "icon":
            reasons.append(f"{integ.where(mod, node)}: icon property defined in code")
    return reasons


def _translatable_exceptions(integ: Integration) -> dict[str, set[str] | None]:
    """Map exception names to the translation attributes their class already sets.

    Integration subclasses of the Home Assistant exceptions are included; None means
    the class has its own ``__init__`` and cannot be judged.
    """
    result: dict[str, set[str] | None] = {name: set() for name in TRANSLATABLE_EXCEPTIONS}
    classes = [node for _mod, node in integ.walk() if isinstance(node, ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name in result:
                continue
            bases = [name for b in cls.bases if (name := _ref_name(b)) in result]
            if not bases:
                continue
            own_init = any(isinstance(i, FUNCTION_NODES) and i.name == "__init__" for i in cls.body)
            inherited = [result[b] for b in bases]
            if own_init or any(attrs is None for attrs in inherited):
                result[cls.name] = None
            else:
                attrs = {
                    name
                    for item in cls.body
                    for target in _assign_targets(item)
                    if (name := _target_name(target)) in ("translation_key", "translation_domain")
                }
                for parent in inherited:
                    attrs |= parent or set()
                result[cls.name] = attrs
            changed = True
    return result


@check("exception-translations")
def check_exception_translations(integ: Integration) -> list[str]:
    """Raised Home Assistant exceptions carry a translation domain and key."""
    reasons: list[str] = []
    known = _translatable_exceptions(integ)
    strings = integ.strings
    for mod, node in integ.walk():
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        call = node.exc if isinstance(node.exc, ast.Call) else None
        name = _ref_name(call.func if call else node.exc)
        if name not in known or (preset := known[name]) is None:
            continue
        if call is not None and _has_star_kwargs(call):
            continue
        missing = [
            arg
            for arg in ("translation_domain", "translation_key")
            if arg not in preset and (call is None or _keyword(call, arg) is None)
        ]
        if missing:
            reasons.append(f"{integ.where(mod, node)}: raise {name} without {', '.join(missing)}")
            continue
        key_kw = _keyword(call, "translation_key") if call else None
        key = _str_value(key_kw.value) if key_kw else None
        if (
            key is not None
            and strings is not None
            and _nested(strings, "exceptions", key, "message") is None
        ):
            reasons.append(f"{integ.where(mod, node)}: exceptions.{key}.message not in strings")
    return reasons


@check("brands")
def check_brands(integ: Integration) -> list[str]:
    """brand/icon.png exists (256x256; icon@2x.png 512x512 if present)."""
    brand = integ.path / "brand"
    if not (brand / "icon.png").is_file():
        return ["brand/icon.png not found"]
    reasons: list[str] = []
    for name, expected in BRAND_SIZES.items():
        file = brand / name
        if not file.is_file():
            continue
        size = read_png_size(file)
        if size is None:
            reasons.append(f"brand/{name} is not a PNG")
        elif size != expected:
            reasons.append(
                f"brand/{name} is {size[0]}x{size[1]}, expected {expected[0]}x{expected[1]}"
            )
    integ.note("brands", ", ".join(sorted(p.name for p in brand.glob("*.png"))))
    return reasons


def run_mypy(path: Path) -> tuple[int, str]:
    """Run ``mypy --strict`` over a directory; return (exit code, output)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent.parent,
        timeout=900,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


@check("strict-typing")
def check_strict_typing(integ: Integration) -> list[str]:
    """The client ships py.typed and mypy --strict passes."""
    reasons: list[str] = []
    if not (integ.path / "api" / "py.typed").is_file():
        reasons.append("api/py.typed not found")
    if integ.options.skip_mypy:
        integ.note("strict-typing", "mypy skipped (--skip-mypy)")
        return reasons
    code, output = run_mypy(integ.path)
    lines = [line for line in output.splitlines() if line.strip()]
    if code != 0:
        errors = [line for line in lines if ": error:" in line]
        reasons.extend(errors[:10])
        if len(errors) > 10:
            reasons.append(f"... {len(errors) - 10} more mypy errors")
        reasons.append(f"mypy --strict exited {code}: {lines[-1] if lines else 'no output'}")
    elif lines:
        integ.note("strict-typing", lines[-1])
    return reasons


def _imported_modules(mod: Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@check("async-dependency")
def check_async_dependency(integ: Integration) -> list[str]:
    """The client in api/ uses aiohttp; nothing imports requests."""
    reasons: list[str] = []
    api = integ.api_modules()
    if not api:
        reasons.append("no api/ client package")
    elif not any("aiohttp" in _imported_modules(mod) for mod in api):
        reasons.append("the client in api/ does not import aiohttp")
    reasons.extend(
        f"{mod.rel} imports requests (blocking)"
        for mod in integ.modules.values()
        if "requests" in _imported_modules(mod)
    )
    return reasons


@check("inject-websession")
def check_inject_websession(integ: Integration) -> list[str]:
    """The client takes a session; the integration passes Home Assistant's."""
    reasons: list[str] = []
    api = integ.api_modules()
    takes_session = False
    for mod in api:
        for cls in (n for n in ast.walk(mod.tree) if isinstance(n, ast.ClassDef)):
            init = next(
                (i for i in cls.body if isinstance(i, FUNCTION_NODES) and i.name == "__init__"),
                None,
            )
            if init is None:
                continue
            params = [*init.args.posonlyargs, *init.args.args, *init.args.kwonlyargs]
            if any(p.arg == "session" for p in params):
                takes_session = True
                integ.note("inject-websession", f"{integ.where(mod, cls)}: {cls.name}(session)")
    if not api:
        reasons.append("no api/ client package")
    elif not takes_session:
        reasons.append("no client class in api/ takes a `session` argument in __init__")
    helpers = {"async_get_clientsession", "async_create_clientsession"}
    if not any(
        _call_name(call) in helpers
        for mod, call in integ.calls()
        if mod.name.split(".")[0] != "api"
    ):
        reasons.append("the integration never calls async_get_clientsession")
    return reasons


@check("integration-owner")
def check_integration_owner(integ: Integration) -> list[str]:
    """manifest.json lists at least one code owner."""
    owners = integ.manifest.get("codeowners")
    if not isinstance(owners, list) or not owners:
        return ["manifest.json has no codeowners"]
    return [
        f"manifest.json codeowner {owner!r} is not a @handle"
        for owner in owners
        if not (isinstance(owner, str) and owner.startswith("@") and len(owner) > 1)
    ]


@check("entity-unique-id")
def check_entity_unique_id(integ: Integration) -> list[str]:
    """Entities set _attr_unique_id (or a unique_id property)."""
    for _mod, node in integ.walk():
        if any(_target_name(t) == "_attr_unique_id" for t in _assign_targets(node)):
            return []
        if isinstance(node, FUNCTION_NODES) and node.name == "unique_id":
            return []
    return ["no entity sets _attr_unique_id"]


@check("repair-issues")
def check_repair_issues(integ: Integration) -> list[str]:
    """repairs.py exists or issues are created; issue keys are translated."""
    reasons: list[str] = []
    creates = [(mod, c) for mod, c in integ.calls() if _call_name(c) == "async_create_issue"]
    if integ.module("repairs") is None and not creates:
        return ["neither repairs.py nor any async_create_issue call"]
    strings = integ.strings
    for mod, call in creates:
        key_kw = _keyword(call, "translation_key")
        key = _str_value(key_kw.value) if key_kw else None
        if key is not None and strings is not None and _nested(strings, "issues", key) is None:
            reasons.append(f"{integ.where(mod, call)}: issues.{key} missing from strings")
    return reasons


@check("dynamic-devices")
def check_dynamic_devices(integ: Integration) -> list[str]:
    """Heuristic: a listener (coordinator, entry update, dispatcher) adds new entities."""
    listens = any(_call_name(call) in LISTENER_CALLS for _mod, call in integ.calls())
    adds_later = False
    for _mod, node in integ.walk():
        if not isinstance(node, FUNCTION_NODES):
            continue
        for inner in ast.walk(node):
            if inner is node or not isinstance(inner, FUNCTION_NODES):
                continue
            if any(
                isinstance(call, ast.Call) and "add_entities" in (_call_name(call) or "")
                for call in ast.walk(inner)
            ):
                adds_later = True
    if listens and adds_later:
        return []
    reason = (
        "no listener (coordinator, entry update or dispatcher) with a nested "
        "add_entities call adds entities for new devices"
    )
    return [reason]


@check("stale-devices")
def check_stale_devices(integ: Integration) -> list[str]:
    """Devices can be removed (automatically or manually)."""
    init = integ.module("")
    if init is not None and "async_remove_config_entry_device" in integ.functions(init):
        return []
    for _mod, call in integ.calls():
        name = _call_name(call)
        if name == "async_remove_device" or (
            name == "async_update_device" and _keyword(call, "remove_config_entry_id")
        ):
            return []
    return ["neither async_remove_config_entry_device nor any device removal"]


@check("common-modules")
def check_common_modules(integ: Integration) -> list[str]:
    """The coordinator lives in coordinator.py, the base entity in entity.py."""
    return [
        f"{name}.py not found" for name in ("coordinator", "entity") if integ.module(name) is None
    ]


@check("devices")
def check_devices(integ: Integration) -> list[str]:
    """Entities are attached to devices."""
    for _mod, node in integ.walk():
        if isinstance(node, ast.Call) and _call_name(node) == "DeviceInfo":
            return []
        if any(_target_name(t) == "_attr_device_info" for t in _assign_targets(node)):
            return []
        if isinstance(node, FUNCTION_NODES) and node.name == "device_info":
            return []
    return ["no DeviceInfo / device_info in the integration"]


@check("discovery")
def check_discovery(integ: Integration) -> list[str]:
    """Manifest discovery matchers have a config flow step each."""
    keys = [key for key in DISCOVERY_KEYS if integ.manifest.get(key)]
    if not keys:
        return ["manifest.json declares no discovery method (zeroconf, dhcp, ...)"]
    flow = integ.module("config_flow")
    steps = integ.methods(flow) if flow else {}
    return [
        f"config_flow.py defines no async_step_{key}"
        for key in keys
        if f"async_step_{key}" not in steps
    ]


def _usage_check(rule: str, keyword: str, attr: str, *, value: object = ...) -> None:
    """Register a check that a description keyword or _attr_ is used somewhere.

    With ``value`` the keyword or attribute must be set to that constant.
    """

    def wanted(expr: ast.expr | None) -> bool:
        return value is ... or (isinstance(expr, ast.Constant) and expr.value == value)

    def run(integ: Integration) -> list[str]:
        for _mod, node in integ.walk():
            kw = _keyword(node, keyword) if isinstance(node, ast.Call) else None
            if kw is not None and wanted(kw.value):
                return []
            if any(_target_name(t) == attr for t in _assign_targets(node)) and wanted(
                _assigned_value(node)
            ):
                return []
        shown = keyword if value is ... else f"{keyword}={value}"
        return [f"no entity uses {shown} (or {attr})"]

    run.__doc__ = f"Some entity sets {keyword}."
    CHECKS[rule] = run


_usage_check("entity-category", "entity_category", "_attr_entity_category")
_usage_check("entity-device-class", "device_class", "_attr_device_class")
_usage_check(
    "entity-disabled-by-default",
    "entity_registry_enabled_default",
    "_attr_entity_registry_enabled_default",
    value=False,
)


# -- documentation ------------------------------------------------------------------------


@dataclass
class Section:
    """A README heading with the text below it (subsections included)."""

    level: int
    title: str
    body: list[str] = field(default_factory=list)


def parse_markdown(text: str) -> tuple[list[str], list[Section]]:
    """Split markdown into the intro (before the first section) and sections.

    A leading level-1 heading is the title, not a section. ATX (``## x``) and
    setext (underlined) headings are recognised; fenced code is skipped.
    """
    intro: list[str] = []
    sections: list[Section] = []
    open_sections: list[Section] = []
    lines = text.splitlines()
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        index += 1
        heading: tuple[int, str] | None = None
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif in_fence:
            pass
        elif match := ATX_HEADING_RE.match(line):
            heading = (len(match.group(1)), match.group(2))
        elif (
            stripped
            and not stripped.startswith(("-", "*", ">", "|"))
            and (setext := SETEXT_UNDERLINE_RE.fullmatch(following))
        ):
            heading = (1 if setext.group(0).startswith("=") else 2, stripped)
            index += 1
        if heading is None:
            for section in open_sections:
                section.body.append(line)
            if not sections:
                intro.append(line)
            continue
        level, title = heading
        if level == 1 and not sections and not any(s.strip() for s in intro):
            continue  # the document title
        while open_sections and open_sections[-1].level >= level:
            open_sections.pop()
        for section in open_sections:
            section.body.append(line)
        section = Section(level, title)
        sections.append(section)
        open_sections.append(section)
    return intro, sections


def _readme(integ: Integration) -> tuple[str, list[str], list[Section]] | None:
    if not integ.readme.is_file():
        return None
    text = integ.readme.read_text(encoding="utf-8")
    intro, sections = parse_markdown(text)
    return text, intro, sections


def _doc_check(rule: str, keywords: tuple[str, ...]) -> None:
    def run(integ: Integration) -> list[str]:
        readme = _readme(integ)
        if readme is None:
            return [f"{integ.readme.name} not found"]
        text, _intro, sections = readme
        matching = [s for s in sections if any(k in s.title.lower() for k in keywords)]
        if not matching:
            return [f"README has no heading about {' / '.join(keywords)}"]
        if not any(line.strip() for s in matching for line in s.body):
            return [f"README section {matching[0].title!r} is empty"]
        integ.note(rule, f"section {matching[0].title!r}")
        if rule == "docs-actions":
            return _undocumented_actions(integ, text)
        return []

    run.__doc__ = f"README has a section about {keywords[0]}."
    CHECKS[rule] = run


def _undocumented_actions(integ: Integration, text: str) -> list[str]:
    file = integ.path / "services.yaml"
    if not file.is_file():
        return []
    try:
        services = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return ["services.yaml is not valid YAML"]
    if not isinstance(services, dict):
        return ["services.yaml is not a mapping"]
    return [
        f"README does not mention the action {integ.path.name}.{name}"
        for name in services
        if not re.search(rf"(?<!\w){re.escape(str(name))}(?!\w)", text)
    ]


for _rule, _keywords in DOC_TOPICS.items():
    _doc_check(_rule, _keywords)


@check("docs-high-level-description")
def check_docs_description(integ: Integration) -> list[str]:
    """README opens with a description of the product and a link to it."""
    readme = _readme(integ)
    if readme is None:
        return [f"{integ.readme.name} not found"]
    _text, intro, sections = readme
    candidates = [intro] + [
        s.body for s in sections if any(k in s.title.lower() for k in DESCRIPTION_HEADINGS)
    ]
    for lines in candidates:
        if any(line.strip() for line in lines) and URL_RE.search("\n".join(lines)):
            return []
    return ["README intro (or an About/Overview section) has no description with a product link"]


# -- driver -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Result of checking one integration."""

    failures: list[tuple[str, str]] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    tier: str = "none"

    @property
    def ok(self) -> bool:
        """Return True when nothing failed."""
        return not self.failures


def evaluate(path: Path, options: Options) -> Outcome:
    """Validate quality_scale.yaml and check every done rule."""
    outcome = Outcome()
    try:
        entries, problems = load_quality_scale(path / "quality_scale.yaml")
    except QualityScaleError as err:
        outcome.failures.append(("quality_scale.yaml", str(err)))
        return outcome
    outcome.failures.extend(problems)
    for declared in entries.values():
        outcome.counts[declared.status] += 1
    statuses = {rule: entry.status for rule, entry in entries.items()}
    integ = Integration(path, options, statuses)
    outcome.failures.extend(("python", error) for error in integ.parse_errors)
    failed_rules = {rule for rule, _ in problems}
    for rule in ALL_RULES:
        entry = entries.get(rule)
        if entry is None:
            continue
        label = f"{RULE_TIER[rule]:<8} {rule}"
        if entry.status != "done":
            outcome.details.append(
                f"{entry.status.upper():<6} {label}"
                + (f": {entry.comment.strip()}" if entry.comment else "")
            )
            continue
        run = CHECKS.get(rule)
        if run is None:
            outcome.details.append(f"MANUAL {label}: no code check")
            continue
        reasons = run(integ)
        outcome.failures.extend((rule, reason) for reason in reasons)
        if reasons:
            failed_rules.add(rule)
            outcome.details.append(f"FAIL   {label}")
        else:
            outcome.details.append(f"PASS   {label}")
        outcome.details.extend(f"         {note}" for note in integ.notes.get(rule, []))
    for tier, rules in TIERS.items():
        if all(
            rule in entries and entries[rule].status != "todo" and rule not in failed_rules
            for rule in rules
        ):
            outcome.tier = tier
        else:
            break
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    """Run the checker; return the exit status."""
    parser = argparse.ArgumentParser(
        description="Check quality_scale.yaml of a Home Assistant integration against its code."
    )
    parser.add_argument(
        "--integration",
        type=Path,
        default=DEFAULT_INTEGRATION,
        help="integration directory (default: custom_components/depotfinity)",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        default=None,
        help="README checked by the docs-* rules (default: README.md two levels up)",
    )
    parser.add_argument(
        "--skip-mypy", action="store_true", help="do not run mypy --strict for strict-typing"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show every rule")
    args = parser.parse_args(argv)
    path: Path = args.integration.resolve()
    if not path.is_dir():
        parser.error(f"integration directory {args.integration} not found")
    outcome = evaluate(path, Options(skip_mypy=args.skip_mypy, readme=args.readme))
    if args.verbose:
        for line in outcome.details:
            print(line)
    for rule, reason in outcome.failures:
        print(f"FAIL {rule}: {reason}")
    counts = outcome.counts
    print(f"tier: {outcome.tier}")
    print(
        f"IQS: {counts['done']} done, {counts['exempt']} exempt, {counts['todo']} todo "
        f"of {len(ALL_RULES)}"
    )
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
