"""Query parameters of the list endpoints, and the result of reading every transaction page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from . import const
from .parsing import format_datetime

if TYPE_CHECKING:
    from datetime import datetime

    from .models import Transaction


class TransactionFilters(TypedDict, total=False):
    """Filters of ``GET /v2/transactions`` (every key optional)."""

    charger_id: str | None
    connector_id: int | None
    vehicle_id: str | None
    #: Start and end of the time window (``from``/``to``); what they apply to: ``filter_by``.
    start: datetime | None
    end: datetime | None
    #: A :class:`.const.TransactionFilterBy` (default ``StartAt``; always sent, spec §4.23).
    filter_by: str
    #: A :class:`.const.TransactionOrderBy` (default ``StartAt``).
    order_by: str
    #: ``asc`` or ``desc`` (default).
    order: str


def window_params(start: datetime | None, end: datetime | None) -> dict[str, str]:
    """Return the ``from``/``to`` query parameters of a time window (absent ends left out)."""
    params: dict[str, str] = {}
    if start is not None:
        params["from"] = format_datetime(start)
    if end is not None:
        params["to"] = format_datetime(end)
    return params


def transaction_params(filters: TransactionFilters) -> dict[str, str]:
    """Return the query parameters of ``GET /v2/transactions`` for ``filters`` (no paging)."""
    params = {
        "filterBy": str(filters.get("filter_by", const.TransactionFilterBy.START_AT)),
        "orderBy": str(filters.get("order_by", const.TransactionOrderBy.START_AT)),
        "order": filters.get("order", "desc"),
    }
    for key, value in (
        ("chargerId", filters.get("charger_id")),
        ("connectorId", filters.get("connector_id")),
        ("vehicleId", filters.get("vehicle_id")),
    ):
        if value is not None:
            params[key] = str(value)
    params.update(window_params(filters.get("start"), filters.get("end")))
    return params


@dataclass(frozen=True, slots=True)
class TransactionPages:
    """Every transaction of the pages read by ``get_all_transactions``.

    ``complete`` is ``False`` when the page cap was reached on a full page: more transactions
    may exist beyond ``pages``.
    """

    items: tuple[Transaction, ...]
    pages: int
    complete: bool
