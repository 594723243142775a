"""Client-side request limiter (sliding window, two priorities).

The API allows 100 requests per 5 minutes per client IP. Whoever builds the clients owns one
limiter per API host and passes it to every client of that host (``limiter=``); a client built
without one gets a limiter of its own. Polls may use the window only up to
``max_requests - command_reserve`` so that commands (user actions) always find a slot; commands
never wait behind polls, and they fail fast instead of waiting.

The limiter also holds the server's back-off (:meth:`RequestLimiter.back_off`): after a 429 or
503/504 no request of any priority, token requests included, is sent until it has passed.

Public API: :meth:`~RequestLimiter.acquire` / :meth:`~RequestLimiter.release` around each request;
:meth:`~RequestLimiter.back_off`, :meth:`~RequestLimiter.penalize`,
:meth:`~RequestLimiter.record_success` and :meth:`~RequestLimiter.raise_if_blocked` for the
server's back-off; :meth:`~RequestLimiter.used`, :meth:`~RequestLimiter.in_flight`,
:meth:`~RequestLimiter.available`, :meth:`~RequestLimiter.next_slot_in`,
:meth:`~RequestLimiter.steady_rate`,
:meth:`~RequestLimiter.blocked_for` and :meth:`~RequestLimiter.window_clears_in` to look.
"""

from __future__ import annotations

import asyncio
from enum import StrEnum
import logging
import math
import time
from typing import TYPE_CHECKING, Any
import warnings

from .const import (
    MAX_RETRY_AFTER,
    RATE_LIMIT_COMMAND_RESERVE,
    RATE_LIMIT_MAX_REQUESTS,
    RATE_LIMIT_SAFETY_MARGIN,
    RATE_LIMIT_WINDOW,
    UNAVAILABLE_BACKOFF_STEPS,
)
from .exceptions import DepotFinityError, DepotFinityRateLimitError, DepotFinityUnavailableError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

_LOGGER = logging.getLogger(__name__)


def monotonic() -> float:
    """The default clock, looked up at each call (so a patched clock is followed)."""
    return time.monotonic()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Priority(StrEnum):
    """Request priority."""

    #: User actions and writes: may use the whole window, never queued behind polls.
    COMMAND = "command"
    #: Periodic reads: may use the window minus the command reserve; they wait for a slot.
    POLL = "poll"


class RequestSlot:
    """One used slot of the window (returned by :meth:`RequestLimiter.acquire`).

    Until it is released the request is in flight: the server may count it at any moment, so
    the slot cannot start to expire (for at most one window, in case a caller never releases).
    """

    __slots__ = ("at", "priority", "released")

    def __init__(self, at: float, priority: Priority) -> None:
        """Record when the slot was taken."""
        self.at = at
        self.priority = priority
        self.released = False


class RequestLimiter:
    """Sliding-window limiter with a reserve for commands, and the server's back-off."""

    def __init__(
        self,
        max_requests: int = RATE_LIMIT_MAX_REQUESTS,
        window: float = RATE_LIMIT_WINDOW,
        command_reserve: int = RATE_LIMIT_COMMAND_RESERVE,
        clock: Callable[[], float] = monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        *,
        safety_margin: float = RATE_LIMIT_SAFETY_MARGIN,
    ) -> None:
        """Create a limiter; ``clock`` and ``sleep`` can be replaced in tests."""
        if max_requests < 1:
            raise ValueError("max_requests must be at least 1")
        if not 0 <= command_reserve < max_requests:
            raise ValueError("command_reserve must be in [0, max_requests)")
        if window <= 0:
            raise ValueError("window must be positive")
        self.max_requests = max_requests
        self.window = window
        self.command_reserve = command_reserve
        self.safety_margin = max(safety_margin, 0.0)
        self._clock = clock
        self._sleep = sleep
        self._slots: list[RequestSlot] = []
        self._blocked_until = 0.0
        self._blocked_by: type[DepotFinityRateLimitError | DepotFinityUnavailableError] = (
            DepotFinityRateLimitError
        )
        self._unavailable_streak = 0

    @classmethod
    @warnings.deprecated("There is no shared limiter any more; clear_registry does nothing")
    def clear_registry(cls) -> None:
        """Deprecated no-op: limiters are no longer shared through a class-level registry."""

    # ------------------------------------------------------------------ introspection

    def _capacity(self, priority: Priority) -> int:
        if priority is Priority.COMMAND:
            return self.max_requests
        return self.max_requests - self.command_reserve

    def _counted_from(self, slot: RequestSlot, now: float) -> float:
        """When the window of ``slot`` starts (in-flight slots: now, capped at one window)."""
        if slot.released:
            return slot.at
        return max(slot.at, min(now, slot.at + self.window))

    def _purge(self, now: float) -> None:
        horizon = self.window + self.safety_margin
        self._slots = [s for s in self._slots if self._counted_from(s, now) + horizon > now]

    def used(self) -> int:
        """Number of slots used in the current window (including requests in flight)."""
        self._purge(self._clock())
        return len(self._slots)

    def in_flight(self) -> int:
        """Number of acquired slots not yet released."""
        now = self._clock()
        self._purge(now)
        return sum(1 for s in self._slots if not s.released and now < s.at + self.window)

    def window_clears_in(self) -> float:
        """Seconds until our oldest request of the window leaves it (at most one window).

        With no request in the log (the budget was used by someone else on the same IP) the
        whole window is assumed.
        """
        now = self._clock()
        self._purge(now)
        if not self._slots:
            return self.window
        oldest = min(self._counted_from(slot, now) for slot in self._slots)
        return min(max(oldest + self.window + self.safety_margin - now, 0.0), self.window)

    def blocked_for(self) -> float:
        """Seconds left of a penalty set by :meth:`penalize` (0 if none)."""
        return max(self._blocked_until - self._clock(), 0.0)

    def available(self, priority: Priority = Priority.POLL) -> int:
        """Free slots for a priority right now (0 while penalised)."""
        if self.blocked_for() > 0:
            return 0
        return max(self._capacity(priority) - self.used(), 0)

    def next_slot_in(self, priority: Priority = Priority.POLL) -> float:
        """Seconds until a request of this priority could be sent (0 = now)."""
        now = self._clock()
        self._purge(now)
        return max(self._blocked_until - now, self._slot_wait(priority, now), 0.0)

    def steady_rate(self, priority: Priority = Priority.POLL, spare: int = 0) -> float:
        """The highest even rate (requests per second) that never finds the window full.

        Sending faster only meets a full window later and then waits until slots
        leave it: a pause that the sliding window repeats one window later, and
        again. ``spare`` slots of the priority's capacity are left unused.
        Infinite when nothing limits the rate.
        """
        now = self._clock()
        self._purge(now)
        free = max(self._capacity(priority) - spare - len(self._slots), 0)
        leaving = sorted(
            self._counted_from(slot, now) + self.window + self.safety_margin - now
            for slot in self._slots
        )
        # By the time the k-th slot leaves, at most free + k requests can have gone.
        rates = [(free + k) / wait for k, wait in enumerate(leaving, start=1) if wait > 0]
        return min(rates, default=math.inf)

    def _slot_wait(self, priority: Priority, now: float) -> float:
        capacity = self._capacity(priority)
        excess = len(self._slots) - capacity
        if excess < 0:
            return 0.0
        ordered = sorted(self._counted_from(slot, now) for slot in self._slots)
        return ordered[excess] + self.window + self.safety_margin - now

    # ------------------------------------------------------------------ use

    async def acquire(
        self, priority: Priority = Priority.POLL, max_wait: float | None = None
    ) -> RequestSlot:
        """Take a slot, waiting for one if needed.

        Raises :class:`DepotFinityRateLimitError` at once when the wait would be longer than
        ``max_wait`` (``None`` = wait as long as needed for a slot). While a penalty set by
        :meth:`penalize` runs, both priorities raise unless ``max_wait`` covers the penalty.
        """
        while True:
            now = self._clock()
            self._purge(now)
            blocked = self._blocked_until - now
            if blocked > 0:
                if max_wait is None or blocked > max_wait:
                    self.raise_if_blocked()
                wait = blocked
            else:
                wait = self._slot_wait(priority, now)
                if wait <= 0:
                    slot = RequestSlot(now, priority)
                    self._slots.append(slot)
                    return slot
                if max_wait is not None and wait > max_wait:
                    raise DepotFinityRateLimitError(
                        f"Local rate limit reached ({priority} slots), next slot in {wait:.1f} s",
                        retry_after=wait,
                    )
            _LOGGER.debug("Waiting %.1f s for a %s request slot", wait, priority)
            await self._sleep(wait)

    def release(self, slot: RequestSlot) -> None:
        """Mark a request as finished: its slot counts from now (the server saw it by then)."""
        slot.at = max(slot.at, self._clock())
        slot.released = True

    def raise_if_blocked(self) -> None:
        """Raise the error of a running back-off (with the time left), if one runs.

        The error is of the kind that caused the pause: a rate-limit error after a 429, an
        unavailable error after a 503/504; its ``status`` is ``None`` (nothing was sent).
        """
        if (blocked := self.blocked_for()) > 0:
            raise self._blocked_by(
                f"Requests are paused for {blocked:.1f} s after a server back-off",
                retry_after=blocked,
            )

    def back_off(self, error: DepotFinityError) -> float | None:
        """Pause every request after a server 429/503/504; return the pause (also in ``error``).

        Other errors are ignored (``None``). The server's ``Retry-After`` is honoured up to one
        window. Without one: after a 429, until our oldest request leaves the window; after
        consecutive 503/504s, 30, 60, then 90 s (the ladder restarts after
        :meth:`record_success`).
        """
        if not isinstance(error, DepotFinityRateLimitError | DepotFinityUnavailableError):
            return None
        unavailable = isinstance(error, DepotFinityUnavailableError)
        if unavailable:
            step = min(self._unavailable_streak, len(UNAVAILABLE_BACKOFF_STEPS) - 1)
            self._unavailable_streak += 1
            default = UNAVAILABLE_BACKOFF_STEPS[step]
        else:
            default = self.window_clears_in()
        pause = default if error.retry_after is None else error.retry_after
        pause = min(max(pause, 0.0), MAX_RETRY_AFTER)
        error.retry_after = pause
        self.penalize(pause, unavailable=unavailable)
        return pause

    def record_success(self) -> None:
        """Note a successful answer: the next 503 starts the back-off ladder again."""
        self._unavailable_streak = 0

    # ------------------------------------------------------------------ carried over a restart

    def export_log(self) -> dict[str, Any]:
        """The window's requests as ages in seconds, and a pause still running.

        A monotonic clock does not survive a restart; ages do. Store them with the
        wall-clock time they were taken at, and give :meth:`import_log` the
        seconds that passed since.
        """
        now = self._clock()
        self._purge(now)
        return {
            "ages": [round(now - self._counted_from(slot, now), 3) for slot in self._slots],
            "blocked_for": round(self.blocked_for(), 3),
            "unavailable": self._blocked_by is DepotFinityUnavailableError,
        }

    def import_log(self, log: Mapping[str, Any], elapsed: float) -> None:
        """Take back a window saved ``elapsed`` seconds ago (e.g. before a restart).

        Requests still inside the window count again, so the first requests
        after a restart never exceed it; a pause still running goes on. Anything
        that is not a number is ignored.
        """
        now = self._clock()
        ages = log.get("ages")
        for age in ages if isinstance(ages, list) else ():
            if not _is_number(age):
                continue
            slot = RequestSlot(now - max(float(age), 0.0) - max(elapsed, 0.0), Priority.POLL)
            slot.released = True
            self._slots.append(slot)
        self._purge(now)
        blocked = log.get("blocked_for")
        left = float(blocked) - max(elapsed, 0.0) if isinstance(blocked, int | float) else 0.0
        if left > 0:
            self.penalize(left, unavailable=log.get("unavailable") is True)

    def penalize(self, retry_after: float, *, unavailable: bool = False) -> None:
        """Block new requests for ``retry_after`` seconds (after a server 429/503).

        Requests refused meanwhile raise the same kind of error as the one that
        caused the pause: a rate-limit error after a 429, an unavailable error
        after a 503/504.
        """
        until = self._clock() + max(retry_after, 0.0)
        if until > self._blocked_until:
            _LOGGER.debug("Pausing requests for %.1f s", retry_after)
            self._blocked_until = until
            self._blocked_by = (
                DepotFinityUnavailableError if unavailable else DepotFinityRateLimitError
            )
