"""Voice: the DepotFinity intents that act (start, stop, reserve) and how chargers are named."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.data import ConnectorData
from custom_components.depotfinity.intent import (
    INTENT_CHARGER_STATUS,
    INTENT_RESERVE_CONNECTOR,
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
)
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .helpers import (
    ID_TAG,
    ask,
    charger_device,
    mock_charging_actions,
    poll_until,
    speech,
    voice_coordinator,
    voice_entry,
)

pytestmark = pytest.mark.usefixtures("start_time")

mock_config_entry = pytest.fixture(voice_entry, name="mock_config_entry")
coordinator = pytest.fixture(voice_coordinator, name="coordinator")


@pytest.mark.usefixtures("coordinator")
async def test_start_charging_runs_the_action(hass: HomeAssistant) -> None:
    """A named charger and connector become the start_charging action's target."""
    calls = mock_charging_actions(hass)
    response = await ask(hass, INTENT_START_CHARGING, charger="bay 3", connector=2)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == "Bay 3 connector 2 is starting to charge."
    assert [call.data for call in calls["start_charging"]] == [
        {"device_id": charger_device(hass, "CH-01"), "connector_id": 2}
    ]
    assert response.success_results[0].name == "Bay 3"


def _preparing(connector: ConnectorData) -> bool:
    return connector.status is not None and connector.status.status == "Preparing"


@pytest.mark.parametrize(
    ("intent_type", "action", "auto_start", "ready", "not_yet", "answer"),
    [
        (
            INTENT_START_CHARGING,
            "start_charging",
            False,
            _preparing,
            # Two free connectors: a question as a normal answer, not an error.
            (None, "Bay 3 has two free connectors, 1 and 2. Which one?"),
            "Bay 3 connector 2 is starting to charge.",
        ),
        (
            INTENT_STOP_CHARGING,
            "stop_charging",
            True,
            lambda connector: connector.is_active,
            (intent.IntentResponseErrorCode.FAILED_TO_HANDLE, "Nothing is charging on Bay 3."),
            "Stopping the charging on Bay 3 connector 2.",
        ),
    ],
    ids=["start", "stop"],
)
async def test_connector_is_picked_by_its_state(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    intent_type: str,
    action: str,
    auto_start: bool,
    ready: Callable[[ConnectorData], bool],
    not_yet: tuple[intent.IntentResponseErrorCode | None, str],
    answer: str,
) -> None:
    """Without a connector number: the connector a vehicle waits on, or the one charging."""
    calls = mock_charging_actions(hass)
    response = await ask(hass, intent_type, charger="Bay 3")
    assert (response.error_code, speech(response)) == not_yet
    assert not calls[action]

    simulator.sim.plug_in("CH-01", 2, auto_start=auto_start)
    connector = coordinator.data.chargers["CH-01"].connectors[2]
    job = Job(JobKind.CONNECTOR_STATUS, "CH-01", 2)
    await poll_until(hass, freezer, simulator, coordinator, lambda: ready(connector), job)
    response = await ask(hass, intent_type, charger="Bay 3")
    assert speech(response) == answer
    assert [call.data["connector_id"] for call in calls[action]] == [2]


async def test_several_charging_connectors_are_asked_about(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """Stop without a connector while two charge: which one? Nothing is stopped yet."""
    calls = mock_charging_actions(hass)
    for number in (1, 2):
        simulator.sim.plug_in("CH-01", number, auto_start=True)
    connectors = coordinator.data.chargers["CH-01"].connectors
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: all(c.is_active for c in connectors.values()),
        *(Job(JobKind.CONNECTOR_STATUS, "CH-01", n) for n in (1, 2)),
    )
    response = await ask(hass, INTENT_STOP_CHARGING, charger="Bay 3")
    assert response.error_code is None
    assert speech(response) == "Bay 3 is charging on two connectors, 1 and 2. Which one?"
    assert not calls["stop_charging"]


@pytest.mark.usefixtures("coordinator")
async def test_unknown_charger(hass: HomeAssistant) -> None:
    """A name no charger has is answered in words; nothing is run."""
    calls = mock_charging_actions(hass)
    response = await ask(hass, INTENT_START_CHARGING, charger="Bay 9")
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert speech(response) == "I don't know a DepotFinity charger called Bay 9."
    assert not calls["start_charging"]


@pytest.mark.usefixtures("coordinator")
@pytest.mark.parametrize("name", ["", "   "])
async def test_empty_charger_name_is_refused(hass: HomeAssistant, name: str) -> None:
    """An empty charger slot does not pass the slot schema."""
    with pytest.raises(intent.InvalidSlotInfo):
        await ask(hass, INTENT_START_CHARGING, charger=name)


@pytest.mark.usefixtures("coordinator")
async def test_ambiguous_name(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> None:
    """Two chargers answering to one name: the user is asked for the ID."""
    calls = mock_charging_actions(hass)
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
    calls = mock_charging_actions(hass)
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
    assert hass.services.has_service(DOMAIN, "stop_charging")
    hass.services.async_remove(DOMAIN, "stop_charging")
    response = await ask(hass, INTENT_STOP_CHARGING, charger="CH-02", connector=1)
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert "stop_charging" in speech(response)


@pytest.mark.usefixtures("coordinator")
async def test_reserve_connector(hass: HomeAssistant) -> None:
    """A reservation from now, or from a time of day, for some minutes."""
    calls = mock_charging_actions(hass)
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


@pytest.mark.usefixtures("coordinator")
async def test_intents_drive_the_depot_through_the_actions(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
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
