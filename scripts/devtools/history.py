"""The depot over time in the development instance: a connector's calendar, the Energy dashboard.

The connector calendars are disabled by default (each enabled one adds a
reservations read to the budget), so the development instance enables the one
of the first charger's connector 1, and puts every connector's energy
statistic into the Energy dashboard's individual devices: what a fleet owner
would do on the first day. Both steps leave what is there already alone.

``check_calendar`` is the dev-instance check of the calendar: an event created
with ``calendar.create_event`` becomes a reservation in the simulator at that
time and shows among the calendar's events; deleting it (as the calendar panel
does) cancels the reservation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import re
from typing import Any
from urllib.parse import quote

from .common import DOMAIN, BootstrapError, log, poll_until
from .hass_api import HomeAssistantApi
from .registry import load_depot
from .simulator import Simulator

CALENDAR_CONNECTOR = 1
CALENDAR_KEY = "reservations"
RESERVATION_HOURS = 2


@dataclass(frozen=True, slots=True)
class CalendarTarget:
    """The connector whose calendar the development instance shows."""

    charger: str
    connector: int
    entity_id: str


async def calendar_target(api: HomeAssistantApi, sim: Simulator) -> CalendarTarget:
    """The first charger's connector 1 and its calendar entity."""
    depot = await load_depot(api)
    charger = sim.chargers[0]
    item = depot.find("calendar", charger, CALENDAR_CONNECTOR, CALENDAR_KEY)
    if item is None:
        raise BootstrapError(f"no calendar registered for {charger} connector 1")
    return CalendarTarget(charger, CALENDAR_CONNECTOR, str(item["entity_id"]))


async def enable_calendar(api: HomeAssistantApi, sim: Simulator, within: float) -> None:
    """Enable the connector's calendar unless it is enabled; wait until it has a state.

    Home Assistant reloads the entry by itself 30 s after an entity is enabled
    (a reload of our own would only add a second one).
    """
    target = await calendar_target(api, sim)
    items: list[dict[str, Any]] = await api.websocket_command(
        {"type": "config/entity_registry/list"}
    )
    item = next(i for i in items if i["entity_id"] == target.entity_id)
    if item.get("disabled_by") is None:
        return
    await api.websocket_command(
        {
            "type": "config/entity_registry/update",
            "entity_id": target.entity_id,
            "disabled_by": None,
        }
    )

    async def added() -> tuple[bool, None]:
        status, _ = await api.request("GET", f"/api/states/{target.entity_id}")
        return status == 200, None

    done, _ = await poll_until(added, within, 2)
    if not done:
        raise BootstrapError(f"{target.entity_id} enabled, but not added within {within:.0f} s")
    log(f"calendar {target.entity_id} enabled (reservations and sessions of a connector)")


async def show_energy(api: HomeAssistantApi, within: float) -> list[str]:
    """Put each connector's energy statistic in the Energy dashboard; return their ids.

    A connector's statistic appears once its first hours are imported (they are
    read at the polling pace, a few minutes after setup for the demo depot);
    this waits up to ``within`` seconds for every connector's, adds those there
    and keeps the devices the dashboard has already.
    """
    depot = await load_depot(api)
    connectors = sum(
        1
        for item in depot.entities
        if str(item["entity_id"]).startswith("sensor.")
        and re.search(r"_\d+_energy$", str(item.get("unique_id", "")))
    )

    async def imported() -> tuple[bool, list[str]]:
        listed: list[dict[str, Any]] = await api.websocket_command(
            {"type": "recorder/list_statistic_ids", "statistic_type": "sum"}
        )
        ours = sorted(s["statistic_id"] for s in listed if s.get("source") == DOMAIN)
        return len(ours) >= connectors, ours

    _, ours = await poll_until(imported, within, 5)
    if not ours:
        raise BootstrapError(f"no DepotFinity energy statistic within {within:.0f} s")
    prefs: dict[str, Any] = await _energy_prefs(api)
    devices = list(prefs.get("device_consumption") or [])
    known = {device.get("stat_consumption") for device in devices}
    added = [{"stat_consumption": stat} for stat in ours if stat not in known]
    if added:
        await api.websocket_command(
            {"type": "energy/save_prefs", "device_consumption": devices + added}
        )
        log(f"Energy dashboard: hourly energy of {len(added)} connectors as individual devices")
    return ours


async def _energy_prefs(api: HomeAssistantApi) -> dict[str, Any]:
    """The Energy dashboard's settings (empty before anything was saved)."""
    try:
        prefs: dict[str, Any] = await api.websocket_command({"type": "energy/get_prefs"})
    except BootstrapError:  # "not_found" until the first save
        return {}
    return prefs


async def sim_connector(
    api: HomeAssistantApi, sim: Simulator, charger_id: str, connector_id: int
) -> dict[str, Any]:
    """A connector as the simulator holds it (its admin view, not the API's)."""
    async with api.session.get(f"{sim.url}/_admin/state") as response:
        state = await response.json()
    for charger in state["chargers"]:
        if charger["charger_id"] == charger_id:
            for connector in charger["connectors"]:
                if connector["connector_id"] == connector_id:
                    found: dict[str, Any] = connector
                    return found
    raise BootstrapError(f"the simulator has no {charger_id} connector {connector_id}")


async def _sim_reservations(
    api: HomeAssistantApi, sim: Simulator, target: CalendarTarget
) -> list[dict[str, Any]]:
    """The reservations the simulator holds for the connector."""
    connector = await sim_connector(api, sim, target.charger, target.connector)
    return list(connector.get("reservations") or [])


async def _events(api: HomeAssistantApi, entity_id: str, start: datetime) -> list[dict[str, Any]]:
    """The calendar's events of a day from ``start``, as the calendar panel asks for them."""
    end = start + timedelta(days=1)
    query = f"start={quote(start.isoformat())}&end={quote(end.isoformat())}"
    events: list[dict[str, Any]] = await api.call("GET", f"/api/calendars/{entity_id}?{query}")
    return events


async def create_reservation(
    api: HomeAssistantApi, sim: Simulator, within: float
) -> tuple[CalendarTarget, str, list[str]]:
    """Create an event in the connector's calendar; return its uid and what was seen."""
    target = await calendar_target(api, sim)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    end = start + timedelta(hours=RESERVATION_HOURS)
    before = {r.get("reservationId") for r in await _sim_reservations(api, sim, target)}
    await api.call(
        "POST",
        "/api/services/calendar/create_event",
        json_body={
            "entity_id": target.entity_id,
            "summary": "Bus 12 overnight",
            "start_date_time": start.isoformat(),
            "end_date_time": end.isoformat(),
        },
    )

    async def reserved() -> tuple[bool, list[dict[str, Any]]]:
        made = [
            r
            for r in await _sim_reservations(api, sim, target)
            if r.get("reservationId") not in before
        ]
        return bool(made), made

    done, made = await poll_until(reserved, within, 1)
    if not done:
        raise BootstrapError("calendar.create_event made no reservation in the simulator")
    (reservation,) = made
    at = datetime.fromisoformat(str(reservation["ReservationStart"]).replace("Z", "+00:00"))
    if at != start:
        raise BootstrapError(f"the reservation starts at {at}, the event at {start}")
    uid = str(reservation["reservationId"])

    events: list[dict[str, Any]] = []

    async def listed() -> tuple[bool, list[dict[str, Any]]]:
        events[:] = await _events(api, target.entity_id, start)
        shown = [event for event in events if event.get("uid") == uid]
        return bool(shown), shown

    done, shown = await poll_until(listed, within, 2)
    if not done:
        seen = [(e.get("uid"), e.get("summary"), e.get("start")) for e in events]
        raise BootstrapError(f"the reservation {uid} is not among the calendar's events: {seen}")
    line = (
        f"calendar.create_event on {target.entity_id}: simulator reservation {uid} "
        f"from {start:%Y-%m-%d %H:%M} UTC, shown as {shown[0].get('summary')!r}"
    )
    return target, uid, [line]


async def delete_reservation(
    api: HomeAssistantApi, sim: Simulator, target: CalendarTarget, uid: str, within: float
) -> str:
    """Delete the event as the calendar panel does; the reservation must be cancelled."""
    await api.websocket_command(
        {"type": "calendar/event/delete", "entity_id": target.entity_id, "uid": uid}
    )

    async def cancelled() -> tuple[bool, None]:
        held = {r.get("reservationId") for r in await _sim_reservations(api, sim, target)}
        return uid not in {str(r) for r in held}, None

    done, _ = await poll_until(cancelled, within, 1)
    if not done:
        raise BootstrapError(f"deleting the event left reservation {uid} in the simulator")
    return f"event deleted from the calendar: reservation {uid} cancelled in the simulator"
