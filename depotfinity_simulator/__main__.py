"""Command line: ``python -m depotfinity_simulator --port 8080 --chargers 6 --connectors 2``."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from datetime import datetime
import logging
import signal
import sys
from typing import Any, Final

from depotfinity_simulator.config import PACKAGES, SimulatorConfig, mode_from_env
from depotfinity_simulator.depot import DepotSimulator
from depotfinity_simulator.guesses import help_epilog
from depotfinity_simulator.testing import SimulatorServer

#: Numeric flags that map one-to-one to a ``SimulatorConfig`` field:
#: (flag, config field, type, CLI default, help).
CONFIG_FLAGS: Final[tuple[tuple[str, str, Callable[[str], Any], float, str], ...]] = (
    ("--chargers", "chargers", int, 3, "number of chargers (CH-01 ...)"),
    ("--connectors", "connectors", int, 2, "connectors per charger"),
    ("--groups", "groups", int, 1, "number of charger (power) groups"),
    ("--token-lifetime", "token_lifetime", int, 3600, "token lifetime (virtual seconds)"),
    ("--rate-limit", "rate_limit", int, 100, "API requests allowed per window per IP"),
    ("--rate-window", "rate_window", float, 300.0, "rate-limit window (virtual seconds)"),
    ("--speed", "speed", float, 1.0, "virtual seconds per real second (0 = frozen)"),
    ("--seed", "seed", int, 1, "random seed (runs are reproducible)"),
    ("--arrival-rate", "arrival_rate_per_hour", float, 0.5, "vehicle arrivals per connector-hour"),
    ("--fault-rate", "fault_rate_per_hour", float, 0.05, "random faults per charger-hour"),
    (
        "--unavailable-rate",
        "unavailable_rate_per_hour",
        float,
        0.02,
        "random connector outages (Unavailable) per connector-hour",
    ),
    (
        "--reconnect-delay",
        "reconnect_delay",
        float,
        60.0,
        "seconds a charger stays offline after a force-terminate",
    ),
    ("--history-days", "history_days", int, 30, "days of past transactions to seed"),
    ("--max-power", "max_power_w", float, 150_000, "maximum power per charger (W)"),
    ("--latency", "latency", float, 0.0, "real seconds added to every API request"),
    (
        "--maintenance-every",
        "maintenance_every",
        float,
        0.0,
        "open a maintenance window (503) every N virtual seconds (0 = never)",
    ),
    (
        "--maintenance-duration",
        "maintenance_duration",
        float,
        90.0,
        "length of each maintenance window (virtual seconds)",
    ),
)


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Show defaults and keep the epilog's line breaks."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (every flag is documented in ``--help``).

    The epilog lists every guessed (undocumented) behaviour and what each mode does.
    """
    parser = argparse.ArgumentParser(
        prog="python -m depotfinity_simulator",
        description="Serve a simulated DepotFinity depot over HTTP (API, token endpoint\n"
        "and the /_admin/ API on one port). Stop it with Ctrl+C or SIGTERM.",
        epilog=help_epilog(),
        formatter_class=_HelpFormatter,
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on")
    add("--port", type=int, default=8080, help="TCP port to listen on (0 = any free port)")
    for flag, field, kind, default, text in CONFIG_FLAGS:
        metavar = flag.removeprefix("--").replace("-", "_").upper()
        add(flag, dest=field, metavar=metavar, type=kind, default=default, help=text)
    add("--package", choices=sorted(PACKAGES), default="premium", help="subscription package")
    add("--client-id", default="demo-client", help="OAuth client id accepted by /oauth2/token")
    add("--client-secret", default="demo-secret", help="OAuth client secret")
    add("--start", default=None, help="virtual start time, ISO-8601 with offset (default: now)")
    add("--enforce-rfid", action="store_true", help="remote start needs a known, enabled RFID")
    add(
        "--documented-only",
        action="store_true",
        help="follow only the documented API where a guess has a documented alternative "
        "(also selected by DEPOTFINITY_SIMULATOR_MODE=documented); see the list below",
    )
    add(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """Build the simulator configuration from parsed arguments (and the mode variable).

    ``--documented-only`` or ``DEPOTFINITY_SIMULATOR_MODE=documented`` selects the
    documented-only mode; an invalid variable value raises ``ValueError``.
    """
    start = datetime.fromisoformat(args.start) if args.start else None
    numbers = {field: getattr(args, field) for _flag, field, *_rest in CONFIG_FLAGS}
    return SimulatorConfig(
        **numbers,
        start=start,
        client_id=args.client_id,
        client_secret=args.client_secret,
        package=args.package,
        enforce_rfid=args.enforce_rfid,
        documented_only=args.documented_only or mode_from_env(),
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
