"""Config entries for a simulated depot (shared by the tests and the benchmarks)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.const import (
    CONF_API_URL,
    CONF_AUTH_URL,
    CONF_CHARGER_ID,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_NAME,
    CONF_REGION,
    CONF_SITE_CHARGERS,
    CONF_SITE_ID,
    DOMAIN,
    REGION_CUSTOM,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
    SUBENTRY_SITE,
)
from depotfinity_simulator import SimulatorServer


def entry_data(server: SimulatorServer) -> dict[str, Any]:
    """Config entry data pointing at a simulator's account."""
    return {
        CONF_CLIENT_ID: server.config.client_id,
        CONF_CLIENT_SECRET: server.config.client_secret,
        CONF_REGION: REGION_CUSTOM,
        CONF_API_URL: server.url,
        CONF_AUTH_URL: server.url,
    }


def depot_entry(
    server: SimulatorServer,
    chargers: Iterable[str],
    *,
    unique_id: str,
    title: str,
    groups: Iterable[str] = (),
    sites: Iterable[str] = (),
    options: Mapping[str, Any] | None = None,
) -> MockConfigEntry:
    """An entry for the simulator's account holding ``chargers`` (connectors 1 and 2).

    Each of ``groups`` becomes a group subentry named "Group <n>", each of ``sites``
    a price site named "Site <n>" that feeds every charger. Subentry ids are fixed
    (``sub_<charger>``, ``sub_group_<n>``, ``sub_site_<n>``) so snapshots are stable.
    """
    subentries: list[dict[str, Any]] = [
        {
            "data": {CONF_CHARGER_ID: cid, CONF_CONNECTORS: [1, 2], CONF_NAME: cid},
            "subentry_id": f"sub_{cid}",
            "subentry_type": SUBENTRY_CHARGER,
            "title": cid,
            "unique_id": cid,
        }
        for cid in chargers
    ]
    subentries += [
        {
            "data": {CONF_GROUP_ID: gid, CONF_NAME: f"Group {n}"},
            "subentry_id": f"sub_group_{n}",
            "subentry_type": SUBENTRY_GROUP,
            "title": f"Group {n}",
            "unique_id": gid,
        }
        for n, gid in enumerate(groups, start=1)
    ]
    subentries += [
        {
            "data": {CONF_SITE_ID: sid, CONF_NAME: f"Site {n}", CONF_SITE_CHARGERS: []},
            "subentry_id": f"sub_site_{n}",
            "subentry_type": SUBENTRY_SITE,
            "title": f"Site {n}",
            "unique_id": sid,
        }
        for n, sid in enumerate(sites, start=1)
    ]
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=unique_id,
        title=title,
        data=entry_data(server),
        options=dict(options or {}),
        subentries_data=subentries,
    )
