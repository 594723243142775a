"""RFID Management API: bulk import and enable/disable."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from depotfinity_simulator.errors import InvalidPayloadError
from depotfinity_simulator.operations import import_rfid, set_rfid_status, valid_rfid

from .common import get_sim, read_object

routes = web.RouteTableDef()
MAX_TAGS: Final = 1000
STATUSES: Final = {"true": True, "false": False}


@routes.post("/v2/rfid", name="rfid:bulk_import")
async def bulk_import(request: web.Request) -> web.Response:
    """Add RFID tags (re-importing a known tag is accepted)."""
    sim = get_sim(request)
    body = await read_object(request)
    tags = body.get("interimVehicleIDs")
    if not isinstance(tags, list) or not tags or len(tags) > MAX_TAGS:
        raise InvalidPayloadError
    if not all(valid_rfid(tag) for tag in tags):
        raise InvalidPayloadError
    import_rfid(sim.state, [str(tag) for tag in tags])
    return web.json_response({"message": "RFID has been created successfully."}, status=201)


@routes.post("/v2/rfid/{tag}/{status}", name="rfid:status")
async def update_status(request: web.Request) -> web.Response:
    """Enable (``true``) or disable (``false``) a tag."""
    sim = get_sim(request)
    tag = request.match_info["tag"]
    status = request.match_info["status"]
    if status not in STATUSES or not valid_rfid(tag):
        raise InvalidPayloadError
    set_rfid_status(sim.state, tag, STATUSES[status])
    return web.json_response({"message": "RFID status has been updated successfully."}, status=201)
