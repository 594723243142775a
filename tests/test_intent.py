"""Voice: Assist's built-in intents on connector entities, the DepotFinity intents, LLM tools."""

from __future__ import annotations

from datetime import timedelta
import importlib.util
from pathlib import Path
import re
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.const import STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er, intent, llm
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    ServiceCall,
    async_mock_service,
)

from custom_components.depotfinity import llm as depotfinity_llm
from custom_components.depotfinity.api import Connectivity, StatusRecord
from custom_components.depotfinity.const import (
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_ID_TAG,
    CONF_NAME,
    DOMAIN,
    SUBENTRY_CHARGER,
)
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.data import ChargerData, ConnectorData
from custom_components.depotfinity.intent import (
    INTENT_CHARGER_STATUS,
    INTENT_RESERVE_CONNECTOR,
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
    describe_charger,
)
from custom_components.depotfinity.scheduler import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import CLIENT_ID, entry_data
from .helpers import poll_until, setup_integration, tick

pytestmark = pytest.mark.usefixtures("start_time")

SENTENCES = Path(__file__).parent.parent / "config" / "custom_sentences" / "en" / "depotfinity.yaml"
ID_TAG = "89C4704A"
# The switch platform is written separately; its tests run once it exists.
HAS_SWITCH = importlib.util.find_spec("custom_components.depotfinity.switch") is not None
HAS_ACTIONS = importlib.util.find_spec("custom_components.depotfinity.services") is not None


@pytest.fixture
def mock_config_entry(simulator: SimulatorServer) -> MockConfigEntry:
    """CH-01 is named "Bay 3"; CH-02 has no name of its own (it goes by its ID)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"DepotFinity {CLIENT_ID}",
        unique_id=CLIENT_ID,
        data=entry_data(simulator),
        options={CONF_ID_TAG: ID_TAG},
        subentries_data=[
            {
                "data": {CONF_CHARGER_ID: cid, CONF_CONNECTORS: [1, 2], CONF_NAME: name},
                "subentry_id": f"sub_{cid}",
                "subentry_type": SUBENTRY_CHARGER,
                "title": name,
                "unique_id": cid,
            }
            for cid, name in (("CH-01", "Bay 3"), ("CH-02", "CH-02"))
        ],
    )


async def poll_fleet(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """Let polls run until every charger and connector has reported once."""
    for _ in range(300):
        depot = coordinator.data
        if all(
            charger.availability is not None
            and charger.connectivity is not None
            and all(c.status is not None for c in charger.connectors.values())
            for charger in depot.chargers.values()
        ):
            return
        interval = coordinator.update_interval
        assert interval is not None
        await tick(hass, freezer, interval.total_seconds() + 0.5, simulator)
    raise AssertionError("the fleet never reported")


@pytest.fixture
async def coordinator(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> DepotFinityCoordinator:
    """The entry, set up with the intent integration, after the first sweep."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "intent", {})
    coordinator = await setup_integration(hass, mock_config_entry)
    await poll_fleet(hass, freezer, simulator, coordinator)
    return coordinator


async def ask(hass: HomeAssistant, intent_type: str, **slots: Any) -> intent.IntentResponse:
    """Handle an intent as a conversation agent would."""
    return await intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
        assistant=conversation.DOMAIN,
    )


def speech(response: intent.IntentResponse) -> str:
    """The plain-text answer."""
    text: str = response.speech["plain"]["speech"]
    return text


def mock_actions(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """Record calls of the charging actions instead of running them."""
    return {
        name: async_mock_service(hass, DOMAIN, name)
        for name in ("start_charging", "stop_charging", "reserve_connector")
    }


# The DepotFinity intents -----------------------------------------------------------------


@pytest.mark.usefixtures("coordinator")
async def test_intents_describe_themselves(hass: HomeAssistant) -> None:
    """Every intent has a description and slots, which an LLM sees as a tool."""
    handlers = {h.intent_type: h for h in intent.async_get(hass)}
    for intent_type in (
        INTENT_START_CHARGING,
        INTENT_STOP_CHARGING,
        INTENT_CHARGER_STATUS,
        INTENT_RESERVE_CONNECTOR,
    ):
        handler = handlers[intent_type]
        assert handler.description
        assert handler.platforms
        schema = probatio.to_openapi(
            probatio.Schema(handler.slot_schema), custom_serializer=llm.selector_serializer
        )
        assert schema["properties"]["charger"]["description"]
        assert "charger" in schema["required"]


@pytest.mark.usefixtures("coordinator")
async def test_start_charging_runs_the_action(hass: HomeAssistant) -> None:
    """A named charger and connector become the start_charging action's target."""
    calls = mock_actions(hass)
    response = await ask(hass, INTENT_START_CHARGING, charger="bay 3", connector=2)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == "Bay 3 connector 2 is starting to charge."
    assert [call.data for call in calls["start_charging"]] == [
        {"device_id": charger_device(hass, "CH-01"), "connector_id": 2}
    ]
    assert response.success_results[0].name == "Bay 3"


def charger_device(hass: HomeAssistant, charger_id: str) -> str:
    """The device id of a charger."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{CLIENT_ID}_{charger_id}"), entry.entry_id
    )
    assert device is not None
    return device.id


async def test_start_picks_the_connector_with_a_waiting_vehicle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """Without a connector number, the connector a vehicle waits on is meant."""
    calls = mock_actions(hass)
    response = await ask(hass, INTENT_START_CHARGING, charger="Bay 3")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert speech(response) == "Which connector of Bay 3: 1 or 2?"

    simulator.sim.plug_in("CH-01", 2, auto_start=False)
    waiting = coordinator.data.chargers["CH-01"].connectors[2]
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: waiting.status is not None and waiting.status.status == "Preparing",
        Job(JobKind.CONNECTOR_STATUS, "CH-01", 2),
    )
    response = await ask(hass, INTENT_START_CHARGING, charger="Bay 3")
    assert speech(response) == "Bay 3 connector 2 is starting to charge."
    assert calls["start_charging"][0].data["connector_id"] == 2


@pytest.mark.usefixtures("coordinator")
@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("Bay 9", "I don't know a DepotFinity charger called Bay 9."),
        ("", None),
    ],
)
async def test_unknown_charger(hass: HomeAssistant, name: str, answer: str | None) -> None:
    """A name no charger has is answered in words; an empty one is refused."""
    calls = mock_actions(hass)
    if answer is None:
        with pytest.raises(intent.InvalidSlotInfo):
            await ask(hass, INTENT_START_CHARGING, charger=name)
        return
    response = await ask(hass, INTENT_START_CHARGING, charger=name)
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert speech(response) == answer
    assert not calls["start_charging"]


@pytest.mark.usefixtures("coordinator")
async def test_ambiguous_name(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> None:
    """Two chargers answering to one name: the user is asked for the ID."""
    calls = mock_actions(hass)
    device_registry.async_update_device(charger_device(hass, "CH-02"), name_by_user="Bay 3")

    response = await ask(hass, INTENT_STOP_CHARGING, charger="Bay 3", connector=1)
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert speech(response) == (
        "More than one charger is called Bay 3: CH-01 or CH-02. Say the charger ID instead."
    )
    response = await ask(hass, INTENT_STOP_CHARGING, charger="ch 02", connector=1)
    assert speech(response) == "Stopping the charging on Bay 3 connector 1."
    assert calls["stop_charging"][0].data["device_id"] == charger_device(hass, "CH-02")


@pytest.mark.usefixtures("coordinator")
@pytest.mark.parametrize("name", ["CH-02", "ch 02", "CH02", "the charger CH-02", "Charger ch-02"])
async def test_charger_id_in_any_form(hass: HomeAssistant, name: str) -> None:
    """A charger ID matches without case, spaces, dashes or a leading "the charger"."""
    response = await ask(hass, INTENT_CHARGER_STATUS, charger=name)
    assert speech(response).startswith("Charger CH-02 is ")


@pytest.mark.usefixtures("coordinator")
async def test_no_such_connector(hass: HomeAssistant) -> None:
    """A connector the charger does not have."""
    calls = mock_actions(hass)
    response = await ask(hass, INTENT_START_CHARGING, charger="Bay 3", connector=5)
    assert speech(response) == "Bay 3 has no connector 5; it has connectors 1 and 2."
    assert not calls["start_charging"]


@pytest.mark.usefixtures("coordinator")
async def test_action_failure_is_spoken(hass: HomeAssistant) -> None:
    """The translated message of a failed action is the answer."""
    error = HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="rate_limited",
        translation_placeholders={"retry_after": "30"},
    )
    async_mock_service(hass, DOMAIN, "start_charging", raise_exception=error)
    response = await ask(hass, INTENT_START_CHARGING, charger="CH-02", connector=1)
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert speech(response) == str(error)
    assert speech(response).startswith("DepotFinity's request limit is reached; retry in 30")


@pytest.mark.usefixtures("coordinator")
async def test_missing_action_is_spoken(hass: HomeAssistant) -> None:
    """Without the action (not registered), the answer says so instead of failing."""
    if hass.services.has_service(DOMAIN, "stop_charging"):
        hass.services.async_remove(DOMAIN, "stop_charging")
    response = await ask(hass, INTENT_STOP_CHARGING, charger="CH-02", connector=1)
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert "stop_charging" in speech(response)


async def test_stop_charging(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """Without a connector number, the one connector in a session is stopped."""
    calls = mock_actions(hass)
    response = await ask(hass, INTENT_STOP_CHARGING, charger="Bay 3")
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert speech(response) == "Nothing is charging on Bay 3."

    simulator.sim.plug_in("CH-01", 1)
    charging = coordinator.data.chargers["CH-01"].connectors[1]
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: charging.is_active,
        Job(JobKind.CONNECTOR_STATUS, "CH-01", 1),
    )
    response = await ask(hass, INTENT_STOP_CHARGING, charger="Bay 3")
    assert speech(response) == "Stopping the charging on Bay 3 connector 1."
    assert calls["stop_charging"][0].data["connector_id"] == 1


async def test_charger_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """The status is told from the coordinator's data: connectors, power, faults."""
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="bay 3")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == (
        "Bay 3 is available; connector 1 is available, connector 2 is available."
    )

    simulator.sim.plug_in("CH-01", 1)
    charging = coordinator.data.chargers["CH-01"].connectors[1]
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: charging.is_charging and charging.power_w,
        Job(JobKind.CONNECTOR_STATUS, "CH-01", 1),
    )
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="Bay 3")
    assert re.fullmatch(
        r"Bay 3 is available; connector 1 is charging at \d+(\.\d)? kW, "
        r"connector 2 is available\.",
        speech(response),
    ), speech(response)

    simulator.sim.inject_fault("CH-02", error_code="GroundFailure")
    charger = coordinator.data.chargers["CH-02"]
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: charger.availability is not None and charger.availability.status == "Faulted",
        Job(JobKind.CHARGER_STATUS, "CH-02"),
    )
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="CH-02")
    assert speech(response) == "Charger CH-02 is faulted: ground failure."

    simulator.sim.clear_fault("CH-02")
    simulator.sim.inject_fault("CH-02", 2, error_code="HighTemperature")
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: charger.fault == ("HighTemperature", "E42", 2),
        Job(JobKind.CHARGER_STATUS, "CH-02"),
        Job(JobKind.CONNECTOR_STATUS, "CH-02", 2),
    )
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="CH-02")
    assert speech(response) == "Charger CH-02 is faulted: high temperature on connector 2."


def test_describe_charger() -> None:
    """The wording of a charger's status, power included."""
    charger = ChargerData(
        "CH-01",
        "Bay 3",
        availability=StatusRecord(None, "Available", "NoError", None, None),
        connectivity=Connectivity(None, connected=True),
    )
    charger.connectors = {
        1: ConnectorData(
            "CH-01", 1, StatusRecord(None, "Charging", "NoError", None, None), power_w=42000
        ),
        2: ConnectorData("CH-01", 2, StatusRecord(None, "SuspendedEV", "NoError", None, None)),
        3: ConnectorData("CH-01", 3),
    }
    labels = {
        "component.depotfinity.entity.sensor.availability.state.available": "Available",
        "component.depotfinity.entity.sensor.connector_status.state.charging": "Charging",
        "component.depotfinity.entity.sensor.connector_status.state.suspended_ev": (
            "Suspended by vehicle"
        ),
    }
    assert describe_charger("Bay 3", charger, labels) == (
        "Bay 3 is available; connector 1 is charging at 42 kW, "
        "connector 2 is suspended by vehicle, connector 3 has not reported yet."
    )
    charger.connectors[1].power_w = 7400
    charger.availability = None
    assert describe_charger("Bay 3", charger, labels).startswith(
        "Bay 3 has not reported its status yet; connector 1 is charging at 7.4 kW, "
    )
    charger.availability = StatusRecord(None, "Faulted", "NoError", None, None)
    assert describe_charger("Bay 3", charger, labels) == "Bay 3 is faulted: an unknown error."
    charger.connectivity = Connectivity(None, connected=False)
    assert describe_charger("Bay 3", charger, labels) == "Bay 3 is offline."
    charger.missing = True
    assert describe_charger("Bay 3", charger, labels) == "Bay 3 is not known to DepotFinity."


async def test_charger_status_when_offline_or_unreachable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """An offline charger, and DepotFinity out of reach."""
    simulator.sim.force_terminate("CH-02")
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: coordinator.data.chargers["CH-02"].connected is False,
        Job(JobKind.CONNECTIVITY, "CH-02"),
    )
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="CH-02")
    assert speech(response) == "Charger CH-02 is offline."

    coordinator.last_update_success = False
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="Bay 3")
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert speech(response) == (
        "DepotFinity cannot be reached right now, so I don't know how Bay 3 is."
    )


@pytest.mark.usefixtures("coordinator")
async def test_reserve_connector(hass: HomeAssistant) -> None:
    """A reservation from now, or from a time of day, for some minutes."""
    calls = mock_actions(hass)
    response = await ask(hass, INTENT_RESERVE_CONNECTOR, charger="Bay 3", minutes=30)
    # Both connectors are free: the first is taken.
    assert speech(response) == "Reserved Bay 3 connector 1 for 30 minutes."
    data = calls["reserve_connector"][0].data
    assert data["device_id"] == charger_device(hass, "CH-01")
    assert data["connector_id"] == 1
    assert data["rfid_tag"] == ID_TAG
    assert data["start"] == dt_util.now()
    assert data["end"] - data["start"] == timedelta(minutes=30)

    response = await ask(
        hass, INTENT_RESERVE_CONNECTOR, charger="CH-02", connector=2, minutes=90, start_time="7:15"
    )
    assert speech(response) == "Reserved Charger CH-02 connector 2 from 07:15 for 90 minutes."
    data = calls["reserve_connector"][1].data
    assert (data["start"].hour, data["start"].minute) == (7, 15)
    assert dt_util.now() < data["start"] <= dt_util.now() + timedelta(days=1)
    assert data["end"] - data["start"] == timedelta(minutes=90)

    response = await ask(
        hass, INTENT_RESERVE_CONNECTOR, charger="CH-02", minutes=10, start_time="teatime"
    )
    assert speech(response) == "I didn't understand the start time teatime; say it like 14:30."
    assert len(calls["reserve_connector"]) == 2


async def test_intents_drive_the_depot_through_the_actions(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Without stand-ins: start, stop and reserve reach the simulated depot."""
    _, bay_3 = simulator.sim.connector("CH-01", 1)
    response = await ask(hass, INTENT_START_CHARGING, charger="Bay 3", connector=1)
    assert speech(response) == "Bay 3 connector 1 is starting to charge."
    assert bay_3.transaction is not None
    response = await ask(hass, INTENT_STOP_CHARGING, charger="Bay 3", connector=1)
    assert speech(response) == "Stopping the charging on Bay 3 connector 1."
    assert bay_3.transaction is None

    # The charger refuses to stop a session that does not exist: its answer is spoken.
    response = await ask(hass, INTENT_STOP_CHARGING, charger="CH-02", connector=2)
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert "CH-02 connector 2" in speech(response)

    _, ch_02 = simulator.sim.connector("CH-02", 2)
    response = await ask(hass, INTENT_RESERVE_CONNECTOR, charger="CH-02", connector=2, minutes=30)
    assert speech(response) == "Reserved Charger CH-02 connector 2 for 30 minutes."
    assert len(ch_02.reservations) == 1

    hass.config_entries.async_update_entry(mock_config_entry, options={})
    await hass.async_block_till_done()
    response = await ask(hass, INTENT_RESERVE_CONNECTOR, charger="CH-02", connector=1, minutes=30)
    assert speech(response) == (
        "Reserving needs the RFID tag for remote starts; set it in the DepotFinity options first."
    )


# LLM tools ---------------------------------------------------------------------------


async def test_llm_tools_follow_exposure(
    hass: HomeAssistant, coordinator: DepotFinityCoordinator
) -> None:
    """The intents are LLM tools while entities they act through are exposed."""
    assert await async_setup_component(hass, "llm", {})
    context = llm.LLMContext(
        platform="test",
        context=Context(),
        language="en",
        assistant=conversation.DOMAIN,
        device_id=None,
    )

    async def tools() -> dict[str, llm.Tool]:
        api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)
        return {tool.name: tool for tool in api.tools if tool.name.startswith(f"{DOMAIN}__")}

    for entity_id in hass.states.async_entity_ids():
        async_expose_entity(hass, conversation.DOMAIN, entity_id, False)
    assert await tools() == {}
    assert depotfinity_llm.async_get_tools(hass, context, "another_api") is None

    async_expose_entity(hass, conversation.DOMAIN, "sensor.bay_3_connector_1_status", True)
    status = f"{DOMAIN}__{INTENT_CHARGER_STATUS}"
    assert set(await tools()) == {status}

    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)
    result = await api.async_call_tool(
        llm.ToolInput(tool_name=status, tool_args={"charger": "Bay 3"})
    )
    assert isinstance(result, llm.ToolResult)
    assert result.data["speech"]["plain"]["speech"].startswith("Bay 3 is available")

    if HAS_SWITCH:
        async_expose_entity(hass, conversation.DOMAIN, "switch.bay_3_connector_1_charging", True)
        assert set(await tools()) == {
            status,
            f"{DOMAIN}__{INTENT_START_CHARGING}",
            f"{DOMAIN}__{INTENT_STOP_CHARGING}",
            f"{DOMAIN}__{INTENT_RESERVE_CONNECTOR}",
        }


# Assist's default agent ------------------------------------------------------------------


@pytest.fixture
async def default_agent(
    hass: HomeAssistant, tmp_path: Path, coordinator: DepotFinityCoordinator
) -> DepotFinityCoordinator:
    """The default conversation agent, with the example sentences installed."""
    target = tmp_path / "custom_sentences" / "en"
    target.mkdir(parents=True)
    shutil.copy(SENTENCES, target / SENTENCES.name)
    hass.config.config_dir = str(tmp_path)
    assert await async_setup_component(hass, conversation.DOMAIN, {})
    return coordinator


async def say(hass: HomeAssistant, text: str) -> intent.IntentResponse:
    """Talk to the default agent."""
    result = await conversation.async_converse(hass, text, None, Context(), "en")
    return result.response


@pytest.mark.usefixtures("default_agent")
async def test_example_sentences(hass: HomeAssistant) -> None:
    """The example sentences reach the DepotFinity intents."""
    calls = mock_actions(hass)
    response = await say(hass, "what is the status of bay 3")
    assert speech(response).startswith("Bay 3 is available; connector 1 is ")
    response = await say(hass, "how is charger CH-02 doing")
    assert speech(response).startswith("Charger CH-02 is available")

    response = await say(hass, "start charging on bay 3 connector 2")
    assert speech(response) == "Bay 3 connector 2 is starting to charge."
    response = await say(hass, "stop charging on the charger ch-02 connector 1")
    assert speech(response) == "Stopping the charging on Charger CH-02 connector 1."
    response = await say(hass, "reserve bay 3 connector 2 for 45 minutes")
    assert speech(response) == "Reserved Bay 3 connector 2 for 45 minutes."
    assert [c.data["connector_id"] for c in calls["start_charging"]] == [2]
    assert [c.data["device_id"] for c in calls["stop_charging"]] == [charger_device(hass, "CH-02")]
    assert calls["reserve_connector"][0].data["end"] - calls["reserve_connector"][0].data[
        "start"
    ] == timedelta(minutes=45)

    response = await say(hass, "start charging on bay 12")
    assert speech(response) == "I don't know a DepotFinity charger called bay 12."


@pytest.mark.usefixtures("default_agent")
async def test_assist_names_connector_entities_with_the_charger(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """A connector entity answers to "<charger> <connector> <entity>", not to its friendly name.

    The friendly name of a connector entity is "Connector 1 Status"; Assist
    matches the full name through the parent (charger) device.
    """
    entity_id = "sensor.bay_3_connector_1_status"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.name == "Connector 1 Status"
    entry = entity_registry.async_get(entity_id)
    assert intent.async_get_entity_aliases(hass, entry, state=state) == ["Bay 3 Connector 1 Status"]
    async_expose_entity(hass, conversation.DOMAIN, entity_id, True)

    response = await say(hass, "what is bay 3 connector 1 status")
    assert speech(response) == "Bay 3 connector 1 status is available"
    response = await say(hass, "what is connector 1 status")
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS


@pytest.mark.skipif(not HAS_SWITCH, reason="the Charging switch is not there yet")
async def test_turn_on_charging_switch_by_voice(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    default_agent: DepotFinityCoordinator,
) -> None:
    """ "Turn on Bay 3 connector 1 charging" starts a session, "turn off" ends it."""
    switch = "switch.bay_3_connector_1_charging"
    assert hass.states.get(switch) is not None

    response = await say(hass, "turn on Bay 3 connector 1 charging")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE, speech(response)
    await hass.async_block_till_done()
    assert hass.states.get(switch).state == STATE_ON
    _, connector = simulator.sim.connector("CH-01", 1)
    assert connector.transaction is not None

    response = await say(hass, "turn off bay 3 connector 1 charging")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE, speech(response)
    await hass.async_block_till_done()
    assert connector.transaction is None
