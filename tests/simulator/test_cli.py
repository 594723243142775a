"""The command line interface."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import signal
import socket
import sys

import aiohttp
import pytest

from depotfinity_simulator.__main__ import build_parser, config_from_args, main

from .conftest import basic

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def run_simulator(port: int, *args: str, **streams: int) -> asyncio.subprocess.Process:
    """Start the simulator's command line on ``port`` in a process of its own (unbuffered)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "depotfinity_simulator",
        "--port",
        str(port),
        *args,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="0"),
        **streams,
    )


def test_parser_documents_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    for flag in (
        "--host",
        "--port",
        "--chargers",
        "--connectors",
        "--groups",
        "--package",
        "--client-id",
        "--client-secret",
        "--token-lifetime",
        "--rate-limit",
        "--rate-window",
        "--speed",
        "--seed",
        "--fault-rate",
        "--reconnect-delay",
        "--enforce-rfid",
        "--history-days",
        "--latency",
        "--maintenance-every",
        "--maintenance-duration",
        "--log-level",
    ):
        assert flag in text


def test_config_from_args() -> None:
    args = build_parser().parse_args(
        [
            "--chargers",
            "6",
            "--package",
            "basic",
            "--enforce-rfid",
            "--start",
            "2024-01-01T00:00:00+00:00",
        ]
    )
    cfg = config_from_args(args)
    assert (cfg.chargers, cfg.package, cfg.enforce_rfid, cfg.speed) == (6, "basic", True, 1.0)
    assert cfg.start is not None
    assert cfg.start.year == 2024


def test_invalid_config_exits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as err:
        main(["--chargers", "0"])
    assert err.value.code == 2
    assert "chargers" in capsys.readouterr().err


async def test_cli_subprocess() -> None:
    port = free_port()
    proc = await run_simulator(
        port,
        "--chargers",
        "4",
        "--connectors",
        "2",
        "--history-days",
        "1",
        "--client-id",
        "cli-id",
        "--client-secret",
        "cli-secret",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        async with asyncio.timeout(20):
            while len(lines) < 7:
                line = await proc.stdout.readline()
                assert line, "the simulator exited early"
                lines.append(line.decode().rstrip("\n"))
        assert lines[0] == f"DepotFinity simulator listening on http://127.0.0.1:{port}"
        assert lines[1] == "client_id: cli-id"
        assert lines[2] == "client_secret: cli-secret"
        assert lines[3] == "chargers: CH-01, CH-02, CH-03, CH-04"
        assert lines[4].startswith("charger_groups: ")
        assert len(lines[4].split(": ")[1]) == 36
        assert lines[5] == "sites: site-1"
        tags = lines[6].removeprefix("rfid_tags: ").split(", ")
        assert len(tags) == 4
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"http://127.0.0.1:{port}/oauth2/token",
                headers=basic("cli-id", "cli-secret"),
                data={"grant_type": "client_credentials"},
            ) as resp,
        ):
            assert resp.status == 200
            assert (await resp.json())["token_type"] == "bearer"
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            rest = await proc.stdout.read()
            assert await proc.wait() == 0
        assert b"stopped" in rest
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_cli_reports_busy_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = await run_simulator(
            port,
            "--history-days",
            "0",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(20):
            _, err = await proc.communicate()
        assert proc.returncode == 1
        assert b"error:" in err
