"""Force-reconnect buttons against the simulator."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.depotfinity.scheduler import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .helpers import ID_TAG, expected_wait, setup_integration

pytestmark = pytest.mark.usefixtures("start_time")

BUTTON = "button.ch_01_force_reconnect"
TERMINATE_ROUTE = "/v1/chargerControl/{chargerId}/forceTerminateConnection"


async def _press(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: BUTTON}, blocking=True
    )


async def test_buttons(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One configuration button per charger."""
    with patch("custom_components.depotfinity.PLATFORMS", [Platform.BUTTON]):
        await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_press_drops_the_connection(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The charger goes offline; follow-up reads are planned within seconds."""
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    planner = coordinator.planner
    connectivity, availability = (
        Job(JobKind.CONNECTIVITY, "CH-01"),
        Job(JobKind.CHARGER_STATUS, "CH-01"),
    )
    for job in (connectivity, availability):
        planner.reschedule(job, 600)
    await _press(hass)
    assert simulator.sim.snapshot()["chargers"][0]["connected"] is False
    assert simulator.sim.stats.requests_by_route[TERMINATE_ROUTE] == 1
    # Follow-ups: availability in 3 s, connectivity in 10 s (not a whole period later).
    assert planner.due_in(connectivity) == 10
    assert planner.due_in(availability) == 3


async def test_press_unknown_charger(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A charger DepotFinity does not know is a validation error naming it."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    simulator.sim.state.chargers.pop("CH-01")
    with pytest.raises(ServiceValidationError, match="does not know CH-01"):
        await _press(hass)


async def test_press_during_maintenance(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """During maintenance the press fails at once with the time to retry.

    That is the maintenance's end (Retry-After), or the client's first 30 s back-off.
    """
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    simulator.sim.faults.maintenance(90)
    wait = expected_wait(90, 30)
    with pytest.raises(HomeAssistantError, match=f"retry in {wait} seconds") as err:
        await _press(hass)
    assert err.value.translation_key == "service_unavailable"
    assert simulator.sim.snapshot()["chargers"][0]["connected"] is True
