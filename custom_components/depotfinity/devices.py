"""The depot's devices: the depot (hub), chargers, their connectors, charger groups.

Devices are registered before the platforms set up, so connector entities can
name their charger as parent (connectors are child devices of a charger).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import (
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_NAME,
    DOMAIN,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
)

MANUFACTURER = "Siemens eMobility"


def _account(entry: ConfigEntry) -> str:
    return entry.unique_id or entry.entry_id


def hub_identifier(entry: ConfigEntry) -> tuple[str, str]:
    """Identifier of an entry's depot device."""
    return (DOMAIN, f"{_account(entry)}_depot")


def charger_identifier(entry: ConfigEntry, charger_id: str) -> tuple[str, str]:
    """Identifier of a charger device."""
    return (DOMAIN, f"{_account(entry)}_{charger_id}")


def connector_identifier(entry: ConfigEntry, charger_id: str, connector_id: int) -> tuple[str, str]:
    """Identifier of a connector (child) device."""
    return (DOMAIN, f"{_account(entry)}_{charger_id}_{connector_id}")


def group_identifier(entry: ConfigEntry, group_id: str) -> tuple[str, str]:
    """Identifier of a charger group device."""
    return (DOMAIN, f"{_account(entry)}_group_{group_id}")


@callback
def async_register_devices(hass: HomeAssistant, entry: ConfigEntry) -> dict[str, str]:
    """Create or update every device of an entry; return charger id -> device id."""
    registry = dr.async_get(hass)
    hub = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={hub_identifier(entry)},
        name=entry.title,
        manufacturer=MANUFACTURER,
        model="DepotFinity depot",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    charger_devices: dict[str, str] = {}
    for subentry in entry.subentries.values():
        name = subentry.data.get(CONF_NAME) or subentry.title
        if subentry.subentry_type == SUBENTRY_CHARGER:
            charger_id: str = subentry.data[CONF_CHARGER_ID]
            device = registry.async_get_or_create(
                config_entry_id=entry.entry_id,
                config_subentry_id=subentry.subentry_id,
                identifiers={charger_identifier(entry, charger_id)},
                name=name,
                manufacturer=MANUFACTURER,
                model="EV charger",
                serial_number=charger_id,
                via_device_id=hub.id,
            )
            charger_devices[charger_id] = device.id
            for connector_id in subentry.data[CONF_CONNECTORS]:
                registry.async_get_or_create_child(
                    config_entry_id=entry.entry_id,
                    config_subentry_id=subentry.subentry_id,
                    identifiers={connector_identifier(entry, charger_id, connector_id)},
                    # Shown after the charger's name: "Bay 3 Connector 1".
                    translation_key="connector",
                    translation_placeholders={"connector": str(connector_id)},
                    parent_device_id=device.id,
                )
        elif subentry.subentry_type == SUBENTRY_GROUP:
            registry.async_get_or_create(
                config_entry_id=entry.entry_id,
                config_subentry_id=subentry.subentry_id,
                identifiers={group_identifier(entry, subentry.data[CONF_GROUP_ID])},
                name=name,
                manufacturer=MANUFACTURER,
                model="Charger group",
                via_device_id=hub.id,
            )
    return charger_devices


type ChargerBuilder = Callable[[str, list[int], str], Iterable[Entity]]
type GroupBuilder = Callable[[str], Iterable[Entity]]


@callback
def async_track_devices(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    *,
    depot: Callable[[], Iterable[Entity]] | None = None,
    charger: ChargerBuilder | None = None,
    group: GroupBuilder | None = None,
) -> None:
    """Add a platform's entities for every device, now and when subentries are added.

    ``charger`` gets (charger id, connector ids, charger device id); ``group`` gets
    the group id. Removed subentries take their devices and entities with them.
    """
    known: set[str] = set()

    @callback
    def add_new() -> None:
        charger_devices = async_register_devices(hass, entry)
        for subentry in entry.subentries.values():
            if subentry.subentry_id in known:
                continue
            entities: list[Entity] = []
            if subentry.subentry_type == SUBENTRY_CHARGER and charger is not None:
                charger_id = subentry.data[CONF_CHARGER_ID]
                entities.extend(
                    charger(
                        charger_id,
                        list(subentry.data[CONF_CONNECTORS]),
                        charger_devices[charger_id],
                    )
                )
            elif subentry.subentry_type == SUBENTRY_GROUP and group is not None:
                entities.extend(group(subentry.data[CONF_GROUP_ID]))
            known.add(subentry.subentry_id)
            if entities:
                async_add_entities(entities, config_subentry_id=subentry.subentry_id)
        known.intersection_update(entry.subentries)

    if depot is not None:
        async_add_entities(list(depot()))
    add_new()
    entry.async_on_unload(entry.add_update_listener(_listener(add_new)))


def _listener(
    add_new: Callable[[], None],
) -> Callable[[HomeAssistant, ConfigEntry], Coroutine[Any, Any, None]]:
    async def _updated(hass: HomeAssistant, entry: ConfigEntry) -> None:
        add_new()

    return _updated


@dataclass(frozen=True, slots=True)
class DeviceTarget:
    """What a device of this integration stands for (for actions that target devices)."""

    entry: ConfigEntry
    charger_id: str | None = None
    connector_id: int | None = None
    group_id: str | None = None


@callback
def async_resolve_device(hass: HomeAssistant, device_id: str) -> DeviceTarget | None:
    """Find the entry, charger, connector or group behind a device (None: not ours).

    Identifiers are compared with the ones the configuration gives, never parsed:
    charger ids may contain underscores.
    """
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    entry = hass.config_entries.async_get_entry(device.config_entry_id)
    if entry is None or entry.domain != DOMAIN:
        return None
    identifiers = device.identifiers
    if hub_identifier(entry) in identifiers:
        return DeviceTarget(entry)
    for subentry in entry.subentries.values():
        if subentry.subentry_type == SUBENTRY_CHARGER:
            charger_id: str = subentry.data[CONF_CHARGER_ID]
            if charger_identifier(entry, charger_id) in identifiers:
                return DeviceTarget(entry, charger_id)
            for number in subentry.data[CONF_CONNECTORS]:
                if connector_identifier(entry, charger_id, number) in identifiers:
                    return DeviceTarget(entry, charger_id, number)
        elif subentry.subentry_type == SUBENTRY_GROUP:
            group_id: str = subentry.data[CONF_GROUP_ID]
            if group_identifier(entry, group_id) in identifiers:
                return DeviceTarget(entry, group_id=group_id)
    return None
