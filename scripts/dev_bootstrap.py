"""Helpers of scripts/develop, run with the development venv's Python (.venv-ha).

    dev_bootstrap.py requirements --config DIR
        Print the pinned Python requirements of every Home Assistant integration
        that the configuration in DIR makes Home Assistant load (and so install).
    dev_bootstrap.py missing FILE
        Print the requirements in FILE that are not installed.
    dev_bootstrap.py lock --config DIR --requirements FILE --output FILE
        Resolve FILE plus those requirements from scratch and write the pins.
    dev_bootstrap.py bootstrap --url URL --simulator-log FILE [--check]
        Onboard Home Assistant (owner dev / dev), log in, and add the DepotFinity
        integration for the simulator through the config-flow REST API; with
        --check, also verify that the chargers' sensors exist and have states.

Everything goes through Home Assistant's own HTTP APIs; nothing here touches
the files in the configuration directory.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import subprocess
import sys
import tempfile
import time
from typing import Any

# The owner account of the development instance (printed by scripts/develop).
OWNER_NAME = "Developer"
OWNER_USERNAME = "dev"
OWNER_PASSWORD = "dev"  # noqa: S105
# OAuth2 client id of this tool (Home Assistant's IndieAuth wants a URL).
CLIENT_ID = "http://localhost:8123/"
REDIRECT_URI = "http://localhost:8123/?auth_callback=1"
DOMAIN = "depotfinity"
LOCATION_NAME = "DepotFinity development"

# Config entries that finishing onboarding's core_config step creates by itself
# (homeassistant/components/onboarding/views.py); their requirements are
# installed ahead like the others.
ONBOARDING_INTEGRATIONS = ("google_translate", "met", "radio_browser", "shopping_list")
# Of those, the ones that keep polling services on the internet: removed again
# right after onboarding, to keep the development instance lean and its log quiet.
ONBOARDING_REMOVE = ("met", "radio_browser")

UNAVAILABLE = ("unavailable", "unknown")
# Exit status of `bootstrap` when Home Assistant runs but the integration could not be added.
ADD_FAILED = 3


def log(message: str) -> None:
    """Print a progress line of scripts/develop."""
    print(f"develop: {message}", file=sys.stderr, flush=True)


class BootstrapError(Exception):
    """Something a developer has to look at."""


# --------------------------------------------------------------------------- requirements


def _config_domains(config_dir: Path) -> set[str]:
    """Top-level integration domains of configuration.yaml (as Home Assistant reads it)."""
    from homeassistant.helpers import config_validation as cv  # noqa: PLC0415
    from homeassistant.util.yaml import load_yaml_dict  # noqa: PLC0415

    config = load_yaml_dict(config_dir / "configuration.yaml")
    return {cv.domain_key(key) for key in config}


def integration_requirements(config_dir: Path) -> dict[str, list[str]]:
    """Requirements by domain of the integrations Home Assistant would set up.

    Mirrors what Home Assistant does at start: the configured domains, its default
    integrations and base platforms, custom integrations with config entries,
    the integrations onboarding sets up, and, through every manifest,
    ``dependencies``, ``after_dependencies`` and the discovery integrations whose
    requirements are processed alongside (homeassistant/requirements.py).
    """
    import homeassistant  # noqa: PLC0415
    from homeassistant import bootstrap  # noqa: PLC0415
    from homeassistant.const import BASE_PLATFORMS  # noqa: PLC0415
    from homeassistant.requirements import DISCOVERY_INTEGRATIONS  # noqa: PLC0415

    builtin = Path(homeassistant.__file__).parent / "components"
    custom = config_dir / "custom_components"
    todo = [
        *_config_domains(config_dir),
        *bootstrap.CORE_INTEGRATIONS,
        *bootstrap.DEFAULT_INTEGRATIONS,
        *BASE_PLATFORMS,
        *ONBOARDING_INTEGRATIONS,
        *(path.parent.name for path in custom.glob("*/manifest.json")),
    ]
    manifests: dict[str, dict[str, Any]] = {}
    while todo:
        domain = todo.pop()
        if domain in manifests:
            continue
        path = custom / domain / "manifest.json"
        if not path.is_file():
            path = builtin / domain / "manifest.json"
        if not path.is_file():
            raise BootstrapError(f"integration {domain!r} not found (no {path})")
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        manifests[domain] = manifest
        todo.extend(manifest.get("dependencies", []))
        todo.extend(manifest.get("after_dependencies", []))
        for discovery, keys in DISCOVERY_INTEGRATIONS.items():
            if any(key in manifest for key in keys):
                todo.append(discovery)
    return {
        domain: list(manifest["requirements"])
        for domain, manifest in sorted(manifests.items())
        if manifest.get("requirements")
    }


def requirement_lines(config_dir: Path) -> list[str]:
    """Sorted, de-duplicated requirement lines."""
    lines = {req for reqs in integration_requirements(config_dir).values() for req in reqs}
    return sorted(lines, key=str.lower)


def _package_constraints() -> Path:
    """The constraints file Home Assistant itself installs requirements with."""
    import homeassistant  # noqa: PLC0415

    return Path(homeassistant.__file__).parent / "package_constraints.txt"


def cmd_requirements(args: argparse.Namespace) -> int:
    """Print the requirements, one a line."""
    for line in requirement_lines(Path(args.config)):
        print(line)
    return 0


def cmd_missing(args: argparse.Namespace) -> int:
    """Print the requirements of FILE that are not installed (as Home Assistant checks them)."""
    from homeassistant.util.package import is_installed  # noqa: PLC0415

    for line in Path(args.file).read_text(encoding="utf-8").splitlines():
        if (req := line.split("#", 1)[0].strip()) and not is_installed(req):
            print(req)
    return 0


def cmd_constraints(args: argparse.Namespace) -> int:
    """Print the path of Home Assistant's package_constraints.txt."""
    print(_package_constraints())
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    """Resolve the development venv from scratch and write every pin."""
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp) / "integrations.txt"
        extra.write_text("\n".join(requirement_lines(Path(args.config))) + "\n", encoding="utf-8")
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--dry-run",
                "--ignore-installed",
                "--report",
                str(report),
                "-r",
                args.requirements,
                "-r",
                str(extra),
                "-c",
                str(_package_constraints()),
            ],
            check=True,
        )
        resolved = json.loads(report.read_text(encoding="utf-8"))
    pins = sorted(
        (item["metadata"]["name"], item["metadata"]["version"]) for item in resolved["install"]
    )
    header = (
        "# Full resolution of requirements/develop.txt plus the requirements of every\n"
        "# Home Assistant integration that config/configuration.yaml loads, on CPython 3.14\n"
        "# (written by `scripts/develop --lock`); scripts/develop installs .venv-ha with\n"
        "# these as constraints so every machine gets the same versions.\n"
    )
    body = "".join(
        f"{name}=={version}\n" for name, version in sorted(pins, key=lambda p: p[0].lower())
    )
    Path(args.output).write_text(header + body, encoding="utf-8")
    log(f"wrote {len(pins)} pins to {args.output}")
    return 0


# --------------------------------------------------------------------------- simulator


@dataclass(slots=True)
class Simulator:
    """What the simulator printed at start."""

    url: str
    client_id: str
    client_secret: str
    chargers: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    rfid_tags: list[str] = field(default_factory=list)


_BANNER = re.compile(r"^(?P<key>[a-z_]+): (?P<value>.*)$")


def _parse_simulator(text: str) -> Simulator | None:
    url = None
    values: dict[str, str] = {}
    for line in text.splitlines():
        if match := re.search(r"listening on (\S+)", line):
            url = match.group(1).rstrip("/")
        elif match := _BANNER.match(line.strip()):
            values.setdefault(match["key"], match["value"].strip())
    if url is None or not {"client_id", "client_secret", "chargers"} <= values.keys():
        return None

    def ids(key: str) -> list[str]:
        return [part.strip() for part in values.get(key, "").split(",") if part.strip()]

    return Simulator(
        url,
        values["client_id"],
        values["client_secret"],
        ids("chargers"),
        ids("charger_groups"),
        ids("rfid_tags"),
    )


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


async def wait_simulator(log_file: Path, pid: int | None, within: float) -> Simulator:
    """Wait until the simulator has printed its banner."""
    deadline = time.monotonic() + within
    while True:
        text = await asyncio.to_thread(_read_text, log_file)
        if (sim := _parse_simulator(text)) is not None:
            return sim
        if not _alive(pid):
            raise BootstrapError(f"the simulator exited; its output ({log_file}):\n{text}")
        if time.monotonic() > deadline:
            raise BootstrapError(f"the simulator printed no banner within {within:.0f} s:\n{text}")
        await asyncio.sleep(0.2)


# --------------------------------------------------------------------------- Home Assistant


class HomeAssistantApi:
    """The few REST calls the bootstrap needs."""

    def __init__(self, session: Any, url: str, hass_pid: int | None) -> None:
        """Talk to Home Assistant at ``url``."""
        self.session = session
        self.url = url.rstrip("/")
        self.hass_pid = hass_pid
        self.token: str | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
    ) -> tuple[int, Any]:
        """Send one request; return the status and the decoded body (JSON when it is)."""
        async with self.session.request(
            method, self.url + path, json=json_body, data=form, headers=self._headers()
        ) as response:
            text = await response.text()
            try:
                body: Any = json.loads(text) if text else None
            except ValueError:
                body = text
            return response.status, body

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request that must succeed."""
        status, body = await self.request(method, path, **kwargs)
        if status >= 400:
            raise BootstrapError(f"{method} {path} -> HTTP {status}: {body}")
        return body

    def check_alive(self) -> None:
        """Stop waiting once Home Assistant has exited."""
        if not _alive(self.hass_pid):
            raise BootstrapError("Home Assistant exited (see config/home-assistant.log)")

    async def wait_http(self, within: float) -> None:
        """Wait until Home Assistant's HTTP server answers."""
        import aiohttp  # noqa: PLC0415

        deadline = time.monotonic() + within
        while True:
            self.check_alive()
            try:
                status, _ = await self.request("GET", "/api/")
            except aiohttp.ClientError, TimeoutError:
                status = 0
            if status in (200, 401):
                return
            if time.monotonic() > deadline:
                raise BootstrapError(f"Home Assistant's HTTP did not answer within {within:.0f} s")
            await asyncio.sleep(1)

    async def onboarding_steps(self) -> dict[str, bool]:
        """Onboarding steps and whether each is done ({} once onboarding is over)."""
        status, body = await self.request("GET", "/api/onboarding")
        if status == 404:  # the views are not registered once onboarding is over
            return {}
        if status != 200:
            raise BootstrapError(f"GET /api/onboarding -> HTTP {status}: {body}")
        return {item["step"]: bool(item["done"]) for item in body}

    async def exchange_code(self, code: str) -> None:
        """Turn an authorization code into an access token."""
        body = await self.call(
            "POST",
            "/auth/token",
            form={"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
        )
        self.token = body["access_token"]

    async def login(self) -> None:
        """Log in as the development owner through the login flow."""
        flow = await self.call(
            "POST",
            "/auth/login_flow",
            json_body={
                "client_id": CLIENT_ID,
                "handler": ["homeassistant", None],
                "redirect_uri": REDIRECT_URI,
            },
        )
        result = await self.call(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json_body={
                "client_id": CLIENT_ID,
                "username": OWNER_USERNAME,
                "password": OWNER_PASSWORD,
            },
        )
        if result.get("type") != "create_entry":
            raise BootstrapError(
                f"logging in as {OWNER_USERNAME!r} failed ({result.get('errors')}); was the "
                "password changed? `scripts/develop --reset` starts a fresh configuration"
            )
        await self.exchange_code(result["result"])

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

    async def wait_running(self, within: float) -> None:
        """Wait until Home Assistant has started (config entries API up, state RUNNING)."""
        deadline = time.monotonic() + within
        while True:
            self.check_alive()
            status, body = await self.request("GET", "/api/config")
            if status == 200 and isinstance(body, dict) and body.get("state") == "RUNNING":
                status, _ = await self.request("GET", "/api/config/config_entries/entry?domain=x")
                if status == 200:
                    return
            if time.monotonic() > deadline:
                raise BootstrapError(
                    f"Home Assistant did not finish starting within {within:.0f} s"
                )
            await asyncio.sleep(1)

    async def template(self, template: str) -> str:
        """Render a template on the server."""
        status, body = await self.request("POST", "/api/template", json_body={"template": template})
        if status != 200:
            raise BootstrapError(f"POST /api/template -> HTTP {status}: {body}")
        return body if isinstance(body, str) else json.dumps(body)


def _local_time_zone() -> str | None:
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


def _locale_country() -> str | None:
    """The country of the locale (de_DE.UTF-8 -> DE), when one is set."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if match := re.match(r"^[a-z]{2,3}_([A-Z]{2})\b", os.environ.get(var, "")):
            return match.group(1)
    return None


async def onboard(api: HomeAssistantApi) -> bool:
    """Finish whatever onboarding step is open; log in. Return whether onboarding ran."""
    steps = await api.onboarding_steps()
    if steps and not steps.get("user", True):
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
        await api.exchange_code(body["auth_code"])
    else:
        await api.login()
    if not steps or all(steps.values()):
        return False
    if not steps.get("core_config", True):
        settings: dict[str, Any] = {"location_name": LOCATION_NAME}
        if tz := _local_time_zone():
            settings["time_zone"] = tz
        if country := _locale_country():
            settings["country"] = country
        try:
            await api.websocket_command({"type": "config/core/update", **settings})
        except BootstrapError as err:  # cosmetic: keep the defaults
            log(f"onboarding: keeping the default location settings ({err})")
        log("onboarding: core configuration")
        await api.call("POST", "/api/onboarding/core_config", json_body={})
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
    deadline = time.monotonic() + wait
    while True:
        entries = [e for e in await api.entries() if e.get("source") == "onboarding"]
        if always <= {e["domain"] for e in entries} or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    for entry in entries:
        if entry["domain"] in ONBOARDING_REMOVE:
            await api.call("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
            log(f"onboarding: removed the {entry['domain']} entry it created (polls the internet)")


def _select_options(form: Mapping[str, Any], name: str) -> list[str] | None:
    """Values a multi-select field of a flow form offers (None when it is absent)."""
    for item in form.get("data_schema") or []:
        if item.get("name") != name:
            continue
        select = (item.get("selector") or {}).get("select") or {}
        options = select.get("options") or []
        return [opt["value"] if isinstance(opt, dict) else str(opt) for opt in options]
    return None


def _form_errors(result: Mapping[str, Any]) -> str:
    return json.dumps(result.get("errors") or {}, sort_keys=True)


async def add_integration(api: HomeAssistantApi, sim: Simulator) -> None:
    """Run the DepotFinity config flow for the simulator, accepting every charger."""
    result = await api.call(
        "POST",
        "/api/config/config_entries/flow",
        json_body={"handler": DOMAIN, "show_advanced_options": False},
    )
    flow_path = f"/api/config/config_entries/flow/{result['flow_id']}"
    if result.get("type") == "form" and result.get("step_id") == "user":
        log(f"config flow: credentials of {sim.client_id!r} at {sim.url}")
        result = await api.call(
            "POST",
            flow_path,
            json_body={
                "client_id": sim.client_id,
                "client_secret": sim.client_secret,
                "region": "custom",
                "api_url": sim.url,
                "auth_url": sim.url,
            },
        )
    if result.get("type") == "form" and result.get("step_id") == "user":
        raise BootstrapError(f"the credentials were refused: {_form_errors(result)}")
    if result.get("type") == "form" and result.get("step_id") == "chargers":
        discovered = _select_options(result, "chargers") or []
        groups = _select_options(result, "groups")
        answer: dict[str, Any] = {"chargers": discovered}
        if groups is not None:
            answer["groups"] = groups
        missing = [charger for charger in sim.chargers if charger not in discovered]
        if missing:  # not seen in recent transactions: add them by id
            answer["extra_chargers"] = ", ".join(missing)
        log(
            f"config flow: chargers {', '.join(discovered) or '-'}"
            + (f" (+ by id: {', '.join(missing)})" if missing else "")
            + (f"; groups {', '.join(groups)}" if groups else "")
        )
        result = await api.call("POST", flow_path, json_body=answer)
    if result.get("type") == "create_entry":
        entry = result.get("result") or {}
        log(f"config flow: created {result.get('title')!r} ({entry.get('state', 'set up')})")
        if sim.rfid_tags and entry.get("entry_id"):
            await set_remote_start_tag(api, str(entry["entry_id"]), sim.rfid_tags[0])
        return
    if result.get("type") == "abort":
        raise BootstrapError(f"the config flow aborted: {result.get('reason')}")
    raise BootstrapError(
        f"the config flow stopped at step {result.get('step_id')!r}: {_form_errors(result)}"
    )


async def set_remote_start_tag(api: HomeAssistantApi, entry_id: str, tag: str) -> None:
    """Give the entry a simulator RFID tag for remote starts (the Charging switches)."""
    result = await api.call(
        "POST", "/api/config/config_entries/options/flow", json_body={"handler": entry_id}
    )
    result = await api.call(
        "POST",
        f"/api/config/config_entries/options/flow/{result['flow_id']}",
        json_body={"id_tag": tag, "budget_share": 100},
    )
    if result.get("type") != "create_entry":
        raise BootstrapError(f"setting the remote-start tag failed: {_form_errors(result)}")
    log("options: remote starts use one of the simulator's RFID tags")


def _slug(charger_id: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", charger_id.lower()).strip("_")


async def check(api: HomeAssistantApi, sim: Simulator, within: float) -> bool:
    """Wait until every simulated charger has sensors with values; print a summary."""
    deadline = time.monotonic() + within
    slugs = {charger: _slug(charger) for charger in sim.chargers}
    while True:
        api.check_alive()
        states: list[dict[str, Any]] = await api.call("GET", "/api/states")
        ours = set(
            json.loads(
                await api.template(f"{{{{ integration_entities('{DOMAIN}') | list | to_json }}}}")
            )
        )
        sensors = [
            s for s in states if s["entity_id"].startswith("sensor.") and s["entity_id"] in ours
        ]
        by_charger = {
            charger: [s for s in sensors if slug in s["entity_id"]]
            for charger, slug in slugs.items()
        }
        with_values = {
            charger: [s for s in found if s["state"] not in UNAVAILABLE]
            for charger, found in by_charger.items()
        }
        # A value on every charger, and live status data (a status sensor with a
        # value) on at least one: the integration polls the chargers in turn.
        statuses = [
            s for found in by_charger.values() for s in found if s["entity_id"].endswith("_status")
        ]
        complete = (
            bool(slugs)
            and all(with_values.values())
            and (not statuses or any(s["state"] not in UNAVAILABLE for s in statuses))
        )
        if complete or time.monotonic() > deadline:
            break
        await asyncio.sleep(2)
    entries = await api.entries(DOMAIN)
    print()
    print("== develop --check summary")
    for entry in entries:
        reason = f" ({entry['reason']})" if entry.get("reason") else ""
        print(f"config entry: {entry['title']} -> {entry['state']}{reason}")
    per_domain: dict[str, int] = {}
    for entity_id in ours:
        per_domain[entity_id.split(".", 1)[0]] = per_domain.get(entity_id.split(".", 1)[0], 0) + 1
    print(
        f"depotfinity entities: {len(ours)} ("
        + ", ".join(f"{count} {domain}" for domain, count in sorted(per_domain.items()))
        + ")"
    )
    for charger, found in by_charger.items():
        print(f"{charger}: {len(found)} sensors, {len(with_values[charger])} with a value")
    first = by_charger.get(sim.chargers[0], []) if sim.chargers else []
    sample = sorted(
        first,
        key=lambda s: (
            s["state"] in UNAVAILABLE,
            not s["entity_id"].endswith(("_status", "_availability", "_power")),
            s["entity_id"],
        ),
    )
    for state in sample[:8]:
        unit = state["attributes"].get("unit_of_measurement") or ""
        print(f"  {state['entity_id']} = {state['state']} {unit}".rstrip())
    print(f"result: {'OK' if complete else 'FAILED'}")
    return complete


async def check_charging(api: HomeAssistantApi, sim: Simulator, within: float) -> bool:
    """Turn a free connector's Charging switch on; wait for Charging and power > 0."""
    slug = f"{_slug(sim.chargers[0])}_connector_2"
    switch, status, power = (
        f"switch.{slug}_charging",
        f"sensor.{slug}_status",
        f"sensor.{slug}_power",
    )
    await api.call("POST", "/api/services/switch/turn_on", json_body={"entity_id": switch})
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        states = {s["entity_id"]: s["state"] for s in await api.call("GET", "/api/states")}
        try:
            watts = float(states.get(power, "nan"))
        except ValueError:
            watts = float("nan")
        if states.get(status) == "charging" and watts > 0:
            print(f"charging check: {switch} on -> {status} = charging, {power} = {watts} kW")
            await api.call("POST", "/api/services/switch/turn_off", json_body={"entity_id": switch})
            return True
        await asyncio.sleep(2)
    print(
        f"charging check: FAILED ({status} = {states.get(status)}, {power} = {states.get(power)})"
    )
    return False


async def bootstrap(args: argparse.Namespace) -> int:
    """Onboard, log in, add the integration, optionally check."""
    import aiohttp  # noqa: PLC0415

    sim = await wait_simulator(Path(args.simulator_log), args.simulator_pid, within=60)
    client_timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=client_timeout) as session:
        api = HomeAssistantApi(session, args.url, args.hass_pid)
        log(f"waiting for Home Assistant at {args.url}")
        await api.wait_http(args.timeout)
        onboarded_now = await onboard(api)
        await api.wait_running(args.timeout)
        if onboarded_now:
            await remove_onboarding_extras(api)
        entries = await api.entries(DOMAIN)
        if entries:
            for entry in entries:
                reason = f" ({entry['reason']})" if entry.get("reason") else ""
                log(f"integration already configured: {entry['title']} -> {entry['state']}{reason}")
        else:
            try:
                await add_integration(api, sim)
            except BootstrapError as err:
                log(f"adding the integration failed: {err}")
                return ADD_FAILED
        if args.check:
            ok = await check(api, sim, args.check_timeout)
            ok = ok and await check_charging(api, sim, args.check_timeout)
            return 0 if ok else 1
    return 0


def cmd_bootstrap(args: argparse.Namespace) -> int:
    """Run the bootstrap; report failures in one line plus details."""
    try:
        return asyncio.run(bootstrap(args))
    except BootstrapError as err:
        log(f"bootstrap failed: {err}")
        return 1
    except KeyboardInterrupt:
        return 130


def main(argv: Iterable[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    req = sub.add_parser("requirements", help="print the requirements to pre-install")
    req.add_argument("--config", default="config")
    req.set_defaults(func=cmd_requirements)
    mis = sub.add_parser("missing", help="print the requirements of FILE not installed")
    mis.add_argument("file")
    mis.set_defaults(func=cmd_missing)
    con = sub.add_parser("constraints", help="print the path of Home Assistant's constraints")
    con.set_defaults(func=cmd_constraints)
    lock = sub.add_parser("lock", help="write the pins of the development venv")
    lock.add_argument("--config", default="config")
    lock.add_argument("--requirements", default="requirements/develop.txt")
    lock.add_argument("--output", default="requirements/develop-constraints.txt")
    lock.set_defaults(func=cmd_lock)
    boot = sub.add_parser("bootstrap", help="onboard and add the integration")
    boot.add_argument("--url", default="http://localhost:8123")
    boot.add_argument("--simulator-log", required=True)
    boot.add_argument("--simulator-pid", type=int)
    boot.add_argument("--hass-pid", type=int)
    boot.add_argument("--timeout", type=float, default=600, help="seconds to wait for the start")
    boot.add_argument("--check", action="store_true", help="verify the sensors, exit 0/1")
    boot.add_argument("--check-timeout", type=float, default=180)
    boot.set_defaults(func=cmd_bootstrap)
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        result: int = args.func(args)
    except BootstrapError as err:
        log(str(err))
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
