"""Diagnostics: a snapshot, and proof that no secret appears in it."""

from __future__ import annotations

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.depotfinity.const import CONF_BUDGET_SHARE, CONF_ID_TAG, DOMAIN
from depotfinity_simulator import SimulatorServer

from .conftest import CLIENT_SECRET
from .helpers import ID_TAG, setup_and_poll

pytestmark = pytest.mark.usefixtures("start_time")


async def test_entry_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Entry diagnostics hold the depot's state and no secret."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ID_TAG: ID_TAG, CONF_BUDGET_SHARE: 100}
    )
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    # The simulator's port changes between runs.
    assert diagnostics["entry"]["data"]["api_url"] == simulator.url
    assert diagnostics == snapshot(exclude=props("api_url", "auth_url"))
    text = json.dumps(diagnostics)
    secrets = (CLIENT_SECRET, ID_TAG, *simulator.sim.rfid_tags, *coordinator.client.auth.secrets)
    assert len(secrets) > 4
    for secret in secrets:
        assert secret not in text


@pytest.mark.usefixtures("polled_coordinator")
async def test_device_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A charger's (or connector's) diagnostics show that charger only."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "demo-client_CH-02"), mock_config_entry.entry_id
    )
    assert device is not None
    diagnostics = await get_diagnostics_for_device(hass, hass_client, mock_config_entry, device)
    assert diagnostics["charger"]["charger_id"] == "CH-02"
    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, "demo-client_depot"), mock_config_entry.entry_id
    )
    assert hub is not None
    diagnostics = await get_diagnostics_for_device(hass, hass_client, mock_config_entry, hub)
    assert diagnostics["chargers"] == ["CH-01", "CH-02"]
