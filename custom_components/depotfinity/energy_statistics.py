"""Hourly energy statistics: each connector's energy, in the hour it was delivered.

Once an hour, soon after the hour closes, one request per connector reads the
register samples since the last imported hour and adds the hours that closed
to Home Assistant's long-term statistics (an external statistic per
connector, see :func:`statistic_id`, in Wh). The connector's energy sensor has
no state class, so the Energy dashboard offers this statistic and no other.

Where the import stands is asked of the recorder when the entry starts, so a
restart, a maintenance window or a 429 only delays the hours: the next read
covers them. Each row is written with its hour's start and the sum carried on
from the row before, so writing an hour again changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    get_last_statistics,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import UnitOfEnergy
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import async_migration_in_progress, get_instance
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util, slugify
from homeassistant.util.unit_conversion import EnergyConverter

from .api import DepotFinityClient, Measurand
from .const import DOMAIN, LOGGER
from .data import DepotData
from .energy_hours import HOUR, HourMark, close_hours, first_mark, floor_hour, readings
from .jobs import Job
from .scheduler import PollPlanner

RECORDER = "recorder"
# One request never spans more than a day: without from/to the service returns
# one day, and no longer window is documented.
MAX_WINDOW = timedelta(days=1)
# Samples read around the hours asked for, so each hour's end has one on both sides.
MARGIN = timedelta(minutes=10)
# An hour is read this long after it closes (meter samples lag the meter)...
IMPORT_DELAY = timedelta(minutes=5)
# ...plus up to this much, spread over the connectors so their reads never bunch up.
SPREAD = timedelta(minutes=20)
# An hour without a sample after its end is closed anyway this long after it.
STALE_AFTER = timedelta(hours=1)
# A read that left hours for later (or failed to finish) is tried again after this long.
RETRY_DELAY = timedelta(minutes=5)


def statistic_id(account: str, charger_id: str, connector_id: int) -> str:
    """The id of a connector's energy statistic (the one to pick in the Energy dashboard).

    The account is part of it, as in the entities' unique IDs: two accounts may
    both have a charger ``CH-01``.
    """
    return f"{DOMAIN}:{slugify(f'{account} {charger_id} {connector_id} energy')}"


class EnergyStatistics:
    """Imports each connector's hourly energy into the recorder's long-term statistics."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: DepotFinityClient,
        data: DepotData,
        planner: PollPlanner,
    ) -> None:
        """Read with ``client``; each connector's job is planned again on ``planner``."""
        self.hass = hass
        self.account = entry.unique_id or entry.entry_id
        self.client = client
        self.data = data
        self.planner = planner
        # Where each connector's import stands (None: nothing imported yet); a
        # connector missing here is asked of the recorder first.
        self._marks: dict[tuple[str, int], HourMark | None] = {}

    @property
    def enabled(self) -> bool:
        """Whether there is a recorder to import into (else the reads are not planned)."""
        return RECORDER in self.hass.config.components

    async def run(self, job: Job) -> None:
        """Import the hours of one connector that closed since its last imported hour."""
        key = (job.charger_id, job.connector_id)
        charger = self.data.chargers.get(job.charger_id)
        if charger is None or job.connector_id not in charger.connectors:
            self.planner.reschedule(job, float("inf"))
            return  # no longer configured
        # Should the read fail, the job runs again (a transient error retries sooner).
        self.planner.reschedule(job, RETRY_DELAY.total_seconds())
        if async_migration_in_progress(self.hass):
            return  # the database is being upgraded: not now
        stat_id = statistic_id(self.account, *key)
        if key not in self._marks:
            self._marks[key] = await self._stored_mark(stat_id)
        mark = self._marks[key]
        now = dt_util.utcnow()
        first_start = floor_hour(now - MAX_WINDOW + MARGIN) + HOUR
        start = first_start - MARGIN if mark is None else mark.end
        end = min(now, start + MAX_WINDOW)
        samples = readings(
            await self.client.get_time_series(
                job.charger_id,
                Measurand.ACTIVE_ENERGY_IMPORT,
                connector_id=job.connector_id,
                start=start,
                end=end,
            )
        )
        if mark is None:
            mark = first_mark(samples, first_start)
        hours = []
        if mark is not None:
            # A window cut at a day leaves its last minutes to the next read.
            until = end if end >= now else end - MARGIN
            hours = close_hours(mark, samples, until=until, stale_before=now - STALE_AFTER)
        if hours:
            async_add_external_statistics(
                self.hass,
                await self._metadata(stat_id, charger.name, job.connector_id),
                [
                    StatisticData(start=h.start, state=h.mark.register_wh, sum=h.mark.sum_wh)
                    for h in hours
                ],
            )
            mark = hours[-1].mark
            LOGGER.debug("Imported %s hours of energy into %s", len(hours), stat_id)
        self._marks[key] = mark
        if end < now:
            return  # more hours wait: the next read follows after RETRY_DELAY
        self.planner.reschedule(job, self._next_read(key, mark, now))

    def imported_until(self, charger_id: str, connector_id: int) -> datetime | None:
        """End of the last hour imported for a connector (None: none, or not read yet)."""
        mark = self._marks.get((charger_id, connector_id))
        return None if mark is None else mark.end

    def _next_read(self, key: tuple[str, int], mark: HourMark | None, now: datetime) -> float:
        """Seconds until the next read: soon after the next hour to import closes."""
        keys = sorted(self.data.connector_keys())
        index = keys.index(key) if key in keys else 0
        offset = IMPORT_DELAY + SPREAD * index / max(len(keys), 1)
        due = floor_hour(now) + offset
        if mark is not None:
            due = max(due, mark.end + HOUR + offset)
        while due <= now:
            due += HOUR
        return (due - now).total_seconds()

    async def _stored_mark(self, stat_id: str) -> HourMark | None:
        """Where the import stood before this start: the last stored hour."""
        last = await get_instance(self.hass).async_add_executor_job(
            get_last_statistics,
            self.hass,
            1,
            stat_id,
            False,  # noqa: FBT003 (convert_units: the rows as stored, Wh)
            {"state", "sum"},
        )
        rows = last.get(stat_id)
        if not rows:
            return None
        row = rows[0]
        state, total = row.get("state"), row.get("sum")
        if state is None or total is None:
            return None
        end = datetime.fromtimestamp(row["start"], UTC) + HOUR
        return HourMark(end, state, total)

    async def _metadata(
        self, stat_id: str, charger_name: str, connector_id: int
    ) -> StatisticMetaData:
        """The statistic's metadata; its name is the energy sensor's, in the user's language."""
        language = self.hass.config.language
        device = await async_get_translations(self.hass, language, "device", [DOMAIN])
        entity = await async_get_translations(self.hass, language, "entity", [DOMAIN])
        prefix = f"component.{DOMAIN}"
        connector = device.get(f"{prefix}.device.connector.name", "Connector {connector}")
        energy = entity.get(f"{prefix}.entity.sensor.energy.name", "Energy")
        connector_name = connector.replace("{connector}", str(connector_id))
        return StatisticMetaData(
            mean_type=StatisticMeanType.NONE,
            has_sum=True,
            name=f"{charger_name} {connector_name} {energy}",
            source=DOMAIN,
            statistic_id=stat_id,
            unit_class=EnergyConverter.UNIT_CLASS,
            unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        )
