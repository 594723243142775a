"""Actions against the simulator: happy paths, validation, admin-only, the reservation sensor."""

from __future__ import annotations

import copy
from datetime import timedelta
import json
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import Context, HomeAssistant, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError, Unauthorized
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.service import async_get_all_descriptions
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.depotfinity.api import ApiGroup
from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.devices import (
    charger_identifier,
    connector_identifier,
    group_identifier,
    hub_identifier,
)
from custom_components.depotfinity.repairs import package_issue_id
from custom_components.depotfinity.scheduler import Job, JobKind
from custom_components.depotfinity.services import ACTIONS, ADMIN_ACTIONS
from depotfinity_simulator import SimulatorServer

from .conftest import START
from .helpers import COMMAND_ROUTE, ID_TAG, read_statuses, setup_integration, tick, tick_until

pytestmark = pytest.mark.usefixtures("start_time")

RESERVATIONS_ROUTE = "/v1/reservations/chargers/{chargerId}/connectors/{connectorId}"
NEXT_RESERVATION = "sensor.ch_01_connector_1_next_reservation"
TAG = "59170C5D"


def _device(hass: HomeAssistant, identifier: tuple[str, str]) -> str:
    entry_id = hass.config_entries.async_entries(DOMAIN)[0].entry_id
    device = dr.async_get(hass).async_get_device_by_identifier(identifier, entry_id)
    assert device is not None
    return device.id


def _connector(hass: HomeAssistant, entry: MockConfigEntry, charger: str, number: int) -> str:
    identifier = connector_identifier(entry, charger, number)
    device = dr.async_get(hass).async_get_child_device_by_identifier(identifier, entry.entry_id)
    assert device is not None
    return device.id


def _charger(hass: HomeAssistant, entry: MockConfigEntry, charger: str = "CH-01") -> str:
    return _device(hass, charger_identifier(entry, charger))


def _group(hass: HomeAssistant, entry: MockConfigEntry, simulator: SimulatorServer) -> str:
    return _device(hass, group_identifier(entry, simulator.sim.group_ids[0]))


async def _call(
    hass: HomeAssistant,
    action: str,
    data: dict[str, Any],
    *,
    response: bool = False,
    context: Context | None = None,
) -> Any:
    return await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=response, context=context
    )


def _reservation_reads(simulator: SimulatorServer) -> int:
    """GETs of reservation lists (the POST that adds one has the same route, and 201)."""
    return sum(
        1
        for _, route, status in simulator.sim.stats.log
        if route == RESERVATIONS_ROUTE and status == 200
    )


def _hours(hours: float) -> str:
    return (START + timedelta(hours=hours)).isoformat()


# Registration ---------------------------------------------------------------------------


async def test_actions_are_described(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Every action is registered once at setup and described in services.yaml."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == set(ACTIONS) | set(ADMIN_ACTIONS)
    for name, description in descriptions.items():
        assert description["fields"], name
    assert descriptions["set_power_limit"]["fields"]["schedule"]["selector"]["object"]["multiple"]

    # Unloading the entry keeps the actions (they belong to the integration).
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert hass.services.has_service(DOMAIN, "start_charging")


# Charging and remote commands ---------------------------------------------------------


async def test_start_and_stop_charging(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Start with a connector device, stop with the charger device and a number."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    entry = mock_config_entry
    result = await _call(
        hass, "start_charging", {"device_id": _connector(hass, entry, "CH-01", 2)}, response=True
    )
    assert result == {
        "command_type": "startChargingSession",
        "status": "Accepted",
        "message": "Operation successful: Start charging request has been accepted.",
    }
    assert simulator.sim.connector_status("CH-01", 2) == "Charging"
    assert simulator.sim.snapshot()["chargers"][0]["connectors"][1]["vehicle"]["id_tag"] == ID_TAG

    await _call(hass, "stop_charging", {"device_id": _charger(hass, entry), "connector_id": 2})
    assert simulator.sim.connector_status("CH-01", 2) == "Finishing"


async def test_start_charging_with_another_id_tag(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """The id_tag field overrides the option (and works without one)."""
    await setup_integration(hass, mock_config_entry)
    await _call(
        hass,
        "start_charging",
        {"device_id": _connector(hass, mock_config_entry, "CH-02", 1), "id_tag": "CAFE01"},
    )
    assert simulator.sim.snapshot()["chargers"][1]["connectors"][0]["vehicle"]["id_tag"] == (
        "CAFE01"
    )


async def test_send_remote_command(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Any command type, with a payload; the response is the charger's answer."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    simulator.sim.plug_in("CH-01", 1)
    result = await _call(
        hass,
        "send_remote_command",
        {
            "device_id": _connector(hass, mock_config_entry, "CH-01", 1),
            "command_type": "startChargingSession",
            "id_tag": "BEEF02",
            "id_tag_type": "RFID",
            "payload": {"chargingProfile": {"limit": 32}},
        },
        response=True,
    )
    assert result["status"] == "Accepted"
    assert simulator.sim.connector_status("CH-01", 1) == "Charging"

    # Refused by the charger: the error carries its message.
    with pytest.raises(HomeAssistantError, match="Rejected by the charger"):
        await _call(
            hass,
            "send_remote_command",
            {
                "device_id": _charger(hass, mock_config_entry, "CH-02"),
                "connector_id": 1,
                "command_type": "stopChargingSession",
            },
        )


async def test_action_during_maintenance(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """An action during maintenance fails at once and says when to retry."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    simulator.sim.faults.maintenance(90)
    with pytest.raises(HomeAssistantError, match="retry in 90 seconds"):
        await _call(
            hass, "start_charging", {"device_id": _connector(hass, mock_config_entry, "CH-01", 1)}
        )
    assert simulator.sim.connector_status("CH-01", 1) == "Available"


async def test_force_reconnect(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """The charger device's backend connection is dropped."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await _call(hass, "force_reconnect", {"device_id": _charger(hass, mock_config_entry, "CH-02")})
    chargers = simulator.sim.snapshot()["chargers"]
    assert [charger["connected"] for charger in chargers] == [True, False]


# Reservations -----------------------------------------------------------------------------


async def test_reserve_list_and_cancel(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A reservation is made, listed without its tag, and cancelled."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    device = _connector(hass, mock_config_entry, "CH-01", 1)
    result = await _call(
        hass,
        "reserve_connector",
        {"device_id": device, "start": _hours(0), "end": _hours(2), "rfid_tag": TAG},
        response=True,
    )
    reservation_id = result["reservation_id"]
    reserved = simulator.sim.snapshot()["chargers"][0]["connectors"][0]["reservations"]
    assert [(r["reservationId"], r["AuthorizationValue"]) for r in reserved] == [
        (reservation_id, TAG)
    ]
    assert simulator.sim.connector_status("CH-01", 1) == "Reserved"

    listed = await _call(hass, "list_reservations", {"device_id": device}, response=True)
    assert listed == {
        "reservations": [
            {
                "reservation_id": reservation_id,
                "start": "2026-11-02T08:00:00+00:00",
                "end": "2026-11-02T10:00:00+00:00",
                "authorization_type": "RFID",
                "rfid_tag": "***5D",
            }
        ]
    }
    assert TAG not in str(listed)

    await _call(hass, "cancel_reservation", {"device_id": device, "reservation_id": reservation_id})
    assert simulator.sim.snapshot()["chargers"][0]["connectors"][0]["reservations"] == []
    assert simulator.sim.connector_status("CH-01", 1) == "Available"


async def test_overlapping_reservation_is_refused(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """DepotFinity's own refusal comes back with its message."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    data = {
        "device_id": _connector(hass, mock_config_entry, "CH-01", 1),
        "start": _hours(1),
        "end": _hours(3),
        "rfid_tag": TAG,
    }
    await _call(hass, "reserve_connector", data)
    with pytest.raises(HomeAssistantError, match="overlaps another reservation") as err:
        await _call(hass, "reserve_connector", {**data, "start": _hours(2), "end": _hours(4)})
    assert err.value.translation_key == "request_refused"
    assert len(simulator.sim.snapshot()["chargers"][0]["connectors"][0]["reservations"]) == 1


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_next_reservation_sensor(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The sensor shows the next reservation's start, end and id, never its tag."""
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await tick_until(hass, freezer, coordinator, lambda: _reservation_reads(simulator) == 4)
    assert hass.states.get(NEXT_RESERVATION).state == STATE_UNKNOWN

    result = await _call(
        hass,
        "reserve_connector",
        {
            "device_id": _connector(hass, mock_config_entry, "CH-01", 1),
            "start": _hours(1),
            "end": _hours(2),
            "rfid_tag": TAG,
        },
        response=True,
    )
    # Read at once after the action, not a whole (long) period later.
    await tick_until(hass, freezer, coordinator, lambda: _reservation_reads(simulator) == 5)
    state = hass.states.get(NEXT_RESERVATION)
    assert state.state == "2026-11-02T09:00:00+00:00"
    assert state.attributes["end"] == "2026-11-02T10:00:00+00:00"
    assert state.attributes["reservation_id"] == result["reservation_id"]
    assert TAG not in str(state.attributes)
    assert set(state.attributes) == {"end", "reservation_id", "device_class", "friendly_name"}

    # When it begins the connector turns Reserved: the reservations are read again.
    planner = coordinator.planner
    for job in planner.jobs:  # none is due by its (long) period
        if job.kind is JobKind.RESERVATIONS:
            planner.reschedule(job, 9999)
    await tick(hass, freezer, 3600, simulator)
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1), simulator=simulator)
    assert hass.states.get("sensor.ch_01_connector_1_status").state == "reserved"
    await tick_until(hass, freezer, coordinator, lambda: _reservation_reads(simulator) == 6)
    assert hass.states.get(NEXT_RESERVATION).state == "2026-11-02T09:00:00+00:00"

    # After its end it is gone, without another read.
    await tick(hass, freezer, 3600 + 1, simulator)
    assert hass.states.get(NEXT_RESERVATION).state == STATE_UNKNOWN


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_reservations_outside_the_package(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Without the Reservations API the reads stop (one repair issue) and resume with it."""
    simulator.sim.package = "basic"
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await tick_until(
        hass, freezer, coordinator, lambda: "Reservations" in coordinator.data.disabled_apis
    )
    assert not any(job.kind is JobKind.RESERVATIONS for job in coordinator.planner.jobs)
    issue_id = f"{mock_config_entry.entry_id}_{package_issue_id(ApiGroup.RESERVATIONS)}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    simulator.sim.package = "premium"
    await tick(hass, freezer, 6 * 3600 + 1)
    await tick_until(hass, freezer, coordinator, lambda: not coordinator.data.disabled_apis)
    jobs = [job for job in coordinator.planner.jobs if job.kind is JobKind.RESERVATIONS]
    assert len(jobs) == 4
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_reservations_are_not_read_while_the_sensor_is_disabled(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Disabled by default: reservations cost no request, even after a reservation."""
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    entity = entity_registry.async_get(NEXT_RESERVATION)
    assert entity is not None
    assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await _call(
        hass,
        "reserve_connector",
        {
            "device_id": _connector(hass, mock_config_entry, "CH-01", 1),
            "start": _hours(1),
            "end": _hours(2),
            "rfid_tag": TAG,
        },
    )
    for _ in range(20):
        await tick(hass, freezer, 10)
    assert simulator.sim.stats.requests_by_route[RESERVATIONS_ROUTE] == 1  # the POST
    assert _reservation_reads(simulator) == 0
    assert not any(job.kind is JobKind.RESERVATIONS for job in coordinator.planner.jobs)


# Power limits -------------------------------------------------------------------------------


async def test_set_power_limit_now(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """One limit from now until the end given; the group's number shows it."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await _call(
        hass,
        "set_power_limit",
        {
            "device_id": _group(hass, mock_config_entry, simulator),
            "power_limit": 250.5,
            "end": _hours(3),
        },
    )
    group = simulator.sim.snapshot()["charger_groups"][0]
    assert group["schedule"] == [
        {
            "fromDate": "2026-11-02T08:00:00.000Z",
            "toDate": "2026-11-02T11:00:00.000Z",
            "externalPowerLimitW": 250_500,
        }
    ]
    assert float(hass.states.get("number.group_1_power_limit").state) == 250.5


async def test_times_without_zone_are_local(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A time without a zone (the UI's date-time picker) is Home Assistant's local time."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await _call(
        hass,
        "set_power_limit",
        {
            "device_id": _group(hass, mock_config_entry, simulator),
            "power_limit": 50,
            "end": "2026-11-02 03:00:00",  # US/Pacific in the tests: 11:00 UTC
        },
    )
    group = simulator.sim.snapshot()["charger_groups"][0]
    assert group["schedule"][0]["toDate"] == "2026-11-02T11:00:00.000Z"


async def test_set_power_limit_schedule(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A schedule of windows (any order) becomes dynamicPowerLimit in W."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await _call(
        hass,
        "set_power_limit",
        {
            "device_id": _group(hass, mock_config_entry, simulator),
            "schedule": [
                {"start": _hours(2), "end": _hours(4), "power_limit": 80},
                {"start": _hours(0), "end": _hours(2), "power_limit": 400},
            ],
        },
    )
    group = simulator.sim.snapshot()["charger_groups"][0]
    assert [(w["fromDate"], w["externalPowerLimitW"]) for w in group["schedule"]] == [
        ("2026-11-02T08:00:00.000Z", 400_000),
        ("2026-11-02T10:00:00.000Z", 80_000),
    ]
    assert float(hass.states.get("number.group_1_power_limit").state) == 400


# RFID (administrators only) ---------------------------------------------------------------


async def test_rfid_management(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    hass_admin_user: MockUser,
) -> None:
    """An administrator imports tags and disables one."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    context = Context(user_id=hass_admin_user.id)
    entry_id = mock_config_entry.entry_id
    await _call(
        hass,
        "import_rfids",
        {"config_entry_id": entry_id, "rfid_tags": ["AB12CD34", "00ff00ff"]},
        context=context,
    )
    await _call(
        hass,
        "set_rfid_enabled",
        {"config_entry_id": entry_id, "rfid_tag": "AB12CD34", "enabled": False},
        context=context,
    )
    tags = {item["tag"]: item["enabled"] for item in simulator.sim.snapshot()["rfid"]}
    assert tags["AB12CD34"] is False
    assert tags["00FF00FF"] is True


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("import_rfids", {"rfid_tags": ["AB12CD34"]}),
        ("set_rfid_enabled", {"rfid_tag": "AB12CD34", "enabled": True}),
    ],
)
async def test_rfid_actions_are_admin_only(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    hass_read_only_user: MockUser,
    action: str,
    data: dict[str, Any],
) -> None:
    """A user who is not an administrator is refused before anything is sent."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    before = simulator.sim.stats.total_requests
    with pytest.raises(Unauthorized):
        await _call(
            hass,
            action,
            {"config_entry_id": mock_config_entry.entry_id, **data},
            context=Context(user_id=hass_read_only_user.id),
        )
    assert simulator.sim.stats.total_requests == before
    assert "AB12CD34" not in {item["tag"] for item in simulator.sim.snapshot()["rfid"]}


# Reads ----------------------------------------------------------------------------------------


async def test_get_transactions(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """One page of transactions, filtered; RFID tags are left out."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    result = await _call(
        hass,
        "get_transactions",
        {
            "config_entry_id": mock_config_entry.entry_id,
            "charger_id": "CH-02",
            "connector_id": 1,
            "start": _hours(-24 * 30),
            "end": _hours(0),
            "order_by": "end_at",
            "order": "asc",
            "limit": 5,
        },
        response=True,
    )
    transactions = result["transactions"]
    assert 0 < len(transactions) <= 5
    assert {(t["charger_id"], t["connector_id"]) for t in transactions} == {("CH-02", 1)}
    ends = [t["end"] for t in transactions]
    assert ends == sorted(ends)
    assert "id_tag" not in transactions[0]
    assert set(transactions[0]) == {
        "transaction_id",
        "charger_id",
        "connector_id",
        "start",
        "end",
        "initial_soc",
        "end_soc",
        "energy_delivered_wh",
        "end_result",
        "vehicle_id",
    }


async def test_get_session_reports(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Raw reports of an HPC charger's connector."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    result = await _call(
        hass,
        "get_session_reports",
        {
            "device_id": _connector(hass, mock_config_entry, "CH-01", 1),
            "start": _hours(-24 * 30),
            "end": _hours(0),
            "limit": 10,
        },
        response=True,
    )
    assert result["charger_id"] == "CH-01"
    assert result["connector_id"] == 1
    assert result["reports"]
    assert "ocppStatus" in result["reports"][0]


async def test_energy_prices(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Prices of a site are written and read back."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    entry_id = mock_config_entry.entry_id
    await _call(
        hass,
        "set_energy_prices",
        {
            "config_entry_id": entry_id,
            "site_id": "site-1",
            "blocks": [
                {"start": _hours(0), "duration": 60, "price": 0.31},
                {"start": _hours(1), "duration": 60, "price": 0.12},
            ],
        },
    )
    result = await _call(
        hass, "get_energy_prices", {"config_entry_id": entry_id, "site_id": "site-1"}, response=True
    )
    assert result == {
        "blocks": [
            {"start": "2026-11-02T08:00:00.000Z", "duration": 60, "price": 0.31},
            {"start": "2026-11-02T09:00:00.000Z", "duration": 60, "price": 0.12},
        ]
    }


# Validation: each problem has its own message, and nothing is sent ---------------------------

CONNECTOR_1 = "connector:CH-01:1"
# What a case does not set is valid.
VALID: dict[str, dict[str, Any]] = {
    "reserve_connector": {"start": 0, "end": 1, "rfid_tag": TAG},
}
CHARGER_1 = "charger:CH-01"
GROUP = "group"


@pytest.mark.parametrize(
    ("action", "data", "key"),
    [
        # Time windows
        ("reserve_connector", {"device_id": CONNECTOR_1, "start": 2, "end": 1}, "end_before_start"),
        ("reserve_connector", {"device_id": CONNECTOR_1, "start": 1, "end": 1}, "end_before_start"),
        ("reserve_connector", {"device_id": CONNECTOR_1, "start": -3, "end": -1}, "end_in_past"),
        ("set_power_limit", {"device_id": GROUP, "power_limit": 10, "end": -1}, "end_in_past"),
        (
            "set_power_limit",
            {
                "device_id": GROUP,
                "schedule": [
                    {"start": 0, "end": 2, "power_limit": 10},
                    {"start": 1, "end": 3, "power_limit": 20},
                ],
            },
            "windows_overlap",
        ),
        (
            "set_power_limit",
            {"device_id": GROUP, "schedule": [{"start": 3, "end": 2, "power_limit": 10}]},
            "end_before_start",
        ),
        # Limits
        ("set_power_limit", {"device_id": GROUP, "power_limit": -1}, "invalid_power_limit"),
        ("set_power_limit", {"device_id": GROUP, "power_limit": 2001}, "invalid_power_limit"),
        (
            "set_power_limit",
            {"device_id": GROUP, "schedule": [{"start": 0, "end": 1, "power_limit": 5000}]},
            "invalid_power_limit",
        ),
        ("set_power_limit", {"device_id": GROUP}, "limit_or_schedule"),
        (
            "set_power_limit",
            {"device_id": GROUP, "power_limit": 5, "schedule": []},
            "limit_or_schedule",
        ),
        ("set_power_limit", {"device_id": GROUP, "schedule": []}, "schedule_empty"),
        # Devices and connectors
        ("start_charging", {"device_id": "no-such-device"}, "not_a_charger_device"),
        ("start_charging", {"device_id": GROUP}, "not_a_charger_device"),
        ("start_charging", {"device_id": "hub"}, "not_a_charger_device"),
        ("force_reconnect", {"device_id": GROUP}, "not_a_charger_device"),
        ("set_power_limit", {"device_id": CHARGER_1, "power_limit": 5}, "not_a_group_device"),
        ("start_charging", {"device_id": CHARGER_1}, "connector_required"),
        ("stop_charging", {"device_id": CHARGER_1, "connector_id": 5}, "unknown_connector"),
        ("stop_charging", {"device_id": CONNECTOR_1, "connector_id": 2}, "connector_mismatch"),
        # Ids that would change the URL
        (
            "cancel_reservation",
            {"device_id": CONNECTOR_1, "reservation_id": "../x"},
            "invalid_id",
        ),
        ("get_energy_prices", {"site_id": "a/b"}, "invalid_id"),
        ("set_energy_prices", {"site_id": "../site-1", "blocks": []}, "invalid_id"),
        ("get_transactions", {"charger_id": "../CH-01"}, "invalid_id"),
        ("get_transactions", {"vehicle_id": "a/b"}, "invalid_id"),
        (
            "send_remote_command",
            {"device_id": CONNECTOR_1, "command_type": "a/b"},
            "invalid_command_type",
        ),
        (
            "send_remote_command",
            {"device_id": CONNECTOR_1, "command_type": "reset", "id_tag_type": "../x"},
            "invalid_id",
        ),
        # Tags
        ("reserve_connector", {"device_id": CONNECTOR_1, "rfid_tag": "XYZ123"}, "invalid_rfid_tag"),
        ("reserve_connector", {"device_id": CONNECTOR_1, "rfid_tag": "ABC"}, "invalid_rfid_tag"),
        ("import_rfids", {"rfid_tags": ["AB12CD34", "0" * 21]}, "invalid_rfid_tag"),
        ("import_rfids", {"rfid_tags": []}, "rfid_list_empty"),
        ("set_rfid_enabled", {"rfid_tag": "../12AB", "enabled": True}, "invalid_rfid_tag"),
        ("start_charging", {"device_id": CONNECTOR_1, "id_tag": "no spaces"}, "invalid_id_tag"),
        # Payloads and prices
        (
            "send_remote_command",
            {"device_id": CONNECTOR_1, "command_type": "x", "payload": {"connectorId": 2}},
            "payload_reserved_key",
        ),
        ("set_energy_prices", {"site_id": "site-1", "blocks": []}, "blocks_empty"),
        (
            "set_energy_prices",
            {"site_id": "site-1", "blocks": [{"start": 0, "duration": 0, "price": 1}]},
            "invalid_block_duration",
        ),
        ("get_transactions", {"start": 1, "end": 0}, "end_before_start"),
        (
            "get_session_reports",
            {"device_id": CONNECTOR_1, "start": 0, "end": -1},
            "end_before_start",
        ),
    ],
)
async def test_invalid_input(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    hass_admin_user: MockUser,
    action: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Each problem is its own translated validation error; nothing is sent or changed."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    entry = mock_config_entry
    devices = {
        CONNECTOR_1: _connector(hass, entry, "CH-01", 1),
        CHARGER_1: _charger(hass, entry),
        GROUP: _group(hass, entry, simulator),
        "hub": _device(hass, hub_identifier(entry)),
    }
    full: dict[str, Any] = {**VALID.get(action, {}), **copy.deepcopy(data)}
    assert set(full) <= _fields(action)
    for field in ("start", "end"):
        if isinstance(full.get(field), int):
            full[field] = _hours(full[field])
    for window in [*full.get("schedule", []), *full.get("blocks", [])]:
        for field in ("start", "end"):
            if field in window:
                window[field] = _hours(window[field])
    if "device_id" in full:
        full["device_id"] = devices.get(full["device_id"], full["device_id"])
    else:
        full["config_entry_id"] = entry.entry_id
    before = simulator.sim.snapshot()
    requests = simulator.sim.stats.total_requests
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            action,
            full,
            response=ACTIONS.get(action, ADMIN_ACTIONS.get(action))[2] is SupportsResponse.ONLY,
            context=Context(user_id=hass_admin_user.id),
        )
    assert err.value.translation_key == key
    assert err.value.translation_domain == DOMAIN
    assert str(err.value)  # the message is translated
    assert simulator.sim.stats.total_requests == requests
    assert simulator.sim.snapshot() == before


def _fields(action: str) -> set[str]:
    schema = {**ACTIONS, **ADMIN_ACTIONS}[action][1].schema
    return {str(key) for key in schema}


async def test_missing_id_tag(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Without id_tag and without the option, the user is told to set one."""
    await setup_integration(hass, mock_config_entry)
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass, "start_charging", {"device_id": _connector(hass, mock_config_entry, "CH-01", 1)}
        )
    assert err.value.translation_key == "id_tag_missing"
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 0


async def test_unknown_or_unloaded_entry(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Account actions need a loaded DepotFinity entry; device actions a device of one."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    other = MockConfigEntry(domain="other_domain")
    other.add_to_hass(hass)
    device = _connector(hass, mock_config_entry, "CH-01", 1)
    foreign = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_domain", "x")}
    )
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "force_reconnect", {"device_id": foreign.id})
    assert err.value.translation_key == "not_a_charger_device"
    for entry_id in ("nope", other.entry_id):
        with pytest.raises(ServiceValidationError) as err:
            await _call(
                hass,
                "get_energy_prices",
                {"config_entry_id": entry_id, "site_id": "site-1"},
                response=True,
            )
        assert err.value.translation_key == "entry_not_found"

    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "get_energy_prices",
            {"config_entry_id": mock_config_entry.entry_id, "site_id": "site-1"},
            response=True,
        )
    assert err.value.translation_key == "entry_not_loaded"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "stop_charging", {"device_id": device})
    assert err.value.translation_key == "entry_not_loaded"


async def test_every_validation_message_exists(hass: HomeAssistant) -> None:
    """Every translation key the actions can raise has a message."""
    root = Path(__file__).parent.parent / "custom_components" / DOMAIN
    strings = json.loads((root / "strings.json").read_text())["exceptions"]
    source = "".join((root / name).read_text() for name in ("services.py", "commands.py"))
    keys = set(re.findall(r'_invalid\(\s*"(\w+)"', source))
    keys |= set(re.findall(r'translation_key="(\w+)"', source))
    assert keys
    assert keys <= set(strings)
    assert (root / "translations" / "en.json").read_text() == (root / "strings.json").read_text()


async def test_follow_up_after_a_command(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """After a start the connector's status is read again within seconds."""
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    job = Job(JobKind.CONNECTOR_STATUS, "CH-02", 2)
    coordinator.planner.reschedule(job, 600)
    await _call(
        hass, "start_charging", {"device_id": _connector(hass, mock_config_entry, "CH-02", 2)}
    )
    assert coordinator.planner.due_in(job) == 3
