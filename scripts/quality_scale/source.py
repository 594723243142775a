"""Parsed Python modules of an integration: imports, call graph and classes."""

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .astutil import FUNCTION_NODES, FunctionNode, base_name

type Located[T] = tuple["Module", T]
type ImportTarget = tuple[str, str | None]


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


def parse_modules(path: Path) -> tuple[dict[str, Module], list[str]]:
    """Parse every Python module below ``path``; return them and the syntax errors."""
    modules: dict[str, Module] = {}
    errors: list[str] = []
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
            errors.append(f"{rel}:{err.lineno}: {err.msg}")
            continue
        name = ".".join(parts)
        modules[name] = Module(name, file, rel.as_posix(), tree, is_package)
    return modules, errors


class CodeIndex:
    """Every module of an integration package, with look-ups that cross modules."""

    def __init__(self, path: Path) -> None:
        """Parse every Python module below ``path`` (sub-packages included)."""
        self.path = path
        self.modules, self.parse_errors = parse_modules(path)
        self._functions: dict[str, dict[str, FunctionNode]] = {}
        self._imports: dict[str, dict[str, ImportTarget]] = {}
        self._classes: dict[str, list[Located[ast.ClassDef]]] = {}
        self._lineage: dict[int, set[str]] = {}
        for mod, node in self.walk():
            if isinstance(node, ast.ClassDef):
                self._classes.setdefault(node.name, []).append((mod, node))

    # -- modules and nodes -------------------------------------------------------------

    def module(self, name: str) -> Module | None:
        """Return a module by dotted name ("" is ``__init__.py``)."""
        return self.modules.get(name)

    def where(self, mod: Module, node: ast.AST) -> str:
        """Return ``file:line`` for a node."""
        return f"{mod.rel}:{getattr(node, 'lineno', 0)}"

    def walk(self) -> Iterator[Located[ast.AST]]:
        """Yield every node of every module."""
        for mod in self.modules.values():
            for node in ast.walk(mod.tree):
                yield mod, node

    def calls(self) -> Iterator[Located[ast.Call]]:
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
        return self.class_methods(node for node in mod.tree.body if isinstance(node, ast.ClassDef))

    @staticmethod
    def class_methods(classes: Iterable[ast.ClassDef]) -> dict[str, FunctionNode]:
        """Return the methods defined in the bodies of some classes."""
        return {
            item.name: item
            for cls in classes
            for item in cls.body
            if isinstance(item, FUNCTION_NODES)
        }

    # -- imports and calls -------------------------------------------------------------

    def _absolute(self, dotted: str | None) -> str | None:
        """Return the module name inside the integration for an absolute import."""
        prefix = f"custom_components.{self.path.name}"
        if dotted == prefix:
            return ""
        if dotted and dotted.startswith(prefix + "."):
            return dotted.removeprefix(prefix + ".")
        return None

    def _resolve_from(self, mod: Module, node: ast.ImportFrom) -> str | None:
        """Return the dotted module name (inside the integration) an ImportFrom reads from."""
        if node.level == 0:
            return self._absolute(node.module)
        parts = mod.name.split(".") if mod.name else []
        if not mod.is_package:
            parts = parts[:-1]
        if node.level - 1 > len(parts):
            return None
        parts = parts[: len(parts) - (node.level - 1)]
        if node.module:
            parts += node.module.split(".")
        return ".".join(parts)

    def imports(self, mod: Module) -> dict[str, ImportTarget]:
        """Map local names to (module, attribute) for imports from inside the integration.

        The attribute is None when the local name is the module itself.
        """
        if mod.name in self._imports:
            return self._imports[mod.name]
        result: dict[str, ImportTarget] = {}
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = self._absolute(alias.name)
                    if alias.asname and target is not None and target in self.modules:
                        result[alias.asname] = (target, None)
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
        return result

    def find_function(self, mod: Module, name: str) -> Located[FunctionNode] | None:
        """Return the function ``name`` of a module, defined there or imported into it.

        Imports (re-exports through packages included) are followed inside the
        integration.
        """
        seen: set[tuple[str, str]] = set()
        current: Module | None = mod
        while current is not None and (current.name, name) not in seen:
            seen.add((current.name, name))
            if (found := self.functions(current).get(name)) is not None:
                return current, found
            target = self.imports(current).get(name)
            if target is None or target[1] is None:
                return None
            current, name = self.module(target[0]), target[1]
        return None

    def resolve_call(self, mod: Module, call: ast.Call) -> Located[FunctionNode] | None:
        """Return the integration function a call invokes, when it can be resolved."""
        func = call.func
        if isinstance(func, ast.Name):
            return self.find_function(mod, func.id)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            target = self.imports(mod).get(func.value.id)
            if target and target[1] is None and (other := self.module(target[0])):
                return self.find_function(other, func.attr)
        return None

    def reachable(self, mod: Module, func: FunctionNode) -> Iterator[Located[ast.AST]]:
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

    # -- classes -----------------------------------------------------------------------

    def ancestors(self, cls: ast.ClassDef) -> list[Located[ast.ClassDef]]:
        """Return the integration classes a class derives from (matched by name)."""
        found: list[Located[ast.ClassDef]] = []
        seen = {id(cls)}
        pending = [cls]
        while pending:
            for base in pending.pop().bases:
                for mod, parent in self._classes.get(base_name(base) or "", []):
                    if id(parent) not in seen:
                        seen.add(id(parent))
                        found.append((mod, parent))
                        pending.append(parent)
        return found

    def lineage(self, cls: ast.ClassDef) -> set[str]:
        """Return the names of every base of a class, inherited ones included."""
        if id(cls) not in self._lineage:
            classes = [cls, *(parent for _mod, parent in self.ancestors(cls))]
            self._lineage[id(cls)] = {
                name for c in classes for base in c.bases if (name := base_name(base))
            }
        return self._lineage[id(cls)]

    def subclasses(self, base: str) -> list[Located[ast.ClassDef]]:
        """Return the integration classes that derive (indirectly) from ``base``."""
        return [
            (mod, cls)
            for classes in self._classes.values()
            for mod, cls in classes
            if base in self.lineage(cls)
        ]

    def class_named(self, name: str) -> list[Located[ast.ClassDef]]:
        """Return the integration classes called ``name``."""
        return self._classes.get(name, [])

    @staticmethod
    def enclosing_class(mod: Module) -> dict[int, ast.ClassDef]:
        """Map ``id(node)`` to the innermost class around each node of a module."""
        owner: dict[int, ast.ClassDef] = {}
        for cls in ast.walk(mod.tree):
            if isinstance(cls, ast.ClassDef):
                for node in ast.walk(cls):
                    owner[id(node)] = cls
        return owner
