"""Helpers for the integration tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.depotfinity.const import CONF_ID_TAG
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.scheduler import Job, JobKind
from depotfinity_simulator import SimulatorServer

ID_TAG = "89C4704A"
COMMAND_ROUTE = "/v1/chargerControl/chargers/{chargerId}/remoteCommands/{remoteCommandType}"
STATUS_ROUTE = "/v1/chargerStatus/chargers/{chargerId}/connectors/{connectorId}/availabilityStatus"


async def setup_integration(
    hass: HomeAssistant, entry: MockConfigEntry, *, id_tag: str | None = None
) -> DepotFinityCoordinator:
    """Add (unless already added) and set up an entry; return its coordinator.

    ``id_tag`` goes into the options as the idTag for remote starts.
    """
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    if id_tag is not None:
        hass.config_entries.async_update_entry(entry, options={CONF_ID_TAG: id_tag})
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
        if planner.all_ran_since(started):
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


async def tick_until(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: DepotFinityCoordinator,
    done: Callable[[], bool],
    simulator: SimulatorServer | None = None,
    max_ticks: int = 60,
) -> None:
    """Let the coordinator poll, one request per tick, until ``done()`` holds."""
    await poll_until(hass, freezer, simulator, coordinator, done, max_ticks=max_ticks)


async def read_statuses(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: DepotFinityCoordinator,
    *connectors: tuple[str, int],
    simulator: SimulatorServer | None = None,
) -> None:
    """Read connectors' statuses now (every connector when none is named)."""
    since = dt_util.utcnow()
    wanted = connectors or tuple(
        (charger_id, number)
        for charger_id, charger in coordinator.data.chargers.items()
        for number in charger.connectors
    )
    for charger_id, number in wanted:
        coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, charger_id, number), 0)

    def read() -> bool:
        for charger_id, number in wanted:
            connector = coordinator.data.connector(charger_id, number)
            assert connector is not None
            if connector.status_fetched_at is None or connector.status_fetched_at <= since:
                return False
        return True

    await tick_until(hass, freezer, coordinator, read, simulator)
