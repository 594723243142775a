"""Fault events: fired on changes seen while running, with the error code in the data."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNKNOWN, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import SnapshotEntities
from .helpers import poll_jobs, setup_and_poll

pytestmark = pytest.mark.usefixtures("start_time")
EVENT = "event.ch_01_fault"
FAULTED = Job(JobKind.CONNECTOR_STATUS, "CH-01", 2)


async def test_fault_raised_and_cleared(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    polled_coordinator: DepotFinityCoordinator,
) -> None:
    """A connector fault fires fault_raised with its codes, then fault_cleared."""
    assert hass.states.get(EVENT).state == STATE_UNKNOWN

    simulator.sim.inject_fault("CH-01", 2, error_code="GroundFailure", vendor_error_code=4711)
    await poll_jobs(hass, freezer, polled_coordinator, FAULTED)
    state = hass.states.get(EVENT)
    assert state.attributes["event_type"] == "fault_raised"
    assert state.attributes["error_code"] == "GroundFailure"
    assert state.attributes["vendor_error_code"] == "4711"
    assert state.attributes["connector_id"] == 2
    raised_at = state.state

    # Still faulted: no new event.
    await poll_jobs(hass, freezer, polled_coordinator, FAULTED)
    assert hass.states.get(EVENT).state == raised_at

    simulator.sim.clear_fault("CH-01", 2)
    await poll_jobs(hass, freezer, polled_coordinator, FAULTED)
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
    await setup_and_poll(hass, freezer, mock_config_entry)
    assert hass.states.get(EVENT).state == STATE_UNKNOWN
    assert hass.states.get("binary_sensor.ch_01_problem").state == "on"


async def test_event_entities(snapshot_entities: SnapshotEntities) -> None:
    """One fault event entity per charger."""
    await snapshot_entities(Platform.EVENT)


async def test_fault_that_began_during_a_restart_fires(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Not faulted when Home Assistant stopped, faulted when it looks again: an event."""
    before = State(EVENT, STATE_UNKNOWN)
    stored = {"last_event_type": None, "last_event_attributes": None, "faulted": False}
    mock_restore_cache_with_extra_data(hass, ((before, stored),))
    simulator.sim.inject_fault("CH-01", error_code="InternalError")
    await setup_and_poll(hass, freezer, mock_config_entry)
    state = hass.states.get(EVENT)
    assert state.attributes["event_type"] == "fault_raised"
    assert state.attributes["error_code"] == "InternalError"


async def test_fault_state_is_kept_for_the_next_start(
    hass: HomeAssistant, polled_coordinator: DepotFinityCoordinator
) -> None:
    """What a restart starts from is saved with the event entity's state."""
    entity = hass.data["entity_components"]["event"].get_entity(EVENT)
    assert entity.extra_restore_state_data.as_dict()["faulted"] == []


async def test_each_part_has_its_own_events(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    polled_coordinator: DepotFinityCoordinator,
) -> None:
    """A second connector faulting while the first still is fires again; clears come per part."""
    events: list[tuple[str, int | None]] = []

    def note(event: Event[EventStateChangedData]) -> None:
        state = event.data["new_state"]
        if state is not None and state.entity_id == EVENT and "event_type" in state.attributes:
            events.append((state.attributes["event_type"], state.attributes["connector_id"]))

    hass.bus.async_listen(EVENT_STATE_CHANGED, note)
    first, second = FAULTED, Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)
    simulator.sim.inject_fault("CH-01", 2, error_code="GroundFailure")
    await poll_jobs(hass, freezer, polled_coordinator, first)
    simulator.sim.inject_fault("CH-01", 1, error_code="OverCurrentFailure")
    await poll_jobs(hass, freezer, polled_coordinator, second)
    assert hass.states.get(EVENT).attributes["error_code"] == "OverCurrentFailure"
    simulator.sim.clear_fault("CH-01", 2)
    await poll_jobs(hass, freezer, polled_coordinator, first)
    assert hass.states.get(EVENT).attributes["error_code"] == "GroundFailure"
    simulator.sim.clear_fault("CH-01", 1)
    await poll_jobs(hass, freezer, polled_coordinator, second)
    assert events == [
        ("fault_raised", 2),
        ("fault_raised", 1),
        ("fault_cleared", 2),
        ("fault_cleared", 1),
    ]
