"""Fixtures for the simulator tests: a server on loopback and a small HTTP helper."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from depotfinity_simulator import SimulatorConfig, SimulatorServer

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

CLIENT_ID = "test-client"
CLIENT_SECRET = "test-secret"


def basic(user: str, password: str) -> dict[str, str]:
    """Return an ``Authorization: Basic`` header."""
    return {"Authorization": aiohttp.encode_basic_auth(user, password)}


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Allow loopback sockets (the simulator is a real HTTP server)."""


@pytest.fixture
def config() -> SimulatorConfig:
    """Return the default test configuration (manual clock, no random events).

    The clock starts at a fixed time: a test's times never depend on the hour it runs at.
    """
    return SimulatorConfig(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        history_days=3,
        start=datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
    )


@pytest.fixture
async def server(config: SimulatorConfig) -> AsyncIterator[SimulatorServer]:
    """Run a simulator for one test."""
    async with SimulatorServer(config) as srv:
        yield srv


@dataclass
class Api:
    """Tiny client: fetches a token once and sends JSON requests."""

    server: SimulatorServer
    session: aiohttp.ClientSession
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    async def fetch_token(self) -> str:
        """Get a new access token."""
        async with self.session.post(
            f"{self.server.url}/oauth2/token",
            headers=basic(self.server.config.client_id, self.server.config.client_secret),
            data={"grant_type": "client_credentials"},
        ) as resp:
            assert resp.status == 200, await resp.text()
            body = await resp.json()
        self.token = body["access_token"]
        return self.token

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: str | None = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, aiohttp.ClientResponse]:
        """Send a request; return (status, parsed JSON or text, response)."""
        all_headers = dict(headers or {})
        if auth:
            if self.token is None:
                await self.fetch_token()
            all_headers["Authorization"] = f"Bearer {self.token}"
        async with self.session.request(
            method,
            f"{self.server.url}{path}",
            json=json,
            data=data,
            params=params,
            headers=all_headers,
        ) as resp:
            text = await resp.text()
            try:
                body: Any = await resp.json(content_type=None)
            except ValueError:
                body = text
            return resp.status, body, resp

    async def send(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """Send a request; return (status, body)."""
        status, body, _ = await self.call(method, path, **kwargs)
        return status, body

    async def get(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        """GET ``path``; return (status, body)."""
        return await self.send("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        """POST ``path``; return (status, body)."""
        return await self.send("POST", path, **kwargs)

    async def put(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        """PUT ``path``; return (status, body)."""
        return await self.send("PUT", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        """DELETE ``path``; return (status, body)."""
        return await self.send("DELETE", path, **kwargs)


@pytest.fixture
async def api(server: SimulatorServer) -> AsyncIterator[Api]:
    """Return an API helper bound to ``server``."""
    async with aiohttp.ClientSession() as session:
        yield Api(server, session)
