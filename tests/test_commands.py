"""The command sender: one request per command, at once, never retried; errors translated."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import replace
import logging
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.depotfinity.api import CommandResult, Priority
from custom_components.depotfinity.commands import DepotFinityCommands
from custom_components.depotfinity.jobs import Job, JobKind
from depotfinity_simulator import SimulatorServer

from .helpers import COMMAND_ROUTE, ID_TAG, expected_wait, held_calls, setup_integration, tick

pytestmark = pytest.mark.usefixtures("start_time")


async def _gather_held(
    hass: HomeAssistant,
    commands: DepotFinityCommands,
    *calls: Coroutine[Any, Any, CommandResult],
) -> list[CommandResult | BaseException]:
    """Run calls while every request is held in flight; return their results."""
    with held_calls(commands.client, "send_remote_command") as release:
        tasks = [hass.async_create_task(call) for call in calls]
        await asyncio.sleep(0)
        release.set()
        return await asyncio.gather(*tasks, return_exceptions=True)


async def test_concurrent_same_command_sends_one_request(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """A start asked for while the same start is in flight shares its result."""
    first, second = await _gather_held(
        hass,
        commands,
        commands.start_charging("CH-01", 1),
        commands.start_charging("CH-01", 1),
    )
    assert first == second
    assert first.accepted
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1


async def test_other_commands_are_not_shared(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """Another connector, or another idTag, is another command."""
    results = await _gather_held(
        hass,
        commands,
        commands.start_charging("CH-01", 1),
        commands.start_charging("CH-01", 2),
        commands.start_charging("CH-02", 1, "1234ABCD"),
        commands.start_charging("CH-02", 1, "5678ABCD"),
    )
    assert [result.accepted for result in results[:3]] == [True, True, True]
    # Two sessions cannot run on one connector: the second one reached the charger.
    assert isinstance(results[3], HomeAssistantError)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 4


async def test_refusal_is_shared_within_the_window(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    commands: DepotFinityCommands,
) -> None:
    """A refused command asked for again at once gets the same refusal, no request."""
    simulator.sim.inject_fault("CH-01", connector_id=1)
    with pytest.raises(HomeAssistantError) as first:
        await commands.start_charging("CH-01", 1)
    with pytest.raises(HomeAssistantError) as second:
        await commands.start_charging("CH-01", 1)
    assert second.value is first.value
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1
    await tick(hass, freezer, 1.5)
    with pytest.raises(HomeAssistantError, match="refused the command"):
        await commands.start_charging("CH-01", 1)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 2


async def test_unavailable_is_not_retried(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    commands: DepotFinityCommands,
) -> None:
    """A 503 on a command is reported once with its retry time; the command is not resent."""
    simulator.sim.faults.queue("503", retry_after=20)
    wait = expected_wait(20, 30)  # without Retry-After: the client's first 503 back-off
    async with asyncio.timeout(5):
        with pytest.raises(HomeAssistantError, match=f"retry in {wait} seconds") as err:
            await commands.start_charging("CH-01", 1)
    assert err.value.translation_key == "service_unavailable"
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1
    assert simulator.sim.connector_status("CH-01", 1) == "Available"

    # Asked again during the back-off: refused locally, still with the time left.
    await tick(hass, freezer, 5)
    with pytest.raises(HomeAssistantError, match=f"retry in {wait - 5} seconds"):
        await commands.start_charging("CH-01", 1)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1

    await tick(hass, freezer, wait - 4)
    assert (await commands.start_charging("CH-01", 1)).accepted
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 2


async def test_maintenance(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """During maintenance the error says when to retry.

    That is the service's Retry-After, or without one the client's first 30 s back-off.
    """
    simulator.sim.faults.maintenance(90)
    wait = expected_wait(90, 30)
    async with asyncio.timeout(5):
        with pytest.raises(HomeAssistantError, match=f"maintenance.*retry in {wait} seconds"):
            await commands.stop_charging("CH-01", 1)


async def test_commands_use_the_reserve(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """Polls used their whole share: a command still goes; with no slot left it fails fast."""
    limiter = commands.client.limiter
    while limiter.available(Priority.POLL):
        await limiter.acquire(Priority.POLL, 0)
    assert (await commands.start_charging("CH-01", 1)).accepted

    while limiter.available(Priority.COMMAND):
        await limiter.acquire(Priority.COMMAND, 0)
    async with asyncio.timeout(5):
        with pytest.raises(HomeAssistantError, match=r"request limit .* retry in 30\d seconds"):
            await commands.stop_charging("CH-01", 1)
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1


async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """The secret was revoked: the command fails and Home Assistant asks for a new one."""
    simulator.sim.config = replace(simulator.sim.config, client_secret="rotated")
    simulator.sim.tokens.revoke_all()
    with pytest.raises(HomeAssistantError) as err:
        await commands.start_charging("CH-01", 1)
    assert err.value.translation_key == "authentication_failed"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_lost_answer_is_uncertain(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """No answer: the command may have run; the user is told to check, and a read follows."""
    planner = commands.coordinator.planner
    job = Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)
    planner.reschedule(job, 600)
    await simulator.close()
    with pytest.raises(HomeAssistantError, match="may or may not have reached") as err:
        await commands.start_charging("CH-01", 1)
    assert err.value.translation_key == "command_uncertain"
    assert planner.due_in(job) == 3

    # A read that gets no answer is simply a connection error.
    with pytest.raises(HomeAssistantError, match="Could not reach DepotFinity"):
        await commands.list_reservations("CH-01", 1)


async def test_server_error(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """Any other failure is an unexpected error."""
    simulator.sim.faults.queue("500")
    with pytest.raises(HomeAssistantError) as err:
        await commands.start_charging("CH-01", 1)
    assert err.value.translation_key == "unexpected_error"
    assert simulator.sim.stats.requests_by_route[COMMAND_ROUTE] == 1


async def test_invalid_payload_is_refused(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """A command type the service does not know comes back with its message."""
    with pytest.raises(HomeAssistantError, match="Invalid Payload") as err:
        await commands.send_remote_command("CH-01", "resetCharger", 1)
    assert err.value.translation_key == "request_refused"


async def test_not_accepted_result_is_a_refusal(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """A 200 answer whose status is not Accepted is a refusal too."""
    answer = CommandResult("startChargingSession", "NotSupported", None)
    with (
        patch.object(commands.client, "send_remote_command", AsyncMock(return_value=answer)),
        pytest.raises(HomeAssistantError, match="refused the command: NotSupported") as err,
    ):
        await commands.start_charging("CH-01", 1)
    assert err.value.translation_key == "command_rejected"


async def test_unknown_connector_and_package(
    hass: HomeAssistant, simulator: SimulatorServer, commands: DepotFinityCommands
) -> None:
    """404 is a validation error naming the target; 403 names the missing API package."""
    with pytest.raises(ServiceValidationError, match="does not know CH-01 connector 7"):
        await commands.start_charging("CH-01", 7)
    with pytest.raises(ServiceValidationError, match="does not know site-x"):
        await commands.get_energy_prices("site-x")
    simulator.sim.package = "basic"
    with pytest.raises(HomeAssistantError, match="Remote Commands API is not in your") as err:
        await commands.start_charging("CH-01", 1)
    assert err.value.translation_key == "package_missing"


async def test_id_tag_is_never_logged(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Neither a start, a refused start nor a reservation puts the tag in the log."""
    caplog.set_level(logging.DEBUG)  # before the set-up: its log must not name the tag either
    await setup_integration(hass, mock_config_entry, id_tag=ID_TAG)
    commands = mock_config_entry.runtime_data.commands
    await commands.start_charging("CH-01", 1)
    await commands.start_charging("CH-01", 1)
    simulator.sim.inject_fault("CH-02", connector_id=1)
    with pytest.raises(HomeAssistantError) as err:
        await commands.start_charging("CH-02", 1, "ABCD1234")
    assert "ABCD1234" not in str(err.value)
    simulator.sim.faults.queue("429")
    with pytest.raises(HomeAssistantError):
        await commands.start_charging("CH-02", 2)
    assert "remoteCommands" in caplog.text
    assert ID_TAG not in caplog.text
    assert "ABCD1234" not in caplog.text
