"""Error mapping over real HTTP against the simulator's faults."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from custom_components.depotfinity import api
from custom_components.depotfinity.api import DepotFinityClient, PowerLimitWindow, PriceBlock
from depotfinity_simulator import SimulatorConfig, SimulatorServer
from tests.helpers import expected_wait

if TYPE_CHECKING:
    from collections.abc import Callable


async def test_404_unknown_charger(server: SimulatorServer, client: DepotFinityClient) -> None:
    with pytest.raises(api.DepotFinityNotFoundError) as err:
        await client.get_charger_status("CH-99")
    assert err.value.status == 404
    assert err.value.message == "Charger not found."
    assert "Charger not found." in (err.value.body or "")
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.get_connector_status(server.sim.charger_ids[0], 9)


async def test_400_invalid_parameter(server: SimulatorServer, client: DepotFinityClient) -> None:
    with pytest.raises(api.DepotFinityValidationError) as err:
        await client.get_connector_status(server.sim.charger_ids[0], 0)
    assert err.value.status == 400
    assert err.value.message == "Operation denied: Invalid Payload."


async def test_429_sets_retry_after_and_pauses_every_priority(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    # Documented-only: no header; our one request of the window just started it, so 300 s.
    wait = expected_wait(7, 300)
    server.sim.faults.queue(kind="429", count=1, retry_after=7)
    with pytest.raises(api.DepotFinityRateLimitError) as err:
        await client.get_charger_status(charger)
    assert err.value.status == 429
    assert err.value.retry_after == wait
    sent = server.sim.stats.total_requests
    # Commands fail fast with the remaining time; polls raise too rather than wait.
    server.clock.advance(2)
    with pytest.raises(api.DepotFinityRateLimitError) as err:
        await client.get_charger_status(charger, priority=api.Priority.COMMAND)
    assert err.value.status is None
    assert err.value.retry_after == pytest.approx(wait - 2)
    with pytest.raises(api.DepotFinityRateLimitError):
        await client.get_charger_status(charger)
    assert server.sim.stats.total_requests == sent
    server.clock.advance(wait - 2)
    assert (await client.get_charger_status(charger)).status
    assert server.sim.stats.responses_429 == 1


async def test_503_with_retry_after(server: SimulatorServer, client: DepotFinityClient) -> None:
    # Documented-only: no header, so the first step of the client's own 30/60/90 s ladder.
    wait = expected_wait(20, 30)
    server.sim.faults.queue(kind="503", count=1, retry_after=20)
    with pytest.raises(api.DepotFinityUnavailableError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 503
    assert err.value.retry_after == wait
    assert err.value.message == "Service Unavailable"
    assert client.limiter.blocked_for() == pytest.approx(wait)


async def test_maintenance_window(server: SimulatorServer, client: DepotFinityClient) -> None:
    server.sim.faults.maintenance(duration=90)
    with pytest.raises(api.DepotFinityUnavailableError) as err:
        await client.get_charger_connectivity(server.sim.charger_ids[0])
    assert err.value.retry_after == expected_wait(90, 30)  # documented: the ladder's first step
    server.clock.advance(90)
    assert (await client.get_charger_connectivity(server.sim.charger_ids[0])).connected is True


async def test_500_is_a_server_error(server: SimulatorServer, client: DepotFinityClient) -> None:
    server.sim.faults.queue(kind="500")
    with pytest.raises(api.DepotFinityServerError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 500


async def test_malformed_body(server: SimulatorServer, client: DepotFinityClient) -> None:
    server.sim.faults.queue(kind="malformed")
    with pytest.raises(api.DepotFinityResponseError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 200
    assert (err.value.body or "").startswith('{"items"')


async def test_timeout_when_latency_exceeds_request_timeout(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient]
) -> None:
    client = make_client(request_timeout=0.05)
    await client.authenticate()  # the token endpoint has no added latency
    server.sim.faults.latency = 0.3
    with pytest.raises(api.DepotFinityTimeoutError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status is None
    server.sim.faults.latency = 0.0
    assert (await client.get_charger_status(server.sim.charger_ids[0])).status


@pytest.mark.parametrize("sim_config", [SimulatorConfig(timeout_seconds=0.05)])
async def test_gateway_timeout_is_unavailable(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    server.sim.faults.queue(kind="timeout")
    with pytest.raises(api.DepotFinityUnavailableError) as err:
        await client.get_charger_status(server.sim.charger_ids[0])
    assert err.value.status == 504


async def test_400_rejected_command_keeps_the_chargers_message(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    server.sim.inject_fault(charger, 1)
    with pytest.raises(api.DepotFinityCommandRejectedError) as err:
        await client.start_charging(charger, 1, server.sim.rfid_tags[0])
    assert err.value.status == 400
    assert err.value.message == "Operation denied: Rejected by the charger."
    # A stop on an idle connector is rejected too.
    with pytest.raises(api.DepotFinityCommandRejectedError):
        await client.stop_charging(charger, 2)


async def test_400_invalid_payloads(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    with pytest.raises(api.DepotFinityValidationError) as err:
        await client.send_remote_command(charger, "rebootEverything", connector_id=1)
    assert not isinstance(err.value, api.DepotFinityCommandRejectedError)
    assert err.value.message == "Operation denied: Invalid Payload."
    with pytest.raises(api.DepotFinityValidationError):
        await client.import_rfids(["not-hex!"])
    now = server.clock.now()
    with pytest.raises(api.DepotFinityValidationError):
        await client.add_reservation(charger, 1, now + timedelta(hours=2), now, "89C4704A")
    group = server.sim.group_ids[0]
    with pytest.raises(api.DepotFinityValidationError):
        await client.set_external_power_limit(
            group, [PowerLimitWindow(now, now + timedelta(hours=1), -5)]
        )
    with pytest.raises(api.DepotFinityValidationError):
        await client.set_energy_prices(server.sim.site_ids[0], [PriceBlock("x", 0, 1.0)])
    with pytest.raises(api.DepotFinityValidationError):
        await client.get_time_series(charger, "NoSuchMeasurand")


async def test_overlapping_reservation_is_rejected(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    start = server.clock.now() + timedelta(hours=1)
    await client.add_reservation(charger, 1, start, start + timedelta(hours=1), "89C4704A")
    with pytest.raises(api.DepotFinityValidationError) as err:
        await client.add_reservation(
            charger, 1, start + timedelta(minutes=30), start + timedelta(hours=2), "59170C5D"
        )
    assert "overlaps" in (err.value.message or "")


async def test_404s_on_every_group(server: SimulatorServer, client: DepotFinityClient) -> None:
    with pytest.raises(api.DepotFinityNotFoundError) as err:
        await client.start_charging("CH-99", 1, "89C4704A")
    assert err.value.message == "Operation denied: Charger not found."
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.force_terminate("CH-99")
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.set_rfid_enabled("ABCDEF12", True)
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.cancel_reservation(server.sim.charger_ids[0], 1, "no-such-reservation")
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.get_transaction(999_999_999)
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.get_energy_prices("no-such-site")
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.set_external_power_limit("no-such-group", [])


@pytest.mark.parametrize("sim_config", [SimulatorConfig(package="basic")])
async def test_403_outside_the_package_names_the_api(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    assert (await client.get_charger_status(charger)).status  # Basic has Charger Status
    cases = [
        (client.start_charging(charger, 1, "89C4704A"), "Remote Commands"),
        (client.import_rfids(["89C4704A"]), "RFID Management"),
        (client.list_reservations(charger, 1), "Reservations"),
        (client.list_charger_groups(), "Charger Control"),
        (client.get_energy_prices("site"), "Virtual Power Plant"),
    ]
    for call, api_name in cases:
        with pytest.raises(api.DepotFinityPackageError) as err:
            await call
        assert err.value.status == 403
        assert err.value.api == api_name
        assert err.value.message == "Forbidden"
    assert server.sim.stats.token_requests == 1
