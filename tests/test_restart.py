"""Restarts and first setup: the request window carried over, the warm-up burst."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, STATE_ON
from homeassistant.core import HomeAssistant, State
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.depotfinity import DEPOT_STATES
from custom_components.depotfinity.api import Priority
from custom_components.depotfinity.connection import api_host
from custom_components.depotfinity.const import COMMAND_RESERVE, RATE_LIMIT_REQUESTS
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.entity import ATTR_RESTORED_FROM
from custom_components.depotfinity.hosts import HOSTS, STORAGE_KEY
from custom_components.depotfinity.jobs import JobKind
from depotfinity_simulator import SimulatorServer

from .helpers import setup_integration, tick

pytestmark = pytest.mark.usefixtures("start_time")

STATUS = "sensor.ch_01_connector_1_status"
POWER = "sensor.ch_01_connector_1_power"
FLOWING = "binary_sensor.ch_01_connector_1_power_flowing"
SWITCH = "switch.ch_01_connector_1_charging"


async def _restart_with_window(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    seconds_ago: float,
    requests: int,
) -> DepotFinityCoordinator:
    """Set up after a restart whose saved window holds ``requests`` requests, one a second.

    The window was saved ``seconds_ago``, when its newest request was sent.
    """
    saved_at = dt_util.utcnow() - timedelta(seconds=seconds_ago)
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "key": STORAGE_KEY,
        "data": {
            api_host(entry.data): {
                "saved_at": saved_at.isoformat(),
                "ages": [float(age) for age in range(requests)],
                "blocked_for": 0,
            }
        },
    }
    return await setup_integration(hass, entry)


async def test_the_request_window_is_taken_back_after_a_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """85 requests made just before a restart still count: no burst past the budget."""
    coordinator = await _restart_with_window(hass, hass_storage, mock_config_entry, 20, 85)
    limiter = coordinator.client.limiter
    for _ in range(30):
        await tick(hass, freezer, 1, simulator)
        # The warm-up stops where the restored window leaves no poll slot.
        assert limiter.available(Priority.COMMAND) >= COMMAND_RESERVE
    assert limiter.used() >= 85
    assert simulator.sim.stats.responses_429 == 0
    # Only the few slots the window had left were used.
    assert simulator.sim.stats.total_requests <= RATE_LIMIT_REQUESTS - COMMAND_RESERVE - 85 + 1


async def test_the_window_is_saved(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Once a minute (and on stop) the window is written, as ages with the time."""
    coordinator = await setup_integration(hass, mock_config_entry)
    await tick(hass, freezer, 61, simulator)  # the minute's save is scheduled
    assert STORAGE_KEY not in hass_storage
    # Home Assistant stops: what is scheduled is written.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    saved = hass_storage[STORAGE_KEY]["data"][api_host(mock_config_entry.data)]
    assert dt_util.parse_datetime(saved["saved_at"]) is not None
    assert len(saved["ages"]) == coordinator.client.limiter.used()
    assert all(0 <= age <= 300 for age in saved["ages"])


async def test_first_sweep_spends_the_free_budget_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """With an empty window every status is read within seconds, the reserve untouched."""
    coordinator = await setup_integration(hass, mock_config_entry)
    limiter = coordinator.client.limiter
    for _ in range(20):
        await tick(hass, freezer, 1, simulator)
        assert limiter.available(Priority.COMMAND) >= COMMAND_RESERVE
    chargers = coordinator.data.chargers.values()
    assert all(c.status is not None for charger in chargers for c in charger.connectors.values())
    assert all(charger.connectivity is not None for charger in chargers)
    # Then the steady pace: a tick per share of the budget, not one a second.
    interval = coordinator.update_interval
    assert interval is not None
    assert interval.total_seconds() == pytest.approx(
        coordinator.scheduler.tick_interval(mock_config_entry.entry_id), abs=1.5
    )


async def test_values_right_after_a_restart_with_their_age(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Every value shows at once after a restart, marked with when it was shown."""
    shown_at = dt_util.utcnow() - timedelta(minutes=3)
    status = State(STATUS, "charging", last_updated=shown_at)
    power = State(POWER, "7.4", last_updated=shown_at)
    flowing = State(FLOWING, "on", last_updated=shown_at)
    switch = State(SWITCH, "on", last_updated=shown_at)
    mock_restore_cache_with_extra_data(
        hass,
        (
            (status, {"native_value": "charging", "native_unit_of_measurement": None}),
            (power, {"native_value": 7400.0, "native_unit_of_measurement": "W"}),
            (flowing, {}),
            (switch, {}),
        ),
    )
    # The service is busy: nothing can be read for now.
    simulator.sim.faults.queue("429", count=100, retry_after=60, path_prefix="/v1")
    await setup_integration(hass, mock_config_entry)
    restored = ((STATUS, "charging"), (POWER, "7.4"), (FLOWING, STATE_ON), (SWITCH, STATE_ON))
    for entity_id, value in restored:
        state = hass.states.get(entity_id)
        assert state.state == value, entity_id
        assert state.attributes[ATTR_RESTORED_FROM] == shown_at.isoformat()

    # Read again: the fresh value, and no age any more (after the client's back-off,
    # which without Retry-After lasts until its oldest request leaves the window).
    simulator.sim.faults.clear()
    for _ in range(80):
        await tick(hass, freezer, 5, simulator)
        if hass.states.get(STATUS).state == "available":
            break
    state = hass.states.get(STATUS)
    assert state.state == "available"
    assert ATTR_RESTORED_FROM not in state.attributes


async def test_read_times_are_saved_and_taken_back(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Polling keeps its rhythm across a restart: what was read last is not read first."""
    coordinator = await setup_integration(hass, mock_config_entry)
    for _ in range(61):  # polling at its pace; the minute's save is scheduled
        await tick(hass, freezer, 1, simulator)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    saved = hass_storage[STORAGE_KEY]["data"][api_host(mock_config_entry.data)]
    runs = saved["runs"][mock_config_entry.entry_id]
    assert runs == coordinator.planner.export_runs()
    # The status read last before the stop.
    last = max(
        (job for job in coordinator.planner.jobs if job.kind is JobKind.CONNECTOR_STATUS),
        key=lambda job: runs[job.key],
    )

    # A new process: the entry is set up again from what was stored.
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    hass.data.pop(HOSTS)
    hass.data.pop(DEPOT_STATES)
    await hass.async_block_till_done()
    coordinator = await setup_integration(hass, mock_config_entry)
    planner = coordinator.planner
    assert planner.export_runs()[last.key] == runs[last.key]
    assert planner.due_in(last) == pytest.approx(
        runs[last.key] + planner.status_period - dt_util.utcnow().timestamp(), abs=1
    )
    assert planner.due_in(last) > 0


async def test_a_removed_entry_leaves_no_read_times(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Removing the entry forgets its read times."""
    await setup_integration(hass, mock_config_entry)
    await tick(hass, freezer, 61, simulator)
    assert await hass.config_entries.async_remove(mock_config_entry.entry_id)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    for saved in hass_storage[STORAGE_KEY]["data"].values():
        assert mock_config_entry.entry_id not in saved.get("runs", {})


async def test_a_full_window_after_a_restart_does_not_fail_the_setup(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """No poll slot left at start: set up anyway; the sessions are read once one frees."""
    full = RATE_LIMIT_REQUESTS - COMMAND_RESERVE
    coordinator = await _restart_with_window(hass, hass_storage, mock_config_entry, 5, full)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert simulator.sim.stats.total_requests == 0  # nothing past the window
    assert coordinator.data.last_transactions_query is None
    # The oldest request of the window leaves it about 200 s later: then the sessions.
    for _ in range(240):
        await tick(hass, freezer, 1, simulator)
        if coordinator.data.last_transactions_query is not None:
            break
    assert coordinator.data.last_transactions_query is not None
    assert simulator.sim.stats.responses_429 == 0
