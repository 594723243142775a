"""Charger Status API: charger and connector availability, charger connectivity."""

from __future__ import annotations

from aiohttp import web

from .common import connector_param, get_sim

routes = web.RouteTableDef()
BASE = "/v1/chargerStatus/chargers/{chargerId}"


@routes.get(f"{BASE}/availabilityStatus", name="charger_status:charger_availability")
async def charger_availability(request: web.Request) -> web.Response:
    """Return the charger's availability status list."""
    sim = get_sim(request)
    return web.json_response(sim.charger_availability(request.match_info["chargerId"]))


@routes.get(
    f"{BASE}/connectors/{{connectorId}}/availabilityStatus",
    name="charger_status:connector_availability",
)
async def connector_availability(request: web.Request) -> web.Response:
    """Return the connector's availability status list."""
    sim = get_sim(request)
    charger_id = request.match_info["chargerId"]
    sim.charger(charger_id)
    return web.json_response(sim.connector_availability(charger_id, connector_param(request)))


@routes.get(f"{BASE}/connectivityStatus", name="charger_status:connectivity")
async def connectivity(request: web.Request) -> web.Response:
    """Return the charger's connectivity status list."""
    sim = get_sim(request)
    return web.json_response(sim.connectivity(request.match_info["chargerId"]))
