"""Binary sensors: charger connectivity and problem, connector charging."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import DepotFinityConfigEntry, DepotFinityCoordinator
from .data import ChargerData, ConnectorData
from .devices import async_track_devices
from .entity import ChargerEntity, ConnectorEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ChargerBinarySensorDescription(BinarySensorEntityDescription):
    """A charger on/off value."""

    value_fn: Callable[[ChargerData], bool | None]


@dataclass(frozen=True, kw_only=True)
class ConnectorBinarySensorDescription(BinarySensorEntityDescription):
    """A connector on/off value."""

    value_fn: Callable[[ConnectorData], bool | None]


CHARGER_BINARY_SENSORS: tuple[ChargerBinarySensorDescription, ...] = (
    ChargerBinarySensorDescription(
        key="connectivity",
        translation_key="connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda charger: charger.connected,
    ),
    ChargerBinarySensorDescription(
        key="problem",
        translation_key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda charger: (
            None if charger.availability is None and not charger.is_faulted else charger.is_faulted
        ),
    ),
)

CONNECTOR_BINARY_SENSORS: tuple[ConnectorBinarySensorDescription, ...] = (
    ConnectorBinarySensorDescription(
        key="charging",
        translation_key="charging",
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        value_fn=lambda connector: None if connector.status is None else connector.is_charging,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DepotFinityConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the binary sensors of every charger, and of chargers added later."""
    coordinator = entry.runtime_data.coordinator

    def charger_entities(
        charger_id: str, connectors: list[int], device_id: str
    ) -> Iterable[Entity]:
        for description in CHARGER_BINARY_SENSORS:
            yield ChargerBinarySensor(coordinator, description, charger_id)
        for connector_id in connectors:
            for connector_description in CONNECTOR_BINARY_SENSORS:
                yield ConnectorBinarySensor(
                    coordinator, connector_description, charger_id, connector_id, device_id
                )

    async_track_devices(hass, entry, async_add_entities, charger=charger_entities)


class ChargerBinarySensor(ChargerEntity, BinarySensorEntity):
    """A charger binary sensor."""

    entity_description: ChargerBinarySensorDescription

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        description: ChargerBinarySensorDescription,
        charger_id: str,
    ) -> None:
        """Set up the binary sensor."""
        super().__init__(coordinator, description.key, charger_id)
        self.entity_description = description

    @property
    def is_on(self) -> bool | None:
        """The charger value."""
        charger = self.charger
        return None if charger is None else self.entity_description.value_fn(charger)


class ConnectorBinarySensor(ConnectorEntity, BinarySensorEntity):
    """A connector binary sensor."""

    entity_description: ConnectorBinarySensorDescription

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        description: ConnectorBinarySensorDescription,
        charger_id: str,
        connector_id: int,
        parent_device_id: str,
    ) -> None:
        """Set up the binary sensor."""
        super().__init__(coordinator, description.key, charger_id, connector_id, parent_device_id)
        self.entity_description = description

    @property
    def is_on(self) -> bool | None:
        """The connector value."""
        connector = self.connector
        return None if connector is None else self.entity_description.value_fn(connector)
