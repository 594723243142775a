"""The code's shape: imports run one way, modules stay small, the client stays HA-free."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "custom_components" / "depotfinity"
PACKAGE_NAME = "custom_components.depotfinity"
MAX_LINES = 400
# Python modules held to the line limit: the integration, the simulator, the scripts.
SMALL_MODULE_DIRS = (PACKAGE, ROOT / "depotfinity_simulator", ROOT / "scripts")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[str]:
    """Every module of the package the file imports, under TYPE_CHECKING too."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            if node.module:  # "from . import x" reads the submodule x, not the package
                yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {target for target in _imports(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_import_cycle() -> None:
    """No two modules import each other, directly or around a loop, not even for typing."""
    graph = import_graph()
    assert len(graph) > 30  # the whole package was read
    assert _cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_layers_run_one_way() -> None:
    """Platforms use entities and commands; the coordinator knows neither; the client nothing."""
    graph = import_graph()
    coordinator = f"{PACKAGE_NAME}.coordinator"
    assert f"{PACKAGE_NAME}.commands" not in graph[coordinator]
    assert f"{PACKAGE_NAME}.entity" not in graph[coordinator]
    for platform in ("sensor", "binary_sensor", "switch", "button", "number", "event", "calendar"):
        assert f"{PACKAGE_NAME}.entity" in graph[f"{PACKAGE_NAME}.{platform}"]
    for name, targets in graph.items():
        if name.startswith(f"{PACKAGE_NAME}.api"):
            assert all(t.startswith(f"{PACKAGE_NAME}.api") for t in targets), name


def test_client_imports_nothing_from_home_assistant() -> None:
    """The API client could be published on its own."""
    for path in (PACKAGE / "api").rglob("*.py"):
        for target in _imports(path):
            assert not target.startswith("homeassistant"), path


@pytest.mark.parametrize("folder", SMALL_MODULE_DIRS, ids=lambda path: path.name)
def test_modules_stay_small(folder: Path) -> None:
    """No module grows past the limit (split by concern instead)."""
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in folder.rglob("*.py")
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long
