"""Async client of the DepotFinity REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from . import const
from .base import endpoint
from .commands import CommandsMixin
from .const import ApiGroup
from .exceptions import DepotFinityResponseError
from .limiter import Priority
from .models import (
    ChargerGroup,
    Connectivity,
    PriceBlock,
    Reservation,
    StatusRecord,
    TimeSeriesPoint,
    Transaction,
)
from .parsing import dict_items, expect_items
from .queries import TransactionFilters, TransactionPages, transaction_params, window_params
from .reports import SessionReports

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from datetime import datetime


class DepotFinityClient(CommandsMixin):
    """Client of the DepotFinity API (one per set of credentials).

    Every request method takes ``priority``: reads default to :attr:`Priority.POLL`, commands and
    writes to :attr:`Priority.COMMAND`. Commands and writes are never retried once sent (except
    after a 401, which proves they did not run); reads are retried once on a connection error.
    """

    # ------------------------------------------------------------------ charger status

    async def get_charger_status(
        self, charger_id: str, *, priority: Priority = Priority.POLL
    ) -> StatusRecord:
        """Return the newest availability status of a charger."""
        path = endpoint(const.PATH_CHARGER_STATUS, charger_id=charger_id)
        body = await self._get(path, ApiGroup.CHARGER_STATUS, "chargerAvailability", priority)
        return StatusRecord.latest(body)

    async def get_connector_status(
        self, charger_id: str, connector_id: int, *, priority: Priority = Priority.POLL
    ) -> StatusRecord:
        """Return the newest availability status of a connector."""
        path = endpoint(
            const.PATH_CONNECTOR_STATUS, charger_id=charger_id, connector_id=connector_id
        )
        body = await self._get(path, ApiGroup.CHARGER_STATUS, "connectorAvailability", priority)
        return StatusRecord.latest(body)

    async def get_charger_connectivity(
        self, charger_id: str, *, priority: Priority = Priority.POLL
    ) -> Connectivity:
        """Return whether the charger is connected to the backend."""
        path = endpoint(const.PATH_CONNECTIVITY, charger_id=charger_id)
        body = await self._get(path, ApiGroup.CHARGER_STATUS, "connectivity", priority)
        return Connectivity.latest(body)

    # ------------------------------------------------------------------ transactions

    async def get_transactions(
        self,
        *,
        page: int = 1,
        limit: int = const.DEFAULT_PAGE_SIZE,
        priority: Priority = Priority.POLL,
        **filters: Unpack[TransactionFilters],
    ) -> list[Transaction]:
        """Return one page of transactions (filters: see :class:`TransactionFilters`)."""
        params = transaction_params(filters)
        params.update(page=str(page), limit=str(limit))
        body = await self._get(
            const.PATH_TRANSACTIONS, ApiGroup.TRANSACTIONS, "transaction", priority, params
        )
        return Transaction.list_from(body)

    async def _transaction_pages(
        self, page_size: int, max_pages: int | None, priority: Priority, filters: TransactionFilters
    ) -> AsyncIterator[list[Transaction]]:
        """Yield pages until a short page (the last one, spec §4.22) or ``max_pages``."""
        page = 1
        while max_pages is None or page <= max_pages:
            items = await self.get_transactions(
                page=page, limit=page_size, priority=priority, **filters
            )
            yield items
            if len(items) < page_size:
                return
            page += 1

    async def iter_transactions(
        self,
        *,
        page_size: int = const.DEFAULT_PAGE_SIZE,
        max_pages: int | None = None,
        priority: Priority = Priority.POLL,
        **filters: Unpack[TransactionFilters],
    ) -> AsyncIterator[Transaction]:
        """Yield transactions page by page; stops after a short page or ``max_pages``."""
        async for items in self._transaction_pages(page_size, max_pages, priority, filters):
            for item in items:
                yield item

    async def get_all_transactions(
        self,
        *,
        page_size: int = const.DEFAULT_PAGE_SIZE,
        max_pages: int = const.TRANSACTIONS_MAX_PAGES,
        priority: Priority = Priority.POLL,
        **filters: Unpack[TransactionFilters],
    ) -> TransactionPages:
        """Read every page the filters select (e.g. the window since the last poll).

        Stops at the first short page, or after ``max_pages`` pages; then ``complete`` is
        ``False`` (more may exist: narrow the window, or read on from ``pages + 1``). A
        transaction seen on two pages (the list moved while paging) is kept once.
        """
        if max_pages < 1 or page_size < 1:
            raise ValueError("max_pages and page_size must be at least 1")
        seen: dict[int, Transaction] = {}
        pages = 0
        complete = False
        async for items in self._transaction_pages(page_size, max_pages, priority, filters):
            pages += 1
            for item in items:
                seen.setdefault(item.transaction_id, item)
            complete = len(items) < page_size
        return TransactionPages(tuple(seen.values()), pages, complete)

    async def get_transaction(
        self, transaction_id: int, *, priority: Priority = Priority.POLL
    ) -> Transaction:
        """Return one transaction (the single-transaction path is inferred)."""
        path = endpoint(const.PATH_TRANSACTION, transaction_id=transaction_id)
        body = await self._get(path, ApiGroup.TRANSACTIONS, "transaction", priority)
        if isinstance(body, list):
            if len(body) != 1:
                raise DepotFinityResponseError("Expected exactly one transaction")
            body = body[0]
        return Transaction.from_dict(body)

    # ------------------------------------------------------------------ reports, time series

    async def get_session_reports(
        self,
        charger_id: str,
        connector_id: int,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        page: int = 1,
        limit: int = const.DEFAULT_PAGE_SIZE,
        priority: Priority = Priority.POLL,
    ) -> SessionReports:
        """Return one page of raw session reports (HPC chargers)."""
        limit = min(max(limit, const.SESSION_REPORT_MIN_LIMIT), const.SESSION_REPORT_MAX_LIMIT)
        params = {
            "chargerId": charger_id,
            "connectorId": str(connector_id),
            "page": str(page),
            "limit": str(limit),
            **window_params(start, end),
        }
        body = await self._get(
            const.PATH_SESSION_REPORTS, ApiGroup.SESSION_REPORTS, "sessionReport", priority, params
        )
        return SessionReports.from_dict(body)

    async def get_time_series(
        self,
        charger_id: str,
        measurand: str,
        *,
        connector_id: int | None = None,
        phase: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        priority: Priority = Priority.POLL,
    ) -> list[TimeSeriesPoint]:
        """Return the time series of one measurand (charger or connector level)."""
        if connector_id is None:
            path = endpoint(const.PATH_TIME_SERIES_CHARGER, charger_id=charger_id)
        else:
            path = endpoint(
                const.PATH_TIME_SERIES_CONNECTOR, charger_id=charger_id, connector_id=connector_id
            )
        params = {"measurand": str(measurand), **window_params(start, end)}
        if phase is not None:
            params["phase"] = str(phase)
        body = await self._get(path, ApiGroup.TIME_SERIES, "timeSeries", priority, params)
        return TimeSeriesPoint.list_from(body)

    async def list_reservations(
        self, charger_id: str, connector_id: int, *, priority: Priority = Priority.POLL
    ) -> list[Reservation]:
        """List the reservations of a connector (inferred endpoint)."""
        path = endpoint(const.PATH_RESERVATIONS, charger_id=charger_id, connector_id=connector_id)
        body = await self._get(path, ApiGroup.RESERVATIONS, "reservation", priority)
        items = dict_items(expect_items(body, "reservations", allow_list=True))
        return [
            Reservation.from_dict(item, charger_id=charger_id, connector_id=connector_id)
            for item in items
        ]

    async def list_charger_groups(
        self, *, priority: Priority = Priority.POLL
    ) -> list[ChargerGroup]:
        """List the charger (power) groups (inferred endpoint)."""
        body = await self._get(
            const.PATH_CHARGER_GROUPS, ApiGroup.CHARGER_CONTROL, "chargerGroup", priority
        )
        return ChargerGroup.list_from(body)

    async def get_energy_prices(
        self, site_id: str, *, priority: Priority = Priority.POLL
    ) -> list[PriceBlock]:
        """Return the VPP energy price blocks of a site (inferred read path)."""
        path = endpoint(const.PATH_ENERGY_PRICES, site_id=site_id)
        body = await self._get(path, ApiGroup.VPP, "energyPrices", priority)
        return PriceBlock.list_from(body)
