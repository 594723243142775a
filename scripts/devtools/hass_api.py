"""A small client of Home Assistant's REST and WebSocket APIs, for the bootstrap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
import json
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from .common import BootstrapError, alive, poll_until

if TYPE_CHECKING:
    from aiohttp import ClientSession


class Payload(TypedDict, total=False):
    """What a request sends: a JSON body or a form."""

    json_body: Any
    form: Mapping[str, str] | None


def ensure_status(
    method: str, path: str, status: int, body: Any, expect: Collection[int] | None = None
) -> None:
    """Raise unless ``status`` is expected (any status below 400 by default)."""
    failed = status >= 400 if expect is None else status not in expect
    if failed:
        raise BootstrapError(f"{method} {path} -> HTTP {status}: {body}")


class HomeAssistantApi:
    """The few REST and WebSocket calls the bootstrap needs."""

    def __init__(self, session: ClientSession, url: str, hass_pid: int | None) -> None:
        """Talk to Home Assistant at ``url``; ``hass_pid`` is its process, to notice an exit."""
        self.session = session
        self.url = url.rstrip("/")
        self.hass_pid = hass_pid
        self.token: str | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def request(self, method: str, path: str, **payload: Unpack[Payload]) -> tuple[int, Any]:
        """Send one request; return the status and the decoded body (JSON when it is)."""
        async with self.session.request(
            method,
            self.url + path,
            json=payload.get("json_body"),
            data=payload.get("form"),
            headers=self._headers(),
        ) as response:
            text = await response.text()
            try:
                body: Any = json.loads(text) if text else None
            except ValueError:
                body = text
            return response.status, body

    async def call(
        self,
        method: str,
        path: str,
        *,
        expect: Collection[int] | None = None,
        **payload: Unpack[Payload],
    ) -> Any:
        """Send one request that must succeed (see ``ensure_status``); return its body."""
        status, body = await self.request(method, path, **payload)
        ensure_status(method, path, status, body, expect)
        return body

    def check_alive(self) -> None:
        """Stop waiting once Home Assistant has exited."""
        if not alive(self.hass_pid):
            raise BootstrapError("Home Assistant exited (see config/home-assistant.log)")

    async def _wait_until(
        self, ready: Callable[[], Awaitable[bool]], within: float, failure: str
    ) -> None:
        """Poll ``ready`` every second while Home Assistant runs; raise ``failure`` at the end."""

        async def probe() -> tuple[bool, None]:
            self.check_alive()
            return await ready(), None

        done, _ = await poll_until(probe, within, 1)
        if not done:
            raise BootstrapError(f"{failure} within {within:.0f} s")

    async def wait_http(self, within: float) -> None:
        """Wait until Home Assistant's HTTP server answers."""
        import aiohttp  # noqa: PLC0415

        async def answers() -> bool:
            try:
                # (Unauthenticated on purpose: an /api/ probe without a token
                # would count as a failed login and raise a notification.)
                status, _ = await self.request("GET", "/auth/providers")
            except aiohttp.ClientError, TimeoutError:
                return False
            return status < 500

        await self._wait_until(answers, within, "Home Assistant's HTTP did not answer")

    async def wait_running(self, within: float) -> None:
        """Wait until Home Assistant has started (config entries API up, state RUNNING)."""

        async def running() -> bool:
            status, body = await self.request("GET", "/api/config")
            if status != 200 or not isinstance(body, dict) or body.get("state") != "RUNNING":
                return False
            status, _ = await self.request("GET", "/api/config/config_entries/entry?domain=x")
            return status == 200

        await self._wait_until(running, within, "Home Assistant did not finish starting")

    async def websocket_command(self, command: dict[str, Any]) -> Any:
        """Run one WebSocket API command (some settings have no REST endpoint)."""
        async with self.session.ws_connect(self.url + "/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            auth = await ws.receive_json()
            if auth.get("type") != "auth_ok":
                raise BootstrapError(f"WebSocket authentication failed: {auth}")
            await ws.send_json({"id": 1, **command})
            while True:
                message = await ws.receive_json()
                if message.get("id") == 1 and message.get("type") == "result":
                    if not message.get("success"):
                        raise BootstrapError(f"{command['type']} failed: {message.get('error')}")
                    return message.get("result")

    async def entries(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Config entries, optionally of one domain."""
        path = "/api/config/config_entries/entry" + (f"?domain={domain}" if domain else "")
        result: list[dict[str, Any]] = await self.call("GET", path)
        return result

    async def states(self) -> list[dict[str, Any]]:
        """Every entity's state object."""
        result: list[dict[str, Any]] = await self.call("GET", "/api/states")
        return result

    async def call_service(self, domain: str, service: str, entity_id: str) -> None:
        """Call an action (service) on one entity."""
        await self.call(
            "POST", f"/api/services/{domain}/{service}", json_body={"entity_id": entity_id}
        )

    async def template(self, template: str) -> str:
        """Render a template on the server."""
        body = await self.call(
            "POST", "/api/template", json_body={"template": template}, expect=(200,)
        )
        return body if isinstance(body, str) else json.dumps(body)
