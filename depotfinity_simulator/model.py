"""Plain data classes holding the state of the simulated depot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, NamedTuple

AVAILABLE: Final = "Available"
PREPARING: Final = "Preparing"
CHARGING: Final = "Charging"
SUSPENDED_EV: Final = "SuspendedEV"
SUSPENDED_EVSE: Final = "SuspendedEVSE"
FINISHING: Final = "Finishing"
RESERVED: Final = "Reserved"
UNAVAILABLE: Final = "Unavailable"
FAULTED: Final = "Faulted"

#: Connector states that belong to a running session.
SESSION_STATES: Final = frozenset({CHARGING, SUSPENDED_EV, SUSPENDED_EVSE})

NO_ERROR: Final = "NoError"
#: OCPP 1.6 ChargePointErrorCode values used for random faults.
ERROR_CODES: Final = (
    "ConnectorLockFailure",
    "EVCommunicationError",
    "GroundFailure",
    "HighTemperature",
    "InternalError",
    "OverCurrentFailure",
    "OverVoltage",
    "PowerMeterFailure",
    "PowerSwitchFailure",
    "UnderVoltage",
)


@dataclass(slots=True)
class Fault:
    """An OCPP fault on a charger or a connector."""

    error_code: str
    vendor_error_code: str | int
    vendor_id: str | int
    since: float
    until: float | None = None


@dataclass(slots=True)
class Vehicle:
    """A vehicle plugged into a connector."""

    vehicle_id: str
    id_tag: str
    capacity_wh: float
    soc: float
    target_soc: float
    max_power_w: float
    auto_depart: bool
    full_since: float | None = None


@dataclass(slots=True)
class Transaction:
    """One charging session on one connector (running while ``end`` is ``None``)."""

    transaction_id: int
    charger_id: str
    connector_id: int
    start: float
    initial_soc: float
    vehicle_id: str
    id_tag: str
    meter_start_wh: float
    energy_wh: float = 0.0
    end: float | None = None
    end_soc: float | None = None
    end_result: str | None = None
    max_power_w: float = 0.0


@dataclass(slots=True)
class Reservation:
    """A connector reservation for one authorisation value (RFID tag)."""

    reservation_id: str
    start: float
    end: float
    authorization_type: str
    authorization_value: str


class ConnectorSample(NamedTuple):
    """Meter values of one connector at one sample time.

    Voltages and per-phase currents are derived from ``power_w`` and the ``jitter`` index
    into a fixed noise table when they are queried.
    """

    power_w: float
    offered_w: float
    energy_wh: float
    temperature: float
    soc: float | None
    alarm: str
    jitter: int


class ChargerSample(NamedTuple):
    """Meter values of all connectors of a charger at one sample time."""

    time: float
    connectors: tuple[ConnectorSample, ...]
    alarm: str


@dataclass(slots=True)
class Connector:
    """A connector (EVSE outlet) of a charger."""

    connector_id: int
    energy_wh: float
    state: str = AVAILABLE
    state_since: float = 0.0
    vehicle: Vehicle | None = None
    transaction: Transaction | None = None
    auto_start: bool = True
    power_w: float = 0.0
    offered_w: float = 0.0
    fault: Fault | None = None
    unavailable_until: float | None = None
    override: str | None = None
    reservations: list[Reservation] = field(default_factory=list)
    reported: str = AVAILABLE
    reported_since: float = 0.0


@dataclass(slots=True)
class Charger:
    """A charger with its connectors."""

    charger_id: str
    connectors: dict[int, Connector]
    hpc: bool = False
    group_id: str | None = None
    enabled: bool = True
    fault: Fault | None = None
    override: str | None = None
    connected: bool = True
    connectivity_since: float = 0.0
    disconnected_until: float | None = None
    reported: str = AVAILABLE
    reported_since: float = 0.0
    samples: list[ChargerSample] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class PowerLimitWindow:
    """One window of an external power-limit schedule (limit in W)."""

    start: float
    end: float
    limit_w: float


@dataclass(slots=True)
class ChargerGroup:
    """A charger (power) group with its external power-limit schedule."""

    group_id: str
    name: str
    charger_ids: list[str]
    source: str | None = None
    unit: str = "W"
    schedule: list[PowerLimitWindow] = field(default_factory=list)

    def active_limit(self, now: float) -> float | None:
        """Return the lowest limit among the windows active at ``now`` (W), if any."""
        limits = [w.limit_w for w in self.schedule if w.start <= now < w.end]
        return min(limits) if limits else None


@dataclass(slots=True, frozen=True)
class PriceBlock:
    """One block of a VPP energy-price list."""

    start: str
    duration: float
    price: float
