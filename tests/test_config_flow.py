"""The config flow, its subentry flows and the options flow, against the simulator."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityConnectionError,
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
from .helpers import expected_wait

pytestmark = pytest.mark.usefixtures("mock_setup_entry")


@pytest.fixture
def mock_setup_entry() -> Any:
    """Do not set the entry up after the flow (tested in test_init)."""
    with patch("custom_components.depotfinity.async_setup_entry", return_value=True) as mock:
        yield mock


async def _submit(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    """Submit a config flow's form."""
    return await hass.config_entries.flow.async_configure(flow_id, data)


async def _start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return str(result["flow_id"])


async def test_full_flow(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """Credentials, then the chargers seen in transactions and the listed groups."""
    flow_id = await _start(hass)
    result = await _submit(hass, flow_id, entry_data(simulator))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "chargers"
    assert result["description_placeholders"]["count"] == str(len(simulator.sim.charger_ids))

    result = await _submit(
        hass,
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
    subentries = {(s.subentry_type, s.unique_id): s for s in entry.subentries.values()}
    for charger_id, connectors in zip(simulator.sim.charger_ids, ([1, 2], [1]), strict=True):
        charger = subentries[(SUBENTRY_CHARGER, charger_id)]
        assert charger.data == {
            CONF_CHARGER_ID: charger_id,
            CONF_CONNECTORS: connectors,
            CONF_NAME: charger_id,
        }
    groups = {key[1] for key in subentries if key[0] == SUBENTRY_GROUP}
    assert groups == {*simulator.sim.group_ids, "my-group"}
    assert subentries[(SUBENTRY_GROUP, "my-group")].title == "my-group"

    # The same API client cannot be added twice.
    result = await _submit(hass, await _start(hass), entry_data(simulator))
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "already_configured")


def _fault(
    simulator: SimulatorServer, fault: str | None, method: str = "authenticate"
) -> AbstractContextManager[Any]:
    """Make the service fail: "429" (30 s), "503" (maintenance, 90 s), "down" or "bug"."""
    if fault == "429":
        simulator.sim.faults.queue("429", count=5, retry_after=30)
    elif fault == "503":
        simulator.sim.faults.maintenance(duration=90)
    elif fault is not None:
        error = DepotFinityConnectionError("refused") if fault == "down" else RuntimeError("bug")
        return patch.object(DepotFinityClient, method, side_effect=error)
    return nullcontext()


def _retry(fault: str | None) -> dict[str, str]:
    """The placeholders a form shows with a fault's error (no Retry-After: our own back-off)."""
    waits = {"429": expected_wait(30, 300), "503": expected_wait(90, 30)}
    return {"retry_after": str(waits[fault])} if fault in waits else {}


@pytest.mark.parametrize(
    ("data", "fault", "errors"),
    [
        ({CONF_CLIENT_SECRET: "wrong"}, None, {CONF_CLIENT_SECRET: "invalid_auth"}),
        (
            {CONF_API_URL: "not a url", CONF_AUTH_URL: "ftp://x"},
            None,
            {CONF_API_URL: "invalid_url", CONF_AUTH_URL: "invalid_url"},
        ),
        # A rate limit or maintenance says when to retry instead of blaming the URLs.
        ({}, "429", {"base": "rate_limited"}),
        ({}, "503", {"base": "maintenance"}),
        ({}, "down", {"base": "cannot_connect"}),
        ({}, "bug", {"base": "unknown"}),
    ],
)
async def test_user_errors_then_recover(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    data: dict[str, str],
    fault: str | None,
    errors: dict[str, str],
) -> None:
    """Each problem is shown where it belongs, stores nothing, and can be got over."""
    flow_id = await _start(hass)
    with _fault(simulator, fault):
        result = await _submit(hass, flow_id, {**entry_data(simulator), **data})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert result["description_placeholders"] == _retry(fault)
    assert not hass.config_entries.async_entries(DOMAIN)
    simulator.sim.faults.clear()
    result = await _submit(hass, flow_id, entry_data(simulator))
    assert result["step_id"] == "chargers"


async def test_without_packages(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """No transactions or group access: nothing is offered, chargers can still be typed."""
    flow_id = await _start(hass)
    forbidden = DepotFinityPackageError("Forbidden", status=403)
    with (
        patch.object(DepotFinityClient, "get_transactions", side_effect=forbidden),
        patch.object(DepotFinityClient, "list_charger_groups", side_effect=forbidden),
    ):
        result = await _submit(hass, flow_id, entry_data(simulator))
    assert result["step_id"] == "chargers"
    assert result["description_placeholders"]["count"] == "0"
    schema = result["data_schema"].schema
    assert next(schema[key] for key in schema if key == "groups").config["options"] == []
    result = await _submit(hass, flow_id, {"chargers": []})
    assert result["errors"] == {"base": "no_chargers"}


@pytest.mark.parametrize(
    ("field", "typed", "fault", "errors"),
    [
        ("extra_chargers", "../etc", None, {"extra_chargers": "invalid_id"}),
        ("extra_chargers", "CH-404", None, {"extra_chargers": "charger_not_found"}),
        ("extra_chargers", "CH-01", "down", {"extra_chargers": "cannot_connect"}),
        ("extra_chargers", "CH-01", "429", {"base": "rate_limited"}),
        ("extra_chargers", "CH-01", "503", {"base": "maintenance"}),
        ("extra_groups", "a/b", None, {"extra_groups": "invalid_id"}),
    ],
)
async def test_chargers_step_errors(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    field: str,
    typed: str,
    fault: str | None,
    errors: dict[str, str],
) -> None:
    """Typed ids are checked; a bad one names itself, a busy service says when."""
    flow_id = await _start(hass)
    await _submit(hass, flow_id, entry_data(simulator))
    form = {"chargers": [simulator.sim.charger_ids[0]], field: typed}
    with _fault(simulator, fault, "get_charger_status"):
        result = await _submit(hass, flow_id, form)
    assert result["errors"] == errors
    assert result["description_placeholders"] == {
        "count": str(len(simulator.sim.charger_ids)),
        "id": typed,
        **_retry(fault),
    }
    assert not hass.config_entries.async_entries(DOMAIN)


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
    result = await _submit(hass, result["flow_id"], {CONF_CLIENT_SECRET: "wrong"})
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}
    assert mock_config_entry.data[CONF_CLIENT_SECRET] == "expired"
    result = await _submit(hass, result["flow_id"], {CONF_CLIENT_SECRET: CLIENT_SECRET})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_CLIENT_SECRET] == CLIENT_SECRET


async def test_reconfigure(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """Reconfigure keeps the client id and checks the rest (URLs first)."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    flow_id = result["flow_id"]

    result = await _submit(hass, flow_id, {**entry_data(simulator), CONF_API_URL: "nope"})
    assert result["errors"] == {CONF_API_URL: "invalid_url"}
    result = await _submit(hass, flow_id, {**entry_data(simulator), CONF_CLIENT_SECRET: "wrong"})
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}
    result = await _submit(hass, flow_id, entry_data(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"

    # Another client id is another entry, not a reconfiguration.
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await _submit(
        hass, result["flow_id"], {**entry_data(simulator), CONF_CLIENT_ID: "someone-else"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_config_entry.data[CONF_CLIENT_ID] == CLIENT_ID


@pytest.mark.parametrize(
    ("data", "errors", "options"),
    [
        ({CONF_ID_TAG: "not a tag!", CONF_BUDGET_SHARE: 100}, {CONF_ID_TAG: "invalid_id_tag"}, {}),
        ({CONF_ID_TAG: " 89C4704A\n", CONF_BUDGET_SHARE: 60}, None, {CONF_ID_TAG: "89C4704A"}),
        ({CONF_BUDGET_SHARE: 60}, None, {}),
    ],
)
async def test_options(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    data: dict[str, Any],
    errors: dict[str, str] | None,
    options: dict[str, Any],
) -> None:
    """The remote-start tag is validated (typed blanks around it dropped); the share stored."""
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
    with _fault(simulator, fault, "get_charger_status"):
        result = await _add(hass, bare_entry, SUBENTRY_CHARGER, data)
    assert result["errors"] == errors
    assert result["description_placeholders"] == {"id": charger_id.strip(), **_retry(fault)}
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


def _session(charger_id: str | None, connector_id: int | None) -> Transaction:
    return Transaction(1, charger_id, connector_id, *([None] * 7))


ODD_TRANSACTIONS = [_session(None, 1), _session("CH-09", None), _session("CH-07", 2)]


@pytest.mark.parametrize(("transactions", "count"), [([], "0"), (ODD_TRANSACTIONS, "1")])
async def test_region_eu_and_discovery(
    hass: HomeAssistant, transactions: list[Transaction], count: str
) -> None:
    """The eu region needs no URLs; only complete transactions suggest chargers."""
    flow_id = await _start(hass)
    with (
        patch.object(DepotFinityClient, "authenticate", return_value=None),
        patch.object(DepotFinityClient, "get_transactions", return_value=transactions),
        patch.object(DepotFinityClient, "list_charger_groups", return_value=[]),
    ):
        data = {CONF_CLIENT_ID: "x", CONF_CLIENT_SECRET: "y", CONF_REGION: "eu"}
        result = await _submit(hass, flow_id, data)
    assert result["step_id"] == "chargers"
    assert result["description_placeholders"]["count"] == count
