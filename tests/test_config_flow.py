"""The config flow, its subentry flows and the options flow, against the simulator."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityPackageError,
    Transaction,
)
from custom_components.depotfinity.const import (
    CONF_API_URL,
    CONF_AUTH_URL,
    CONF_BUDGET_SHARE,
    CONF_CHARGER_ID,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_ID_TAG,
    CONF_NAME,
    CONF_REGION,
    DOMAIN,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
)
from depotfinity_simulator import SimulatorServer

from .conftest import CLIENT_ID, CLIENT_SECRET, entry_data

pytestmark = pytest.mark.usefixtures("mock_setup_entry")


@pytest.fixture
def mock_setup_entry() -> Any:
    """Do not set the entry up after the flow (tested in test_init)."""
    with patch("custom_components.depotfinity.async_setup_entry", return_value=True) as mock:
        yield mock


async def _start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return str(result["flow_id"])


async def test_full_flow(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """Credentials, then the chargers seen in transactions and the listed groups."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "chargers"
    assert result["description_placeholders"]["count"] == str(len(simulator.sim.charger_ids))

    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "chargers": [simulator.sim.charger_ids[0]],
            "extra_chargers": simulator.sim.charger_ids[1],
            CONF_CONNECTORS: 1,
            "extra_groups": "my-group",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"DepotFinity {CLIENT_ID}"
    assert result["data"][CONF_CLIENT_SECRET] == CLIENT_SECRET
    entry = result["result"]
    assert entry.unique_id == CLIENT_ID
    chargers = {
        s.data[CONF_CHARGER_ID]: s.data[CONF_CONNECTORS]
        for s in entry.subentries.values()
        if s.subentry_type == SUBENTRY_CHARGER
    }
    assert chargers == {simulator.sim.charger_ids[0]: [1, 2], simulator.sim.charger_ids[1]: [1]}
    groups = {
        s.data[CONF_GROUP_ID]
        for s in entry.subentries.values()
        if s.subentry_type == SUBENTRY_GROUP
    }
    assert groups == {*simulator.sim.group_ids, "my-group"}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({CONF_CLIENT_SECRET: "wrong"}, {CONF_CLIENT_SECRET: "invalid_auth"}),
        (
            {CONF_API_URL: "not a url", CONF_AUTH_URL: "ftp://x"},
            {CONF_API_URL: "invalid_url", CONF_AUTH_URL: "invalid_url"},
        ),
    ],
)
async def test_user_errors_then_recover(
    hass: HomeAssistant, simulator: SimulatorServer, data: dict[str, str], errors: dict[str, str]
) -> None:
    """Bad input is shown on its field, stores nothing, and can be corrected."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**entry_data(simulator), **data}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert not hass.config_entries.async_entries(DOMAIN)
    result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    assert result["step_id"] == "chargers"


async def test_user_cannot_connect(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """A service in maintenance cannot be checked."""
    simulator.sim.faults.maintenance(duration=90)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_unknown_error(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """Anything unexpected is reported as unknown."""
    flow_id = await _start(hass)
    with patch.object(DepotFinityClient, "authenticate", side_effect=RuntimeError("boom")):
        result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    assert result["errors"] == {"base": "unknown"}


async def test_without_transactions_package(
    hass: HomeAssistant, simulator: SimulatorServer
) -> None:
    """No transactions access: nothing is discovered, chargers can be typed."""
    flow_id = await _start(hass)
    with patch.object(
        DepotFinityClient,
        "get_transactions",
        side_effect=DepotFinityPackageError("Forbidden", status=403),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    assert result["step_id"] == "chargers"
    assert result["description_placeholders"]["count"] == "0"
    result = await hass.config_entries.flow.async_configure(flow_id, {"chargers": []})
    assert result["errors"] == {"base": "no_chargers"}


async def test_groups_listing_fails(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """Without the Charger Control package the group list is simply empty."""
    flow_id = await _start(hass)
    with patch.object(
        DepotFinityClient,
        "list_charger_groups",
        side_effect=DepotFinityPackageError("Forbidden", status=403),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    schema = result["data_schema"].schema
    groups_key = next(key for key in schema if key == "groups")
    assert schema[groups_key].config["options"] == []


@pytest.mark.parametrize(
    ("extra", "field", "error"),
    [
        ("../etc", "extra_chargers", "invalid_id"),
        ("CH-404", "extra_chargers", "charger_not_found"),
    ],
)
async def test_chargers_step_errors(
    hass: HomeAssistant, simulator: SimulatorServer, extra: str, field: str, error: str
) -> None:
    """Typed charger ids are checked; a bad one names itself in the error."""
    flow_id = await _start(hass)
    await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"chargers": [], "extra_chargers": extra}
    )
    assert result["errors"] == {field: error}
    assert result["description_placeholders"]["id"] == extra
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_chargers_step_service_down(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """A typed charger cannot be checked while the service is down."""
    flow_id = await _start(hass)
    await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    simulator.sim.faults.maintenance(duration=90)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"chargers": [], "extra_chargers": "CH-01"}
    )
    assert result["errors"] == {"extra_chargers": "cannot_connect"}


async def test_bad_group_id(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """A typed group id must look like an id."""
    flow_id = await _start(hass)
    await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    result = await hass.config_entries.flow.async_configure(flow_id, {"extra_groups": "a/b"})
    assert result["errors"] == {"extra_groups": "invalid_id"}


async def test_already_configured(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """The same API client cannot be added twice."""
    mock_config_entry.add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A new secret is checked, stored and the entry reloaded."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_CLIENT_SECRET: "expired"}
    )
    result = await mock_config_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_SECRET: "wrong"}
    )
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}
    assert mock_config_entry.data[CONF_CLIENT_SECRET] == "expired"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_SECRET: CLIENT_SECRET}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_CLIENT_SECRET] == CLIENT_SECRET


async def test_reconfigure(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Reconfigure keeps the client id and checks the rest."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**entry_data(simulator), CONF_API_URL: "nope"}
    )
    assert result["errors"] == {CONF_API_URL: "invalid_url"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**entry_data(simulator), CONF_CLIENT_SECRET: "wrong"}
    )
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(flow_id, entry_data(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_other_account(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Another client id is another entry, not a reconfiguration."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**entry_data(simulator), CONF_CLIENT_ID: "someone-else"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_config_entry.data[CONF_CLIENT_ID] == CLIENT_ID


async def test_options(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """The remote-start tag is validated; the budget share is stored."""
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_ID_TAG: "not a tag!", CONF_BUDGET_SHARE: 100}
    )
    assert result["errors"] == {CONF_ID_TAG: "invalid_id_tag"}
    assert mock_config_entry.options == {}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_ID_TAG: "89C4704A", CONF_BUDGET_SHARE: 60}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert mock_config_entry.options == {CONF_ID_TAG: "89C4704A", CONF_BUDGET_SHARE: 60}

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_BUDGET_SHARE: 100}
    )
    assert mock_config_entry.options == {CONF_BUDGET_SHARE: 100}


async def _subentry_flow(hass: HomeAssistant, entry: MockConfigEntry, kind: str) -> str:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, kind), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return str(result["flow_id"])


async def test_add_charger_subentry(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A charger is added by id after setup; bad ids are refused."""
    mock_config_entry.add_to_hass(hass)
    flow_id = await _subentry_flow(hass, mock_config_entry, SUBENTRY_CHARGER)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_CHARGER_ID: simulator.sim.charger_ids[0], CONF_CONNECTORS: 2}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

    flow_id = await _subentry_flow(hass, mock_config_entry, SUBENTRY_CHARGER)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_CHARGER_ID: "CH-404", CONF_CONNECTORS: 2}
    )
    assert result["errors"] == {CONF_CHARGER_ID: "charger_not_found"}
    before = len(mock_config_entry.subentries)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_CHARGER_ID: "bad id", CONF_CONNECTORS: 2}
    )
    assert result["errors"] == {CONF_CHARGER_ID: "invalid_id"}
    assert len(mock_config_entry.subentries) == before


async def test_charger_subentry_created_and_reconfigured(
    hass: HomeAssistant, simulator: SimulatorServer
) -> None:
    """A charger subentry can be created, then renamed and resized."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=CLIENT_ID, data=entry_data(simulator), title="Depot"
    )
    entry.add_to_hass(hass)
    flow_id = await _subentry_flow(hass, entry, SUBENTRY_CHARGER)
    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {CONF_CHARGER_ID: simulator.sim.charger_ids[1], CONF_NAME: "Bay 3", CONF_CONNECTORS: 1},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    subentry: ConfigSubentry = next(iter(entry.subentries.values()))
    assert subentry.title == "Bay 3"
    assert subentry.data[CONF_CONNECTORS] == [1]

    result = await entry.start_subentry_reconfigure_flow(hass, subentry.subentry_id)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "", CONF_CONNECTORS: 2}
    )
    assert result["reason"] == "reconfigure_successful"
    subentry = entry.subentries[subentry.subentry_id]
    assert subentry.title == simulator.sim.charger_ids[1]
    assert subentry.data[CONF_CONNECTORS] == [1, 2]


async def test_group_subentry(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A charger group is added by its id."""
    mock_config_entry.add_to_hass(hass)
    flow_id = await _subentry_flow(hass, mock_config_entry, SUBENTRY_GROUP)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_GROUP_ID: "../../x"}
    )
    assert result["errors"] == {CONF_GROUP_ID: "invalid_id"}
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_GROUP_ID: "2b0f6c1e-0000-4000-8000-000000000001", CONF_NAME: "Hall B"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Hall B"

    flow_id = await _subentry_flow(hass, mock_config_entry, SUBENTRY_GROUP)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_GROUP_ID: "2b0f6c1e-0000-4000-8000-000000000001"}
    )
    assert result["reason"] == "already_configured"


async def test_region_eu_uses_documented_hosts(hass: HomeAssistant) -> None:
    """The eu region needs no URLs (and is not contacted here: the client is patched)."""
    flow_id = await _start(hass)
    with (
        patch.object(DepotFinityClient, "authenticate", return_value=None),
        patch.object(DepotFinityClient, "get_transactions", return_value=[]),
        patch.object(DepotFinityClient, "list_charger_groups", return_value=[]),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_CLIENT_ID: "x", CONF_CLIENT_SECRET: "y", CONF_REGION: "eu"}
        )
    assert result["step_id"] == "chargers"
    assert result["description_placeholders"]["count"] == "0"


async def test_incomplete_transactions_are_skipped(hass: HomeAssistant) -> None:
    """A transaction without a charger or connector suggests no charger."""
    flow_id = await _start(hass)
    odd = [
        Transaction(1, None, 1, None, None, None, None, None, None, None),
        Transaction(2, "CH-09", None, None, None, None, None, None, None, None),
        Transaction(3, "CH-07", 2, None, None, None, None, None, None, None),
    ]
    with (
        patch.object(DepotFinityClient, "authenticate", return_value=None),
        patch.object(DepotFinityClient, "get_transactions", return_value=odd),
        patch.object(DepotFinityClient, "list_charger_groups", return_value=[]),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_CLIENT_ID: "x", CONF_CLIENT_SECRET: "y", CONF_REGION: "eu"}
        )
    assert result["description_placeholders"]["count"] == "1"
