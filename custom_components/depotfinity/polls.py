"""What each polling job reads, and where its answer goes.

The coordinator decides when a job runs (and what a failure means); this
module sends the job's request and keeps the answer in the depot state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from contextlib import suppress
from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .api import (
    ApiGroup,
    ConnectorStatus,
    DepotFinityClient,
    DepotFinityNotFoundError,
    DepotFinityResponseError,
    Measurand,
    PriceBlock,
    Priority,
    Reservation,
    TimeSeriesPoint,
    Transaction,
)
from .api.queries import TransactionFilters
from .const import DISCOVERY_WINDOW, LOGGER
from .data import DepotData
from .energy_statistics import EnergyStatistics
from .jobs import Job, JobKind
from .prices import NO_PRICE_RETRY
from .scheduler import METER_SAMPLE_LAG, PollPlanner

# Overlap of two fleet-wide transactions queries, so no session slips between.
TRANSACTIONS_OVERLAP = timedelta(minutes=2)
# Window of time-series samples asked for; the newest sample wins.
TIME_SERIES_WINDOW = timedelta(minutes=15)
ENERGY_FIRST_WINDOW = timedelta(days=1)
# Transactions asked for per page, and at most how many pages the first read takes.
PAGE = 100
DISCOVERY_PAGES = 5


def _newest_number(points: list[TimeSeriesPoint]) -> float | None:
    """The value of the newest numeric sample."""
    values = [
        (point.timestamp, float(point.value))
        for point in points
        if point.timestamp is not None
        and isinstance(point.value, int | float)
        and not isinstance(point.value, bool)
    ]
    return max(values)[1] if values else None


class Poller:
    """Runs one entry's polling jobs against the API."""

    def __init__(
        self,
        client: DepotFinityClient,
        data: DepotData,
        planner: PollPlanner,
        disabled_apis: set[ApiGroup],
        hass: HomeAssistant,
        entry: ConfigEntry,
    ) -> None:
        """Poll into ``data``; hints for follow-up reads go to ``planner``."""
        self.client = client
        self.data = data
        self.planner = planner
        self.disabled_apis = disabled_apis
        self.statistics = EnergyStatistics(hass, entry, client, data, planner)
        # Connectors whose reservations enabled entities show, with how many entities
        # (each read costs a request; one read serves them all).
        self.wanted_reservations: Counter[tuple[str, int]] = Counter()

    async def run(self, job: Job) -> None:
        """Send a job's request and keep what it returned."""
        match job.kind:
            case JobKind.CONNECTOR_STATUS:
                await self._poll_connector_status(job.charger_id, job.connector_id)
            case JobKind.CHARGER_STATUS:
                charger = self.data.chargers[job.charger_id]
                charger.availability = await self.client.get_charger_status(job.charger_id)
            case JobKind.CONNECTIVITY:
                charger = self.data.chargers[job.charger_id]
                charger.connectivity = await self.client.get_charger_connectivity(job.charger_id)
            case JobKind.POWER | JobKind.ENERGY:
                await self._poll_meter(job)
            case JobKind.CHARGER_METER:
                await self._poll_charger_meter(job)
            case JobKind.TRANSACTIONS:
                await self.poll_transactions(first=False)
            case JobKind.RESERVATIONS:
                reservations = await self.client.list_reservations(job.charger_id, job.connector_id)
                self.set_reservations(job.charger_id, job.connector_id, reservations)
            case JobKind.PRICES:
                await self._poll_prices(job.detail)
            case JobKind.PROBE:
                await self.probe(ApiGroup(job.charger_id))
            case JobKind.STATISTICS:
                await self.statistics.run(job)

    # Polls -------------------------------------------------------------------------

    async def _poll_connector_status(self, charger_id: str, connector_id: int) -> None:
        connector = self.data.chargers[charger_id].connectors[connector_id]
        before = None if connector.status is None else connector.status.status
        connector.status = await self.client.get_connector_status(charger_id, connector_id)
        after = connector.status.status
        if before not in (None, after) and ConnectorStatus.RESERVED in (before, after):
            # A reservation began or ended: the next one may have changed.
            self.planner.mark_due(Job(JobKind.RESERVATIONS, charger_id, connector_id), 0.0)
        connector.status_fetched_at = dt_util.utcnow()
        active = connector.is_active
        if not active:
            # No session, no power: nothing to measure until one starts.
            connector.power_w = 0.0
        if ApiGroup.TIME_SERIES not in self.disabled_apis:
            self.planner.set_active(charger_id, connector_id, active)

    async def _read_newest(
        self,
        charger_id: str,
        measurand: str,
        window: timedelta,
        *,
        connector_id: int | None = None,
        phase: str | None = None,
    ) -> float | None:
        """The newest numeric sample of a time series in the last ``window``."""
        now = dt_util.utcnow()
        points = await self.client.get_time_series(
            charger_id,
            measurand,
            connector_id=connector_id,
            phase=phase,
            start=now - window,
            end=now,
        )
        return _newest_number(points)

    async def _poll_charger_meter(self, job: Job) -> None:
        measurand, _, phase = job.detail.partition(":")
        newest = await self._read_newest(
            job.charger_id, measurand, TIME_SERIES_WINDOW, phase=phase or None
        )
        if newest is not None:
            self.data.chargers[job.charger_id].meters[job.detail] = newest

    async def _poll_meter(self, job: Job) -> None:
        connector = self.data.chargers[job.charger_id].connectors[job.connector_id]
        if job.kind is JobKind.POWER:
            measurand, window = Measurand.ACTIVE_POWER_IMPORT, TIME_SERIES_WINDOW
        else:
            measurand = Measurand.ACTIVE_ENERGY_IMPORT
            window = TIME_SERIES_WINDOW if connector.energy_wh is not None else ENERGY_FIRST_WINDOW
        newest = await self._read_newest(
            job.charger_id, measurand, window, connector_id=job.connector_id
        )
        if job.kind is JobKind.POWER and connector.is_charging and not newest:
            # Meter samples lag the status: a session that just started may have
            # no sample with power yet. Look again once the next one is due.
            self.planner.mark_due(job, METER_SAMPLE_LAG)
        if newest is None:
            return
        if job.kind is JobKind.POWER:
            connector.power_w = newest if connector.is_active else 0.0
        elif not connector.energy.update(newest, dt_util.utcnow()):
            LOGGER.debug(
                "Ignored an implausible energy reading on %s/%s",
                job.charger_id,
                job.connector_id,
            )

    async def poll_transactions(self, *, first: bool) -> None:
        """Read the fleet's sessions (the first time: the discovery window)."""
        now = dt_util.utcnow()
        since = self.data.last_transactions_query
        newest_first: TransactionFilters = {"order_by": "StartAt", "order": "desc", "end": now}
        if first or since is None:
            # The newest pages give each connector its last session (a big fleet's
            # newest page may miss connectors that charged a few days ago).
            query: TransactionFilters = {"start": now - DISCOVERY_WINDOW, "filter_by": "StartAt"}
            found = await self.client.get_all_transactions(
                page_size=PAGE, max_pages=self._discovery_pages(), **(newest_first | query)
            )
            transactions: Iterable[Transaction] = found.items
        else:
            # Every page of the window, so a long outage on a big fleet skips no session.
            query = {"start": since - TRANSACTIONS_OVERLAP, "filter_by": "Overlapping"}
            pages = await self.client.get_all_transactions(page_size=PAGE, **(newest_first | query))
            if not pages.complete:
                LOGGER.warning(
                    "More sessions than %s pages since %s; the oldest may be missed",
                    pages.pages,
                    since.isoformat(),
                )
            transactions = pages.items
        self.data.last_transactions_query = now
        for transaction in sorted(transactions, key=lambda t: t.start_at or now):
            if transaction.charger_id is None or transaction.connector_id is None:
                continue
            connector = self.data.connector(transaction.charger_id, transaction.connector_id)
            if connector is not None and connector.apply_transaction(transaction):
                # A session started or ended that the last status read has not seen.
                job = Job(JobKind.CONNECTOR_STATUS, connector.charger_id, connector.connector_id)
                self.planner.mark_due(job, 0.0)

    async def probe(self, api: ApiGroup) -> None:
        """One cheap request of a switched-off API, to see whether it answers again."""
        now = dt_util.utcnow()
        if api is ApiGroup.TRANSACTIONS:
            await self.client.get_transactions(start=now - TRANSACTIONS_OVERLAP, end=now, limit=1)
            return
        if api is ApiGroup.RESERVATIONS and self.wanted_reservations:
            await self.client.list_reservations(*min(self.wanted_reservations))
            return
        if api is ApiGroup.VPP and self.data.sites:
            with suppress(DepotFinityNotFoundError):  # an unknown site: the API answers
                await self.client.get_energy_prices(min(self.data.sites))
            return
        charger_id, connector_id = next(iter(self.data.connector_keys()), ("", 0))
        if api is ApiGroup.TIME_SERIES and charger_id:
            await self.client.get_time_series(
                charger_id,
                Measurand.ACTIVE_ENERGY_IMPORT,
                connector_id=connector_id,
                start=now - TIME_SERIES_WINDOW,
                end=now,
            )
        elif charger_id:
            await self.client.get_charger_status(charger_id)

    def discovery_fits(self) -> bool:
        """Whether the request window has the slots for the first (discovery) read now."""
        limiter = self.client.limiter
        free = limiter.available(Priority.POLL)
        return limiter.blocked_for() == 0 and free >= self._discovery_pages()

    def _discovery_pages(self) -> int:
        """Pages of sessions the first read takes: about one per 20 connectors, at most 5."""
        return max(1, min(DISCOVERY_PAGES, len(self.data.connector_keys()) // 20 + 1))

    def show_reservations(self, charger_id: str, connector_id: int, *, shown: bool) -> bool:
        """Count the entities that show a connector's reservations (one read serves all).

        True when the first one comes or the last one goes: then the reads start
        or stop (and what was read is forgotten).
        """
        key = (charger_id, connector_id)
        self.wanted_reservations[key] += 1 if shown else -1
        if self.wanted_reservations[key] != (1 if shown else 0):
            return False
        if not shown:
            del self.wanted_reservations[key]
            if (connector := self.data.connector(charger_id, connector_id)) is not None:
                connector.reservations = None
        return True

    def change_reservations(
        self,
        charger_id: str,
        connector_id: int,
        *,
        made: Reservation | None = None,
        cancelled: str | None = None,
    ) -> None:
        """Show a change made from Home Assistant before a read confirms it (if shown at all)."""
        connector = self.data.connector(charger_id, connector_id)
        if connector is not None and (charger_id, connector_id) in self.wanted_reservations:
            connector.change_reservations(made=made, cancelled=cancelled)

    def set_reservations(
        self, charger_id: str, connector_id: int, reservations: list[Reservation]
    ) -> None:
        """Keep what a read returned, if an entity shows the connector's reservations."""
        if (charger_id, connector_id) not in self.wanted_reservations:
            return
        if (connector := self.data.connector(charger_id, connector_id)) is not None:
            connector.set_reservations(reservations)

    # Energy prices -------------------------------------------------------------------

    def plan_prices(self) -> None:
        """Read the prices of every configured site; stop reading those removed."""
        for job in self.planner.jobs:
            if job.kind is JobKind.PRICES and job.detail not in self.data.sites:
                self.planner.set_wanted(job, wanted=False)
        for site_id in self.data.sites:
            self.planner.set_wanted(Job(JobKind.PRICES, detail=site_id), wanted=True)

    async def _poll_prices(self, site_id: str) -> None:
        """Read a site's price list; the next read is due when the current block ends.

        An unknown site or an unreadable answer is logged once and tried again
        after ``NO_PRICE_RETRY``; other failures go to the coordinator.
        """
        if (site := self.data.sites.get(site_id)) is None:
            return
        job = Job(JobKind.PRICES, detail=site_id)
        try:
            blocks = await self.client.get_energy_prices(site_id)
        except DepotFinityNotFoundError:
            if not site.missing:
                LOGGER.warning("DepotFinity does not know the site %s", site_id)
            site.missing = True
        except DepotFinityResponseError as err:
            if not site.unreadable:
                LOGGER.warning("The energy prices of site %s cannot be read: %s", site_id, err)
            site.unreadable = True
        else:
            self.take_prices(site_id, blocks)
            return
        self.planner.reschedule(job, NO_PRICE_RETRY.total_seconds())

    def take_prices(self, site_id: str, blocks: list[PriceBlock]) -> None:
        """Keep a site's price list (read by its poll, or by an action) and plan the next read."""
        if (site := self.data.sites.get(site_id)) is None:
            return
        now = dt_util.utcnow()
        was_unreadable = site.unreadable
        if not site.take(blocks, now) and not was_unreadable:
            LOGGER.warning(
                "No energy price block of site %s has a start and duration that can be read",
                site_id,
            )
        delay = (site.next_read(now) - now).total_seconds()
        self.planner.reschedule(Job(JobKind.PRICES, detail=site_id), delay)
