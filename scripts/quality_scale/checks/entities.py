"""Checks of entities: names, ids, translations, icons, devices and usage of attributes."""

import ast
from typing import Any

from quality_scale.astutil import (
    FUNCTION_NODES,
    assigned_value,
    assigns,
    call_name,
    is_const,
    is_function,
    is_str_literal,
    keyword,
    nested,
    str_value,
)
from quality_scale.integration import Integration
from quality_scale.registry import CHECKS, check
from quality_scale.source import Module

from .flow import NO_STRINGS

# Calls that subscribe a callback; dynamic-devices wants one whose callback adds entities.
LISTENER_CALLS = frozenset(
    {"async_add_listener", "add_update_listener", "async_dispatcher_connect", "async_listen"}
)


def _defines_anywhere(integ: Integration, attr: str, function: str) -> bool:
    """Return True when some module assigns ``attr`` or defines ``function``."""
    return any(assigns(node, attr) or is_function(node, function) for _mod, node in integ.walk())


@check("entity-unique-id")
def check_entity_unique_id(integ: Integration) -> list[str]:
    """Entities set _attr_unique_id (or a unique_id property)."""
    if _defines_anywhere(integ, "_attr_unique_id", "unique_id"):
        return []
    return ["no entity sets _attr_unique_id"]


@check("devices")
def check_devices(integ: Integration) -> list[str]:
    """Entities are attached to devices."""
    if _defines_anywhere(integ, "_attr_device_info", "device_info") or any(
        call_name(call) == "DeviceInfo" for _mod, call in integ.calls()
    ):
        return []
    return ["no DeviceInfo / device_info in the integration"]


@check("has-entity-name")
def check_has_entity_name(integ: Integration) -> list[str]:
    """Some entity class (entity.py or elsewhere) sets has_entity_name; none unsets it."""
    reasons: list[str] = []
    enabled = False
    for mod, node in integ.walk():
        if assigns(node, "_attr_has_entity_name"):
            value = assigned_value(node)
            enabled = enabled or is_const(value, value=True)
            if is_const(value, value=False):
                reasons.append(f"{integ.where(mod, node)}: _attr_has_entity_name = False")
    if not enabled:
        reasons.insert(0, "no entity class sets _attr_has_entity_name = True")
    return reasons


@check("entity-translations")
def check_entity_translations(integ: Integration) -> list[str]:
    """Entity names come from translation keys, not literals."""
    reasons: list[str] = []
    used = False
    for mod in integ.modules.values():
        owners = integ.enclosing_class(mod)
        for node in ast.walk(mod.tree):
            value = assigned_value(node)
            key: str | None = None
            if assigns(node, "_attr_name") and value is not None and is_str_literal(value):
                reasons.append(f"{integ.where(mod, node)}: literal _attr_name")
            if assigns(node, "_attr_translation_key"):
                used, key = True, str_value(value)
            if integ.is_description_call(node):
                assert isinstance(node, ast.Call)
                name_kw = keyword(node, "name")
                if name_kw is not None and is_str_literal(name_kw.value):
                    reasons.append(f"{integ.where(mod, node)}: literal name= in {call_name(node)}")
                if (key_kw := keyword(node, "translation_key")) is not None:
                    used, key = True, str_value(key_kw.value)
            if key is not None:
                platform = integ.entity_platform(mod, node, owners.get(id(node)))
                reasons += _missing_entity_key(integ, mod, node, platform, key)
    if not used:
        reasons.append("no entity uses translation_key")
    return reasons


def _missing_entity_key(
    integ: Integration, mod: Module, node: ast.AST, platform: str | None, key: str
) -> list[str]:
    """Check that entity.<platform>.<key> exists when the platform is known."""
    if platform is None:
        return []
    strings: dict[str, Any] | None = integ.strings
    if strings is None:
        return [NO_STRINGS]
    if nested(strings, "entity", platform, key) is None:
        return [f"{integ.where(mod, node)}: entity.{platform}.{key} missing from strings"]
    return []


@check("icon-translations")
def check_icon_translations(integ: Integration) -> list[str]:
    """Icons come from icons.json."""
    reasons: list[str] = []
    if not (integ.path / "icons.json").is_file():
        reasons.append("icons.json not found")
    elif not isinstance(integ.load_json("icons.json"), dict):
        reasons.append("icons.json is not a valid JSON object")
    for mod, node in integ.walk():
        if assigns(node, "_attr_icon") and not is_const(assigned_value(node), value=None):
            reasons.append(f"{integ.where(mod, node)}: _attr_icon set in code")
        if integ.is_description_call(node):
            assert isinstance(node, ast.Call)
            icon = keyword(node, "icon")
            if icon is not None and not is_const(icon.value, value=None):
                reasons.append(f"{integ.where(mod, node)}: icon= in {call_name(node)}")
        if is_function(node, "icon"):
            reasons.append(f"{integ.where(mod, node)}: icon property defined in code")
    return reasons


@check("dynamic-devices")
def check_dynamic_devices(integ: Integration) -> list[str]:
    """Heuristic: a listener (coordinator, entry update, dispatcher) adds new entities."""
    listens = any(call_name(call) in LISTENER_CALLS for _mod, call in integ.calls())
    adds_later = any(
        inner is not node
        and isinstance(inner, FUNCTION_NODES)
        and any(
            isinstance(call, ast.Call) and "add_entities" in (call_name(call) or "")
            for call in ast.walk(inner)
        )
        for _mod, node in integ.walk()
        if isinstance(node, FUNCTION_NODES)
        for inner in ast.walk(node)
    )
    if listens and adds_later:
        return []
    reason = (
        "no listener (coordinator, entry update or dispatcher) with a nested "
        "add_entities call adds entities for new devices"
    )
    return [reason]


def _usage_check(rule: str, keyword_name: str, attr: str, *, value: object = ...) -> None:
    """Register a check that a description keyword or _attr_ is used somewhere.

    With ``value`` the keyword or attribute must be set to that constant.
    """

    def wanted(expr: ast.expr | None) -> bool:
        """Return True when the value is any value, or the required constant."""
        return value is ... or (isinstance(expr, ast.Constant) and expr.value == value)

    def run(integ: Integration) -> list[str]:
        for _mod, node in integ.walk():
            kw = keyword(node, keyword_name) if isinstance(node, ast.Call) else None
            if kw is not None and wanted(kw.value):
                return []
            if assigns(node, attr) and wanted(assigned_value(node)):
                return []
        shown = keyword_name if value is ... else f"{keyword_name}={value}"
        return [f"no entity uses {shown} (or {attr})"]

    run.__doc__ = f"Some entity sets {keyword_name}."
    CHECKS[rule] = run


_usage_check("entity-category", "entity_category", "_attr_entity_category")
_usage_check("entity-device-class", "device_class", "_attr_device_class")
_usage_check(
    "entity-disabled-by-default",
    "entity_registry_enabled_default",
    "_attr_entity_registry_enabled_default",
    value=False,
)
