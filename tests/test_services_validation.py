"""Input checks of the actions: each problem has its own message, and nothing is sent."""

from __future__ import annotations

import copy
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import Context, HomeAssistant, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.depotfinity import create_client, validation
from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.services import ACTIONS
from custom_components.depotfinity.subentry_flows import check_charger
from depotfinity_simulator import SimulatorServer

from .entries import entry_data
from .helpers import ID_TAG
from .test_services_helpers import (
    TAG,
    call,
    charger_device,
    connector_device,
    group_device,
    hours,
    hub_device,
)

ROOT = Path(__file__).parent.parent / "custom_components" / DOMAIN

CONNECTOR_1 = "connector:CH-01:1"
CHARGER_1 = "charger:CH-01"
GROUP = "group"
HUB = "hub"
# What a case does not set is valid.
VALID: dict[str, dict[str, Any]] = {
    "reserve_connector": {"start": 0, "end": 1, "rfid_tag": TAG},
}


@pytest.mark.parametrize(
    ("check", "value", "valid"),
    [
        (validation.is_valid_id, "CH-01", True),
        (validation.is_valid_id, "CH-01\n", False),
        (validation.is_valid_id, "../CH-01", False),
        (validation.is_valid_id_tag, ID_TAG, True),
        (validation.is_valid_id_tag, f"{ID_TAG}\n", False),
        (validation.is_valid_rfid, TAG, True),
        (validation.is_valid_rfid, f"{TAG}\n", False),
        (validation.is_valid_command_type, "reset", True),
        (validation.is_valid_command_type, "reset\n", False),
    ],
)
def test_patterns_match_whole_values(check: Any, value: str, valid: bool) -> None:
    """A trailing newline is not part of a valid id, idTag, RFID tag or command type."""
    assert check(value) is valid


async def test_check_charger_refuses_a_trailing_newline(
    hass: HomeAssistant, simulator: SimulatorServer
) -> None:
    """The config flow's charger check refuses an id with a trailing newline, unasked."""
    client = create_client(hass, entry_data(simulator))
    errors, _ = await check_charger(client, "CH-01\n", "field")
    assert errors == {"field": "invalid_id"}
    assert simulator.sim.stats.total_requests == 0
    assert await check_charger(client, "CH-01", "field") == ({}, {"id": "CH-01"})


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
        ("get_transactions", {"start": 1, "end": 0}, "end_before_start"),
        (
            "get_session_reports",
            {"device_id": CONNECTOR_1, "start": 0, "end": -1},
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
        ("start_charging", {"device_id": "no-such-device"}, "device_not_found"),
        ("start_charging", {"device_id": GROUP}, "not_a_charger_device"),
        ("start_charging", {"device_id": HUB}, "not_a_charger_device"),
        ("force_reconnect", {"device_id": GROUP}, "not_a_charger_device"),
        ("set_power_limit", {"device_id": CHARGER_1, "power_limit": 5}, "not_a_group_device"),
        ("start_charging", {"device_id": CHARGER_1}, "connector_required"),
        ("stop_charging", {"device_id": CHARGER_1, "connector_id": 5}, "unknown_connector"),
        ("stop_charging", {"device_id": CONNECTOR_1, "connector_id": 2}, "connector_mismatch"),
        # Ids that would change the URL (a trailing newline included)
        ("cancel_reservation", {"device_id": CONNECTOR_1, "reservation_id": "../x"}, "invalid_id"),
        ("cancel_reservation", {"device_id": CONNECTOR_1, "reservation_id": "r1\n"}, "invalid_id"),
        ("get_energy_prices", {"site_id": "a/b"}, "invalid_id"),
        ("set_energy_prices", {"site_id": "../site-1", "blocks": []}, "invalid_id"),
        ("get_transactions", {"charger_id": "../CH-01"}, "invalid_id"),
        ("get_transactions", {"charger_id": "CH-01\n"}, "invalid_id"),
        ("get_transactions", {"vehicle_id": "a/b"}, "invalid_id"),
        (
            "send_remote_command",
            {"device_id": CONNECTOR_1, "command_type": "a/b"},
            "invalid_command_type",
        ),
        (
            "send_remote_command",
            {"device_id": CONNECTOR_1, "command_type": "reset\n"},
            "invalid_command_type",
        ),
        (
            "send_remote_command",
            {"device_id": CONNECTOR_1, "command_type": "reset", "id_tag_type": "../x"},
            "invalid_id",
        ),
        # Tags (a trailing newline included)
        ("reserve_connector", {"device_id": CONNECTOR_1, "rfid_tag": "XYZ123"}, "invalid_rfid_tag"),
        ("reserve_connector", {"device_id": CONNECTOR_1, "rfid_tag": "ABC"}, "invalid_rfid_tag"),
        (
            "reserve_connector",
            {"device_id": CONNECTOR_1, "rfid_tag": f"{TAG}\n"},
            "invalid_rfid_tag",
        ),
        ("import_rfids", {"rfid_tags": ["AB12CD34", "0" * 21]}, "invalid_rfid_tag"),
        ("import_rfids", {"rfid_tags": ["AB12CD34\n"]}, "invalid_rfid_tag"),
        ("import_rfids", {"rfid_tags": []}, "rfid_list_empty"),
        ("set_rfid_enabled", {"rfid_tag": "../12AB", "enabled": True}, "invalid_rfid_tag"),
        ("start_charging", {"device_id": CONNECTOR_1, "id_tag": "no spaces"}, "invalid_id_tag"),
        ("start_charging", {"device_id": CONNECTOR_1, "id_tag": f"{ID_TAG}\n"}, "invalid_id_tag"),
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
    ],
)
async def test_invalid_input(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    hass_admin_user: MockUser,
    action: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Each problem is its own translated validation error; nothing is sent or changed."""
    entry = init_integration
    devices = {
        CONNECTOR_1: connector_device(hass, entry),
        CHARGER_1: charger_device(hass, entry),
        GROUP: group_device(hass, entry, simulator),
        HUB: hub_device(hass, entry),
    }
    full: dict[str, Any] = {**VALID.get(action, {}), **copy.deepcopy(data)}
    assert set(full) <= {str(field) for field in ACTIONS[action].schema.schema}
    for item in (full, *full.get("schedule", []), *full.get("blocks", [])):
        for field in ("start", "end"):
            if isinstance(item.get(field), int):
                item[field] = hours(item[field])
    if "device_id" in full:
        full["device_id"] = devices.get(full["device_id"], full["device_id"])
    else:
        full["config_entry_id"] = entry.entry_id
    before = simulator.sim.snapshot()
    requests = simulator.sim.stats.total_requests
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            action,
            full,
            response=ACTIONS[action].supports_response is SupportsResponse.ONLY,
            context=Context(user_id=hass_admin_user.id),
        )
    assert (err.value.translation_domain, err.value.translation_key) == (DOMAIN, key)
    message = str(err.value)
    assert message  # translated
    assert not any(device_id in message for device_id in devices.values())
    assert simulator.sim.stats.total_requests == requests
    assert simulator.sim.snapshot() == before


def test_every_validation_message_exists() -> None:
    """Every translation key the actions can raise has a message; en.json is strings.json."""
    strings = json.loads((ROOT / "strings.json").read_text())["exceptions"]
    sources = [*sorted((ROOT / "services").glob("*.py")), ROOT / "validation.py"]
    source = "".join(path.read_text() for path in [*sources, ROOT / "commands.py"])
    keys = set(re.findall(r'invalid\(\s*"(\w+)"', source))
    keys |= set(re.findall(r'translation_key="(\w+)"', source))
    keys |= set(re.findall(r'_device\(call, "(\w+)"', source))
    assert {"device_not_found", "not_a_group_device", "invalid_rfid_tag"} <= keys
    assert keys <= set(strings)
    assert (ROOT / "translations" / "en.json").read_text() == (ROOT / "strings.json").read_text()
