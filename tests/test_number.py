"""Group power-limit numbers against the simulator, kept across restarts."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.number import (
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.depotfinity.const import POWER_LIMIT_DURATION
from custom_components.depotfinity.coordinator import DepotFinityCoordinator
from custom_components.depotfinity.data import PowerLimit
from depotfinity_simulator import SimulatorServer

from .conftest import START, SnapshotEntities
from .helpers import ID_TAG, setup_integration, tick

pytestmark = pytest.mark.usefixtures("start_time")

NUMBER = "number.group_1_power_limit"


async def _restart_with_limit(
    hass: HomeAssistant, entry: MockConfigEntry, value: float, ends_in: timedelta
) -> str:
    """Set the entry up as after a restart; the limit shown before it was ``value`` kW.

    That limit ends ``ends_in`` after now; returns its end as the entity showed it.
    """
    until = (START + ends_in).isoformat()
    restored = {
        "native_max_value": 2000.0,
        "native_min_value": 0.0,
        "native_step": 1.0,
        "native_unit_of_measurement": "kW",
        "native_value": value,
    }
    mock_restore_cache_with_extra_data(
        hass, ((State(NUMBER, str(value), {"until": until}), restored),)
    )
    await setup_integration(hass, entry, id_tag=ID_TAG)
    return until


async def _set(hass: HomeAssistant, value: float) -> None:
    await hass.services.async_call(
        NUMBER_DOMAIN, SERVICE_SET_VALUE, {ATTR_ENTITY_ID: NUMBER, ATTR_VALUE: value}, blocking=True
    )


async def test_set_limit_for_a_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    coordinator: DepotFinityCoordinator,
) -> None:
    """The limit goes out in W for 24 hours from now, and shows until it lapses."""
    await _set(hass, 150)
    group = simulator.sim.snapshot()["charger_groups"][0]
    assert group["activeLimitW"] == 150_000
    assert group["schedule"] == [
        {
            "fromDate": "2026-11-02T08:00:00.000Z",
            "toDate": "2026-11-03T08:00:00.000Z",
            "externalPowerLimitW": 150_000,
        }
    ]
    state = hass.states.get(NUMBER)
    assert float(state.state) == 150
    assert state.attributes["until"] == (START + POWER_LIMIT_DURATION).isoformat()
    assert coordinator.data.groups[group["chargerGroupId"]].power_limit == PowerLimit(
        150_000, START + POWER_LIMIT_DURATION
    )

    await tick(hass, freezer, POWER_LIMIT_DURATION.total_seconds() + 1)
    assert hass.states.get(NUMBER).state == STATE_UNKNOWN


@pytest.mark.usefixtures("init_integration")
async def test_refused_limit_stays_unknown(hass: HomeAssistant, simulator: SimulatorServer) -> None:
    """Without the Charger Control package the error names it; nothing is shown as set."""
    simulator.sim.package = "advanced"
    with pytest.raises(HomeAssistantError, match="Charger Control API is not in your") as err:
        await _set(hass, 100)
    assert err.value.translation_key == "package_missing"
    assert hass.states.get(NUMBER).state == STATE_UNKNOWN


async def test_restores_a_limit_that_still_applies(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """After a restart the last limit set shows again, nothing is sent."""
    until = await _restart_with_limit(hass, mock_config_entry, 120.0, timedelta(hours=5))
    state = hass.states.get(NUMBER)
    assert float(state.state) == 120
    assert state.attributes["until"] == until
    assert simulator.sim.snapshot()["charger_groups"][0]["schedule"] == []


async def test_does_not_restore_a_lapsed_limit(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """A limit whose window ended while Home Assistant was down is unknown."""
    await _restart_with_limit(hass, mock_config_entry, 120.0, -timedelta(minutes=1))
    assert hass.states.get(NUMBER).state == STATE_UNKNOWN


async def test_numbers(snapshot_entities: SnapshotEntities) -> None:
    """One power limit per group, unknown until set (DepotFinity cannot report it)."""
    await snapshot_entities(Platform.NUMBER, id_tag=ID_TAG, settle=None)
