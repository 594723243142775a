"""Names a person can say: the chargers become "Bay 1", "Bay 2", ... (sorted by id).

Each charger subentry is renamed through its reconfigure flow, as in the UI,
which renames its devices; then, as the UI offers when a device is renamed,
the entity ids follow the new name (``switch.demo_depot_ch_01_connector_2_charging``
-> ``switch.demo_depot_bay_1_connector_2_charging``; the area comes first).
"""

from __future__ import annotations

import re
from typing import Any

from .common import BootstrapError, log, poll_until
from .hass_api import HomeAssistantApi
from .registry import CHARGER, charger_subentries, our_entities

SUBENTRY_FLOW_PATH = "/api/config/config_entries/subentries/flow"
RENAME_TIMEOUT = 60.0


def bay_name(number: int) -> str:
    """The spoken name of the ``number``-th charger."""
    return f"Bay {number}"


def _suggested(form: dict[str, Any]) -> dict[str, Any]:
    """The values a form shows already filled in."""
    return {
        str(item["name"]): item["description"]["suggested_value"]
        for item in form.get("data_schema") or []
        if "suggested_value" in (item.get("description") or {})
    }


async def _rename_subentry(
    api: HomeAssistantApi, entry_id: str, subentry_id: str, name: str
) -> None:
    """Rename one charger through its reconfigure flow, keeping the other fields."""
    form = await api.call(
        "POST",
        SUBENTRY_FLOW_PATH,
        json_body={"handler": [entry_id, CHARGER], "subentry_id": subentry_id},
    )
    result = await api.call(
        "POST",
        f"{SUBENTRY_FLOW_PATH}/{form['flow_id']}",
        json_body={**_suggested(form), "name": name},
    )
    if result.get("type") != "abort" or result.get("reason") != "reconfigure_successful":
        raise BootstrapError(f"renaming a charger to {name!r} failed: {result}")


def slug(name: str) -> str:
    """What a name makes in entity ids (Bay 1 -> bay_1)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


async def _automatic_ids(api: HomeAssistantApi, subentry_id: str) -> dict[str, str | None]:
    """Entity id -> the id Home Assistant would give it now, for a subentry's entities.

    (As the UI asks when a device is renamed; None for ids a user chose.)
    """
    ours = [
        item["entity_id"]
        for item in await our_entities(api)
        if item.get("config_subentry_id") == subentry_id
    ]
    if not ours:
        return {}
    result: dict[str, str | None] = await api.websocket_command(
        {"type": "config/entity_registry/get_automatic_entity_ids", "entity_ids": ours}
    )
    return result


async def _rename_entity_ids(api: HomeAssistantApi, subentry_id: str, name: str) -> int:
    """Give a renamed charger's entities the ids its new name makes; return how many changed.

    The devices take the new name when the entry has reloaded, so this waits
    (bounded) until the ids Home Assistant suggests carry it.
    """

    async def renamed() -> tuple[bool, dict[str, str | None]]:
        ids = await _automatic_ids(api, subentry_id)
        return any(slug(name) in (new or "") for new in ids.values()), ids

    done, automatic = await poll_until(renamed, RENAME_TIMEOUT, 0.5)
    if not done:
        raise BootstrapError(f"the devices of {name!r} did not take the new name")
    changed = 0
    for entity_id, new_id in automatic.items():
        if new_id and new_id != entity_id:
            await api.websocket_command(
                {
                    "type": "config/entity_registry/update",
                    "entity_id": entity_id,
                    "new_entity_id": new_id,
                }
            )
            changed += 1
    return changed


async def name_chargers(api: HomeAssistantApi, entry_id: str) -> None:
    """Name the entry's chargers "Bay 1", "Bay 2", ... and their entity ids after that."""
    renamed = {}
    for number, item in enumerate(await charger_subentries(api, entry_id), start=1):
        name = bay_name(number)
        if item["title"] != name:
            await _rename_subentry(api, entry_id, item["subentry_id"], name)
            renamed[item["subentry_id"]] = (str(item["title"]), name)
    changed = 0
    for subentry_id, (_, name) in renamed.items():
        changed += await _rename_entity_ids(api, subentry_id, name)
    if renamed:
        pairs = ", ".join(f"{old} = {new}" for old, new in renamed.values())
        log(f"chargers named: {pairs} ({changed} entity ids follow)")
