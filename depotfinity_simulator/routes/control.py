"""Force Termination, Remote Commands and Charger Control (groups, external power limits)."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from depotfinity_simulator.errors import INVALID_PAYLOAD, ApiError, InvalidPayloadError
from depotfinity_simulator.model import PowerLimitWindow
from depotfinity_simulator.operations import (
    COMMANDS,
    START,
    remote_start,
    remote_stop,
    set_power_limits,
)

from .common import get_sim, non_empty_string, number, object_list, read_object, timestamp

routes = web.RouteTableDef()

UNITS: Final = {"W": 1.0, "kW": 1000.0}
#: Only ``W`` is documented (the documented-only mode accepts nothing else).
DOCUMENTED_UNITS: Final = {"W": 1.0}
MAX_ID_TAG: Final = 20
MAX_WINDOWS: Final = 500


@routes.put(
    "/v1/chargerControl/{chargerId}/forceTerminateConnection",
    name="force_termination:terminate",
)
async def force_terminate(request: web.Request) -> web.Response:
    """Drop the charger's connection; it reports not connected until it reconnects."""
    sim = get_sim(request)
    sim.force_terminate(request.match_info["chargerId"])
    return web.json_response({"code": 200, "message": "Charger Accepted."})


def _command_error(status: int, command: str, result: str, message: str) -> ApiError:
    return ApiError(
        status, {"commandType": command, "response": {"status": result, "message": message}}
    )


async def _command_body(request: web.Request, command: str) -> tuple[int, str | None]:
    """Validate a remote-command body; return (connectorId, idTag)."""
    if command not in COMMANDS:
        raise InvalidPayloadError
    body = await read_object(request)
    connector_id = body.get("connectorId")
    if isinstance(connector_id, bool) or not isinstance(connector_id, int):
        raise InvalidPayloadError
    id_tag = body.get("idTag")
    if command == START or id_tag is not None:
        id_tag = non_empty_string(id_tag, max_length=MAX_ID_TAG)
    if "idTagType" in body:
        non_empty_string(body["idTagType"])
    return connector_id, id_tag


@routes.post(
    "/v1/chargerControl/chargers/{chargerId}/remoteCommands/{remoteCommandType}",
    name="remote_commands:send",
)
async def remote_command(request: web.Request) -> web.Response:
    """Start or stop a charging session."""
    sim = get_sim(request)
    now = sim.catch_up()
    command = request.match_info["remoteCommandType"]
    charger = sim.state.chargers.get(request.match_info["chargerId"])
    if charger is None:
        raise _command_error(404, command, "Rejected", "Operation denied: Charger not found.")
    try:
        connector_id, id_tag = await _command_body(request, command)
    except InvalidPayloadError as err:
        raise _command_error(400, command, "", INVALID_PAYLOAD) from err
    conn = charger.connectors.get(connector_id)
    if conn is None:
        raise _command_error(404, command, "Rejected", "Operation denied: Connector not found.")
    if command == START:
        assert isinstance(id_tag, str)
        accepted = remote_start(sim.state, charger, conn, id_tag, now)
        what = "Start"
    else:
        accepted = remote_stop(sim.state, charger, conn, now)
        what = "Stop"
    if not accepted:
        raise _command_error(400, command, "Rejected", "Operation denied: Rejected by the charger.")
    return web.json_response(
        {
            "commandType": command,
            "response": {
                "status": "Accepted",
                "message": f"Operation successful: {what} charging request has been accepted.",
            },
        }
    )


@routes.get("/v1/chargerControl/chargerGroups", name="charger_control:groups")
async def charger_groups(request: web.Request) -> web.Response:
    """Return the charger groups."""
    sim = get_sim(request)
    return web.json_response(
        [
            {"chargerGroupId": g.group_id, "name": g.name, "chargerIds": list(g.charger_ids)}
            for g in sim.state.groups.values()
        ]
    )


def _windows(raw: object, factor: float) -> list[PowerLimitWindow]:
    windows = []
    for entry in object_list(raw, MAX_WINDOWS):
        start = timestamp(entry.get("fromDate"))
        end = timestamp(entry.get("toDate"))
        limit = number(entry.get("externalPowerLimit"), minimum=0.0)
        if end <= start:
            raise InvalidPayloadError
        windows.append(PowerLimitWindow(start=start, end=end, limit_w=limit * factor))
    return windows


@routes.put(
    "/v1/chargerControl/chargerGroups/{chargerGroupId}/externalPowerLimits",
    name="charger_control:power_limits",
)
async def external_power_limits(request: web.Request) -> web.Response:
    """Replace a group's external power-limit schedule."""
    sim = get_sim(request)
    group = sim.state.groups.get(request.match_info["chargerGroupId"])
    if group is None:
        raise ApiError(404, {"message": "Charger group not found."})
    body = await read_object(request)
    source = body.get("source")
    if source is not None:
        source = non_empty_string(source)
    units = DOCUMENTED_UNITS if sim.config.documented_only else UNITS
    unit = body.get("externalPowerRateUnit", "W")
    if unit not in units:
        raise InvalidPayloadError
    windows = _windows(body.get("dynamicPowerLimit"), units[unit])
    set_power_limits(group, source=source, unit=unit, windows=windows)
    sim.catch_up()
    return web.json_response({"message": "External power limit has been updated successfully."})
