"""JSON-ready snapshot of the depot state (for the admin API and demos)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .availability import charger_status, connector_fault, connector_status
from .timefmt import format_ts

if TYPE_CHECKING:
    from .model import Charger, Connector, Fault, Reservation, Transaction
    from .state import DepotState


def _optional_ts(value: float | None) -> str | None:
    """Format a time that may be missing (``None`` stays ``None``)."""
    return None if value is None else format_ts(value)


def _fault(fault: Fault | None) -> dict[str, Any] | None:
    if fault is None:
        return None
    return {
        "error_code": fault.error_code,
        "vendor_error_code": fault.vendor_error_code,
        "vendor_id": fault.vendor_id,
        "since": format_ts(fault.since),
        "until": _optional_ts(fault.until),
    }


def reservation_json(reservation: Reservation) -> dict[str, Any]:
    """Return a reservation as the (guessed) reservations list shows it."""
    return {
        "reservationId": reservation.reservation_id,
        "ReservationStart": format_ts(reservation.start),
        "ReservationEnd": format_ts(reservation.end),
        "AuthorizationType": reservation.authorization_type,
        "AuthorizationValue": reservation.authorization_value,
    }


def transaction_json(tx: Transaction) -> dict[str, Any]:
    """Return the API's ``Transaction`` representation."""
    return {
        "TransactionID": tx.transaction_id,
        "ChargerID": tx.charger_id,
        "ConnectorID": tx.connector_id,
        "StartAt": format_ts(tx.start),
        "EndAt": _optional_ts(tx.end),
        "InitialSoC": round(tx.initial_soc),
        "EndSoC": None if tx.end_soc is None else round(tx.end_soc),
        "EnergyDelivered": round(tx.energy_wh),
        "EndResult": tx.end_result,
        "VehicleID": tx.vehicle_id,
        "IdTag": tx.id_tag,
    }


def _connector(charger: Charger, conn: Connector, now: float) -> dict[str, Any]:
    vehicle = conn.vehicle
    return {
        "connector_id": conn.connector_id,
        "status": connector_status(charger, conn, now),
        "state": conn.state,
        "power_w": round(conn.power_w, 1),
        "offered_w": round(conn.offered_w, 1),
        "energy_wh": round(conn.energy_wh, 1),
        "fault": _fault(connector_fault(charger, conn)),
        "unavailable_until": _optional_ts(conn.unavailable_until),
        "override": conn.override,
        "vehicle": None
        if vehicle is None
        else {
            "vehicle_id": vehicle.vehicle_id,
            "id_tag": vehicle.id_tag,
            "soc": round(vehicle.soc, 2),
            "target_soc": vehicle.target_soc,
        },
        "transaction": None if conn.transaction is None else transaction_json(conn.transaction),
        "reservations": [reservation_json(r) for r in conn.reservations],
    }


def snapshot(state: DepotState, now: float) -> dict[str, Any]:
    """Return the depot state at ``now``."""
    return {
        "time": format_ts(now),
        "chargers": [
            {
                "charger_id": charger.charger_id,
                "status": charger_status(charger),
                "hpc": charger.hpc,
                "group_id": charger.group_id,
                "enabled": charger.enabled,
                "connected": charger.connected,
                "fault": _fault(charger.fault),
                "connectors": [
                    _connector(charger, conn, now) for conn in charger.connectors.values()
                ],
            }
            for charger in state.chargers.values()
        ],
        "charger_groups": [
            {
                "chargerGroupId": group.group_id,
                "name": group.name,
                "chargerIds": group.charger_ids,
                "activeLimitW": group.active_limit(now),
                "schedule": [
                    {
                        "fromDate": format_ts(w.start),
                        "toDate": format_ts(w.end),
                        "externalPowerLimitW": w.limit_w,
                    }
                    for w in group.schedule
                ],
            }
            for group in state.groups.values()
        ],
        "sites": list(state.sites),
        "rfid": [{"tag": tag, "enabled": enabled} for tag, enabled in state.rfid.items()],
        "transactions": len(state.transactions),
        "next_transaction_id": state.next_transaction_id,
    }
