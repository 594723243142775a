"""Sharing a write between callers: what is shared, what ends it, what a cancel does."""

from __future__ import annotations

import asyncio

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.commands import DepotFinityCommands
from custom_components.depotfinity.jobs import Job, JobKind
from custom_components.depotfinity.scheduler import FOLLOW_UP_DELAYS
from depotfinity_simulator import SimulatorServer

from .helpers import COMMAND_ROUTE, held_calls

pytestmark = pytest.mark.usefixtures("start_time")


def _sent(simulator: SimulatorServer) -> int:
    return simulator.sim.stats.requests_by_route.get(COMMAND_ROUTE, 0)


async def test_on_off_on_sends_every_command(
    commands: DepotFinityCommands, simulator: SimulatorServer
) -> None:
    """A stop in between ends the sharing of the first start: the last start is sent.

    (The charger refuses a start while the stopped session finishes; what matters
    is that the start went out and its own answer came back, not the first one's.)
    """
    first = await commands.start_charging("CH-01", 1)
    assert first.accepted
    await commands.stop_charging("CH-01", 1)
    with pytest.raises(HomeAssistantError, match="refused the command"):
        await commands.start_charging("CH-01", 1)
    assert _sent(simulator) == 3


async def test_on_off_on_in_flight_sends_every_command(
    hass: HomeAssistant, commands: DepotFinityCommands, simulator: SimulatorServer
) -> None:
    """On, off, on while the first is still in flight: the last on is not the first's answer."""
    with held_calls(commands.client, "send_remote_command") as release:
        calls = (
            commands.start_charging("CH-01", 1),
            commands.stop_charging("CH-01", 1),
            commands.start_charging("CH-01", 1),
        )
        tasks = []
        for call in calls:
            tasks.append(hass.async_create_task(call))
            await asyncio.sleep(0)
        release.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        sent = [str(c.args[1]) for c in commands.client.send_remote_command.call_args_list]
    assert sent == ["startChargingSession", "stopChargingSession", "startChargingSession"]


async def test_same_command_twice_is_still_shared(
    commands: DepotFinityCommands, simulator: SimulatorServer
) -> None:
    """Without anything in between, a double start within a second sends one request."""
    first = await commands.start_charging("CH-01", 1)
    second = await commands.start_charging("CH-01", 1)
    assert second is first
    assert _sent(simulator) == 1


async def test_a_cancelled_caller_cancels_nothing(
    hass: HomeAssistant, commands: DepotFinityCommands, simulator: SimulatorServer
) -> None:
    """Two callers share a start in flight; cancelling one leaves the other its result."""
    with held_calls(commands.client, "send_remote_command") as release:
        first = hass.async_create_task(commands.start_charging("CH-01", 1))
        second = hass.async_create_task(commands.start_charging("CH-01", 1))
        await asyncio.sleep(0)
        first.cancel()
        await asyncio.sleep(0)
        release.set()
        result = await second
    assert result.accepted
    assert first.cancelled()
    assert _sent(simulator) == 1
    assert simulator.sim.connector_status("CH-01", 1) != "Available"


async def test_malformed_answer_to_a_command_is_uncertain(
    init_integration: MockConfigEntry,
    commands: DepotFinityCommands,
    simulator: SimulatorServer,
) -> None:
    """A 200 that cannot be read: "may or may not have reached", and a read follows."""
    planner = init_integration.runtime_data.coordinator.planner
    job = Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)
    planner.reschedule(job, 600)
    simulator.sim.faults.queue("malformed", path_prefix="/v1/chargerControl")
    with pytest.raises(HomeAssistantError, match="may or may not have reached") as err:
        await commands.start_charging("CH-01", 1)
    assert err.value.translation_key == "command_uncertain"
    assert planner.due_in(job) == FOLLOW_UP_DELAYS[0]
    assert _sent(simulator) == 1
