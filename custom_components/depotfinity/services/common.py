"""What the action modules share: field names, common schema fields, the action record."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import config_validation as cv
import probatio

ATTR_CONNECTOR_ID: Final = "connector_id"
ATTR_ID_TAG: Final = "id_tag"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_RFID_TAG: Final = "rfid_tag"
ATTR_PAGE: Final = "page"
ATTR_LIMIT: Final = "limit"

# A connector device, or a charger device and a connector number.
CONNECTOR_FIELDS: Final = {
    probatio.Required(ATTR_DEVICE_ID): cv.string,
    probatio.Optional(ATTR_CONNECTOR_ID): probatio.Coerce(int),
}
# An account action names its config entry.
ENTRY_FIELDS: Final = {probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string}

type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]


@dataclass(frozen=True, slots=True)
class Action:
    """An action's handler, schema, response support and whether only admins may call it."""

    handler: Handler
    schema: probatio.Schema
    supports_response: SupportsResponse = SupportsResponse.NONE
    admin: bool = False


def iso_time(value: datetime | None) -> str | None:
    """A time for a response."""
    return None if value is None else value.isoformat()
