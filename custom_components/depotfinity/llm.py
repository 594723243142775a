"""LLM tools: the DepotFinity intents, for conversation agents that use the Assist API.

A tool is offered while the user exposes DepotFinity entities of the kind it
acts through: the charging commands with a charging switch, the status with a
sensor. What is not exposed to Assist stays out of the LLM's reach.
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)

from .const import DOMAIN
from .intent import (
    INTENT_CHARGER_STATUS,
    INTENT_RESERVE_CONNECTOR,
    INTENT_START_CHARGING,
    INTENT_STOP_CHARGING,
)

# Commands reach the DepotFinity cloud and the chargers; the status is read from
# what Home Assistant already knows.
LLM_INTENTS: Final[dict[str, tuple[str, ToolAnnotations]]] = {
    INTENT_START_CHARGING: ("Start charging", ToolAnnotations(destructive=False)),
    INTENT_STOP_CHARGING: ("Stop charging", ToolAnnotations()),
    INTENT_RESERVE_CONNECTOR: ("Reserve a connector", ToolAnnotations(destructive=False)),
    INTENT_CHARGER_STATUS: (
        "Charger status",
        ToolAnnotations(read_only=True, destructive=False, idempotent=True, open_world=False),
    ),
}


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """Return a tool for each DepotFinity intent whose entities are exposed."""
    if api_id != LLM_API_ASSIST or not llm_context.assistant:
        return None
    registry = er.async_get(hass)
    exposed = {
        entity.domain
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if async_should_expose(hass, llm_context.assistant, entity.entity_id)
    }
    tools: list[Tool] = [
        IntentTool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=LLM_INTENTS[handler.intent_type][0],
            integration=DOMAIN,
            annotations=LLM_INTENTS[handler.intent_type][1],
        )
        for handler in intent.async_get(hass)
        if handler.intent_type in LLM_INTENTS and handler.platforms and handler.platforms & exposed
    ]
    return LLMTools(tools=tools) if tools else None
