"""Constants of the DepotFinity API client.

Every value that the public documentation does not state, and that the client therefore has
to assume, lives in this module and is marked ``[INFERRED]``. Change it here, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Literal

# --------------------------------------------------------------------------------------------
# Hosts, paths and versions
# --------------------------------------------------------------------------------------------

DEFAULT_REGION: Final = "eu"
#: [INFERRED] Only the EU hosts are documented; other regions are assumed to follow the pattern.
API_URL_TEMPLATE: Final = "https://api.{region}.depot.emobility.io"
#: [INFERRED] Same assumption for the token (auth) host.
AUTH_URL_TEMPLATE: Final = "https://clientapp-auth.{region}.depot.emobility.io"
TOKEN_PATH: Final = "/oauth2/token"  # noqa: S105 - a path, not a secret

# Path templates. Placeholders are filled with URL-quoted segments (``safe=""``).
PATH_CHARGER_STATUS: Final = "/v1/chargerStatus/chargers/{charger_id}/availabilityStatus"
PATH_CONNECTOR_STATUS: Final = (
    "/v1/chargerStatus/chargers/{charger_id}/connectors/{connector_id}/availabilityStatus"
)
PATH_CONNECTIVITY: Final = "/v1/chargerStatus/chargers/{charger_id}/connectivityStatus"
PATH_TRANSACTIONS: Final = "/v2/transactions"
#: [INFERRED] A single-transaction path is not documented.
PATH_TRANSACTION: Final = "/v2/transactions/{transaction_id}"
PATH_SESSION_REPORTS: Final = "/v1/sessionReports"
PATH_TIME_SERIES_CHARGER: Final = "/v1/timeSeries/chargers/{charger_id}"
#: [INFERRED] Derived from the charger-level time-series path.
PATH_TIME_SERIES_CONNECTOR: Final = "/v1/timeSeries/chargers/{charger_id}/connectors/{connector_id}"
PATH_FORCE_TERMINATE: Final = "/v1/chargerControl/{charger_id}/forceTerminateConnection"
PATH_RFID_IMPORT: Final = "/v2/rfid"
PATH_RFID_STATUS: Final = "/v2/rfid/{tag}/{status}"
PATH_REMOTE_COMMAND: Final = (
    "/v1/chargerControl/chargers/{charger_id}/remoteCommands/{command_type}"
)
PATH_RESERVATIONS: Final = "/v1/reservations/chargers/{charger_id}/connectors/{connector_id}"
#: [INFERRED] Cancel path: the list path plus the reservation id.
PATH_RESERVATION: Final = (
    "/v1/reservations/chargers/{charger_id}/connectors/{connector_id}/{reservation_id}"
)
#: [INFERRED] The group-listing path is not documented.
PATH_CHARGER_GROUPS: Final = "/v1/chargerControl/chargerGroups"
PATH_EXTERNAL_POWER_LIMITS: Final = (
    "/v1/chargerControl/chargerGroups/{group_id}/externalPowerLimits"
)
#: [INFERRED] The read path was cut off in the docs; assumed equal to the write path.
PATH_ENERGY_PRICES: Final = "/v1/vppController/{site_id}/energyPrices"

# --------------------------------------------------------------------------------------------
# Token, timeouts, rate limit
# --------------------------------------------------------------------------------------------

#: [INFERRED] Used when the token response has no ``expires_in``.
DEFAULT_TOKEN_LIFETIME: Final = 3600.0
#: Refresh the token this many seconds before it expires.
TOKEN_REFRESH_MARGIN: Final = 60.0
DEFAULT_REQUEST_TIMEOUT: Final = 30.0

#: [DOC] 100 requests per 5 minutes per client IP.
RATE_LIMIT_MAX_REQUESTS: Final = 100
RATE_LIMIT_WINDOW: Final = 300.0
#: Slots of the window that only commands/writes may use.
RATE_LIMIT_COMMAND_RESERVE: Final = 10
#: [INFERRED] Extra seconds a slot is held past the window (clock skew, request latency).
RATE_LIMIT_SAFETY_MARGIN: Final = 1.0
#: [DOC] No ``Retry-After`` header is documented. After a 429 without one the client waits
#: until its oldest request of the window leaves the window (the limiter knows its log).
#: [INFERRED] Back-off steps after consecutive 503/504s without ``Retry-After`` (the docs say
#: maintenance lasts "approximately 90 seconds"); a success starts the ladder again.
UNAVAILABLE_BACKOFF_STEPS: Final = (30.0, 60.0, 90.0)
#: [INFERRED] Longest back-off honoured: a larger ``Retry-After`` is capped at one window.
MAX_RETRY_AFTER: Final = RATE_LIMIT_WINDOW

# --------------------------------------------------------------------------------------------
# Request defaults
# --------------------------------------------------------------------------------------------

DEFAULT_PAGE_SIZE: Final = 100
#: Most pages :meth:`DepotFinityClient.get_all_transactions` reads (100 per page by default).
TRANSACTIONS_MAX_PAGES: Final = 20
#: [INFERRED] The documented session-report ``limit`` bounds contradict each other.
SESSION_REPORT_MIN_LIMIT: Final = 10
SESSION_REPORT_MAX_LIMIT: Final = 2000
#: [INFERRED] Free text naming the calling system in external power limits.
DEFAULT_POWER_LIMIT_SOURCE: Final = "home-assistant"
#: Only ``W`` is documented for ``externalPowerRateUnit``.
DEFAULT_POWER_LIMIT_UNIT: Final = "W"
#: [INFERRED] Command type reported for force termination (it has no command type of its own).
FORCE_TERMINATE_COMMAND: Final = "forceTerminateConnection"

# --------------------------------------------------------------------------------------------
# Units ([INFERRED]: OCPP defaults; the docs state none)
# --------------------------------------------------------------------------------------------

#: [INFERRED] Unit of ``EnergyDelivered`` in transactions.
ENERGY_DELIVERED_UNIT: Final = "Wh"
#: [INFERRED] Duration unit of VPP price blocks (unknown: minutes or seconds).
PRICE_BLOCK_DURATION_UNIT: Final = "min"
#: Seconds in one unit of a price block's ``duration`` (follows the unit above).
PRICE_BLOCK_DURATION_SECONDS: Final = {"s": 1.0, "min": 60.0, "h": 3600.0}[
    PRICE_BLOCK_DURATION_UNIT
]
#: [INFERRED] A price block's ``price`` is per kWh, in a currency the API does not name
#: ("always the same currency"): the integration's options say which.
PRICE_BLOCK_ENERGY_WH: Final = 1000.0


class ApiGroup(StrEnum):
    """API groups (and subscription package features)."""

    TOKEN = "Token Management"  # noqa: S105 - a name, not a secret
    CHARGER_STATUS = "Charger Status"
    TRANSACTIONS = "Transactions"
    SESSION_REPORTS = "Session Reports"
    TIME_SERIES = "Time Series"
    FORCE_TERMINATION = "Force Termination"
    RFID = "RFID Management"
    REMOTE_COMMANDS = "Remote Commands"
    RESERVATIONS = "Reservations"
    CHARGER_CONTROL = "Charger Control"
    VPP = "Virtual Power Plant"


# --------------------------------------------------------------------------------------------
# Known enum values. Models keep raw strings; these are for comparison only.
# --------------------------------------------------------------------------------------------


class ChargerAvailability(StrEnum):
    """Charger availability status ([DOC])."""

    AVAILABLE = "Available"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"


class ConnectorStatus(StrEnum):
    """Connector status ([INFERRED]: the OCPP 1.6 ChargePointStatus set)."""

    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EVSE = "SuspendedEVSE"
    SUSPENDED_EV = "SuspendedEV"
    FINISHING = "Finishing"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"


class ChargePointErrorCode(StrEnum):
    """Charger error codes ([INFERRED]: OCPP 1.6; only ``NoError`` is documented)."""

    CONNECTOR_LOCK_FAILURE = "ConnectorLockFailure"
    EV_COMMUNICATION_ERROR = "EVCommunicationError"
    GROUND_FAILURE = "GroundFailure"
    HIGH_TEMPERATURE = "HighTemperature"
    INTERNAL_ERROR = "InternalError"
    LOCAL_LIST_CONFLICT = "LocalListConflict"
    NO_ERROR = "NoError"
    OTHER_ERROR = "OtherError"
    OVER_CURRENT_FAILURE = "OverCurrentFailure"
    OVER_VOLTAGE = "OverVoltage"
    POWER_METER_FAILURE = "PowerMeterFailure"
    POWER_SWITCH_FAILURE = "PowerSwitchFailure"
    READER_FAILURE = "ReaderFailure"
    RESET_FAILURE = "ResetFailure"
    UNDER_VOLTAGE = "UnderVoltage"
    WEAK_SIGNAL = "WeakSignal"


class Measurand(StrEnum):
    """Time-series measurands ([DOC] charger level)."""

    ACTIVE_POWER_EXPORT = "ActivePowerExport"
    ACTIVE_POWER_IMPORT = "ActivePowerImport"
    POWER_OFFERED = "PowerOffered"
    ACTIVE_ENERGY_EXPORT = "ActiveEnergyExport"
    ACTIVE_ENERGY_IMPORT = "ActiveEnergyImport"
    CURRENT_EXPORT = "CurrentExport"
    CURRENT_IMPORT = "CurrentImport"
    CURRENT_OFFERED = "CurrentOffered"
    VOLTAGE = "Voltage"
    ALARM_CODE = "AlarmCode"
    TEMPERATURE = "Temperature"


class Phase(StrEnum):
    """Time-series phases ([DOC])."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L1_N = "L1-N"
    L2_N = "L2-N"
    L3_N = "L3-N"


#: [INFERRED] OCPP default units per measurand.
MEASURAND_UNITS: Final[dict[str, str | None]] = {
    Measurand.ACTIVE_POWER_EXPORT: "W",
    Measurand.ACTIVE_POWER_IMPORT: "W",
    Measurand.POWER_OFFERED: "W",
    Measurand.ACTIVE_ENERGY_EXPORT: "Wh",
    Measurand.ACTIVE_ENERGY_IMPORT: "Wh",
    Measurand.CURRENT_EXPORT: "A",
    Measurand.CURRENT_IMPORT: "A",
    Measurand.CURRENT_OFFERED: "A",
    Measurand.VOLTAGE: "V",
    Measurand.ALARM_CODE: None,
    Measurand.TEMPERATURE: "°C",
}


class RemoteCommandType(StrEnum):
    """Remote command types. Only START is documented; STOP is [INFERRED]."""

    START = "startChargingSession"
    STOP = "stopChargingSession"


class CommandStatus(StrEnum):
    """``response.status`` of remote commands ([DOC] Accepted/Rejected)."""

    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class AuthorizationType(StrEnum):
    """Reservation authorisation types (only ``RFID`` is documented)."""

    RFID = "RFID"


class TransactionOrderBy(StrEnum):
    """Sort keys of ``GET /v2/transactions``."""

    TRANSACTION_ID = "TransactionID"
    START_AT = "StartAt"
    END_AT = "EndAt"


class TransactionFilterBy(StrEnum):
    """What ``from``/``to`` filter on in ``GET /v2/transactions``."""

    START_AT = "StartAt"
    END_AT = "EndAt"
    INSERTED_AT = "InsertedAt"
    OVERLAPPING = "Overlapping"


# --------------------------------------------------------------------------------------------
# Expected response shapes, for the API self-report (``report.ApiReport``)
# --------------------------------------------------------------------------------------------


def _names(names: str) -> frozenset[str]:
    return frozenset(names.split())


def _values(*enums: type[StrEnum]) -> frozenset[str]:
    return frozenset(str(member) for enum in enums for member in enum)


@dataclass(frozen=True, slots=True)
class Shape:
    """What the client expects of the objects of one kind of response.

    ``expected`` are the documented field names (a missing one is reported), ``tolerated`` the
    other names the models also read; any other name is reported as unknown. ``enums`` maps an
    enum-like field (``response.status`` = one level down) to its known values. ``container``
    says where the objects are: the body itself, or its ``items`` (or the body if it is a list).
    """

    expected: frozenset[str]
    tolerated: frozenset[str] = frozenset()
    enums: dict[str, frozenset[str]] = field(default_factory=dict)
    container: Literal["object", "items"] = "items"


_AVAILABILITY = _names("timeStamp errorCode vendorErrorCode vendorId status")

#: [INFERRED] beyond the [DOC] field names of the spec: the alternative spellings the models
#: accept and the enum sets marked [INFERRED] above.
EXPECTED_SHAPES: Final[dict[str, Shape]] = {
    "chargerAvailability": Shape(
        _AVAILABILITY,
        _names("timestamp"),
        {"status": _values(ChargerAvailability), "errorCode": _values(ChargePointErrorCode)},
    ),
    "connectorAvailability": Shape(
        _AVAILABILITY,
        _names("timestamp"),
        {"status": _values(ConnectorStatus), "errorCode": _values(ChargePointErrorCode)},
    ),
    "connectivity": Shape(
        _names("time value"),
        _names("timeStamp timestamp"),
        {"value": _names("true false")},
    ),
    "transaction": Shape(
        _names(
            "TransactionID ChargerID ConnectorID StartAt EndAt InitialSoC EndSoC"
            " EnergyDelivered EndResult"
        ),
        _names(
            "transactionId TransactionId chargerId ChargerId connectorId ConnectorId startAt"
            " endAt initialSoC InitialSOC endSoC EndSOC energyDelivered endResult"
            " VehicleID vehicleId VehicleId IdTag idTag IDTag"
        ),
    ),
    "sessionReport": Shape(
        _names("sessionId vehicleId ocppStatus detailStatus deviceStatus"),
        _names("batteryAlignmentResults chargeParameters dcBreakerOpenConditions"),
    ),
    "timeSeries": Shape(_names("timeStamp value"), _names("timestamp time")),
    "remoteCommand": Shape(
        _names("commandType response"),
        _names("status message"),
        {"response.status": _values(CommandStatus), "commandType": _values(RemoteCommandType)},
        container="object",
    ),
    "success": Shape(_names("message"), _names("code"), container="object"),
    "reservationCreated": Shape(
        _names("message"), _names("reservationId ReservationId ReservationID"), {}, "object"
    ),
    "reservation": Shape(
        _names("ReservationStart ReservationEnd AuthorizationType AuthorizationValue"),
        _names(
            "reservationId ReservationId ReservationID id chargerId ChargerID ChargerId"
            " connectorId ConnectorID ConnectorId reservationStart reservationEnd"
            " authorizationType authorizationValue"
        ),
        {"AuthorizationType": _values(AuthorizationType)},
    ),
    "chargerGroup": Shape(
        _names("chargerGroupId name"),
        _names("ChargerGroupId groupId id Name chargerIds ChargerIDs chargers"),
    ),
    "energyPrices": Shape(_names("PricesJsonStr"), _names("blocks"), {}, "object"),
    "token": Shape(_names("access_token expires_in token_type"), container="object"),
}
