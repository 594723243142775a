"""The command line: parse arguments, check the integration, print the result."""

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from .integration import Options
from .report import evaluate
from .rules import ALL_RULES

REPO_ROOT: Final = Path(__file__).resolve().parents[2]
DEFAULT_INTEGRATION: Final = REPO_ROOT / "custom_components" / "depotfinity"


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        description="Check quality_scale.yaml of a Home Assistant integration against its code."
    )
    parser.add_argument(
        "--integration",
        type=Path,
        default=DEFAULT_INTEGRATION,
        help="integration directory (default: custom_components/depotfinity)",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        default=None,
        help="README checked by the docs-* rules (default: README.md two levels up)",
    )
    parser.add_argument(
        "--skip-mypy", action="store_true", help="do not run mypy --strict for strict-typing"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show every rule")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the checker; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    path: Path = args.integration.resolve()
    if not path.is_dir():
        parser.error(f"integration directory {args.integration} not found")
    outcome = evaluate(path, Options(skip_mypy=args.skip_mypy, readme=args.readme))
    if args.verbose:
        for line in outcome.details:
            print(line)
    for rule, reason in outcome.failures:
        print(f"FAIL {rule}: {reason}")
    counts = outcome.counts
    print(f"tier: {outcome.tier}")
    print(
        f"IQS: {counts['done']} done, {counts['exempt']} exempt, {counts['todo']} todo "
        f"of {len(ALL_RULES)}"
    )
    return 0 if outcome.ok else 1
