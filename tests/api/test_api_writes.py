"""Writes and commands: headers on the wire, empty 202/204 answers, unreadable 200 answers."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from custom_components.depotfinity.api import (
    CommandStatus,
    DepotFinityClient,
    DepotFinityCommandUncertainError,
    DepotFinityResponseError,
    PriceBlock,
)

from .conftest import SeenRequest, Stub

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer


def _content_types(seen: list[SeenRequest], method: str) -> list[str | None]:
    return [r.headers.get("Content-Type") for r in seen if r.method == method]


async def test_bodiless_writes_send_content_type_json(
    server: SimulatorServer,
    client: DepotFinityClient,
    seen_requests: list[SeenRequest],
    charger: str,
) -> None:
    await client.force_terminate(charger)
    await client.set_rfid_enabled(server.sim.rfid_tags[0], False)
    start = server.clock.now()
    end = start + timedelta(hours=1)
    created = await client.add_reservation(charger, 1, start, end, "89C4704A")
    await client.cancel_reservation(charger, 1, created.reservation_id or "")
    await client.get_charger_status(charger)
    api = [r for r in seen_requests if r.path != "/oauth2/token"]
    bodiless = [(r.method, r.headers.get("Content-Type")) for r in api if not r.body]
    assert bodiless == [
        ("PUT", "application/json"),  # forceTerminateConnection ([DOC] curl example)
        ("POST", "application/json"),  # /v2/rfid/{tag}/{status} ([DOC] curl example)
        ("DELETE", "application/json"),  # cancel reservation (inferred endpoint)
        ("GET", None),  # reads send no Content-Type
    ]
    assert _content_types(api, "POST") == ["application/json", "application/json"]
    assert all(r.headers.get("Accept") == "application/json" for r in api)


@pytest.mark.parametrize("status", [202, 204])
async def test_empty_202_or_204_is_accepted(
    stub: Stub, stub_client: DepotFinityClient, status: int
) -> None:
    stub.api_replies = [(status, "", {})]
    started = await stub_client.start_charging("CH-01", 1, "89C4704A")
    assert started.accepted
    assert started.status == CommandStatus.ACCEPTED
    assert started.command_type == "startChargingSession"
    assert started.message is None
    assert (await stub_client.stop_charging("CH-01", 1)).accepted
    assert (await stub_client.force_terminate("CH-01")).accepted
    # Other writes succeed with no message.
    assert await stub_client.import_rfids(["89C4704A"]) == ""
    assert await stub_client.set_rfid_enabled("89C4704A", True) == ""
    assert await stub_client.set_external_power_limit("g-1", []) == ""
    assert await stub_client.set_energy_prices("site-1", [PriceBlock("x", 1, 1.0)]) == ""
    await stub_client.cancel_reservation("CH-01", 1, "r-1")
    assert len(stub.api_requests) == 8  # nothing was retried


@pytest.mark.parametrize(
    "reply",
    [
        (200, "<html>gateway</html>", {}),  # not JSON
        (200, '{"commandType": "startChargingSession", "response": {', {}),  # truncated
        (200, ["Accepted"], {}),  # JSON of the wrong shape
        (200, "null", {}),
        (200, {"message": "ok"}, {}),  # no status anywhere
        (200, {"commandType": "startChargingSession", "response": "Accepted"}, {}),
        (200, "", {}),  # a 200 must carry the RemoteCommandResponse
        (201, "", {}),
    ],
)
async def test_unreadable_answer_to_a_command_is_uncertain(
    stub: Stub, stub_client: DepotFinityClient, reply: object
) -> None:
    stub.api_replies = [reply]  # type: ignore[list-item]
    with pytest.raises(DepotFinityCommandUncertainError) as err:
        await stub_client.start_charging("CH-01", 1, "89C4704A")
    assert isinstance(err.value, DepotFinityResponseError)
    assert "may or may not" in str(err.value)
    assert "89C4704A" not in str(err.value)
    assert len(stub.api_requests) == 1  # never retried


@pytest.mark.parametrize(
    "reply", [(200, "<html>", {}), (200, ["x"], {}), (200, '"Accepted"', {}), (200, "", {})]
)
async def test_unreadable_answer_to_force_terminate_is_uncertain(
    stub: Stub, stub_client: DepotFinityClient, reply: object
) -> None:
    stub.api_replies = [reply]  # type: ignore[list-item]
    with pytest.raises(DepotFinityCommandUncertainError):
        await stub_client.force_terminate("CH-01")


async def test_force_terminate_success_body_without_status_is_accepted(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    stub.api_replies = [(200, {"code": 200, "message": "Charger Accepted."}, {})]
    result = await stub_client.force_terminate("CH-01")
    assert result.accepted
    assert result.message == "Charger Accepted."


async def test_unreadable_answer_to_other_writes_is_uncertain(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    stub.api_replies = [(200, "<html>", {})]
    with pytest.raises(DepotFinityCommandUncertainError):
        await stub_client.set_rfid_enabled("89C4704A", False)
    with pytest.raises(DepotFinityCommandUncertainError):
        await stub_client.set_external_power_limit("g-1", [])


async def test_reads_keep_their_tolerant_parsing(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    stub.api_replies = [(200, "<html>", {})]
    with pytest.raises(DepotFinityResponseError) as err:
        await stub_client.get_charger_status("CH-01")
    assert not isinstance(err.value, DepotFinityCommandUncertainError)
    # Odd elements and unknown values are still tolerated.
    stub.api_replies = [(200, {"items": [1, {"status": "Hibernating", "extra": True}]}, {})]
    assert (await stub_client.get_charger_status("CH-01")).status == "Hibernating"


async def test_malformed_answer_from_the_simulator_to_a_command(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    charger = server.sim.charger_ids[2]
    server.sim.plug_in(charger, 1, auto_start=False)
    server.sim.faults.queue(kind="malformed", path_prefix="/v1/chargerControl/")
    with pytest.raises(DepotFinityCommandUncertainError) as err:
        await client.start_charging(charger, 1, server.sim.rfid_tags[0])
    assert err.value.status == 200
