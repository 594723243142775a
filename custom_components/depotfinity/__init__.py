"""The DepotFinity integration: an EV-charging depot in Home Assistant."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey
from yarl import URL

from .api import DepotFinityClient
from .const import (
    CONF_API_URL,
    CONF_AUTH_URL,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_REGION,
    DEFAULT_REGION,
    DOMAIN,
    PLATFORMS,
    REGION_CUSTOM,
)
from .coordinator import DepotFinityConfigEntry, DepotFinityCoordinator, DepotFinityRuntimeData
from .devices import (
    async_register_devices,
    charger_identifier,
    connector_identifier,
    group_identifier,
    hub_identifier,
)
from .repairs import async_clear_all
from .scheduler import HostScheduler
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

# One request scheduler per API host, shared by every entry of this instance.
HOST_SCHEDULERS: HassKey[dict[str, HostScheduler]] = HassKey(f"{DOMAIN}_schedulers")


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration (actions are registered here, not per entry)."""
    async_setup_services(hass)
    return True


def create_client(hass: HomeAssistant, data: dict[str, str]) -> DepotFinityClient:
    """Build an API client on Home Assistant's shared HTTP session."""
    region = data.get(CONF_REGION, DEFAULT_REGION)
    custom = region == REGION_CUSTOM
    return DepotFinityClient(
        async_get_clientsession(hass),
        data[CONF_CLIENT_ID],
        data[CONF_CLIENT_SECRET],
        region=DEFAULT_REGION if custom else region,
        api_url=data.get(CONF_API_URL) if custom else None,
        auth_url=data.get(CONF_AUTH_URL) if custom else None,
        # The scheduler paces polls within the budget; a poll never waits for a
        # slot inside a refresh (the coordinator skips a tick instead).
        poll_max_wait=0.0,
    )


async def async_setup_entry(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> bool:
    """Set up a DepotFinity account."""
    client = create_client(hass, dict(entry.data))
    host = URL(client.api_url).host_port_subcomponent or client.api_url
    schedulers = hass.data.setdefault(HOST_SCHEDULERS, {})
    scheduler = schedulers.setdefault(host, HostScheduler())
    coordinator = DepotFinityCoordinator(hass, entry, client, scheduler)
    try:
        await coordinator.async_config_entry_first_refresh()
    except Exception:
        coordinator.shutdown_scheduling()
        raise
    entry.runtime_data = DepotFinityRuntimeData(client=client, coordinator=coordinator)
    entry.async_on_unload(coordinator.shutdown_scheduling)

    options = dict(entry.options)

    async def _async_entry_updated(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> None:
        # New options (tag, budget share) take effect by a reload; added or
        # removed subentries (chargers, groups) are followed without one.
        if dict(entry.options) != options:
            hass.config_entries.async_schedule_reload(entry.entry_id)
            return
        coordinator.sync_configuration()

    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    async_register_devices(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> bool:
    """Unload an account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> None:
    """Remove the entry's repair issues with it."""
    async_clear_all(hass, entry)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: DepotFinityConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow deleting a device the configuration no longer holds.

    Configured chargers and groups are removed by deleting their subentry, which
    takes the device and its entities along.
    """
    return not (device.identifiers & _configured_identifiers(entry))


def _configured_identifiers(entry: DepotFinityConfigEntry) -> set[tuple[str, str]]:
    identifiers = {hub_identifier(entry)}
    for charger in entry.runtime_data.coordinator.data.chargers.values():
        identifiers.add(charger_identifier(entry, charger.charger_id))
        identifiers.update(
            connector_identifier(entry, charger.charger_id, number) for number in charger.connectors
        )
    for group_id in entry.runtime_data.coordinator.data.groups:
        identifiers.add(group_identifier(entry, group_id))
    return identifiers
