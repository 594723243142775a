"""The set_power_limit action against the simulator: one limit now, or a schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.commands import DepotFinityCommands
from depotfinity_simulator import SimulatorServer

from .test_services_helpers import call, group_device, hours


def _schedule(simulator: SimulatorServer) -> list[dict[str, Any]]:
    schedule: list[dict[str, Any]] = simulator.sim.snapshot()["charger_groups"][0]["schedule"]
    return schedule


@pytest.mark.parametrize(
    ("end", "to_date"),
    [
        (hours(3), "2026-11-02T11:00:00.000Z"),
        # A time without a zone (the UI's date-time picker) is Home Assistant's
        # local time: US/Pacific in the tests, so 03:00 is 11:00 UTC.
        ("2026-11-02 03:00:00", "2026-11-02T11:00:00.000Z"),
        # Without an end the limit applies for a day.
        (None, "2026-11-03T08:00:00.000Z"),
    ],
)
async def test_set_power_limit_now(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    end: str | None,
    to_date: str,
) -> None:
    """One limit from now until the end; the same path as the group's number entity."""
    data: dict[str, Any] = {
        "device_id": group_device(hass, init_integration, simulator),
        "power_limit": 250.5,
    }
    if end is not None:
        data["end"] = end
    with patch.object(
        DepotFinityCommands,
        "set_power_limit",
        autospec=True,
        side_effect=DepotFinityCommands.set_power_limit,
    ) as set_power_limit:
        await call(hass, "set_power_limit", data)
    group_id = simulator.sim.group_ids[0]
    set_power_limit.assert_called_once()
    _, called_group, limit_kw = set_power_limit.call_args.args
    called_end: datetime | None = set_power_limit.call_args.kwargs["end"]
    assert (called_group, limit_kw) == (group_id, 250.5)
    assert (called_end is None) == (end is None)
    assert _schedule(simulator) == [
        {
            "fromDate": "2026-11-02T08:00:00.000Z",
            "toDate": to_date,
            "externalPowerLimitW": 250_500,
        }
    ]
    assert float(hass.states.get("number.group_1_power_limit").state) == 250.5


async def test_set_power_limit_schedule(
    hass: HomeAssistant, simulator: SimulatorServer, init_integration: MockConfigEntry
) -> None:
    """A schedule of windows (any order) becomes dynamicPowerLimit in W."""
    await call(
        hass,
        "set_power_limit",
        {
            "device_id": group_device(hass, init_integration, simulator),
            "schedule": [
                {"start": hours(2), "end": hours(4), "power_limit": 80},
                {"start": hours(0), "end": hours(2), "power_limit": 400},
            ],
        },
    )
    assert [(w["fromDate"], w["externalPowerLimitW"]) for w in _schedule(simulator)] == [
        ("2026-11-02T08:00:00.000Z", 400_000),
        ("2026-11-02T10:00:00.000Z", 80_000),
    ]
    assert float(hass.states.get("number.group_1_power_limit").state) == 400
