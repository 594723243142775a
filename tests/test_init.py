"""Setting up and unloading an entry."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity import async_setup_entry
from custom_components.depotfinity.connection import api_host
from custom_components.depotfinity.const import (
    CONF_BUDGET_SHARE,
    CONF_ID_TAG,
    DOMAIN,
    REDUCED_BUDGET_SHARE,
)
from custom_components.depotfinity.devices import async_register_devices
from custom_components.depotfinity.hosts import HOSTS
from custom_components.depotfinity.repairs import (
    RATE_LIMIT_ISSUE,
    async_create_fix_flow,
    async_raise_rate_limit_issue,
)
from depotfinity_simulator import SimulatorServer

from .helpers import add_charger_subentry, add_with_secret, setup_integration


async def test_load_unload(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """The entry loads against the simulator and unloads cleanly."""
    await setup_integration(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert mock_config_entry.runtime_data.coordinator.last_update_success

    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED


async def test_setup_retry_during_maintenance(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A maintenance window at start-up means: try again later."""
    simulator.sim.faults.maintenance(duration=90)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_auth_failure_starts_reauth(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A refused client secret stops setup and asks the user for a new one."""
    add_with_secret(hass, mock_config_entry, "wrong")
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_options_change_reloads_the_entry(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Saving options on a loaded entry reloads it with the new options."""
    first = await setup_integration(hass, mock_config_entry)
    full_rate = first.scheduler.poll_rate
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_ID_TAG: "89C4704A", CONF_BUDGET_SHARE: 50}
    )
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    coordinator = mock_config_entry.runtime_data.coordinator
    assert coordinator is not first
    assert coordinator.scheduler.poll_rate == pytest.approx(full_rate / 2)
    assert mock_config_entry.options[CONF_ID_TAG] == "89C4704A"


async def test_a_reload_takes_no_new_token(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """The token of the last load is still valid: a reload spends no request on a new one."""
    await setup_integration(hass, mock_config_entry)
    assert simulator.sim.stats.token_requests == 1
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert simulator.sim.stats.total_requests > 1
    assert simulator.sim.stats.token_requests == 1


async def test_one_update_listener_and_one_device_registration(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A subentry change is followed once per entry, not once per platform."""
    await setup_integration(hass, mock_config_entry)
    assert len(mock_config_entry.update_listeners) == 1
    coordinator = mock_config_entry.runtime_data.coordinator
    with patch(
        "custom_components.depotfinity.async_register_devices", wraps=async_register_devices
    ) as register:
        add_charger_subentry(hass, mock_config_entry, "CH-03", "Bay 9")
        await hass.async_block_till_done()
    assert register.call_count == 1
    assert mock_config_entry.runtime_data.coordinator is coordinator  # no reload
    assert "CH-03" in coordinator.data.chargers
    assert hass.states.get("sensor.bay_9_connector_1_status") is not None


async def test_entries_of_one_host_share_its_budget(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Two accounts on one API host share one scheduler and limiter; it goes with the last."""
    second = MockConfigEntry(
        domain=DOMAIN, title="Second", unique_id="second", data=dict(mock_config_entry.data)
    )
    await setup_integration(hass, mock_config_entry)
    await setup_integration(hass, second)
    first_coordinator = mock_config_entry.runtime_data.coordinator
    second_coordinator = second.runtime_data.coordinator
    assert first_coordinator.scheduler is second_coordinator.scheduler
    assert first_coordinator.client.limiter is first_coordinator.scheduler.limiter
    assert second_coordinator.client.limiter is first_coordinator.scheduler.limiter
    assert list(hass.data[HOSTS].schedulers) == [api_host(mock_config_entry.data)]

    assert await hass.config_entries.async_unload(second.entry_id)
    assert hass.data[HOSTS].schedulers
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert not hass.data[HOSTS].schedulers


async def test_budget_repair_reloads_once(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Lowering the budget share from the repair reloads the entry once, not twice."""
    await setup_integration(hass, mock_config_entry)
    async_raise_rate_limit_issue(hass, mock_config_entry)
    issue_id = f"{mock_config_entry.entry_id}_{RATE_LIMIT_ISSUE}"
    with patch(
        "custom_components.depotfinity.async_setup_entry", wraps=async_setup_entry
    ) as setup_entry:
        flow = await async_create_fix_flow(hass, issue_id, {"entry_id": mock_config_entry.entry_id})
        flow.hass = hass
        await flow.async_step_init()
        await flow.async_step_confirm({})
        await hass.async_block_till_done()
    assert setup_entry.call_count == 1
    assert mock_config_entry.options[CONF_BUDGET_SHARE] == REDUCED_BUDGET_SHARE
    assert mock_config_entry.state is ConfigEntryState.LOADED
