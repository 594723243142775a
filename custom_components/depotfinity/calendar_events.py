"""What the calendars show, and what an event created in one asks for.

A connector's calendar shows its reservations and its sessions; a group's
calendar the power-limit windows set from Home Assistant. Event texts come from
the calendar entities' translations (their ``message`` and ``description``
attributes), in Home Assistant's language. An RFID tag never shows, and a
vehicle only masked unless the options say otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
import re
from typing import Final

from homeassistant.components.calendar import CalendarEvent
from homeassistant.util import dt as dt_util

from .api import PowerLimitWindow, Reservation, Transaction
from .api.errors import redact
from .validation import check_rfid, check_window, invalid

# A session's uid (a reservation's is its id): deleting one is refused.
SESSION_UID: Final = "session-"
# The line of an event's description that names the RFID tag of a reservation.
TAG_LINE: Final = re.compile(r"^[ \t]*tag[ \t]*:[ \t]*(\S+)[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A running session shows until now, and at least this long.
MIN_SESSION = timedelta(minutes=1)

# An event text: (attribute, key, placeholder values) -> the translated text.
type Texts = Callable[..., str]


def _kwh(value_wh: float) -> str:
    return f"{value_wh / 1000:.1f}"


def _percent(value: float) -> str:
    return f"{value:.0f}"


def reservation_event(reservation: Reservation, text: Texts) -> CalendarEvent | None:
    """A reservation as an event (its RFID tag never shows); None without a window."""
    if reservation.start is None or reservation.end is None or reservation.end <= reservation.start:
        return None
    return CalendarEvent(
        start=reservation.start,
        end=reservation.end,
        summary=text("message", "reservation"),
        uid=reservation.reservation_id,
    )


def session_event(
    session: Transaction, text: Texts, now: datetime, *, show_vehicle: bool
) -> CalendarEvent | None:
    """A session as an event: its energy and charge levels (a running one until now)."""
    if session.start_at is None:
        return None
    running = session.end_at is None
    end = max(now if session.end_at is None else session.end_at, session.start_at + MIN_SESSION)
    energy = session.energy_delivered
    if running:
        summary = text("message", "session_running")
    elif energy is None:
        summary = text("message", "session")
    else:
        summary = text("message", "session_energy", energy=_kwh(energy))
    lines = []
    if energy is not None:
        lines.append(text("description", "energy", energy=_kwh(energy)))
    if session.initial_soc is not None:
        lines.append(text("description", "start_soc", soc=_percent(session.initial_soc)))
    if session.end_soc is not None and not running:
        lines.append(text("description", "end_soc", soc=_percent(session.end_soc)))
    if session.vehicle_id:
        vehicle = session.vehicle_id if show_vehicle else redact(session.vehicle_id)
        lines.append(text("description", "vehicle", vehicle=vehicle))
    return CalendarEvent(
        start=session.start_at,
        end=end,
        summary=summary,
        description="\n".join(lines) or None,
        uid=f"{SESSION_UID}{session.transaction_id}",
    )


def window_event(window: PowerLimitWindow, text: Texts) -> CalendarEvent:
    """A power-limit window as an event (the limit in kW)."""
    return CalendarEvent(
        start=window.start,
        end=window.end,
        summary=text("message", "power_limit", limit=f"{window.limit / 1000:g}"),
        uid=f"{window.start.isoformat()}/{window.end.isoformat()}",
    )


def between(
    events: Iterable[CalendarEvent | None], start: datetime, end: datetime
) -> list[CalendarEvent]:
    """The events that overlap the time from ``start`` to ``end``, by start time."""
    found = [
        event
        for event in events
        if event is not None
        and event.start_datetime_local < end
        and event.end_datetime_local > start
    ]
    return sorted(found, key=lambda event: (event.start_datetime_local, event.end_datetime_local))


# An event created in a connector's calendar -----------------------------------------


def _moment(value: date | datetime) -> datetime:
    """A day (an all-day event) starts at Home Assistant's local midnight."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), tzinfo=dt_util.get_default_time_zone())


def reservation_window(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime]:
    """The window of a reservation for an event (in UTC; its end must lie ahead)."""
    return check_window(_moment(start), _moment(end))


def reservation_tag(description: str | None, default: str | None) -> str:
    """The RFID tag of a reservation for an event.

    A line ``tag: 89C4704A`` in the event's description names it; without one,
    the options' RFID tag for remote starts is used.
    """
    found = TAG_LINE.search(description or "")
    tag = found.group(1) if found else default
    if not tag:
        raise invalid("calendar_tag_missing")
    return check_rfid(tag)


def refuse_recurring(rrule: str | None) -> None:
    """A reservation happens once: a repeating event is refused."""
    if rrule:
        raise invalid("calendar_recurring")


def refuse_session(uid: str) -> None:
    """A session happened: its event cannot be deleted."""
    if uid.startswith(SESSION_UID):
        raise invalid("calendar_session_not_deletable")
