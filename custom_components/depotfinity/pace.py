"""What one fleet's polling plan costs, and the status period that paces it.

The host scheduler (``budget.py``) fits the status period T of every planner of
a host to the budget: T = K0 / (R - F - H) (see ``scheduler.py``). The costs it
fits to are worked out here, from the planned jobs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
import math

from .jobs import STATUS_KINDS, Job, JobKind

# The fleet-wide transactions read runs every minute whatever the fleet's size:
# it shows every session that starts or ends (5 requests per 5 minutes).
TRANSACTIONS_PERIOD = 60.0
STATISTICS_PERIOD = 3600.0  # each connector's energy statistics: read once an hour
MIN_STATUS_PERIOD = 10.0
# The plan makes room for the hinted reads of this long a past (a long span:
# a few sessions at once must not shorten every status read after them).
HINT_RATE_WINDOW = 1800.0
# How early Home Assistant may fire a coordinator's refresh.
TIMER_SLACK = 1.0


@dataclass(slots=True)
class Schedule:
    """When a job is due next, its period (a multiple of T) and when it last ran."""

    due: float
    period_factor: float
    ran_at: float = -math.inf
    # When a hint (a follow-up, a session seen) last asked for the job.
    hinted_at: float = -math.inf


@dataclass
class PlanCosts:
    """The planned jobs of one fleet, and what they cost per status period."""

    clock: Callable[[], float]
    _jobs: dict[Job, Schedule] = field(default_factory=dict)
    _status_period: float = MIN_STATUS_PERIOD
    # When hinted (unplanned) jobs ran lately: the budget keeps room for them.
    _hinted_runs: deque[float] = field(default_factory=deque)

    @property
    def periodic_cost(self) -> float:
        """Requests one status period costs for the jobs paced by T, slower ones amortised."""
        return sum(
            1.0 / schedule.period_factor
            for job, schedule in self._jobs.items()
            if job.kind is not JobKind.TRANSACTIONS and schedule.period_factor > 0
        )

    @property
    def fixed_rate(self) -> float:
        """Requests per second of the jobs on a fixed period (transactions, hourly statistics)."""
        rate = 1.0 / TRANSACTIONS_PERIOD if Job(JobKind.TRANSACTIONS) in self._jobs else 0.0
        # A statistics read that will not run (no recorder) costs nothing.
        hourly = sum(
            job.kind is JobKind.STATISTICS and math.isfinite(schedule.due)
            for job, schedule in self._jobs.items()
        )
        return rate + hourly / STATISTICS_PERIOD

    @property
    def hinted_rate(self) -> float:
        """Requests per second hinted reads took lately (follow-ups, sessions seen starting).

        They come on top of the plan, so the plan leaves room for them: the
        status period is fitted to what is left.
        """
        since = self.clock() - HINT_RATE_WINDOW
        while self._hinted_runs and self._hinted_runs[0] < since:
            self._hinted_runs.popleft()
        return len(self._hinted_runs) / HINT_RATE_WINDOW

    @property
    def sweep_cost(self) -> float:
        """Requests one status period costs, every job included (K), hinted reads too."""
        return self.periodic_cost + (self.fixed_rate + self.hinted_rate) * self._status_period

    @property
    def status_period(self) -> float:
        """Current status period T in seconds."""
        return self._status_period

    def set_status_period(self, period: float) -> None:
        """Set T (the host scheduler derives it from the budget)."""
        self._status_period = max(period, MIN_STATUS_PERIOD)

    @property
    def status_share(self) -> float:
        """Share of the planned requests that are status reads."""
        total = self.sweep_cost
        if not total:
            return 1.0
        status = sum(1 for job in self._jobs if job.kind in STATUS_KINDS)
        return min(status / total, 1.0)


def next_tick(previous: float, now: float, spacing: float) -> float:
    """When the tick after ``previous`` is due: fixed-rate ticks, ``spacing`` apart.

    Home Assistant fires a refresh up to a second early (it keeps each
    coordinator's timer on one fraction of a second): that is no reason to
    move the rhythm, or ticks would come ever sooner. The first tick, one
    fallen behind, or an extra refresh starts it again from now.
    """
    target = previous + spacing
    if target < now or target > now + spacing + TIMER_SLACK:
        return now + spacing
    return target
