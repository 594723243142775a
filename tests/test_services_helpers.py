"""What the action tests share: device lookups, calling an action, times (no tests here)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.devices import (
    charger_identifier,
    connector_identifier,
    group_identifier,
    hub_identifier,
)
from depotfinity_simulator import SimulatorServer

from .conftest import START

TAG = "59170C5D"


def connector_device(
    hass: HomeAssistant, entry: MockConfigEntry, charger: str = "CH-01", number: int = 1
) -> str:
    """Device id of a connector (a child device of its charger)."""
    identifier = connector_identifier(entry, charger, number)
    device = dr.async_get(hass).async_get_child_device_by_identifier(identifier, entry.entry_id)
    assert device is not None
    return device.id


def _device(hass: HomeAssistant, entry: MockConfigEntry, identifier: tuple[str, str]) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(identifier, entry.entry_id)
    assert device is not None
    return device.id


def charger_device(hass: HomeAssistant, entry: MockConfigEntry, charger: str = "CH-01") -> str:
    """Device id of a charger."""
    return _device(hass, entry, charger_identifier(entry, charger))


def group_device(hass: HomeAssistant, entry: MockConfigEntry, simulator: SimulatorServer) -> str:
    """Device id of the simulator's first charger group."""
    return _device(hass, entry, group_identifier(entry, simulator.sim.group_ids[0]))


def hub_device(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Device id of the depot (hub)."""
    return _device(hass, entry, hub_identifier(entry))


async def call(
    hass: HomeAssistant,
    action: str,
    data: dict[str, Any],
    *,
    response: bool = False,
    context: Context | None = None,
) -> Any:
    """Call one of the integration's actions and wait for it."""
    return await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=response, context=context
    )


def hours(value: float) -> str:
    """A time ``value`` hours after the tests' start, as an action takes it."""
    return (START + timedelta(hours=value)).isoformat()


async def reserve(
    hass: HomeAssistant, entry: MockConfigEntry, start: float, end: float
) -> dict[str, Any]:
    """Reserve CH-01 connector 1 for TAG from ``start`` to ``end`` hours."""
    data = {
        "device_id": connector_device(hass, entry),
        "start": hours(start),
        "end": hours(end),
        "rfid_tag": TAG,
    }
    result: dict[str, Any] = await call(hass, "reserve_connector", data, response=True)
    return result
