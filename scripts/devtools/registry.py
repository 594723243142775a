"""The depot as Home Assistant registered it: its entry, charger subentries and entities.

Entity ids follow names (and, since 2026.11, the area: ``demo_depot_bay_1_...``),
so the checks find entities through the registry instead: a charger's entities
are those of its subentry, and one entity of a connector is the one whose
unique id ends in ``_<charger>_<connector>_<key>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .common import DOMAIN
from .hass_api import HomeAssistantApi

CHARGER = "charger"
Item = dict[str, Any]


async def charger_subentries(api: HomeAssistantApi, entry_id: str) -> list[Item]:
    """The entry's charger subentries, sorted by charger id."""
    subentries: list[Item] = await api.websocket_command(
        {"type": "config_entries/subentries/list", "entry_id": entry_id}
    )
    chargers = [item for item in subentries if item.get("subentry_type") == CHARGER]
    return sorted(chargers, key=lambda item: str(item.get("unique_id") or item["title"]))


async def our_entities(api: HomeAssistantApi) -> list[Item]:
    """The integration's entries in the entity registry."""
    items: list[Item] = await api.websocket_command({"type": "config/entity_registry/list"})
    return [item for item in items if item.get("platform") == DOMAIN]


@dataclass(slots=True)
class Depot:
    """The chargers (id -> subentry id and name) and the registered entities."""

    subentries: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    entities: list[Item] = field(default_factory=list)

    def of_charger(self, charger: str) -> list[Item]:
        """The registry entries of a charger (its own and its connectors')."""
        subentry = self.subentries.get(charger)
        return [item for item in self.entities if item.get("config_subentry_id") == subentry]

    def find(self, domain: str, charger: str, connector: int | None, key: str) -> Item | None:
        """One entity of a charger or connector, by its platform and the end of its unique id.

        (Unique ids are unique per platform only: the Power flowing binary sensor
        and the Charging switch share theirs.)
        """
        middle = f"_{charger}_{connector}_" if connector is not None else f"_{charger}_"
        for item in self.of_charger(charger):
            if str(item["entity_id"]).startswith(f"{domain}.") and str(
                item.get("unique_id", "")
            ).endswith(f"{middle}{key}"):
                return item
        return None

    def entity_id(self, domain: str, charger: str, connector: int | None, key: str) -> str:
        """The entity id of ``find`` (a placeholder naming what is missing otherwise)."""
        item = self.find(domain, charger, connector, key)
        missing = f"<{domain} {key} of {charger} {connector or ''} not registered>"
        return str(item["entity_id"]) if item else missing


async def load_depot(api: HomeAssistantApi) -> Depot:
    """Read the depot's chargers and entities from Home Assistant."""
    depot = Depot(entities=await our_entities(api))
    for entry in await api.entries(DOMAIN):
        for item in await charger_subentries(api, entry["entry_id"]):
            charger = str(item.get("unique_id") or item["title"])
            depot.subentries[charger] = str(item["subentry_id"])
            depot.names[charger] = str(item["title"])
    return depot
