"""What a loaded DepotFinity entry holds: its coordinator and its command sender."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .commands import DepotFinityCommands
from .coordinator import DepotFinityCoordinator


@dataclass(kw_only=True, slots=True)
class DepotFinityRuntimeData:
    """Objects of a loaded entry.

    Reads go through the coordinator; every write (entities, actions, intents)
    goes through the one command sender.
    """

    coordinator: DepotFinityCoordinator
    commands: DepotFinityCommands


type DepotFinityConfigEntry = ConfigEntry[DepotFinityRuntimeData]
