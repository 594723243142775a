"""Sensors: fleet summary, charger status and readings, connectors, meters, sessions, prices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import ApiGroup, Reservation
from .coordinator import DepotFinityCoordinator
from .data import ConnectorData
from .entity import (
    ChargerEntity,
    ConnectorEntity,
    DepotEntity,
    RestoredValue,
    device_platform,
    each_description,
)
from .jobs import Job, JobKind
from .price_sensors import SITE_SENSORS, SitePriceSensor, async_setup_cost_sensors
from .runtime import DepotFinityConfigEntry
from .sensor_descriptions import (
    CHARGER_SENSORS,
    CONNECTOR_SENSORS,
    DEPOT_SENSORS,
    ChargerSensorDescription,
    ConnectorSensorDescription,
    DepotSensorDescription,
    SensorValue,
)

PARALLEL_UPDATES = 0


def _next_reservation(connector: ConnectorData) -> Reservation | None:
    return connector.next_reservation(dt_util.utcnow())


NEXT_RESERVATION = ConnectorSensorDescription(
    key="next_reservation",
    translation_key="next_reservation",
    device_class=SensorDeviceClass.TIMESTAMP,
    # Each connector's reservations cost a request per read: read only while enabled.
    entity_registry_enabled_default=False,
    value_fn=lambda c: None if (r := _next_reservation(c)) is None else r.start,
    api=ApiGroup.RESERVATIONS,
)


def _connector_sensors(
    coordinator: DepotFinityCoordinator, charger_id: str, connector_id: int
) -> Iterator[SensorEntity]:
    for description in CONNECTOR_SENSORS:
        yield ConnectorSensor(coordinator, description, charger_id, connector_id)
    yield NextReservationSensor(coordinator, NEXT_RESERVATION, charger_id, connector_id)


class DescribedSensor(RestoredValue, RestoreSensor):
    """A sensor whose state is its description's value."""

    async def _async_last_value(self, state: State) -> Any:
        last = await self.async_get_last_sensor_data()
        return None if last is None else last.native_value

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """When a value taken back after a restart was shown."""
        attributes: dict[str, Any] | None = self.restored_attributes
        return attributes

    @property
    def native_value(self) -> SensorValue:
        """The value."""
        value: SensorValue = self.described_value()
        return value


class DepotSensor(DepotEntity, DescribedSensor):
    """A fleet summary sensor."""

    entity_description: DepotSensorDescription


class ChargerSensor(ChargerEntity, DescribedSensor):
    """A charger sensor; an optional reading is polled only while the sensor is enabled."""

    entity_description: ChargerSensorDescription

    async def async_added_to_hass(self) -> None:
        """Start polling the optional reading this sensor shows."""
        await super().async_added_to_hass()
        if (meter := self.entity_description.meter) is not None:
            job = Job(JobKind.CHARGER_METER, self.charger_id, 0, meter)
            self.coordinator.want_reading(job, wanted=True)

    async def async_will_remove_from_hass(self) -> None:
        """Stop polling the reading when the sensor goes (disabled or removed)."""
        if (meter := self.entity_description.meter) is not None:
            job = Job(JobKind.CHARGER_METER, self.charger_id, 0, meter)
            self.coordinator.want_reading(job, wanted=False)
        await super().async_will_remove_from_hass()


class ConnectorSensor(ConnectorEntity, DescribedSensor):
    """A connector sensor."""

    entity_description: ConnectorSensorDescription

    async def async_added_to_hass(self) -> None:
        """Take back the value shown before a restart where the description asks for it."""
        await super().async_added_to_hass()
        if (kind := self.entity_description.reading) is not None:
            self.coordinator.want_reading(self._reading(kind), wanted=True)
        restore = self.entity_description.restore_fn
        connector = self.connector
        if restore is None or connector is None:
            return
        value, at = self._restored, self._restored_at
        if isinstance(value, int | float) and at is not None:
            restore(connector, float(value), at)

    async def async_will_remove_from_hass(self) -> None:
        """Stop polling the reading when the sensor goes (disabled or removed)."""
        if (kind := self.entity_description.reading) is not None:
            self.coordinator.want_reading(self._reading(kind), wanted=False)
        await super().async_will_remove_from_hass()

    def _reading(self, kind: JobKind) -> Job:
        return Job(kind, self.charger_id, self.connector_id)


class NextReservationSensor(ConnectorSensor):
    """Start of a connector's running or next reservation (its RFID tag is never shown).

    Reservations are read at a low cadence while the sensor is enabled, at once
    after a reservation action, and when the connector enters or leaves Reserved.
    """

    async def async_added_to_hass(self) -> None:
        """Start reading the connector's reservations."""
        await super().async_added_to_hass()
        self.coordinator.want_reservations(self.charger_id, self.connector_id, wanted=True)

    async def async_will_remove_from_hass(self) -> None:
        """Stop reading them when the sensor goes (disabled or removed)."""
        self.coordinator.want_reservations(self.charger_id, self.connector_id, wanted=False)
        await super().async_will_remove_from_hass()

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Its end and id (never the RFID tag)."""
        connector = self.connector
        reservation = None if connector is None else _next_reservation(connector)
        if reservation is None:
            return None
        end = None if reservation.end is None else reservation.end.isoformat()
        return {"end": end, "reservation_id": reservation.reservation_id}


# Fleet summaries, charger and connector readings, sessions, reservations, prices.
_async_setup_device_sensors = device_platform(
    depot=each_description(DepotSensor, DEPOT_SENSORS),
    charger=each_description(ChargerSensor, CHARGER_SENSORS),
    connector=_connector_sensors,
    site=each_description(SitePriceSensor, SITE_SENSORS),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DepotFinityConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Every device's sensors, and a session cost for each connector a site feeds."""
    await _async_setup_device_sensors(hass, entry, async_add_entities)
    async_setup_cost_sensors(entry, async_add_entities)
