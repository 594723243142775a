"""Fixtures for the Integration Quality Scale checker tests.

The checker is the ``quality_scale`` package next to ``scripts/check_quality_scale.py``;
it is imported from the scripts directory, as the entry point does.
"""

from collections.abc import Callable
from pathlib import Path
import sys

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.append(str(SCRIPTS))

from quality_scale import cli  # noqa: E402

from .fakes import Files, write_integration  # noqa: E402

type RunChecker = Callable[..., tuple[int, str]]
type ExpectViolation = Callable[..., str]


@pytest.fixture
def run_checker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> RunChecker:
    """Return ``run(files_or_path, *args, mypy=False) -> (exit code, stdout)``.

    Files are written as a fake integration first; mypy is skipped unless asked for.
    """

    def run(target: Files | Path, *extra: str, mypy: bool = False) -> tuple[int, str]:
        path = target if isinstance(target, Path) else write_integration(tmp_path, target)
        args = ["--integration", str(path), *([] if mypy else ["--skip-mypy"]), *extra]
        code = cli.main(args)
        return code, capsys.readouterr().out

    return run


@pytest.fixture
def expect_violation(run_checker: RunChecker) -> ExpectViolation:
    """Return ``expect(files, rule, text, only=None)``: the run fails on that rule only.

    The output must have a ``FAIL <rule>: ...`` line containing ``text``, and every
    FAIL line must start with ``only`` (default ``FAIL <rule>: ``). Returns stdout.
    """

    def expect(target: Files | Path, rule: str, text: str, only: str | None = None) -> str:
        code, out = run_checker(target)
        assert code == 1, out
        fails = [line for line in out.splitlines() if line.startswith("FAIL ")]
        assert any(line.startswith(f"FAIL {rule}: ") and text in line for line in fails), out
        prefix = only or f"FAIL {rule}: "
        assert all(line.startswith(prefix) for line in fails), out
        assert out.splitlines()[-1].startswith("IQS: ")
        return out

    return expect
