"""Error mapping over real HTTP against the simulator's faults."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityNotFoundError,
    DepotFinityRateLimitError,
    DepotFinityResponseError,
    DepotFinityServerError,
    DepotFinityTimeoutError,
    DepotFinityUnavailableError,
    DepotFinityValidationError,
    Priority,
)
from depotfinity_simulator import SimulatorConfig, SimulatorServer


async def test_404_unknown_charger(server: SimulatorServer, client: DepotFinityClient) -> None:
    with pytest.raises(DepotFinityNotFoundError) as err:
        await client.get_charger_status("CH-99")
    assert err.value.status == 404
    assert err.value.message == "Charger not found."
    assert "Charger not found." in (err.value.body or "")
    with pytest.raises(DepotFinityNotFoundError):
        await client.get_connector_status(server.sim.charger_ids[0], 9)


async def test_400_invalid_parameter(server: SimulatorServer, client: DepotFinityClient) -> None:
    with pytest.raises(DepotFinityValidationError) as err:
        await client.get_connector_status(server.sim.charger_ids[0], 0)
    assert err.value.status == 400
    assert err.value.message == "Operation denied: Invalid Payload."


async def test_429_sets_retry_after_and_pauses_every_priority(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    charger = server.sim.charger_ids[0]
    server.sim.faults.queue(kind="429", count=1, retry_after=7)
    with pytest.raises(DepotFinityRateLimitError) as err:
        await client.get_charger_status(charger)
    assert err.value.status == 429
    assert err.value.retry_after == 7
    sent = server.sim.stats.total_requests
    # Commands fail fast with the remaining time; polls raise too rather than wait.
    server.clock.advance(2)
    with pytest.raises(DepotFinityRateLimitError) as err:
        await client.get_charger_status(charger, priority=Priority.COMMAND)
    assert err.value.status is None
    assert err.value.retry_after == pytest.approx(5)
    with pytest.raises(DepotFinityRateLimitError):
        await client.get_charger_status(charger)
    assert server.sim.stats.total_requests == sent
    server.clock.advance(5)
    assert (await client.get_charger_status(charger)).status
    assert server.sim.stats.responses_429 == 1


async def test_503_with_retry_after(server: SimulatorServer, client: DepotFinityClient) -> None:
    server.sim.faults.queue(kind="503", count=1, retry_after=30)
    with pytest.raises(DepotFinityUnavailableError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 503
    assert err.value.retry_after == 30
    assert err.value.message == "Service Unavailable"
    assert client.limiter.blocked_for() == pytest.approx(30)


async def test_maintenance_window(server: SimulatorServer, client: DepotFinityClient) -> None:
    server.sim.faults.maintenance(duration=90)
    with pytest.raises(DepotFinityUnavailableError) as err:
        await client.get_charger_connectivity(server.sim.charger_ids[0])
    assert err.value.retry_after == 90
    server.clock.advance(90)
    assert (await client.get_charger_connectivity(server.sim.charger_ids[0])).connected is True


async def test_500_is_a_server_error(server: SimulatorServer, client: DepotFinityClient) -> None:
    server.sim.faults.queue(kind="500")
    with pytest.raises(DepotFinityServerError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 500


async def test_malformed_body(server: SimulatorServer, client: DepotFinityClient) -> None:
    server.sim.faults.queue(kind="malformed")
    with pytest.raises(DepotFinityResponseError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 200
    assert (err.value.body or "").startswith('{"items"')


async def test_timeout_when_latency_exceeds_request_timeout(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient]
) -> None:
    client = make_client(request_timeout=0.05)
    await client.authenticate()  # the token endpoint has no added latency
    server.sim.faults.latency = 0.3
    with pytest.raises(DepotFinityTimeoutError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status is None
    server.sim.faults.latency = 0.0
    assert (await client.get_charger_status(server.sim.charger_ids[0])).status


@pytest.mark.parametrize("sim_config", [SimulatorConfig(timeout_seconds=0.05)])
async def test_gateway_timeout_is_unavailable(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    server.sim.faults.queue(kind="timeout")
    with pytest.raises(DepotFinityUnavailableError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 504
