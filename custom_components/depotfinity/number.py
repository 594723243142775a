"""Numbers: the external power limit of a charger group."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberMode,
    RestoreNumber,
)
from homeassistant.const import EntityCategory, UnitOfPower
from homeassistant.util import dt as dt_util

from .api import ApiGroup
from .commands import DepotFinityCommands
from .const import MAX_POWER_LIMIT_KW
from .data import GroupData, PowerLimit
from .entity import GroupEntity, device_platform, each_description

PARALLEL_UPDATES = 1

ATTR_UNTIL = "until"


@dataclass(frozen=True, kw_only=True)
class GroupNumberDescription(NumberEntityDescription):
    """A charger-group number and how to set it."""

    value_fn: Callable[[GroupData, datetime], PowerLimit | None]
    set_fn: Callable[[DepotFinityCommands, str, float], Awaitable[Any]]
    # Shows what Home Assistant set: no read API behind it.
    api: ApiGroup | None = None


GROUP_NUMBERS: tuple[GroupNumberDescription, ...] = (
    GroupNumberDescription(
        key="power_limit",
        translation_key="power_limit",
        device_class=NumberDeviceClass.POWER,
        entity_category=EntityCategory.CONFIG,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        native_min_value=0,
        native_max_value=MAX_POWER_LIMIT_KW,
        native_step=1,
        mode=NumberMode.BOX,
        value_fn=lambda group, now: group.current_limit(now),
        set_fn=lambda commands, group_id, value_kw: commands.set_power_limit(group_id, value_kw),
    ),
)


class GroupNumber(GroupEntity, RestoreNumber):
    """A charger-group number.

    DepotFinity cannot report a group's limit, so this shows the limit set from
    Home Assistant (here or with the set_power_limit action) while it applies,
    kept across restarts; unknown until one is set, and after it lapsed.
    """

    entity_description: GroupNumberDescription

    async def async_added_to_hass(self) -> None:
        """Take back the limit set before a restart while it still applies."""
        await super().async_added_to_hass()
        number = await self.async_get_last_number_data()
        state = await self.async_get_last_state()
        group = self.group_data
        if number is None or number.native_value is None or state is None or group is None:
            return
        until = dt_util.parse_datetime(str(state.attributes.get(ATTR_UNTIL)))
        if until is not None and until > dt_util.utcnow() and group.power_limit is None:
            group.power_limit = PowerLimit(number.native_value * 1000, until)

    @property
    def _limit(self) -> PowerLimit | None:
        group = self.group_data
        return None if group is None else self.entity_description.value_fn(group, dt_util.utcnow())

    @property
    def native_value(self) -> float | None:
        """The limit in kW."""
        limit = self._limit
        return None if limit is None else limit.limit_w / 1000

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Until when the limit applies."""
        limit = self._limit
        return None if limit is None else {ATTR_UNTIL: limit.until.isoformat()}

    async def async_set_native_value(self, value: float) -> None:
        """Send the limit."""
        await self.entity_description.set_fn(self.commands, self.group_id, value)


# A power limit per charger group.
async_setup_entry = device_platform(
    group=each_description(GroupNumber, GROUP_NUMBERS),
)
