"""Binary sensors: snapshot, and the problem/connectivity sensors following the charger."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
import pytest

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import SnapshotEntities
from .helpers import poll_jobs, status_jobs

pytestmark = pytest.mark.usefixtures("start_time")


async def test_problem_and_charging_follow_the_depot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    polled_coordinator: DepotFinityCoordinator,
) -> None:
    """A fault turns the problem sensor on; a plugged-in vehicle starts charging."""
    assert hass.states.get("binary_sensor.ch_01_problem").state == STATE_OFF
    assert hass.states.get("binary_sensor.ch_01_connector_2_power_flowing").state == STATE_OFF

    simulator.sim.inject_fault("CH-01", error_code="HighTemperature")
    simulator.sim.plug_in("CH-02", 1)
    simulator.clock.advance(60)
    jobs = (*status_jobs("CH-01"), Job(JobKind.CONNECTOR_STATUS, "CH-02", 1))
    await poll_jobs(hass, freezer, polled_coordinator, *jobs)
    assert hass.states.get("binary_sensor.ch_01_problem").state == STATE_ON
    assert hass.states.get("sensor.ch_01_error_code").state == "high_temperature"
    assert hass.states.get("binary_sensor.ch_02_connector_1_power_flowing").state == STATE_ON
    assert hass.states.get("sensor.depotfinity_demo_client_chargers_faulted").state == "1"

    simulator.sim.clear_fault("CH-01")
    await poll_jobs(hass, freezer, polled_coordinator, *status_jobs("CH-01", 1, 2))
    assert hass.states.get("binary_sensor.ch_01_problem").state == STATE_OFF


async def test_binary_sensors(snapshot_entities: SnapshotEntities) -> None:
    """Every binary sensor once the first sweep is done."""
    await snapshot_entities(Platform.BINARY_SENSOR)
