"""Run the simulator on a free loopback port, for tests and benchmarks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from aiohttp import web

from .app import create_app
from .config import SimulatorConfig, mode_from_env
from .depot import DepotSimulator

if TYPE_CHECKING:
    from types import TracebackType

    from .clock import VirtualClock

#: How long shutdown waits for requests still in progress before cancelling them.
SHUTDOWN_TIMEOUT = 2.0


class SimulatorServer:
    """Serve a ``DepotSimulator`` over HTTP; use as ``async with SimulatorServer(cfg) as s``."""

    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        sim: DepotSimulator | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Prepare a server for ``sim`` (or a new simulator built from ``config``).

        Without either, the default configuration is used, in the documented-only mode when
        ``DEPOTFINITY_SIMULATOR_MODE=documented`` (see ``config.mode_from_env``).
        """
        if sim is None and config is None:
            config = SimulatorConfig(documented_only=mode_from_env())
        self.sim = sim or DepotSimulator(config)
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def clock(self) -> VirtualClock:
        """Return the simulator's virtual clock."""
        return self.sim.clock

    @property
    def config(self) -> SimulatorConfig:
        """Return the simulator's configuration."""
        return self.sim.config

    @property
    def url(self) -> str:
        """Return the base URL (API paths and ``/oauth2/token`` live under it)."""
        if self._runner is None:
            raise RuntimeError("the server is not running")
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Bind the port and start serving."""
        runner = web.AppRunner(
            create_app(self.sim),
            handle_signals=False,
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        address = runner.addresses[0]
        self.port = int(address[1])

    async def close(self) -> None:
        """Stop serving and release every resource."""
        self.sim.faults.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the server."""
        await self.close()
