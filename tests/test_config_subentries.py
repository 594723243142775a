"""The options flow and the charger and charger-group subentry flows, against the simulator."""

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
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_ID_TAG,
    CONF_NAME,
    CONF_SHOW_VEHICLE_ID,
    DOMAIN,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
)
from depotfinity_simulator import SimulatorServer

from .conftest import CLIENT_ID
from .entries import entry_data
from .helpers import retry_placeholders, service_fault


@pytest.fixture(autouse=True)
def mock_setup_entry() -> Any:
    """Do not set the entry up after a flow (tested in test_init)."""
    with patch("custom_components.depotfinity.async_setup_entry", return_value=True) as mock:
        yield mock


@pytest.mark.parametrize(
    ("data", "errors", "options"),
    [
        ({CONF_ID_TAG: "not a tag!", CONF_BUDGET_SHARE: 100}, {CONF_ID_TAG: "invalid_id_tag"}, {}),
        ({CONF_ID_TAG: " 89C4704A\n", CONF_BUDGET_SHARE: 60}, None, {CONF_ID_TAG: "89C4704A"}),
        ({CONF_BUDGET_SHARE: 60}, None, {}),
        ({CONF_BUDGET_SHARE: 60, CONF_SHOW_VEHICLE_ID: False}, None, {}),
        (
            {CONF_BUDGET_SHARE: 60, CONF_SHOW_VEHICLE_ID: True},
            None,
            {CONF_SHOW_VEHICLE_ID: True},
        ),
    ],
)
async def test_options(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    data: dict[str, Any],
    errors: dict[str, str] | None,
    options: dict[str, Any],
) -> None:
    """The remote-start tag is validated (typed blanks around it dropped); the share stored.

    Vehicle IDs in full is stored only when switched on.
    """
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(result["flow_id"], data)
    assert result.get("errors") == errors
    if errors is None:
        assert mock_config_entry.options == {CONF_BUDGET_SHARE: 60, **options}
    else:
        assert mock_config_entry.options == {}


@pytest.fixture
def bare_entry(hass: HomeAssistant, simulator: SimulatorServer) -> MockConfigEntry:
    """An entry for the simulator's account without chargers or groups."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id=CLIENT_ID, data=entry_data(simulator))
    entry.add_to_hass(hass)
    return entry


async def _add(hass: HomeAssistant, entry: MockConfigEntry, kind: str, data: dict[str, Any]) -> Any:
    """Start a subentry flow and submit its form once."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, kind), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return await hass.config_entries.subentries.async_configure(result["flow_id"], data)


async def _rename(hass: HomeAssistant, entry: MockConfigEntry, data: dict[str, Any]) -> Any:
    """Reconfigure the entry's only subentry."""
    subentry: ConfigSubentry = next(iter(entry.subentries.values()))
    result = await entry.start_subentry_reconfigure_flow(hass, subentry.subentry_id)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], data)
    assert result["reason"] == "reconfigure_successful"
    return entry.subentries[subentry.subentry_id]


@pytest.mark.parametrize(
    ("charger_id", "fault", "errors"),
    [
        ("CH-404", None, {CONF_CHARGER_ID: "charger_not_found"}),
        ("bad id", None, {CONF_CHARGER_ID: "invalid_id"}),
        ("CH-02", "down", {CONF_CHARGER_ID: "cannot_connect"}),
        ("CH-02", "503", {"base": "maintenance"}),
        ("CH-02", "429", {"base": "rate_limited"}),
    ],
)
async def test_charger_subentry_errors(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    bare_entry: MockConfigEntry,
    charger_id: str,
    fault: str | None,
    errors: dict[str, str],
) -> None:
    """A charger id is checked with the service; nothing is added on an error."""
    data = {CONF_CHARGER_ID: charger_id, CONF_CONNECTORS: 2}
    with service_fault(simulator, fault, "get_charger_status"):
        result = await _add(hass, bare_entry, SUBENTRY_CHARGER, data)
    assert result["errors"] == errors
    assert result["description_placeholders"] == {
        "id": charger_id.strip(),
        **retry_placeholders(fault),
    }
    assert not bare_entry.subentries


async def test_charger_subentry_created_and_reconfigured(
    hass: HomeAssistant, simulator: SimulatorServer, bare_entry: MockConfigEntry
) -> None:
    """A charger is added (typed with a trailing newline), then renamed and resized."""
    data = {CONF_CHARGER_ID: "CH-02\n", CONF_NAME: "Bay 3", CONF_CONNECTORS: 1}
    result = await _add(hass, bare_entry, SUBENTRY_CHARGER, data)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    subentry: ConfigSubentry = next(iter(bare_entry.subentries.values()))
    assert (subentry.title, subentry.unique_id) == ("Bay 3", "CH-02")
    assert subentry.data == {CONF_CHARGER_ID: "CH-02", CONF_CONNECTORS: [1], CONF_NAME: "Bay 3"}
    result = await _add(hass, bare_entry, SUBENTRY_CHARGER, data)
    assert result["reason"] == "already_configured"

    subentry = await _rename(hass, bare_entry, {CONF_NAME: "", CONF_CONNECTORS: 2})
    assert subentry.title == "CH-02"
    assert subentry.data == {CONF_CHARGER_ID: "CH-02", CONF_CONNECTORS: [1, 2], CONF_NAME: "CH-02"}


async def test_group_subentry_added_and_renamed(
    hass: HomeAssistant, simulator: SimulatorServer, bare_entry: MockConfigEntry
) -> None:
    """A charger group is added by its id, and renamed later (its id stays)."""
    group_id = "2b0f6c1e-0000-4000-8000-000000000001"
    result = await _add(hass, bare_entry, SUBENTRY_GROUP, {CONF_GROUP_ID: "../../x"})
    assert result["errors"] == {CONF_GROUP_ID: "invalid_id"}
    data = {CONF_GROUP_ID: f"{group_id}\n", CONF_NAME: "Hall B"}
    result = await _add(hass, bare_entry, SUBENTRY_GROUP, data)
    assert (result["type"], result["title"]) == (FlowResultType.CREATE_ENTRY, "Hall B")
    assert next(iter(bare_entry.subentries.values())).unique_id == group_id
    result = await _add(hass, bare_entry, SUBENTRY_GROUP, {CONF_GROUP_ID: group_id})
    assert result["reason"] == "already_configured"

    subentry = await _rename(hass, bare_entry, {CONF_NAME: "Hall C"})
    assert subentry.title == "Hall C"
    assert dict(subentry.data) == {CONF_GROUP_ID: group_id, CONF_NAME: "Hall C"}
    subentry = await _rename(hass, bare_entry, {})
    assert (subentry.title, subentry.data[CONF_NAME]) == (group_id, group_id)
