"""Faults of single answers: a reset connection, a timeout, junk, refused access."""

from __future__ import annotations

from collections.abc import Iterable
import re
from unittest.mock import patch

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from custom_components.depotfinity.api import ApiGroup, DepotFinityConnectionError
from depotfinity_simulator import PACKAGES

from .run import STATUS_PATH, FaultRun, fault_run, seconds_since_start, simulator_config
from .transport import TransportFault, transport_fault

# How long a lasting fault goes on.
LASTING = 600.0
JUNK = 60.0
# A switched-off API is tried again after 6 h: wait for it in steps of a few seconds
# (a step much longer than the coordinator's tick would change which job runs next).
PROBE_WAIT = 7 * 3600.0
PROBE_STEP = 5.0
TIME_SERIES_PATH = "/v1/timeSeries/"
# An entity id's device part (a charger or a connector) and what it shows.
_DEVICE = re.compile(r"^(ch_\d+(?:_connector_\d+)?)_(.+)$")
# A status answer without the status, and the answer of an API that refuses the token.
NO_STATUS = '{"items": [{"timeStamp": "2026-11-02T08:00:00.000Z"}]}'
UNAUTHORIZED = '{"message": "Unauthorized"}'


def _reset(status: int, text: str) -> tuple[int, str]:
    """The connection drops before the answer arrives."""
    raise DepotFinityConnectionError("Request failed: ClientConnectionResetError")


def _kinds(names: Iterable[str]) -> str:
    """What entities show, and of which devices (chargers and connectors)."""
    devices, kinds = set(), set()
    for name in names:
        object_id = name.partition(".")[2]
        match = _DEVICE.match(object_id)
        device, kind = match.groups() if match else ("the depot", object_id)
        devices.add(device)
        kinds.add(kind)
    return f"{', '.join(sorted(kinds))} of {', '.join(sorted(devices))}"


def _which(run: FaultRun, start: float) -> str:
    """Which entities went unavailable since ``start``."""
    _, names = run.down(start, run.now())
    if not names:
        return "no entity went unavailable"
    return f"{len(names)} entities went unavailable ({_kinds(names)})"


async def connection_reset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, resets: int
) -> str:
    """A status poll whose connection is reset ``resets`` times (the client retries once)."""
    async with fault_run(hass, freezer) as run:
        connector = run.connector()
        before = connector.status_fetched_at
        with transport_fault(TransportFault(STATUS_PATH, _reset, count=resets)) as fault:
            start = run.now()
            run.read_status_now()
            await run.until(lambda: fault.hits >= resets, 60)
            end = run.now()
        read = connector.status_fetched_at != before
        if not read:
            await run.until(lambda: connector.status_fetched_at != before, 300)
        fetched = connector.status_fetched_at
        later = "never" if fetched is None else f"{seconds_since_start(fetched) - end:.0f} s"
        return await run.report(
            start,
            end,
            f"resets: {fault.hits}",
            "that poll read the status"
            if read
            else f"that poll failed; the next read of the connector {later} later",
            through=True,
        )


async def timeout(hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, client: bool) -> str:
    """A status request held in flight: until the gateway's 504 (2 s), or the client's timeout.

    ``client``: the client gives up after 1 s while the simulator holds the request 3 s.
    """
    config = simulator_config(timeout_seconds=3.0 if client else 2.0)
    async with fault_run(hass, freezer, config) as run:
        start = run.now()
        run.sim.faults.queue("timeout", path_prefix=STATUS_PATH)
        run.read_status_now()
        if client:
            with patch.object(run.coordinator.client, "_timeout", aiohttp.ClientTimeout(total=1)):
                await run.until(lambda: not run.sim.faults.queued, 60, held=True)
            what = "the client gives up after 1 s (the simulator would hold it 3 s)"
        else:
            await run.until(lambda: run.answers(504), 60, held=True)
            what = "the gateway answers 504 after holding the request 2 s"
        end = run.now() if client else run.answers(504)[0]
        await run.until_live(end)
        return await run.report(
            start,
            end,
            what,
            run.next_request(end, "it"),
            status=None if client else 504,
            through=True,
        )


async def junk_status(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, truncated: bool
) -> str:
    """For a minute every status answer about CH-01 connector 1 is a 200 that cannot be read.

    ``truncated``: cut-off JSON (the simulator's malformed fault); else a record without status.
    """
    async with fault_run(hass, freezer) as run:
        start = run.now()
        run.read_status_now()
        if truncated:
            run.sim.faults.queue("malformed", count=10**6, path_prefix=STATUS_PATH)
            await run.run_for(JUNK)
            run.sim.faults.clear()
        else:
            fault = TransportFault(STATUS_PATH, lambda status, text: (status, NO_STATUS))
            with transport_fault(fault):
                await run.run_for(JUNK)
        end = run.now()
        run.read_status_now()
        return await run.report(start, end, _which(run, start))


async def lapsed(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> str:
    """For 10 minutes every API answers 403 (the package lapsed), then it is renewed."""
    async with fault_run(hass, freezer) as run:
        with patch.dict(PACKAGES, {"lapsed": frozenset()}):
            start = run.now()
            run.sim.package = "lapsed"
            down = await run.until(lambda: run.samples[-1].unavailable, LASTING)
            await run.run_for(start + LASTING - run.now())
            run.sim.package = "premium"
        end = run.now()
        issues = run.repairs()
        shown = run.watched - run.samples[-1].unavailable
        health = run.coordinator.health
        back = await run.until(lambda: not health.disabled_apis, PROBE_WAIT, PROBE_STEP)
        return await run.report(
            start,
            end,
            "first entity unavailable "
            + ("never" if down is None else f"{down - start:.0f} s after the lapse"),
            f"still shown at the end of the lapse: {_kinds(shown)}",
            f"repair issues: {len(issues)} ({', '.join(sorted(set(issues)))})",
            "every API on again "
            + ("never" if back is None else f"{back - end:.0f} s after the renewal"),
            status=403,
        )


async def refused_api(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> str:
    """For 10 minutes the time-series API answers 401, even to a fresh token."""
    async with fault_run(hass, freezer) as run:
        run.sim.plug_in("CH-01", 1)
        run.read_status_now()
        await run.until(lambda: run.connector().power_w, 300)
        health = run.coordinator.health

        def off() -> bool:
            return ApiGroup.TIME_SERIES in health.disabled_apis

        fault = TransportFault(TIME_SERIES_PATH, lambda status, text: (401, UNAUTHORIZED))
        with transport_fault(fault):
            start = run.now()
            switched_off = await run.until(off, LASTING)
            await run.run_for(start + LASTING - run.now())
            end = run.now()
        issues, reauth = run.repairs(), run.reauth_flows()
        back = await run.until(lambda: not off(), PROBE_WAIT, PROBE_STEP)
        return await run.report(
            start,
            end,
            f"401 answers: {fault.hits}",
            "time series switched off "
            + (
                "never" if switched_off is None else f"{switched_off - start:.0f} s after the fault"
            ),
            "and on again " + ("never" if back is None else f"{back - end:.0f} s after it ends"),
            f"{_which(run, start)}",
            f"reauthentication flows: {reauth}",
            f"repair issues: {', '.join(issues) or 'none'}",
        )
