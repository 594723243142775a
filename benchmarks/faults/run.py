"""One fault run: Home Assistant with the integration against the simulator, watched each tick.

Home Assistant's clock and the simulator's move together (virtual time). After every tick
the run notes which entities that were available before the fault are unavailable and when
the newest connector status was read; the figures of the matrix come from these samples and
from the simulator's request log.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
import math
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

import custom_components.depotfinity as integration
from custom_components.depotfinity.commands import DepotFinityCommands
from custom_components.depotfinity.const import CONF_ID_TAG, DOMAIN
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.data import ConnectorData
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import DepotSimulator, SimulatorConfig, SimulatorServer
from tests.entries import depot_entry
from tests.helpers import COMMAND_ROUTE, ID_TAG, setup_integration, tick

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
CHARGERS = 3
TOKEN_ROUTE = "/oauth2/token"  # noqa: S105 - a path, not a secret
STATUS_PATH = "/v1/chargerStatus/chargers/CH-01/connectors/1"
# Longest wait for the integration to read every status after setup, and to recover.
WARM_UP_LIMIT = 300.0
# Turns of the event loop between two steps of a held request (lets the sockets work).
IO_TURNS = 5
# Past this, the client's request window (5 min) holds only steady polling.
STEADY = 330.0
RECOVERY_LIMIT = 900.0


def simulator_config(**changes: Any) -> SimulatorConfig:
    """A small depot: 3 chargers x 2 connectors, one group, time moved by the run."""
    settings: dict[str, Any] = {
        "chargers": CHARGERS,
        "connectors": 2,
        "groups": 1,
        "seed": 11,
        "speed": 0.0,
        "start": START,
        "history_days": 2,
    }
    return SimulatorConfig(**(settings | changes))


def seconds_since_start(moment: datetime) -> float:
    """A moment as seconds of the run (the run starts at ``START``)."""
    return (moment - START).total_seconds()


@dataclass(frozen=True, slots=True)
class Sample:
    """What one tick saw."""

    at: float
    unavailable: frozenset[str]
    fresh: float | None  # when the newest connector status was read


@dataclass
class FaultRun:
    """A set-up entry against a simulator, and what each tick saw."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    server: SimulatorServer
    entry: MockConfigEntry
    setups: int = 0
    samples: list[Sample] = field(default_factory=list)
    watched: frozenset[str] = frozenset()

    # Shortcuts --------------------------------------------------------------------

    @property
    def sim(self) -> DepotSimulator:
        """The simulated service."""
        return self.server.sim

    @property
    def coordinator(self) -> DepotFinityCoordinator:
        """The coordinator of the entry's current load."""
        coordinator: DepotFinityCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    @property
    def commands(self) -> DepotFinityCommands:
        """The command sender of the entry's current load."""
        commands: DepotFinityCommands = self.entry.runtime_data.commands
        return commands

    def connector(self, charger_id: str = "CH-01", number: int = 1) -> ConnectorData:
        """A connector's data (kept across reloads)."""
        connector = self.coordinator.data.connector(charger_id, number)
        assert connector is not None
        return connector

    def read_status_now(self, charger_id: str = "CH-01", number: int = 1) -> None:
        """Ask for a connector's status read at the next tick."""
        self.coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, charger_id, number), 0)

    def now(self) -> float:
        """Seconds since the run started (virtual)."""
        return seconds_since_start(dt_util.utcnow())

    # Time -------------------------------------------------------------------------

    async def tick(self, seconds: float = 1.0) -> None:
        """Let ``seconds`` pass for Home Assistant and the simulator, then sample."""
        await tick(self.hass, self.freezer, seconds, self.server)
        self.samples.append(self._sample())

    async def tick_holding(self, limit: float = 60.0, step: float = 0.5) -> None:
        """One tick during which a request may be held in flight.

        The event loop's clock is frozen with Home Assistant's, so a timeout only runs out
        when time moves: it moves in ``step`` seconds (at most ``limit``) until the tick is over.
        """
        task = asyncio.create_task(self.tick())
        for _ in range(math.ceil(limit / step)):
            for _ in range(IO_TURNS):
                await asyncio.sleep(0)
            if task.done():
                break
            self.freezer.tick(step)
            self.server.clock.advance(step)
        await task

    async def run_for(self, seconds: float, step: float = 1.0) -> None:
        """Let ``seconds`` pass, one tick per ``step``."""
        for _ in range(math.ceil(seconds / step)):
            await self.tick(step)

    async def until(
        self, done: Callable[[], object], limit: float, step: float = 1.0, *, held: bool = False
    ) -> float | None:
        """Tick until ``done()`` holds; return when it did (None: not within ``limit``).

        ``held``: a request may be held in flight (see :meth:`tick_holding`).
        """
        deadline = self.now() + limit
        while not done():
            if self.now() >= deadline:
                return None
            await (self.tick_holding() if held else self.tick(step))
        return self.now()

    async def until_live(
        self, end: float, limit: float = RECOVERY_LIMIT, step: float = 1.0
    ) -> None:
        """Tick until the values are live again after a fault that ended at ``end``."""
        await self.until(lambda: self.live_again(end) is not None, limit, step)

    async def settle(self, awaitable: Awaitable[Any]) -> Any:
        """Run a coroutine (a command) to its end, then sample."""
        result = await awaitable
        await self.hass.async_block_till_done()
        self.samples.append(self._sample())
        return result

    def _entity_ids(self) -> list[str]:
        registry = er.async_get(self.hass)
        return [
            e.entity_id for e in er.async_entries_for_config_entry(registry, self.entry.entry_id)
        ]

    def _sample(self) -> Sample:
        down = frozenset(
            entity_id
            for entity_id in self.watched
            if (state := self.hass.states.get(entity_id)) is None
            or state.state == STATE_UNAVAILABLE
        )
        runtime = getattr(self.entry, "runtime_data", None)
        fetched = [
            connector.status_fetched_at
            for charger in (runtime.coordinator.data.chargers.values() if runtime else ())
            for connector in charger.connectors.values()
            if connector.status_fetched_at is not None
        ]
        fresh = seconds_since_start(max(fetched)) if fetched else None
        return Sample(self.now(), down, fresh)

    async def warm_up(self, *, steady: bool) -> None:
        """Poll until every connector's status was read; watch the entities then available.

        ``steady``: go on until the request window holds only requests of normal polling.
        """
        data = self.coordinator.data

        def all_read() -> bool:
            connectors = [data.connector(*key) for key in data.connector_keys()]
            return all(c is not None and c.status_fetched_at is not None for c in connectors)

        ready = await self.until(all_read, WARM_UP_LIMIT)
        assert ready is not None, "the integration never read every status"
        await self.run_for(max(STEADY - self.now(), 0) if steady else 10)
        self.watched = frozenset(
            entity_id
            for entity_id in self._entity_ids()
            if (state := self.hass.states.get(entity_id)) is not None
            and state.state != STATE_UNAVAILABLE
        )

    # Figures ----------------------------------------------------------------------

    def requests(
        self,
        start: float,
        end: float,
        *,
        status: int | None = None,
        token: bool = False,
        through: bool = False,
    ) -> int:
        """API (or token) requests answered after ``start``, before ``end`` (``status``: with it).

        A fault injected at ``start`` comes after the requests made then, and a window that
        closes at ``end`` no longer answers a request made then; ``through``: count those at
        ``end`` (the fault's last answer came then).
        """
        return sum(
            1
            for when, route, code in self.sim.stats.log
            if (start < (at := seconds_since_start(when)) < end or (through and at == end))
            and (route == TOKEN_ROUTE) == token
            and (status is None or code == status)
        )

    def answers(self, status: int, *, token: bool = False) -> list[float]:
        """When the simulator answered API (or token) requests with ``status``."""
        return [
            seconds_since_start(when)
            for when, route, code in self.sim.stats.log
            if code == status and (route == TOKEN_ROUTE) == token
        ]

    def commands_sent(self) -> int:
        """Remote commands the simulator received."""
        return self.sim.stats.requests_by_route.get(COMMAND_ROUTE, 0)

    def next_request_after(self, moment: float) -> float | None:
        """Seconds from ``moment`` to the next API request (None: none came)."""
        later = [
            seconds_since_start(when) - moment
            for when, route, _ in self.sim.stats.log
            if route != TOKEN_ROUTE and seconds_since_start(when) > moment
        ]
        return min(later, default=None)

    def next_request(self, moment: float, what: str) -> str:
        """How long after ``moment`` (named ``what``) the next API request came."""
        gap = self.next_request_after(moment)
        return f"next request {'never' if gap is None else f'{gap:.0f} s'} after {what}"

    def down(self, start: float, end: float) -> tuple[float, frozenset[str]]:
        """Seconds with a watched entity unavailable, and which ones were, in ``(start, end]``."""
        seconds, names, before = 0.0, frozenset[str](), start
        for sample in self.samples:
            if start < sample.at <= end:
                if sample.unavailable:
                    seconds += sample.at - before
                    names |= sample.unavailable
                before = sample.at
        return seconds, names

    def live_again(self, end: float) -> float | None:
        """Seconds from ``end`` until every watched entity is available with a newer status."""
        for sample in self.samples:
            if (
                sample.at >= end
                and not sample.unavailable
                and sample.fresh is not None
                and sample.fresh > end
            ):
                return sample.at - end
        return None

    def repairs(self) -> list[str]:
        """Translation keys of the integration's open repair issues."""
        registry = ir.async_get(self.hass)
        return sorted(
            issue.translation_key or issue.issue_id
            for issue in registry.issues.values()
            if issue.domain == DOMAIN
        )

    def reauth_flows(self) -> int:
        """Reauthentication flows started."""
        flows = self.hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        return sum(1 for flow in flows if flow["context"].get("source") == SOURCE_REAUTH)

    async def report(
        self,
        start: float,
        end: float,
        *extra: str,
        status: int | None = None,
        through: bool = False,
        limit: float = RECOVERY_LIMIT,
        step: float = 1.0,
    ) -> str:
        """Wait until the values are live again, then give ``extra`` and the usual figures.

        ``status`` is the fault's answer; ``through``: its last one came at ``end``.
        """
        await self.until_live(end, limit, step)
        count = partial(self.requests, start, end, through=through)
        answered = f" ({count(status=status)} answered {status})"
        live = self.live_again(end)
        unavailable, reloads = self.effects(start)
        figures = [
            f"API requests during the fault: {count()}" + (answered if status else ""),
            f"token requests: {count(token=True)}",
            unavailable,
            "back to live values: "
            + ("never" if live is None else f"{live:.0f} s")
            + " after the fault ends",
            reloads,
        ]
        return "; ".join([*extra, *figures])

    def effects(self, start: float) -> tuple[str, str]:
        """What the user saw since ``start``: entities unavailable, and reloads."""
        seconds, names = self.down(start, self.now())
        return (
            f"entities unavailable: {seconds:.0f} s"
            + (f" ({len(names)} of {len(self.watched)})" if names else ""),
            f"reloads: {self.setups - 1}",
        )


@asynccontextmanager
async def fault_run(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    config: SimulatorConfig | None = None,
    *,
    steady: bool = True,
) -> AsyncIterator[FaultRun]:
    """Set up the integration against a new simulator, warm it up; remove it at the end.

    ``steady``: the fault comes after several minutes of polling (else right after start-up).
    """
    freezer.move_to(START)
    async with SimulatorServer(config or simulator_config()) as server:
        entry = depot_entry(
            server,
            server.sim.charger_ids,
            unique_id=server.config.client_id,
            title="Fault matrix",
            groups=server.sim.group_ids,
            options={CONF_ID_TAG: ID_TAG},
        )
        run = FaultRun(hass, freezer, server, entry)
        setup = integration.async_setup_entry

        async def counted(hass: HomeAssistant, entry: Any) -> bool:
            run.setups += 1
            return await setup(hass, entry)

        with patch.object(integration, "async_setup_entry", counted):
            await setup_integration(hass, entry)
            try:
                await run.warm_up(steady=steady)
                yield run
            finally:
                # Removing it also drops its repair issues and the depot state it kept.
                await hass.config_entries.async_remove(entry.entry_id)
                await hass.async_block_till_done()
