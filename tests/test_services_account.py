"""Account actions against the simulator: RFID (admins only), reads, prices, entry checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from depotfinity_simulator import SimulatorServer

from .test_services_helpers import call, connector_device, hours

RFID_ACTIONS = [
    ("import_rfids", {"rfid_tags": ["AB12CD34"]}),
    ("set_rfid_enabled", {"rfid_tag": "AB12CD34", "enabled": True}),
]


def _rfid_tags(simulator: SimulatorServer) -> dict[str, bool]:
    return {item["tag"]: item["enabled"] for item in simulator.sim.snapshot()["rfid"]}


async def test_rfid_management(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    hass_admin_user: MockUser,
) -> None:
    """An administrator imports tags and disables one."""
    context = Context(user_id=hass_admin_user.id)
    entry_id = init_integration.entry_id
    tags = {"config_entry_id": entry_id, "rfid_tags": ["AB12CD34", "00ff00ff"]}
    await call(hass, "import_rfids", tags, context=context)
    disable = {"config_entry_id": entry_id, "rfid_tag": "AB12CD34", "enabled": False}
    await call(hass, "set_rfid_enabled", disable, context=context)
    assert _rfid_tags(simulator)["AB12CD34"] is False
    assert _rfid_tags(simulator)["00FF00FF"] is True


@pytest.mark.parametrize(("action", "data"), RFID_ACTIONS)
async def test_rfid_actions_are_admin_only(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    hass_read_only_user: MockUser,
    action: str,
    data: dict[str, Any],
) -> None:
    """A user who is not an administrator is refused before anything is sent."""
    before = simulator.sim.stats.total_requests
    with pytest.raises(Unauthorized):
        await call(
            hass,
            action,
            {"config_entry_id": init_integration.entry_id, **data},
            context=Context(user_id=hass_read_only_user.id),
        )
    assert simulator.sim.stats.total_requests == before
    assert "AB12CD34" not in _rfid_tags(simulator)


async def test_get_transactions(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """One page of transactions, filtered; RFID tags are left out."""
    query = {
        "config_entry_id": init_integration.entry_id,
        "charger_id": "CH-02",
        "connector_id": 1,
        "start": hours(-24 * 30),
        "end": hours(0),
        "order_by": "end_at",
        "order": "asc",
        "limit": 5,
    }
    result = await call(hass, "get_transactions", query, response=True)
    transactions = result["transactions"]
    assert 0 < len(transactions) <= 5
    assert {(t["charger_id"], t["connector_id"]) for t in transactions} == {("CH-02", 1)}
    ends = [t["end"] for t in transactions]
    assert ends == sorted(ends)
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
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Raw reports of an HPC charger's connector."""
    device_id = connector_device(hass, init_integration)
    query = {"device_id": device_id, "start": hours(-24 * 30), "end": hours(0), "limit": 10}
    result = await call(hass, "get_session_reports", query, response=True)
    assert (result["charger_id"], result["connector_id"]) == ("CH-01", 1)
    assert result["reports"]
    assert "ocppStatus" in result["reports"][0]


async def test_energy_prices(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Prices of a site are written and read back."""
    site = {"config_entry_id": init_integration.entry_id, "site_id": "site-1"}
    blocks = [
        {"start": hours(0), "duration": 60, "price": 0.31},
        {"start": hours(1), "duration": 60, "price": 0.12},
    ]
    await call(hass, "set_energy_prices", {**site, "blocks": blocks})
    result = await call(hass, "get_energy_prices", site, response=True)
    assert result == {
        "blocks": [
            {"start": "2026-11-02T08:00:00.000Z", "duration": 60, "price": 0.31},
            {"start": "2026-11-02T09:00:00.000Z", "duration": 60, "price": 0.12},
        ]
    }


async def _refused(
    hass: HomeAssistant, action: str, data: dict[str, Any]
) -> ServiceValidationError:
    """The validation error an action call raises."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, action, data, response=action.startswith("get_"))
    return err.value


async def test_unknown_or_unloaded_entry(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Account actions need a loaded DepotFinity entry (Home Assistant's own checks)."""
    other = MockConfigEntry(domain="other_domain", title="Other")
    other.add_to_hass(hass)
    for entry_id, key in (
        ("nope", "service_config_entry_not_found"),
        (other.entry_id, "service_config_entry_wrong_domain"),
    ):
        err = await _refused(
            hass, "get_energy_prices", {"config_entry_id": entry_id, "site_id": "site-1"}
        )
        assert (err.translation_domain, err.translation_key) == (HOMEASSISTANT_DOMAIN, key)

    await hass.config_entries.async_unload(init_integration.entry_id)
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    err = await _refused(
        hass,
        "get_energy_prices",
        {"config_entry_id": init_integration.entry_id, "site_id": "site-1"},
    )
    assert err.translation_key == "service_config_entry_not_loaded"


async def test_device_errors_name_devices(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Device errors name the device as the user named it, never by its id."""
    registry = dr.async_get(hass)
    other = MockConfigEntry(domain="other_domain")
    other.add_to_hass(hass)
    foreign = registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_domain", "x")}, name="Kettle"
    )
    err = await _refused(hass, "force_reconnect", {"device_id": foreign.id})
    assert (err.translation_key, str(err)) == (
        "not_a_charger_device",
        "Kettle is not a DepotFinity charger or connector",
    )
    err = await _refused(hass, "force_reconnect", {"device_id": "gone"})
    assert err.translation_key == "device_not_found"

    device = connector_device(hass, init_integration)
    charger = registry.async_get(device)
    assert charger is not None
    registry.async_update_device(charger.parent_device_id, name_by_user="Bay 3")
    err = await _refused(hass, "stop_charging", {"device_id": device, "connector_id": 2})
    assert str(err) == (
        "The selected device is Bay 3 connector 1; connector_id 2 does not match it"
    )
    err = await _refused(hass, "set_power_limit", {"device_id": device, "power_limit": 1})
    assert str(err) == "Bay 3 connector 1 is not a DepotFinity charger group"

    await hass.config_entries.async_unload(init_integration.entry_id)
    err = await _refused(hass, "stop_charging", {"device_id": device})
    assert str(err) == (
        "Bay 3 connector 1 cannot be used now: "
        f"its DepotFinity entry {init_integration.title} is not loaded"
    )
    for message in (str(err), str(err.translation_placeholders)):
        assert device not in message


@pytest.mark.parametrize("bound", ["start", "end"])
async def test_get_transactions_open_period(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry, bound: str
) -> None:
    """A period open at one end is bounded by the other (sessions by their start)."""
    limit = hours(-24 * 3)
    data = {"config_entry_id": init_integration.entry_id, bound: limit, "limit": 100}
    result = await call(hass, "get_transactions", data, response=True)
    starts = [datetime.fromisoformat(t["start"]) for t in result["transactions"]]
    assert starts
    if bound == "start":
        assert min(starts) >= datetime.fromisoformat(limit)
    else:
        assert max(starts) <= datetime.fromisoformat(limit)
