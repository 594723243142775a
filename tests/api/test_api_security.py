"""Path injection and secret handling."""

from __future__ import annotations

import base64
from datetime import timedelta
import logging
from typing import TYPE_CHECKING

import pytest

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityError,
    DepotFinityNotFoundError,
    DepotFinityValidationError,
)

from .conftest import CLIENT_ID, CLIENT_SECRET, Stub

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

STATUS_ROUTE = "/v1/chargerStatus/chargers/{chargerId}/availabilityStatus"

HOSTILE_IDS = [
    "CH-01/connectors/1",  # unquoted, this would be the connector endpoint (200)
    "../chargers/CH-01",  # unquoted and normalised, this would be CH-01 (200)
    "..",
    ".",
    "a/b",
    "%2F",
    "CH-01%2Fconnectors%2F1",
    "CH-01?x=1",
    "CH-01#frag",
    "CH-01 ",
]


@pytest.mark.parametrize("charger_id", HOSTILE_IDS)
async def test_path_injection_ids_only_reach_the_intended_route(
    server: SimulatorServer, client: DepotFinityClient, charger_id: str
) -> None:
    await client.get_charger_status("CH-01")  # the legitimate route works
    with pytest.raises(DepotFinityNotFoundError) as err:
        await client.get_charger_status(charger_id)
    assert err.value.message == "Charger not found."
    assert dict(server.sim.stats.requests_by_route) == {
        "/oauth2/token": 1,
        STATUS_ROUTE: 2,
    }


async def test_path_injection_in_other_segments(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    with pytest.raises(DepotFinityNotFoundError):
        await client.force_terminate(f"{charger}/../../chargers/{charger}")
    with pytest.raises(DepotFinityValidationError):
        # Unquoted, the command type would walk up to the charger-group route.
        await client.send_remote_command(charger, "../../chargerGroups", connector_id=1)
    with pytest.raises(DepotFinityNotFoundError):
        await client.cancel_reservation(charger, 1, "../../../../../v2/rfid")
    with pytest.raises(DepotFinityError) as err:
        await client.set_rfid_enabled("89C4704A/true", True)
    assert err.value.status in (400, 404)
    assert server.sim.connector_status(charger, 1) == "Available"
    assert server.sim.stats.responses_by_status[200] == 1  # the token request only
    assert "/v1/chargerControl/chargerGroups" not in server.sim.stats.requests_by_route


async def test_empty_path_parameter_is_refused_locally(client: DepotFinityClient) -> None:
    with pytest.raises(ValueError, match="empty"):
        await client.get_charger_status("")


@pytest.mark.parametrize(
    ("charger_id", "encoded"),
    [("a/b", "a%2Fb"), ("..", "%2E%2E"), ("%2F", "%252F"), ("ü", "%C3%BC")],
)
async def test_raw_paths_are_percent_encoded(
    stub: Stub, stub_client: DepotFinityClient, charger_id: str, encoded: str
) -> None:
    stub.api_replies = [(200, {"items": [{"status": "Available"}]}, {})]
    await stub_client.get_charger_status(charger_id)
    assert [path for _, path, _ in stub.api_requests] == [
        f"/v1/chargerStatus/chargers/{encoded}/availabilityStatus"
    ]


async def test_logs_and_errors_never_show_secrets_tokens_or_tags(
    server: SimulatorServer, client: DepotFinityClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tag = "89C4704A"
    unknown_tag = "ABCDEF0123"
    charger = server.sim.charger_ids[2]
    errors: list[DepotFinityError] = []
    await client.authenticate()
    await client.get_charger_status(charger)
    await client.import_rfids([tag])
    await client.set_rfid_enabled(tag, False)
    await client.set_rfid_enabled(tag, True)
    server.sim.plug_in(charger, 1, auto_start=False)
    await client.start_charging(charger, 1, tag)
    start = server.clock.now() + timedelta(hours=1)
    reservation = await client.add_reservation(charger, 2, start, start + timedelta(hours=1), tag)
    for call in (
        client.set_rfid_enabled(unknown_tag, True),
        client.start_charging(charger, 1, tag),  # already charging: rejected
        client.add_reservation(charger, 2, start, start + timedelta(hours=1), tag),
    ):
        with pytest.raises(DepotFinityError) as err:
            await call
        errors.append(err.value)
    server.clock.advance(3600 + 5)
    await client.get_charger_status(charger)  # refreshes the token
    token = await client.auth.get_token()  # the token at hand: no request
    assert token
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    ours = [r for r in caplog.records if r.name.startswith("custom_components.depotfinity.api")]
    assert len(ours) >= 10  # the client does log its requests at DEBUG
    text = "\n".join(r.getMessage() for r in ours)
    assert "/v2/rfid/***4A/false" in text
    texts = [text, repr(reservation), *(f"{e} {e.body} {e.message}" for e in errors)]
    for secret in (CLIENT_SECRET, basic, token, tag, unknown_tag):
        for haystack in texts:
            assert secret not in haystack
