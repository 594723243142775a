"""One request scheduler per API host, and its request window kept across restarts.

DepotFinity allows 100 requests per 5 minutes per client IP. Every entry that
talks to one host shares that budget through the host's scheduler (which owns
the host's request limiter). The limiter's window is saved — on stop, and once
a minute while a host is in use — and taken back on start, so the first
requests after a restart never exceed what the service still counts. With it
go the times each entry's jobs last ran, so polling keeps its rhythm across a
restart: what was read last is read again last.

A flow's checks talk to the host before any entry may: their requests count in
the same window, which the host's scheduler takes over when an entry sets up.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api import RequestLimiter
from .budget import HostScheduler, host_limiter
from .const import DOMAIN, LOGGER

STORAGE_KEY = f"{DOMAIN}.request_log"
STORAGE_VERSION = 1
# How often the windows are saved while a host is in use (and always on stop).
SAVE_INTERVAL = timedelta(minutes=1)

HOSTS: HassKey[HostRegistry] = HassKey(f"{DOMAIN}_hosts")


def host_registry(hass: HomeAssistant) -> HostRegistry:
    """The host registry of this Home Assistant (made on first use)."""
    return hass.data.get(HOSTS) or hass.data.setdefault(HOSTS, HostRegistry(hass))


class HostRegistry:
    """The host schedulers of this Home Assistant, and their saved windows."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start empty; :meth:`async_scheduler` loads what was saved on first use."""
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, STORAGE_KEY)
        self._saved: dict[str, Any] | None = None
        self.schedulers: dict[str, HostScheduler] = {}
        # The windows of hosts only flows have talked to so far.
        self._unscheduled: dict[str, RequestLimiter] = {}
        self._cancel_saving: CALLBACK_TYPE | None = None

    @callback
    def limiter(self, host: str) -> RequestLimiter:
        """The host's request limiter: its scheduler's, or one its scheduler will take over."""
        if (scheduler := self.schedulers.get(host)) is not None:
            return scheduler.limiter
        if (limiter := self._unscheduled.get(host)) is None:
            limiter = self._unscheduled[host] = host_limiter()
        return limiter

    async def async_scheduler(self, host: str) -> HostScheduler:
        """The host's scheduler; a new one takes back the window saved before a restart."""
        if (scheduler := self.schedulers.get(host)) is not None:
            return scheduler
        if self._saved is None:
            self._saved = await self._store.async_load() or {}
        scheduler = HostScheduler(self._unscheduled.pop(host, None))
        self.schedulers[host] = scheduler
        if isinstance(saved := self._saved.get(host), dict):
            if isinstance(runs := saved.get("runs"), dict):
                scheduler.saved_runs = {
                    key: value for key, value in runs.items() if isinstance(value, dict)
                }
            saved_at = dt_util.parse_datetime(str(saved.get("saved_at")))
            elapsed = (dt_util.utcnow() - saved_at).total_seconds() if saved_at else None
            if elapsed is not None:
                scheduler.limiter.import_log(saved, elapsed)
                LOGGER.debug(
                    "Took back %s requests of the window of %s", scheduler.limiter.used(), host
                )
        if self._cancel_saving is None:
            self._cancel_saving = async_track_time_interval(
                self._hass, self._schedule_save, SAVE_INTERVAL
            )
        return scheduler

    @callback
    def release(self, host: str, scheduler: HostScheduler) -> None:
        """Forget a host's scheduler once no entry uses it (its window is saved first)."""
        if not scheduler.empty or self.schedulers.get(host) is not scheduler:
            return
        self._schedule_save()
        self._save_now()
        del self.schedulers[host]
        if not self.schedulers and self._cancel_saving is not None:
            self._cancel_saving()
            self._cancel_saving = None

    @callback
    def forget_entry(self, entry_id: str) -> None:
        """Drop a removed entry's saved read times."""
        for scheduler in self.schedulers.values():
            scheduler.saved_runs.pop(entry_id, None)
        for saved in (self._saved or {}).values():
            if isinstance(saved, dict) and isinstance(runs := saved.get("runs"), dict):
                runs.pop(entry_id, None)
        self._schedule_save()

    @callback
    def _schedule_save(self, _now: datetime | None = None) -> None:
        # A delayed save is written at the latest when Home Assistant stops.
        self._store.async_delay_save(self._data_to_save, SAVE_INTERVAL.total_seconds())

    @callback
    def _save_now(self) -> None:
        self._saved = self._data_to_save()

    @callback
    def _data_to_save(self) -> dict[str, Any]:
        """Every host's window now, with the wall-clock time it was taken at."""
        saved_at = dt_util.utcnow().isoformat()
        data = dict(self._saved or {})
        for host, scheduler in self.schedulers.items():
            data[host] = {
                "saved_at": saved_at,
                **scheduler.limiter.export_log(),
                "runs": scheduler.export_runs(),
            }
        return data
