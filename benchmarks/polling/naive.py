"""The baseline: a naive poller that reads every entity every 30 s, ignoring any budget."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import statistics

import aiohttp

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityError,
    Measurand,
    RequestLimiter,
    StatusRecord,
)
from depotfinity_simulator import SimulatorServer

from .common import (
    HOUR,
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

NAIVE_INTERVAL = 30
SAMPLE_EVERY = 10
METERS = (Measurand.ACTIVE_POWER_IMPORT, Measurand.ACTIVE_ENERGY_IMPORT)


class _Unlimited(RequestLimiter):
    """No client-side budget and no back-off: what a naive integration does."""

    def penalize(self, retry_after: float, *, unavailable: bool = False) -> None:
        """Ignore the server's back-off."""


async def _poll[T](call: Callable[[], Awaitable[T]]) -> T | None:
    try:
        return await call()
    except DepotFinityError:
        return None


async def run_naive(n: int) -> Row:
    """One fleet through the hour with the naive poller (same depot, same faults)."""
    async with SimulatorServer(simulator_config(n)) as server, aiohttp.ClientSession() as session:
        clock = server.clock.monotonic
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
        duration = fault_duration(n)
        plan = fault_plan(chargers, n, duration)
        staleness: list[float] = []
        lasting: dict[int, float] = {}
        for second in range(1, HOUR + 1):
            server.clock.advance(1)
            inject_faults(server, plan, second, duration, lasting)
            now = server.clock.now().timestamp()
            if second % NAIVE_INTERVAL == 0:
                for charger in chargers:
                    record: StatusRecord | None = await _poll(
                        lambda c=charger: client.get_charger_status(c)
                    )
                    fault_now = record is not None and record.status == "Faulted"
                    await _poll(lambda c=charger: client.get_charger_connectivity(c))
                    for number in (1, 2):
                        status: StatusRecord | None = await _poll(
                            lambda c=charger, k=number: client.get_connector_status(c, k)
                        )
                        if status is not None:
                            fetched[(charger, number)] = now
                            fault_now = fault_now or status.status == "Faulted"
                        for measurand in METERS:
                            await _poll(
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
        times, too_many = api_log(server)
        latencies = fault_latencies(plan, seen, lasting)
        return Row(
            fleet=f"{n} x 2",
            poller="naive: every entity every 30 s",
            requests=len(times),
            max_window=window_max(times),
            too_many=too_many,
            staleness=(statistics.median(staleness), percentile(staleness, 0.95)),
            fault_p95=percentile(latencies, 0.95) if latencies else None,
            faults_seen=f"{len(latencies)}/{len(plan)}",
        )
