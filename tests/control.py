"""Helpers for the tests of commands, control entities and actions."""

from __future__ import annotations

from collections.abc import Callable

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.const import CONF_ID_TAG
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.scheduler import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .helpers import poll_until

ID_TAG = "89C4704A"
COMMAND_ROUTE = "/v1/chargerControl/chargers/{chargerId}/remoteCommands/{remoteCommandType}"
STATUS_ROUTE = "/v1/chargerStatus/chargers/{chargerId}/connectors/{connectorId}/availabilityStatus"


async def setup_control(
    hass: HomeAssistant, entry: MockConfigEntry, *, id_tag: str | None = ID_TAG
) -> DepotFinityCoordinator:
    """Set up an entry whose options hold the idTag for remote starts (or none)."""
    entry.add_to_hass(hass)
    if id_tag is not None:
        hass.config_entries.async_update_entry(entry, options={CONF_ID_TAG: id_tag})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator: DepotFinityCoordinator = entry.runtime_data.coordinator
    return coordinator


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
