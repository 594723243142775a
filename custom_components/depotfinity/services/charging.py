"""Charging actions: start, stop, any remote command, force a charger to reconnect."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import config_validation as cv
import probatio

from custom_components.depotfinity.api import CommandResult
from custom_components.depotfinity.validation import (
    check_id,
    check_id_tag,
    invalid,
    is_valid_command_type,
)

from .common import ATTR_ID_TAG, CONNECTOR_FIELDS, Action
from .targets import charger_target, connector_target

ATTR_COMMAND_TYPE: Final = "command_type"
ATTR_ID_TAG_TYPE: Final = "id_tag_type"
ATTR_PAYLOAD: Final = "payload"

# Body keys the action sets itself; a payload may not override them.
RESERVED_PAYLOAD_KEYS: Final = frozenset({"connectorId", "idTag", "idTagType"})

START_CHARGING_SCHEMA: Final = probatio.Schema(
    {**CONNECTOR_FIELDS, probatio.Optional(ATTR_ID_TAG): cv.string}
)
STOP_CHARGING_SCHEMA: Final = probatio.Schema(CONNECTOR_FIELDS)
SEND_REMOTE_COMMAND_SCHEMA: Final = probatio.Schema(
    {
        **CONNECTOR_FIELDS,
        probatio.Required(ATTR_COMMAND_TYPE): cv.string,
        probatio.Optional(ATTR_ID_TAG): cv.string,
        probatio.Optional(ATTR_ID_TAG_TYPE): cv.string,
        probatio.Optional(ATTR_PAYLOAD): dict,
    }
)
FORCE_RECONNECT_SCHEMA: Final = probatio.Schema({probatio.Required(ATTR_DEVICE_ID): cv.string})


def command_response(result: CommandResult) -> dict[str, Any]:
    """A command result as action response data."""
    return {
        "command_type": result.command_type,
        "status": result.status,
        "message": result.message,
    }


async def start_charging(call: ServiceCall) -> ServiceResponse:
    """Start a session with the given idTag or the configured one."""
    target = connector_target(call)
    id_tag = check_id_tag(call.data.get(ATTR_ID_TAG))
    result = await target.entry.runtime_data.commands.start_charging(
        target.charger_id, target.connector_id, id_tag
    )
    return command_response(result)


async def stop_charging(call: ServiceCall) -> ServiceResponse:
    """Stop the session on a connector."""
    target = connector_target(call)
    result = await target.entry.runtime_data.commands.stop_charging(
        target.charger_id, target.connector_id
    )
    return command_response(result)


async def send_remote_command(call: ServiceCall) -> ServiceResponse:
    """Send any remote command type, with an optional payload."""
    target = connector_target(call)
    command_type: str = call.data[ATTR_COMMAND_TYPE]
    if not is_valid_command_type(command_type):
        raise invalid("invalid_command_type")
    payload: dict[str, Any] = call.data.get(ATTR_PAYLOAD) or {}
    if reserved := sorted(RESERVED_PAYLOAD_KEYS & payload.keys()):
        raise invalid("payload_reserved_key", keys=", ".join(reserved))
    id_tag_type: str | None = call.data.get(ATTR_ID_TAG_TYPE)
    if id_tag_type is not None:
        check_id(id_tag_type, ATTR_ID_TAG_TYPE)
    result = await target.entry.runtime_data.commands.send_remote_command(
        target.charger_id,
        command_type,
        target.connector_id,
        id_tag=check_id_tag(call.data.get(ATTR_ID_TAG)),
        id_tag_type=id_tag_type,
        extra=payload,
    )
    return command_response(result)


async def force_reconnect(call: ServiceCall) -> None:
    """Drop a charger's backend connection."""
    entry, charger_id = charger_target(call)
    await entry.runtime_data.commands.force_reconnect(charger_id)


ACTIONS: Final = {
    "start_charging": Action(start_charging, START_CHARGING_SCHEMA, SupportsResponse.OPTIONAL),
    "stop_charging": Action(stop_charging, STOP_CHARGING_SCHEMA, SupportsResponse.OPTIONAL),
    "send_remote_command": Action(
        send_remote_command, SEND_REMOTE_COMMAND_SCHEMA, SupportsResponse.OPTIONAL
    ),
    "force_reconnect": Action(force_reconnect, FORCE_RECONNECT_SCHEMA),
}
