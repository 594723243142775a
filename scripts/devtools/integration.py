"""The DepotFinity config entry: its config flow and options.

The config flow asks for the depot's name and credentials (and, for a custom
region, the URLs); its chargers step turns the chosen chargers and groups into
subentries, which are then named "Bay 1", "Bay 2", ...; the options give remote
starts (the Charging switches) an RFID tag; the simulator's price site becomes a
site subentry (its energy price sensor, and the connectors' session costs).
"""

from __future__ import annotations

from collections.abc import Mapping
import json
from typing import Any

from .common import DOMAIN, BootstrapError, describe_entry, log
from .hass_api import HomeAssistantApi
from .naming import SUBENTRY_FLOW_PATH, name_chargers
from .simulator import Simulator

FLOW_PATH = "/api/config/config_entries/flow"
OPTIONS_FLOW_PATH = "/api/config/config_entries/options/flow"
# The depot as the development instance shows it (entry title, hub device, new area).
DEPOT_NAME = "Demo Depot"
# The steps before the chargers step: name and credentials, then (custom region) the URLs.
DEPOT_STEPS = ("user", "urls")
# The simulator's price sites as the development instance names them.
SITE = "site"
SITE_NAME = "Grid connection"


def select_options(form: Mapping[str, Any], name: str) -> list[str] | None:
    """Values a multi-select field of a flow form offers (None when it is absent)."""
    for item in form.get("data_schema") or []:
        if item.get("name") != name:
            continue
        select = (item.get("selector") or {}).get("select") or {}
        options = select.get("options") or []
        return [opt["value"] if isinstance(opt, dict) else str(opt) for opt in options]
    return None


def form_errors(result: Mapping[str, Any]) -> str:
    """The errors of a flow form, as one stable line."""
    return json.dumps(result.get("errors") or {}, sort_keys=True)


def _at_step(result: Mapping[str, Any], step_id: str) -> bool:
    """Whether a flow result is the form of ``step_id``."""
    return result.get("type") == "form" and result.get("step_id") == step_id


def _chargers_answer(form: Mapping[str, Any], sim: Simulator) -> dict[str, Any]:
    """The answer to the chargers step: every charger and group it offers.

    A simulated charger it did not discover (not seen in recent transactions)
    is added by id.
    """
    discovered = select_options(form, "chargers") or []
    groups = select_options(form, "groups")
    answer: dict[str, Any] = {"chargers": discovered}
    if groups is not None:
        answer["groups"] = groups
    missing = [charger for charger in sim.chargers if charger not in discovered]
    if missing:
        answer["extra_chargers"] = ", ".join(missing)
    log(
        f"config flow: chargers {', '.join(discovered) or '-'}"
        + (f" (+ by id: {', '.join(missing)})" if missing else "")
        + (f"; groups {', '.join(groups)}" if groups else "")
    )
    return answer


def field_names(form: Mapping[str, Any]) -> set[str]:
    """The names of the fields a flow form asks for."""
    return {str(item.get("name")) for item in form.get("data_schema") or []}


def _depot_answers(sim: Simulator) -> dict[str, Any]:
    """Every value the depot steps may ask for; each step gets the fields it shows.

    The area is left empty: the integration then creates one named after the depot.
    """
    return {
        "name": DEPOT_NAME,
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "region": "custom",
        "api_url": sim.url,
        "auth_url": sim.url,
    }


async def _answer_depot_steps(
    api: HomeAssistantApi, flow_path: str, result: dict[str, Any], sim: Simulator
) -> dict[str, Any]:
    """Answer the depot's name and credentials step and, for a custom region, the URLs step."""
    answers = _depot_answers(sim)
    for step_id in DEPOT_STEPS:
        if not _at_step(result, step_id):
            continue
        if step_id == "user":
            log(f"config flow: {DEPOT_NAME!r}, credentials of {sim.client_id!r} at {sim.url}")
        fields = field_names(result)
        answer = {key: value for key, value in answers.items() if key in fields}
        result = await api.call("POST", flow_path, json_body=answer)
        if _at_step(result, step_id):
            raise BootstrapError(f"step {step_id!r} refused the answer: {form_errors(result)}")
    return dict(result)


async def add_integration(api: HomeAssistantApi, sim: Simulator) -> None:
    """Run the DepotFinity config flow for the simulator, accepting every charger."""
    result = await api.call(
        "POST", FLOW_PATH, json_body={"handler": DOMAIN, "show_advanced_options": False}
    )
    flow_path = f"{FLOW_PATH}/{result['flow_id']}"
    result = await _answer_depot_steps(api, flow_path, result, sim)
    if _at_step(result, "chargers"):
        result = await api.call("POST", flow_path, json_body=_chargers_answer(result, sim))
    if result.get("type") == "create_entry":
        entry = result.get("result") or {}
        log(f"config flow: created {result.get('title')!r} ({entry.get('state', 'set up')})")
        if entry.get("entry_id"):
            await name_chargers(api, str(entry["entry_id"]))
            await add_sites(api, str(entry["entry_id"]), sim)
            if sim.rfid_tags:
                await set_remote_start_tag(api, str(entry["entry_id"]), sim.rfid_tags[0])
        return
    if result.get("type") == "abort":
        raise BootstrapError(f"the config flow aborted: {result.get('reason')}")
    raise BootstrapError(
        f"the config flow stopped at step {result.get('step_id')!r}: {form_errors(result)}"
    )


async def set_remote_start_tag(api: HomeAssistantApi, entry_id: str, tag: str) -> None:
    """Give the entry a simulator RFID tag for remote starts (the Charging switches)."""
    result = await api.call("POST", OPTIONS_FLOW_PATH, json_body={"handler": entry_id})
    result = await api.call(
        "POST",
        f"{OPTIONS_FLOW_PATH}/{result['flow_id']}",
        json_body={"id_tag": tag, "budget_share": 100},
    )
    if result.get("type") != "create_entry":
        raise BootstrapError(f"setting the remote-start tag failed: {form_errors(result)}")
    log("options: remote starts use one of the simulator's RFID tags")


async def add_sites(api: HomeAssistantApi, entry_id: str, sim: Simulator) -> None:
    """Give an entry without price sites the simulator's, through the site subentry flow."""
    subentries: list[dict[str, Any]] = await api.websocket_command(
        {"type": "config_entries/subentries/list", "entry_id": entry_id}
    )
    if any(item.get("subentry_type") == SITE for item in subentries):
        return
    for number, site_id in enumerate(sim.sites, start=1):
        name = SITE_NAME if number == 1 else f"{SITE_NAME} {number}"
        form = await api.call("POST", SUBENTRY_FLOW_PATH, json_body={"handler": [entry_id, SITE]})
        result = await api.call(
            "POST",
            f"{SUBENTRY_FLOW_PATH}/{form['flow_id']}",
            json_body={"site_id": site_id, "name": name},
        )
        if result.get("type") != "create_entry":
            raise BootstrapError(f"adding the price site {site_id!r} failed: {form_errors(result)}")
        log(f"price site {site_id} added as {name!r} (energy price, session costs)")


async def ensure_integration(api: HomeAssistantApi, sim: Simulator) -> bool:
    """Add the integration unless it is configured already; return whether it is there.

    A configured entry without a price site gets the simulator's (an older
    development configuration).
    """
    entries = await api.entries(DOMAIN)
    for entry in entries:
        log(f"integration already configured: {describe_entry(entry)}")
        if entry.get("state") == "loaded":
            try:
                await add_sites(api, str(entry["entry_id"]), sim)
            except BootstrapError as err:
                log(f"warning: {err}")
    if entries:
        return True
    try:
        await add_integration(api, sim)
    except BootstrapError as err:
        log(f"adding the integration failed: {err}")
        return False
    return True
