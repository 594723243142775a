"""Voice in German through Assist's default agent: the German example sentences.

Home Assistant runs in German here, as a German depot's would. The sentences must
reach the same intents, with the same slots, as the English ones checked in
``test_intent_sentences.py``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from homeassistant.components import conversation
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
import pytest

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.intent import (
    INTENT_CHARGER_STATUS,
    INTENT_RESERVE_CONNECTOR,
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
)
from depotfinity_simulator import SimulatorServer

from .helpers import charger_device, mock_charging_actions, voice_coordinator, voice_entry

pytestmark = pytest.mark.usefixtures("start_time", "default_agent")

LANGUAGE = "de"
SENTENCES = (
    Path(__file__).parent.parent / "config" / "custom_sentences" / LANGUAGE / "depotfinity.yaml"
)

mock_config_entry = pytest.fixture(voice_entry, name="mock_config_entry")
coordinator = pytest.fixture(voice_coordinator, name="coordinator")


@pytest.fixture(autouse=True)
def german_home_assistant(hass: HomeAssistant) -> None:
    """Home Assistant in German, before the integration sets up its devices and entities."""
    hass.config.language = LANGUAGE


@pytest.fixture
async def default_agent(
    hass: HomeAssistant, tmp_path: Path, coordinator: DepotFinityCoordinator
) -> DepotFinityCoordinator:
    """The default conversation agent, with the German example sentences installed."""
    target = tmp_path / "custom_sentences" / LANGUAGE
    target.mkdir(parents=True)
    shutil.copy(SENTENCES, target / SENTENCES.name)
    hass.config.config_dir = str(tmp_path)
    assert await async_setup_component(hass, conversation.DOMAIN, {})
    return coordinator


async def sage(hass: HomeAssistant, text: str) -> intent.IntentResponse:
    """Talk German to the default agent."""
    result = await conversation.async_converse(hass, text, None, Context(), LANGUAGE)
    return result.response


def recognized(response: intent.IntentResponse) -> tuple[str, dict[str, Any]]:
    """The intent a sentence reached, and the values of its slots."""
    assert response.intent is not None, response.speech
    slots = {name: slot["value"] for name, slot in response.intent.slots.items()}
    return response.intent.intent_type, slots


@pytest.mark.parametrize(
    ("text", "intent_type", "slots"),
    [
        (
            "Starte das Laden an Bay 3 Anschluss 1",
            INTENT_START_CHARGING,
            {"charger": "Bay 3", "connector": 1},
        ),
        ("Lade an Bay 3 Anschluss 2", INTENT_START_CHARGING, {"charger": "Bay 3", "connector": 2}),
        ("Starte den Ladevorgang an CH-02", INTENT_START_CHARGING, {"charger": "CH-02"}),
        (
            "Stopp das Laden an der Ladestation CH-02 Anschluss 1",
            INTENT_STOP_CHARGING,
            {"charger": "CH-02", "connector": 1},
        ),
        ("Beende den Ladevorgang bei Bay 3", INTENT_STOP_CHARGING, {"charger": "Bay 3"}),
        ("Wie geht es Ladestation CH-02?", INTENT_CHARGER_STATUS, {"charger": "CH-02"}),
        ("Wie ist der Status von Bay 3", INTENT_CHARGER_STATUS, {"charger": "Bay 3"}),
        ("Was macht die Ladestation Bay 3 gerade", INTENT_CHARGER_STATUS, {"charger": "Bay 3"}),
        ("Status der Ladestation CH-02", INTENT_CHARGER_STATUS, {"charger": "CH-02"}),
        (
            "Reserviere Bay 3 Anschluss 2 für 45 Minuten",
            INTENT_RESERVE_CONNECTOR,
            {"charger": "Bay 3", "connector": 2, "minutes": 45},
        ),
        (
            "Reserviere die Ladestation CH-02 für 1 Minute",
            INTENT_RESERVE_CONNECTOR,
            {"charger": "CH-02", "minutes": 1},
        ),
    ],
)
async def test_german_sentences_reach_the_intents(
    hass: HomeAssistant, text: str, intent_type: str, slots: dict[str, Any]
) -> None:
    """Each German sentence reaches its DepotFinity intent with the charger, connector, minutes."""
    mock_charging_actions(hass)
    assert recognized(await sage(hass, text)) == (intent_type, slots)


async def test_german_sentences_run_the_actions(hass: HomeAssistant) -> None:
    """Start, stop and reserve in German call the actions on the right charger and connector."""
    calls = mock_charging_actions(hass)
    for text in (
        "Starte das Laden an Bay 3 Anschluss 2",
        "Stopp das Laden an der Ladestation ch-02 Anschluss 1",
        "Reserviere Bay 3 Anschluss 2 für 45 Minuten",
    ):
        response = await sage(hass, text)
        assert response.response_type is intent.IntentResponseType.ACTION_DONE, text

    start, stop, reservation = (
        calls[name][0].data for name in ("start_charging", "stop_charging", "reserve_connector")
    )
    assert (start["device_id"], start["connector_id"]) == (charger_device(hass, "CH-01"), 2)
    assert (stop["device_id"], stop["connector_id"]) == (charger_device(hass, "CH-02"), 1)
    assert reservation["connector_id"] == 2
    assert reservation["end"] - reservation["start"] == timedelta(minutes=45)


async def test_german_status_is_a_query_answer(hass: HomeAssistant) -> None:
    """Asking how a charger is doing answers from the fleet, not as an action."""
    response = await sage(hass, "Wie geht es der Ladestation CH-02")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert [target.id for target in response.success_results] == [charger_device(hass, "CH-02")]


async def test_unknown_german_sentence_is_not_a_depotfinity_intent(hass: HomeAssistant) -> None:
    """A sentence outside the examples does not start charging anywhere."""
    calls = mock_charging_actions(hass)
    response = await sage(hass, "Koche Kaffee an Bay 3")
    assert response.intent is None or not response.intent.intent_type.startswith("DepotFinity")
    assert all(not recorded for recorded in calls.values())


async def test_charging_switch_by_german_voice(
    hass: HomeAssistant, simulator: SimulatorServer
) -> None:
    """ "Schalte Bay 3 Anschluss 1 Laden an" starts a session, "… aus" ends it.

    With Home Assistant in German the connector device is "Anschluss 1" and its
    switch "Laden", so Assist's built-in sentences need nothing of ours.
    """
    switch = "switch.bay_3_anschluss_1_laden"
    _, connector = simulator.sim.connector("CH-01", 1)
    for text, state in (
        ("Schalte Bay 3 Anschluss 1 Laden an", STATE_ON),
        ("Schalte Bay 3 Anschluss 1 Laden aus", STATE_OFF),
    ):
        response = await sage(hass, text)
        assert response.response_type is intent.IntentResponseType.ACTION_DONE, response.speech
        await hass.async_block_till_done()
        assert (hass.states.get(switch).state, connector.transaction is not None) == (
            state,
            state == STATE_ON,
        )
