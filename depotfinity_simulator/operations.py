"""Depot operations behind the write APIs: remote commands, reservations, RFID, limits, prices."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final
import uuid

from .availability import active_reservation, connector_blocked, refresh_reported
from .errors import NotFoundError, SimulatorError
from .model import (
    AVAILABLE,
    PREPARING,
    SESSION_STATES,
    PowerLimitWindow,
    PriceBlock,
    Reservation,
)
from .sessions import end_session, new_vehicle, plug, start_session

if TYPE_CHECKING:
    from .model import Charger, ChargerGroup, Connector
    from .state import DepotState

START: Final = "startChargingSession"
STOP: Final = "stopChargingSession"
COMMANDS: Final = (START, STOP)
RFID_PATTERN: Final = re.compile(r"[0-9A-Fa-f]{4,20}")


def remote_start(
    state: DepotState, charger: Charger, conn: Connector, id_tag: str, now: float
) -> bool:
    """Start charging on ``conn`` for ``id_tag``; return whether the charger accepted.

    On an Available connector the driver is assumed to plug in at once (the vehicle leaves
    by itself after the session).
    """
    if not charger.connected or connector_blocked(charger, conn):
        return False
    reservation = active_reservation(conn, now)
    if reservation is not None and reservation.authorization_value.upper() != id_tag.upper():
        return False
    if state.config.enforce_rfid and not state.rfid.get(id_tag.upper(), False):
        return False
    vehicle = conn.vehicle
    if conn.state == AVAILABLE and vehicle is None:
        vehicle = new_vehicle(state, state.rng, auto_depart=True, id_tag=id_tag)
        plug(conn, vehicle, now)
    elif conn.state != PREPARING or vehicle is None:
        return False
    vehicle.id_tag = id_tag
    start_session(state, charger, conn, now)
    refresh_reported(state, now)
    return True


def remote_stop(state: DepotState, charger: Charger, conn: Connector, now: float) -> bool:
    """Stop the session on ``conn``; return whether the charger accepted."""
    if not charger.connected or conn.transaction is None or conn.state not in SESSION_STATES:
        return False
    end_session(conn, now, "StoppedRemotely")
    refresh_reported(state, now)
    return True


def add_reservation(
    state: DepotState,
    conn: Connector,
    *,
    start: float,
    end: float,
    authorization_type: str,
    authorization_value: str,
    now: float,
) -> Reservation:
    """Reserve ``conn`` for ``authorization_value`` from ``start`` to ``end``."""
    if end <= start:
        raise SimulatorError("Operation denied: ReservationEnd must be after ReservationStart.")
    if end <= now:
        raise SimulatorError("Operation denied: The reservation window has already ended.")
    for other in conn.reservations:
        if start < other.end and other.start < end:
            raise SimulatorError("Operation denied: The reservation overlaps another reservation.")
    reservation = Reservation(
        reservation_id=str(uuid.UUID(int=state.rng.getrandbits(128), version=4)),
        start=start,
        end=end,
        authorization_type=authorization_type,
        authorization_value=authorization_value,
    )
    conn.reservations.append(reservation)
    conn.reservations.sort(key=lambda r: r.start)
    refresh_reported(state, now)
    return reservation


def cancel_reservation(state: DepotState, conn: Connector, reservation_id: str, now: float) -> None:
    """Cancel a reservation of ``conn`` or raise ``NotFoundError``."""
    for reservation in conn.reservations:
        if reservation.reservation_id == reservation_id:
            conn.reservations.remove(reservation)
            refresh_reported(state, now)
            return
    raise NotFoundError("Reservation not found.")


def valid_rfid(tag: object) -> bool:
    """Return whether ``tag`` looks like an RFID value (4-20 hexadecimal characters)."""
    return isinstance(tag, str) and RFID_PATTERN.fullmatch(tag) is not None


def import_rfid(state: DepotState, tags: list[str]) -> None:
    """Add tags (enabled); tags that already exist keep their status."""
    for tag in tags:
        state.rfid.setdefault(tag.upper(), True)


def set_rfid_status(state: DepotState, tag: str, enabled: bool) -> None:
    """Enable or disable a known tag or raise ``NotFoundError``."""
    key = tag.upper()
    if key not in state.rfid:
        raise NotFoundError("RFID not found.")
    state.rfid[key] = enabled


def set_power_limits(
    group: ChargerGroup, *, source: str | None, unit: str, windows: list[PowerLimitWindow]
) -> None:
    """Replace the group's external power-limit schedule."""
    group.source = source
    group.unit = unit
    group.schedule = sorted(windows, key=lambda w: w.start)


def set_prices(state: DepotState, site_id: str, blocks: list[PriceBlock]) -> None:
    """Replace the price list of a site or raise ``NotFoundError``."""
    if site_id not in state.sites:
        raise NotFoundError("Site not found.")
    state.sites[site_id] = blocks
