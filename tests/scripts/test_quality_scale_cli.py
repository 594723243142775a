"""The checker's command line, rule table, quality_scale.yaml handling and mypy step."""

from pathlib import Path
import subprocess
import sys

import pytest
from quality_scale import rules
from quality_scale.checks import client
from quality_scale.registry import CHECKS

from .conftest import SCRIPTS, RunChecker
from .fake_sources import EXEMPT
from .fakes import README_PATH, good_files, mutated, replace, set_rule, write_integration


def test_good_integration_passes(run_checker: RunChecker) -> None:
    code, out = run_checker(good_files())
    assert code == 0, out
    assert "FAIL" not in out
    assert out.splitlines()[-2:] == ["tier: platinum", "IQS: 50 done, 4 exempt, 0 todo of 54"]


def test_verbose_lists_every_rule(run_checker: RunChecker) -> None:
    code, out = run_checker(good_files(), "-v")
    assert code == 0
    assert "PASS   silver   parallel-updates" in out
    assert "platforms: sensor, switch" in out
    assert "MANUAL bronze   appropriate-polling: no code check" in out
    assert "EXEMPT gold     discovery: Cloud service" in out
    assert "mypy skipped" in out
    for rule in rules.ALL_RULES:
        assert f" {rule}" in out


def test_entry_point_script(tmp_path: Path) -> None:
    """The script runs from the command line with the same arguments and output."""
    files = mutated(replace("config_flow.py", "async_step_reauth(", "x("))
    script = SCRIPTS / "check_quality_scale.py"
    args = ["--integration", str(write_integration(tmp_path, files)), "--skip-mypy"]
    result = subprocess.run(  # noqa: S603 (runs this repository's own script)
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "FAIL reauthentication-flow: config_flow.py defines no async_step_reauth",
        "tier: bronze",
        "IQS: 50 done, 4 exempt, 0 todo of 54",
    ]


def test_rule_catalogue() -> None:
    assert len(rules.ALL_RULES) == 54
    assert {tier: len(names) for tier, names in rules.TIERS.items()} == {
        "bronze": 20,
        "silver": 10,
        "gold": 21,
        "platinum": 3,
    }
    assert set(CHECKS) <= set(rules.ALL_RULES)


def test_platform_list_covers_home_assistant() -> None:
    from homeassistant.const import Platform

    assert {platform.value for platform in Platform} <= rules.PLATFORMS


def test_todo_rules_are_allowed(run_checker: RunChecker) -> None:
    files = mutated(
        set_rule("strict-typing", "todo"),
        set_rule("stale-devices", {"status": "todo", "comment": "later"}),
        replace("__init__.py", "async_remove_config_entry_device", "unused"),
    )
    code, out = run_checker(files)
    assert code == 0, out
    assert out.splitlines()[-2:] == ["tier: silver", "IQS: 48 done, 4 exempt, 2 todo of 54"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "quality_scale.yaml not found"),
        ("rules: [oops\n", "not valid YAML"),
        ("- done\n", "must be a mapping with a 'rules' mapping"),
        ("rules: {}\nextra: 1\n", "unexpected top-level key 'extra'"),
    ],
)
def test_unusable_quality_scale_file(
    content: str | None, message: str, run_checker: RunChecker
) -> None:
    files = good_files()
    files["quality_scale.yaml"] = content
    code, out = run_checker(files)
    assert code == 1
    assert message in out
    assert out.splitlines()[-2:] == ["tier: none", "IQS: 0 done, 0 exempt, 0 todo of 54"]


def test_core_style_yaml(run_checker: RunChecker) -> None:
    lines = ["rules:", "  # Bronze"]
    for rule in rules.ALL_RULES:
        if rule in EXEMPT:
            lines += [f"  {rule}:", "    status: exempt", "    comment: |", f"      {EXEMPT[rule]}"]
        elif rule == "test-coverage":
            lines += [f"  {rule}:", "    status: todo", "    comment: 93 % so far."]
        else:
            lines.append(f"  {rule}: done")
    files = good_files()
    files["quality_scale.yaml"] = "\n".join(lines) + "\n"
    code, out = run_checker(files, "-v")
    assert code == 0, out
    assert "TODO   silver   test-coverage: 93 % so far." in out
    assert out.splitlines()[-2:] == ["tier: bronze", "IQS: 49 done, 4 exempt, 1 todo of 54"]


def test_mypy_failure_is_reported(run_checker: RunChecker, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []

    def fake_mypy(target: Path) -> tuple[int, str]:
        seen.append(target)
        return 1, "sensor.py:3: error: Missing return type  [no-untyped-def]\nFound 1 error"

    monkeypatch.setattr(client, "run_mypy", fake_mypy)
    code, out = run_checker(good_files(), mypy=True)
    assert code == 1
    assert [p.name for p in seen] == ["fakefinity"]
    assert "FAIL strict-typing: sensor.py:3: error: Missing return type" in out
    assert "FAIL strict-typing: mypy --strict exited 1: Found 1 error" in out


def test_many_mypy_errors_are_cut_short(
    run_checker: RunChecker, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = "\n".join(f"x.py:{n}: error: bad  [misc]" for n in range(12))
    monkeypatch.setattr(client, "run_mypy", lambda _path: (1, errors + "\nFound 12 errors"))
    code, out = run_checker(good_files(), mypy=True)
    assert code == 1
    assert "FAIL strict-typing: x.py:9: error" in out
    assert "x.py:10: error" not in out
    assert "FAIL strict-typing: ... 2 more mypy errors" in out


def test_mypy_success_is_noted(run_checker: RunChecker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client, "run_mypy", lambda _path: (0, "Success: no issues found"))
    code, out = run_checker(good_files(), "-v", mypy=True)
    assert code == 0
    assert "Success: no issues found" in out


def test_run_mypy_for_real(tmp_path: Path) -> None:
    package = tmp_path / "custom_components" / "typed"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("def double(x: int) -> int:\n    return 2 * x\n")
    code, output = client.run_mypy(package)
    assert code == 0, output
    (package / "loose.py").write_text("def double(x):\n    return 2 * x\n")
    code, output = client.run_mypy(package)
    assert code == 1
    assert "no-untyped-def" in output


def test_missing_integration_directory(
    tmp_path: Path, run_checker: RunChecker, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        run_checker(tmp_path / "nope")
    assert exc.value.code == 2
    assert "not found" in capsys.readouterr().err


def test_readme_option(tmp_path: Path, run_checker: RunChecker) -> None:
    files = good_files()
    readme = files.pop(README_PATH)
    assert isinstance(readme, str)
    other = tmp_path / "docs.md"
    other.write_text(readme)
    code, out = run_checker(files, "--readme", str(other))
    assert code == 0, out
    code, out = run_checker(files)
    assert code == 1
    assert "FAIL docs-use-cases: README.md not found" in out
