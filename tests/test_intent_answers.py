"""Voice: the charger status intent, the wording of a charger's status, German answers."""

from __future__ import annotations

import re

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
import pytest

from custom_components.depotfinity.answers import PHRASES, say, spoken_language
from custom_components.depotfinity.api import Connectivity, StatusRecord
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.data import ChargerData, ConnectorData
from custom_components.depotfinity.intent import (
    INTENT_CHARGER_STATUS,
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
)
from custom_components.depotfinity.jobs import Job, JobKind
from custom_components.depotfinity.spoken import describe_charger
from depotfinity_simulator import SimulatorServer

from .helpers import (
    ask,
    mock_charging_actions,
    poll_until,
    speech,
    voice_coordinator,
    voice_entry,
)

# The voice tests' entry (a charger named Bay 3) and its coordinator, at a fixed time.
mock_config_entry = pytest.fixture(voice_entry, name="mock_config_entry")
coordinator = pytest.fixture(voice_coordinator, name="coordinator")
pytestmark = pytest.mark.usefixtures("start_time")


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
    job = Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)

    def drawing_power() -> bool:
        return charging.is_charging and bool(charging.power_w)

    await poll_until(hass, freezer, simulator, coordinator, drawing_power, job)
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="Bay 3")
    assert re.fullmatch(
        r"Bay 3 is available; connector 1 is charging at \d+(\.\d)? kW, "
        r"connector 2 is available\.",
        speech(response),
    ), speech(response)

    simulator.sim.inject_fault("CH-02", error_code="GroundFailure")
    charger = coordinator.data.chargers["CH-02"]
    jobs = (Job(JobKind.CHARGER_STATUS, "CH-02"), Job(JobKind.CONNECTOR_STATUS, "CH-02", 2))
    await poll_until(hass, freezer, simulator, coordinator, lambda: charger.is_faulted, jobs[0])
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="CH-02")
    assert speech(response) == "Charger CH-02 is faulted: ground failure."

    simulator.sim.clear_fault("CH-02")
    simulator.sim.inject_fault("CH-02", 2, error_code="HighTemperature")
    fault = ("HighTemperature", "E42", 2)
    await poll_until(hass, freezer, simulator, coordinator, lambda: charger.fault == fault, *jobs)
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
    charger = coordinator.data.chargers["CH-02"]
    job = Job(JobKind.CONNECTIVITY, "CH-02")
    await poll_until(hass, freezer, simulator, coordinator, lambda: charger.connected is False, job)
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="CH-02")
    assert speech(response) == "Charger CH-02 is offline."

    coordinator.last_update_success = False
    response = await ask(hass, INTENT_CHARGER_STATUS, charger="Bay 3")
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert speech(response) == (
        "DepotFinity cannot be reached right now, so I don't know how Bay 3 is."
    )


# German: the answers are given in the language of the request.


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
