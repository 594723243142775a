"""The config flow, its subentry flows and the options flow, against the simulator."""

from __future__ import annotations

from contextlib import AbstractContextManager, ExitStack
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import area_registry as ar
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityConnectionError,
    DepotFinityPackageError,
    Transaction,
)
from custom_components.depotfinity.connection import api_host
from custom_components.depotfinity.const import (
    CONF_API_URL,
    CONF_AREA,
    CONF_AUTH_URL,
    CONF_CHARGER_ID,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_CONNECTORS,
    CONF_NAME,
    CONF_REGION,
    DOMAIN,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
)
from custom_components.depotfinity.hosts import host_registry
from depotfinity_simulator import SimulatorServer

from .conftest import CLIENT_ID, CLIENT_SECRET
from .entries import entry_data
from .helpers import add_with_secret, retry_placeholders, service_fault

pytestmark = pytest.mark.usefixtures("mock_setup_entry")


@pytest.fixture
def mock_setup_entry() -> Any:
    """Do not set the entry up after the flow (tested in test_init)."""
    with patch("custom_components.depotfinity.async_setup_entry", return_value=True) as mock:
        yield mock


async def _submit(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    """Submit a config flow's form."""
    return await hass.config_entries.flow.async_configure(flow_id, data)


URL_KEYS = (CONF_API_URL, CONF_AUTH_URL)
URL_STEPS = ("urls", "reconfigure_urls")


async def _account(
    hass: HomeAssistant, flow_id: str, data: dict[str, Any], step: str = "user"
) -> Any:
    """Fill the account forms from ``step`` on: name and credentials, then the custom URLs."""
    if step not in URL_STEPS:
        result = await _submit(hass, flow_id, {k: v for k, v in data.items() if k not in URL_KEYS})
        if result.get("step_id") not in URL_STEPS:
            return result
    return await _submit(hass, flow_id, {k: data[k] for k in URL_KEYS})


def _depot(simulator: SimulatorServer, **changes: str) -> dict[str, Any]:
    """What the user types: a depot name, then the simulator's account."""
    return {CONF_NAME: "Demo Depot", **entry_data(simulator), **changes}


async def _start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return str(result["flow_id"])


async def test_full_flow(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """Credentials, then the chargers seen in transactions and the listed groups."""
    flow_id = await _start(hass)
    result = await _submit(
        hass, flow_id, {k: v for k, v in _depot(simulator).items() if k not in URL_KEYS}
    )
    # The custom region asks for the URLs in a step of their own.
    assert result["step_id"] == "urls"
    result = await _account(hass, flow_id, _depot(simulator), "urls")
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
    assert result["title"] == "Demo Depot"
    assert result["data"][CONF_CLIENT_SECRET] == CLIENT_SECRET
    # The check's token served the chargers step too.
    assert simulator.sim.stats.token_requests == 1
    # Each of the flow's requests counts in the host's window; its scheduler takes it over.
    hosts, host = host_registry(hass), api_host(result["data"])
    window = hosts.limiter(host)
    assert window.used() == simulator.sim.stats.total_requests + 1 == 4
    scheduler = await hosts.async_scheduler(host)
    assert scheduler.limiter is window
    hosts.release(host, scheduler)
    entry = result["result"]
    assert entry.unique_id == CLIENT_ID
    # No area picked: a new one named after the depot, for the Overview.
    area = ar.async_get(hass).async_get_area(entry.data[CONF_AREA])
    assert area is not None
    assert area.name == "Demo Depot"
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
    result = await _account(hass, await _start(hass), _depot(simulator))
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "already_configured")


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
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    data: dict[str, str],
    fault: str | None,
    errors: dict[str, str],
) -> None:
    """Each problem is shown where it belongs, stores nothing, and can be got over."""
    flow_id = await _start(hass)
    with service_fault(simulator, fault):
        result = await _account(hass, flow_id, _depot(simulator, **data))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert result["description_placeholders"] == retry_placeholders(fault)
    assert not hass.config_entries.async_entries(DOMAIN)
    simulator.sim.faults.clear()
    if wait := result["description_placeholders"].get("retry_after"):
        # The pause the service asked for holds for the host: no request before its end.
        sent = simulator.sim.stats.total_requests + simulator.sim.stats.token_requests
        again = await _account(hass, flow_id, _depot(simulator), result["step_id"])
        assert again["errors"] == errors
        assert simulator.sim.stats.total_requests + simulator.sim.stats.token_requests == sent
        freezer.tick(int(wait))
    result = await _account(hass, flow_id, _depot(simulator), result["step_id"])
    assert result["step_id"] == "chargers"


async def test_without_packages(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """No transactions or group access: nothing is offered, chargers can still be typed."""
    flow_id = await _start(hass)
    forbidden = DepotFinityPackageError("Forbidden", status=403)
    with (
        patch.object(DepotFinityClient, "get_transactions", side_effect=forbidden),
        patch.object(DepotFinityClient, "list_charger_groups", side_effect=forbidden),
    ):
        result = await _account(hass, flow_id, _depot(simulator))
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
    await _account(hass, flow_id, _depot(simulator))
    form = {"chargers": [simulator.sim.charger_ids[0]], field: typed}
    with service_fault(simulator, fault, "get_charger_status"):
        result = await _submit(hass, flow_id, form)
    assert result["errors"] == errors
    assert result["description_placeholders"] == {
        "count": str(len(simulator.sim.charger_ids)),
        "id": typed,
        **retry_placeholders(fault),
    }
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_reauth(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A new secret is checked, stored and the entry reloaded."""
    add_with_secret(hass, mock_config_entry, "expired")
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

    result = await _account(hass, flow_id, {**entry_data(simulator), CONF_API_URL: "nope"})
    assert result["step_id"] == "reconfigure_urls"
    assert result["errors"] == {CONF_API_URL: "invalid_url"}
    result = await _submit(hass, flow_id, {CONF_API_URL: "", CONF_AUTH_URL: "ftp://x"})
    assert result["errors"] == {CONF_API_URL: "invalid_url", CONF_AUTH_URL: "invalid_url"}

    # A refused secret is shown where the secret is typed.
    hass.config_entries.flow.async_abort(flow_id)
    flow_id = (await mock_config_entry.start_reconfigure_flow(hass))["flow_id"]
    result = await _account(hass, flow_id, {**entry_data(simulator), CONF_CLIENT_SECRET: "wrong"})
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}
    result = await _account(hass, flow_id, entry_data(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"

    # Another client id is another entry, not a reconfiguration.
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await _account(
        hass, result["flow_id"], {**entry_data(simulator), CONF_CLIENT_ID: "someone-else"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_config_entry.data[CONF_CLIENT_ID] == CLIENT_ID


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


EU = {CONF_NAME: "North", CONF_CLIENT_ID: "x", CONF_CLIENT_SECRET: "y", CONF_REGION: "eu"}


def _eu_service(transactions: list[Transaction] | Exception) -> AbstractContextManager[Any]:
    """The eu region's service, answering for the flow's client (no network)."""
    stack = ExitStack()
    stack.enter_context(patch.object(DepotFinityClient, "authenticate", return_value=None))
    found = {"side_effect": transactions} if isinstance(transactions, Exception) else {}
    stack.enter_context(
        patch.object(DepotFinityClient, "get_transactions", return_value=transactions, **found)
    )
    stack.enter_context(patch.object(DepotFinityClient, "list_charger_groups", return_value=[]))
    return stack


async def test_region_eu_error_then_area_picked(hass: HomeAssistant) -> None:
    """Without custom URLs errors show on the first form; a picked area is used as is."""
    area = ar.async_get(hass).async_create("Hall A")
    flow_id = await _start(hass)
    with _eu_service(DepotFinityConnectionError("down")):
        result = await _submit(hass, flow_id, {**EU, CONF_AREA: area.id})
    assert (result["step_id"], result["errors"]) == ("user", {"base": "cannot_connect"})
    with _eu_service([_session("CH-07", 2)]):
        result = await _submit(hass, flow_id, {**EU, CONF_AREA: area.id})
        result = await _submit(hass, flow_id, {"chargers": ["CH-07"]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_AREA] == area.id
    assert [a.name for a in ar.async_get(hass).async_list_areas()] == ["Hall A"]


async def test_reconfigure_to_region_eu(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Leaving custom URLs for a region: checked without a URL step."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    data = {CONF_CLIENT_ID: CLIENT_ID, CONF_CLIENT_SECRET: "y", CONF_REGION: "eu"}
    with _eu_service(DepotFinityConnectionError("down")):
        result = await _submit(hass, result["flow_id"], data)
    assert (result["step_id"], result["errors"]) == ("reconfigure", {"base": "cannot_connect"})
    with _eu_service([]):
        result = await _submit(hass, result["flow_id"], data)
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_REGION] == "eu"
