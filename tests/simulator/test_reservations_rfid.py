"""Reservations API and RFID Management API."""

from __future__ import annotations

from typing import TYPE_CHECKING
import uuid

from depotfinity_simulator.timefmt import format_ts

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

    from .conftest import Api

RES = "/v1/reservations/chargers/CH-01/connectors/1"
STATUS = "/v1/chargerStatus/chargers/CH-01/connectors/1/availabilityStatus"
REMOTE = "/v1/chargerControl/chargers/CH-01/remoteCommands/startChargingSession"
INVALID = (400, {"message": "Operation denied: Invalid Payload."})


def window(
    server: SimulatorServer, start: float, end: float, tag: str = "89C4704A"
) -> dict[str, str]:
    now = server.clock.timestamp()
    return {
        "ReservationStart": format_ts(now + start),
        "ReservationEnd": format_ts(now + end),
        "AuthorizationType": "RFID",
        "AuthorizationValue": tag,
    }


async def status_of(api: Api) -> str:
    _, body = await api.get(STATUS)
    return str(body["items"][0]["status"])


async def test_reservation_lifecycle(api: Api, server: SimulatorServer) -> None:
    status, body = await api.post(RES, json=window(server, 60, 3600))
    assert status == 201
    assert body["message"] == "Reservation has been created successfully."
    reservation_id = body["reservationId"]
    assert uuid.UUID(reservation_id).version == 4
    assert await status_of(api) == "Available"
    server.clock.advance(60)
    assert await status_of(api) == "Reserved"
    status, body = await api.get(RES)
    assert status == 200
    (item,) = body["items"]
    assert item["reservationId"] == reservation_id
    assert item["AuthorizationType"] == "RFID"
    assert item["AuthorizationValue"] == "89C4704A"
    assert item["ReservationEnd"] > item["ReservationStart"]
    # Another tag cannot start; the holder can, which consumes the reservation.
    status, _ = await api.post(REMOTE, json={"connectorId": 1, "idTag": "11112222"})
    assert status == 400
    status, _ = await api.post(REMOTE, json={"connectorId": 1, "idTag": "89c4704a"})
    assert status == 200
    assert await status_of(api) == "Charging"
    _, body = await api.get(RES)
    assert body == {"items": []}


async def test_reservation_expires_and_cancel(api: Api, server: SimulatorServer) -> None:
    _, first = await api.post(RES, json=window(server, 0, 600))
    assert await status_of(api) == "Reserved"
    server.clock.advance(600)
    assert await status_of(api) == "Available"
    assert await api.get(RES) == (200, {"items": []})
    _, second = await api.post(RES, json=window(server, 0, 600))
    assert first["reservationId"] != second["reservationId"]
    status, body = await api.delete(f"{RES}/{second['reservationId']}")
    assert (status, body) == (200, {"message": "Reservation has been cancelled successfully."})
    assert await status_of(api) == "Available"
    status, body = await api.delete(f"{RES}/{second['reservationId']}")
    assert (status, body) == (404, {"message": "Reservation not found."})


def test_reservation_blocks_random_arrivals() -> None:
    from depotfinity_simulator import DepotSimulator, SimulatorConfig
    from depotfinity_simulator.operations import add_reservation

    sim = DepotSimulator(SimulatorConfig(arrival_rate_per_hour=1000.0, history_days=0))
    now = sim.clock.timestamp()
    add_reservation(
        sim.state,
        sim.state.chargers["CH-01"].connectors[1],
        start=now,
        end=now + 7200,
        authorization_type="RFID",
        authorization_value="AB12",
        now=now,
    )
    sim.clock.advance(600)
    assert sim.connector_status("CH-01", 1) == "Reserved"
    assert sim.connector_status("CH-01", 2) != "Available"


async def test_reservation_errors(api: Api, server: SimulatorServer) -> None:
    await api.post(RES, json=window(server, 600, 1200))
    status, body = await api.post(RES, json=window(server, 900, 1500))
    assert status == 400
    assert "overlaps" in body["message"]
    status, body = await api.post(RES, json=window(server, 600, 600))
    assert status == 400
    status, body = await api.post(RES, json=window(server, -600, -60))
    assert status == 400
    status, _ = await api.post(RES, json=window(server, 1200, 1800))
    assert status == 201
    for bad in (
        {},
        window(server, 0, 60) | {"ReservationStart": "now"},
        window(server, 0, 60) | {"AuthorizationValue": ""},
        window(server, 0, 60) | {"AuthorizationType": 1},
    ):
        assert await api.post(RES, json=bad) == INVALID
    assert await api.post(RES, data="[]") == INVALID
    assert await api.post(RES, data="{") == INVALID
    assert await api.post(
        "/v1/reservations/chargers/CH-09/connectors/1", json=window(server, 0, 60)
    ) == (404, {"message": "Charger not found."})
    assert await api.get("/v1/reservations/chargers/CH-01/connectors/9") == (
        404,
        {"message": "Connector not found."},
    )
    assert await api.delete("/v1/reservations/chargers/CH-01/connectors/x/abc") == INVALID


async def test_rfid_import_and_status(api: Api, server: SimulatorServer) -> None:
    status, body = await api.post("/v2/rfid", json={"interimVehicleIDs": ["89C4704A", "59170c5d"]})
    assert (status, body) == (201, {"message": "RFID has been created successfully."})
    assert server.sim.state.rfid["59170C5D"] is True
    status, _ = await api.post("/v2/rfid", json={"interimVehicleIDs": ["89C4704A"]})
    assert status == 201
    status, body = await api.post("/v2/rfid/89C4704A/false")
    assert (status, body) == (201, {"message": "RFID status has been updated successfully."})
    assert server.sim.state.rfid["89C4704A"] is False
    await api.post("/v2/rfid", json={"interimVehicleIDs": ["89C4704A"]})
    assert server.sim.state.rfid["89C4704A"] is False  # re-import keeps the status
    status, _ = await api.post("/v2/rfid/89c4704a/true")
    assert status == 201
    assert server.sim.state.rfid["89C4704A"] is True


async def test_rfid_errors(api: Api) -> None:
    bad: object
    for bad in (
        {},
        {"interimVehicleIDs": []},
        {"interimVehicleIDs": "89C4704A"},
        {"interimVehicleIDs": ["XYZ!"]},
        {"interimVehicleIDs": ["ABC"]},
        {"interimVehicleIDs": ["A" * 21]},
        {"interimVehicleIDs": [12345678]},
    ):
        assert await api.post("/v2/rfid", json=bad) == INVALID, bad
    assert await api.post("/v2/rfid", data="not json") == INVALID
    assert await api.post("/v2/rfid/89C4704A/maybe") == INVALID
    assert await api.post("/v2/rfid/89C4704A/True") == INVALID
    assert await api.post("/v2/rfid/NOT-HEX/true") == INVALID
    assert await api.post("/v2/rfid/0BADCAFE/true") == (404, {"message": "RFID not found."})
