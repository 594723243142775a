"""HTTP fault injection: forced error responses, latency and maintenance windows."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import math
from typing import TYPE_CHECKING, Final

from aiohttp import web

if TYPE_CHECKING:
    from .clock import VirtualClock

FAULT_KINDS: Final = ("429", "503", "500", "malformed", "timeout")
SERVICE_UNAVAILABLE: Final = {"message": "Service Unavailable"}
TOO_MANY_REQUESTS: Final = {"message": "Too Many Requests"}
#: Body sent by the ``malformed`` fault: truncated JSON with a JSON content type.
MALFORMED_BODY: Final = '{"items": [{"timeStamp": "2022-10-18T08:37:44.210Z", "status": '


@dataclass(slots=True)
class QueuedFault:
    """Answer the next ``remaining`` matching API requests with ``kind``."""

    kind: str
    remaining: int
    path_prefix: str | None
    retry_after: int


class FaultInjector:
    """Holds the HTTP faults to apply to the next API requests."""

    def __init__(
        self,
        clock: VirtualClock,
        *,
        latency: float = 0.0,
        timeout_seconds: float = 30.0,
        maintenance_every: float = 0.0,
        maintenance_duration: float = 90.0,
        send_retry_after: bool = True,
    ) -> None:
        """Create an injector on ``clock`` with no queued faults.

        With ``send_retry_after`` false (the documented-only mode) 429 and 503 answers carry
        no ``Retry-After`` header.
        """
        self._clock = clock
        self.send_retry_after = send_retry_after
        self.latency = latency
        self.timeout_seconds = timeout_seconds
        self.maintenance_every = maintenance_every
        self.maintenance_duration = maintenance_duration
        self._queued: list[QueuedFault] = []
        self._maintenance_until = 0.0
        self._closing: asyncio.Event | None = None

    def queue(
        self,
        kind: str,
        count: int = 1,
        path_prefix: str | None = None,
        retry_after: int = 1,
    ) -> None:
        """Answer the next ``count`` API requests (under ``path_prefix``) with ``kind``.

        ``kind`` is ``"429"``, ``"503"``, ``"500"``, ``"malformed"`` (200 with a truncated
        JSON body) or ``"timeout"`` (no answer for ``timeout_seconds`` real seconds, then 504).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if retry_after < 0:
            raise ValueError("retry_after must not be negative")
        self._queued.append(QueuedFault(kind, count, path_prefix, retry_after))

    @property
    def queued(self) -> list[QueuedFault]:
        """Return the faults still waiting to be applied."""
        return list(self._queued)

    def maintenance(self, duration: float = 90.0) -> None:
        """Answer every API request with 503 for ``duration`` virtual seconds."""
        if duration < 0:
            raise ValueError("duration must not be negative")
        self._maintenance_until = self._clock.monotonic() + duration

    def maintenance_remaining(self) -> float:
        """Return the virtual seconds left in the current maintenance window (0 if none)."""
        now = self._clock.monotonic()
        remaining = max(0.0, self._maintenance_until - now)
        every = self.maintenance_every
        if every > 0 and now >= every:
            into = now % every
            if into < self.maintenance_duration:
                remaining = max(remaining, self.maintenance_duration - into)
        return remaining

    def clear(self) -> None:
        """Drop queued faults, latency and any maintenance window."""
        self._queued.clear()
        self._maintenance_until = 0.0
        self.latency = 0.0

    def take(self, path: str, *, token_endpoint: bool) -> QueuedFault | None:
        """Return (and consume one use of) the first queued fault matching ``path``.

        Without a ``path_prefix`` a fault applies to API requests only, not the token endpoint.
        """
        for fault in self._queued:
            prefix = fault.path_prefix
            if (prefix is None and not token_endpoint) or (
                prefix is not None and path.startswith(prefix)
            ):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._queued.remove(fault)
                return fault
        return None

    def maintenance_response(self) -> web.Response | None:
        """Return the 503 answer while a maintenance window is open."""
        remaining = self.maintenance_remaining()
        if remaining <= 0:
            return None
        return self.service_unavailable(max(1, math.ceil(remaining)))

    def _retry_headers(self, seconds: int) -> dict[str, str]:
        return {"Retry-After": str(seconds)} if self.send_retry_after else {}

    def too_many_requests(self, retry_after: int) -> web.Response:
        """Return a 429 answer (``Retry-After: retry_after`` unless documented-only)."""
        return web.json_response(
            TOO_MANY_REQUESTS, status=429, headers=self._retry_headers(retry_after)
        )

    def service_unavailable(self, retry_after: int) -> web.Response:
        """Return a 503 answer (``Retry-After: retry_after`` unless documented-only)."""
        return web.json_response(
            SERVICE_UNAVAILABLE, status=503, headers=self._retry_headers(retry_after)
        )

    async def respond(self, fault: QueuedFault) -> web.Response:
        """Produce the answer for a queued fault."""
        if fault.kind == "429":
            return self.too_many_requests(fault.retry_after)
        if fault.kind == "503":
            return self.service_unavailable(fault.retry_after)
        if fault.kind == "500":
            return web.json_response({"message": "Internal Server Error"}, status=500)
        if fault.kind == "malformed":
            return web.Response(text=MALFORMED_BODY, content_type="application/json")
        await self.hang()
        return web.json_response({"message": "Gateway Timeout"}, status=504)

    async def hang(self) -> None:
        """Wait ``timeout_seconds`` real seconds, or until the server closes."""
        if self._closing is None:
            self._closing = asyncio.Event()
        try:
            async with asyncio.timeout(self.timeout_seconds):
                await self._closing.wait()
        except TimeoutError:
            return

    def close(self) -> None:
        """Release every request currently held by a ``timeout`` fault."""
        closing, self._closing = self._closing, None
        if closing is not None:
            closing.set()
