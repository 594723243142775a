"""Fixtures of the API client tests: the simulator over real loopback HTTP, and a stub."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.depotfinity.api import DepotFinityClient, RequestLimiter
from depotfinity_simulator import SimulatorConfig, SimulatorServer, testing
from depotfinity_simulator.config import mode_from_env

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

CLIENT_ID = "demo-client"
CLIENT_SECRET = "demo-secret"

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
#: A fixture that builds clients: ``make(client_id=..., client_secret=..., **client_options)``.
type MakeClient = Callable[..., DepotFinityClient]


class _Clock(Protocol):
    def monotonic(self) -> float: ...

    def advance(self, seconds: float) -> None: ...


def virtual_sleep(
    clock: _Clock, idle: Callable[[], bool] = lambda: True
) -> Callable[[float], Awaitable[None]]:
    """A limiter ``sleep`` that advances the virtual clock instead of waiting.

    Concurrent sleepers compute their wake-up time when they start sleeping, so the clock moves
    to the latest of those times once, not by the sum of all delays. Virtual time only moves
    once ``idle()`` (no request in flight), as real time would not pass during a request either.
    """

    async def sleep(delay: float) -> None:
        target = clock.monotonic() + delay
        await asyncio.sleep(0)
        while not idle():  # noqa: ASYNC110 - polls the limiter, which has no hook to wait on
            await asyncio.sleep(0.001)
        if (late := target - clock.monotonic()) > 0:
            clock.advance(late)

    return sleep


def virtual_limiter(clock: _Clock, **kwargs: Any) -> RequestLimiter:
    """A limiter on the virtual clock whose sleeps advance it (once no request is in flight)."""
    holder: list[RequestLimiter] = []
    sleep = virtual_sleep(clock, lambda: holder[0].in_flight() == 0)
    holder.append(RequestLimiter(clock=clock.monotonic, sleep=sleep, **kwargs))
    return holder[0]


# The simulator's clock starts here: a test's times never depend on the hour it runs at.
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def sim_config() -> SimulatorConfig:
    """Default simulator configuration (override by parametrising ``sim_config``)."""
    return SimulatorConfig(
        chargers=3,
        connectors=2,
        seed=1,
        speed=0.0,
        start=START,
        documented_only=mode_from_env(),
    )


@pytest.fixture
def loopback_sockets(socket_enabled: None) -> None:
    """Allow real sockets; connections stay restricted to 127.0.0.1 by the test plugin."""


@dataclass(frozen=True)
class SeenRequest:
    """A request as the simulator received it (before any of its own middlewares)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def seen_requests(monkeypatch: pytest.MonkeyPatch) -> list[SeenRequest]:
    """Every request the simulator receives, recorded by an outermost middleware of ours."""
    seen: list[SeenRequest] = []
    create_app = testing.create_app

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.read()
        seen.append(SeenRequest(request.method, request.path, dict(request.headers), body))
        return await handler(request)

    def recording_app(sim: Any) -> web.Application:
        app = create_app(sim)
        app.middlewares.insert(0, record)
        return app

    monkeypatch.setattr(testing, "create_app", recording_app)
    return seen


@pytest.fixture
async def server(
    sim_config: SimulatorConfig, loopback_sockets: None, seen_requests: list[SeenRequest]
) -> AsyncIterator[SimulatorServer]:
    """A running simulator on 127.0.0.1 (its requests are recorded in ``seen_requests``)."""
    async with SimulatorServer(sim_config) as server:
        yield server


@pytest.fixture
async def session(loopback_sockets: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session (closed after the test)."""
    async with aiohttp.ClientSession() as session:
        yield session


def client_factory(
    session: aiohttp.ClientSession,
    url: str,
    new_limiter: Callable[[], RequestLimiter],
    **defaults: Any,
) -> MakeClient:
    """Build clients of ``url`` (API and token endpoint), each with a limiter of its own.

    Keyword arguments of a call override ``defaults``, which override the URLs.
    """

    def make(
        client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET, **kwargs: Any
    ) -> DepotFinityClient:
        options = {"api_url": url, "auth_url": url, **defaults, **kwargs}
        if "limiter" not in options:
            options["limiter"] = new_limiter()
        return DepotFinityClient(session, client_id, client_secret, **options)

    return make


@pytest.fixture
def make_client(server: SimulatorServer, session: aiohttp.ClientSession) -> MakeClient:
    """Build clients bound to the simulator, its virtual clock and a private limiter."""
    return client_factory(
        session, server.url, lambda: virtual_limiter(server.clock), clock=server.clock.monotonic
    )


@pytest.fixture
def client(make_client: MakeClient) -> DepotFinityClient:
    """A client with the demo credentials."""
    return make_client()


@pytest.fixture
def charger(server: SimulatorServer) -> str:
    """The ID of the simulator's first charger."""
    return server.sim.charger_ids[0]


# ------------------------------------------------------------------------------ stub server

#: A reply status that drops the connection instead of answering.
DROP = 599

type Reply = tuple[int, str | dict[str, Any] | list[Any], dict[str, str]]


@dataclass
class Stub:
    """A tiny loopback API for cases the simulator cannot produce.

    ``token_replies``/``api_replies`` are consumed in order; the last one repeats.
    """

    url: str = ""
    token_replies: list[Reply] = field(
        default_factory=lambda: [
            (200, {"access_token": "stub-token", "expires_in": 3600, "token_type": "bearer"}, {})
        ]
    )
    api_replies: list[Reply] = field(default_factory=lambda: [(200, {"message": "ok"}, {})])
    token_delay: float = 0.0
    api_delay: float = 0.0
    token_requests: int = 0
    api_requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)

    @staticmethod
    def _response(reply: Reply) -> web.Response:
        status, body, headers = reply
        text = body if isinstance(body, str) else json.dumps(body)
        return web.Response(status=status, text=text, headers=headers)

    async def token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        if self.token_delay:
            await asyncio.sleep(self.token_delay)
        reply = self.token_replies[0] if len(self.token_replies) == 1 else self.token_replies.pop(0)
        return self._response(reply)

    async def api(self, request: web.Request) -> web.Response:
        self.api_requests.append(
            (request.method, request.raw_path, request.headers.get("Authorization"))
        )
        self.bodies.append(await request.text())
        if self.api_delay:
            await asyncio.sleep(self.api_delay)
        reply = self.api_replies[0] if len(self.api_replies) == 1 else self.api_replies.pop(0)
        if reply[0] == DROP and request.transport is not None:
            request.transport.close()  # the client sees the connection drop, no response
        return self._response(reply)


@pytest.fixture
async def stub(loopback_sockets: None) -> AsyncIterator[Stub]:
    """Start the stub API on 127.0.0.1."""
    stub = Stub()
    app = web.Application()
    app.router.add_post("/oauth2/token", stub.token)
    app.router.add_route("*", "/{tail:.*}", stub.api)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    stub.url = str(test_server.make_url("")).rstrip("/")
    try:
        yield stub
    finally:
        await test_server.close()


@pytest.fixture
def make_stub_client(stub: Stub, session: aiohttp.ClientSession) -> MakeClient:
    """Build clients bound to the stub, each with a limiter of its own (5 s timeout)."""
    return client_factory(session, stub.url, RequestLimiter, request_timeout=5.0)


@pytest.fixture
def stub_client(make_stub_client: MakeClient) -> DepotFinityClient:
    """A client bound to the stub (its own limiter)."""
    return make_stub_client()


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
