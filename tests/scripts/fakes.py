"""A fake integration on disk and small edits that plant one violation each."""

from collections.abc import Callable
import json
from pathlib import Path
import re

from PIL import Image
from quality_scale.rules import ALL_RULES

from .fake_sources import (
    API,
    CONFIG_FLOW,
    CONST,
    COORDINATOR,
    DIAGNOSTICS,
    DOMAIN,
    ENTITY,
    EXEMPT,
    INIT,
    MANIFEST,
    README,
    SENSOR,
    SERVICES,
    STRINGS,
    SWITCH,
)

type Content = str | dict[str, object] | None
type Files = dict[str, Content]
type Mutation = Callable[[Files], None]
type JsonEdit = Callable[[dict[str, object]], None]
# (rule, edit planting one violation, text expected in the rule's FAIL line)
type Violation = tuple[str, Mutation, str]

README_PATH = "../../README.md"
UNIQUE_ID_CALL = 'await self.async_set_unique_id(user_input["client_id"])'


def good_files() -> Files:
    """Return the files of a fake integration that passes every check."""
    rules: dict[str, object] = {
        rule: ({"status": "exempt", "comment": EXEMPT[rule]} if rule in EXEMPT else "done")
        for rule in ALL_RULES
    }
    return {
        "quality_scale.yaml": {"rules": rules},
        "manifest.json": dict(MANIFEST),
        "strings.json": json.loads(json.dumps(STRINGS)),
        "icons.json": {"entity": {"sensor": {"power": {"default": "mdi:flash"}}}},
        "services.yaml": "set_limit:\n  fields:\n    limit:\n      required: true\n",
        "__init__.py": INIT,
        "const.py": CONST,
        "coordinator.py": COORDINATOR,
        "entity.py": ENTITY,
        "sensor.py": SENSOR,
        "switch.py": SWITCH,
        "config_flow.py": CONFIG_FLOW,
        "diagnostics.py": DIAGNOSTICS,
        "services.py": SERVICES,
        "api/__init__.py": API,
        "api/py.typed": "",
        README_PATH: README,
    }


def mutated(*mutations: Mutation) -> Files:
    """Return the good files with some edits applied."""
    files = good_files()
    for mutation in mutations:
        mutation(files)
    return files


def write_integration(root: Path, files: Files) -> Path:
    """Write a fake integration below ``root``; return its directory."""
    path = root / "custom_components" / DOMAIN
    for rel, content in files.items():
        if content is None:
            continue
        file = (path / rel).resolve()
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            # JSON is valid YAML, so quality_scale.yaml can be written the same way.
            file.write_text(json.dumps(content, indent=2), encoding="utf-8")
        else:
            file.write_text(content, encoding="utf-8")
    brand = path / "brand"
    brand.mkdir(exist_ok=True)
    if not (brand / "icon.png").exists():
        Image.new("RGBA", (256, 256), (0, 128, 128, 255)).save(brand / "icon.png")
    return path


def combine(*mutations: Mutation) -> Mutation:
    """Return one edit that applies several."""

    def mutate(files: Files) -> None:
        for mutation in mutations:
            mutation(files)

    return mutate


def replace(rel: str, old: str, new: str) -> Mutation:
    """Return an edit replacing text in a file (the text must be there)."""

    def mutate(files: Files) -> None:
        content = files[rel]
        assert isinstance(content, str)
        assert old in content, f"{old!r} not in {rel}"
        files[rel] = content.replace(old, new)

    return mutate


def set_file(rel: str, content: Content) -> Mutation:
    """Return an edit writing (or, with None, removing) a whole file."""

    def mutate(files: Files) -> None:
        files[rel] = content

    return mutate


def drop_section(heading: str) -> Mutation:
    """Return an edit removing a README heading and its text (up to the next heading)."""

    def mutate(files: Files) -> None:
        readme = files[README_PATH]
        assert isinstance(readme, str)
        match = re.search(rf"^#+ {re.escape(heading)}\n[^#]*", readme, re.MULTILINE)
        assert match is not None, f"no heading {heading!r}"
        files[README_PATH] = readme.replace(match[0], "")

    return mutate


def set_rule(rule: str, value: object) -> Mutation:
    """Return an edit of one rule of quality_scale.yaml (None removes it)."""

    def mutate(files: Files) -> None:
        scale = files["quality_scale.yaml"]
        assert isinstance(scale, dict)
        rules = scale["rules"]
        assert isinstance(rules, dict)
        if value is None:
            del rules[rule]
        else:
            rules[rule] = value

    return mutate


def edit_json(rel: str, edit: JsonEdit) -> Mutation:
    """Return an edit of a JSON file given as a mapping."""

    def mutate(files: Files) -> None:
        content = files[rel]
        assert isinstance(content, dict)
        edit(content)

    return mutate


def edit_strings(edit: JsonEdit) -> Mutation:
    """Return an edit of strings.json."""
    return edit_json("strings.json", edit)


def update(**values: object) -> JsonEdit:
    """Return a JSON edit setting top-level keys."""
    return lambda data: data.update(values)


def delete(*keys: str) -> JsonEdit:
    """Return a JSON edit deleting the value at a path of keys."""

    def edit(data: dict[str, object]) -> None:
        current: object = data
        for key in keys[:-1]:
            assert isinstance(current, dict)
            current = current[key]
        assert isinstance(current, dict)
        del current[keys[-1]]

    return edit
