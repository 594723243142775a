"""Helpers for the integration tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.scheduler import Job
from depotfinity_simulator import SimulatorServer


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> DepotFinityCoordinator:
    """Add (unless already added) and set up an entry; return its coordinator."""
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator: DepotFinityCoordinator = entry.runtime_data.coordinator
    return coordinator


async def tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    simulator: SimulatorServer | None = None,
) -> None:
    """Let Home Assistant's time (and the simulator's, if given) pass; run what is due."""
    freezer.tick(timedelta(seconds=seconds))
    if simulator is not None:
        simulator.clock.advance(seconds)
    async_fire_time_changed(hass)
    # Scheduled coordinator refreshes run as background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


async def poll_until_idle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: DepotFinityCoordinator,
    max_ticks: int = 200,
) -> int:
    """Tick until every job planned now has run once; return the ticks used.

    The planner runs at the budget's pace and may never be idle, so "done" is:
    every job's next due time lies after the moment this started.
    """
    planner = coordinator.planner
    started = planner.clock()
    for count in range(1, max_ticks + 1):
        interval = coordinator.update_interval
        assert interval is not None
        # The coordinator adds a fraction of a second of jitter to its schedule.
        await tick(hass, freezer, interval.total_seconds() + 0.5)
        if all(schedule.due > started for schedule in planner._jobs.values()):
            return count
    raise AssertionError("some jobs never ran")


async def poll_until(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer | None,
    coordinator: DepotFinityCoordinator,
    check: Callable[[], object],
    *jobs: Job,
    max_ticks: int = 100,
) -> None:
    """Ask for the given polls, then let polls run (one per tick) until ``check()`` holds.

    With a simulator, its clock moves with Home Assistant's.
    """
    for job in jobs:
        coordinator.planner.mark_due(job, 0)
    for _ in range(max_ticks):
        if check():
            return
        interval = coordinator.update_interval
        assert interval is not None
        await tick(hass, freezer, interval.total_seconds() + 0.5, simulator)
    raise AssertionError("the polls never showed the change")
