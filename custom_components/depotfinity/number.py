"""Numbers: the external power limit of a charger group."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberMode,
    RestoreNumber,
)
from homeassistant.const import EntityCategory, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import PowerLimitWindow
from .commands import DepotFinityCommands, PowerLimit
from .const import MAX_POWER_LIMIT_KW, POWER_LIMIT_DURATION
from .coordinator import DepotFinityConfigEntry, DepotFinityCoordinator
from .devices import async_track_devices
from .entity import GroupEntity

PARALLEL_UPDATES = 1

ATTR_UNTIL = "until"


async def _set_power_limit(commands: DepotFinityCommands, group_id: str, value_kw: float) -> Any:
    """One window from now for POWER_LIMIT_DURATION (DepotFinity takes W)."""
    now = dt_util.utcnow()
    window = PowerLimitWindow(now, now + POWER_LIMIT_DURATION, value_kw * 1000)
    return await commands.set_power_limit(group_id, [window])


@dataclass(frozen=True, kw_only=True)
class GroupNumberDescription(NumberEntityDescription):
    """A charger-group number and how to set it."""

    value_fn: Callable[[DepotFinityCommands, str], PowerLimit | None]
    set_fn: Callable[[DepotFinityCommands, str, float], Awaitable[Any]]


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
        value_fn=lambda commands, group_id: commands.power_limit(group_id),
        set_fn=_set_power_limit,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DepotFinityConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the group numbers, and those of groups added later."""
    coordinator = entry.runtime_data.coordinator
    commands = entry.runtime_data.commands

    def group_entities(group_id: str) -> Iterable[Entity]:
        for description in GROUP_NUMBERS:
            yield GroupNumber(coordinator, commands, description, group_id)

    async_track_devices(hass, entry, async_add_entities, group=group_entities)


class GroupNumber(GroupEntity, RestoreNumber):
    """A charger-group number.

    DepotFinity cannot report a group's limit, so this shows the limit set from
    Home Assistant (here or with the set_power_limit action) while it applies,
    kept across restarts; unknown until one is set, and after it lapsed.
    """

    entity_description: GroupNumberDescription

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        commands: DepotFinityCommands,
        description: GroupNumberDescription,
        group_id: str,
    ) -> None:
        """Set up the number."""
        super().__init__(coordinator, description.key, group_id)
        self.entity_description = description
        self._commands = commands

    async def async_added_to_hass(self) -> None:
        """Take back the limit set before a restart while it still applies."""
        await super().async_added_to_hass()
        number = await self.async_get_last_number_data()
        state = await self.async_get_last_state()
        if number is None or number.native_value is None or state is None:
            return
        until = dt_util.parse_datetime(str(state.attributes.get(ATTR_UNTIL)))
        if until is not None and until > dt_util.utcnow():
            self._commands.restore_power_limit(
                self.group_id, PowerLimit(number.native_value * 1000, until)
            )

    @property
    def _limit(self) -> PowerLimit | None:
        return self.entity_description.value_fn(self._commands, self.group_id)

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
        await self.entity_description.set_fn(self._commands, self.group_id, value)
