"""Mapping of HTTP error responses to exceptions, and redaction helpers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import math
from typing import Any

from .const import MAX_RETRY_AFTER
from .exceptions import (
    DepotFinityAccessError,
    DepotFinityCommandRejectedError,
    DepotFinityConflictError,
    DepotFinityError,
    DepotFinityNotFoundError,
    DepotFinityPackageError,
    DepotFinityRateLimitError,
    DepotFinityServerError,
    DepotFinityUnavailableError,
    DepotFinityValidationError,
    ErrorDetails,
)

_REDACTED = "**REDACTED**"


def redact(tag: str | None) -> str:
    """Return a log-safe stand-in for an RFID tag (keeps at most the last two characters)."""
    if not tag:
        return "***"
    return "***" + tag[-2:] if len(tag) > 4 else "***"


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every secret value in ``text``."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, _REDACTED)
    return text


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Parse ``Retry-After`` given as seconds or as an HTTP date; ``None`` if absent/invalid."""
    if value is None or not (value := value.strip()):
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except TypeError, ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def _body_fields(text: str) -> tuple[str | None, str | None]:
    """Return ``(message, response.status)`` of an error body if it is JSON."""
    try:
        data: Any = json.loads(text)
    except ValueError:
        return None, None
    if not isinstance(data, Mapping):
        return None, None
    message: str | None = None
    status: str | None = None
    inner = data.get("response")
    if isinstance(inner, Mapping):
        if isinstance(inner_message := inner.get("message"), str) and inner_message:
            message = inner_message
        if isinstance(inner_status := inner.get("status"), str):
            status = inner_status
    if message is None:
        for key in ("message", "error_description", "error"):
            if isinstance(value := data.get(key), str) and value:
                message = value
                break
    return message, status


def error_from_response(
    status: int,
    text: str,
    headers: Mapping[str, str],
    *,
    api: str,
    context: str = "",
) -> DepotFinityError:
    """Build the exception for an HTTP error response (``text`` must already be scrubbed)."""
    message, response_status = _body_fields(text)
    where = f" from {context}" if context else ""
    summary = f"HTTP {status}{where}" + (f": {message}" if message else "")
    details: ErrorDetails = {"status": status, "body": text, "message": message}
    if status == 400:
        if response_status is not None and response_status.lower() == "rejected":
            return DepotFinityCommandRejectedError(summary, **details)
        return DepotFinityValidationError(summary, **details)
    if status == 401:
        return DepotFinityAccessError(
            f"{summary} (the {api} API refuses access)", api=api, **details
        )
    if status == 403:
        return DepotFinityPackageError(
            f"{summary} (is the {api} API in the subscribed package?)", api=api, **details
        )
    if status == 404:
        return DepotFinityNotFoundError(summary, **details)
    if status == 409:
        return DepotFinityConflictError(summary, **details)
    # Without a (valid) header retry_after stays None: the limiter chooses the back-off.
    if (retry_after := parse_retry_after(headers.get("Retry-After"))) is not None:
        retry_after = min(retry_after, MAX_RETRY_AFTER)
    if status == 429:
        return DepotFinityRateLimitError(summary, retry_after=retry_after, **details)
    if status in (503, 504):
        return DepotFinityUnavailableError(summary, retry_after=retry_after, **details)
    if status >= 500:
        return DepotFinityServerError(summary, **details)
    return DepotFinityError(summary, **details)
