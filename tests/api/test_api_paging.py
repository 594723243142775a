"""Reading every transaction page a window needs (``get_all_transactions``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from yarl import URL

from custom_components.depotfinity.api import DepotFinityClient, TransactionPages

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

    from .conftest import Stub


async def test_all_pages_of_a_window_are_read(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    now = server.clock.now()
    window = {"start": now - timedelta(days=30), "end": now}
    everything = await client.get_transactions(limit=1000, **window)
    assert len(everything) > 20  # a big fleet's outage: more than one page
    sent = server.sim.stats.total_requests
    size = len(everything) // 4 + 1  # four or five pages
    result = await client.get_all_transactions(page_size=size, **window)
    assert isinstance(result, TransactionPages)
    assert result.complete
    assert result.pages == len(everything) // size + 1
    assert server.sim.stats.total_requests - sent == result.pages
    assert [tx.transaction_id for tx in result.items] == [tx.transaction_id for tx in everything]


async def test_the_page_cap_is_reported(client: DepotFinityClient, charger: str) -> None:
    result = await client.get_all_transactions(charger_id=charger, page_size=5, max_pages=2)
    assert not result.complete
    assert result.pages == 2
    assert len(result.items) == 10
    assert {tx.charger_id for tx in result.items} == {charger}


async def test_default_cap_and_bad_arguments(stub: Stub, stub_client: DepotFinityClient) -> None:
    stub.api_replies = [(200, [{"TransactionID": n} for n in range(100)], {})]
    result = await stub_client.get_all_transactions()
    assert (result.pages, result.complete, len(result.items)) == (20, False, 100)
    pages = [URL(path).query["page"] for _, path, _ in stub.api_requests]
    assert pages == [str(n) for n in range(1, 21)]
    with pytest.raises(ValueError, match="at least 1"):
        await stub_client.get_all_transactions(max_pages=0)


async def test_a_transaction_seen_on_two_pages_is_kept_once(
    stub: Stub, stub_client: DepotFinityClient
) -> None:
    # A new session moved the list while paging: the last of page 1 shows again on page 2.
    stub.api_replies = [
        (200, [{"TransactionID": 9}, {"TransactionID": 8}], {}),
        (200, [{"TransactionID": 8}, {"TransactionID": 7}], {}),
        (200, [{"TransactionID": 6}], {}),
    ]
    result = await stub_client.get_all_transactions(page_size=2, filter_by="InsertedAt")
    assert [tx.transaction_id for tx in result.items] == [9, 8, 7, 6]
    assert result.complete
    assert result.pages == 3
    query = URL(stub.api_requests[0][1]).query
    assert (query["filterBy"], query["limit"], query["page"]) == ("InsertedAt", "2", "1")
