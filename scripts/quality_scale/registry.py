"""The table of code checks: rule id to a function returning failure reasons."""

from collections.abc import Callable

from .integration import Integration

type Check = Callable[[Integration], list[str]]
CHECKS: dict[str, Check] = {}


def check(*rules: str) -> Callable[[Check], Check]:
    """Register a code check for one or more rules."""

    def register(func: Check) -> Check:
        """Store the check under every rule id; return it unchanged."""
        for rule in rules:
            CHECKS[rule] = func
        return func

    return register
