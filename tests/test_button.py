"""Force-reconnect buttons against the simulator."""

from __future__ import annotations

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import SnapshotEntities
from .helpers import ID_TAG, expected_wait

pytestmark = pytest.mark.usefixtures("start_time")

BUTTON = "button.ch_01_force_reconnect"
TERMINATE_ROUTE = "/v1/chargerControl/{chargerId}/forceTerminateConnection"


async def _press(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: BUTTON}, blocking=True
    )


async def test_press_drops_the_connection(
    hass: HomeAssistant, simulator: SimulatorServer, coordinator: DepotFinityCoordinator
) -> None:
    """The charger goes offline; follow-up reads are planned within seconds."""
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


@pytest.mark.usefixtures("init_integration")
async def test_press_unknown_charger(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """A charger DepotFinity does not know is a validation error naming it."""
    simulator.sim.state.chargers.pop("CH-01")
    with pytest.raises(ServiceValidationError, match="does not know CH-01"):
        await _press(hass)


@pytest.mark.usefixtures("init_integration")
async def test_press_during_maintenance(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """During maintenance the press fails at once with the time to retry.

    That is the maintenance's end (Retry-After), or the client's first 30 s back-off.
    """
    simulator.sim.faults.maintenance(90)
    wait = expected_wait(90, 30)
    with pytest.raises(HomeAssistantError, match=f"retry in {wait} seconds") as err:
        await _press(hass)
    assert err.value.translation_key == "service_unavailable"
    assert simulator.sim.snapshot()["chargers"][0]["connected"] is True


async def test_buttons(snapshot_entities: SnapshotEntities) -> None:
    """One configuration button per charger."""
    await snapshot_entities(Platform.BUTTON, id_tag=ID_TAG, settle=None)
