"""Token handling against the simulator's token endpoint."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import pytest

from custom_components.depotfinity.api import (
    DepotFinityAuthenticationError,
    DepotFinityClient,
    TokenCache,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from depotfinity_simulator import SimulatorServer


async def test_authenticate_fetches_one_token(
    server: SimulatorServer, client: DepotFinityClient
) -> None:
    await client.authenticate()
    assert server.sim.stats.token_requests == 1
    assert client.auth.valid()
    # A forced authenticate always asks again (the config flow checks the credentials).
    await client.authenticate()
    assert server.sim.stats.token_requests == 2


async def test_token_is_reused_until_the_refresh_margin(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    for _ in range(5):
        await client.get_charger_status(charger)
    assert server.sim.stats.token_requests == 1
    server.clock.advance(3600 - 60 - 1)  # one second before the refresh margin
    await client.get_charger_status(charger)
    assert server.sim.stats.token_requests == 1
    server.clock.advance(2)  # inside the 60 s margin: refresh before the token expires
    await client.get_charger_status(charger)
    assert server.sim.stats.token_requests == 2
    assert server.sim.stats.responses_by_status[401] == 0


async def test_token_expiry_in_the_middle_of_a_sequence(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    await client.get_charger_status(charger)
    await client.get_connector_status(charger, 1)
    server.clock.advance(3600 + 5)  # past expiry: the injected client clock sees it too
    await client.get_charger_connectivity(charger)
    await client.get_connector_status(charger, 2)
    assert server.sim.stats.token_requests == 2
    assert server.sim.stats.responses_by_status[401] == 0
    assert server.sim.stats.total_requests == 4


async def test_401_refreshes_once_and_retries(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient], charger: str
) -> None:
    # The client's own clock does not see the virtual expiry, so the server answers 401.
    client = make_client(clock=time.monotonic)
    await client.get_charger_status(charger)
    server.clock.advance(3600 + 5)
    record = await client.get_charger_status(charger)
    assert record.status
    assert server.sim.stats.responses_by_status[401] == 1
    assert server.sim.stats.token_requests == 2
    assert server.sim.stats.total_requests == 3


async def test_clients_sharing_a_token_cache_ask_for_one_token(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient], charger: str
) -> None:
    cache = TokenCache()
    await make_client(token_cache=cache).get_charger_status(charger)
    # A new client of the same credentials (a reload) takes the token at hand.
    reloaded = make_client(token_cache=cache)
    assert reloaded.auth.valid()
    await reloaded.get_charger_status(charger)
    assert server.sim.stats.token_requests == 1
    # Other credentials, or a client with no cache, never get it.
    assert not make_client(client_secret="another secret", token_cache=cache).auth.valid()
    assert not make_client().auth.valid()
    # Once due for refresh, the first client to need one asks; the others take the new one.
    server.clock.advance(3600)
    late = make_client(token_cache=cache)
    assert not late.auth.valid()
    await late.get_charger_status(charger)
    assert server.sim.stats.token_requests == 2
    assert reloaded.auth.valid()
    await reloaded.get_charger_status(charger)
    assert server.sim.stats.token_requests == 2


async def test_a_token_the_server_refuses_leaves_the_cache(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient], charger: str
) -> None:
    cache = TokenCache()
    # The clients' own clock does not see the virtual expiry, so the server answers 401.
    first = make_client(clock=time.monotonic, token_cache=cache)
    await first.get_charger_status(charger)
    server.clock.advance(3600 + 5)
    await make_client(clock=time.monotonic, token_cache=cache).get_charger_status(charger)
    assert server.sim.stats.responses_by_status[401] == 1
    assert server.sim.stats.token_requests == 2
    # The first client sends the refreshed token, not its refused one.
    await first.get_charger_status(charger)
    assert server.sim.stats.responses_by_status[401] == 1
    assert server.sim.stats.token_requests == 2


async def test_bad_credentials_raise_without_retry_loop(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient]
) -> None:
    client = make_client(client_secret="wrong-secret")
    with pytest.raises(DepotFinityAuthenticationError) as err:
        await client.authenticate()
    assert err.value.status == 403
    assert err.value.message == "invalid_client"
    assert "wrong-secret" not in (err.value.body or "")
    with pytest.raises(DepotFinityAuthenticationError):
        await client.get_charger_status(server.sim.charger_ids[0])
    assert server.sim.stats.token_requests == 2
    assert server.sim.stats.total_requests == 0


async def test_concurrent_callers_share_one_token_request(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    results = await asyncio.gather(*(client.get_charger_status(charger) for _ in range(20)))
    assert len(results) == 20
    assert server.sim.stats.token_requests == 1
    assert client.auth.requests == 1
    assert server.sim.stats.total_requests == 20


async def test_concurrent_callers_share_one_failed_token_request(
    server: SimulatorServer, make_client: Callable[..., DepotFinityClient], charger: str
) -> None:
    client = make_client(client_id="nobody")
    results = await asyncio.gather(
        *(client.get_charger_status(charger) for _ in range(20)), return_exceptions=True
    )
    assert all(isinstance(result, DepotFinityAuthenticationError) for result in results)
    assert server.sim.stats.token_requests == 1
