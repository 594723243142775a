"""A charging session that ends during an outage: is its final energy read, and when?"""

from __future__ import annotations

from datetime import datetime

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from .run import fault_run, seconds_since_start

MAINTENANCE = 90.0
CHARGE = 120.0
# Into the window when the vehicle leaves; after the end was seen, before the final read.
INTO_WINDOW = 30.0
LIMIT = 900.0


def _read_since(read_at: datetime | None, moment: float) -> bool:
    """Whether the register was read after ``moment``."""
    return read_at is not None and seconds_since_start(read_at) > moment


async def session_end_in_outage(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *, seen_first: bool
) -> str:
    """A session on CH-01 connector 1 ends, and a 90 s maintenance window (503) hides it.

    The vehicle leaves 30 s into the window; or (``seen_first``) the end is seen before the
    window opens, so that only the session's final energy read falls into it.
    """
    async with fault_run(hass, freezer) as run:
        connector = run.connector()
        meter = run.sim.state.chargers["CH-01"].connectors[1]
        run.sim.plug_in("CH-01", 1)
        run.read_status_now()
        await run.until(lambda: connector.is_charging and connector.power_w, LIMIT)
        await run.run_for(CHARGE)
        if seen_first:
            run.sim.unplug("CH-01", 1)
            ended = run.now()
            run.read_status_now()
            seen = await run.until(lambda: not connector.is_active, LIMIT)
            await run.run_for(INTO_WINDOW)
            start = run.now()
            run.sim.faults.maintenance(MAINTENANCE)
        else:
            start = run.now()
            run.sim.faults.maintenance(MAINTENANCE)
            await run.run_for(INTO_WINDOW)
            run.sim.unplug("CH-01", 1)
            ended = run.now()
            seen = await run.until(lambda: not connector.is_active, LIMIT)
        final = meter.energy_wh
        if seen is not None:
            # The session's last register read, due once the meter's last sample exists.
            await run.until(lambda: _read_since(connector.energy.read_at, seen), LIMIT)
        read_at = connector.energy.read_at
        last_read = None if read_at is None else seconds_since_start(read_at) - ended
        await run.until_live(start + MAINTENANCE)
        short = final - (connector.energy_wh or 0.0)
        return "; ".join(
            [
                "end seen " + ("never" if seen is None else f"{seen - ended:.0f} s after it"),
                "final energy read "
                + ("never" if last_read is None else f"{last_read:.0f} s after the session ended"),
                "energy shown: "
                + ("the meter's final register" if short < 1 else f"{short:.0f} Wh short"),
                *run.effects(start),
            ]
        )
