"""The mutable state of a simulated depot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import random

    from .config import SimulatorConfig
    from .model import Charger, ChargerGroup, PriceBlock, Transaction


@dataclass(slots=True)
class DepotState:
    """Chargers, groups, sites, RFID tags and transactions of one depot."""

    config: SimulatorConfig
    chargers: dict[str, Charger]
    groups: dict[str, ChargerGroup]
    sites: dict[str, list[PriceBlock]]
    rfid: dict[str, bool]
    rng: random.Random
    start: float
    last_update: float
    next_sample: float
    transactions: dict[int, Transaction] = field(default_factory=dict)
    next_transaction_id: int = 100_001
    vehicle_counter: int = 0
    jitter: int = 0

    def next_jitter(self) -> int:
        """Return the noise index for the next sample."""
        self.jitter += 7
        return self.jitter

    def group_of(self, charger: Charger) -> ChargerGroup | None:
        """Return the group that ``charger`` belongs to, if any."""
        return self.groups.get(charger.group_id) if charger.group_id else None

    def add_transaction(self, transaction: Transaction) -> None:
        """Record a new transaction."""
        self.transactions[transaction.transaction_id] = transaction
