"""Back-off after 429/503 without ``Retry-After``, capped headers, and the token endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.depotfinity.api import (
    DepotFinityClient,
    DepotFinityRateLimitError,
    DepotFinityUnavailableError,
    Priority,
    RequestLimiter,
)
from tests.helpers import DOCUMENTED

from .conftest import FakeClock, Stub

if TYPE_CHECKING:
    from depotfinity_simulator import SimulatorServer

    from .conftest import MakeClient, Reply

OK = (200, {"items": [{"status": "Available"}]}, {})
TOKEN = (200, {"access_token": "stub-token", "expires_in": 3600, "token_type": "bearer"}, {})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed_client(make_stub_client: MakeClient, clock: FakeClock) -> DepotFinityClient:
    """A stub client whose limiter and token run on ``clock``."""
    return make_stub_client(clock=clock, limiter=RequestLimiter(clock=clock))


async def test_429_without_retry_after_waits_for_the_oldest_request_to_leave_the_window(
    stub: Stub, timed_client: DepotFinityClient, clock: FakeClock
) -> None:
    stub.api_replies = [OK, OK, (429, {"message": "Too Many Requests"}, {})]
    await timed_client.get_charger_status("CH-01")  # t = 1000: the oldest of the window
    clock.now += 10
    await timed_client.get_charger_status("CH-01")
    clock.now += 40
    with pytest.raises(DepotFinityRateLimitError) as err:
        await timed_client.get_charger_status("CH-01")
    # The request of t = 1000 leaves the window (300 s + 1 s margin) at t = 1301; now is 1050.
    assert err.value.status == 429
    assert err.value.retry_after == pytest.approx(251)
    assert timed_client.limiter.blocked_for() == pytest.approx(251)
    # Meanwhile neither polls nor commands go out.
    clock.now += 250
    for priority in Priority:
        with pytest.raises(DepotFinityRateLimitError) as err:
            await timed_client.get_charger_status("CH-01", priority=priority)
        assert err.value.status is None
        assert err.value.retry_after == pytest.approx(1)
    assert len(stub.api_requests) == 3
    clock.now += 1
    stub.api_replies = [OK]
    assert (await timed_client.get_charger_status("CH-01")).status == "Available"


@pytest.mark.parametrize(
    ("reply", "error", "pause"),
    [
        pytest.param(
            (429, "", {}), DepotFinityRateLimitError, 300, id="429_alone_in_the_window_waits_it_all"
        ),
        pytest.param(
            (429, "", {"Retry-After": "86400"}),
            DepotFinityRateLimitError,
            300,
            id="absurd_429_retry_after_capped_at_the_window",
        ),
        pytest.param(
            (503, "", {"Retry-After": "86400"}),
            DepotFinityUnavailableError,
            300,
            id="absurd_503_retry_after_capped_at_the_window",
        ),
        pytest.param(
            (503, "", {"Retry-After": "45"}),
            DepotFinityUnavailableError,
            45,
            id="plausible_retry_after_honoured",
        ),
    ],
)
async def test_one_fault_blocks_the_client(
    stub: Stub, timed_client: DepotFinityClient, reply: Reply, error: type[Exception], pause: float
) -> None:
    stub.api_replies = [reply]
    with pytest.raises(error) as err:
        await timed_client.get_charger_status("CH-01")
    assert getattr(err.value, "retry_after", None) == pause
    assert timed_client.limiter.blocked_for() == pause


async def test_503_without_retry_after_backs_off_30_60_90_and_a_success_resets(
    stub: Stub, timed_client: DepotFinityClient, clock: FakeClock
) -> None:
    unavailable = (503, {"message": "Service Unavailable"}, {})
    stub.api_replies = [unavailable] * 4 + [OK, unavailable]
    pauses = []
    for _ in range(4):
        with pytest.raises(DepotFinityUnavailableError) as err:
            await timed_client.get_charger_status("CH-01")
        assert err.value.status == 503
        assert timed_client.limiter.blocked_for() == err.value.retry_after
        pauses.append(err.value.retry_after)
        with pytest.raises(DepotFinityUnavailableError):  # blocked: not sent
            await timed_client.get_charger_status("CH-01")
        clock.now += err.value.retry_after or 0
    assert pauses == [30, 60, 90, 90]
    assert len(stub.api_requests) == 4
    await timed_client.get_charger_status("CH-01")
    with pytest.raises(DepotFinityUnavailableError) as err:
        await timed_client.get_charger_status("CH-01")
    assert err.value.retry_after == 30


async def test_no_token_request_while_blocked(
    stub: Stub, timed_client: DepotFinityClient, clock: FakeClock
) -> None:
    stub.api_replies = [(503, "", {})]
    with pytest.raises(DepotFinityUnavailableError):
        await timed_client.get_charger_status("CH-01")
    assert stub.token_requests == 1
    timed_client.auth.invalidate()  # the token is due: a request would need a new one
    clock.now += 10
    for call in (timed_client.authenticate, lambda: timed_client.get_charger_status("CH-01")):
        with pytest.raises(DepotFinityUnavailableError) as err:
            await call()
        assert err.value.status is None
        assert err.value.retry_after == pytest.approx(20)
    assert stub.token_requests == 1
    assert len(stub.api_requests) == 1


@pytest.mark.parametrize(
    ("reply", "error", "pause"),
    [
        ((503, "", {}), DepotFinityUnavailableError, 30),
        ((429, "", {}), DepotFinityRateLimitError, 300),
        ((503, "", {"Retry-After": "90"}), DepotFinityUnavailableError, 90),
        ((429, "", {"Retry-After": "99999"}), DepotFinityRateLimitError, 300),
    ],
)
async def test_a_token_endpoint_429_or_503_sets_the_back_off(
    stub: Stub,
    timed_client: DepotFinityClient,
    clock: FakeClock,
    reply: object,
    error: type[Exception],
    pause: float,
) -> None:
    stub.token_replies = [reply, TOKEN]  # type: ignore[list-item]
    with pytest.raises(error) as err:
        await timed_client.get_charger_status("CH-01")
    assert getattr(err.value, "retry_after", None) == pause
    assert timed_client.limiter.blocked_for() == pause
    clock.now += pause - 1
    with pytest.raises(error):
        await timed_client.get_charger_status("CH-01")
    assert stub.token_requests == 1
    clock.now += 1
    stub.api_replies = [OK]
    await timed_client.get_charger_status("CH-01")
    assert stub.token_requests == 2
    assert len(stub.api_requests) == 1


async def test_maintenance_does_not_hammer_the_token_endpoint(
    server: SimulatorServer, client: DepotFinityClient, charger: str
) -> None:
    # The audit's case: a token falls due during a 90 s maintenance; one poll every 5 s.
    await client.get_charger_status(charger)
    server.clock.advance(3600)
    server.sim.faults.maintenance(duration=90)
    for _ in range(18):
        with pytest.raises(DepotFinityUnavailableError) as err:
            await client.get_charger_status(charger)
        assert err.value.retry_after
        server.clock.advance(5)
    # The first token, then one token request per back-off: told 90 s, the maintenance's
    # end; documented-only (no Retry-After), the client's own 30 s, then 60 s.
    answered_503 = 2 if DOCUMENTED else 1
    assert server.sim.stats.token_requests == 1 + answered_503
    assert (await client.get_charger_status(charger)).status
    assert server.sim.stats.token_requests == 2 + answered_503
