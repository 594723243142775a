"""Calendars: a connector's reservations and sessions, a group's power-limit windows.

A connector's calendar makes a DepotFinity reservation for an event created in
it, and cancels the reservation of an event deleted from it. It reads nothing
when asked for events: it shows what the polls and the transactions reads
keep, so a calendar view costs no request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.components.calendar.const import (
    EVENT_DESCRIPTION,
    EVENT_END,
    EVENT_RRULE,
    EVENT_START,
    CalendarEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity
from homeassistant.util import dt as dt_util

from .api import ApiGroup, PowerLimitWindow
from .calendar_events import (
    between,
    refuse_recurring,
    refuse_session,
    reservation_event,
    reservation_tag,
    reservation_window,
    session_event,
    window_event,
)
from .const import CONF_SHOW_VEHICLE_ID, DOMAIN
from .entity import (
    ConnectorEntity,
    DepotFinityEntity,
    GroupEntity,
    device_platform,
    each_description,
)
from .validation import check_id

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class DepotFinityCalendarDescription(CalendarEntityDescription):
    """A calendar, and the API its events come from (None: what Home Assistant set)."""

    api: ApiGroup | None


CONNECTOR_CALENDAR = DepotFinityCalendarDescription(
    key="reservations",
    translation_key="reservations",
    # Each connector's reservations cost a request per read: read only while enabled.
    entity_registry_enabled_default=False,
    api=ApiGroup.RESERVATIONS,
)
GROUP_CALENDAR = DepotFinityCalendarDescription(
    key="power_limits",
    translation_key="power_limits",
    api=None,
)


class TranslatedEvents(DepotFinityEntity, CalendarEntity):
    """A calendar whose event texts are its translations, in Home Assistant's language."""

    entity_description: DepotFinityCalendarDescription

    def text(self, attribute: str, key: str, **values: object) -> str:
        """An event text: the state translation of the ``message`` or ``description`` attribute."""
        name = (
            f"component.{DOMAIN}.entity.calendar.{self.entity_description.translation_key}"
            f".state_attributes.{attribute}.state.{key}"
        )
        data = self.platform_data
        for table in (data.platform_translations, data.default_language_platform_translations):
            if (template := table.get(name)) is not None:
                return template.format(**values)
        return key  # pragma: no cover - every text is in strings.json


class ConnectorCalendar(ConnectorEntity, TranslatedEvents):
    """A connector's reservations (created and deleted here too) and its sessions.

    Reservations are read at a low cadence while the calendar is enabled, at
    once after a change made from Home Assistant, and when the connector enters
    or leaves Reserved. Sessions come from the fleet-wide transactions reads.
    """

    _attr_supported_features = (
        CalendarEntityFeature.CREATE_EVENT | CalendarEntityFeature.DELETE_EVENT
    )

    async def async_added_to_hass(self) -> None:
        """Start reading the connector's reservations."""
        await super().async_added_to_hass()
        self.coordinator.want_reservations(self.charger_id, self.connector_id, wanted=True)

    async def async_will_remove_from_hass(self) -> None:
        """Stop reading them when the calendar goes (disabled or removed)."""
        self.coordinator.want_reservations(self.charger_id, self.connector_id, wanted=False)
        await super().async_will_remove_from_hass()

    @property
    def event(self) -> CalendarEvent | None:
        """The running or next reservation."""
        connector = self.connector
        reservation = None if connector is None else connector.next_reservation(dt_util.utcnow())
        return None if reservation is None else reservation_event(reservation, self.text)

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Reservations and sessions between two moments (no request: what is known)."""
        if (connector := self.connector) is None:
            return []
        now = dt_util.utcnow()
        show_vehicle = bool(self.coordinator.config_entry.options.get(CONF_SHOW_VEHICLE_ID))
        sessions = list(connector.sessions.values())
        if connector.active_session is not None:
            sessions.append(connector.active_session)
        return between(
            [
                *(reservation_event(r, self.text) for r in connector.reservations or ()),
                *(session_event(s, self.text, now, show_vehicle=show_vehicle) for s in sessions),
            ],
            start_date,
            end_date,
        )

    async def async_create_event(self, **kwargs: Any) -> None:
        """Reserve the connector for the event's time, for the RFID tag it names."""
        refuse_recurring(kwargs.get(EVENT_RRULE))
        start, end = reservation_window(kwargs[EVENT_START], kwargs[EVENT_END])
        tag = reservation_tag(kwargs.get(EVENT_DESCRIPTION), self.commands.id_tag)
        await self.commands.reserve(self.charger_id, self.connector_id, start, end, tag)

    async def async_delete_event(
        self,
        uid: str,
        recurrence_id: str | None = None,
        recurrence_range: str | None = None,
    ) -> None:
        """Cancel the reservation of the event (a session cannot be deleted)."""
        refuse_session(uid)
        await self.commands.cancel_reservation(
            self.charger_id, self.connector_id, check_id(uid, "uid")
        )


@dataclass(slots=True)
class StoredWindows(ExtraStoredData):
    """A group's power-limit windows, kept across restarts (DepotFinity cannot report them)."""

    windows: list[PowerLimitWindow]

    def as_dict(self) -> dict[str, Any]:
        """The windows as JSON."""
        return {
            "windows": [
                {"start": w.start.isoformat(), "end": w.end.isoformat(), "limit_w": w.limit}
                for w in self.windows
            ]
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The windows stored (one that cannot be read is left out)."""
        windows = []
        for item in data.get("windows") or ():
            try:
                start = dt_util.parse_datetime(item["start"])
                end = dt_util.parse_datetime(item["end"])
                limit = float(item["limit_w"])
            except KeyError, TypeError, ValueError:
                continue
            if start is not None and end is not None:
                windows.append(PowerLimitWindow(start, end, limit))
        return cls(windows)


class GroupCalendar(GroupEntity, TranslatedEvents, RestoreEntity):
    """The power-limit windows set from Home Assistant for a group (read-only).

    DepotFinity cannot report a group's limits, so this shows what the power
    limit number and actions sent, kept across restarts; on while one applies.
    """

    async def async_added_to_hass(self) -> None:
        """Take back the windows set before a restart."""
        await super().async_added_to_hass()
        group = self.group_data
        if group is None or group.power_windows:
            return
        if (stored := await self.async_get_last_extra_data()) is not None:
            group.power_windows = StoredWindows.from_dict(stored.as_dict()).windows

    @property
    def extra_restore_state_data(self) -> StoredWindows:
        """The windows, for the next start."""
        group = self.group_data
        return StoredWindows([] if group is None else list(group.power_windows))

    @property
    def event(self) -> CalendarEvent | None:
        """The window that applies now, or the next one."""
        group = self.group_data
        now = dt_util.utcnow()
        window = next((w for w in group.power_windows if w.end > now), None) if group else None
        return None if window is None else window_event(window, self.text)

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The windows between two moments."""
        group = self.group_data
        windows = [] if group is None else group.power_windows
        return between((window_event(w, self.text) for w in windows), start_date, end_date)


# A calendar per connector and per charger group.
async_setup_entry = device_platform(
    connector=each_description(ConnectorCalendar, (CONNECTOR_CALENDAR,)),
    group=each_description(GroupCalendar, (GROUP_CALENDAR,)),
)
