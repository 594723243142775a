"""Service rules: packages, rate limit, maintenance, injected HTTP faults, robustness."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from yarl import URL

from depotfinity_simulator import SimulatorServer
from depotfinity_simulator.clock import VirtualClock
from depotfinity_simulator.faults import FaultInjector
from depotfinity_simulator.ratelimit import RateLimiter

from .conftest import Api, basic

STATUS = "/v1/chargerStatus/chargers/CH-01/availabilityStatus"
FORBIDDEN = (403, {"message": "Forbidden"})


async def set_package(api: Api, name: str) -> None:
    status, _ = await api.post("/_admin/package", json={"package": name}, auth=False)
    assert status == 200


async def test_packages(api: Api, server: SimulatorServer) -> None:
    await set_package(api, "basic")
    assert (await api.get(STATUS))[0] == 200
    assert (await api.get("/v2/transactions", params={"limit": "1"}))[0] == 200
    assert (await api.put("/v1/chargerControl/CH-01/forceTerminateConnection"))[0] == 200
    assert await api.post("/v2/rfid/89C4704A/true") == FORBIDDEN
    assert await api.get("/v1/reservations/chargers/CH-01/connectors/1") == FORBIDDEN
    assert await api.get("/v1/chargerControl/chargerGroups") == FORBIDDEN
    await set_package(api, "advanced")
    assert (await api.get("/v1/reservations/chargers/CH-01/connectors/1"))[0] == 200
    assert await api.get("/v1/chargerControl/chargerGroups") == FORBIDDEN
    assert await api.get("/v1/vppController/site-1/energyPrices") == FORBIDDEN
    assert (
        await api.post("/v1/vdv", json={"seq": 1}, auth=False, headers=basic("V", "p")) == FORBIDDEN
    )
    await set_package(api, "premium")
    assert (await api.get("/v1/chargerControl/chargerGroups"))[0] == 200
    # Authentication is checked before the package.
    await set_package(api, "basic")
    assert await api.get("/v1/chargerControl/chargerGroups", auth=False) == (
        401,
        {"message": "Unauthorized"},
    )
    status, body = await api.post("/_admin/package", json={"package": "gold"}, auth=False)
    assert status == 400
    assert "package" in body["message"]
    assert server.sim.package == "basic"


async def test_rate_limit(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    for _ in range(100):
        status, _ = await api.get(STATUS)
        assert status == 200
    status, body, resp = await api.call("GET", STATUS)
    assert (status, body) == (429, {"message": "Too Many Requests"})
    assert resp.headers["Retry-After"] == "300"
    # Unauthenticated API calls are limited too (the limit comes before auth) ...
    assert (await api.get(STATUS, auth=False))[0] == 429
    # ... but not the token endpoint or the admin API.
    await api.fetch_token()
    assert (await api.get("/_admin/state", auth=False))[0] == 200
    server.clock.advance(299)
    _, _, resp = await api.call("GET", STATUS)
    assert resp.status == 429
    assert resp.headers["Retry-After"] == "1"
    server.clock.advance(1)
    for _ in range(100):
        assert (await api.get(STATUS))[0] == 200
    assert (await api.get(STATUS))[0] == 429
    stats = server.sim.stats
    assert stats.responses_429 == 4
    assert stats.requests_by_client["127.0.0.1"] == stats.total_requests == 204
    assert stats.token_requests == 2


def test_rate_limiter_is_per_client_and_sliding() -> None:
    clock = VirtualClock(speed=0.0)
    limiter = RateLimiter(clock, limit=3, window=10.0)
    assert [limiter.check("a") for _ in range(3)] == [None, None, None]
    assert limiter.check("a") == 10
    assert limiter.check("b") is None
    assert limiter.remaining("a") == 0
    assert limiter.remaining("b") == 2
    clock.advance(4)
    assert limiter.check("a") == 6
    clock.advance(6)
    assert limiter.remaining("a") == 3
    assert limiter.check("a") is None
    limiter.reset()
    assert limiter.remaining("a") == 3


async def test_maintenance(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    server.sim.faults.maintenance(duration=90.0)
    status, body, resp = await api.call("GET", STATUS)
    assert (status, body) == (503, {"message": "Service Unavailable"})
    assert resp.headers["Retry-After"] == "90"
    status, _, resp = await api.call("GET", STATUS, auth=False)
    assert status == 503
    status, _, resp = await api.call(
        "POST",
        "/oauth2/token",
        auth=False,
        data="grant_type=client_credentials",
        headers=basic("test-client", "test-secret")
        | {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 503
    assert (await api.get("/_admin/stats", auth=False))[0] == 200
    server.clock.advance(60)
    _, _, resp = await api.call("GET", STATUS)
    assert resp.headers["Retry-After"] == "30"
    server.clock.advance(30)
    assert (await api.get(STATUS))[0] == 200
    assert server.sim.stats.responses_503 == 4


def test_scheduled_maintenance() -> None:
    clock = VirtualClock(speed=0.0)
    faults = FaultInjector(clock, maintenance_every=600.0, maintenance_duration=90.0)
    assert faults.maintenance_remaining() == 0
    clock.advance(600)
    assert faults.maintenance_remaining() == 90
    clock.advance(89)
    assert faults.maintenance_remaining() == 1
    clock.advance(1)
    assert faults.maintenance_remaining() == 0
    clock.advance(510)
    assert faults.maintenance_remaining() == 90
    with pytest.raises(ValueError, match="kind"):
        faults.queue("418")
    with pytest.raises(ValueError, match="count"):
        faults.queue("500", count=0)
    with pytest.raises(ValueError, match="retry_after"):
        faults.queue("500", retry_after=-1)
    with pytest.raises(ValueError, match="duration"):
        faults.maintenance(-5)


@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        ("429", 429, {"message": "Too Many Requests"}),
        ("503", 503, {"message": "Service Unavailable"}),
        ("500", 500, {"message": "Internal Server Error"}),
    ],
)
async def test_queued_error_faults(
    api: Api, server: SimulatorServer, kind: str, status: int, body: dict[str, str]
) -> None:
    await api.fetch_token()
    server.sim.faults.queue(kind=kind, count=2)
    for _ in range(2):
        got, got_body, resp = await api.call("GET", STATUS)
        assert (got, got_body) == (status, body)
        if status != 500:
            assert resp.headers["Retry-After"] == "1"
    assert (await api.get(STATUS))[0] == 200
    assert server.sim.faults.queued == []


async def test_malformed_fault_and_path_prefix(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    server.sim.faults.queue(kind="malformed", path_prefix="/v2/transactions")
    assert (await api.get(STATUS))[0] == 200
    status, body, resp = await api.call("GET", "/v2/transactions")
    assert status == 200
    assert resp.content_type == "application/json"
    assert isinstance(body, str)
    assert body.startswith('{"items": [')
    assert (await api.get("/v2/transactions"))[0] == 200
    # Faults without a prefix leave the token endpoint alone; with its prefix they hit it.
    server.sim.faults.queue(kind="500")
    await api.fetch_token()
    assert (await api.get(STATUS))[0] == 500
    server.sim.faults.queue(kind="503", path_prefix="/oauth2/token")
    status, _, _ = await api.call(
        "POST", "/oauth2/token", auth=False, headers=basic("test-client", "test-secret")
    )
    assert status == 503


async def test_timeout_fault(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    server.sim.faults.timeout_seconds = 0.1
    server.sim.faults.queue(kind="timeout")
    started = time.monotonic()
    status, body = await api.get(STATUS)
    assert time.monotonic() - started >= 0.1
    assert (status, body) == (504, {"message": "Gateway Timeout"})


async def test_timeout_fault_client_gives_up(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    server.sim.faults.queue(kind="timeout")
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        async with api.session.get(
            f"{server.url}{STATUS}",
            headers={"Authorization": f"Bearer {api.token}"},
            timeout=aiohttp.ClientTimeout(total=0.2),
        ):
            pass
    assert time.monotonic() - started < 5


async def test_timeout_released_on_close() -> None:
    async with SimulatorServer() as server:
        server.sim.faults.queue(kind="timeout", path_prefix="/oauth2")
        async with aiohttp.ClientSession() as session:
            request = asyncio.ensure_future(
                session.post(f"{server.url}/oauth2/token", headers=basic("demo-client", "x"))
            )
            await asyncio.sleep(0.1)
            started = time.monotonic()
            server.sim.faults.close()
            resp = await request
            assert resp.status == 504
            resp.release()
            assert time.monotonic() - started < 2


async def test_latency(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    server.sim.faults.latency = 0.2
    started = time.monotonic()
    assert (await api.get(STATUS))[0] == 200
    assert time.monotonic() - started >= 0.2
    server.sim.faults.clear()
    assert server.sim.faults.latency == 0


async def test_unexpected_error_is_json_500(
    api: Api, server: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(charger_id: str) -> dict[str, object]:
        raise RuntimeError(charger_id)

    monkeypatch.setattr(server.sim, "charger_availability", boom)
    assert await api.get(STATUS) == (500, {"message": "Internal Server Error"})


async def test_body_too_large(api: Api) -> None:
    status, body = await api.post("/v2/rfid", data="x" * 300_000)
    assert status == 413
    assert "message" in body


async def test_path_tricks_are_harmless(api: Api, server: SimulatorServer) -> None:
    await api.fetch_token()
    headers = {"Authorization": f"Bearer {api.token}"}
    base = URL(server.url)
    for raw in (
        "/v1/chargerStatus/chargers/..%2F..%2F_admin%2Fstate/availabilityStatus",
        "/v1/chargerStatus/chargers/CH-01%2F..%2FCH-02/availabilityStatus",
        "/v1/chargerStatus/chargers/%2e%2e/availabilityStatus",
    ):
        url = base.with_path(raw, encoded=True)
        async with api.session.get(url, headers=headers) as resp:
            assert resp.status == 404, raw
            assert await resp.json() == {"message": "Charger not found."}
    for raw in (
        "/_admin/../v1/chargerStatus/chargers/CH-01/availabilityStatus",
        "/v1/chargerStatus/chargers/CH-01/../../../_admin/reset",
        "/v1/%2e%2e/_admin/state",
    ):
        url = base.with_path(raw, encoded=True)
        async with api.session.get(url) as resp:
            assert resp.status in (401, 404, 405), raw
            body = await resp.json()
            assert "message" in body
    assert server.sim.stats.responses_by_status[500] == 0
