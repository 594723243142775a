"""Derive the reported OCPP statuses from the depot state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import (
    AVAILABLE,
    FAULTED,
    NO_ERROR,
    RESERVED,
    UNAVAILABLE,
    Charger,
    Connector,
    Fault,
    Reservation,
)

if TYPE_CHECKING:
    from .state import DepotState


def active_reservation(conn: Connector, now: float) -> Reservation | None:
    """Return the reservation whose window contains ``now``."""
    for reservation in conn.reservations:
        if reservation.start <= now < reservation.end:
            return reservation
    return None


def connector_fault(charger: Charger, conn: Connector) -> Fault | None:
    """Return the fault affecting ``conn`` (its own, else the charger's)."""
    return conn.fault or charger.fault


def connector_blocked(charger: Charger, conn: Connector) -> bool:
    """Return whether ``conn`` cannot be used (faulted, unavailable or disabled)."""
    return (
        connector_fault(charger, conn) is not None
        or not charger.enabled
        or conn.unavailable_until is not None
    )


def connector_status(charger: Charger, conn: Connector, now: float) -> str:
    """Return the OCPP status that the API reports for ``conn``."""
    if conn.override is not None:
        return conn.override
    if connector_fault(charger, conn) is not None:
        return FAULTED
    if not charger.enabled or conn.unavailable_until is not None:
        return UNAVAILABLE
    if conn.state == AVAILABLE and active_reservation(conn, now) is not None:
        return RESERVED
    return conn.state


def charger_status(charger: Charger) -> str:
    """Return the charger availability: Faulted, Unavailable or Available."""
    if charger.override is not None:
        return charger.override
    if charger.fault is not None:
        return FAULTED
    if not charger.enabled:
        return UNAVAILABLE
    return AVAILABLE


def refresh_reported(state: DepotState, now: float) -> None:
    """Update each reported status and the time it last changed."""
    for charger in state.chargers.values():
        status = charger_status(charger)
        if status != charger.reported:
            charger.reported = status
            charger.reported_since = now
        for conn in charger.connectors.values():
            status = connector_status(charger, conn, now)
            if status != conn.reported:
                conn.reported = status
                conn.reported_since = now


def status_item(
    timestamp: str, status: str, fault: Fault | None, vendor_id: int
) -> dict[str, object]:
    """Build one ``ChargerAvailabilityStatus`` item."""
    return {
        "timeStamp": timestamp,
        "errorCode": fault.error_code if fault else NO_ERROR,
        "vendorErrorCode": fault.vendor_error_code if fault else 0,
        "vendorId": fault.vendor_id if fault else vendor_id,
        "status": status,
    }
