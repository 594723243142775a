"""Reservations API: add, list and cancel connector reservations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from aiohttp import web

from depotfinity_simulator.errors import ApiError, InvalidPayloadError, SimulatorError
from depotfinity_simulator.operations import add_reservation, cancel_reservation
from depotfinity_simulator.snapshot import reservation_json

from .common import connector_param, get_sim, non_empty_string, read_object, timestamp

if TYPE_CHECKING:
    from depotfinity_simulator.depot import DepotSimulator
    from depotfinity_simulator.model import Connector

routes = web.RouteTableDef()
BASE = "/v1/reservations/chargers/{chargerId}/connectors/{connectorId}"
#: The only documented ``AuthorizationType`` (the documented-only mode accepts nothing else).
DOCUMENTED_AUTHORIZATION_TYPE: Final = "RFID"


def _target(request: web.Request) -> tuple[DepotSimulator, Connector, float]:
    """Return the simulator, the addressed connector and the current time.

    An unknown charger is reported (404) before an invalid connector id (400).
    """
    sim = get_sim(request)
    now = sim.catch_up()
    charger_id = request.match_info["chargerId"]
    sim.charger(charger_id)
    _charger, conn = sim.connector(charger_id, connector_param(request))
    return sim, conn, now


@routes.post(BASE, name="reservations:add")
async def add(request: web.Request) -> web.Response:
    """Reserve a connector for one RFID tag during a window."""
    sim, conn, now = _target(request)
    body = await read_object(request)
    start = timestamp(body.get("ReservationStart"))
    end = timestamp(body.get("ReservationEnd"))
    auth_type = non_empty_string(body.get("AuthorizationType"), max_length=40)
    if sim.config.documented_only and auth_type != DOCUMENTED_AUTHORIZATION_TYPE:
        raise InvalidPayloadError
    auth_value = non_empty_string(body.get("AuthorizationValue"), max_length=40)
    try:
        reservation = add_reservation(
            sim.state,
            conn,
            start=start,
            end=end,
            authorization_type=auth_type,
            authorization_value=auth_value,
            now=now,
        )
    except SimulatorError as err:
        raise ApiError(400, {"message": str(err)}) from err
    return web.json_response(
        {
            "message": "Reservation has been created successfully.",
            "reservationId": reservation.reservation_id,
        },
        status=201,
    )


@routes.get(BASE, name="reservations:list")
async def list_reservations(request: web.Request) -> web.Response:
    """List the connector's current and future reservations."""
    _sim, conn, _now = _target(request)
    return web.json_response({"items": [reservation_json(r) for r in conn.reservations]})


@routes.delete(f"{BASE}/{{reservationId}}", name="reservations:cancel")
async def cancel(request: web.Request) -> web.Response:
    """Cancel one reservation."""
    sim, conn, now = _target(request)
    cancel_reservation(sim.state, conn, request.match_info["reservationId"], now)
    return web.json_response({"message": "Reservation has been cancelled successfully."})
