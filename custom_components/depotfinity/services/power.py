"""The power-limit action of a charger group: one limit from now, or a schedule.

A single limit takes the same path as the group's number entity
(``commands.set_power_limit``); a schedule goes to ``commands.set_power_schedule``.
The kW bounds are checked here, before anything is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
import itertools
from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import ServiceCall
from homeassistant.helpers import config_validation as cv
import probatio

from custom_components.depotfinity.api import PowerLimitWindow
from custom_components.depotfinity.const import MAX_POWER_LIMIT_KW
from custom_components.depotfinity.validation import check_future, check_window, invalid

from .common import ATTR_END, ATTR_START, Action
from .targets import group_target

ATTR_POWER_LIMIT: Final = "power_limit"
ATTR_SCHEDULE: Final = "schedule"

WINDOW_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Required(ATTR_END): cv.datetime,
        probatio.Required(ATTR_POWER_LIMIT): probatio.Coerce(float),
    }
)
SET_POWER_LIMIT_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Optional(ATTR_POWER_LIMIT): probatio.Coerce(float),
        probatio.Optional(ATTR_END): cv.datetime,
        probatio.Optional(ATTR_SCHEDULE): [WINDOW_SCHEMA],
    }
)


def check_kw(value_kw: float) -> float:
    """Return a limit in kW, or raise ``invalid_power_limit``."""
    if not 0 <= value_kw <= MAX_POWER_LIMIT_KW:
        raise invalid("invalid_power_limit", max=f"{MAX_POWER_LIMIT_KW:g}")
    return value_kw


def schedule_windows(schedule: Sequence[dict[str, Any]]) -> list[PowerLimitWindow]:
    """A schedule's windows in time order (limits in W); none may overlap."""
    if not schedule:
        raise invalid("schedule_empty")
    windows = sorted(
        (
            PowerLimitWindow(
                *check_window(item[ATTR_START], item[ATTR_END]),
                check_kw(item[ATTR_POWER_LIMIT]) * 1000,
            )
            for item in schedule
        ),
        key=lambda window: window.start,
    )
    for before, after in itertools.pairwise(windows):
        if after.start < before.end:
            raise invalid("windows_overlap")
    return windows


async def set_power_limit(call: ServiceCall) -> None:
    """Limit a group's power now (until an end) or by a schedule; never both."""
    entry, group_id = group_target(call)
    limit: float | None = call.data.get(ATTR_POWER_LIMIT)
    schedule: list[dict[str, Any]] | None = call.data.get(ATTR_SCHEDULE)
    if (limit is None) == (schedule is None) or (schedule is not None and ATTR_END in call.data):
        raise invalid("limit_or_schedule")
    commands = entry.runtime_data.commands
    if schedule is not None:
        await commands.set_power_schedule(group_id, schedule_windows(schedule))
        return
    assert limit is not None
    end = call.data.get(ATTR_END)
    end = None if end is None else check_future(end)
    await commands.set_power_limit(group_id, check_kw(limit), end=end)


ACTIONS: Final = {"set_power_limit": Action(set_power_limit, SET_POWER_LIMIT_SCHEMA)}
