"""Transactions API and Session Reports API."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from depotfinity_simulator.timefmt import format_ts, parse_ts

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

    from .conftest import Api

INVALID = (400, {"message": "Operation denied: Invalid Payload."})


async def test_list_defaults(api: Api, server: SimulatorServer) -> None:
    status, body = await api.get("/v2/transactions")
    assert status == 200
    assert isinstance(body, list)
    total = len(server.sim.state.transactions)
    assert len(body) == min(100, total)
    ids = [tx["TransactionID"] for tx in body]
    assert ids == sorted(ids, reverse=True)
    first = body[0]
    assert set(first) == {
        "TransactionID",
        "ChargerID",
        "ConnectorID",
        "StartAt",
        "EndAt",
        "InitialSoC",
        "EndSoC",
        "EnergyDelivered",
        "EndResult",
        "VehicleID",
        "IdTag",
    }
    assert isinstance(first["ConnectorID"], int)
    assert first["EnergyDelivered"] > 0
    assert first["EndAt"] > first["StartAt"]


async def test_pagination_and_filters(api: Api, server: SimulatorServer) -> None:
    total = len(server.sim.state.transactions)
    seen: list[int] = []
    page = 1
    while True:
        status, body = await api.get(
            "/v2/transactions", params={"page": str(page), "limit": "7", "order": "asc"}
        )
        assert status == 200
        seen += [tx["TransactionID"] for tx in body]
        if len(body) < 7:
            break
        page += 1
    assert len(seen) == total
    assert seen == sorted(seen)
    status, body = await api.get(
        "/v2/transactions", params={"chargerId": "CH-02", "connectorId": "2"}
    )
    assert body
    assert {(tx["ChargerID"], tx["ConnectorID"]) for tx in body} == {("CH-02", 2)}
    vehicle = body[0]["VehicleID"]
    status, body = await api.get("/v2/transactions", params={"vehicleId": vehicle})
    assert body
    assert {tx["VehicleID"] for tx in body} == {vehicle}
    status, body = await api.get("/v2/transactions", params={"chargerId": "CH-77"})
    assert (status, body) == (200, [])


async def test_ordering(api: Api) -> None:
    _, by_start = await api.get("/v2/transactions", params={"orderBy": "StartAt", "order": "asc"})
    starts = [tx["StartAt"] for tx in by_start]
    assert starts == sorted(starts)
    _, by_end = await api.get("/v2/transactions", params={"orderBy": "EndAt"})
    ends = [tx["EndAt"] for tx in by_end]
    assert ends == sorted(ends, reverse=True)


async def test_time_window(api: Api, server: SimulatorServer) -> None:
    now = server.clock.now()
    since = format_ts((now - timedelta(days=1)).timestamp())
    for filter_by in ("StartAt", "InsertedAt"):
        status, body = await api.get(
            "/v2/transactions", params={"from": since, "filterBy": filter_by}
        )
        assert status == 200
        assert body
        assert all(tx["StartAt"] >= since for tx in body)
    _, ended = await api.get(
        "/v2/transactions",
        params={"from": since, "to": format_ts(now.timestamp())} | {"filterBy": "EndAt"},
    )
    assert all(since <= tx["EndAt"] for tx in ended)
    _, overlapping = await api.get(
        "/v2/transactions", params={"from": since, "filterBy": "Overlapping"}
    )
    assert len(overlapping) >= len(ended)


async def test_running_transaction(api: Api, server: SimulatorServer) -> None:
    server.sim.plug_in("CH-03", 1, vehicle_id="BUS-TEST", id_tag="ABCD1234")
    server.clock.advance(60)
    status, body = await api.get("/v2/transactions", params={"vehicleId": "BUS-TEST"})
    assert status == 200
    (tx,) = body
    assert tx["EndAt"] is None
    assert tx["EndSoC"] is None
    assert tx["EndResult"] is None
    assert tx["IdTag"] == "ABCD1234"
    assert tx["EnergyDelivered"] > 0
    _, by_end = await api.get("/v2/transactions", params={"orderBy": "EndAt", "limit": "1"})
    assert by_end[0]["TransactionID"] == tx["TransactionID"]
    status, one = await api.get(f"/v2/transactions/{tx['TransactionID']}")
    assert (status, one["VehicleID"]) == (200, "BUS-TEST")
    server.sim.unplug("CH-03", 1)
    _, one = await api.get(f"/v2/transactions/{tx['TransactionID']}")
    assert one["EndResult"] == "EVDisconnected"
    assert one["EndAt"] is not None


async def test_invalid_queries(api: Api) -> None:
    for params in (
        {"page": "0"},
        {"page": "x"},
        {"limit": "0"},
        {"limit": "5000"},
        {"orderBy": "Energy"},
        {"order": "up"},
        {"filterBy": "Nothing"},
        {"from": "yesterday"},
        {"from": "2024-01-02T00:00:00Z", "to": "2024-01-01T00:00:00Z"},
        {"connectorId": "one"},
    ):
        assert await api.get("/v2/transactions", params=params) == INVALID, params
    assert await api.get("/v2/transactions/abc") == INVALID
    assert await api.get("/v2/transactions/1") == (404, {"message": "Transaction not found."})


async def test_session_reports(api: Api, server: SimulatorServer) -> None:
    status, body = await api.get(
        "/v1/sessionReports", params={"chargerId": "CH-01", "connectorId": "1", "limit": "10"}
    )
    assert status == 200
    assert body["ChargerID"] == "CH-01"
    assert body["ConnectorID"] == "1"
    assert 1 <= len(body["items"]) <= 10
    report = body["items"][0]
    assert isinstance(report["sessionId"], int)
    assert [s["value"] for s in report["ocppStatus"]][:2] == ["Preparing", "Charging"]
    assert {d["key"] for d in report["detailStatus"]} == {
        "systemStatus",
        "operationalStatus",
        "chargingProcessStatus",
    }
    assert {d["deviceId"] for d in report["deviceStatus"]} == {"Breaker", "Converter", "Pantograph"}
    assert report["batteryAlignmentResults"]["inRange"] is True
    assert report["chargeParameters"][0]["paramType"] == "Station"
    assert "voltage" in report["dcBreakerOpenConditions"]
    ids = [r["sessionId"] for r in body["items"]]
    assert ids == sorted(ids, reverse=True)
    server.sim.plug_in("CH-01", 1)
    server.clock.advance(60)
    _, body = await api.get(
        "/v1/sessionReports",
        params={
            "chargerId": "CH-01",
            "connectorId": "1",
            "from": format_ts(server.clock.timestamp() - 3600),
        },
    )
    (running,) = body["items"]
    assert running["dcBreakerOpenConditions"]["eventTimestamp"] is None
    assert parse_ts(running["ocppStatus"][1]["eventTimestamp"]) is not None


async def test_session_reports_non_hpc_and_errors(api: Api) -> None:
    status, body = await api.get(
        "/v1/sessionReports", params={"chargerId": "CH-02", "connectorId": "1"}
    )
    assert (status, body["items"]) == (200, [])
    assert await api.get("/v1/sessionReports", params={"connectorId": "1"}) == INVALID
    assert await api.get("/v1/sessionReports", params={"chargerId": "CH-01"}) == INVALID
    assert (
        await api.get(
            "/v1/sessionReports", params={"chargerId": "CH-01", "connectorId": "1", "limit": "2001"}
        )
        == INVALID
    )
    assert await api.get(
        "/v1/sessionReports", params={"chargerId": "CH-09", "connectorId": "1"}
    ) == (404, {"message": "Charger not found."})
    assert await api.get(
        "/v1/sessionReports", params={"chargerId": "CH-01", "connectorId": "5"}
    ) == (404, {"message": "Connector not found."})
