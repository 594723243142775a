"""Sliding-window rate limiter keyed by client IP."""

from __future__ import annotations

from collections import deque
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .clock import VirtualClock


class RateLimiter:
    """Allows ``limit`` requests per ``window`` virtual seconds per client."""

    def __init__(self, clock: VirtualClock, limit: int, window: float) -> None:
        """Create a limiter on ``clock``."""
        self._clock = clock
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    def check(self, client: str) -> int | None:
        """Count a request from ``client``.

        Return ``None`` when it is allowed, else the whole seconds until a slot frees
        (a rejected request is not counted).
        """
        now = self._clock.monotonic()
        hits = self._hits.setdefault(client, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        return None

    def remaining(self, client: str) -> int:
        """Return how many more requests ``client`` may make right now."""
        now = self._clock.monotonic()
        hits = self._hits.get(client, deque())
        return self.limit - sum(1 for hit in hits if hit > now - self.window)

    def reset(self) -> None:
        """Forget all counted requests."""
        self._hits.clear()
