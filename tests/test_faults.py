"""Faults the integration survives: odd answers, lapsed packages, refused access, reloads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.depotfinity.api import (
    ApiGroup,
    DepotFinityAccessError,
    DepotFinityConnectionError,
)
from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import PACKAGES, SimulatorServer

from .helpers import ID_TAG, held_calls, poll_until, poll_until_idle, setup_and_poll, tick

pytestmark = pytest.mark.usefixtures("start_time")

STATUS_1 = "sensor.ch_01_connector_1_status"
STATUS_2 = "sensor.ch_01_connector_2_status"
OTHER_CHARGER = "sensor.ch_02_availability"
ENERGY = "sensor.ch_01_connector_1_energy"
NUMBER = "number.group_1_power_limit"
STATUS_1_JOB = Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)


@pytest.fixture
def coordinator(polled_coordinator: DepotFinityCoordinator) -> DepotFinityCoordinator:
    """Here the set-up entry's coordinator comes once every planned poll ran."""
    return polled_coordinator


def _disabled(coordinator: DepotFinityCoordinator, api: ApiGroup) -> Callable[[], bool]:
    """Whether the coordinator has switched an API off."""
    return lambda: api in coordinator.health.disabled_apis


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the energy register
async def test_unreadable_answer_affects_only_its_connector(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """A junk answer about one connector: that connector is unavailable, nothing else."""
    simulator.sim.faults.queue(
        "malformed", count=50, path_prefix="/v1/chargerStatus/chargers/CH-01/connectors/1"
    )

    def unavailable() -> bool:
        return hass.states.get(STATUS_1).state == STATE_UNAVAILABLE

    await poll_until(hass, freezer, simulator, coordinator, unavailable, STATUS_1_JOB)
    assert coordinator.last_update_success
    assert hass.states.get(STATUS_2).state != STATE_UNAVAILABLE
    assert hass.states.get(OTHER_CHARGER).state != STATE_UNAVAILABLE
    # Its meter comes from another API: still shown.
    assert hass.states.get(ENERGY).state != STATE_UNAVAILABLE

    simulator.sim.faults.clear()
    await poll_until(hass, freezer, simulator, coordinator, lambda: not unavailable(), STATUS_1_JOB)


async def test_connection_error_keeps_the_last_values(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """One lost connection is a passing failure: no entity turns unavailable."""
    before = hass.states.get(STATUS_1).state
    with patch.object(
        coordinator.client,
        "get_connector_status",
        side_effect=DepotFinityConnectionError("connection reset"),
    ):
        coordinator.planner.mark_due(STATUS_1_JOB, 0)
        await tick(hass, freezer, 4)
    assert coordinator.last_update_success
    assert hass.states.get(STATUS_1).state == before


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the energy register
async def test_lapsed_subscription_turns_entities_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    issue_registry: ir.IssueRegistry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every API answers 403: no entity shows an old value as live; the repair is raised."""
    assert hass.states.get(STATUS_1).state != STATE_UNAVAILABLE
    monkeypatch.setitem(PACKAGES, "lapsed", frozenset())
    simulator.sim.package = "lapsed"
    switched_off = _disabled(coordinator, ApiGroup.CHARGER_STATUS)
    await poll_until(hass, freezer, simulator, coordinator, switched_off, STATUS_1_JOB)
    assert hass.states.get(STATUS_1).state == STATE_UNAVAILABLE
    assert hass.states.get(OTHER_CHARGER).state == STATE_UNAVAILABLE
    # Nothing read is current without the status API: meters neither.
    assert hass.states.get(ENERGY).state == STATE_UNAVAILABLE
    issues = [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert any(i.translation_key == "package_not_subscribed" for i in issues)

    # Renewed: back within minutes, not with a 6-hour check.
    simulator.sim.package = "premium"
    for _ in range(40):
        await tick(hass, freezer, 10, simulator)
    assert not coordinator.health.disabled_apis
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get(STATUS_1).state != STATE_UNAVAILABLE


async def test_access_refused_by_one_api_is_no_reauthentication(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    coordinator: DepotFinityCoordinator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 401 a fresh token does not cure: that API is off (logged once), no reload loop."""
    with patch.object(
        coordinator.client,
        "get_time_series",
        side_effect=DepotFinityAccessError("401 from time series"),
    ):
        simulator.sim.plug_in("CH-01", 1)
        switched_off = _disabled(coordinator, ApiGroup.TIME_SERIES)
        await poll_until(hass, freezer, simulator, coordinator, switched_off, STATUS_1_JOB)
        for _ in range(20):
            await tick(hass, freezer, 30, simulator)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert mock_config_entry.runtime_data.coordinator is coordinator  # never reloaded
    assert not hass.config_entries.flow.async_progress()  # no reauthentication
    assert caplog.text.count("is not in the subscribed package") == 1
    assert hass.states.get(STATUS_1).state != STATE_UNAVAILABLE


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the energy register
async def test_energy_never_goes_backwards_across_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    coordinator: DepotFinityCoordinator,
) -> None:
    """After a reload the energy shows at once and a low reading is no fake reset."""
    before = float(hass.states.get(ENERGY).state)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert float(hass.states.get(ENERGY).state) == before
    coordinator = mock_config_entry.runtime_data.coordinator
    connector = coordinator.data.connector("CH-01", 1)
    assert connector is not None
    assert not connector.energy.update(0.0, dt_util.utcnow())
    await poll_until_idle(hass, freezer, coordinator)
    assert float(hass.states.get(ENERGY).state) >= before


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the energy register
async def test_energy_is_restored_after_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The register shown before a restart is the floor after it: no drop to a glitch."""
    register = simulator.sim.state.chargers["CH-01"].connectors[1].energy_wh
    shown = register + 5000  # the last reading before the restart was higher
    mock_restore_cache_with_extra_data(
        hass,
        (
            (
                State(ENERGY, str(shown)),
                {"native_value": shown, "native_unit_of_measurement": "Wh"},
            ),
        ),
    )
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry, id_tag=ID_TAG)
    assert float(hass.states.get(ENERGY).state) == pytest.approx(shown / 1000)
    connector = coordinator.data.connector("CH-01", 1)
    assert connector is not None
    assert connector.energy.rejected >= 1  # the lower reading was refused


@pytest.mark.usefixtures("polled_coordinator")
async def test_power_limit_set_during_a_reload_is_shown(
    hass: HomeAssistant, simulator: SimulatorServer, mock_config_entry: MockConfigEntry
) -> None:
    """A limit whose answer arrives while the entry reloads is shown after the reload."""
    commands = mock_config_entry.runtime_data.commands
    group_id = simulator.sim.group_ids[0]
    with held_calls(commands.client, "set_external_power_limit") as release:
        setting = hass.async_create_task(commands.set_power_limit(group_id, 120))
        await asyncio.sleep(0)
        reload = hass.async_create_task(
            hass.config_entries.async_reload(mock_config_entry.entry_id)
        )
        await asyncio.sleep(0)
        release.set()
        await setting
        assert await reload
    await hass.async_block_till_done()
    assert float(hass.states.get(NUMBER).state) == 120


async def test_an_unknown_enum_value_is_reported_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A status the documentation does not list: one log line, and it is in the diagnostics."""
    simulator.sim.set_status_override("CH-01", 1, "Hibernating")

    def logged() -> bool:
        return "Hibernating" in caplog.text

    await poll_until(hass, freezer, simulator, coordinator, logged, STATUS_1_JOB)
    for _ in range(2):  # the same answer again: no second line
        await poll_until_idle(hass, freezer, coordinator)
    assert caplog.text.count("Hibernating") == 1
    assert hass.states.get(STATUS_1).state != STATE_UNAVAILABLE  # tolerated, not a crash
    surprises = coordinator.client.api_surprises()
    assert {"kind", "field", "value"} <= set(surprises[0])
    assert any(s.get("value") == "Hibernating" for s in surprises)
