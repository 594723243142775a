"""Voice through Assist's default agent: the example sentences, built-in intents on entities."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import shutil

from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er, intent
from homeassistant.setup import async_setup_component
import pytest

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from depotfinity_simulator import SimulatorServer

from .helpers import (
    charger_device,
    mock_charging_actions,
    speech,
    voice_coordinator,
    voice_entry,
)

pytestmark = pytest.mark.usefixtures("start_time", "default_agent")

SENTENCES = Path(__file__).parent.parent / "config" / "custom_sentences" / "en" / "depotfinity.yaml"

mock_config_entry = pytest.fixture(voice_entry, name="mock_config_entry")
coordinator = pytest.fixture(voice_coordinator, name="coordinator")


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


async def test_example_sentences(hass: HomeAssistant) -> None:
    """The example sentences reach the DepotFinity intents."""
    calls = mock_charging_actions(hass)
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
    reservation = calls["reserve_connector"][0].data
    assert reservation["end"] - reservation["start"] == timedelta(minutes=45)

    response = await say(hass, "start charging on bay 12")
    assert speech(response) == "I don't know a DepotFinity charger called bay 12."


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


async def test_turn_on_charging_switch_by_voice(
    hass: HomeAssistant, simulator: SimulatorServer
) -> None:
    """ "Turn on Bay 3 connector 1 charging" starts a session, "turn off" ends it."""
    switch = "switch.bay_3_connector_1_charging"
    _, connector = simulator.sim.connector("CH-01", 1)
    for text, state in (
        ("turn on Bay 3 connector 1 charging", STATE_ON),
        ("turn off bay 3 connector 1 charging", STATE_OFF),
    ):
        response = await say(hass, text)
        assert response.response_type is intent.IntentResponseType.ACTION_DONE, speech(response)
        await hass.async_block_till_done()
        assert (hass.states.get(switch).state, connector.transaction is not None) == (
            state,
            state == STATE_ON,
        )
