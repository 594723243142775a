"""Session report models (HPC chargers); ``raw`` keeps every field of a report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .parsing import (
    dict_items,
    expect_dict,
    expect_items,
    frozen_copy,
    opt_int,
    opt_str,
    parse_datetime,
    pick,
)


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """A timestamped value of a session report (``ocppStatus`` / ``detailStatus``)."""

    value: str | None
    timestamp: datetime | None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A ``deviceStatus`` entry of a session report."""

    device_id: str | None
    status: str | None
    timestamp: datetime | None
    error_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionReport:
    """One raw session report (HPC chargers); ``raw`` keeps every field."""

    session_id: int | None
    vehicle_id: str | None
    ocpp_status: tuple[SessionEvent, ...]
    detail_status: tuple[SessionEvent, ...]
    device_status: tuple[DeviceStatus, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionReport:
        """Parse one ``SessionReport``."""
        return cls(
            session_id=opt_int(data.get("sessionId")),
            vehicle_id=opt_str(data.get("vehicleId")),
            ocpp_status=tuple(
                SessionEvent(opt_str(e.get("value")), parse_datetime(e.get("eventTimestamp")))
                for e in _dict_list(data.get("ocppStatus"))
            ),
            detail_status=tuple(
                SessionEvent(
                    opt_str(e.get("value")),
                    parse_datetime(e.get("eventTimestamp")),
                    opt_str(e.get("key")),
                )
                for e in _dict_list(data.get("detailStatus"))
            ),
            device_status=tuple(
                DeviceStatus(
                    device_id=opt_str(e.get("deviceId")),
                    status=opt_str(e.get("status")),
                    timestamp=parse_datetime(e.get("eventTimestamp")),
                    error_codes=tuple(
                        code
                        for c in _dict_list(e.get("errorCodes"))
                        if (code := opt_str(c.get("errorCode"))) is not None
                    ),
                )
                for e in _dict_list(data.get("deviceStatus"))
            ),
            raw=frozen_copy(data),
        )


def _dict_list(value: object) -> list[Mapping[str, Any]]:
    return dict_items(value) if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class SessionReports:
    """A page of session reports."""

    charger_id: str | None
    connector_id: str | None
    items: tuple[SessionReport, ...]

    @classmethod
    def from_dict(cls, body: object) -> SessionReports:
        """Parse a ``SessionReports`` body."""
        data = expect_dict(body, "session reports")
        items = expect_items(data, "session reports")
        return cls(
            charger_id=opt_str(pick(data, "ChargerID", "chargerId")),
            connector_id=opt_str(pick(data, "ConnectorID", "connectorId")),
            items=tuple(SessionReport.from_dict(item) for item in dict_items(items)),
        )
