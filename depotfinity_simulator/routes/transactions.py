"""Transactions API: ``GET /v2/transactions`` and ``GET /v2/transactions/{transactionId}``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from aiohttp import web

from depotfinity_simulator.errors import InvalidPayloadError, NotFoundError
from depotfinity_simulator.snapshot import transaction_json

from .common import get_sim, parse_int, timestamp

if TYPE_CHECKING:
    from collections.abc import Callable

    from depotfinity_simulator.model import Transaction

routes = web.RouteTableDef()

ORDER_BY: Final = ("TransactionID", "StartAt", "EndAt")
ORDERS: Final = ("asc", "desc")
FILTER_BY: Final = ("StartAt", "EndAt", "InsertedAt", "Overlapping")
MAX_LIMIT: Final = 1000


def _choice(value: str | None, allowed: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value not in allowed:
        raise InvalidPayloadError
    return value


def _window_filter(
    filter_by: str, start: float | None, end: float | None, now: float
) -> Callable[[Transaction], bool]:
    low = float("-inf") if start is None else start
    high = float("inf") if end is None else end

    def matches(tx: Transaction) -> bool:
        if filter_by == "EndAt":
            return tx.end is not None and low <= tx.end <= high
        if filter_by == "Overlapping":
            return tx.start <= high and (now if tx.end is None else tx.end) >= low
        # StartAt, and InsertedAt (a record is written when its session starts)
        return low <= tx.start <= high

    return matches


@routes.get("/v2/transactions", name="transactions:list")
async def list_transactions(request: web.Request) -> web.Response:
    """Return a page of transactions (a bare JSON array)."""
    sim = get_sim(request)
    now = sim.catch_up()
    query = request.query
    page = parse_int(query.get("page", "1"))
    limit = parse_int(query.get("limit", "100"), maximum=MAX_LIMIT)
    order_by = _choice(query.get("orderBy"), ORDER_BY, "TransactionID")
    order = _choice(query.get("order"), ORDERS, "desc")
    filter_by = _choice(query.get("filterBy"), FILTER_BY, "InsertedAt")
    start = timestamp(query["from"]) if "from" in query else None
    end = timestamp(query["to"]) if "to" in query else None
    if start is not None and end is not None and start > end:
        raise InvalidPayloadError
    charger_id = query.get("chargerId")
    connector_id = parse_int(query["connectorId"]) if "connectorId" in query else None
    vehicle_id = query.get("vehicleId")
    tx_id = parse_int(query["transactionId"]) if "transactionId" in query else None
    in_window = _window_filter(filter_by, start, end, now)
    selected = [
        tx
        for tx in sim.state.transactions.values()
        if (charger_id is None or tx.charger_id == charger_id)
        and (connector_id is None or tx.connector_id == connector_id)
        and (vehicle_id is None or tx.vehicle_id == vehicle_id)
        and (tx_id is None or tx.transaction_id == tx_id)
        and ((start is None and end is None) or in_window(tx))
    ]

    def key(tx: Transaction) -> tuple[float, int]:
        if order_by == "StartAt":
            return tx.start, tx.transaction_id
        if order_by == "EndAt":
            return (float("inf") if tx.end is None else tx.end), tx.transaction_id
        return float(tx.transaction_id), tx.transaction_id

    selected.sort(key=key, reverse=order == "desc")
    first = (page - 1) * limit
    return web.json_response([transaction_json(tx) for tx in selected[first : first + limit]])


@routes.get("/v2/transactions/{transactionId}", name="transactions:get")
async def get_transaction(request: web.Request) -> web.Response:
    """Return one transaction by id."""
    sim = get_sim(request)
    tx = sim.state.transactions.get(parse_int(request.match_info["transactionId"]))
    if tx is None:
        raise NotFoundError("Transaction not found.")
    return web.json_response(transaction_json(tx))
