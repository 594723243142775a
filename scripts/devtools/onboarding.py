"""Onboarding of the development instance, its owner user, and logging in as that user."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .common import BootstrapError, log, poll_until
from .hass_api import HomeAssistantApi, ensure_status

# The owner account of the development instance (printed by scripts/develop).
OWNER_NAME = "Developer"
OWNER_USERNAME = "dev"
OWNER_PASSWORD = "dev"  # noqa: S105
# OAuth2 client id of this tool (Home Assistant's IndieAuth wants a URL).
CLIENT_ID = "http://localhost:8123/"
REDIRECT_URI = "http://localhost:8123/?auth_callback=1"
LOCATION_NAME = "Demo Depot"
# The demo depot's location (the time zone only when the machine has none).
DEMO_COUNTRY = "DE"
DEMO_CURRENCY = "EUR"
DEMO_TIME_ZONE = "Europe/Berlin"
DEMO_LATITUDE = 52.52
DEMO_LONGITUDE = 13.405
DEMO_ELEVATION = 34

# Config entries that finishing onboarding's core_config step creates by itself
# (homeassistant/components/onboarding/views.py); their requirements are
# installed ahead like the others.
ONBOARDING_INTEGRATIONS = ("google_translate", "met", "radio_browser", "shopping_list")
# Of those, the ones that keep polling services on the internet: removed again
# right after onboarding, to keep the development instance lean and its log quiet.
ONBOARDING_REMOVE = ("met", "radio_browser")


async def onboarding_steps(api: HomeAssistantApi) -> dict[str, bool]:
    """Onboarding steps and whether each is done ({} once onboarding is over)."""
    status, body = await api.request("GET", "/api/onboarding")
    if status == 404:  # the views are not registered once onboarding is over
        return {}
    ensure_status("GET", "/api/onboarding", status, body, expect=(200,))
    return {item["step"]: bool(item["done"]) for item in body}


async def exchange_code(api: HomeAssistantApi, code: str) -> None:
    """Turn an authorization code into an access token, used by every later call."""
    body = await api.call(
        "POST",
        "/auth/token",
        form={"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
    )
    api.token = body["access_token"]


async def login(api: HomeAssistantApi) -> None:
    """Log in as the development owner through the login flow."""
    flow = await api.call(
        "POST",
        "/auth/login_flow",
        json_body={
            "client_id": CLIENT_ID,
            "handler": ["homeassistant", None],
            "redirect_uri": REDIRECT_URI,
        },
    )
    result = await api.call(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        json_body={"client_id": CLIENT_ID, "username": OWNER_USERNAME, "password": OWNER_PASSWORD},
    )
    if result.get("type") != "create_entry":
        raise BootstrapError(
            f"logging in as {OWNER_USERNAME!r} failed ({result.get('errors')}); was the "
            "password changed? `scripts/develop --reset` starts a fresh configuration"
        )
    await exchange_code(api, result["result"])


def local_time_zone() -> str | None:
    """The machine's IANA time zone name, when it can be told."""
    if tz := os.environ.get("TZ", "").lstrip(":"):
        return tz if "/" in tz or tz == "UTC" else None
    try:
        target = str(Path("/etc/localtime").readlink())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


async def _create_owner(api: HomeAssistantApi) -> None:
    """Onboarding's user step: create the owner, and log in with the code it returns."""
    log(f"onboarding: creating the owner user {OWNER_USERNAME!r}")
    body = await api.call(
        "POST",
        "/api/onboarding/users",
        json_body={
            "client_id": CLIENT_ID,
            "name": OWNER_NAME,
            "username": OWNER_USERNAME,
            "password": OWNER_PASSWORD,
            "language": "en",
        },
    )
    await exchange_code(api, body["auth_code"])


def core_settings() -> dict[str, Any]:
    """Where the demo depot is: in Berlin, on the machine's clock when it has a time zone.

    Every setting whose absence Home Assistant reports as a repair (the country)
    or fills with a default (location, currency, units) is given.
    """
    time_zone = local_time_zone()
    return {
        "location_name": LOCATION_NAME,
        "country": DEMO_COUNTRY,
        "currency": DEMO_CURRENCY,
        "unit_system": "metric",
        "time_zone": time_zone if time_zone not in (None, "UTC", "Etc/UTC") else DEMO_TIME_ZONE,
        "latitude": DEMO_LATITUDE,
        "longitude": DEMO_LONGITUDE,
        "elevation": DEMO_ELEVATION,
        "language": "en",
    }


async def ensure_core_config(api: HomeAssistantApi, *, always: bool = False) -> None:
    """Set the location settings (always, or when the country is still unset)."""
    current = await api.call("GET", "/api/config")
    if not always and current.get("country"):
        return
    settings = core_settings()
    await api.websocket_command({"type": "config/core/update", **settings})
    log(
        f"core configuration: {settings['location_name']!r}, {settings['country']}, "
        f"{settings['currency']}, {settings['unit_system']}, {settings['time_zone']}"
    )


async def _core_config(api: HomeAssistantApi) -> None:
    """Onboarding's core_config step, after the location settings are set."""
    await ensure_core_config(api, always=True)
    log("onboarding: core configuration")
    await api.call("POST", "/api/onboarding/core_config", json_body={})


async def onboard(api: HomeAssistantApi) -> bool:
    """Finish whatever onboarding step is open; log in. Return whether onboarding ran."""
    steps = await onboarding_steps(api)
    if steps and not steps.get("user", True):
        await _create_owner(api)
    else:
        await login(api)
    if not steps or all(steps.values()):
        return False
    if not steps.get("core_config", True):
        await _core_config(api)
    if not steps.get("analytics", True):
        log("onboarding: analytics (left off)")
        await api.call("POST", "/api/onboarding/analytics", json_body={})
    if not steps.get("integration", True):
        log("onboarding: integration step")
        await api.call(
            "POST",
            "/api/onboarding/integration",
            json_body={"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI},
        )
    return True


async def remove_onboarding_extras(api: HomeAssistantApi, wait: float = 20.0) -> None:
    """Remove the internet-polling entries that onboarding created by itself.

    Onboarding starts its flows in the background; wait until the ones that
    always create an entry have done so (met aborts without a home location).
    """
    always = set(ONBOARDING_INTEGRATIONS) - {"met"}

    async def created() -> tuple[bool, list[dict[str, Any]]]:
        entries = [e for e in await api.entries() if e.get("source") == "onboarding"]
        return always <= {e["domain"] for e in entries}, entries

    _, entries = await poll_until(created, wait, 0.5)
    for entry in entries:
        if entry["domain"] in ONBOARDING_REMOVE:
            await api.call("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
            log(f"onboarding: removed the {entry['domain']} entry it created (polls the internet)")
