"""Transport of the DepotFinity client: token, limiter, retries, error mapping."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import json
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from . import const
from .auth import TokenManager
from .errors import error_from_response, scrub
from .exceptions import (
    DepotFinityConnectionError,
    DepotFinityRateLimitError,
    DepotFinityResponseError,
    DepotFinityTimeoutError,
    DepotFinityUnavailableError,
)
from .limiter import Priority, RequestLimiter, monotonic
from .parsing import opt_str

if TYPE_CHECKING:
    from .const import ApiGroup

_LOGGER = logging.getLogger(__name__)
_REGION_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def segment(value: str | int) -> str:
    """URL-quote one path segment so that no value can change the endpoint called."""
    text = str(value)
    if not text:
        raise ValueError("Path parameters must not be empty")
    quoted = quote(text, safe="")
    if quoted in (".", ".."):
        quoted = quoted.replace(".", "%2E")
    return quoted


def message_of(body: object) -> str:
    """Return the ``message`` of a success body (empty if there is none)."""
    if isinstance(body, Mapping):
        return opt_str(body.get("message")) or ""
    return ""


class BaseClient:
    """HTTP transport shared by the request methods of :class:`DepotFinityClient`."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        *,
        region: str = const.DEFAULT_REGION,
        api_url: str | None = None,
        auth_url: str | None = None,
        limiter: RequestLimiter | None = None,
        request_timeout: float = const.DEFAULT_REQUEST_TIMEOUT,
        clock: Callable[[], float] = monotonic,
        poll_max_wait: float | None = None,
    ) -> None:
        """Create the client.

        ``api_url``/``auth_url`` override the region's hosts. ``limiter`` defaults to the
        process-wide limiter of the API host. ``clock`` (monotonic seconds) decides token
        expiry. ``poll_max_wait`` is the longest a poll waits for a limiter slot before it
        raises ``DepotFinityRateLimitError`` (``None``: as long as needed); commands never wait.
        """
        if (api_url is None or auth_url is None) and not _REGION_RE.match(region):
            raise ValueError("Invalid region")
        self.api_url = (api_url or const.API_URL_TEMPLATE.format(region=region)).rstrip("/")
        self.auth_url = (auth_url or const.AUTH_URL_TEMPLATE.format(region=region)).rstrip("/")
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._poll_max_wait = poll_max_wait
        api = URL(self.api_url)
        self.limiter = limiter or RequestLimiter.for_host(f"{api.host}:{api.port}")
        self.auth = TokenManager(
            session,
            client_id,
            client_secret,
            self.auth_url,
            request_timeout=request_timeout,
            clock=clock,
        )

    # ------------------------------------------------------------------ transport

    async def authenticate(self) -> None:
        """Fetch a new token now (raises DepotFinityAuthenticationError on bad credentials)."""
        await self.auth.get_token(force=True)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        api: ApiGroup,
        priority: Priority,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        display: str | None = None,
        secrets: Sequence[str] = (),
    ) -> Any:
        """Send one API request and return the decoded JSON body (``None`` if empty)."""
        display = display or path
        url = URL(self.api_url + path, encoded=True)
        max_wait = 0.0 if priority is Priority.COMMAND else self._poll_max_wait
        refreshed = reconnected = False
        while True:
            token = await self.auth.get_token()
            slot = await self.limiter.acquire(priority, max_wait)
            try:
                status, text, headers = await self._send(method, url, token, params, body)
            except DepotFinityTimeoutError:
                _LOGGER.debug("%s %s timed out", method, display)
                raise
            except DepotFinityConnectionError:
                if method != "GET" or reconnected:
                    raise
                reconnected = True
                _LOGGER.debug("%s %s: connection error, retrying once", method, display)
                continue
            finally:
                self.limiter.release(slot)
            _LOGGER.debug("%s %s -> HTTP %s", method, display, status)
            if status == 401 and not refreshed:
                # The request was not executed: get a fresh token and send it once more.
                refreshed = True
                self.auth.invalidate(token)
                continue
            text = scrub(text, (*self.auth.secrets, *secrets))
            if status >= 300:
                error = error_from_response(
                    status, text, headers, api=api, context=f"{method} {display}"
                )
                if isinstance(error, DepotFinityRateLimitError | DepotFinityUnavailableError):
                    self.limiter.penalize(
                        error.retry_after or 0.0,
                        unavailable=isinstance(error, DepotFinityUnavailableError),
                    )
                raise error
            if not text.strip():
                return None
            try:
                return json.loads(text)
            except ValueError as err:
                raise DepotFinityResponseError(
                    f"Invalid JSON from {method} {display}", status=status, body=text
                ) from err

    async def _send(
        self,
        method: str,
        url: URL,
        token: str,
        params: Mapping[str, str] | None,
        body: Any,
    ) -> tuple[int, str, Mapping[str, str]]:
        headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                json=body,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                text = await response.text(errors="replace")
                return response.status, text, response.headers
        except TimeoutError as err:
            raise DepotFinityTimeoutError("Request timed out") from err
        except aiohttp.ClientError as err:
            raise DepotFinityConnectionError(f"Request failed: {type(err).__name__}") from err
