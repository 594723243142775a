"""The energy register's glitch filter: the rule the README explains, case by case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.depotfinity.data import (
    ENERGY_SLACK_WH,
    GLITCH_CONFIRMATIONS,
    MAX_CONNECTOR_POWER_W,
    EnergyRegister,
)

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _register(value: float = 6_444_500.0) -> EnergyRegister:
    register = EnergyRegister()
    assert register.update(value, T0)
    return register


def test_normal_readings_are_taken() -> None:
    """Readings that rise at a possible rate are taken, and equal ones too."""
    register = _register()
    assert register.update(6_444_500.0, _at(1))
    assert register.update(6_447_000.0, _at(2))  # 150 kW for a minute
    assert register.value_wh == 6_447_000.0
    assert register.rejected == 0


def test_a_backwards_glitch_is_dropped() -> None:
    """A meter that reads 0 for a moment is no reset."""
    register = _register()
    assert not register.update(0.0, _at(1))
    assert register.value_wh == 6_444_500.0
    assert register.update(6_446_000.0, _at(2))


def test_an_upward_glitch_does_not_freeze_the_register() -> None:
    """One absurd reading is dropped, and the correct ones after it are taken."""
    register = _register()
    assert not register.update(64_460_000.0, _at(1))  # ten times the register
    assert register.value_wh == 6_444_500.0
    assert register.update(6_446_000.0, _at(2))
    assert register.update(6_468_000.0, _at(12))
    assert register.value_wh == 6_468_000.0
    assert register.rejected == 1


def test_the_rate_bound_grows_with_time() -> None:
    """After three hours away, three hours of the most a connector can deliver are possible."""
    register = _register(0.0)
    bound = MAX_CONNECTOR_POWER_W * 3 + ENERGY_SLACK_WH
    assert not register.update(bound + 1, _at(180))
    assert register.update(bound, _at(180))


def test_a_confirmed_reset_is_taken() -> None:
    """A replaced meter (readings that agree with each other) is followed after a few reads."""
    register = _register()
    for minute in range(1, GLITCH_CONFIRMATIONS):
        assert not register.update(100.0 + minute, _at(minute))
    assert register.update(100.0 + GLITCH_CONFIRMATIONS, _at(GLITCH_CONFIRMATIONS))
    assert register.value_wh == 100.0 + GLITCH_CONFIRMATIONS


def test_glitches_that_disagree_are_never_confirmed() -> None:
    """Random junk never becomes the register, however long it lasts."""
    register = _register()
    for minute, junk in enumerate((5.0, 90_000_000.0, 7.0, 80_000_000.0, 3.0), start=1):
        assert not register.update(junk, _at(minute))
    assert register.value_wh == 6_444_500.0
