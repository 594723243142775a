"""Access tokens issued by the simulated token endpoint."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .clock import VirtualClock


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TokenStore:
    """Issues JWT-shaped bearer tokens and checks them against the virtual clock."""

    def __init__(self, clock: VirtualClock) -> None:
        """Create an empty store using ``clock`` for expiry."""
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._expiry: dict[str, float] = {}

    def issue(self, client_id: str, lifetime: int) -> str:
        """Return a new token for ``client_id`` that is valid for ``lifetime`` virtual seconds."""
        now = self._clock.monotonic()
        self._expiry = {t: exp for t, exp in self._expiry.items() if exp > now}
        issued = int(self._clock.timestamp())
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(
            json.dumps(
                {
                    "sub": client_id,
                    "iat": issued,
                    "exp": issued + lifetime,
                    "jti": secrets.token_hex(8),
                }
            ).encode()
        )
        signature = hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        token = f"{header}.{payload}.{_b64(signature)}"
        self._expiry[token] = now + lifetime
        return token

    def is_valid(self, token: str) -> bool:
        """Return whether ``token`` was issued here and has not expired."""
        expiry = self._expiry.get(token)
        return expiry is not None and self._clock.monotonic() < expiry

    def revoke_all(self) -> None:
        """Forget every issued token."""
        self._expiry.clear()
