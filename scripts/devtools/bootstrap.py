"""The bootstrap of the development instance: onboard, log in, add the integration, check."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from .check import check, check_charging
from .common import BootstrapError, log
from .hass_api import HomeAssistantApi
from .integration import ensure_integration
from .onboarding import onboard, remove_onboarding_extras
from .simulator import wait_simulator

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


async def bootstrap(options: BootstrapOptions) -> int:
    """Onboard, log in, add the integration, optionally check; return the exit status."""
    import aiohttp  # noqa: PLC0415

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
        if not await ensure_integration(api, sim):
            return ADD_FAILED
        if options.check:
            ok = await check(api, sim, options.check_timeout)
            ok = ok and await check_charging(api, sim, options.check_timeout)
            return 0 if ok else 1
    return 0


def run_bootstrap(options: BootstrapOptions) -> int:
    """Run the bootstrap; report a failure in one line plus details."""
    try:
        return asyncio.run(bootstrap(options))
    except BootstrapError as err:
        log(f"bootstrap failed: {err}")
        return 1
    except KeyboardInterrupt:
        return 130
