"""Time Series API for a charger and for one of its connectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from depotfinity_simulator.errors import InvalidPayloadError
from depotfinity_simulator.series import CONNECTOR_MEASURANDS, MEASURANDS, query

from .common import connector_param, get_sim, query_window

if TYPE_CHECKING:
    from depotfinity_simulator.model import Charger

routes = web.RouteTableDef()
BASE = "/v1/timeSeries/chargers/{chargerId}"
DAY = 86_400.0
#: The last millisecond of a day is the end of the previous-day window (bounds are inclusive).
LAST_MS = 0.001


def default_window(now: float, *, documented_only: bool) -> tuple[float, float]:
    """Return the window used without ``from``/``to``.

    Default mode: the last 24 hours. Documented-only mode: the previous calendar day (UTC),
    which is what the documentation says is returned.
    """
    if not documented_only:
        return now - DAY, now
    midnight = now - now % DAY
    return midnight - DAY, midnight - LAST_MS


def _series(
    request: web.Request,
    charger: Charger,
    connector_index: int | None,
    allowed: dict[str, tuple[str, ...]],
    now: float,
) -> web.Response:
    measurand = request.query.get("measurand")
    phase = request.query.get("phase")
    if measurand not in allowed:
        raise InvalidPayloadError
    if phase is not None and phase not in allowed[measurand]:
        raise InvalidPayloadError
    if "from" in request.query or "to" in request.query:
        start, end = query_window(request, now - DAY, now)
    else:
        documented_only = get_sim(request).config.documented_only
        start, end = default_window(now, documented_only=documented_only)
    items = query(
        charger.samples,
        connector_index=connector_index,
        measurand=measurand,
        phase=phase,
        start=start,
        end=end,
    )
    return web.json_response({"items": items})


@routes.get(BASE, name="time_series:charger")
async def charger_series(request: web.Request) -> web.Response:
    """Return a charger-level measurand (see ``default_window`` without from/to)."""
    sim = get_sim(request)
    now = sim.catch_up()
    charger = sim.charger(request.match_info["chargerId"])
    return _series(request, charger, None, MEASURANDS, now)


@routes.get(f"{BASE}/connectors/{{connectorId}}", name="time_series:connector")
async def connector_series(request: web.Request) -> web.Response:
    """Return a connector-level measurand (the charger set plus ``SoC``)."""
    sim = get_sim(request)
    now = sim.catch_up()
    charger = sim.charger(request.match_info["chargerId"])
    _charger, conn = sim.connector(charger.charger_id, connector_param(request))
    index = list(charger.connectors).index(conn.connector_id)
    return _series(request, charger, index, CONNECTOR_MEASURANDS, now)
