"""The shared limiter against the simulator's 100 requests / 5 min rule (virtual time)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityRateLimitError,
    Priority,
    RequestLimiter,
)

from .conftest import virtual_limiter, virtual_sleep

if TYPE_CHECKING:
    from collections.abc import Callable

    from depotfinity_simulator import SimulatorServer


async def test_burst_of_150_requests_causes_no_429(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    chargers = server.sim.charger_ids
    records = await asyncio.gather(
        *(client.get_charger_status(chargers[i % len(chargers)]) for i in range(150))
    )
    assert len(records) == 150
    assert server.sim.stats.total_requests == 150
    assert server.sim.stats.responses_429 == 0
    # The burst had to spread over more than one virtual window.
    assert server.clock.monotonic() >= 300


async def test_sequential_burst_of_150_requests_causes_no_429(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    for _ in range(150):
        await client.get_connector_status(charger, 1)
    assert server.sim.stats.responses_429 == 0
    assert server.sim.stats.total_requests == 150


async def test_without_the_limiter_the_simulator_does_answer_429(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient], charger: str
) -> None:
    # Control experiment: the zero above is only meaningful if the simulator enforces the rule.
    permissive = virtual_limiter(server.clock, max_requests=1000, command_reserve=0)
    client = make_client(limiter=permissive)
    results = await asyncio.gather(
        *(client.get_charger_status(charger) for _ in range(110)), return_exceptions=True
    )
    rejected = [r for r in results if isinstance(r, DepotFinityRateLimitError)]
    assert rejected
    assert server.sim.stats.responses_429 == len(rejected)


async def test_commands_bypass_a_queue_of_polls(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient], charger: str
) -> None:
    gate = asyncio.Event()
    advance = virtual_sleep(server.clock)
    sleepers = 0

    async def gated_sleep(delay: float) -> None:
        nonlocal sleepers
        sleepers += 1
        await gate.wait()
        await advance(delay)

    limiter = RequestLimiter(clock=server.clock.monotonic, sleep=gated_sleep)
    client = make_client(limiter=limiter)
    polls = [asyncio.create_task(client.get_charger_status(charger)) for _ in range(95)]
    # The token request took one of the 90 slots polls may use.
    for _ in range(200):
        await asyncio.sleep(0.01)
        if sum(poll.done() for poll in polls) == 89 and sleepers == 6:
            break
    assert sum(poll.done() for poll in polls) == 89
    assert sleepers == 6
    # The polls are queued; a command still goes out at once.
    result = await client.force_terminate(charger)
    assert result.accepted
    assert not all(poll.done() for poll in polls)
    assert limiter.used() == 91
    gate.set()
    await asyncio.gather(*polls)
    assert server.sim.stats.responses_429 == 0
    assert server.sim.stats.total_requests == 96


async def test_command_fails_fast_when_the_window_is_full(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    """The token request counts too (the documented limit names no exemption)."""
    for _ in range(89):
        await client.get_charger_status(charger)
    for _ in range(10):
        await client.force_terminate(charger)
    assert client.limiter.used() == 100  # the token, 89 polls, 10 commands
    with pytest.raises(DepotFinityRateLimitError) as err:
        await client.force_terminate(charger)
    assert err.value.retry_after == pytest.approx(301, abs=1)
    assert server.sim.stats.total_requests + server.sim.stats.token_requests == 100
    assert server.sim.stats.responses_429 == 0


async def test_a_polls_token_never_takes_a_slot_kept_for_commands(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient], charger: str
) -> None:
    # Polls may use 2 of the 4 slots: a token and one read.
    limiter = virtual_limiter(server.clock, max_requests=4, command_reserve=2)
    client = make_client(limiter=limiter, poll_max_wait=0.0)
    await client.get_charger_status(charger)
    assert limiter.used() == 2
    client.auth.invalidate()  # the next poll needs a token, and the polls' slots are spent
    with pytest.raises(DepotFinityRateLimitError):
        await client.get_charger_status(charger)
    assert limiter.used() == 2
    assert limiter.available(Priority.COMMAND) == 2
    # Both kept slots are there for a command: its token and the command itself.
    server.sim.plug_in(charger, 1, auto_start=False)
    result = await client.start_charging(charger, 1, "89C4704A")
    assert result.accepted
    assert server.sim.stats.responses_429 == 0
