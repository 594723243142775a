"""One API host's request budget, shared by every entry that talks to that host.

The service allows 100 requests per 5 minutes per client IP. The host
scheduler owns the host's request limiter (every entry's client uses it) and
gives each entry's poll planner the same status period, fitted to the cost of
all their fleets together.
"""

from __future__ import annotations

from .api import RequestLimiter
from .const import COMMAND_RESERVE, RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW
from .pace import MIN_STATUS_PERIOD
from .scheduler import POLL_MARGIN, PollPlanner


def host_limiter() -> RequestLimiter:
    """A request limiter with the service's budget per host."""
    return RequestLimiter(RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW, COMMAND_RESERVE)


class HostScheduler:
    """Shares one API host's request budget among the entries that use it.

    It owns the host's request limiter, which every entry's client uses, so the
    budget is counted once per host whatever the number of entries.
    """

    def __init__(self, limiter: RequestLimiter | None = None) -> None:
        """Initialise with the service's budget; ``limiter`` may hold requests already sent."""
        self.limiter = limiter = limiter or host_limiter()
        self._full_rate = (
            limiter.max_requests - limiter.command_reserve - POLL_MARGIN
        ) / limiter.window
        self._planners: dict[str, PollPlanner] = {}
        self._shares: dict[str, int] = {}
        # When each entry's jobs last ran, kept for the entry's next setup (a
        # reload or a restart): its planner keeps the rhythm instead of starting over.
        self.saved_runs: dict[str, dict[str, float]] = {}

    @property
    def poll_rate(self) -> float:
        """Polls per second all entries together may send."""
        share = min(self._shares.values(), default=100)
        return self._full_rate * share / 100

    def register(self, key: str, planner: PollPlanner, share: int = 100) -> None:
        """Add an entry's planner; ``share`` is the percentage of the budget it may use."""
        self._planners[key] = planner
        self._shares[key] = max(1, min(share, 100))
        self.rebalance()
        if (runs := self.saved_runs.pop(key, None)) is not None:
            planner.restore_runs(runs)

    def unregister(self, key: str) -> None:
        """Remove an entry's planner (when its jobs last ran is kept for its next setup)."""
        if (planner := self._planners.pop(key, None)) is not None:
            self.saved_runs[key] = planner.export_runs()
        self._shares.pop(key, None)
        self.rebalance()

    def export_runs(self) -> dict[str, dict[str, float]]:
        """When the jobs of every entry (set up or not) last ran."""
        return self.saved_runs | {key: p.export_runs() for key, p in self._planners.items()}

    @property
    def empty(self) -> bool:
        """Whether no entry uses this host any more."""
        return not self._planners

    def rebalance(self) -> None:
        """Give every planner the same status period, fitted to the total cost.

        The fixed-period reads (transactions, once a minute) and the room hinted
        reads took lately come off the rate first; the rest paces the status
        period: T = K0 / (R - F - H). Called on every tick: sessions that start
        or end change K0.
        """
        planners = self._planners.values()
        periodic = sum(planner.periodic_cost for planner in planners)
        unplanned = sum(planner.fixed_rate + planner.hinted_rate for planner in planners)
        free_rate = max(self.poll_rate - unplanned, 1e-3)
        period = periodic / free_rate if periodic else MIN_STATUS_PERIOD
        for planner in planners:
            planner.set_status_period(period)

    def tick_interval(self, key: str) -> float:
        """Seconds between two requests of one entry, by its share of the cost.

        Never faster than the window lets polls go on evenly: after a burst
        (the first sweep) or a gap (a restart) the pace slows a little, instead
        of stopping when the window is full and again one window later.
        """
        planner = self._planners[key]
        total = sum(p.sweep_cost for p in self._planners.values())
        share = planner.sweep_cost / total if total else 1.0
        rate = min(self.poll_rate, self.limiter.steady_rate(spare=POLL_MARGIN))
        return 1.0 / (rate * share) if share else planner.status_period
