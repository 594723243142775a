"""Faults around writes: a reload mid-command, an unreadable answer, quick toggles."""

from __future__ import annotations

import asyncio
from typing import Any, Literal
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .run import fault_run

LIMIT_KW = 120.0
NUMBER = "number.group_1_power_limit"
SWITCH = "switch.ch_01_connector_1_charging"
LIMIT_ROUTE = "/v1/chargerControl/chargerGroups/{chargerGroupId}/externalPowerLimits"
CONTROL_PATH = "/v1/chargerControl"
type ToggleMode = Literal["awaited", "taps", "in_flight"]
# How long the run goes on after a command, to see whether anything is sent again.
AFTERWARDS = 60.0


def _number(hass: HomeAssistant) -> float | None:
    """The power limit the group's number shows (None: no number)."""
    state = hass.states.get(NUMBER)
    try:
        return None if state is None else float(state.state)
    except ValueError:
        return None


async def reload_during_limit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, answer_after_reload: bool
) -> str:
    """A group's power limit is set while the entry reloads; is it shown afterwards?

    The answer arrives while the reload runs, or (``answer_after_reload``) after it ended.
    """
    async with fault_run(hass, freezer) as run:
        commands = run.commands
        release = asyncio.Event()
        send = commands.client.set_external_power_limit

        async def held(*args: Any, **kwargs: Any) -> str:
            await release.wait()
            return await send(*args, **kwargs)

        start = run.now()
        with patch.object(commands.client, "set_external_power_limit", side_effect=held):
            setting = hass.async_create_task(
                commands.set_power_limit(run.sim.group_ids[0], LIMIT_KW)
            )
            await asyncio.sleep(0)
            reload = hass.async_create_task(hass.config_entries.async_reload(run.entry.entry_id))
            if answer_after_reload:
                await reload
            else:
                await asyncio.sleep(0)
            release.set()
            await setting
            reloaded = await reload
        await hass.async_block_till_done()
        answered = run.now()
        shown = await run.until(lambda: _number(hass) == LIMIT_KW, AFTERWARDS)
        sent = run.sim.stats.requests_by_route.get(LIMIT_ROUTE, 0)
        await run.run_for(AFTERWARDS)
        still = _number(hass) == LIMIT_KW
        unavailable, reloads = run.effects(start)
        return "; ".join(
            [
                f"reload {'succeeded' if reloaded else 'failed'}",
                f"limit writes sent: {sent}",
                f"{LIMIT_KW:.0f} kW shown "
                + ("never" if shown is None else f"{shown - answered:.0f} s after the answer")
                + (f", still {AFTERWARDS:.0f} s later" if still else ", then lost"),
                unavailable,
                f"{reloads} (the one asked for)",
            ]
        )


async def uncertain_start(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> str:
    """A start command answered 200 with a body that cannot be read."""
    async with fault_run(hass, freezer) as run:
        connector = run.connector()
        run.sim.faults.queue("malformed", path_prefix=CONTROL_PATH)
        start = run.now()
        try:
            await run.settle(run.commands.start_charging("CH-01", 1))
            told = "the start was accepted"
        except HomeAssistantError as err:
            told = f"the user is told: {err}"
        before = connector.status_fetched_at
        read = await run.until(lambda: connector.status_fetched_at != before, AFTERWARDS)
        await run.run_for(AFTERWARDS)
        sent = run.commands_sent()
        return "; ".join(
            [
                told,
                "follow-up status read "
                + ("never" if read is None else f"{read - start:.0f} s after the answer"),
                f"commands sent: {sent} (re-sent: {max(sent - 1, 0)})",
                f"connector afterwards: {run.sim.connector_status('CH-01', 1)}",
                *run.effects(start),
            ]
        )


async def on_off_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, mode: ToggleMode
) -> str:
    """The charging of CH-01 connector 1 turned on, off and on again within a second.

    ``awaited``: switch calls one after the other, each awaited; ``taps``: three switch
    calls sent together, as quick taps are; ``in_flight``: the three commands started
    together, so each is still in flight when the next comes.
    """
    async with fault_run(hass, freezer) as run:
        start = run.now()
        refused = 0
        if mode == "in_flight":
            commands = run.commands
            calls = [
                hass.async_create_task(call("CH-01", 1))
                for call in (
                    commands.start_charging,
                    commands.stop_charging,
                    commands.start_charging,
                )
            ]
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
            refused = sum(isinstance(outcome, HomeAssistantError) for outcome in outcomes)
            shared = outcomes[0] is outcomes[2]
        for service in ("turn_on", "turn_off", "turn_on") if mode != "in_flight" else ():
            try:
                await hass.services.async_call(
                    "switch", service, {"entity_id": SWITCH}, blocking=mode == "awaited"
                )
            except HomeAssistantError:
                refused += 1
        await hass.async_block_till_done(wait_background_tasks=True)
        sent = run.commands_sent()
        await run.run_for(AFTERWARDS)
        state = hass.states.get(SWITCH)
        return "; ".join(
            [
                f"commands sent: {sent} of 3",
                *([] if mode == "taps" else [f"refused by the charger: {refused}"]),
                *(
                    ["the second start got the first's answer"]
                    if mode == "in_flight" and shared
                    else []
                ),
                (
                    f"after {AFTERWARDS:.0f} s the connector is "
                    f"{run.sim.connector_status('CH-01', 1)} and the switch shows "
                    f"{'nothing' if state is None else state.state}"
                ),
                *run.effects(start),
            ]
        )
