"""Advance the depot in fixed steps of virtual time (deterministic, no background tasks)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .availability import active_reservation, connector_blocked, refresh_reported
from .model import (
    AVAILABLE,
    ERROR_CODES,
    FINISHING,
    NO_ERROR,
    PREPARING,
    SESSION_STATES,
    SUSPENDED_EV,
    SUSPENDED_EVSE,
    Charger,
    ChargerSample,
    Connector,
    Fault,
    Vehicle,
)
from .series import make_sample, prune
from .sessions import end_session, new_vehicle, plug, set_state, start_session, unplug

if TYPE_CHECKING:
    from .state import DepotState

#: Fraction of the charger's maximum power by which a session ramps up per step.
RAMP_FRACTION = 0.25
#: Vehicles that were stopped and are not restarted leave after this many finishing delays.
IDLE_DEPARTURE_FACTOR = 4


def advance_to(state: DepotState, now: float) -> None:
    """Run every whole step between the last update and ``now``, then settle timers.

    Metering and random events happen on the step grid only (so runs are reproducible
    whatever the request pattern); expiries and timed transitions are also applied at
    ``now`` itself so that they are never late by a fraction of a step.
    """
    step = state.config.step_seconds
    while state.last_update + step <= now + 1e-9:
        state.last_update += step
        run_step(state, state.last_update, step)
    if now > state.last_update + 1e-9:
        for charger in state.chargers.values():
            expire(charger, now)
            for conn in charger.connectors.values():
                _advance_connector(state, charger, conn, now, 0.0)
        refresh_reported(state, now)


def run_step(state: DepotState, now: float, dt: float) -> None:
    """Advance the depot by one step ending at ``now``."""
    cfg = state.config
    for charger in state.chargers.values():
        expire(charger, now)
        if cfg.fault_rate_per_hour and state.rng.random() < cfg.fault_rate_per_hour * dt / 3600:
            conn = state.rng.choice(list(charger.connectors.values()))
            low, high = cfg.fault_duration
            fault = Fault(
                error_code=state.rng.choice(ERROR_CODES),
                vendor_error_code=f"E{state.rng.randint(10, 99)}",
                vendor_id=cfg.vendor_id,
                since=now,
                until=now + state.rng.uniform(low, high),
            )
            apply_fault(charger, conn, fault, now)
        for conn in charger.connectors.values():
            _advance_connector(state, charger, conn, now, dt)
    allocate_power(state, now, dt)
    refresh_reported(state, now)
    if now >= state.next_sample - 1e-9:
        state.next_sample += cfg.sample_interval
        take_samples(state, now)


def expire(charger: Charger, now: float) -> None:
    """Clear faults, outages, reservations and disconnections that have run out."""
    if charger.fault and charger.fault.until is not None and charger.fault.until <= now:
        charger.fault = None
    if charger.disconnected_until is not None and charger.disconnected_until <= now:
        charger.connected = True
        charger.connectivity_since = charger.disconnected_until
        charger.disconnected_until = None
    for conn in charger.connectors.values():
        if conn.fault and conn.fault.until is not None and conn.fault.until <= now:
            conn.fault = None
        if conn.unavailable_until is not None and conn.unavailable_until <= now:
            conn.unavailable_until = None
        conn.reservations = [r for r in conn.reservations if r.end > now]


def apply_fault(charger: Charger, conn: Connector | None, fault: Fault, now: float) -> None:
    """Fault ``conn`` (or the whole charger when ``None``), stopping affected sessions."""
    targets = list(charger.connectors.values()) if conn is None else [conn]
    if conn is None:
        charger.fault = fault
    else:
        conn.fault = fault
    for target in targets:
        if target.transaction is not None:
            end_session(target, now, "Faulted", next_state=PREPARING)


def _advance_connector(
    state: DepotState, charger: Charger, conn: Connector, now: float, dt: float
) -> None:
    cfg = state.config
    if connector_blocked(charger, conn):
        return
    vehicle = conn.vehicle
    if conn.state == AVAILABLE:
        if vehicle is not None or active_reservation(conn, now) is not None:
            return
        if dt <= 0:
            return
        if cfg.arrival_rate_per_hour and state.rng.random() < cfg.arrival_rate_per_hour * dt / 3600:
            plug(conn, new_vehicle(state, state.rng, auto_depart=True), now)
        elif (
            cfg.unavailable_rate_per_hour
            and state.rng.random() < cfg.unavailable_rate_per_hour * dt / 3600
        ):
            conn.unavailable_until = now + state.rng.uniform(300, 900)
        return
    if vehicle is None:
        set_state(conn, AVAILABLE, now)
        return
    waited = now - conn.state_since + 1e-9
    if conn.state == PREPARING:
        if conn.auto_start:
            if waited >= cfg.auto_start_delay and _may_start(state, vehicle):
                start_session(state, charger, conn, now)
        elif vehicle.auto_depart and waited >= IDLE_DEPARTURE_FACTOR * cfg.finishing_delay:
            unplug(conn, now)
    elif conn.state == FINISHING:
        if waited >= cfg.finishing_delay:
            if vehicle.auto_depart:
                unplug(conn, now)
            else:
                set_state(conn, PREPARING, now)
    elif (
        conn.state == SUSPENDED_EV
        and vehicle.full_since is not None
        and now - vehicle.full_since + 1e-9 >= cfg.full_dwell
    ):
        end_session(conn, now, "Completed")


def _may_start(state: DepotState, vehicle: Vehicle) -> bool:
    return not state.config.enforce_rfid or state.rfid.get(vehicle.id_tag.upper(), False)


def acceptance(vehicle: Vehicle) -> float:
    """Return the power (W) the vehicle accepts at its state of charge."""
    if vehicle.soc >= vehicle.target_soc:
        return 0.0
    taper = min(1.0, (100.0 - vehicle.soc) / 20.0)
    return vehicle.max_power_w * max(0.1, taper)


def allocate_power(state: DepotState, now: float, dt: float) -> None:
    """Share charger and group power among sessions and meter the energy."""
    cfg = state.config
    sessions: dict[str, list[Connector]] = {}
    group_count: dict[str | None, int] = {}
    for charger in state.chargers.values():
        active = [
            c
            for c in charger.connectors.values()
            if c.transaction is not None and c.state in SESSION_STATES
        ]
        sessions[charger.charger_id] = active
        group_count[charger.group_id] = group_count.get(charger.group_id, 0) + len(active)
    for charger in state.chargers.values():
        active = sessions[charger.charger_id]
        if not active:
            continue
        group = state.group_of(charger)
        limit = group.active_limit(now) if group else None
        group_share = math.inf if limit is None else limit / group_count[charger.group_id]
        offered = min(cfg.max_power_w / len(active), group_share)
        for conn in active:
            _meter(state, conn, offered, now, dt)


def _meter(state: DepotState, conn: Connector, offered: float, now: float, dt: float) -> None:
    vehicle = conn.vehicle
    transaction = conn.transaction
    assert vehicle is not None
    assert transaction is not None
    conn.offered_w = offered
    accept = acceptance(vehicle)
    if offered <= 0:
        conn.power_w = 0.0
        set_state(conn, SUSPENDED_EVSE, now)
        return
    if accept <= 0:
        conn.power_w = 0.0
        if vehicle.full_since is None:
            vehicle.full_since = now
        set_state(conn, SUSPENDED_EV, now)
        return
    set_state(conn, "Charging", now)
    target = min(offered, accept)
    conn.power_w = min(target, conn.power_w + RAMP_FRACTION * state.config.max_power_w)
    energy = conn.power_w * dt / 3600
    conn.energy_wh += energy
    transaction.energy_wh += energy
    transaction.max_power_w = max(transaction.max_power_w, conn.power_w)
    vehicle.soc = min(vehicle.target_soc, vehicle.soc + energy / vehicle.capacity_wh * 100)


def take_samples(state: DepotState, now: float) -> None:
    """Record one time-series sample per charger and drop samples past the retention."""
    cfg = state.config
    for charger in state.chargers.values():
        parts = []
        for conn in charger.connectors.values():
            fault = conn.fault or charger.fault
            parts.append(
                make_sample(
                    state.next_jitter(),
                    power_w=conn.power_w,
                    offered_w=conn.offered_w,
                    energy_wh=conn.energy_wh,
                    max_power_w=cfg.max_power_w,
                    soc=conn.vehicle.soc if conn.vehicle else None,
                    alarm=fault.error_code if fault else NO_ERROR,
                )
            )
        codes = [p.alarm for p in parts if p.alarm != NO_ERROR]
        alarm = charger.fault.error_code if charger.fault else (codes[0] if codes else NO_ERROR)
        charger.samples.append(ChargerSample(time=now, connectors=tuple(parts), alarm=alarm))
        prune(charger.samples, now - cfg.sample_retention)
