"""Hourly energy of a connector from its register samples (no Home Assistant needed).

An hour's energy is what the register gained between the hour's start and its
end. The register at the end is interpolated between the last sample at or
before it and the first one after it, so energy lands in the hour it was
delivered, whatever the sample times. Each hour is worked out from where the
previous one ended (:class:`HourMark`) and from the samples alone: importing
three hours in one go gives the same hours as importing them one by one.

Samples are taken as the sensor's register takes them (see
:class:`~.data.EnergyRegister`): a drop or an absurd jump is a glitch and
counts nothing until later samples confirm it. A confirmed drop (the meter was
reset or replaced) counts nothing either; a confirmed rise counts in full, so
energy delivered while no sample could be read (a gap longer than the service
keeps samples) lands in the first hour with samples again, and is never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .api import TimeSeriesPoint
from .data import EnergyRegister

HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Reading:
    """One numeric register sample, Wh."""

    at: datetime
    wh: float


@dataclass(frozen=True, slots=True)
class HourMark:
    """Where an import stands: the end of its last hour, the register and the sum then (Wh)."""

    end: datetime
    register_wh: float
    sum_wh: float


@dataclass(frozen=True, slots=True)
class HourTotal:
    """One imported hour: its start, its energy and where the import stands after it."""

    start: datetime
    energy_wh: float
    mark: HourMark


def readings(points: Iterable[TimeSeriesPoint]) -> list[Reading]:
    """The numeric samples, oldest first (no time, not a number or negative: left out)."""
    found = {
        point.timestamp: float(point.value)
        for point in points
        if point.timestamp is not None
        and isinstance(point.value, int | float)
        and not isinstance(point.value, bool)
        and point.value >= 0
    }
    return [Reading(at, wh) for at, wh in sorted(found.items())]


def floor_hour(moment: datetime) -> datetime:
    """The start of the hour ``moment`` lies in."""
    return moment.replace(minute=0, second=0, microsecond=0)


def first_mark(samples: list[Reading], start: datetime, sum_wh: float = 0.0) -> HourMark | None:
    """Where an import with no register known starts: the register at ``start``.

    That is the last sample at or before ``start``, else the first one after it
    (the register is taken as flat before its first sample); None: no sample.
    """
    before = [reading for reading in samples if reading.at <= start]
    if before:
        return HourMark(start, before[-1].wh, sum_wh)
    if samples:
        return HourMark(start, samples[0].wh, sum_wh)
    return None


def close_hours(
    mark: HourMark, samples: list[Reading], *, until: datetime, stale_before: datetime
) -> list[HourTotal]:
    """Every hour after ``mark`` that ends by ``until`` and can be closed, in order.

    An hour can be closed once a sample at or after its end exists; an hour
    that ended before ``stale_before`` is closed without one (the meter fell
    silent: the register stays where its last sample left it).
    """
    hours: list[HourTotal] = []
    while mark.end + HOUR <= until:
        total = _close_hour(mark, samples, stale=mark.end + HOUR <= stale_before)
        if total is None:
            break
        hours.append(total)
        mark = total.mark
    return hours


def _close_hour(mark: HourMark, samples: list[Reading], *, stale: bool) -> HourTotal | None:
    start, end = mark.end, mark.end + HOUR
    register = EnergyRegister(value_wh=mark.register_wh, read_at=start)
    energy = 0.0
    for reading in samples:
        if reading.at <= start:
            continue
        if reading.at > end:
            break
        before = register.value_wh
        if register.update(reading.wh, reading.at) and before is not None:
            energy += max(reading.wh - before, 0.0)
    value, read_at = register.value_wh, register.read_at
    assert value is not None
    assert read_at is not None
    if read_at < end:
        after = next((reading for reading in samples if reading.at >= end), None)
        if after is None and not stale:
            return None  # the samples up to the end may not all be there yet
        if after is not None and EnergyRegister(value, read_at).update(after.wh, after.at):
            # The register rose plausibly across the end: its share up to the end.
            share = (end - read_at) / (after.at - read_at)
            gained = (after.wh - value) * share
            energy += gained
            value += gained
    return HourTotal(start, energy, HourMark(end, value, mark.sum_wh + energy))
