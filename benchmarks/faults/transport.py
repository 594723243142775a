"""Faults the simulator has no hook for, applied below the API client's retries and tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

from yarl import URL

from custom_components.depotfinity.api import DepotFinityClient

type Outcome = Callable[[int, str], tuple[int, str]]


@dataclass(slots=True)
class TransportFault:
    """Alter the answers to requests under ``prefix`` below the client's token and retry logic.

    ``outcome`` takes the real status and body and returns the ones the client sees (or
    raises, e.g. a connection error). ``count`` limits how many answers it alters.
    """

    prefix: str
    outcome: Outcome
    count: int | None = None
    hits: int = 0

    def applies(self, path: str) -> bool:
        """Whether the answer to a request for ``path`` is altered (and count it)."""
        if not path.startswith(self.prefix) or (self.count is not None and self.hits >= self.count):
            return False
        self.hits += 1
        return True


@contextmanager
def transport_fault(fault: TransportFault) -> Iterator[TransportFault]:
    """Apply ``fault`` to every client (the request reaches the simulator, which counts it)."""
    send = DepotFinityClient._send  # noqa: SLF001 - the transport, below retries and tokens

    async def altered(
        client: DepotFinityClient, method: str, url: URL, *args: Any
    ) -> tuple[int, str, Any]:
        status, text, headers = await send(client, method, url, *args)
        if fault.applies(url.path):
            status, text = fault.outcome(status, text)
        return status, text, headers

    with patch.object(DepotFinityClient, "_send", altered):
        yield fault
