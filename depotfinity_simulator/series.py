"""Time-series samples: recording meter values and answering measurand queries."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
import math
from typing import TYPE_CHECKING, Final

from .model import NO_ERROR, ChargerSample, ConnectorSample
from .timefmt import format_ts

if TYPE_CHECKING:
    import random

NOMINAL_VOLTAGE: Final = 230.0
LINE_PHASES: Final = ("L1", "L2", "L3")
NEUTRAL_PHASES: Final = ("L1-N", "L2-N", "L3-N")

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
    noise: random.Random,
    *,
    power_w: float,
    offered_w: float,
    energy_wh: float,
    max_power_w: float,
    soc: float | None,
    alarm: str,
) -> ConnectorSample:
    """Build a connector sample; voltages, currents and temperature are derived."""
    voltages_ln = tuple(round(NOMINAL_VOLTAGE + noise.uniform(-2.0, 2.0), 1) for _ in range(3))
    per_phase = power_w / (3 * NOMINAL_VOLTAGE)
    currents = tuple(
        round(per_phase * (1 + noise.uniform(-0.01, 0.01)), 1) if power_w > 0 else 0.0
        for _ in range(3)
    )
    temperature = 22.0 + 18.0 * power_w / max_power_w + noise.uniform(-0.5, 0.5)
    return ConnectorSample(
        power_w=round(power_w, 1),
        offered_w=round(offered_w, 1),
        energy_wh=energy_wh,
        currents=(currents[0], currents[1], currents[2]),
        current_offered=round(offered_w / (3 * NOMINAL_VOLTAGE), 1),
        voltages_ln=(voltages_ln[0], voltages_ln[1], voltages_ln[2]),
        voltages_ll=(
            round(voltages_ln[0] * math.sqrt(3), 1),
            round(voltages_ln[1] * math.sqrt(3), 1),
            round(voltages_ln[2] * math.sqrt(3), 1),
        ),
        temperature=round(temperature, 1),
        soc=None if soc is None else round(soc, 1),
        alarm=alarm,
    )


def aggregate(sample: ChargerSample) -> ConnectorSample:
    """Combine the connectors of a charger sample into charger-level values."""
    parts = sample.connectors
    first = parts[0]
    return ConnectorSample(
        power_w=round(sum(p.power_w for p in parts), 1),
        offered_w=round(sum(p.offered_w for p in parts), 1),
        energy_wh=sum(p.energy_wh for p in parts),
        currents=(
            round(sum(p.currents[0] for p in parts), 1),
            round(sum(p.currents[1] for p in parts), 1),
            round(sum(p.currents[2] for p in parts), 1),
        ),
        current_offered=round(sum(p.current_offered for p in parts), 1),
        voltages_ln=first.voltages_ln,
        voltages_ll=first.voltages_ll,
        temperature=max(p.temperature for p in parts),
        soc=None,
        alarm=sample.alarm,
    )


def _phase_index(phase: str | None) -> int:
    return int(phase[1]) - 1 if phase else 0


def sample_value(sample: ConnectorSample, measurand: str, phase: str | None) -> str | None:
    """Return the value of ``measurand`` (a string) or ``None`` when there is none.

    A phased measurand queried without ``phase`` reports phase L1 (L1-N for Voltage).
    """
    index = _phase_index(phase)
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
            return f"{sample.currents[index]:.1f}"
        case "CurrentOffered":
            return f"{sample.current_offered:.1f}"
        case "Voltage":
            if phase is None or phase.endswith("-N"):
                return f"{sample.voltages_ln[index]:.1f}"
            return f"{sample.voltages_ll[index]:.1f}"
        case "Temperature":
            return f"{sample.temperature:.1f}"
        case "AlarmCode":
            return sample.alarm or NO_ERROR
        case _:  # "SoC"
            return None if sample.soc is None else f"{sample.soc:.1f}"


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
    lo = bisect_left(times, start)
    hi = bisect_right(times, end)
    items: list[dict[str, str]] = []
    for sample in samples[lo:hi]:
        values = (
            aggregate(sample) if connector_index is None else sample.connectors[connector_index]
        )
        value = sample_value(values, measurand, phase)
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
