"""Command line: ``python -m depotfinity_simulator --port 8080 --chargers 6 --connectors 2``."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
import logging
import signal
import sys

from depotfinity_simulator.config import PACKAGES, SimulatorConfig
from depotfinity_simulator.depot import DepotSimulator
from depotfinity_simulator.testing import SimulatorServer


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (every flag is documented in ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="python -m depotfinity_simulator",
        description="Serve a simulated DepotFinity depot over HTTP (API, token endpoint "
        "and the /_admin/ API on one port). Stop it with Ctrl+C or SIGTERM.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on")
    add("--port", type=int, default=8080, help="TCP port to listen on (0 = any free port)")
    add("--chargers", type=int, default=3, help="number of chargers (CH-01 ...)")
    add("--connectors", type=int, default=2, help="connectors per charger")
    add("--groups", type=int, default=1, help="number of charger (power) groups")
    add("--package", choices=sorted(PACKAGES), default="premium", help="subscription package")
    add("--client-id", default="demo-client", help="OAuth client id accepted by /oauth2/token")
    add("--client-secret", default="demo-secret", help="OAuth client secret")
    add("--token-lifetime", type=int, default=3600, help="token lifetime (virtual seconds)")
    add("--rate-limit", type=int, default=100, help="API requests allowed per window per IP")
    add("--rate-window", type=float, default=300.0, help="rate-limit window (virtual seconds)")
    add("--speed", type=float, default=1.0, help="virtual seconds per real second (0 = frozen)")
    add("--start", default=None, help="virtual start time, ISO-8601 with offset (default: now)")
    add("--seed", type=int, default=1, help="random seed (runs are reproducible)")
    add("--arrival-rate", type=float, default=0.5, help="vehicle arrivals per connector-hour")
    add("--fault-rate", type=float, default=0.05, help="random faults per charger-hour")
    add(
        "--unavailable-rate",
        type=float,
        default=0.02,
        help="random connector outages (Unavailable) per connector-hour",
    )
    add(
        "--reconnect-delay",
        type=float,
        default=60.0,
        help="seconds a charger stays offline after a force-terminate",
    )
    add("--enforce-rfid", action="store_true", help="remote start needs a known, enabled RFID")
    add("--history-days", type=int, default=30, help="days of past transactions to seed")
    add("--max-power", type=float, default=150_000, help="maximum power per charger (W)")
    add("--latency", type=float, default=0.0, help="real seconds added to every API request")
    add(
        "--maintenance-every",
        type=float,
        default=0.0,
        help="open a maintenance window (503) every N virtual seconds (0 = never)",
    )
    add(
        "--maintenance-duration",
        type=float,
        default=90.0,
        help="length of each maintenance window (virtual seconds)",
    )
    add(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """Build the simulator configuration from parsed arguments."""
    start = datetime.fromisoformat(args.start) if args.start else None
    return SimulatorConfig(
        chargers=args.chargers,
        connectors=args.connectors,
        groups=args.groups,
        seed=args.seed,
        speed=args.speed,
        start=start,
        client_id=args.client_id,
        client_secret=args.client_secret,
        token_lifetime=args.token_lifetime,
        package=args.package,
        rate_limit=args.rate_limit,
        rate_window=args.rate_window,
        fault_rate_per_hour=args.fault_rate,
        arrival_rate_per_hour=args.arrival_rate,
        unavailable_rate_per_hour=args.unavailable_rate,
        reconnect_delay=args.reconnect_delay,
        enforce_rfid=args.enforce_rfid,
        history_days=args.history_days,
        max_power_w=args.max_power,
        latency=args.latency,
        maintenance_every=args.maintenance_every,
        maintenance_duration=args.maintenance_duration,
    )


def banner(server: SimulatorServer) -> list[str]:
    """Return the start-up lines (URL, credentials and ids)."""
    sim = server.sim
    return [
        f"DepotFinity simulator listening on {server.url}",
        f"client_id: {sim.config.client_id}",
        f"client_secret: {sim.config.client_secret}",
        f"chargers: {', '.join(sim.charger_ids)}",
        f"charger_groups: {', '.join(sim.group_ids)}",
        f"sites: {', '.join(sim.site_ids)}",
        f"rfid_tags: {', '.join(sim.rfid_tags)}",
    ]


async def serve(config: SimulatorConfig, host: str, port: int, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set."""
    server = SimulatorServer(sim=DepotSimulator(config), host=host, port=port)
    async with server:
        for line in banner(server):
            print(line, flush=True)
        await stop.wait()


async def _run(config: SimulatorConfig, host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await serve(config, host, port, stop)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def main(argv: list[str] | None = None) -> int:
    """Run the simulator from the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(message)s")
    try:
        config = config_from_args(args)
    except ValueError as err:
        parser.error(str(err))
    try:
        asyncio.run(_run(config, args.host, args.port))
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print("DepotFinity simulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
