"""Admin API under ``/_admin/`` for demos and tests (no auth, not rate-limited, not counted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from depotfinity_simulator.config import PACKAGES
from depotfinity_simulator.errors import ApiError, InvalidPayloadError

from .common import get_sim, number, parse_int, read_object

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from depotfinity_simulator.depot import DepotSimulator

    #: An admin action: applies the JSON object body to the simulator.
    type Action = Callable[[DepotSimulator, dict[str, Any]], None]

routes = web.RouteTableDef()
OK: dict[str, Any] = {"ok": True}


def _admin_errors(
    handler: Callable[[web.Request], Awaitable[web.Response]],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Map ``ValueError`` (bad ids, bad states, bad values) to 400."""

    async def wrapped(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except ApiError:
            raise
        except ValueError as err:
            raise ApiError(400, {"message": str(err)}) from err

    wrapped.__doc__ = handler.__doc__
    return wrapped


def _action(path: str, name: str) -> Callable[[Action], Action]:
    """Serve ``action(sim, body)`` as ``POST path`` (JSON object body, answer ``{"ok": true}``)."""

    def register(action: Action) -> Action:
        async def handler(request: web.Request) -> web.Response:
            sim = get_sim(request)
            action(sim, await read_object(request))
            return web.json_response(OK)

        handler.__doc__ = action.__doc__
        routes.post(path, name=name)(_admin_errors(handler))
        return action

    return register


def _string(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise InvalidPayloadError
    return value


def _optional_int(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPayloadError
    return value


def _optional_string(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidPayloadError
    return value


def _required_int(body: dict[str, Any], key: str) -> int:
    value = _optional_int(body, key)
    if value is None:
        raise InvalidPayloadError
    return value


def _connector(body: dict[str, Any]) -> tuple[str, int]:
    """Return the ``charger_id`` and ``connector_id`` of the body (both required)."""
    return _string(body, "charger_id"), _required_int(body, "connector_id")


def _charger_or_connector(body: dict[str, Any]) -> tuple[str, int | None]:
    """Return the ``charger_id`` and the optional ``connector_id`` of the body."""
    return _string(body, "charger_id"), _optional_int(body, "connector_id")


def _optional_number(body: dict[str, Any], key: str) -> float | None:
    value = body.get(key)
    return None if value is None else number(value, minimum=0.0)


@routes.get("/_admin/state", name="admin:state")
async def state(request: web.Request) -> web.Response:
    """Return a snapshot of the depot."""
    return web.json_response(get_sim(request).snapshot())


@routes.get("/_admin/stats", name="admin:stats")
async def stats(request: web.Request) -> web.Response:
    """Return the request counters."""
    return web.json_response(get_sim(request).stats.as_dict())


@routes.post("/_admin/reset", name="admin:reset")
async def reset(request: web.Request) -> web.Response:
    """Rebuild the depot from its configuration."""
    get_sim(request).reset()
    return web.json_response(OK)


@routes.post("/_admin/clock/advance", name="admin:advance")
@_admin_errors
async def advance(request: web.Request) -> web.Response:
    """Advance the virtual clock by ``seconds``."""
    sim = get_sim(request)
    body = await read_object(request)
    sim.clock.advance(number(body.get("seconds"), minimum=0.0))
    return web.json_response({"ok": True, "time": sim.clock.now().isoformat()})


@_action("/_admin/faults", "admin:inject_fault")
def inject_fault(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Fault a charger or one of its connectors."""
    sim.inject_fault(
        *_charger_or_connector(body),
        error_code=body.get("error_code") or "GroundFailure",
        vendor_error_code=body.get("vendor_error_code") or "E42",
        duration=_optional_number(body, "duration"),
    )


@routes.delete("/_admin/faults/{charger_id}", name="admin:clear_fault")
@_admin_errors
async def clear_fault(request: web.Request) -> web.Response:
    """Clear the faults of a charger (or of ``?connector_id=``)."""
    sim = get_sim(request)
    raw = request.query.get("connector_id")
    sim.clear_fault(request.match_info["charger_id"], None if raw is None else parse_int(raw))
    return web.json_response(OK)


@_action("/_admin/http-faults", "admin:http_faults")
def http_faults(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Queue HTTP faults for the next API requests."""
    sim.faults.queue(
        kind=_string(body, "kind"),
        count=_optional_int(body, "count") or 1,
        path_prefix=_optional_string(body, "path_prefix"),
        retry_after=_optional_int(body, "retry_after") or 1,
    )


@_action("/_admin/maintenance", "admin:maintenance")
def maintenance(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Open a maintenance window of ``duration`` virtual seconds (default 90)."""
    duration = _optional_number(body, "duration")
    sim.faults.maintenance(90.0 if duration is None else duration)


@_action("/_admin/latency", "admin:latency")
def latency(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Add ``seconds`` of real latency to each API request."""
    sim.faults.latency = number(body.get("seconds"), minimum=0.0)


@_action("/_admin/package", "admin:package")
def package(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Switch the subscription package (basic, advanced or premium)."""
    name = _string(body, "package")
    if name not in PACKAGES:
        raise ValueError(f"package must be one of {', '.join(PACKAGES)}")
    sim.package = name


@_action("/_admin/plug-in", "admin:plug_in")
def plug_in(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Plug a vehicle into a connector (optional ``soc``, ``target_soc``, ``id_tag``)."""
    sim.plug_in(
        *_connector(body),
        soc=_optional_number(body, "soc"),
        target_soc=_optional_number(body, "target_soc"),
        id_tag=_optional_string(body, "id_tag"),
    )


@_action("/_admin/unplug", "admin:unplug")
def unplug(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Unplug the vehicle from a connector."""
    sim.unplug(*_connector(body))


@_action("/_admin/status-override", "admin:status_override")
def status_override(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Report a verbatim status for a charger or connector (``status: null`` removes it)."""
    sim.set_status_override(*_charger_or_connector(body), status=_optional_string(body, "status"))


@_action("/_admin/charger-enabled", "admin:charger_enabled")
def charger_enabled(sim: DepotSimulator, body: dict[str, Any]) -> None:
    """Enable or disable a charger (``enabled``: true/false)."""
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        raise InvalidPayloadError
    sim.set_charger_enabled(_string(body, "charger_id"), enabled)
