"""Sensors: snapshot of every sensor, fleet summary, energy that never goes backwards."""

from __future__ import annotations

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from depotfinity_simulator import SimulatorServer

from .helpers import poll_until_idle, setup_entry


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "start_time")
async def test_sensors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor once the first sweep is done."""
    with patch("custom_components.depotfinity.PLATFORMS", [Platform.SENSOR]):
        coordinator = await setup_entry(hass, mock_config_entry)
        await poll_until_idle(hass, freezer, coordinator)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)
