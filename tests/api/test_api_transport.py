"""Transport behaviour that the simulator cannot produce, checked against a loopback stub."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import json
import socket
from typing import TYPE_CHECKING, cast

import pytest
from yarl import URL

from custom_components.depotfinity.api import (
    DepotFinityAccessError,
    DepotFinityAuthenticationError,
    DepotFinityClient,
    DepotFinityConflictError,
    DepotFinityConnectionError,
    DepotFinityError,
    DepotFinityRateLimitError,
    DepotFinityResponseError,
    DepotFinityServerError,
    DepotFinityTimeoutError,
    DepotFinityUnavailableError,
    PowerLimitWindow,
    PriceBlock,
    Priority,
    RequestLimiter,
)

from .conftest import CLIENT_SECRET, DROP, FakeClock, Stub

if TYPE_CHECKING:
    import aiohttp

    from .conftest import MakeClient

TOKEN = {"access_token": "stub-token", "expires_in": 3600, "token_type": "bearer"}


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_persistent_401_raises_an_access_error_after_one_fresh_token(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    # The token endpoint accepts the credentials, so no reauthentication would help: the API
    # refuses access, as with a 403.
    stub.api_replies = [(401, {"message": "Unauthorized"}, {})]
    with pytest.raises(DepotFinityAccessError) as err:
        await stub_client.get_charger_status("CH-01")
    assert not isinstance(err.value, DepotFinityAuthenticationError)
    assert err.value.status == 401
    assert err.value.api == "Charger Status"
    assert stub.token_requests == 2
    assert len(stub.api_requests) == 2


async def test_401_on_a_remote_command_is_retried_once(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    accepted = {"commandType": "startChargingSession", "response": {"status": "Accepted"}}
    stub.api_replies = [(401, {"message": "Unauthorized"}, {}), (200, accepted, {})]
    result = await stub_client.start_charging("CH-01", 1, "89C4704A")
    assert result.accepted
    assert len(stub.api_requests) == 2
    assert stub.token_requests == 2


async def test_409_is_a_conflict(stub: Stub, stub_client: DepotFinityClient) -> None:
    stub.api_replies = [(409, {"message": "Overlapping reservation"}, {})]
    with pytest.raises(DepotFinityConflictError) as err:
        await stub_client.cancel_reservation("CH-01", 1, "r-1")
    assert err.value.message == "Overlapping reservation"


async def test_unknown_status_and_redirects_are_generic_errors(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    stub.api_replies = [(302, "", {"Location": "http://127.0.0.1:1/elsewhere"}), (418, "tea", {})]
    with pytest.raises(DepotFinityError) as err:
        await stub_client.list_charger_groups()
    assert err.value.status == 302
    with pytest.raises(DepotFinityError) as err:
        await stub_client.list_charger_groups()
    assert err.value.status == 418
    assert err.value.body == "tea"


async def test_empty_success_body(stub: Stub, stub_client: DepotFinityClient) -> None:
    stub.api_replies = [(204, "", {})]
    await stub_client.cancel_reservation("CH-01", 1, "r-1")
    assert stub.api_requests[0][0] == "DELETE"
    assert await stub_client.set_rfid_enabled("89C4704A", False) == ""
    result = await stub_client.force_terminate("CH-01")
    assert result.status == "Accepted"
    assert result.command_type == "forceTerminateConnection"


async def test_wire_format_of_writes(stub: Stub, stub_client: DepotFinityClient) -> None:
    accepted = {"response": {"status": "Accepted"}}
    stub.api_replies = [(200, accepted, {}), (200, {"message": "ok", "reservationId": "r-9"}, {})]
    await stub_client.send_remote_command(
        "CH-01",
        "unlockConnector",
        connector_id=2,
        id_tag="89C4704A",
        id_tag_type="RFID",
        extra={"type": "Hard"},
    )
    reservation = await stub_client.add_reservation(
        "CH-01",
        1,
        datetime(2024, 1, 1, 8, 30, 19, 220000, tzinfo=UTC),
        datetime(2024, 1, 1, 11, 30, 19, 220000, tzinfo=UTC),
        "89C4704A",
    )
    window = PowerLimitWindow(
        datetime(2022, 11, 22, 19, 54, 10, 143000, tzinfo=UTC),
        datetime(2022, 11, 23, 22, 18, 9, 797000, tzinfo=UTC),
        150000,
    )
    await stub_client.set_external_power_limit("g-1", [window])
    block = PriceBlock("2024-01-01T00:00:00.000Z", 60, 0.25)
    await stub_client.set_energy_prices("site-1", [block], as_json_string=True)
    await stub_client.import_rfids(["89C4704A", "59170C5D"])
    bodies = [json.loads(body) for body in stub.bodies]
    assert bodies[0] == {"connectorId": 2, "idTag": "89C4704A", "idTagType": "RFID", "type": "Hard"}
    assert bodies[1] == {
        "ReservationStart": "2024-01-01T08:30:19.220Z",
        "ReservationEnd": "2024-01-01T11:30:19.220Z",
        "AuthorizationType": "RFID",
        "AuthorizationValue": "89C4704A",
    }
    assert reservation.reservation_id == "r-9"
    assert bodies[2] == {
        "source": "home-assistant",
        "externalPowerRateUnit": "W",
        "dynamicPowerLimit": [
            {
                "fromDate": "2022-11-22T19:54:10.143Z",
                "toDate": "2022-11-23T22:18:09.797Z",
                "externalPowerLimit": 150000,
            }
        ],
    }
    assert isinstance(bodies[3]["PricesJsonStr"], str)
    assert json.loads(bodies[3]["PricesJsonStr"]) == {
        "blocks": [{"start": "2024-01-01T00:00:00.000Z", "duration": 60, "price": 0.25}]
    }
    assert bodies[4] == {"interimVehicleIDs": ["89C4704A", "59170C5D"]}
    paths = [path for _, path, _ in stub.api_requests]
    assert paths == [
        "/v1/chargerControl/chargers/CH-01/remoteCommands/unlockConnector",
        "/v1/reservations/chargers/CH-01/connectors/1",
        "/v1/chargerControl/chargerGroups/g-1/externalPowerLimits",
        "/v1/vppController/site-1/energyPrices",
        "/v2/rfid",
    ]
    assert all(auth == "Bearer stub-token" for _, _, auth in stub.api_requests)


async def test_query_parameters(stub: Stub, stub_client: DepotFinityClient) -> None:
    stub.api_replies = [(200, [], {})]
    await stub_client.get_transactions(
        charger_id="CH-01",
        connector_id=2,
        vehicle_id="BUS 7",
        start=datetime(2024, 1, 1, tzinfo=UTC),
        end=datetime(2024, 1, 2, 1, 0, tzinfo=UTC),
        page=3,
        limit=50,
    )
    url = URL(stub.api_requests[0][1])
    assert url.path == "/v2/transactions"
    assert dict(url.query) == {
        "filterBy": "StartAt",
        "orderBy": "StartAt",
        "order": "desc",
        "page": "3",
        "limit": "50",
        "chargerId": "CH-01",
        "connectorId": "2",
        "vehicleId": "BUS 7",
        "from": "2024-01-01T00:00:00.000Z",
        "to": "2024-01-02T01:00:00.000Z",
    }


async def test_get_transaction_accepts_a_one_element_array(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    stub.api_replies = [(200, [{"TransactionID": 5}], {}), (200, [], {})]
    assert (await stub_client.get_transaction(5)).transaction_id == 5
    with pytest.raises(DepotFinityResponseError):
        await stub_client.get_transaction(5)


async def test_session_report_limit_is_clamped(stub: Stub, stub_client: DepotFinityClient) -> None:
    stub.api_replies = [(200, {"items": []}, {})]
    await stub_client.get_session_reports("CH-01", 1, limit=1)
    await stub_client.get_session_reports("CH-01", 1, limit=5000)
    limits = [URL(path).query["limit"] for _, path, _ in stub.api_requests]
    assert limits == ["10", "2000"]


async def test_token_response_variants(stub: Stub, make_stub_client: MakeClient) -> None:
    clock = FakeClock()
    client = make_stub_client(clock=clock)
    # No expires_in: 3600 s assumed; "Bearer" in any case is accepted.
    stub.token_replies = [(200, {"access_token": "t1", "token_type": "Bearer"}, {})]
    await client.authenticate()
    clock.now += 3600 - 61
    assert client.auth.valid()
    clock.now += 2
    assert not client.auth.valid()
    # A very short lifetime refreshes at half of it rather than never being valid.
    stub.token_replies = [(200, {"access_token": "t2", "expires_in": 30}, {})]
    await client.authenticate()
    clock.now += 14
    assert client.auth.valid()
    clock.now += 2
    assert not client.auth.valid()


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ((200, {"token_type": "bearer"}, {}), DepotFinityResponseError),
        ((200, {"access_token": "x", "token_type": "mac"}, {}), DepotFinityResponseError),
        ((200, "<html>", {}), DepotFinityResponseError),
        ((200, ["x"], {}), DepotFinityResponseError),
        ((400, {"error": "invalid_request"}, {}), DepotFinityAuthenticationError),
        ((401, "", {}), DepotFinityAuthenticationError),
        ((500, "", {}), DepotFinityServerError),
        ((503, "", {"Retry-After": "90"}), DepotFinityUnavailableError),
        ((429, "", {}), DepotFinityRateLimitError),
    ],
)
async def test_token_errors(
    stub: Stub, stub_client: DepotFinityClient, reply: object, error: type[Exception]
) -> None:
    stub.token_replies = [reply]  # type: ignore[list-item]
    with pytest.raises(error):
        await stub_client.get_charger_status("CH-01")
    assert stub.api_requests == []
    # Only a 429/503 from the token endpoint starts a back-off (test_api_backoff.py).
    backs_off = issubclass(error, DepotFinityRateLimitError | DepotFinityUnavailableError)
    assert (stub_client.limiter.blocked_for() > 0) is backs_off


async def test_token_timeout(stub: Stub, make_stub_client: MakeClient) -> None:
    stub.token_delay = 0.5
    client = make_stub_client(request_timeout=0.05)
    with pytest.raises(DepotFinityTimeoutError):
        await client.authenticate()


async def test_cancelled_token_fetch_lets_a_waiter_fetch(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    stub.token_delay = 0.05
    first = asyncio.create_task(stub_client.auth.get_token())
    await asyncio.sleep(0.01)
    second = asyncio.create_task(stub_client.auth.get_token())
    await asyncio.sleep(0)
    first.cancel()
    assert await second == "stub-token"
    with pytest.raises(asyncio.CancelledError):
        await first
    assert stub.token_requests == 2


async def test_connection_errors(stub: Stub, make_stub_client: MakeClient) -> None:
    closed = f"http://127.0.0.1:{_closed_port()}"
    auth_down = make_stub_client(api_url=closed, auth_url=closed)
    with pytest.raises(DepotFinityConnectionError) as err:
        await auth_down.authenticate()
    assert err.value.status is None
    api_down = make_stub_client(api_url=closed)
    with pytest.raises(DepotFinityConnectionError) as err:
        await api_down.get_charger_status("CH-01")
    assert not isinstance(err.value, DepotFinityTimeoutError)
    # The token request and the GET, tried twice, each took a slot.
    assert api_down.limiter.used() == 3
    with pytest.raises(DepotFinityConnectionError):
        await api_down.stop_charging("CH-01", 1)
    assert api_down.limiter.used() == 4  # the command was not retried


async def test_dropped_connection_retries_reads_but_not_commands(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    stub.api_replies = [(DROP, "", {}), (200, {"items": [{"status": "Available"}]}, {})]
    assert (await stub_client.get_charger_status("CH-01")).status == "Available"
    assert len(stub.api_requests) == 2
    stub.api_replies = [(DROP, "", {}), (200, {"message": "ok"}, {})]
    with pytest.raises(DepotFinityConnectionError):
        await stub_client.start_charging("CH-01", 1, "89C4704A", priority=Priority.COMMAND)
    assert len(stub.api_requests) == 3


async def test_command_timeout_is_not_retried(stub: Stub, make_stub_client: MakeClient) -> None:
    stub.api_delay = 0.3
    client = make_stub_client(request_timeout=0.1)
    with pytest.raises(DepotFinityTimeoutError):
        await client.start_charging("CH-01", 1, "89C4704A")
    with pytest.raises(DepotFinityTimeoutError):
        await client.get_charger_status("CH-01")
    assert len(stub.api_requests) == 2


def test_region_urls_and_validation() -> None:
    session = cast("aiohttp.ClientSession", object())  # never used: no request is sent
    client = DepotFinityClient(session, "id", "secret", limiter=RequestLimiter())
    assert client.api_url == "https://api.eu.depot.emobility.io"
    assert client.auth_url == "https://clientapp-auth.eu.depot.emobility.io"
    other = DepotFinityClient(session, "id", "secret", region="us")
    assert other.api_url == "https://api.us.depot.emobility.io"
    # Without limiter= every client has a limiter of its own; the owner shares one per host.
    assert isinstance(other.limiter, RequestLimiter)
    assert DepotFinityClient(session, "a", "b", region="us").limiter is not other.limiter
    shared = RequestLimiter()
    assert DepotFinityClient(session, "a", "b", limiter=shared).limiter is shared
    custom = DepotFinityClient(
        session,
        "id",
        "secret",
        api_url="http://127.0.0.1:8080/",
        auth_url="http://127.0.0.1:9/",
        region="not a region",
    )
    assert custom.api_url == "http://127.0.0.1:8080"
    assert custom.auth_url == "http://127.0.0.1:9"
    with pytest.raises(ValueError, match="region"):
        DepotFinityClient(session, "id", "secret", region="eu.evil.example/")


async def test_error_bodies_are_scrubbed_of_request_secrets(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    echo = {"message": "RFID 89C4704A unknown (token stub-token, secret demo-secret)"}
    stub.api_replies = [(404, echo, {})]
    with pytest.raises(DepotFinityError) as err:
        await stub_client.set_rfid_enabled("89C4704A", True)
    for text in (str(err.value), err.value.body or "", err.value.message or ""):
        for secret in ("89C4704A", "stub-token", CLIENT_SECRET):
            assert secret not in text
    assert "**REDACTED**" in (err.value.message or "")
    assert "/v2/rfid/***4A/true" in str(err.value)
