from __future__ import annotations
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from custom_components.depotfinity.const import *
from depotfinity_simulator import SimulatorServer
from .helpers import setup_entry, tick

pytestmark = pytest.mark.usefixtures("start_time")

async def test_idle(hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: SimulatorServer, mock_config_entry) -> None:
    coord = await setup_entry(hass, mock_config_entry)
    for i in range(200):
        await tick(hass, freezer, coord.update_interval.total_seconds() + 0.5)
        d = coord.depot
        if all(c.availability and c.connectivity and all(x.status for x in c.connectors.values()) for c in d.chargers.values()):
            break
    print("ticks", i)
    for c in d.chargers.values():
        print(c.charger_id, c.name, c.availability, c.connected, [(x.connector_id, x.status.status if x.status else None, x.power_w) for x in c.connectors.values()])
