"""Polling benchmark: what a fleet owner waits for, through the real integration.

For fleets of 5, 20 and 50 chargers (2 connectors each) it runs Home Assistant's
test instance against the simulator on a virtual clock for one hour, injects
charger faults longer than the fleet's bound, plugs vehicles in and out, and
restarts Home Assistant in the middle of the hour. It measures requests against
the budget, 429 answers, how old each connector's status is, how long a fault
takes to become an event, the first picture after setup and after the restart,
how long a session start or end takes to show, and the coordinator's CPU time
per poll (also for 100 chargers, over a shorter run). A naive poller (every
entity every 30 s) runs against the same depot, as the baseline.

Run it with ``scripts/bench``; the Markdown table lands in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from .polling.common import FAULTS_PER_HOUR, HEADER, Row
from .polling.integration import run_integration
from .polling.naive import run_naive
from .polling.probes import SESSIONS_PER_HOUR

FLEETS = [int(n) for n in os.environ.get("BENCH_FLEETS", "5,20,50").split(",") if n]
CPU_ONLY_FLEETS = [int(n) for n in os.environ.get("BENCH_CPU_FLEETS", "100").split(",") if n]
RESULTS = Path(__file__).with_name("RESULTS.md")


async def bench_polling(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Run every fleet with both pollers, then the CPU-only fleets, and write the table."""
    rows: list[Row] = []
    for n in FLEETS:
        for row in (await run_integration(hass, freezer, n), await run_naive(n)):
            rows.append(row)
            print(row.markdown())  # noqa: T201
    for n in CPU_ONLY_FLEETS:
        rows.append(await run_integration(hass, freezer, n, cpu_only=True))
        print(rows[-1].markdown())  # noqa: T201
    table = "\n".join([HEADER, *(row.markdown() for row in rows)])
    _write_table(table)
    print("\n" + table)  # noqa: T201


def _write_table(table: str) -> None:
    """Put the table into RESULTS.md, keeping the explanations written around it."""
    marker_start, marker_end = "<!-- table -->", "<!-- /table -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if marker_start in text and marker_end in text:
        head, rest = text.split(marker_start, 1)
        tail = rest.split(marker_end, 1)[1]
    else:
        head = (
            "# Polling benchmark\n\n"
            f"One simulated hour per fleet, {FAULTS_PER_HOUR} injected faults, "
            f"{SESSIONS_PER_HOUR} plugged-in sessions and a restart, "
            "produced by `scripts/bench`.\n\n"
        )
        tail = "\n"
    RESULTS.write_text(f"{head}{marker_start}\n{table}\n{marker_end}{tail}", encoding="utf-8")
