"""The price site subentry flow and the currency option, against the simulator."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.const import (
    CONF_BUDGET_SHARE,
    CONF_CURRENCY,
    CONF_NAME,
    CONF_SITE_CHARGERS,
    CONF_SITE_ID,
    SUBENTRY_SITE,
)
from depotfinity_simulator import SimulatorServer

from .helpers import retry_placeholders, service_fault


@pytest.fixture(autouse=True)
def mock_setup_entry() -> Any:
    """Do not set the entry up after a flow (tested with the sensors)."""
    with patch("custom_components.depotfinity.async_setup_entry", return_value=True) as mock:
        yield mock


@pytest.fixture
def entry(hass: HomeAssistant, mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """The simulator's account with chargers CH-01 and CH-02, added to Home Assistant."""
    mock_config_entry.add_to_hass(hass)
    return mock_config_entry


def _sites(entry: MockConfigEntry) -> list[ConfigSubentry]:
    return [s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_SITE]


async def _add(hass: HomeAssistant, entry: MockConfigEntry, data: dict[str, Any]) -> Any:
    """Start the site flow, check its form, and submit it once."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_SITE), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"].schema
    chargers = next(schema[key] for key in schema if key == CONF_SITE_CHARGERS)
    assert [option["value"] for option in chargers.config["options"]] == ["CH-01", "CH-02"]
    return await hass.config_entries.subentries.async_configure(result["flow_id"], data)


async def test_site_added_and_changed(
    hass: HomeAssistant, simulator: SimulatorServer, entry: MockConfigEntry
) -> None:
    """A site is checked with DepotFinity, added once, then renamed and given other chargers."""
    data = {CONF_SITE_ID: "site-1\n", CONF_NAME: "Grid", CONF_SITE_CHARGERS: ["CH-02"]}
    result = await _add(hass, entry, data)
    assert (result["type"], result["title"]) == (FlowResultType.CREATE_ENTRY, "Grid")
    (site,) = _sites(entry)
    assert site.unique_id == "site-1"
    assert dict(site.data) == {
        CONF_SITE_ID: "site-1",
        CONF_NAME: "Grid",
        CONF_SITE_CHARGERS: ["CH-02"],
    }
    assert (await _add(hass, entry, data))["reason"] == "already_configured"

    result = await entry.start_subentry_reconfigure_flow(hass, site.subentry_id)
    assert result["step_id"] == "reconfigure"
    # Chargers are kept in the entry's order; an empty name gives the site id.
    change = {CONF_NAME: "", CONF_SITE_CHARGERS: ["CH-02", "CH-01"]}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], change)
    assert result["reason"] == "reconfigure_successful"
    (site,) = _sites(entry)
    assert site.title == "site-1"
    assert dict(site.data) == {
        CONF_SITE_ID: "site-1",
        CONF_NAME: "site-1",
        CONF_SITE_CHARGERS: ["CH-01", "CH-02"],
    }


@pytest.mark.parametrize(
    ("site_id", "fault", "errors"),
    [
        ("site-404", None, {CONF_SITE_ID: "site_not_found"}),
        ("../x", None, {CONF_SITE_ID: "invalid_id"}),
        ("site-1", "package", {"base": "prices_not_subscribed"}),
        ("site-1", "down", {"base": "cannot_connect"}),
        ("site-1", "503", {"base": "maintenance"}),
        ("site-1", "429", {"base": "rate_limited"}),
    ],
)
async def test_site_errors(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    entry: MockConfigEntry,
    site_id: str,
    fault: str | None,
    errors: dict[str, str],
) -> None:
    """A typo, an unknown site, no Premium package or a busy service: nothing is added."""
    if fault == "package":
        simulator.sim.package = "advanced"
    with service_fault(simulator, None if fault == "package" else fault, "get_energy_prices"):
        result = await _add(hass, entry, {CONF_SITE_ID: site_id})
    assert result["errors"] == errors
    assert result["description_placeholders"] == {"id": site_id, **retry_placeholders(fault)}
    assert not _sites(entry)


async def test_the_currency_option(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Home Assistant's currency is offered; another one chosen is stored."""
    hass.config.currency = "SEK"
    result = await hass.config_entries.options.async_init(entry.entry_id)
    schema = result["data_schema"].schema
    currency = next(key for key in schema if key == CONF_CURRENCY)
    assert currency.description == {"suggested_value": "SEK"}
    assert "NOK" in schema[currency].config["options"]
    data = {CONF_BUDGET_SHARE: 100, CONF_CURRENCY: "NOK"}
    result = await hass.config_entries.options.async_configure(result["flow_id"], data)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_BUDGET_SHARE: 100, CONF_CURRENCY: "NOK"}
