"""The /_admin/ API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

    from .conftest import Api

INVALID = (400, {"message": "Operation denied: Invalid Payload."})
OK = (200, {"ok": True})


async def admin(api: Api, path: str, body: object = None) -> tuple[int, object]:
    return await api.post(f"/_admin/{path}", json=body, auth=False)


async def test_state_and_stats(api: Api, server: SimulatorServer) -> None:
    status, state = await api.get("/_admin/state", auth=False)
    assert status == 200
    assert [c["charger_id"] for c in state["chargers"]] == ["CH-01", "CH-02", "CH-03"]
    assert state["package"] == "premium"
    assert state["charger_groups"][0]["chargerIds"] == ["CH-01", "CH-02", "CH-03"]
    assert state["sites"] == ["site-1"]
    assert len(state["rfid"]) == 4
    await api.get("/v1/chargerStatus/chargers/CH-01/connectivityStatus")
    status, stats = await api.get("/_admin/stats", auth=False)
    assert status == 200
    assert stats["total_requests"] == 1
    assert stats["token_requests"] == 1
    assert stats["requests_by_route"] == {
        "/oauth2/token": 1,
        "/v1/chargerStatus/chargers/{chargerId}/connectivityStatus": 1,
    }
    assert stats["log"][-1]["status"] == 200
    assert stats["log"][-1]["time"].startswith(str(server.clock.now().year))
    assert stats["responses_by_status"] == {"200": 2}


async def test_clock_plug_and_unplug(api: Api, server: SimulatorServer) -> None:
    before = server.clock.now()
    status, body = await admin(api, "clock/advance", {"seconds": 120})
    assert status == 200
    assert (server.clock.now() - before).total_seconds() == 120
    assert await admin(api, "plug-in", {"charger_id": "CH-02", "connector_id": 1, "soc": 50}) == OK
    assert server.sim.connector_status("CH-02", 1) == "Preparing"
    status, body = await admin(api, "plug-in", {"charger_id": "CH-02", "connector_id": 1})
    assert status == 400
    assert "already" in body["message"]  # type: ignore[index]
    await admin(api, "clock/advance", {"seconds": 30})
    _, state = await api.get("/_admin/state", auth=False)
    connector = state["chargers"][1]["connectors"][0]
    assert connector["status"] == "Charging"
    assert connector["vehicle"]["soc"] >= 50
    assert connector["transaction"]["EndAt"] is None
    assert await admin(api, "unplug", {"charger_id": "CH-02", "connector_id": 1}) == OK
    assert server.sim.connector_status("CH-02", 1) == "Available"
    assert await admin(api, "clock/advance", {"seconds": -1}) == INVALID
    assert await admin(api, "plug-in", {"charger_id": "CH-02"}) == INVALID
    assert (
        await admin(api, "plug-in", {"charger_id": "CH-02", "connector_id": 1, "id_tag": 5})
        == INVALID
    )
    assert await admin(api, "unplug", {"charger_id": "CH-02"}) == INVALID
    assert await admin(api, "unplug", {"charger_id": "CH-99", "connector_id": 1}) == (
        404,
        {"message": "Charger not found."},
    )


async def test_faults_and_overrides(api: Api, server: SimulatorServer) -> None:
    assert (
        await admin(
            api,
            "faults",
            {
                "charger_id": "CH-03",
                "connector_id": 2,
                "error_code": "OverCurrentFailure",
                "duration": 60,
            },
        )
        == OK
    )
    _, body = await api.get("/v1/chargerStatus/chargers/CH-03/connectors/2/availabilityStatus")
    item = body["items"][0]
    assert (item["status"], item["errorCode"], item["vendorErrorCode"]) == (
        "Faulted",
        "OverCurrentFailure",
        "E42",
    )
    assert await admin(api, "faults", {"charger_id": "CH-03"}) == OK
    _, body = await api.get("/v1/chargerStatus/chargers/CH-03/availabilityStatus")
    assert body["items"][0]["status"] == "Faulted"
    assert body["items"][0]["errorCode"] == "GroundFailure"
    status, _ = await api.delete("/_admin/faults/CH-03?connector_id=2", auth=False)
    assert status == 200
    assert server.sim.charger_status("CH-03") == "Faulted"
    status, _ = await api.delete("/_admin/faults/CH-03", auth=False)
    assert status == 200
    assert server.sim.charger_status("CH-03") == "Available"
    assert await admin(api, "faults", {"connector_id": 1}) == INVALID
    assert await admin(api, "faults", {"charger_id": "CH-01", "duration": -4}) == INVALID
    assert await admin(api, "faults", {"charger_id": "CH-01", "connector_id": "1"}) == INVALID
    assert (await api.delete("/_admin/faults/CH-03?connector_id=x", auth=False))[0] == 400
    assert (
        await admin(
            api, "status-override", {"charger_id": "CH-01", "connector_id": 1, "status": "Weird"}
        )
        == OK
    )
    _, body = await api.get("/v1/chargerStatus/chargers/CH-01/connectors/1/availabilityStatus")
    assert body["items"][0]["status"] == "Weird"
    assert await admin(api, "status-override", {"charger_id": "CH-01", "connector_id": 1}) == OK
    assert server.sim.connector_status("CH-01", 1) == "Available"
    assert await admin(api, "status-override", {"charger_id": "CH-01", "status": 3}) == INVALID
    assert await admin(api, "charger-enabled", {"charger_id": "CH-01", "enabled": False}) == OK
    assert server.sim.charger_status("CH-01") == "Unavailable"
    assert await admin(api, "charger-enabled", {"charger_id": "CH-01", "enabled": "no"}) == INVALID


async def test_http_faults_maintenance_latency(api: Api, server: SimulatorServer) -> None:
    assert await admin(api, "http-faults", {"kind": "503", "count": 2, "retry_after": 7}) == OK
    (queued,) = server.sim.faults.queued
    assert (queued.kind, queued.remaining, queued.retry_after) == ("503", 2, 7)
    status, body = await admin(api, "http-faults", {"kind": "teapot"})
    assert status == 400
    assert "kind" in body["message"]  # type: ignore[index]
    assert await admin(api, "http-faults", {"kind": "500", "path_prefix": 5}) == INVALID
    assert await admin(api, "maintenance", {"duration": 30}) == OK
    assert server.sim.faults.maintenance_remaining() == 30
    assert await admin(api, "maintenance", {}) == OK
    assert server.sim.faults.maintenance_remaining() == 90
    assert await admin(api, "latency", {"seconds": 0.5}) == OK
    assert server.sim.faults.latency == 0.5
    assert await admin(api, "latency", {"seconds": "slow"}) == INVALID
    assert await admin(api, "reset", None) == OK
    assert server.sim.faults.queued == []
    assert server.sim.faults.latency == 0
    assert server.sim.faults.maintenance_remaining() == 0


async def test_admin_is_not_counted_or_authenticated(api: Api, server: SimulatorServer) -> None:
    for _ in range(3):
        assert (await api.get("/_admin/state", auth=False))[0] == 200
    assert (await api.get("/_admin/nothing", auth=False)) == (404, {"message": "Not Found"})
    assert server.sim.stats.total_requests == 0
    assert await admin(api, "latency", "0.5") == INVALID
