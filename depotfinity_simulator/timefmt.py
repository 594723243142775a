"""Timestamp formatting and parsing in the API's style (ISO-8601, milliseconds, ``Z``)."""

from __future__ import annotations

from datetime import UTC, datetime


def format_ts(timestamp: float) -> str:
    """Format a POSIX timestamp as ``2022-10-18T08:37:44.210Z``."""
    moment = datetime.fromtimestamp(round(timestamp, 3), UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_ts(value: object) -> float | None:
    """Parse an ISO-8601 date-time into a POSIX timestamp; ``None`` if it is not one.

    A value without a UTC offset is read as UTC.
    """
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
