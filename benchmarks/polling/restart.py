"""A Home Assistant restart, as faithful as one test instance allows.

Stop: the restore-state cache is dumped (Home Assistant does it on stop), the
final write is fired (the request window, kept by a delayed save, is written),
then the entry is unloaded. The process "dies": what only lived in memory goes
— the entry's depot state kept for reloads, the host registry (its scheduler,
limiter and timers) — and the restore-state cache is read back from storage,
as a new process would. Start: the entry is set up again. The simulator keeps
running all along.
"""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import restore_state
from homeassistant.helpers.storage import Store
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity import DEPOT_STATES
from custom_components.depotfinity.hosts import HOSTS, STORAGE_KEY


async def stop(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """What a stop leaves behind: saved states and window; the entry no longer loaded."""
    await restore_state.async_get(hass).async_dump_states()
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    hass.data.get(DEPOT_STATES, {}).pop(entry.entry_id, None)
    _end_process(hass)
    # A new process knows only what was stored.
    await restore_state.async_get(hass).async_load()


def _end_process(hass: HomeAssistant) -> None:
    """What lived in memory only goes: the host registry, its timers and pending save."""
    if (hosts := hass.data.pop(HOSTS, None)) is not None:
        # The stopped process's pending save dies with it (the final write was its last).
        store = hosts._store  # noqa: SLF001 - the benchmark ends what a process end would
        store._async_cleanup_delay_listener()  # noqa: SLF001
        store._async_cleanup_final_write_listener()  # noqa: SLF001


async def fresh_install(hass: HomeAssistant) -> None:
    """A new machine for the next fleet: no request window or read times from the last one.

    The virtual clock starts over for each fleet, so a window kept from the last
    fleet would count as requests made just now.
    """
    _end_process(hass)
    await Store[dict[str, object]](hass, 1, STORAGE_KEY).async_remove()


async def start(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up again, as Home Assistant does on start."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
