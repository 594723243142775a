"""Fault matrix: how the integration survives each fault, measured against the simulator.

For each fault of ``faults.matrix.FAULTS`` (and each of its variants) a fresh Home Assistant
sets up the integration against a new simulator (3 chargers x 2 connectors, virtual clock),
injects the fault, lets virtual time run, and measures requests, token requests, how long
entities were unavailable, how long until the values were live again, and reloads.

Run it with ``scripts/faults``; the Markdown table lands in benchmarks/FAULTS.md (written
only when every variant was measured).
"""

from __future__ import annotations

from collections.abc import Iterator
import logging
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from .faults.matrix import VARIANTS, Variant, markdown

FAULTS_MD = Path(__file__).with_name("FAULTS.md")


@pytest.fixture(scope="module")
def measured() -> Iterator[dict[str, str]]:
    """Figures by variant; the table is printed (and written) once every variant ran."""
    figures: dict[str, str] = {}
    yield figures
    table = markdown(figures)
    if set(figures) == set(VARIANTS):
        FAULTS_MD.write_text(table, encoding="utf-8")
    print("\n" + table)  # noqa: T201


@pytest.fixture(autouse=True)
def quiet_event_loop() -> None:
    """The frozen clock makes every loop turn look slow: no warning for each."""
    logging.getLogger("asyncio").setLevel(logging.ERROR)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=list(VARIANTS))
async def bench_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    variant: Variant,
    measured: dict[str, str],
) -> None:
    """Inject one fault (variant) and keep its figures."""
    measured[variant.key] = await variant.measure(hass, freezer)
    print(f"{variant.key}: {measured[variant.key]}")  # noqa: T201
