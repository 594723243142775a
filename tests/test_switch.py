"""Charging switches against the simulator: start, stop, double toggle, refusals, optimism."""

from __future__ import annotations

from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.api import CommandResult
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from depotfinity_simulator import SimulatorServer

from .conftest import SnapshotEntities
from .helpers import (
    COMMAND_ROUTE,
    ID_TAG,
    expected_wait,
    read_statuses,
    setup_integration,
    tick,
)

pytestmark = pytest.mark.usefixtures("start_time")

SWITCH = "switch.ch_01_connector_1_charging"


async def _switch(hass: HomeAssistant, service: str, entity_id: str = SWITCH) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


async def test_start_and_stop(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """On starts a session with the configured idTag, off stops it; polls confirm."""
    await read_statuses(hass, freezer, coordinator)
    assert hass.states.get(SWITCH).state == STATE_OFF

    await _switch(hass, SERVICE_TURN_ON)
    assert simulator.sim.connector_status("CH-01", 1) == "Charging"
    connector = simulator.sim.snapshot()["chargers"][0]["connectors"][0]
    assert connector["vehicle"]["id_tag"] == "89C4704A"
    assert hass.states.get(SWITCH).state == STATE_ON
    # The follow-up read confirms it.
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1))
    assert hass.states.get("sensor.ch_01_connector_1_status").state == "charging"
    assert hass.states.get(SWITCH).state == STATE_ON

    await _switch(hass, SERVICE_TURN_OFF)
    assert simulator.sim.connector_status("CH-01", 1) == "Finishing"
    assert hass.states.get(SWITCH).state == STATE_OFF
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1))
    assert hass.states.get(SWITCH).state == STATE_OFF


@pytest.mark.usefixtures("init_integration")
async def test_double_toggle_sends_one_command(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: SimulatorServer
) -> None:
    """Two quick "on" give one request; the second shares the first one's success."""
    await _switch(hass, SERVICE_TURN_ON)
    await _switch(hass, SERVICE_TURN_ON)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1
    assert hass.states.get(SWITCH).state == STATE_ON

    # Past the window the same command is sent again (and refused: already charging).
    await tick(hass, freezer, 2)
    with pytest.raises(HomeAssistantError, match="refused the command"):
        await _switch(hass, SERVICE_TURN_ON)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 2


async def test_refused_start_keeps_the_state(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A faulted connector refuses: the error says so and the switch stays off."""
    simulator.sim.inject_fault("CH-01", connector_id=1, error_code="GroundFailure")
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1))
    assert hass.states.get(SWITCH).state == STATE_OFF

    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_ON)
    assert err.value.translation_key == "command_rejected"
    assert "Rejected by the charger" in str(err.value)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert simulator.sim.connector_status("CH-01", 1) == "Faulted"


async def test_without_id_tag_nothing_is_sent(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Without an idTag in the options the user is told where to set it."""
    await setup_integration(hass, mock_config_entry)
    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, SERVICE_TURN_ON)
    assert err.value.translation_key == "id_tag_missing"
    assert "options" in str(err.value)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 0
    assert hass.states.get(SWITCH).state != STATE_ON


@pytest.mark.usefixtures("init_integration")
async def test_rate_limited_start_fails_at_once(
    hass: HomeAssistant, simulator: SimulatorServer
) -> None:
    """A 429 on the command is an error with the time to wait, not a queued retry."""
    simulator.sim.faults.queue("429", retry_after=45)
    # Without Retry-After: until our oldest request leaves the window, which setup just began.
    wait = expected_wait(45, 300)
    with pytest.raises(HomeAssistantError, match=f"retry in {wait} seconds"):
        await _switch(hass, SERVICE_TURN_ON)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1
    assert simulator.sim.connector_status("CH-01", 1) == "Available"
    assert hass.states.get(SWITCH).state != STATE_ON


async def test_optimistic_state_until_confirmed_or_timeout(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """An accepted start the charger is slow to act on shows on for at most 30 s."""
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1))
    accepted = CommandResult("startChargingSession", "Accepted", "Operation successful")
    with patch.object(coordinator.client, "send_remote_command", AsyncMock(return_value=accepted)):
        await _switch(hass, SERVICE_TURN_ON)
    assert hass.states.get(SWITCH).state == STATE_ON

    # The follow-up read still says Available: not confirmed, keep showing on.
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1))
    assert hass.states.get(SWITCH).state == STATE_ON
    # Past the timeout the connector's state wins.
    await tick(hass, freezer, 31)
    assert hass.states.get(SWITCH).state == STATE_OFF


async def test_confirmed_state_follows_the_connector_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """Once a read confirmed the start, a session ended elsewhere shows off at once."""
    await _switch(hass, SERVICE_TURN_ON)
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1))
    assert hass.states.get(SWITCH).state == STATE_ON

    simulator.sim.set_charger_enabled("CH-01", False)
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1))
    assert hass.states.get("sensor.ch_01_connector_1_status").state == "unavailable"
    assert hass.states.get(SWITCH).state == STATE_OFF


@pytest.mark.usefixtures("polled_coordinator")
async def test_switch_on_makes_power_rise(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: SimulatorServer
) -> None:
    """Turning Charging on starts a session whose power shows within a few minutes."""
    await _switch(hass, SERVICE_TURN_ON, "switch.ch_02_connector_1_charging")
    power = "sensor.ch_02_connector_1_power"
    for _ in range(60):
        await tick(hass, freezer, 5, simulator)
        state = hass.states.get(power).state
        if state not in ("unknown", "0.0"):
            break
    assert hass.states.get("sensor.ch_02_connector_1_status").state == "charging"
    assert float(hass.states.get(power).state) > 0


async def test_switches(snapshot_entities: SnapshotEntities) -> None:
    """One charging switch per connector, on the connector's device, off when idle."""
    await snapshot_entities(Platform.SWITCH, id_tag=ID_TAG, settle=read_statuses)
