"""Reservation actions against the simulator, and the next-reservation sensor they feed."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.api import ApiGroup
from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import JobKind
from custom_components.depotfinity.repairs import package_issue_id
from depotfinity_simulator import SimulatorServer

from .helpers import ID_TAG, read_statuses, setup_integration, tick, tick_until
from .test_services_helpers import TAG, call, connector_device, hours, reserve

RESERVATIONS_ROUTE = "/v1/reservations/chargers/{chargerId}/connectors/{connectorId}"
NEXT_RESERVATION = "sensor.ch_01_connector_1_next_reservation"


def _reservation_reads(simulator: SimulatorServer) -> int:
    """GETs of reservation lists (the POST that adds one has the same route, and 201)."""
    return sum(
        1
        for _, route, status in simulator.sim.stats.log
        if route == RESERVATIONS_ROUTE and status == 200
    )


def _reserved(simulator: SimulatorServer) -> list[tuple[str, str]]:
    """Reservations of CH-01 connector 1 in the simulator: (id, RFID tag)."""
    connector = simulator.sim.snapshot()["chargers"][0]["connectors"][0]
    return [(r["reservationId"], r["AuthorizationValue"]) for r in connector["reservations"]]


def _reservation_jobs(coordinator: DepotFinityCoordinator) -> int:
    return sum(1 for job in coordinator.planner.jobs if job.kind is JobKind.RESERVATIONS)


async def test_reserve_list_and_cancel(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """A reservation is made, listed without its tag, and cancelled."""
    device = connector_device(hass, init_integration)
    reservation_id = (await reserve(hass, init_integration, 0, 2))["reservation_id"]
    assert _reserved(simulator) == [(reservation_id, TAG)]
    assert simulator.sim.connector_status("CH-01", 1) == "Reserved"

    listed = await call(hass, "list_reservations", {"device_id": device}, response=True)
    assert listed == {
        "reservations": [
            {
                "reservation_id": reservation_id,
                "start": "2026-11-02T08:00:00+00:00",
                "end": "2026-11-02T10:00:00+00:00",
                "authorization_type": "RFID",
                "rfid_tag": "***5D",
            }
        ]
    }
    assert TAG not in str(listed)

    await call(hass, "cancel_reservation", {"device_id": device, "reservation_id": reservation_id})
    assert _reserved(simulator) == []
    assert simulator.sim.connector_status("CH-01", 1) == "Available"


async def test_overlapping_reservation_is_refused(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """DepotFinity's own refusal comes back with its message."""
    await reserve(hass, init_integration, 1, 3)
    with pytest.raises(HomeAssistantError, match="overlaps another reservation") as err:
        await reserve(hass, init_integration, 2, 4)
    assert err.value.translation_key == "request_refused"
    assert len(_reserved(simulator)) == 1


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_next_reservation_sensor(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    """The sensor shows the next reservation's start, end and id, never its tag."""
    coordinator = init_integration.runtime_data.coordinator
    await tick_until(hass, freezer, coordinator, lambda: _reservation_reads(simulator) == 4)
    assert hass.states.get(NEXT_RESERVATION).state == STATE_UNKNOWN

    result = await reserve(hass, init_integration, 1, 2)
    # Read at once after the action, not a whole (long) period later.
    await tick_until(hass, freezer, coordinator, lambda: _reservation_reads(simulator) == 5)
    state = hass.states.get(NEXT_RESERVATION)
    assert state.state == "2026-11-02T09:00:00+00:00"
    assert state.attributes["end"] == "2026-11-02T10:00:00+00:00"
    assert state.attributes["reservation_id"] == result["reservation_id"]
    assert TAG not in str(state.attributes)
    assert set(state.attributes) == {"end", "reservation_id", "device_class", "friendly_name"}

    # When it begins the connector turns Reserved: the reservations are read again.
    planner = coordinator.planner
    for job in planner.jobs:  # none is due by its (long) period
        if job.kind is JobKind.RESERVATIONS:
            planner.reschedule(job, 9999)
    await tick(hass, freezer, 3600, simulator)
    await read_statuses(hass, freezer, coordinator, ("CH-01", 1), simulator=simulator)
    assert hass.states.get("sensor.ch_01_connector_1_status").state == "reserved"
    await tick_until(hass, freezer, coordinator, lambda: _reservation_reads(simulator) == 6)
    assert hass.states.get(NEXT_RESERVATION).state == "2026-11-02T09:00:00+00:00"

    # After its end it is gone, without another read.
    await tick(hass, freezer, 3600 + 1, simulator)
    assert hass.states.get(NEXT_RESERVATION).state == STATE_UNKNOWN


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "start_time")
async def test_reservations_outside_the_package(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Without the Reservations API the reads stop (one repair issue) and resume with it."""
    simulator.sim.package = "basic"
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    await tick_until(
        hass,
        freezer,
        coordinator,
        lambda: ApiGroup.RESERVATIONS in coordinator.health.disabled_apis,
    )
    assert _reservation_jobs(coordinator) == 0
    issue_id = f"{mock_config_entry.entry_id}_{package_issue_id(ApiGroup.RESERVATIONS)}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    simulator.sim.package = "premium"
    await tick(hass, freezer, 6 * 3600 + 1)
    await tick_until(hass, freezer, coordinator, lambda: not coordinator.health.disabled_apis)
    assert _reservation_jobs(coordinator) == 4
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_reservations_are_not_read_while_the_sensor_is_disabled(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Disabled by default: reservations cost no request, even after a reservation."""
    entity = entity_registry.async_get(NEXT_RESERVATION)
    assert entity is not None
    assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await reserve(hass, init_integration, 1, 2)
    for _ in range(20):
        await tick(hass, freezer, 10)
    assert simulator.sim.stats.requests_by_route[RESERVATIONS_ROUTE] == 1  # the POST
    assert _reservation_reads(simulator) == 0
    assert _reservation_jobs(init_integration.runtime_data.coordinator) == 0


async def test_reservation_times_without_zone_are_local(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """A time without a zone (the UI's date-time picker) is Home Assistant's local time."""
    data = {
        "device_id": connector_device(hass, init_integration),
        "start": "2026-11-02 01:00:00",  # US/Pacific in the tests: 09:00 UTC
        "end": "2026-11-02 02:30:00",
        "rfid_tag": TAG,
    }
    await call(hass, "reserve_connector", data)
    listed = await call(hass, "list_reservations", {"device_id": data["device_id"]}, response=True)
    window = listed["reservations"][0]
    assert (window["start"], window["end"]) == (hours(1), hours(2.5))
