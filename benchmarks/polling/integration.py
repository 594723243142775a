"""The DepotFinity integration through one simulated hour, in Home Assistant's test instance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import statistics

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from depotfinity_simulator import SimulatorServer
from tests.entries import depot_entry

from . import restart
from .common import (
    FAULT_OVER_BOUND,
    HOUR,
    MIN_FAULT_DURATION,
    START,
    WARM_UP,
    Row,
    api_log,
    fault_duration,
    fault_latencies,
    fault_plan,
    inject_faults,
    percentile,
    simulator_config,
    window_max,
)
from .probes import CpuMeter, SessionDriver, ValueWait, status_entity_finder, valued_entities

SAMPLE_EVERY = 10
RESTART_AT = HOUR // 2
# Seconds Home Assistant is down during the restart (the simulator runs on).
RESTART_DOWNTIME = 20
# Staleness is also reported without this long after the restart (in the printout).
RESTART_SETTLE = 900
# The CPU-only row runs this long (a whole hour of 100 chargers would not fit the time).
CPU_ONLY_SECONDS = 900


@dataclass
class _Staleness:
    """Age of each connector's status as Home Assistant shows it (restored values included).

    The table's figures count from the end of the warm-up: the first sweep is
    done, its burst has left the 5-minute window, and one status period at the
    steady pace has passed: every connector's status was read once more since
    the burst left (seen, not estimated from T). The figures from the end of
    the first full sweep on are printed as well.
    """

    fetched: dict[tuple[str, int], datetime] = field(default_factory=dict)
    samples: list[float] = field(default_factory=list)
    # From the first full sweep on, warm-up included (printed, not in the table).
    whole: list[float] = field(default_factory=list)
    # The samples taken away from the restart (for the explanation, not the table).
    calm: list[float] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    warm: bool = False
    # When the first sweep was done and its burst had left the window.
    steady_from: int | None = None
    settled_at: float | None = None

    def note(self, coordinator: DepotFinityCoordinator, second: int) -> None:
        """Keep the newest read of every connector (a restart forgets none that HA shows)."""
        for charger in coordinator.data.chargers.values():
            for number, connector in charger.connectors.items():
                if connector.status_fetched_at is not None:
                    self.fetched[(charger.charger_id, number)] = connector.status_fetched_at
        count = sum(len(c.connectors) for c in coordinator.data.chargers.values())
        self.warm = self.warm or len(self.fetched) == count
        if self.steady_from is None and coordinator.first_sweep_done:
            self.steady_from = max(second, WARM_UP)
        if self.settled_at is None and self.steady_from is not None:
            since = START + timedelta(seconds=self.steady_from)
            if len(self.fetched) == count and min(self.fetched.values()) >= since:
                self.settled_at = second

    def sample(self, second: int, now: datetime, sweep_cost: float) -> None:
        """Every SAMPLE_EVERY seconds: each connector's status age, and K."""
        if not (self.warm and second > WARM_UP and second % SAMPLE_EVERY == 0):
            return
        ages = [(now - at).total_seconds() for at in self.fetched.values()]
        self.whole.extend(ages)
        if self.settled_at is None or second < self.settled_at:
            return
        self.costs.append(sweep_cost)
        self.samples.extend(ages)
        if not RESTART_AT <= second < RESTART_AT + RESTART_SETTLE:
            self.calm.extend(ages)


def _fault_duration_now(coordinator: DepotFinityCoordinator) -> float:
    """How long a fault beginning now lasts: 1.2 x the fleet's bound 3·K at this moment."""
    return max(MIN_FAULT_DURATION, FAULT_OVER_BOUND * 3 * coordinator.planner.sweep_cost)


def _watch_faults(hass: HomeAssistant, seen: list[tuple[float, str]]) -> None:
    """Note every fault_raised event (time, charger) while the run lasts."""

    @callback
    def on_state(event: Event[EventStateChangedData]) -> None:
        state, old = event.data["new_state"], event.data["old_state"]
        if (
            state is not None
            and old is not None  # (not the last event shown again after the restart)
            and old.state != STATE_UNAVAILABLE
            and state.entity_id.startswith("event.")
            and state.attributes.get("event_type") == "fault_raised"
        ):
            seen.append((datetime.now(UTC).timestamp(), str(state.attributes["charger_id"])))

    unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, on_state)
    hass.data.setdefault("bench_unsubscribe", []).append(unsub)


def _report_slowest(label: str, wait: ValueWait) -> None:
    """Print which entities were the last to get a value (or never got one)."""
    kinds = sorted({f"{e.split('.')[0]}.*{e.split('_', 2)[-1]}" for e in wait.last})
    print(f"  {label}: {wait.done_after} s; last without a value: {', '.join(kinds[:8])}")  # noqa: T201


async def run_integration(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, n: int, *, cpu_only: bool = False
) -> Row:
    """One fleet through the hour (or, ``cpu_only``, a shorter run measuring CPU alone)."""
    freezer.move_to(START)
    await restart.fresh_install(hass)
    meter = CpuMeter()
    seconds = CPU_ONLY_SECONDS if cpu_only else HOUR
    with meter.measuring():
        async with SimulatorServer(simulator_config(n)) as server:
            chargers = server.sim.charger_ids
            entry = depot_entry(server, chargers, unique_id=f"bench-{n}", title=f"Bench {n}")
            entry.add_to_hass(hass)
            await restart.start(hass, entry)
            duration = fault_duration(n)
            plan = [] if cpu_only else fault_plan(chargers, n, duration)
            seen: list[tuple[float, str]] = []
            _watch_faults(hass, seen)
            first = ValueWait(hass, valued_entities(hass, entry), 0)
            first.check(0)
            again: ValueWait | None = None
            sessions = SessionDriver(server, status_entity_finder(hass, entry), seed=n)
            staleness = _Staleness()
            up = True
            lasting: dict[int, float] = {}
            for second in range(1, seconds + 1):
                freezer.tick(timedelta(seconds=1))
                server.clock.advance(1)
                if up:  # each fault lasts 1.2 x the bound 3·K when it begins
                    duration = _fault_duration_now(entry.runtime_data.coordinator)
                inject_faults(server, plan, second, duration, lasting)
                if not cpu_only:
                    sessions.step(second)
                async_fire_time_changed(hass)
                await hass.async_block_till_done(wait_background_tasks=True)
                if not cpu_only and second == RESTART_AT:
                    await restart.stop(hass, entry)
                    up = False
                elif not cpu_only and second == RESTART_AT + RESTART_DOWNTIME:
                    await restart.start(hass, entry)
                    again = ValueWait(hass, first.entity_ids, second)
                    up = True
                first.check(second)
                if again is not None:
                    again.check(second)
                now = datetime.now(UTC)
                sessions.observe(hass, now.timestamp())
                if up:
                    coordinator = entry.runtime_data.coordinator
                    staleness.note(coordinator, second)
                    staleness.sample(second, now, coordinator.planner.sweep_cost)
            await _finish(hass, entry)
    times, too_many = api_log(server)
    _print_cpu(n, meter, len(times))
    if cpu_only:
        minutes = CPU_ONLY_SECONDS // 60
        return Row(
            fleet=f"{n} x 2",
            poller=f"DepotFinity integration (CPU only, first {minutes} min)",
            cpu_ms=meter.per_request_ms(len(times)),
        )
    _report_slowest("first picture", first)
    if again is not None:
        _report_slowest("after restart", again)
    latencies = fault_latencies(plan, seen, lasting)
    session_p95, sessions_seen = sessions.p95()
    print(  # noqa: T201
        f"  warm-up over at {staleness.settled_at:.0f} s; staleness p95 from then on: "
        f"{percentile(staleness.samples, 0.95):.0f} s, without {RESTART_SETTLE} s from the "
        f"restart: {percentile(staleness.calm, 0.95):.0f} s; from the first full sweep on "
        f"(warm-up included): {percentile(staleness.whole, 0.95):.0f} s"
    )
    print(f"  sessions skipped (no free connector, or faulted at unplug): {sessions.skipped}")  # noqa: T201
    return Row(
        fleet=f"{n} x 2",
        poller="DepotFinity integration",
        requests=len(times),
        max_window=window_max(times),
        too_many=too_many,
        staleness=(statistics.median(staleness.samples), percentile(staleness.samples, 0.95)),
        sweep_cost=statistics.mean(staleness.costs),
        fault_p95=percentile(latencies, 0.95) if latencies else None,
        faults_seen=f"{len(latencies)}/{len(plan)}",
        first_picture=first.done_after,
        after_restart=None if again is None else again.done_after,
        session_p95=session_p95,
        sessions_seen=sessions_seen,
        cpu_ms=meter.per_request_ms(len(times)),
        in_home_assistant=True,
    )


async def _finish(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    for unsub in hass.data.pop("bench_unsubscribe", []):
        unsub()
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


def _print_cpu(n: int, meter: CpuMeter, requests: int) -> None:
    print(  # noqa: T201
        f"  {n} x 2 CPU per request {meter.per_request_ms(requests):.2f} ms ({requests} requests); "
        f"per refresh: update {meter.mean_ms(meter.update):.2f} ms "
        f"(p95 {1000 * percentile(meter.update, 0.95):.2f}), whole tick with entity updates "
        f"{meter.mean_ms(meter.tick):.2f} ms (p95 {1000 * percentile(meter.tick, 0.95):.2f}), "
        f"{len(meter.update)} refreshes"
    )
