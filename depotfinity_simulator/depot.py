"""DepotSimulator: the depot state, its evolution over virtual time and its controls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, Unpack, overload

from .availability import (
    charger_status,
    connector_fault,
    connector_status,
    refresh_reported,
    status_item,
)
from .clock import VirtualClock
from .config import SimulatorConfig
from .errors import NotFoundError, SimulatorError
from .evolution import advance_to, apply_fault
from .faults import FaultInjector
from .history import build_state
from .model import Charger, Connector, Fault
from .ratelimit import RateLimiter
from .sessions import VehicleSpec, new_vehicle, plug, unplug
from .snapshot import snapshot
from .stats import Stats
from .timefmt import format_ts
from .tokens import TokenStore

if TYPE_CHECKING:
    from .state import DepotState


class _StateKeys:
    """Read-only attribute: the keys of one mapping of the depot state, as a new list."""

    def __init__(self, mapping: str, doc: str) -> None:
        """Name the ``DepotState`` mapping to list and document the attribute."""
        self._mapping = mapping
        self.__doc__ = doc

    @overload
    def __get__(self, sim: None, owner: type) -> Self: ...

    @overload
    def __get__(self, sim: DepotSimulator, owner: type | None = None) -> list[str]: ...

    def __get__(self, sim: DepotSimulator | None, owner: type | None = None) -> Self | list[str]:
        """Return the keys on an instance (the descriptor itself on the class)."""
        if sim is None:
            return self
        return list(getattr(sim.state, self._mapping))


class DepotSimulator:
    """A simulated DepotFinity depot whose state evolves lazily with a virtual clock."""

    def __init__(self, config: SimulatorConfig | None = None, clock: VirtualClock | None = None):
        """Build the depot described by ``config`` on ``clock`` (a new clock by default)."""
        self.config = config or SimulatorConfig()
        cfg = self.config
        self.clock = clock or VirtualClock(cfg.start, cfg.speed)
        self.tokens = TokenStore(self.clock)
        self.rate_limiter = RateLimiter(self.clock, cfg.rate_limit, cfg.rate_window)
        self.faults = FaultInjector(
            self.clock,
            latency=cfg.latency,
            timeout_seconds=cfg.timeout_seconds,
            maintenance_every=cfg.maintenance_every,
            maintenance_duration=cfg.maintenance_duration,
            send_retry_after=not cfg.documented_only,
        )
        self.stats = Stats()
        self.package = cfg.package
        self.state: DepotState = build_state(cfg, self.clock.timestamp())
        self._remove_listener = self.clock.add_listener(self._on_advance)

    # -- identity -------------------------------------------------------------------------

    charger_ids = _StateKeys("chargers", "The charger ids (``CH-01`` ...).")
    group_ids = _StateKeys("groups", "The charger-group GUIDs.")
    site_ids = _StateKeys("sites", "The VPP site ids.")
    rfid_tags = _StateKeys("rfid", "The known RFID tags (enabled or not).")

    # -- time -----------------------------------------------------------------------------

    def _on_advance(self) -> None:
        self.catch_up()

    def catch_up(self) -> float:
        """Evolve the depot up to the clock's current time; return that time (POSIX)."""
        now = self.clock.timestamp()
        advance_to(self.state, now)
        return now

    def reset(self) -> None:
        """Rebuild the depot from the configuration at the current virtual time.

        Counters, the rate limiter and HTTP faults are reset too; issued tokens stay valid.
        """
        self.state = build_state(self.config, self.clock.timestamp())
        self.rate_limiter.reset()
        self.faults.clear()
        self.stats.reset()
        self.package = self.config.package

    def close(self) -> None:
        """Detach from the clock and release requests held by ``timeout`` faults."""
        self._remove_listener()
        self.faults.close()

    # -- lookups --------------------------------------------------------------------------

    def charger(self, charger_id: str) -> Charger:
        """Return the charger or raise ``NotFoundError``."""
        charger = self.state.chargers.get(charger_id)
        if charger is None:
            raise NotFoundError("Charger not found.")
        return charger

    def connector(self, charger_id: str, connector_id: int) -> tuple[Charger, Connector]:
        """Return the charger and its connector or raise ``NotFoundError``."""
        charger = self.charger(charger_id)
        conn = charger.connectors.get(connector_id)
        if conn is None:
            raise NotFoundError("Connector not found.")
        return charger, conn

    # -- status views ---------------------------------------------------------------------

    def charger_availability(self, charger_id: str) -> dict[str, Any]:
        """Return the ``ChargerAvailabilityStatusList`` of a charger."""
        self.catch_up()
        charger = self.charger(charger_id)
        item = status_item(
            format_ts(charger.reported_since),
            charger.reported,
            charger.fault,
            self.config.vendor_id,
        )
        return {"items": [item]}

    def connector_availability(self, charger_id: str, connector_id: int) -> dict[str, Any]:
        """Return the ``ChargerAvailabilityStatusList`` of a connector."""
        self.catch_up()
        charger, conn = self.connector(charger_id, connector_id)
        item = status_item(
            format_ts(conn.reported_since),
            conn.reported,
            connector_fault(charger, conn),
            self.config.vendor_id,
        )
        return {"items": [item]}

    def connectivity(self, charger_id: str) -> dict[str, Any]:
        """Return the ``ChargerConnectivityStatusList`` of a charger."""
        self.catch_up()
        charger = self.charger(charger_id)
        value = "true" if charger.connected else "false"
        return {"items": [{"time": format_ts(charger.connectivity_since), "value": value}]}

    def connector_status(self, charger_id: str, connector_id: int) -> str:
        """Return the status the API currently reports for a connector."""
        now = self.catch_up()
        charger, conn = self.connector(charger_id, connector_id)
        return connector_status(charger, conn, now)

    def charger_status(self, charger_id: str) -> str:
        """Return the availability the API currently reports for a charger."""
        self.catch_up()
        return charger_status(self.charger(charger_id))

    # -- simulation controls --------------------------------------------------------------

    def _changed(self, now: float) -> None:
        refresh_reported(self.state, now)

    def plug_in(
        self,
        charger_id: str,
        connector_id: int,
        *,
        auto_start: bool = True,
        **spec: Unpack[VehicleSpec],
    ) -> None:
        """Plug a vehicle in: the connector becomes Preparing and charges after the delay.

        ``spec`` chooses properties of the vehicle (the others are random). The vehicle stays
        until ``unplug``.
        """
        now = self.catch_up()
        _charger, conn = self.connector(charger_id, connector_id)
        if conn.vehicle is not None:
            raise SimulatorError("a vehicle is already plugged in")
        vehicle = new_vehicle(self.state, self.state.rng, auto_depart=False, **spec)
        plug(conn, vehicle, now, auto_start=auto_start)
        self._changed(now)

    def unplug(self, charger_id: str, connector_id: int) -> None:
        """Unplug the vehicle (ending its session): the connector becomes Available."""
        now = self.catch_up()
        _charger, conn = self.connector(charger_id, connector_id)
        unplug(conn, now)
        self._changed(now)

    def inject_fault(
        self,
        charger_id: str,
        connector_id: int | None = None,
        error_code: str = "GroundFailure",
        vendor_error_code: str | int = "E42",
        duration: float | None = None,
        *,
        vendor_id: str | int | None = None,
    ) -> None:
        """Fault a connector (or the whole charger); it clears after ``duration`` if given."""
        now = self.catch_up()
        charger = self.charger(charger_id)
        conn = None if connector_id is None else self.connector(charger_id, connector_id)[1]
        fault = Fault(
            error_code=error_code,
            vendor_error_code=vendor_error_code,
            vendor_id=self.config.vendor_id if vendor_id is None else vendor_id,
            since=now,
            until=None if duration is None else now + duration,
        )
        apply_fault(charger, conn, fault, now)
        self._changed(now)

    def clear_fault(self, charger_id: str, connector_id: int | None = None) -> None:
        """Clear a connector's fault, or (without a connector) every fault of the charger."""
        now = self.catch_up()
        charger = self.charger(charger_id)
        if connector_id is None:
            charger.fault = None
            for conn in charger.connectors.values():
                conn.fault = None
        else:
            self.connector(charger_id, connector_id)[1].fault = None
        self._changed(now)

    def set_status_override(
        self, charger_id: str, connector_id: int | None = None, status: str | None = None
    ) -> None:
        """Report ``status`` verbatim (e.g. an unknown enum value); ``None`` removes it."""
        now = self.catch_up()
        charger = self.charger(charger_id)
        if connector_id is None:
            charger.override = status
        else:
            self.connector(charger_id, connector_id)[1].override = status
        self._changed(now)

    def set_charger_enabled(self, charger_id: str, enabled: bool) -> None:
        """Enable or disable a charger (a disabled charger and its connectors are Unavailable)."""
        now = self.catch_up()
        charger = self.charger(charger_id)
        charger.enabled = enabled
        if not enabled:
            for conn in charger.connectors.values():
                if conn.vehicle is not None:
                    unplug(conn, now)
        self._changed(now)

    def force_terminate(self, charger_id: str) -> None:
        """Drop the charger's backend connection; it reconnects after ``reconnect_delay``."""
        now = self.catch_up()
        charger = self.charger(charger_id)
        charger.connected = False
        charger.connectivity_since = now
        charger.disconnected_until = now + self.config.reconnect_delay

    def snapshot(self) -> dict[str, Any]:
        """Return a JSON-ready view of the whole depot."""
        now = self.catch_up()
        data = snapshot(self.state, now)
        data["package"] = self.package
        data["maintenance_remaining"] = self.faults.maintenance_remaining()
        data["latency"] = self.faults.latency
        return data
