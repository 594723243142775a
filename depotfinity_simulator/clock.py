"""Virtual clock shared by every part of the simulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class VirtualClock:
    """A clock whose time runs at ``speed`` times real time plus a manual offset.

    ``now()`` = ``start`` + real elapsed seconds x ``speed`` + the sum of all ``advance`` calls.
    With ``speed=0`` the clock only moves when ``advance`` is called.
    """

    def __init__(self, start: datetime | None = None, speed: float = 0.0) -> None:
        """Create a clock starting at ``start`` (default: the current UTC second)."""
        if speed < 0:
            raise ValueError("speed must not be negative")
        if start is None:
            start = datetime.now(UTC).replace(microsecond=0)
        elif start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._start = start.astimezone(UTC)
        self._start_ts = self._start.timestamp()
        self._speed = speed
        self._real_origin = time.monotonic()
        self._offset = 0.0
        self._listeners: list[Callable[[], None]] = []

    @property
    def start(self) -> datetime:
        """Return the virtual time at which the clock started."""
        return self._start

    @property
    def speed(self) -> float:
        """Return how many virtual seconds pass per real second."""
        return self._speed

    def monotonic(self) -> float:
        """Return virtual seconds elapsed since the clock started."""
        real = (time.monotonic() - self._real_origin) * self._speed if self._speed else 0.0
        return real + self._offset

    def timestamp(self) -> float:
        """Return the current virtual time as a POSIX timestamp."""
        return self._start_ts + self.monotonic()

    def now(self) -> datetime:
        """Return the current virtual time (timezone-aware, UTC)."""
        return self._start + timedelta(seconds=self.monotonic())

    def advance(self, seconds: float) -> None:
        """Move virtual time forward by ``seconds`` and notify the listeners."""
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        self._offset += seconds
        for listener in list(self._listeners):
            listener()

    def add_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` after every ``advance``; return a function that removes it."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove
