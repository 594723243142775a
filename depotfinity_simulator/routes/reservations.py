"""Reservations API: add, list and cancel connector reservations."""

from __future__ import annotations

from aiohttp import web

from depotfinity_simulator.errors import ApiError, SimulatorError
from depotfinity_simulator.operations import add_reservation, cancel_reservation
from depotfinity_simulator.timefmt import format_ts

from .common import connector_param, get_sim, non_empty_string, read_object, timestamp

routes = web.RouteTableDef()
BASE = "/v1/reservations/chargers/{chargerId}/connectors/{connectorId}"


@routes.post(BASE, name="reservations:add")
async def add(request: web.Request) -> web.Response:
    """Reserve a connector for one RFID tag during a window."""
    sim = get_sim(request)
    now = sim.catch_up()
    charger_id = request.match_info["chargerId"]
    sim.charger(charger_id)
    _charger, conn = sim.connector(charger_id, connector_param(request))
    body = await read_object(request)
    start = timestamp(body.get("ReservationStart"))
    end = timestamp(body.get("ReservationEnd"))
    auth_type = non_empty_string(body.get("AuthorizationType"), max_length=40)
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
    sim = get_sim(request)
    charger_id = request.match_info["chargerId"]
    sim.charger(charger_id)
    _charger, conn = sim.connector(charger_id, connector_param(request))
    items = [
        {
            "reservationId": r.reservation_id,
            "ReservationStart": format_ts(r.start),
            "ReservationEnd": format_ts(r.end),
            "AuthorizationType": r.authorization_type,
            "AuthorizationValue": r.authorization_value,
        }
        for r in conn.reservations
    ]
    return web.json_response({"items": items})


@routes.delete(f"{BASE}/{{reservationId}}", name="reservations:cancel")
async def cancel(request: web.Request) -> web.Response:
    """Cancel one reservation."""
    sim = get_sim(request)
    now = sim.catch_up()
    charger_id = request.match_info["chargerId"]
    sim.charger(charger_id)
    _charger, conn = sim.connector(charger_id, connector_param(request))
    cancel_reservation(sim.state, conn, request.match_info["reservationId"], now)
    return web.json_response({"message": "Reservation has been cancelled successfully."})
