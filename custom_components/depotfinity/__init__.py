"""The DepotFinity integration: an EV-charging depot in Home Assistant."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey

from .commands import DepotFinityCommands
from .connection import api_host, create_client
from .const import DOMAIN, PLATFORMS
from .coordinator import DepotFinityCoordinator
from .data import DepotData
from .devices import async_register_devices, configured_devices, device_identifier, hub_identifier
from .entity import signal_devices_changed
from .hosts import HOSTS, host_registry
from .repairs import async_clear_all
from .runtime import DepotFinityConfigEntry, DepotFinityRuntimeData
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

# What each entry knows of its depot lives with the entry, not with one load of
# it: a reload keeps the values (and what a write finishing during the reload
# stored), until the entry is removed.
DEPOT_STATES: HassKey[dict[str, DepotData]] = HassKey(f"{DOMAIN}_depots")


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration (actions are registered here, not per entry)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> bool:
    """Set up a DepotFinity account."""
    host = api_host(entry.data)
    # One scheduler (and request limiter) per API host, shared by every entry.
    hosts = host_registry(hass)
    scheduler = await hosts.async_scheduler(host)
    client = create_client(hass, entry.data)
    depot = hass.data.setdefault(DEPOT_STATES, {}).setdefault(entry.entry_id, DepotData())
    coordinator = DepotFinityCoordinator(hass, entry, client, scheduler, depot)

    def leave_scheduler() -> None:
        coordinator.shutdown_scheduling()
        hosts.release(host, scheduler)

    entry.async_on_unload(leave_scheduler)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = DepotFinityRuntimeData(
        coordinator=coordinator, commands=DepotFinityCommands(coordinator)
    )
    # Options are applied by a reload. OptionsFlowWithReload cannot be used: Home
    # Assistant forbids it with update listeners, and subentry changes (chargers,
    # groups) reach an integration only through one.
    options = dict(entry.options)

    async def _async_entry_updated(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> None:
        if dict(entry.options) != options:
            hass.config_entries.async_schedule_reload(entry.entry_id)
            return
        # Added, changed or removed chargers and groups: no reload. The coordinator
        # follows the configuration, the devices are registered once, and the
        # platforms add the entities of new devices.
        coordinator.sync_configuration()
        async_register_devices(hass, entry)
        async_dispatcher_send(hass, signal_devices_changed(entry.entry_id))
        # Depot-wide values (the charger counts) change with the configuration.
        coordinator.async_update_listeners()

    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    async_register_devices(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> bool:
    """Unload an account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: DepotFinityConfigEntry) -> None:
    """Remove the entry's repair issues and what it knew of its depot with it."""
    async_clear_all(hass, entry)
    hass.data.get(DEPOT_STATES, {}).pop(entry.entry_id, None)
    if (hosts := hass.data.get(HOSTS)) is not None:
        hosts.forget_entry(entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: DepotFinityConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow deleting a device the configuration no longer holds.

    Configured chargers and groups are removed by deleting their subentry, which
    takes the device and its entities along.
    """
    configured = {hub_identifier(entry)} | {
        device_identifier(entry, key) for _, key in configured_devices(entry)
    }
    return not (device.identifiers & configured)
