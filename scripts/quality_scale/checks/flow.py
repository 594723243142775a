"""Checks of the config flow, discovery and diagnostics."""

import ast
from typing import Final

from quality_scale.astutil import call_name, nested
from quality_scale.integration import DIAGNOSTICS_FUNCTIONS, DIAGNOSTICS_MODULE, Integration
from quality_scale.registry import check

NO_FLOW: Final = "config_flow.py not found"
NO_STRINGS: Final = "no strings.json (or translations/en.json)"
DISCOVERY_KEYS: Final = ("bluetooth", "dhcp", "homekit", "mqtt", "ssdp", "usb", "zeroconf")


def _missing_steps(integ: Integration, *steps: str) -> list[str]:
    """Return reasons for config flow steps that no config flow class defines."""
    if integ.module("config_flow") is None:
        return [NO_FLOW]
    defined = integ.flow_steps()
    return [f"config_flow.py defines no {step}" for step in steps if step not in defined]


@check("reauthentication-flow")
def check_reauth(integ: Integration) -> list[str]:
    """The config flow has async_step_reauth."""
    return _missing_steps(integ, "async_step_reauth")


@check("reconfiguration-flow")
def check_reconfigure(integ: Integration) -> list[str]:
    """The config flow has async_step_reconfigure."""
    return _missing_steps(integ, "async_step_reconfigure")


@check("discovery")
def check_discovery(integ: Integration) -> list[str]:
    """Manifest discovery matchers have a config flow step each."""
    keys = [key for key in DISCOVERY_KEYS if integ.manifest.get(key)]
    if not keys:
        return ["manifest.json declares no discovery method (zeroconf, dhcp, ...)"]
    return _missing_steps(integ, *(f"async_step_{key}" for key in keys))


@check("unique-config-entry")
def check_unique_config_entry(integ: Integration) -> list[str]:
    """The config flow sets a unique id or aborts on matching entries."""
    if integ.manifest.get("single_config_entry") is True:
        integ.note("unique-config-entry", "manifest sets single_config_entry")
        return []
    if integ.module("config_flow") is None:
        return [NO_FLOW]
    wanted = {"async_set_unique_id", "_async_abort_entries_match"}
    if not any(
        isinstance(node, ast.Call) and call_name(node) in wanted
        for _mod, node in integ.flow_nodes()
    ):
        return ["config_flow.py calls neither async_set_unique_id nor _async_abort_entries_match"]
    return []


@check("config-flow")
def check_config_flow(integ: Integration) -> list[str]:
    """UI setup: manifest flag, config_flow.py, described fields."""
    reasons: list[str] = []
    if integ.manifest.get("config_flow") is not True:
        reasons.append("manifest.json does not set config_flow: true")
    if integ.module("config_flow") is None:
        reasons.append(NO_FLOW)
    strings = integ.strings
    if strings is None:
        return [*reasons, NO_STRINGS]
    if not nested(strings, "config", "step", "user", "data_description"):
        reasons.append("strings: config.step.user has no data_description")
    for section in ("config", "options"):
        steps = nested(strings, section, "step")
        if not isinstance(steps, dict):
            continue
        for step_id, step in steps.items():
            data = step.get("data") if isinstance(step, dict) else None
            if not isinstance(data, dict):
                continue
            described = step.get("data_description") or {}
            reasons.extend(
                f"strings: {section}.step.{step_id}.data_description has no {field_id!r}"
                for field_id in data
                if field_id not in described
            )
    return reasons


@check("diagnostics")
def check_diagnostics(integ: Integration) -> list[str]:
    """diagnostics.py defines (or imports) a config entry or device diagnostics function."""
    if integ.module(DIAGNOSTICS_MODULE) is None:
        return ["diagnostics.py not found"]
    if not integ.diagnostics_functions():
        return [f"diagnostics.py defines neither {' nor '.join(sorted(DIAGNOSTICS_FUNCTIONS))}"]
    return []
