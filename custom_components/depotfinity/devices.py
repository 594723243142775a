"""The depot's devices: the depot (hub), chargers, their connectors, charger groups, sites.

Devices are registered before the platforms set up, so connector entities can
name their charger as parent (connectors are child devices of a charger).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import area_registry as ar, device_registry as dr

from .const import (
    CONF_AREA,
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_NAME,
    CONF_SITE_ID,
    DOMAIN,
    HUB_IDENTIFIER,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
    SUBENTRY_SITE,
)

MANUFACTURER = "Siemens eMobility"


def _account(entry: ConfigEntry) -> str:
    return entry.unique_id or entry.entry_id


def hub_identifier(entry: ConfigEntry) -> tuple[str, str]:
    """Identifier of an entry's depot device."""
    return (DOMAIN, f"{_account(entry)}_{HUB_IDENTIFIER}")


def charger_identifier(entry: ConfigEntry, charger_id: str) -> tuple[str, str]:
    """Identifier of a charger device."""
    return (DOMAIN, f"{_account(entry)}_{charger_id}")


def connector_identifier(entry: ConfigEntry, charger_id: str, connector_id: int) -> tuple[str, str]:
    """Identifier of a connector (child) device."""
    return (DOMAIN, f"{_account(entry)}_{charger_id}_{connector_id}")


def group_identifier(entry: ConfigEntry, group_id: str) -> tuple[str, str]:
    """Identifier of a charger group device."""
    return (DOMAIN, f"{_account(entry)}_group_{group_id}")


def site_identifier(entry: ConfigEntry, site_id: str) -> tuple[str, str]:
    """Identifier of a site device (Virtual Power Plant prices)."""
    return (DOMAIN, f"{_account(entry)}_site_{site_id}")


def depot_area(hass: HomeAssistant, entry: ConfigEntry) -> str | None:
    """Name of the area the depot's devices go to when they are created.

    Connectors are child devices: they take their charger's area, so none is set
    on them (an area of their own would replace the charger in their names).
    """
    area_id: str | None = entry.data.get(CONF_AREA)
    if area_id and (area := ar.async_get(hass).async_get_area(area_id)) is not None:
        return area.name
    return None


type DeviceKey = tuple[str, str] | tuple[str, str, int]


def device_identifier(entry: ConfigEntry, key: DeviceKey) -> tuple[str, str]:
    """Identifier of the device a key names (see :func:`configured_devices`)."""
    match key:
        case ("connector", charger_id, number):
            return connector_identifier(entry, charger_id, number)
        case ("group", group_id):
            return group_identifier(entry, group_id)
        case ("site", site_id):
            return site_identifier(entry, site_id)
        case (_, charger_id):
            return charger_identifier(entry, charger_id)
    raise ValueError(key)


def configured_devices(entry: ConfigEntry) -> Iterator[tuple[str, DeviceKey]]:
    """(subentry id, device key) of every charger, connector, group and site configured.

    Keys: ``("charger", id)``, ``("connector", charger id, number)``, ``("group", id)``,
    ``("site", id)``.
    """
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type == SUBENTRY_CHARGER:
            charger_id: str = subentry.data[CONF_CHARGER_ID]
            yield subentry_id, ("charger", charger_id)
            for number in subentry.data[CONF_CONNECTORS]:
                yield subentry_id, ("connector", charger_id, number)
        elif subentry.subentry_type == SUBENTRY_GROUP:
            yield subentry_id, ("group", subentry.data[CONF_GROUP_ID])
        elif subentry.subentry_type == SUBENTRY_SITE:
            yield subentry_id, ("site", subentry.data[CONF_SITE_ID])


@callback
def async_register_devices(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Create or update every device of an entry (once per configuration change).

    New devices go to the depot's area (picked or created in the config flow),
    so the depot shows on the Overview at once.
    """
    registry = dr.async_get(hass)
    area = depot_area(hass, entry)
    hub = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={hub_identifier(entry)},
        name=entry.title,
        manufacturer=MANUFACTURER,
        model="DepotFinity depot",
        entry_type=dr.DeviceEntryType.SERVICE,
        suggested_area=area,
    )
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
                suggested_area=area,
            )
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
        elif subentry.subentry_type in (SUBENTRY_GROUP, SUBENTRY_SITE):
            group = subentry.subentry_type == SUBENTRY_GROUP
            registry.async_get_or_create(
                config_entry_id=entry.entry_id,
                config_subentry_id=subentry.subentry_id,
                identifiers={
                    group_identifier(entry, subentry.data[CONF_GROUP_ID])
                    if group
                    else site_identifier(entry, subentry.data[CONF_SITE_ID])
                },
                name=name,
                manufacturer=MANUFACTURER,
                model="Charger group" if group else "Energy site",
                via_device_id=hub.id,
                suggested_area=area,
            )


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
    if hub_identifier(entry) in device.identifiers:
        return DeviceTarget(entry)
    for _, key in configured_devices(entry):
        if device_identifier(entry, key) in device.identifiers:
            match key:
                case ("charger", charger_id):
                    return DeviceTarget(entry, charger_id)
                case ("connector", charger_id, number):
                    return DeviceTarget(entry, charger_id, number)
                case ("group", group_id):
                    return DeviceTarget(entry, group_id=group_id)
    return None
