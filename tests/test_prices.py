"""Price blocks kept per site, the price now, when to read again, what a session cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.depotfinity.api import PriceBlock, Transaction
from custom_components.depotfinity.prices import (
    MIN_READ_INTERVAL,
    NO_PRICE_RETRY,
    PRICE_HISTORY,
    PriceWindow,
    SiteData,
    price_windows,
    session_cost,
    site_for,
)

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def block(start: datetime, minutes: float, price: float) -> PriceBlock:
    """A block as DepotFinity sends it (start as ISO text, duration in minutes)."""
    return PriceBlock(start.isoformat().replace("+00:00", "Z"), minutes, price)


def hourly(first: datetime, *prices: float) -> list[PriceBlock]:
    """Consecutive one-hour blocks from ``first``."""
    return [block(first + n * HOUR, 60, price) for n, price in enumerate(prices)]


def site_with(*blocks: PriceBlock, now: datetime = T0) -> SiteData:
    """A site that has read ``blocks`` at ``now``."""
    site = SiteData("site-1", "Site 1")
    assert site.take(blocks, now)
    return site


def session(start: datetime | None, end: datetime | None, energy: float | None) -> Transaction:
    """An ended session of CH-01 connector 1."""
    return Transaction(1, "CH-01", 1, start, end, None, None, energy, None, None)


def test_blocks_that_cannot_be_read_are_left_out() -> None:
    """ISO or epoch starts are read; a start, duration or size that cannot be: left out."""
    blocks = [
        PriceBlock("2026-11-02T08:00:00Z", 60, 0.3),
        PriceBlock(str(int((T0 + HOUR).timestamp())), 30, 0.2),
        PriceBlock("08:00", 60, 0.1),  # a time without a day
        PriceBlock("2026-11-02T10:00:00Z", 0, 0.1),
        PriceBlock("2026-11-02T11:00:00Z", -60, 0.1),
        PriceBlock("2026-11-02T12:00:00Z", 1e18, 0.1),
        PriceBlock("9999-12-31T23:00:00Z", 120, 0.1),
    ]
    assert price_windows(blocks) == [
        PriceWindow(T0, T0 + HOUR, 0.3),
        PriceWindow(T0 + HOUR, T0 + HOUR + timedelta(minutes=30), 0.2),
    ]


def test_price_now_follows_the_blocks() -> None:
    """A block applies from its start (included) to its end (excluded); a gap has no price."""
    site = site_with(*hourly(T0, 0.30, 0.20), block(T0 + 3 * HOUR, 60, 0.10))
    assert site.price_at(T0 - timedelta(seconds=1)) is None
    assert site.price_at(T0) == 0.30
    assert site.price_at(T0 + HOUR - timedelta(seconds=1)) == 0.30
    assert site.price_at(T0 + HOUR) == 0.20
    assert site.price_at(T0 + 2 * HOUR) is None
    assert site.price_at(T0 + 3 * HOUR + timedelta(minutes=59)) == 0.10
    assert site.price_at(T0 + 4 * HOUR) is None


def test_of_overlapping_blocks_the_latest_to_start_applies() -> None:
    """Blocks of one list that overlap: the one that started last wins while it runs."""
    site = site_with(block(T0, 240, 0.30), block(T0 + HOUR, 30, 0.10))
    assert site.price_at(T0 + timedelta(minutes=70)) == 0.10
    assert site.price_at(T0 + timedelta(minutes=100)) == 0.30


def test_a_new_list_replaces_what_it_overlaps_and_keeps_the_past() -> None:
    """Blocks read before and not covered by the new list stay; those it covers are replaced."""
    site = site_with(*hourly(T0 - 2 * HOUR, 0.50, 0.40, 0.30, 0.20))
    later = T0 + HOUR
    assert site.take(hourly(T0, 0.35, 0.25, 0.15), later)
    assert [w.price for w in site.blocks] == [0.50, 0.40, 0.35, 0.25, 0.15]
    assert site.read_at == later
    # An empty list changes nothing that was read.
    assert site.take([], later)
    assert len(site.blocks) == 5


def test_old_blocks_are_forgotten() -> None:
    """Blocks that ended more than PRICE_HISTORY ago are dropped at the next read."""
    site = site_with(*hourly(T0, 0.30))
    assert site.take(hourly(T0 + PRICE_HISTORY, 0.20), T0 + PRICE_HISTORY + HOUR + HOUR)
    assert [w.price for w in site.blocks] == [0.20]


def test_a_list_without_a_readable_block() -> None:
    """Blocks that all fail to read: reported, and what was read before stays."""
    site = site_with(*hourly(T0, 0.30))
    assert not site.take([PriceBlock("soon", 60, 0.1)], T0)
    assert site.unreadable
    assert site.price_at(T0) == 0.30
    assert site.take(hourly(T0, 0.31), T0)
    assert not site.unreadable


def test_the_next_read_is_at_the_end_of_the_block() -> None:
    """Once per block; without a block now: when one starts, at the latest in an hour."""
    site = site_with(*hourly(T0, 0.30, 0.20), block(T0 + 5 * HOUR, 60, 0.10))
    assert site.next_read(T0 + timedelta(minutes=10)) == T0 + HOUR
    assert site.next_read(T0 + HOUR) == T0 + 2 * HOUR
    # A gap until 13:00: read hourly meanwhile.
    assert site.next_read(T0 + 2 * HOUR) == T0 + 2 * HOUR + NO_PRICE_RETRY
    assert site.next_read(T0 + 4 * HOUR + timedelta(minutes=30)) == T0 + 5 * HOUR
    # Never sooner than MIN_READ_INTERVAL (a block about to end, or tiny blocks).
    almost = T0 + HOUR - timedelta(seconds=10)
    assert site.next_read(almost) == almost + MIN_READ_INTERVAL
    assert SiteData("s", "s").next_read(T0) == T0 + NO_PRICE_RETRY


def test_a_session_cost_spreads_its_energy_over_its_time() -> None:
    """90 minutes, 30 kWh: 20 kWh in the 0.30 block, 10 kWh in the 0.20 block."""
    site = site_with(*hourly(T0, 0.30, 0.20))
    assert site.cost(T0, T0 + timedelta(minutes=90), 30_000) == pytest.approx(20 * 0.30 + 10 * 0.20)
    assert site.mean_price(T0, T0 + timedelta(minutes=90)) == pytest.approx((0.30 * 2 + 0.20) / 3)
    # A session of no time: the block of its moment.
    assert site.cost(T0 + HOUR, T0 + HOUR, 5_000) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (T0 - timedelta(minutes=1), T0 + timedelta(minutes=30)),  # began before the first block
        (T0 + timedelta(minutes=30), T0 + 2 * HOUR + timedelta(seconds=1)),  # ended after the last
        (T0 + HOUR, T0),  # ends before it starts
        (T0 + 3 * HOUR, T0 + 3 * HOUR),  # a moment without a block
    ],
)
def test_a_session_cost_is_unknown_without_every_block(start: datetime, end: datetime) -> None:
    """One moment of the session without a price: no cost at all (never a partial one)."""
    site = site_with(*hourly(T0, 0.30, 0.20))
    assert site.cost(start, end, 10_000) is None


def test_the_site_of_a_charger() -> None:
    """A site that names the charger wins over one that feeds every charger."""
    every = SiteData("all", "All")
    bay = SiteData("bay", "Bay", charger_ids=frozenset({"CH-02"}))
    assert site_for({"all": every, "bay": bay}, "CH-02") is bay
    assert site_for({"all": every, "bay": bay}, "CH-01") is every
    assert site_for({"bay": bay}, "CH-01") is None
    assert site_for({"all": every}, None) is None


def test_session_cost_needs_an_ended_session_with_energy() -> None:
    """A running session, or one without energy or start, has no cost."""
    sites = {"site-1": site_with(*hourly(T0, 0.30))}
    end = T0 + timedelta(minutes=30)
    assert session_cost(sites, session(T0, end, 4_000)) == pytest.approx(1.2)
    assert session_cost(sites, session(T0, None, 4_000)) is None
    assert session_cost(sites, session(None, end, 4_000)) is None
    assert session_cost(sites, session(T0, end, None)) is None
    assert session_cost({}, session(T0, end, 4_000)) is None
