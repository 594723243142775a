"""The API client of an entry, built on Home Assistant's HTTP session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey
from yarl import URL

from .api import DepotFinityClient, TokenCache
from .api.const import API_URL_TEMPLATE
from .const import (
    CONF_API_URL,
    CONF_AUTH_URL,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_REGION,
    DEFAULT_REGION,
    DOMAIN,
    REGION_CUSTOM,
)
from .hosts import host_registry

# Every client of this Home Assistant shares its tokens (in memory only): a token
# request costs a slot of the request budget, and a reload, or the setup after the
# config flow's check, would otherwise ask for a new one while the last is valid.
TOKENS: HassKey[TokenCache] = HassKey(f"{DOMAIN}_tokens")


def api_host(data: Mapping[str, Any]) -> str:
    """The API host (and port) an entry talks to: its request budget is per host."""
    if data.get(CONF_REGION, DEFAULT_REGION) == REGION_CUSTOM:
        url = URL(data[CONF_API_URL])
    else:
        url = URL(API_URL_TEMPLATE.format(region=data.get(CONF_REGION, DEFAULT_REGION)))
    return url.host_port_subcomponent or str(url)


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> DepotFinityClient:
    """Build an API client; its requests count in its host's window (every entry's and flow's)."""
    region = data.get(CONF_REGION, DEFAULT_REGION)
    custom = region == REGION_CUSTOM
    return DepotFinityClient(
        async_get_clientsession(hass),
        data[CONF_CLIENT_ID],
        data[CONF_CLIENT_SECRET],
        region=DEFAULT_REGION if custom else region,
        api_url=data.get(CONF_API_URL) if custom else None,
        auth_url=data.get(CONF_AUTH_URL) if custom else None,
        limiter=host_registry(hass).limiter(api_host(data)),
        # The scheduler paces polls within the budget; a poll never waits for a
        # slot inside a refresh (the coordinator skips a tick instead).
        poll_max_wait=0.0,
        token_cache=hass.data.setdefault(TOKENS, TokenCache()),
    )
