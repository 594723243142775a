"""A connector's calendar against the simulator: reservations made and cancelled in it, sessions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.components.calendar.const import DATA_COMPONENT
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.depotfinity.const import CONF_ID_TAG, CONF_SHOW_VEHICLE_ID
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .conftest import START, SnapshotEntities
from .helpers import ID_TAG, setup_and_poll, setup_integration, tick, tick_until
from .test_services_helpers import TAG, hours

CALENDAR = "calendar.ch_01_connector_1_reservations_and_sessions"
RESERVATIONS_ROUTE = "/v1/reservations/chargers/{chargerId}/connectors/{connectorId}"
RESERVATIONS = Job(JobKind.RESERVATIONS, "CH-01", 1)

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")


def _reserved(simulator: SimulatorServer) -> list[tuple[str, str, str, str]]:
    """Reservations of CH-01 connector 1 in the simulator: id, start, end, RFID tag."""
    connector = simulator.sim.snapshot()["chargers"][0]["connectors"][0]
    return [
        (r["reservationId"], r["ReservationStart"], r["ReservationEnd"], r["AuthorizationValue"])
        for r in connector["reservations"]
    ]


def _requests(simulator: SimulatorServer, status: int) -> int:
    """Requests to the reservations route answered with ``status`` (201: made, 200: read)."""
    return sum(
        1
        for _, route, code in simulator.sim.stats.log
        if route == RESERVATIONS_ROUTE and code == status
    )


def calendar_entity(hass: HomeAssistant, entity_id: str = CALENDAR) -> CalendarEntity:
    """The calendar entity object (what the panel's event views call)."""
    entity = hass.data[DATA_COMPONENT].get_entity(entity_id)
    assert isinstance(entity, CalendarEntity)
    return entity


async def entity_events(
    hass: HomeAssistant, start: float = -24, end: float = 48, entity_id: str = CALENDAR
) -> list[CalendarEvent]:
    """The entity's events from ``start`` to ``end`` hours after the tests' start."""
    return await calendar_entity(hass, entity_id).async_get_events(
        hass, START + timedelta(hours=start), START + timedelta(hours=end)
    )


async def get_events(
    hass: HomeAssistant, start: float = -24, end: float = 48, entity_id: str = CALENDAR
) -> list[dict[str, Any]]:
    """The calendar.get_events answer from ``start`` to ``end`` hours."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": entity_id, "start_date_time": hours(start), "end_date_time": hours(end)},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    events: list[dict[str, Any]] = response[entity_id]["events"]  # type: ignore[index]
    return events


async def create_event(
    hass: HomeAssistant,
    start: float,
    end: float,
    description: str | None = None,
    entity_id: str = CALENDAR,
) -> None:
    """calendar.create_event on CH-01 connector 1's calendar, ``start`` to ``end`` hours."""
    data = {
        "entity_id": entity_id,
        "summary": "Bus 12",
        "start_date_time": hours(start),
        "end_date_time": hours(end),
    }
    if description is not None:
        data["description"] = description
    await hass.services.async_call("calendar", "create_event", data, blocking=True)


def reservations_of(events: list[CalendarEvent]) -> list[CalendarEvent]:
    """The reservations among a calendar's events."""
    return [event for event in events if not (event.uid or "").startswith("session-")]


async def test_create_event_reserves_the_connector(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    polled_coordinator: DepotFinityCoordinator,
) -> None:
    """calendar.create_event makes a reservation for the options' tag; it shows at once."""
    await create_event(hass, 1, 2.5)
    [(reservation_id, start, end, tag)] = _reserved(simulator)
    assert (start, end, tag) == ("2026-11-02T09:00:00.000Z", "2026-11-02T10:30:00.000Z", ID_TAG)

    [event] = reservations_of(await entity_events(hass))
    assert (event.uid, event.summary, event.description) == (reservation_id, "Reserved", None)
    assert (event.start, event.end) == (START + timedelta(hours=1), START + timedelta(hours=2.5))
    listed = [e for e in await get_events(hass) if e["summary"] == "Reserved"]
    assert listed == [
        {
            "start": "2026-11-02T09:00:00+00:00",
            "end": "2026-11-02T10:30:00+00:00",
            "summary": "Reserved",
        }
    ]
    state = hass.states.get(CALENDAR)
    assert state.state == STATE_OFF
    assert state.attributes["message"] == "Reserved"
    assert ID_TAG not in str(state.attributes)

    # A read of the connector's reservations confirms it at once, not a period later.
    coordinator = polled_coordinator
    reads = _requests(simulator, 200)
    await tick_until(hass, freezer, coordinator, lambda: _requests(simulator, 200) > reads)
    assert [e.uid for e in reservations_of(await entity_events(hass))] == [reservation_id]

    # On while the reservation runs.
    await tick(hass, freezer, 3600 + 1, simulator)
    assert hass.states.get(CALENDAR).state == STATE_ON


async def test_delete_event_cancels_the_reservation(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    polled_coordinator: DepotFinityCoordinator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The panel's dialog creates and deletes over the websocket; DepotFinity follows."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "calendar/event/create",
            "entity_id": CALENDAR,
            "event": {
                "summary": "Bus 7",
                "dtstart": hours(3),
                "dtend": hours(4),
                "description": f"Night shift\ntag: {TAG}",
            },
        }
    )
    assert (await client.receive_json())["success"]
    [(reservation_id, _, _, tag)] = _reserved(simulator)
    assert tag == TAG

    await client.send_json_auto_id(
        {"type": "calendar/event/delete", "entity_id": CALENDAR, "uid": reservation_id}
    )
    assert (await client.receive_json())["success"]
    assert _reserved(simulator) == []
    assert reservations_of(await entity_events(hass)) == []
    assert hass.states.get(CALENDAR).state == STATE_OFF


async def test_refused_reservation_creates_nothing(
    hass: HomeAssistant, simulator: SimulatorServer, polled_coordinator: DepotFinityCoordinator
) -> None:
    """DepotFinity refuses an overlapping window: a translated error, one reservation."""
    await create_event(hass, 1, 3)
    with pytest.raises(HomeAssistantError, match="overlaps another reservation") as err:
        await create_event(hass, 2, 4)
    assert err.value.translation_key == "request_refused"
    assert len(_reserved(simulator)) == 1
    assert len(reservations_of(await entity_events(hass))) == 1


@pytest.mark.parametrize(
    ("start", "description", "key"),
    [
        (-2, None, "end_in_past"),
        (1, "tag: not-hex!", "invalid_rfid_tag"),
    ],
)
async def test_invalid_event_sends_nothing(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    start: float,
    description: str | None,
    key: str,
) -> None:
    """A window already over, or a tag that is not one: refused before any request."""
    with pytest.raises(ServiceValidationError) as err:
        await create_event(hass, start, start + 1, description)
    assert err.value.translation_key == key
    assert _requests(simulator, 201) == 0
    assert _reserved(simulator) == []


@pytest.mark.parametrize("id_tag", [None])
async def test_reservation_needs_a_tag(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Without the options' tag and without a tag line, the error says where to put one."""
    with pytest.raises(ServiceValidationError, match="`tag:`") as err:
        await create_event(hass, 1, 2, "Bus 12")
    assert err.value.translation_key == "calendar_tag_missing"
    await create_event(hass, 1, 2, f"TAG : {TAG.lower()}")
    assert [tag for *_, tag in _reserved(simulator)] == [TAG.lower()]


async def test_all_day_event_reserves_the_local_day(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """An all-day event reserves the connector from local midnight to midnight."""
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": "Depot day",
            "start_date": "2026-11-03",
            "end_date": "2026-11-04",
        },
        blocking=True,
    )
    [(_, start, end, _)] = _reserved(simulator)
    assert (start, end) == ("2026-11-03T08:00:00.000Z", "2026-11-04T08:00:00.000Z")


async def test_recurring_event_is_refused(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A repeating event is refused with the translated message; nothing is reserved."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "calendar/event/create",
            "entity_id": CALENDAR,
            "event": {
                "summary": "Daily",
                "dtstart": hours(1),
                "dtend": hours(2),
                "rrule": "FREQ=DAILY",
            },
        }
    )
    answer = await client.receive_json()
    assert not answer["success"]
    # Home Assistant drops the final full stop of a translated message.
    assert (
        answer["error"]["message"]
        == "A reservation cannot repeat: create one event per reservation"
    )
    assert _reserved(simulator) == []


@pytest.mark.parametrize(
    ("uid", "error", "key"),
    [
        ("session-1", ServiceValidationError, "calendar_session_not_deletable"),
        ("not an id", ServiceValidationError, "invalid_id"),
        ("0b7c7a6e-2b47-4f0e-9d7e-0e2f2b1c9a11", ServiceValidationError, "not_found"),
    ],
)
async def test_what_cannot_be_deleted(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    uid: str,
    error: type[Exception],
    key: str,
) -> None:
    """A session, a malformed uid and a reservation DepotFinity does not know."""
    with pytest.raises(error) as err:
        await calendar_entity(hass).async_delete_event(uid)
    assert err.value.translation_key == key  # type: ignore[attr-defined]


async def test_sessions_show_energy_and_charge(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Past sessions from the transactions read: energy, charge levels, vehicle masked."""
    events = await get_events(hass, -48, 0)
    assert events == snapshot
    assert events
    sessions = [t for t in simulator.sim.state.transactions.values() if t.charger_id == "CH-01"]
    for secret in {t.id_tag for t in sessions} | {t.vehicle_id for t in sessions}:
        assert secret
        assert secret not in str(events)
    uids = {event.uid for event in await entity_events(hass, -48, 0)}
    assert all(uid.startswith("session-") for uid in uids)


@pytest.mark.parametrize("show", [True])
async def test_vehicle_in_full_when_opted_in(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, start_time: datetime, show: bool
) -> None:
    """The option shows a session's vehicle ID in full."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ID_TAG: ID_TAG, CONF_SHOW_VEHICLE_ID: show}
    )
    await setup_integration(hass, mock_config_entry)
    [event, *_] = await get_events(hass, -48, 0)
    assert "Vehicle: BUS-" in event["description"]


async def test_running_session_shows_until_now(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    """A session the transactions read sees running shows from its start until now."""
    coordinator = init_integration.runtime_data.coordinator
    simulator.sim.plug_in("CH-01", 1)
    connector = coordinator.data.connector("CH-01", 1)
    coordinator.planner.mark_due(Job(JobKind.TRANSACTIONS), 0)
    await tick_until(
        hass, freezer, coordinator, lambda: connector.active_session is not None, simulator
    )
    freezer.tick(timedelta(minutes=10))
    [running] = [e for e in await entity_events(hass, -1, 1) if e.summary == "Charging now"]
    assert running.start == connector.active_session.start_at
    assert running.end == dt_util.utcnow()  # until now


async def test_german_event_texts(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    start_time: datetime,
) -> None:
    """Event texts follow Home Assistant's language."""
    hass.config.language = "de"
    await setup_and_poll(hass, freezer, mock_config_entry, id_tag=ID_TAG)
    calendar = "calendar.ch_01_anschluss_1_reservierungen_und_ladevorgange"
    await create_event(hass, 1, 2, entity_id=calendar)
    events = await get_events(hass, -48, 48, entity_id=calendar)
    summaries = {event["summary"].split(",")[0] for event in events}
    assert summaries == {"Reserviert", "Ladevorgang"}


async def test_events_cost_no_request(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """Looking at the calendar reads nothing: it shows what is kept."""
    before = simulator.sim.stats.total_requests
    for _ in range(5):
        await get_events(hass)
    assert simulator.sim.stats.total_requests == before


async def test_calendar_and_sensor_share_one_read(init_integration: MockConfigEntry) -> None:
    """The calendar and the next-reservation sensor: one job; it ends with the last of them."""
    coordinator = init_integration.runtime_data.coordinator
    connector = coordinator.data.connector("CH-01", 1)
    assert coordinator.poller.wanted_reservations[("CH-01", 1)] == 2
    connector.set_reservations([])
    coordinator.want_reservations("CH-01", 1, wanted=False)
    assert RESERVATIONS in coordinator.planner.jobs
    assert connector.reservations == []
    coordinator.want_reservations("CH-01", 1, wanted=False)
    assert RESERVATIONS not in coordinator.planner.jobs
    assert connector.reservations is None


async def test_connector_calendars(snapshot_entities: SnapshotEntities) -> None:
    """A calendar per connector and per group, once the first sweep is done."""
    await snapshot_entities(Platform.CALENDAR, id_tag=ID_TAG)


async def test_calendars_of_devices_gone_are_empty(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A calendar whose connector or group just left the configuration shows nothing."""
    data = init_integration.runtime_data.coordinator.data
    chargers, groups = data.chargers, data.groups
    data.chargers, data.groups = {}, {}
    for entity_id in (CALENDAR, "calendar.group_1_power_limits"):
        entity = calendar_entity(hass, entity_id)
        assert entity.event is None
        assert await entity_events(hass, entity_id=entity_id) == []
    group = calendar_entity(hass, "calendar.group_1_power_limits")
    assert group.extra_restore_state_data.as_dict() == {"windows": []}  # type: ignore[attr-defined]
    data.chargers, data.groups = chargers, groups


@pytest.mark.usefixtures("start_time")
async def test_a_reservation_shows_before_the_first_read(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Reserved from the calendar before its first read: shown at once, then confirmed."""
    coordinator = await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    connector = coordinator.data.connector("CH-01", 1)
    assert connector is not None
    assert connector.reservations is None  # not read yet
    await create_event(hass, 1, 2)
    [(reservation_id, *_)] = _reserved(simulator)
    assert [e.uid for e in reservations_of(await entity_events(hass))] == [reservation_id]
    assert coordinator.planner.due_in(RESERVATIONS) == 0  # the read that confirms it


@pytest.mark.usefixtures("start_time")
async def test_a_reservation_no_entity_shows_is_not_kept(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """With no calendar or sensor showing a connector's reservations, nothing is kept."""
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    for entity_id in (CALENDAR, "sensor.ch_01_connector_1_next_reservation"):
        entity_registry.async_update_entity(entity_id, disabled_by=er.RegistryEntryDisabler.USER)
    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = mock_config_entry.runtime_data.coordinator
    start = START + timedelta(hours=1)
    await mock_config_entry.runtime_data.commands.reserve(
        "CH-01", 1, start, start + timedelta(hours=1), ID_TAG
    )
    assert _reserved(simulator)
    connector = coordinator.data.connector("CH-01", 1)
    assert connector is not None
    assert connector.reservations is None
    assert coordinator.planner.due_in(RESERVATIONS) is None  # nothing reads them
