"""The documented-only mode: each behaviour that differs from the default mode, in both modes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiohttp
import pytest

from depotfinity_simulator import SimulatorConfig, SimulatorServer
from depotfinity_simulator.timefmt import format_ts, parse_ts

from .conftest import Api, basic

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

STATUS = "/v1/chargerStatus/chargers/CH-01/availabilityStatus"
CHARGER_SERIES = "/v1/timeSeries/chargers/CH-01"
CONNECTOR_SERIES = "/v1/timeSeries/chargers/CH-01/connectors/1"
INVALID = (400, {"message": "Operation denied: Invalid Payload."})
#: 10:30 UTC, so the previous calendar day starts 34.5 hours before the start.
START = datetime(2024, 3, 10, 10, 30, tzinfo=UTC)
DAY = 86_400


@pytest.fixture(params=[False, True], ids=["default", "documented"])
def documented(request: pytest.FixtureRequest) -> bool:
    """Run a test in both modes."""
    return bool(request.param)


@pytest.fixture
async def mode_api(config: SimulatorConfig, documented: bool) -> AsyncIterator[Api]:
    """An API helper for a one-charger simulator in the mode under test."""
    cfg = replace(config, chargers=1, history_days=10, start=START, documented_only=documented)
    async with SimulatorServer(cfg) as server, aiohttp.ClientSession() as session:
        yield Api(server, session)


async def test_rate_limit_retry_after(mode_api: Api, documented: bool) -> None:
    await mode_api.fetch_token()
    for _ in range(100 - documented):  # documented-only: the token request counted too
        assert (await mode_api.get(STATUS))[0] == 200
    status, body, resp = await mode_api.call("GET", STATUS)
    assert (status, body) == (429, {"message": "Too Many Requests"})
    assert resp.headers.get("Retry-After") == (None if documented else "300")


async def test_queued_faults_retry_after(mode_api: Api, documented: bool) -> None:
    await mode_api.fetch_token()
    faults = mode_api.server.sim.faults
    for kind, message in (("429", "Too Many Requests"), ("503", "Service Unavailable")):
        faults.queue(kind=kind, retry_after=7)
        status, body, resp = await mode_api.call("GET", STATUS)
        assert (status, body) == (int(kind), {"message": message})
        assert resp.headers.get("Retry-After") == (None if documented else "7")


async def test_maintenance_retry_after(mode_api: Api, documented: bool) -> None:
    await mode_api.fetch_token()
    mode_api.server.sim.faults.maintenance(duration=90.0)
    for auth in (True, False):
        status, body, resp = await mode_api.call("GET", STATUS, auth=auth)
        assert (status, body) == (503, {"message": "Service Unavailable"})
        assert resp.headers.get("Retry-After") == (None if documented else "90")


async def test_token_endpoint_and_rate_limit(mode_api: Api, documented: bool) -> None:
    await mode_api.fetch_token()
    for _ in range(99):
        assert (await mode_api.get(STATUS))[0] == 200
    server = mode_api.server
    async with mode_api.session.post(
        f"{server.url}/oauth2/token",
        headers=basic(server.config.client_id, server.config.client_secret),
        data={"grant_type": "client_credentials"},
    ) as resp:
        assert resp.status == (429 if documented else 200)
        assert "Retry-After" not in resp.headers


def _times(body: dict[str, list[dict[str, str]]]) -> list[float]:
    times = [parse_ts(item["timeStamp"]) for item in body["items"]]
    assert all(t is not None for t in times)
    return [t for t in times if t is not None]


@pytest.mark.parametrize(
    ("path", "measurand"),
    [(CHARGER_SERIES, "ActiveEnergyImport"), (CONNECTOR_SERIES, "Voltage")],
)
async def test_series_default_window(
    mode_api: Api, documented: bool, path: str, measurand: str
) -> None:
    now = mode_api.server.clock.timestamp()
    status, body = await mode_api.get(path, params={"measurand": measurand})
    assert status == 200
    times = _times(body)
    if documented:
        day = datetime(2024, 3, 9, tzinfo=UTC).timestamp()
        assert (times[0], times[-1]) == (day, day + DAY - 60)
        assert len(times) == 24 * 60
    else:
        assert (times[0], times[-1]) == (now - DAY, now)


async def test_previous_day_stays_complete(config: SimulatorConfig) -> None:
    """At 22:30 the next day the whole previous day (from 46.5 hours ago) is still kept."""
    cfg = replace(config, chargers=1, history_days=2, start=START, documented_only=True)
    async with SimulatorServer(cfg) as server, aiohttp.ClientSession() as session:
        api = Api(server, session)
        server.clock.advance(DAY + 12 * 3600)
        _, body = await api.get(CHARGER_SERIES, params={"measurand": "ActivePowerImport"})
        times = _times(body)
        day = datetime(2024, 3, 10, tzinfo=UTC).timestamp()
        assert (times[0], times[-1], len(times)) == (day, day + DAY - 60, 24 * 60)
        # An explicit window still works, and one bound alone keeps the default-mode default.
        now = server.clock.timestamp()
        params = {"measurand": "ActivePowerImport", "from": format_ts(now - 600)}
        _, body = await api.get(CHARGER_SERIES, params=params)
        assert _times(body) == [now - 600 + 60 * k for k in range(11)]


def test_sample_retention() -> None:
    assert SimulatorConfig().sample_retention == 36 * 3600
    assert SimulatorConfig(documented_only=True).sample_retention == 2 * DAY + 60
    long = SimulatorConfig(documented_only=True, series_retention=5 * DAY)
    assert long.sample_retention == 5 * DAY


async def test_session_report_default_limit(mode_api: Api, documented: bool) -> None:
    params = {"chargerId": "CH-01", "connectorId": "1"}
    status, body = await mode_api.get("/v1/sessionReports", params=params)
    assert status == 200
    if documented:
        assert len(body["items"]) == 3
    else:
        assert len(body["items"]) > 3
    status, body = await mode_api.get("/v1/sessionReports", params=params | {"limit": "5"})
    assert (status, len(body["items"])) == (200, 5)


async def test_power_rate_unit(mode_api: Api, documented: bool) -> None:
    group = mode_api.server.sim.group_ids[0]
    path = f"/v1/chargerControl/chargerGroups/{group}/externalPowerLimits"
    now = mode_api.server.clock.timestamp()
    window = {"fromDate": format_ts(now), "toDate": format_ts(now + 600), "externalPowerLimit": 60}
    body = {"source": "test", "externalPowerRateUnit": "kW", "dynamicPowerLimit": [window]}
    status, _ = await mode_api.put(path, json=body)
    assert status == (400 if documented else 200)
    body["externalPowerRateUnit"] = "W"
    assert (await mode_api.put(path, json=body))[0] == 200


async def test_authorization_type(mode_api: Api, documented: bool) -> None:
    path = "/v1/reservations/chargers/CH-01/connectors/1"
    now = mode_api.server.clock.timestamp()
    body = {
        "ReservationStart": format_ts(now + 600),
        "ReservationEnd": format_ts(now + 1200),
        "AuthorizationType": "PIN",
        "AuthorizationValue": "89C4704A",
    }
    result = await mode_api.post(path, json=body)
    if documented:
        assert result == INVALID
    else:
        assert result[0] == 201
        body |= {"ReservationStart": format_ts(now + 1800), "ReservationEnd": format_ts(now + 2400)}
    body["AuthorizationType"] = "RFID"
    assert (await mode_api.post(path, json=body))[0] == 201
