"""Constants for the DepotFinity integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

from homeassistant.const import Platform

DOMAIN: Final = "depotfinity"
LOGGER = logging.getLogger(__package__)

PLATFORMS: Final = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]

# Config entry data
CONF_CLIENT_ID: Final = "client_id"
CONF_CLIENT_SECRET: Final = "client_secret"  # noqa: S105 - a config key, not a secret
CONF_REGION: Final = "region"
CONF_API_URL: Final = "api_url"
CONF_AUTH_URL: Final = "auth_url"
REGION_CUSTOM: Final = "custom"
REGIONS: Final = ["eu", REGION_CUSTOM]
DEFAULT_REGION: Final = "eu"

# Subentries: one per charger, one per charger group
SUBENTRY_CHARGER: Final = "charger"
SUBENTRY_GROUP: Final = "charger_group"
CONF_CHARGER_ID: Final = "charger_id"
CONF_CONNECTORS: Final = "connectors"
CONF_GROUP_ID: Final = "group_id"
CONF_NAME: Final = "name"
# Sites (Virtual Power Plant): one subentry per site whose energy prices are read.
SUBENTRY_SITE: Final = "site"
CONF_SITE_ID: Final = "site_id"
# The chargers a site feeds (empty: every charger).
CONF_SITE_CHARGERS: Final = "chargers"
# The depot: its name (the entry's title) and the area its devices go to.
CONF_AREA: Final = "area"
DEFAULT_DEPOT_NAME: Final = "Depot"

# Options
CONF_ID_TAG: Final = "id_tag"
# Percentage of the request budget this Home Assistant may use (other systems on
# the same public IP share the service's per-IP limit).
CONF_BUDGET_SHARE: Final = "budget_share"
DEFAULT_BUDGET_SHARE: Final = 100
REDUCED_BUDGET_SHARE: Final = 50
# Whether calendar events name a session's vehicle in full (masked by default).
CONF_SHOW_VEHICLE_ID: Final = "show_vehicle_id"
# Currency of the sites' energy prices (DepotFinity's prices name none); default:
# Home Assistant's currency.
CONF_CURRENCY: Final = "currency"

# How far back the config flow looks for chargers in the fleet's transactions.
DISCOVERY_WINDOW: Final = timedelta(days=30)

# The service answers 503 during maintenance for about 90 s (documented). Entities
# keep their last data for this long before they turn unavailable.
MAINTENANCE_GRACE: Final = timedelta(seconds=120)

# Rate limit of the service (documented): 100 requests per 5 minutes per client IP.
RATE_LIMIT_REQUESTS: Final = 100
RATE_LIMIT_WINDOW: Final = 300.0
# Share of the budget kept free for remote commands and other writes.
COMMAND_RESERVE: Final = 5
# Consecutive rate-limited polls after which a repair issue is raised.
RATE_LIMIT_REPAIR_AFTER: Final = 3

# Connector ids are small integers (OCPP convention).
MAX_CONNECTORS: Final = 8

# Identifier prefix for the depot (hub) device of an entry.
HUB_IDENTIFIER: Final = "depot"

# Commands (user actions) -----------------------------------------------------------

# The same command asked for again while it runs, or this soon after it returned,
# gets the first one's outcome instead of a second request (a double toggle).
COMMAND_DEDUPE_WINDOW: Final = 1.0
# A switch shows the state it was set to until a status poll after the command
# confirms it, or for at most this long.
OPTIMISTIC_TIMEOUT: Final = timedelta(seconds=30)
# How long a power limit set from the number entity (or the action without an
# end) applies; DepotFinity falls back to the group's own limit afterwards.
POWER_LIMIT_DURATION: Final = timedelta(hours=24)
# Upper bound of a group power limit, kW (a large bus depot).
MAX_POWER_LIMIT_KW: Final = 2000.0
