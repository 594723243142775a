"""What the benchmark watches in Home Assistant: entity values, sessions, CPU time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
import random
import time
from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.sensor_descriptions import CONNECTOR_STATES
from custom_components.depotfinity.switch import SESSION_STATUSES
from depotfinity_simulator import SimulatorServer

from .common import HOUR, percentile

# Entities that have no value by design: a button until pressed, an event until one fires.
STATELESS = frozenset({Platform.BUTTON, Platform.EVENT})
NO_VALUE = (STATE_UNKNOWN, STATE_UNAVAILABLE)
SESSIONS_PER_HOUR = 12
SESSION_LENGTH = (300, 900)
# HA connector status values that show a running session, and the one that shows none.
IN_SESSION = frozenset({CONNECTOR_STATES[s] for s in SESSION_STATUSES} | {"finishing"})
FREE = CONNECTOR_STATES["Available"]


def valued_entities(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """Every enabled entity of the entry that is expected to show a value."""
    registry = er.async_get(hass)
    return [
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.disabled_by is None and e.domain not in STATELESS
    ]


@dataclass
class ValueWait:
    """Seconds from a start until every watched entity shows a value."""

    hass: HomeAssistant
    entity_ids: list[str]
    started: int
    done_after: float | None = None
    # The entities still without a value at the last check that found any.
    last: list[str] = field(default_factory=list)

    def pending(self) -> list[str]:
        """The watched entities without a value now."""
        return [
            entity_id
            for entity_id in self.entity_ids
            if (state := self.hass.states.get(entity_id)) is None or state.state in NO_VALUE
        ]

    def check(self, second: int) -> None:
        """Note the first second at which nothing is pending."""
        if self.done_after is not None:
            return
        if pending := self.pending():
            self.last = pending
        else:
            self.done_after = float(second - self.started)


@dataclass
class _SessionEvent:
    start: bool
    entity_id: str
    at: float
    seen_after: float | None = None


@dataclass
class SessionDriver:
    """Plugs vehicles in and out at random times and times their sessions in HA.

    A start counts from the moment the simulator opens the transaction (a few
    seconds after the plug-in) until the connector status in Home Assistant shows
    a session; an end counts from the unplug until it shows the connector free.
    """

    server: SimulatorServer
    status_entity: Callable[[str, int], str]
    seed: int
    events: list[_SessionEvent] = field(default_factory=list)
    skipped: int = 0
    _plan: dict[int, int] = field(default_factory=dict)  # plug-in second → unplug second
    _unplugs: dict[int, tuple[str, int]] = field(default_factory=dict)
    _starting: list[tuple[str, int]] = field(default_factory=list)
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        """Draw the reproducible plan of plug-ins and their lengths."""
        self._rng = random.Random(self.seed)  # noqa: S311 - a reproducible plan, not security
        times = sorted(self._rng.sample(range(60, HOUR - SESSION_LENGTH[1]), SESSIONS_PER_HOUR))
        self._plan = {t: t + self._rng.randint(*SESSION_LENGTH) for t in times}

    def _free_connector(self) -> tuple[str, int] | None:
        sim = self.server.sim
        free = [
            (charger.charger_id, number)
            for charger in sim.state.chargers.values()
            if charger.fault is None and charger.enabled
            for number, conn in charger.connectors.items()
            if conn.vehicle is None
            and conn.fault is None
            and sim.connector_status(charger.charger_id, number) == "Available"
        ]
        return self._rng.choice(free) if free else None

    def step(self, second: int) -> None:
        """Plug in or out what the plan says for ``second``; note sessions that began."""
        sim = self.server.sim
        now = self.server.clock.timestamp()
        if (until := self._plan.get(second)) is not None:
            if (target := self._free_connector()) is None:
                self.skipped += 1
            else:
                sim.plug_in(*target, soc=30.0, target_soc=95.0)
                self._starting.append(target)
                self._unplugs[until] = target
        for target in list(self._starting):
            transaction = sim.connector(*target)[1].transaction
            if transaction is not None:
                self._starting.remove(target)
                entity_id = self.status_entity(*target)
                self.events.append(
                    _SessionEvent(start=True, entity_id=entity_id, at=transaction.start)
                )
        if (target := self._unplugs.pop(second, None)) is not None:
            charger, conn = sim.connector(*target)
            faulted = charger.fault is not None or conn.fault is not None
            sim.unplug(*target)
            if faulted:
                self.skipped += 1  # the connector shows the fault, not "available"
            else:
                entity_id = self.status_entity(*target)
                self.events.append(_SessionEvent(start=False, entity_id=entity_id, at=now))

    def observe(self, hass: HomeAssistant, now: float) -> None:
        """Note sessions whose change Home Assistant shows now."""
        for event in self.events:
            if event.seen_after is not None or (state := hass.states.get(event.entity_id)) is None:
                continue
            if (state.state in IN_SESSION) if event.start else (state.state == FREE):
                event.seen_after = now - event.at

    def p95(self) -> tuple[float | None, str]:
        """The p95 of the seen delays, and "seen / all" (a change never seen counts as 1 h)."""
        delays = [HOUR if e.seen_after is None else e.seen_after for e in self.events]
        seen = sum(e.seen_after is not None for e in self.events)
        return (percentile(delays, 0.95) if delays else None), f"{seen}/{len(self.events)}"


def status_entity_finder(hass: HomeAssistant, entry: MockConfigEntry) -> Callable[[str, int], str]:
    """Maps a connector to the entity id of its status sensor."""
    registry = er.async_get(hass)

    def find(charger_id: str, connector_id: int) -> str:
        unique_id = f"{entry.unique_id}_{charger_id}_{connector_id}_status"
        entity_id = registry.async_get_entity_id(Platform.SENSOR, DOMAIN, unique_id)
        assert entity_id is not None, unique_id
        return entity_id

    return find


@dataclass
class CpuMeter:
    """Process CPU time of the coordinator's refreshes, minus the simulator's handlers.

    ``update`` holds one figure per ``_async_update_data`` call (the requests of a
    tick and their bookkeeping); ``tick`` one per whole refresh, which adds the
    entity updates Home Assistant runs for the coordinator's listeners.
    """

    update: list[float] = field(default_factory=list)
    tick: list[float] = field(default_factory=list)
    _simulator: float = 0.0

    def _timed(
        self, method: Callable[..., Awaitable[Any]], out: list[float] | None
    ) -> Callable[..., Awaitable[Any]]:
        meter = self

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started, simulator = time.process_time(), meter._simulator
            try:
                return await method(*args, **kwargs)
            finally:
                spent = time.process_time() - started
                if out is None:
                    meter._simulator += spent
                else:
                    out.append(spent - (meter._simulator - simulator))

        return timed

    @contextmanager
    def measuring(self) -> Iterator[CpuMeter]:
        """Wrap the coordinator and the simulator's request handling while in the block.

        Start the simulator inside the block: its server binds the handler when it starts.
        """
        coordinator, app = DepotFinityCoordinator, web.Application
        update = self._timed(coordinator._async_update_data, self.update)  # noqa: SLF001
        tick = self._timed(coordinator._async_refresh, self.tick)  # noqa: SLF001
        handle = self._timed(app._handle, None)  # noqa: SLF001
        with (
            patch.object(coordinator, "_async_update_data", update),
            patch.object(coordinator, "_async_refresh", tick),
            patch.object(app, "_handle", handle),
        ):
            yield self

    @staticmethod
    def mean_ms(values: list[float]) -> float | None:
        """Mean of ``values`` in milliseconds."""
        return 1000 * sum(values) / len(values) if values else None

    def per_request_ms(self, requests: int) -> float | None:
        """The refreshes' CPU time per API request they sent, in milliseconds.

        Per request, not per refresh: a refresh that finds the window full sends
        nothing and costs next to nothing, and one of the first sweep sends several.
        """
        return 1000 * sum(self.update) / requests if requests else None
