"""Virtual Power Plant API: read and write a site's energy prices."""

from __future__ import annotations

import json
from typing import Any, Final

from aiohttp import web

from depotfinity_simulator.errors import InvalidPayloadError, NotFoundError
from depotfinity_simulator.model import PriceBlock
from depotfinity_simulator.operations import set_prices

from .common import get_sim, non_empty_string, number, object_list, read_object

routes = web.RouteTableDef()
PATH = "/v1/vppController/{siteId}/energyPrices"
MAX_BLOCKS: Final = 1000


def _blocks(body: dict[str, Any]) -> list[PriceBlock]:
    prices: Any = body.get("PricesJsonStr", body)
    if isinstance(prices, str):
        try:
            prices = json.loads(prices)
        except ValueError as err:
            raise InvalidPayloadError from err
    if not isinstance(prices, dict):
        raise InvalidPayloadError
    blocks = []
    for entry in object_list(prices.get("blocks"), MAX_BLOCKS):
        duration = number(entry.get("duration"))
        if duration <= 0:
            raise InvalidPayloadError
        blocks.append(
            PriceBlock(
                start=non_empty_string(entry.get("start"), max_length=64),
                duration=duration,
                price=number(entry.get("price")),
            )
        )
    return blocks


def _block_json(block: PriceBlock) -> dict[str, Any]:
    duration: float | int = int(block.duration) if block.duration.is_integer() else block.duration
    return {"start": block.start, "duration": duration, "price": block.price}


@routes.get(PATH, name="vpp:get_prices")
async def get_prices(request: web.Request) -> web.Response:
    """Return the site's price list."""
    sim = get_sim(request)
    blocks = sim.state.sites.get(request.match_info["siteId"])
    if blocks is None:
        raise NotFoundError("Site not found.")
    return web.json_response({"PricesJsonStr": {"blocks": [_block_json(b) for b in blocks]}})


@routes.post(PATH, name="vpp:set_prices")
async def post_prices(request: web.Request) -> web.Response:
    """Replace the site's price list."""
    sim = get_sim(request)
    site_id = request.match_info["siteId"]
    if site_id not in sim.state.sites:
        raise NotFoundError("Site not found.")
    body = await read_object(request)
    set_prices(sim.state, site_id, _blocks(body))
    return web.json_response({"code": 200, "message": "Energy prices have been updated."})
