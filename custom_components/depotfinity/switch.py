"""Switches: start and stop charging on a connector."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import STATE_ON
from homeassistant.core import CALLBACK_TYPE, State, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .api import ConnectorStatus
from .commands import DepotFinityCommands
from .const import OPTIMISTIC_TIMEOUT
from .data import ConnectorData
from .entity import ConnectorEntity, RestoredValue, device_platform, each_description

# Commands are user actions: one at a time per platform keeps the budget calm.
PARALLEL_UPDATES = 1

# A session is running (power flows, or one side paused it).
SESSION_STATUSES = frozenset(
    status.value
    for status in (
        ConnectorStatus.CHARGING,
        ConnectorStatus.SUSPENDED_EV,
        ConnectorStatus.SUSPENDED_EVSE,
    )
)


@dataclass(frozen=True, kw_only=True)
class ConnectorSwitchDescription(SwitchEntityDescription):
    """A connector switch: its state from the connector, its commands."""

    is_on_fn: Callable[[ConnectorData], bool | None]
    turn_on_fn: Callable[[DepotFinityCommands, str, int], Awaitable[Any]]
    turn_off_fn: Callable[[DepotFinityCommands, str, int], Awaitable[Any]]


CONNECTOR_SWITCHES: tuple[ConnectorSwitchDescription, ...] = (
    ConnectorSwitchDescription(
        key="charging",
        translation_key="charging",
        is_on_fn=lambda c: None if c.status is None else c.status.status in SESSION_STATUSES,
        turn_on_fn=lambda commands, charger_id, number: commands.start_charging(charger_id, number),
        turn_off_fn=lambda commands, charger_id, number: commands.stop_charging(charger_id, number),
    ),
)


class ConnectorSwitch(ConnectorEntity, RestoredValue, SwitchEntity):
    """A connector switch.

    After a command it shows the state asked for until a status read after the
    command confirms it, or ``OPTIMISTIC_TIMEOUT`` passed; a refused command
    raises and leaves the state as it was.
    """

    entity_description: ConnectorSwitchDescription

    async def _async_last_value(self, state: State) -> bool:
        return state.state == STATE_ON

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """When a value taken back after a restart was shown."""
        attributes: dict[str, Any] | None = self.restored_attributes
        return attributes

    _optimistic: bool | None = None
    _optimistic_since: datetime | None = None
    _cancel_timeout: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Drop a pending timeout with the entity."""
        await super().async_added_to_hass()
        self.async_on_remove(self._stop_optimistic)

    @property
    def is_on(self) -> bool | None:
        """The state asked for while a command settles, else the connector's."""
        if self._optimistic is not None:
            return self._optimistic
        connector = self.connector
        value = None if connector is None else self.entity_description.is_on_fn(connector)
        on: bool | None = self.fresh_or_restored(value)
        return on

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start charging."""
        await self.entity_description.turn_on_fn(self.commands, self.charger_id, self.connector_id)
        self._start_optimistic(state=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop charging."""
        await self.entity_description.turn_off_fn(self.commands, self.charger_id, self.connector_id)
        self._start_optimistic(state=False)

    @callback
    def _start_optimistic(self, *, state: bool) -> None:
        self._stop_optimistic()
        self._optimistic = state
        self._optimistic_since = dt_util.utcnow()
        self._cancel_timeout = async_call_later(
            self.hass, OPTIMISTIC_TIMEOUT, self._optimistic_timed_out
        )
        self.async_write_ha_state()

    @callback
    def _stop_optimistic(self) -> None:
        self._optimistic = None
        self._optimistic_since = None
        if self._cancel_timeout is not None:
            self._cancel_timeout()
            self._cancel_timeout = None

    @callback
    def _optimistic_timed_out(self, _now: datetime) -> None:
        self._cancel_timeout = None
        self._stop_optimistic()
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        """End the optimistic state once a status read after the command agrees."""
        connector = self.connector
        if (
            self._optimistic is not None
            and self._optimistic_since is not None
            and connector is not None
            and connector.status_fetched_at is not None
            and connector.status_fetched_at >= self._optimistic_since
            and self.entity_description.is_on_fn(connector) == self._optimistic
        ):
            self._stop_optimistic()
        super()._handle_coordinator_update()


# A Charging switch per connector.
async_setup_entry = device_platform(
    connector=each_description(ConnectorSwitch, CONNECTOR_SWITCHES),
)
