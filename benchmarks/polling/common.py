"""What both pollers of the polling benchmark share: the depot, the plans, the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
import math
import random

from custom_components.depotfinity.budget import HostScheduler
from custom_components.depotfinity.scheduler import PollPlanner
from depotfinity_simulator import SimulatorConfig, SimulatorServer

START = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
HOUR = 3600
WARM_UP = 300  # staleness counts from the end of the first sweep, and not before this
FAULTS_PER_HOUR = 12
MIN_FAULT_DURATION = 240.0
# A fault lasts this many times the fleet's bound 3·K, so every one should be seen.
FAULT_OVER_BOUND = 1.2

type FaultPlan = list[tuple[int, str, int | None]]
# The last fault starts this many planned durations before the hour ends.
LATEST_MARGIN = 1.5


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank; NaN when empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def simulator_config(chargers: int) -> SimulatorConfig:
    """The simulated depot of one fleet: ``chargers`` chargers with 2 connectors each."""
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


def planned_sweep_cost(chargers: int) -> float:
    """K of a fleet as the product plans it right after setup (no session yet)."""
    scheduler = HostScheduler()
    planner = PollPlanner(clock=lambda: 0.0)
    planner.set_fleet((f"CH-{n:02d}", k) for n in range(1, chargers + 1) for k in (1, 2))
    scheduler.register("bench", planner)
    return planner.sweep_cost


def fault_duration(chargers: int) -> float:
    """How long each injected fault lasts: longer than the fleet's bound 3·K."""
    return max(MIN_FAULT_DURATION, FAULT_OVER_BOUND * 3 * planned_sweep_cost(chargers))


def fault_plan(chargers: list[str], seed: int, duration: float) -> FaultPlan:
    """Reproducible faults (second, charger, connector or None), each over within the hour."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible fault plan, not security
    # (A fault lasts the bound when it begins, 1.2 x 3·K: room for a K grown since setup.)
    latest = HOUR - math.ceil(LATEST_MARGIN * duration)
    times = sorted(rng.sample(range(WARM_UP, latest), FAULTS_PER_HOUR))
    return [(t, rng.choice(chargers), rng.choice([None, 1, 2])) for t in times]


def inject_faults(
    server: SimulatorServer,
    plan: FaultPlan,
    second: int,
    duration: float,
    lasting: dict[int, float],
) -> None:
    """Start the faults planned for ``second``; note how long each lasts (by start second)."""
    for at, charger, connector in plan:
        if at == second:
            server.sim.inject_fault(charger, connector, duration=duration)
            lasting[at] = duration


def window_max(times: list[float], window: float = 300.0) -> int:
    """The most requests in any ``window`` seconds."""
    best, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


def api_log(server: SimulatorServer) -> tuple[list[float], int]:
    """Times of the API requests the simulator answered (token requests aside), and its 429s."""
    times = [when.timestamp() for when, route, _ in server.sim.stats.log if "token" not in route]
    return times, server.sim.stats.responses_429


def fault_latencies(
    plan: FaultPlan, seen: list[tuple[float, str]], lasting: dict[int, float]
) -> list[float]:
    """Per fault seen while it lasted, seconds until its charger's first fault event.

    An event after the fault ended (one of a later fault of the same charger)
    does not count: that fault was missed.
    """
    out = []
    for at, charger, _ in plan:
        t0 = START.timestamp() + at
        end = t0 + lasting.get(at, 0.0)
        hits = [t - t0 for t, c in seen if c == charger and t0 <= t <= end]
        if hits:
            out.append(min(hits))
    return out


def _seconds(value: float | None, missing: str = "-") -> str:
    return missing if value is None else f"{value:.0f}"


@dataclass(kw_only=True)
class Row:
    """One line of the results table; the integration-only figures are None for the baseline."""

    fleet: str
    poller: str
    requests: int | None = None
    max_window: int | None = None
    too_many: int | None = None
    staleness: tuple[float, float] | None = None
    sweep_cost: float | None = None
    fault_p95: float | None = None
    faults_seen: str = "-"
    first_picture: float | None = None
    after_restart: float | None = None
    session_p95: float | None = None
    sessions_seen: str = ""
    cpu_ms: float | None = None
    # Whether the Home Assistant figures (first picture, restart, sessions) were measured.
    in_home_assistant: bool = False

    @property
    def bound(self) -> float | None:
        """The shortest possible status period, 3·K seconds."""
        return None if self.sweep_cost is None else 3 * self.sweep_cost

    def markdown(self) -> str:
        """The row as a Markdown table line."""
        bound = self.bound
        ratio = "-"
        if bound is not None and self.staleness is not None:
            ratio = f"{self.staleness[1] / bound:.2f}"
        stale = "-" if self.staleness is None else "{:.0f} / {:.0f}".format(*self.staleness)
        window = "-" if self.max_window is None else f"{self.max_window} / 100"
        k = "-" if self.sweep_cost is None else f"{self.sweep_cost:.1f}"
        fault = "-"
        if self.faults_seen != "-":
            fault = f"{_seconds(self.fault_p95, 'never')} ({self.faults_seen})"
        ha = self.in_home_assistant
        session = _seconds(self.session_p95, "never" if ha else "-")
        if ha:
            session += f" ({self.sessions_seen})"
        cells = [
            self.fleet,
            self.poller,
            "-" if self.requests is None else str(self.requests),
            window,
            "-" if self.too_many is None else str(self.too_many),
            stale,
            k,
            _seconds(bound),
            ratio,
            fault,
            _seconds(self.first_picture, "never" if ha else "-"),
            _seconds(self.after_restart, "never" if ha else "-"),
            session,
            "-" if self.cpu_ms is None else f"{self.cpu_ms:.2f}",
        ]
        return "| " + " | ".join(cells) + " |"


HEADER = (
    "| Fleet | Poller | API requests in 1 h | Most in any 5 min | 429s | "
    "Status staleness p50 / p95 (s) | K (requests per sweep) | Bound 3·K (s) | "
    "p95 / bound | Fault → event p95 (s) (faults seen) | First picture (s) | "
    "After restart (s) | Session → HA p95 (s) | CPU per poll (ms) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)
