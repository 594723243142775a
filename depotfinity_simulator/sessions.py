"""Vehicles plugging in, sessions starting and ending."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, Unpack

from .availability import active_reservation
from .model import (
    AVAILABLE,
    CHARGING,
    FINISHING,
    PREPARING,
    Charger,
    Connector,
    Transaction,
    Vehicle,
)

if TYPE_CHECKING:
    import random

    from .state import DepotState


def set_state(conn: Connector, state: str, now: float) -> None:
    """Move ``conn`` to ``state`` (keeping the time of the last real change)."""
    if conn.state != state:
        conn.state = state
        conn.state_since = now


class VehicleSpec(TypedDict, total=False):
    """Chosen properties of a new vehicle; those left out or ``None`` are drawn at random."""

    id_tag: str | None
    vehicle_id: str | None
    soc: float | None
    target_soc: float | None
    capacity_wh: float | None
    max_power_w: float | None


def new_vehicle(
    state: DepotState, rng: random.Random, *, auto_depart: bool, **spec: Unpack[VehicleSpec]
) -> Vehicle:
    """Create a vehicle; unspecified properties are drawn from ``rng``."""
    state.vehicle_counter += 1
    tags = sorted(tag for tag, enabled in state.rfid.items() if enabled) or sorted(state.rfid)
    id_tag, vehicle_id = spec.get("id_tag"), spec.get("vehicle_id")
    soc, target_soc = spec.get("soc"), spec.get("target_soc")
    capacity_wh, max_power_w = spec.get("capacity_wh"), spec.get("max_power_w")
    if id_tag is None:
        id_tag = rng.choice(tags) if tags else "00000000"
    return Vehicle(
        vehicle_id=vehicle_id or f"BUS-{rng.randint(100, 999)}",
        id_tag=id_tag,
        capacity_wh=capacity_wh if capacity_wh is not None else rng.choice((300_000, 400_000)),
        soc=soc if soc is not None else round(rng.uniform(15, 45), 1),
        target_soc=target_soc if target_soc is not None else rng.choice((90.0, 95.0, 100.0)),
        max_power_w=max_power_w if max_power_w is not None else rng.choice((90_000, 150_000)),
        auto_depart=auto_depart,
    )


def plug(conn: Connector, vehicle: Vehicle, now: float, *, auto_start: bool = True) -> None:
    """Connect ``vehicle`` to ``conn``: the connector becomes Preparing."""
    conn.vehicle = vehicle
    conn.auto_start = auto_start
    set_state(conn, PREPARING, now)


def start_session(state: DepotState, charger: Charger, conn: Connector, now: float) -> Transaction:
    """Start a transaction for the plugged vehicle; the connector becomes Charging."""
    vehicle = conn.vehicle
    assert vehicle is not None
    reservation = active_reservation(conn, now)
    if reservation is not None:
        conn.reservations.remove(reservation)
    transaction = Transaction(
        transaction_id=state.next_transaction_id,
        charger_id=charger.charger_id,
        connector_id=conn.connector_id,
        start=now,
        initial_soc=vehicle.soc,
        vehicle_id=vehicle.vehicle_id,
        id_tag=vehicle.id_tag,
        meter_start_wh=conn.energy_wh,
    )
    state.next_transaction_id += 1
    state.add_transaction(transaction)
    conn.transaction = transaction
    vehicle.full_since = None
    set_state(conn, CHARGING, now)
    return transaction


def end_session(conn: Connector, now: float, result: str, *, next_state: str = FINISHING) -> None:
    """Close the running transaction of ``conn`` with ``result``."""
    transaction = conn.transaction
    if transaction is not None:
        transaction.end = now
        transaction.end_result = result
        transaction.end_soc = conn.vehicle.soc if conn.vehicle else transaction.initial_soc
        conn.transaction = None
    conn.power_w = 0.0
    conn.offered_w = 0.0
    conn.auto_start = False
    set_state(conn, next_state, now)


def unplug(conn: Connector, now: float) -> None:
    """Disconnect the vehicle, ending any running session; the connector becomes Available."""
    if conn.transaction is not None:
        end_session(conn, now, "EVDisconnected")
    conn.vehicle = None
    conn.power_w = 0.0
    conn.offered_w = 0.0
    conn.auto_start = True
    set_state(conn, AVAILABLE, now)
