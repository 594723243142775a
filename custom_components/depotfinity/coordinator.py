"""Polling coordinator: one per config entry, paced by the host's request budget."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Concatenate

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    ApiGroup,
    ConnectorStatus,
    DepotFinityAuthenticationError,
    DepotFinityClient,
    DepotFinityError,
    DepotFinityNotFoundError,
    DepotFinityPackageError,
    DepotFinityRateLimitError,
    DepotFinityUnavailableError,
    Measurand,
    Priority,
    Reservation,
    TimeSeriesPoint,
    Transaction,
)
from .commands import DepotFinityCommands
from .const import (
    CONF_BUDGET_SHARE,
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_NAME,
    DEFAULT_BUDGET_SHARE,
    DISCOVERY_WINDOW,
    DOMAIN,
    LOGGER,
    MAINTENANCE_GRACE,
    RATE_LIMIT_REPAIR_AFTER,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
)
from .data import ChargerData, ConnectorData, DepotData, GroupData
from .errors import error_translation
from .repairs import (
    RATE_LIMIT_ISSUE,
    async_clear_issue,
    async_raise_package_issue,
    async_raise_rate_limit_issue,
    package_issue_id,
)
from .scheduler import HostScheduler, Job, JobKind, PollPlanner

# [INFERRED] How long a meter sample may lag the connector status (the simulator
# samples once a minute).
METER_SAMPLE_LAG = 60.0
# Shortest gap between two ticks (the limiter keeps the budget in any case).
MIN_TICK = 1.0
# How often a switched-off feature (API package not subscribed) is tried again.
PACKAGE_PROBE_DELAY = 6 * 3600.0
# Overlap of two fleet-wide transactions queries, so no session slips between.
TRANSACTIONS_OVERLAP = timedelta(minutes=2)
# Window of time-series samples asked for; the newest sample wins.
TIME_SERIES_WINDOW = timedelta(minutes=15)
ENERGY_FIRST_WINDOW = timedelta(days=1)

JOB_API: dict[JobKind, ApiGroup] = {
    JobKind.CONNECTOR_STATUS: ApiGroup.CHARGER_STATUS,
    JobKind.CHARGER_STATUS: ApiGroup.CHARGER_STATUS,
    JobKind.CONNECTIVITY: ApiGroup.CHARGER_STATUS,
    JobKind.POWER: ApiGroup.TIME_SERIES,
    JobKind.ENERGY: ApiGroup.TIME_SERIES,
    JobKind.CHARGER_METER: ApiGroup.TIME_SERIES,
    JobKind.TRANSACTIONS: ApiGroup.TRANSACTIONS,
    JobKind.RESERVATIONS: ApiGroup.RESERVATIONS,
}


@dataclass(kw_only=True)
class DepotFinityRuntimeData:
    """Objects of a loaded entry."""

    client: DepotFinityClient
    coordinator: DepotFinityCoordinator
    # Every write (entities and actions) goes through this one object.
    commands: DepotFinityCommands = field(init=False)

    def __post_init__(self) -> None:
        """Attach the command sender to the coordinator."""
        self.commands = DepotFinityCommands(self.coordinator)


type DepotFinityConfigEntry = ConfigEntry[DepotFinityRuntimeData]


def _api_errors[**P](
    func: Callable[Concatenate[DepotFinityCoordinator, P], Awaitable[DepotData]],
) -> Callable[Concatenate[DepotFinityCoordinator, P], Coroutine[Any, Any, DepotData]]:
    """Map client errors of an update to what the coordinator expects."""

    async def wrapper(
        self: DepotFinityCoordinator, /, *args: P.args, **kwargs: P.kwargs
    ) -> DepotData:
        try:
            data = await func(self, *args, **kwargs)
        except DepotFinityAuthenticationError as err:
            if self.config_entry.state is ConfigEntryState.LOADED:
                self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except DepotFinityError as err:
            if isinstance(err, DepotFinityRateLimitError):
                self.note_rate_limited()
            elif (
                isinstance(err, DepotFinityUnavailableError)
                and (kept := self.keep_during_outage()) is not None
            ):
                return kept
            key, placeholders = error_translation(err)
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders=placeholders,
                retry_after=getattr(err, "retry_after", None),
            ) from err
        return data

    return wrapper


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


class DepotFinityCoordinator(DataUpdateCoordinator[DepotData]):
    """Runs one due request per tick and keeps the depot's state."""

    config_entry: DepotFinityConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DepotFinityConfigEntry,
        client: DepotFinityClient,
        scheduler: HostScheduler,
    ) -> None:
        """Set up the coordinator for one entry."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"DepotFinity {entry.title}",
            update_interval=timedelta(seconds=10),
        )
        self.client = client
        self.scheduler = scheduler
        self.planner = PollPlanner(clock=lambda: dt_util.utcnow().timestamp())
        self.data = DepotData()
        self._outage_since: datetime | None = None
        self._next_tick = 0.0
        # Connectors whose reservations an enabled entity shows, and what was read.
        self._wanted_reservations: set[tuple[str, int]] = set()
        self.reservations: dict[tuple[str, int], list[Reservation]] = {}
        self._rate_limited_streak = 0
        self.sync_configuration()
        scheduler.register(
            entry.entry_id,
            self.planner,
            entry.options.get(CONF_BUDGET_SHARE, DEFAULT_BUDGET_SHARE),
        )

    # Configuration -------------------------------------------------------------

    def sync_configuration(self) -> None:
        """Follow the entry's charger and group subentries."""
        chargers: dict[str, ChargerData] = {}
        groups: dict[str, GroupData] = {}
        for subentry in self.config_entry.subentries.values():
            if subentry.subentry_type == SUBENTRY_CHARGER:
                charger_id: str = subentry.data[CONF_CHARGER_ID]
                charger = self.data.chargers.get(charger_id) or ChargerData(
                    charger_id=charger_id, name=subentry.data.get(CONF_NAME) or charger_id
                )
                charger.name = subentry.data.get(CONF_NAME) or charger_id
                charger.connectors = {
                    number: charger.connectors.get(number) or ConnectorData(charger_id, number)
                    for number in subentry.data[CONF_CONNECTORS]
                }
                chargers[charger_id] = charger
            elif subentry.subentry_type == SUBENTRY_GROUP:
                group_id: str = subentry.data[CONF_GROUP_ID]
                group = self.data.groups.get(group_id) or GroupData(
                    group_id=group_id, name=subentry.data.get(CONF_NAME) or group_id
                )
                groups[group_id] = group
        self.data.chargers = chargers
        self.data.groups = groups
        self.planner.set_fleet(
            (charger_id, number)
            for charger_id, charger in chargers.items()
            for number in charger.connectors
        )
        self.scheduler.rebalance()

    def shutdown_scheduling(self) -> None:
        """Leave the host scheduler (on unload)."""
        self.scheduler.unregister(self.config_entry.entry_id)

    # Update ----------------------------------------------------------------------

    @_api_errors
    async def _async_update_data(self) -> DepotData:
        """Run the most overdue request of the fleet."""
        if self.data.last_transactions_query is None:
            # First refresh: one fleet-wide query proves the credentials and fills
            # the last sessions; statuses follow at the budget's pace.
            try:
                await self._poll_transactions(first=True)
            except DepotFinityPackageError as err:
                self._switch_off(Job(JobKind.TRANSACTIONS), err)
                self.data.last_transactions_query = dt_util.utcnow()
            self.note_success()
        elif self._budget_spent():
            LOGGER.debug("No request slot free for a poll; skipping this tick")
        elif (job := self.planner.pop_due()) is not None:
            try:
                await self._run(job)
            finally:
                self.planner.done(job)
            self.note_success()
        self._pace()
        return self.data

    def _pace(self) -> None:
        """Set the next tick on a fixed-rate schedule.

        Home Assistant counts an update interval from the end of a refresh, so
        request time and timer jitter would slow every tick a little; keeping to
        absolute tick times spends the budget the scheduler planned, no more.
        """
        spacing = self.scheduler.tick_interval(self.config_entry.entry_id)
        now = self.planner.clock()
        target = self._next_tick + spacing
        if target < now or target > now + spacing:
            target = now + spacing  # first tick, or fell behind by more than a tick
        self._next_tick = target
        self.update_interval = timedelta(seconds=max(target - now, MIN_TICK))

    def _budget_spent(self) -> bool:
        """Whether the shared window has no poll slot left (commands used them).

        A server back-off is not "spent": the request is tried and fails fast
        with the server's own error, which the outage logic handles.
        """
        limiter = self.client.limiter
        return limiter.blocked_for() == 0 and limiter.available(Priority.POLL) == 0

    async def _run(self, job: Job) -> None:
        try:
            await self._dispatch(job)
        except DepotFinityPackageError as err:
            self._switch_off(job, err)
            return
        except DepotFinityNotFoundError:
            if (charger := self.data.chargers.get(job.charger_id)) is not None:
                if not charger.missing:
                    LOGGER.warning("Charger %s is not known to DepotFinity", job.charger_id)
                charger.missing = True
            return
        if job.kind is JobKind.PROBE:
            self._switch_on(ApiGroup(job.charger_id))
        elif (charger := self.data.chargers.get(job.charger_id)) is not None:
            charger.missing = False

    async def _dispatch(self, job: Job) -> None:
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
                await self._poll_transactions(first=False)
            case JobKind.RESERVATIONS:
                reservations = await self.client.list_reservations(job.charger_id, job.connector_id)
                self.set_reservations(job.charger_id, job.connector_id, reservations)
            case JobKind.PROBE:
                await self._probe(ApiGroup(job.charger_id))

    async def _poll_connector_status(self, charger_id: str, connector_id: int) -> None:
        connector = self.data.chargers[charger_id].connectors[connector_id]
        before = None if connector.status is None else connector.status.status
        connector.status = await self.client.get_connector_status(charger_id, connector_id)
        after = connector.status.status
        if before not in (None, after) and ConnectorStatus.RESERVED in (before, after):
            # A reservation began or ended: the next one may have changed.
            self.refresh_reservations(charger_id, connector_id)
        connector.status_fetched_at = dt_util.utcnow()
        active = connector.is_active
        if not active:
            # No session, no power: nothing to measure until one starts.
            connector.power_w = 0.0
        if ApiGroup.TIME_SERIES not in self.data.disabled_apis:
            self.planner.set_active(charger_id, connector_id, active)

    async def _poll_charger_meter(self, job: Job) -> None:
        measurand, _, phase = job.detail.partition(":")
        now = dt_util.utcnow()
        points = await self.client.get_time_series(
            job.charger_id, measurand, phase=phase or None, start=now - TIME_SERIES_WINDOW, end=now
        )
        if (newest := _newest_number(points)) is not None:
            self.data.chargers[job.charger_id].meters[job.detail] = newest

    def want_charger_meter(self, charger_id: str, detail: str, *, wanted: bool) -> None:
        """Poll an optional charger reading while an entity shows it."""
        if ApiGroup.TIME_SERIES in self.data.disabled_apis:
            return
        self.planner.set_wanted(Job(JobKind.CHARGER_METER, charger_id, 0, detail), wanted)
        self.scheduler.rebalance()

    async def _poll_meter(self, job: Job) -> None:
        connector = self.data.chargers[job.charger_id].connectors[job.connector_id]
        now = dt_util.utcnow()
        if job.kind is JobKind.POWER:
            measurand, window = Measurand.ACTIVE_POWER_IMPORT, TIME_SERIES_WINDOW
        else:
            measurand = Measurand.ACTIVE_ENERGY_IMPORT
            window = TIME_SERIES_WINDOW if connector.energy_wh is not None else ENERGY_FIRST_WINDOW
        points = await self.client.get_time_series(
            job.charger_id,
            measurand,
            connector_id=job.connector_id,
            start=now - window,
            end=now,
        )
        newest = _newest_number(points)
        if job.kind is JobKind.POWER and connector.is_charging and not newest:
            # Meter samples lag the status: a session that just started may have
            # no sample with power yet. Look again once the next one is due.
            self.planner.mark_due(job, METER_SAMPLE_LAG)
        if newest is None:
            return
        if job.kind is JobKind.POWER:
            connector.power_w = newest if connector.is_active else 0.0
        elif not connector.update_energy(newest):
            LOGGER.debug(
                "Ignored an energy reading that went backwards on %s/%s",
                job.charger_id,
                job.connector_id,
            )

    async def _poll_transactions(self, *, first: bool) -> None:
        now = dt_util.utcnow()
        since = self.data.last_transactions_query
        if first or since is None:
            transactions = await self.client.get_transactions(
                start=now - DISCOVERY_WINDOW,
                end=now,
                filter_by="StartAt",
                order_by="StartAt",
                order="desc",
                limit=100,
            )
        else:
            transactions = await self.client.get_transactions(
                start=since - TRANSACTIONS_OVERLAP,
                end=now,
                filter_by="Overlapping",
                order_by="StartAt",
                order="desc",
                limit=100,
            )
        self.data.last_transactions_query = now
        for transaction in sorted(transactions, key=lambda t: t.start_at or now):
            if transaction.charger_id is None or transaction.connector_id is None:
                continue
            connector = self.data.connector(transaction.charger_id, transaction.connector_id)
            if connector is None:
                continue
            self._apply_transaction(connector, transaction)

    def _apply_transaction(self, connector: ConnectorData, transaction: Transaction) -> None:
        status_job = Job(JobKind.CONNECTOR_STATUS, connector.charger_id, connector.connector_id)
        if transaction.end_at is None:
            connector.active_session = transaction
            if not connector.is_active:
                # A session started that the last status poll has not seen yet.
                self.planner.mark_due(status_job, 0.0)
            return
        last = connector.last_session
        if last is None or (last.end_at is not None and transaction.end_at >= last.end_at):
            connector.last_session = transaction
        if (
            connector.active_session is not None
            and connector.active_session.transaction_id == transaction.transaction_id
        ):
            connector.active_session = None
            if connector.is_active:
                self.planner.mark_due(status_job, 0.0)

    # Packages (features) ---------------------------------------------------------

    def _switch_off(self, job: Job, err: DepotFinityPackageError) -> None:
        api = JOB_API.get(job.kind)
        if api is None or api in self.data.disabled_apis:
            return
        LOGGER.warning("DepotFinity %s API is not in the subscribed package; switched off", api)
        self.data.disabled_apis.add(api)
        for kind, group in JOB_API.items():
            if group is api:
                self.planner.remove_kind(kind)
        self.planner.add_probe(Job(JobKind.PROBE, api.value), PACKAGE_PROBE_DELAY)
        self.scheduler.rebalance()
        LOGGER.debug("Package error: %s", err)
        async_raise_package_issue(self.hass, self.config_entry, api)

    async def _probe(self, api: ApiGroup) -> None:
        now = dt_util.utcnow()
        if api is ApiGroup.TRANSACTIONS:
            await self.client.get_transactions(start=now - TRANSACTIONS_OVERLAP, end=now, limit=1)
            return
        if api is ApiGroup.RESERVATIONS and self._wanted_reservations:
            await self.client.list_reservations(*min(self._wanted_reservations))
            return
        charger_id, connector_id = next(
            (
                (charger_id, number)
                for charger_id, charger in self.data.chargers.items()
                for number in charger.connectors
            ),
            ("", 0),
        )
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

    def _switch_on(self, api: ApiGroup) -> None:
        if api not in self.data.disabled_apis:
            return
        LOGGER.info("DepotFinity %s API is available again", api)
        self.data.disabled_apis.discard(api)
        self.sync_configuration()
        for charger_id, connector_id in self._wanted_reservations:
            self.planner.set_wanted(
                Job(JobKind.RESERVATIONS, charger_id, connector_id), wanted=True
            )
        async_clear_issue(self.hass, self.config_entry, package_issue_id(api))

    # Outages and rate limits -----------------------------------------------------

    def keep_during_outage(self) -> DepotData | None:
        """During a maintenance window, keep the last data for a grace period."""
        now = dt_util.utcnow()
        if self._outage_since is None:
            self._outage_since = now
            if self.config_entry.state is ConfigEntryState.LOADED:
                LOGGER.info("DepotFinity is unavailable (maintenance?); keeping the last data")
        # Only data read before counts: during the first refresh there is none.
        loaded = self.config_entry.state is ConfigEntryState.LOADED
        if loaded and now - self._outage_since < MAINTENANCE_GRACE:
            return self.data
        return None

    def note_rate_limited(self) -> None:
        """Count rate-limited polls; raise a repair issue when it goes on."""
        self._rate_limited_streak += 1
        if self._rate_limited_streak == RATE_LIMIT_REPAIR_AFTER:
            async_raise_rate_limit_issue(self.hass, self.config_entry)

    def note_success(self) -> None:
        """A poll went through: end outage and rate-limit streaks."""
        if self._outage_since is not None:
            if self.last_update_success:
                LOGGER.info("DepotFinity is available again")
            self._outage_since = None
        if self._rate_limited_streak:
            self._rate_limited_streak = 0
            async_clear_issue(self.hass, self.config_entry, RATE_LIMIT_ISSUE)

    # Commands ------------------------------------------------------------------------

    def follow_up(self, charger_id: str, connector_id: int | None) -> None:
        """Re-read a charger or connector soon after a command changed it."""
        self.planner.follow_up(charger_id, connector_id)
        self.async_update_listeners()

    # Reservations (read only while an entity shows them: each read is a request) -----

    def want_reservations(self, charger_id: str, connector_id: int, *, wanted: bool) -> None:
        """Poll a connector's reservations at a low cadence while an entity shows them."""
        key = (charger_id, connector_id)
        if wanted:
            self._wanted_reservations.add(key)
        else:
            self._wanted_reservations.discard(key)
            self.reservations.pop(key, None)
        if ApiGroup.RESERVATIONS in self.data.disabled_apis:
            return
        self.planner.set_wanted(Job(JobKind.RESERVATIONS, charger_id, connector_id), wanted)
        self.scheduler.rebalance()

    def refresh_reservations(self, charger_id: str, connector_id: int) -> None:
        """Read a connector's reservations soon (after a change), if an entity shows them."""
        self.planner.mark_due(Job(JobKind.RESERVATIONS, charger_id, connector_id), 0.0)

    def set_reservations(
        self, charger_id: str, connector_id: int, reservations: list[Reservation]
    ) -> None:
        """Keep what a read returned; the connector's next reservation follows from it."""
        key = (charger_id, connector_id)
        if key not in self._wanted_reservations:
            return
        self.reservations[key] = sorted(
            (r for r in reservations if r.start is not None and r.end is not None),
            key=lambda r: (r.start, r.end),
        )
        if (connector := self.data.connector(charger_id, connector_id)) is not None:
            connector.next_reservation = self.next_reservation(charger_id, connector_id)

    def next_reservation(self, charger_id: str, connector_id: int) -> Reservation | None:
        """The running or next reservation of a connector (None: none known)."""
        now = dt_util.utcnow()
        return next(
            (
                r
                for r in self.reservations.get((charger_id, connector_id), ())
                if r.end is not None and r.end > now
            ),
            None,
        )
