"""Selecting the mode (CLI flag, environment variable) and the list of guesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from depotfinity_simulator import SimulatorServer
from depotfinity_simulator.__main__ import build_parser, config_from_args, main
from depotfinity_simulator.config import MODE_ENV, mode_from_env
from depotfinity_simulator.guesses import GUESSES, help_epilog, markdown_rows

README = Path(__file__).resolve().parents[2] / "depotfinity_simulator" / "README.md"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("default", False), ("documented", True), (" Documented ", True)],
)
def test_mode_from_env(value: str | None, expected: bool) -> None:
    environ = {} if value is None else {MODE_ENV: value}
    assert mode_from_env(environ) is expected


def test_mode_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODE_ENV, "documented")
    assert mode_from_env() is True
    monkeypatch.setenv(MODE_ENV, "default")
    assert mode_from_env() is False
    monkeypatch.setenv(MODE_ENV, "documentd")
    with pytest.raises(ValueError, match=MODE_ENV):
        mode_from_env()


def test_cli_flag_selects_the_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODE_ENV, raising=False)
    parser = build_parser()
    assert config_from_args(parser.parse_args([])).documented_only is False
    assert config_from_args(parser.parse_args(["--documented-only"])).documented_only is True


def test_cli_env_selects_the_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = build_parser()
    monkeypatch.setenv(MODE_ENV, "documented")
    assert config_from_args(parser.parse_args([])).documented_only is True
    monkeypatch.setenv(MODE_ENV, "default")
    assert config_from_args(parser.parse_args([])).documented_only is False
    assert config_from_args(parser.parse_args(["--documented-only"])).documented_only is True


def test_cli_rejects_unknown_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(MODE_ENV, "strict")
    with pytest.raises(SystemExit) as err:
        main([])
    assert err.value.code == 2
    assert MODE_ENV in capsys.readouterr().err


@pytest.mark.parametrize(("value", "expected"), [("documented", True), ("default", False)])
def test_server_without_config_reads_env(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv(MODE_ENV, value)
    server = SimulatorServer()
    assert server.config.documented_only is expected
    assert server.sim.faults.send_retry_after is not expected


def test_help_lists_every_guess(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--documented-only" in text
    assert MODE_ENV in text
    for guess in GUESSES:
        assert f"{guess.topic} (spec {guess.spec}):" in text
    assert help_epilog().count("Documented-only:") == sum(g.documented is not None for g in GUESSES)


def test_readme_lists_every_guess() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "## What is documented, what is guessed" in readme
    for row in markdown_rows():
        assert row in readme, row


def test_guesses_are_distinct() -> None:
    topics = [g.topic for g in GUESSES]
    assert len(topics) == len(set(topics))
    documented_only = {g.topic for g in GUESSES if g.documented is not None}
    assert {"Retry-After values", "Time-series default window"} <= documented_only
