"""Depot evolution over virtual time, driven through the Python interface."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from depotfinity_simulator import DepotSimulator, NotFoundError, SimulatorConfig, SimulatorError

if TYPE_CHECKING:
    from depotfinity_simulator.model import Connector

START = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)


def make(**kwargs: object) -> DepotSimulator:
    options: dict[str, object] = {"start": START, "history_days": 2}
    options.update(kwargs)
    return DepotSimulator(SimulatorConfig(**options))  # type: ignore[arg-type]


def conn(sim: DepotSimulator, charger: str = "CH-01", connector: int = 1) -> Connector:
    return sim.state.chargers[charger].connectors[connector]


def test_identity() -> None:
    sim = make(chargers=5, groups=2)
    assert sim.charger_ids == ["CH-01", "CH-02", "CH-03", "CH-04", "CH-05"]
    assert len(sim.group_ids) == 2
    assert len(set(sim.group_ids)) == 2
    groups = list(sim.state.groups.values())
    assert groups[0].name == "Depot group 1"
    assert sorted(groups[0].charger_ids + groups[1].charger_ids) == sim.charger_ids
    assert sim.site_ids == ["site-1"]
    assert len(sim.rfid_tags) == 4
    assert all(len(t) == 8 and t == t.upper() for t in sim.rfid_tags)
    assert make(chargers=5, groups=2).group_ids == sim.group_ids  # deterministic GUIDs
    big = make(chargers=100, connectors=1, history_days=0)
    assert big.charger_ids[0] == "CH-001"
    assert big.charger_ids[-1] == "CH-100"
    assert sim.state.chargers["CH-01"].hpc
    assert not sim.state.chargers["CH-02"].hpc


def test_history_is_seeded() -> None:
    sim = make(history_days=5)
    txs = list(sim.state.transactions.values())
    assert len(txs) >= 5 * 3 * 2
    assert all(tx.end is not None and tx.end <= START.timestamp() for tx in txs)
    assert {tx.charger_id for tx in txs} == {"CH-01", "CH-02", "CH-03"}
    ids = [tx.transaction_id for tx in txs]
    assert ids == sorted(ids)
    assert [tx.start for tx in txs] == sorted(tx.start for tx in txs)
    assert make(history_days=0).state.transactions == {}


def test_plug_in_charge_and_complete() -> None:
    sim = make()
    sim.plug_in("CH-01", 1, soc=80, target_soc=90, capacity_wh=100_000)
    assert sim.connector_status("CH-01", 1) == "Preparing"
    with pytest.raises(SimulatorError):
        sim.plug_in("CH-01", 1)
    sim.clock.advance(20)
    assert sim.connector_status("CH-01", 1) == "Preparing"
    sim.clock.advance(10)
    assert sim.connector_status("CH-01", 1) == "Charging"
    register = conn(sim).energy_wh
    readings = []
    for _ in range(100):
        sim.clock.advance(10)
        readings.append(conn(sim).energy_wh)
        if sim.connector_status("CH-01", 1) != "Charging":
            break
    assert readings[0] > register
    assert readings == sorted(readings)
    assert sim.connector_status("CH-01", 1) == "SuspendedEV"
    assert conn(sim).vehicle.soc == 90  # type: ignore[union-attr]
    tx = conn(sim).transaction
    assert tx is not None
    assert tx.energy_wh == pytest.approx(10_000, rel=0.01)
    sim.clock.advance(300)
    assert sim.connector_status("CH-01", 1) == "Finishing"
    assert tx.end_result == "Completed"
    assert tx.end_soc == 90
    sim.clock.advance(30)
    assert sim.connector_status("CH-01", 1) == "Preparing"
    assert conn(sim).energy_wh == readings[-1]
    sim.unplug("CH-01", 1)
    assert sim.connector_status("CH-01", 1) == "Available"


def test_unplug_during_session_ends_it() -> None:
    sim = make()
    sim.plug_in("CH-02", 2)
    sim.clock.advance(60)
    tx = conn(sim, "CH-02", 2).transaction
    assert tx is not None
    sim.unplug("CH-02", 2)
    assert tx.end_result == "EVDisconnected"
    assert sim.connector_status("CH-02", 2) == "Available"


def test_power_sharing_and_group_limit() -> None:
    sim = make(max_power_w=100_000)
    sim.plug_in("CH-01", 1, soc=10)
    sim.plug_in("CH-01", 2, soc=10)
    sim.clock.advance(120)
    assert conn(sim, "CH-01", 1).power_w == pytest.approx(50_000)
    assert conn(sim, "CH-01", 2).power_w == pytest.approx(50_000)
    group = next(iter(sim.state.groups.values()))
    now = sim.clock.timestamp()
    from depotfinity_simulator.model import PowerLimitWindow

    group.schedule = [PowerLimitWindow(now, now + 600, 30_000)]
    sim.clock.advance(10)
    assert conn(sim, "CH-01", 1).power_w == pytest.approx(15_000)
    group.schedule = [PowerLimitWindow(now, now + 600, 0)]
    sim.clock.advance(10)
    assert sim.connector_status("CH-01", 1) == "SuspendedEVSE"
    assert conn(sim, "CH-01", 1).power_w == 0
    sim.clock.advance(600)
    assert sim.connector_status("CH-01", 1) == "Charging"


def test_faults() -> None:
    sim = make()
    sim.plug_in("CH-01", 1)
    sim.clock.advance(40)
    tx = conn(sim).transaction
    sim.inject_fault("CH-01", 1, error_code="HighTemperature", vendor_error_code=7, duration=120)
    assert sim.connector_status("CH-01", 1) == "Faulted"
    assert sim.charger_status("CH-01") == "Available"
    assert tx is not None
    assert tx.end_result == "Faulted"
    sim.clock.advance(119)
    assert sim.connector_status("CH-01", 1) == "Faulted"
    sim.clock.advance(1)
    assert sim.connector_status("CH-01", 1) == "Preparing"
    sim.inject_fault("CH-02")
    assert sim.charger_status("CH-02") == "Faulted"
    assert sim.connector_status("CH-02", 2) == "Faulted"
    sim.clear_fault("CH-02")
    assert sim.charger_status("CH-02") == "Available"
    sim.inject_fault("CH-03", 2)
    sim.clear_fault("CH-03", 2)
    assert sim.connector_status("CH-03", 2) == "Available"


def test_overrides_and_disable() -> None:
    sim = make()
    sim.set_status_override("CH-01", 1, status="SomethingNew")
    sim.set_status_override("CH-01", status="Mystery")
    assert sim.connector_status("CH-01", 1) == "SomethingNew"
    assert sim.charger_status("CH-01") == "Mystery"
    sim.set_status_override("CH-01", 1, status=None)
    assert sim.connector_status("CH-01", 1) == "Available"
    sim.plug_in("CH-02", 1)
    sim.set_charger_enabled("CH-02", False)
    assert sim.charger_status("CH-02") == "Unavailable"
    assert sim.connector_status("CH-02", 1) == "Unavailable"
    assert conn(sim, "CH-02", 1).vehicle is None
    sim.set_charger_enabled("CH-02", True)
    assert sim.connector_status("CH-02", 1) == "Available"


def test_force_terminate_reconnects() -> None:
    sim = make(reconnect_delay=45)
    sim.force_terminate("CH-01")
    assert sim.connectivity("CH-01")["items"][0]["value"] == "false"
    sim.clock.advance(44)
    assert sim.connectivity("CH-01")["items"][0]["value"] == "false"
    sim.clock.advance(1)
    assert sim.connectivity("CH-01")["items"][0]["value"] == "true"


def test_unknown_ids() -> None:
    sim = make()
    with pytest.raises(NotFoundError, match="Charger not found"):
        sim.plug_in("CH-99", 1)
    with pytest.raises(LookupError, match="Connector not found"):
        sim.unplug("CH-01", 9)


def test_random_events_are_reproducible() -> None:
    options = {
        "arrival_rate_per_hour": 2.0,
        "fault_rate_per_hour": 1.0,
        "unavailable_rate_per_hour": 0.5,
        "chargers": 4,
    }
    first = make(**options)
    second = make(**options)
    first.clock.advance(6 * 3600)
    for _ in range(36):
        second.clock.advance(600)
    assert first.snapshot() == second.snapshot()
    snap = first.snapshot()
    new = [tx for tx in first.state.transactions.values() if tx.start >= START.timestamp()]
    assert len(new) >= 5
    results = {tx.end_result for tx in new}
    assert "Completed" in results or "Faulted" in results
    assert snap["transactions"] == len(first.state.transactions)
    assert make(**options, seed=2).state.rfid != first.state.rfid


def test_random_faults_clear_and_outages_end() -> None:
    sim = make(fault_rate_per_hour=20.0, unavailable_rate_per_hour=20.0, chargers=1)
    seen: set[str] = set()
    for _ in range(360):
        sim.clock.advance(10)
        seen.add(sim.connector_status("CH-01", 1))
    assert {"Faulted", "Unavailable", "Available"} <= seen
    assert sim.state.chargers["CH-01"].samples[-1].time <= sim.clock.timestamp()


def test_reset_rebuilds_state() -> None:
    sim = make()
    sim.plug_in("CH-01", 1)
    sim.stats.total_requests = 5
    sim.package = "basic"
    sim.reset()
    assert sim.connector_status("CH-01", 1) == "Available"
    assert sim.stats.total_requests == 0
    assert sim.package == "premium"


def test_samples_follow_the_session() -> None:
    sim = make()
    samples = sim.state.chargers["CH-01"].samples
    assert samples[-1].time == START.timestamp()
    assert samples[0].time == START.timestamp() - 86_400
    sim.plug_in("CH-01", 1, soc=20)
    sim.clock.advance(300)
    last = sim.state.chargers["CH-01"].samples[-1]
    assert last.connectors[0].power_w > 0
    assert last.connectors[0].soc is not None
    assert last.connectors[1].soc is None
    from depotfinity_simulator.series import current, voltage_ln

    assert current(last.connectors[0], 0) > 0
    assert current(last.connectors[1], 0) == 0
    assert 228 <= voltage_ln(last.connectors[1], 2) <= 232
