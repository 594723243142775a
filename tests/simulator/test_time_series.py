"""Time Series API for chargers and connectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from depotfinity_simulator.series import CONNECTOR_MEASURANDS, MEASURANDS
from depotfinity_simulator.timefmt import format_ts, parse_ts

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

    from .conftest import Api

CHARGER = "/v1/timeSeries/chargers/CH-01"
CONNECTOR = "/v1/timeSeries/chargers/CH-01/connectors/1"
INVALID = (400, {"message": "Operation denied: Invalid Payload."})


async def test_default_window_is_previous_day(api: Api, server: SimulatorServer) -> None:
    status, body = await api.get(CHARGER, params={"measurand": "ActiveEnergyImport"})
    assert status == 200
    items = body["items"]
    assert len(items) == 24 * 60 + 1
    now = server.clock.timestamp()
    assert parse_ts(items[0]["timeStamp"]) == now - 86_400
    assert parse_ts(items[-1]["timeStamp"]) == now
    assert all(isinstance(i["value"], str) for i in items)
    values = [float(i["value"]) for i in items]
    assert values == sorted(values)


@pytest.mark.parametrize("measurand", sorted(MEASURANDS))
async def test_every_charger_measurand(api: Api, measurand: str) -> None:
    phases = MEASURANDS[measurand] or (None,)
    for phase in phases:
        params = {"measurand": measurand} | ({"phase": phase} if phase else {})
        status, body = await api.get(CHARGER, params=params)
        assert status == 200, (measurand, phase)
        assert body["items"], (measurand, phase)
        value = body["items"][-1]["value"]
        if measurand == "AlarmCode":
            assert value == "NoError"
        else:
            float(value)


async def test_charging_values(api: Api, server: SimulatorServer) -> None:
    server.sim.plug_in("CH-01", 1, soc=30)
    server.clock.advance(600)
    window = {"from": format_ts(server.clock.timestamp() - 300)}

    async def last(path: str, measurand: str, phase: str | None = None) -> float:
        params = window | {"measurand": measurand} | ({"phase": phase} if phase else {})
        status, body = await api.get(path, params=params)
        assert status == 200
        assert len(body["items"]) == 6
        return float(body["items"][-1]["value"])

    power = await last(CONNECTOR, "ActivePowerImport")
    assert power == pytest.approx(150_000)
    assert await last(CHARGER, "ActivePowerImport") == pytest.approx(power)
    assert await last(CONNECTOR, "PowerOffered") == pytest.approx(150_000)
    assert await last(CONNECTOR, "SoC") > 30
    current = await last(CONNECTOR, "CurrentImport", "L2")
    assert current == pytest.approx(150_000 / 690, rel=0.02)
    assert await last(CONNECTOR, "CurrentExport", "L1") == 0
    assert await last(CONNECTOR, "Voltage", "L1-N") == pytest.approx(230, abs=2.5)
    assert await last(CONNECTOR, "Voltage", "L3") == pytest.approx(398, abs=5)
    assert await last(CONNECTOR, "Voltage") == pytest.approx(230, abs=2.5)
    assert await last(CONNECTOR, "Temperature") > 30
    assert await last(CHARGER, "CurrentOffered", "L1") == pytest.approx(150_000 / 690, rel=0.01)
    assert await last(CHARGER, "Temperature") > 30
    assert await last(CHARGER, "Voltage", "L2-N") == pytest.approx(230, abs=2.5)
    energy = await last(CONNECTOR, "ActiveEnergyImport")
    total = await last(CHARGER, "ActiveEnergyImport")
    assert total > energy
    # The idle connector has no vehicle: no SoC values.
    status, body = await api.get(
        "/v1/timeSeries/chargers/CH-01/connectors/2", params=window | {"measurand": "SoC"}
    )
    assert (status, body) == (200, {"items": []})


async def test_alarm_code_follows_faults(api: Api, server: SimulatorServer) -> None:
    server.sim.inject_fault("CH-02", 2, error_code="OverVoltage")
    server.clock.advance(60)
    _, body = await api.get(
        "/v1/timeSeries/chargers/CH-02/connectors/2", params={"measurand": "AlarmCode"}
    )
    assert body["items"][-1]["value"] == "OverVoltage"
    _, body = await api.get("/v1/timeSeries/chargers/CH-02", params={"measurand": "AlarmCode"})
    assert body["items"][-1]["value"] == "OverVoltage"
    server.sim.inject_fault("CH-02", error_code="InternalError")
    server.clock.advance(60)
    _, body = await api.get("/v1/timeSeries/chargers/CH-02", params={"measurand": "AlarmCode"})
    assert body["items"][-1]["value"] == "InternalError"


async def test_retention_is_bounded(api: Api, server: SimulatorServer) -> None:
    server.clock.advance(2 * 86_400)
    samples = server.sim.state.chargers["CH-01"].samples
    assert samples[-1].time - samples[0].time <= server.config.series_retention
    assert len(samples) <= server.config.series_retention / 60 + 1


async def test_invalid_queries(api: Api) -> None:
    assert await api.get(CHARGER) == INVALID
    assert await api.get(CHARGER, params={"measurand": "Speed"}) == INVALID
    assert await api.get(CHARGER, params={"measurand": "SoC"}) == INVALID
    assert (
        await api.get(CHARGER, params={"measurand": "ActivePowerImport", "phase": "L1"}) == INVALID
    )
    assert await api.get(CHARGER, params={"measurand": "CurrentImport", "phase": "L1-N"}) == INVALID
    assert await api.get(CHARGER, params={"measurand": "Voltage", "from": "soon"}) == INVALID
    assert (
        await api.get(
            CHARGER,
            params={
                "measurand": "Voltage",
                "from": "2024-01-02T00:00:00Z",
                "to": "2024-01-01T00:00:00Z",
            },
        )
        == INVALID
    )
    assert await api.get(CONNECTOR.replace("/1", "/x"), params={"measurand": "SoC"}) == INVALID
    assert await api.get(
        "/v1/timeSeries/chargers/CH-01/connectors/3", params={"measurand": "SoC"}
    ) == (404, {"message": "Connector not found."})
    assert await api.get("/v1/timeSeries/chargers/nope", params={"measurand": "SoC"}) == (
        404,
        {"message": "Charger not found."},
    )
    assert set(CONNECTOR_MEASURANDS) - set(MEASURANDS) == {"SoC"}
