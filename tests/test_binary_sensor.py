"""Binary sensors: snapshot, and the problem/connectivity sensors following the charger."""

from __future__ import annotations

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.depotfinity.scheduler import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .helpers import poll_until_idle, setup_integration

pytestmark = pytest.mark.usefixtures("start_time")


async def test_binary_sensors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every binary sensor once the first sweep is done."""
    with patch("custom_components.depotfinity.PLATFORMS", [Platform.BINARY_SENSOR]):
        coordinator = await setup_integration(hass, mock_config_entry)
        await poll_until_idle(hass, freezer, coordinator)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_problem_and_charging_follow_the_depot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A fault turns the problem sensor on; a plugged-in vehicle starts charging."""
    coordinator = await setup_integration(hass, mock_config_entry)
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get("binary_sensor.ch_01_problem").state == STATE_OFF
    assert hass.states.get("binary_sensor.ch_01_connector_2_power_flowing").state == STATE_OFF

    simulator.sim.inject_fault("CH-01", error_code="HighTemperature")
    simulator.sim.plug_in("CH-02", 1)
    simulator.clock.advance(60)
    for job in (
        Job(JobKind.CHARGER_STATUS, "CH-01"),
        Job(JobKind.CONNECTOR_STATUS, "CH-02", 1),
    ):
        coordinator.planner.mark_due(job, 0)
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get("binary_sensor.ch_01_problem").state == STATE_ON
    assert hass.states.get("sensor.ch_01_error_code").state == "high_temperature"
    assert hass.states.get("binary_sensor.ch_02_connector_1_power_flowing").state == STATE_ON
    assert hass.states.get("sensor.depotfinity_demo_client_chargers_faulted").state == "1"

    simulator.sim.clear_fault("CH-01")
    for job in (
        Job(JobKind.CHARGER_STATUS, "CH-01"),
        Job(JobKind.CONNECTOR_STATUS, "CH-01", 1),
        Job(JobKind.CONNECTOR_STATUS, "CH-01", 2),
    ):
        coordinator.planner.mark_due(job, 0)
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get("binary_sensor.ch_01_problem").state == STATE_OFF
