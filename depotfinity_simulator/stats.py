"""Request counters kept by the simulator (for tests and benchmarks)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

MAX_LOG = 100_000


@dataclass(slots=True)
class Stats:
    """Counters over API requests (admin requests are not counted)."""

    total_requests: int = 0
    token_requests: int = 0
    requests_by_route: Counter[str] = field(default_factory=Counter)
    requests_by_client: Counter[str] = field(default_factory=Counter)
    responses_by_status: Counter[int] = field(default_factory=Counter)
    log: list[tuple[datetime, str, int]] = field(default_factory=list)

    @property
    def responses_429(self) -> int:
        """Return the number of 429 responses."""
        return self.responses_by_status[429]

    @property
    def responses_503(self) -> int:
        """Return the number of 503 responses."""
        return self.responses_by_status[503]

    def record(self, when: datetime, route: str, client: str, status: int, *, token: bool) -> None:
        """Count one answered request."""
        if token:
            self.token_requests += 1
        else:
            self.total_requests += 1
            self.requests_by_client[client] += 1
        self.requests_by_route[route] += 1
        self.responses_by_status[status] += 1
        if len(self.log) < MAX_LOG:
            self.log.append((when, route, status))

    def reset(self) -> None:
        """Zero every counter."""
        self.total_requests = 0
        self.token_requests = 0
        self.requests_by_route.clear()
        self.requests_by_client.clear()
        self.responses_by_status.clear()
        self.log.clear()

    def as_dict(self) -> dict[str, Any]:
        """Return the counters as JSON-ready data."""
        return {
            "total_requests": self.total_requests,
            "token_requests": self.token_requests,
            "requests_by_route": dict(self.requests_by_route),
            "requests_by_client": dict(self.requests_by_client),
            "responses_by_status": {str(k): v for k, v in self.responses_by_status.items()},
            "responses_429": self.responses_429,
            "responses_503": self.responses_503,
            "log": [
                {"time": when.isoformat(), "route": route, "status": status}
                for when, route, status in self.log
            ],
        }
