"""VPP energy prices and the VDV-261 stub."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .conftest import Api, basic

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

PRICES = "/v1/vppController/site-1/energyPrices"
INVALID = (400, {"message": "Operation denied: Invalid Payload."})
UPDATED = (200, {"code": 200, "message": "Energy prices have been updated."})
BLOCKS = [
    {"start": "2024-01-01T00:00:00.000Z", "duration": 60, "price": 0.31},
    {"start": "2024-01-01T01:00:00.000Z", "duration": 30.5, "price": -0.02},
]


async def test_seeded_prices(api: Api) -> None:
    status, body = await api.get(PRICES)
    assert status == 200
    blocks = body["PricesJsonStr"]["blocks"]
    assert len(blocks) == 24
    assert all(b["duration"] == 60 for b in blocks)
    assert all(isinstance(b["price"], float) for b in blocks)
    assert blocks[0]["start"].endswith("T00:00:00.000Z")


async def test_write_prices_in_every_shape(api: Api) -> None:
    for body in (
        {"PricesJsonStr": {"blocks": BLOCKS}},
        {"PricesJsonStr": json.dumps({"blocks": BLOCKS})},
        {"blocks": BLOCKS},
    ):
        assert await api.post(PRICES, json=body) == UPDATED
        assert await api.get(PRICES) == (200, {"PricesJsonStr": {"blocks": BLOCKS}})


async def test_price_validation(api: Api, server: SimulatorServer) -> None:
    for bad in (
        {},
        {"PricesJsonStr": "{broken"},
        {"PricesJsonStr": 5},
        {"PricesJsonStr": {"blocks": "many"}},
        {"blocks": [{"start": "x", "duration": 0, "price": 1}]},
        {"blocks": [{"start": "x", "duration": 60, "price": "1"}]},
        {"blocks": [{"start": "", "duration": 60, "price": 1}]},
        {"blocks": [{"start": "x", "duration": 60}]},
        {"blocks": [7]},
    ):
        assert await api.post(PRICES, json=bad) == INVALID, bad
    assert (
        await api.post(PRICES, data='{"blocks": [{"start": "x", "duration": 60, "price": NaN}]}')
        == INVALID
    )
    assert await api.get("/v1/vppController/site-9/energyPrices") == (
        404,
        {"message": "Site not found."},
    )
    assert await api.post("/v1/vppController/site-9/energyPrices", json={"blocks": []}) == (
        404,
        {"message": "Site not found."},
    )
    assert len(server.sim.state.sites["site-1"]) == 24


async def test_vdv(api: Api) -> None:
    body = {
        "seq": 4,
        "vin": "WDB1234567",
        "evccid": "00:11:22:33:44:55",
        "odo": 1200,
        "bat_reqtime": 10,
        "bat_eamount": 100,
        "bprec_eamount": 5,
        "prec_reqtime": 3,
        "prec_eamount": 2,
        "chrg_stat": 1,
    }
    status, resp = await api.post("/v1/vdv", json=body, auth=False, headers=basic("VIN1", "pw"))
    assert status == 200
    assert resp == {
        "seq": 4,
        "driveoff": 65535,
        "prec_dsrd": 1,
        "prec_hvac": 3,
        "ambienttemp": 255,
        "vin": "WDB1234567",
    }
    status, resp = await api.post(
        "/v1/vdv", json={"seq": 1}, auth=False, headers=basic("VIN1", "pw")
    )
    assert (status, resp["vin"]) == (200, "VIN1")
    assert await api.post("/v1/vdv", json=body, auth=False) == (401, {"message": "Unauthorized"})
    assert await api.post("/v1/vdv", json=body, auth=False, headers=basic("VIN1", "")) == (
        401,
        {"message": "Unauthorized"},
    )
    for bad in ({}, {"seq": "1"}, {"seq": 1, "odo": 1.5}, {"seq": 1, "vin": 7}, {"seq": True}):
        assert await api.post("/v1/vdv", json=bad, auth=False, headers=basic("V", "p")) == INVALID
