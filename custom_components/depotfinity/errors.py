"""The translation of client errors shared by polling and commands."""

from __future__ import annotations

from .api import (
    DepotFinityConnectionError,
    DepotFinityError,
    DepotFinityRateLimitError,
    DepotFinityUnavailableError,
)


def retry_seconds(value: float | None) -> str:
    """How long to wait, as said in a message."""
    return "a few" if value is None else str(max(1, round(value)))


def error_translation(err: DepotFinityError) -> tuple[str, dict[str, str]]:
    """Translation key and placeholders for a service-level error.

    Rate limits and outages say when to retry; the rest names the error.
    """
    if isinstance(err, DepotFinityRateLimitError):
        return "rate_limited", {"retry_after": retry_seconds(err.retry_after)}
    if isinstance(err, DepotFinityUnavailableError):
        return "service_unavailable", {"retry_after": retry_seconds(err.retry_after)}
    if isinstance(err, DepotFinityConnectionError):
        return "cannot_connect", {"error": str(err)}
    return "unexpected_error", {"error": str(err)}
