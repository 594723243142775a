"""Sensors: snapshot of every sensor, fleet summary, energy that never goes backwards."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import SnapshotEntities
from .helpers import poll_jobs, status_jobs, tick

pytestmark = pytest.mark.usefixtures("start_time")


async def test_unknown_values_from_the_service(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    polled_coordinator: DepotFinityCoordinator,
) -> None:
    """Status and error values DepotFinity adds later show as unknown/other, never crash."""
    simulator.sim.set_status_override("CH-01", 1, "Hibernating")
    simulator.sim.set_status_override("CH-01", None, "Maintenance")
    simulator.sim.inject_fault("CH-02", error_code="CoolantLeak", vendor_error_code="X9")
    jobs = (*status_jobs("CH-01", 1), Job(JobKind.CHARGER_STATUS, "CH-02"))
    await poll_jobs(hass, freezer, polled_coordinator, *jobs)
    assert polled_coordinator.last_update_success
    assert hass.states.get("sensor.ch_01_connector_1_status").state == STATE_UNKNOWN
    assert hass.states.get("sensor.ch_01_availability").state == STATE_UNKNOWN
    assert hass.states.get("sensor.ch_02_error_code").state == "other"
    assert hass.states.get("sensor.ch_02_vendor_error_code").state == "X9"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the energy register
async def test_energy_follows_a_session_and_never_goes_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    polled_coordinator: DepotFinityCoordinator,
) -> None:
    """A session raises power and the energy register; a backwards reading is dropped."""
    energy = "sensor.ch_02_connector_2_energy"
    before = float(hass.states.get(energy).state)

    simulator.sim.plug_in("CH-02", 2)
    for _ in range(60):
        await tick(hass, freezer, 5, simulator)
    assert hass.states.get("sensor.ch_02_connector_2_status").state == "charging"
    assert float(hass.states.get("sensor.ch_02_connector_2_power").state) > 0
    during = float(hass.states.get(energy).state)
    assert during > before

    connector = polled_coordinator.data.connector("CH-02", 2)
    assert connector is not None
    assert connector.energy_wh is not None
    assert not connector.energy.update(connector.energy_wh - 5000, dt_util.utcnow())
    assert connector.energy_wh == pytest.approx(during * 1000)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_sensors(snapshot_entities: SnapshotEntities) -> None:
    """Every sensor once the first sweep is done."""
    await snapshot_entities(Platform.SENSOR)
