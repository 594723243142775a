"""Charging actions against the simulator: registration, start/stop, remote commands."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.service import async_get_all_descriptions
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.jobs import Job, JobKind
from custom_components.depotfinity.services import ACTIONS
from depotfinity_simulator import SimulatorServer

from .helpers import COMMAND_ROUTE, ID_TAG, expected_wait
from .test_services_helpers import call, charger_device, connector_device


def _vehicle_tag(simulator: SimulatorServer, charger: int, connector: int) -> str:
    """The idTag of the vehicle charging at a connector (indices from 0)."""
    chargers = simulator.sim.snapshot()["chargers"]
    tag: str = chargers[charger]["connectors"][connector]["vehicle"]["id_tag"]
    return tag


async def test_actions_are_described(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Every action is registered once at setup and described in services.yaml."""
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == set(ACTIONS)
    assert len(ACTIONS) == 14
    for name, description in descriptions.items():
        assert description["fields"], name
    assert descriptions["set_power_limit"]["fields"]["schedule"]["selector"]["object"]["multiple"]

    # Unloading the entry keeps the actions (they belong to the integration).
    await hass.config_entries.async_unload(init_integration.entry_id)
    assert hass.services.has_service(DOMAIN, "start_charging")


async def test_start_and_stop_charging(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Start with a connector device, stop with the charger device and a number."""
    entry = init_integration
    result = await call(
        hass,
        "start_charging",
        {"device_id": connector_device(hass, entry, number=2)},
        response=True,
    )
    assert result == {
        "command_type": "startChargingSession",
        "status": "Accepted",
        "message": "Operation successful: Start charging request has been accepted.",
    }
    assert simulator.sim.connector_status("CH-01", 2) == "Charging"
    assert _vehicle_tag(simulator, 0, 1) == ID_TAG

    await call(hass, "stop_charging", {"device_id": charger_device(hass, entry), "connector_id": 2})
    assert simulator.sim.connector_status("CH-01", 2) == "Finishing"


@pytest.mark.parametrize("id_tag", [None])
async def test_start_charging_with_another_id_tag(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """The id_tag field overrides the option (and works without one)."""
    device = connector_device(hass, init_integration, "CH-02", 1)
    await call(hass, "start_charging", {"device_id": device, "id_tag": "CAFE01"})
    assert _vehicle_tag(simulator, 1, 0) == "CAFE01"


@pytest.mark.parametrize("id_tag", [None])
async def test_missing_id_tag(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Without id_tag and without the option, the user is told to set one."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_charging", {"device_id": connector_device(hass, init_integration)})
    assert err.value.translation_key == "id_tag_missing"
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 0


async def test_send_remote_command(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Any command type, with a payload; the response is the charger's answer."""
    simulator.sim.plug_in("CH-01", 1)
    result = await call(
        hass,
        "send_remote_command",
        {
            "device_id": connector_device(hass, init_integration),
            "command_type": "startChargingSession",
            "id_tag": "BEEF02",
            "id_tag_type": "RFID",
            "payload": {"chargingProfile": {"limit": 32}},
        },
        response=True,
    )
    assert result["status"] == "Accepted"
    assert simulator.sim.connector_status("CH-01", 1) == "Charging"
    assert _vehicle_tag(simulator, 0, 0) == "BEEF02"

    # Refused by the charger: the error carries its message.
    with pytest.raises(HomeAssistantError, match="Rejected by the charger"):
        await call(
            hass,
            "send_remote_command",
            {
                "device_id": charger_device(hass, init_integration, "CH-02"),
                "connector_id": 1,
                "command_type": "stopChargingSession",
            },
        )


async def test_action_during_maintenance(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """An action during maintenance fails at once and says when to retry.

    That is the maintenance's end (Retry-After), or the client's first 30 s back-off.
    """
    simulator.sim.faults.maintenance(90)
    with pytest.raises(HomeAssistantError, match=f"retry in {expected_wait(90, 30)} seconds"):
        await call(hass, "start_charging", {"device_id": connector_device(hass, init_integration)})
    assert simulator.sim.connector_status("CH-01", 1) == "Available"


async def test_force_reconnect(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """The charger device's backend connection is dropped."""
    await call(
        hass, "force_reconnect", {"device_id": charger_device(hass, init_integration, "CH-02")}
    )
    chargers = simulator.sim.snapshot()["chargers"]
    assert [charger["connected"] for charger in chargers] == [True, False]


async def test_follow_up_after_a_command(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """After a start the connector's status is read again within seconds."""
    coordinator = init_integration.runtime_data.coordinator
    job = Job(JobKind.CONNECTOR_STATUS, "CH-02", 2)
    coordinator.planner.reschedule(job, 600)
    device = connector_device(hass, init_integration, "CH-02", 2)
    await call(hass, "start_charging", {"device_id": device})
    assert coordinator.planner.due_in(job) == 3
