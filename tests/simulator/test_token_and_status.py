"""Token endpoint, authentication and the Charger Status API."""

from __future__ import annotations

import aiohttp

from depotfinity_simulator import SimulatorServer

from .conftest import Api, basic

STATUS = "/v1/chargerStatus/chargers"


async def test_token_issue(api: Api, server: SimulatorServer) -> None:
    status, body, resp = await api.call(
        "POST",
        "/oauth2/token",
        auth=False,
        data="grant_type=client_credentials",
        headers={
            **basic("test-client", "test-secret"),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 200
    assert resp.content_type == "application/json"
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"].count(".") == 2
    assert server.sim.tokens.is_valid(body["access_token"])


async def test_token_bad_credentials(api: Api) -> None:
    for headers in (
        basic("test-client", "wrong"),
        basic("someone", "test-secret"),
        {"Authorization": "Basic !!!notbase64"},
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic " + "bm9jb2xvbg=="},  # "nocolon"
        {},
    ):
        status, body = await api.post(
            "/oauth2/token", auth=False, data="grant_type=client_credentials", headers=headers
        )
        assert (status, body) == (403, {"error": "invalid_client"}), headers


async def test_token_bad_grant(api: Api) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    good = basic("test-client", "test-secret")
    status, body = await api.post(
        "/oauth2/token", auth=False, data="grant_type=password", headers={**good, **form}
    )
    assert (status, body) == (400, {"error": "unsupported_grant_type"})
    status, body = await api.post("/oauth2/token", auth=False, data="", headers={**good, **form})
    assert (status, body) == (400, {"error": "invalid_request"})
    status, body = await api.post(
        "/oauth2/token", auth=False, json={"grant_type": "client_credentials"}, headers=good
    )
    assert (status, body) == (400, {"error": "invalid_request"})


async def test_missing_and_invalid_token(api: Api) -> None:
    status, body = await api.get(f"{STATUS}/CH-01/availabilityStatus", auth=False)
    assert (status, body) == (401, {"message": "Unauthorized"})
    status, body = await api.get(
        f"{STATUS}/CH-01/availabilityStatus",
        auth=False,
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert (status, body) == (401, {"message": "Unauthorized"})


async def test_token_expiry(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    status, _ = await api.get(f"{STATUS}/CH-01/connectivityStatus")
    assert status == 200
    server.clock.advance(3599)
    status, _ = await api.get(f"{STATUS}/CH-01/connectivityStatus")
    assert status == 200
    server.clock.advance(1)
    status, body = await api.get(f"{STATUS}/CH-01/connectivityStatus")
    assert (status, body) == (401, {"message": "Unauthorized"})
    await api.fetch_token()
    status, _ = await api.get(f"{STATUS}/CH-01/connectivityStatus")
    assert status == 200


async def test_charger_availability(api: Api, server: SimulatorServer) -> None:
    status, body = await api.get(f"{STATUS}/CH-01/availabilityStatus")
    assert status == 200
    (item,) = body["items"]
    assert item["status"] == "Available"
    assert item["errorCode"] == "NoError"
    assert item["vendorId"] == 23
    assert item["timeStamp"].endswith("Z")
    assert len(item["timeStamp"]) == len("2022-10-18T08:37:44.210Z")


async def test_connector_availability_and_connectivity(api: Api, server: SimulatorServer) -> None:
    status, body = await api.get(f"{STATUS}/CH-02/connectors/2/availabilityStatus")
    assert status == 200
    assert body["items"][0]["status"] == "Available"
    status, body = await api.get(f"{STATUS}/CH-02/connectivityStatus")
    assert status == 200
    assert body["items"][0]["value"] == "true"
    assert body["items"][0]["time"].endswith("Z")


async def test_status_not_found_and_invalid(api: Api) -> None:
    status, body = await api.get(f"{STATUS}/CH-99/availabilityStatus")
    assert (status, body) == (404, {"message": "Charger not found."})
    status, body = await api.get(f"{STATUS}/CH-99/connectivityStatus")
    assert (status, body) == (404, {"message": "Charger not found."})
    status, body = await api.get(f"{STATUS}/CH-99/connectors/1/availabilityStatus")
    assert (status, body) == (404, {"message": "Charger not found."})
    status, body = await api.get(f"{STATUS}/CH-01/connectors/3/availabilityStatus")
    assert (status, body) == (404, {"message": "Connector not found."})
    for bad in ("x", "0", "-1", "1.5", "12345678901"):
        status, body = await api.get(f"{STATUS}/CH-01/connectors/{bad}/availabilityStatus")
        assert (status, body) == (400, {"message": "Operation denied: Invalid Payload."}), bad


async def test_unknown_route_and_method(api: Api) -> None:
    status, body = await api.get("/v1/nothing/here")
    assert (status, body) == (404, {"message": "Not Found"})
    status, body = await api.post(f"{STATUS}/CH-01/availabilityStatus")
    assert (status, body) == (405, {"message": "Method Not Allowed"})


async def test_plug_in_moves_status_and_timestamp(api: Api, server: SimulatorServer) -> None:
    server.clock.advance(15)
    server.sim.plug_in("CH-01", 1)
    status, body = await api.get(f"{STATUS}/CH-01/connectors/1/availabilityStatus")
    assert body["items"][0]["status"] == "Preparing"
    preparing_at = body["items"][0]["timeStamp"]
    server.clock.advance(30)
    status, body = await api.get(f"{STATUS}/CH-01/connectors/1/availabilityStatus")
    assert status == 200
    assert body["items"][0]["status"] == "Charging"
    assert body["items"][0]["timeStamp"] > preparing_at


async def test_server_url_requires_running() -> None:
    srv = SimulatorServer()
    try:
        _ = srv.url
    except RuntimeError:
        pass
    else:
        raise AssertionError("url must not be available before start")
    async with srv, aiohttp.ClientSession() as session, session.get(f"{srv.url}/v1/x") as resp:
        assert resp.status == 401
