"""LLM tools: the DepotFinity intents offered to conversation agents that use the Assist API."""

from __future__ import annotations

from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component
import probatio
import pytest

from custom_components.depotfinity import llm as depotfinity_llm
from custom_components.depotfinity.const import DOMAIN
from custom_components.depotfinity.intent import (
    INTENT_CHARGER_STATUS,
    INTENT_RESERVE_CONNECTOR,
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
)

from .helpers import voice_coordinator, voice_entry

pytestmark = pytest.mark.usefixtures("start_time", "coordinator")

mock_config_entry = pytest.fixture(voice_entry, name="mock_config_entry")
coordinator = pytest.fixture(voice_coordinator, name="coordinator")

INTENTS = (
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
    INTENT_CHARGER_STATUS,
    INTENT_RESERVE_CONNECTOR,
)
CONTEXT = llm.LLMContext(
    platform="test",
    context=Context(),
    language="en",
    assistant=conversation.DOMAIN,
    device_id=None,
)


async def test_intents_describe_themselves(hass: HomeAssistant) -> None:
    """Every intent has a description and slots, which an LLM sees as a tool."""
    handlers = {h.intent_type: h for h in intent.async_get(hass)}
    for intent_type in INTENTS:
        handler = handlers[intent_type]
        assert handler.description
        assert handler.platforms
        schema = probatio.to_openapi(
            probatio.Schema(handler.slot_schema), custom_serializer=llm.selector_serializer
        )
        assert schema["properties"]["charger"]["description"]
        assert "charger" in schema["required"]


async def tools(hass: HomeAssistant) -> dict[str, llm.Tool]:
    """The DepotFinity tools of the Assist API, by name."""
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, CONTEXT)
    return {tool.name: tool for tool in api.tools if tool.name.startswith(f"{DOMAIN}__")}


async def test_llm_tools_follow_exposure(hass: HomeAssistant) -> None:
    """The intents are LLM tools while entities they act through are exposed."""
    assert await async_setup_component(hass, "llm", {})
    for entity_id in hass.states.async_entity_ids():
        async_expose_entity(hass, conversation.DOMAIN, entity_id, False)
    assert await tools(hass) == {}
    assert depotfinity_llm.async_get_tools(hass, CONTEXT, "another_api") is None

    async_expose_entity(hass, conversation.DOMAIN, "sensor.bay_3_connector_1_status", True)
    status = f"{DOMAIN}__{INTENT_CHARGER_STATUS}"
    assert set(await tools(hass)) == {status}

    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, CONTEXT)
    result = await api.async_call_tool(
        llm.ToolInput(tool_name=status, tool_args={"charger": "Bay 3"})
    )
    assert isinstance(result, llm.ToolResult)
    assert result.data["speech"]["plain"]["speech"].startswith("Bay 3 is available")

    async_expose_entity(hass, conversation.DOMAIN, "switch.bay_3_connector_1_charging", True)
    assert set(await tools(hass)) == {f"{DOMAIN}__{intent_type}" for intent_type in INTENTS}
