"""OAuth2 client-credentials token manager."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
import hashlib
import json
import logging
from typing import TYPE_CHECKING

import aiohttp
from yarl import URL

from .const import DEFAULT_TOKEN_LIFETIME, TOKEN_PATH, TOKEN_REFRESH_MARGIN, ApiGroup
from .errors import error_from_response, scrub
from .exceptions import (
    DepotFinityAuthenticationError,
    DepotFinityConnectionError,
    DepotFinityResponseError,
    DepotFinityTimeoutError,
)
from .limiter import Priority, RequestLimiter, monotonic
from .parsing import expect_dict, opt_float
from .selfreport import ApiSelfReport

if TYPE_CHECKING:
    from collections.abc import Callable

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CachedToken:
    """A token and when to refresh it, in monotonic seconds of this process."""

    token: str
    refresh_at: float


class TokenCache:
    """Tokens that outlive one client, in memory only.

    An application that builds a new client for the same credentials (on a reload,
    or after a setup check) hands every client one cache, so a token still valid
    is not requested again: each token request costs a slot of the API's budget.
    Tokens are keyed by the token endpoint and a digest of the credentials, so new
    credentials never get the token of the old ones.
    """

    def __init__(self) -> None:
        """Start empty."""
        self._tokens: dict[str, CachedToken] = {}

    @staticmethod
    def key(token_url: str, client_id: str, client_secret: str) -> str:
        """The key of a token endpoint and credentials (a digest, never the secret)."""
        material = "\0".join((token_url, client_id, client_secret)).encode()
        return hashlib.sha256(material).hexdigest()

    def get(self, key: str) -> CachedToken | None:
        """The token kept under ``key``, if any."""
        return self._tokens.get(key)

    def put(self, key: str, cached: CachedToken) -> None:
        """Keep ``cached`` under ``key``."""
        self._tokens[key] = cached

    def discard(self, key: str, token: str | None = None) -> None:
        """Drop the token under ``key`` (only if it is still ``token``, when given)."""
        cached = self._tokens.get(key)
        if cached is not None and (token is None or cached.token == token):
            del self._tokens[key]


class TokenManager:
    """Fetches and caches an access token; only one token request is ever in flight.

    Token requests obey the server's back-off held by ``limiter``: while it runs a token
    request fails fast with the same error instead of being sent, and a 429/503/504 from
    the token endpoint starts a back-off itself.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        auth_url: str,
        *,
        request_timeout: float,
        clock: Callable[[], float] = monotonic,
        refresh_margin: float = TOKEN_REFRESH_MARGIN,
        limiter: RequestLimiter | None = None,
        report: ApiSelfReport | None = None,
        cache: TokenCache | None = None,
    ) -> None:
        """Create the manager; ``clock`` (monotonic seconds) decides expiry.

        ``limiter`` holds the server's back-off (shared with the API requests), ``report``
        records the token endpoint's answers. The token is kept in ``cache``, shared
        with other managers of the same credentials (all of them on the same
        ``clock``); without one, this manager keeps its own.
        """
        self._limiter = limiter or RequestLimiter(clock=clock)
        self._report = report or ApiSelfReport()
        self._session = session
        self._client_id = client_id
        self._secret = client_secret
        credentials = f"{client_id}:{client_secret}".encode()
        self._basic = "Basic " + base64.b64encode(credentials).decode("ascii")
        self._token_url = URL(auth_url.rstrip("/") + TOKEN_PATH)
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._clock = clock
        self._margin = refresh_margin
        self._inflight: asyncio.Future[str] | None = None
        self._cache = cache or TokenCache()
        self._cache_key = TokenCache.key(str(self._token_url), client_id, client_secret)
        self.requests = 0  #: Token requests sent (diagnostics).

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in logs or error texts."""
        cached = self._cache.get(self._cache_key)
        values = (self._secret, self._basic, self._basic.removeprefix("Basic "))
        return (*values, cached.token) if cached is not None else values

    def _current(self) -> str | None:
        """The token of these credentials, if one is kept and not due for refresh."""
        cached = self._cache.get(self._cache_key)
        if cached is None or self._clock() >= cached.refresh_at:
            return None
        return cached.token

    def valid(self) -> bool:
        """Whether a token is at hand and not due for refresh."""
        return self._current() is not None

    def invalidate(self, token: str | None = None) -> None:
        """Drop the token (only if it is still ``token``, when given)."""
        self._cache.discard(self._cache_key, token)

    async def get_token(self, *, force: bool = False, priority: Priority = Priority.COMMAND) -> str:
        """Return a valid token, fetching one if needed (shared by concurrent callers).

        A token request takes a slot of ``priority``: that of the request it is
        for, so a poll's token never uses a slot kept for commands.
        """
        if force:
            self.invalidate()
        while True:
            if (token := self._current()) is not None:
                return token
            if (inflight := self._inflight) is not None:
                # asyncio.wait never cancels the awaited future, so a cancelled waiter
                # cannot cancel the refresh of the others.
                await asyncio.wait({inflight})
                if inflight.cancelled():
                    continue  # the fetching caller was cancelled: try again ourselves
                if (error := inflight.exception()) is not None:
                    raise error
                return inflight.result()
            future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            self._inflight = future
            try:
                token = await self._fetch(priority)
            except asyncio.CancelledError:
                future.cancel()
                raise
            except BaseException as err:
                future.set_exception(err)
                future.exception()  # mark retrieved when nobody else waits
                raise
            else:
                future.set_result(token)
                return token
            finally:
                self._inflight = None

    async def _fetch(self, priority: Priority) -> str:
        """Request a token within the request budget.

        The documentation names no exemption from "100 queries per five minutes
        per IP address", so a token request takes a slot like any other; it
        never waits for one, it fails fast instead.
        """
        slot = await self._limiter.acquire(priority, max_wait=0.0)
        try:
            return await self._post()
        finally:
            self._limiter.release(slot)

    async def _post(self) -> str:
        started = self._clock()
        self.requests += 1
        _LOGGER.debug("Requesting an access token for client %s", self._client_id)
        headers = {"Accept": "application/json", "Authorization": self._basic}
        try:
            async with self._session.post(
                self._token_url,
                data={"grant_type": "client_credentials"},
                headers=headers,
                timeout=self._timeout,
            ) as response:
                status = response.status
                text = await response.text(errors="replace")
                response_headers = response.headers
        except TimeoutError as err:
            raise DepotFinityTimeoutError("Token request timed out") from err
        except aiohttp.ClientError as err:
            raise DepotFinityConnectionError(f"Token request failed: {type(err).__name__}") from err
        _LOGGER.debug("Token request returned HTTP %s", status)
        self._report.record_status(ApiGroup.TOKEN, status)
        text = scrub(text, self.secrets)
        if status in (400, 401, 403):
            error = error_from_response(status, text, response_headers, api=ApiGroup.TOKEN)
            raise DepotFinityAuthenticationError(
                f"Credentials rejected by the token endpoint (HTTP {status})",
                status=status,
                body=text,
                message=error.message,
            )
        if status >= 300:
            error = error_from_response(status, text, response_headers, api=ApiGroup.TOKEN)
            self._limiter.back_off(error)
            raise error
        self._limiter.record_success()
        body = _loads(text)
        self._report.observe(ApiGroup.TOKEN, "token", body)
        data = expect_dict(body, "the token response")
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise DepotFinityResponseError("Token response without access_token", status=status)
        token_type = data.get("token_type", "bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise DepotFinityResponseError("Unsupported token_type", status=status)
        lifetime = opt_float(data.get("expires_in"))
        if lifetime is None or lifetime <= 0:
            lifetime = DEFAULT_TOKEN_LIFETIME
        # Refresh ahead of expiry, but never sooner than half the lifetime.
        refresh_at = started + lifetime - min(self._margin, lifetime / 2)
        self._cache.put(self._cache_key, CachedToken(token, refresh_at))
        return token


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError as err:
        raise DepotFinityResponseError("Token response is not valid JSON") from err
