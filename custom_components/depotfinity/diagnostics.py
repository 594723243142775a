"""Diagnostics: what the integration knows, with every secret redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .const import CONF_CLIENT_SECRET, CONF_ID_TAG
from .data import ChargerData
from .devices import charger_identifier, connector_identifier
from .runtime import DepotFinityConfigEntry

# Keys whose values never leave Home Assistant: credentials, RFID tags, vehicles.
TO_REDACT = {
    CONF_CLIENT_SECRET,
    CONF_ID_TAG,
    "access_token",
    "token",
    "id_tag",
    "authorization_value",
    "vehicle_id",
    "vin",
}


def _charger(charger: ChargerData) -> dict[str, Any]:
    data = asdict(charger)
    for connector in data["connectors"].values():
        # The calendar's history of sessions: how many is enough here.
        connector["sessions"] = len(connector["sessions"])
    return async_redact_data(data, TO_REDACT)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: DepotFinityConfigEntry
) -> dict[str, Any]:
    """Diagnostics of an account."""
    coordinator = entry.runtime_data.coordinator
    depot = coordinator.data
    return {
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": async_redact_data(dict(entry.options), TO_REDACT),
            "subentries": [
                {"type": s.subentry_type, "data": dict(s.data)} for s in entry.subentries.values()
            ],
        },
        "scheduler": {
            "status_period_s": round(coordinator.planner.status_period, 1),
            "sweep_cost": round(coordinator.planner.sweep_cost, 2),
            "poll_rate_per_5min": round(coordinator.scheduler.poll_rate * 300, 1),
            "last_update_success": coordinator.last_update_success,
        },
        "disabled_apis": sorted(coordinator.health.disabled_apis),
        # Per API group: whether it answered, its last status, the shapes seen
        # (field names and enum values only) and where they differ from what the
        # client assumes: the first real account shows which guesses held.
        "api_report": coordinator.client.api_report(),
        "api_surprises": coordinator.client.api_surprises(),
        "chargers": {cid: _charger(c) for cid, c in depot.chargers.items()},
        "groups": {gid: asdict(g) for gid, g in depot.groups.items()},
    }


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: DepotFinityConfigEntry, device: dr.DeviceEntry
) -> dict[str, Any]:
    """Diagnostics of one charger (or the depot)."""
    depot = entry.runtime_data.coordinator.data
    for charger in depot.chargers.values():
        own = {charger_identifier(entry, charger.charger_id)} | {
            connector_identifier(entry, charger.charger_id, number) for number in charger.connectors
        }
        if device.identifiers & own:
            return {"charger": _charger(charger)}
    return {"device": device.name, "chargers": sorted(depot.chargers)}
