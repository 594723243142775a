"""Raw session reports of HPC chargers, derived from their transactions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .timefmt import format_ts

if TYPE_CHECKING:
    from .model import Transaction

STATION_MAX_VOLTAGE = 920.0
PRESENT_VOLTAGE = 650.0


def session_report(tx: Transaction, now: float) -> dict[str, Any]:
    """Build a ``SessionReport`` for one transaction (values derived from the transaction)."""
    start = tx.start
    running = tx.end is None
    end = now if tx.end is None else tx.end
    ocpp = [
        {"value": "Preparing", "eventTimestamp": format_ts(start - 30)},
        {"value": "Charging", "eventTimestamp": format_ts(start)},
    ]
    if not running:
        ocpp.append({"value": "Finishing", "eventTimestamp": format_ts(end)})
        if end + 60 <= now:
            ocpp.append({"value": "Available", "eventTimestamp": format_ts(end + 60)})
    max_power = max(tx.max_power_w, 1.0)
    voltage = PRESENT_VOLTAGE + (tx.transaction_id % 7)
    return {
        "sessionId": tx.transaction_id,
        "vehicleId": tx.vehicle_id,
        "ocppStatus": ocpp,
        "detailStatus": [
            {"key": "systemStatus", "value": "0x00000000", "eventTimestamp": format_ts(start)},
            {"key": "operationalStatus", "value": "0x0000784B", "eventTimestamp": format_ts(start)},
            {
                "key": "chargingProcessStatus",
                "value": "0x00000004" if running else "0x00000008",
                "eventTimestamp": format_ts(start if running else end),
            },
        ],
        "deviceStatus": [
            {
                "deviceId": "Breaker",
                "status": "CLOSED" if running else "OPEN",
                "eventTimestamp": format_ts(start if running else end),
                "errorCodes": [],
            },
            {
                "deviceId": "Converter",
                "status": "RUNNING" if running else "STANDBY",
                "eventTimestamp": format_ts(start if running else end),
                "errorCodes": [],
            },
            {
                "deviceId": "Pantograph",
                "status": "CONNECTED" if running else "STANDBY",
                "eventTimestamp": format_ts(start if running else end),
                "errorCodes": [],
            },
        ],
        "batteryAlignmentResults": {
            "eventTimestamp": format_ts(start + 5),
            "inRange": True,
            "presentVoltage": voltage,
            "requestedVoltage": voltage + 2,
        },
        "chargeParameters": [
            {
                "eventTimestamp": format_ts(start + 5),
                "maxCurrent": round(max_power / voltage, 1),
                "maxPower": round(max_power, 1),
                "maxVoltage": STATION_MAX_VOLTAGE,
                "minCurrent": 0.0,
                "minVoltage": 150.0,
                "paramType": paramtype,
            }
            for paramtype in ("Station", "EV")
        ],
        "dcBreakerOpenConditions": {
            "current": 0.0 if running else 0.4,
            "eventTimestamp": None if running else format_ts(end),
            "voltage": 0.0 if running else 12.0,
        },
    }
