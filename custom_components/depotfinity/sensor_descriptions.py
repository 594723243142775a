"""What the sensors show, by device level: the depot, a charger, a connector.

Each description says how its value is read from the depot state; the
entities in ``sensor.py`` are built from these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.helpers.typing import StateType

from .api import ApiGroup, ChargePointErrorCode, ChargerAvailability, ConnectorStatus
from .data import SUMMARY_STATES, ChargerData, ConnectorData, DepotData
from .jobs import JobKind

type SensorValue = StateType | datetime


def _options(enum: type[StrEnum]) -> dict[str, str]:
    """API value -> Home Assistant state (snake case of the member name)."""
    return {member.value: member.name.lower() for member in enum}


AVAILABILITY_STATES = _options(ChargerAvailability)
CONNECTOR_STATES = _options(ConnectorStatus)
ERROR_CODES = _options(ChargePointErrorCode)
OTHER_ERROR = "other"


def _error_code(code: str | None) -> str | None:
    """Known codes by name; anything new the service sends shows as "other"."""
    if code is None:
        return None
    return ERROR_CODES.get(code, OTHER_ERROR)


# Depot (hub) sensors ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DepotSensorDescription(SensorEntityDescription):
    """A fleet summary value."""

    value_fn: Callable[[DepotData], SensorValue]
    # The API the value comes from: while it is switched off the entity is unavailable.
    api: ApiGroup | None = ApiGroup.CHARGER_STATUS


def _total_power(depot: DepotData) -> float | None:
    values = [c.power_w for c in depot.chargers.values() if c.power_w is not None]
    return sum(values) if values else None


DEPOT_SENSORS: tuple[DepotSensorDescription, ...] = (
    *(
        DepotSensorDescription(
            key=f"chargers_{summary}",
            translation_key=f"chargers_{summary}",
            state_class=SensorStateClass.MEASUREMENT,
            value_fn=lambda depot, summary=summary: depot.chargers_in(summary),  # type: ignore[misc]
        )
        for summary in SUMMARY_STATES
    ),
    DepotSensorDescription(
        key="free_connectors",
        translation_key="free_connectors",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda depot: depot.free_connectors(),
    ),
    DepotSensorDescription(
        key="total_power",
        translation_key="total_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1,
        value_fn=_total_power,
        api=ApiGroup.TIME_SERIES,
    ),
)


# Charger sensors ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ChargerSensorDescription(SensorEntityDescription):
    """A charger value; ``meter`` names an optional time-series reading it needs."""

    value_fn: Callable[[ChargerData], SensorValue]
    meter: str | None = None
    # The API the value comes from: while it is switched off the entity is unavailable.
    api: ApiGroup | None = ApiGroup.CHARGER_STATUS


def _meter(detail: str) -> Callable[[ChargerData], SensorValue]:
    return lambda charger: charger.meters.get(detail)


def _phase_current(phase: str) -> ChargerSensorDescription:
    detail = f"CurrentImport:{phase}"
    return ChargerSensorDescription(
        key=f"current_{phase.lower()}",
        translation_key="current_phase",
        translation_placeholders={"phase": phase},
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        entity_registry_enabled_default=False,
        meter=detail,
        value_fn=_meter(detail),
        api=ApiGroup.TIME_SERIES,
    )


CHARGER_SENSORS: tuple[ChargerSensorDescription, ...] = (
    ChargerSensorDescription(
        key="availability",
        translation_key="availability",
        device_class=SensorDeviceClass.ENUM,
        options=list(AVAILABILITY_STATES.values()),
        value_fn=lambda c: (
            None if c.availability is None else AVAILABILITY_STATES.get(c.availability.status)
        ),
    ),
    ChargerSensorDescription(
        key="error_code",
        translation_key="error_code",
        device_class=SensorDeviceClass.ENUM,
        options=[*ERROR_CODES.values(), OTHER_ERROR],
        value_fn=lambda c: _error_code(c.fault[0]),
    ),
    ChargerSensorDescription(
        key="vendor_error_code",
        translation_key="vendor_error_code",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c: c.fault[1],
    ),
    ChargerSensorDescription(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1,
        value_fn=lambda c: c.power_w,
        api=ApiGroup.TIME_SERIES,
    ),
    *(_phase_current(phase) for phase in ("L1", "L2", "L3")),
    ChargerSensorDescription(
        key="voltage",
        translation_key="voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        entity_registry_enabled_default=False,
        meter="Voltage:L1-N",
        value_fn=_meter("Voltage:L1-N"),
        api=ApiGroup.TIME_SERIES,
    ),
    ChargerSensorDescription(
        key="temperature",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        meter="Temperature",
        value_fn=_meter("Temperature"),
        api=ApiGroup.TIME_SERIES,
    ),
    ChargerSensorDescription(
        key="power_offered",
        translation_key="power_offered",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        entity_registry_enabled_default=False,
        meter="PowerOffered",
        value_fn=_meter("PowerOffered"),
        api=ApiGroup.TIME_SERIES,
    ),
)


# Connector sensors -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ConnectorSensorDescription(SensorEntityDescription):
    """A connector value."""

    value_fn: Callable[[ConnectorData], SensorValue]
    # Takes back the value shown before a restart (value, when it was shown).
    restore_fn: Callable[[ConnectorData, float, datetime], None] | None = None
    # A reading polled only while an entity shows it.
    reading: JobKind | None = None
    # The API the value comes from: while it is switched off the entity is unavailable.
    api: ApiGroup | None = ApiGroup.CHARGER_STATUS


CONNECTOR_SENSORS: tuple[ConnectorSensorDescription, ...] = (
    ConnectorSensorDescription(
        key="status",
        translation_key="connector_status",
        device_class=SensorDeviceClass.ENUM,
        options=list(CONNECTOR_STATES.values()),
        value_fn=lambda c: None if c.status is None else CONNECTOR_STATES.get(c.status.status),
    ),
    ConnectorSensorDescription(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1,
        value_fn=lambda c: c.power_w,
        api=ApiGroup.TIME_SERIES,
    ),
    ConnectorSensorDescription(
        key="energy",
        translation_key="energy",
        device_class=SensorDeviceClass.ENERGY,
        # No state class: the Energy dashboard takes the hourly statistics imported
        # from the meter's samples (energy_statistics.py), one choice per connector.
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda c: c.energy_wh,
        api=ApiGroup.TIME_SERIES,
        # The lifetime register: the Energy dashboard takes the hourly statistics,
        # and each register shown costs a read at setup and after every session.
        entity_registry_enabled_default=False,
        reading=JobKind.ENERGY,
        # The register's guard must survive a restart: never a fake reset.
        restore_fn=lambda c, value, at: c.energy.restore(value, at),
    ),
    ConnectorSensorDescription(
        key="last_session_energy",
        translation_key="last_session_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda c: None if c.last_session is None else c.last_session.energy_delivered,
        api=ApiGroup.TRANSACTIONS,
    ),
    ConnectorSensorDescription(
        key="last_session_start",
        translation_key="last_session_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda c: None if c.last_session is None else c.last_session.start_at,
        api=ApiGroup.TRANSACTIONS,
    ),
    ConnectorSensorDescription(
        key="last_session_end",
        translation_key="last_session_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda c: None if c.last_session is None else c.last_session.end_at,
        api=ApiGroup.TRANSACTIONS,
    ),
    ConnectorSensorDescription(
        key="last_session_start_soc",
        translation_key="last_session_start_soc",
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda c: None if c.last_session is None else c.last_session.initial_soc,
        api=ApiGroup.TRANSACTIONS,
    ),
    ConnectorSensorDescription(
        key="last_session_end_soc",
        translation_key="last_session_end_soc",
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda c: None if c.last_session is None else c.last_session.end_soc,
        api=ApiGroup.TRANSACTIONS,
    ),
)
