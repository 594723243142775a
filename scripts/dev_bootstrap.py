"""Helpers of scripts/develop, run with the development venv's Python (.venv-ha).

    dev_bootstrap.py requirements --config DIR
        Print the pinned Python requirements of every Home Assistant integration
        that the configuration in DIR makes Home Assistant load (and so install).
    dev_bootstrap.py missing FILE
        Print the requirements in FILE that are not installed.
    dev_bootstrap.py constraints
        Print the path of the constraints file Home Assistant installs with.
    dev_bootstrap.py lock --config DIR --requirements FILE --output FILE
        Resolve FILE plus those requirements from scratch and write the pins.
    dev_bootstrap.py http-settings --config DIR --port PORT
        Store loopback-only HTTP settings for Home Assistant (while it is stopped).
    dev_bootstrap.py bootstrap --url URL --simulator-log FILE [--check] [--check-long]
                               [--e2e --screenshots DIR]
        Onboard Home Assistant (owner dev / dev), log in, and add the DepotFinity
        integration for the simulator through the config-flow REST API; with
        --check, also verify the chargers' sensors, a charge, the listening
        ports and the repairs; --check-long checks again after 6 minutes;
        --e2e runs the browser check instead of the API charge.

Everything goes through Home Assistant's own HTTP APIs; only http-settings
writes a file in the configuration directory (Home Assistant's HTTP store).
The work is done by the modules of the devtools package next to this file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
import sys

from devtools.bootstrap import BootstrapOptions, run_bootstrap
from devtools.common import BootstrapError, log
from devtools.http_config import write_http_settings
from devtools.requirements import (
    missing_requirements,
    package_constraints,
    requirement_lines,
    write_lock,
)


def _print_lines(lines: Iterable[object]) -> int:
    """Print one item a line; exit status 0."""
    for line in lines:
        print(line)
    return 0


def cmd_requirements(args: argparse.Namespace) -> int:
    """Print the requirements to pre-install, one a line."""
    return _print_lines(requirement_lines(Path(args.config)))


def cmd_missing(args: argparse.Namespace) -> int:
    """Print the requirements of FILE that are not installed."""
    return _print_lines(missing_requirements(Path(args.file)))


def cmd_constraints(args: argparse.Namespace) -> int:
    """Print the path of Home Assistant's package_constraints.txt."""
    return _print_lines([package_constraints()])


def cmd_lock(args: argparse.Namespace) -> int:
    """Resolve the development venv from scratch and write every pin."""
    write_lock(Path(args.config), Path(args.requirements), Path(args.output))
    return 0


def cmd_http_settings(args: argparse.Namespace) -> int:
    """Store the loopback-only HTTP settings."""
    write_http_settings(Path(args.config), args.port)
    return 0


def cmd_bootstrap(args: argparse.Namespace) -> int:
    """Onboard, log in, add the integration, optionally check."""
    return run_bootstrap(
        BootstrapOptions(
            url=args.url,
            simulator_log=Path(args.simulator_log),
            simulator_pid=args.simulator_pid,
            hass_pid=args.hass_pid,
            timeout=args.timeout,
            check=args.check or args.check_long or args.e2e,
            check_timeout=args.check_timeout,
            check_long_minutes=args.check_long_minutes if args.check_long else None,
            screenshots=Path(args.screenshots) if args.e2e else None,
        )
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, func: Callable[[argparse.Namespace], int], help_: str
    ) -> argparse.ArgumentParser:
        sub_parser = sub.add_parser(name, help=help_)
        sub_parser.set_defaults(func=func)
        return sub_parser

    req = command("requirements", cmd_requirements, "print the requirements to pre-install")
    req.add_argument("--config", default="config")
    mis = command("missing", cmd_missing, "print the requirements of FILE not installed")
    mis.add_argument("file")
    command("constraints", cmd_constraints, "print the path of Home Assistant's constraints")
    lock = command("lock", cmd_lock, "write the pins of the development venv")
    lock.add_argument("--config", default="config")
    lock.add_argument("--requirements", default="requirements/develop.txt")
    lock.add_argument("--output", default="requirements/develop-constraints.txt")
    http = command("http-settings", cmd_http_settings, "store loopback-only HTTP settings")
    http.add_argument("--config", default="config")
    http.add_argument("--port", type=int, default=8123)
    boot = command("bootstrap", cmd_bootstrap, "onboard and add the integration")
    boot.add_argument("--url", default="http://localhost:8123")
    boot.add_argument("--simulator-log", required=True)
    boot.add_argument("--simulator-pid", type=int)
    boot.add_argument("--hass-pid", type=int)
    boot.add_argument("--timeout", type=float, default=600, help="seconds to wait for the start")
    boot.add_argument("--check", action="store_true", help="verify the sensors, exit 0/1")
    boot.add_argument("--check-timeout", type=float, default=180)
    boot.add_argument("--check-long", action="store_true", help="check again after a while")
    boot.add_argument("--check-long-minutes", type=float, default=6)
    boot.add_argument("--e2e", action="store_true", help="the browser check (implies --check)")
    boot.add_argument("--screenshots", default="docs/images", help="folder for --e2e's PNGs")
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    """Run one command; a BootstrapError becomes a log line and exit status 1."""
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    try:
        result: int = args.func(args)
    except BootstrapError as err:
        log(str(err))
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
