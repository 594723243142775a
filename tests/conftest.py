"""Fixtures shared by the integration tests: a simulator on loopback and an entry for it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from datetime import UTC, datetime
import logging
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

# Import the integration before the hass fixture runs: the test plugin ships a
# custom_components package of its own.
import custom_components.depotfinity  # noqa: F401
from custom_components.depotfinity.commands import DepotFinityCommands
from custom_components.depotfinity.const import (
    DOMAIN,
)
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.data import SUMMARY_STATES
from depotfinity_simulator import SimulatorConfig, SimulatorServer
from depotfinity_simulator.config import mode_from_env

from .entries import depot_entry
from .helpers import ID_TAG, poll_until_idle, setup_integration

CLIENT_ID = "demo-client"
CLIENT_SECRET = "demo-secret"
# The simulated depot and Home Assistant share this start time, so snapshots
# are the same on every run.
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)

# The test plugin logs every SQL statement of the recorder at INFO; its thread
# writes past the tests' log capture, straight into the run's output.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/depotfinity."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
def simulator_config() -> SimulatorConfig:
    """A small deterministic depot: two chargers with two connectors, one group."""
    return SimulatorConfig(
        chargers=2,
        connectors=2,
        groups=1,
        seed=7,
        speed=0.0,
        start=START,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        documented_only=mode_from_env(),
    )


@pytest.fixture
def start_time(freezer: FrozenDateTimeFactory) -> datetime:
    """Home Assistant's clock, frozen at the simulator's start."""
    freezer.move_to(START)
    return START


@pytest.fixture
async def simulator(
    simulator_config: SimulatorConfig, socket_enabled: None
) -> AsyncGenerator[SimulatorServer]:
    """A DepotFinity simulator on a free loopback port.

    Sockets are enabled for it; the test plugin still refuses connections to any
    host but 127.0.0.1.
    """
    async with SimulatorServer(simulator_config) as server:
        yield server


@pytest.fixture
def configured_chargers(simulator: SimulatorServer) -> list[str]:
    """The chargers the entry holds (all of the simulator's by default)."""
    return list(simulator.sim.charger_ids)


@pytest.fixture
def mock_config_entry(
    simulator: SimulatorServer, configured_chargers: list[str]
) -> MockConfigEntry:
    """An entry for the simulator's account with its chargers and every group."""
    return depot_entry(
        simulator,
        configured_chargers,
        unique_id=CLIENT_ID,
        title=f"DepotFinity {CLIENT_ID}",
        groups=simulator.sim.group_ids,
    )


@pytest.fixture
def id_tag() -> str | None:
    """The idTag the entry's options hold for remote starts (None: no option)."""
    return ID_TAG


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    start_time: datetime,
    id_tag: str | None,
) -> MockConfigEntry:
    """The entry for the simulator, set up (its first refresh done)."""
    await setup_integration(hass, mock_config_entry, id_tag=id_tag)
    return mock_config_entry


@pytest.fixture
def commands(init_integration: MockConfigEntry) -> DepotFinityCommands:
    """The command sender of the set-up entry."""
    sender: DepotFinityCommands = init_integration.runtime_data.commands
    return sender


@pytest.fixture
def coordinator(init_integration: MockConfigEntry) -> DepotFinityCoordinator:
    """The set-up entry's coordinator (its first refresh done)."""
    coordinator: DepotFinityCoordinator = init_integration.runtime_data.coordinator
    return coordinator


@pytest.fixture
async def polled_coordinator(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, init_integration: MockConfigEntry
) -> DepotFinityCoordinator:
    """The set-up entry's coordinator once every poll it plans has run once."""
    coordinator: DepotFinityCoordinator = init_integration.runtime_data.coordinator
    await poll_until_idle(hass, freezer, coordinator)
    return coordinator


#: How a platform test lets the entry settle before its snapshot (None: not at all).
type Settle = Callable[
    [HomeAssistant, FrozenDateTimeFactory, DepotFinityCoordinator], Awaitable[object]
]
type SnapshotEntities = Callable[..., Awaitable[None]]


@pytest.fixture
def snapshot_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    start_time: datetime,
) -> SnapshotEntities:
    """Set the entry up with one platform, let it settle, and snapshot that platform.

    Call it as ``await snapshot_entities(platform, id_tag=..., settle=...)``; ``settle``
    defaults to letting every planned poll run once.
    """

    async def snapshot_platform_entities(
        platform: Platform, *, id_tag: str | None = None, settle: Settle | None = poll_until_idle
    ) -> None:
        with patch("custom_components.depotfinity.PLATFORMS", [platform]):
            coordinator = await setup_integration(hass, mock_config_entry, id_tag=id_tag)
            if settle is not None:
                await settle(hass, freezer, coordinator)
        await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)

    return snapshot_platform_entities


def _entity_truths(hass: HomeAssistant) -> list[str]:
    """What must hold for every loaded DepotFinity entry, whatever a test did to it.

    The four charger counts add up to the number of chargers; no entity has the
    battery device class; no two entities of one device share a name.
    """
    problems: list[str] = []
    registry = er.async_get(hass)
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        entities = er.async_entries_for_config_entry(registry, entry.entry_id)
        counts = [
            hass.states.get(e.entity_id)
            for e in entities
            if e.translation_key in {f"chargers_{s}" for s in SUMMARY_STATES}
        ]
        values = [s.state for s in counts if s is not None]
        if values and all(v.isdigit() for v in values):
            chargers = len(entry.runtime_data.coordinator.data.chargers)
            if sum(map(int, values)) != chargers:
                problems.append(f"counts {values} do not add up to {chargers} chargers")
        names: dict[tuple[str | None, str], str] = {}
        for e in entities:
            if (e.original_device_class or e.device_class) == "battery":
                problems.append(f"{e.entity_id} has the battery device class")
            key = (e.device_id, str(e.original_name or e.translation_key))
            if key in names:
                problems.append(f"{e.entity_id} and {names[key]} share a name on one device")
            names[key] = e.entity_id
    return problems


@pytest.fixture(autouse=True)
def entity_truths(hass: HomeAssistant) -> Generator[None]:
    """Checked after every test: the rules of `_entity_truths`."""
    yield
    assert not _entity_truths(hass)
