"""Transport of the DepotFinity client: token, limiter, retries, error mapping."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import json
import logging
import re
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import aiohttp
from yarl import URL

from . import const
from .auth import TokenCache, TokenManager
from .errors import error_from_response, scrub
from .exceptions import (
    DepotFinityCommandUncertainError,
    DepotFinityConnectionError,
    DepotFinityResponseError,
    DepotFinityTimeoutError,
)
from .limiter import Priority, RequestLimiter, monotonic
from .parsing import opt_str
from .selfreport import ApiSelfReport

if TYPE_CHECKING:
    from .const import ApiGroup

_LOGGER = logging.getLogger(__name__)
_REGION_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
#: Statuses whose empty body still means "accepted" for a command ([DOC] status table).
EMPTY_ACCEPTED: Final = frozenset({202, 204})


def segment(value: str | int) -> str:
    """URL-quote one path segment so that no value can change the endpoint called."""
    text = str(value)
    if not text:
        raise ValueError("Path parameters must not be empty")
    quoted = quote(text, safe="")
    if quoted in (".", ".."):
        quoted = quoted.replace(".", "%2E")
    return quoted


def endpoint(template: str, **values: str | int) -> str:
    """Fill a path template, each value URL-quoted as one segment (see :func:`segment`)."""
    return template.format_map({name: segment(value) for name, value in values.items()})


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
        token_cache: TokenCache | None = None,
    ) -> None:
        """Create the client.

        ``api_url``/``auth_url`` override the region's hosts. ``limiter`` is the limiter of
        the API host, shared by every client of that host (default: a new one for this client
        alone). ``clock`` (monotonic seconds) decides token expiry. ``poll_max_wait`` is the
        longest a poll waits for a limiter slot before it raises ``DepotFinityRateLimitError``
        (``None``: as long as needed); commands never wait. ``token_cache`` shares tokens
        with the other clients of the application (default: this client keeps its own).
        """
        if (api_url is None or auth_url is None) and not _REGION_RE.fullmatch(region):
            raise ValueError("Invalid region")
        self.api_url = (api_url or const.API_URL_TEMPLATE.format(region=region)).rstrip("/")
        self.auth_url = (auth_url or const.AUTH_URL_TEMPLATE.format(region=region)).rstrip("/")
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._poll_max_wait = poll_max_wait
        self.limiter = limiter or RequestLimiter()
        self.report = ApiSelfReport()
        self.auth = TokenManager(
            session,
            client_id,
            client_secret,
            self.auth_url,
            request_timeout=request_timeout,
            clock=clock,
            limiter=self.limiter,
            report=self.report,
            cache=token_cache,
        )

    # ------------------------------------------------------------------ transport

    async def authenticate(self) -> None:
        """Fetch a new token now (raises DepotFinityAuthenticationError on bad credentials)."""
        await self.auth.get_token(force=True)

    def api_report(self) -> dict[str, Any]:
        """What each API group answered and how its answers looked (JSON-serialisable)."""
        return self.report.as_dict()

    def api_surprises(self, *, only_new: bool = False) -> list[dict[str, str]]:
        """Unknown fields, unknown enum values and missing fields seen in the answers.

        With ``only_new`` only those not returned by an earlier ``only_new`` call (log once).
        """
        return self.report.surprises(only_new=only_new)

    async def _get(
        self,
        path: str,
        api: ApiGroup,
        shape: str,
        priority: Priority,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """Read ``path`` and return the decoded body (a read is retried once, see ``_exchange``)."""
        return await self._request(
            "GET", path, api=api, priority=priority, params=params, shape=shape
        )

    async def _write(
        self,
        method: str,
        path: str,
        api: ApiGroup,
        priority: Priority,
        body: Any = None,
        *,
        secrets: Sequence[str] = (),
        display: str | None = None,
    ) -> str:
        """Send a write answered by a Success body; return the server's message."""
        answer = await self._request(
            method,
            path,
            api=api,
            priority=priority,
            body=body,
            display=display,
            secrets=secrets,
            shape="success",
        )
        return message_of(answer)

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
        shape: str | None = None,
        command: bool = False,
    ) -> Any:
        """Send one API request and return the decoded JSON body (``None`` if empty).

        ``shape`` names the expected shape (:data:`.const.EXPECTED_SHAPES`) for the self-report.
        A write answered 2xx with a body that is not JSON (or is ``null``), or a ``command``
        answered 200/201 with an empty body, raises :class:`DepotFinityCommandUncertainError`.
        """
        display = display or path
        status, text = await self._exchange(
            method, path, display, api, priority, params, body, secrets
        )
        if not text.strip() and (not command or status in EMPTY_ACCEPTED):
            return None
        try:
            data = json.loads(text)
        except ValueError as err:
            if method == "GET":
                raise DepotFinityResponseError(
                    f"Invalid JSON from {method} {display}", status=status, body=text
                ) from err
            data = None
        if data is None and method != "GET":
            # Not JSON, JSON null or (for a command) empty: the write's outcome is unknown.
            raise DepotFinityCommandUncertainError(
                f"Unreadable HTTP {status} answer to {method} {display}: it may or may not have "
                "reached the charger",
                status=status,
                body=text,
            )
        if shape is not None:
            self.report.observe(api, shape, data)
        return data

    async def _exchange(
        self,
        method: str,
        path: str,
        display: str,
        api: ApiGroup,
        priority: Priority,
        params: Mapping[str, str] | None,
        body: Any,
        secrets: Sequence[str],
    ) -> tuple[int, str]:
        """Send a request (token, limiter, retries); return the 2xx status and scrubbed text."""
        url = URL(self.api_url + path, encoded=True)
        max_wait = 0.0 if priority is Priority.COMMAND else self._poll_max_wait
        refreshed = reconnected = False
        while True:
            token = await self.auth.get_token(priority=priority)
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
            self.report.record_status(api, status)
            if status == 401 and not refreshed:
                # The request was not executed: get a fresh token and send it once more.
                refreshed = True
                self.auth.invalidate(token)
                continue
            text = scrub(text, (*self.auth.secrets, *secrets))
            if status < 300:
                self.limiter.record_success()
                return status, text
            # A 401 that a fresh token did not cure maps to DepotFinityAccessError.
            error = error_from_response(
                status, text, headers, api=api, context=f"{method} {display}"
            )
            self.limiter.back_off(error)
            raise error

    async def _send(
        self,
        method: str,
        url: URL,
        token: str,
        params: Mapping[str, str] | None,
        body: Any,
    ) -> tuple[int, str, Mapping[str, str]]:
        headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
        if method != "GET":
            # As in the docs' examples, also on writes without a body (a gateway may check it).
            headers["Content-Type"] = "application/json"
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
