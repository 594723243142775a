"""Coordinator behaviour: rate limits, maintenance grace, packages, chargers that vanish."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.api import ApiGroup
from custom_components.depotfinity.api.const import RATE_LIMIT_SAFETY_MARGIN, RATE_LIMIT_WINDOW
from custom_components.depotfinity.const import DOMAIN, MAINTENANCE_GRACE
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.jobs import Job, JobKind
from custom_components.depotfinity.repairs import package_issue_id
from depotfinity_simulator import PACKAGES, ApiGroup as SimApiGroup, SimulatorServer

from .conftest import CLIENT_ID, START
from .helpers import expected_wait, poll_until_idle, setup_and_poll, tick

pytestmark = pytest.mark.usefixtures("start_time")

STATUS = "sensor.ch_01_connector_1_status"
STATUS_JOB = Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)


@pytest.fixture
def coordinator(polled_coordinator: DepotFinityCoordinator) -> DepotFinityCoordinator:
    """Here the set-up entry's coordinator comes once every planned poll ran."""
    return polled_coordinator


def _since_setup() -> float:
    """Seconds since the integration was set up (its first request; the clock starts there)."""
    return (dt_util.utcnow() - START).total_seconds()


async def test_rate_limited_backs_off_as_told(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    coordinator: DepotFinityCoordinator,
    issue_registry: ir.IssueRegistry,
) -> None:
    """One 429 keeps the values and waits as told; a streak raises a repair issue.

    Without Retry-After (documented-only) the wait runs until our oldest request, sent at
    setup, leaves the window; that is longer than the grace, so the entities turn unavailable
    before the streak ends.
    """
    before = hass.states.get(STATUS).state
    simulator.sim.faults.queue("429", count=3, retry_after=30)
    coordinator.planner.mark_due(STATUS_JOB, 0)

    await tick(hass, freezer, 4)
    window_left = RATE_LIMIT_WINDOW + RATE_LIMIT_SAFETY_MARGIN - _since_setup()
    wait = expected_wait(30, window_left)
    grace = MAINTENANCE_GRACE.total_seconds()
    # A passing failure: the last values stay, and the next poll waits (at most the grace).
    assert coordinator.last_update_success
    assert hass.states.get(STATUS).state == before
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == pytest.approx(min(wait, grace), abs=1)
    requests = simulator.sim.stats.total_requests

    for _ in range(30):
        if simulator.sim.stats.responses_429 == 3:
            break
        await tick(hass, freezer, 31)
    # One request each time the back-off ended, none while it ran.
    assert simulator.sim.stats.responses_429 == 3
    assert simulator.sim.stats.total_requests == requests + 2
    issue_id = f"{mock_config_entry.entry_id}_rate_limited"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    assert hass.states.get(STATUS).state == (before if wait < grace else STATE_UNAVAILABLE)

    for _ in range(15):  # the next answer ends the streak
        await tick(hass, freezer, 31)
        if issue_registry.async_get_issue(DOMAIN, issue_id) is None:
            break
    assert coordinator.last_update_success
    assert hass.states.get(STATUS).state != STATE_UNAVAILABLE
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_rate_limited_past_the_grace_turns_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """429s that go on past the grace period make the entities unavailable, with the wait."""
    simulator.sim.faults.queue("429", count=10, retry_after=50)
    coordinator.planner.mark_due(STATUS_JOB, 0)
    for _ in range(4):
        await tick(hass, freezer, 51)
    assert not coordinator.last_update_success
    assert isinstance(coordinator.last_exception, UpdateFailed)
    # Without Retry-After: until our oldest request leaves the window, at most all of it.
    retry_after = coordinator.last_exception.retry_after
    assert retry_after == expected_wait(50, (0, RATE_LIMIT_WINDOW))
    assert retry_after == pytest.approx(coordinator.client.limiter.blocked_for(), abs=1)
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE


async def test_maintenance_keeps_last_data_for_grace(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A documented ~90 s maintenance passes without entities going unavailable."""
    before = hass.states.get(STATUS).state
    simulator.sim.faults.maintenance(duration=90)
    coordinator.planner.mark_due(STATUS_JOB, 0)
    for _ in range(30):
        await tick(hass, freezer, 4, simulator)
        assert hass.states.get(STATUS).state == before
    assert coordinator.last_update_success
    assert caplog.text.count("keeping the last data") == 1
    assert caplog.text.count("is available again") == 1


async def test_long_outage_turns_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """Past the grace period the entities go unavailable, then come back by themselves."""
    simulator.sim.faults.maintenance(duration=400)
    coordinator.planner.mark_due(STATUS_JOB, 0)
    for _ in range(35):
        await tick(hass, freezer, 4, simulator)
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE
    for _ in range(40):
        await tick(hass, freezer, 10, simulator)
    assert coordinator.last_update_success
    assert hass.states.get(STATUS).state != STATE_UNAVAILABLE


async def test_package_issue_for_forbidden_api(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    entity_registry: er.EntityRegistry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A forbidden API is switched off with one repair issue, and back on once allowed."""
    monkeypatch.setitem(PACKAGES, "no_time_series", PACKAGES["basic"] - {SimApiGroup.TIME_SERIES})
    simulator.sim.package = "no_time_series"
    # An energy register shown: its read finds the Time Series API forbidden.
    mock_config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "sensor", DOMAIN, f"{CLIENT_ID}_CH-01_1_energy", config_entry=mock_config_entry
    )
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    assert coordinator.last_update_success
    assert coordinator.health.disabled_apis == {ApiGroup.TIME_SERIES}
    assert not any(job.kind is JobKind.ENERGY for job in coordinator.planner.jobs)
    issue_id = f"{mock_config_entry.entry_id}_{package_issue_id(ApiGroup.TIME_SERIES)}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["api"] == "Time Series"
    assert len([i for i in issue_registry.issues.values() if i.domain == DOMAIN]) == 1

    simulator.sim.package = "premium"
    await tick(hass, freezer, 6 * 3600 + 1)
    await poll_until_idle(hass, freezer, coordinator)
    assert not coordinator.health.disabled_apis
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    # The register shown all along is read again.
    assert Job(JobKind.ENERGY, "CH-01", 1) in coordinator.planner.jobs


async def test_reservations_shown_come_back_with_their_package(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A reading an entity shows is read again once its API is allowed again."""
    simulator.sim.package = "basic"  # no reservations
    mock_config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "sensor", DOMAIN, f"{CLIENT_ID}_CH-01_1_next_reservation", config_entry=mock_config_entry
    )
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    reservations = Job(JobKind.RESERVATIONS, "CH-01", 1)
    assert coordinator.health.disabled_apis == {ApiGroup.RESERVATIONS}
    assert reservations not in coordinator.planner.jobs

    simulator.sim.package = "premium"
    await tick(hass, freezer, 6 * 3600 + 1)
    await poll_until_idle(hass, freezer, coordinator)
    assert not coordinator.health.disabled_apis
    assert reservations in coordinator.planner.jobs


async def test_unknown_charger_is_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A charger the service no longer knows shows unavailable, with one warning."""
    removed = simulator.sim.state.chargers.pop("CH-01")
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get("sensor.ch_01_availability").state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.ch_02_availability").state != STATE_UNAVAILABLE
    assert caplog.text.count("is not known to DepotFinity") == 1

    simulator.sim.state.chargers["CH-01"] = removed
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get("sensor.ch_01_availability").state == "available"
