"""Buttons: force a charger to reconnect to DepotFinity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory

from .api import ApiGroup
from .commands import DepotFinityCommands
from .entity import ChargerEntity, device_platform, each_description

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerButtonDescription(ButtonEntityDescription):
    """A charger button and the command it sends."""

    press_fn: Callable[[DepotFinityCommands, str], Awaitable[Any]]
    # A write: available whatever the state of the read APIs.
    api: ApiGroup | None = None


CHARGER_BUTTONS: tuple[ChargerButtonDescription, ...] = (
    # No "restart" device class: the charger is not restarted (its sessions go
    # on); only its backend connection is dropped, and it reconnects by itself.
    ChargerButtonDescription(
        key="force_reconnect",
        translation_key="force_reconnect",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda commands, charger_id: commands.force_reconnect(charger_id),
    ),
)


class ChargerButton(ChargerEntity, ButtonEntity):
    """A charger button."""

    entity_description: ChargerButtonDescription

    async def async_press(self) -> None:
        """Send the command."""
        await self.entity_description.press_fn(self.commands, self.charger_id)


# A force-reconnect button per charger.
async_setup_entry = device_platform(
    charger=each_description(ChargerButton, CHARGER_BUTTONS),
)
