"""Energy prices of the depot's sites (Virtual Power Plant) and what a session cost.

A site's price list is a list of blocks: a start, a duration and a price per
kWh. A read's blocks replace the kept ones they overlap; blocks of earlier reads
stay for ``PRICE_HISTORY``, so a session that ended after the list moved on
still finds the prices it ran under.

DepotFinity reports only a session's total energy, so its cost spreads that
energy evenly over the session's time: each block gets the share of the energy
that its share of the session's time is, at its price. A session that overlaps
a moment no kept block covers has no known cost.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .api import PriceBlock, Transaction
from .api.const import PRICE_BLOCK_ENERGY_WH
from .const import CONF_CURRENCY, CONF_NAME, CONF_SITE_CHARGERS, CONF_SITE_ID, SUBENTRY_SITE

# How long blocks of earlier reads are kept (as long as the first transactions
# read looks back, so every last session shown can find its prices).
PRICE_HISTORY = timedelta(days=31)
# With no block covering now, the list is read again after this long (sooner
# when a known block starts before).
NO_PRICE_RETRY = timedelta(hours=1)
# Shortest time between two planned reads of a site (very short blocks, or a
# duration unit that is not the one assumed).
MIN_READ_INTERVAL = timedelta(minutes=5)
# Decimals of a cost (the sensor shows two).
COST_DIGITS = 4


@dataclass(frozen=True, slots=True, order=True)
class PriceWindow:
    """A price block as a time window: from ``start`` (inclusive) to ``end``."""

    start: datetime
    end: datetime
    price: float


def price_windows(blocks: Iterable[PriceBlock]) -> list[PriceWindow]:
    """The blocks that can be read, as windows by start (the others are left out)."""
    return sorted(
        PriceWindow(*window, block.price)
        for block in blocks
        if (window := block.window()) is not None
    )


def _start(window: PriceWindow) -> datetime:
    return window.start


@dataclass(slots=True)
class SiteData:
    """A site: the chargers it feeds and the price blocks read so far."""

    site_id: str
    name: str
    # Empty: the site feeds every charger.
    charger_ids: frozenset[str] = frozenset()
    blocks: list[PriceWindow] = field(default_factory=list)
    # The longest kept block (how far back a block covering a moment can start).
    longest: timedelta = timedelta(0)
    read_at: datetime | None = None
    # DepotFinity does not know the site (its price sensor is unavailable).
    missing: bool = False
    # The last read returned blocks, but none whose start and duration could be read.
    unreadable: bool = False

    def take(self, blocks: Iterable[PriceBlock], now: datetime) -> bool:
        """Keep what a read returned; False when it had blocks but none could be read."""
        given = list(blocks)
        windows = price_windows(given)
        kept = self.blocks
        if windows:
            first, last = windows[0].start, max(window.end for window in windows)
            kept = [w for w in kept if w.end <= first or w.start >= last]
        horizon = now - PRICE_HISTORY
        self.blocks = sorted(w for w in (*kept, *windows) if w.end > horizon)
        self.longest = max((w.end - w.start for w in self.blocks), default=timedelta(0))
        self.read_at = now
        self.missing = False
        self.unreadable = bool(given) and not windows
        return not self.unreadable

    def block_at(self, moment: datetime) -> PriceWindow | None:
        """The block that applies at ``moment`` (of overlapping ones, the latest to start)."""
        for index in range(bisect_right(self.blocks, moment, key=_start) - 1, -1, -1):
            block = self.blocks[index]
            if block.end > moment:
                return block
            if block.start <= moment - self.longest:
                break
        return None

    def price_at(self, moment: datetime) -> float | None:
        """The price per kWh at ``moment`` (None: no block covers it)."""
        block = self.block_at(moment)
        return None if block is None else block.price

    def next_read(self, now: datetime) -> datetime:
        """When to read the list again: once per block, at the current block's end.

        With no block covering now: when the next known block starts, at the
        latest after ``NO_PRICE_RETRY``.
        """
        if (current := self.block_at(now)) is not None:
            due = current.end
        else:
            upcoming = [w.start for w in self.blocks if w.start > now]
            due = min([*upcoming, now + NO_PRICE_RETRY])
        return max(due, now + MIN_READ_INTERVAL)

    def mean_price(self, start: datetime, end: datetime) -> float | None:
        """The time-weighted price from ``start`` to ``end`` (None: a moment has no block)."""
        if end <= start:
            return self.price_at(start) if end == start else None
        total = 0.0
        moment = start
        while moment < end:
            if (block := self.block_at(moment)) is None:
                return None
            until = min(block.end, end)
            total += block.price * ((until - moment) / (end - start))
            moment = until
        return total

    def cost(self, start: datetime, end: datetime, energy_wh: float) -> float | None:
        """What ``energy_wh`` delivered evenly from ``start`` to ``end`` cost (None: unknown)."""
        price = self.mean_price(start, end)
        if price is None:
            return None
        return round(price * energy_wh / PRICE_BLOCK_ENERGY_WH, COST_DIGITS)


def site_for(sites: Mapping[str, SiteData], charger_id: str | None) -> SiteData | None:
    """The site whose prices a charger's sessions pay.

    A site that names the charger wins; else the first site that feeds every
    charger. None: no site feeds it.
    """
    if charger_id is None:
        return None
    named = [site for site in sites.values() if charger_id in site.charger_ids]
    every = [site for site in sites.values() if not site.charger_ids]
    return next(iter(named or every), None)


def session_cost(sites: Mapping[str, SiteData], transaction: Transaction) -> float | None:
    """What an ended session cost at its site's prices (None: not known)."""
    site = site_for(sites, transaction.charger_id)
    start, end, energy = transaction.start_at, transaction.end_at, transaction.energy_delivered
    if site is None or start is None or end is None or energy is None:
        return None
    return site.cost(start, end, energy)


def configured_sites(entry: ConfigEntry, known: Mapping[str, SiteData]) -> dict[str, SiteData]:
    """The entry's sites, keeping the blocks read of those known already."""
    sites: dict[str, SiteData] = {}
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_SITE:
            continue
        site_id: str = subentry.data[CONF_SITE_ID]
        site = known.get(site_id) or SiteData(site_id, site_id)
        site.name = subentry.data.get(CONF_NAME) or site_id
        site.charger_ids = frozenset(subentry.data.get(CONF_SITE_CHARGERS) or ())
        sites[site_id] = site
    return sites


def entry_currency(hass: HomeAssistant, entry: ConfigEntry) -> str:
    """The currency of the entry's prices: its option, else Home Assistant's currency."""
    currency: str = entry.options.get(CONF_CURRENCY) or hass.config.currency
    return currency
