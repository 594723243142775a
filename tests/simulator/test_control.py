"""Force Termination, Remote Commands and Charger Control."""

from __future__ import annotations

import aiohttp

from depotfinity_simulator import SimulatorConfig, SimulatorServer

from .conftest import CLIENT_ID, CLIENT_SECRET, Api

STATUS = "/v1/chargerStatus/chargers"
REMOTE = "/v1/chargerControl/chargers/{}/remoteCommands/{}"
START = "startChargingSession"
STOP = "stopChargingSession"
INVALID = "Operation denied: Invalid Payload."
REJECTED = "Operation denied: Rejected by the charger."


async def connector_status(api: Api, charger: str = "CH-01", connector: int = 1) -> str:
    status, body = await api.get(f"{STATUS}/{charger}/connectors/{connector}/availabilityStatus")
    assert status == 200
    return str(body["items"][0]["status"])


async def command(api: Api, kind: str, body: object, charger: str = "CH-01") -> tuple[int, object]:
    return await api.post(REMOTE.format(charger, kind), json=body)


async def test_force_terminate(api: Api, server: SimulatorServer) -> None:
    status, body = await api.put("/v1/chargerControl/CH-02/forceTerminateConnection")
    assert (status, body) == (200, {"code": 200, "message": "Charger Accepted."})
    _, body = await api.get(f"{STATUS}/CH-02/connectivityStatus")
    assert body["items"][0]["value"] == "false"
    server.clock.advance(30)
    _, body = await api.get(f"{STATUS}/CH-02/connectivityStatus")
    assert body["items"][0]["value"] == "false"
    server.clock.advance(30)
    _, body = await api.get(f"{STATUS}/CH-02/connectivityStatus")
    assert body["items"][0]["value"] == "true"
    status, body = await api.put("/v1/chargerControl/CH-42/forceTerminateConnection")
    assert (status, body) == (404, {"message": "Charger not found."})


async def test_remote_start_and_stop(api: Api, server: SimulatorServer) -> None:
    status, body = await command(api, START, {"connectorId": 1, "idTag": "89C4704A"})
    assert status == 200
    assert body == {
        "commandType": START,
        "response": {
            "status": "Accepted",
            "message": "Operation successful: Start charging request has been accepted.",
        },
    }
    assert await connector_status(api) == "Charging"
    server.clock.advance(60)
    status, body = await command(api, START, {"connectorId": 1, "idTag": "89C4704A"})
    assert status == 400
    assert body == {"commandType": START, "response": {"status": "Rejected", "message": REJECTED}}
    status, body = await command(api, STOP, {"connectorId": 1})
    assert status == 200
    assert body["response"]["message"] == (  # type: ignore[index]
        "Operation successful: Stop charging request has been accepted."
    )
    assert await connector_status(api) == "Finishing"
    _, txs = await api.get("/v2/transactions", params={"chargerId": "CH-01", "limit": "1"})
    assert txs[0]["EndResult"] == "StoppedRemotely"
    assert txs[0]["IdTag"] == "89C4704A"
    status, _ = await command(api, STOP, {"connectorId": 1, "idTag": "89C4704A"})
    assert status == 400
    server.clock.advance(30)
    assert await connector_status(api) == "Available"


async def test_remote_start_on_preparing_and_stop_keeps_vehicle(
    api: Api, server: SimulatorServer
) -> None:
    server.sim.plug_in("CH-02", 2, auto_start=False)
    server.clock.advance(60)
    assert await connector_status(api, "CH-02", 2) == "Preparing"
    status, _ = await command(api, START, {"connectorId": 2, "idTag": "ABCD"}, "CH-02")
    assert status == 200
    assert await connector_status(api, "CH-02", 2) == "Charging"
    status, _ = await command(api, STOP, {"connectorId": 2}, "CH-02")
    assert status == 200
    server.clock.advance(30)
    assert await connector_status(api, "CH-02", 2) == "Preparing"
    server.clock.advance(600)
    assert await connector_status(api, "CH-02", 2) == "Preparing"


async def test_remote_start_rejected_states(api: Api, server: SimulatorServer) -> None:
    server.sim.inject_fault("CH-03", 1)
    status, body = await command(api, START, {"connectorId": 1, "idTag": "ABCD"}, "CH-03")
    assert (status, body["response"]["status"]) == (400, "Rejected")  # type: ignore[index]
    server.sim.set_charger_enabled("CH-03", False)
    status, _ = await command(api, START, {"connectorId": 2, "idTag": "ABCD"}, "CH-03")
    assert status == 400
    await api.put("/v1/chargerControl/CH-02/forceTerminateConnection")
    status, _ = await command(api, START, {"connectorId": 1, "idTag": "ABCD"}, "CH-02")
    assert status == 400


async def test_remote_command_errors(api: Api) -> None:
    status, body = await command(api, START, {"connectorId": 1, "idTag": "AB"}, "CH-99")
    assert status == 404
    assert body == {
        "commandType": START,
        "response": {"status": "Rejected", "message": "Operation denied: Charger not found."},
    }
    status, body = await command(api, START, {"connectorId": 7, "idTag": "AB"})
    assert status == 404
    assert body["response"]["message"] == "Operation denied: Connector not found."  # type: ignore[index]
    for kind, payload in (
        ("reset", {"connectorId": 1}),
        (START, {"connectorId": "1", "idTag": "AB"}),
        (START, {"connectorId": True, "idTag": "AB"}),
        (START, {"connectorId": 1}),
        (START, {"connectorId": 1, "idTag": ""}),
        (START, {"connectorId": 1, "idTag": "X" * 21}),
        (START, {"connectorId": 1, "idTag": "AB", "idTagType": 5}),
        (STOP, {"connectorId": 1, "idTag": 12}),
        (START, [1]),
    ):
        status, body = await command(api, kind, payload)
        assert status == 400, (kind, payload)
        assert body == {"commandType": kind, "response": {"status": "", "message": INVALID}}
    status, body = await api.post(REMOTE.format("CH-01", START), data="{not json")
    assert status == 400
    assert body["response"]["message"] == INVALID


async def test_enforced_rfid() -> None:
    cfg = SimulatorConfig(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, history_days=1, enforce_rfid=True
    )
    async with SimulatorServer(cfg) as server, aiohttp.ClientSession() as session:
        await _enforced_rfid(Api(server, session), server)


async def _enforced_rfid(api: Api, server: SimulatorServer) -> None:
    status, _ = await command(api, START, {"connectorId": 1, "idTag": "DEADBEEF"})
    assert status == 400
    known = server.sim.rfid_tags[0]
    status, _ = await api.post(f"/v2/rfid/{known}/false")
    assert status == 201
    status, _ = await command(api, START, {"connectorId": 1, "idTag": known})
    assert status == 400
    await api.post(f"/v2/rfid/{known.lower()}/true")
    status, _ = await command(api, START, {"connectorId": 1, "idTag": known.lower()})
    assert status == 200
    # Auto-start on plug-in also needs an enabled tag.
    await api.post(f"/v2/rfid/{known}/false")
    server.sim.plug_in("CH-02", 1, id_tag=known)
    server.clock.advance(120)
    assert await connector_status(api, "CH-02", 1) == "Preparing"


async def test_charger_groups(api: Api, server: SimulatorServer) -> None:
    status, body = await api.get("/v1/chargerControl/chargerGroups")
    assert status == 200
    assert body == [
        {
            "chargerGroupId": server.sim.group_ids[0],
            "name": "Depot group 1",
            "chargerIds": ["CH-01", "CH-02", "CH-03"],
        }
    ]


async def test_power_limit_caps_power(api: Api, server: SimulatorServer) -> None:
    group = server.sim.group_ids[0]
    path = f"/v1/chargerControl/chargerGroups/{group}/externalPowerLimits"
    server.sim.plug_in("CH-01", 1, soc=20)
    server.sim.plug_in("CH-02", 1, soc=20)
    server.clock.advance(120)
    now = server.clock.timestamp()
    from depotfinity_simulator.timefmt import format_ts

    body = {
        "source": "home-assistant",
        "externalPowerRateUnit": "kW",
        "dynamicPowerLimit": [
            {
                "fromDate": format_ts(now - 10),
                "toDate": format_ts(now + 600),
                "externalPowerLimit": 60,
            }
        ],
    }
    status, resp = await api.put(path, json=body)
    assert (status, resp) == (
        200,
        {"message": "External power limit has been updated successfully."},
    )
    server.clock.advance(60)
    snap = server.sim.snapshot()
    powers = [c["connectors"][0]["power_w"] for c in snap["chargers"][:2]]
    assert powers == [30_000, 30_000]
    assert snap["charger_groups"][0]["activeLimitW"] == 60_000
    body["externalPowerRateUnit"] = "W"
    body["dynamicPowerLimit"][0]["externalPowerLimit"] = 0  # type: ignore[index]
    status, _ = await api.put(path, json=body)
    assert status == 200
    server.clock.advance(10)
    assert await connector_status(api, "CH-01", 1) == "SuspendedEVSE"
    server.clock.advance(600)
    assert await connector_status(api, "CH-01", 1) == "Charging"
    status, _ = await api.put(path, json={"externalPowerRateUnit": "W", "dynamicPowerLimit": []})
    assert status == 200
    assert server.sim.state.groups[group].schedule == []


async def test_power_limit_validation(api: Api, server: SimulatorServer) -> None:
    group = server.sim.group_ids[0]
    path = f"/v1/chargerControl/chargerGroups/{group}/externalPowerLimits"
    window = {
        "fromDate": "2024-01-01T00:00:00Z",
        "toDate": "2024-01-02T00:00:00Z",
        "externalPowerLimit": 1000,
    }
    bad_bodies: list[object] = [
        [],
        {"externalPowerRateUnit": "A", "dynamicPowerLimit": [window]},
        {"dynamicPowerLimit": "now"},
        {"dynamicPowerLimit": [window | {"toDate": "2023-12-31T00:00:00Z"}]},
        {"dynamicPowerLimit": [window | {"externalPowerLimit": -1}]},
        {"dynamicPowerLimit": [window | {"externalPowerLimit": "1000"}]},
        {"dynamicPowerLimit": [window | {"externalPowerLimit": True}]},
        {"dynamicPowerLimit": [window | {"fromDate": "later"}]},
        {"dynamicPowerLimit": [5]},
        {"source": 3, "dynamicPowerLimit": [window]},
    ]
    for bad in bad_bodies:
        status, body = await api.put(path, json=bad)
        assert (status, body) == (400, {"message": INVALID}), bad
    status, body = await api.put(path, data="NaN")
    assert status == 400
    status, body = await api.put(
        "/v1/chargerControl/chargerGroups/00000000-0000-0000-0000-000000000000/externalPowerLimits",
        json={"dynamicPowerLimit": [window]},
    )
    assert (status, body) == (404, {"message": "Charger group not found."})
    status, _ = await api.put(path, json={"dynamicPowerLimit": [window]})
    assert status == 200
