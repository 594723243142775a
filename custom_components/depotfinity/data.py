"""What the integration knows about a depot, kept between polls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .api import (
    ChargerAvailability,
    Connectivity,
    ConnectorStatus,
    PowerLimitWindow,
    Reservation,
    StatusRecord,
    Transaction,
)
from .prices import SiteData

# Connector states in which a session is running and power flows (or may).
ACTIVE_STATUSES = frozenset(
    status.value
    for status in (
        ConnectorStatus.CHARGING,
        ConnectorStatus.SUSPENDED_EV,
        ConnectorStatus.SUSPENDED_EVSE,
        ConnectorStatus.FINISHING,
    )
)
NO_ERROR = "NoError"
# The depot summary's partition of chargers (see ChargerData.summary).
AVAILABLE, CHARGING, FAULTED, OFFLINE = "available", "charging", "faulted", "offline"
SUMMARY_STATES = (AVAILABLE, CHARGING, FAULTED, OFFLINE)


# The most power one connector can deliver (megawatt charging), W: a register that
# rises faster than this is a glitch.
MAX_CONNECTOR_POWER_W = 1_000_000
# Slack for the time between a sample and its read, Wh.
ENERGY_SLACK_WH = 1_000.0
# Readings in a row that agree with each other but not with the register: the
# meter was reset or replaced, and the newest is taken.
GLITCH_CONFIRMATIONS = 3
# What the calendars keep of the past: finished sessions of each connector and
# power-limit windows of each group, for this long and at most this many.
HISTORY = timedelta(days=30)
MAX_HISTORY = 100


def _ended(item: Transaction | PowerLimitWindow) -> datetime:
    end = item.end_at if isinstance(item, Transaction) else item.end
    return datetime.min.replace(tzinfo=UTC) if end is None else end


def _recent[T: (Transaction, PowerLimitWindow)](items: Sequence[T]) -> list[T]:
    """The newest ``MAX_HISTORY`` items ended within ``HISTORY`` of the newest, oldest first."""
    kept = sorted(items, key=_ended)[-MAX_HISTORY:]
    if not kept:
        return []
    return [item for item in kept if _ended(item) >= _ended(kept[-1]) - HISTORY]


@dataclass(slots=True)
class EnergyRegister:
    """A connector's lifetime energy register, with glitches filtered out.

    The rule: a reading is taken when it is not lower than the last one taken,
    and not higher than it by more than the connector could have delivered at
    ``MAX_CONNECTOR_POWER_W`` since then (plus ``ENERGY_SLACK_WH``). Any other
    reading is a glitch (a meter reading 0 for a moment, one absurd sample) and
    is dropped, so the sensor (and the hourly statistics) never see a fake reset or a fake jump.
    When ``GLITCH_CONFIRMATIONS`` dropped readings in a row agree with each
    other, the meter was really reset or replaced: the newest is taken.
    """

    value_wh: float | None = None
    read_at: datetime | None = None
    rejected: int = 0
    suspects: list[tuple[float, datetime]] = field(default_factory=list)

    @staticmethod
    def _plausible(before: float, since: datetime, value: float, at: datetime) -> bool:
        hours = max((at - since).total_seconds(), 0.0) / 3600
        return 0 <= value - before <= MAX_CONNECTOR_POWER_W * hours + ENERGY_SLACK_WH

    def update(self, value: float, at: datetime) -> bool:
        """Take a reading made at ``at``; return whether it was taken."""
        if (
            self.value_wh is None
            or self.read_at is None
            or self._plausible(self.value_wh, self.read_at, value, at)
        ):
            self._take(value, at)
            return True
        self.rejected += 1
        if self.suspects and not self._plausible(*self.suspects[-1], value, at):
            self.suspects.clear()
        self.suspects.append((value, at))
        if len(self.suspects) >= GLITCH_CONFIRMATIONS:
            self._take(value, at)
            return True
        return False

    def restore(self, value: float, at: datetime) -> None:
        """Start from the value shown before a restart: the register never goes below it.

        A lower reading taken since (before the entity came back) is dropped as
        a glitch, like any backwards reading.
        """
        if self.value_wh is None:
            self._take(value, at)
        elif value > self.value_wh:
            self.rejected += 1
            self._take(value, at)

    def _take(self, value: float, at: datetime) -> None:
        self.value_wh, self.read_at = value, at
        self.suspects.clear()


@dataclass(slots=True)
class ConnectorData:
    """State of one connector."""

    charger_id: str
    connector_id: int
    status: StatusRecord | None = None
    status_fetched_at: datetime | None = None
    # The last status answer could not be read (its entities are unavailable).
    unreadable: bool = False
    power_w: float | None = None
    energy: EnergyRegister = field(default_factory=EnergyRegister)
    soc: float | None = None
    active_session: Transaction | None = None
    last_session: Transaction | None = None
    # Finished sessions the transactions reads returned, by id (the calendar's history).
    sessions: dict[int, Transaction] = field(default_factory=dict)
    # What the last read of the connector's reservations returned, by start time
    # (None: not read; they are read only while an entity shows them).
    reservations: list[Reservation] | None = None

    @property
    def is_active(self) -> bool:
        """Whether a session is running on the connector."""
        return self.status is not None and self.status.status in ACTIVE_STATUSES

    @property
    def is_charging(self) -> bool:
        """Whether energy is flowing right now."""
        return self.status is not None and self.status.status == ConnectorStatus.CHARGING

    @property
    def is_faulted(self) -> bool:
        """Whether the connector reports a fault."""
        if self.status is None:
            return False
        return self.status.status == ConnectorStatus.FAULTED or (
            self.status.error_code not in (None, NO_ERROR)
        )

    def set_reservations(self, reservations: list[Reservation]) -> None:
        """Keep what a read returned (those without a start or an end are dropped)."""
        self.reservations = sorted(
            (r for r in reservations if r.start is not None and r.end is not None),
            key=lambda r: (r.start, r.end),
        )

    def change_reservations(
        self, *, made: Reservation | None = None, cancelled: str | None = None
    ) -> None:
        """Show a reservation made or cancelled from Home Assistant before a read confirms it.

        Not read yet: the change is all that is known until the read.
        """
        known = self.reservations or []
        kept = [r for r in known if cancelled is None or r.reservation_id != cancelled]
        self.set_reservations(kept if made is None else [*kept, made])

    def next_reservation(self, now: datetime) -> Reservation | None:
        """The running or next reservation (None: none known)."""
        return next(
            (r for r in self.reservations or () if r.end is not None and r.end > now),
            None,
        )

    def apply_transaction(self, transaction: Transaction) -> bool:
        """Take a session the fleet-wide transactions read returned.

        Returns whether the connector's status should be read again: a session
        started or ended that the last status read has not seen.
        """
        if transaction.end_at is None:
            self.active_session = transaction
            return not self.is_active
        self.sessions[transaction.transaction_id] = transaction  # a session read again: once
        self.sessions = {s.transaction_id: s for s in _recent(list(self.sessions.values()))}
        last = self.last_session
        if last is None or (last.end_at is not None and transaction.end_at >= last.end_at):
            self.last_session = transaction
        active = self.active_session
        if active is not None and active.transaction_id == transaction.transaction_id:
            self.active_session = None
            return self.is_active
        return False

    @property
    def energy_wh(self) -> float | None:
        """The lifetime energy register (Wh), glitches filtered out."""
        return self.energy.value_wh


@dataclass(slots=True)
class ChargerData:
    """State of one charger and its connectors."""

    charger_id: str
    name: str
    connectors: dict[int, ConnectorData] = field(default_factory=dict)
    availability: StatusRecord | None = None
    connectivity: Connectivity | None = None
    missing: bool = False
    # The last availability or connectivity answer could not be read.
    unreadable: bool = False
    # Optional charger-level readings ("Measurand" or "Measurand:phase") -> value
    meters: dict[str, float] = field(default_factory=dict)

    @property
    def is_faulted(self) -> bool:
        """Whether the charger or any of its connectors reports a fault."""
        return bool(self.faults)

    @property
    def faults(self) -> dict[int | None, tuple[str | None, str | None]]:
        """Each faulted part (None: the charger itself; else a connector) and its codes."""
        found: dict[int | None, tuple[str | None, str | None]] = {}
        availability = self.availability
        if availability is not None and (
            availability.status == ChargerAvailability.FAULTED
            or availability.error_code not in (None, NO_ERROR)
        ):
            found[None] = (availability.error_code, availability.vendor_error_code)
        for number, connector in self.connectors.items():
            if connector.is_faulted and connector.status is not None:
                found[number] = (connector.status.error_code, connector.status.vendor_error_code)
        return found

    @property
    def fault(self) -> tuple[str | None, str | None, int | None]:
        """The current fault: error code, vendor error code, connector (None = charger)."""
        if self.availability is not None and self.availability.error_code not in (None, NO_ERROR):
            return (self.availability.error_code, self.availability.vendor_error_code, None)
        for connector in self.connectors.values():
            if connector.is_faulted and connector.status is not None:
                return (
                    connector.status.error_code,
                    connector.status.vendor_error_code,
                    connector.connector_id,
                )
        if self.availability is not None:
            return (self.availability.error_code, self.availability.vendor_error_code, None)
        return (None, None, None)

    @property
    def summary(self) -> str | None:
        """Where the charger counts in the depot's summary: each charger exactly once.

        By precedence: ``offline`` (not connected to DepotFinity, unknown to it,
        or taken out of service), ``faulted``, ``charging`` (a session runs on a
        connector), ``available`` (free to start a session). None while its
        availability has never been read.
        """
        if self.connected is False or self.missing:
            return OFFLINE
        if self.availability is None:
            return None
        if self.is_faulted:
            return FAULTED
        if any(connector.is_active for connector in self.connectors.values()):
            return CHARGING
        if self.availability.status == ChargerAvailability.UNAVAILABLE:
            return OFFLINE
        return AVAILABLE

    @property
    def connected(self) -> bool | None:
        """Whether the charger is connected to the backend (None = unknown)."""
        return None if self.connectivity is None else self.connectivity.connected

    @property
    def power_w(self) -> float | None:
        """Total power of the charger's connectors."""
        values = [c.power_w for c in self.connectors.values() if c.power_w is not None]
        return sum(values) if values else None


@dataclass(frozen=True, slots=True)
class PowerLimit:
    """The external power limit Home Assistant set for now (DepotFinity has no read-back)."""

    limit_w: float
    until: datetime


@dataclass(slots=True)
class GroupData:
    """A charger group (power sharing)."""

    group_id: str
    name: str
    # Set from Home Assistant (the number or the action), kept across restarts by the number.
    power_limit: PowerLimit | None = None
    # The windows set from Home Assistant, oldest first: past ones (the calendar's
    # history) and the schedule DepotFinity holds now. Kept by the calendar.
    power_windows: list[PowerLimitWindow] = field(default_factory=list)

    def current_limit(self, now: datetime) -> PowerLimit | None:
        """The limit set for now, until its window ends."""
        limit = self.power_limit
        return None if limit is None or limit.until <= now else limit

    def set_schedule(self, windows: Sequence[PowerLimitWindow], now: datetime) -> None:
        """Keep a schedule sent to DepotFinity: it replaces the one sent before from now on.

        What the old schedule applied until now stays as history.
        """
        past = [
            window if window.end <= now else PowerLimitWindow(window.start, now, window.limit)
            for window in self.power_windows
            if window.start < now
        ]
        self.power_windows = sorted(_recent([*past, *windows]), key=lambda w: (w.start, w.end))
        current = next((w for w in windows if w.start <= now < w.end), None)
        self.power_limit = None if current is None else PowerLimit(current.limit, current.end)


@dataclass(slots=True)
class DepotData:
    """Everything known about one account's depot."""

    chargers: dict[str, ChargerData] = field(default_factory=dict)
    groups: dict[str, GroupData] = field(default_factory=dict)
    sites: dict[str, SiteData] = field(default_factory=dict)
    last_transactions_query: datetime | None = None

    def chargers_in(self, summary: str) -> int | None:
        """How many chargers count as ``summary``; None until every charger is known.

        The four counts always add up to the number of chargers.
        """
        states = [charger.summary for charger in self.chargers.values()]
        if None in states:
            return None
        return states.count(summary)

    def free_connectors(self) -> int | None:
        """Connectors free to start a session now (None until every status is known)."""
        connectors = [c for charger in self.chargers.values() for c in charger.connectors.values()]
        if any(connector.status is None for connector in connectors):
            return None
        return sum(
            1
            for connector in connectors
            if connector.status is not None
            and connector.status.status == ConnectorStatus.AVAILABLE
            and not connector.is_faulted
        )

    def connector_keys(self) -> list[tuple[str, int]]:
        """(charger id, connector id) of every configured connector."""
        return [
            (charger_id, number)
            for charger_id, charger in self.chargers.items()
            for number in charger.connectors
        ]

    def connector(self, charger_id: str, connector_id: int) -> ConnectorData | None:
        """Look up a connector."""
        charger = self.chargers.get(charger_id)
        return None if charger is None else charger.connectors.get(connector_id)
