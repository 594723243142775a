from __future__ import annotations
from typing import Any
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant, Context
from homeassistant.helpers import entity_registry as er, device_registry as dr, intent
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service
from custom_components.depotfinity.const import *
from depotfinity_simulator import SimulatorServer
from .conftest import entry_data, CLIENT_ID
from .helpers import setup_entry, poll_until_idle

pytestmark = pytest.mark.usefixtures("start_time")

async def test_names(hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: SimulatorServer,
                     entity_registry: er.EntityRegistry, device_registry: dr.DeviceRegistry) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="Depot", unique_id=CLIENT_ID, data=entry_data(simulator),
        subentries_data=[{"data": {CONF_CHARGER_ID: "CH-01", CONF_CONNECTORS: [1, 2], CONF_NAME: "Bay 3"},
          "subentry_id": "s1", "subentry_type": SUBENTRY_CHARGER, "title": "Bay 3", "unique_id": "CH-01"}])
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})
    coord = await setup_entry(hass, entry)
    from .helpers import tick
    for _ in range(10):
        await tick(hass, freezer, 10)
    for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        st = hass.states.get(e.entity_id)
        print(e.entity_id, "| friendly:", st.name if st else None, "| aliases:", intent.async_get_entity_aliases(hass, e, state=st) if st else None)
    sensor = "sensor.bay_3_connector_1_status"
    ent = entity_registry.async_get(sensor)
    dev = device_registry.async_get(ent.device_id)
    print("device", type(dev).__name__, dev.name, getattr(dev, "parent_device_id", None))
    # fake switch on connector device
    sw = entity_registry.async_get_or_create("switch", "test", "sw1", device_id=ent.device_id, has_entity_name=True, original_name="Charging")
    print("switch", sw.entity_id, er.async_get_full_entity_name(hass, sw))
    hass.states.async_set(sw.entity_id, "off", {"friendly_name": "Bay 3 Connector 1 Charging"})
    calls = async_mock_service(hass, "switch", "turn_on")
    async_expose_entity(hass, "conversation", sensor, True)
    for text in ["turn on Bay 3 connector 1 charging", "turn on Bay 3 Connector 1 Charging", "turn on connector 1 charging",
                 "what is Bay 3 connector 1 status", "what is the bay 3 connector 1 status"]:
        r = await conversation.async_converse(hass, text, None, Context(), None)
        print(repr(text), "->", r.response.response_type, r.response.speech, r.response.error_code)
    print(calls)

async def test_names2(hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: SimulatorServer,
                     entity_registry: er.EntityRegistry, device_registry: dr.DeviceRegistry, area_registry) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="Depot", unique_id=CLIENT_ID, data=entry_data(simulator),
        subentries_data=[{"data": {CONF_CHARGER_ID: "CH-01", CONF_CONNECTORS: [1, 2], CONF_NAME: "Bay 3"},
          "subentry_id": "s1", "subentry_type": SUBENTRY_CHARGER, "title": "Bay 3", "unique_id": "CH-01"}])
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})
    coord = await setup_entry(hass, entry)
    ent = entity_registry.async_get("binary_sensor.bay_3_connector_1_charging")
    conn = device_registry.async_get(ent.device_id)
    charger = device_registry.async_get(conn.parent_device_id)
    def names():
        e = entity_registry.async_get(ent.entity_id)
        return intent.async_get_entity_aliases(hass, e, state=hass.states.get(ent.entity_id)), hass.states.get(ent.entity_id).name
    print("base", names())
    area = area_registry.async_create("Yard")
    device_registry.async_update_device(charger.id, area_id=area.id); await hass.async_block_till_done()
    print("charger in area", names())
    device_registry.async_update_device(charger.id, area_id=None)
    device_registry.async_update_child_device(conn.id, area_id=area.id); await hass.async_block_till_done()
    print("connector in area", names())
    device_registry.async_update_child_device(conn.id, area_id=None)
    device_registry.async_update_device(charger.id, name_by_user="Bay Three"); await hass.async_block_till_done()
    print("charger renamed", names())
    device_registry.async_update_child_device(conn.id, name_by_user="Left plug"); await hass.async_block_till_done()
    print("connector renamed", names())
    entity_registry.async_update_entity(ent.entity_id, aliases=[er.COMPUTED_NAME, "bay three left charging"]); await hass.async_block_till_done()
    print("alias", names())
