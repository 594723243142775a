"""Data models of the DepotFinity API (frozen dataclasses, tolerant parsing).

Enum-like fields stay raw strings (compare them with the StrEnums in :mod:`.const`); unknown
values are kept. Missing optional fields become ``None``. A body of the wrong shape raises
:class:`DepotFinityResponseError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from .const import PRICE_BLOCK_DURATION_SECONDS, CommandStatus
from .exceptions import DepotFinityCommandUncertainError, DepotFinityResponseError
from .parsing import (
    dict_items,
    expect_dict,
    expect_items,
    format_datetime,
    opt_float,
    opt_int,
    opt_str,
    parse_bool,
    parse_datetime,
    parse_value,
    pick,
)

# ------------------------------------------------------------------------------ status


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """Charger or connector availability status."""

    timestamp: datetime | None
    status: str
    error_code: str | None
    vendor_error_code: str | None
    vendor_id: str | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatusRecord:
        """Parse one ``ChargerAvailabilityStatus`` item."""
        status = opt_str(data.get("status"))
        if status is None:
            raise DepotFinityResponseError("Status record without a status")
        return cls(
            timestamp=parse_datetime(pick(data, "timeStamp", "timestamp")),
            status=status,
            error_code=opt_str(data.get("errorCode")),
            vendor_error_code=opt_str(data.get("vendorErrorCode")),
            vendor_id=opt_str(data.get("vendorId")),
        )

    @classmethod
    def latest(cls, body: object) -> StatusRecord:
        """Parse a ``ChargerAvailabilityStatusList`` and return the newest record."""
        items = dict_items(expect_items(body, "availability status"))
        records = [cls.from_dict(item) for item in items if item.get("status") is not None]
        if not records:
            raise DepotFinityResponseError("Availability status list has no record")
        return _newest(records)


@dataclass(frozen=True, slots=True)
class Connectivity:
    """Charger connectivity (``connected`` is ``None`` if the value is not a boolean)."""

    timestamp: datetime | None
    connected: bool | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Connectivity:
        """Parse one ``ChargerConnectivityStatus`` item."""
        timestamp, value = _timed_value(data)
        return cls(timestamp=timestamp, connected=parse_bool(value))

    @classmethod
    def latest(cls, body: object) -> Connectivity:
        """Parse a ``ChargerConnectivityStatusList`` and return the newest record."""
        records = [cls.from_dict(item) for item in dict_items(expect_items(body, "connectivity"))]
        if not records:
            raise DepotFinityResponseError("Connectivity status list has no record")
        return _newest(records)


def _timed_value(data: Mapping[str, Any]) -> tuple[datetime | None, object]:
    """Return the timestamp and raw ``value`` of a connectivity or time-series item."""
    return parse_datetime(pick(data, "timeStamp", "time", "timestamp")), data.get("value")


def _newest[T: (StatusRecord, Connectivity)](records: list[T]) -> T:
    floor = datetime.min.replace(tzinfo=UTC)
    # max() keeps the first of equal keys, so the server's first item wins a tie.
    return max(records, key=lambda record: record.timestamp or floor)


# ------------------------------------------------------------------------------ transactions


@dataclass(frozen=True, slots=True)
class Transaction:
    """One charging transaction (``energy_delivered`` in Wh, see ``const``)."""

    transaction_id: int
    charger_id: str | None
    connector_id: int | None
    start_at: datetime | None
    end_at: datetime | None
    initial_soc: float | None
    end_soc: float | None
    energy_delivered: float | None
    end_result: str | None
    vehicle_id: str | None
    id_tag: str | None = field(default=None, repr=False)

    @classmethod
    def from_dict(cls, data: object) -> Transaction:
        """Parse one ``Transaction``."""
        data = expect_dict(data, "a transaction")
        transaction_id = opt_int(pick(data, "TransactionID", "transactionId", "TransactionId"))
        if transaction_id is None:
            raise DepotFinityResponseError("Transaction without a TransactionID")
        return cls(
            transaction_id=transaction_id,
            charger_id=opt_str(pick(data, "ChargerID", "chargerId", "ChargerId")),
            connector_id=opt_int(pick(data, "ConnectorID", "connectorId", "ConnectorId")),
            start_at=parse_datetime(pick(data, "StartAt", "startAt")),
            end_at=parse_datetime(pick(data, "EndAt", "endAt")),
            initial_soc=opt_float(pick(data, "InitialSoC", "initialSoC", "InitialSOC")),
            end_soc=opt_float(pick(data, "EndSoC", "endSoC", "EndSOC")),
            energy_delivered=opt_float(pick(data, "EnergyDelivered", "energyDelivered")),
            end_result=opt_str(pick(data, "EndResult", "endResult")),
            vehicle_id=opt_str(pick(data, "VehicleID", "vehicleId", "VehicleId")),
            id_tag=opt_str(pick(data, "IdTag", "idTag", "IDTag")),
        )

    @classmethod
    def list_from(cls, body: object) -> list[Transaction]:
        """Parse the bare transaction array (an ``items`` envelope is tolerated)."""
        return [cls.from_dict(item) for item in expect_items(body, "transactions", allow_list=True)]


# ------------------------------------------------------------------------------ time series


@dataclass(frozen=True, slots=True)
class TimeSeriesPoint:
    """One time-series value (float, bool or the raw string)."""

    timestamp: datetime | None
    value: float | bool | str | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimeSeriesPoint:
        """Parse one ``TimeSeriesData`` item."""
        timestamp, value = _timed_value(data)
        return cls(timestamp=timestamp, value=parse_value(value))

    @classmethod
    def list_from(cls, body: object) -> list[TimeSeriesPoint]:
        """Parse a ``TimeSeriesDataList``."""
        return [cls.from_dict(item) for item in dict_items(expect_items(body, "time series"))]


# ------------------------------------------------------------------------------ commands


@dataclass(frozen=True, slots=True)
class CommandResult:
    """Result of a remote command or force termination."""

    command_type: str | None
    status: str | None
    message: str | None

    @property
    def accepted(self) -> bool:
        """Whether the charger accepted the command."""
        return (self.status or "").lower() == "accepted"

    @classmethod
    def from_dict(cls, body: object, *, command_type: str | None = None) -> CommandResult:
        """Parse a ``RemoteCommandResponse`` (or a ``Success`` body)."""
        data = expect_dict(body, "a command response")
        response = data.get("response")
        inner: Mapping[str, Any] = response if isinstance(response, Mapping) else {}
        return cls(
            command_type=opt_str(data.get("commandType")) or command_type,
            status=opt_str(pick(inner, "status")) or opt_str(data.get("status")),
            message=opt_str(pick(inner, "message")) or opt_str(data.get("message")),
        )

    @classmethod
    def from_answer(cls, body: object, command_type: str, *, needs_status: bool) -> CommandResult:
        """Parse the 2xx answer to a command (``None`` = an empty 202/204: accepted).

        An answer of the wrong shape (not an object, or no status where one is
        ``needs_status``) raises :class:`DepotFinityCommandUncertainError`: the command may
        or may not have reached the charger. Without ``needs_status`` (the ``Success`` body
        of force termination) a missing status means accepted.
        """
        if body is None:
            return cls(command_type, CommandStatus.ACCEPTED, None)
        result = (
            cls.from_dict(body, command_type=command_type) if isinstance(body, Mapping) else None
        )
        if result is None or (result.status is None and needs_status):
            raise DepotFinityCommandUncertainError(
                f"Unexpected answer to {command_type}: it may or may not have reached the charger"
            )
        if result.status is None:
            return cls(result.command_type, CommandStatus.ACCEPTED, result.message)
        return result


@dataclass(frozen=True, slots=True)
class Reservation:
    """A connector reservation (``authorization_value`` is an RFID tag: not in repr)."""

    reservation_id: str | None
    charger_id: str | None
    connector_id: int | None
    start: datetime | None
    end: datetime | None
    authorization_type: str | None
    authorization_value: str | None = field(default=None, repr=False)

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        charger_id: str | None = None,
        connector_id: int | None = None,
    ) -> Reservation:
        """Parse one reservation (PascalCase or camelCase keys)."""
        return cls(
            reservation_id=opt_str(
                pick(data, "reservationId", "ReservationId", "ReservationID", "id")
            ),
            charger_id=opt_str(pick(data, "chargerId", "ChargerID", "ChargerId")) or charger_id,
            connector_id=_or(
                opt_int(pick(data, "connectorId", "ConnectorID", "ConnectorId")), connector_id
            ),
            start=parse_datetime(pick(data, "ReservationStart", "reservationStart")),
            end=parse_datetime(pick(data, "ReservationEnd", "reservationEnd")),
            authorization_type=opt_str(pick(data, "AuthorizationType", "authorizationType")),
            authorization_value=opt_str(pick(data, "AuthorizationValue", "authorizationValue")),
        )


def _or(value: int | None, default: int | None) -> int | None:
    return default if value is None else value


# ------------------------------------------------------------------------------ charger control


@dataclass(frozen=True, slots=True)
class ChargerGroup:
    """A charger (power) group."""

    group_id: str
    name: str | None
    charger_ids: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChargerGroup:
        """Parse one charger group."""
        group_id = opt_str(pick(data, "chargerGroupId", "ChargerGroupId", "groupId", "id"))
        if group_id is None:
            raise DepotFinityResponseError("Charger group without an id")
        chargers = pick(data, "chargerIds", "ChargerIDs", "chargers")
        ids: list[str] = []
        if isinstance(chargers, list):
            for item in chargers:
                raw = (
                    pick(item, "chargerId", "ChargerID", "id")
                    if isinstance(item, Mapping)
                    else item
                )
                if (charger_id := opt_str(raw)) is not None:
                    ids.append(charger_id)
        return cls(
            group_id=group_id, name=opt_str(pick(data, "name", "Name")), charger_ids=tuple(ids)
        )

    @classmethod
    def list_from(cls, body: object) -> list[ChargerGroup]:
        """Parse a group list (bare array or ``items`` envelope)."""
        items = expect_items(body, "charger groups", allow_list=True)
        return [cls.from_dict(item) for item in dict_items(items)]


@dataclass(frozen=True, slots=True)
class PowerLimitWindow:
    """One window of an external power limit schedule (limit in the request's unit)."""

    start: datetime
    end: datetime
    limit: float

    def to_dict(self) -> dict[str, Any]:
        """Serialise as a ``dynamicPowerLimit`` element."""
        limit: float | int = int(self.limit) if float(self.limit).is_integer() else self.limit
        return {
            "fromDate": format_datetime(self.start),
            "toDate": format_datetime(self.end),
            "externalPowerLimit": limit,
        }


@dataclass(frozen=True, slots=True)
class PriceBlock:
    """One VPP energy price block (``duration`` unit and price currency: see ``const``)."""

    start: str
    duration: float
    price: float

    def to_dict(self) -> dict[str, Any]:
        """Serialise as a ``blocks`` element."""
        return {"start": self.start, "duration": self.duration, "price": self.price}

    def window(self) -> tuple[datetime, datetime] | None:
        """When the block applies, in UTC (None: its start or duration cannot be read).

        ``start`` is read as an ISO date-time or an epoch number, ``duration`` in
        ``PRICE_BLOCK_DURATION_UNIT`` (both [INFERRED]).
        """
        start = parse_datetime(self.start) or parse_datetime(opt_float(self.start))
        if start is None or not self.duration > 0:
            return None
        try:
            return start, start + timedelta(seconds=self.duration * PRICE_BLOCK_DURATION_SECONDS)
        except OverflowError:
            return None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PriceBlock:
        """Parse one price block."""
        start, duration, price = (
            opt_str(data.get("start")),
            opt_float(data.get("duration")),
            opt_float(data.get("price")),
        )
        if start is None or duration is None or price is None:
            raise DepotFinityResponseError("Price block needs start, duration and price")
        return cls(start=start, duration=duration, price=price)

    @classmethod
    def list_from(cls, body: object) -> list[PriceBlock]:
        """Parse ``{"PricesJsonStr": {"blocks": [...]}}`` or ``{"blocks"}``."""
        data = expect_dict(body, "energy prices")
        prices = data.get("PricesJsonStr", data)
        if isinstance(prices, str):
            try:
                prices = json.loads(prices)
            except ValueError as err:
                raise DepotFinityResponseError("PricesJsonStr is not valid JSON") from err
        if not isinstance(prices, Mapping) or not isinstance(blocks := prices.get("blocks"), list):
            raise DepotFinityResponseError("Energy prices without a blocks list")
        return [cls.from_dict(block) for block in dict_items(blocks)]
