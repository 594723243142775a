"""The client's API self-report: answers, statuses, shapes and surprises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from typing import TYPE_CHECKING

import pytest

from custom_components.depotfinity import api
from custom_components.depotfinity.api import ApiGroup, ApiSelfReport, DepotFinityClient, PriceBlock
from custom_components.depotfinity.api.const import EXPECTED_SHAPES
from depotfinity_simulator import SimulatorConfig

from .conftest import CLIENT_SECRET

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

    from .conftest import Stub


async def _use_every_read_and_write(server: SimulatorServer, client: DepotFinityClient) -> None:
    charger, tag = server.sim.charger_ids[0], server.sim.rfid_tags[0]
    now = server.clock.now()
    await client.get_charger_status(charger)
    await client.get_connector_status(charger, 1)
    await client.get_charger_connectivity(charger)
    transactions = await client.get_transactions(limit=3)
    await client.get_transaction(transactions[0].transaction_id)
    await client.get_session_reports(charger, 1, start=now - timedelta(days=30), end=now)
    await client.get_time_series(charger, "ActivePowerImport")
    created = await client.add_reservation(charger, 2, now, now + timedelta(hours=1), tag)
    await client.list_reservations(charger, 2)
    await client.cancel_reservation(charger, 2, created.reservation_id or "")
    groups = await client.list_charger_groups()
    await client.set_external_power_limit(groups[0].group_id, [])
    await client.set_energy_prices(server.sim.site_ids[0], [PriceBlock("2024-01-01", 60, 0.2)])
    await client.get_energy_prices(server.sim.site_ids[0])
    await client.import_rfids(["89C4704A"])
    await client.set_rfid_enabled("89C4704A", True)
    server.sim.plug_in(charger, 1, auto_start=False)
    await client.start_charging(charger, 1, tag)
    await client.force_terminate(charger)


async def test_spec_conforming_answers_cause_no_surprise(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    await _use_every_read_and_write(server, client)
    assert client.api_surprises() == []
    report = client.api_report()
    json.dumps(report)  # JSON-serialisable
    apis = report["apis"]
    assert set(apis) == {group.value for group in ApiGroup}
    status = apis["Charger Status"]
    assert status["answered"] is True
    assert status["last_status"] == 200
    assert datetime.fromisoformat(status["last_status_at"]).tzinfo is not None
    assert set(status["shapes"]) == {"chargerAvailability", "connectorAvailability", "connectivity"}
    availability = status["shapes"]["chargerAvailability"]
    assert "status" in availability["fields"]
    assert availability["enum_values"]["status"] == ["Available"]
    assert availability["enum_values"]["errorCode"] == ["NoError"]
    assert apis["Remote Commands"]["shapes"]["remoteCommand"]["enum_values"] == {
        "commandType": ["startChargingSession"],
        "response.status": ["Accepted"],
    }
    assert apis["Token Management"]["answered"] is True
    assert apis["Token Management"]["shapes"]["token"]["fields"] == [
        "access_token",
        "expires_in",
        "token_type",
    ]
    assert apis["Virtual Power Plant"]["statuses"] == {"200": 2}
    # Names and enum values only: no id, tag, vehicle id or token appears.
    text = json.dumps(report)
    transactions = await client.get_transactions(limit=50)
    secrets = [*server.sim.charger_ids, *server.sim.rfid_tags, "89C4704A", CLIENT_SECRET]
    secrets += [tx.vehicle_id or "" for tx in transactions]
    secrets += client.auth.secrets  # the token among them
    for secret in filter(None, secrets):
        assert secret not in text


@pytest.mark.parametrize("sim_config", [SimulatorConfig(package="basic")])
async def test_unanswered_and_refused_apis(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    assert client.api_report()["apis"]["Reservations"] == {
        "answered": False,
        "responses": 0,
        "last_status": None,
        "last_status_at": None,
        "statuses": {},
        "shapes": {},
    }
    with pytest.raises(api.DepotFinityPackageError):
        await client.list_reservations(server.sim.charger_ids[0], 1)
    with pytest.raises(api.DepotFinityNotFoundError):
        await client.get_charger_status("CH-99")
    apis = client.api_report()["apis"]
    assert (apis["Reservations"]["answered"], apis["Reservations"]["last_status"]) == (True, 403)
    assert apis["Charger Status"]["statuses"] == {"404": 1}
    assert apis["Reservations"]["shapes"] == {}


async def test_unknown_enum_value_from_the_simulator(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    charger = server.sim.charger_ids[1]
    server.sim.set_status_override(charger, 2, "Hibernating")
    await client.get_connector_status(charger, 2)
    await client.get_connector_status(charger, 2)
    assert client.api_surprises() == [
        {
            "api": "Charger Status",
            "shape": "connectorAvailability",
            "kind": "unknown_value",
            "field": "status",
            "value": "Hibernating",
        }
    ]


async def test_unknown_and_missing_fields(stub: Stub, stub_client: DepotFinityClient) -> None:
    item = {"TransactionID": 1, "ChargerID": "CH-01", "StartAt": None, "BatteryTemp": 31}
    stub.api_replies = [(200, [item, {**item, "TransactionID": 2}], {})]
    await stub_client.get_transactions()
    surprises = stub_client.api_surprises(only_new=True)
    assert {"kind": "unknown_field", "field": "BatteryTemp"} in [
        {"kind": s["kind"], "field": s["field"]} for s in surprises
    ]
    missing = sorted(s["field"] for s in surprises if s["kind"] == "missing_field")
    assert missing == sorted(EXPECTED_SHAPES["transaction"].expected - set(item))
    assert all(s["api"] == "Transactions" and s["shape"] == "transaction" for s in surprises)
    assert all("value" not in s for s in surprises)  # field values are never recorded
    # Each surprise once; only_new returns only those not returned before.
    await stub_client.get_transactions()
    assert stub_client.api_surprises(only_new=True) == []
    assert stub_client.api_surprises() == surprises
    fields = stub_client.api_report()["apis"]["Transactions"]["shapes"]["transaction"]["fields"]
    assert fields == sorted(item)


def test_the_report_is_bounded_and_uses_the_given_clock() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    report = ApiSelfReport(now=lambda: when)
    report.record_status(ApiGroup.VPP, 503)
    body = {"items": [{f"field{n}": n, "status": "x" * 500} for n in range(300)]}
    report.observe(ApiGroup.CHARGER_STATUS, "chargerAvailability", body)
    data = report.as_dict()
    assert data["apis"]["Virtual Power Plant"]["last_status_at"] == when.isoformat()
    shape = data["apis"]["Charger Status"]["shapes"]["chargerAvailability"]
    assert len(shape["fields"]) <= 64
    assert [len(value) for value in shape["enum_values"]["status"]] == [64]
    assert len(data["surprises"]) <= 256
