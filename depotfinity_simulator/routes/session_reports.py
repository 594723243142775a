"""Session Reports API: ``GET /v1/sessionReports`` (HPC chargers with legacy CCBox only)."""

from __future__ import annotations

from aiohttp import web

from depotfinity_simulator.errors import InvalidPayloadError
from depotfinity_simulator.reports import session_report

from .common import get_sim, parse_int, query_window

routes = web.RouteTableDef()
MAX_LIMIT = 2000
DEFAULT_LIMIT = "10"
#: The published default page size (documented-only mode).
DOCUMENTED_LIMIT = "3"


@routes.get("/v1/sessionReports", name="session_reports:list")
async def list_session_reports(request: web.Request) -> web.Response:
    """Return the session reports of one connector, newest first."""
    sim = get_sim(request)
    now = sim.catch_up()
    query = request.query
    charger_id = query.get("chargerId")
    if not charger_id:
        raise InvalidPayloadError
    connector_id = parse_int(query.get("connectorId"))
    page = parse_int(query.get("page", "1"))
    default_limit = DOCUMENTED_LIMIT if sim.config.documented_only else DEFAULT_LIMIT
    limit = parse_int(query.get("limit", default_limit), maximum=MAX_LIMIT)
    start, end = query_window(request, float("-inf"), float("inf"))
    charger, _conn = sim.connector(charger_id, connector_id)
    body: dict[str, object] = {"ChargerID": charger_id, "ConnectorID": str(connector_id)}
    if not charger.hpc:
        body["items"] = []
        return web.json_response(body)
    txs = sorted(
        (
            tx
            for tx in sim.state.transactions.values()
            if tx.charger_id == charger_id
            and tx.connector_id == connector_id
            and start <= tx.start <= end
        ),
        key=lambda tx: tx.transaction_id,
        reverse=True,
    )
    first = (page - 1) * limit
    body["items"] = [session_report(tx, now) for tx in txs[first : first + limit]]
    return web.json_response(body)
