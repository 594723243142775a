"""Checks of the development instance itself: private, clean and not restarting.

- ``listening``: the TCP ports Home Assistant and the simulator listen on
  (``ss -ltnp``), which must all be loopback addresses;
- ``repairs``: the repair issues Home Assistant lists (``repairs/list_issues``),
  which must be none in a fresh instance;
- ``start_times``: when Home Assistant started, from its logbook ("Home
  Assistant started"), which must not change while it runs;
- ``pending_http``: an HTTP configuration waiting for a confirmation (none);
- ``notifications``: the notifications the UI shows (none: even a failed
  login from a probe would show up here).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import ipaddress
import re
import shutil
import time
from typing import Any

from .common import BootstrapError, log
from .hass_api import HomeAssistantApi

_PID = re.compile(r"pid=(\d+)")


@dataclass(frozen=True, slots=True)
class Listener:
    """One listening TCP socket: its address, port and owning processes."""

    address: str
    port: int
    pids: frozenset[int]

    @property
    def loopback(self) -> bool:
        """Whether only this machine can connect to it."""
        try:
            return ipaddress.ip_address(self.address.split("%", 1)[0]).is_loopback
        except ValueError:  # "*" and the like: every interface
            return False


def parse_ss(output: str) -> list[Listener]:
    """The listening sockets in the output of ``ss -ltnpH``."""
    found = []
    for line in output.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        address, _, port = fields[3].rpartition(":")
        pids = frozenset(int(pid) for pid in _PID.findall(line))
        found.append(Listener(address.strip("[]"), int(port), pids))
    return found


async def listening(pids: set[int]) -> list[Listener]:
    """The TCP sockets the processes ``pids`` listen on."""
    if shutil.which("ss") is None:
        raise BootstrapError("`ss` is needed to see the listening ports (apt-get install iproute2)")
    process = await asyncio.create_subprocess_exec(
        "ss", "-ltnpH", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise BootstrapError(f"ss -ltnp failed: {err.decode(errors='replace').strip()}")
    return [item for item in parse_ss(out.decode()) if item.pids & pids]


async def repairs(api: HomeAssistantApi) -> list[dict[str, Any]]:
    """The repair issues Home Assistant shows (Settings > Repairs)."""
    result = await api.websocket_command({"type": "repairs/list_issues"})
    issues: list[dict[str, Any]] = result["issues"]
    return issues


async def start_times(api: HomeAssistantApi, since: datetime) -> list[str]:
    """When Home Assistant started since ``since``, from its logbook."""
    stamp = since.astimezone(UTC).isoformat()
    entries = await api.call("GET", f"/api/logbook/{stamp}")
    return [
        str(entry["when"])
        for entry in entries
        if entry.get("domain") == "homeassistant" and entry.get("message") == "started"
    ]


async def notifications(api: HomeAssistantApi) -> list[str]:
    """The titles of the notifications the UI shows (the bell in the sidebar)."""
    items = await api.websocket_command({"type": "persistent_notification/get"})
    return [str(item.get("title") or item.get("notification_id")) for item in items]


async def pending_http(api: HomeAssistantApi) -> dict[str, Any] | None:
    """An HTTP configuration waiting for a confirmation in the UI, if any."""
    result = await api.websocket_command({"type": "http/config"})
    pending: dict[str, Any] | None = result.get("pending")
    if pending is None and result.get("revert_at") is None:
        return None
    return {"pending": pending, "revert_at": result.get("revert_at")}


@dataclass(slots=True)
class InstanceState:
    """What the checks saw at one moment; ``problems`` lists what is wrong."""

    listeners: list[Listener]
    issues: list[dict[str, Any]]
    starts: list[str]
    pending: dict[str, Any] | None
    notes: list[str]

    @property
    def problems(self) -> list[str]:
        """Every finding that fails the check, one line each."""
        found = [
            f"listens on {item.address}:{item.port}, not only on loopback"
            for item in self.listeners
            if not item.loopback
        ]
        found += [
            f"repair issue {issue['domain']}.{issue['issue_id']} "
            f"({issue.get('translation_key')}, {issue.get('severity')})"
            for issue in self.issues
        ]
        if len(self.starts) != 1:
            found.append(f"Home Assistant started {len(self.starts)} times: {self.starts}")
        if self.pending is not None:
            found.append(f"an HTTP configuration waits for a confirmation: {self.pending}")
        found += [f"notification {title!r}" for title in self.notes]
        return found


async def inspect(api: HomeAssistantApi, pids: set[int], since: datetime) -> InstanceState:
    """Look at ports, repairs, starts since ``since``, pending HTTP settings, notifications."""
    return InstanceState(
        await listening(pids),
        await repairs(api),
        await start_times(api, since),
        await pending_http(api),
        await notifications(api),
    )


def report(state: InstanceState, label: str) -> bool:
    """Print what was seen in a few lines; return whether it passed."""
    ports = ", ".join(sorted({f"{item.address}:{item.port}" for item in state.listeners})) or "-"
    print(f"{label}: listening on {ports}")
    starts = ", ".join(state.starts) or "?"
    print(
        f"{label}: Home Assistant started at {starts}; {len(state.issues)} repair issues, "
        f"{len(state.notes)} notifications"
    )
    for problem in state.problems:
        print(f"{label}: FAILED: {problem}")
    return not state.problems


async def check_instance(
    api: HomeAssistantApi, pids: set[int], since: datetime, label: str
) -> bool:
    """Check the instance once and report."""
    return report(await inspect(api, pids, since), label)


async def wait_and_check(
    api: HomeAssistantApi, pids: set[int], since: datetime, minutes: float
) -> bool:
    """Let the instance run ``minutes``, watching that it stays up, then check it again."""
    log(f"--check-long: letting Home Assistant run {minutes:g} minutes, then checking again")
    deadline = time.monotonic() + timedelta(minutes=minutes).total_seconds()
    while (left := deadline - time.monotonic()) > 0:
        api.check_alive()
        await asyncio.sleep(min(left, 15))
    api.check_alive()
    return await check_instance(api, pids, since, f"after {minutes:g} minutes")
