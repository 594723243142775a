"""What an action names: a loaded entry, a charger, a connector or a charger group.

Errors name devices as the user sees them (the device registry's name), and
connectors with their charger ("Bay 3 connector 1"), never by raw ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service import async_get_config_entry

from custom_components.depotfinity.commands import connector_label
from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.devices import (
    DeviceTarget,
    async_resolve_device,
    charger_identifier,
)
from custom_components.depotfinity.runtime import DepotFinityConfigEntry
from custom_components.depotfinity.validation import invalid

from .common import ATTR_CONNECTOR_ID


@dataclass(frozen=True, slots=True)
class ConnectorTarget:
    """A connector of a loaded entry."""

    entry: DepotFinityConfigEntry
    charger_id: str
    connector_id: int


def device_name(device: dr.BaseDeviceEntry) -> str:
    """A device's name as shown in Home Assistant."""
    return device.name_by_user or device.name or "unnamed device"


def target_name(
    hass: HomeAssistant, device: dr.BaseDeviceEntry, target: DeviceTarget | None
) -> str:
    """How an error names a device: a connector with its charger, others by their name."""
    if target is not None and target.charger_id is not None and target.connector_id is not None:
        return connector_name(hass, target.entry, target.charger_id, target.connector_id)
    return device_name(device)


def charger_name(hass: HomeAssistant, entry: ConfigEntry, charger_id: str) -> str:
    """A charger's device name (its id while it has no device)."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        charger_identifier(entry, charger_id), entry.entry_id
    )
    return charger_id if device is None else device_name(device)


def connector_name(hass: HomeAssistant, entry: ConfigEntry, charger_id: str, number: int) -> str:
    """A connector named with its charger ("Bay 3 connector 1")."""
    return connector_label(charger_name(hass, entry, charger_id), number)


def account_entry(call: ServiceCall) -> DepotFinityConfigEntry:
    """The loaded DepotFinity entry an account action names."""
    entry = async_get_config_entry(call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID])
    return cast(DepotFinityConfigEntry, entry)


def _device(call: ServiceCall, not_ours: str, wanted: str) -> DeviceTarget:
    """The target behind the action's device; ``wanted`` is the attribute it must have."""
    device = dr.async_get(call.hass).async_get(call.data[ATTR_DEVICE_ID])
    if device is None:
        raise invalid("device_not_found")
    target = async_resolve_device(call.hass, device.id)
    name = target_name(call.hass, device, target)
    if target is None or getattr(target, wanted) is None:
        raise invalid(not_ours, device=name)
    if target.entry.state is not ConfigEntryState.LOADED:
        raise invalid("device_not_loaded", device=name, entry=target.entry.title)
    return target


def charger_target(call: ServiceCall) -> tuple[DepotFinityConfigEntry, str]:
    """Entry and charger of a charger (or connector) device."""
    target = _device(call, "not_a_charger_device", "charger_id")
    assert target.charger_id is not None
    return cast(DepotFinityConfigEntry, target.entry), target.charger_id


def group_target(call: ServiceCall) -> tuple[DepotFinityConfigEntry, str]:
    """Entry and group of a charger-group device."""
    target = _device(call, "not_a_group_device", "group_id")
    assert target.group_id is not None
    return cast(DepotFinityConfigEntry, target.entry), target.group_id


def connector_target(call: ServiceCall) -> ConnectorTarget:
    """A connector device, or a charger device and ``connector_id``."""
    target = _device(call, "not_a_charger_device", "charger_id")
    entry = cast(DepotFinityConfigEntry, target.entry)
    charger_id = target.charger_id
    assert charger_id is not None
    given: int | None = call.data.get(ATTR_CONNECTOR_ID)
    charger = charger_name(call.hass, entry, charger_id)
    number = target.connector_id
    if number is not None and given not in (None, number):
        raise invalid(
            "connector_mismatch", connector=connector_label(charger, number), given=str(given)
        )
    number = number if number is not None else given
    if number is None:
        raise invalid("connector_required", charger=charger)
    if entry.runtime_data.coordinator.data.connector(charger_id, number) is None:
        raise invalid("unknown_connector", connector=connector_label(charger, number))
    return ConnectorTarget(entry, charger_id, number)
