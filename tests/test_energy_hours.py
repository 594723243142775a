"""Hourly energy from register samples, on its own (no Home Assistant needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.depotfinity.api import TimeSeriesPoint
from custom_components.depotfinity.energy_hours import (
    HOUR,
    HourMark,
    Reading,
    close_hours,
    first_mark,
    floor_hour,
    readings,
)

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
LATER = T0 + timedelta(days=1)  # "now", long after every hour of these tests


def _steady(
    start: datetime, minutes: int, wh_per_minute: float, first: float = 0.0
) -> list[Reading]:
    """One sample a minute from ``start`` (inclusive) of a register rising steadily."""
    return [Reading(start + n * MINUTE, first + n * wh_per_minute) for n in range(minutes + 1)]


def _energies(mark: HourMark, samples: list[Reading], until: datetime) -> list[float]:
    return [h.energy_wh for h in close_hours(mark, samples, until=until, stale_before=until)]


def test_readings_keep_numbers_with_a_time_oldest_first() -> None:
    """Non-numeric values, flags, negative values and samples without time are left out."""
    points = [
        TimeSeriesPoint(T0 + 2 * MINUTE, 12.0),
        TimeSeriesPoint(T0, 10.0),
        TimeSeriesPoint(None, 11.0),
        TimeSeriesPoint(T0 + MINUTE, "n/a"),
        TimeSeriesPoint(T0 + 3 * MINUTE, True),
        TimeSeriesPoint(T0 + 4 * MINUTE, -5.0),
        TimeSeriesPoint(T0 + 5 * MINUTE, None),
    ]
    assert readings(points) == [Reading(T0, 10.0), Reading(T0 + 2 * MINUTE, 12.0)]


def test_floor_hour() -> None:
    """The start of the hour a moment lies in."""
    assert floor_hour(T0 + timedelta(minutes=59, seconds=59)) == T0


def test_first_mark_is_the_register_at_the_start() -> None:
    """The last sample at or before the start, else the first one after it; none: None."""
    samples = [Reading(T0 - MINUTE, 5.0), Reading(T0 + MINUTE, 7.0)]
    assert first_mark(samples, T0) == HourMark(T0, 5.0, 0.0)
    assert first_mark(samples[1:], T0, 42.0) == HourMark(T0, 7.0, 42.0)
    assert first_mark([], T0) is None


def test_energy_lands_in_the_hour_it_was_delivered() -> None:
    """Samples off the hour: the register at the hour's end is interpolated."""
    # 1 Wh a minute, sampled at :30 past each minute, from 07:59:30 to 10:00:30.
    samples = [Reading(T0 - MINUTE / 2 + n * MINUTE, 100.0 + n) for n in range(122)]
    mark = HourMark(T0, 100.5, 0.0)
    hours = close_hours(mark, samples, until=T0 + 2 * HOUR, stale_before=T0)
    assert [h.start for h in hours] == [T0, T0 + HOUR]
    assert [h.energy_wh for h in hours] == pytest.approx([60.0, 60.0])
    assert hours[-1].mark == HourMark(T0 + 2 * HOUR, pytest.approx(220.5), pytest.approx(120.0))


def test_hours_read_together_equal_hours_read_one_by_one() -> None:
    """Importing five hours in one go gives the same hours as importing them one by one."""
    samples = [Reading(T0 + n * 97 * timedelta(seconds=1), n * n * 0.5) for n in range(200)]
    mark = HourMark(T0, 0.0, 0.0)
    together = close_hours(mark, samples, until=T0 + 5 * HOUR, stale_before=T0)
    one_by_one = []
    for hour in range(1, 6):
        one_by_one += close_hours(mark, samples, until=T0 + hour * HOUR, stale_before=T0)
        mark = one_by_one[-1].mark
    assert together == one_by_one
    assert len(together) == 5


def test_an_hour_waits_for_a_sample_after_its_end() -> None:
    """Until a sample at or after the end exists, the hour is not closed (unless stale)."""
    samples = _steady(T0, 59, 2.0)
    mark = HourMark(T0, 0.0, 0.0)
    assert close_hours(mark, samples, until=LATER, stale_before=T0) == []
    # Past the stale limit the meter fell silent: the register stays at its last sample.
    stale = close_hours(mark, samples, until=LATER, stale_before=T0 + 2 * HOUR)
    assert [h.energy_wh for h in stale] == [118.0, 0.0]


def test_a_glitch_counts_nothing() -> None:
    """A sample reading 0 for a moment, or one absurd jump, is dropped."""
    samples = _steady(T0, 61, 10.0, first=1_000_000.0)
    glitched = list(samples)
    glitched[20] = Reading(glitched[20].at, 0.0)
    glitched[40] = Reading(glitched[40].at, 9e12)
    mark = HourMark(T0, 1_000_000.0, 0.0)
    assert _energies(mark, glitched, T0 + HOUR) == pytest.approx([600.0])


def test_a_reset_meter_counts_no_negative_energy() -> None:
    """A drop confirmed by the next samples (a meter reset) counts nothing; then it goes on."""
    samples = [*_steady(T0, 30, 10.0, first=5000.0), *_steady(T0 + 31 * MINUTE, 30, 10.0)]
    mark = HourMark(T0, 5000.0, 0.0)
    (hour,) = close_hours(mark, samples, until=T0 + HOUR, stale_before=T0)
    # 300 Wh before the reset, 270 after its third sample confirmed it.
    assert hour.energy_wh == pytest.approx(570.0)
    assert hour.mark.register_wh == pytest.approx(290.0)


def test_energy_of_a_gap_without_samples_is_spread_over_it() -> None:
    """Hours without a sample share the rise to the next sample, if it is plausible."""
    samples = _steady(T0 + 3 * HOUR, 60, 1.0, first=300_100.0)
    mark = HourMark(T0, 100.0, 50.0)
    hours = close_hours(mark, samples, until=T0 + 4 * HOUR, stale_before=T0)
    assert [h.energy_wh for h in hours] == pytest.approx([100_000.0] * 3 + [60.0])
    assert hours[-1].mark.sum_wh == pytest.approx(50.0 + 300_060.0)


def test_energy_of_a_gap_is_never_lost() -> None:
    """Hours closed without samples count nothing; the rise lands in the next hour read."""
    samples = _steady(T0 + 3 * HOUR, 60, 1.0, first=9_000_000_000.0)
    mark = HourMark(T0, 100.0, 50.0)
    hours = close_hours(mark, samples, until=T0 + 4 * HOUR, stale_before=T0 + 4 * HOUR)
    assert [h.energy_wh for h in hours[:3]] == [0.0, 0.0, 0.0]
    # More than the connector could deliver: a glitch, until three samples confirm it;
    # then it counts in full.
    assert hours[3].energy_wh == pytest.approx(9_000_000_060.0 - 100.0)
    assert hours[3].mark.sum_wh == pytest.approx(50.0 + 9_000_000_060.0 - 100.0)


def test_a_jump_across_the_end_is_not_interpolated() -> None:
    """The register at the end is interpolated only towards a plausible next sample."""
    samples = [Reading(T0 + 30 * MINUTE, 10.0), Reading(T0 + 61 * MINUTE, 9e12)]
    mark = HourMark(T0, 0.0, 0.0)
    assert _energies(mark, samples, T0 + HOUR) == [10.0]
