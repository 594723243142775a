"""One API host's request budget, shared by every entry that talks to that host.

The service allows 100 requests per 5 minutes per client IP. The host
scheduler owns the host's request limiter (every entry's client uses it) and
gives each entry's poll planner the same status period, fitted to the cost of
all their fleets together.
"""

from __future__ import annotations

from .api import RequestLimiter
from .const import COMMAND_RESERVE, RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW
from .scheduler import MIN_STATUS_PERIOD, POLL_MARGIN, PollPlanner


class HostScheduler:
    """Shares one API host's request budget among the entries that use it.

    It owns the host's request limiter, which every entry's client uses, so the
    budget is counted once per host whatever the number of entries.
    """

    def __init__(
        self,
        requests: int = RATE_LIMIT_REQUESTS,
        window: float = RATE_LIMIT_WINDOW,
        reserve: int = COMMAND_RESERVE,
    ) -> None:
        """Initialise with the service's budget."""
        self.limiter = RequestLimiter(requests, window, reserve)
        self._full_rate = (requests - reserve - POLL_MARGIN) / window
        self._planners: dict[str, PollPlanner] = {}
        self._shares: dict[str, int] = {}

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

    def unregister(self, key: str) -> None:
        """Remove an entry's planner."""
        self._planners.pop(key, None)
        self._shares.pop(key, None)
        self.rebalance()

    @property
    def empty(self) -> bool:
        """Whether no entry uses this host any more."""
        return not self._planners

    def rebalance(self) -> None:
        """Give every planner the same status period, fitted to the total cost.

        The fixed-period reads (transactions, once a minute) come off the rate
        first; the rest paces the status period: T = K0 / (R - F).
        """
        planners = self._planners.values()
        periodic = sum(planner.periodic_cost for planner in planners)
        free_rate = max(self.poll_rate - sum(planner.fixed_rate for planner in planners), 1e-3)
        period = periodic / free_rate if periodic else MIN_STATUS_PERIOD
        for planner in planners:
            planner.set_status_period(period)

    def tick_interval(self, key: str) -> float:
        """Seconds between two requests of one entry, by its share of the cost."""
        planner = self._planners[key]
        total = sum(p.sweep_cost for p in self._planners.values())
        share = planner.sweep_cost / total if total else 1.0
        return 1.0 / (self.poll_rate * share) if share else planner.status_period
