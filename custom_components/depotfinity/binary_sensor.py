"""Binary sensors: charger connectivity and problem, connector charging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import STATE_ON, EntityCategory
from homeassistant.core import State

from .data import ChargerData, ConnectorData
from .entity import (
    ChargerEntity,
    ConnectorEntity,
    RestoredValue,
    device_platform,
    each_description,
)

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


class DescribedBinarySensor(RestoredValue, BinarySensorEntity):
    """A binary sensor whose state is its description's value."""

    async def _async_last_value(self, state: State) -> bool:
        return state.state == STATE_ON

    @property
    def is_on(self) -> bool | None:
        """The value."""
        value: bool | None = self.described_value()
        return value

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """When a value taken back after a restart was shown."""
        attributes: dict[str, Any] | None = self.restored_attributes
        return attributes


class ChargerBinarySensor(ChargerEntity, DescribedBinarySensor):
    """A charger binary sensor."""

    entity_description: ChargerBinarySensorDescription


class ConnectorBinarySensor(ConnectorEntity, DescribedBinarySensor):
    """A connector binary sensor."""

    entity_description: ConnectorBinarySensorDescription


# Connectivity and problem per charger, charging per connector.
async_setup_entry = device_platform(
    charger=each_description(ChargerBinarySensor, CHARGER_BINARY_SENSORS),
    connector=each_description(ConnectorBinarySensor, CONNECTOR_BINARY_SENSORS),
)
