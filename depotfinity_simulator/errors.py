"""Exceptions that handlers raise and the error middleware turns into JSON responses."""

from __future__ import annotations

from typing import Any

INVALID_PAYLOAD = "Operation denied: Invalid Payload."


class SimulatorError(ValueError):
    """A simulator command could not be applied (bad id, wrong state, ...)."""


class ApiError(Exception):
    """An HTTP error with a JSON body."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        """Store the status, the JSON body and extra headers."""
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


class InvalidPayloadError(ApiError):
    """400 ``Operation denied: Invalid Payload.``."""

    def __init__(self) -> None:
        """Build the documented invalid-payload error."""
        super().__init__(400, {"message": INVALID_PAYLOAD})


class NotFoundError(ApiError, LookupError):
    """404 with a ``message`` (also raised by the Python interface for unknown ids)."""

    def __init__(self, message: str) -> None:
        """Build a 404 with ``message``."""
        super().__init__(404, {"message": message})
