"""Hourly energy statistics in the recorder: per connector, with no hole, never twice."""

from __future__ import annotations

from collections.abc import Sequence
import dataclasses
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.models import StatisticMeanType
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    list_statistic_ids,
    statistics_during_period,
)
from homeassistant.components.sensor import ATTR_STATE_CLASS
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import RecorderInstanceContextManager

from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.energy_statistics import statistic_id
from custom_components.depotfinity.jobs import Job, JobKind
from custom_components.depotfinity.pace import TRANSACTIONS_PERIOD
from depotfinity_simulator import SimulatorConfig, SimulatorServer

from .conftest import CLIENT_ID, START
from .entries import depot_entry
from .helpers import poll_until_idle, setup_integration

pytestmark = pytest.mark.usefixtures("start_time")

# Ticks stay on the simulator's 10 s step grid: its depot then evolves the same
# whatever the requests, so two simulators with one seed stay twins.
STEP = 20
CONNECTORS = (("CH-01", 1), ("CH-01", 2), ("CH-02", 1), ("CH-02", 2))
TWIN_CONNECTORS = CONNECTORS[:2]
HOUR = timedelta(hours=1)


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: RecorderInstanceContextManager) -> None:
    """The recorder's database is prepared before Home Assistant starts."""


@pytest.fixture
def simulator_config(simulator_config: SimulatorConfig) -> SimulatorConfig:
    """The small depot, with vehicles arriving now and then all day long."""
    return dataclasses.replace(simulator_config, arrival_rate_per_hour=0.3)


async def _advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    servers: Sequence[SimulatorServer],
    seconds: int,
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    for server in servers:
        server.clock.advance(seconds)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _imported_until(
    entry: MockConfigEntry, moment: datetime | None, *keys: tuple[str, int]
) -> bool:
    """Whether the entry's connectors imported the hours up to ``moment`` (None: any)."""
    coordinator: DepotFinityCoordinator = entry.runtime_data.coordinator
    statistics = coordinator.poller.statistics
    return all(
        (until := statistics.imported_until(*key)) is not None
        and (moment is None or until >= moment)
        for key in keys or coordinator.data.connector_keys()
    )


def _next_read_in(entries: Sequence[MockConfigEntry], moment: datetime | None) -> float:
    """Seconds until the next statistics read of a connector still to import."""
    waits = [
        entry.runtime_data.coordinator.planner.due_in(Job(JobKind.STATISTICS, *key)) or 0.0
        for entry in entries
        for key in entry.runtime_data.coordinator.data.connector_keys()
        if not _imported_until(entry, moment, key)
    ]
    return min(waits, default=0.0)


async def _poll_until_imported(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    servers: Sequence[SimulatorServer],
    entries: Sequence[MockConfigEntry],
    moment: datetime | None,
) -> None:
    for _ in range(400):
        if all(_imported_until(entry, moment) for entry in entries):
            return
        # Skip to the next read still to come (the reads spread over 20 minutes).
        skip = int(_next_read_in(entries, moment)) // STEP * STEP
        await _advance(hass, freezer, servers, max(skip, STEP))
    pytest.fail(f"the hours up to {moment} were never imported")


async def _run_hours(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    servers: Sequence[SimulatorServer],
    entries: Sequence[MockConfigEntry],
    hours: int,
) -> None:
    """Poll until every entry imported its first hours; then let ``hours`` hours pass.

    After each hour the entries poll until they imported it; most of the hour
    passes in one jump (the import does not need the status polls).
    """
    await _poll_until_imported(hass, freezer, servers, entries, None)
    for _ in range(hours):
        now = dt_util.utcnow()
        hour_end = now.replace(minute=0, second=0, microsecond=0) + HOUR
        await _advance(hass, freezer, servers, int((hour_end - now).total_seconds()))
        await _poll_until_imported(hass, freezer, servers, entries, hour_end)


async def _hours(hass: HomeAssistant, stat_id: str) -> list[dict[str, Any]]:
    """Every hourly row of a statistic: start, change, register (state) and sum."""
    await async_wait_recording_done(hass)
    rows = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        START - timedelta(days=2),
        None,
        {stat_id},
        "hour",
        None,
        {"change", "state", "sum"},
    )
    return [
        {key: row.get(key) for key in ("start", "change", "state", "sum")}
        for row in rows.get(stat_id, [])
    ]


def _register(server: SimulatorServer, charger_id: str, connector_id: int, at: datetime) -> float:
    """The register the simulator sampled at ``at``, as its API reports it (Wh, 1 decimal)."""
    charger = server.sim.charger(charger_id)
    index = list(charger.connectors).index(connector_id)
    (sample,) = [s for s in charger.samples if s.time == at.timestamp()]
    return round(sample.connectors[index].energy_wh, 1)


def _plug_in_empty_vehicles(server: SimulatorServer, *connectors: tuple[str, int]) -> None:
    """A nearly empty, large vehicle on each connector (one still there leaves first)."""
    for charger_id, connector_id in connectors:
        _charger, connector = server.sim.connector(charger_id, connector_id)
        if connector.vehicle is not None:
            server.sim.unplug(charger_id, connector_id)
        server.sim.plug_in(
            charger_id, connector_id, soc=5.0, target_soc=100.0, capacity_wh=600_000.0
        )


async def test_hourly_energy_statistics_per_connector(
    hass: HomeAssistant,
    recorder_mock: Recorder,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Each connector's energy is in the hour it was delivered, in one statistic per connector."""
    await setup_integration(hass, mock_config_entry)
    simulator.sim.plug_in("CH-01", 1)
    await _run_hours(hass, freezer, [simulator], [mock_config_entry], 3)

    ids = {statistic_id(CLIENT_ID, *key) for key in CONNECTORS}
    listed = await get_instance(hass).async_add_executor_job(list_statistic_ids, hass, None, "sum")
    energy = [item for item in listed if item["unit_class"] == "energy"]
    # One statistic per connector, and no other one (the sensors have no state class).
    assert {item["statistic_id"] for item in energy} == ids
    meta = next(i for i in energy if i["statistic_id"] == statistic_id(CLIENT_ID, "CH-01", 1))
    assert meta["name"] == "CH-01 Connector 1 Energy"
    assert meta["source"] == "depotfinity"
    assert meta["statistics_unit_of_measurement"] == "Wh"
    # The register's sensor is off by default, and has no state class either way.
    register = er.async_get(hass).async_get("sensor.ch_01_connector_1_energy")
    assert register is not None
    assert register.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert ATTR_STATE_CLASS not in (register.capabilities or {})

    for key in CONNECTORS:
        hours = await _hours(hass, statistic_id(CLIENT_ID, *key))
        # The previous day's hours the service still had, then each hour since: no hole.
        starts = [dt_util.utc_from_timestamp(hour["start"]) for hour in hours]
        assert starts[0] == START - timedelta(hours=23)
        assert starts == [starts[0] + n * HOUR for n in range(len(starts))]
        assert starts[-1] == START + 2 * HOUR
        for hour, start in zip(hours, starts, strict=True):
            delivered = _register(simulator, *key, start + HOUR) - _register(simulator, *key, start)
            assert hour["change"] == pytest.approx(delivered, abs=1e-6), (key, start)
            assert hour["state"] == _register(simulator, *key, start + HOUR)
    charged = await _hours(hass, statistic_id(CLIENT_ID, "CH-01", 1))
    assert sum(hour["change"] for hour in charged[-3:]) > 100_000  # a session ran


async def test_a_downtime_gives_the_same_hours_as_an_uninterrupted_run(
    hass: HomeAssistant,
    recorder_mock: Recorder,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    simulator_config: SimulatorConfig,
) -> None:
    """Home Assistant down for 3 hours mid-day: the same hourly totals as without the gap.

    Two twin simulators (one seed, other accounts) run side by side; the entry of
    the second is stopped for three hours while its simulator runs on, then
    started again and catches up.
    """
    twin_config = dataclasses.replace(simulator_config, client_id="twin-client")
    async with SimulatorServer(twin_config) as twin:
        servers = (simulator, twin)
        steady, downtime = (
            depot_entry(server, ["CH-01"], unique_id=account, title=account)
            for server, account in ((simulator, CLIENT_ID), (twin, "twin-client"))
        )
        for entry in (steady, downtime):
            await setup_integration(hass, entry)
        await _run_hours(hass, freezer, servers, (steady, downtime), 3)
        for server in servers:
            _plug_in_empty_vehicles(server, ("CH-01", 1), ("CH-01", 2))
        await _run_hours(hass, freezer, servers, (steady, downtime), 1)

        # Home Assistant stops for three hours (at 12:...); the depot goes on.
        assert await hass.config_entries.async_unload(downtime.entry_id)
        await _run_hours(hass, freezer, servers, (steady,), 3)
        await setup_integration(hass, downtime)
        await _run_hours(hass, freezer, servers, (steady, downtime), 17)

        # The twins stayed twins: their meters agree.
        moment = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
        for key in TWIN_CONNECTORS:
            assert _register(simulator, *key, moment) == _register(twin, *key, moment)

    day_end = (START + 24 * HOUR).timestamp()
    for key in TWIN_CONNECTORS:
        expected = await _hours(hass, statistic_id(CLIENT_ID, *key))
        after_downtime = await _hours(hass, statistic_id("twin-client", *key))
        # Every row alike: the hour's energy, the register and the sum.
        assert [h for h in after_downtime if h["start"] < day_end] == [
            h for h in expected if h["start"] < day_end
        ], key
        # The previous day's hours the service still had, then a day without a hole.
        starts = [h["start"] for h in expected]
        assert starts[:47] == [starts[0] + n * 3600 for n in range(47)]
        assert starts[46] == day_end - 3600
    # Energy flowed during the downtime, so a missing or doubled hour would show.
    charged = await _hours(hass, statistic_id(CLIENT_ID, "CH-01", 1))
    down = [
        h["change"]
        for h in charged
        if START + 4 * HOUR <= dt_util.utc_from_timestamp(h["start"]) < START + 7 * HOUR
    ]
    assert len(down) == 3
    assert min(down) > 10_000


async def test_a_failed_read_only_delays_the_hour(
    hass: HomeAssistant,
    recorder_mock: Recorder,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A maintenance window and 429s when the hour is read: the hour follows, once."""
    await setup_integration(hass, mock_config_entry)
    simulator.sim.plug_in("CH-02", 2)
    await _run_hours(hass, freezer, [simulator], [mock_config_entry], 1)
    # From 09:58 every request fails for 15 minutes, then the next time-series reads
    # are refused (429): the reads of the hour 09:00-10:00 fail at first.
    now = dt_util.utcnow()
    assert now < START + 2 * HOUR - timedelta(minutes=2)
    await _advance(hass, freezer, [simulator], int((START + 2 * HOUR - now).total_seconds()) - 120)
    simulator.sim.faults.maintenance(900)
    simulator.sim.faults.queue("429", count=6, retry_after=60, path_prefix="/v1/timeSeries")
    await _run_hours(hass, freezer, [simulator], [mock_config_entry], 1)
    assert simulator.sim.stats.responses_503 > 0
    assert not simulator.sim.faults.queued  # the 429s were all answered

    hours = await _hours(hass, statistic_id(CLIENT_ID, "CH-02", 2))
    starts = [dt_util.utc_from_timestamp(hour["start"]) for hour in hours]
    assert starts == [starts[0] + n * HOUR for n in range(len(starts))]
    assert starts[-1] == START + HOUR
    for hour, start in zip(hours, starts, strict=True):
        delivered = _register(simulator, "CH-02", 2, start + HOUR) - _register(
            simulator, "CH-02", 2, start
        )
        assert hour["change"] == pytest.approx(delivered, abs=1e-6)
    assert hours[-1]["change"] > 50_000  # the session's hour


async def test_no_recorder_no_reads(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Without the recorder the statistics reads are not planned (they would cost ticks)."""
    coordinator = await setup_integration(hass, mock_config_entry)
    await poll_until_idle(hass, freezer, coordinator)
    job = Job(JobKind.STATISTICS, "CH-01", 1)
    assert coordinator.planner.due_in(job) is None
    assert coordinator.poller.statistics.imported_until("CH-01", 1) is None
    # Nor are they counted in the budget: only the transactions read has a fixed period.
    assert coordinator.planner.fixed_rate == pytest.approx(1 / TRANSACTIONS_PERIOD)


async def test_more_than_a_day_down_is_caught_up_read_by_read(
    hass: HomeAssistant,
    recorder_mock: Recorder,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """30 hours down: a read covers at most a day, the next one follows minutes later."""
    await setup_integration(hass, mock_config_entry)
    simulator.sim.plug_in("CH-01", 2)
    await _run_hours(hass, freezer, [simulator], [mock_config_entry], 1)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    now = dt_util.utcnow()
    await _advance(hass, freezer, [simulator], 30 * 3600 - now.minute * 60 - now.second)
    await setup_integration(hass, mock_config_entry)
    await _poll_until_imported(hass, freezer, [simulator], [mock_config_entry], START + 31 * HOUR)

    hours = await _hours(hass, statistic_id(CLIENT_ID, "CH-01", 2))
    starts = [dt_util.utc_from_timestamp(hour["start"]) for hour in hours]
    assert starts == [starts[0] + n * HOUR for n in range(len(starts))]
    assert starts[-1] == START + 30 * HOUR
    for hour, start in zip(hours[-30:], starts[-30:], strict=True):
        delivered = _register(simulator, "CH-01", 2, start + HOUR) - _register(
            simulator, "CH-01", 2, start
        )
        assert hour["change"] == pytest.approx(delivered, abs=1e-6)


async def test_a_connector_without_samples_waits_for_the_next_hour(
    hass: HomeAssistant,
    recorder_mock: Recorder,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """No sample at all: nothing is imported; the next read comes after the next hour."""
    coordinator = await setup_integration(hass, mock_config_entry)
    await _advance(hass, freezer, [simulator], 30 * 60)
    job = Job(JobKind.STATISTICS, "CH-01", 1)
    with patch.object(coordinator.client, "get_time_series", AsyncMock(return_value=[])):
        await coordinator.poller.statistics.run(job)
    assert coordinator.poller.statistics.imported_until("CH-01", 1) is None
    # 08:30 now: the next read at 09:05, the first connector's slot.
    assert coordinator.planner.due_in(job) == 35 * 60
    # Nor while the recorder upgrades its database: then it tries again in 5 minutes.
    with (
        patch(
            "custom_components.depotfinity.energy_statistics.async_migration_in_progress",
            return_value=True,
        ),
        patch.object(coordinator.client, "get_time_series", AsyncMock()) as read,
    ):
        await coordinator.poller.statistics.run(job)
    read.assert_not_called()
    assert coordinator.planner.due_in(job) == 5 * 60
    # A charger that is not configured (any more) is not read.
    with patch.object(coordinator.client, "get_time_series", AsyncMock()) as read:
        await coordinator.poller.statistics.run(Job(JobKind.STATISTICS, "CH-09", 1))
    read.assert_not_called()


async def test_a_stored_hour_without_register_starts_from_the_samples(
    hass: HomeAssistant,
    recorder_mock: Recorder,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A last row without a register (not written by us) is no place to continue from."""
    stat_id = statistic_id(CLIENT_ID, "CH-01", 1)
    async_add_external_statistics(
        hass,
        {
            "mean_type": StatisticMeanType.NONE,
            "has_sum": True,
            "name": None,
            "source": "depotfinity",
            "statistic_id": stat_id,
            "unit_class": "energy",
            "unit_of_measurement": "Wh",
        },
        [{"start": START - 3 * HOUR, "sum": 5.0}],
    )
    await async_wait_recording_done(hass)
    await setup_integration(hass, mock_config_entry)
    await _run_hours(hass, freezer, [simulator], [mock_config_entry], 0)
    hours = await _hours(hass, stat_id)
    # The day's hours the service had, imported afresh over the foreign row.
    assert dt_util.utc_from_timestamp(hours[0]["start"]) == START - 23 * HOUR
    assert hours[-1]["start"] == (START - HOUR).timestamp()
