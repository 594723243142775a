"""Pieces every development tool shares: logging, the error type, process and polling helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
import os
import sys
import time
from typing import Any

DOMAIN = "depotfinity"


def log(message: str) -> None:
    """Print a progress line of scripts/develop."""
    print(f"develop: {message}", file=sys.stderr, flush=True)


class BootstrapError(Exception):
    """Something a developer has to look at."""


def alive(pid: int | None) -> bool:
    """Whether the process ``pid`` still runs (True when there is no pid to watch)."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def poll_until[T](
    probe: Callable[[], Awaitable[tuple[bool, T]]], within: float, interval: float
) -> tuple[bool, T]:
    """Await ``probe`` every ``interval`` s until it reports done or ``within`` s have passed.

    ``probe`` returns whether it is done and what it saw; the last answer is
    returned, so a caller can report what it saw when time ran out. Exceptions
    of ``probe`` stop the polling.
    """
    deadline = time.monotonic() + within
    while True:
        done, seen = await probe()
        if done or time.monotonic() > deadline:
            return done, seen
        await asyncio.sleep(interval)


def describe_entry(entry: Mapping[str, Any]) -> str:
    """A config entry in one line: its title, state and the reason of that state."""
    reason = f" ({entry['reason']})" if entry.get("reason") else ""
    return f"{entry['title']} -> {entry['state']}{reason}"
