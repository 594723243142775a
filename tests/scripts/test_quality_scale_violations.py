"""Every checked rule catches its planted violation, and only that rule fails."""

from pathlib import Path

from PIL import Image
import pytest

from .conftest import ExpectViolation, RunChecker
from .fake_sources import ENTITY, SENSOR
from .fakes import (
    README_PATH,
    Files,
    Mutation,
    drop_section,
    edit_json,
    good_files,
    mutated,
    set_file,
    set_rule,
    update,
    write_integration,
)
from .violations_entities import VIOLATIONS as ENTITY_VIOLATIONS
from .violations_files import VIOLATIONS as FILE_VIOLATIONS
from .violations_layout import VIOLATIONS as LAYOUT_VIOLATIONS
from .violations_setup import VIOLATIONS as SETUP_VIOLATIONS

TABLES = (SETUP_VIOLATIONS, ENTITY_VIOLATIONS, FILE_VIOLATIONS, LAYOUT_VIOLATIONS)
VIOLATIONS = {case: violation for table in TABLES for case, violation in table.items()}


def test_case_ids_are_unique() -> None:
    assert len(VIOLATIONS) == sum(len(table) for table in TABLES)


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_violation_is_caught(case: str, expect_violation: ExpectViolation) -> None:
    rule, mutation, text = VIOLATIONS[case]
    expect_violation(mutated(mutation), rule, text)


DOC_SECTIONS: dict[str, Mutation] = {
    "docs-actions": drop_section("Actions"),
    "docs-conditions": set_rule("docs-conditions", "done"),
    "docs-configuration-parameters": drop_section("Options"),
    "docs-data-update": drop_section("Data updates"),
    "docs-examples": drop_section("Examples"),
    "docs-installation-instructions": drop_section("Installation"),
    "docs-installation-parameters": drop_section("Configuration"),
    "docs-known-limitations": drop_section("Known limitations"),
    "docs-removal-instructions": drop_section("Removal"),
    "docs-supported-devices": drop_section("Supported devices"),
    "docs-supported-functions": drop_section("Supported functions"),
    "docs-triggers": set_rule("docs-triggers", "done"),
    "docs-use-cases": drop_section("Use cases"),
}


@pytest.mark.parametrize("rule", sorted(DOC_SECTIONS))
def test_missing_readme_section(rule: str, expect_violation: ExpectViolation) -> None:
    expect_violation(mutated(DOC_SECTIONS[rule]), rule, "README has no heading about")


def test_missing_readme_fails_every_docs_rule(expect_violation: ExpectViolation) -> None:
    files = mutated(set_file(README_PATH, None))
    out = expect_violation(files, "docs-removal-instructions", "README.md not found", "FAIL docs-")
    assert "FAIL docs-high-level-description: README.md not found" in out


def test_brand_icon_missing(tmp_path: Path, expect_violation: ExpectViolation) -> None:
    path = write_integration(tmp_path, good_files())
    (path / "brand" / "icon.png").unlink()
    expect_violation(path, "brands", "brand/icon.png not found")


def test_brand_icon_wrong_size(tmp_path: Path, run_checker: RunChecker) -> None:
    path = write_integration(tmp_path, good_files())
    Image.new("RGBA", (100, 100)).save(path / "brand" / "icon.png")
    (path / "brand" / "icon@2x.png").write_bytes(b"not a png")
    code, out = run_checker(path)
    assert code == 1
    assert "FAIL brands: brand/icon.png is 100x100, expected 256x256" in out
    assert "FAIL brands: brand/icon@2x.png is not a PNG" in out


def test_empty_integration_fails_every_checked_rule(
    tmp_path: Path, run_checker: RunChecker
) -> None:
    files: Files = {"quality_scale.yaml": good_files()["quality_scale.yaml"]}
    path = write_integration(tmp_path, files)
    (path / "brand" / "icon.png").unlink()
    (path / "icons.json").write_text("[]")
    code, out = run_checker(path)
    assert code == 1
    for expected in (
        "FAIL runtime-data: __init__.py has no async_setup_entry",
        "FAIL parallel-updates: no platform modules found",
        "FAIL reauthentication-flow: config_flow.py not found",
        "FAIL unique-config-entry: config_flow.py not found",
        "FAIL test-before-setup: __init__.py has no async_setup_entry",
        "FAIL has-entity-name: no entity class sets _attr_has_entity_name = True",
        "FAIL config-flow: config_flow.py not found",
        "FAIL config-flow: no strings.json (or translations/en.json)",
        "FAIL entity-translations: no entity uses translation_key",
        "FAIL icon-translations: icons.json is not a valid JSON object",
        "FAIL async-dependency: no api/ client package",
        "FAIL inject-websession: no api/ client package",
        "FAIL brands: brand/icon.png not found",
        "FAIL integration-owner: manifest.json has no codeowners",
        "FAIL common-modules: coordinator.py not found",
        "FAIL diagnostics: diagnostics.py not found",
    ):
        assert expected in out
    assert "FAIL action-setup" not in out
    assert out.splitlines()[-2] == "tier: none"


@pytest.mark.parametrize(
    ("rel", "content", "expected"),
    [
        ("services.yaml", "a: [\n", "FAIL docs-actions: services.yaml is not valid YAML"),
        ("services.yaml", "- a\n", "FAIL docs-actions: services.yaml is not a mapping"),
        (
            "entity.py",
            ENTITY + "\n    @property\n    def icon(self) -> str:\n        return 'mdi:x'\n",
            "FAIL icon-translations: entity.py:17: icon property defined in code",
        ),
        (
            "sensor.py",
            SENSOR.replace("entry: FakeConfigEntry", "entry"),
            "FAIL runtime-data: sensor.py:20: async_setup_entry has no typed entry argument",
        ),
        ("manifest.json", "{}", "FAIL integration-owner: manifest.json has no codeowners"),
    ],
)
def test_more_violations(rel: str, content: str, expected: str, run_checker: RunChecker) -> None:
    code, out = run_checker(mutated(set_file(rel, content)))
    assert code == 1
    assert expected in out


def test_codeowner_must_be_a_handle(expect_violation: ExpectViolation) -> None:
    files = mutated(edit_json("manifest.json", update(codeowners=["someone"])))
    text = "manifest.json codeowner 'someone' is not a @handle"
    expect_violation(files, "integration-owner", text)
