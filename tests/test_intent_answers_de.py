"""Voice in German: the answers are given in the language of the request."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
import pytest

from custom_components.depotfinity.answers import PHRASES, say, spoken_language
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.intent import (
    INTENT_CHARGER_STATUS,
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
)

from .helpers import ask, mock_charging_actions, speech, voice_coordinator, voice_entry

pytestmark = pytest.mark.usefixtures("start_time")

mock_config_entry = pytest.fixture(voice_entry, name="mock_config_entry")
coordinator = pytest.fixture(voice_coordinator, name="coordinator")


def test_every_answer_is_spoken_in_german() -> None:
    """No German answer is missing or has other placeholders than the English one."""
    assert set(PHRASES["de"]) == set(PHRASES["en"])
    for key, english in PHRASES["en"].items():
        assert PHRASES["de"][key] != english, key
        assert _fields(PHRASES["de"][key]) == _fields(english), key
    assert spoken_language("de-CH") == "de"
    assert spoken_language("fr") == "en"  # not spoken yet: English answers
    assert say("fr", "offline", name="Bay 3") == "Bay 3 is offline."


def _fields(template: str) -> set[str]:
    return {part.split("}")[0] for part in template.split("{")[1:]}


@pytest.mark.usefixtures("coordinator")
async def test_answers_in_german(hass: HomeAssistant) -> None:
    """Status, questions, actions and errors, all in German for a German request."""
    calls = mock_charging_actions(hass)
    response = await ask(hass, INTENT_CHARGER_STATUS, "de", charger="bay 3")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == (
        "Bay 3 ist verfügbar; Anschluss 1 ist verfügbar, Anschluss 2 ist verfügbar."
    )
    response = await ask(hass, INTENT_START_CHARGING, "de", charger="Bay 3")
    assert response.error_code is None
    assert speech(response) == "Bay 3 hat zwei freie Anschlüsse, 1 und 2. Welchen?"
    response = await ask(
        hass, INTENT_START_CHARGING, "de", charger="die Ladestation Bay 3", connector=2
    )
    assert speech(response) == "Bay 3 Anschluss 2 beginnt zu laden."
    assert [call.data["connector_id"] for call in calls["start_charging"]] == [2]
    response = await ask(hass, INTENT_STOP_CHARGING, "de", charger="Bay 3")
    assert speech(response) == "An Bay 3 wird gerade nicht geladen."
    response = await ask(hass, INTENT_STOP_CHARGING, "de", charger="Bay 9")
    assert speech(response) == "Ich kenne keine DepotFinity-Ladestation namens Bay 9."
    response = await ask(hass, INTENT_CHARGER_STATUS, "de", charger="CH-02")
    assert speech(response).startswith("Ladestation CH-02 ist ")


async def test_english_stays_english(
    hass: HomeAssistant, coordinator: DepotFinityCoordinator
) -> None:
    """A request without a language (or in English) is answered in English."""
    response = await ask(hass, INTENT_STOP_CHARGING, charger="Bay 3")
    assert speech(response) == "Nothing is charging on Bay 3."
