"""The integration directory as the checks see it: code, metadata files and notes."""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any, Final

from .astutil import FUNCTION_NODES, FunctionNode, name_of, nested, ref_name
from .rules import PLATFORMS
from .source import CodeIndex, Located, Module

CONFIG_FLOW_MODULE: Final = "config_flow"
CONFIG_FLOW_BASE: Final = "ConfigFlow"
DIAGNOSTICS_MODULE: Final = "diagnostics"
DIAGNOSTICS_FUNCTIONS: Final = (
    "async_get_config_entry_diagnostics",
    "async_get_device_diagnostics",
)


@dataclass(frozen=True)
class Options:
    """Command line options that change what is checked."""

    skip_mypy: bool = False
    readme: Path | None = None


class Integration(CodeIndex):
    """Parsed view of an integration directory."""

    def __init__(self, path: Path, options: Options, statuses: dict[str, str]) -> None:
        """Parse every Python module below ``path``."""
        super().__init__(path)
        self.options = options
        self.statuses = statuses
        self.readme = options.readme or path.parent.parent / "README.md"
        self.notes: dict[str, list[str]] = {}
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

    def lacks_string(self, *keys: str) -> bool:
        """Return True when the strings exist but have nothing at ``keys``."""
        strings = self.strings
        return strings is not None and nested(strings, *keys) is None

    def note(self, rule: str, text: str) -> None:
        """Record a detail line shown with -v."""
        self.notes.setdefault(rule, []).append(text)

    # -- well-known parts --------------------------------------------------------------

    def platform_modules(self) -> list[Module]:
        """Return the top-level modules named like a Home Assistant platform."""
        return [mod for name, mod in self.modules.items() if name in PLATFORMS]

    def api_modules(self) -> list[Module]:
        """Return the modules of the bundled API client package (``api/``)."""
        return [mod for name, mod in self.modules.items() if name.split(".")[0] == "api"]

    def entry_point(self, name: str, module: str = "") -> Located[FunctionNode] | None:
        """Return a function Home Assistant looks up in a module (``__init__.py`` by default).

        The function may be defined there or imported from elsewhere in the integration.
        """
        mod = self.module(module)
        return self.find_function(mod, name) if mod is not None else None

    def diagnostics_functions(self) -> list[Located[FunctionNode]]:
        """Return the diagnostics functions Home Assistant finds in diagnostics.py."""
        return [
            found
            for name in DIAGNOSTICS_FUNCTIONS
            if (found := self.entry_point(name, DIAGNOSTICS_MODULE)) is not None
        ]

    def setup_entry_functions(self) -> Iterator[Located[FunctionNode]]:
        """Yield every ``async_setup_entry`` function of the integration."""
        for mod, node in self.walk():
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
                and ref_name(node.annotation) == "TypeAlias"
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                name, value = node.target.id, node.value
            else:
                continue
            if (
                name.endswith("ConfigEntry")
                and isinstance(value, ast.Subscript)
                and ref_name(value.value) == "ConfigEntry"
            ):
                aliases.add(name)
        return aliases

    def imported_name(self, mod: Module, node: ast.expr) -> str | None:
        """Return the original name of a referenced name imported from the integration."""
        local = ref_name(node)
        target = self.imports(mod).get(local or "")
        return target[1] if target is not None and target[1] is not None else local

    # -- config flow -------------------------------------------------------------------

    def flow_classes(self) -> list[Located[ast.ClassDef]]:
        """Return the classes of the config flow, wherever they are defined.

        These are the classes of config_flow.py, every ConfigFlow subclass of the
        integration and the integration classes they derive from (mixins).
        """
        flow = self.module(CONFIG_FLOW_MODULE)
        found: list[Located[ast.ClassDef]] = []
        if flow is not None:
            found += [(flow, n) for n in flow.tree.body if isinstance(n, ast.ClassDef)]
        for located in self.subclasses(CONFIG_FLOW_BASE):
            found += [located, *self.ancestors(located[1])]
        unique = {id(cls): (mod, cls) for mod, cls in found}
        return list(unique.values())

    def flow_steps(self) -> dict[str, FunctionNode]:
        """Return the methods of the config flow classes."""
        return self.class_methods(cls for _mod, cls in self.flow_classes())

    def flow_nodes(self) -> Iterator[Located[ast.AST]]:
        """Yield the nodes of config_flow.py and of the config flow classes elsewhere."""
        flow = self.module(CONFIG_FLOW_MODULE)
        if flow is not None:
            yield from ((flow, node) for node in ast.walk(flow.tree))
        for mod, cls in self.flow_classes():
            if mod is not flow:
                yield from ((mod, node) for node in ast.walk(cls))

    # -- entity platforms --------------------------------------------------------------

    def lineage_of(self, name: str) -> set[str]:
        """Return the base names of every integration class called ``name``."""
        return {base for _mod, cls in self.class_named(name) for base in self.lineage(cls)}

    def entity_platform(self, mod: Module, node: ast.AST, owner: ast.ClassDef | None) -> str | None:
        """Return the platform an entity description call or entity class attribute is for.

        It comes from the lineage of the description class (``node`` is the call) or
        of the entity class ``owner``: ``SensorEntityDescription`` and ``SensorEntity``
        mean ``sensor``. Otherwise the module's (or its package's) name decides.
        """
        names: list[str] = []
        if isinstance(node, ast.Call) and (called := name_of(node.func)) is not None:
            names = [called, *sorted(self.lineage_of(called))]
        elif owner is not None:
            names = sorted(self.lineage(owner))
        for name in names:
            for suffix in ("EntityDescription", "Entity"):
                platform = _snake_case(name.removesuffix(suffix))
                if name.endswith(suffix) and platform in PLATFORMS:
                    return platform
        top = mod.name.split(".")[0]
        return top if top in PLATFORMS else None

    def is_description_call(self, node: ast.AST) -> bool:
        """Return True for a call creating an entity description (subclasses included)."""
        if not isinstance(node, ast.Call) or (name := name_of(node.func)) is None:
            return False
        return any(
            candidate.endswith("EntityDescription") for candidate in (name, *self.lineage_of(name))
        )


def _snake_case(name: str) -> str:
    """Return ``binary_sensor`` for ``BinarySensor``."""
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(name)).lower()
