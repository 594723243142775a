"""Polling coordinator: one per config entry, paced by the host's request budget.

Each tick runs the request the planner picks; the host scheduler sets the pace
so that every entry on one API host together stays within the budget.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    ApiGroup,
    DepotFinityAuthenticationError,
    DepotFinityClient,
    DepotFinityConnectionError,
    DepotFinityError,
    DepotFinityNotFoundError,
    DepotFinityPackageError,
    DepotFinityRateLimitError,
    DepotFinityResponseError,
    DepotFinityServerError,
    DepotFinityUnavailableError,
    Priority,
    Reservation,
)
from .budget import HostScheduler
from .const import (
    CONF_BUDGET_SHARE,
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_NAME,
    DEFAULT_BUDGET_SHARE,
    DOMAIN,
    LOGGER,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
)
from .data import ChargerData, ConnectorData, DepotData, GroupData
from .errors import error_translation
from .health import ServiceHealth
from .jobs import JOB_API, Job, JobKind
from .pace import next_tick
from .polls import Poller
from .prices import configured_sites
from .scheduler import FOLLOW_UP_DELAYS, PollPlanner

# Shortest gap between two ticks (the limiter keeps the budget in any case).
MIN_TICK = 1.0
# Failures that pass by themselves: the last data stays shown for a while.
TRANSIENT_ERRORS = (
    DepotFinityUnavailableError,
    DepotFinityRateLimitError,
    DepotFinityConnectionError,
    DepotFinityServerError,
)
# Jobs whose unreadable answer makes their charger's or connector's status unavailable.
STATUS_SOURCES = frozenset({JobKind.CONNECTOR_STATUS, JobKind.CHARGER_STATUS, JobKind.CONNECTIVITY})
# Poll slots the warm-up leaves free for the steady pace that follows it, and
# how many requests one tick of the warm-up sends back to back.
WARM_UP_SPARE = 2
WARM_UP_BATCH = 10


class DepotFinityCoordinator(DataUpdateCoordinator[DepotData]):
    """Runs one due request per tick and keeps the depot's state in ``data``."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: DepotFinityClient,
        scheduler: HostScheduler,
        data: DepotData,
    ) -> None:
        """Set up the coordinator for one entry; ``data`` is what the entry knows so far."""
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
        self.health = ServiceHealth(hass, entry)
        self.data = data
        self.poller = Poller(client, data, self.planner, self.health.disabled_apis, hass, entry)
        self._next_tick = 0.0
        self._cancel_follow_up: CALLBACK_TYPE | None = None
        self._started = self.planner.clock()
        self._warm = False
        self.sync_configuration()
        scheduler.register(
            entry.entry_id,
            self.planner,
            entry.options.get(CONF_BUDGET_SHARE, DEFAULT_BUDGET_SHARE),
        )

    # Configuration -------------------------------------------------------------

    def sync_configuration(self) -> None:
        """Follow the entry's charger, group and site subentries."""
        chargers: dict[str, ChargerData] = {}
        groups: dict[str, GroupData] = {}
        for subentry in self.config_entry.subentries.values():
            name: str | None = subentry.data.get(CONF_NAME)
            if subentry.subentry_type == SUBENTRY_CHARGER:
                charger_id: str = subentry.data[CONF_CHARGER_ID]
                charger = self.data.chargers.get(charger_id) or ChargerData(charger_id, charger_id)
                charger.name = name or charger_id
                charger.connectors = {
                    number: charger.connectors.get(number) or ConnectorData(charger_id, number)
                    for number in subentry.data[CONF_CONNECTORS]
                }
                chargers[charger_id] = charger
            elif subentry.subentry_type == SUBENTRY_GROUP:
                group_id: str = subentry.data[CONF_GROUP_ID]
                group = self.data.groups.get(group_id) or GroupData(group_id, group_id)
                group.name = name or group_id
                groups[group_id] = group
        self.data.chargers = chargers
        self.data.groups = groups
        self.data.sites = configured_sites(self.config_entry, self.data.sites)
        self.planner.set_fleet(self.data.connector_keys())
        self.poller.plan_prices()
        for kind, api in JOB_API.items():
            if api in self.health.disabled_apis:
                self.planner.remove_kind(kind)
        if not self.poller.statistics.enabled:
            self.planner.remove_kind(JobKind.STATISTICS)  # no recorder: nothing to import into
        self.scheduler.rebalance()

    def shutdown_scheduling(self) -> None:
        """Leave the host scheduler (on unload, or when setup fails)."""
        if self._cancel_follow_up is not None:
            self._cancel_follow_up()
            self._cancel_follow_up = None
        self.scheduler.unregister(self.config_entry.entry_id)

    # Update ----------------------------------------------------------------------

    async def _async_setup(self) -> None:
        """Before the first refresh: one fleet-wide query proves the credentials.

        It also fills the last sessions; statuses follow at the budget's pace.
        Right after a restart the window may hold no slot for it: then the
        transactions job reads it first thing (the values shown stand till then).
        """
        if not self.poller.discovery_fits():
            return
        try:
            await self.poller.poll_transactions(first=True)
        except DepotFinityPackageError as err:
            self._switch_off(Job(JobKind.TRANSACTIONS), err)
        except DepotFinityError as err:
            self._raise_failed(err)
        self.health.succeeded(was_failing=False)

    async def _async_update_data(self) -> DepotData:
        """Run the most overdue request of the fleet (a few at once while warming up)."""
        try:
            for index in range(WARM_UP_BATCH):
                if self._budget_spent():
                    LOGGER.debug("No request slot free for a poll; skipping this tick")
                    break
                job = self.planner.pop_due() if index == 0 else self._burst_job()
                if job is None:
                    break
                ok = False
                try:
                    await self._run(job)
                    ok = True
                finally:
                    self.planner.done(job, ok=ok)
                self.health.succeeded(was_failing=not self.last_update_success)
        except DepotFinityError as err:
            self.health.note_surprises(self.client.api_surprises(only_new=True))
            if isinstance(err, DepotFinityRateLimitError):
                self.health.rate_limited()
            # While setting up, the account was proven already (_async_setup): a
            # passing failure of the first polls must not fail the setup.
            setting_up = self.config_entry.state is ConfigEntryState.SETUP_IN_PROGRESS
            if isinstance(err, TRANSIENT_ERRORS) and (setting_up or self._outage_grace()):
                # Keep the last data; the next poll waits as long as the service said,
                # but not past the grace period (then the entities turn unavailable).
                wait = getattr(err, "retry_after", None)
                self._pace(at_least=None if wait is None else min(wait, self.health.grace_left()))
                return self.data
            self._raise_failed(err)
        self.health.note_surprises(self.client.api_surprises(only_new=True))
        self._pace()
        return self.data

    def _outage_grace(self) -> bool:
        """Whether the last data stays shown through a passing failure (after a first refresh).

        One failed poll (a maintenance window, a 429, a timeout, a lost connection)
        must not turn every entity unavailable at once: the last data stays for
        ``MAINTENANCE_GRACE`` before they do.
        """
        loaded = self.config_entry.state is ConfigEntryState.LOADED
        return self.health.outage_grace(has_data=loaded)

    def _raise_failed(self, err: DepotFinityError) -> NoReturn:
        """The one translation of a failed poll into what Home Assistant expects."""
        if isinstance(err, DepotFinityAuthenticationError):
            if self.config_entry.state is ConfigEntryState.LOADED:
                self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        key, placeholders = error_translation(err)
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
            retry_after=getattr(err, "retry_after", None),
        ) from err

    def _pace(self, at_least: float | None = None) -> None:
        """Set the next tick on a fixed-rate schedule.

        Home Assistant counts an update interval from the end of a refresh, so
        request time and timer jitter would slow every tick a little; keeping to
        absolute tick times spends the budget the scheduler planned, no more.
        """
        self.scheduler.rebalance()
        spacing = self.scheduler.tick_interval(self.config_entry.entry_id)
        now = self.planner.clock()
        if self._warming_up() or self.planner.hint_due():  # (a session seen, a follow-up)
            spacing = max(MIN_TICK, self.client.limiter.next_slot_in(Priority.POLL))
        target = next_tick(self._next_tick, now, spacing)
        if at_least is not None:
            target = max(target, now + at_least)
        self._next_tick = target
        self.update_interval = timedelta(seconds=max(target - now, MIN_TICK))

    @property
    def first_sweep_done(self) -> bool:
        """Whether every job has run once since the entry was set up."""
        if not self._warm and self.planner.all_ran_since(self._started):
            self._warm = True
        return self._warm

    def _burst_job(self) -> Job | None:
        """A job that never ran, sent in the same tick while the window has slots to spare.

        A first setup's empty window is spent at once (never the command reserve), so
        the first picture comes in seconds; jobs that ran (before a restart too) keep the pace.
        """
        if self.client.limiter.available(Priority.POLL) <= WARM_UP_SPARE:
            return None
        return self.planner.next_unread()

    def _warming_up(self) -> bool:
        """Whether a job that never ran is due, with poll slots to spare for it."""
        return (
            self.client.limiter.available(Priority.POLL) > WARM_UP_SPARE
            and self.planner.has_unread_due()
        )

    def _budget_spent(self) -> bool:
        """Whether the shared window has no poll slot left for a read (and its token).

        A server back-off is not "spent": the request is tried and fails fast
        with the server's own error, which the outage logic handles.
        """
        limiter, needed = self.client.limiter, 1 if self.client.auth.valid() else 2
        return limiter.blocked_for() == 0 and limiter.available(Priority.POLL) < needed

    async def _run(self, job: Job) -> None:
        try:
            await self.poller.run(job)
        except DepotFinityPackageError as err:
            self._switch_off(job, err)
            return
        except DepotFinityNotFoundError:
            if (charger := self.data.chargers.get(job.charger_id)) is not None:
                if not charger.missing:
                    LOGGER.warning("Charger %s is not known to DepotFinity", job.charger_id)
                charger.missing = True
            return
        except DepotFinityResponseError as err:
            # An answer that cannot be read affects what it was about, not the depot.
            self._note_answer(job, readable=False, err=err)
            return
        if job.kind is JobKind.PROBE:
            self._switch_on(ApiGroup(job.charger_id))
        elif (charger := self.data.chargers.get(job.charger_id)) is not None:
            charger.missing = False
            self._note_answer(job, readable=True)

    def _note_answer(
        self, job: Job, *, readable: bool, err: DepotFinityResponseError | None = None
    ) -> None:
        """Mark a charger's or connector's status readable or not (logged once)."""
        charger = self.data.chargers.get(job.charger_id)
        if charger is None or job.kind not in STATUS_SOURCES:
            if err is not None:
                LOGGER.debug("Unreadable answer to %s: %s", job, err)
            return
        item: ChargerData | ConnectorData | None = charger
        if job.kind is JobKind.CONNECTOR_STATUS:
            item = charger.connectors.get(job.connector_id)
        if item is None or item.unreadable != readable:
            return
        item.unreadable = not readable
        if err is not None:
            LOGGER.warning("DepotFinity sent an answer about %s that cannot be read: %s", job, err)
        else:
            LOGGER.info("DepotFinity answers about %s can be read again", job)

    # Packages (features) ---------------------------------------------------------

    def _switch_off(self, job: Job, err: DepotFinityPackageError) -> None:
        """Stop an API's polls while it refuses access; probe it again later."""
        probe = job.kind is JobKind.PROBE
        api = ApiGroup(job.charger_id) if probe else JOB_API.get(job.kind)
        if api is None:
            return
        if self.health.api_refused(api):
            LOGGER.debug("Package error: %s", err)
            for kind, group in JOB_API.items():
                if group is api:
                    self.planner.remove_kind(kind)
        elif not probe:
            return  # switched off already; its probe is planned
        delay = self.health.next_probe_delay(api)
        self.planner.add_probe(Job(JobKind.PROBE, api.value), delay)
        self.scheduler.rebalance()

    def _switch_on(self, api: ApiGroup) -> None:
        if not self.health.api_back(api):
            return
        self.sync_configuration()  # (the readings entities show come back with it)

    # Requests from entities and commands -------------------------------------------

    def follow_up(self, charger_id: str, connector_id: int | None) -> None:
        """Re-read a charger or connector soon after a command changed it.

        The read runs when it is due, not at the next tick of the budget's pace,
        so a start shows in Home Assistant within seconds whoever asked for it
        (a switch, an action, a voice command).
        """
        self.planner.follow_up(charger_id, connector_id)
        self.async_update_listeners()
        if self._cancel_follow_up is not None:
            self._cancel_follow_up()
        self._cancel_follow_up = async_call_later(
            self.hass, FOLLOW_UP_DELAYS[0], self._async_follow_up_refresh
        )

    async def _async_follow_up_refresh(self, _now: datetime) -> None:
        self._cancel_follow_up = None
        await self.async_refresh()

    def want_reading(self, job: Job, *, wanted: bool) -> None:
        """Poll an optional reading (a charger meter, a register) while an entity shows it."""
        self.planner.set_wanted(job, wanted)

    def want_reservations(self, charger_id: str, connector_id: int, *, wanted: bool) -> None:
        """Poll a connector's reservations at a low cadence while an entity shows them."""
        if not self.poller.show_reservations(charger_id, connector_id, shown=wanted):
            return  # another entity shows them already, or still
        # (While the API is switched off the planner keeps the wish for when it is back.)
        self.planner.set_wanted(Job(JobKind.RESERVATIONS, charger_id, connector_id), wanted)

    def reservations_changed(
        self,
        charger_id: str,
        connector_id: int,
        *,
        made: Reservation | None = None,
        cancelled: str | None = None,
    ) -> None:
        """A reservation made or cancelled from Home Assistant: shown at once, read soon."""
        self.poller.change_reservations(charger_id, connector_id, made=made, cancelled=cancelled)
        self.planner.mark_due(Job(JobKind.RESERVATIONS, charger_id, connector_id), 0.0)
