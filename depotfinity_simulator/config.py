"""Simulator configuration and the package (subscription tier) allow-lists."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import os
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

#: Environment variable that selects the mode: ``documented`` or ``default``.
MODE_ENV: Final = "DEPOTFINITY_SIMULATOR_MODE"
MODES: Final = {"default": False, "documented": True}
DAY: Final = 86_400.0


class ApiGroup(StrEnum):
    """API groups of the DepotFinity API, as used by the package allow-lists."""

    CHARGER_STATUS = "charger_status"
    TRANSACTIONS = "transactions"
    SESSION_REPORTS = "session_reports"
    TIME_SERIES = "time_series"
    FORCE_TERMINATION = "force_termination"
    RFID = "rfid"
    REMOTE_COMMANDS = "remote_commands"
    RESERVATIONS = "reservations"
    CHARGER_CONTROL = "charger_control"
    VPP = "vpp"
    VDV = "vdv"


_BASIC = frozenset(
    {
        ApiGroup.CHARGER_STATUS,
        ApiGroup.TRANSACTIONS,
        ApiGroup.SESSION_REPORTS,
        ApiGroup.TIME_SERIES,
        ApiGroup.FORCE_TERMINATION,
    }
)
_ADVANCED = _BASIC | {ApiGroup.RFID, ApiGroup.REMOTE_COMMANDS, ApiGroup.RESERVATIONS}
_PREMIUM = _ADVANCED | {ApiGroup.CHARGER_CONTROL, ApiGroup.VPP, ApiGroup.VDV}

#: Tiered reading of the package table: higher tiers include the lower ones.
PACKAGES: dict[str, frozenset[ApiGroup]] = {
    "basic": _BASIC,
    "advanced": _ADVANCED,
    "premium": _PREMIUM,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatorConfig:
    """Everything that shapes a simulated depot and its API service."""

    chargers: int = 3
    connectors: int = 2
    groups: int = 1
    seed: int = 1
    speed: float = 0.0
    start: datetime | None = None
    client_id: str = "demo-client"
    client_secret: str = "demo-secret"  # noqa: S105
    token_lifetime: int = 3600
    package: str = "premium"
    rate_limit: int = 100
    rate_window: float = 300.0
    fault_rate_per_hour: float = 0.0
    fault_duration: tuple[float, float] = (120.0, 600.0)
    arrival_rate_per_hour: float = 0.0
    unavailable_rate_per_hour: float = 0.0
    reconnect_delay: float = 60.0
    enforce_rfid: bool = False
    history_days: int = 30
    max_power_w: float = 150_000
    auto_start_delay: float = 30.0
    finishing_delay: float = 30.0
    full_dwell: float = 300.0
    step_seconds: float = 10.0
    sample_interval: float = 60.0
    series_retention: float = 36 * 3600.0
    vendor_id: int = 23
    rfid_tags: int = 4
    latency: float = 0.0
    timeout_seconds: float = 30.0
    maintenance_every: float = 0.0
    maintenance_duration: float = 90.0
    documented_only: bool = False

    @property
    def sample_retention(self) -> float:
        """Return how long time-series samples are kept (virtual seconds).

        The documented-only mode keeps at least two days, so that the previous calendar day
        (the documented default window) is always complete.
        """
        if self.documented_only:
            return max(self.series_retention, 2 * DAY + self.sample_interval)
        return self.series_retention

    def __post_init__(self) -> None:
        """Reject values the simulator cannot work with."""
        if not 1 <= self.chargers <= 999:
            raise ValueError("chargers must be between 1 and 999")
        if not 1 <= self.connectors <= 9:
            raise ValueError("connectors must be between 1 and 9")
        if not 0 <= self.groups <= self.chargers:
            raise ValueError("groups must be between 0 and the number of chargers")
        if self.package not in PACKAGES:
            raise ValueError(f"package must be one of {', '.join(PACKAGES)}")
        _require(
            {
                "token_lifetime": self.token_lifetime,
                "rate_limit": self.rate_limit,
                "rate_window": self.rate_window,
                "max_power_w": self.max_power_w,
                "step_seconds": self.step_seconds,
                "sample_interval": self.sample_interval,
            },
            lambda value: value > 0,
            "must be positive",
        )
        _require(
            {
                "speed": self.speed,
                "fault_rate_per_hour": self.fault_rate_per_hour,
                "arrival_rate_per_hour": self.arrival_rate_per_hour,
                "unavailable_rate_per_hour": self.unavailable_rate_per_hour,
                "reconnect_delay": self.reconnect_delay,
                "history_days": self.history_days,
                "latency": self.latency,
                "maintenance_every": self.maintenance_every,
                "maintenance_duration": self.maintenance_duration,
            },
            lambda value: value >= 0,
            "must not be negative",
        )
        if self.sample_interval < self.step_seconds:
            raise ValueError("sample_interval must be at least step_seconds")


def _require(values: dict[str, float], valid: Callable[[float], bool], rule: str) -> None:
    """Raise ``ValueError`` naming the first value that ``valid`` rejects."""
    for name, value in values.items():
        if not valid(value):
            raise ValueError(f"{name} {rule}")


def mode_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """Return whether ``DEPOTFINITY_SIMULATOR_MODE`` selects the documented-only mode.

    ``documented`` gives ``True``; ``default``, an empty value or no variable gives ``False``
    (case and surrounding blanks are ignored). Any other value raises ``ValueError``, so that
    a typo does not silently run the default mode. Test fixtures use it as
    ``SimulatorConfig(..., documented_only=mode_from_env())``.
    """
    raw = (os.environ if environ is None else environ).get(MODE_ENV, "")
    value = raw.strip().lower() or "default"
    if value not in MODES:
        raise ValueError(f"{MODE_ENV} must be one of {', '.join(MODES)}, not {raw!r}")
    return MODES[value]
