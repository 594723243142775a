"""Helpers for the integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import timedelta
from types import MappingProxyType
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.depotfinity.api import DepotFinityClient, DepotFinityConnectionError
from custom_components.depotfinity.const import (
    CONF_CHARGER_ID,
    CONF_CLIENT_SECRET,
    CONF_CONNECTORS,
    CONF_ID_TAG,
    CONF_NAME,
    DOMAIN,
    SUBENTRY_CHARGER,
)
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer
from depotfinity_simulator.config import mode_from_env

ID_TAG = "89C4704A"
COMMAND_ROUTE = "/v1/chargerControl/chargers/{chargerId}/remoteCommands/{remoteCommandType}"
STATUS_ROUTE = "/v1/chargerStatus/chargers/{chargerId}/connectors/{connectorId}/availabilityStatus"


async def setup_integration(
    hass: HomeAssistant, entry: MockConfigEntry, *, id_tag: str | None = None
) -> DepotFinityCoordinator:
    """Add (unless already added) and set up an entry; return its coordinator.

    ``id_tag`` goes into the options as the idTag for remote starts.
    """
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    if id_tag is not None:
        hass.config_entries.async_update_entry(entry, options={CONF_ID_TAG: id_tag})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator: DepotFinityCoordinator = entry.runtime_data.coordinator
    return coordinator


async def tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    simulator: SimulatorServer | None = None,
) -> None:
    """Let Home Assistant's time (and the simulator's, if given) pass; run what is due."""
    freezer.tick(timedelta(seconds=seconds))
    if simulator is not None:
        simulator.clock.advance(seconds)
    async_fire_time_changed(hass)
    # Scheduled coordinator refreshes run as background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


async def poll_until_idle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: DepotFinityCoordinator,
    max_ticks: int = 200,
    simulator: SimulatorServer | None = None,
) -> int:
    """Tick until every job planned now has run once; return the ticks used.

    The planner runs at the budget's pace and may never be idle, so "done" is:
    every job's next due time lies after the moment this started. With
    ``simulator``, its clock (and request window) moves on too.
    """
    planner = coordinator.planner
    started = planner.clock()
    for count in range(1, max_ticks + 1):
        interval = coordinator.update_interval
        assert interval is not None
        # The coordinator adds a fraction of a second of jitter to its schedule.
        await tick(hass, freezer, interval.total_seconds() + 0.5, simulator)
        if planner.all_ran_since(started):
            return count
    raise AssertionError("some jobs never ran")


async def setup_and_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    *,
    id_tag: str | None = None,
) -> DepotFinityCoordinator:
    """Set up an entry and let every poll it plans run once; return its coordinator."""
    coordinator = await setup_integration(hass, entry, id_tag=id_tag)
    await poll_until_idle(hass, freezer, coordinator)
    return coordinator


async def poll_jobs(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: DepotFinityCoordinator,
    *jobs: Job,
) -> None:
    """Make the given polls due now, then poll until every planned job ran once more."""
    for job in jobs:
        coordinator.planner.mark_due(job, 0)
    await poll_until_idle(hass, freezer, coordinator)


def status_jobs(charger_id: str, *connectors: int) -> tuple[Job, ...]:
    """The polls of a charger's availability and of the named connectors' statuses."""
    return (
        Job(JobKind.CHARGER_STATUS, charger_id),
        *(Job(JobKind.CONNECTOR_STATUS, charger_id, number) for number in connectors),
    )


async def poll_until(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer | None,
    coordinator: DepotFinityCoordinator,
    check: Callable[[], object],
    *jobs: Job,
    max_ticks: int = 100,
) -> None:
    """Ask for the given polls, then let polls run (one per tick) until ``check()`` holds.

    With a simulator, its clock moves with Home Assistant's.
    """
    for job in jobs:
        coordinator.planner.mark_due(job, 0)
    for _ in range(max_ticks):
        if check():
            return
        interval = coordinator.update_interval
        assert interval is not None
        await tick(hass, freezer, interval.total_seconds() + 0.5, simulator)
    raise AssertionError("the polls never showed the change")


async def tick_until(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: DepotFinityCoordinator,
    done: Callable[[], bool],
    simulator: SimulatorServer | None = None,
    max_ticks: int = 60,
) -> None:
    """Let the coordinator poll, one request per tick, until ``done()`` holds."""
    await poll_until(hass, freezer, simulator, coordinator, done, max_ticks=max_ticks)


async def read_statuses(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: DepotFinityCoordinator,
    *connectors: tuple[str, int],
    simulator: SimulatorServer | None = None,
) -> None:
    """Read connectors' statuses now (every connector when none is named)."""
    since = dt_util.utcnow()
    wanted = connectors or tuple(
        (charger_id, number)
        for charger_id, charger in coordinator.data.chargers.items()
        for number in charger.connectors
    )
    for charger_id, number in wanted:
        coordinator.planner.mark_due(Job(JobKind.CONNECTOR_STATUS, charger_id, number), 0)

    def read() -> bool:
        for charger_id, number in wanted:
            connector = coordinator.data.connector(charger_id, number)
            assert connector is not None
            if connector.status_fetched_at is None or connector.status_fetched_at <= since:
                return False
        return True

    await tick_until(hass, freezer, coordinator, read, simulator)


def entry_with_chargers(entry: MockConfigEntry, names: Mapping[str, str]) -> MockConfigEntry:
    """A copy of an entry (same account and options) holding just the given chargers.

    ``names`` maps charger IDs to their names; each charger has connectors 1 and 2.
    """
    return MockConfigEntry(
        domain=entry.domain,
        title=entry.title,
        unique_id=entry.unique_id,
        data=dict(entry.data),
        options=dict(entry.options),
        subentries_data=[
            {
                "data": {CONF_CHARGER_ID: cid, CONF_CONNECTORS: [1, 2], CONF_NAME: name},
                "subentry_id": f"sub_{cid}",
                "subentry_type": SUBENTRY_CHARGER,
                "title": name,
                "unique_id": cid,
            }
            for cid, name in names.items()
        ],
    )


def add_charger_subentry(
    hass: HomeAssistant, entry: MockConfigEntry, charger_id: str, name: str
) -> None:
    """Add a charger (connector 1 only) to a running entry, as its subentry flow would."""
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data=MappingProxyType(
                {CONF_CHARGER_ID: charger_id, CONF_CONNECTORS: [1], CONF_NAME: name}
            ),
            subentry_type=SUBENTRY_CHARGER,
            title=name,
            unique_id=charger_id,
        ),
    )


def add_with_secret(hass: HomeAssistant, entry: MockConfigEntry, secret: str) -> None:
    """Add an entry to Home Assistant with another client secret than it was made with."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_CLIENT_SECRET: secret})


def voice_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """Fixture body for the voice tests' entry: CH-01 is "Bay 3", CH-02 goes by its ID."""
    return entry_with_chargers(mock_config_entry, {"CH-01": "Bay 3", "CH-02": "CH-02"})


async def voice_coordinator(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
) -> DepotFinityCoordinator:
    """Fixture body for the voice tests: the entry with Assist's intents, fleet reported.

    Returns once every charger and connector has reported its status.
    """
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "intent", {})
    coordinator: DepotFinityCoordinator = init_integration.runtime_data.coordinator

    def reported() -> bool:
        return all(
            charger.availability is not None
            and charger.connectivity is not None
            and all(c.status is not None for c in charger.connectors.values())
            for charger in coordinator.data.chargers.values()
        )

    await poll_until(hass, freezer, simulator, coordinator, reported, max_ticks=300)
    return coordinator


async def ask(
    hass: HomeAssistant, intent_type: str, language: str | None = None, **slots: Any
) -> intent.IntentResponse:
    """Handle an intent as a conversation agent would (in ``language``, default English)."""
    return await intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
        assistant=conversation.DOMAIN,
        language=language,
    )


def speech(response: intent.IntentResponse) -> str:
    """The plain-text answer of an intent response."""
    text: str = response.speech["plain"]["speech"]
    return text


def mock_charging_actions(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """Record calls of the charging actions instead of running them."""
    return {
        name: async_mock_service(hass, DOMAIN, name)
        for name in ("start_charging", "stop_charging", "reserve_connector")
    }


def charger_device(hass: HomeAssistant, charger_id: str) -> str:
    """The device id of a charger of the (first) DepotFinity entry."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{entry.unique_id}_{charger_id}"), entry.entry_id
    )
    assert device is not None
    return device.id


#: Whether the simulator runs documented-only: 429 and 503 answers carry no ``Retry-After``.
DOCUMENTED = mode_from_env()


def expected_wait(told: float, documented: float | tuple[float, float]) -> Any:
    """The back-off a test should see after a fault the simulator answers ``Retry-After: told``.

    In documented-only mode no ``Retry-After`` is sent and the client backs off by itself:
    ``documented`` seconds where that is fixed (30, 60, then 90 s over consecutive 503s; 300 s
    after a 429 with the window empty or just started), else a ``(low, high)`` range for
    ``==`` (after a 429, until our oldest request of the window leaves it).
    """
    if not DOCUMENTED:
        return told
    if isinstance(documented, tuple):
        low, high = documented
        return pytest.approx((low + high) / 2, abs=(high - low) / 2)
    return documented


def service_fault(
    simulator: SimulatorServer, fault: str | None, method: str = "authenticate"
) -> AbstractContextManager[Any]:
    """Make the service fail: "429" (30 s), "503" (maintenance, 90 s), "down" or "bug"."""
    if fault == "429":
        simulator.sim.faults.queue("429", count=5, retry_after=30)
    elif fault == "503":
        simulator.sim.faults.maintenance(duration=90)
    elif fault is not None:
        error = DepotFinityConnectionError("refused") if fault == "down" else RuntimeError("bug")
        return patch.object(DepotFinityClient, method, side_effect=error)
    return nullcontext()


@contextmanager
def held_calls(target: object, method: str) -> Iterator[asyncio.Event]:
    """Hold every call of ``target.method`` until the yielded event is set, then make it."""
    release = asyncio.Event()
    call = getattr(target, method)

    async def held(*args: Any, **kwargs: Any) -> Any:
        await release.wait()
        return await call(*args, **kwargs)

    with patch.object(target, method, side_effect=held):
        yield release


def retry_placeholders(fault: str | None) -> dict[str, str]:
    """The placeholders a form shows with a fault's error (no Retry-After: our own back-off)."""
    waits = {"429": expected_wait(30, 300), "503": expected_wait(90, 30)}
    return {"retry_after": str(waits[fault])} if fault in waits else {}
