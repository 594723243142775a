"""A group's calendar of power-limit windows, the calendars' history and their cost."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.number import (
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.depotfinity.api import PowerLimitWindow, Reservation, Transaction
from custom_components.depotfinity.data import (
    HISTORY,
    MAX_HISTORY,
    ConnectorData,
    GroupData,
    PowerLimit,
)
from custom_components.depotfinity.jobs import JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import START
from .helpers import ID_TAG, setup_integration, tick
from .test_calendar import CALENDAR, entity_events, get_events
from .test_services_helpers import call, group_device, hours

pytestmark = pytest.mark.usefixtures("start_time")

GROUP_CALENDAR = "calendar.group_1_power_limits"


def _at(value: float) -> str:
    return (START + timedelta(hours=value)).isoformat()


async def test_power_limit_windows(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    """Limits set from Home Assistant show as windows; a new schedule replaces what is ahead."""
    assert hass.states.get(GROUP_CALENDAR).state == STATE_OFF
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: "number.group_1_power_limit", ATTR_VALUE: 150},
        blocking=True,
    )
    state = hass.states.get(GROUP_CALENDAR)
    assert state.state == STATE_ON
    assert state.attributes["message"] == "Power limit 150 kW"

    await tick(hass, freezer, 3600, simulator)
    await call(
        hass,
        "set_power_limit",
        {
            "device_id": group_device(hass, init_integration, simulator),
            "schedule": [
                {"start": hours(2), "end": hours(4), "power_limit": 80.5},
                {"start": hours(5), "end": hours(6), "power_limit": 400},
            ],
        },
    )
    events = await get_events(hass, -24, 48, entity_id=GROUP_CALENDAR)
    assert [(e["start"], e["end"], e["summary"]) for e in events] == [
        (_at(0), _at(1), "Power limit 150 kW"),
        (_at(2), _at(4), "Power limit 80.5 kW"),
        (_at(5), _at(6), "Power limit 400 kW"),
    ]
    state = hass.states.get(GROUP_CALENDAR)
    assert state.state == STATE_OFF
    assert state.attributes["message"] == "Power limit 80.5 kW"


async def test_windows_kept_across_restarts(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The windows set before a restart show again; one that cannot be read is left out."""
    stored = {
        "windows": [
            {"start": _at(-2), "end": _at(1), "limit_w": 120_000},
            {"start": "yesterday", "end": _at(2)},
            {"start": _at(3), "end": None, "limit_w": 5},
        ]
    }
    mock_restore_cache_with_extra_data(hass, ((State(GROUP_CALENDAR, STATE_ON), stored),))
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    state = hass.states.get(GROUP_CALENDAR)
    assert state.state == STATE_ON
    assert state.attributes["message"] == "Power limit 120 kW"
    events = await entity_events(hass, -24, 24, entity_id=GROUP_CALENDAR)
    assert [(e.start, e.end) for e in events] == [
        (START - timedelta(hours=2), START + timedelta(hours=1))
    ]

    # What the entity stores for the next restart.
    calendar = hass.data["calendar"].get_entity(GROUP_CALENDAR)
    assert calendar.extra_restore_state_data.as_dict() == {
        "windows": [{"start": _at(-2), "end": _at(1), "limit_w": 120_000.0}]
    }


async def test_connector_calendar_disabled_by_default(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A connector's calendar is off by default: no reservations read; the group's is on."""
    entity = entity_registry.async_get(CALENDAR)
    assert entity is not None
    assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(GROUP_CALENDAR) is not None
    coordinator = init_integration.runtime_data.coordinator
    for _ in range(20):
        await tick(hass, freezer, 10)
    assert not any(job.kind is JobKind.RESERVATIONS for job in coordinator.planner.jobs)


def _session(number: int, end_hours: float) -> Transaction:
    end = START + timedelta(hours=end_hours)
    return Transaction(
        transaction_id=number,
        charger_id="CH-01",
        connector_id=1,
        start_at=end - timedelta(hours=1),
        end_at=end,
        initial_soc=None,
        end_soc=None,
        energy_delivered=None,
        end_result=None,
        vehicle_id=None,
    )


def test_session_history_is_bounded() -> None:
    """A connector keeps its last 30 days of sessions, at most 100, each once."""
    connector = ConnectorData("CH-01", 1)
    for number in range(150):
        connector.apply_transaction(_session(number, number - 150))
    connector.apply_transaction(_session(149, -1))  # read again
    assert len(connector.sessions) == MAX_HISTORY
    assert min(connector.sessions) == 50

    connector.apply_transaction(_session(500, HISTORY.total_seconds() / 3600))
    assert sorted(connector.sessions) == [500]


def test_a_new_schedule_replaces_what_is_ahead() -> None:
    """What ran until now stays; the windows still ahead give way to the new schedule."""
    group = GroupData("G", "Group")
    now = START
    group.set_schedule(
        [
            PowerLimitWindow(now - timedelta(hours=3), now - timedelta(hours=2), 1_000),
            PowerLimitWindow(now - timedelta(hours=1), now + timedelta(hours=1), 2_000),
            PowerLimitWindow(now + timedelta(hours=2), now + timedelta(hours=3), 3_000),
        ],
        now - timedelta(hours=1),
    )
    group.set_schedule([PowerLimitWindow(now, now + timedelta(hours=4), 4_000)], now)
    assert group.power_windows == [
        PowerLimitWindow(now - timedelta(hours=3), now - timedelta(hours=2), 1_000),
        PowerLimitWindow(now - timedelta(hours=1), now, 2_000),
        PowerLimitWindow(now, now + timedelta(hours=4), 4_000),
    ]
    assert group.power_limit == PowerLimit(4_000, now + timedelta(hours=4))
    group.set_schedule([], now + timedelta(hours=5))
    assert group.power_limit is None
    assert len(group.power_windows) == 3


def test_reservations_change_before_and_after_a_read() -> None:
    """A change made from Home Assistant shows at once, before the first read too."""
    connector = ConnectorData("CH-01", 1)
    connector.change_reservations(cancelled="r1")
    assert connector.reservations == []

    def reservation(reservation_id: str | None, start: float) -> Reservation:
        at = START + timedelta(hours=start)
        return Reservation(reservation_id, "CH-01", 1, at, at + timedelta(hours=1), "RFID")

    connector.set_reservations([reservation(None, 1), reservation("r1", 3)])
    connector.change_reservations(made=reservation("r2", 2))
    assert [r.reservation_id for r in connector.reservations] == [None, "r2", "r1"]
    connector.change_reservations(cancelled="r1")
    assert [r.reservation_id for r in connector.reservations] == [None, "r2"]


async def test_windows_kept_across_reloads(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """A reload keeps the windows the entry knew (no restore needed)."""
    await call(
        hass,
        "set_power_limit",
        {
            "device_id": group_device(hass, init_integration, simulator),
            "schedule": [{"start": hours(1), "end": hours(2), "power_limit": 50}],
        },
    )
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    events = await get_events(hass, 0, 24, entity_id=GROUP_CALENDAR)
    assert [(e["start"], e["summary"]) for e in events] == [(_at(1), "Power limit 50 kW")]
