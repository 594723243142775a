"""The bootstrap of the development instance: onboard, log in, add the integration, check."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .check import check, check_charging
from .common import BootstrapError, log
from .hass_api import HomeAssistantApi
from .history import enable_calendar, show_energy
from .instance import check_instance, wait_and_check
from .integration import ensure_integration
from .onboarding import ensure_core_config, onboard, remove_onboarding_extras
from .simulator import Simulator, wait_simulator

# Exit status of the bootstrap when Home Assistant runs but the integration could not be added.
ADD_FAILED = 3
SIMULATOR_START_TIMEOUT = 60.0
HTTP_TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class BootstrapOptions:
    """What scripts/develop tells the bootstrap."""

    url: str
    simulator_log: Path
    simulator_pid: int | None = None
    hass_pid: int | None = None
    timeout: float = 600.0
    check: bool = False
    check_timeout: float = 180.0
    # --check-long: minutes to let the instance run before checking it again.
    check_long_minutes: float | None = None
    # --e2e: the browser check, with its screenshots in this folder.
    screenshots: Path | None = None

    @property
    def pids(self) -> set[int]:
        """The processes whose listening ports are checked."""
        return {pid for pid in (self.hass_pid, self.simulator_pid) if pid is not None}


async def bootstrap(options: BootstrapOptions) -> int:
    """Onboard, log in, add the integration, optionally check; return the exit status."""
    import aiohttp  # noqa: PLC0415

    # Home Assistant starts after this moment: its logbook's starts since then are this run's.
    since = datetime.now(UTC) - timedelta(seconds=1)
    sim = await wait_simulator(
        options.simulator_log, options.simulator_pid, within=SIMULATOR_START_TIMEOUT
    )
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=HTTP_TIMEOUT)) as session:
        api = HomeAssistantApi(session, options.url, options.hass_pid)
        log(f"waiting for Home Assistant at {options.url}")
        await api.wait_http(options.timeout)
        onboarded_now = await onboard(api)
        await api.wait_running(options.timeout)
        if onboarded_now:
            await remove_onboarding_extras(api)
        await ensure_core_config(api)
        if not await ensure_integration(api, sim):
            return ADD_FAILED
        await show_history(api, sim, options.check_timeout)
        if options.check:
            return 0 if await run_checks(api, sim, options, since) else 1
    return 0


async def run_checks(
    api: HomeAssistantApi, sim: Simulator, options: BootstrapOptions, since: datetime
) -> bool:
    """--check (values, a charge, the instance), --check-long and --e2e; whether all passed."""
    ok = await check(api, sim, options.check_timeout)
    if options.screenshots is not None:
        from .e2e import browser_check  # noqa: PLC0415 - playwright only for --e2e

        ok = ok and await browser_check(api, sim, options.screenshots, options.check_timeout)
    else:
        ok = ok and await check_charging(api, sim, options.check_timeout)
    ok = ok and await check_instance(api, options.pids, since, "instance")
    if ok and options.check_long_minutes is not None:
        ok = await wait_and_check(api, options.pids, since, options.check_long_minutes)
        ok = ok and await check(api, sim, options.check_timeout)
    return ok


async def show_history(api: HomeAssistantApi, sim: Simulator, within: float) -> None:
    """A connector's calendar enabled, the connectors' hourly energy in the Energy dashboard."""
    try:
        await enable_calendar(api, sim, within)
        # What is imported by now (a later start adds the rest); --e2e waits for all.
        await show_energy(api, min(within, 30))
    except BootstrapError as err:
        log(f"warning: {err}")


def run_bootstrap(options: BootstrapOptions) -> int:
    """Run the bootstrap; report a failure in one line plus details."""
    try:
        return asyncio.run(bootstrap(options))
    except BootstrapError as err:
        log(f"bootstrap failed: {err}")
        return 1
    except KeyboardInterrupt:
        return 130
