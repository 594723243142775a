"""What the calendars make of reservations and sessions, and of an event's description."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.depotfinity.api import Reservation, Transaction
from custom_components.depotfinity.calendar_events import (
    MIN_SESSION,
    reservation_event,
    reservation_tag,
    session_event,
)

from .conftest import START


def text(attribute: str, key: str, **values: object) -> str:
    """Event texts as their keys and values, to see which text was chosen."""
    return f"{attribute}.{key}{values or ''}"


def _session(**changes: object) -> Transaction:
    fields: dict[str, object] = {
        "transaction_id": 7,
        "charger_id": "CH-01",
        "connector_id": 1,
        "start_at": START,
        "end_at": START + timedelta(hours=1),
        "initial_soc": None,
        "end_soc": None,
        "energy_delivered": None,
        "end_result": None,
        "vehicle_id": None,
        "id_tag": "59170C5D",
    }
    return Transaction(**(fields | changes))  # type: ignore[arg-type]


def test_reservation_without_a_window_is_left_out() -> None:
    """A reservation whose start or end is missing, or ends before it starts, shows nothing."""
    for start, end in ((None, START), (START, None), (START, START)):
        reservation = Reservation("r1", "CH-01", 1, start, end, "RFID", "59170C5D")
        assert reservation_event(reservation, text) is None


def test_session_texts() -> None:
    """A session's summary and description hold what is known of it, never its RFID tag."""
    assert session_event(_session(start_at=None), text, START, show_vehicle=False) is None

    bare = session_event(_session(), text, START, show_vehicle=False)
    assert bare is not None
    assert (bare.summary, bare.description, bare.uid) == ("message.session", None, "session-7")

    full = session_event(
        _session(energy_delivered=23_456.0, initial_soc=20.4, end_soc=80.6, vehicle_id="BUS-123"),
        text,
        START,
        show_vehicle=False,
    )
    assert full is not None
    assert full.summary == "message.session_energy{'energy': '23.5'}"
    assert full.description == (
        "description.energy{'energy': '23.5'}\n"
        "description.start_soc{'soc': '20'}\n"
        "description.end_soc{'soc': '81'}\n"
        "description.vehicle{'vehicle': '***23'}"
    )
    assert "59170C5D" not in str(full)


def test_running_and_instant_sessions_have_a_length() -> None:
    """A running session lasts until now; a session without length gets a minute."""
    running = session_event(
        _session(end_at=None, end_soc=90.0), text, START + timedelta(minutes=30), show_vehicle=True
    )
    assert running is not None
    assert running.summary == "message.session_running"
    assert running.end == START + timedelta(minutes=30)
    assert running.description is None  # no end charge while it runs

    instant = session_event(_session(end_at=START), text, START, show_vehicle=True)
    assert instant is not None
    assert instant.end == START + MIN_SESSION


@pytest.mark.parametrize(
    ("description", "default", "tag"),
    [
        ("tag: 89C4704A", None, "89C4704A"),
        ("Bus 12\n  Tag :59170c5d  \nDriver: Ann", "89C4704A", "59170c5d"),
        ("Bus 12, tag: 59170C5D", "89C4704A", "89C4704A"),  # not a line of its own
        (None, "89C4704A", "89C4704A"),
    ],
)
def test_reservation_tag(description: str | None, default: str | None, tag: str) -> None:
    """A ``tag:`` line of the description names the tag; else the options' one."""
    assert reservation_tag(description, default) == tag


@pytest.mark.parametrize(
    ("description", "default", "key"),
    [
        (None, None, "calendar_tag_missing"),
        ("tag:", None, "calendar_tag_missing"),
        ("tag: 89C4704A extra", None, "calendar_tag_missing"),
        (None, "NOTHEX", "invalid_rfid_tag"),
    ],
)
def test_reservation_tag_refused(description: str | None, default: str | None, key: str) -> None:
    """No tag at all, or one that is not an RFID tag, is a translated error."""
    with pytest.raises(ServiceValidationError) as err:
        reservation_tag(description, default)
    assert err.value.translation_key == key
