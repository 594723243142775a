"""VirtualClock, SimulatorConfig and timestamp helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import time

import pytest

from depotfinity_simulator import PACKAGES, ApiGroup, SimulatorConfig, VirtualClock
from depotfinity_simulator.timefmt import format_ts, parse_ts

START = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def test_manual_clock() -> None:
    clock = VirtualClock(START, speed=0.0)
    assert clock.start == START
    assert clock.speed == 0.0
    assert clock.now() == START
    assert clock.monotonic() == 0.0
    calls: list[float] = []
    remove = clock.add_listener(lambda: calls.append(clock.monotonic()))
    clock.advance(90.5)
    assert clock.now() == START + timedelta(seconds=90.5)
    assert clock.timestamp() == START.timestamp() + 90.5
    assert calls == [90.5]
    remove()
    remove()
    clock.advance(1)
    assert calls == [90.5]
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)


def test_running_clock() -> None:
    clock = VirtualClock(START, speed=1000.0)
    time.sleep(0.01)
    assert clock.monotonic() >= 10.0
    assert clock.now() > START


def test_clock_defaults_and_validation() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    clock = VirtualClock()
    assert before <= clock.now() <= datetime.now(UTC)
    assert clock.now().tzinfo is not None
    with pytest.raises(ValueError, match="timezone-aware"):
        VirtualClock(datetime(2024, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="speed"):
        VirtualClock(START, speed=-1)


def test_config_defaults() -> None:
    cfg = SimulatorConfig()
    assert (cfg.chargers, cfg.connectors, cfg.groups, cfg.seed, cfg.speed) == (3, 2, 1, 1, 0.0)
    assert (cfg.client_id, cfg.client_secret, cfg.token_lifetime) == (
        "demo-client",
        "demo-secret",
        3600,
    )
    assert (cfg.package, cfg.rate_limit, cfg.rate_window) == ("premium", 100, 300.0)
    assert cfg.reconnect_delay == 60.0
    assert cfg.max_power_w == 150_000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("chargers", 0),
        ("connectors", 10),
        ("groups", 4),
        ("package", "gold"),
        ("rate_limit", 0),
        ("speed", -1.0),
        ("history_days", -1),
        ("sample_interval", 5.0),
    ],
)
def test_config_validation(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field if field != "groups" else "groups"):
        SimulatorConfig(**{field: value})  # type: ignore[arg-type]


def test_packages_are_tiered() -> None:
    assert PACKAGES["basic"] < PACKAGES["advanced"] < PACKAGES["premium"]
    assert ApiGroup.CHARGER_STATUS in PACKAGES["basic"]
    assert ApiGroup.RFID not in PACKAGES["basic"]
    assert ApiGroup.RESERVATIONS in PACKAGES["advanced"]
    assert ApiGroup.VPP not in PACKAGES["advanced"]
    assert set(PACKAGES["premium"]) == set(ApiGroup)


def test_timestamps() -> None:
    assert format_ts(START.timestamp() + 0.21) == "2024-01-01T08:00:00.210Z"
    assert parse_ts("2024-01-01T08:00:00.210Z") == pytest.approx(START.timestamp() + 0.21)
    assert parse_ts("2024-01-01T09:00:00+01:00") == START.timestamp()
    assert parse_ts("2024-01-01T08:00:00") == START.timestamp()
    for bad in ("yesterday", "", 5, None, "2024-13-01T00:00:00Z", "x" * 50):
        assert parse_ts(bad) is None
