"""The charger fault blueprint: notify with the charger's name and codes, then reconnect."""

from __future__ import annotations

import asyncio
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.depotfinity.const import (
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_NAME,
    DOMAIN,
    SUBENTRY_CHARGER,
)
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.scheduler import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import CLIENT_ID, entry_data
from .helpers import poll_until, setup_integration

pytestmark = pytest.mark.usefixtures("start_time")

BLUEPRINT = (
    Path(__file__).parent.parent
    / "blueprints"
    / "automation"
    / "depotfinity"
    / "charger_fault.yaml"
)
BLUEPRINT_PATH = "depotfinity/charger_fault.yaml"


@pytest.fixture
def mock_config_entry(simulator: SimulatorServer) -> MockConfigEntry:
    """One charger, named "Bay 3"."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"DepotFinity {CLIENT_ID}",
        unique_id=CLIENT_ID,
        data=entry_data(simulator),
        subentries_data=[
            {
                "data": {CONF_CHARGER_ID: "CH-01", CONF_CONNECTORS: [1, 2], CONF_NAME: "Bay 3"},
                "subentry_id": "sub_CH-01",
                "subentry_type": SUBENTRY_CHARGER,
                "title": "Bay 3",
                "unique_id": "CH-01",
            }
        ],
    )


@pytest.fixture(autouse=True)
def blueprint_installed(hass: HomeAssistant, tmp_path: Path) -> None:
    """The blueprint where Home Assistant keeps automation blueprints."""
    hass.config.config_dir = str(tmp_path)
    target = Path(hass.config.path("blueprints", "automation", "depotfinity"))
    target.mkdir(parents=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)


def entity_id(hass: HomeAssistant, domain: str, key: str) -> str:
    """The entity id of one of CH-01's entities."""
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{CLIENT_ID}_CH-01_{key}")
    assert found is not None
    return found


@pytest.fixture
async def coordinator(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> DepotFinityCoordinator:
    """The entry, once the charger's availability is known (the fault event's baseline)."""
    coordinator = await setup_integration(hass, mock_config_entry)
    charger = coordinator.data.chargers["CH-01"]
    await poll_until(
        hass,
        freezer,
        simulator,
        coordinator,
        lambda: (
            charger.availability is not None
            and all(c.status is not None for c in charger.connectors.values())
        ),
    )
    return coordinator


async def use_blueprint(hass: HomeAssistant, **inputs: Any) -> None:
    """An automation from the blueprint."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Bay 3 fault",
                "use_blueprint": {
                    "path": BLUEPRINT_PATH,
                    "input": {"fault_event": entity_id(hass, "event", "fault"), **inputs},
                },
            }
        },
    )
    await hass.async_block_till_done()


async def fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    *,
    raised: bool,
) -> None:
    """Raise (or clear) a ground failure on connector 2, and let Home Assistant see it.

    The polls are run by hand instead of by waiting for everything to settle: an
    automation waiting in a delay never settles while the clock stands still.
    """
    if raised:
        simulator.sim.inject_fault("CH-01", 2, error_code="GroundFailure", vendor_error_code=4711)
    else:
        simulator.sim.clear_fault("CH-01", 2)
    charger = coordinator.data.chargers["CH-01"]
    coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, "CH-01", 2), 0)
    for _ in range(20):
        freezer.tick(4)
        simulator.clock.advance(4)
        await coordinator.async_refresh()
        if charger.is_faulted is raised:
            break
    else:
        raise AssertionError("the fault never showed")
    for _ in range(20):  # let the automation run up to its delay
        await asyncio.sleep(0)


async def wait(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: SimulatorServer, seconds: float
) -> None:
    """Let time pass (ending an automation's delay) and everything settle."""
    freezer.tick(seconds)
    simulator.clock.advance(seconds)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_blueprint_is_valid(hass: HomeAssistant) -> None:
    """Home Assistant reads the blueprint; its inputs are the documented ones."""
    assert await async_setup_component(hass, "blueprint", {})
    blueprint = await async_get_blueprints(hass).async_get_blueprint(BLUEPRINT_PATH)
    assert blueprint.domain == "automation"
    assert set(blueprint.inputs) == {
        "fault_event",
        "notify_targets",
        "notify_actions",
        "force_reconnect",
        "reconnect_button",
        "reconnect_delay",
    }
    selector = blueprint.inputs["fault_event"]["selector"]["entity"]["filter"]
    assert selector == [{"integration": DOMAIN, "domain": ["event"]}]


async def test_fault_notifies_and_reconnects(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """A fault sends the message to notify entities and actions, then presses the button."""
    send_message = async_mock_service(hass, "notify", "send_message")
    mobile_app = async_mock_service(hass, "notify", "mobile_app_phone")
    button = entity_id(hass, "button", "force_reconnect")
    await use_blueprint(
        hass,
        notify_targets=["notify.depot_office"],
        notify_actions=[
            {
                "action": "notify.mobile_app_phone",
                "data": {"message": "{{ message }}", "data": {"code": "{{ error_code }}"}},
            }
        ],
        force_reconnect=True,
        reconnect_button=button,
        reconnect_delay={"seconds": 30},
    )

    await fault(hass, freezer, simulator, coordinator, raised=True)
    message = "Bay 3 reports GroundFailure on connector 2 (vendor code 4711)."
    assert [call.data for call in send_message] == [
        {"entity_id": ["notify.depot_office"], "title": "Charger fault: Bay 3", "message": message}
    ]
    assert [call.data for call in mobile_app] == [
        {"message": message, "data": {"code": "GroundFailure"}}
    ]

    # The fault is still there after the wait: the real button drops the connection.
    assert simulator.sim.charger("CH-01").connected
    await wait(hass, freezer, simulator, 31)
    assert not simulator.sim.charger("CH-01").connected


async def test_no_reconnect_once_the_fault_cleared(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """A fault that clears during the wait is not answered with a reconnect."""
    send_message = async_mock_service(hass, "notify", "send_message")
    await use_blueprint(
        hass,
        notify_targets=["notify.depot_office"],
        force_reconnect=True,
        reconnect_button=entity_id(hass, "button", "force_reconnect"),
        reconnect_delay={"minutes": 5},
    )
    press = async_mock_service(hass, "button", "press")

    await fault(hass, freezer, simulator, coordinator, raised=True)
    await fault(hass, freezer, simulator, coordinator, raised=False)
    await wait(hass, freezer, simulator, 301)
    assert len(send_message) == 1
    assert not press


async def test_only_notifies_when_asked_and_not_on_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Without a reconnect, only the notification; a reloaded entry does not repeat it."""
    send_message = async_mock_service(hass, "notify", "send_message")
    press = async_mock_service(hass, "button", "press")
    await use_blueprint(hass, notify_targets=["notify.depot_office"])

    await fault(hass, freezer, simulator, coordinator, raised=True)
    await hass.async_block_till_done()
    assert len(send_message) == 1
    event = hass.states.get(entity_id(hass, "event", "fault"))
    assert event is not None

    await wait(hass, freezer, simulator, 10)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await wait(hass, freezer, simulator, 10)
    # The event entity came back with its last event, which is not a new fault.
    restored = hass.states.get(event.entity_id)
    assert restored is not None
    assert restored.state == event.state
    assert len(send_message) == 1
    assert not press
