"""Polling benchmark: one simulated hour of a depot, through the real coordinator.

For fleets of 5, 20 and 50 chargers (2 connectors each) it runs Home Assistant's
test instance against the simulator on a virtual clock, injects charger faults,
and measures: requests used against the budget, 429 answers, how old each
connector's status is (staleness), and how long a fault takes to become an
event. A naive poller (every entity every 30 s) runs against the same depot in
the same run, as the baseline.

Run it with ``scripts/bench``; the Markdown table lands in benchmarks/RESULTS.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
import random
import statistics

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityError,
    Measurand,
    RequestLimiter,
)
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from depotfinity_simulator import SimulatorConfig, SimulatorServer

from .harness import depot_entry

START = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
HOUR = 3600
WARM_UP = 300  # staleness counts from the end of the first sweep, and not before this
SAMPLE_EVERY = 10
FAULTS_PER_HOUR = 12
FAULT_DURATION = 240.0
NAIVE_INTERVAL = 30
FLEETS = [int(n) for n in os.environ.get("BENCH_FLEETS", "5,20,50").split(",")]
RESULTS = Path(__file__).with_name("RESULTS.md")


@dataclass
class Row:
    """One line of the results table."""

    fleet: str
    poller: str
    requests: int
    max_window: int
    too_many: int
    staleness_p50: float
    staleness_p95: float
    sweep_cost: float | None
    fault_p95: float | None
    faults_seen: str

    @property
    def bound(self) -> float | None:
        return None if self.sweep_cost is None else 3 * self.sweep_cost

    def markdown(self) -> str:
        bound = "-" if self.bound is None else f"{self.bound:.0f}"
        ratio = "-" if self.bound is None else f"{self.staleness_p95 / self.bound:.2f}"
        k = "-" if self.sweep_cost is None else f"{self.sweep_cost:.1f}"
        fault = "never" if self.fault_p95 is None else f"{self.fault_p95:.0f}"
        return (
            f"| {self.fleet} | {self.poller} | {self.requests} | {self.max_window} / 100 | "
            f"{self.too_many} | {self.staleness_p50:.0f} / {self.staleness_p95:.0f} | {k} | "
            f"{bound} | {ratio} | {fault} ({self.faults_seen}) |"
        )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _simulator(chargers: int) -> SimulatorConfig:
    return SimulatorConfig(
        chargers=chargers,
        connectors=2,
        groups=1,
        seed=chargers,
        speed=0.0,
        start=START,
        arrival_rate_per_hour=0.5,
        history_days=2,
    )


def _fault_plan(chargers: list[str], seed: int) -> list[tuple[int, str, int | None]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible fault plan, not security
    times = sorted(rng.sample(range(WARM_UP, HOUR - 300), FAULTS_PER_HOUR))
    return [(t, rng.choice(chargers), rng.choice([None, 1, 2])) for t in times]


def _window_max(times: list[float], window: float = 300.0) -> int:
    best, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


def _api_log(server: SimulatorServer) -> tuple[list[float], int]:
    times = [when.timestamp() for when, route, _ in server.sim.stats.log if "token" not in route]
    return times, server.sim.stats.responses_429


def _latencies(
    plan: list[tuple[int, str, int | None]], seen: list[tuple[float, str]]
) -> list[float]:
    out = []
    for at, charger, _ in plan:
        t0 = START.timestamp() + at
        hits = [t - t0 for t, c in seen if c == charger and t >= t0]
        if hits:
            out.append(min(hits))
    return out


async def _run_integration(hass: HomeAssistant, freezer: FrozenDateTimeFactory, n: int) -> Row:
    freezer.move_to(START)
    async with SimulatorServer(_simulator(n)) as server:
        chargers = server.sim.charger_ids
        entry = depot_entry(server, chargers, unique_id=f"bench-{n}", title=f"Bench {n}")
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        coordinator: DepotFinityCoordinator = entry.runtime_data.coordinator

        seen: list[tuple[float, str]] = []

        @callback
        def on_state(event: Event[EventStateChangedData]) -> None:
            state = event.data["new_state"]
            if (
                state is not None
                and state.entity_id.startswith("event.")
                and state.attributes.get("event_type") == "fault_raised"
            ):
                seen.append((time_now(), str(state.attributes["charger_id"])))

        def time_now() -> float:
            return datetime.now(UTC).timestamp()

        unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, on_state)
        plan = _fault_plan(chargers, n)
        staleness: list[float] = []
        costs: list[float] = []
        warm = False
        for second in range(1, HOUR + 1):
            freezer.tick(timedelta(seconds=1))
            server.clock.advance(1)
            for at, charger, connector in plan:
                if at == second:
                    server.sim.inject_fault(charger, connector, duration=FAULT_DURATION)
            async_fire_time_changed(hass)
            await hass.async_block_till_done(wait_background_tasks=True)
            connectors = [
                connector
                for charger in coordinator.data.chargers.values()
                for connector in charger.connectors.values()
            ]
            # Steady state only: from the end of the first full sweep on.
            warm = warm or all(c.status_fetched_at is not None for c in connectors)
            if warm and second > WARM_UP and second % SAMPLE_EVERY == 0:
                now = datetime.now(UTC)
                costs.append(coordinator.planner.sweep_cost)
                staleness.extend(
                    (now - c.status_fetched_at).total_seconds()
                    for c in connectors
                    if c.status_fetched_at is not None
                )
        unsub()
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        times, too_many = _api_log(server)
        latencies = _latencies(plan, seen)
        return Row(
            fleet=f"{n} x 2",
            poller="DepotFinity integration",
            requests=len(times),
            max_window=_window_max(times),
            too_many=too_many,
            staleness_p50=statistics.median(staleness),
            staleness_p95=_percentile(staleness, 0.95),
            sweep_cost=statistics.mean(costs),
            fault_p95=_percentile(latencies, 0.95) if latencies else None,
            faults_seen=f"{len(latencies)}/{len(plan)}",
        )


class _Unlimited(RequestLimiter):
    """No client-side budget and no back-off: what a naive integration does."""

    def penalize(self, retry_after: float, *, unavailable: bool = False) -> None:
        """Ignore the server's back-off."""


async def _run_naive(n: int) -> Row:
    async with SimulatorServer(_simulator(n)) as server, aiohttp.ClientSession() as session:
        clock: Callable[[], float] = server.clock.monotonic
        client = DepotFinityClient(
            session,
            server.config.client_id,
            server.config.client_secret,
            api_url=server.url,
            auth_url=server.url,
            limiter=_Unlimited(max_requests=10**9, command_reserve=0, clock=clock),
            clock=clock,
        )
        chargers = server.sim.charger_ids
        fetched: dict[tuple[str, int], float] = {}
        faulted: dict[str, bool] = dict.fromkeys(chargers, False)
        seen: list[tuple[float, str]] = []
        plan = _fault_plan(chargers, n)
        staleness: list[float] = []

        async def poll(call: Callable[[], object]) -> object | None:
            try:
                return await call()  # type: ignore[misc]
            except DepotFinityError:
                return None

        for second in range(1, HOUR + 1):
            server.clock.advance(1)
            for at, charger, connector in plan:
                if at == second:
                    server.sim.inject_fault(charger, connector, duration=FAULT_DURATION)
            now = server.clock.now().timestamp()
            if second % NAIVE_INTERVAL == 0:
                for charger in chargers:
                    record = await poll(lambda c=charger: client.get_charger_status(c))
                    fault_now = record is not None and record.status == "Faulted"  # type: ignore[attr-defined]
                    await poll(lambda c=charger: client.get_charger_connectivity(c))
                    for number in (1, 2):
                        status = await poll(
                            lambda c=charger, k=number: client.get_connector_status(c, k)
                        )
                        if status is not None:
                            fetched[(charger, number)] = now
                            fault_now = fault_now or status.status == "Faulted"  # type: ignore[attr-defined]
                        for measurand in (
                            Measurand.ACTIVE_POWER_IMPORT,
                            Measurand.ACTIVE_ENERGY_IMPORT,
                        ):
                            await poll(
                                lambda c=charger, k=number, m=measurand: client.get_time_series(
                                    c, m, connector_id=k
                                )
                            )
                    if fault_now and not faulted[charger]:
                        seen.append((now, charger))
                    faulted[charger] = fault_now
            if second > WARM_UP and second % SAMPLE_EVERY == 0:
                # A connector whose status never got through counts as an hour old.
                staleness.extend(
                    now - fetched.get((charger, number), now - HOUR)
                    for charger in chargers
                    for number in (1, 2)
                )
        times, too_many = _api_log(server)
        latencies = _latencies(plan, seen)
        return Row(
            fleet=f"{n} x 2",
            poller="naive: every entity every 30 s",
            requests=len(times),
            max_window=_window_max(times),
            too_many=too_many,
            staleness_p50=statistics.median(staleness),
            staleness_p95=_percentile(staleness, 0.95),
            sweep_cost=None,
            fault_p95=_percentile(latencies, 0.95) if latencies else None,
            faults_seen=f"{len(latencies)}/{len(plan)}",
        )


HEADER = (
    "| Fleet | Poller | API requests in 1 h | Most in any 5 min | 429s | "
    "Status staleness p50 / p95 (s) | K (requests per sweep) | Bound 3·K (s) | "
    "p95 / bound | Fault → event p95 (s) (faults seen) |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


async def bench_polling(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Run every fleet with both pollers and write the table."""
    rows: list[Row] = []
    for n in FLEETS:
        rows.append(await _run_integration(hass, freezer, n))
        rows.append(await _run_naive(n))
        print(rows[-2].markdown())  # noqa: T201
        print(rows[-1].markdown())  # noqa: T201
    table = "\n".join([HEADER, *(row.markdown() for row in rows)])
    RESULTS.write_text(
        "# Polling benchmark\n\n"
        f"One simulated hour per fleet, {FAULTS_PER_HOUR} injected faults, "
        "produced by `scripts/bench`.\n\n" + table + "\n",
        encoding="utf-8",
    )
    print("\n" + table)  # noqa: T201
