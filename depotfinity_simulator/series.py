"""Time-series samples: recording meter values and answering measurand queries."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
import math
import random
from typing import TYPE_CHECKING, Final

from .model import ConnectorSample
from .timefmt import format_ts

if TYPE_CHECKING:
    from .model import ChargerSample

NOMINAL_VOLTAGE: Final = 230.0
SQRT3: Final = math.sqrt(3)
LINE_PHASES: Final = ("L1", "L2", "L3")
NEUTRAL_PHASES: Final = ("L1-N", "L2-N", "L3-N")
#: Fixed table of noise values in [-1, 1) (cheap, deterministic jitter for samples).
NOISE: Final = tuple(random.Random(261).uniform(-1.0, 1.0) for _ in range(1021))  # noqa: S311

#: Measurand -> the phases it accepts (empty: no phase), per the API's mapping table.
MEASURANDS: Final[dict[str, tuple[str, ...]]] = {
    "ActivePowerExport": (),
    "ActivePowerImport": (),
    "PowerOffered": (),
    "ActiveEnergyExport": (),
    "ActiveEnergyImport": (),
    "CurrentExport": LINE_PHASES,
    "CurrentImport": LINE_PHASES,
    "CurrentOffered": LINE_PHASES,
    "Voltage": LINE_PHASES + NEUTRAL_PHASES,
    "AlarmCode": (),
    "Temperature": (),
}
#: Connector-level measurands: the charger set plus the vehicle's state of charge.
CONNECTOR_MEASURANDS: Final[dict[str, tuple[str, ...]]] = {**MEASURANDS, "SoC": ()}


def make_sample(
    jitter: int,
    *,
    power_w: float,
    offered_w: float,
    energy_wh: float,
    max_power_w: float,
    soc: float | None,
    alarm: str,
) -> ConnectorSample:
    """Build a connector sample; ``jitter`` selects its noise values."""
    jitter %= len(NOISE)
    temperature = 22.0 + 18.0 * power_w / max_power_w + 0.5 * NOISE[jitter]
    return ConnectorSample(power_w, offered_w, energy_wh, temperature, soc, alarm, jitter)


def _noise(sample: ConnectorSample, offset: int) -> float:
    return NOISE[(sample.jitter + offset) % len(NOISE)]


def voltage_ln(sample: ConnectorSample, index: int) -> float:
    """Return the line-to-neutral voltage of phase ``index`` (0-2)."""
    return NOMINAL_VOLTAGE + 2.0 * _noise(sample, 1 + index)


def current(sample: ConnectorSample, index: int) -> float:
    """Return the import current of phase ``index`` (0-2)."""
    if sample.power_w <= 0:
        return 0.0
    return sample.power_w / (3 * NOMINAL_VOLTAGE) * (1 + 0.01 * _noise(sample, 4 + index))


def _phase_index(phase: str | None) -> int:
    return int(phase[1]) - 1 if phase else 0


def _voltage(sample: ConnectorSample, phase: str | None) -> float:
    index = _phase_index(phase)
    if phase is None or phase.endswith("-N"):
        return voltage_ln(sample, index)
    return voltage_ln(sample, index) * SQRT3


def connector_value(sample: ConnectorSample, measurand: str, phase: str | None) -> str | None:
    """Return a connector's value of ``measurand`` as a string (``None``: no value).

    A phased measurand queried without ``phase`` reports phase L1 (L1-N for Voltage).
    """
    match measurand:
        case "ActivePowerImport":
            return f"{sample.power_w:.1f}"
        case "PowerOffered":
            return f"{sample.offered_w:.1f}"
        case "ActiveEnergyImport":
            return f"{sample.energy_wh:.1f}"
        case "ActivePowerExport" | "ActiveEnergyExport" | "CurrentExport":
            return "0.0"
        case "CurrentImport":
            return f"{current(sample, _phase_index(phase)):.1f}"
        case "CurrentOffered":
            return f"{sample.offered_w / (3 * NOMINAL_VOLTAGE):.1f}"
        case "Voltage":
            return f"{_voltage(sample, phase):.1f}"
        case "Temperature":
            return f"{sample.temperature:.1f}"
        case "AlarmCode":
            return sample.alarm
        case _:  # "SoC"
            return None if sample.soc is None else f"{sample.soc:.1f}"


def charger_value(sample: ChargerSample, measurand: str, phase: str | None) -> str:
    """Return a charger's value: sums of power, energy and current over its connectors."""
    parts = sample.connectors
    match measurand:
        case "ActivePowerImport":
            return f"{sum(p.power_w for p in parts):.1f}"
        case "PowerOffered":
            return f"{sum(p.offered_w for p in parts):.1f}"
        case "ActiveEnergyImport":
            return f"{sum(p.energy_wh for p in parts):.1f}"
        case "CurrentImport":
            return f"{sum(current(p, _phase_index(phase)) for p in parts):.1f}"
        case "CurrentOffered":
            return f"{sum(p.offered_w for p in parts) / (3 * NOMINAL_VOLTAGE):.1f}"
        case "Temperature":
            return f"{max(p.temperature for p in parts):.1f}"
        case "AlarmCode":
            return sample.alarm
        case _:  # Voltage (shared by the connectors), export measurands (always zero)
            value = connector_value(parts[0], measurand, phase)
            assert value is not None
            return value


def query(
    samples: list[ChargerSample],
    *,
    connector_index: int | None,
    measurand: str,
    phase: str | None,
    start: float,
    end: float,
) -> list[dict[str, str]]:
    """Return ``TimeSeriesData`` items with ``start <= time <= end``, oldest first."""
    times = [s.time for s in samples]
    items: list[dict[str, str]] = []
    for sample in samples[bisect_left(times, start) : bisect_right(times, end)]:
        if connector_index is None:
            value: str | None = charger_value(sample, measurand, phase)
        else:
            value = connector_value(sample.connectors[connector_index], measurand, phase)
        if value is not None:
            items.append({"timeStamp": format_ts(sample.time), "value": value})
    return items


def prune(samples: list[ChargerSample], oldest: float) -> None:
    """Drop samples older than ``oldest`` in place."""
    cut = 0
    while cut < len(samples) and samples[cut].time < oldest:
        cut += 1
    if cut:
        del samples[:cut]
