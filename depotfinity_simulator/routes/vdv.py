"""VDV-261 API (stub): the vehicle authenticates with Basic VIN:password."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from depotfinity_simulator.errors import InvalidPayloadError

from .auth import basic_credentials
from .common import read_object

routes = web.RouteTableDef()
INT_FIELDS: Final = (
    "odo",
    "bat_reqtime",
    "bat_eamount",
    "bprec_eamount",
    "prec_reqtime",
    "prec_eamount",
    "chrg_stat",
)
STR_FIELDS: Final = ("vin", "evccid")


@routes.post("/v1/vdv", name="vdv:send")
async def send_vdv(request: web.Request) -> web.Response:
    """Accept VDV-261 parameters and answer with fixed preconditioning values."""
    credentials = basic_credentials(request.headers.get("Authorization"))
    if credentials is None or not credentials[0] or not credentials[1]:
        return web.json_response({"message": "Unauthorized"}, status=401)
    body = await read_object(request)
    seq = body.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise InvalidPayloadError
    for name in INT_FIELDS:
        value = body.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidPayloadError
    for name in STR_FIELDS:
        if not isinstance(body.get(name, ""), str):
            raise InvalidPayloadError
    return web.json_response(
        {
            "seq": seq,
            "driveoff": 65535,
            "prec_dsrd": 1,
            "prec_hvac": 3,
            "ambienttemp": 255,
            "vin": body.get("vin") or credentials[0],
        }
    )
