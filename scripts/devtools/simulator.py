"""What the DepotFinity simulator printed at start: its URL, credentials and ids."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
import re

from .common import BootstrapError, alive, poll_until

_LISTENING = re.compile(r"listening on (\S+)")
_BANNER = re.compile(r"^(?P<key>[a-z_]+): (?P<value>.*)$")
_REQUIRED = frozenset({"client_id", "client_secret", "chargers"})


@dataclass(slots=True)
class Simulator:
    """What the simulator printed at start."""

    url: str
    client_id: str
    client_secret: str = field(repr=False)  # a secret: never in a log line
    chargers: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    rfid_tags: list[str] = field(default_factory=list, repr=False)
    sites: list[str] = field(default_factory=list)


def parse_banner(text: str) -> Simulator | None:
    """The simulator's banner in its output (None until it is complete)."""
    url = None
    values: dict[str, str] = {}
    for line in text.splitlines():
        if match := _LISTENING.search(line):
            url = match.group(1).rstrip("/")
        elif match := _BANNER.match(line.strip()):
            values.setdefault(match["key"], match["value"].strip())
    if url is None or not _REQUIRED.issubset(values):
        return None

    def ids(key: str) -> list[str]:
        return [part.strip() for part in values.get(key, "").split(",") if part.strip()]

    return Simulator(
        url,
        values["client_id"],
        values["client_secret"],
        ids("chargers"),
        ids("charger_groups"),
        ids("rfid_tags"),
        ids("sites"),
    )


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


async def wait_simulator(log_file: Path, pid: int | None, within: float) -> Simulator:
    """Wait until the simulator has printed its banner to ``log_file``."""

    async def probe() -> tuple[bool, tuple[Simulator | None, str]]:
        text = await asyncio.to_thread(_read_text, log_file)
        sim = parse_banner(text)
        if sim is None and not alive(pid):
            raise BootstrapError(f"the simulator exited; its output ({log_file}):\n{text}")
        return sim is not None, (sim, text)

    _, (sim, text) = await poll_until(probe, within, 0.2)
    if sim is None:
        raise BootstrapError(f"the simulator printed no banner within {within:.0f} s:\n{text}")
    return sim
