"""The charger fault blueprint: notify with the charger's name and codes, then reconnect."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import CLIENT_ID
from .helpers import entry_with_chargers, poll_until, setup_integration, tick

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
def mock_config_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """One charger, named "Bay 3"."""
    return entry_with_chargers(mock_config_entry, {"CH-01": "Bay 3"})


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


@dataclass
class Depot:
    """Home Assistant with the entry set up, its clock and the simulated depot."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    simulator: SimulatorServer
    coordinator: DepotFinityCoordinator

    async def fault(self, *, raised: bool) -> None:
        """Raise (or clear) a ground failure on connector 2, and let Home Assistant see it.

        The polls are run by hand instead of by waiting for everything to settle: an
        automation waiting in a delay never settles while the clock stands still.
        """
        if raised:
            self.simulator.sim.inject_fault(
                "CH-01", 2, error_code="GroundFailure", vendor_error_code=4711
            )
        else:
            self.simulator.sim.clear_fault("CH-01", 2)
        charger = self.coordinator.data.chargers["CH-01"]
        self.coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, "CH-01", 2), 0)
        for _ in range(20):
            self.freezer.tick(4)
            self.simulator.clock.advance(4)
            await self.coordinator.async_refresh()
            if charger.is_faulted is raised:
                break
        else:
            raise AssertionError("the fault never showed")
        for _ in range(20):  # let the automation run up to its delay
            await asyncio.sleep(0)

    async def wait(self, seconds: float) -> None:
        """Let time pass (ending an automation's delay) and everything settle."""
        await tick(self.hass, self.freezer, seconds, self.simulator)

    def connected(self) -> bool:
        """Whether the charger is connected to the service."""
        return self.simulator.sim.charger("CH-01").connected


@pytest.fixture
async def depot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> Depot:
    """The entry, once the charger's availability is known (the fault event's baseline)."""
    coordinator = await setup_integration(hass, mock_config_entry)
    charger = coordinator.data.chargers["CH-01"]

    def known() -> bool:
        return charger.availability is not None and all(
            c.status is not None for c in charger.connectors.values()
        )

    await poll_until(hass, freezer, simulator, coordinator, known)
    return Depot(hass, freezer, simulator, coordinator)


@pytest.fixture
def send_message(hass: HomeAssistant) -> list[ServiceCall]:
    """The calls of notify.send_message (recorded, not made)."""
    return async_mock_service(hass, "notify", "send_message")


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
    hass: HomeAssistant, depot: Depot, send_message: list[ServiceCall]
) -> None:
    """A fault sends the message to notify entities and actions, then presses the button."""
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

    await depot.fault(raised=True)
    message = "Bay 3 reports GroundFailure on connector 2 (vendor code 4711)."
    assert [call.data for call in send_message] == [
        {"entity_id": ["notify.depot_office"], "title": "Charger fault: Bay 3", "message": message}
    ]
    assert [call.data for call in mobile_app] == [
        {"message": message, "data": {"code": "GroundFailure"}}
    ]

    # The fault is still there after the wait: the real button drops the connection.
    assert depot.connected()
    await depot.wait(31)
    assert not depot.connected()


async def test_no_reconnect_once_the_fault_cleared(
    hass: HomeAssistant, depot: Depot, send_message: list[ServiceCall]
) -> None:
    """A fault that clears during the wait is not answered with a reconnect."""
    await use_blueprint(
        hass,
        notify_targets=["notify.depot_office"],
        force_reconnect=True,
        reconnect_button=entity_id(hass, "button", "force_reconnect"),
        reconnect_delay={"minutes": 5},
    )
    press = async_mock_service(hass, "button", "press")

    await depot.fault(raised=True)
    await depot.fault(raised=False)
    await depot.wait(301)
    assert len(send_message) == 1
    assert not press


async def test_only_notifies_when_asked_and_not_on_reload(
    hass: HomeAssistant,
    depot: Depot,
    send_message: list[ServiceCall],
    mock_config_entry: MockConfigEntry,
) -> None:
    """Without a reconnect, only the notification; a reloaded entry does not repeat it."""
    press = async_mock_service(hass, "button", "press")
    await use_blueprint(hass, notify_targets=["notify.depot_office"])

    await depot.fault(raised=True)
    await hass.async_block_till_done()
    assert len(send_message) == 1
    event = hass.states.get(entity_id(hass, "event", "fault"))
    assert event is not None

    await depot.wait(10)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await depot.wait(10)
    # The event entity came back with its last event, which is not a new fault.
    restored = hass.states.get(event.entity_id)
    assert restored is not None
    assert restored.state == event.state
    assert len(send_message) == 1
    assert not press
