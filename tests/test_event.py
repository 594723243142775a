"""Fault events: fired on changes seen while running, with the error code in the data."""

from __future__ import annotations

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.depotfinity.scheduler import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .helpers import poll_until_idle, setup_integration

pytestmark = pytest.mark.usefixtures("start_time")
EVENT = "event.ch_01_fault"


async def test_event_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One fault event entity per charger."""
    with patch("custom_components.depotfinity.PLATFORMS", [Platform.EVENT]):
        coordinator = await setup_integration(hass, mock_config_entry)
        await poll_until_idle(hass, freezer, coordinator)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_fault_raised_and_cleared(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A connector fault fires fault_raised with its codes, then fault_cleared."""
    coordinator = await setup_integration(hass, mock_config_entry)
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get(EVENT).state == STATE_UNKNOWN

    simulator.sim.inject_fault("CH-01", 2, error_code="GroundFailure", vendor_error_code=4711)
    coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, "CH-01", 2), 0)
    await poll_until_idle(hass, freezer, coordinator)
    state = hass.states.get(EVENT)
    assert state.attributes["event_type"] == "fault_raised"
    assert state.attributes["error_code"] == "GroundFailure"
    assert state.attributes["vendor_error_code"] == "4711"
    assert state.attributes["connector_id"] == 2
    raised_at = state.state

    # Still faulted: no new event.
    coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, "CH-01", 2), 0)
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get(EVENT).state == raised_at

    simulator.sim.clear_fault("CH-01", 2)
    coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, "CH-01", 2), 0)
    await poll_until_idle(hass, freezer, coordinator)
    state = hass.states.get(EVENT)
    assert state.attributes["event_type"] == "fault_cleared"
    assert state.attributes["error_code"] == "GroundFailure"


async def test_fault_present_at_start_is_not_replayed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A fault that exists before Home Assistant looks is a state, not an event."""
    simulator.sim.inject_fault("CH-01", error_code="InternalError")
    coordinator = await setup_integration(hass, mock_config_entry)
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get(EVENT).state == STATE_UNKNOWN
    assert hass.states.get("binary_sensor.ch_01_problem").state == "on"
