"""Devices: the depot hierarchy, chargers added and removed while running."""

from __future__ import annotations

from dataclasses import replace

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.depotfinity.const import (
    DOMAIN,
)
from depotfinity_simulator import SimulatorConfig, SimulatorServer

from .conftest import CLIENT_ID
from .helpers import add_charger_subentry, poll_until_idle, setup_integration

pytestmark = pytest.mark.usefixtures("start_time")


@pytest.fixture
def simulator_config(simulator_config: SimulatorConfig) -> SimulatorConfig:
    """Three chargers on the service; the entry starts with two."""
    return replace(simulator_config, chargers=3)


@pytest.fixture
def configured_chargers() -> list[str]:
    """The entry starts without CH-03, which the tests add later."""
    return ["CH-01", "CH-02"]


def _device(registry: dr.DeviceRegistry, entry: MockConfigEntry, key: str) -> dr.DeviceEntry:
    device = registry.async_get_device_by_identifier((DOMAIN, f"{CLIENT_ID}_{key}"), entry.entry_id)
    assert device is not None
    return device  # type: ignore[return-value]


async def test_device_hierarchy(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Depot -> chargers (via) -> connectors (children); groups under the depot."""
    await setup_integration(hass, mock_config_entry)
    hub = _device(device_registry, mock_config_entry, "depot")
    charger = _device(device_registry, mock_config_entry, "CH-01")
    assert charger.via_device_id == hub.id
    assert charger.serial_number == "CH-01"
    connector = device_registry.async_get_child_device_by_identifier(
        (DOMAIN, f"{CLIENT_ID}_CH-01_2"), mock_config_entry.entry_id
    )
    assert connector is not None
    assert connector.parent_device_id == charger.id
    group = _device(device_registry, mock_config_entry, f"group_{simulator.sim.group_ids[0]}")
    assert group.via_device_id == hub.id


async def test_charger_added_and_removed_while_running(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A new charger subentry gets its device, entities and polls without a reload."""
    coordinator = await setup_integration(hass, mock_config_entry)
    assert hass.states.get("sensor.ch_03_availability") is None

    add_charger_subentry(hass, mock_config_entry, "CH-03", "CH-03")
    await hass.async_block_till_done()
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get("sensor.ch_03_availability").state == "available"
    assert hass.states.get("sensor.ch_03_connector_1_status").state == "available"
    assert "CH-03" in coordinator.data.chargers

    subentry_id = next(
        s.subentry_id for s in mock_config_entry.subentries.values() if s.unique_id == "CH-03"
    )
    hass.config_entries.async_remove_subentry(mock_config_entry, subentry_id)
    await hass.async_block_till_done()
    assert "CH-03" not in coordinator.data.chargers
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, f"{CLIENT_ID}_CH-03"), mock_config_entry.entry_id
        )
        is None
    )
    assert entity_registry.async_get("sensor.ch_03_availability") is None


async def test_remove_stale_device(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A configured charger's device cannot be deleted by hand; a stale one can."""
    assert await _async_setup_component(hass)
    await setup_integration(hass, mock_config_entry)
    client = await hass_ws_client(hass)
    charger = _device(device_registry, mock_config_entry, "CH-01")
    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": mock_config_entry.entry_id,
            "device_id": charger.id,
        }
    )
    response = await client.receive_json()
    assert not response["success"]

    stale = device_registry.async_get_or_create(
        config_entry_id=mock_config_entry.entry_id, identifiers={(DOMAIN, f"{CLIENT_ID}_OLD")}
    )
    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": mock_config_entry.entry_id,
            "device_id": stale.id,
        }
    )
    response = await client.receive_json()
    assert response["success"]


async def _async_setup_component(hass: HomeAssistant) -> bool:
    from homeassistant.setup import async_setup_component

    return await async_setup_component(hass, "config", {})
